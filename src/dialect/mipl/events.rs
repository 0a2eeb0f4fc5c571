//! Client events as `+MIPLEVENT` URCs, numbered per profile.
//!
//! seed 001 §3.20 (onemo) and seed 003 §5.7 (bc260y) number the same
//! lifecycle differently and report different subsets; the table below is
//! the one place that says which.

use super::State;
use crate::coap::Code;
use crate::dialect::profile::ProfileId;
use crate::dialect::Context;
use crate::host::Host;
use crate::lwm2m::Event;

/// `+MIPLEVENT` numbers of one profile; 0 means the profile reports nothing.
/// Written by name here, kept as an array indexed by [`Step`] in flash.
struct EventIds {
    bootstrap_start: u8,
    bootstrap_ok: u8,
    bootstrap_failed: u8,
    connect_ok: u8,
    connect_failed: u8,
    register_ok: u8,
    register_failed: u8,
    register_timeout: u8,
    lifetime_timeout: u8,
    update_ok: u8,
    update_failed: u8,
    update_timeout: u8,
    deregistered: u8,
    deregister_failed: u8,
    /// The server answered an Update with 4.04: it deleted the device.
    device_deleted: u8,
    /// An Update is due and left to the MCU (only bc260y announces instead
    /// of updating by itself: registration::params).
    update_needed: u8,
}

/// seed 001 §3.20: "在平台拒绝登录或登录超时的情景下会上报 7" (so is a socket
/// that does not open); the module reports only a successful
/// de-registration (§3.8 "退出平台事件仅上报成功") and no update failure.
static ONEMO: [u8; STEPS] = table(EventIds {
    bootstrap_start: 0,
    bootstrap_ok: 2,
    bootstrap_failed: 3,
    connect_ok: 0,
    connect_failed: 7,
    register_ok: 6,
    register_failed: 7,
    register_timeout: 7,
    lifetime_timeout: 0,
    update_ok: 11,
    update_failed: 0,
    update_timeout: 0,
    deregistered: 15,
    deregister_failed: 0,
    device_deleted: 31,
    update_needed: 14,
});

/// seed 003 §5.7: EVENT_BOOTSTRAP_START .. EVENT_DEREG_DONE.
static BC260Y: [u8; STEPS] = table(EventIds {
    bootstrap_start: 1,
    bootstrap_ok: 2,
    bootstrap_failed: 3,
    connect_ok: 4,
    connect_failed: 5,
    register_ok: 6,
    register_failed: 7,
    register_timeout: 8,
    lifetime_timeout: 9,
    update_ok: 11,
    update_failed: 12,
    update_timeout: 13,
    deregistered: 15,
    // EVENT_DEREG_DONE: de-registration is over either way.
    deregister_failed: 15,
    device_deleted: 12,
    // seed 003 §5.7: `+MIPLEVENT: 0,14,<remaining lifetime>`.
    update_needed: 14,
});

/// A lifecycle step the MCU may hear of: an index into a profile's table.
/// The first steps are the client's events in the order of [`Event`]'s
/// variants, so an event's step is its variant's index (`step_of`: a
/// subtraction, no table); the events that are no step of their own hold
/// [`Step::Silent`] places (zeros in the tables).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Step {
    /// Bootstrap started.
    BootstrapStart,
    /// Bootstrap finished.
    BootstrapOk,
    /// Bootstrap failed.
    BootstrapFailed,
    /// Registered; also onemo AT+MIPLOPEN? while registered (seed 001 §3.6).
    RegisterOk,
    /// The server refused the registration.
    RegisterFailed,
    /// No answer to Register.
    RegisterTimeout,
    /// Updated.
    UpdateOk,
    /// The server refused the update.
    UpdateFailed,
    /// No answer to Update.
    UpdateTimeout,
    /// The lifetime ran out.
    LifetimeTimeout,
    /// An Update is due (the line carries the remaining lifetime).
    UpdateNeeded,
    /// De-registered.
    Deregistered,
    /// De-registration failed.
    DeregisterFailed,
    /// Nothing to report (the place of `Event::LifetimeChanged`; the
    /// places up to [`Step::ConnectOk`] are the other silent events').
    Silent,
    /// Registering with the LwM2M server (not the bootstrap server):
    /// bc260y's EVENT_CONNECT_SUCCESS (seed 003 §7.2.3: 4 before 6).
    ConnectOk = SILENT_EVENTS_END,
    /// The socket did not open.
    ConnectFailed,
    /// The server answered an Update with 4.04.
    DeviceDeleted,
}

/// The index after the last event's place: `ResponseFailed` is the 18th variant.
const SILENT_EVENTS_END: u8 = 18;

