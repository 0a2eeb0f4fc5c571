//! The CoAP message (RFC 7252 §3): a borrowed [`Repr`] parsed from a
//! datagram, a [`Builder`] that emits one into a caller's buffer, and what
//! to answer when a datagram is malformed (§4.2, §4.3).
//!
//! ```text
//!  0                   1                   2                   3
//! |Ver| T |  TKL  |      Code     |          Message ID           |
//! |   Token (0..8 bytes) ...  |   Options ...  |1 1 1 1 1 1 1 1| Payload ...
//! ```

use super::options::{encode_uint, split_options, Options};
use super::Error;
use crate::at::writer::format_u64;

/// Message type (RFC 7252 §3, §4).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Type {
    /// Confirmable: acknowledged, retransmitted until it is.
    Con = 0,
    /// Non-confirmable.
    Non = 1,
    /// Acknowledgement, possibly carrying a piggybacked response.
    Ack = 2,
    /// Reset: "I cannot process that message".
    Rst = 3,
}

impl Type {
    fn from_bits(bits: u8) -> Type {
        match bits & 3 {
            0 => Type::Con,
            1 => Type::Non,
            2 => Type::Ack,
            _ => Type::Rst,
        }
    }
}

/// A message code `class.detail` (RFC 7252 §3, §12.1), stored as the wire
/// byte `class << 5 | detail`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Code(pub u8);

impl Code {
    /// The code of `class.detail` (`Code::new(2, 5)` is 2.05 Content).
    pub const fn new(class: u8, detail: u8) -> Code {
        Code((class << 5) | (detail & 0x1f))
    }
    /// 0.00: an empty message (ACK, RST, CoAP ping).
    pub const EMPTY: Code = Code::new(0, 0);
    /// 0.01
    pub const GET: Code = Code::new(0, 1);
    /// 0.02
    pub const POST: Code = Code::new(0, 2);
    /// 0.03
    pub const PUT: Code = Code::new(0, 3);
    /// 0.04
    pub const DELETE: Code = Code::new(0, 4);
    /// 2.01
    pub const CREATED: Code = Code::new(2, 1);
    /// 2.02
    pub const DELETED: Code = Code::new(2, 2);
    /// 2.03
    pub const VALID: Code = Code::new(2, 3);
    /// 2.04
    pub const CHANGED: Code = Code::new(2, 4);
    /// 2.05
    pub const CONTENT: Code = Code::new(2, 5);
    /// 2.31 (RFC 7959)
    pub const CONTINUE: Code = Code::new(2, 31);
    /// 4.00
    pub const BAD_REQUEST: Code = Code::new(4, 0);
    /// 4.01
    pub const UNAUTHORIZED: Code = Code::new(4, 1);
    /// 4.02
    pub const BAD_OPTION: Code = Code::new(4, 2);
    /// 4.03
    pub const FORBIDDEN: Code = Code::new(4, 3);
    /// 4.04
    pub const NOT_FOUND: Code = Code::new(4, 4);
    /// 4.05
    pub const METHOD_NOT_ALLOWED: Code = Code::new(4, 5);
    /// 4.06
    pub const NOT_ACCEPTABLE: Code = Code::new(4, 6);
    /// 4.08 (RFC 7959)
    pub const REQUEST_ENTITY_INCOMPLETE: Code = Code::new(4, 8);
    /// 4.13
    pub const REQUEST_ENTITY_TOO_LARGE: Code = Code::new(4, 13);
    /// 4.15
    pub const UNSUPPORTED_CONTENT_FORMAT: Code = Code::new(4, 15);
    /// 5.00
    pub const INTERNAL_SERVER_ERROR: Code = Code::new(5, 0);
    /// 5.01
    pub const NOT_IMPLEMENTED: Code = Code::new(5, 1);
    /// 5.03
    pub const SERVICE_UNAVAILABLE: Code = Code::new(5, 3);

    /// The class (0 request, 2 success, 4 client error, 5 server error).
    pub const fn class(self) -> u8 {
        self.0 >> 5
    }
    /// The detail (0..31).
    pub const fn detail(self) -> u8 {
        self.0 & 0x1f
    }
    /// A request method (0.01..0.31).
    pub const fn is_request(self) -> bool {
        self.class() == 0 && self.0 != 0
    }
    /// A response (classes 2, 3, 4, 5).
    pub const fn is_response(self) -> bool {
        matches!(self.class(), 2..=5)
    }
}

/// The CoAP version this codec speaks (RFC 7252 §3: Ver = 1).
const VERSION: u8 = 1;
/// Bytes of the fixed header.
pub const HEADER_LEN: usize = 4;
/// RFC 7252 §3: the longest token.
pub const TOKEN_MAX: usize = 8;

