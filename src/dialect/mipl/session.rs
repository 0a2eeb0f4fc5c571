//! The seam between the MIPL commands and the LwM2M client: one function per
//! kind of network request, each taking a fully validated, typed request.
//!
//! The checks run in the handlers (which see the host only as a text sink)
//! and leave at most one [`Call`]; [`perform`] makes it once the
//! command is known to succeed. The answers to server requests (NOTIFY,
//! READRSP, ..) arrive with the device-management work: until then they get
//! the error the profile gives in the current state, never a fake success.

use super::events::{self, Step};
use super::registration::{self, Endpoint};
use super::reply::Out;
use super::value::Value;
use super::{Cmd, State};
use crate::at::Error;
use crate::dialect::Context;
use crate::host::Host;
use crate::lwm2m::{self, Phase};

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

/// The client call a validated command leaves for [`perform`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Call {
    /// AT+MIPLOPEN: register (or bootstrap first).
    Open(OpenRequest),
    /// onemo AT+MIPLOPEN? while registered: `OK`, then the registered event.
    Status,
    /// AT+MIPLUPDATE with the lifetime in force after the profile's defaults.
    Update {
        /// Seconds.
        lifetime_s: u32,
        /// Send the object list along.
        with_objects: bool,
        /// bc260y `<raiMode>` for the Update datagram (0 on onemo).
        rai: u8,
    },
    /// AT+MIPLCLOSE.
    Deregister,
    /// AT+MIPLDELETE of a live session: ends it whatever the client says
    /// (the instance is gone already).
    Forget,
}

/// True while registered (an Update in flight included).
fn registered<O: Out + ?Sized>(c: &Cmd<'_, '_, O>) -> bool {
    matches!(c.client.phase(), Phase::Registered | Phase::Updating)
}

/// The error for an answer to a server request. Until the device-management
/// work the module answers every server request itself (5.01), so no handle
/// is ever pending: registered, the handle names nothing.
#[inline(never)]
fn no_request<O: Out + ?Sized>(c: &Cmd<'_, '_, O>) -> Error {
    match c.state.device {
        None => Error::NotFound,
        Some(_) if registered(c) => Error::NotFound,
        Some(_) => Error::NotRegistered,
    }
}

/// Commands that configure the registration: seed 001 §4.5 "在创建设备后
/// （AT+MIPLCREATE）、登录设备（AT+MIPLOPEN）前使用", §3.5 "该命令在登录前使用".
pub fn before_open<O: Out + ?Sized>(c: &Cmd<'_, '_, O>) -> Result<(), Error> {
    match c.client.phase() {
        Phase::Idle => Ok(()),
        _ => Err(Error::NotAllowed),
    }
}

/// Starts registration: the instance must exist and have no session.
pub fn open<O: Out + ?Sized>(c: &mut Cmd<'_, '_, O>, req: OpenRequest) -> Result<(), Error> {
    // DTLS (port 5684) is not there yet: registering in clear text to a
    // DTLS server would be a fake success at best.
    if c.state.device_mut()?.dtls {
        return Err(Error::NotSupported);
    }
    match c.client.phase() {
        Phase::Idle => {}
        // closing: the session is not over yet
        Phase::Deregistering => return Err(Error::Busy),
        _ => return Err(Error::AlreadyRegistered),
    }
    *c.call = Some(Call::Open(req));
    Ok(())
}

/// AT+MIPLOPEN?: seed 001 §3.6 "若查询时未登录上平台，直接返回+CIS ERROR: 602".
pub fn open_status<O: Out + ?Sized>(c: &mut Cmd<'_, '_, O>) -> Result<(), Error> {
    if !registered(c) {
        return Err(Error::NotRegistered);
    }
    *c.call = Some(Call::Status);
    Ok(())
}

/// Sends an update; the client refuses it when not registered or when an
/// Update or De-register is in flight.
pub fn update<O: Out + ?Sized>(c: &mut Cmd<'_, '_, O>, req: UpdateRequest) -> Result<(), Error> {
    c.state.device_mut()?;
    // seed 001 §3.7: under 10 s means 86400; seed 003 §3.3.16: 0 means 3600.
    let (below, default) = c.flavor.update_lifetime_default;
    let lifetime_s = if req.lifetime < below { default } else { req.lifetime };
    *c.call = Some(Call::Update {
        lifetime_s,
        with_objects: req.with_objects,
        rai: req.rai,
    });
    Ok(())
}

/// Deregisters (the client refuses when there is no session).
pub fn close<O: Out + ?Sized>(c: &mut Cmd<'_, '_, O>) -> Result<(), Error> {
    c.state.device_mut()?;
    *c.call = Some(Call::Deregister);
    Ok(())
}

/// AT+MIPLDELETE is about to drop the device. seed 001 §3.2 closes the
/// socket of a registered session without de-registering ("将直接关闭所使用
/// 的socket"): the client forgets it, nothing more goes on the wire.
pub fn delete<O: Out + ?Sized>(c: &mut Cmd<'_, '_, O>) {
    if c.client.phase() != Phase::Idle {
        *c.call = Some(Call::Forget);
    }
}

