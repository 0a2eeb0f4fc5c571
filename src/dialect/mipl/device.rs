//! Device lifecycle and local configuration: CREATE, CREATEEX, DELETE,
//! CONFIG, VER, CFG, NMI, UPDATESET, DTLSNAT, DEVINFO, LTRDP, QMGR.

use super::fields::{self, args, int, opt_int, opt_text, ref_args, text, Spans, BOOL, REF};
use super::reply::Reply;
use super::{blob, session, Device, Flavor, Fragments, State};
use crate::at::params::decode_hex;
use crate::at::{Error, Form};
use crate::config::{AUTHCODE_MAX, ENDPOINT_MAX, HOST_MAX, MIPL_CONFIG_MAX, PSK_ID_MAX, PSK_MAX};
use crate::model::mipl::ObjectTable;
use heapless::Vec;

/// OneNET's Chongqing bootstrap server (seed 003 §7.2.1: 183.230.40.39);
/// seed 001 §3.1: the exec form of CREATE bootstraps to OneNET Chongqing.
pub const ONENET_BOOTSTRAP: &[u8] = b"183.230.40.39";
/// CoAP's port; seed 001 §4.6: the default when `<host>` has none.
const COAP_PORT: u16 = 5683;
/// CoAPS port: seed 001 §4.6 "port设置为5684时，模组使用DTLS".
const COAPS_PORT: u16 = 5684;
/// seed 001 §4.6: PSK "长度最大16字节".
const PSK_MAX_BYTES: usize = 16;
/// seed 001 §4.8: 0 turns renegotiation off, otherwise at least 60 s.
const DTLS_NAT: Spans = &[(0, 0), (60, u32::MAX)];
/// seed 001 §4.1 `<platform>`.
const PLATFORMS: Spans = &[(0, 3), (10, 10)];
/// seed 001 §4.1: platform 10 ("其他平台") takes an `<epname>`.
const PLATFORM_OTHER: u32 = 10;

/// `+NAME: 0` — the reference of the one device.
fn print_ref(reply: &mut Reply, name: &[u8]) {
    reply.begin(name).uint(0).end();
}

fn copy<const N: usize>(t: &[u8]) -> Result<Vec<u8, N>, Error> {
    Vec::from_slice(t).map_err(|_| Error::ParamValue)
}

fn new_device(host: &[u8], port: u16, flag: u8, dtls: bool) -> Result<Device, Error> {
    Ok(Device {
        host: copy(host)?,
        port,
        flag,
        dtls,
        authcode: Vec::new(),
        psk: Vec::new(),
        psk_id: Vec::new(),
        psk_hex: false,
        platform: 0,
        pattern: 0,
        epname: Vec::new(),
        binding: 0,
        nnmi: 0,
        nsmi: 0,
        auto_update: false,
        dtls_nat: 120,
        recv_text: false,
        objects: ObjectTable::new(),
    })
}

fn ensure_absent(state: &State) -> Result<(), Error> {
    match state.device {
        // seed 001 §6 653: "申请dev时已存在"
        Some(_) => Err(Error::Exists),
        None => Ok(()),
    }
}

/// Splits `"ip:port"`; no port means 5683 (seed 001 §4.6).
pub fn split_host(t: &[u8]) -> Result<(&[u8], u16), Error> {
    let (host, port) = match t.iter().rposition(|&c| c == b':') {
        Some(i) => {
            let port = t.get(i + 1..).unwrap_or(b"");
            if port.is_empty() || !port.iter().all(u8::is_ascii_digit) {
                return Err(Error::ParamValue);
            }
            let port = crate::at::params::parse_int(port).ok_or(Error::ParamValue)?;
            (t.get(..i).unwrap_or(b""), port)
        }
        None => (t, COAP_PORT as i64),
    };
    let port = u16::try_from(port).ok().filter(|&p| p != 0).ok_or(Error::ParamValue)?;
    if host.is_empty() || host.len() > HOST_MAX || host.iter().any(|&c| c == b' ' || c == b'"') {
        return Err(Error::ParamValue);
    }
    Ok((host, port))
}

/// AT+MIPLCREATE on onemo: exec (OneNET defaults) or the CIS config blob.
pub fn create_onemo(state: &mut State, _: &Flavor, form: Form<'_>, reply: &mut Reply) -> Result<(), Error> {
    match form {
        Form::Exec => {
            ensure_absent(state)?;
            let device = new_device(ONENET_BOOTSTRAP, COAP_PORT, 1, false)?;
            state.device = Some(device);
            state.fragments = None;
            print_ref(reply, b"MIPLCREATE");
            Ok(())
        }
        Form::Set(t) => create_fragment(state, t, reply),
        _ => Err(Error::Syntax),
    }
}

