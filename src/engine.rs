//! The engine: owns all state, routes AT lines to the profile's dialect, and
//! datagrams and time to the LwM2M client, and client events back to the
//! dialect that prints them.

use crate::at::{self, Writer};
use crate::dialect::profile::ProfileId;
use crate::dialect::{mipl, qla, Context, DeviceIds, EventQueue, Family, Profile};
use crate::host::Host;
use crate::lwm2m::{Client, Event};
use crate::model::ObjectList;

/// What the firmware configures at init (the Rust side of `lwat_config`).
#[derive(Clone, Copy, Debug)]
pub struct Settings<'a> {
    /// Which module the engine behaves like.
    pub profile: ProfileId,
    /// IMEI; empty means [`DEFAULT_IMEI`].
    pub imei: &'a [u8],
    /// IMSI; empty means [`DEFAULT_IMSI`].
    pub imsi: &'a [u8],
    /// Firmware version; empty means [`DEFAULT_FIRMWARE_VERSION`].
    pub firmware_version: &'a [u8],
    /// `AT+CMEE` mode: 0 `ERROR`, 1 and 2 numbered errors.
    pub cmee_mode: u8,
}

/// IMEI used when the firmware gives none.
pub const DEFAULT_IMEI: &[u8] = b"000000000000000";
/// IMSI used when the firmware gives none.
pub const DEFAULT_IMSI: &[u8] = b"000000000000000";
/// Firmware version used when the firmware gives none.
pub const DEFAULT_FIRMWARE_VERSION: &[u8] = b"lwat-0.1.0";

/// Whether a line was a command of this engine's profile.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Handled {
    /// lwat wrote the complete response, final `OK`/error included.
    Mine,
    /// Not a command of this profile; nothing was written.
    NotMine,
}

// One engine speaks one dialect for its lifetime and there is no heap to
// box into: both states live inline and only one exists per engine.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
enum Dialect {
    Mipl(mipl::State),
    Qla(qla::State),
}

/// One LwM2M engine. All of its memory is inside this value.
// Fields in this order, not the compiler's (measured: the smallest image
// of the orders tried): the client first, so that its hot fields (see
// `Client`) stay within Thumb's short load/store offsets of the engine too.
#[derive(Debug)]
#[repr(C)]
pub struct Engine {
    client: Client,
    profile: &'static Profile,
    cmee: u8,
    dialect: Dialect,
    ids: DeviceIds,
}

// (Not inlined: measured smaller.)
#[inline(never)]
fn copy_or_default<const N: usize>(given: &[u8], default: &[u8]) -> heapless::Vec<u8, N> {
    let text = if given.is_empty() { default } else { given };
    let text = &text[..text.len().min(N)];
    heapless::Vec::from_slice(text).unwrap_or_default()
}

impl Engine {
    /// A fresh engine; restores what NV holds for the profile.
    // Cortex-M0 only: inlined saves 8 B on thumbv6m.
    #[cfg_attr(not(target_has_atomic = "32"), inline(always))]
    pub fn new<H: Host + ?Sized>(settings: &Settings<'_>, host: &mut H) -> Engine {
        let profile = Profile::from_id(settings.profile);
        let ids = DeviceIds {
            imei: copy_or_default(settings.imei, DEFAULT_IMEI),
            imsi: copy_or_default(settings.imsi, DEFAULT_IMSI),
            firmware_version: copy_or_default(settings.firmware_version, DEFAULT_FIRMWARE_VERSION),
        };
        let dialect = match profile.family {
            Family::Mipl => Dialect::Mipl(mipl::State::new()),
            Family::Qla => Dialect::Qla(qla::State::restore(host)),
        };
        Engine {
            profile,
            cmee: settings.cmee_mode.min(2),
            ids,
            dialect,
            client: Client::new(),
        }
    }

