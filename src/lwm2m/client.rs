//! The client state machine: one server session at a time (bootstrap,
//! register, update, de-register), the CON exchanges it originates, and the
//! server requests it answers itself or hands to the MCU.
//!
//! Incoming datagrams follow the order of `coap::layer`'s module docs:
//! parse (malformed: RST or drop), ping, dedup of CON/NON, then replies are
//! matched to our exchanges and requests are routed.

mod bootstrap;
mod kept;

use heapless::Vec;

use self::kept::Kept;
use super::server_object;
use super::session::Session;
use super::wire::{self, Message};
use super::{Binding, Error, Event, Path, Phase, Trigger, UpdatePolicy, EXCHANGES, LOCATION_MAX, PENDING_REQUESTS};
use crate::arith::div_rem1000;
use crate::bytes::refill;
use crate::coap::message::Writer;
use crate::coap::options::is_critical;
use crate::coap::{
    number, reply_to_malformed, Code, Config, Dedup, Ids, Instant, Options, Outgoing, Reply, Repr, Seen, Timeout,
    Token, Type, Update, DEDUP_RESPONSE_MAX,
};
use crate::config::{AUTHCODE_MAX, ENDPOINT_MAX, HOST_MAX};
use crate::host::Host;
use crate::model::ObjectList;

/// The event sink every entry point takes.
/// `'e` is the lifetime of the datagram a `Request` event borrows its payload
/// from, so a caller may queue events until it is done with the datagram.
pub type Events<'f, 'e> = dyn FnMut(Event<'e>) + 'f;

/// Critical options a server request may carry, as a bitset of their
/// numbers (RFC 7252 §5.4.1: any other is answered 4.02). A bitset, not a
/// list: one shift instead of a search per option.
const KNOWN_CRITICAL: u32 = 1 << number::URI_HOST
    | 1 << number::URI_PORT
    | 1 << number::URI_PATH
    | 1 << number::URI_QUERY
    | 1 << number::ACCEPT;

/// True when `options` hold a critical option not in [`KNOWN_CRITICAL`].
fn unknown_critical(options: &Options<'_>) -> bool {
    options.iter().any(|o| {
        is_critical(o.number)
            && KNOWN_CRITICAL
                .checked_shr(u32::from(o.number))
                .is_none_or(|m| m & 1 == 0)
    })
}

/// What `register` needs (the MCU's OPEN / QLA REG parameters).
#[derive(Clone, Copy, Debug)]
pub struct RegisterParams<'a> {
    /// Server (or Bootstrap-Server) host, without port.
    pub host: &'a [u8],
    /// Its port.
    pub port: u16,
    /// Client-initiated bootstrap first (`host` is the Bootstrap-Server).
    pub bootstrap: bool,
    /// Endpoint client name (`ep=`).
    pub endpoint: &'a [u8],
    /// Lifetime in seconds (`lt=`); a bootstrapped Server object overrides it.
    pub lifetime_s: u32,
    /// Binding (`b=`).
    pub binding: Binding,
    /// OneNET auth code, sent as option 63 on Register and Update.
    pub auth_code: Option<&'a [u8]>,
    /// Give up (RegisterTimeout / BootstrapFailed) this long after the call.
    pub timeout_ms: Option<u64>,
    /// ACK timeout and retransmissions.
    pub config: Config,
    /// When to send automatic Updates; `None`: only on the MCU's command.
    pub update_policy: Option<UpdatePolicy>,
}

/// How much of each bounded table is in use (tests compare it).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Usage {
    /// CON exchanges in flight.
    pub exchanges: usize,
    /// Server requests waiting for `respond`.
    pub pending: usize,
    /// A datagram endpoint is open.
    pub endpoint_open: bool,
}

/// What the Update in flight announces (taken on success) and who asked
/// for it.
#[derive(Clone, Copy, Debug)]
struct Announced {
    lifetime_s: Option<u32>,
    binding: Option<Binding>,
    trigger: Trigger,
}

/// A CON we sent, tracked for retransmission (its bytes are kept in
/// [`Kept`]): the registration-family request or the separate response.
/// What a request is for is the phase it put the client in
/// (Bootstrapping, Registering, Updating or Deregistering: no other phase
/// has one in flight); an Update's announcement is [`Client::announced`].
/// (One type for both slots: one out-of-line function fills either.)
#[derive(Clone, Copy, Debug)]
struct Exchange {
    out: Outgoing,
    /// Request: the MCU's release-assistance value for it and its
    /// retransmissions ([`Client::set_rai`]); a response's is 0.
    rai: u8,
    /// Response: the handle of the server request it answers.
    handle: u16,
}

/// A server request acknowledged and waiting for the MCU's answer. A free
/// slot has `expires` 0 (a live one expires EXCHANGE_LIFETIME after it
/// arrived).
#[derive(Clone, Copy, Debug, Default)]
struct Pending {
    handle: u16,
    token: Token,
    confirmable: bool,
    expires: Instant,
}

/// The empty pending table, a constant (see `Dedup::EMPTY`).
const NO_PENDING: [Pending; PENDING_REQUESTS] = [Pending {
    handle: 0,
    token: Token::EMPTY,
    confirmable: false,
    expires: Instant::at(0),
}; PENDING_REQUESTS];

impl Pending {
    fn is_live(&self) -> bool {
        self.expires.ms() != 0
    }
}

/// Server address (from the MCU, or from the bootstrapped Security object).
#[derive(Clone, Debug, Default)]
struct Address {
    host: Vec<u8, HOST_MAX>,
    port: u16,
}

