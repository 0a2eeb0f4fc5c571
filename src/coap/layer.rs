//! The CoAP message layer (RFC 7252 §4), sans-IO: time comes in as `now_ms`
//! and randomness as a `u32` the caller drew (`Host::random`); nothing here
//! sends, sleeps or reads a clock.
//!
//! Pieces: [`Ids`] (message ids and tokens), [`Outgoing`] (one CON we sent,
//! retransmitted until acknowledged), [`Dedup`] (server requests seen
//! recently, with the answer to repeat for a duplicate).
//!
//! Receiving a datagram, in this order:
//! 1. `Repr::parse`; on error send what `reply_to_malformed` says.
//! 2. An empty CON is a ping: answer `emit_empty(Type::Rst, mid)`.
//! 3. Every other CON or NON (requests and separate responses alike) goes
//!    through [`Dedup::check`] first: a duplicate is never processed again,
//!    only answered from the cache ([`Seen::Replay`]); every answer is
//!    recorded with [`Dedup::store_response`].
//! 4. ACK, RST and responses are offered to each [`Outgoing`]
//!    ([`Outgoing::on_message`]); a CON response is acknowledged with an
//!    empty ACK (and that ACK stored with [`Dedup::store_response`]).
//! 5. A request: check `options.unknown_critical(..)` (4.02), then process.
//!
//! Responding to a server request: piggybacked = `Builder::piggybacked`;
//! separate = `emit_empty(Type::Ack, request.message_id)` now, later a
//! `Builder::new(Type::Con, code, ids.message_id(), request.token)` tracked
//! by an [`Outgoing`].

use super::message::{Code, Repr, Type, TOKEN_MAX};
use super::Instant;
use super::{DEDUP_CAPACITY, DEDUP_RESPONSE_MAX};

/// A token, stored inline (RFC 7252 §5.3.1: 0..8 bytes).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Token {
    len: u8,
    bytes: [u8; TOKEN_MAX],
}

impl Token {
    /// No token.
    pub const EMPTY: Token = Token {
        len: 0,
        bytes: [0; TOKEN_MAX],
    };

    /// A copy of `bytes`; `None` when longer than 8 bytes.
    pub fn new(bytes: &[u8]) -> Option<Token> {
        let mut token = Token {
            len: u8::try_from(bytes.len()).ok()?,
            bytes: [0; TOKEN_MAX],
        };
        // (zip, not copy_from_slice: no length-mismatch panic path)
        for (d, s) in token.bytes.get_mut(..bytes.len())?.iter_mut().zip(bytes) {
            *d = *s;
        }
        Some(token)
    }

    /// The token bytes.
    pub fn as_slice(&self) -> &[u8] {
        self.bytes.get(..usize::from(self.len)).unwrap_or_default()
    }
}

/// Message-layer parameters (RFC 7252 §4.8). QLA lets the MCU set both.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Config {
    /// ACK_TIMEOUT in milliseconds (RFC default 2 s; QLA 2..20 s).
    pub ack_timeout_ms: u32,
    /// MAX_RETRANSMIT (RFC default 4; QLA 0..8).
    pub max_retransmit: u8,
}

impl Config {
    /// The RFC 7252 §4.8 defaults.
    pub const RFC: Config = Config {
        ack_timeout_ms: 2_000,
        max_retransmit: 4,
    };

    /// EXCHANGE_LIFETIME (RFC 7252 §4.8.2): MAX_TRANSMIT_SPAN + 2 ×
    /// MAX_LATENCY (100 s) + PROCESSING_DELAY (= ACK_TIMEOUT); 247 s with
    /// the defaults.
    // (Out of line on Cortex-M3/M4: see `exchange_end`.)
    #[cfg_attr(target_has_atomic = "32", inline(never))]
    pub fn exchange_lifetime_ms(&self) -> u64 {
        let ack = u64::from(self.ack_timeout_ms);
        // MAX_TRANSMIT_SPAN = ACK_TIMEOUT × (2^MAX_RETRANSMIT − 1) × 1.5
        let span = ack * ((1u64 << self.max_retransmit.min(16)) - 1) * 3 / 2;
        span + 200_000 + ack
    }

