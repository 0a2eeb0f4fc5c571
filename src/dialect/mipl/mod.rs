//! The MIPL command set (profiles `onemo` and `bc260y`).
//!
//! One table names every command, the profiles that know it and its handler.
//! Handlers validate everything first and change state last; they write into
//! a [`Reply`] that is printed only on success. Commands that need the
//! network are parsed into typed requests and handed to [`session`].

pub mod blob;
mod device;
pub mod fields;
mod network;
mod objects;
pub mod reply;
pub mod session;
pub mod value;

use super::{Context, Dispatch};
use crate::at::{Command, Error, Form};
use crate::config::{AUTHCODE_MAX, ENDPOINT_MAX, HOST_MAX, MIPL_CONFIG_MAX, PSK_ID_MAX, PSK_MAX};
use crate::dialect::profile::ProfileId;
use crate::host::Host;
use crate::model::mipl::{ModelError, ObjectTable};
use fields::{Spans, TestField};
use heapless::Vec;
use reply::Reply;

/// The MIPL differences between the two profiles, as data.
#[derive(Debug)]
pub struct Flavor {
    /// Bit of this profile in [`Entry::profiles`].
    mask: u8,
    /// `<mid>`/`<msgId>` values: onemo prints CoAP message ids (uint16),
    /// bc260y a counter up to 268435455 (seed 003 §5).
    handle: Spans,
    /// `<type>` values: onemo 1..6 (seed 001 §3.9), bc260y 1..5 (seed 003 §3.3.15).
    value_types: Spans,
    /// OPEN/UPDATE `<lifetime>`: onemo gives no range (LwM2M's uint32),
    /// bc260y 0 or 15..268435455.
    lifetime: Spans,
    /// NOTIFY `<flag>`: onemo adds 0x200/0x400 release hints (seed 001 §3.9).
    notify_flag: Spans,
    /// NOTIFY/READRSP `<index>`: bc260y 0..10 (seed 003 §3.3.15).
    index: Spans,
    /// NOTIFY/READRSP `<len>`: onemo ignores it (any uint16), bc260y up to 1024.
    len: Spans,
    /// bc260y writes non-string values bare and `<len>` must match the value
    /// (seed 003 §3.3.11); onemo takes quotes on any value and ignores `<len>`
    /// (seed 001 §3.9: "无需指定<len>").
    strict_values: bool,
    /// bc260y: `<insBitmap>` is "带双引号的字符串型" (seed 003 §3.3.5).
    quoted_bitmap: bool,
    /// bc260y defines `=?` for its commands (seed 003 §3.3); onemo does not.
    test_forms: bool,
    /// bc260y answers and reports take a trailing `<raiMode>` (seed 003 §3.3.9).
    rai: bool,
    /// onemo's AT+MIPLOPEN? (seed 001 §3.6).
    open_query: bool,
    /// PARAMETERRSP results: onemo's example answers with 1 (seed 001 §3.17).
    ack_results: Spans,
    /// OBSERVERSP results: onemo "正确返回1" besides its table's 2 (seed 001
    /// §3.19); bc260y 1, 11..15 (seed 003 §3.3.10).
    observe_results: Spans,
}

static ONEMO: Flavor = Flavor {
    mask: ONE,
    handle: fields::U16,
    value_types: &[(1, 6)],
    lifetime: &[(0, u32::MAX)],
    notify_flag: &[(0, 2), (0x200, 0x200), (0x400, 0x400)],
    index: fields::U16,
    len: fields::U16,
    strict_values: false,
    quoted_bitmap: false,
    test_forms: false,
    rai: false,
    open_query: true,
    ack_results: fields::RESULT_ONEMO_ACK,
    observe_results: fields::RESULT_ONEMO_ACK,
};

static BC260Y: Flavor = Flavor {
    mask: BC,
    handle: fields::MSG_ID_BC,
    value_types: fields::VALUE_TYPE_BC,
    lifetime: fields::LIFETIME_BC,
    notify_flag: fields::PART_FLAG,
    index: fields::INDEX_BC,
    len: fields::LEN_BC,
    strict_values: true,
    quoted_bitmap: true,
    test_forms: true,
    rai: true,
    open_query: false,
    ack_results: fields::RESULT_CHANGED,
    observe_results: fields::RESULT_CONTENT,
};

