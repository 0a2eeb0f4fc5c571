//! CoAP options (RFC 7252 §3.1, §5.4, §5.10): the delta/length encoding, a
//! borrowed view over a validated option region, and decoders for the
//! options LwM2M reads (paths, queries, uint options, Observe, Block1/2).

use super::Error;

/// Option numbers (RFC 7252 §12.2, RFC 7641 §7, RFC 7959 §7).
pub mod number {
    /// If-Match
    pub const IF_MATCH: u16 = 1;
    /// Uri-Host
    pub const URI_HOST: u16 = 3;
    /// ETag
    pub const ETAG: u16 = 4;
    /// If-None-Match
    pub const IF_NONE_MATCH: u16 = 5;
    /// Observe (RFC 7641), 0..3 bytes
    pub const OBSERVE: u16 = 6;
    /// Uri-Port
    pub const URI_PORT: u16 = 7;
    /// Location-Path, one per segment
    pub const LOCATION_PATH: u16 = 8;
    /// Uri-Path, one per segment
    pub const URI_PATH: u16 = 11;
    /// Content-Format, 0..2 bytes
    pub const CONTENT_FORMAT: u16 = 12;
    /// Max-Age
    pub const MAX_AGE: u16 = 14;
    /// Uri-Query, one per `key=value`
    pub const URI_QUERY: u16 = 15;
    /// Accept, 0..2 bytes
    pub const ACCEPT: u16 = 17;
    /// Location-Query
    pub const LOCATION_QUERY: u16 = 20;
    /// Block2 (RFC 7959), 0..3 bytes
    pub const BLOCK2: u16 = 23;
    /// Block1 (RFC 7959), 0..3 bytes
    pub const BLOCK1: u16 = 27;
    /// Size2 (RFC 7959)
    pub const SIZE2: u16 = 28;
    /// Proxy-Uri
    pub const PROXY_URI: u16 = 35;
    /// Proxy-Scheme
    pub const PROXY_SCHEME: u16 = 39;
    /// Size1
    pub const SIZE1: u16 = 60;
}

/// RFC 7252 §5.4.1: odd option numbers are critical (an unknown one must be
/// rejected with 4.02 in a request, or the response rejected).
pub const fn is_critical(number: u16) -> bool {
    number & 1 == 1
}

/// One option as it appears in a message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CoapOption<'a> {
    /// The option number (deltas already summed).
    pub number: u16,
    /// The raw value bytes.
    pub value: &'a [u8],
}

/// RFC 7252 §3.1: a delta or length nibble 0..12 is the value itself, 13 adds
/// one byte (+13), 14 adds two bytes (+269), 15 is reserved (the payload
/// marker when both nibbles are 15, a format error otherwise).
/// (Slice patterns, not nom: smaller code and no panic path.)
// Inlined into next_option on Cortex-M0 only (measured -40 B there, +114 B
// on Cortex-M3/M4). thumbv6m is the one target without compare-and-swap
// atomics; there is no cfg naming the architecture version.
#[cfg_attr(not(target_has_atomic = "32"), inline(always))]
fn extended(nibble: u8, input: &[u8]) -> Result<(u32, &[u8]), Error> {
    match (nibble, input) {
        (0..=12, _) => Ok((u32::from(nibble), input)),
        (13, [b, rest @ ..]) => Ok((u32::from(*b) + 13, rest)),
        (14, [hi, lo, rest @ ..]) => Ok((u32::from(u16::from_be_bytes([*hi, *lo])) + 269, rest)),
        (15.., _) => Err(Error::OptionNibble),
        _ => Err(Error::OptionTruncated),
    }
}

/// Parses the option that starts `input` (not empty, not the payload
/// marker), following the option numbered `previous`. Returns the rest.
fn next_option(input: &[u8], previous: u16) -> Result<(&[u8], CoapOption<'_>), Error> {
    let [byte, rest @ ..] = input else {
        return Err(Error::OptionTruncated);
    };
    let (delta, rest) = extended(byte >> 4, rest)?;
    let (len, rest) = extended(byte & 0x0f, rest)?;
    let (value, rest) = rest.split_at_checked(len as usize).ok_or(Error::OptionTruncated)?;
    let number = u16::try_from(u32::from(previous) + delta).map_err(|_| Error::OptionNumber)?;
    Ok((rest, CoapOption { number, value }))
}

