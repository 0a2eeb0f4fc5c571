//! Cross-checks lwat's CoAP codec against an independent implementation,
//! the crates.io `coap-lite` (a dev-dependency): whatever one side encodes,
//! the other parses to the same fields, and both encode the same message to
//! the same bytes. Run with `cargo test --test coap_oracle`.

use coap_lite::{CoapOption as LiteOption, MessageClass, MessageType, Packet};
use lwat::coap::{number, Builder, Code, Repr, Type};
use proptest::prelude::*;

/// One message as plain data, the common ground of both codecs.
#[derive(Clone, Debug, PartialEq)]
struct Message {
    ty: u8,
    code: u8,
    message_id: u16,
    token: Vec<u8>,
    /// Sorted by number; equal numbers keep their order.
    options: Vec<(u16, Vec<u8>)>,
    payload: Vec<u8>,
}

fn lwat_type(ty: u8) -> Type {
    [Type::Con, Type::Non, Type::Ack, Type::Rst][usize::from(ty)]
}

fn lite_type(ty: u8) -> MessageType {
    [
        MessageType::Confirmable,
        MessageType::NonConfirmable,
        MessageType::Acknowledgement,
        MessageType::Reset,
    ][usize::from(ty)]
}

fn emit_lwat(m: &Message) -> Vec<u8> {
    let mut buf = vec![0u8; 70_000];
    let mut b = Builder::new(&mut buf, lwat_type(m.ty), Code(m.code), m.message_id, &m.token).unwrap();
    for (number, value) in &m.options {
        b.option(*number, value).unwrap();
    }
    let n = b.finish(&m.payload).unwrap();
    buf.truncate(n);
    buf
}

fn parse_lwat(bytes: &[u8]) -> Message {
    let repr = Repr::parse(bytes).unwrap();
    Message {
        ty: repr.ty as u8,
        code: repr.code.0,
        message_id: repr.message_id,
        token: repr.token.to_vec(),
        options: repr.options.iter().map(|o| (o.number, o.value.to_vec())).collect(),
        payload: repr.payload.to_vec(),
    }
}

fn emit_lite(m: &Message) -> Vec<u8> {
    let mut p = Packet::new();
    p.header.set_version(1);
    p.header.set_type(lite_type(m.ty));
    p.header.code = MessageClass::from(m.code);
    p.header.message_id = m.message_id;
    p.set_token(m.token.clone());
    for (number, value) in &m.options {
        p.add_option(LiteOption::from(*number), value.clone());
    }
    p.payload = m.payload.clone();
    p.to_bytes_unlimited().unwrap()
}

fn parse_lite(bytes: &[u8]) -> Message {
    let p = Packet::from_bytes(bytes).unwrap();
    assert_eq!(p.header.get_version(), 1);
    let ty = match p.header.get_type() {
        MessageType::Confirmable => 0,
        MessageType::NonConfirmable => 1,
        MessageType::Acknowledgement => 2,
        MessageType::Reset => 3,
    };
    let mut options = Vec::new();
    for (number, values) in p.options() {
        for value in values {
            options.push((*number, value.clone()));
        }
    }
    Message {
        ty,
        code: u8::from(p.header.code),
        message_id: p.header.message_id,
        token: p.get_token().to_vec(),
        options,
        payload: p.payload.clone(),
    }
}

/// Both directions, for one message.
fn cross_check(m: &Message) {
    let ours = emit_lwat(m);
    let theirs = emit_lite(m);
    assert_eq!(ours, theirs, "same message, same bytes");
    assert_eq!(&parse_lite(&ours), m, "coap-lite reads what lwat wrote");
    assert_eq!(&parse_lwat(&theirs), m, "lwat reads what coap-lite wrote");
}

