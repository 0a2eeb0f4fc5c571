//! The MIPL command set (profiles `onemo` and `bc260y`).
//!
//! One table names every command, the profiles that know it and its handler.
//! Handlers validate everything first and change state last; they write into
//! a [`Reply`] after their checks, so a failing command prints nothing. Commands that need the
//! network are parsed into typed requests and handed to [`session`].

pub mod blob;
mod device;
pub mod events;
pub mod fields;
mod network;
mod objects;
pub mod registration;
pub mod reply;
pub mod session;
pub mod value;

use super::{Context, Dispatch};
use crate::at::{Command, Error, Form};
use crate::config::{AUTHCODE_MAX, ENDPOINT_MAX, HOST_MAX, MIPL_CONFIG_MAX, PSK_ID_MAX, PSK_MAX};
use crate::dialect::profile::ProfileId;
use crate::host::Host;
use crate::lwm2m::Client;
use crate::model::mipl::{ModelError, ObjectTable};
use fields::{Args, Rule, Spans};
use heapless::Vec;
use reply::{Out, Reply};

/// The MIPL differences between the two profiles, as data.
///
/// `repr(C)`, the flags first: within Cortex-M0's 5-bit byte offsets.
#[derive(Debug)]
#[repr(C)]
pub struct Flavor {
    /// Bit of this profile in [`Entry::profiles`].
    mask: u8,
    /// bc260y writes non-string values bare and `<len>` must match the value
    /// (seed 003 §3.3.11); onemo takes quotes on any value and ignores `<len>`
    /// (seed 001 §3.9: "无需指定<len>").
    strict_values: bool,
    /// bc260y: `<insBitmap>` is "带双引号的字符串型" (seed 003 §3.3.5).
    quoted_bitmap: bool,
    /// bc260y has AT+MIPLCONFIG (seed 003 §3.3.1); onemo's exec CREATE
    /// uses the config's defaults, but never its automatic update.
    configurable: bool,
    /// bc260y defines `=?` for its commands (seed 003 §3.3); onemo does not.
    test_forms: bool,
    /// bc260y answers and reports take a trailing `<raiMode>` (seed 003 §3.3.9).
    rai: bool,
    /// The handlers that take the read form: onemo adds AT+MIPLOPEN?
    /// (seed 001 §3.6).
    read_forms: u32,
    /// AT+MIPLUPDATE `<lifetime>` below `.0` means `.1` seconds.
    update_lifetime_default: (u32, u32),
    /// The spans of the profile-dependent rules, indexed from
    /// [`fields::HANDLE`] on (see [`ONEMO_SPANS`], [`BC260Y_SPANS`]).
    spans: [fields::SpanAt; fields::FLAVORED_COUNT],
}

const U16: Spans = &[(0, 65535)];

/// onemo's spans of the profile-dependent rules (from [`fields::HANDLE`] on).
const ONEMO_SPANS: [Spans; fields::FLAVORED_COUNT] = [
    // HANDLE: onemo prints CoAP message ids (uint16).
    U16,
    // VALUE_TYPE: 1..6 (seed 001 §3.9).
    &[(1, 6)],
    // LIFETIME: no range given (LwM2M's uint32).
    &[(0, u32::MAX)],
    // NOTIFY_FLAG: 0x200/0x400 release hints besides 0..2 (seed 001 §3.9).
    &[(0, 2), (0x200, 0x200), (0x400, 0x400)],
    // INDEX, LEN: any uint16 (<len> is ignored).
    U16,
    U16,
    // ACK_RESULT, OBSERVE_RESULT: the examples answer PARAMETER and
    // OBSERVE with 1 although the tables list 2 (seed 001 §3.17/§3.19).
    &[(1, 2), (11, 14)],
    &[(1, 2), (11, 14)],
    // NOTIFY_TAIL: <contentType> 0..4 (seed 001 §3.9).
    &[(0, 4)],
];

