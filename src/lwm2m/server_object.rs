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
    fn int(self, max: u64) -> Result<u64, Code> {
        let value = if self.tlv {
            tlv::decode_int(self.bytes).ok().and_then(|v| u64::try_from(v).ok())
        } else {
            decimal(self.bytes, u64::MAX)
        };
        value.filter(|&v| v <= max).ok_or(Code::BAD_REQUEST)
    }

    fn boolean(self) -> Result<bool, Code> {
        match (self.tlv, self.bytes) {
            (true, [0]) | (false, b"0") => Ok(false),
            (true, [1]) | (false, b"1") => Ok(true),
            _ => Err(Code::BAD_REQUEST),
        }
    }
}

/// The fields one object keeps of a written instance.
pub(crate) trait Fields<'a>: Default + Copy {
    /// Takes resource `id`; unknown ids are ignored (the client does not
    /// store them), badly typed values are 4.00.
    fn set(&mut self, id: u16, value: Value<'a>) -> Result<(), Code>;
}

/// What a write to a Security instance carries.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct SecurityWrite<'a> {
    pub uri: Option<&'a [u8]>,
    pub bootstrap: Option<bool>,
    pub mode: Option<u8>,
    pub short_id: Option<u16>,
}

impl<'a> Fields<'a> for SecurityWrite<'a> {
    fn set(&mut self, id: u16, value: Value<'a>) -> Result<(), Code> {
        match id {
            // Checked here so that a write with a bad URI changes nothing.
            security::URI => match uri::parse(value.bytes) {
                Some(u) if u.host.len() <= HOST_MAX => self.uri = Some(value.bytes),
                _ => return Err(Code::BAD_REQUEST),
            },
            security::BOOTSTRAP => self.bootstrap = Some(value.boolean()?),
            security::MODE => self.mode = Some(value.int(4)? as u8),
            security::SHORT_ID => self.short_id = Some(value.int(65535)? as u16),
            _ => {}
        }
        Ok(())
    }
}

/// What a write to a Server instance carries.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct ServerWrite {
    pub short_id: Option<u16>,
    pub lifetime_s: Option<u32>,
    pub binding: Option<Binding>,
}

impl<'a> Fields<'a> for ServerWrite {
    fn set(&mut self, id: u16, value: Value<'a>) -> Result<(), Code> {
        match id {
            server::SHORT_ID => self.short_id = Some(value.int(65535)? as u16),
            // A lifetime of 0 would expire the registration at once.
            server::LIFETIME => self.lifetime_s = Some(value.int(u64::from(u32::MAX))?.max(1) as u32),
            server::BINDING => self.binding = Some(Binding::from_bytes(value.bytes).ok_or(Code::BAD_REQUEST)?),
            _ => {}
        }
        Ok(())
    }
}

/// Decodes the write of `payload` to `path` (object, instance or resource
/// of one object) and calls `apply(instance, fields)` once per instance,
/// only when the whole payload is valid. Returns the error code otherwise:
/// 4.15 for a format other than TLV/text, 4.00 for a malformed payload.
pub(crate) fn decode<'a, F: Fields<'a>>(
    path: &Path,
    content_format: Option<u16>,
    payload: &'a [u8],
    apply: &mut dyn FnMut(u16, F),
) -> Result<(), Code> {
    group::<F>(path, content_format, payload, &mut |_, _| {})?;
    group::<F>(path, content_format, payload, apply)
}

