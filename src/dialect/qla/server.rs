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
use super::requests::{check, Args, Rule, ENDPOINT, HOST, PSK_HEX, PSK_ID};
use super::{begin, comma_uint, Context, Fields, State};
use crate::at::{params::decode_hex, Error};
use crate::bytes::refill;
use crate::config::{ENDPOINT_MAX, HOST_MAX, PSK_ID_MAX, PSK_MAX};
use crate::host::Host;
use heapless::Vec;

/// Lifetime range in seconds (seed 004 §3.1, §3.4: 20..31536000, 365 days).
pub const LIFETIME: (i64, i64) = (20, 31_536_000);

/// One `AT+QLACONFIG`.
///
/// `repr(C)`, the scalars first: within Cortex-M0's short load/store
/// offsets (32 bytes for a byte), before the ~600 bytes of strings.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[repr(C)]
pub struct ServerConfig {
    /// `<lifetime>` in seconds.
    pub lifetime: u32,
    /// `<port>`.
    pub port: u16,
    /// `<Bootstrap_flag>` 1: a bootstrap server.
    pub bootstrap: bool,
    /// `<security_mode>`: 0 DTLS PSK, 3 none.
    pub security: u8,
    /// `<binding_mode>`: 0 UDP, 1 UDP queue. Omitted means 0.
    pub binding: u8,
    /// `<server_ip>`: address or name, no port.
    pub host: Vec<u8, HOST_MAX>,
    /// `<endpoint_name>`.
    pub endpoint: Vec<u8, ENDPOINT_MAX>,
    /// `<PSK_ID>` (security 0 only).
    pub psk_id: Vec<u8, PSK_ID_MAX>,
    /// `<PSK>`, decoded from its hex text.
    pub psk: Vec<u8, PSK_MAX>,
}

/// `<Bootstrap_flag>,<server_ip>,<port>,<endpoint_name>,<lifetime>,
/// <security_mode>`, checked by the rule interpreter the network commands
/// use ([`check`]).
const FIXED: [Rule; 6] = [
    Rule::Int(1),
    HOST,
    Rule::Int(16),
    ENDPOINT,
    Rule::Lifetime,
    Rule::Int(2),
];
/// `<PSK_ID>,<PSK>`.
const PSK: [Rule; 2] = [PSK_ID, PSK_HEX];
/// `<binding_mode>`.
const BINDING: [Rule; 1] = [Rule::Int(1)];

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
    // Every field is set here: a fresh config, not the old one patched.
    let c = slot.insert(ServerConfig {
        bootstrap,
        host: Vec::new(),
        port: f.port,
        endpoint: Vec::new(),
        lifetime: f.lifetime,
        security: f.security,
        psk_id: Vec::new(),
        psk: Vec::new(),
        binding: f.binding,
    });
    refill(c.host.as_mut_view(), f.host);
    refill(c.endpoint.as_mut_view(), f.endpoint);
    refill(c.psk_id.as_mut_view(), f.psk_id);
    refill(c.psk.as_mut_view(), f.psk);
    Some(())
}

/// Validates `AT+QLACONFIG=...`; the decoded PSK goes to `key`. The
/// parameters are checked in order, so the first bad one decides the error.
fn parse<'a>(params: &Fields<'a>, key: &'a mut [u8; PSK_MAX]) -> Result<(bool, ServerFields<'a>), Error> {
    // Only a quoted parameter can hold a comma; split at the last one.
    let t = params.get(1).text();
    let folded = t
        .iter()
        .rposition(|&b| b == b',')
        .and_then(|comma| Some((t.get(..comma)?, t.get(comma + 1..)?)));
    let args = Args { params, folded };
    let n = args.len();
    if !(6..=9).contains(&n) {
        return Err(Error::ParamCount);
    }
    // The optional tail, told apart by its length: 2 or 3 with the PSK
    // pair, odd with a binding mode.
    let has_psk = n >= 8;
    let mut nums = [0u32; 9];
    check(&args, 0, &FIXED, &mut nums)?;
    // Security 0 (DTLS PSK) needs the PSK pair; 3 (none) must not carry one.
    let security = nums[5];
    if security != 0 && security != 3 {
        return Err(Error::ParamValue);
    }
    if has_psk != (security == 0) {
        return Err(Error::ParamCount);
    }
    let mut psk: (&[u8], usize) = (b"", 0);
    if has_psk {
        check(&args, 6, &PSK, &mut nums)?;
        psk = (args.get(6).text(), decode_hex(args.get(7).text(), key)?);
    }
    if n % 2 == 1 {
        check(&args, n - 1, &BINDING, &mut nums)?;
    }
    let binding = if n % 2 == 1 {
        nums.get(n - 1).copied().unwrap_or(0)
    } else {
        0
    };
    let fields = ServerFields {
        host: args.get(1).text(),
        port: nums[2] as u16,
        endpoint: args.get(3).text(),
        lifetime: nums[4],
        security: security as u8,
        psk_id: psk.0,
        psk: key.get(..psk.1).unwrap_or_default(),
        binding: binding as u8,
    };
    Ok((nums[0] == 1, fields))
}

/// `AT+QLACONFIG=...`
// Out of line: inlined into the dispatcher it costs ~50 B more.
#[inline(never)]
pub fn set<H: Host + ?Sized>(state: &mut State, cx: &mut Context<'_, '_, H>, params: &Fields<'_>) -> Result<(), Error> {
    let mut key = [0u8; PSK_MAX];
    let (bootstrap, fields) = parse(params, &mut key)?;
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
    out.text(b"0,").quoted(&c.host);
    comma_uint(out, c.port.into()).byte(b',').quoted(&c.endpoint);
    comma_uint(out, c.lifetime);
    comma_uint(out, c.security.into());
    if c.security == 0 {
        // The PSK is kept as bytes (half the RAM of its text), so it comes
        // back as upper-case hex whatever case the MCU typed.
        out.byte(b',').quoted(&c.psk_id).text(b",\"").hex(&c.psk).byte(b'"');
    }
    comma_uint(out, c.binding.into()).end();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_port_unfolds() {
        let mut key = [0; PSK_MAX];
        let mut params = Fields::EMPTY;
        params
            .lex_at_most(b"0,\"221.229.214.202,5683\",\"ep\",300,3", 9)
            .unwrap();
        let (_, c) = parse(&params, &mut key).unwrap();
        assert_eq!(c.host, b"221.229.214.202");
        assert_eq!(c.port, 5683);
        assert_eq!(c.lifetime, 300);
    }
}
