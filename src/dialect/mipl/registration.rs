//! What AT+MIPLOPEN hands the LwM2M client: server, endpoint name, lifetime,
//! binding, auth code and the automatic-update rule of the profile.

use super::session::OpenRequest;
use super::Device;
use crate::coap::layer::Config;
use crate::config::ENDPOINT_MAX;
use crate::dialect::profile::ProfileId;
use crate::dialect::DeviceIds;
use crate::lwm2m::client::RegisterParams;
use crate::lwm2m::lifetime::UpdatePolicy;
use crate::lwm2m::Binding;
use heapless::Vec;

/// An endpoint name being built.
pub type Endpoint = Vec<u8, ENDPOINT_MAX>;

/// seed 001 §4.1 `<pattern>`: 1 `IMEI`, 2 `IMEI;IMSI`, 3 `urn:imei:IMEI`,
/// 4 `urn:imei-imsi:IMEI-IMSI`; 0 is the platform's default (OneNET
/// `IMEI;IMSI`, the others `IMEI`); platform 10 with `<epname>` uses it.
/// bc260y has no AT+MIPLCFG and registers as OneNET does.
pub fn endpoint_name(device: &Device, ids: &DeviceIds, out: &mut Endpoint) {
    out.clear();
    if device.platform == 10 && !device.epname.is_empty() {
        push(out, &device.epname);
        return;
    }
    let pattern = match (device.pattern, device.platform) {
        (0, 0) => 2,
        (0, _) => 1,
        (p, _) => p,
    };
    let (prefix, separator): (&[u8], &[u8]) = match pattern {
        2 => (b"", b";"),
        3 => (b"urn:imei:", b""),
        4 => (b"urn:imei-imsi:", b"-"),
        _ => (b"", b""),
    };
    push(out, prefix);
    push(out, &ids.imei);
    if !separator.is_empty() {
        push(out, separator);
        push(out, &ids.imsi);
    }
}

fn push(out: &mut Endpoint, bytes: &[u8]) {
    // Bounded by ENDPOINT_MAX: an over-long name is cut, never a panic.
    let room = out.capacity() - out.len();
    let _ = out.extend_from_slice(bytes.get(..room).unwrap_or(bytes));
}

/// The Register parameters for `AT+MIPLOPEN=<ref>,<lifetime>[,<timeout>]`.
pub fn params<'a>(
    profile: ProfileId,
    device: &'a Device,
    req: OpenRequest,
    endpoint: &'a Endpoint,
) -> RegisterParams<'a> {
    let bc260y = profile == ProfileId::Bc260y;
    // seed 003 §3.3.7: lifetime 0 means 3600 s.
    let lifetime_s = if bc260y && req.lifetime == 0 {
        3600
    } else {
        req.lifetime
    };
    let update_policy = match (bc260y, device.auto_update) {
        (true, true) => Some(UpdatePolicy::NineTenths),
        // seed 003 §5.7 EVENT_UPDATE_NEED (14): with <auto_update> 0 the
        // MCU is told when the update it must send is due.
        (true, false) => Some(UpdatePolicy::AnnounceAtNineTenths),
        // seed 001 §4.5: 30 s before expiry, for lifetimes of 60 s and more.
        (false, true) => Some(UpdatePolicy::BeforeExpiry),
        (false, false) => None,
    };
    RegisterParams {
        host: &device.host,
        port: device.port,
        bootstrap: device.flag & 1 != 0,
        endpoint,
        lifetime_s,
        // seed 001 §4.1 `<binding_mode>`: 2 is UDP queue; 0 (server default) and 1 are U.
        binding: if device.binding == 2 { Binding::UQ } else { Binding::U },
        auth_code: (!device.authcode.is_empty()).then_some(&device.authcode[..]),
        // a u16 of seconds fits a u32 of milliseconds: no 64-bit multiply
        timeout_ms: Some(u64::from(u32::from(req.timeout) * 1000)),
        config: Config::RFC,
        update_policy,
    }
}
