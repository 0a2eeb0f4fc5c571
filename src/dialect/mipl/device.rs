//! Device lifecycle and local configuration: CREATE, CREATEEX, DELETE,
//! CONFIG, VER, CFG, NMI, UPDATESET, DTLSNAT, DEVINFO, LTRDP, QMGR.

use super::fields::{self, int_param, printable, Args};
use super::reply::Out;
use super::reply::Reply;
use super::{blob, session, Cmd, Device, Fragments, State};
use crate::at::params::decode_hex;
use crate::at::{Error, Form, Param};
use crate::bytes::refill;
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
/// seed 001 §4.1: platform 10 ("其他平台") takes an `<epname>`.
const PLATFORM_OTHER: u32 = 10;

/// `+NAME: 0` — the reference of the one device.
#[inline(always)]
fn print_ref<O: Out + ?Sized>(reply: &mut Reply<'_, O>) {
    reply.begin().uint(0).end();
}

/// Creates the device in `slot`, in place: a `Device` is about 1 KiB, and
/// building it on the stack to move it into the state cost a copy per
/// create path. `host` is within `HOST_MAX` bytes: it comes from
/// [`split_host`], the bc260y config (a `HOST_MAX` vector) or a constant.
fn new_device<'d>(slot: &'d mut Option<Device>, host: &[u8], port: u16, flag: u8, dtls: bool) -> &'d mut Device {
    let device = slot.insert(Device {
        host: Vec::new(),
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
    });
    refill(device.host.as_mut_view(), host);
    device
}

/// [`new_device`] for a command: drops a half-assembled CREATE blob and
/// answers `+NAME: 0`.
fn install<'c, O: Out + ?Sized>(
    c: &'c mut Cmd<'_, '_, O>,
    host: &[u8],
    port: u16,
    flag: u8,
    dtls: bool,
) -> &'c mut Device {
    let device = new_device(&mut c.state.device, host, port, flag, dtls);
    c.state.fragments = None;
    print_ref(c.reply);
    device
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
            let (host, port) = t.split_at_checked(i).ok_or(Error::ParamValue)?;
            (host, fields::decimal_u16(port.get(1..).unwrap_or(b"")))
        }
        None => (t, Some(COAP_PORT)),
    };
    let port = port.filter(|&p| p != 0).ok_or(Error::ParamValue)?;
    if host.is_empty() || host.len() > HOST_MAX || host.iter().any(|&c| c == b' ' || c == b'"') {
        return Err(Error::ParamValue);
    }
    Ok((host, port))
}

/// AT+MIPLCREATE: exec (the configured or default server) or, on onemo,
/// the CIS config blob.
pub fn create<O: Out + ?Sized>(c: &mut Cmd<'_, '_, O>) -> Result<(), Error> {
    match c.form {
        Form::Set(_) => create_fragment(c),
        _ => create_exec(c),
    }
}