/// Splits what follows the token into the option region and the payload,
/// validating every option on the way.
pub(crate) fn split_options(input: &[u8]) -> Result<(Options<'_>, &[u8]), Error> {
    let mut rest = input;
    let mut previous = 0;
    loop {
        match rest {
            [] => return Ok((Options { raw: input }, &[])),
            // RFC 7252 §3: a marker followed by a zero-length payload is a
            // message format error.
            [0xff] => return Err(Error::EmptyPayloadMarker),
            [0xff, payload @ ..] => {
                let consumed = input.len() - rest.len();
                let raw = input.get(..consumed).unwrap_or_default();
                return Ok((Options { raw }, payload));
            }
            _ => {
                let (after, option) = next_option(rest, previous)?;
                previous = option.number;
                rest = after;
            }
        }
    }
}

/// The options of a parsed message: a validated slice of the datagram,
/// iterated on demand, never copied.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Options<'a> {
    raw: &'a [u8],
}

impl<'a> Options<'a> {
    /// The encoded option bytes (between the token and the payload marker).
    pub fn as_bytes(&self) -> &'a [u8] {
        self.raw
    }

    /// All options in message order.
    pub fn iter(&self) -> OptionIter<'a> {
        OptionIter {
            rest: self.raw,
            previous: 0,
        }
    }

    /// The values of every occurrence of option `number`, in order.
    pub fn values(&self, number: u16) -> Values<'a> {
        Values {
            iter: self.iter(),
            number,
        }
    }

    /// The first value of option `number`.
    pub fn first(&self, number: u16) -> Option<&'a [u8]> {
        self.values(number).next()
    }

    /// Uri-Path segments (`/rd/abc` -> `rd`, `abc`).
    pub fn uri_path(&self) -> Values<'a> {
        self.values(number::URI_PATH)
    }

    /// Uri-Query items (`ep=x`, `lt=300`, ...).
    pub fn uri_query(&self) -> Values<'a> {
        self.values(number::URI_QUERY)
    }

    /// Location-Path segments of a 2.01 Created (`rd`, `abc`).
    pub fn location_path(&self) -> Values<'a> {
        self.values(number::LOCATION_PATH)
    }

    /// The first value of uint option `number`, decoded. `None` when absent
    /// or longer than 4 bytes (RFC 7252 §5.4.3: a value of the wrong length
    /// is treated like an unrecognized option; callers check `first()` to
    /// tell the two apart when the option is critical).
    pub fn uint(&self, number: u16) -> Option<u32> {
        self.uint_within(number, 4)
    }

    /// Content-Format (0..2 bytes).
    // (Always inlined: measured smaller at its callers.)
    #[inline(always)]
    pub fn content_format(&self) -> Option<u16> {
        self.uint_u16(number::CONTENT_FORMAT)
    }

    /// Accept (0..2 bytes).
    pub fn accept(&self) -> Option<u16> {
        self.uint_u16(number::ACCEPT)
    }

    /// Observe (RFC 7641 §2: 0..3 bytes): 0 registers, 1 deregisters; in a
    /// notification, the sequence number.
    pub fn observe(&self) -> Option<u32> {
        self.uint_within(number::OBSERVE, 3)
    }

    /// Block1 (request payload blocks).
    pub fn block1(&self) -> Option<Block> {
        self.block(number::BLOCK1)
    }

    /// Block2 (response payload blocks).
    pub fn block2(&self) -> Option<Block> {
        self.block(number::BLOCK2)
    }

    /// The first critical option not in `known` (RFC 7252 §5.4.1: a
    /// request carrying one is answered 4.02 Bad Option; a response
    /// carrying one is rejected).
    // Inlined into its one caller on Cortex-M0 only (-4 B there, measured).
    #[cfg_attr(not(target_has_atomic = "32"), inline(always))]
    pub fn unknown_critical(&self, known: &[u16]) -> Option<u16> {
        self.iter()
            .map(|o| o.number)
            .find(|&n| is_critical(n) && !known.contains(&n))
    }

    // Inlined on Cortex-M0 only (-8 B there, +4 B on Cortex-M3/M4).
    #[cfg_attr(not(target_has_atomic = "32"), inline(always))]
    fn uint_u16(&self, number: u16) -> Option<u16> {
        // (Two bytes at most: the value fits.)
        self.uint_within(number, 2).map(|v| v as u16)
    }

    /// The first value of uint option `number`, decoded when at most
    /// `max_len` bytes long. (One body for the option readers.)
    fn uint_within(&self, number: u16, max_len: usize) -> Option<u32> {
        self.first(number).and_then(|v| decode_uint(v, max_len))
    }

    fn block(&self, number: u16) -> Option<Block> {
        self.first(number)
            .and_then(|v| decode_uint(v, 3))
            .and_then(Block::from_value)
    }
}

