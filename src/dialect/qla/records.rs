//! The QLA state as NV records (postcard payloads framed by `persist`).
//!
//! Shaped for flash, not for convenience: each record is written and read
//! field by field through `persist::{Encoder, Decoder}` (postcard bytes,
//! no derived serde code per record). Byte strings are borrowed from the NV
//! buffer; loading decodes every field first and copies into the state only
//! when everything fits, so a bad record changes nothing.
//!
//! Schema 2 (schema 1 records are ignored: defaults), as postcard encodes
//! these Rust shapes (the tests check it against derived impls):
//! - server:  `(&[u8] host, u16 port, &[u8] endpoint, u32 lifetime,
//!   u8 security, &[u8] psk_id, &[u8] psk, u8 binding)` (always the LwM2M
//!   server: seed 004 §3.1 note 2 never saves a bootstrap one);
//! - options: `(&[u8] values, &[u8] device_type)`: the nine setting values
//!   as one byte string;
//! - objects: `Vec<u16>`, the flat list of `model::qla::ObjectTable`;
//! - session: `Option<(..)>` of an `lwm2m::Session`'s fields (see
//!   `State::encode`): the registration kept across deep sleep (seed 004
//!   §3.15, §4.13). It lives only in NV (the client holds it in RAM);
//!   `None` records a session that ended.

use super::server::{self, ServerFields};
use super::{Options, ServerConfig, State};
use crate::host::Host;
use crate::lwm2m::{Binding, Session};
use crate::model::qla::ObjectTable;
use crate::persist::{self, Decoder, Encoder, Record};

/// The record kinds, one per command family: each is rewritten only when
/// its own command changes it (a QLACFG toggle rewrites ~25 bytes, not the
/// ~1 KiB of everything), the stack buffer is bounded by the largest single
/// record, and a damaged objects record cannot take the server config with it.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Server = 0,
    Options = 1,
    Objects = 2,
    Session = 3,
}

/// How many record kinds there are.
pub(super) const KIND_COUNT: usize = 4;

const KINDS: [Kind; KIND_COUNT] = [Kind::Server, Kind::Options, Kind::Objects, Kind::Session];

/// NV keys: two per kind (the alternating slots), QLA's range starts here.
const NV_BASE: u16 = 0x0100;
const SCHEMA: u8 = 2;

/// `AT+QLACONFIG` persists only the LwM2M server (seed 004 §3.1 note 2).
impl Record for Option<ServerConfig> {
    const KEY: u16 = NV_BASE + 2 * Kind::Server as u16;
    const SCHEMA: u8 = SCHEMA;
}

impl Record for Options {
    const KEY: u16 = NV_BASE + 2 * Kind::Options as u16;
    const SCHEMA: u8 = SCHEMA;
}

impl Record for ObjectTable {
    const KEY: u16 = NV_BASE + 2 * Kind::Objects as u16;
    const SCHEMA: u8 = SCHEMA;
}

/// The registration kept across deep sleep (seed 004 §3.15).
impl Record for Session<'_> {
    const KEY: u16 = NV_BASE + 2 * Kind::Session as u16;
    const SCHEMA: u8 = SCHEMA;
}

fn key(kind: Kind) -> u16 {
    NV_BASE + 2 * kind as u16
}

/// Largest payload of each kind (postcard varints: u16 up to 3 bytes, u32 up to 5).
const SERVER_MAX: usize = {
    use crate::config::{ENDPOINT_MAX, HOST_MAX, PSK_ID_MAX, PSK_MAX};
    use persist::varint_len;
    varint_len(HOST_MAX)
        + HOST_MAX
        + 3
        + varint_len(ENDPOINT_MAX)
        + ENDPOINT_MAX
        + 5
        + 1
        + varint_len(PSK_ID_MAX)
        + PSK_ID_MAX
        + varint_len(PSK_MAX)
        + PSK_MAX
        + 1
};
const OPTIONS_MAX: usize = {
    use crate::config::QLA_DEVICE_TYPE_MAX;
    1 + super::options::VALUES + persist::varint_len(QLA_DEVICE_TYPE_MAX) + QLA_DEVICE_TYPE_MAX
};
const OBJECTS_MAX: usize = {
    use crate::model::qla::MAX_IDS;
    persist::varint_len(MAX_IDS) + 3 * MAX_IDS
};