/// The LwM2M client: all of its state, bounded.
// Fields in this order, not the compiler's (same size, no padding added):
// the small ones every path touches come first, where Thumb's short
// load/store offsets reach them; the big buffers last. Runs of fields that
// `new` fills alike start 4-byte aligned with no padding before them
// (lifetime_s before until/alarm, kept/pending/dedup all zero), so they are
// filled with __aeabi_memclr4 or word stores: an unaligned run would link
// __aeabi_memclr/__aeabi_memset (~200 B each). The zero run follows four
// bytes `new` fully defines (short_server_id, next_rai, security_mode,
// rarely used): after an Option's undefined tail, the compiler widens the
// zero fill over that tail, which is not word-aligned. `kept` leads the run:
// its lengths stay within reach of an 8-bit immediate add, and `close`
// zeroes pending and dedup as one block.
#[derive(Clone, Debug)]
#[repr(C)]
pub struct Client {
    phase: Phase,
    binding: Binding,
    /// Changed by the server since the last Update: the next one carries it.
    lifetime_dirty: bool,
    binding_dirty: bool,
    ids: Ids,
    /// (One byte, in the padding after `ids`.)
    policy: Option<UpdatePolicy>,
    endpoint: i32,
    lifetime_s: u32,
    /// The phase's end. Bootstrapping and Registering: the MCU's give-up
    /// time; Registered, Updating and Deregistering: the registration's
    /// expiry. (One timer: no phase has both.)
    until: Instant,
    /// The phase's other timer. Bootstrapping: the Bootstrap-Server's idle
    /// limit; Registered: the automatic (or retried) Update. Never due in
    /// the other phases.
    alarm: Instant,
    config: Config,
    bs: bootstrap::State,
    /// The CONs in flight: [`REQUEST`], the one registration-family
    /// request (the phases never overlap two), and [`RESPONSE`], the one
    /// separate response (its bytes in [`Kept`]). (An array: the loops
    /// over both walk it.)
    exchanges: [Option<Exchange>; EXCHANGES],
    /// What the last Update sent announces (read while Updating).
    announced: Announced,
    short_server_id: u16,
    /// Release-assistance value for the next request ([`Client::set_rai`]).
    next_rai: u8,
    security_mode: u8,
    kept: Kept,
    pending: [Pending; PENDING_REQUESTS],
    dedup: Dedup,
    location: Vec<u8, LOCATION_MAX>,
    server: Address,
    name: Vec<u8, ENDPOINT_MAX>,
    auth: Vec<u8, AUTHCODE_MAX>,
}

// A registration-family request and a separate response: the two slots.
const _: () = assert!(EXCHANGES == 2);
/// The registration-family request's slot in [`Client::exchanges`].
const REQUEST: usize = 0;
/// The separate response's slot in [`Client::exchanges`].
const RESPONSE: usize = 1;

impl Default for Client {
    fn default() -> Client {
        Client::new()
    }
}

/// LwM2M 1.0 Security Mode 3: NoSec.
const NO_SEC: u8 = 3;

fn ms(seconds: u32) -> u64 {
    u64::from(seconds) * 1000
}

/// `ms / 1000`, saturated to u32, in u32 arithmetic (a u64 division would
/// link compiler-builtins' ~0.9 KiB u64_div_rem on Cortex-M; the u32 ones
/// are multiplies, see [`crate::arith`]). Below the
/// saturation point `ms < 1000 << 32 < 1 << 42`, so two 21-bit digits of long
/// division do: each partial dividend stays below `1000 << 21 < 1 << 31`.
fn whole_seconds(ms: u64) -> u32 {
    if ms >= 1000 << 32 {
        return u32::MAX;
    }
    let (high_q, high_r) = div_rem1000((ms >> 21) as u32);
    let low = (high_r << 21) | (ms as u32 & 0x1f_ffff);
    (high_q << 21) | div_rem1000(low).0
}

/// Whole seconds from `now_ms` to `until` (0 when due), saturated to u32.
// Out of line on Cortex-M0 only (its callers inline the phase check
// around it: -24 B there, measured).
#[cfg_attr(not(target_has_atomic = "32"), inline(never))]
fn seconds_until(until: Instant, now_ms: u64) -> u32 {
    whole_seconds(until.left(now_ms))
}

impl Client {
    /// An idle client.
    pub fn new() -> Client {
        Client {
            phase: Phase::Idle,
            endpoint: -1,
            server: Address {
                host: Vec::new(),
                port: 0,
            },
            name: Vec::new(),
            auth: Vec::new(),
            config: Config::RFC,
            policy: None,
            next_rai: 0,
            lifetime_s: 0,
            binding: Binding::U,
            lifetime_dirty: false,
            binding_dirty: false,
            security_mode: NO_SEC,
            short_server_id: 0,
            location: Vec::new(),
            until: Instant::NEVER,
            alarm: Instant::NEVER,
            bs: bootstrap::State::new(),
            ids: Ids::new(0),
            // (Written out: `[None; EXCHANGES]` is a fill loop, +56 B on Cortex-M0.)
            exchanges: [None, None],
            announced: Announced {
                lifetime_s: None,
                binding: None,
                trigger: Trigger::Command,
            },
            kept: Kept::new(),
            dedup: Dedup::EMPTY,
            pending: NO_PENDING,
        }
    }

    /// Where the client is.
    pub fn phase(&self) -> Phase {
        self.phase
    }

    /// The registration location (`rd/5a3f`), empty when not registered.
    pub fn location(&self) -> &[u8] {
        &self.location
    }

    /// The lifetime in force (seconds).
    pub fn lifetime_s(&self) -> u32 {
        self.lifetime_s
    }

    /// The binding in force.
    pub fn binding(&self) -> Binding {
        self.binding
    }

    /// The server registered with (after bootstrap: the bootstrapped one).
    pub fn server(&self) -> (&[u8], u16) {
        (&self.server.host, self.server.port)
    }

    /// Security Mode of the bootstrapped server account (3 = NoSec).
    pub fn security_mode(&self) -> u8 {
        self.security_mode
    }