/// A parsed message, borrowing the datagram.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Repr<'a> {
    /// CON, NON, ACK or RST.
    pub ty: Type,
    /// Method or response code.
    pub code: Code,
    /// Message id (dedup, ACK/RST matching).
    pub message_id: u16,
    /// Token (request/response matching), 0..8 bytes.
    pub token: &'a [u8],
    /// The validated options.
    pub options: Options<'a>,
    /// The payload (empty when no marker).
    pub payload: &'a [u8],
}

impl<'a> Repr<'a> {
    /// Parses one datagram. Every RFC 7252 message format error is an
    /// [`Error`]; [`reply_to_malformed`] says what to answer.
    pub fn parse(datagram: &'a [u8]) -> Result<Repr<'a>, Error> {
        // (Slice patterns, not nom: smaller code and no panic path.)
        let [first, code, hi, lo, ref rest @ ..] = *datagram else {
            return Err(Error::Truncated);
        };
        let message_id = u16::from_be_bytes([hi, lo]);
        // RFC 7252 §3: unknown versions are silently ignored.
        if first >> 6 != VERSION {
            return Err(Error::Version);
        }
        // RFC 7252 §3: token lengths 9..15 are reserved (format error).
        let token_len = usize::from(first & 0x0f);
        if token_len > TOKEN_MAX {
            return Err(Error::TokenLength);
        }
        let (token, rest) = rest.split_at_checked(token_len).ok_or(Error::Truncated)?;
        let (options, payload) = split_options(rest)?;
        let ty = Type::from_bits(first >> 4);
        let code = Code(code);
        check_type_and_code(ty, code, datagram.len())?;
        Ok(Repr {
            ty,
            code,
            message_id,
            token,
            options,
            payload,
        })
    }

    /// Bytes [`Repr::emit`] writes.
    pub fn buffer_len(&self) -> usize {
        let payload = if self.payload.is_empty() {
            0
        } else {
            1 + self.payload.len()
        };
        HEADER_LEN + self.token.len() + self.options.as_bytes().len() + payload
    }

    /// Writes the message into `buf`; returns its length.
    pub fn emit(&self, buf: &mut [u8]) -> Result<usize, Error> {
        let mut b = Builder::new(buf, self.ty, self.code, self.message_id, self.token)?;
        b.put(self.options.as_bytes())?;
        b.finish(self.payload)
    }

    /// An empty CON: a "CoAP ping", answered with a RST (RFC 7252 §4.3).
    pub fn is_ping(&self) -> bool {
        self.ty == Type::Con && self.code == Code::EMPTY
    }
}

/// The rules on type and code, shared by parsing and emitting (we never
/// send what we would reject).
fn check_type_and_code(ty: Type, code: Code, len: usize) -> Result<(), Error> {
    // RFC 7252 §12.1: classes 1, 6 and 7 are reserved.
    if matches!(code.class(), 1 | 6 | 7) {
        return Err(Error::ReservedClass);
    }
    // RFC 7252 §4.1: an empty message is exactly the 4-byte header.
    if code == Code::EMPTY && len != HEADER_LEN {
        return Err(Error::NotEmpty);
    }
    // RFC 7252 §4.2: an ACK carries a response or nothing; a RST is empty.
    // §4.3: a NON carries a request or response, never nothing.
    let fits = match ty {
        Type::Con => true,
        Type::Non => code != Code::EMPTY,
        Type::Ack => !code.is_request(),
        Type::Rst => code == Code::EMPTY,
    };
    if fits {
        Ok(())
    } else {
        Err(Error::TypeCode)
    }
}

/// What RFC 7252 asks for in reply to a datagram that failed to parse.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reply {
    /// Ignore it.
    Drop,
    /// Send an empty RST with this message id ([`emit_empty`]).
    Reset(u16),
}

/// RFC 7252 §4.2: a CON with a format error is rejected with a RST echoing
/// its message id; §4.2/§4.3: a malformed NON, ACK or RST is silently
/// ignored (and ACK/RST are never answered). §3: an unknown version, or a
/// datagram too short to hold a header, is ignored.
pub fn reply_to_malformed(datagram: &[u8], error: Error) -> Reply {
    match datagram {
        [first, _, hi, lo, ..] if error != Error::Version && first >> 4 == (VERSION << 2) | Type::Con as u8 => {
            Reply::Reset(u16::from_be_bytes([*hi, *lo]))
        }
        _ => Reply::Drop,
    }
}

/// Writes an empty message (ACK or RST, RFC 7252 §4.2) with `message_id`.
pub fn emit_empty(buf: &mut [u8], ty: Type, message_id: u16) -> Result<usize, Error> {
    Builder::new(buf, ty, Code::EMPTY, message_id, &[])?.finish(&[])
}

/// `value` in decimal digits, written into the end of `digits`. (Shared by
/// payload text and the client's `lt=` query.)
// Inlined on Cortex-M0 only (out of line there it is +8 B; -18 B on
// Cortex-M3/M4).
#[cfg_attr(not(target_has_atomic = "32"), inline(always))]
pub(crate) fn decimal_digits(value: u32, digits: &mut [u8; 20]) -> &[u8] {
    let n = format_u64(u64::from(value), digits);
    digits.get(digits.len() - n..).unwrap_or_default()
}

