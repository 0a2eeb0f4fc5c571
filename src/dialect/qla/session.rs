//! The seam between the QLA commands and the LwM2M client: registration,
//! update, de-registration and session recovery after deep sleep, each
//! taking what [`super::requests`] validated. Results that arrive later
//! are printed by [`super::events`].
//!
//! Errors (seed 004 §6 table 5): no server configured 34; already
//! registering or registered 33; a command that needs a registration 4; the
//! client busy with an exchange of the registration family 15 (not ready);
//! a DTLS server (`<security_mode>` 0) 7 ("disabled": DTLS is not built
//! yet); a datagram endpoint the host could not open 1.

use super::records::{saved_session, Kind, RECORD_BUF};
use super::requests::Request;
use super::{events, number_line, registration, Cmd, State};
use crate::at::Error;
use crate::coap::Instant;
use crate::dialect::{Context, EventQueue};
use crate::host::Host;
use crate::lwm2m::{self, Binding, Event, Phase};

/// `<status>` of `AT+QLASTATUS?` (seed 004 §3.16).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[repr(u8)]
pub enum Status {
    /// 0: not registered.
    #[default]
    NotRegistered = 0,
    /// 1: registering.
    Registering = 1,
    /// 2: registered.
    Registered = 2,
    /// 3: deregistering.
    Deregistering = 3,
    /// 4: deregistered.
    Deregistered = 4,
    /// 5: invalid.
    Invalid = 5,
    /// 6: recovering.
    Recovering = 6,
    /// 7: a session from before deep sleep can be recovered (only in the
    /// seed 004 §3.15 example; the §3.16 table stops at 6).
    Recoverable = 7,
}

/// The LwM2M session as the QLA commands see it (the registration itself
/// is the client's).
#[derive(Debug, Default)]
pub struct Session {
    status: Status,
    /// NV holds a registration to recover (records.rs, kind Session).
    pub(super) saved: bool,
    /// Woken with `recovery_mode` 1: (time of the wake-up, ms slept), for
    /// `AT+QLARECOVER`. Set exactly while the status is 7.
    /// (`Instant`s keep the state 4-byte aligned.)
    woke: Option<(Instant, Instant)>,
    /// The Update an AT+QLAADDOBJ / AT+QLADELOBJ sent: its message id and
    /// the command name its result is printed under (both names are 9
    /// bytes: a thin pointer, no length to store).
    pub(super) objects_update: Option<(u16, &'static [u8; 9])>,
}

impl Session {
    /// `AT+QLASTATUS?` value.
    pub fn status(&self) -> u8 {
        self.status as u8
    }

    /// Records where the registration stands (from the client's events).
    pub fn set_status(&mut self, status: Status) {
        self.status = status;
    }

    /// `AT+QLARD?`: cached URCs. Only the client fills the cache (seed 004
    /// §4.15), so without it the cache is empty.
    pub fn cached(&self) -> usize {
        0
    }
}

/// The event sink client calls take: events go to `queue` for `on_event`.
fn sink<'q>(queue: &'q mut EventQueue<'static>) -> impl FnMut(Event<'static>) + 'q {
    |e| {
        // Cannot overflow: one event per exchange and pending request.
        let _ = queue.push(e);
    }
}

/// The AT error for a refused client call.
// Out of line: three callers (flash).
#[inline(never)]
fn refused(e: lwm2m::Error) -> Error {
    match e {
        lwm2m::Error::Busy => Error::Busy,
        lwm2m::Error::NotRegistered => Error::NotRegistered,
        _ => Error::Other,
    }
}

/// `AT+QLAREG`: Register (or Bootstrap-Request) with the active
/// `AT+QLACONFIG`; `+QLAREG: <status>` follows from the events.
pub fn register<H: Host + ?Sized>(state: &mut State, cx: &mut Context<'_, '_, H>) -> Result<(), Error> {
    // seed 004 §6: 34 "create LwM2M error": no client without a server.
    let server = state.server.as_ref().ok_or(Error::NotAllowed)?;
    if cx.client.phase() != Phase::Idle {
        return Err(Error::AlreadyRegistered);
    }
    if server.security == 0 {
        return Err(Error::NotSupported);
    }
    let params = registration::params(server, &state.options);
    cx.client
        .register(
            cx.out.host(),
            cx.now_ms,
            &params,
            &state.objects,
            &mut sink(&mut cx.raised),
        )
        .map_err(refused)?;
    state.session.status = Status::Registering;
    state.session.woke = None;
    Ok(())
}

