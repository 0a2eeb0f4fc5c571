//! Client events as QLA URCs (seed 004 §3.3–3.5, §4): the results of
//! AT+QLAREG / AT+QLAUPDATE / AT+QLADEREG, "ping", "bs_finished",
//! "lifetime_changed", "binding_changed", "recovered".

use super::records::Kind;
use super::session::{self, Status};
use super::State;
use crate::coap::Code;
use crate::dialect::Context;
use crate::host::Host;
use crate::lwm2m::{Binding, Event, Trigger};

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

/// `<status_code>` per server answer (seed 004 §6 table 6; 0.00 is a
/// reset): rows instead of a match on class and detail.
const STATUS_OF: [(Code, u8); 5] = [
    (Code::EMPTY, status::RESET),
    (Code::new(4, 0), status::BAD_REQUEST),
    (Code::new(4, 3), status::FORBIDDEN),
    (Code::new(4, 4), status::NOT_FOUND),
    (Code::new(4, 12), status::PRECONDITION_FAILED),
];

/// The `<status_code>` for a server's answer; any other is "not sent".
fn status_of(code: Code) -> u8 {
    STATUS_OF
        .iter()
        .find(|(c, _)| *c == code)
        .map_or(status::NOT_SENT, |&(_, s)| s)
}

fn urc<'w, 'h, H: Host + ?Sized>(cx: &'w mut Context<'_, 'h, H>, name: &[u8]) -> &'w mut crate::at::Writer<'h, H> {
    super::begin(cx.out, b"QLAURC").quoted(name)
}

/// `+<NAME>: <status>` (and `,<mid>` when given).
#[cfg_attr(not(target_has_atomic = "32"), inline(always))]
fn result<H: Host + ?Sized>(cx: &mut Context<'_, '_, H>, name: &[u8], status: u8, mid: Option<u16>) {
    let w = super::begin(cx.out, name).uint(status.into());
    if let Some(mid) = mid {
        super::comma_uint(w, mid.into());
    }
    w.end_urc();
}

/// `<status_code>` 3 of `"recovered"`.
pub(super) const RECOVERY_FAILED: u8 = status::RECOVERY_FAILED;

/// `+QLAURC: "recovered",<status>` (seed 004 §4.13).
pub(super) fn recovered<H: Host + ?Sized>(cx: &mut Context<'_, '_, H>, status: u8) {
    urc_number(cx, b"recovered", status.into());
}

/// `+QLAURC: "<name>",<n>`: "recovered", "ping", "lifetime_changed" (one
/// call sequence for all).
#[cfg_attr(not(target_has_atomic = "32"), inline(always))]
fn urc_number<H: Host + ?Sized>(cx: &mut Context<'_, '_, H>, name: &[u8], n: u32) {
    super::comma_uint(urc(cx, name), n).end_urc();
}

/// How an Update ended, printed as its trigger asks: the MCU's AT+QLAUPDATE
/// (or the AT+QLAADDOBJ / AT+QLADELOBJ that sent it), the automatic
/// lifetime update ("ping"), or a session recovery.
fn update_result<H: Host + ?Sized>(
    state: &mut State,
    cx: &mut Context<'_, '_, H>,
    trigger: Trigger,
    mid: u16,
    mut status: u8,
) {
    let name: &[u8] = match trigger {
        Trigger::Command => {
            return match state.session.objects_update {
                Some((sent, name)) if sent == mid => {
                    state.session.objects_update = None;
                    result(cx, name, status, None)
                }
                _ => result(cx, b"QLAUPDATE", status, Some(mid)),
            }
        }
        // seed 004 §4.13: "如果恢复过程中，平台无响应，会导致恢复失败，此时需要模组
        // 手动重新注册": the session is dropped without a word to the server,
        // so the MCU can AT+QLAREG again.
        Trigger::Resume => {
            if status != status::SUCCESS {
                cx.client.abort(cx.out.host());
                unregistered(state, cx);
                status = status::RECOVERY_FAILED;
            }
            b"recovered"
        }
        Trigger::Automatic | Trigger::Server => b"ping",
    };
    // `"recovered",<status>` or `"ping",<status>`.
    urc_number(cx, name, status.into());
}

/// After a successful Register or Update: the registration is saved for
/// recovery after deep sleep (seed 004 §3.15); a server the bootstrap
/// assigned becomes the saved LwM2M server (§3.1 note 2).
fn registered<H: Host + ?Sized>(state: &mut State, cx: &mut Context<'_, '_, H>) {
    state.session.set_status(Status::Registered);
    if let Some(c) = state.server.as_mut().filter(|c| c.bootstrap) {
        let (host, port) = cx.client.server();
        // Both are HOST_MAX long: cannot fail.
        crate::bytes::refill(c.host.as_mut_view(), host);
        c.port = port;
        c.bootstrap = false;
        c.lifetime = cx.client.lifetime_s();
        c.binding = cx.client.binding() as u8;
        // Registered without DTLS (the only mode built).
        c.security = 3;
        c.psk_id.clear();
        c.psk.clear();
        state.persist(cx.out.host(), Kind::Server);
    }
    let session = cx.client.snapshot(cx.now_ms);
    state.save_session(cx.out.host(), session.as_ref());
}

