//! Writes to the objects the client keeps itself: Security (/0) during
//! bootstrap, Server (/1) during bootstrap and while registered. Resource
//! ids from LwM2M 1.0 TS Appendix E.1 (Security) and E.2 (Server).
//!
//! A write names an object (`/0`, TLV object-instance records), an
//! instance (`/1/0`, TLV resource records) or a resource (`/1/0/1`, TLV or
//! text). Everything is decoded and checked first; only then is anything
//! handed to the caller (a bad write changes nothing).

use super::{decimal, uri, Binding, Path};
use crate::coap::Code;
use crate::codec::tlv::{self, Kind, Records};
use crate::config::HOST_MAX;

/// Security resources (Appendix E.1).
pub(crate) mod security {
    /// LwM2M Server URI (string).
    pub const URI: u16 = 0;
    /// Bootstrap-Server (boolean).
    pub const BOOTSTRAP: u16 = 1;
    /// Security Mode (integer, 3 = NoSec).
    pub const MODE: u16 = 2;
    /// Short Server ID (integer).
    pub const SHORT_ID: u16 = 10;
}

/// Server resources (Appendix E.2).
pub(crate) mod server {
    /// Short Server ID (integer).
    pub const SHORT_ID: u16 = 0;
    /// Lifetime in seconds (integer).
    pub const LIFETIME: u16 = 1;
    /// Binding (string).
    pub const BINDING: u16 = 7;
}

/// Content-Format of text/plain (RFC 7252 §12.3).
const TEXT: u16 = 0;

/// One resource value, raw as it arrived.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Value<'a> {
    bytes: &'a [u8],
    tlv: bool,
}

impl<'a> Value<'a> {
    // (Always inlined into Write::set, its one caller: measured smaller.)
    #[inline(always)]
    fn int(self, max: u32) -> Result<u32, Code> {
        if self.tlv {
            tlv_uint(self.bytes).filter(|&v| v <= max)
        } else {
            decimal(self.bytes, max)
        }
        .ok_or(Code::BAD_REQUEST)
    }

    fn boolean(self) -> Result<bool, Code> {
        match (self.tlv, self.bytes) {
            (true, [0]) | (false, b"0") => Ok(false),
            (true, [1]) | (false, b"1") => Ok(true),
            _ => Err(Code::BAD_REQUEST),
        }
    }
}

/// A TLV integer (1, 2, 4 or 8 bytes, big-endian two's complement) that
/// is not negative and fits a u32; `None` otherwise. (Every integer the
/// client keeps is such; no i64 arithmetic, which is long on Cortex-M.)
fn tlv_uint(bytes: &[u8]) -> Option<u32> {
    let ([1 | 2 | 4 | 8], Some(&first)) = ([bytes.len()], bytes.first()) else {
        return None;
    };
    if first & 0x80 != 0 {
        return None;
    }
    let mut value: u32 = 0;
    for &b in bytes {
        if value >> 24 != 0 {
            return None;
        }
        value = value << 8 | u32::from(b);
    }
    Some(value)
}

/// What a write to one Security or Server instance carries: the fields the
/// client keeps of either object (one type, so the decoder below exists
/// once, not once per object).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Write<'a> {
    /// Security: LwM2M Server URI (host within HOST_MAX).
    pub uri: Option<uri::ServerUri<'a>>,
    /// Security: this is the Bootstrap-Server's own account.
    pub bootstrap: Option<bool>,
    /// Security: Security Mode.
    pub mode: Option<u8>,
    /// Security or Server: Short Server ID.
    pub short_id: Option<u16>,
    /// Server: Lifetime (0 is raised to 1).
    pub lifetime_s: Option<u32>,
    /// Server: Binding.
    pub binding: Option<Binding>,
}

impl<'a> Write<'a> {
    /// Takes resource `id` of `object`; unknown ids are ignored (the client
    /// does not store them), badly typed values are 4.00.
    // Out of line on Cortex-M3/M4 (+108 B inlined there); inlined into its
    // one caller on Cortex-M0 (-28 B). (Cortex-M0, thumbv6m, is the target
    // without 32-bit compare-and-swap: no cfg names the architecture.)
    #[cfg_attr(target_has_atomic = "32", inline(never))]
    fn set(&mut self, object: u16, id: u16, value: Value<'a>) -> Result<(), Code> {
        match (object, id) {
            // Checked here so that a write with a bad URI changes nothing.
            (0, security::URI) => match uri::parse(value.bytes) {
                Some(u) if u.host.len() <= HOST_MAX => self.uri = Some(u),
                _ => return Err(Code::BAD_REQUEST),
            },
            (0, security::BOOTSTRAP) => self.bootstrap = Some(value.boolean()?),
            (1, server::BINDING) => self.binding = Some(Binding::from_bytes(value.bytes).ok_or(Code::BAD_REQUEST)?),
            (0, security::MODE) => self.mode = Some(value.int(4)? as u8),
            (0, security::SHORT_ID) | (1, server::SHORT_ID) => self.short_id = Some(value.int(65535)? as u16),
            // A lifetime of 0 would expire the registration at once.
            (1, server::LIFETIME) => self.lifetime_s = Some(value.int(u32::MAX)?.max(1)),
            _ => {}
        }
        Ok(())
    }
}

