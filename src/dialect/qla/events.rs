//! Client events as QLA URCs (seed 004 §3.3–3.5, §4): the results of
//! AT+QLAREG / AT+QLAUPDATE / AT+QLADEREG, "ping", "bs_finished",
//! "lifetime_changed", "binding_changed", "recovered".

use super::session::Status;
use super::State;
use crate::coap::Code;
use crate::dialect::Context;
use crate::host::Host;
use crate::lwm2m::{Event, Trigger};

/// seed 004 §6 table 6 `<status_code>`.
mod status {
    pub const SUCCESS: u8 = 0;
    pub const TIMEOUT: u8 = 1;
    pub const NOT_SENT: u8 = 2;
    pub const RECOVERY_FAILED: u8 = 3;
    pub const UPDATE_FAILED: u8 = 4;
    pub const RESET: u8 = 9;
    pub const BAD_REQUEST: u8 = 10;
    pub const FORBIDDEN: u8 = 13;
    pub const NOT_FOUND: u8 = 14;
    pub const PRECONDITION_FAILED: u8 = 22;
}

/// The `<status_code>` for a server's answer (0.00: reset).
fn status_of(code: Code) -> u8 {
    match (code.class(), code.detail()) {
        (0, 0) => status::RESET,
        (4, 0) => status::BAD_REQUEST,
        (4, 3) => status::FORBIDDEN,
        (4, 4) => status::NOT_FOUND,
        (4, 12) => status::PRECONDITION_FAILED,
        _ => status::NOT_SENT,
    }
}

fn urc<'w, 'h, H: Host + ?Sized>(cx: &'w mut Context<'_, 'h, H>, name: &[u8]) -> &'w mut crate::at::Writer<'h, H> {
    cx.profile.begin(cx.out, b"QLAURC").quoted(name)
}

/// `+<NAME>: <status>` (and `,<mid>` when given).
fn result<H: Host + ?Sized>(cx: &mut Context<'_, '_, H>, name: &[u8], status: u8, mid: Option<u16>) {
    let w = cx.profile.begin(cx.out, name).uint(status as u64);
    if let Some(mid) = mid {
        w.byte(b',').uint(mid as u64);
    }
    w.end_urc();
}

/// How an Update ended, printed as its trigger asks: the MCU's AT+QLAUPDATE,
/// the automatic lifetime update ("ping"), or a session recovery.
fn update_result<H: Host + ?Sized>(cx: &mut Context<'_, '_, H>, trigger: Trigger, mid: u16, status: u8) {
    match trigger {
        Trigger::Command => result(cx, b"QLAUPDATE", status, Some(mid)),
        Trigger::Resume => {
            let recovered = if status == status::SUCCESS {
                status
            } else {
                status::RECOVERY_FAILED
            };
            urc(cx, b"recovered").byte(b',').uint(recovered as u64).end_urc();
        }
        Trigger::Automatic | Trigger::Server => urc(cx, b"ping").byte(b',').uint(status as u64).end_urc(),
    }
}

/// Prints what `event` means for the MCU and tracks `AT+QLASTATUS?`.
pub fn on_event<H: Host + ?Sized>(state: &mut State, cx: &mut Context<'_, '_, H>, event: Event<'_>) {
    match event {
        Event::BootstrapStarted => {}
        Event::BootstrapFinished => urc(cx, b"bs_finished").end_urc(),
        Event::BootstrapFailed => {
            state.session.set_status(Status::NotRegistered);
            result(cx, b"QLAREG", status::TIMEOUT, None);
        }
        Event::Registered => {
            state.session.set_status(Status::Registered);
            result(cx, b"QLAREG", status::SUCCESS, None);
        }
        Event::RegisterFailed { code } => {
            state.session.set_status(Status::NotRegistered);
            result(cx, b"QLAREG", status_of(code), None);
        }
        Event::RegisterTimeout => {
            state.session.set_status(Status::NotRegistered);
            result(cx, b"QLAREG", status::TIMEOUT, None);
        }
        Event::Updated { mid, trigger } => {
            state.session.set_status(Status::Registered);
            update_result(cx, trigger, mid, status::SUCCESS);
        }
        Event::UpdateFailed { mid, code, trigger } => {
            if code == Code::NOT_FOUND {
                state.session.set_status(Status::NotRegistered);
            }
            let status = if code.class() == 0 {
                status::RESET
            } else {
                status::UPDATE_FAILED
            };
            update_result(cx, trigger, mid, status);
        }
        Event::UpdateTimeout { mid, trigger } => update_result(cx, trigger, mid, status::TIMEOUT),
        Event::LifetimeExpired => state.session.set_status(Status::NotRegistered),
        Event::Deregistered => {
            state.session.set_status(Status::Deregistered);
            result(cx, b"QLADEREG", status::SUCCESS, None);
        }
        Event::DeregisterFailed { code } => {
            state.session.set_status(Status::Deregistered);
            let status = if code.class() == 0 {
                status::TIMEOUT
            } else {
                status_of(code)
            };
            result(cx, b"QLADEREG", status, None);
        }
        Event::LifetimeChanged(lifetime) => urc(cx, b"lifetime_changed").byte(b',').uint(lifetime as u64).end_urc(),
        // seed 004 §5.1: `+QLAURC: "binding_changed",U`, the mode unquoted.
        Event::BindingChanged(binding) => urc(cx, b"binding_changed")
            .byte(b',')
            .text(binding.as_bytes())
            .end_urc(),
        Event::Request { handle, .. } => {
            // Read, write, execute and observe reach the MCU with the
            // device-management work; until then the server learns it plainly.
            let _ = cx
                .client
                .respond(cx.out.host(), cx.now_ms, handle, Code::NOT_IMPLEMENTED, None, &[]);
        }
        Event::ResponseDelivered { .. } | Event::ResponseFailed { .. } => {}
    }
}

/// The firmware woke from deep sleep that lasted `slept_ms`
/// (seed 004 §3.15, §4.13: `"recovery_mode"`).
pub fn on_wake<H: Host + ?Sized>(_state: &mut State, _cx: &mut Context<'_, '_, H>, _slept_ms: u64) {}