impl<'a> IntoIterator for &Options<'a> {
    type Item = CoapOption<'a>;
    type IntoIter = OptionIter<'a>;
    fn into_iter(self) -> OptionIter<'a> {
        self.iter()
    }
}

/// Iterator over the options of a message.
#[derive(Clone, Debug)]
pub struct OptionIter<'a> {
    rest: &'a [u8],
    previous: u16,
}

impl<'a> Iterator for OptionIter<'a> {
    type Item = CoapOption<'a>;

    fn next(&mut self) -> Option<CoapOption<'a>> {
        if self.rest.is_empty() {
            return None;
        }
        // The region was validated when the message was parsed; an error
        // here cannot happen, and ends the iteration rather than panicking.
        let (rest, option) = next_option(self.rest, self.previous).ok()?;
        self.rest = rest;
        self.previous = option.number;
        Some(option)
    }
}

/// The values of one repeatable option (path segments, query items).
#[derive(Clone, Debug)]
pub struct Values<'a> {
    iter: OptionIter<'a>,
    number: u16,
}

impl<'a> Iterator for Values<'a> {
    type Item = &'a [u8];

    fn next(&mut self) -> Option<&'a [u8]> {
        for option in self.iter.by_ref() {
            if option.number == self.number {
                return Some(option.value);
            }
            // Options are sorted: once past the number, none follow.
            if option.number > self.number {
                break;
            }
        }
        None
    }
}

/// RFC 7252 §3.2: a uint is big-endian without leading zero bytes (0 is the
/// empty value). `max_len` is the option's longest allowed value; a longer
/// value yields `None`. Leading zeros are accepted, as the RFC asks.
pub fn decode_uint(value: &[u8], max_len: usize) -> Option<u32> {
    if value.len() > max_len || value.len() > 4 {
        return None;
    }
    Some(value.iter().fold(0, |acc, &b| (acc << 8) | u32::from(b)))
}

/// `value` as a minimal-length uint (RFC 7252 §3.2): returns the buffer and
/// how many leading bytes to skip.
pub(crate) fn encode_uint(value: u32) -> ([u8; 4], usize) {
    (value.to_be_bytes(), (value.leading_zeros() / 8) as usize)
}

/// A Block1/Block2 value (RFC 7959 §2.2): block number, more flag, size
/// exponent (block size = 2^(szx + 4), 16..1024 bytes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Block {
    /// Block number (20 bits).
    pub num: u32,
    /// More blocks follow.
    pub more: bool,
    /// Size exponent 0..=6.
    pub szx: u8,
}

impl Block {
    /// Decodes the option's uint value. SZX 7 is reserved (RFC 7959 §2.2).
    pub fn from_value(value: u32) -> Option<Block> {
        let szx = (value & 0x7) as u8;
        (szx != 7).then_some(Block {
            num: value >> 4,
            more: value & 0x8 != 0,
            szx,
        })
    }