    /// The profile this engine speaks.
    pub fn profile(&self) -> &'static Profile {
        self.profile
    }

    /// Sets the `AT+CMEE` mode (0, 1, 2) the firmware answered itself.
    pub fn set_cmee(&mut self, mode: u8) -> bool {
        if mode > 2 {
            return false;
        }
        self.cmee = mode;
        true
    }

    /// Handles one command line (with or without `AT`, without CR/LF).
    pub fn at_command<H: Host + ?Sized>(&mut self, host: &mut H, now_ms: u64, line: &[u8]) -> Handled {
        let Some(cmd) = at::line::split(line) else {
            return Handled::NotMine;
        };
        let prefix = self.profile.command_prefix;
        if !cmd
            .name
            .get(..prefix.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(prefix))
        {
            return Handled::NotMine;
        }
        let mut out = Writer::new(host);
        let mut cx = Context::new(self.profile, &mut out, now_ms, &self.ids, &mut self.client);
        let result = match &mut self.dialect {
            Dialect::Mipl(state) => mipl::dispatch(state, &mut cx, &cmd),
            Dialect::Qla(state) => qla::dispatch(state, &mut cx, &cmd),
        };
        match result {
            None => return Handled::NotMine,
            Some(Ok(())) if !cx.ok_sent() => cx.out.ok(),
            Some(Ok(())) => {}
            Some(Err(e)) => self.profile.write_error(cx.out, self.cmee, e),
        }
        // URCs the command caused (a refused command raises none) follow its final result.
        deliver_raised(&mut self.dialect, &mut cx);
        Handled::Mine
    }

    /// Handles one datagram from `endpoint`. Malformed or foreign datagrams
    /// are dropped (or reset, as RFC 7252 says) without touching the session.
    pub fn udp_input<H: Host + ?Sized>(&mut self, host: &mut H, now_ms: u64, endpoint: i32, data: &[u8]) {
        let mut queue = EventQueue::new();
        let objects = objects_of(&self.dialect);
        self.client
            .on_datagram(host, now_ms, endpoint, data, objects, &mut |e| {
                queue_event(&mut queue, e)
            });
        // Most datagrams (ACKs, duplicates) raise nothing: no output to set up.
        if !queue.is_empty() {
            self.deliver(host, now_ms, &queue);
        }
    }

    /// Hands the client's `queue` of events to the dialect, in order, then
    /// what their handlers raise in turn (after all of the queue, as if
    /// appended to it). One path for datagrams and polls.
    fn deliver<H: Host + ?Sized>(&mut self, host: &mut H, now_ms: u64, queue: &EventQueue<'_>) {
        let mut out = Writer::new(host);
        let mut cx = Context::new(self.profile, &mut out, now_ms, &self.ids, &mut self.client);
        for &event in queue.iter() {
            on_event(&mut self.dialect, &mut cx, event);
        }
        deliver_raised(&mut self.dialect, &mut cx);
    }

    /// Does what is due at `now_ms`; returns milliseconds until the engine
    /// wants to be called again (`u64::MAX`: never, nothing pending).
    pub fn poll<H: Host + ?Sized>(&mut self, host: &mut H, now_ms: u64) -> u64 {
        let mut queue: EventQueue<'static> = EventQueue::new();
        let mut deadline = self.client.poll(host, now_ms, &mut |e| queue_event(&mut queue, e));
        // An idle poll (the common case) raises nothing: no output to set up.
        if !queue.is_empty() {
            self.deliver(host, now_ms, &queue);
            // Handlers may have started exchanges: ask the client again.
            deadline = deadline.min(self.client.next_deadline());
        }
        match deadline {
            u64::MAX => u64::MAX,
            at => at.saturating_sub(now_ms),
        }
    }

    /// The firmware woke from deep sleep that lasted `slept_ms`; profiles
    /// that keep their session across sleep (qla `"recovery_mode"`) resume it.
    pub fn resume<H: Host + ?Sized>(&mut self, host: &mut H, now_ms: u64, slept_ms: u64) {
        let mut out = Writer::new(host);
        let mut cx = Context::new(self.profile, &mut out, now_ms, &self.ids, &mut self.client);
        if let Dialect::Qla(state) = &mut self.dialect {
            qla::events::on_wake(state, &mut cx, slept_ms);
        }
        deliver_raised(&mut self.dialect, &mut cx);
    }
}

/// Queues a client event for the dialect. Cannot overflow: the queue holds
/// one event per exchange and pending request. (Not inlined: the client
/// raises events in many places.)
#[inline(never)]
fn queue_event<'e>(queue: &mut EventQueue<'e>, event: Event<'e>) {
    let _ = queue.push(event);
}

fn objects_of(dialect: &Dialect) -> &dyn ObjectList {
    match dialect {
        Dialect::Mipl(state) => mipl::objects(state),
        Dialect::Qla(state) => &state.objects,
    }
}

fn on_event<H: Host + ?Sized>(dialect: &mut Dialect, cx: &mut Context<'_, '_, H>, event: Event<'_>) {
    match dialect {
        Dialect::Mipl(state) => mipl::events::on_event(state, cx, event),
        Dialect::Qla(state) => qla::events::on_event(state, cx, event),
    }
}

/// Hands the events raised so far to the dialect; events its handlers raise
/// in turn are handled too (the bounded queue bounds the loop).
fn deliver_raised<H: Host + ?Sized>(dialect: &mut Dialect, cx: &mut Context<'_, '_, H>) {
    let mut next = 0;
    while let Some(&event) = cx.raised.get(next) {
        on_event(dialect, cx, event);
        next += 1;
    }
    cx.raised.clear();
}