/// Writes a message into a caller's buffer without a check per step:
/// running out of room is recorded and reported once, by
/// [`Writer::finish`]. The caller keeps to the rules [`Builder`] checks
/// (token of at most 8 bytes, options in ascending order, a type and code
/// that go together); the client's own messages do by construction.
#[derive(Debug)]
pub(crate) struct Writer<'b> {
    buf: &'b mut [u8],
    len: usize,
    last_option: u16,
    overflow: bool,
}

impl<'b> Writer<'b> {
    /// Header and token.
    pub(crate) fn new(buf: &'b mut [u8], ty: Type, code: Code, message_id: u16, token: &[u8]) -> Self {
        let mut w = Writer {
            buf,
            len: 0,
            last_option: 0,
            overflow: false,
        };
        let [hi, lo] = message_id.to_be_bytes();
        let first = (VERSION << 6) | ((ty as u8) << 4) | (token.len() as u8 & 0x0f);
        w.put(&[first, code.0, hi, lo]);
        w.put(token);
        w
    }

    /// Appends `bytes` whole, or records the overflow.
    pub(crate) fn put(&mut self, bytes: &[u8]) {
        let dst = self
            .buf
            .get_mut(self.len..)
            .and_then(|rest| rest.get_mut(..bytes.len()));
        let Some(dst) = dst else {
            self.overflow = true;
            return;
        };
        // (zip, not copy_from_slice: no length-mismatch panic path)
        for (d, s) in dst.iter_mut().zip(bytes) {
            *d = *s;
        }
        self.len += bytes.len();
    }

    /// Appends option `number` whose value is `head` then `tail` (a query
    /// item `lt=` + digits without a scratch copy).
    pub(crate) fn option(&mut self, number: u16, head: &[u8], tail: &[u8]) {
        let len = head.len() + tail.len();
        if len > usize::from(u16::MAX) {
            self.overflow = true;
        }
        // The option header: the nibbles, then their extensions (RFC 7252
        // §3.1), gathered first and written with one `put`.
        let mut header = [0u8; 5];
        let mut n = 1;
        // The delta, then the length: one loop body for both.
        for v in [number.wrapping_sub(self.last_option), len as u16] {
            let nibble = match v {
                0..13 => v as u8,
                13..269 => {
                    if let Some(b) = header.get_mut(n) {
                        *b = (v - 13) as u8;
                    }
                    n += 1;
                    13
                }
                _ => {
                    if let Some([hi, lo]) = header.get_mut(n..n + 2) {
                        [*hi, *lo] = (v - 269).to_be_bytes();
                    }
                    n += 2;
                    14
                }
            };
            header[0] = (header[0] << 4) | nibble;
        }
        self.last_option = number;
        self.put(header.get(..n).unwrap_or_default());
        self.put(head);
        self.put(tail);
    }

    /// Appends `prefix`, then `value` in decimal digits (payload text
    /// such as links).
    // (Inlined on Cortex-M3/M4 only: smaller there, bigger on Cortex-M0,
    // the target without 32-bit compare-and-swap.)
    #[cfg_attr(target_has_atomic = "32", inline(always))]
    pub(crate) fn decimal(&mut self, prefix: &[u8], value: u16) {
        self.put(prefix);
        let mut digits = [0u8; 20];
        self.put(decimal_digits(u32::from(value), &mut digits));
    }

    /// Appends a uint option in its shortest form (RFC 7252 §3.2: 0 is the
    /// empty value).
    pub(crate) fn uint_option(&mut self, number: u16, value: u32) {
        let (bytes, skip) = encode_uint(value);
        self.option(number, bytes.get(skip..).unwrap_or_default(), &[]);
    }

    /// Appends one option per non-empty `/`-separated segment of `path`
    /// (`b"rd/abc"` as Uri-Path or Location-Path `rd`, `abc`).
    pub(crate) fn path(&mut self, number: u16, path: &[u8]) {
        for segment in path.split(|&b| b == b'/').filter(|s| !s.is_empty()) {
            self.option(number, segment, &[]);
        }
    }

    /// Appends the payload (with its marker, when not empty); the message
    /// length, or `None` when it did not fit.
    pub(crate) fn finish(mut self, payload: &[u8]) -> Option<usize> {
        if !payload.is_empty() {
            self.put(&[0xff]);
            self.put(payload);
        }
        (!self.overflow).then_some(self.len)
    }
}

/// Writes a message into a caller's buffer: header and token first, then
/// options in ascending number order, then the payload. Every step is
/// checked (the public face of [`Writer`]).
#[derive(Debug)]
pub struct Builder<'b> {
    w: Writer<'b>,
}

