//! `AT+QLACONFIG`: the server the client registers with (seed 004 §3.1).
//!
//! Set: `<Bootstrap_flag>,<server_ip>,<port>,<endpoint_name>,<lifetime>,
//! <security_mode>[,<PSK_ID>,<PSK>][,<binding_mode>]`. The optional tail is
//! told apart by its length: 0 nothing, 1 binding, 2 PSK pair, 3 both.
//! Security mode 0 (DTLS PSK) needs the PSK pair; mode 3 (no security) must
//! not carry one (`ParamCount`). Strings may be quoted or bare.
//!
//! Seed 004 §5.2 writes the port inside the host string with one parameter
//! fewer (`AT+QLACONFIG=0,"221.229.214.202,5683","urn:..",300,3`): a host
//! containing a comma is split at its last comma into host and port, and the
//! rest shifts by one. A host can never contain a comma, so this cannot
//! misread a well-formed line.
//!
//! Only a LwM2M (non-bootstrap) server is persisted (§3.1 note 2: the
//! bootstrap server itself is never saved, only the server it assigns).
//! Setting a bootstrap server replaces the active config in RAM and leaves
//! NV alone: after a restart the last LwM2M server comes back.

use super::records::Kind;
use super::{begin, int_param, text_param, Context, State};
use crate::at::{params::decode_hex, Error, Param, Params};
use crate::config::{ENDPOINT_MAX, HOST_MAX, PSK_ID_MAX, PSK_MAX};
use crate::host::Host;
use heapless::Vec;

/// Lifetime range in seconds (seed 004 §3.1, §3.4: 20..31536000, 365 days).
pub const LIFETIME: (i64, i64) = (20, 31_536_000);

/// One `AT+QLACONFIG`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ServerConfig {
    /// `<Bootstrap_flag>` 1: a bootstrap server.
    pub bootstrap: bool,
    /// `<server_ip>`: address or name, no port.
    pub host: Vec<u8, HOST_MAX>,
    /// `<port>`.
    pub port: u16,
    /// `<endpoint_name>`.
    pub endpoint: Vec<u8, ENDPOINT_MAX>,
    /// `<lifetime>` in seconds.
    pub lifetime: u32,
    /// `<security_mode>`: 0 DTLS PSK, 3 none.
    pub security: u8,
    /// `<PSK_ID>` (security 0 only).
    pub psk_id: Vec<u8, PSK_ID_MAX>,
    /// `<PSK>`, decoded from its hex text.
    pub psk: Vec<u8, PSK_MAX>,
    /// `<binding_mode>`: 0 UDP, 1 UDP queue. Omitted means 0.
    pub binding: u8,
}

/// The parameters with the §5.2 "host,port" form unfolded: parameter 1
/// split at its last comma counts as two (host, port) and the rest shift up
/// by one. Looked up by index instead of copied into a second list.
struct Unfolded<'a> {
    params: Params<'a, 9>,
    /// Host and port text when parameter 1 holds both.
    folded: Option<(&'a [u8], &'a [u8])>,
}

impl<'a> Unfolded<'a> {
    fn new(params: Params<'a, 9>) -> Self {
        // Split at the last comma by iterator, not by index (no panic path).
        // Only a quoted parameter can hold a comma.
        let mut halves = params.get(1).text().rsplitn(2, |&b| b == b',');
        let (port, host) = (halves.next(), halves.next());
        let folded = host.zip(port);
        Unfolded { params, folded }
    }

    fn len(&self) -> usize {
        self.params.len() + self.folded.is_some() as usize
    }

    fn get(&self, i: usize) -> Param<'a> {
        match (self.folded, i) {
            (Some((host, _)), 1) => Param::Quoted(host),
            (Some((_, port)), 2) => Param::Bare(port),
            (Some(_), _) if i > 2 => self.params.get(i - 1),
            _ => self.params.get(i),
        }
    }
}

/// A server config borrowed from a command line or an NV record: the set
/// command and the restore validate into it and then [`store`] it in place
/// (one copy path, no 600-byte config moved around). It is also the NV
/// record's field order (records.rs): the bootstrap flag is not stored because only
/// a LwM2M server is ever saved.
pub(super) struct ServerFields<'a> {
    pub(super) host: &'a [u8],
    pub(super) port: u16,
    pub(super) endpoint: &'a [u8],
    pub(super) lifetime: u32,
    pub(super) security: u8,
    pub(super) psk_id: &'a [u8],
    pub(super) psk: &'a [u8],
    pub(super) binding: u8,
}