/// bc260y's spans of the profile-dependent rules (from [`fields::HANDLE`] on).
const BC260Y_SPANS: [Spans; fields::FLAVORED_COUNT] = [
    // HANDLE: a counter up to 268435455 (seed 003 §5).
    &[(0, 268_435_455)],
    // VALUE_TYPE: 1..5 (seed 003 §3.3.15).
    &[(1, 5)],
    // LIFETIME: 0 (3600 s) or 15..268435455 (seed 003 §3.3.7).
    &[(0, 0), (15, 268_435_455)],
    // NOTIFY_FLAG: 1 first, 2 middle, 0 last.
    &[(0, 2)],
    // INDEX: 0..10; LEN: at most 1024 (seed 003 §3.3.15).
    &[(0, 10)],
    &[(0, 1024)],
    // ACK_RESULT: 2, 11..14; OBSERVE_RESULT: 1, 11..15 (seed 003 §3.3.10).
    &[(2, 2), (11, 14)],
    &[(1, 1), (11, 15)],
    // NOTIFY_TAIL: <raiMode> 0..2.
    &[(0, 2)],
];

static ONEMO: Flavor = Flavor {
    mask: ONE,
    spans: fields::locate(&ONEMO_SPANS),
    strict_values: false,
    quoted_bitmap: false,
    configurable: false,
    test_forms: false,
    rai: false,
    read_forms: READ_FORMS | bit(Handler::Open),
    // seed 001 §3.7: "<lifetime>值小于10时，<lifetime>将默认被设置为86400s".
    update_lifetime_default: (10, 86400),
};

static BC260Y: Flavor = Flavor {
    mask: BC,
    spans: fields::locate(&BC260Y_SPANS),
    strict_values: true,
    quoted_bitmap: true,
    configurable: true,
    test_forms: true,
    rai: true,
    read_forms: READ_FORMS,
    // seed 003 §3.3.16: "若设置为 0，表示 3600 秒".
    update_lifetime_default: (1, 3600),
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
/// Not a profile: the row is a misspelling of the next real row.
const ALIAS: u8 = 4;

/// What a handler gets: the state, the profile, the command, its reply, the
/// LwM2M client to read and a slot for the one client call to make.
pub struct Cmd<'c, 'a, O: Out + ?Sized> {
    state: &'c mut State,
    flavor: &'static Flavor,
    form: Form<'a>,
    /// The set form's parameters, checked against the command's rules
    /// before the handler runs (a bad list never reaches it). Empty for
    /// the exec and read forms, which reach only the handlers that take
    /// them ([`Handler::takes`]).
    args: &'c Args<'a>,
    reply: &'c mut Reply<'a, O>,
    client: &'c Client,
    /// By reference: a `u64` took two words through `run` for the one
    /// handler that reads it (AT+MIPLLTRDP).
    now_ms: &'c u64,
    /// The call [`dispatch`] makes once the handler succeeded: handlers
    /// see the host only as a text sink ([`reply::Out`]), the client calls
    /// are made in [`session::perform`].
    call: &'c mut Option<session::Call>,
}

/// A command handler, named by one byte in the table: [`handle`] calls it
/// from one `match`, where a function pointer would take four bytes per row
/// and keep every handler out of line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Handler {
    Create,
    CreateEx,
    Delete,
    Config,
    Version,
    Cfg,
    Nmi,
    UpdateSet,
    DtlsNat,
    DevInfo,
    LifetimeLeft,
    QueueStats,
    AddObj,
    DelObj,
    DiscoverList,
    DiscoverRsp,
    Open,
    Update,
    Close,
    Mgr,
    Notify,
    ReadRsp,
    Answer,
}

impl Handler {
    /// True when the handler takes the read form (`read`) or the exec form
    /// besides its set form: the others get a syntax error for them before
    /// they run (seed 001 §2.1), so no handler checks its form but to tell
    /// two apart. Bit sets per form, not a match: one shift and mask. A row
    /// without rules has no set form at all.
    fn takes(self, read: bool, flavor: &Flavor) -> bool {
        (if read { flavor.read_forms } else { EXEC_FORMS }) >> self as u32 & 1 != 0
    }
}

/// Bit of a handler in a form set ([`EXEC_FORMS`], [`Flavor::read_forms`]).
const fn bit(h: Handler) -> u32 {
    1 << h as u32
}

/// The handlers that take the exec form.
const EXEC_FORMS: u32 = bit(Handler::Create) | bit(Handler::LifetimeLeft);
/// The handlers that take the read form in both profiles.
const READ_FORMS: u32 = bit(Handler::Config) | bit(Handler::Version) | bit(Handler::DevInfo);