impl<'b> Builder<'b> {
    /// Starts a message. Errors when the token is longer than 8 bytes or the
    /// buffer cannot hold header and token.
    pub fn new(buf: &'b mut [u8], ty: Type, code: Code, message_id: u16, token: &[u8]) -> Result<Self, Error> {
        if token.len() > TOKEN_MAX {
            return Err(Error::TokenLength);
        }
        let w = Writer::new(buf, ty, code, message_id, token);
        if w.overflow {
            return Err(Error::BufferTooSmall);
        }
        Ok(Builder { w })
    }

    /// A piggybacked response to `request`: an ACK with its message id and
    /// token (RFC 7252 §5.2.1).
    pub fn piggybacked(buf: &'b mut [u8], request: &Repr<'_>, code: Code) -> Result<Self, Error> {
        Builder::new(buf, Type::Ack, code, request.message_id, request.token)
    }

    /// Bytes not written yet.
    fn room(&self) -> usize {
        self.w.buf.len().saturating_sub(self.w.len)
    }

    /// Appends raw bytes (an encoded option region).
    fn put(&mut self, bytes: &[u8]) -> Result<(), Error> {
        self.w.put(bytes);
        if self.w.overflow {
            return Err(Error::BufferTooSmall);
        }
        Ok(())
    }

    /// Appends option `number` with `value`. Options must come in ascending
    /// order (equal numbers repeat an option); nothing is written on error.
    pub fn option(&mut self, number: u16, value: &[u8]) -> Result<&mut Self, Error> {
        self.option_of(number, value, &[])
    }

    /// Appends option `number` whose value is `head` then `tail` (a query
    /// item `lt=` + digits without a scratch copy).
    pub fn option_of(&mut self, number: u16, head: &[u8], tail: &[u8]) -> Result<&mut Self, Error> {
        let delta = number.checked_sub(self.w.last_option).ok_or(Error::OptionOrder)?;
        let len = head.len() + tail.len();
        let ext = |v: usize| usize::from(v >= 13) + usize::from(v >= 269);
        if len > usize::from(u16::MAX) || self.room() < 1 + ext(delta.into()) + ext(len) + len {
            return Err(Error::BufferTooSmall);
        }
        self.w.option(number, head, tail);
        Ok(self)
    }

    /// Appends a uint option in its shortest form (RFC 7252 §3.2: 0 is the
    /// empty value).
    pub fn uint_option(&mut self, number: u16, value: u32) -> Result<&mut Self, Error> {
        let (bytes, skip) = encode_uint(value);
        self.option(number, bytes.get(skip..).unwrap_or_default())
    }

    /// Appends one option per non-empty `/`-separated segment of `path`
    /// (`b"rd/abc"` as Uri-Path or Location-Path `rd`, `abc`).
    pub fn path(&mut self, number: u16, path: &[u8]) -> Result<&mut Self, Error> {
        for segment in path.split(|&b| b == b'/').filter(|s| !s.is_empty()) {
            self.option(number, segment)?;
        }
        Ok(self)
    }

    /// Appends the payload (with its marker, when not empty) and returns the
    /// message length.
    pub fn finish(self, payload: &[u8]) -> Result<usize, Error> {
        if !payload.is_empty() && self.room() <= payload.len() {
            return Err(Error::BufferTooSmall);
        }
        let w = self.w;
        let [first, code, ..] = *w.buf else {
            return Err(Error::BufferTooSmall);
        };
        let len = w.finish(payload).ok_or(Error::BufferTooSmall)?;
        check_type_and_code(Type::from_bits(first >> 4), Code(code), len)?;
        Ok(len)
    }
}

#[cfg(test)]
mod test {
    use super::super::options::number;
    use super::*;

    // RFC 7252 §3 by hand: Ver 1, CON, TKL 4 | 0.01 GET | MID 0x1234 |
    // token de ad be ef | Uri-Path (11) "rd" | Uri-Query (15, delta 4) "ep=x".
    static GET_RD: [u8; 16] = [
        0x44, 0x01, 0x12, 0x34, 0xde, 0xad, 0xbe, 0xef, 0xb2, b'r', b'd', 0x44, b'e', b'p', b'=', b'x',
    ];

    // ACK, TKL 4 | 2.01 Created | MID 0x1234 | token | Location-Path (8)
    // "rd" | Location-Path (delta 0) "abc".
    static CREATED: [u8; 15] = [
        0x64, 0x41, 0x12, 0x34, 0xde, 0xad, 0xbe, 0xef, 0x82, b'r', b'd', 0x03, b'a', b'b', b'c',
    ];

    static EMPTY_ACK: [u8; 4] = [0x60, 0x00, 0x12, 0x34];
    static RST: [u8; 4] = [0x70, 0x00, 0x12, 0x34];

    // CON POST /rd?ep=x&lt=300, Content-Format 40 (link format), payload
    // "</3/0>": options 11, 12 (delta 1), 15 (delta 3), 15 (delta 0).
    static REGISTER: [u8; 30] = [
        0x42, 0x02, 0x00, 0x07, 0x01, 0x02, 0xb2, b'r', b'd', 0x11, 40, 0x34, b'e', b'p', b'=', b'x', 0x06, b'l', b't',
        b'=', b'3', b'0', b'0', 0xff, b'<', b'/', b'3', b'/', b'0', b'>',
    ];
    const REGISTER_LEN: usize = REGISTER.len();

