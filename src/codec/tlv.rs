//! OMA LwM2M TLV (application/vnd.oma.lwm2m+tlv, Content-Format 11542;
//! LwM2M 1.0 TS §6.4.3).
//!
//! Type byte: bits 7-6 identifier kind, bit 5 identifier width (0: 8 bits,
//! 1: 16 bits), bits 4-3 length width (0: length in bits 2-0, 1..3: 8, 16,
//! 24-bit length field), bits 2-0 the short length.

use super::Error;

/// Content-Format number of TLV.
pub const CONTENT_FORMAT: u16 = 11542;

/// What a record's identifier names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// 00: an object instance, its value a sequence of resource records.
    ObjectInstance,
    /// 01: one instance of a multiple resource.
    ResourceInstance,
    /// 10: a multiple resource, its value a sequence of resource instances.
    MultipleResource,
    /// 11: a single resource with its value.
    Resource,
}

impl Kind {
    const fn bits(self) -> u8 {
        match self {
            Kind::ObjectInstance => 0b00,
            Kind::ResourceInstance => 0b01,
            Kind::MultipleResource => 0b10,
            Kind::Resource => 0b11,
        }
    }
}

/// One TLV record borrowing its value from the input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Record<'a> {
    /// What `id` identifies.
    pub kind: Kind,
    /// Instance, resource or resource-instance id.
    pub id: u16,
    /// The value: raw bytes, or nested records for the container kinds.
    pub value: &'a [u8],
}

/// A big-endian unsigned number of 0..3 bytes.
fn be(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0, |acc, &b| (acc << 8) | u32::from(b))
}

/// Splits one record off the front of `input`. (Slice patterns and
/// split_at_checked, not nom: smaller code and no panic path.)
fn record(input: &[u8]) -> Option<(Record<'_>, &[u8])> {
    let (&type_byte, rest) = input.split_first()?;
    let kind = match type_byte >> 6 {
        0b00 => Kind::ObjectInstance,
        0b01 => Kind::ResourceInstance,
        0b10 => Kind::MultipleResource,
        _ => Kind::Resource,
    };
    let id_len = if type_byte & 0x20 != 0 { 2 } else { 1 };
    let (id, rest) = rest.split_at_checked(id_len)?;
    let len_len = usize::from((type_byte >> 3) & 0b11);
    let (len, rest) = rest.split_at_checked(len_len)?;
    let len = if len_len == 0 {
        u32::from(type_byte & 0b111)
    } else {
        be(len)
    };
    let (value, rest) = rest.split_at_checked(len as usize)?;
    Some((
        Record {
            kind,
            id: be(id) as u16,
            value,
        },
        rest,
    ))
}

impl<'a> Record<'a> {
    /// Parses one record from the front of `input`; returns it and the rest.
    pub fn parse(input: &'a [u8]) -> Result<(Record<'a>, &'a [u8]), Error> {
        record(input).ok_or(Error::Truncated)
    }

    /// Bytes this record takes when emitted.
    pub fn buffer_len(&self) -> usize {
        header_len(self.id, self.value.len()) + self.value.len()
    }

    /// Writes the record to the front of `out`; returns the bytes written.
    pub fn emit(&self, out: &mut [u8]) -> Result<usize, Error> {
        let n = emit_header(self.kind, self.id, self.value.len(), out)?;
        let end = n + self.value.len();
        out.get_mut(n..end).ok_or(Error::NoSpace)?.copy_from_slice(self.value);
        Ok(end)
    }

    /// The nested records of a container (object instance, multiple resource).
    pub fn children(&self) -> Records<'a> {
        Records::new(self.value)
    }

    /// The value as a TLV integer (1, 2, 4 or 8 bytes, big-endian, signed).
    pub fn as_int(&self) -> Result<i64, Error> {
        decode_int(self.value)
    }

    /// The value as a TLV boolean (one byte, 0 or 1).
    pub fn as_bool(&self) -> Result<bool, Error> {
        match self.value {
            [0] => Ok(false),
            [1] => Ok(true),
            _ => Err(Error::BadValue),
        }
    }
}

/// Iterates the records of a TLV payload; a malformed tail yields one error
/// and ends the iteration.
#[derive(Clone, Debug)]
pub struct Records<'a> {
    rest: &'a [u8],
}

impl<'a> Records<'a> {
    /// Records of `payload`.
    pub fn new(payload: &'a [u8]) -> Self {
        Records { rest: payload }
    }
}

