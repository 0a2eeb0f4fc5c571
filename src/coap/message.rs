//! The CoAP message (RFC 7252 §3): a borrowed [`Repr`] parsed from a
//! datagram, a [`Builder`] that emits one into a caller's buffer, and what
//! to answer when a datagram is malformed (§4.2, §4.3).
//!
//! ```text
//!  0                   1                   2                   3
//! |Ver| T |  TKL  |      Code     |          Message ID           |
//! |   Token (0..8 bytes) ...  |   Options ...  |1 1 1 1 1 1 1 1| Payload ...
//! ```

use nom::bytes::complete::take;
use nom::number::complete::{be_u16, be_u8};
use nom::Parser;

use super::options::{encode_header, encode_uint, split_options, Options};
use super::Error;

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
        let (rest, (first, code, message_id)) = (be_u8::<_, ()>, be_u8, be_u16)
            .parse(datagram)
            .map_err(|_| Error::Truncated)?;
        // RFC 7252 §3: unknown versions are silently ignored.
        if first >> 6 != VERSION {
            return Err(Error::Version);
        }
        // RFC 7252 §3: token lengths 9..15 are reserved (format error).
        let token_len = usize::from(first & 0x0f);
        if token_len > TOKEN_MAX {
            return Err(Error::TokenLength);
        }
        let code = Code(code);
        // RFC 7252 §12.1: classes 1, 6 and 7 are reserved.
        if matches!(code.class(), 1 | 6 | 7) {
            return Err(Error::ReservedClass);
        }
        let (rest, token) = take::<_, _, ()>(token_len)(rest).map_err(|_| Error::Truncated)?;
        let (options, payload) = split_options(rest)?;
        let ty = Type::from_bits(first >> 4);
        // RFC 7252 §4.1: an empty message is exactly the 4-byte header.
        if code == Code::EMPTY && datagram.len() != HEADER_LEN {
            return Err(Error::NotEmpty);
        }
        // RFC 7252 §4.2: an ACK carries a response or nothing; a RST is
        // empty. §4.3: a NON carries a request or response, never nothing.
        let fits = match ty {
            Type::Con => true,
            Type::Non => code != Code::EMPTY,
            Type::Ack => !code.is_request(),
            Type::Rst => code == Code::EMPTY,
        };
        if !fits {
            return Err(Error::TypeCode);
        }
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

/// Writes a message into a caller's buffer: header and token first, then
/// options in ascending number order, then the payload.
#[derive(Debug)]
pub struct Builder<'b> {
    buf: &'b mut [u8],
    len: usize,
    last_option: u16,
}

impl<'b> Builder<'b> {
    /// Starts a message. Errors when the token is longer than 8 bytes or the
    /// buffer cannot hold header and token.
    pub fn new(buf: &'b mut [u8], ty: Type, code: Code, message_id: u16, token: &[u8]) -> Result<Self, Error> {
        if token.len() > TOKEN_MAX {
            return Err(Error::TokenLength);
        }
        let mut b = Builder {
            buf,
            len: 0,
            last_option: 0,
        };
        let [hi, lo] = message_id.to_be_bytes();
        let first = (VERSION << 6) | ((ty as u8) << 4) | token.len() as u8;
        b.put(&[first, code.0, hi, lo])?;
        b.put(token)?;
        Ok(b)
    }

    /// A piggybacked response to `request`: an ACK with its message id and
    /// token (RFC 7252 §5.2.1).
    pub fn piggybacked(buf: &'b mut [u8], request: &Repr<'_>, code: Code) -> Result<Self, Error> {
        Builder::new(buf, Type::Ack, code, request.message_id, request.token)
    }

    fn put(&mut self, bytes: &[u8]) -> Result<(), Error> {
        let end = self.len.checked_add(bytes.len()).ok_or(Error::BufferTooSmall)?;
        let dst = self.buf.get_mut(self.len..end).ok_or(Error::BufferTooSmall)?;
        dst.copy_from_slice(bytes);
        self.len = end;
        Ok(())
    }

    /// Appends option `number` with `value`. Options must come in ascending
    /// order (equal numbers repeat an option); nothing is written on error.
    pub fn option(&mut self, number: u16, value: &[u8]) -> Result<&mut Self, Error> {
        let delta = number.checked_sub(self.last_option).ok_or(Error::OptionOrder)?;
        let len = u16::try_from(value.len()).map_err(|_| Error::BufferTooSmall)?;
        let mut header = [0; 5];
        let n = encode_header(delta, len, &mut header);
        let room = self.buf.len().saturating_sub(self.len);
        if room < n + value.len() {
            return Err(Error::BufferTooSmall);
        }
        self.put(header.get(..n).unwrap_or_default())?;
        self.put(value)?;
        self.last_option = number;
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
    pub fn finish(mut self, payload: &[u8]) -> Result<usize, Error> {
        if !payload.is_empty() {
            let room = self.buf.len().saturating_sub(self.len);
            if room <= payload.len() {
                return Err(Error::BufferTooSmall);
            }
            self.put(&[0xff])?;
            self.put(payload)?;
        }
        // RFC 7252 §4.1: never emit what we would reject ourselves.
        let code = Code(self.buf.get(1).copied().unwrap_or_default());
        if code == Code::EMPTY && self.len != HEADER_LEN {
            return Err(Error::NotEmpty);
        }
        if matches!(code.class(), 1 | 6 | 7) {
            return Err(Error::ReservedClass);
        }
        Ok(self.len)
    }
}