/// Copies `f` into `slot`; None (and `slot` untouched) when a string is
/// longer than its capacity.
pub(super) fn store(slot: &mut Option<ServerConfig>, bootstrap: bool, f: &ServerFields<'_>) -> Option<()> {
    let fits = f.host.len() <= HOST_MAX
        && f.endpoint.len() <= ENDPOINT_MAX
        && f.psk_id.len() <= PSK_ID_MAX
        && f.psk.len() <= PSK_MAX;
    if !fits {
        return None;
    }
    let c = slot.get_or_insert_with(ServerConfig::default);
    c.bootstrap = bootstrap;
    c.port = f.port;
    c.lifetime = f.lifetime;
    c.security = f.security;
    c.binding = f.binding;
    for (to, from) in [
        (&mut c.host, f.host),
        (&mut c.endpoint, f.endpoint),
        (&mut c.psk_id, f.psk_id),
    ] {
        to.clear();
        to.extend_from_slice(from).ok()?;
    }
    c.psk.clear();
    c.psk.extend_from_slice(f.psk).ok()
}

/// Validates `AT+QLACONFIG=...`; the decoded PSK goes to `key`.
fn parse<'a>(text: &'a [u8], key: &'a mut [u8; PSK_MAX]) -> Result<(bool, ServerFields<'a>), Error> {
    let p = Unfolded::new(Params::<9>::parse(text)?);
    let get = |i: usize| p.get(i);
    if !(6..=9).contains(&p.len()) {
        return Err(Error::ParamCount);
    }
    let bootstrap = int_param(get(0), 0, 1)? == 1;
    let host = text_param(get(1), HOST_MAX, false)?;
    let port = int_param(get(2), 0, 65535)? as u16;
    let endpoint = text_param(get(3), ENDPOINT_MAX, true)?;
    let lifetime = int_param(get(4), LIFETIME.0, LIFETIME.1)? as u32;
    let security = int_param(get(5), 0, 3)? as u8;
    if security != 0 && security != 3 {
        return Err(Error::ParamValue);
    }
    let tail = p.len() - 6;
    let has_psk = tail >= 2;
    if has_psk != (security == 0) {
        return Err(Error::ParamCount);
    }
    let mut psk_id: &[u8] = b"";
    let mut psk_len = 0;
    if has_psk {
        psk_id = text_param(get(6), PSK_ID_MAX, true)?;
        let hex = text_param(get(7), 2 * PSK_MAX + 1, false)?;
        // seed 004 §3.1: even-length hex, at most 256 characters.
        psk_len = decode_hex(hex, key)?;
    }
    let binding = if tail % 2 == 1 {
        int_param(get(p.len() - 1), 0, 1)? as u8
    } else {
        0
    };
    let fields = ServerFields {
        host,
        port,
        endpoint,
        lifetime,
        security,
        psk_id,
        psk: key.get(..psk_len).unwrap_or_default(),
        binding,
    };
    Ok((bootstrap, fields))
}

/// `AT+QLACONFIG=...`
pub fn set<H: Host + ?Sized>(state: &mut State, cx: &mut Context<'_, '_, H>, text: &[u8]) -> Result<(), Error> {
    let mut key = [0u8; PSK_MAX];
    let (bootstrap, fields) = parse(text, &mut key)?;
    // Cannot fail: parse checked every length against the same capacities.
    store(&mut state.server, bootstrap, &fields).ok_or(Error::ParamValue)?;
    if !bootstrap {
        state.persist(cx.out.host(), Kind::Server);
    }
    Ok(())
}

/// `AT+QLACONFIG?`: the LwM2M server, or just OK when there is none or only
/// a bootstrap server (seed 004 §3.1). Strings are printed quoted, as
/// Quectel responses print string values (`+QLACFG: "retransmit",..`).
pub fn query<H: Host + ?Sized>(state: &State, cx: &mut Context<'_, '_, H>) -> Result<(), Error> {
    let Some(c) = state.server.as_ref().filter(|c| !c.bootstrap) else {
        return Ok(());
    };
    let out = begin(cx.out, b"QLACONFIG");
    out.text(b"0,")
        .quoted(&c.host)
        .byte(b',')
        .uint(c.port as u64)
        .byte(b',');
    out.quoted(&c.endpoint).byte(b',').uint(c.lifetime as u64).byte(b',');
    out.uint(c.security as u64).byte(b',');
    if c.security == 0 {
        // The PSK is kept as bytes (half the RAM of its text), so it comes
        // back as upper-case hex whatever case the MCU typed.
        out.quoted(&c.psk_id).text(b",\"").hex(&c.psk).text(b"\",");
    }
    out.uint(c.binding as u64).end();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_port_unfolds() {
        let mut key = [0; PSK_MAX];
        let (_, c) = parse(b"0,\"221.229.214.202,5683\",\"ep\",300,3", &mut key).unwrap();
        assert_eq!(c.host, b"221.229.214.202");
        assert_eq!(c.port, 5683);
        assert_eq!(c.lifetime, 300);
    }
}