impl<'a> Iterator for Records<'a> {
    type Item = Result<Record<'a>, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.rest.is_empty() {
            return None;
        }
        match Record::parse(self.rest) {
            Ok((r, rest)) => {
                self.rest = rest;
                Some(Ok(r))
            }
            Err(e) => {
                self.rest = &[];
                Some(Err(e))
            }
        }
    }
}

/// Header bytes for a record with this id and value length.
pub fn header_len(id: u16, len: usize) -> usize {
    let id_len = if id > 0xFF { 2 } else { 1 };
    let len_len = match len {
        0..=7 => 0,
        8..=0xFF => 1,
        0x100..=0xFFFF => 2,
        _ => 3,
    };
    1 + id_len + len_len
}

/// Writes a record header (the value follows); returns its length. Values of
/// 16 MiB or more cannot be expressed.
pub fn emit_header(kind: Kind, id: u16, len: usize, out: &mut [u8]) -> Result<usize, Error> {
    if len > 0xFF_FFFF {
        return Err(Error::BadValue);
    }
    let n = header_len(id, len);
    let out = out.get_mut(..n).ok_or(Error::NoSpace)?;
    let wide_id = id > 0xFF;
    let len_bytes = n - 1 - if wide_id { 2 } else { 1 };
    let mut type_byte = kind.bits() << 6 | (len_bytes as u8) << 3;
    if wide_id {
        type_byte |= 0x20;
    }
    if len_bytes == 0 {
        type_byte |= len as u8;
    }
    out[0] = type_byte;
    let mut i = 1;
    if wide_id {
        out[1..3].copy_from_slice(&id.to_be_bytes());
        i = 3;
    } else {
        out[1] = id as u8;
        i += 1;
    }
    let len_be = (len as u32).to_be_bytes();
    out[i..].copy_from_slice(&len_be[4 - len_bytes..]);
    Ok(n)
}

/// Decodes a TLV integer: 1, 2, 4 or 8 bytes, big-endian two's complement.
pub fn decode_int(value: &[u8]) -> Result<i64, Error> {
    Ok(match *value {
        [a] => a as i8 as i64,
        [a, b] => i16::from_be_bytes([a, b]) as i64,
        [a, b, c, d] => i32::from_be_bytes([a, b, c, d]) as i64,
        [a, b, c, d, e, f, g, h] => i64::from_be_bytes([a, b, c, d, e, f, g, h]),
        _ => return Err(Error::BadValue),
    })
}

/// Encodes `v` in the shortest TLV integer width (1, 2, 4 or 8 bytes) into
/// `out`; returns the used tail of `out`.
pub fn encode_int(v: i64, out: &mut [u8; 8]) -> &[u8] {
    *out = v.to_be_bytes();
    let width = if i8::try_from(v).is_ok() {
        1
    } else if i16::try_from(v).is_ok() {
        2
    } else if i32::try_from(v).is_ok() {
        4
    } else {
        8
    };
    &out[8 - width..]
}

/// Decodes a TLV float: 4 or 8 bytes IEEE 754 big-endian.
pub fn decode_float(value: &[u8]) -> Result<f64, Error> {
    Ok(match *value {
        [a, b, c, d] => f32::from_be_bytes([a, b, c, d]) as f64,
        [a, b, c, d, e, f, g, h] => f64::from_be_bytes([a, b, c, d, e, f, g, h]),
        _ => return Err(Error::BadValue),
    })
}