/// One `<totalsize>,<config>,<index>,<currentsize>,<flag>` fragment
/// (DESIGN.md: sizes count bytes; `<index>` counts down to 0; `<flag>` 1
/// first, 2 middle, 0 last). A fragment with index 0, flag 0 and
/// `<currentsize>` = `<totalsize>` is a whole blob and restarts assembly;
/// flag 1 restarts it too. Any error leaves the assembly as it was.
fn create_fragment(state: &mut State, t: &[u8], reply: &mut Reply) -> Result<(), Error> {
    let p = args(t, 5, 5)?;
    let total = int(&p, 0, &[(1, u32::MAX)])? as usize;
    let hex = p.require(1)?.text();
    let index = int(&p, 2, &[(0, u32::MAX)])?;
    let current = int(&p, 3, &[(1, u32::MAX)])? as usize;
    let flag = int(&p, 4, fields::PART_FLAG)?;
    if hex.len() != current.saturating_mul(2) {
        return Err(Error::ParamValue);
    }
    ensure_absent(state)?;
    if total > MIPL_CONFIG_MAX {
        return Err(Error::NoMemory);
    }
    let whole = flag == 0 && index == 0 && current == total;
    // a copy of the parts so far: the pending ones stay as they are on error
    let mut bytes = match (&state.fragments, flag) {
        _ if whole || flag == 1 => Vec::new(),
        (Some(f), 0 | 2) if f.total == total && f.next_index == index => f.bytes.clone(),
        _ => return Err(Error::ParamValue),
    };
    let have = bytes.len();
    let end = have + current;
    let last = flag == 0;
    // the parts must add up exactly at the last one and stay short before it
    if (last && (end != total || index != 0)) || (!last && (end >= total || index == 0)) {
        return Err(Error::ParamValue);
    }
    bytes.resize_default(end).map_err(|_| Error::NoMemory)?;
    decode_hex(hex, bytes.get_mut(have..).unwrap_or(&mut []))?;
    if !last {
        state.fragments = Some(Fragments {
            total,
            next_index: index - 1,
            bytes,
        });
        return Ok(());
    }
    let config = blob::parse(&bytes).map_err(|_| Error::ParamValue)?;
    let (host, port) = split_host(config.net.host)?;
    let device = new_device(host, port, config.net.bootstrap as u8, config.net.dtls)?;
    state.device = Some(device);
    state.fragments = None;
    print_ref(reply, b"MIPLCREATE");
    Ok(())
}

/// AT+MIPLCREATE on bc260y: exec only, with the AT+MIPLCONFIG settings.
pub fn create_bc260y(state: &mut State, _: &Flavor, form: Form<'_>, reply: &mut Reply) -> Result<(), Error> {
    if form != Form::Exec {
        return Err(Error::Syntax);
    }
    ensure_absent(state)?;
    let c = &state.config;
    let mut device = new_device(&c.ip, c.port, c.bootstrap as u8, c.port == COAPS_PORT)?;
    device.auto_update = c.auto_update;
    device.recv_text = c.recv_text;
    state.device = Some(device);
    print_ref(reply, b"MIPLCREATE");
    Ok(())
}

/// Checks a PSK: `<psk_encode>` 0 letters and digits, 1 hex; at most 16
/// bytes either way (seed 001 §4.6).
fn check_psk(psk: &[u8], hex: bool) -> Result<(), Error> {
    if hex {
        let mut raw = [0u8; PSK_MAX_BYTES];
        decode_hex(psk, &mut raw).map(|_| ())
    } else if psk.len() <= PSK_MAX_BYTES && psk.iter().all(u8::is_ascii_alphanumeric) {
        Ok(())
    } else {
        Err(Error::ParamValue)
    }
}