/// `AT+QLADEREG`: De-register (a registration still in progress is
/// abandoned); `+QLADEREG: <status>` follows. The session is no longer
/// worth recovering.
pub fn deregister<H: Host + ?Sized>(state: &mut State, cx: &mut Context<'_, '_, H>) -> Result<(), Error> {
    cx.client
        .deregister(cx.out.host(), cx.now_ms, &mut sink(&mut cx.raised))
        .map_err(refused)?;
    state.session.status = Status::Deregistering;
    state.save_session(cx.out.host(), None);
    Ok(())
}

/// A validated network command: `AT+QLAUPDATE`, or one of the device
/// management answers and uplinks (`AT+QLARDRSP`, `AT+QLAOBSRSP`,
/// `AT+QLAWRRSP`, `AT+QLAEXERSP`, `AT+QLANOTIFY`, `AT+QLASENDDATA`).
pub(crate) fn submit<H: Host + ?Sized>(
    state: &mut State,
    cx: &mut Context<'_, '_, H>,
    request: &Request<'_, '_>,
) -> Result<(), Error> {
    if request.cmd == Cmd::Update {
        return update(state, cx, request);
    }
    match cx.client.phase() {
        // Server requests are answered 5.01 until the device-management
        // work (events.rs), so there is nothing to answer or notify yet.
        Phase::Registered | Phase::Updating => Err(Error::NotSupported),
        _ => Err(Error::NotRegistered),
    }
}

/// `AT+QLAUPDATE=<mode>,<lifetime|binding>` (seed 004 §3.4): the Update's
/// message id before OK, `+QLAUPDATE: <status>,<mid>` later. The new value
/// is saved with the server config (§3.4: 掉电保存).
fn update<H: Host + ?Sized>(
    state: &mut State,
    cx: &mut Context<'_, '_, H>,
    request: &Request<'_, '_>,
) -> Result<(), Error> {
    let value = request.number(1);
    let (lifetime, binding) = match request.number(0) {
        0 => (Some(value), None),
        _ => (None, Some(if value == 1 { Binding::UQ } else { Binding::U })),
    };
    let mid = cx
        .client
        .update(cx.out.host(), cx.now_ms, lifetime, binding, None)
        .map_err(refused)?;
    keep_in_config(state, cx.out.host(), lifetime, binding);
    number_line(cx.out, b"QLAUPDATE", mid.into());
    Ok(())
}

/// Copies a lifetime or binding now in force into the saved LwM2M server
/// config, so a restart registers with it.
#[cfg_attr(not(target_has_atomic = "32"), inline(always))]
pub(super) fn keep_in_config<H: Host + ?Sized>(
    state: &mut State,
    host: &mut H,
    lifetime: Option<u32>,
    binding: Option<Binding>,
) {
    let Some(c) = state.server.as_mut().filter(|c| !c.bootstrap) else {
        return;
    };
    c.lifetime = lifetime.unwrap_or(c.lifetime);
    c.binding = binding.map_or(c.binding, |b| b as u8);
    state.persist(host, Kind::Server);
}

/// Whether AT+QLAADDOBJ / AT+QLADELOBJ may change the objects now (seed
/// 004 §3.6 note 3: not while registering; nor while another exchange of
/// the registration family is in flight, since the platform must be told).
pub(super) fn objects_may_change<H: Host + ?Sized>(cx: &Context<'_, '_, H>) -> Result<(), Error> {
    match cx.client.phase() {
        Phase::Idle | Phase::Registered => Ok(()),
        _ => Err(Error::Busy),
    }
}