/// Runs the handler `h`.
fn handle<O: Out + ?Sized>(h: Handler, c: &mut Cmd<'_, '_, O>) -> Result<(), Error> {
    match h {
        Handler::Create => device::create(c),
        Handler::CreateEx => device::create_ex(c),
        Handler::Delete => device::delete(c),
        Handler::Config => device::config(c),
        Handler::Version => device::version(c),
        Handler::Cfg => device::cfg(c),
        Handler::Nmi => device::nmi(c),
        Handler::UpdateSet => device::update_set(c),
        Handler::DtlsNat => device::dtls_nat(c),
        Handler::DevInfo => device::dev_info(c),
        Handler::LifetimeLeft => device::lifetime_left(c),
        Handler::QueueStats => device::queue_stats(c),
        Handler::AddObj => objects::add(c),
        Handler::DelObj => objects::delete(c),
        Handler::DiscoverList => objects::discover_list(c),
        Handler::DiscoverRsp => network::discover_rsp(c),
        Handler::Open => network::open(c),
        Handler::Update => network::update(c),
        Handler::Close => network::close(c),
        Handler::Mgr => network::mgr(c),
        Handler::Notify => network::notify(c),
        Handler::ReadRsp => network::read_rsp(c),
        Handler::Answer => network::answer(c),
    }
}

/// One row of the command table as written below; [`compact`] turns the
/// rows into [`Entry`]s at compile time.
struct Row {
    /// The name without `MIP` (every MIPL name starts so, the misspelled
    /// ones included).
    name: &'static [u8],
    /// [`ONE`], [`BC`] or both; [`ALIAS`] for a misspelling.
    profiles: u8,
    /// `None` for an alias: it runs the handler of the next real row.
    handler: Option<Handler>,
    /// The parameters of the set form; on bc260y also its `=?` answer (empty:
    /// the manual defines none).
    rules: &'static [Rule],
}

const fn entry(name: &'static [u8], profiles: u8, handler: Handler, rules: &'static [Rule]) -> Row {
    Row {
        name,
        profiles,
        handler: Some(handler),
        rules,
    }
}

/// A misspelling from the manuals, accepted on input for the next real row
/// and answered with that row's name (DESIGN.md).
const fn alias(name: &'static [u8]) -> Row {
    Row {
        name,
        profiles: ALIAS,
        handler: None,
        rules: &[],
    }
}

/// One command in flash: 5 bytes instead of a 24-byte row of two slices.
#[derive(Clone, Copy)]
struct Entry {
    handler: Handler,
    /// Offset of the name (see [`Row::name`]) in [`Table::names`].
    name: u8,
    name_len: u8,
    /// Offset of the rules in [`Table::rules`].
    rules: u8,
    /// Low nibble: how many rules; high nibble: the profile bits and [`ALIAS`].
    info: u8,
}

impl Entry {
    fn rules_len(&self) -> usize {
        usize::from(self.info & 0x0F)
    }

    /// The name (without `MIP`) in [`TABLE`].
    fn name(&self) -> &'static [u8] {
        let start = usize::from(self.name);
        TABLE
            .names
            .get(start..start + usize::from(self.name_len))
            .unwrap_or_default()
    }
}

/// The command table: entries and the byte strings they point into.
struct Table<const E: usize, const N: usize, const R: usize> {
    entries: [Entry; E],
    names: [u8; N],
    rules: [Rule; R],
}

/// Where `needle` starts in `hay[..len]`, if it is there.
const fn find_bytes(hay: &[u8], len: usize, needle: &[u8]) -> Option<usize> {
    let mut at = 0;
    while at + needle.len() <= len {
        let mut i = 0;
        while i < needle.len() && hay[at + i] == needle[i] {
            i += 1;
        }
        if i == needle.len() {
            return Some(at);
        }
        at += 1;
    }
    None
}

/// The pool of the names (or the rules) of `rows`, longest first so that
/// a shorter one is found inside a longer one (`UPDATE` in `UPDATESET`),
/// in a scratch array; and its length.
const fn pool<const E: usize>(rows: &[Row; E], rules: bool) -> ([u8; 512], usize) {
    let mut pool = [0u8; 512];
    let mut len = 0;
    let mut size = 16;
    while size > 0 {
        let mut i = 0;
        while i < E {
            let bytes = if rules { rows[i].rules } else { rows[i].name };
            assert!(bytes.len() <= 16);
            if bytes.len() == size && find_bytes(&pool, len, bytes).is_none() {
                let mut k = 0;
                while k < size {
                    pool[len + k] = bytes[k];
                    k += 1;
                }
                len += size;
            }
            i += 1;
        }
        size -= 1;
    }
    (pool, len)
}