impl Flavor {
    fn of(id: ProfileId) -> Option<&'static Flavor> {
        match id {
            ProfileId::Onemo => Some(&ONEMO),
            ProfileId::Bc260y => Some(&BC260Y),
            ProfileId::Qla => None,
        }
    }
}

const ONE: u8 = 1;
const BC: u8 = 2;
const BOTH: u8 = ONE | BC;

/// A command handler: state, profile differences, the form, the reply.
type Handler = fn(&mut State, &'static Flavor, Form<'_>, &mut Reply) -> Result<(), Error>;

/// One row of the command table.
struct Entry {
    /// The correct name, as printed.
    name: &'static [u8],
    /// Misspellings from the manuals, accepted on input.
    aliases: &'static [&'static [u8]],
    profiles: u8,
    handler: Handler,
    /// The bc260y `=?` answer; empty when the manual defines none.
    test: &'static [TestField],
}

const fn entry(name: &'static [u8], profiles: u8, handler: Handler, test: &'static [TestField]) -> Entry {
    Entry {
        name,
        aliases: &[],
        profiles,
        handler,
        test,
    }
}

const fn alias(mut e: Entry, aliases: &'static [&'static [u8]]) -> Entry {
    e.aliases = aliases;
    e
}

use fields::TestField::{Int, Name};
use fields::{
    BOOL, INDEX_BC, LEN_BC, LIFETIME_BC, MSG_ID_BC, PART_FLAG, RAI, REF, RESULT_CHANGED, RESULT_CONTENT, TIMEOUT, U16,
    VALUE_TYPE_BC,
};

// seed 003 §3.3: the `=?` answers, one Quectel style for all.
const T_CONFIG: &[TestField] = &[
    Int(fields::CONFIG_MODE),
    Int(BOOL),
    Int(BOOL),
    Name(b"<ip>"),
    Name(b"<port>"),
    Int(BOOL),
];
const T_REF: &[TestField] = &[Int(REF)];
const T_ADDOBJ: &[TestField] = &[Int(REF), Int(U16), Int(U16), Name(b"<insBitmap>"), Int(U16), Int(U16)];
const T_DELOBJ: &[TestField] = &[Int(REF), Int(U16)];
const T_OPEN: &[TestField] = &[Int(REF), Int(LIFETIME_BC), Int(TIMEOUT)];
const T_UPDATE: &[TestField] = &[Int(REF), Int(LIFETIME_BC), Int(BOOL), Int(RAI)];
const T_DISCOVER: &[TestField] = &[
    Int(REF),
    Int(MSG_ID_BC),
    Int(RESULT_CONTENT),
    Int(fields::DISCOVER_LEN_BC),
    Name(b"<valuestring>"),
    Int(RAI),
];
const T_OBSERVE: &[TestField] = &[Int(REF), Int(MSG_ID_BC), Int(RESULT_CONTENT), Int(RAI)];
const T_ACK: &[TestField] = &[Int(REF), Int(MSG_ID_BC), Int(RESULT_CHANGED), Int(RAI)];
const T_NOTIFY: &[TestField] = &[
    Int(REF),
    Int(MSG_ID_BC),
    Int(U16),
    Int(U16),
    Int(U16),
    Int(VALUE_TYPE_BC),
    Int(LEN_BC),
    Name(b"<value>"),
    Int(INDEX_BC),
    Int(PART_FLAG),
    Int(U16),
    Int(RAI),
];
const T_READRSP: &[TestField] = &[
    Int(REF),
    Int(MSG_ID_BC),
    Int(RESULT_CONTENT),
    Int(U16),
    Int(U16),
    Int(U16),
    Int(VALUE_TYPE_BC),
    Int(LEN_BC),
    Name(b"<value>"),
    Int(INDEX_BC),
    Int(PART_FLAG),
    Int(RAI),
];