    /// EXCHANGE_LIFETIME after `now_ms` (saturating): when an exchange
    /// begun then is over.
    // Out of line on Cortex-M0 (three callers, u64 arithmetic is long
    // there; a u64 comes back in registers): -24 B. On Cortex-M3/M4 the
    // lifetime is the out-of-line part (16 B smaller there).
    #[cfg_attr(not(target_has_atomic = "32"), inline(never))]
    #[cfg_attr(target_has_atomic = "32", inline(always))]
    pub(crate) fn exchange_end(&self, now_ms: u64) -> u64 {
        Instant::after(now_ms, self.exchange_lifetime_ms()).ms()
    }
}

impl Default for Config {
    fn default() -> Config {
        Config::RFC
    }
}

/// Message ids and tokens for the messages we originate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ids {
    next_message_id: u16,
}

impl Ids {
    /// RFC 7252 §4.4: the first message id is randomized (`random` is a
    /// fresh `Host::random` value), then incremented.
    pub fn new(random: u32) -> Ids {
        Ids {
            next_message_id: random as u16,
        }
    }

    /// The next message id.
    pub fn message_id(&mut self) -> u16 {
        let id = self.next_message_id;
        self.next_message_id = id.wrapping_add(1);
        id
    }

    /// A fresh 4-byte token from a fresh random value (RFC 7252 §5.3.1:
    /// tokens should be unguessable; 4 bytes keeps NB-IoT datagrams short).
    pub fn token(&mut self, random: u32) -> Token {
        let bytes = random.to_be_bytes();
        Token {
            len: 4,
            bytes: [bytes[0], bytes[1], bytes[2], bytes[3], 0, 0, 0, 0],
        }
    }
}

/// RFC 7641 §4.4: the Observe value of the notification after `previous`,
/// a 24-bit sequence that wraps.
pub fn next_observe(previous: u32) -> u32 {
    previous.wrapping_add(1) & 0x00ff_ffff
}

/// What [`Outgoing::on_timeout`] asks the caller to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Timeout {
    /// The deadline has not passed; nothing to do.
    NotYet,
    /// Send the same datagram again (same message id).
    Retransmit,
    /// The exchange failed: no ACK after MAX_RETRANSMIT retransmissions, or
    /// no separate response after the ACK within EXCHANGE_LIFETIME.
    GiveUp,
}

/// What an incoming message means for an [`Outgoing`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Update {
    /// Not about this exchange.
    NotMine,
    /// An empty ACK: stop retransmitting, a separate response follows.
    Acked,
    /// The response (piggybacked in the ACK, or separate in a CON/NON —
    /// acknowledge a CON with an empty ACK). The exchange is over.
    Response,
    /// The peer rejected the message with a RST. The exchange is over.
    Reset,
}

/// One CON we sent, with its retransmission state (RFC 7252 §4.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Outgoing {
    /// The message id ACK/RST must echo.
    pub message_id: u16,
    /// The token the response must carry.
    pub token: Token,
    deadline: Instant,
    timeout_ms: u32,
    retransmissions: u8,
    max_retransmit: u8,
    acked: bool,
}

/// `floor(ack × fraction / 2^17)` in 32-bit multiplies (a 64-bit one is
/// `__aeabi_lmul` on Cortex-M0): with `ack = hi·2^16 + lo` it is
/// `floor((hi·fraction + floor(lo·fraction / 2^16)) / 2)`, as the bits
/// dropped from `lo·fraction` weigh less than the half the last shift
/// drops; the sum stays below `(2^16 − 1)² + 2^16 < 2^32`.
fn extra_timeout(ack: u32, fraction: u16) -> u32 {
    let fraction = u32::from(fraction);
    ((ack >> 16) * fraction + (((ack & 0xffff) * fraction) >> 16)) >> 1
}

impl Outgoing {
    /// Tracks a CON sent at `now_ms`. RFC 7252 §4.2: the first timeout is
    /// random in [ACK_TIMEOUT, ACK_TIMEOUT × 1.5): ACK_TIMEOUT ×
    /// (1 + (random mod 2^16) / 2^17), from a fresh `Host::random` value.
    pub fn new(message_id: u16, token: Token, config: &Config, now_ms: u64, random: u32) -> Outgoing {
        let ack = config.ack_timeout_ms;
        let timeout_ms = ack.saturating_add(extra_timeout(ack, random as u16));
        Outgoing {
            message_id,
            token,
            deadline: Instant::after(now_ms, u64::from(timeout_ms)),
            timeout_ms,
            retransmissions: 0,
            max_retransmit: config.max_retransmit,
            acked: false,
        }
    }