/// One `<totalsize>,<config>,<index>,<currentsize>,<flag>` fragment
/// (DESIGN.md: sizes count bytes; `<index>` counts down to 0; `<flag>` 1
/// first, 2 middle, 0 last). A fragment with index 0, flag 0 and
/// `<currentsize>` = `<totalsize>` is a whole blob and restarts assembly;
/// flag 1 restarts it too. Any error leaves the assembly as it was: every
/// check (the hex decoded into a scratch buffer) comes before the first byte
/// is stored, a whole blob never touches the assembly, and a last part
/// whose blob does not parse is cut off again.
fn create_fragment<O: Out + ?Sized>(c: &mut Cmd<'_, '_, O>) -> Result<(), Error> {
    let p = c.args;
    let total = p.int(0) as usize;
    let hex = p.text(1);
    let index = p.int(2);
    let current = p.int(3) as usize;
    let flag = p.int(4);
    if hex.len() != current.saturating_mul(2) {
        return Err(Error::ParamValue);
    }
    ensure_absent(c.state)?;
    if total > MIPL_CONFIG_MAX {
        return Err(Error::NoMemory);
    }
    let last = flag == 0;
    let whole = last && index == 0 && current == total;
    let State { device, fragments, .. } = &mut *c.state;
    // bytes of the assembly this part continues
    let restart = whole || flag == 1;
    let have = match &*fragments {
        _ if restart => 0,
        Some(f) if f.total == total && f.next_index == index => f.bytes.len(),
        _ => return Err(Error::ParamValue),
    };
    let end = have + current;
    // the parts must add up exactly at the last one and stay short before it
    if (last && (end != total || index != 0)) || (!last && (end >= total || index == 0)) {
        return Err(Error::ParamValue);
    }
    // current <= total <= MIPL_CONFIG_MAX (checked above): only a bad digit fails
    let mut scratch = [0u8; MIPL_CONFIG_MAX];
    let n = decode_hex(hex, &mut scratch)?;
    let part = scratch.get(..n).unwrap_or_default();
    let blob: &[u8] = if whole {
        part
    } else {
        if flag == 1 {
            *fragments = Some(Fragments {
                total,
                next_index: 0,
                bytes: Vec::new(),
            });
        }
        let f = fragments.as_mut().ok_or(Error::ParamValue)?;
        // within MIPL_CONFIG_MAX: end <= total, checked above
        f.bytes.extend_from_slice(part).map_err(|_| Error::NoMemory)?;
        if !last {
            f.next_index = index - 1;
            return Ok(());
        }
        &f.bytes
    };
    if let Err(e) = create_from_blob(device, blob) {
        // the last part of a bad assembly is cut off again
        if let Some(f) = fragments.as_mut().filter(|_| !whole) {
            f.bytes.truncate(have);
        }
        return Err(e);
    }
    *fragments = None;
    print_ref(c.reply);
    Ok(())
}

/// Creates the device from a complete config blob.
fn create_from_blob(slot: &mut Option<Device>, blob: &[u8]) -> Result<(), Error> {
    let (host, flags) = blob::server(blob).ok_or(Error::ParamValue)?;
    let (host, port) = split_host(host)?;
    let bootstrap = flags & blob::FLAG_BOOTSTRAP != 0;
    new_device(slot, host, port, bootstrap as u8, flags & blob::FLAG_DTLS != 0);
    Ok(())
}

/// AT+MIPLCREATE exec form: bc260y with the AT+MIPLCONFIG settings; onemo
/// (no AT+MIPLCONFIG) with their defaults, which are seed 001 §3.1's OneNET
/// bootstrap server, and no automatic update until AT+MIPLUPDATESET.
/// Only the exec form reaches it (the read form is refused before).
fn create_exec<O: Out + ?Sized>(c: &mut Cmd<'_, '_, O>) -> Result<(), Error> {
    ensure_absent(c.state)?;
    // the host comes from the config, which lives beside the device
    let State {
        device,
        config,
        fragments,
    } = &mut *c.state;
    let port = config.port;
    let d = new_device(device, &config.ip, port, config.bootstrap as u8, port == COAPS_PORT);
    d.auto_update = config.auto_update && c.flavor.configurable;
    d.recv_text = config.recv_text;
    *fragments = None;
    print_ref(c.reply);
    Ok(())
}

/// Checks a PSK: `<psk_encode>` 0 letters and digits, 1 hex; at most 16
/// bytes either way (seed 001 §4.6).
fn check_psk(psk: &[u8], hex: bool) -> Result<(), Error> {
    if hex {
        // checked, not decoded (the device keeps the text): odd is OddHex,
        // a bad digit or more than 16 bytes ParamValue
        match crate::at::params::hex_len(psk)? {
            0..=PSK_MAX_BYTES => Ok(()),
            _ => Err(Error::ParamValue),
        }
    } else if psk.len() <= PSK_MAX_BYTES && psk.iter().all(u8::is_ascii_alphanumeric) {
        Ok(())
    } else {
        Err(Error::ParamValue)
    }
}

/// Optional printable text field `i`: empty when absent or `,,` (but `""`
/// is an empty string given, which is refused).
fn opt_text<'a>(p: &Args<'a>, i: usize, max: usize) -> Result<&'a [u8], Error> {
    match p.param(i) {
        Param::Empty => Ok(b""),
        param => printable(param.text(), max),
    }
}