/// Every MIPL command. Misspellings from the manuals are accepted as aliases
/// (DESIGN.md): MIPDELETE (seed 001 §5.5), MIPOBSERVERSP and
/// MIPLWRITEOBSERVERSP (seed 001 §3.19), MIPLPARAMETERSP (seed 003 §7.6).
static TABLE: &[Entry] = &[
    entry(b"MIPLCREATE", ONE, device::create_onemo, &[]),
    entry(b"MIPLCREATE", BC, device::create_bc260y, &[]),
    entry(b"MIPLCREATEEX", ONE, device::create_ex, &[]),
    alias(entry(b"MIPLDELETE", BOTH, device::delete, T_REF), &[b"MIPDELETE"]),
    entry(b"MIPLCONFIG", BC, device::config, T_CONFIG),
    entry(b"MIPLVER", BC, device::version, &[]),
    entry(b"MIPLCFG", ONE, device::cfg, &[]),
    entry(b"MIPLNMI", ONE, device::nmi, &[]),
    entry(b"MIPLUPDATESET", ONE, device::update_set, &[]),
    entry(b"MIPLDTLSNAT", ONE, device::dtls_nat, &[]),
    entry(b"MIPLDEVINFO", ONE, device::dev_info, &[]),
    entry(b"MIPLLTRDP", ONE, device::lifetime_left, &[]),
    entry(b"MIPLQMGR", ONE, device::queue_stats, &[]),
    entry(b"MIPLADDOBJ", BOTH, objects::add, T_ADDOBJ),
    entry(b"MIPLDELOBJ", BOTH, objects::delete, T_DELOBJ),
    entry(b"MIPLDISCOVERRSP", ONE, objects::discover_list, &[]),
    entry(b"MIPLDISCOVERRSP", BC, network::discover_rsp, T_DISCOVER),
    entry(b"MIPLOPEN", BOTH, network::open, T_OPEN),
    entry(b"MIPLUPDATE", BOTH, network::update, T_UPDATE),
    entry(b"MIPLCLOSE", BOTH, network::close, T_REF),
    entry(b"MIPLMGR", ONE, network::mgr, &[]),
    entry(b"MIPLNOTIFY", BOTH, network::notify, T_NOTIFY),
    entry(b"MIPLREADRSP", BOTH, network::read_rsp, T_READRSP),
    entry(b"MIPLWRITERSP", BOTH, network::write_rsp, T_ACK),
    entry(b"MIPLEXECUTERSP", BOTH, network::execute_rsp, T_ACK),
    alias(
        entry(b"MIPLPARAMETERRSP", BOTH, network::parameter_rsp, T_ACK),
        &[b"MIPLPARAMETERSP"],
    ),
    alias(
        entry(b"MIPLOBSERVERSP", BOTH, network::observe_rsp, T_OBSERVE),
        &[b"MIPOBSERVERSP", b"MIPLWRITEOBSERVERSP"],
    ),
];

/// The one device instance (`<ref>` 0) and what was configured for it.
#[derive(Clone, Debug)]
pub struct Device {
    /// Server host without the port.
    pub host: Vec<u8, HOST_MAX>,
    /// Server port.
    pub port: u16,
    /// seed 001 §4.6 `<flag>`: bit0 bootstrap server, bit1 monitor disabled.
    pub flag: u8,
    /// DTLS: port 5684 (seed 001 §4.6) or the blob's dtls bit.
    pub dtls: bool,
    /// OneNET auth code; empty when none.
    pub authcode: Vec<u8, AUTHCODE_MAX>,
    /// PSK as given; empty when none.
    pub psk: Vec<u8, PSK_MAX>,
    /// PSK identity; empty means the platform default.
    pub psk_id: Vec<u8, PSK_ID_MAX>,
    /// `<psk_encode>` 1: the PSK is hex.
    pub psk_hex: bool,
    /// AT+MIPLCFG "platform": 0 OneNET, 1 CTWing, 2 DMP, 3 Huawei, 10 other.
    pub platform: u8,
    /// Endpoint-name pattern 0..4.
    pub pattern: u8,
    /// Endpoint name given with platform 10.
    pub epname: Vec<u8, ENDPOINT_MAX>,
    /// AT+MIPLCFG "binding": 0 server default, 1 U, 2 UQ.
    pub binding: u8,
    /// AT+MIPLNMI `<nnmi>`.
    pub nnmi: u8,
    /// AT+MIPLNMI `<nsmi>`.
    pub nsmi: u8,
    /// Automatic update before the lifetime ends.
    pub auto_update: bool,
    /// AT+MIPLDTLSNAT seconds; 0 off (seed 001 §4.8: default 120).
    pub dtls_nat: u32,
    /// bc260y `<recv_data_format>`: 0 hex, 1 text.
    pub recv_text: bool,
    /// The objects the MCU added.
    pub objects: ObjectTable,
}