    /// When [`Outgoing::on_timeout`] next has something to do.
    pub fn next_deadline(&self) -> u64 {
        self.deadline.ms()
    }

    /// Retransmissions sent so far.
    pub fn retransmissions(&self) -> u8 {
        self.retransmissions
    }

    /// True once an empty ACK arrived (waiting for a separate response).
    pub fn is_acked(&self) -> bool {
        self.acked
    }

    /// Call when `now_ms` reaches [`Outgoing::next_deadline`]. Each
    /// retransmission doubles the timeout (RFC 7252 §4.2); after
    /// MAX_RETRANSMIT of them the next expiry gives up.
    pub fn on_timeout(&mut self, now_ms: u64) -> Timeout {
        if !self.deadline.is_due(now_ms) {
            return Timeout::NotYet;
        }
        if self.acked || self.retransmissions >= self.max_retransmit {
            return Timeout::GiveUp;
        }
        self.retransmissions += 1;
        // (Doubled by an add: its carry is the saturation test.)
        self.timeout_ms = self.timeout_ms.saturating_add(self.timeout_ms);
        self.deadline = Instant::after(now_ms, u64::from(self.timeout_ms));
        Timeout::Retransmit
    }

    /// Matches an incoming message: ACK/RST by message id (RFC 7252 §4.2),
    /// a separate response by token (§5.3.2). After an empty ACK the record
    /// waits up to EXCHANGE_LIFETIME for the separate response.
    pub fn on_message(&mut self, msg: &Repr<'_>, config: &Config, now_ms: u64) -> Update {
        let same_id = msg.message_id == self.message_id;
        match msg.ty {
            Type::Rst if same_id => return Update::Reset,
            Type::Ack if same_id && msg.code == Code::EMPTY => {
                if !self.acked {
                    self.acked = true;
                    self.deadline = Instant::at(config.exchange_end(now_ms));
                }
                return Update::Acked;
            }
            // A piggybacked or separate response: ours by its token.
            Type::Ack if same_id => {}
            Type::Con | Type::Non if msg.code.is_response() => {}
            _ => return Update::NotMine,
        }
        if msg.token == self.token.as_slice() {
            Update::Response
        } else {
            Update::NotMine
        }
    }
}

/// What [`Dedup::check`] found. Anything but `New` is a duplicate within
/// EXCHANGE_LIFETIME: it must not be processed again (RFC 7252 §4.5).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Seen<'c> {
    /// First time: process it (it is now recorded).
    New,
    /// Not answered yet (the response is still being prepared): ignore it.
    InProgress,
    /// Answered: send these bytes again.
    Replay(&'c [u8]),
    /// Answered with a response too long to keep: resend it from the
    /// caller's own last-datagram buffer if it has one, or ignore it.
    AnsweredNotKept,
}

#[derive(Clone, Copy, Debug, Default)]
struct Entry {
    message_id: u16,
    answered: bool,
    response_len: u8,
    /// 0: a free slot (every live entry expires after the `now_ms` it
    /// was recorded at).
    expires: Instant,
    response: [u8; DEDUP_RESPONSE_MAX],
}

/// Server messages (CON/NON) seen in the last EXCHANGE_LIFETIME (RFC 7252
/// §4.5), keyed by message id (one server at a time); when full the oldest
/// is forgotten.
///
/// A ring: entries are recorded in time order with the same lifetime, so
/// the slot after the newest holds the oldest entry, which is expired, free
/// or the one to forget. (Nothing is ever moved: heapless' `remove` and
/// `retain` would link a 1.5 KiB memmove.)
#[derive(Clone, Debug, Default)]
pub struct Dedup {
    entries: [Entry; DEDUP_CAPACITY],
    /// The slot the next new message id takes.
    next: u8,
}

impl Dedup {
    /// An empty cache, as a constant: built at compile time, it is one
    /// block of zeros to store (a `[FREE; N]` evaluated at run time is a
    /// loop over the entries, built on the stack and copied). Assigning it
    /// forgets every message.
    pub const EMPTY: Dedup = {
        const FREE: Entry = Entry {
            message_id: 0,
            answered: false,
            response_len: 0,
            expires: Instant::at(0),
            response: [0; DEDUP_RESPONSE_MAX],
        };
        Dedup {
            entries: [FREE; DEDUP_CAPACITY],
            next: 0,
        }
    };