    /// The option's uint value (encode with `Builder::uint_option`).
    pub fn value(self) -> u32 {
        (self.num << 4) | (u32::from(self.more) << 3) | u32::from(self.szx & 0x7)
    }

    /// Block size in bytes.
    pub fn size(self) -> usize {
        16 << self.szx
    }

    /// Block2 on the server side (RFC 7959 §2.4): the part of `body` this
    /// block asks for, and the Block2 to send with it (`more` set when
    /// bytes follow). A block size above `max_szx` is lowered to it, keeping
    /// the same starting byte (the block number grows). `None` when the
    /// block starts past the end (our choice: answer 4.02 Bad Option).
    pub fn slice(self, body: &[u8], max_szx: u8) -> Option<(&[u8], Block)> {
        let szx = self.szx.min(max_szx).min(6);
        let num = self.num << (self.szx - szx);
        let size = 16usize << szx;
        let start = usize::try_from(num).ok()?.checked_mul(size)?;
        if start > body.len() || (start == body.len() && start != 0) {
            return None;
        }
        let end = start.saturating_add(size).min(body.len());
        let part = body.get(start..end)?;
        let more = end < body.len();
        Some((part, Block { num, more, szx }))
    }
}

#[cfg(test)]
mod test {
    use super::*;

    fn parse_all(raw: &[u8]) -> Result<(Options<'_>, &[u8]), Error> {
        split_options(raw)
    }

    // Uri-Path "rd" (delta 11, len 2), Uri-Query "ep=x" (delta 4, len 4),
    // marker, payload "p".
    static PATH_QUERY: [u8; 11] = [0xb2, b'r', b'd', 0x44, b'e', b'p', b'=', b'x', 0xff, b'p', b'q'];

    #[test]
    fn parse_path_and_query() {
        let (options, payload) = parse_all(&PATH_QUERY).unwrap();
        assert_eq!(payload, b"pq");
        assert_eq!(options.as_bytes(), &PATH_QUERY[..8]);
        assert_eq!(options.uri_path().collect::<Vec<_>>(), [b"rd"]);
        assert_eq!(options.uri_query().collect::<Vec<_>>(), [b"ep=x"]);
        assert_eq!(options.location_path().count(), 0);
    }

    // Delta 13 + ext byte 47 = option 60 (Size1), len 1.
    static DELTA_13: [u8; 3] = [0xd1, 47, 0x10];
    // Delta 14 + ext 0x0000 = option 269, len 0.
    static DELTA_14: [u8; 3] = [0xe0, 0x00, 0x00];

    #[test]
    fn parse_extended_delta() {
        let (o, _) = parse_all(&DELTA_13).unwrap();
        assert_eq!(
            o.iter().collect::<Vec<_>>(),
            [CoapOption {
                number: 60,
                value: &[0x10]
            }]
        );
        assert_eq!(o.uint(number::SIZE1), Some(16));
        let (o, _) = parse_all(&DELTA_14).unwrap();
        assert_eq!(
            o.iter().collect::<Vec<_>>(),
            [CoapOption {
                number: 269,
                value: &[]
            }]
        );
    }

    #[test]
    fn parse_extended_length() {
        // Uri-Path, length nibble 13 + 0 = 13 bytes.
        let mut l13 = vec![0xbd, 0x00];
        l13.extend_from_slice(b"abcdefghijklm");
        let (o, _) = parse_all(&l13).unwrap();
        assert_eq!(o.first(number::URI_PATH), Some(&b"abcdefghijklm"[..]));
        // Length nibble 14 + 0x0001 = 270 bytes.
        let mut l14 = vec![0xbe, 0x00, 0x01];
        l14.extend(core::iter::repeat_n(b'z', 270));
        let (o, _) = parse_all(&l14).unwrap();
        assert_eq!(o.first(number::URI_PATH).map(<[u8]>::len), Some(270));
        // One byte short.
        assert_eq!(parse_all(&l14[..l14.len() - 1]), Err(Error::OptionTruncated));
    }