/// After AT+QLAADDOBJ / AT+QLADELOBJ changed the objects: `OK`, and
/// `+<name>: 0` at once when not registered; when registered the platform
/// is told with an Update carrying the object list (seed 004 §3.6 "并通知
/// 平台") and `+<name>: <status>` reports how that Update ended.
pub(super) fn objects_changed<H: Host + ?Sized>(
    state: &mut State,
    cx: &mut Context<'_, '_, H>,
    name: &'static [u8; 9],
) {
    cx.ok();
    if cx.client.phase() == Phase::Registered {
        let sent = cx
            .client
            .update(cx.out.host(), cx.now_ms, None, None, Some(&state.objects));
        if let Ok(mid) = sent {
            state.session.objects_update = Some((mid, name));
            return;
        }
        // Not sent (seed 004 §6 status 2); the next Update carries the list.
        return number_line(cx.out, name, 2);
    }
    number_line(cx.out, name, 0);
}

/// The firmware woke from deep sleep that lasted `slept_ms` (seed 004
/// §3.15, §4.13). With a saved registration: `recovery_mode` 0 recovers it
/// now; 1 offers it (status 7) to AT+QLARECOVER while its lifetime lasts.
pub fn on_wake<H: Host + ?Sized>(state: &mut State, cx: &mut Context<'_, '_, H>, slept_ms: u64) {
    if !state.session.saved || cx.client.phase() != Phase::Idle {
        return;
    }
    recover(state, cx, slept_ms, state.options.manual_recovery());
}

/// `AT+QLARECOVER` (seed 004 §3.15): `OK`, then `+QLAURC: "recovered",<status>`.
/// Only after a wake-up that offered a session (status 7); else 4.
pub fn recover_command<H: Host + ?Sized>(state: &mut State, cx: &mut Context<'_, '_, H>) -> Result<(), Error> {
    let (woke_at, slept) = state.session.woke.ok_or(Error::NotRegistered)?;
    cx.ok();
    // Instant::after saturates like the sum it stands for (shared code).
    let slept_ms = Instant::after(slept.ms(), cx.now_ms.saturating_sub(woke_at.ms())).ms();
    recover(state, cx, slept_ms, false);
    Ok(())
}

/// Resumes the saved registration `slept_ms` after it was saved: an Update
/// to the same location, whose result events.rs prints as "recovered".
/// A session that cannot be resumed (its lifetime ran out) is dropped:
/// `"recovered",3` and status 0, so the MCU registers again (§4.13 note).
/// With `offer` (a wake-up in `recovery_mode` 1) a session whose lifetime
/// lasts is only offered to AT+QLARECOVER (status 7) and an expired one
/// dropped without a word. One body, so the saved session is read from one
/// place.
fn recover<H: Host + ?Sized>(state: &mut State, cx: &mut Context<'_, '_, H>, slept_ms: u64, offer: bool) {
    let mut buf = [0u8; RECORD_BUF];
    // A session whose lifetime ran out during the sleep is dropped before
    // the client sees it (Client::resume would only raise LifetimeExpired,
    // which finds the session dropped already: the same end, one check).
    // Borrowed, not moved: each move of the session is a memcpy.
    let mut saved = None;
    saved_session(cx.out.host(), &mut buf, &mut saved);
    if let Some(session) = saved.as_ref().filter(|s| s.remaining_ms > slept_ms) {
        if offer {
            state.session.status = Status::Recoverable;
            state.session.woke = Some((Instant::at(cx.now_ms), Instant::at(slept_ms)));
            return;
        }
        let policy = registration::policy(&state.options);
        let resumed = cx.client.resume(
            cx.out.host(),
            cx.now_ms,
            session,
            slept_ms,
            policy,
            &mut sink(&mut cx.raised),
        );
        if resumed.is_ok() {
            state.session.status = Status::Recovering;
            state.session.woke = None;
            return;
        }
    }
    state.save_session(cx.out.host(), None);
    if !offer {
        state.session.status = Status::NotRegistered;
        state.session.woke = None;
        events::recovered(cx, events::RECOVERY_FAILED);
    }
}