/// AT+MIPLCREATEEX=<host>,<flag>[,<authcode>[,<PSK>[,<PSKID>[,<psk_encode>]]]].
/// seed 001 §5.1 gives an auth code without a PSK, so each one is optional.
pub fn create_ex<O: Out + ?Sized>(c: &mut Cmd<'_, '_, O>) -> Result<(), Error> {
    let p = c.args;
    let (host, port) = split_host(printable(p.text(0), HOST_MAX + 6)?)?;
    let authcode = opt_text(p, 2, AUTHCODE_MAX)?;
    let psk = opt_text(p, 3, PSK_MAX)?;
    let psk_id = opt_text(p, 4, PSK_ID_MAX)?;
    let psk_hex = p.opt(5) == Some(1);
    if !psk.is_empty() {
        check_psk(psk, psk_hex)?;
    }
    ensure_absent(c.state)?;
    let device = install(c, host, port, p.int(1) as u8, port == COAPS_PORT);
    // each within its capacity already (opt_text)
    refill(device.authcode.as_mut_view(), authcode);
    refill(device.psk.as_mut_view(), psk);
    refill(device.psk_id.as_mut_view(), psk_id);
    device.psk_hex = psk_hex;
    Ok(())
}

/// AT+MIPLDELETE=<ref>: drops the device with its objects (seed 001 §3.2).
pub fn delete<O: Out + ?Sized>(c: &mut Cmd<'_, '_, O>) -> Result<(), Error> {
    c.state.device_mut()?;
    session::delete(c);
    c.state.device = None;
    Ok(())
}

/// bc260y AT+MIPLCONFIG=<mode>,<recv_data_format>[,<bsMode>,<ip>,<port>[,<auto_update>]]
/// and its read form (seed 003 §3.3.1). Omitted parameters keep their value.
pub fn config<O: Out + ?Sized>(c: &mut Cmd<'_, '_, O>) -> Result<(), Error> {
    if matches!(c.form, Form::Read) {
        let cf = &c.state.config;
        c.reply
            .begin()
            .field(b"0,", cf.recv_text as u32)
            .field(b",", cf.bootstrap as u32)
            .text(b",")
            .quoted(&cf.ip)
            .field(b",", cf.port as u32)
            .field(b",", cf.auto_update as u32)
            .end();
        return Ok(());
    }
    // the set form (the exec form is refused before)
    let p = c.args;
    // checked first, then stored in place (no copy of the whole config)
    let access = match p.len() {
        3 | 4 => return Err(Error::ParamCount),
        n if n >= 5 => Some((
            p.require(2)? == 1,
            printable(p.text(3), HOST_MAX)?,
            int_param(p.param(4), c.flavor, fields::TIMEOUT)? as u16,
        )),
        _ => None,
    };
    let cf = &mut c.state.config;
    cf.recv_text = p.int(1) == 1;
    if let Some((bootstrap, ip, port)) = access {
        cf.bootstrap = bootstrap;
        // within HOST_MAX: checked by printable
        refill(cf.ip.as_mut_view(), ip);
        cf.port = port;
        if let Some(auto) = p.opt(5) {
            cf.auto_update = auto == 1;
        }
    }
    Ok(())
}

/// bc260y AT+MIPLVER?: seed 003 §3.3.11 "当前版本为 OneNET SDK 2.3.0".
/// Only the read form reaches it.
pub fn version<O: Out + ?Sized>(c: &mut Cmd<'_, '_, O>) -> Result<(), Error> {
    c.reply.begin().text(b"2.3.0").end();
    Ok(())
}