const fn max(a: usize, b: usize) -> usize {
    if a > b {
        a
    } else {
        b
    }
}

const SESSION_MAX: usize = {
    use crate::config::{AUTHCODE_MAX, ENDPOINT_MAX, HOST_MAX};
    use crate::lwm2m::LOCATION_MAX;
    use persist::varint_len;
    1 + varint_len(HOST_MAX)
        + HOST_MAX
        + 3
        + varint_len(ENDPOINT_MAX)
        + ENDPOINT_MAX
        + varint_len(LOCATION_MAX)
        + LOCATION_MAX
        + varint_len(AUTHCODE_MAX)
        + AUTHCODE_MAX
        + 3
        + 5
        + 1
        + 5
        + 5
        + 1
};

/// Bytes of the stack buffer a record is framed in: the largest of the four.
pub const RECORD_BUF: usize = persist::OVERHEAD + max(max(SERVER_MAX, SESSION_MAX), max(OPTIONS_MAX, OBJECTS_MAX));

/// Reads the session record into `out` (left None when no session was
/// saved). The caller checks `d.ok()`. Each field is stored as it is read
/// (into `out`, not held in registers and spilled until the last one).
fn read_session<'a>(d: &mut Decoder<'a>, out: &mut Option<Session<'a>>) {
    if d.byte() == 0 {
        return;
    }
    let s = out.insert(Session {
        host: &[],
        port: 0,
        endpoint_name: &[],
        location: &[],
        auth_code: &[],
        lifetime_s: 0,
        binding: Binding::U,
        remaining_ms: 0,
        ack_timeout_ms: 0,
        max_retransmit: 0,
    });
    s.host = d.bytes();
    s.endpoint_name = d.bytes();
    s.location = d.bytes();
    s.auth_code = d.bytes();
    s.port = d.u16();
    s.lifetime_s = d.varint();
    s.binding = match d.byte() {
        0 => Binding::U,
        1 => Binding::UQ,
        _ => {
            d.fail();
            Binding::U
        }
    };
    s.remaining_ms = u64::from(d.varint()) << 10;
    s.ack_timeout_ms = d.varint();
    s.max_retransmit = d.byte();
}

/// Reads the server record into `f` (each field stored as it is read, as
/// in `read_session`). The caller checks `d.ok()`.
#[inline(never)]
fn read_server<'a>(d: &mut Decoder<'a>, f: &mut ServerFields<'a>) {
    f.host = d.bytes();
    f.port = d.u16();
    f.endpoint = d.bytes();
    f.lifetime = d.varint();
    f.security = d.byte();
    f.psk_id = d.bytes();
    f.psk = d.bytes();
    f.binding = d.byte();
}

/// Whether `payload` is a session record that decodes.
fn session_decodes(payload: &[u8]) -> bool {
    let mut d = Decoder::new(payload);
    read_session(&mut d, &mut None);
    d.ok()
}

/// The session saved in NV, decoded into `buf` and stored in `out` (left
/// None when there is none): in place, as a returned session is copied.
pub(super) fn saved_session<'b, H: Host + ?Sized>(
    host: &mut H,
    buf: &'b mut [u8; RECORD_BUF],
    out: &mut Option<Session<'b>>,
) {
    // The accepted payload's length; 0 (no session) when no slot decodes.
    let mut len = 0;
    persist::load(host, key(Kind::Session), SCHEMA, buf, &mut |p| {
        let ok = session_decodes(p);
        if ok {
            len = p.len();
        }
        ok
    });
    // `load` stops at the accepted slot: its frame is what `buf` holds.
    let buf: &'b [u8] = buf;
    if let Some(payload) = buf.get(persist::HEADER..persist::HEADER + len) {
        read_session(&mut Decoder::new(payload), out);
    }
}

impl State {
    /// The state after power-on, with what NV holds restored. A missing,
    /// corrupt or unknown-schema record leaves that part at its defaults.
    // Out of line: called once, but inlined into lwat_init it costs more.
    #[inline(never)]
    pub fn restore<H: crate::host::Host + ?Sized>(host: &mut H) -> Self {
        let mut state = State::default();
        let mut buf = [0u8; RECORD_BUF];
        for kind in KINDS {
            let mut slots = persist::load(host, key(kind), SCHEMA, &mut buf, &mut |payload| {
                state.decode(kind, payload)
            });
            // What NV holds as far as saving goes: the state now (loaded or
            // defaults), so an unchanged state is never written.
            let len = state.encode(kind, None, persist::payload_area(&mut buf));
            slots.holds(&buf, len);
            if let Some(nv) = state.nv.get_mut(kind as usize) {
                *nv = slots;
            }
        }
        state
    }