    // NON 2.05 notifications, token 0x01: Observe 0 (empty value), 1 byte
    // 0x05, 3 bytes 0x0a0b0c; then Content-Format 11542 (0x2d16, delta 6).
    static NOTIFY_0: [u8; 9] = [0x51, 0x45, 0x00, 0x01, 0x01, 0x60, 0x62, 0x2d, 0x16];
    static NOTIFY_1: [u8; 7] = [0x51, 0x45, 0x00, 0x02, 0x01, 0x61, 0x05];
    static NOTIFY_3: [u8; 9] = [0x51, 0x45, 0x00, 0x03, 0x01, 0x63, 0x0a, 0x0b, 0x0c];

    // ACK 2.05, no token, Block2 (23, delta 13+10) num 1 M0 SZX 6 = 0x16,
    // Size2 (28, delta 5) 2048 = 0x0800.
    static BLOCK2: [u8; 10] = [0x60, 0x45, 0x00, 0x09, 0xd1, 10, 0x16, 0x52, 0x08, 0x00];

    // Extended encodings in a whole message: Size1 (60, delta 13+47) 1024,
    // option 330 (delta 270 = 14 + 0x0001) empty.
    static EXTENDED: [u8; 11] = [0x40, 0x01, 0x00, 0x00, 0xd2, 47, 0x04, 0x00, 0xe0, 0x00, 0x01];

    #[test]
    fn deconstruct() {
        let repr = Repr::parse(&GET_RD).unwrap();
        assert_eq!(repr.ty, Type::Con);
        assert_eq!(repr.code, Code::GET);
        assert_eq!(repr.message_id, 0x1234);
        assert_eq!(repr.token, &[0xde, 0xad, 0xbe, 0xef]);
        assert_eq!(repr.options.uri_path().collect::<Vec<_>>(), [b"rd"]);
        assert_eq!(repr.options.uri_query().collect::<Vec<_>>(), [b"ep=x"]);
        assert_eq!(repr.payload, b"");
        assert_eq!(repr.buffer_len(), GET_RD.len());
    }

    #[test]
    fn construct() {
        let mut buf = [0u8; 64];
        let mut b = Builder::new(&mut buf, Type::Con, Code::GET, 0x1234, &[0xde, 0xad, 0xbe, 0xef]).unwrap();
        b.path(number::URI_PATH, b"/rd")
            .unwrap()
            .option(number::URI_QUERY, b"ep=x")
            .unwrap();
        let n = b.finish(&[]).unwrap();
        assert_eq!(&buf[..n], &GET_RD[..]);
    }

    #[test]
    fn parse_created_location_path() {
        let repr = Repr::parse(&CREATED).unwrap();
        assert_eq!(
            (repr.ty, repr.code, repr.message_id),
            (Type::Ack, Code::CREATED, 0x1234)
        );
        assert_eq!(repr.options.location_path().collect::<Vec<_>>(), [&b"rd"[..], b"abc"]);
        assert_eq!(repr.options.uri_path().count(), 0);
    }

    #[test]
    fn emit_created_piggybacked() {
        let request = Repr::parse(&GET_RD).unwrap();
        let mut buf = [0u8; 64];
        let mut b = Builder::piggybacked(&mut buf, &request, Code::CREATED).unwrap();
        b.path(number::LOCATION_PATH, b"rd/abc").unwrap();
        let n = b.finish(&[]).unwrap();
        assert_eq!(&buf[..n], &CREATED[..]);
    }

    #[test]
    fn parse_empty_ack_and_rst() {
        let ack = Repr::parse(&EMPTY_ACK).unwrap();
        assert_eq!((ack.ty, ack.code, ack.message_id), (Type::Ack, Code::EMPTY, 0x1234));
        assert!(ack.token.is_empty() && ack.options.iter().next().is_none() && ack.payload.is_empty());
        let rst = Repr::parse(&RST).unwrap();
        assert_eq!((rst.ty, rst.code, rst.message_id), (Type::Rst, Code::EMPTY, 0x1234));
        assert!(!ack.is_ping());
        assert!(Repr::parse(&[0x40, 0x00, 0x12, 0x34]).unwrap().is_ping());
    }

    #[test]
    fn emit_empty_ack_and_rst() {
        let mut buf = [0u8; 4];
        assert_eq!(emit_empty(&mut buf, Type::Ack, 0x1234), Ok(4));
        assert_eq!(buf, EMPTY_ACK);
        assert_eq!(emit_empty(&mut buf, Type::Rst, 0x1234), Ok(4));
        assert_eq!(buf, RST);
        assert_eq!(emit_empty(&mut buf[..3], Type::Rst, 1), Err(Error::BufferTooSmall));
    }