/// onemo AT+MIPLMGR: "该命令只在模组登录后方可执行，否则返回错误" and "如当前无
/// 未被读取的下发消息，直接返回OK" (seed 001 §4.3): nothing is queued yet.
pub fn fetch_queued<O: Out + ?Sized>(c: &mut Cmd<'_, '_, O>) -> Result<(), Error> {
    c.state.device_mut()?;
    if registered(c) {
        Ok(())
    } else {
        Err(Error::NotRegistered)
    }
}

/// Reports a value.
pub fn notify<O: Out + ?Sized>(c: &mut Cmd<'_, '_, O>, _req: NotifyRequest<'_>) -> Result<(), Error> {
    Err(no_request(c))
}

/// Answers a READ.
pub fn read_response<O: Out + ?Sized>(c: &mut Cmd<'_, '_, O>, _req: ReadResponse<'_>) -> Result<(), Error> {
    Err(no_request(c))
}

/// Answers a WRITE, EXECUTE, write-attributes (PARAMETER) or OBSERVE.
pub fn answer<O: Out + ?Sized>(c: &mut Cmd<'_, '_, O>, _req: Answer) -> Result<(), Error> {
    Err(no_request(c))
}

/// Answers a DISCOVER (bc260y).
pub fn discover_response<O: Out + ?Sized>(c: &mut Cmd<'_, '_, O>, _req: DiscoverResponse<'_>) -> Result<(), Error> {
    Err(no_request(c))
}

/// AT+MIPLLTRDP: seconds of lifetime left; 0 when not registered (seed 001 §4.9).
pub fn remaining_lifetime<O: Out + ?Sized>(c: &Cmd<'_, '_, O>) -> u32 {
    // not while de-registering (CLOSE, or DELETE of the instance)
    if registered(c) {
        c.client.remaining_lifetime_s(*c.now_ms)
    } else {
        0
    }
}

/// AT+MIPLQMGR counters; all 0 while nothing is queued.
pub fn queue_stats(_state: &State) -> QueueStats {
    QueueStats::default()
}

/// The profile error for a refused client call (a refused call changed nothing).
fn client_error(e: lwm2m::Error) -> Error {
    match e {
        lwm2m::Error::Busy => Error::Busy,
        lwm2m::Error::NotRegistered => Error::NotRegistered,
        lwm2m::Error::Invalid => Error::ParamValue,
        lwm2m::Error::TooLarge => Error::NoMemory,
        lwm2m::Error::UnknownHandle => Error::NotFound,
        lwm2m::Error::Network | lwm2m::Error::Expired => Error::Other,
    }
}

/// Makes the client call a command left; events it raises are printed after
/// the final result. Out of line: one copy, not one inside every caller.
#[inline(never)]
pub fn perform<H: Host + ?Sized>(state: &State, cx: &mut Context<'_, '_, H>, call: Call) -> Result<(), Error> {
    let result = match call {
        Call::Open(req) => return open_session(state, cx, req),
        Call::Status => {
            cx.ok();
            events::print_step(cx, Step::RegisterOk);
            return Ok(());
        }
        Call::Update {
            lifetime_s,
            with_objects,
            rai,
        } => {
            let objects = with_objects.then_some(super::objects(state));
            // seed 003 §3.3.16 `<raiMode>`: the MCU's value reaches udp_send
            // with the Update; a refused Update must not leave it for the next.
            cx.client.set_rai(rai);
            let sent = cx
                .client
                .update(cx.out.host(), cx.now_ms, Some(lifetime_s), None, objects);
            cx.client.set_rai(0);
            sent.map(drop)
        }
        Call::Deregister => cx.client.deregister(cx.out.host(), cx.now_ms, &mut |e| {
            // Cannot overflow: one event per call.
            let _ = cx.raised.push(e);
        }),
        Call::Forget => {
            cx.client.abort(cx.out.host());
            Ok(())
        }
    };
    result.map_err(client_error)
}

/// AT+MIPLOPEN's client call: `OK` whatever the network does; bc260y then
/// prints EVENT_CONNECT_SUCCESS (seed 003 §7.2.3: 4 before 6) or, when no
/// socket opens, EVENT_CONNECT_FAILED (5); onemo has only "登录失败" (7).
/// With bootstrap, the client's BootstrapStarted follows the `OK`.
fn open_session<H: Host + ?Sized>(state: &State, cx: &mut Context<'_, '_, H>, req: OpenRequest) -> Result<(), Error> {
    let device = state.device.as_ref().ok_or(Error::NotFound)?;
    let mut endpoint = Endpoint::new();
    registration::endpoint_name(device, cx.ids, &mut endpoint);
    let params = registration::params(cx.profile.id, device, req, &endpoint);
    let started = cx
        .client
        .register(cx.out.host(), cx.now_ms, &params, &device.objects, &mut |e| {
            let _ = cx.raised.push(e);
        });
    let step = match started {
        Ok(()) if params.bootstrap => return Ok(()),
        Ok(()) => Step::ConnectOk,
        Err(lwm2m::Error::Network) => Step::ConnectFailed,
        Err(e) => return Err(client_error(e)),
    };
    cx.ok();
    events::print_step(cx, step);
    Ok(())
}