/// The first `N` bytes of `pool`.
const fn take<const N: usize>(pool: &[u8]) -> [u8; N] {
    let mut out = [0u8; N];
    let mut i = 0;
    while i < N {
        out[i] = pool[i];
        i += 1;
    }
    out
}

/// Where `bytes` are in `pool`, as a u8 offset.
const fn offset(pool: &[u8], bytes: &[u8]) -> u8 {
    let Some(at) = find_bytes(pool, pool.len(), bytes) else {
        panic!("not pooled");
    };
    assert!(at <= u8::MAX as usize);
    at as u8
}

/// Builds the table at compile time (indexing here is compile-time only: a
/// table that does not fit is a build error, never a run-time panic).
const fn compact<const E: usize, const N: usize, const R: usize>(rows: &[Row; E]) -> Table<E, N, R> {
    let names: [u8; N] = take(&pool(rows, false).0);
    let rules: [Rule; R] = take(&pool(rows, true).0);
    let placeholder = Entry {
        handler: Handler::Delete,
        name: 0,
        name_len: 0,
        rules: 0,
        info: 0,
    };
    let mut entries = [placeholder; E];
    // backwards, so that an alias finds the handler of the row after it
    let mut next: Option<Handler> = None;
    let mut i = E;
    while i > 0 {
        i -= 1;
        let row = &rows[i];
        if let Some(h) = row.handler {
            next = Some(h);
        }
        let Some(handler) = next else {
            panic!("an alias must precede a real row");
        };
        assert!(row.rules.len() <= 0x0F);
        entries[i] = Entry {
            handler,
            name: offset(&names, row.name),
            name_len: row.name.len() as u8,
            rules: offset(&rules, row.rules),
            info: row.rules.len() as u8 | row.profiles << 4,
        };
    }
    Table { entries, names, rules }
}

use fields::{
    ACK_RESULT, BITMAP, BOOL, CREATE_FLAG, DISCOVER_LEN, DTLS_NAT, HANDLE, INDEX, IP, LEN, LIFETIME, NOTIFY_FLAG,
    NOTIFY_TAIL, OBSERVE_RESULT, OPT, PART_FLAG, PORT, RAI, REF, RESULT_CHANGED, RESULT_CONTENT, SIZE, TAIL_RAI, TEXT,
    TIMEOUT, VALUE, VALUESTRING,
};