    /// An empty cache.
    pub const fn new() -> Dedup {
        Dedup::EMPTY
    }

    /// Looks up a CON or NON message id at `now_ms`, recording it when new.
    // Inlined into its one caller on Cortex-M0 only (-8 B there, measured).
    #[cfg_attr(not(target_has_atomic = "32"), inline(always))]
    pub fn check(&mut self, message_id: u16, now_ms: u64, config: &Config) -> Seen<'_> {
        if let Some(i) = self.find(message_id, now_ms) {
            let Some(e) = self.entries.get(i) else {
                return Seen::InProgress;
            };
            return match e.response.get(..usize::from(e.response_len)) {
                _ if !e.answered => Seen::InProgress,
                Some(cached) if !cached.is_empty() => Seen::Replay(cached),
                _ => Seen::AnsweredNotKept,
            };
        }
        let slot = usize::from(self.next) % DEDUP_CAPACITY;
        if let Some(e) = self.entries.get_mut(slot) {
            // (The header only: the kept bytes count up to response_len.)
            e.message_id = message_id;
            e.answered = false;
            e.response_len = 0;
            e.expires = Instant::at(config.exchange_end(now_ms).max(1));
        }
        self.next = ((slot + 1) % DEDUP_CAPACITY) as u8;
        Seen::New
    }

    /// The slot of `message_id` among the entries live at `now_ms`, newest
    /// first (an expired entry may carry the same id as a live one).
    fn find(&self, message_id: u16, now_ms: u64) -> Option<usize> {
        let newest = usize::from(self.next) + DEDUP_CAPACITY - 1;
        (0..DEDUP_CAPACITY)
            .map(|age| (newest - age) % DEDUP_CAPACITY)
            .find(|&i| {
                self.entries
                    .get(i)
                    .is_some_and(|e| !e.expires.is_due(now_ms) && e.message_id == message_id)
            })
    }

    /// Records that `message_id` was answered with `response` (an ACK,
    /// piggybacked or empty, or a RST), keeping the bytes for duplicates.
    /// Returns false when they were not kept: the message is not recorded,
    /// or the response is longer than [`DEDUP_RESPONSE_MAX`] (then later
    /// duplicates see [`Seen::AnsweredNotKept`]).
    pub fn store_response(&mut self, message_id: u16, response: &[u8]) -> bool {
        let Some(entry) = self.find(message_id, 0).and_then(|i| self.entries.get_mut(i)) else {
            return false;
        };
        entry.answered = true;
        let (Some(dst), Ok(len)) = (entry.response.get_mut(..response.len()), u8::try_from(response.len())) else {
            entry.response_len = 0;
            return false;
        };
        // (zip, not copy_from_slice: no length-mismatch panic path)
        for (d, s) in dst.iter_mut().zip(response) {
            *d = *s;
        }
        entry.response_len = len;
        true
    }
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn extra_timeout_matches_u64_arithmetic() {
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut cases = std::vec![
            (0, 0),
            (u32::MAX, u16::MAX),
            (u32::MAX, 1),
            (1, u16::MAX),
            (2_000, 0x8000)
        ];
        for _ in 0..200_000 {
            x = x
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            cases.push(((x >> 32) as u32 >> (x % 32), (x >> 7) as u16));
        }
        for (ack, fraction) in cases {
            let expect = u64::from(ack) * u64::from(fraction) / 0x2_0000;
            assert_eq!(u64::from(extra_timeout(ack, fraction)), expect, "{ack} {fraction}");
        }
    }

    const TOKEN: [u8; 4] = [0xde, 0xad, 0xbe, 0xef];

    fn outgoing(config: &Config, now: u64, random: u32) -> Outgoing {
        Outgoing::new(0x1234, Token::new(&TOKEN).unwrap(), config, now, random)
    }

    /// Drives `o` from deadline to deadline; returns every deadline.
    fn deadlines(o: &mut Outgoing) -> Vec<u64> {
        let mut seen = vec![o.next_deadline()];
        loop {
            let at = o.next_deadline();
            assert_eq!(o.on_timeout(at - 1), Timeout::NotYet);
            match o.on_timeout(at) {
                Timeout::Retransmit => seen.push(o.next_deadline()),
                Timeout::GiveUp => return seen,
                Timeout::NotYet => unreachable!(),
            }
        }
    }

    #[test]
    fn retransmission_rfc_defaults() {
        // random 0x8000 of 0x10000 -> factor 1.25 -> 2500 ms, doubling,
        // 4 retransmissions, give up at the fifth expiry.
        let mut o = outgoing(&Config::RFC, 1_000, 0x0000_8000);
        assert_eq!(deadlines(&mut o), [3_500, 8_500, 18_500, 38_500, 78_500]);
        assert_eq!(o.retransmissions(), 4);
        assert_eq!(o.on_timeout(1_000_000), Timeout::GiveUp);
    }

    #[test]
    fn retransmission_random_factor_bounds() {
        // The factor uses the low 16 bits: 0 -> 1.0, 0xffff -> just under 1.5.
        let sequence = [0xabcd_0000u32, 0x0000_ffff, 0x0001_4000];
        let first: Vec<u64> = sequence
            .iter()
            .map(|&r| outgoing(&Config::RFC, 0, r).next_deadline())
            .collect();
        assert_eq!(first, [2_000, 2_999, 2_250]);
        // Total wait with factor 1: 2 s × (1+2+4+8+16) = 62 s (§4.8.2 bound).
        let mut o = outgoing(&Config::RFC, 0, 0);
        assert_eq!(deadlines(&mut o).last(), Some(&62_000));
    }

    #[test]
    fn retransmission_qla_limits() {
        // QLA: ACK timeout 20 s, 8 retransmissions.
        let qla = Config {
            ack_timeout_ms: 20_000,
            max_retransmit: 8,
        };
        let mut o = outgoing(&qla, 0, 0);
        let d = deadlines(&mut o);
        assert_eq!(d.len(), 9);
        assert_eq!(d[..3], [20_000, 60_000, 140_000]);
        assert_eq!(d[8], 20_000 * 511);
        // No retransmission at all: the first expiry gives up.
        let none = Config {
            ack_timeout_ms: 2_000,
            max_retransmit: 0,
        };
        let mut o = outgoing(&none, 0, 0);
        assert_eq!(o.on_timeout(2_000), Timeout::GiveUp);
    }

    #[test]
    fn retransmission_after_late_poll() {
        // A late call counts the next timeout from when it happened.
        let mut o = outgoing(&Config::RFC, 0, 0);
        assert_eq!(o.on_timeout(2_700), Timeout::Retransmit);
        assert_eq!(o.next_deadline(), 2_700 + 4_000);
    }

    fn msg(ty: Type, code: Code, message_id: u16, token: &[u8]) -> Repr<'_> {
        Repr {
            ty,
            code,
            message_id,
            token,
            options: Default::default(),
            payload: &[],
        }
    }

    #[test]
    fn match_piggybacked_and_reset() {
        let cfg = Config::RFC;
        let mut o = outgoing(&cfg, 0, 0);
        let other_mid = msg(Type::Ack, Code::CREATED, 0x1235, &TOKEN);
        assert_eq!(o.on_message(&other_mid, &cfg, 10), Update::NotMine);
        let wrong_token = msg(Type::Ack, Code::CREATED, 0x1234, &[1]);
        assert_eq!(o.on_message(&wrong_token, &cfg, 10), Update::NotMine);
        let piggy = msg(Type::Ack, Code::CREATED, 0x1234, &TOKEN);
        assert_eq!(o.on_message(&piggy, &cfg, 10), Update::Response);
        let rst = msg(Type::Rst, Code::EMPTY, 0x1234, &[]);
        assert_eq!(o.on_message(&rst, &cfg, 10), Update::Reset);
        // A request carrying our token is not a response.
        let request = msg(Type::Con, Code::GET, 0x1234, &TOKEN);
        assert_eq!(o.on_message(&request, &cfg, 10), Update::NotMine);
    }

    #[test]
    fn match_separate_response() {
        let cfg = Config::RFC;
        let mut o = outgoing(&cfg, 0, 0);
        let ack = msg(Type::Ack, Code::EMPTY, 0x1234, &[]);
        assert_eq!(o.on_message(&ack, &cfg, 500), Update::Acked);
        assert!(o.is_acked());
        // No more retransmissions: the deadline is now the exchange lifetime.
        assert_eq!(o.next_deadline(), 500 + 247_000);
        assert_eq!(o.on_timeout(2_000), Timeout::NotYet);
        // A duplicate empty ACK does not move the deadline.
        assert_eq!(o.on_message(&ack, &cfg, 900), Update::Acked);
        assert_eq!(o.next_deadline(), 500 + 247_000);
        // The separate response: any message id, our token.
        let other_token = msg(Type::Con, Code::CREATED, 0x0777, &[9, 9, 9, 9]);
        assert_eq!(o.on_message(&other_token, &cfg, 1_000), Update::NotMine);
        let separate = msg(Type::Con, Code::CREATED, 0x0777, &TOKEN);
        assert_eq!(o.on_message(&separate, &cfg, 1_000), Update::Response);
        let non = msg(Type::Non, Code::CREATED, 0x0778, &TOKEN);
        assert_eq!(o.on_message(&non, &cfg, 1_000), Update::Response);
        // Without it, give up after the lifetime.
        assert_eq!(o.on_timeout(247_500), Timeout::GiveUp);
    }

    #[test]
    fn exchange_lifetime() {
        assert_eq!(Config::RFC.exchange_lifetime_ms(), 247_000);
        let qla = Config {
            ack_timeout_ms: 20_000,
            max_retransmit: 8,
        };
        assert_eq!(qla.exchange_lifetime_ms(), 20_000 * 255 * 3 / 2 + 200_000 + 20_000);
    }

    #[test]
    fn ids_and_tokens() {
        let mut ids = Ids::new(0x1234_fffe);
        assert_eq!(
            [ids.message_id(), ids.message_id(), ids.message_id()],
            [0xfffe, 0xffff, 0]
        );
        assert_eq!(ids.token(0x0102_0304).as_slice(), &[1, 2, 3, 4]);
        assert_eq!(Token::new(&[1; 8]).map(|t| t.as_slice().len()), Some(8));
        assert_eq!(Token::new(&[1; 9]), None);
        assert_eq!(Token::default().as_slice(), &[] as &[u8]);
    }

    #[test]
    fn observe_sequence_wraps_at_24_bits() {
        assert_eq!(next_observe(0), 1);
        assert_eq!(next_observe(0x00ff_fffe), 0x00ff_ffff);
        assert_eq!(next_observe(0x00ff_ffff), 0);
    }

    #[test]
    fn dedup_duplicate_answered_from_cache() {
        let cfg = Config::RFC;
        let mut d = Dedup::new();
        assert_eq!(d.check(7, 0, &cfg), Seen::New);
        // Seen, not answered yet (response still being prepared).
        assert_eq!(d.check(7, 10, &cfg), Seen::InProgress);
        assert!(d.store_response(7, &[0x60, 0x44, 0x00, 0x07]));
        assert_eq!(d.check(7, 246_999, &cfg), Seen::Replay(&[0x60, 0x44, 0x00, 0x07]));
        // Expired at 247 s after first seen: new again.
        assert_eq!(d.check(7, 247_000, &cfg), Seen::New);
        assert_eq!(d.check(7, 247_001, &cfg), Seen::InProgress);
        // Unknown id: nothing stored.
        assert!(!d.store_response(8, &[0x60]));
        assert_eq!(d.check(8, 247_002, &cfg), Seen::New);
        // Oversized response: answered, not kept.
        assert!(!d.store_response(7, &[0; DEDUP_RESPONSE_MAX + 1]));
        assert_eq!(d.check(7, 247_003, &cfg), Seen::AnsweredNotKept);
        assert!(d.store_response(7, &[1; DEDUP_RESPONSE_MAX]));
        assert_eq!(d.check(7, 247_004, &cfg), Seen::Replay(&[1; DEDUP_RESPONSE_MAX]));
    }

    #[test]
    fn dedup_evicts_oldest_first() {
        let cfg = Config::RFC;
        let mut d = Dedup::new();
        for mid in 0..DEDUP_CAPACITY as u16 {
            assert_eq!(d.check(mid, u64::from(mid), &cfg), Seen::New);
        }
        // One more: the oldest (0) goes, 1 stays.
        assert_eq!(d.check(100, 50, &cfg), Seen::New);
        assert_eq!(d.check(1, 60, &cfg), Seen::InProgress);
        assert_eq!(d.check(0, 60, &cfg), Seen::New);
        // ...which evicted 1, the oldest then.
        assert_eq!(d.check(2, 70, &cfg), Seen::InProgress);
        assert_eq!(d.check(1, 70, &cfg), Seen::New);
    }
}