fn group<'a, F: Fields<'a>>(
    path: &Path,
    content_format: Option<u16>,
    payload: &'a [u8],
    apply: &mut dyn FnMut(u16, F),
) -> Result<(), Code> {
    let tlv = match content_format {
        Some(tlv::CONTENT_FORMAT) => true,
        Some(TEXT) => false,
        None => path.as_slice().len() < 3,
        Some(_) => return Err(Code::UNSUPPORTED_CONTENT_FORMAT),
    };
    match *path.as_slice() {
        [_, instance, resource] if !tlv => {
            let mut fields = F::default();
            fields.set(resource, Value { bytes: payload, tlv })?;
            apply(instance, fields);
        }
        [_, instance, resource] => {
            let mut fields = F::default();
            resources(payload, Some(resource), &mut fields)?;
            apply(instance, fields);
        }
        [_, instance] if tlv => {
            let mut fields = F::default();
            resources(payload, None, &mut fields)?;
            apply(instance, fields);
        }
        [_] if tlv => {
            for record in Records::new(payload) {
                let record = record.map_err(|_| Code::BAD_REQUEST)?;
                if record.kind != Kind::ObjectInstance {
                    return Err(Code::BAD_REQUEST);
                }
                let mut fields = F::default();
                resources(record.value, None, &mut fields)?;
                apply(record.id, fields);
            }
        }
        _ => return Err(Code::BAD_REQUEST),
    }
    Ok(())
}

/// Resource records of one instance into `fields`; `only` restricts them to
/// one resource id (a resource-level write).
fn resources<'a, F: Fields<'a>>(payload: &'a [u8], only: Option<u16>, fields: &mut F) -> Result<(), Code> {
    for record in Records::new(payload) {
        let record = record.map_err(|_| Code::BAD_REQUEST)?;
        if only.is_some_and(|id| id != record.id) {
            return Err(Code::BAD_REQUEST);
        }
        match record.kind {
            Kind::Resource => fields.set(
                record.id,
                Value {
                    bytes: record.value,
                    tlv: true,
                },
            )?,
            // Multiple resources (none of the kept ones) are skipped.
            Kind::MultipleResource => {}
            _ => return Err(Code::BAD_REQUEST),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn server(path: &[u16], cf: Option<u16>, payload: &[u8]) -> Result<Vec<(u16, ServerWrite)>, Code> {
        let mut seen = Vec::new();
        decode::<ServerWrite>(&Path::new(path).unwrap(), cf, payload, &mut |i, w| seen.push((i, w)))?;
        Ok(seen)
    }

    const LT_600: ServerWrite = ServerWrite {
        short_id: None,
        lifetime_s: Some(600),
        binding: None,
    };

    #[test]
    fn resource_as_text_and_tlv() {
        assert_eq!(server(&[1, 0, 1], Some(0), b"600"), Ok(vec![(0, LT_600)]));
        assert_eq!(server(&[1, 0, 1], None, b"600"), Ok(vec![(0, LT_600)]));
        // TLV resource 1, 2-byte integer 0x0258 = 600.
        assert_eq!(
            server(&[1, 0, 1], Some(11542), &[0xc2, 0x01, 0x02, 0x58]),
            Ok(vec![(0, LT_600)])
        );
        let uq = ServerWrite {
            binding: Some(Binding::UQ),
            ..Default::default()
        };
        assert_eq!(server(&[1, 0, 7], Some(0), b"UQ"), Ok(vec![(0, uq)]));
    }

    #[test]
    fn instance_and_object_tlv() {
        // /1/0: resource 0 = 1 (short id), resource 1 = 300, resource 7 = "U".
        let inst = [0xc1, 0x00, 0x01, 0xc2, 0x01, 0x01, 0x2c, 0xc1, 0x07, b'U'];
        let expect = ServerWrite {
            short_id: Some(1),
            lifetime_s: Some(300),
            binding: Some(Binding::U),
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
        decode::<SecurityWrite>(&Path::new(&[0, 1]).unwrap(), Some(11542), &p, &mut |i, w| {
            seen.push((i, w))
        })
        .unwrap();
        let expect = SecurityWrite {
            uri: Some(b"coap://h"),
            bootstrap: Some(false),
            mode: Some(3),
            short_id: Some(123),
        };
        assert_eq!(seen, vec![(1, expect)]);
    }
}