    /// Saves the part of the state `kind` covers; writes only when it
    /// differs from what NV holds (persist compares payload CRCs), so a
    /// command that changed nothing writes nothing. A failed write does not
    /// fail the command (seed 004 §3.1/§3.2: settings take effect at once);
    /// it is retried with the next save.
    pub(super) fn persist<H: crate::host::Host + ?Sized>(&mut self, host: &mut H, kind: Kind) {
        self.save(host, kind, None);
    }

    /// Saves the registration to recover after deep sleep, or records that
    /// there is none (`None`, written only when one was saved). A failed
    /// write is not retried: the next Register/Update saves again.
    pub(super) fn save_session<H: Host + ?Sized>(&mut self, host: &mut H, session: Option<&Session<'_>>) {
        if session.is_none() && !self.session.saved {
            return;
        }
        self.save(host, Kind::Session, Some(session));
        self.session.saved = session.is_some();
    }

    /// Encodes `kind` (the session: `session`) and writes it to the next
    /// slot of `kind`. One body for every kind: the stack buffer, the
    /// encoding and the framing are not repeated per caller.
    fn save<H: Host + ?Sized>(&mut self, host: &mut H, kind: Kind, session: Option<Option<&Session<'_>>>) {
        let mut buf = [0u8; RECORD_BUF];
        let len = self.encode(kind, session, persist::payload_area(&mut buf));
        if let Some(slots) = self.nv.get_mut(kind as usize) {
            persist::save(host, key(kind), SCHEMA, slots, &mut buf, len);
        }
    }

    /// Encodes the part of the state `kind` covers; returns its length.
    ///
    /// The session is not part of the state (the client holds it): it is
    /// `session`, given by `save_session` only (None: nothing to encode).
    /// Its record is postcard of `Option<(&[u8] host, &[u8] endpoint,
    /// &[u8] location, &[u8] auth_code, u16 port, u32 lifetime_s, u8
    /// binding (0 U, 1 UQ), u32 remaining in 1024 ms units, u32
    /// ack_timeout_ms, u8 max_retransmit)>`. The remaining lifetime is
    /// rounded down to 1.024 s (u32 instead of a u64 varint: 365 days fit,
    /// no 64-bit helpers linked).
    fn encode(&self, kind: Kind, session: Option<Option<&Session<'_>>>, out: &mut [u8]) -> Option<usize> {
        let mut e = Encoder::new(out);
        match kind {
            Kind::Server => {
                let c = self.server.as_ref()?;
                e.bytes(&c.host).varint(c.port.into()).bytes(&c.endpoint);
                e.varint(c.lifetime).byte(c.security);
                e.bytes(&c.psk_id).bytes(&c.psk).byte(c.binding);
            }
            Kind::Options => {
                e.bytes(&self.options.values).bytes(&self.options.device_type);
            }
            Kind::Objects => {
                let ids = self.objects.ids();
                e.varint(ids.len() as u32);
                for &id in ids {
                    e.varint(id.into());
                }
            }
            Kind::Session => {
                let session = session?;
                e.byte(session.is_some() as u8);
                if let Some(s) = session {
                    e.bytes(s.host)
                        .bytes(s.endpoint_name)
                        .bytes(s.location)
                        .bytes(s.auth_code);
                    e.varint(s.port.into()).varint(s.lifetime_s).byte(s.binding as u8);
                    let remaining = u32::try_from(s.remaining_ms >> 10).unwrap_or(u32::MAX);
                    e.varint(remaining).varint(s.ack_timeout_ms).byte(s.max_retransmit);
                }
            }
        }
        e.finish()
    }