    /// Short Server ID of the bootstrapped server account (0 = not given).
    pub fn short_server_id(&self) -> u16 {
        self.short_server_id
    }

    /// Whole seconds until the registration expires (0 when not registered).
    // (Inlined: on Cortex-M0 the arithmetic stays out of line, in
    // seconds_until.)
    #[inline(always)]
    pub fn remaining_lifetime_s(&self, now_ms: u64) -> u32 {
        match self.phase {
            Phase::Registered | Phase::Updating | Phase::Deregistering => seconds_until(self.until, now_ms),
            _ => 0,
        }
    }

    /// The release-assistance value (RAI) the MCU gave for the next request
    /// the client sends (bc260y `<raiMode>`); it goes to `udp_send` with
    /// that request and its retransmissions, then falls back to 0.
    pub fn set_rai(&mut self, rai: u8) {
        self.next_rai = rai;
    }

    /// How much of each bounded table is in use.
    pub fn usage(&self) -> Usage {
        Usage {
            exchanges: self.exchanges.iter().filter(|e| e.is_some()).count(),
            pending: self.pending.iter().filter(|p| p.is_live()).count(),
            endpoint_open: self.endpoint >= 0,
        }
    }

    /// Starts a session: opens the endpoint and sends Register, or the
    /// Bootstrap-Request when `params.bootstrap`. Results arrive as events.
    pub fn register<H: Host + ?Sized>(
        &mut self,
        host: &mut H,
        now_ms: u64,
        params: &RegisterParams<'_>,
        objects: &dyn ObjectList,
        events: &mut Events<'_, '_>,
    ) -> Result<(), Error> {
        if self.phase != Phase::Idle {
            return Err(Error::Busy);
        }
        let session = Session {
            host: params.host,
            port: params.port,
            endpoint_name: params.endpoint,
            location: &[],
            auth_code: params.auth_code.unwrap_or_default(),
            lifetime_s: params.lifetime_s,
            binding: params.binding,
            remaining_ms: 0,
            ack_timeout_ms: params.config.ack_timeout_ms,
            max_retransmit: params.config.max_retransmit,
        };
        if !fits(&session) || params.host.is_empty() || params.endpoint.is_empty() || params.lifetime_s == 0 {
            return Err(Error::Invalid);
        }
        self.begin(host, &session, params.update_policy)?;
        let phase = if params.bootstrap {
            Phase::Bootstrapping
        } else {
            Phase::Registering
        };
        self.until = Instant::after(now_ms, params.timeout_ms.unwrap_or(u64::MAX));
        // (The Bootstrap-Request carries no links.)
        let objects = (!params.bootstrap).then_some(objects);
        if let Err(e) = self.start(host, now_ms, phase, objects) {
            self.close(host);
            return Err(e);
        }
        if params.bootstrap {
            events(Event::BootstrapStarted);
        }
        Ok(())
    }

    /// Sends an Update; returns its message id. `lifetime`/`binding` are
    /// sent (`lt=`, `b=`) only when they differ from the ones in force (or
    /// the server changed them since); `objects` adds the link payload.
    pub fn update<H: Host + ?Sized>(
        &mut self,
        host: &mut H,
        now_ms: u64,
        lifetime_s: Option<u32>,
        binding: Option<Binding>,
        objects: Option<&dyn ObjectList>,
    ) -> Result<u16, Error> {
        match self.phase {
            Phase::Registered => {}
            Phase::Updating | Phase::Deregistering => return Err(Error::Busy),
            _ => return Err(Error::NotRegistered),
        }
        if lifetime_s == Some(0) {
            return Err(Error::Invalid);
        }
        self.send_update(host, now_ms, lifetime_s, binding, objects, Trigger::Command)
    }

    /// An Update with nothing but what the server changed (the automatic
    /// ones, Resume, Registration Update Trigger). (Out of line, and
    /// `send_update` inlined into it and `update`: three call sites pass
    /// one argument instead of four; -8 B on Cortex-M0.)
    #[inline(never)]
    fn plain_update<H: Host + ?Sized>(&mut self, host: &mut H, now_ms: u64, trigger: Trigger) -> Result<u16, Error> {
        self.send_update(host, now_ms, None, None, None, trigger)
    }

    #[inline(always)]
    fn send_update<H: Host + ?Sized>(
        &mut self,
        host: &mut H,
        now_ms: u64,
        lifetime_s: Option<u32>,
        binding: Option<Binding>,
        objects: Option<&dyn ObjectList>,
        trigger: Trigger,
    ) -> Result<u16, Error> {
        let lifetime = lifetime_s.unwrap_or(self.lifetime_s);
        let binding = binding.unwrap_or(self.binding);
        self.announced = Announced {
            lifetime_s: (lifetime != self.lifetime_s || self.lifetime_dirty).then_some(lifetime),
            binding: (binding != self.binding || self.binding_dirty).then_some(binding),
            trigger,
        };
        self.start(host, now_ms, Phase::Updating, objects)
    }

    /// Sends De-register (an Update in flight is abandoned). Before the
    /// registration completed, the session just closes ([`Event::Deregistered`]).
    pub fn deregister<H: Host + ?Sized>(
        &mut self,
        host: &mut H,
        now_ms: u64,
        events: &mut Events<'_, '_>,
    ) -> Result<(), Error> {
        match self.phase {
            Phase::Idle => Err(Error::NotRegistered),
            Phase::Deregistering => Err(Error::Busy),
            Phase::Bootstrapping | Phase::Registering => {
                self.end(host, Event::Deregistered, events);
                Ok(())
            }
            Phase::Registered | Phase::Updating => {
                // The one registration-family slot (an Update) goes.
                self.exchanges[REQUEST] = None;
                self.start(host, now_ms, Phase::Deregistering, None)?;
                Ok(())
            }
        }
    }