// The parameter rules; seed 003 §3.3 prints them as the `=?` answers.
const R_REF: &[Rule] = &[REF];
/// seed 003 §3.3.1: `<mode>` (0 only),<recv_data_format>[,<bsMode>,<ip>,<port>[,<auto_update>]].
const R_CONFIG: &[Rule] = &[REF, BOOL, BOOL | OPT, IP | OPT, PORT | OPT, BOOL | OPT];
const R_ADDOBJ: &[Rule] = &[REF, fields::U16, fields::U16, BITMAP, fields::U16, fields::U16];
const R_DELOBJ: &[Rule] = &[REF, fields::U16];
const R_OPEN: &[Rule] = &[REF, LIFETIME, TIMEOUT | OPT];
const R_UPDATE: &[Rule] = &[REF, LIFETIME, BOOL, TAIL_RAI];
const R_DISCOVER: &[Rule] = &[REF, HANDLE, RESULT_CONTENT, DISCOVER_LEN, VALUESTRING, TAIL_RAI];
const R_OBSERVE: &[Rule] = &[REF, HANDLE, OBSERVE_RESULT, TAIL_RAI];
const R_ACK: &[Rule] = &[REF, HANDLE, RESULT_CHANGED, TAIL_RAI];
const R_PARAMETER: &[Rule] = &[REF, HANDLE, ACK_RESULT, TAIL_RAI];
/// `<objid>,<insid>,<resid>,<type>,<len>,<value>,<index>,<flag>` follow
/// `<ref>,<mid>` (NOTIFY) or `<ref>,<mid>,<result>` (READRSP).
const R_NOTIFY: &[Rule] = &[
    REF,
    HANDLE,
    fields::U16,
    fields::U16,
    fields::U16,
    VALUE_TYPE_RULE,
    LEN,
    VALUE | OPT,
    INDEX,
    NOTIFY_FLAG,
    fields::U16 | OPT,
    NOTIFY_TAIL | OPT,
];
/// The value part comes with result 1 only: the handler checks its presence.
const R_READRSP: &[Rule] = &[
    REF,
    HANDLE,
    RESULT_CONTENT,
    fields::U16 | OPT,
    fields::U16 | OPT,
    fields::U16 | OPT,
    VALUE_TYPE_RULE | OPT,
    LEN | OPT,
    VALUE | OPT,
    INDEX | OPT,
    PART_FLAG | OPT,
    TAIL_RAI,
];
const VALUE_TYPE_RULE: Rule = fields::VALUE_TYPE;
/// onemo `<totalsize>,<config>,<index>,<currentsize>,<flag>` (DESIGN.md).
const R_CREATE: &[Rule] = &[SIZE, TEXT, fields::ANY, SIZE, PART_FLAG];
/// `<host>,<flag>[,<authcode>[,<PSK>[,<PSKID>[,<psk_encode>]]]]` (seed 001 §4.6).
const R_CREATEEX: &[Rule] = &[TEXT, CREATE_FLAG, TEXT | OPT, TEXT | OPT, TEXT | OPT, BOOL | OPT];
/// `"platform"|"binding",<ref>,<value>[,<pattern>|<epname>]`: the handler
/// checks the value by key (seed 001 §4.1).
const R_CFG: &[Rule] = &[TEXT, REF, TEXT, TEXT | OPT];
/// `<ref>,<nnmi>,<nsmi>` (seed 001 §4.2).
const R_NMI: &[Rule] = &[REF, RAI, BOOL];
const R_UPDATESET: &[Rule] = &[REF, BOOL];
const R_DTLSNAT: &[Rule] = &[REF, DTLS_NAT];
/// `<ref>,<objid>,<result>,<length>,<data>` (seed 001 §3.5).
const R_DISCOVER_LIST: &[Rule] = &[REF, fields::U16, fields::ONE, fields::U16, TEXT];

/// Every MIPL command, and the misspellings from the manuals accepted on
/// input: MIPDELETE (seed 001 §5.5), MIPOBSERVERSP and MIPLWRITEOBSERVERSP
/// (seed 001 §3.19), MIPLPARAMETERSP (seed 003 §7.6).
const ROWS: [Row; 31] = [
    entry(b"LCREATE", ONE, Handler::Create, R_CREATE),
    // bc260y has no set form (no rules): exec only
    entry(b"LCREATE", BC, Handler::Create, &[]),
    entry(b"LCREATEEX", ONE, Handler::CreateEx, R_CREATEEX),
    alias(b"DELETE"),
    entry(b"LDELETE", BOTH, Handler::Delete, R_REF),
    entry(b"LCONFIG", BC, Handler::Config, R_CONFIG),
    entry(b"LVER", BC, Handler::Version, &[]),
    entry(b"LCFG", ONE, Handler::Cfg, R_CFG),
    entry(b"LNMI", ONE, Handler::Nmi, R_NMI),
    entry(b"LUPDATESET", ONE, Handler::UpdateSet, R_UPDATESET),
    entry(b"LDTLSNAT", ONE, Handler::DtlsNat, R_DTLSNAT),
    entry(b"LDEVINFO", ONE, Handler::DevInfo, &[]),
    entry(b"LLTRDP", ONE, Handler::LifetimeLeft, &[]),
    entry(b"LQMGR", ONE, Handler::QueueStats, R_REF),
    entry(b"LADDOBJ", BOTH, Handler::AddObj, R_ADDOBJ),
    entry(b"LDELOBJ", BOTH, Handler::DelObj, R_DELOBJ),
    entry(b"LDISCOVERRSP", ONE, Handler::DiscoverList, R_DISCOVER_LIST),
    entry(b"LDISCOVERRSP", BC, Handler::DiscoverRsp, R_DISCOVER),
    entry(b"LOPEN", BOTH, Handler::Open, R_OPEN),
    entry(b"LUPDATE", BOTH, Handler::Update, R_UPDATE),
    entry(b"LCLOSE", BOTH, Handler::Close, R_REF),
    entry(b"LMGR", ONE, Handler::Mgr, R_REF),
    entry(b"LNOTIFY", BOTH, Handler::Notify, R_NOTIFY),
    entry(b"LREADRSP", BOTH, Handler::ReadRsp, R_READRSP),
    entry(b"LWRITERSP", BOTH, Handler::Answer, R_ACK),
    entry(b"LEXECUTERSP", BOTH, Handler::Answer, R_ACK),
    alias(b"LPARAMETERSP"),
    entry(b"LPARAMETERRSP", BOTH, Handler::Answer, R_PARAMETER),
    alias(b"OBSERVERSP"),
    alias(b"LWRITEOBSERVERSP"),
    entry(b"LOBSERVERSP", BOTH, Handler::Answer, R_OBSERVE),
];