/// onemo AT+MIPLCFG="platform",<ref>,<platform>[,<pattern>|<epname>] and
/// AT+MIPLCFG="binding",<ref>,<binding_mode> (seed 001 §4.1).
pub fn cfg<O: Out + ?Sized>(c: &mut Cmd<'_, '_, O>) -> Result<(), Error> {
    let p = c.args;
    let key = p.param(0).quoted()?;
    let binding = key.eq_ignore_ascii_case(b"binding");
    if !binding && !key.eq_ignore_ascii_case(b"platform") {
        return Err(Error::ParamValue);
    }
    if binding && p.len() != 3 {
        return Err(Error::ParamCount);
    }
    // the value: <binding_mode> 0..2 or <platform>
    let value = int_param(
        p.param(2),
        c.flavor,
        if binding { fields::RAI } else { fields::PLATFORM },
    )?;
    // "binding" has no fourth field: Empty
    let (pattern, epname) = match p.param(3) {
        Param::Empty => (0, &b""[..]),
        _ if value == PLATFORM_OTHER => (0, printable(p.text(3), ENDPOINT_MAX)?),
        // <pattern> 0..4
        param => (int_param(param, c.flavor, fields::CONTENT_TYPE)?, &b""[..]),
    };
    let d = c.state.device_mut()?;
    if binding {
        d.binding = value as u8;
        return Ok(());
    }
    refill(d.epname.as_mut_view(), epname);
    d.platform = value as u8;
    d.pattern = pattern as u8;
    Ok(())
}

/// onemo AT+MIPLNMI=<ref>,<nnmi>,<nsmi> (seed 001 §4.2).
pub fn nmi<O: Out + ?Sized>(c: &mut Cmd<'_, '_, O>) -> Result<(), Error> {
    let p = c.args;
    let d = c.state.device_mut()?;
    d.nnmi = p.int(1) as u8;
    d.nsmi = p.int(2) as u8;
    Ok(())
}

/// onemo AT+MIPLUPDATESET=<ref>,<enable>: "在创建设备后、登录设备前使用" (seed 001 §4.5).
pub fn update_set<O: Out + ?Sized>(c: &mut Cmd<'_, '_, O>) -> Result<(), Error> {
    let p = c.args;
    c.state.device_mut()?;
    session::before_open(c)?;
    c.state.device_mut()?.auto_update = p.int(1) == 1;
    Ok(())
}

/// onemo AT+MIPLDTLSNAT=<ref>,<timeout> (seed 001 §4.8).
pub fn dtls_nat<O: Out + ?Sized>(c: &mut Cmd<'_, '_, O>) -> Result<(), Error> {
    let p = c.args;
    c.state.device_mut()?.dtls_nat = p.int(1);
    Ok(())
}

/// onemo AT+MIPLDEVINFO?: `+MIPLDEVINFO: "<host:port>",<flag>[,"<authcode>"[,"<psk>"]]`
/// (seed 001 §4.7, §5.2: an empty auth code before a PSK prints as `,,`).
/// Only the read form reaches it.
pub fn dev_info<O: Out + ?Sized>(c: &mut Cmd<'_, '_, O>) -> Result<(), Error> {
    let d = c.state.device.as_ref().ok_or(Error::NotFound)?;
    let reply = &mut *c.reply;
    reply
        .begin()
        .text(b"\"")
        .text(&d.host)
        .field(b":", d.port as u32)
        .field(b"\",", d.flag as u32);
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
/// Only the exec form reaches it.
pub fn lifetime_left<O: Out + ?Sized>(c: &mut Cmd<'_, '_, O>) -> Result<(), Error> {
    let left = session::remaining_lifetime(c);
    c.reply.begin().uint(left).end();
    Ok(())
}

/// onemo AT+MIPLQMGR=<ref>, printed as seed 001 §4.4's example:
/// `+MIPLQMGR: 0,QUEUES=3,DROPPED=0,BUFFERS=12`.
pub fn queue_stats<O: Out + ?Sized>(c: &mut Cmd<'_, '_, O>) -> Result<(), Error> {
    c.state.device_mut()?;
    let s = session::queue_stats(c.state);
    c.reply
        .begin()
        .field(b"0,QUEUES=", s.queued)
        .field(b",DROPPED=", s.dropped)
        .field(b",BUFFERS=", s.buffered)
        .end();
    Ok(())
}