    /// Answers the pending request `handle` with a separate response (CON,
    /// retransmitted; NON when the request was NON). The handle is then
    /// forgotten.
    pub fn respond<H: Host + ?Sized>(
        &mut self,
        host: &mut H,
        now_ms: u64,
        handle: u16,
        code: Code,
        content_format: Option<u16>,
        payload: &[u8],
    ) -> Result<(), Error> {
        let request = *self
            .pending
            .iter()
            .find(|p| p.is_live() && p.handle == handle)
            .ok_or(Error::UnknownHandle)?;
        if !code.is_response() {
            return Err(Error::Invalid);
        }
        // One separate CON response at a time (the other slot is the
        // registration family's).
        if request.confirmable && self.exchanges[RESPONSE].is_some() {
            return Err(Error::Busy);
        }
        let mid = self.ids.message_id();
        let ty = if request.confirmable { Type::Con } else { Type::Non };
        let token = request.token.as_slice();
        // Encoded where it fits beside what is kept: too large for the
        // whole buffer, or busy while the room is taken.
        let full = if self.kept.is_empty() {
            Error::TooLarge
        } else {
            Error::Busy
        };
        let room = self.kept.free();
        let len = wire::response(room, ty, code, mid, token, content_format, payload).ok_or(full)?;
        let bytes: &[u8] = if request.confirmable {
            // Kept at the back of the buffer for retransmission (the same
            // bytes again: encoding is a pure function).
            let back = self.kept.back(len);
            let _ = wire::response(back, ty, code, mid, token, content_format, payload);
            self.kept.set_response(len);
            self.track(RESPONSE, host, now_ms, mid, request.token, 0, handle);
            self.kept.response()
        } else {
            room.get(..len).unwrap_or_default()
        };
        host.udp_send(self.endpoint, bytes, 0);
        self.forget(0, handle);
        Ok(())
    }

    /// Forgets the pending request `handle` unanswered (the MCU's own
    /// timeout); false when unknown.
    pub fn cancel(&mut self, handle: u16) -> bool {
        self.forget(0, handle)
    }

    /// Drops the pending request `handle` and those expired at `now_ms`;
    /// true when `handle` was there.
    // Inlined on Cortex-M3/M4 only (-16 B there, +112 B on Cortex-M0, the
    // target without 32-bit compare-and-swap).
    #[cfg_attr(target_has_atomic = "32", inline(always))]
    fn forget(&mut self, now_ms: u64, handle: u16) -> bool {
        let mut found = false;
        for p in &mut self.pending {
            if p.is_live() && (p.handle == handle || p.expires.is_due(now_ms)) {
                found |= p.handle == handle;
                p.expires = Instant::at(0);
            }
        }
        found
    }