/// Encodes `v` as 4 bytes when an f32 holds it exactly, else 8.
pub fn encode_float(v: f64, out: &mut [u8; 8]) -> &[u8] {
    let narrow = v as f32;
    if narrow as f64 == v || v.is_nan() {
        out[4..].copy_from_slice(&narrow.to_be_bytes());
        &out[4..]
    } else {
        *out = v.to_be_bytes();
        &out[..]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // An object instance 0 holding resource 0 = "coap://127.0.0.1:5683" and
    // resource 1 = false, as a bootstrap server writes /0/0 (hand-assembled:
    // 0x08 = object instance, 8-bit id, 8-bit length).
    static SECURITY_INSTANCE: [u8; 30] = [
        0x08, 0x00, 27, // object instance 0, 27 bytes
        0xC8, 0x00, 21, b'c', b'o', b'a', b'p', b':', b'/', b'/', b'1', b'2', b'7', b'.', b'0', b'.', b'0', b'.', b'1',
        b':', b'5', b'6', b'8', b'3', // resource 0, 21 bytes
        0xC1, 0x01, 0x00, // resource 1, 1 byte: false
    ];

    #[test]
    fn deconstruct() {
        let (outer, rest) = Record::parse(&SECURITY_INSTANCE).unwrap();
        assert!(rest.is_empty());
        assert_eq!(outer.kind, Kind::ObjectInstance);
        assert_eq!(outer.id, 0);
        let children: Vec<_> = outer.children().collect::<Result<_, _>>().unwrap();
        assert_eq!(children.len(), 2);
        assert_eq!(children[0].kind, Kind::Resource);
        assert_eq!(children[0].value, b"coap://127.0.0.1:5683");
        assert_eq!(children[1].id, 1);
        assert_eq!(children[1].as_bool(), Ok(false));
    }

    #[test]
    fn construct() {
        let mut inner = [0u8; 27];
        let n = Record {
            kind: Kind::Resource,
            id: 0,
            value: b"coap://127.0.0.1:5683",
        }
        .emit(&mut inner)
        .unwrap();
        let m = Record {
            kind: Kind::Resource,
            id: 1,
            value: &[0],
        }
        .emit(&mut inner[n..])
        .unwrap();
        assert_eq!(n + m, 27);
        let mut out = [0u8; 30];
        let len = Record {
            kind: Kind::ObjectInstance,
            id: 0,
            value: &inner,
        }
        .emit(&mut out)
        .unwrap();
        assert_eq!(len, 30);
        assert_eq!(out, SECURITY_INSTANCE);
    }

    #[test]
    fn header_widths() {
        // 16-bit id 5850, short length 1: 0b11_1_00_001
        let mut out = [0u8; 8];
        assert_eq!(emit_header(Kind::Resource, 5850, 1, &mut out), Ok(3));
        assert_eq!(out[..3], [0xE1, 0x16, 0xDA]);
        // 16-bit length: 0b11_0_10_000, id 0, length 0x0123
        assert_eq!(emit_header(Kind::Resource, 0, 0x123, &mut out), Ok(4));
        assert_eq!(out[..4], [0xD0, 0x00, 0x01, 0x23]);
        // 24-bit length on a multiple resource with 16-bit id
        assert_eq!(emit_header(Kind::MultipleResource, 0x1234, 0x10000, &mut out), Ok(6));
        assert_eq!(out[..6], [0xB8, 0x12, 0x34, 0x01, 0x00, 0x00]);
        assert_eq!(
            emit_header(Kind::Resource, 0, 0x100_0000, &mut out),
            Err(Error::BadValue)
        );
        assert_eq!(emit_header(Kind::Resource, 0, 5, &mut out[..1]), Err(Error::NoSpace));
    }

    #[test]
    fn parse_truncated() {
        assert_eq!(Record::parse(&[]), Err(Error::Truncated));
        assert_eq!(Record::parse(&[0xC8]), Err(Error::Truncated));
        assert_eq!(Record::parse(&[0xC8, 0x00, 5, b'a']), Err(Error::Truncated));
        assert_eq!(Record::parse(&[0xF8, 0x00]), Err(Error::Truncated));
        let mut it = Records::new(&[0xC1, 0x00, 0x01, 0xC3, 0x01]);
        assert!(it.next().unwrap().is_ok());
        assert_eq!(it.next(), Some(Err(Error::Truncated)));
        assert_eq!(it.next(), None);
    }

    #[test]
    fn integers() {
        let mut buf = [0u8; 8];
        assert_eq!(encode_int(-12, &mut buf), [0xF4]);
        assert_eq!(encode_int(1860, &mut buf), [0x07, 0x44]);
        assert_eq!(encode_int(86400, &mut buf), [0x00, 0x01, 0x51, 0x80]);
        assert_eq!(encode_int(1 << 40, &mut buf), [0, 0, 1, 0, 0, 0, 0, 0]);
        assert_eq!(decode_int(&[0xF4]), Ok(-12));
        assert_eq!(decode_int(&[0x00, 0x01, 0x51, 0x80]), Ok(86400));
        assert_eq!(decode_int(&[1, 2, 3]), Err(Error::BadValue));
    }

    #[test]
    fn floats() {
        let mut buf = [0u8; 8];
        assert_eq!(encode_float(25.5, &mut buf), 25.5f32.to_be_bytes());
        assert_eq!(encode_float(1.88, &mut buf), 1.88f64.to_be_bytes());
        assert_eq!(decode_float(&1.5f32.to_be_bytes()), Ok(1.5));
        assert_eq!(decode_float(&[0; 3]), Err(Error::BadValue));
    }
}