/// AT+MIPLCREATEEX=<host>,<flag>[,<authcode>[,<PSK>[,<PSKID>[,<psk_encode>]]]].
/// seed 001 §5.1 gives an auth code without a PSK, so each one is optional.
pub fn create_ex(state: &mut State, _: &Flavor, form: Form<'_>, reply: &mut Reply) -> Result<(), Error> {
    let Form::Set(t) = form else {
        return Err(Error::Syntax);
    };
    let p = args(t, 2, 6)?;
    let (host, port) = split_host(text(&p, 0, HOST_MAX + 6)?)?;
    let flag = int(&p, 1, &[(0, 3)])? as u8;
    let authcode = opt_text(&p, 2, AUTHCODE_MAX)?;
    let psk = opt_text(&p, 3, PSK_MAX)?;
    let psk_id = opt_text(&p, 4, PSK_ID_MAX)?;
    let psk_hex = opt_int(&p, 5, BOOL)? == Some(1);
    if let Some(psk) = psk {
        check_psk(psk, psk_hex)?;
    }
    ensure_absent(state)?;
    let mut device = new_device(host, port, flag, port == COAPS_PORT)?;
    device.authcode = copy(authcode.unwrap_or(b""))?;
    device.psk = copy(psk.unwrap_or(b""))?;
    device.psk_id = copy(psk_id.unwrap_or(b""))?;
    device.psk_hex = psk_hex;
    state.device = Some(device);
    state.fragments = None;
    print_ref(reply, b"MIPLCREATEEX");
    Ok(())
}

/// AT+MIPLDELETE=<ref>: drops the device with its objects (seed 001 §3.2).
pub fn delete(state: &mut State, _: &Flavor, form: Form<'_>, _: &mut Reply) -> Result<(), Error> {
    ref_args(form, 1, 1)?;
    state.device_mut()?;
    session::delete(state);
    state.device = None;
    Ok(())
}

/// bc260y AT+MIPLCONFIG=<mode>,<recv_data_format>[,<bsMode>,<ip>,<port>[,<auto_update>]]
/// and its read form (seed 003 §3.3.1). Omitted parameters keep their value.
pub fn config(state: &mut State, _: &Flavor, form: Form<'_>, reply: &mut Reply) -> Result<(), Error> {
    match form {
        Form::Read => {
            let c = &state.config;
            reply
                .begin(b"MIPLCONFIG")
                .text(b"0,")
                .uint(c.recv_text as u64)
                .text(b",")
                .uint(c.bootstrap as u64)
                .text(b",")
                .quoted(&c.ip)
                .text(b",")
                .uint(c.port as u64)
                .text(b",")
                .uint(c.auto_update as u64)
                .end();
            Ok(())
        }
        Form::Set(t) => {
            let p = args(t, 2, 6)?;
            if matches!(p.len(), 3 | 4) {
                return Err(Error::ParamCount);
            }
            int(&p, 0, fields::CONFIG_MODE)?;
            let recv_text = int(&p, 1, BOOL)? == 1;
            let mut c = state.config.clone();
            c.recv_text = recv_text;
            if p.len() >= 5 {
                c.bootstrap = int(&p, 2, BOOL)? == 1;
                c.ip = copy(text(&p, 3, HOST_MAX)?)?;
                c.port = fields::int16(&p, 4, &[(1, 65535)])?;
                if let Some(auto) = opt_int(&p, 5, BOOL)? {
                    c.auto_update = auto == 1;
                }
            }
            state.config = c;
            Ok(())
        }
        _ => Err(Error::Syntax),
    }
}

/// bc260y AT+MIPLVER?: seed 003 §3.3.11 "当前版本为 OneNET SDK 2.3.0".
pub fn version(_: &mut State, _: &Flavor, form: Form<'_>, reply: &mut Reply) -> Result<(), Error> {
    if form != Form::Read {
        return Err(Error::Syntax);
    }
    reply.begin(b"MIPLVER").text(b"2.3.0").end();
    Ok(())
}

/// onemo AT+MIPLCFG="platform",<ref>,<platform>[,<pattern>|<epname>] and
/// AT+MIPLCFG="binding",<ref>,<binding_mode> (seed 001 §4.1).
pub fn cfg(state: &mut State, _: &Flavor, form: Form<'_>, _: &mut Reply) -> Result<(), Error> {
    let Form::Set(t) = form else {
        return Err(Error::Syntax);
    };
    let p = args(t, 3, 4)?;
    let key = p.require(0)?.quoted()?;
    int(&p, 1, REF)?;
    if key.eq_ignore_ascii_case(b"binding") {
        p.expect_count(3, 3)?;
        let binding = int(&p, 2, &[(0, 2)])? as u8;
        state.device_mut()?.binding = binding;
        return Ok(());
    }
    if !key.eq_ignore_ascii_case(b"platform") {
        return Err(Error::ParamValue);
    }
    let platform = int(&p, 2, PLATFORMS)?;
    let (pattern, epname) = if platform == PLATFORM_OTHER {
        (0, opt_text(&p, 3, ENDPOINT_MAX)?.unwrap_or(b""))
    } else {
        (opt_int(&p, 3, &[(0, 4)])?.unwrap_or(0), &b""[..])
    };
    let epname = copy(epname)?;
    let d = state.device_mut()?;
    d.platform = platform as u8;
    d.pattern = pattern as u8;
    d.epname = epname;
    Ok(())
}