    #[test]
    fn parse_option_errors() {
        assert_eq!(parse_all(&[0xf1, 0x00]), Err(Error::OptionNibble));
        assert_eq!(parse_all(&[0x1f]), Err(Error::OptionNibble));
        assert_eq!(parse_all(&[0xb2, b'r']), Err(Error::OptionTruncated));
        assert_eq!(parse_all(&[0xd0]), Err(Error::OptionTruncated));
        assert_eq!(parse_all(&[0xe0, 0x01]), Err(Error::OptionTruncated));
        assert_eq!(parse_all(&[0xb0, 0xff]), Err(Error::EmptyPayloadMarker));
        // 269 + 0xffff overflows the 16-bit option number.
        assert_eq!(parse_all(&[0xe0, 0xff, 0xff]), Err(Error::OptionNumber));
    }

    #[test]
    fn unknown_critical_options() {
        // Uri-Path (11), Uri-Query (15), option 63 (delta 48 = 13 + 35).
        static OPTIONS: [u8; 7] = [0xb1, b'a', 0x41, b'q', 0xd1, 35, b'x'];
        let (o, _) = parse_all(&OPTIONS).unwrap();
        assert_eq!(o.unknown_critical(&[number::URI_PATH, number::URI_QUERY]), Some(63));
        assert_eq!(o.unknown_critical(&[number::URI_PATH, number::URI_QUERY, 63]), None);
        assert_eq!(o.unknown_critical(&[]), Some(number::URI_PATH));
        // Elective options (even numbers) never count.
        let (o, _) = parse_all(&[0x60, 0xc0]).unwrap();
        assert_eq!(o.unknown_critical(&[]), None);
    }

    #[test]
    fn uint_values() {
        assert_eq!(decode_uint(&[], 4), Some(0));
        assert_eq!(decode_uint(&[0x01, 0x00], 2), Some(256));
        assert_eq!(decode_uint(&[1, 2, 3], 2), None);
        assert_eq!(decode_uint(&[1, 2, 3, 4, 5], 8), None);
        assert_eq!(encode_uint(0), ([0; 4], 4));
        assert_eq!(encode_uint(0x1234), ([0, 0, 0x12, 0x34], 2));
    }

    #[test]
    fn block_values() {
        // RFC 7959 §2.2: num 2, M=1, SZX 6 (1024 B) = 0x2e.
        let b = Block::from_value(0x2e).unwrap();
        assert_eq!(
            b,
            Block {
                num: 2,
                more: true,
                szx: 6
            }
        );
        assert_eq!(b.size(), 1024);
        assert_eq!(b.value(), 0x2e);
        assert_eq!(Block::from_value(0x07), None);
    }

    #[test]
    fn block_slices() {
        let body: Vec<u8> = (0..40).collect();
        let first = Block::from_value(0x00).unwrap(); // num 0, 16 B
        let (part, b) = first.slice(&body, 6).unwrap();
        assert_eq!((part, b.value()), (&body[..16], 0x08));
        let (part, b) = Block {
            num: 2,
            more: false,
            szx: 0,
        }
        .slice(&body, 6)
        .unwrap();
        assert_eq!((part, b.value()), (&body[32..], 0x20));
        assert_eq!(
            Block {
                num: 3,
                more: false,
                szx: 0
            }
            .slice(&body, 6),
            None
        );
        // 64-byte blocks asked, 32 allowed: block 0 becomes block 0 of 32.
        let (part, b) = Block {
            num: 0,
            more: false,
            szx: 2,
        }
        .slice(&body, 1)
        .unwrap();
        assert_eq!(
            (part.len(), b),
            (
                32,
                Block {
                    num: 0,
                    more: true,
                    szx: 1
                }
            )
        );
        // An empty body is one empty block.
        assert_eq!(
            first.slice(&[], 6),
            Some((
                &[][..],
                Block {
                    num: 0,
                    more: false,
                    szx: 0
                }
            ))
        );
    }
}