    #[test]
    fn parse_register() {
        let repr = Repr::parse(&REGISTER[..REGISTER_LEN]).unwrap();
        assert_eq!((repr.ty, repr.code, repr.message_id), (Type::Con, Code::POST, 7));
        assert_eq!(repr.token, &[0x01, 0x02]);
        assert_eq!(repr.options.content_format(), Some(40));
        assert_eq!(repr.options.uri_query().collect::<Vec<_>>(), [&b"ep=x"[..], b"lt=300"]);
        assert_eq!(repr.payload, b"</3/0>");
    }

    #[test]
    fn emit_register() {
        let mut buf = [0u8; 64];
        let mut b = Builder::new(&mut buf, Type::Con, Code::POST, 7, &[1, 2]).unwrap();
        b.option(number::URI_PATH, b"rd").unwrap();
        b.uint_option(number::CONTENT_FORMAT, 40).unwrap();
        b.option(number::URI_QUERY, b"ep=x").unwrap();
        b.option(number::URI_QUERY, b"lt=300").unwrap();
        let n = b.finish(b"</3/0>").unwrap();
        assert_eq!(&buf[..n], &REGISTER[..REGISTER_LEN]);
        // Re-emitting the parsed Repr gives the same bytes.
        let mut again = [0u8; 64];
        let repr = Repr::parse(&buf[..n]).unwrap();
        assert_eq!(repr.emit(&mut again), Ok(n));
        assert_eq!(&again[..n], &buf[..n]);
    }

    #[test]
    fn emit_too_small_is_an_error() {
        let mut buf = [0u8; 64];
        for len in 0..REGISTER_LEN {
            let repr = Repr::parse(&REGISTER[..REGISTER_LEN]).unwrap();
            assert_eq!(repr.emit(&mut buf[..len]), Err(Error::BufferTooSmall), "len {len}");
        }
        // The builder refuses an option that does not fit whole.
        let mut small = [0u8; 6];
        let mut b = Builder::new(&mut small, Type::Con, Code::GET, 1, &[]).unwrap();
        assert_eq!(b.option(number::URI_PATH, b"rd").err(), Some(Error::BufferTooSmall));
        assert!(b.option(number::URI_PATH, b"r").is_ok());
        assert_eq!(b.finish(b"x"), Err(Error::BufferTooSmall));
        assert_eq!(small, [0x40, 0x01, 0x00, 0x01, 0xb1, b'r']);
    }

    #[test]
    fn emit_rejects_bad_order_and_token() {
        let mut buf = [0u8; 32];
        let mut b = Builder::new(&mut buf, Type::Con, Code::GET, 1, &[]).unwrap();
        b.option(number::URI_QUERY, b"a").unwrap();
        assert_eq!(b.option(number::URI_PATH, b"x").err(), Some(Error::OptionOrder));
        assert_eq!(
            Builder::new(&mut buf, Type::Con, Code::GET, 1, &[0; 9]).err(),
            Some(Error::TokenLength)
        );
        let b = Builder::new(&mut buf, Type::Ack, Code::EMPTY, 1, &[1]).unwrap();
        assert_eq!(b.finish(&[]), Err(Error::NotEmpty));
        let b = Builder::new(&mut buf, Type::Ack, Code::GET, 1, &[]).unwrap();
        assert_eq!(b.finish(&[]), Err(Error::TypeCode));
        let b = Builder::new(&mut buf, Type::Non, Code::EMPTY, 1, &[]).unwrap();
        assert_eq!(b.finish(&[]), Err(Error::TypeCode));
        let b = Builder::new(&mut buf, Type::Con, Code::new(7, 1), 1, &[]).unwrap();
        assert_eq!(b.finish(&[]), Err(Error::ReservedClass));
    }

    #[test]
    fn parse_observe_values() {
        let n0 = Repr::parse(&NOTIFY_0).unwrap();
        assert_eq!(n0.options.observe(), Some(0));
        assert_eq!(n0.options.content_format(), Some(11542));
        assert_eq!(Repr::parse(&NOTIFY_1).unwrap().options.observe(), Some(5));
        assert_eq!(Repr::parse(&NOTIFY_3).unwrap().options.observe(), Some(0x0a0b0c));
        // Observe is at most 3 bytes (RFC 7641 §2).
        let four = [0x51, 0x45, 0x00, 0x03, 0x01, 0x64, 1, 2, 3, 4];
        let repr = Repr::parse(&four).unwrap();
        assert_eq!(repr.options.observe(), None);
        assert_eq!(repr.options.first(number::OBSERVE), Some(&[1u8, 2, 3, 4][..]));
    }

    #[test]
    fn emit_observe_values() {
        let mut buf = [0u8; 16];
        for (value, bytes) in [(0, &NOTIFY_0[..6]), (5, &NOTIFY_1[..]), (0x0a0b0c, &NOTIFY_3[..])] {
            let mid = u16::from(bytes[3]);
            let mut b = Builder::new(&mut buf, Type::Non, Code::CONTENT, mid, &[1]).unwrap();
            b.uint_option(number::OBSERVE, value).unwrap();
            let n = b.finish(&[]).unwrap();
            assert_eq!(&buf[..n], bytes);
        }
    }

