//! The client's own requests as CoAP bytes (LwM2M 1.0 §5.2.7 Bootstrap-
//! Request, §5.3 Register / Update / De-register) and its answers to the
//! server. Each is encoded once, straight into the buffer it is sent (and
//! kept for retransmission, see `client::kept`) from.

use super::{Binding, Error, AUTH_CODE_OPTION};
use crate::coap::message::{decimal_digits, Writer};
use crate::coap::{number, Code, Type};
use crate::codec::link;
use crate::model::ObjectList;

/// The start of every registration payload: the root with its resource
/// type, then the objects the client implements itself and always
/// registers (the Server object's one instance, the Device object), written
/// as one text: smaller than a link per entry. The Security object is never
/// listed (LwM2M 1.0 §5.3.1).
const LINKS_HEAD: &[u8] = b"</>;rt=\"oma.lwm2m\",</1/0>,</3/0>";

/// One message the client sends, as the fields its encoding varies by
/// (one encoder for every message, so no per-message copy of the option
/// sequence is generated). The registration family:
///
/// | request           | method | path       | queries              | objects |
/// | ----------------- | ------ | ---------- | -------------------- | ----- |
/// | Bootstrap-Request | POST   | `bs`       | ep                   | -     |
/// | Register          | POST   | `rd`       | ep lt lwm2m=1.0 b    | yes   |
/// | Update            | POST   | location   | lt? b?               | opt.  |
/// | De-register       | DELETE | location   | -                    | -     |
///
/// (Answers to the server are written by [`response`].)
#[derive(Clone, Copy)]
pub(crate) struct Message<'a> {
    /// POST or DELETE.
    pub code: Code,
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
    /// The registration payload: [`LINKS_HEAD`] then a link per instance
    /// of these objects (Content-Format link-format).
    pub objects: Option<&'a dyn ObjectList>,
}

impl Message<'_> {
    /// A POST to `path` with nothing else (the message id and token
    /// [`encode`] adds).
    pub const fn post(path: &[u8]) -> Message<'_> {
        Message {
            code: Code::POST,
            path,
            endpoint: None,
            lifetime_s: None,
            version: false,
            binding: None,
            auth: &[],
            objects: None,
        }
    }
}

/// Writes the CON request `m` with `message_id` and `token` into `out`;
/// returns the length.
// Inlined into its one caller on Cortex-M0 only (-8 B there, measured).
#[cfg_attr(not(target_has_atomic = "32"), inline(always))]
pub(crate) fn encode(m: &Message<'_>, out: &mut [u8], message_id: u16, token: &[u8]) -> Result<usize, Error> {
    let mut w = Writer::new(out, Type::Con, m.code, message_id, token);
    w.path(number::URI_PATH, m.path);
    if m.objects.is_some() {
        w.uint_option(number::CONTENT_FORMAT, u32::from(link::CONTENT_FORMAT));
    }
    if let Some(endpoint) = m.endpoint {
        w.option(number::URI_QUERY, b"ep=", endpoint);
    }
    if let Some(lifetime_s) = m.lifetime_s {
        let mut digits = [0u8; 20];
        w.option(number::URI_QUERY, b"lt=", decimal_digits(lifetime_s, &mut digits));
    }
    if m.version {
        w.option(number::URI_QUERY, b"lwm2m=1.0", &[]);
    }
    if let Some(binding) = m.binding {
        w.option(number::URI_QUERY, b"b=", binding.as_bytes());
    }
    if !m.auth.is_empty() {
        w.option(AUTH_CODE_OPTION, m.auth, &[]);
    }
    if let Some(objects) = m.objects {
        // The payload marker, then RFC 6690 links (`</3311/0>`).
        w.put(b"\xff");
        w.put(LINKS_HEAD);
        objects.for_each_instance(&mut |object, instance| {
            if !matches!(object, 0 | 1 | 3) {
                w.decimal(b",</", object);
                w.decimal(b"/", instance);
                w.put(b">");
            }
        });
    }
    w.finish(&[]).ok_or(Error::TooLarge)
}

/// Writes a separate response (`ty` CON or NON) with `message_id`,
/// `token`, Content-Format and payload into `out`; returns the length,
/// `None` when it does not fit. (The client's code-only answers are header
/// and token: `Client::reply` writes them with the message writer.)
#[inline(never)]
pub(crate) fn response(
    out: &mut [u8],
    ty: Type,
    code: Code,
    message_id: u16,
    token: &[u8],
    content_format: Option<u16>,
    payload: &[u8],
) -> Option<usize> {
    let mut w = Writer::new(out, ty, code, message_id, token);
    if let Some(cf) = content_format {
        w.uint_option(number::CONTENT_FORMAT, u32::from(cf));
    }
    w.finish(payload)
}
