//! The seam between the MIPL commands and the LwM2M client: one function per
//! kind of network request, each taking a fully validated, typed request.
//!
//! The client arrives with the registration work. Until then every request
//! gets the error the profile gives in the current state — no instance: not
//! found; created but not registered: not registered — and never a fake
//! success.

use super::value::Value;
use super::State;
use crate::at::Error;

/// `<objid>/<insid>/<resid>`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Path {
    /// Object id.
    pub object: u16,
    /// Instance id.
    pub instance: u16,
    /// Resource id.
    pub resource: u16,
}

/// One resource value of a (possibly multi-part) NOTIFY or READRSP.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Part<'a> {
    /// Which resource.
    pub path: Path,
    /// Its value.
    pub value: Value<'a>,
    /// Counts down to 0 over the parts of one message.
    pub index: u32,
    /// 1 first, 2 middle, 0 last; onemo NOTIFY adds 0x200/0x400 (release hints).
    pub flag: u32,
}

/// AT+MIPLOPEN.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OpenRequest {
    /// Seconds.
    pub lifetime: u32,
    /// Registration timeout, seconds.
    pub timeout: u16,
}

/// AT+MIPLUPDATE.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UpdateRequest {
    /// Seconds.
    pub lifetime: u32,
    /// Send the object list along.
    pub with_objects: bool,
    /// bc260y `<raiMode>`.
    pub rai: u8,
}

/// AT+MIPLNOTIFY.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NotifyRequest<'a> {
    /// The observation's handle (onemo: 0 = find it).
    pub handle: u32,
    /// The value.
    pub part: Part<'a>,
    /// Confirmable with this ack id (bc260y: 0 = non-confirmable).
    pub ackid: Option<u16>,
    /// onemo `<contentType>` 0..4.
    pub content_type: Option<u8>,
    /// bc260y `<raiMode>`.
    pub rai: u8,
}

/// AT+MIPLREADRSP.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReadResponse<'a> {
    /// The READ's handle.
    pub handle: u32,
    /// Result code (1 = 2.05, 11..15 = 4.xx).
    pub result: u8,
    /// The value, with result 1.
    pub part: Option<Part<'a>>,
    /// bc260y `<raiMode>`.
    pub rai: u8,
}

/// AT+MIPLWRITERSP, EXECUTERSP, PARAMETERRSP, OBSERVERSP.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Answer {
    /// The request's handle.
    pub handle: u32,
    /// Result code.
    pub result: u8,
    /// bc260y `<raiMode>`.
    pub rai: u8,
}

/// bc260y AT+MIPLDISCOVERRSP answering a +MIPLDISCOVER.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DiscoverResponse<'a> {
    /// The DISCOVER's handle.
    pub handle: u32,
    /// Result code.
    pub result: u8,
    /// The resource ids, with result 1.
    pub resources: &'a [u16],
    /// `<raiMode>`.
    pub rai: u8,
}

/// AT+MIPLQMGR counters (seed 001 §4.4).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct QueueStats {
    /// Requests not yet answered.
    pub queued: u32,
    /// Requests dropped.
    pub dropped: u32,
    /// Bytes of WRITE/EXECUTE data held.
    pub buffered: u32,
}

/// The error for a request that needs a registered session.
fn not_registered(state: &State) -> Error {
    match state.device {
        None => Error::NotFound,
        Some(_) => Error::NotRegistered,
    }
}

/// Starts registration.
pub fn open(state: &mut State, _req: OpenRequest) -> Result<(), Error> {
    match state.device {
        None => Err(Error::NotFound),
        // The LwM2M client arrives with the registration work; until then a
        // created instance cannot register.
        Some(_) => Err(Error::Other),
    }
}

/// AT+MIPLOPEN?: seed 001 §3.6 "若查询时未登录上平台，直接返回+CIS ERROR: 602".
pub fn open_status(_state: &mut State) -> Result<(), Error> {
    Err(Error::NotRegistered)
}

/// Sends an update.
pub fn update(state: &mut State, _req: UpdateRequest) -> Result<(), Error> {
    Err(not_registered(state))
}

/// Deregisters.
pub fn close(state: &mut State) -> Result<(), Error> {
    Err(not_registered(state))
}

/// onemo AT+MIPLMGR: "该命令只在模组登录后方可执行，否则返回错误" (seed 001 §4.3).
pub fn fetch_queued(state: &mut State) -> Result<(), Error> {
    Err(not_registered(state))
}

/// Reports a value.
pub fn notify(state: &mut State, _req: NotifyRequest<'_>) -> Result<(), Error> {
    Err(not_registered(state))
}

/// Answers a READ.
pub fn read_response(state: &mut State, _req: ReadResponse<'_>) -> Result<(), Error> {
    Err(not_registered(state))
}

/// Answers a WRITE.
pub fn write_response(state: &mut State, _req: Answer) -> Result<(), Error> {
    Err(not_registered(state))
}

/// Answers an EXECUTE.
pub fn execute_response(state: &mut State, _req: Answer) -> Result<(), Error> {
    Err(not_registered(state))
}

/// Answers a write-attributes (PARAMETER).
pub fn parameter_response(state: &mut State, _req: Answer) -> Result<(), Error> {
    Err(not_registered(state))
}

/// Answers an OBSERVE.
pub fn observe_response(state: &mut State, _req: Answer) -> Result<(), Error> {
    Err(not_registered(state))
}

/// Answers a DISCOVER (bc260y).
pub fn discover_response(state: &mut State, _req: DiscoverResponse<'_>) -> Result<(), Error> {
    Err(not_registered(state))
}

/// True while registered (or registering).
pub fn registered(_state: &State) -> bool {
    false
}

/// AT+MIPLLTRDP: seconds of lifetime left; 0 when not registered (seed 001 §4.9).
pub fn remaining_lifetime(_state: &State) -> u32 {
    0
}

/// AT+MIPLQMGR counters; all 0 without a session.
pub fn queue_stats(_state: &State) -> QueueStats {
    QueueStats::default()
}

/// AT+MIPLDELETE is about to drop the device: seed 001 §3.2 closes the
/// socket of a registered session. Nothing is open yet.
pub fn delete(_state: &mut State) {}