/// Name bytes [`ROWS`] need once shared parts are folded.
const NAMES_LEN: usize = pool(&ROWS, false).1;
/// Rule bytes [`ROWS`] need once shared parts are folded.
const RULES_LEN: usize = pool(&ROWS, true).1;
static TABLE: Table<{ ROWS.len() }, NAMES_LEN, RULES_LEN> = compact(&ROWS);

/// The table entry for `name` in this profile, aliases resolved.
fn lookup(flavor: &Flavor, name: &[u8]) -> Option<Entry> {
    let (prefix, name) = name.split_at_checked(3)?;
    if !prefix.eq_ignore_ascii_case(b"MIP") {
        return None;
    }
    // an alias that matched stands for the next real row
    let mut aliased = false;
    for &e in &TABLE.entries {
        let matched = e.name().eq_ignore_ascii_case(name);
        if e.info >> 4 & ALIAS != 0 {
            aliased |= matched;
        } else if (aliased || matched) && e.info >> 4 & flavor.mask != 0 {
            return Some(e);
        } else {
            aliased = false;
        }
    }
    None
}

/// The one device instance (`<ref>` 0) and what was configured for it.
///
/// `repr(C)`, in this order: the settings that start at 0 fill two whole
/// words, so creating a device clears them with two stores (the default
/// layout left a 5-byte run that linked Cortex-M0's byte-wise
/// `__aeabi_memclr`, 192 bytes, for this one place). The scalar settings
/// come first, within Cortex-M0's short load/store offsets (32 bytes for
/// a byte), before the kilobyte of tables and strings.
#[derive(Clone, Debug)]
#[repr(C)]
pub struct Device {
    /// AT+MIPLDTLSNAT seconds; 0 off (seed 001 §4.8: default 120).
    pub dtls_nat: u32,
    /// `<psk_encode>` 1: the PSK is hex.
    pub psk_hex: bool,
    /// AT+MIPLCFG "platform": 0 OneNET, 1 CTWing, 2 DMP, 3 Huawei, 10 other.
    pub platform: u8,
    /// Endpoint-name pattern 0..4.
    pub pattern: u8,
    /// AT+MIPLCFG "binding": 0 server default, 1 U, 2 UQ.
    pub binding: u8,
    /// AT+MIPLNMI `<nnmi>`.
    pub nnmi: u8,
    /// AT+MIPLNMI `<nsmi>`.
    pub nsmi: u8,
    /// Automatic update before the lifetime ends.
    pub auto_update: bool,
    /// bc260y `<recv_data_format>`: 0 hex, 1 text.
    pub recv_text: bool,
    /// Server port.
    pub port: u16,
    /// seed 001 §4.6 `<flag>`: bit0 bootstrap server, bit1 monitor disabled.
    pub flag: u8,
    /// DTLS: port 5684 (seed 001 §4.6) or the blob's dtls bit.
    pub dtls: bool,
    /// The objects the MCU added.
    pub objects: ObjectTable,
    /// Server host without the port.
    pub host: Vec<u8, HOST_MAX>,
    /// OneNET auth code; empty when none.
    pub authcode: Vec<u8, AUTHCODE_MAX>,
    /// PSK as given; empty when none.
    pub psk: Vec<u8, PSK_MAX>,
    /// PSK identity; empty means the platform default.
    pub psk_id: Vec<u8, PSK_ID_MAX>,
    /// Endpoint name given with platform 10.
    pub epname: Vec<u8, ENDPOINT_MAX>,
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
///
/// Cortex-M0 only: `repr(C)`, the small bc260y config first, within its
/// short load/store offsets (-16 B there; on thumbv7em every order tried
/// was as large or larger than the default layout).
#[derive(Debug, Default)]
#[cfg_attr(not(target_has_atomic = "32"), repr(C))]
pub struct State {
    /// bc260y access configuration.
    pub config: Bc260yConfig,
    /// The device instance, once created.
    pub device: Option<Device>,
    /// A CREATE blob in progress.
    pub fragments: Option<Fragments>,
}

/// No objects (no device): a zero-sized list, where an empty `ObjectTable`
/// static would cost its full size in flash.
struct NoObjects;

impl crate::model::ObjectList for NoObjects {
    fn for_each_instance(&self, _f: &mut dyn FnMut(u16, u16)) {}
}

/// The objects a registration lists: those of the device, none before CREATE.
pub fn objects(state: &State) -> &dyn crate::model::ObjectList {
    match &state.device {
        Some(device) => &device.objects,
        None => &NoObjects,
    }
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
    let mut call = None;
    let mut reply = Reply::new(cx.out);
    let result = run(state, flavor, cmd, &mut reply, cx.client, &cx.now_ms, &mut call)?;
    Some(result.and_then(|()| match call {
        Some(call) => session::perform(state, cx, call),
        None => Ok(()),
    }))
}

/// The command part of [`dispatch`], out of line. Generic over the text
/// sink only (one copy per host type: the C ABI has one); the reply goes
/// straight to the writer, no buffer to fill and copy out.
#[inline(never)]
fn run<'a, O: Out + ?Sized>(
    state: &mut State,
    flavor: &'static Flavor,
    cmd: &Command<'a>,
    reply: &mut Reply<'a, O>,
    client: &Client,
    now_ms: &u64,
    call: &mut Option<session::Call>,
) -> Dispatch {
    let entry = lookup(flavor, cmd.name)?;
    reply.name = entry.name();
    let start = usize::from(entry.rules);
    let rules = TABLE.rules.get(start..start + entry.rules_len()).unwrap_or_default();
    let (text, rules) = match cmd.form {
        Form::Test if flavor.test_forms && !rules.is_empty() => {
            reply.begin().test_fields(flavor, rules).end();
            return Some(Ok(()));
        }
        Form::Set(text) if !rules.is_empty() => (text, rules),
        // the handler checks which of the two it takes; no parameters
        Form::Exec | Form::Read if entry.handler.takes(matches!(cmd.form, Form::Read), flavor) => {
            (&b""[..], &[fields::OPT][..])
        }
        // seed 001 §2.1: a form the command does not define is a syntax error.
        _ => return Some(Err(Error::Syntax)),
    };
    // filled in place by parse (Some once it succeeded)
    let mut slot = None;
    if let Err(e) = fields::parse(flavor, text, rules, &mut slot) {
        return Some(Err(e));
    }
    let args = slot.as_ref()?;
    Some(handle(
        entry.handler,
        &mut Cmd {
            state,
            flavor,
            form: cmd.form,
            args,
            reply,
            client,
            now_ms,
            call,
        },
    ))
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
            for row in ROWS.iter().filter(|r| r.profiles & flavor.mask != 0) {
                let same = ROWS
                    .iter()
                    .filter(|o| o.profiles & flavor.mask != 0 && o.name == row.name)
                    .count();
                assert_eq!(same, 1, "{:?}", core::str::from_utf8(row.name));
                let mut full = std::vec::Vec::from(&b"mip"[..]);
                full.extend_from_slice(row.name);
                let e = lookup(flavor, &full).unwrap();
                assert_eq!(Some(e.handler), row.handler);
                assert_eq!(e.rules_len(), row.rules.len());
            }
        }
        // aliases reach the row after them, in the profile's flavor
        assert_eq!(
            lookup(&BC260Y, b"MIPLWRITEOBSERVERSP").unwrap().info,
            lookup(&BC260Y, b"MIPLOBSERVERSP").unwrap().info
        );
        assert!(lookup(&ONEMO, b"MIPLVER").is_none());
        assert!(lookup(&ONEMO, b"XYZLCREATE").is_none());
    }
}