    /// Handles one datagram that arrived on `endpoint`.
    pub fn on_datagram<'e, H: Host + ?Sized>(
        &mut self,
        host: &mut H,
        now_ms: u64,
        endpoint: i32,
        data: &'e [u8],
        objects: &dyn ObjectList,
        events: &mut Events<'_, 'e>,
    ) {
        if self.endpoint < 0 || endpoint != self.endpoint {
            return;
        }
        let msg = match Repr::parse(data) {
            Ok(msg) => msg,
            Err(e) => {
                if let Reply::Reset(mid) = reply_to_malformed(data, e) {
                    self.send_empty(host, Type::Rst, mid, false);
                }
                return;
            }
        };
        if msg.is_ping() {
            self.send_empty(host, Type::Rst, msg.message_id, false);
            return;
        }
        if matches!(msg.ty, Type::Con | Type::Non) {
            match self.dedup.check(msg.message_id, now_ms, &self.config) {
                Seen::New => {}
                Seen::Replay(bytes) => {
                    host.udp_send(self.endpoint, bytes, 0);
                    return;
                }
                Seen::InProgress | Seen::AnsweredNotKept => return,
            }
        }
        if msg.code.is_request() {
            self.on_request(host, now_ms, &msg, objects, events);
        } else {
            self.on_reply(host, now_ms, &msg, events);
        }
    }

    /// Does what is due at `now_ms` (retransmissions, give-up, automatic
    /// Update, lifetime expiry); returns the absolute time of the next thing
    /// due, or `u64::MAX` when nothing is.
    pub fn poll<H: Host + ?Sized>(&mut self, host: &mut H, now_ms: u64, events: &mut Events<'_, '_>) -> u64 {
        // Idle: no exchange, no timer (`close` left none, and nothing
        // starts one from Idle but `register`/`resume`): nothing is due
        // (tests/lwm2m_client.rs `idle_has_nothing_due`). Cortex-M0 returns
        // at once (-16 B there); the others skip the slots (-14 B there).
        // Either keeps an idle poll fast.
        #[cfg(not(target_has_atomic = "32"))]
        if self.phase == Phase::Idle {
            return u64::MAX;
        }
        // The request, then the separate response (a request given up may
        // end the session, and the response with it).
        if self.phase != Phase::Idle {
            for response in [false, true] {
                let slot = if response {
                    &mut self.exchanges[RESPONSE]
                } else {
                    &mut self.exchanges[REQUEST]
                };
                let Some(ex) = slot.as_mut() else {
                    continue;
                };
                let (rai, handle) = (ex.rai, ex.handle);
                match ex.out.on_timeout(now_ms) {
                    Timeout::NotYet => {}
                    Timeout::Retransmit => {
                        let bytes = if response {
                            self.kept.response()
                        } else {
                            self.kept.request()
                        };
                        host.udp_send(self.endpoint, bytes, rai);
                    }
                    Timeout::GiveUp if response => self.response_ended(false, handle, events),
                    Timeout::GiveUp => self.conclude(host, now_ms, None, events),
                }
            }
        }
        // The session ends in one place below.
        let end = match self.phase {
            Phase::Bootstrapping if self.until.is_due(now_ms) || self.alarm.is_due(now_ms) => Event::BootstrapFailed,
            Phase::Registering if self.until.is_due(now_ms) => Event::RegisterTimeout,
            Phase::Registered | Phase::Updating if self.until.is_due(now_ms) => Event::LifetimeExpired,
            Phase::Registered if self.alarm.is_due(now_ms) => {
                if self.policy.is_some_and(UpdatePolicy::only_announces) {
                    // Once per registration period: renew() sets it again.
                    self.alarm = Instant::NEVER;
                    let remaining_s = self.remaining_lifetime_s(now_ms);
                    events(Event::UpdateNeeded { remaining_s });
                } else {
                    // The registration slot is always free when Registered.
                    let _ = self.plain_update(host, now_ms, Trigger::Automatic);
                }
                return self.next_deadline();
            }
            _ => return self.next_deadline(),
        };
        self.end(host, end, events);
        self.next_deadline()
    }

    /// The earliest time anything is due (absolute ms; `u64::MAX`: nothing).
    pub fn next_deadline(&self) -> u64 {
        // `alarm` is never due where it does not apply.
        let mut next = match self.phase {
            Phase::Idle | Phase::Deregistering => u64::MAX,
            _ => self.until.ms().min(self.alarm.ms()),
        };
        // (A loop over the two slots: one copy of the u64 compare.)
        for slot in &self.exchanges {
            next = next.min(slot.as_ref().map_or(u64::MAX, |ex| ex.out.next_deadline()));
        }
        next
    }

    /// The session to persist before deep sleep (QLA), or `None` when not
    /// registered. Times are relative to `now_ms`.
    pub fn snapshot(&self, now_ms: u64) -> Option<Session<'_>> {
        if !matches!(self.phase, Phase::Registered | Phase::Updating) {
            return None;
        }
        Some(Session {
            host: &self.server.host,
            port: self.server.port,
            endpoint_name: &self.name,
            location: &self.location,
            auth_code: &self.auth,
            lifetime_s: self.lifetime_s,
            binding: self.binding,
            remaining_ms: self.until.left(now_ms),
            ack_timeout_ms: self.config.ack_timeout_ms,
            max_retransmit: self.config.max_retransmit,
        })
    }

    /// Restores a [`Session`] after `slept_ms` of deep sleep and sends an
    /// Update (trigger [`Trigger::Resume`]); returns its message id. When
    /// the lifetime ran out during the sleep: [`Event::LifetimeExpired`] and
    /// [`Error::Expired`], and the client stays Idle.
    pub fn resume<H: Host + ?Sized>(
        &mut self,
        host: &mut H,
        now_ms: u64,
        session: &Session<'_>,
        slept_ms: u64,
        policy: Option<UpdatePolicy>,
        events: &mut Events<'_, '_>,
    ) -> Result<u16, Error> {
        if self.phase != Phase::Idle {
            return Err(Error::Busy);
        }
        if !fits(session) {
            return Err(Error::Invalid);
        }
        let remaining = session.remaining_ms.saturating_sub(slept_ms);
        if remaining == 0 {
            events(Event::LifetimeExpired);
            return Err(Error::Expired);
        }
        self.begin(host, session, policy)?;
        self.phase = Phase::Registered;
        self.until = Instant::after(now_ms, remaining);
        self.plain_update(host, now_ms, Trigger::Resume)
            .inspect_err(|_| self.close(host))
    }

    /// Opens the endpoint to `session`'s server and starts over from it:
    /// every other field as [`Client::new`]. Shared by `register` and
    /// `resume`, both from Idle; the caller checked [`fits`] (on error
    /// nothing changed).
    #[inline(never)]
    fn begin<H: Host + ?Sized>(
        &mut self,
        host: &mut H,
        session: &Session<'_>,
        policy: Option<UpdatePolicy>,
    ) -> Result<(), Error> {
        let endpoint = host.udp_open(session.host, session.port);
        if endpoint < 0 {
            return Err(Error::Network);
        }
        // Idle: `close` (the only way into Idle besides `new`) emptied the
        // tables already, and nothing fills them while Idle.
        debug_assert!(self.phase == Phase::Idle && self.location.is_empty());
        self.endpoint = endpoint;
        self.server.port = session.port;
        self.security_mode = NO_SEC;
        self.short_server_id = 0;
        // Lengths checked by `fits`: these cannot fail.
        refill(self.server.host.as_mut_view(), session.host);
        refill(self.name.as_mut_view(), session.endpoint_name);
        refill(self.auth.as_mut_view(), session.auth_code);
        let _ = self.location.extend_from_slice(session.location);
        self.config = Config {
            ack_timeout_ms: session.ack_timeout_ms,
            max_retransmit: session.max_retransmit,
        };
        self.policy = policy;
        self.lifetime_s = session.lifetime_s;
        self.binding = session.binding;
        self.ids = Ids::new(host.random());
        Ok(())
    }

    /// Encodes and sends the request that starts `phase` (Bootstrapping,
    /// Registering, Updating with [`Client::announced`], Deregistering),
    /// kept whole for retransmission, and enters `phase`; returns the
    /// message id. `objects` are turned into links: callers give them to
    /// Register always, to Update when asked, to the others never.
    fn start<H: Host + ?Sized>(
        &mut self,
        host: &mut H,
        now_ms: u64,
        phase: Phase,
        objects: Option<&dyn ObjectList>,
    ) -> Result<u16, Error> {
        // Every caller starts from a phase without a request in flight
        // (Idle, Registered, or a session just closed; deregister drops an
        // Update first).
        debug_assert!(self.exchanges[REQUEST].is_none());
        let mut m = Message {
            auth: &self.auth,
            objects,
            ..Message::post(&self.location)
        };
        match phase {
            Phase::Bootstrapping => {
                m.path = b"bs";
                m.endpoint = Some(&self.name);
                m.auth = &[];
            }
            Phase::Registering => {
                m.path = b"rd";
                m.endpoint = Some(&self.name);
                m.lifetime_s = Some(self.lifetime_s);
                m.version = true;
                m.binding = Some(self.binding);
            }
            Phase::Updating => {
                m.lifetime_s = self.announced.lifetime_s;
                m.binding = self.announced.binding;
            }
            _ => {
                m.code = Code::DELETE;
                m.auth = &[];
            }
        }
        let mid = self.ids.message_id();
        let token = self.ids.token(host.random());
        let len = wire::encode(&m, self.kept.request_room(), mid, token.as_slice())?;
        self.kept.set_request(len);
        let rai = core::mem::take(&mut self.next_rai);
        host.udp_send(self.endpoint, self.kept.request(), rai);
        self.track(REQUEST, host, now_ms, mid, token, rai, 0);
        self.phase = phase;
        // No phase with a request in flight has an alarm (Bootstrapping and
        // Registering start from a closed session, where it is NEVER too).
        self.alarm = Instant::NEVER;
        Ok(mid)
    }

    /// Tracks the CON just sent in exchange slot `slot` (its
    /// [`Outgoing`] built in place: one returned by value is copied out of
    /// a stack slot).
    #[inline(never)]
    #[allow(clippy::too_many_arguments)]
    fn track<H: Host + ?Sized>(
        &mut self,
        slot: usize,
        host: &mut H,
        now_ms: u64,
        mid: u16,
        token: Token,
        rai: u8,
        handle: u16,
    ) {
        let out = Outgoing::new(mid, token, &self.config, now_ms, host.random());
        if let Some(slot) = self.exchanges.get_mut(slot) {
            *slot = Some(Exchange { out, rai, handle });
        }
    }

    /// The separate response in flight was acknowledged (`delivered`), or
    /// reset or never acknowledged: its slot and kept bytes go.
    fn response_ended<'e>(&mut self, delivered: bool, handle: u16, events: &mut Events<'_, 'e>) {
        self.exchanges[RESPONSE] = None;
        self.kept.drop_response();
        events(if delivered {
            Event::ResponseDelivered { handle }
        } else {
            Event::ResponseFailed { handle }
        });
    }

    /// Ends the session ([`Client::close`]) and reports why: one body for
    /// every way a session ends.
    // Out of line on Cortex-M3/M4; inlined on Cortex-M0 (-56 B there,
    // measured: its body is two calls).
    #[cfg_attr(target_has_atomic = "32", inline(never))]
    #[cfg_attr(not(target_has_atomic = "32"), inline(always))]
    fn end<'e, H: Host + ?Sized>(&mut self, host: &mut H, event: Event<'e>, events: &mut Events<'_, 'e>) {
        self.close(host);
        events(event);
    }

    /// Forgets the session without telling the server: no datagram, no
    /// event, the endpoint closed (seed 001 §3.2: DELETE of a registered
    /// device "直接关闭所使用的socket"; seed 004 §4.13: a recovery the server
    /// does not answer leaves the client to register again).
    pub fn abort<H: Host + ?Sized>(&mut self, host: &mut H) {
        self.close(host);
    }

    /// Back to Idle: the endpoint closed, every table emptied.
    fn close<H: Host + ?Sized>(&mut self, host: &mut H) {
        if self.endpoint >= 0 {
            host.udp_close(self.endpoint);
        }
        self.endpoint = -1;
        self.phase = Phase::Idle;
        self.exchanges = [None, None];
        self.kept.clear();
        // (Whole constants: one zero fill each, no loop.)
        self.pending = NO_PENDING;
        self.dedup = Dedup::EMPTY;
        self.location.clear();
        self.until = Instant::NEVER;
        self.alarm = Instant::NEVER;
        self.bs = bootstrap::State::new();
        self.lifetime_dirty = false;
        self.binding_dirty = false;
    }

    /// Sends an empty ACK or RST; `remember` stores it as the answer to the
    /// server message `mid` (for its duplicates).
    // Inlined on Cortex-M0 only (-4 B there, measured).
    #[cfg_attr(not(target_has_atomic = "32"), inline(always))]
    fn send_empty<H: Host + ?Sized>(&mut self, host: &mut H, ty: Type, mid: u16, remember: bool) {
        self.reply(host, ty, Code::EMPTY, mid, &[], remember);
    }

    /// Answers a request with an empty-bodied response: piggybacked in the
    /// ACK of a CON (kept for duplicates), a NON for a NON.
    fn answer<H: Host + ?Sized>(&mut self, host: &mut H, msg: &Repr<'_>, code: Code) {
        let (ty, mid) = match msg.ty {
            Type::Con => (Type::Ack, msg.message_id),
            _ => (Type::Non, self.ids.message_id()),
        };
        self.reply(host, ty, code, mid, msg.token, msg.ty == Type::Con);
    }

    /// Sends a message of a type, code and token only (an ACK, RST or NON
    /// answer); `remember` stores it as the answer to server message `mid`.
    #[inline(never)]
    fn reply<H: Host + ?Sized>(&mut self, host: &mut H, ty: Type, code: Code, mid: u16, token: &[u8], remember: bool) {
        // Header and token only (RFC 7252 §3): no option, no payload
        // (server tokens are at most 8 bytes, so it always fits). (The
        // writer directly: `wire::response` would take two arguments more.)
        let mut buf = [0u8; DEDUP_RESPONSE_MAX];
        let Some(len) = Writer::new(&mut buf, ty, code, mid, token).finish(&[]) else {
            return;
        };
        let bytes = buf.get(..len).unwrap_or_default();
        host.udp_send(self.endpoint, bytes, 0);
        if remember {
            self.dedup.store_response(mid, bytes);
        }
    }

    fn on_request<'e, H: Host + ?Sized>(
        &mut self,
        host: &mut H,
        now_ms: u64,
        msg: &Repr<'e>,
        objects: &dyn ObjectList,
        events: &mut Events<'_, 'e>,
    ) {
        // The Uri-Path is read once, here (before the 4.02 check: smaller
        // on Cortex-M0). One answer call site for every code, 4.02 included.
        let path = Path::from_options(&msg.options);
        let code = if unknown_critical(&msg.options) {
            Some(Code::BAD_OPTION)
        } else if self.phase == Phase::Bootstrapping {
            self.bootstrap_request(host, now_ms, msg, path, objects, events)
        } else {
            self.dm_request(host, now_ms, msg, path, objects, events)
        };
        if let Some(code) = code {
            self.answer(host, msg, code);
        }
    }

    /// A Device Management request while registered. Returns the code to
    /// answer with, or `None` when it was handed to the MCU.
    fn dm_request<'e, H: Host + ?Sized>(
        &mut self,
        host: &mut H,
        now_ms: u64,
        msg: &Repr<'e>,
        path: Option<Path>,
        objects: &dyn ObjectList,
        events: &mut Events<'_, 'e>,
    ) -> Option<Code> {
        let Some(path) = path else {
            return Some(Code::NOT_FOUND);
        };
        let write = matches!(msg.code, Code::PUT | Code::POST);
        match *path.as_slice() {
            [1, 0] | [1, 0, 1] | [1, 0, 7] if write => Some(self.server_write(&path, msg, events)),
            // Registration Update Trigger (LwM2M 1.0 Appendix E.2): 2.04
            // first, then the Update. While an Update is already in flight
            // that one serves.
            [1, 0, 8] if msg.code == Code::POST => {
                self.answer(host, msg, Code::CHANGED);
                if self.phase == Phase::Registered {
                    let _ = self.plain_update(host, now_ms, Trigger::Server);
                }
                None
            }
            // The client's own objects; their other operations arrive with
            // the DM work.
            [0 | 1 | 3, ..] => Some(Code::NOT_FOUND),
            [object, ref rest @ ..] if has_instance(objects, object, rest.first().copied()) => {
                self.defer(host, now_ms, msg, path, events)
            }
            _ => Some(Code::NOT_FOUND),
        }
    }

    /// A write to our Server instance /1/0: Lifetime and Binding.
    fn server_write<'e>(&mut self, path: &Path, msg: &Repr<'e>, events: &mut Events<'_, 'e>) -> Code {
        // (The two fields taken, not the whole Write copied.)
        let (mut lifetime_s, mut binding) = (None, None);
        let decoded = server_object::decode(path, msg.options.content_format(), msg.payload, &mut |_, w| {
            (lifetime_s, binding) = (w.lifetime_s, w.binding)
        });
        if let Err(code) = decoded {
            return code;
        }
        if let Some(lifetime) = lifetime_s.filter(|&l| l != self.lifetime_s) {
            self.lifetime_s = lifetime;
            self.lifetime_dirty = true;
            events(Event::LifetimeChanged(lifetime));
        }
        if let Some(binding) = binding.filter(|&b| b != self.binding) {
            self.binding = binding;
            self.binding_dirty = true;
            events(Event::BindingChanged(binding));
        }
        Code::CHANGED
    }

    /// Hands a request to the MCU: empty ACK now, [`Event::Request`], the
    /// answer later through [`Client::respond`].
    fn defer<'e, H: Host + ?Sized>(
        &mut self,
        host: &mut H,
        now_ms: u64,
        msg: &Repr<'e>,
        path: Path,
        events: &mut Events<'_, 'e>,
    ) -> Option<Code> {
        // The server stops waiting after EXCHANGE_LIFETIME; so do we.
        self.forget(now_ms, msg.message_id);
        let expires = Instant::at(self.config.exchange_end(now_ms));
        let Some(slot) = self.pending.iter_mut().find(|p| !p.is_live()) else {
            return Some(Code::SERVICE_UNAVAILABLE);
        };
        *slot = Pending {
            handle: msg.message_id,
            token: Token::new(msg.token).unwrap_or_default(),
            confirmable: msg.ty == Type::Con,
            expires,
        };
        if msg.ty == Type::Con {
            self.send_empty(host, Type::Ack, msg.message_id, true);
        }
        events(Event::Request {
            handle: msg.message_id,
            method: msg.code,
            path,
            content_format: msg.options.content_format(),
            accept: msg.options.accept(),
            observe: msg.options.observe(),
            payload: msg.payload,
        });
        None
    }

    fn on_reply<'e, H: Host + ?Sized>(
        &mut self,
        host: &mut H,
        now_ms: u64,
        msg: &Repr<'e>,
        events: &mut Events<'_, 'e>,
    ) {
        let (update, response) = self.claim(msg, now_ms);
        // RFC 7252 §4.2: a separate response that came as CON is
        // acknowledged (before anything else happens); an unexpected CON
        // is rejected with a RST; anything else unexpected is ignored.
        if msg.ty == Type::Con && matches!(update, Update::Response | Update::NotMine) {
            let ty = if update == Update::Response {
                Type::Ack
            } else {
                Type::Rst
            };
            self.send_empty(host, ty, msg.message_id, true);
        }
        match (update, response) {
            (Update::NotMine, _) => {}
            // A separate response follows.
            (Update::Acked, None) => {}
            // (A RST's code is 0.00.)
            (_, None) => self.conclude(host, now_ms, Some(msg), events),
            (_, Some(handle)) => {
                let delivered = update == Update::Acked || (update == Update::Response && msg.code.class() == 2);
                self.response_ended(delivered, handle, events);
            }
        }
    }

    /// Offers `msg` to the registration-family request, then to the
    /// separate response: how it matched, and the response's handle when
    /// that one took it.
    // (A loop over the two slots: one on_message call site.)
    #[inline(always)]
    fn claim(&mut self, msg: &Repr<'_>, now_ms: u64) -> (Update, Option<u16>) {
        let config = self.config;
        for (slot, ex) in self.exchanges.iter_mut().enumerate() {
            let Some(ex) = ex else {
                continue;
            };
            let update = ex.out.on_message(msg, &config, now_ms);
            if update != Update::NotMine {
                return (update, (slot == RESPONSE).then_some(ex.handle));
            }
        }
        (Update::NotMine, None)
    }

    /// Ends the registration-family request in flight with the server's
    /// `answer` (a response or RST; `None`: unanswered): state change and
    /// event.
    fn conclude<'e, H: Host + ?Sized>(
        &mut self,
        host: &mut H,
        now_ms: u64,
        answer: Option<&Repr<'_>>,
        events: &mut Events<'_, 'e>,
    ) {
        let Some(Exchange { out, .. }) = self.exchanges[REQUEST].take() else {
            return;
        };
        // Its bytes go: the room is the response's again.
        self.kept.set_request(0);
        let timed_out = answer.is_none();
        let (code, options) = answer.map_or((Code::EMPTY, Options::default()), |m| (m.code, m.options));
        let mid = out.message_id;
        let success = code.class() == 2;
        // Each arm says what happens and which event reports it; the event
        // is sent once below (one call site instead of one per arm), and
        // `close` runs before it as before.
        let mut close = true;
        let event = match self.phase {
            Phase::Bootstrapping if success => {
                self.alarm = Instant::after(now_ms, super::BOOTSTRAP_IDLE_MS);
                return;
            }
            Phase::Bootstrapping => Event::BootstrapFailed,
            Phase::Registering if code == Code::CREATED => {
                if self.set_location(options.location_path()) {
                    close = false;
                    self.phase = Phase::Registered;
                    self.renew(now_ms);
                    Event::Registered
                } else {
                    Event::RegisterFailed { code }
                }
            }
            Phase::Registering if timed_out => Event::RegisterTimeout,
            Phase::Registering => Event::RegisterFailed { code },
            Phase::Updating => {
                let Announced {
                    lifetime_s,
                    binding,
                    trigger,
                } = self.announced;
                self.phase = Phase::Registered;
                // 4.04: the server no longer knows the registration.
                close = code == Code::NOT_FOUND;
                if success {
                    if let Some(lifetime) = lifetime_s {
                        self.lifetime_s = lifetime;
                        self.lifetime_dirty = false;
                    }
                    if let Some(binding) = binding {
                        self.binding = binding;
                        self.binding_dirty = false;
                    }
                    self.renew(now_ms);
                    Event::Updated { mid, trigger }
                } else if code == Code::EMPTY {
                    // Lost: keep the registration and, where the profile
                    // updates by itself, try again halfway to its expiry.
                    // Without a policy (qla "lifetime_enable" 0) nothing is
                    // sent that the MCU did not ask for.
                    if self.policy.is_some() {
                        self.alarm = Instant::at(now_ms + self.until.left(now_ms) / 2);
                    }
                    Event::UpdateTimeout { mid, trigger }
                } else {
                    Event::UpdateFailed { mid, code, trigger }
                }
            }
            // Deregistering (no other phase has a request in flight).
            _ if success => Event::Deregistered,
            _ => Event::DeregisterFailed { code },
        };
        if close {
            self.end(host, event, events);
        } else {
            events(event);
        }
    }

    /// Expiry and automatic-update time from a successful Register/Update.
    fn renew(&mut self, now_ms: u64) {
        self.until = Instant::after(now_ms, ms(self.lifetime_s));
        self.alarm = match self.policy.and_then(|p| p.update_after_s(self.lifetime_s)) {
            Some(s) => Instant::after(now_ms, ms(s)),
            None => Instant::NEVER,
        };
    }

    /// Joins the Location-Path segments with `/`; false when they do not
    /// fit [`LOCATION_MAX`] (the registration could not be addressed).
    fn set_location<'a>(&mut self, segments: impl Iterator<Item = &'a [u8]>) -> bool {
        self.location.clear();
        for segment in segments {
            if (!self.location.is_empty() && self.location.push(b'/').is_err())
                || self.location.extend_from_slice(segment).is_err()
            {
                return false;
            }
        }
        !self.location.is_empty()
    }
}