/// onemo AT+MIPLNMI=<ref>,<nnmi>,<nsmi> (seed 001 §4.2).
pub fn nmi(state: &mut State, _: &Flavor, form: Form<'_>, _: &mut Reply) -> Result<(), Error> {
    let p = ref_args(form, 3, 3)?;
    let nnmi = int(&p, 1, &[(0, 2)])? as u8;
    let nsmi = int(&p, 2, BOOL)? as u8;
    let d = state.device_mut()?;
    d.nnmi = nnmi;
    d.nsmi = nsmi;
    Ok(())
}

/// onemo AT+MIPLUPDATESET=<ref>,<enable>: "在创建设备后、登录设备前使用" (seed 001 §4.5).
pub fn update_set(state: &mut State, _: &Flavor, form: Form<'_>, _: &mut Reply) -> Result<(), Error> {
    let p = ref_args(form, 2, 2)?;
    let enable = int(&p, 1, BOOL)? == 1;
    state.device_mut()?;
    if session::registered(state) {
        return Err(Error::NotAllowed);
    }
    state.device_mut()?.auto_update = enable;
    Ok(())
}

/// onemo AT+MIPLDTLSNAT=<ref>,<timeout> (seed 001 §4.8).
pub fn dtls_nat(state: &mut State, _: &Flavor, form: Form<'_>, _: &mut Reply) -> Result<(), Error> {
    let p = ref_args(form, 2, 2)?;
    let timeout = int(&p, 1, DTLS_NAT)?;
    state.device_mut()?.dtls_nat = timeout;
    Ok(())
}

/// onemo AT+MIPLDEVINFO?: `+MIPLDEVINFO: "<host:port>",<flag>[,"<authcode>"[,"<psk>"]]`
/// (seed 001 §4.7, §5.2: an empty auth code before a PSK prints as `,,`).
pub fn dev_info(state: &mut State, _: &Flavor, form: Form<'_>, reply: &mut Reply) -> Result<(), Error> {
    if form != Form::Read {
        return Err(Error::Syntax);
    }
    let d = state.device.as_ref().ok_or(Error::NotFound)?;
    reply
        .begin(b"MIPLDEVINFO")
        .text(b"\"")
        .text(&d.host)
        .text(b":")
        .uint(d.port as u64)
        .text(b"\",")
        .uint(d.flag as u64);
    if !d.authcode.is_empty() {
        reply.text(b",").quoted(&d.authcode);
    } else if !d.psk.is_empty() {
        reply.text(b",");
    }
    if !d.psk.is_empty() {
        reply.text(b",").quoted(&d.psk);
    }
    reply.end();
    Ok(())
}

/// onemo AT+MIPLLTRDP: remaining lifetime, 0 when not registered (seed 001 §4.9).
pub fn lifetime_left(state: &mut State, _: &Flavor, form: Form<'_>, reply: &mut Reply) -> Result<(), Error> {
    if form != Form::Exec {
        return Err(Error::Syntax);
    }
    reply
        .begin(b"MIPLLTRDP")
        .uint(session::remaining_lifetime(state) as u64)
        .end();
    Ok(())
}

/// onemo AT+MIPLQMGR=<ref>, printed as seed 001 §4.4's example:
/// `+MIPLQMGR: 0,QUEUES=3,DROPPED=0,BUFFERS=12`.
pub fn queue_stats(state: &mut State, _: &Flavor, form: Form<'_>, reply: &mut Reply) -> Result<(), Error> {
    ref_args(form, 1, 1)?;
    state.device_mut()?;
    let s = session::queue_stats(state);
    reply
        .begin(b"MIPLQMGR")
        .text(b"0,QUEUES=")
        .uint(s.queued as u64)
        .text(b",DROPPED=")
        .uint(s.dropped as u64)
        .text(b",BUFFERS=")
        .uint(s.buffered as u64)
        .end();
    Ok(())
}