/// The registration is gone: nothing to recover after deep sleep.
fn unregistered<H: Host + ?Sized>(state: &mut State, cx: &mut Context<'_, '_, H>) {
    state.session.set_status(Status::NotRegistered);
    state.save_session(cx.out.host(), None);
}

/// `+QLAURC: "binding_changed",<U|UQ>` (seed 004 §5.1: the mode unquoted).
fn binding_changed<H: Host + ?Sized>(cx: &mut Context<'_, '_, H>, binding: Binding) {
    // `,U` or `,UQ`: one text, the mode's length taken from its value
    // (U is 0, UQ 1).
    let mode = b",UQ".get(..2 + binding as usize).unwrap_or_default();
    urc(cx, b"binding_changed").text(mode).end_urc();
}

const _: () = assert!(Binding::U as usize == 0 && Binding::UQ as usize == 1);

/// Prints what `event` means for the MCU and tracks `AT+QLASTATUS?`.
pub fn on_event<H: Host + ?Sized>(state: &mut State, cx: &mut Context<'_, '_, H>, event: Event<'_>) {
    // The result line of AT+QLAREG / AT+QLADEREG, after the status is set.
    let (name, code): (&[u8], u8) = match event {
        // seed 004 §5.1: the binding the Bootstrap-Server wrote is reported
        // before "bs_finished" even when it is the configured one (the
        // example configures U and prints `"binding_changed",U`): the
        // module reports the Server object it was given, not a difference.
        Event::BootstrapFinished => {
            binding_changed(cx, cx.client.binding());
            return urc(cx, b"bs_finished").end_urc();
        }
        Event::BootstrapFailed | Event::RegisterTimeout => {
            state.session.set_status(Status::NotRegistered);
            (b"QLAREG", status::TIMEOUT)
        }
        Event::Registered => {
            registered(state, cx);
            (b"QLAREG", status::SUCCESS)
        }
        Event::RegisterFailed { code } => {
            state.session.set_status(Status::NotRegistered);
            (b"QLAREG", status_of(code))
        }
        Event::Updated { mid, trigger } => {
            registered(state, cx);
            return update_result(state, cx, trigger, mid, status::SUCCESS);
        }
        Event::UpdateFailed { mid, code, trigger } => {
            // 4.04: the server forgot the registration and the client
            // closed; otherwise it stays registered.
            if code == Code::NOT_FOUND {
                unregistered(state, cx);
            } else {
                state.session.set_status(Status::Registered);
            }
            let status = if code.class() == 0 {
                status::RESET
            } else {
                status::UPDATE_FAILED
            };
            return update_result(state, cx, trigger, mid, status);
        }
        // The registration stays until its lifetime runs out (an unanswered
        // recovery Update ends the session instead: see update_result).
        Event::UpdateTimeout { mid, trigger } => {
            state.session.set_status(Status::Registered);
            return update_result(state, cx, trigger, mid, status::TIMEOUT);
        }
        Event::LifetimeExpired => return unregistered(state, cx),
        Event::Deregistered => {
            state.session.set_status(Status::Deregistered);
            (b"QLADEREG", status::SUCCESS)
        }
        Event::DeregisterFailed { code } => {
            state.session.set_status(Status::Deregistered);
            let status = if code.class() == 0 {
                status::TIMEOUT
            } else {
                status_of(code)
            };
            (b"QLADEREG", status)
        }
        // The value in force is kept with the server config, as an
        // AT+QLAUPDATE would keep it.
        Event::LifetimeChanged(lifetime) => {
            session::keep_in_config(state, cx.out.host(), Some(lifetime), None);
            return urc_number(cx, b"lifetime_changed", lifetime);
        }
        // seed 004 §5.1: `+QLAURC: "binding_changed",U`, the mode unquoted.
        Event::BindingChanged(binding) => {
            session::keep_in_config(state, cx.out.host(), None, Some(binding));
            return binding_changed(cx, binding);
        }
        // Read, write, execute and observe reach the MCU with the
        // device-management work; until then the server learns it plainly.
        Event::Request { handle, .. } => return crate::dialect::not_implemented(cx, handle),
        // QLA updates by itself ("lifetime_enable") or not at all: nothing to announce.
        Event::BootstrapStarted
        | Event::UpdateNeeded { .. }
        | Event::ResponseDelivered { .. }
        | Event::ResponseFailed { .. } => return,
    };
    result(cx, name, code, None);
}

/// The firmware woke from deep sleep that lasted `slept_ms`
/// (seed 004 §3.15, §4.13: `"recovery_mode"`).
pub fn on_wake<H: Host + ?Sized>(state: &mut State, cx: &mut Context<'_, '_, H>, slept_ms: u64) {
    session::on_wake(state, cx, slept_ms);
}