/// bc260y AT+MIPLCONFIG: applies to the next AT+MIPLCREATE (seed 003 §3.3.1).
#[derive(Clone, Debug)]
pub struct Bc260yConfig {
    /// `<recv_data_format>`: 0 hex, 1 text.
    pub recv_text: bool,
    /// `<bsMode>`: 1 bootstrap.
    pub bootstrap: bool,
    /// `<ip>`.
    pub ip: Vec<u8, HOST_MAX>,
    /// `<port>`.
    pub port: u16,
    /// `<auto_update>`.
    pub auto_update: bool,
}

impl Default for Bc260yConfig {
    /// seed 003 §3.3.1 / §7.2.1: bootstrap through 183.230.40.39:5683.
    fn default() -> Self {
        Bc260yConfig {
            recv_text: false,
            bootstrap: true,
            ip: Vec::from_slice(device::ONENET_BOOTSTRAP).unwrap_or_default(),
            port: 5683,
            auto_update: true,
        }
    }
}

/// A config blob arriving in fragments (onemo AT+MIPLCREATE set form).
#[derive(Clone, Debug, Default)]
pub struct Fragments {
    /// `<totalsize>` of the first fragment.
    pub total: usize,
    /// The `<index>` the next fragment must carry.
    pub next_index: u32,
    /// The bytes so far.
    pub bytes: Vec<u8, MIPL_CONFIG_MAX>,
}

/// Everything the MIPL dialect keeps between commands.
#[derive(Debug, Default)]
pub struct State {
    /// The device instance, once created.
    pub device: Option<Device>,
    /// bc260y access configuration.
    pub config: Bc260yConfig,
    /// A CREATE blob in progress.
    pub fragments: Option<Fragments>,
}

impl State {
    /// The state after power-on (MIPL keeps nothing in NV: seed 003 §3.3).
    pub fn new() -> Self {
        State::default()
    }

    /// The device, or [`Error::NotFound`].
    fn device_mut(&mut self) -> Result<&mut Device, Error> {
        self.device.as_mut().ok_or(Error::NotFound)
    }
}

impl From<ModelError> for Error {
    fn from(e: ModelError) -> Self {
        match e {
            ModelError::NotFound => Error::NotFound,
            ModelError::Exists => Error::Exists,
            ModelError::Full => Error::NoMemory,
            ModelError::Invalid => Error::ParamValue,
        }
    }
}

/// Runs `cmd` if it is a MIPL command of this profile.
pub fn dispatch<H: Host + ?Sized>(state: &mut State, cx: &mut Context<'_, '_, H>, cmd: &Command<'_>) -> Dispatch {
    let flavor = Flavor::of(cx.profile.id)?;
    let entry = TABLE
        .iter()
        .find(|e| e.profiles & flavor.mask != 0 && (cmd.is(e.name) || e.aliases.iter().any(|a| cmd.is(a))))?;
    let mut reply = Reply::new(cx.profile.colon);
    let result = match cmd.form {
        Form::Test if flavor.test_forms && !entry.test.is_empty() => {
            reply.begin(entry.name).test_fields(entry.test).end();
            Ok(())
        }
        // seed 001 §2.1: a form the command does not define is a syntax error.
        Form::Test | Form::Malformed => Err(Error::Syntax),
        form => (entry.handler)(state, flavor, form, &mut reply),
    };
    Some(result.and_then(|()| {
        let text = reply.bytes().ok_or(Error::NoMemory)?;
        cx.out.text(text);
        Ok(())
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The engine state must fit LWAT_CTX_SIZE (6 KiB) with the LwM2M client
    /// beside it; the MIPL part is kept under 2 KiB with default capacities.
    #[test]
    fn state_size() {
        let size = core::mem::size_of::<State>();
        assert!(size <= 2048, "MIPL state is {size} bytes");
        eprintln!("MIPL state: {size} bytes");
    }

    #[test]
    fn every_command_is_found_once_per_profile() {
        for flavor in [&ONEMO, &BC260Y] {
            for e in TABLE.iter().filter(|e| e.profiles & flavor.mask != 0) {
                let same = TABLE
                    .iter()
                    .filter(|o| o.profiles & flavor.mask != 0 && o.name == e.name)
                    .count();
                assert_eq!(same, 1, "{:?}", core::str::from_utf8(e.name));
            }
        }
    }
}