/// Decodes the write of `payload` to `path` (object, instance or resource
/// of object 0 or 1) and calls `apply(instance, &fields)` once per instance,
/// only when the whole payload is valid. Returns the error code otherwise:
/// 4.15 for a format other than TLV/text, 4.00 for a malformed payload.
/// (The fields by reference: passed by value, each call copied them.)
// Inlined into its callers on Cortex-M3/M4 only (-16 B there, +12 B on
// Cortex-M0, the target without 32-bit compare-and-swap).
#[cfg_attr(target_has_atomic = "32", inline(always))]
pub(crate) fn decode<'a>(
    path: &Path,
    content_format: Option<u16>,
    payload: &'a [u8],
    apply: &mut dyn FnMut(u16, &Write<'a>),
) -> Result<(), Code> {
    group(path, content_format, payload, &mut |_, _| {})?;
    group(path, content_format, payload, apply)
}

fn group<'a>(
    path: &Path,
    content_format: Option<u16>,
    payload: &'a [u8],
    apply: &mut dyn FnMut(u16, &Write<'a>),
) -> Result<(), Code> {
    let tlv = match content_format {
        Some(tlv::CONTENT_FORMAT) => true,
        Some(TEXT) => false,
        None => path.as_slice().len() < 3,
        Some(_) => return Err(Code::UNSUPPORTED_CONTENT_FORMAT),
    };
    // The instances written, one loop for every depth: an object write
    // (`/1`) is a TLV object-instance record per instance; an instance or
    // resource write names its one instance, whose value is the payload.
    let (object, mut single, only) = match *path.as_slice() {
        [object, instance, resource] => (object, Some(instance), Some(resource)),
        [object, instance] if tlv => (object, Some(instance), None),
        [object] if tlv => (object, None, None),
        _ => return Err(Code::BAD_REQUEST),
    };
    let mut instances = Records::new(if single.is_some() { &[] } else { payload });
    loop {
        let (instance, value) = match single.take() {
            Some(instance) => (instance, payload),
            None => match instances.next() {
                None => return Ok(()),
                Some(Ok(record)) if record.kind == Kind::ObjectInstance => (record.id, record.value),
                Some(_) => return Err(Code::BAD_REQUEST),
            },
        };
        instance_write(object, instance, value, only, tlv, apply)?;
    }
}