    #[test]
    fn parse_block2() {
        let repr = Repr::parse(&BLOCK2[..]).unwrap();
        assert_eq!(
            repr.options.block2(),
            Some(crate::coap::Block {
                num: 1,
                more: false,
                szx: 6
            })
        );
        assert_eq!(repr.options.block1(), None);
        assert_eq!(repr.options.uint(number::SIZE2), Some(2048));
    }

    #[test]
    fn emit_block2() {
        let mut buf = [0u8; 16];
        let mut b = Builder::new(&mut buf, Type::Ack, Code::CONTENT, 9, &[]).unwrap();
        let block = crate::coap::Block {
            num: 1,
            more: false,
            szx: 6,
        };
        b.uint_option(number::BLOCK2, block.value()).unwrap();
        b.uint_option(number::SIZE2, 2048).unwrap();
        let n = b.finish(&[]).unwrap();
        assert_eq!(&buf[..n], &BLOCK2[..]);
    }

    #[test]
    fn parse_extended_options() {
        let repr = Repr::parse(&EXTENDED).unwrap();
        let all: Vec<_> = repr.options.iter().map(|o| (o.number, o.value)).collect();
        assert_eq!(all, [(60, &[0x04u8, 0x00][..]), (330, &[][..])]);
        assert_eq!(repr.options.uint(number::SIZE1), Some(1024));
    }

    #[test]
    fn emit_extended_options() {
        let mut buf = [0u8; 16];
        let mut b = Builder::new(&mut buf, Type::Con, Code::GET, 0, &[]).unwrap();
        b.uint_option(number::SIZE1, 1024).unwrap().option(330, &[]).unwrap();
        let n = b.finish(&[]).unwrap();
        assert_eq!(&buf[..n], &EXTENDED[..]);
        // Length 13 and 14 encodings: a 13-byte and a 269-byte Uri-Path.
        let mut big = [0u8; 300];
        let mut b = Builder::new(&mut big, Type::Con, Code::GET, 0, &[]).unwrap();
        b.option(number::URI_PATH, &[b'a'; 13]).unwrap();
        b.option(number::URI_PATH, &[b'b'; 269]).unwrap();
        let n = b.finish(&[]).unwrap();
        assert_eq!(&big[4..6], &[0xbd, 0x00]);
        assert_eq!(&big[19..22], &[0x0e, 0x00, 0x00]);
        assert_eq!(n, 4 + 2 + 13 + 3 + 269);
        let repr = Repr::parse(&big[..n]).unwrap();
        let lens: Vec<_> = repr.options.uri_path().map(<[u8]>::len).collect();
        assert_eq!(lens, [13, 269]);
    }

    #[test]
    fn option_header_encoding() {
        let mut buf = [0u8; 7];
        let mut w = Writer::new(&mut buf, Type::Con, Code::GET, 0, &[]);
        w.option(11, b"r", b"d");
        assert_eq!(w.finish(&[]), Some(7));
        assert_eq!(buf[4..], [0xb2, b'r', b'd']);
        let mut big = vec![0u8; 4 + 3 + 268];
        let mut w = Writer::new(&mut big, Type::Con, Code::GET, 0, &[]);
        w.option(13, &[7; 268], &[]);
        assert_eq!(w.finish(&[]), Some(4 + 3 + 268));
        assert_eq!(big[4..7], [0xdd, 0, 255]);
        let mut huge = vec![0u8; 4 + 5 + 65535];
        let mut w = Writer::new(&mut huge, Type::Con, Code::GET, 0, &[]);
        w.option(269, &vec![7; 65535], &[]);
        assert_eq!(w.finish(&[]), Some(huge.len()));
        assert_eq!(huge[4..9], [0xee, 0, 0, 0xfe, 0xf2]);
        // Out of room: reported once, by finish.
        let mut small = [0u8; 6];
        let mut w = Writer::new(&mut small, Type::Con, Code::GET, 0, &[]);
        w.option(11, b"rd", &[]);
        assert_eq!(w.finish(&[]), None);
    }

    #[test]
    fn codes() {
        assert_eq!(Code::CONTENT.0, 0x45);
        assert_eq!((Code::NOT_FOUND.class(), Code::NOT_FOUND.detail()), (4, 4));
        assert!(Code::POST.is_request() && !Code::EMPTY.is_request() && !Code::CREATED.is_request());
        assert!(Code::SERVICE_UNAVAILABLE.is_response() && !Code::GET.is_response());
    }