/// How many steps a table holds.
const STEPS: usize = Step::DeviceDeleted as usize + 1;

const fn table(e: EventIds) -> [u8; STEPS] {
    [
        e.bootstrap_start,
        e.bootstrap_ok,
        e.bootstrap_failed,
        e.register_ok,
        e.register_failed,
        e.register_timeout,
        e.update_ok,
        e.update_failed,
        e.update_timeout,
        e.lifetime_timeout,
        e.update_needed,
        e.deregistered,
        e.deregister_failed,
        // LifetimeChanged, BindingChanged, Request, ResponseDelivered,
        // ResponseFailed: not reported.
        0,
        0,
        0,
        0,
        0,
        e.connect_ok,
        e.connect_failed,
        e.device_deleted,
    ]
}

/// `+MIPLEVENT: 0,<id>` for `step`, and `,<n>` when given (nothing where
/// the profile reports none).
fn event_line<H: Host + ?Sized>(cx: &mut Context<'_, '_, H>, step: u8, n: Option<u32>) {
    let ids = match cx.profile.id {
        ProfileId::Bc260y => &BC260Y,
        _ => &ONEMO,
    };
    let Some(id) = ids.get(usize::from(step)).copied().filter(|&id| id != 0) else {
        return;
    };
    let w = cx.profile.begin(cx.out, b"MIPLEVENT").text(b"0,").uint(id as u64);
    if let Some(n) = n {
        w.byte(b',').uint(n.into());
    }
    w.end_urc();
}

/// `+MIPLEVENT` for `step` (nothing where the profile reports none).
#[cfg_attr(not(target_has_atomic = "32"), inline(always))]
pub fn print_step<H: Host + ?Sized>(cx: &mut Context<'_, '_, H>, step: Step) {
    event_line(cx, step as u8, None);
}

/// Prints what `event` means for the MCU.
pub fn on_event<H: Host + ?Sized>(state: &mut State, cx: &mut Context<'_, '_, H>, event: Event<'_>) {
    if let Event::Request { handle, .. } = event {
        return crate::dialect::not_implemented(cx, handle);
    }
    // After AT+MIPLDELETE the instance is gone and its session ends silently
    // (seed 001 §3.2: the module just closes the socket).
    if state.device.is_none() {
        return;
    }
    let mut step = step_of(&event);
    match event {
        // Bootstrap done, then (bc260y) connecting to the LwM2M server.
        Event::BootstrapFinished => {
            print_step(cx, Step::BootstrapOk);
            step = Step::ConnectOk as u8;
        }
        Event::UpdateFailed { code, .. } if code == Code::NOT_FOUND => step = Step::DeviceDeleted as u8,
        _ => {}
    }
    // seed 003 §5.7: `+MIPLEVENT: 0,14,<remaining lifetime>`.
    let n = match event {
        Event::UpdateNeeded { remaining_s } => Some(remaining_s),
        _ => None,
    };
    event_line(cx, step, n);
}

/// The step an event is: its variant's index (see [`Step`]; LLVM makes
/// the match a subtraction).
fn step_of(event: &Event<'_>) -> u8 {
    let step = match event {
        Event::BootstrapStarted => Step::BootstrapStart,
        Event::BootstrapFinished => Step::BootstrapOk,
        Event::BootstrapFailed => Step::BootstrapFailed,
        Event::Registered => Step::RegisterOk,
        Event::RegisterFailed { .. } => Step::RegisterFailed,
        Event::RegisterTimeout => Step::RegisterTimeout,
        Event::Updated { .. } => Step::UpdateOk,
        Event::UpdateFailed { .. } => Step::UpdateFailed,
        Event::UpdateTimeout { .. } => Step::UpdateTimeout,
        Event::LifetimeExpired => Step::LifetimeTimeout,
        Event::UpdateNeeded { .. } => Step::UpdateNeeded,
        Event::Deregistered => Step::Deregistered,
        Event::DeregisterFailed { .. } => Step::DeregisterFailed,
        // The silent events keep their own places (13..=17, all zeros):
        // one place for all would cost a table instead of a subtraction.
        Event::LifetimeChanged(_) => return Step::Silent as u8,
        Event::BindingChanged(_) => return Step::Silent as u8 + 1,
        Event::Request { .. } => return Step::Silent as u8 + 2,
        Event::ResponseDelivered { .. } => return Step::Silent as u8 + 3,
        Event::ResponseFailed { .. } => return Step::Silent as u8 + 4,
    };
    step as u8
}

// The silent places end where the other steps start.
const _: () = assert!(Step::Silent as u8 + 5 == Step::ConnectOk as u8);
