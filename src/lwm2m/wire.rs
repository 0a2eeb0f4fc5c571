//! The client's own requests as CoAP bytes (LwM2M 1.0 §5.2.7 Bootstrap-
//! Request, §5.3 Register / Update / De-register). Encoding is a pure
//! function of the request, message id and token: a retransmission is the
//! same call again (only the links are kept, see `client::kept`).

use super::{Binding, Error, AUTH_CODE_OPTION};
use crate::at::writer::format_u64;
use crate::coap::{number, Builder, Code, Type};
use crate::codec::link::{self, LinkWriter};
use crate::config::ENDPOINT_MAX;
use crate::model::ObjectList;

/// Objects the client implements itself and always registers (the Server
/// object's one instance, the Device object). The Security object is never
/// listed (LwM2M 1.0 §5.3.1).
pub(crate) const BUILTIN_LINKS: [[u16; 2]; 2] = [[1, 0], [3, 0]];

/// One request of the registration family.
pub(crate) enum Request<'a> {
    /// `POST /bs?ep=..`
    Bootstrap {
        /// Endpoint client name.
        endpoint: &'a [u8],
    },
    /// `POST /rd?ep=..&lt=..&lwm2m=1.0&b=..` with the object links.
    Register {
        /// Endpoint client name.
        endpoint: &'a [u8],
        /// Lifetime in seconds.
        lifetime_s: u32,
        /// Binding mode.
        binding: Binding,
        /// OneNET auth code (option 63), empty for none.
        auth: &'a [u8],
        /// The links payload ([`links`]).
        links: &'a [u8],
    },
    /// `POST /<location>?lt=..&b=..`, links only when `objects` is given.
    Update {
        /// Registration location.
        location: &'a [u8],
        /// New lifetime, when it changed.
        lifetime_s: Option<u32>,
        /// New binding, when it changed.
        binding: Option<Binding>,
        /// OneNET auth code (option 63), empty for none.
        auth: &'a [u8],
        /// The links payload ([`links`]), when the Update carries them.
        links: Option<&'a [u8]>,
    },
    /// `DELETE /<location>`
    Deregister {
        /// Registration location.
        location: &'a [u8],
    },
}

/// `prefix` followed by `value` in decimal, in `buf`.
fn query<'b>(buf: &'b mut [u8], prefix: &[u8], value: &[u8]) -> Result<&'b [u8], Error> {
    let end = prefix.len() + value.len();
    let dst = buf.get_mut(..end).ok_or(Error::TooLarge)?;
    // (zip, not copy_from_slice: no length-mismatch panic path)
    for (d, s) in dst.iter_mut().zip(prefix.iter().chain(value)) {
        *d = *s;
    }
    Ok(dst)
}

fn lifetime_query(buf: &mut [u8; 32], lifetime_s: u32) -> Result<&[u8], Error> {
    let mut digits = [0u8; 20];
    let n = format_u64(u64::from(lifetime_s), &mut digits);
    query(buf, b"lt=", digits.get(20 - n..).unwrap_or_default())
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
    let too_large = |_| Error::TooLarge;
    let code = match request {
        Request::Deregister { .. } => Code::DELETE,
        _ => Code::POST,
    };
    let mut b = Builder::new(out, Type::Con, code, message_id, token).map_err(too_large)?;
    let mut q = [0u8; 32];
    let mut ep = [0u8; ENDPOINT_MAX + 3];
    let payload: &[u8] = match *request {
        Request::Bootstrap { endpoint } => {
            b.option(number::URI_PATH, b"bs").map_err(too_large)?;
            b.option(number::URI_QUERY, query(&mut ep, b"ep=", endpoint)?)
                .map_err(too_large)?;
            &[]
        }
        Request::Register {
            endpoint,
            lifetime_s,
            binding,
            auth,
            links,
        } => {
            b.option(number::URI_PATH, b"rd").map_err(too_large)?;
            b.uint_option(number::CONTENT_FORMAT, u32::from(link::CONTENT_FORMAT))
                .map_err(too_large)?;
            b.option(number::URI_QUERY, query(&mut ep, b"ep=", endpoint)?)
                .map_err(too_large)?;
            b.option(number::URI_QUERY, lifetime_query(&mut q, lifetime_s)?)
                .map_err(too_large)?;
            b.option(number::URI_QUERY, b"lwm2m=1.0").map_err(too_large)?;
            b.option(number::URI_QUERY, query(&mut q, b"b=", binding.as_bytes())?)
                .map_err(too_large)?;
            auth_option(&mut b, auth)?;
            links
        }
        Request::Update {
            location,
            lifetime_s,
            binding,
            auth,
            links,
        } => {
            b.path(number::URI_PATH, location).map_err(too_large)?;
            if links.is_some() {
                b.uint_option(number::CONTENT_FORMAT, u32::from(link::CONTENT_FORMAT))
                    .map_err(too_large)?;
            }
            if let Some(lt) = lifetime_s {
                b.option(number::URI_QUERY, lifetime_query(&mut q, lt)?)
                    .map_err(too_large)?;
            }
            if let Some(binding) = binding {
                b.option(number::URI_QUERY, query(&mut q, b"b=", binding.as_bytes())?)
                    .map_err(too_large)?;
            }
            auth_option(&mut b, auth)?;
            links.unwrap_or_default()
        }
        Request::Deregister { location } => {
            b.path(number::URI_PATH, location).map_err(too_large)?;
            &[]
        }
    };
    b.finish(payload).map_err(too_large)
}

fn auth_option(b: &mut Builder<'_>, auth: &[u8]) -> Result<(), Error> {
    if !auth.is_empty() {
        b.option(AUTH_CODE_OPTION, auth).map_err(|_| Error::TooLarge)?;
    }
    Ok(())
}