/// The session's bytes fit the client's capacities.
fn fits(session: &Session<'_>) -> bool {
    session.host.len() <= HOST_MAX
        && session.endpoint_name.len() <= ENDPOINT_MAX
        && session.auth_code.len() <= AUTHCODE_MAX
        && session.location.len() <= LOCATION_MAX
}

/// True when the MCU registered `object` (and `instance`, when given).
/// (Always inlined: its one caller is smaller with it, measured.)
#[inline(always)]
fn has_instance(objects: &dyn ObjectList, object: u16, instance: Option<u16>) -> bool {
    let mut found = false;
    objects.for_each_instance(&mut |o, i| found |= o == object && instance.is_none_or(|want| want == i));
    found
}

#[cfg(test)]
mod tests {
    #[test]
    fn whole_seconds_matches_u64_division() {
        for ms in [
            0,
            999,
            1_000,
            1_999,
            4_294_967_295_999,
            4_294_967_296_000,
            4_294_967_295_000,
            (1 << 21) - 1,
            1 << 21,
            1_000 << 21,
            (1_000 << 21) - 1,
            3_000_000_000_000,
            123_456_789_012,
            u64::MAX,
        ] {
            let expect = u32::try_from(ms / 1000).unwrap_or(u32::MAX);
            assert_eq!(super::whole_seconds(ms), expect, "{ms}");
        }
        // A spread over every magnitude up to past the saturation point.
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..100_000 {
            x = x
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let ms = x >> (x % 64);
            let expect = u32::try_from(ms / 1000).unwrap_or(u32::MAX);
            assert_eq!(super::whole_seconds(ms), expect, "{ms}");
        }
    }
}
