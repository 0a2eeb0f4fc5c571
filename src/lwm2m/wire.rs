//! The client's own requests as CoAP bytes (LwM2M 1.0 §5.2.7 Bootstrap-
//! Request, §5.3 Register / Update / De-register). Encoding is a pure
//! function of the request, message id and token: a retransmission is the
//! same call again (only the links are kept, see `client::kept`).

use super::{Binding, Error, AUTH_CODE_OPTION};
use crate::at::writer::format_u64;
use crate::coap::{self, number, Builder, Code, Type};
use crate::codec::link::{self, LinkWriter};
use crate::model::ObjectList;

/// Objects the client implements itself and always registers (the Server
/// object's one instance, the Device object). The Security object is never
/// listed (LwM2M 1.0 §5.3.1).
pub(crate) const BUILTIN_LINKS: [[u16; 2]; 2] = [[1, 0], [3, 0]];

/// One request of the registration family, as the fields its encoding
/// varies by (one encoder for all four, so no per-request copy of the
/// option sequence is generated):
///
/// | request           | method | path       | queries              | links |
/// | ----------------- | ------ | ---------- | -------------------- | ----- |
/// | Bootstrap-Request | POST   | `bs`       | ep                   | -     |
/// | Register          | POST   | `rd`       | ep lt lwm2m=1.0 b    | yes   |
/// | Update            | POST   | location   | lt? b?               | opt.  |
/// | De-register       | DELETE | location   | -                    | -     |
pub(crate) struct Request<'a> {
    /// POST or DELETE.
    pub method: Code,
    /// Uri-Path segments joined with `/` (`bs`, `rd`, `rd/5a3f`).
    pub path: &'a [u8],
    /// `ep=`: Bootstrap-Request and Register.
    pub endpoint: Option<&'a [u8]>,
    /// `lt=`.
    pub lifetime_s: Option<u32>,
    /// `lwm2m=1.0`: Register only.
    pub version: bool,
    /// `b=`.
    pub binding: Option<Binding>,
    /// OneNET auth code (option 63; Register and Update), empty for none.
    pub auth: &'a [u8],
    /// The links payload ([`links`]), with Content-Format 40.
    pub links: Option<&'a [u8]>,
}

/// Writes the registration payload into `buf`: `</>;rt="oma.lwm2m"`, the
/// built-in objects, then every registered instance of the MCU's objects.
/// Returns its length.
pub(crate) fn links(buf: &mut [u8], objects: &dyn ObjectList) -> Result<usize, Error> {
    let mut w = LinkWriter::new(buf);
    let mut failed = w.link(&[]).and_then(|w| w.attr(b"rt=\"oma.lwm2m\"")).is_err();
    for link in BUILTIN_LINKS {
        failed |= w.link(&link).is_err();
    }
    objects.for_each_instance(&mut |object, instance| {
        if !BUILTIN_LINKS.iter().any(|l| l[0] == object) && object != 0 {
            failed |= w.link(&[object, instance]).is_err();
        }
    });
    if failed {
        return Err(Error::TooLarge);
    }
    Ok(w.len())
}

/// Writes `request` as a CON with `message_id` and `token` into `out`;
/// returns the length.
pub(crate) fn emit(request: &Request<'_>, out: &mut [u8], message_id: u16, token: &[u8]) -> Result<usize, Error> {
    encode(request, out, message_id, token).map_err(|_| Error::TooLarge)
}

fn encode(r: &Request<'_>, out: &mut [u8], message_id: u16, token: &[u8]) -> Result<usize, coap::Error> {
    let mut b = Builder::new(out, Type::Con, r.method, message_id, token)?;
    b.path(number::URI_PATH, r.path)?;
    if r.links.is_some() {
        b.uint_option(number::CONTENT_FORMAT, u32::from(link::CONTENT_FORMAT))?;
    }
    if let Some(endpoint) = r.endpoint {
        b.option_of(number::URI_QUERY, b"ep=", endpoint)?;
    }
    if let Some(lifetime_s) = r.lifetime_s {
        let mut digits = [0u8; 20];
        let n = format_u64(u64::from(lifetime_s), &mut digits);
        let digits = digits.get(digits.len() - n..).unwrap_or_default();
        b.option_of(number::URI_QUERY, b"lt=", digits)?;
    }
    if r.version {
        b.option(number::URI_QUERY, b"lwm2m=1.0")?;
    }
    if let Some(binding) = r.binding {
        b.option_of(number::URI_QUERY, b"b=", binding.as_bytes())?;
    }
    if !r.auth.is_empty() {
        b.option(AUTH_CODE_OPTION, r.auth)?;
    }
    b.finish(r.links.unwrap_or_default())
}