/// The TLV resource records of one instance; `only` restricts them to one
/// resource id (a resource-level write), which a text payload (`tlv`
/// false) is the value of.
fn instance_write<'a>(
    object: u16,
    instance: u16,
    payload: &'a [u8],
    only: Option<u16>,
    tlv: bool,
    apply: &mut dyn FnMut(u16, &Write<'a>),
) -> Result<(), Code> {
    let mut fields = Write::default();
    // A text payload is the one value of resource `only`; one loop takes
    // it and the TLV records alike.
    let mut text = (!tlv).then_some(payload);
    let mut records = Records::new(if tlv { payload } else { &[] });
    loop {
        let (id, value) = match (text.take(), records.next()) {
            (Some(bytes), _) => (only.unwrap_or_default(), Value { bytes, tlv }),
            (None, None) => break,
            (None, Some(Ok(record))) if only.is_none_or(|id| id == record.id) => match record.kind {
                Kind::Resource => (
                    record.id,
                    Value {
                        bytes: record.value,
                        tlv,
                    },
                ),
                // Multiple resources (none of the kept ones) are skipped.
                Kind::MultipleResource => continue,
                _ => return Err(Code::BAD_REQUEST),
            },
            (None, Some(_)) => return Err(Code::BAD_REQUEST),
        };
        fields.set(object, id, value)?;
    }
    apply(instance, &fields);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn server<'a>(path: &[u16], cf: Option<u16>, payload: &'a [u8]) -> Result<Vec<(u16, Write<'a>)>, Code> {
        let mut seen = Vec::new();
        decode(&Path::new(path).unwrap(), cf, payload, &mut |i, w| seen.push((i, *w)))?;
        Ok(seen)
    }

    const LT_600: Write = Write {
        lifetime_s: Some(600),
        uri: None,
        bootstrap: None,
        mode: None,
        short_id: None,
        binding: None,
    };

    #[test]
    fn tlv_uint_matches_the_tlv_codec() {
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut cases: Vec<Vec<u8>> = vec![vec![], vec![0; 3], vec![0; 5], vec![0; 9]];
        for v in [
            0i64,
            1,
            127,
            -1,
            -128,
            128,
            255,
            32767,
            -32768,
            65535,
            i32::MAX.into(),
            u32::MAX.into(),
        ] {
            let mut buf = [0u8; 8];
            cases.push(tlv::encode_int(v, &mut buf).to_vec());
            cases.push(v.to_be_bytes().to_vec());
            cases.push((v as i32).to_be_bytes().to_vec());
        }
        for _ in 0..10_000 {
            x = x
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let len = [1, 2, 4, 8][(x >> 60) as usize % 4];
            cases.push((x >> (x % 64)).to_be_bytes()[8 - len..].to_vec());
        }
        for bytes in cases {
            let expect = tlv::decode_int(&bytes).ok().and_then(|v| u32::try_from(v).ok());
            assert_eq!(tlv_uint(&bytes), expect, "{bytes:02x?}");
        }
    }

    #[test]
    fn resource_as_text_and_tlv() {
        assert_eq!(server(&[1, 0, 1], Some(0), b"600"), Ok(vec![(0, LT_600)]));
        assert_eq!(server(&[1, 0, 1], None, b"600"), Ok(vec![(0, LT_600)]));
        // TLV resource 1, 2-byte integer 0x0258 = 600.
        assert_eq!(
            server(&[1, 0, 1], Some(11542), &[0xc2, 0x01, 0x02, 0x58]),
            Ok(vec![(0, LT_600)])
        );
        let uq = Write {
            binding: Some(Binding::UQ),
            ..Default::default()
        };
        assert_eq!(server(&[1, 0, 7], Some(0), b"UQ"), Ok(vec![(0, uq)]));
    }

    #[test]
    fn instance_and_object_tlv() {
        // /1/0: resource 0 = 1 (short id), resource 1 = 300, resource 7 = "U".
        let inst = [0xc1, 0x00, 0x01, 0xc2, 0x01, 0x01, 0x2c, 0xc1, 0x07, b'U'];
        let expect = Write {
            short_id: Some(1),
            lifetime_s: Some(300),
            binding: Some(Binding::U),
            ..Default::default()
        };
        assert_eq!(server(&[1, 0], Some(11542), &inst), Ok(vec![(0, expect)]));
        // /1: object instance 2 wrapping the same (length 10).
        let mut obj = vec![0x08, 0x02, 10];
        obj.extend_from_slice(&inst);
        assert_eq!(server(&[1], Some(11542), &obj), Ok(vec![(2, expect)]));
    }

    #[test]
    fn bad_writes_apply_nothing() {
        type Case<'a> = (&'a [u16], Option<u16>, &'a [u8], Code);
        let bad: &[Case] = &[
            (&[1, 0, 1], Some(0), b"6x0", Code::BAD_REQUEST),
            (&[1, 0, 1], Some(0), b"-5", Code::BAD_REQUEST),
            (&[1, 0, 7], Some(0), b"S", Code::BAD_REQUEST),
            (&[1, 0, 1], Some(50), b"{}", Code::UNSUPPORTED_CONTENT_FORMAT),
            // TLV for resource 7 sent to /1/0/1.
            (&[1, 0, 1], Some(11542), &[0xc1, 0x07, b'U'], Code::BAD_REQUEST),
            // Truncated record after a good one.
            (
                &[1, 0],
                Some(11542),
                &[0xc2, 0x01, 0x01, 0x2c, 0xc3, 0x07],
                Code::BAD_REQUEST,
            ),
            // Text to an instance.
            (&[1, 0], Some(0), b"300", Code::BAD_REQUEST),
            (&[], Some(11542), &[], Code::BAD_REQUEST),
        ];
        for &(path, cf, payload, code) in bad {
            assert_eq!(server(path, cf, payload), Err(code), "{path:?} {payload:02x?}");
        }
    }

    #[test]
    fn security_instance() {
        // /0/1: URI "coap://h", bootstrap false, mode 3, short id 123.
        let mut p = vec![0xc8, 0x00, 8];
        p.extend_from_slice(b"coap://h");
        p.extend_from_slice(&[0xc1, 0x01, 0x00, 0xc1, 0x02, 0x03, 0xc1, 0x0a, 123]);
        let mut seen = Vec::new();
        decode(&Path::new(&[0, 1]).unwrap(), Some(11542), &p, &mut |i, w| {
            seen.push((i, *w))
        })
        .unwrap();
        let expect = Write {
            uri: Some(uri::ServerUri {
                host: b"h",
                port: 5683,
                secure: false,
            }),
            bootstrap: Some(false),
            mode: Some(3),
            short_id: Some(123),
            ..Default::default()
        };
        assert_eq!(seen, vec![(1, expect)]);
    }
}