#[test]
fn oracle_registration_messages() {
    // Register: CON POST /rd?ep=..&lt=..&lwm2m=1.0&b=U, link format, auth code 63.
    cross_check(&Message {
        ty: 0,
        code: Code::POST.0,
        message_id: 0x1234,
        token: vec![0xde, 0xad, 0xbe, 0xef],
        options: vec![
            (number::URI_PATH, b"rd".to_vec()),
            (number::CONTENT_FORMAT, vec![40]),
            (number::URI_QUERY, b"ep=864000000000000;460000000000000".to_vec()),
            (number::URI_QUERY, b"lt=86400".to_vec()),
            (number::URI_QUERY, b"lwm2m=1.0".to_vec()),
            (number::URI_QUERY, b"b=U".to_vec()),
            (63, b"authcode".to_vec()),
        ],
        payload: b"</>;rt=\"oma.lwm2m\",</3/0>,</3303/0>".to_vec(),
    });
    // 2.01 Created, Location-Path rd/abc, piggybacked.
    cross_check(&Message {
        ty: 2,
        code: Code::CREATED.0,
        message_id: 0x1234,
        token: vec![0xde, 0xad, 0xbe, 0xef],
        options: vec![
            (number::LOCATION_PATH, b"rd".to_vec()),
            (number::LOCATION_PATH, b"abc".to_vec()),
        ],
        payload: vec![],
    });
    // Empty ACK and RST.
    for ty in [2, 3] {
        cross_check(&Message {
            ty,
            code: 0,
            message_id: 7,
            token: vec![],
            options: vec![],
            payload: vec![],
        });
    }
}

#[test]
fn oracle_uint_options_decode_alike() {
    // coap-lite's own uint encoding of Observe/Content-Format, read by lwat.
    for value in [0u32, 1, 0xff, 0x100, 0xffff, 0x1_0000, 0xff_ffff] {
        let mut p = Packet::new();
        p.header.set_type(MessageType::NonConfirmable);
        p.header.code = MessageClass::from(Code::CONTENT.0);
        p.set_observe_value(value);
        let bytes = p.to_bytes().unwrap();
        assert_eq!(Repr::parse(&bytes).unwrap().options.observe(), Some(value));
        // ...and lwat's minimal encoding is the same bytes.
        let mut buf = [0u8; 16];
        let mut b = Builder::new(&mut buf, Type::Non, Code::CONTENT, 0, &[]).unwrap();
        b.uint_option(number::OBSERVE, value).unwrap();
        let n = b.finish(&[]).unwrap();
        assert_eq!(&buf[..n], &bytes[..], "Observe {value}");
    }
}

fn code_and_type() -> impl Strategy<Value = (u8, u8)> {
    prop_oneof![
        // Requests go in CON or NON.
        (1u8..=4, 0u8..=1),
        // Responses in CON, NON or ACK.
        (
            prop::sample::select(vec![0x41u8, 0x44, 0x45, 0x5f, 0x80, 0x84, 0x8f, 0xa0, 0xa3, 0xbf]),
            0u8..=2
        ),
    ]
}

fn option_number() -> impl Strategy<Value = u16> {
    prop_oneof![0u16..=64, 0u16..=600, any::<u16>()]
}

fn option_value() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..=12),
        prop::collection::vec(any::<u8>(), 13..=268),
        prop::collection::vec(any::<u8>(), 269..=600),
    ]
}

fn message() -> impl Strategy<Value = Message> {
    (
        code_and_type(),
        any::<u16>(),
        prop::collection::vec(any::<u8>(), 0..=8),
        prop::collection::vec((option_number(), option_value()), 0..6),
        prop::collection::vec(any::<u8>(), 0..40),
    )
        .prop_map(|((code, ty), message_id, token, mut options, payload)| {
            options.sort_by_key(|(n, _)| *n);
            Message {
                ty,
                code,
                message_id,
                token,
                options,
                payload,
            }
        })
}

proptest! {
    #[test]
    fn oracle_random_messages(m in message()) {
        cross_check(&m);
    }
}

proptest! {
    // About 3% of these datagrams parse; 4096 cases give ~100 agreements.
    #![proptest_config(ProptestConfig::with_cases(4096))]

    /// Arbitrary bytes never panic lwat's parser, and whatever it accepts
    /// coap-lite reads the same way.
    #[test]
    fn oracle_arbitrary_bytes(
        ty_tkl in 0u8..=0x3f,
        code in prop::sample::select(vec![0u8, 0x01, 0x02, 0x45, 0x84]),
        rest in prop::collection::vec(any::<u8>(), 0..64),
    ) {
        // A version-1 header with a random type and token length, then
        // random bytes: many are valid, most have odd options.
        let mut bytes = vec![0x40 | ty_tkl, code, 0x12, 0x34];
        bytes.extend_from_slice(&rest);
        if Repr::parse(&bytes).is_ok() {
            prop_assert_eq!(parse_lite(&bytes), parse_lwat(&bytes));
        }
    }
}