    /// Every malformed case: the datagram, the error, the reply.
    static MALFORMED: &[(&[u8], Error, Reply)] = &[
        // Too short for a header: nothing to answer to.
        (&[0x40, 0x01, 0x12], Error::Truncated, Reply::Drop),
        (&[], Error::Truncated, Reply::Drop),
        // Version 2 (and 0): silently ignored even when CON (§3).
        (&[0x80, 0x01, 0x12, 0x34], Error::Version, Reply::Drop),
        (&[0x00, 0x01, 0x12, 0x34], Error::Version, Reply::Drop),
        // Token length 9 and 15: a CON gets RST with its MID.
        (
            &[0x49, 0x01, 0x12, 0x34, 1, 2, 3, 4, 5, 6, 7, 8, 9],
            Error::TokenLength,
            Reply::Reset(0x1234),
        ),
        (&[0x4f, 0x01, 0xab, 0xcd], Error::TokenLength, Reply::Reset(0xabcd)),
        (&[0x59, 0x01, 0x12, 0x34], Error::TokenLength, Reply::Drop),
        (&[0x69, 0x45, 0x12, 0x34], Error::TokenLength, Reply::Drop),
        // Token runs past the end.
        (&[0x44, 0x01, 0x12, 0x34, 0xaa], Error::Truncated, Reply::Reset(0x1234)),
        // Option delta 15 / length 15 outside the payload marker.
        (
            &[0x40, 0x01, 0x12, 0x34, 0xf1, 0x00],
            Error::OptionNibble,
            Reply::Reset(0x1234),
        ),
        (
            &[0x40, 0x01, 0x12, 0x34, 0xbf],
            Error::OptionNibble,
            Reply::Reset(0x1234),
        ),
        (&[0x50, 0x01, 0x12, 0x34, 0xbf], Error::OptionNibble, Reply::Drop),
        // Option value running past the end; extended delta missing.
        (
            &[0x40, 0x01, 0x12, 0x34, 0xb5, b'r', b'd'],
            Error::OptionTruncated,
            Reply::Reset(0x1234),
        ),
        (
            &[0x40, 0x01, 0x12, 0x34, 0xd0],
            Error::OptionTruncated,
            Reply::Reset(0x1234),
        ),
        (
            &[0x60, 0x45, 0x12, 0x34, 0xe1, 0x00],
            Error::OptionTruncated,
            Reply::Drop,
        ),
        // Payload marker followed by nothing.
        (
            &[0x40, 0x01, 0x12, 0x34, 0xff],
            Error::EmptyPayloadMarker,
            Reply::Reset(0x1234),
        ),
        (
            &[0x50, 0x02, 0x12, 0x34, 0xb2, b'r', b'd', 0xff],
            Error::EmptyPayloadMarker,
            Reply::Drop,
        ),
        // Reserved classes 1, 6, 7.
        (&[0x40, 0x21, 0x12, 0x34], Error::ReservedClass, Reply::Reset(0x1234)),
        (&[0x40, 0xc0, 0x12, 0x34], Error::ReservedClass, Reply::Reset(0x1234)),
        (&[0x40, 0xff, 0x12, 0x34], Error::ReservedClass, Reply::Reset(0x1234)),
        (&[0x60, 0xc0, 0x12, 0x34], Error::ReservedClass, Reply::Drop),
        (&[0x70, 0x21, 0x12, 0x34], Error::ReservedClass, Reply::Drop),
        // Code 0.00 with a token, options or payload (§4.1).
        (&[0x41, 0x00, 0x12, 0x34, 0xaa], Error::NotEmpty, Reply::Reset(0x1234)),
        (&[0x40, 0x00, 0x12, 0x34, 0x60], Error::NotEmpty, Reply::Reset(0x1234)),
        (&[0x60, 0x00, 0x12, 0x34, 0xff, 0x01], Error::NotEmpty, Reply::Drop),
        (&[0x71, 0x00, 0x12, 0x34, 0xaa], Error::NotEmpty, Reply::Drop),
        // ACK with a request, RST with a code, empty NON (§4.2, §4.3).
        (&[0x60, 0x01, 0x12, 0x34], Error::TypeCode, Reply::Drop),
        (&[0x70, 0x45, 0x12, 0x34], Error::TypeCode, Reply::Drop),
        (&[0x50, 0x00, 0x12, 0x34], Error::TypeCode, Reply::Drop),
    ];

    #[test]
    fn parse_malformed() {
        for &(datagram, error, reply) in MALFORMED {
            assert_eq!(Repr::parse(datagram), Err(error), "{datagram:02x?}");
            assert_eq!(reply_to_malformed(datagram, error), reply, "{datagram:02x?}");
        }
    }

    #[test]
    fn parse_every_prefix_without_panic() {
        for len in 0..REGISTER_LEN {
            let prefix = &REGISTER[..len];
            if let Err(e) = Repr::parse(prefix) {
                // A cut header is dropped, anything later is a CON: RST.
                let expected = if len < HEADER_LEN { Reply::Drop } else { Reply::Reset(7) };
                assert_eq!(reply_to_malformed(prefix, e), expected, "len {len}");
            }
        }
    }
}