    /// Decodes one payload of `kind` into the state; false when it does
    /// not decode or does not fit, and then that part is as before (the
    /// objects: back at their defaults, which is what they are before
    /// a record is restored).
    fn decode(&mut self, kind: Kind, payload: &[u8]) -> bool {
        let mut d = Decoder::new(payload);
        match kind {
            Kind::Server => {
                let mut fields = ServerFields {
                    host: &[],
                    port: 0,
                    endpoint: &[],
                    lifetime: 0,
                    security: 0,
                    psk_id: &[],
                    psk: &[],
                    binding: 0,
                };
                read_server(&mut d, &mut fields);
                d.ok() && server::store(&mut self.server, false, &fields).is_some()
            }
            Kind::Options => {
                let values = d.bytes();
                let device_type = d.bytes();
                let o = &mut self.options;
                // Checked first: a record that does not fit changes nothing.
                if !d.ok() || values.len() != o.values.len() || device_type.len() > o.device_type.capacity() {
                    return false;
                }
                crate::bytes::refill(o.device_type.as_mut_view(), device_type);
                o.values.copy_from_slice(values);
                true
            }
            Kind::Objects => {
                // Straight into the table (no copy of a whole table); put
                // back to the defaults when the record does not decode.
                let table = &mut self.objects;
                for _ in 0..d.varint() {
                    if table.push_id(d.u16()).is_none() {
                        d.fail();
                        break;
                    }
                }
                let ok = d.ok() && table.is_well_formed();
                if !ok {
                    *table = ObjectTable::default();
                }
                ok
            }
            // The session stays in NV until a wake-up recovers it.
            Kind::Session => {
                let mut session = None;
                read_session(&mut d, &mut session);
                let saved = session.is_some();
                let ok = d.ok();
                if ok {
                    self.session.saved = saved;
                }
                ok
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{ENDPOINT_MAX, HOST_MAX, PSK_ID_MAX, PSK_MAX, QLA_DEVICE_TYPE_MAX, QLA_MAX_RESOURCES};
    use heapless::Vec;
    use serde::{Deserialize, Serialize};

    /// The record shapes the module docs name, with derived serde: what the
    /// field-by-field encoding must match byte for byte.
    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct ServerShape<'a> {
        host: &'a [u8],
        port: u16,
        endpoint: &'a [u8],
        lifetime: u32,
        security: u8,
        psk_id: &'a [u8],
        psk: &'a [u8],
        binding: u8,
    }

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct OptionsShape<'a> {
        values: &'a [u8],
        device_type: &'a [u8],
    }

    fn encoded(state: &State, kind: Kind) -> std::vec::Vec<u8> {
        let mut buf = [0u8; RECORD_BUF];
        let len = state.encode(kind, None, &mut buf).unwrap();
        buf[..len].to_vec()
    }

    fn derived<T: Serialize + ?Sized>(value: &T) -> std::vec::Vec<u8> {
        let mut buf = [0u8; RECORD_BUF];
        postcard::to_slice(value, &mut buf).unwrap().to_vec()
    }

    /// A state with a server and a device type set (objects are added by
    /// each test).
    fn configured() -> State {
        let mut state = State {
            server: Some(ServerConfig {
                bootstrap: false,
                host: Vec::from_slice(b"198.51.100.7").unwrap(),
                port: 5684,
                endpoint: Vec::from_slice(b"ep").unwrap(),
                lifetime: 86_400,
                security: 0,
                psk_id: Vec::from_slice(b"id").unwrap(),
                psk: Vec::from_slice(&[0x0A, 0x0B]).unwrap(),
                binding: 1,
            }),
            ..State::default()
        };
        state.options.device_type = Vec::from_slice(b"500677").unwrap();
        state
    }

    /// The payloads are postcard: derived impls read and write the same bytes.
    #[test]
    fn payloads_are_postcard_of_the_documented_shapes() {
        let mut state = configured();
        state.objects.add(19, 1, &[0]).unwrap();
        state.objects.add(300, 0, &[5700, 5701]).unwrap();

        let server = ServerShape {
            host: b"198.51.100.7",
            port: 5684,
            endpoint: b"ep",
            lifetime: 86_400,
            security: 0,
            psk_id: b"id",
            psk: &[0x0A, 0x0B],
            binding: 1,
        };
        let bytes = encoded(&state, Kind::Server);
        assert_eq!(bytes, derived(&server));
        assert_eq!(postcard::from_bytes::<ServerShape<'_>>(&bytes).unwrap(), server);

        let options = OptionsShape {
            values: &state.options.values,
            device_type: b"500677",
        };
        assert_eq!(encoded(&state, Kind::Options), derived(&options));

        let ids = [19u16, 1, 1, 0, 300, 0, 2, 5700, 5701];
        assert_eq!(encoded(&state, Kind::Objects), derived(&ids[..]));

        // And what derived impls write decodes into the same state.
        let mut back = State::default();
        assert!(back.decode(Kind::Server, &derived(&server)));
        assert!(back.decode(Kind::Options, &derived(&options)));
        assert!(back.decode(Kind::Objects, &derived(&ids[..])));
        assert_eq!(
            (back.server, back.options, back.objects),
            (state.server, state.options, state.objects)
        );
    }

    /// Every record at its largest encodes into the buffer and decodes back.
    #[test]
    fn largest_records_fit_and_round_trip() {
        let server = Some(ServerConfig {
            bootstrap: false,
            host: Vec::from_slice(&[b'h'; HOST_MAX]).unwrap(),
            port: 65535,
            endpoint: Vec::from_slice(&[b'e'; ENDPOINT_MAX]).unwrap(),
            lifetime: 31_536_000,
            security: 3,
            psk_id: Vec::from_slice(&[b'i'; PSK_ID_MAX]).unwrap(),
            psk: Vec::from_slice(&[0xFF; PSK_MAX]).unwrap(),
            binding: 1,
        });
        let options = Options {
            values: [255; super::super::options::VALUES],
            device_type: Vec::from_slice(&[b'x'; QLA_DEVICE_TYPE_MAX]).unwrap(),
        };
        let mut full = State {
            server,
            options,
            ..State::default()
        };
        let resources = [65535u16; QLA_MAX_RESOURCES];
        for o in 0..crate::config::QLA_MAX_OBJECTS as u16 {
            for i in 0..crate::config::QLA_MAX_INSTANCES as u16 {
                full.objects.add(65535 - o, 65535 - i, &resources).unwrap();
            }
        }
        for kind in [Kind::Server, Kind::Options, Kind::Objects] {
            let mut buf = [0u8; RECORD_BUF];
            let len = full.encode(kind, None, persist::payload_area(&mut buf)).unwrap();
            let mut back = State::default();
            assert!(back.decode(kind, &buf[persist::HEADER..persist::HEADER + len]));
            match kind {
                Kind::Server => assert_eq!(back.server, full.server),
                Kind::Options => assert_eq!(back.options, full.options),
                Kind::Objects => assert_eq!(back.objects, full.objects),
                Kind::Session => unreachable!(),
            }
        }
    }

    /// The session record `save_session` encodes.
    fn encode_session(session: Option<&Session<'_>>, out: &mut [u8]) -> Option<usize> {
        State::default().encode(Kind::Session, Some(session), out)
    }

    /// The session a record holds; None when it does not decode.
    fn decode_session(payload: &[u8]) -> Option<Option<Session<'_>>> {
        let mut d = Decoder::new(payload);
        let mut session = None;
        read_session(&mut d, &mut session);
        d.ok().then_some(session)
    }

    /// The shape `encode_session` documents, with derived serde.
    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct SessionShape<'a>(&'a [u8], &'a [u8], &'a [u8], &'a [u8], u16, u32, u8, u32, u32, u8);

    /// The session record is postcard of the documented shape, fits at its
    /// largest, and gives the session back (the remaining lifetime rounded
    /// down to 1.024 s).
    #[test]
    fn session_record_is_postcard_of_its_shape() {
        use crate::config::AUTHCODE_MAX;
        use crate::lwm2m::LOCATION_MAX;
        let (host, ep) = ([b'h'; HOST_MAX], [b'e'; ENDPOINT_MAX]);
        let (location, auth) = ([b'l'; LOCATION_MAX], [b'a'; AUTHCODE_MAX]);
        let largest = Session {
            host: &host,
            port: 65535,
            endpoint_name: &ep,
            location: &location,
            auth_code: &auth,
            lifetime_s: u32::MAX,
            binding: Binding::UQ,
            remaining_ms: (u32::MAX as u64) << 10,
            ack_timeout_ms: u32::MAX,
            max_retransmit: 255,
        };
        let small = Session {
            host: b"127.0.0.1",
            port: 5683,
            endpoint_name: b"ep",
            location: b"rd/abc",
            auth_code: b"",
            lifetime_s: 300,
            binding: Binding::U,
            remaining_ms: 299_008,
            ack_timeout_ms: 2000,
            max_retransmit: 5,
        };
        for session in [Some(largest), Some(small), None] {
            let mut buf = [0u8; RECORD_BUF];
            let len = encode_session(session.as_ref(), persist::payload_area(&mut buf)).unwrap();
            let bytes = &buf[persist::HEADER..persist::HEADER + len];
            let shape = session.map(|s| {
                SessionShape(
                    s.host,
                    s.endpoint_name,
                    s.location,
                    s.auth_code,
                    s.port,
                    s.lifetime_s,
                    s.binding as u8,
                    (s.remaining_ms >> 10) as u32,
                    s.ack_timeout_ms,
                    s.max_retransmit,
                )
            });
            assert_eq!(bytes, derived(&shape).as_slice());
            assert_eq!(decode_session(bytes), Some(session));
        }
        let mut buf = [0u8; RECORD_BUF];
        let rounded = Session {
            remaining_ms: 299_999,
            ..small
        };
        let len = encode_session(Some(&rounded), &mut buf).unwrap();
        assert_eq!(decode_session(&buf[..len]).unwrap().unwrap().remaining_ms, 299_008);
        assert_eq!(decode_session(&[1, 1, b'h']), None, "cut short");
    }

    /// A record cut short anywhere, or with a field out of its range, does
    /// not decode and leaves the state as it was (what `load` relies on
    /// to fall back to the older slot).
    #[test]
    fn records_cut_short_or_malformed_change_nothing() {
        let mut full = configured();
        full.objects.add(300, 0, &[5700, 5701]).unwrap();
        for kind in [Kind::Server, Kind::Options, Kind::Objects] {
            let bytes = encoded(&full, kind);
            for cut in 0..bytes.len() {
                let mut s = State::default();
                assert!(!s.decode(kind, &bytes[..cut]), "cut at {cut}");
                assert_eq!(
                    (s.server, s.options, s.objects, s.session.saved),
                    (None, Options::default(), ObjectTable::default(), false)
                );
            }
        }
        // The server's strings beyond their capacities: refused.
        let long = [b'h'; HOST_MAX + 1];
        let mut s = State::default();
        assert!(!s.decode(
            Kind::Server,
            &derived(&(&long[..], 1u16, b"ep", 300u32, 3u8, b"", b"", 0u8))
        ));
        assert_eq!(s.server, None);
        // The session: cut short anywhere, or a binding other than 0 and 1.
        let session = Session {
            host: b"127.0.0.1",
            port: 5683,
            endpoint_name: b"ep",
            location: b"rd/abc",
            auth_code: b"",
            lifetime_s: 300,
            binding: Binding::UQ,
            remaining_ms: 299_008,
            ack_timeout_ms: 2000,
            max_retransmit: 5,
        };
        let mut buf = [0u8; RECORD_BUF];
        let len = encode_session(Some(&session), &mut buf).unwrap();
        for cut in 0..len {
            assert_eq!(decode_session(&buf[..cut]), None, "cut at {cut}");
            let mut s = State::default();
            assert!(!s.decode(Kind::Session, &buf[..cut]));
            assert!(!s.session.saved);
        }
        let binding_at = len - 1 - 2 - 2 - 1; // after it: remaining 292, ack 2000, max_retransmit
        assert_eq!(buf[binding_at], 1);
        buf[binding_at] = 2;
        assert_eq!(decode_session(&buf[..len]), None);
        buf[binding_at] = 0;
        assert!(decode_session(&buf[..len]).unwrap().is_some());
    }

    #[test]
    fn records_that_do_not_fit_change_nothing() {
        let mut s = State::default();
        // options: 8 values instead of 9
        assert!(!s.decode(Kind::Options, &[8, 1, 2, 3, 4, 5, 6, 7, 8, 0]));
        // objects: an entry that claims two resources but has one
        assert!(!s.decode(Kind::Objects, &[4, 19, 0, 2, 7]));
        assert_eq!(s.options, Options::default());
        assert_eq!(s.objects, ObjectTable::default());
    }
}
