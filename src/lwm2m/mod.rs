//! The LwM2M client, dialect-agnostic: bootstrap, registration, update,
//! de-registration, and the mechanism for server requests the MCU answers
//! later. It takes typed calls and emits typed [`Event`]s; it knows nothing
//! about AT text (the dialects translate both ways).
//!
//! Sans-IO: every entry point takes `now_ms`; datagrams go out only through
//! [`crate::host::Host`] (`udp_open`, `udp_send`, `udp_close`, `random`).

pub mod client;
pub mod lifetime;
pub mod path;
mod server_object;
pub mod session;
pub mod uri;
mod wire;

pub use client::{Client, RegisterParams, Usage};
pub use lifetime::UpdatePolicy;
pub use path::Path;
pub use session::Session;

use crate::coap::Code;

/// CON exchanges we originate that can be in flight at once: one of the
/// registration family (Bootstrap-Request, Register, Update, De-register)
/// plus `EXCHANGES - 1` separate responses to server requests.
pub const EXCHANGES: usize = 2;

/// Largest datagram an exchange keeps for retransmission (Register with its
/// link-format payload, a separate response). A bigger message is refused
/// with [`Error::TooLarge`].
pub const EXCHANGE_DATAGRAM_MAX: usize = 512;

/// Server requests acknowledged and waiting for the MCU's answer
/// ([`Client::respond`]). A request arriving when the table is full is
/// answered 5.03 Service Unavailable.
pub const PENDING_REQUESTS: usize = 4;

/// Bytes of the registration location (`rd/5a3f`, Location-Path segments
/// joined with `/`).
pub const LOCATION_MAX: usize = 64;

/// How long the client waits for the next Bootstrap-Server message
/// (Bootstrap-Delete/Write/Finish) before Bootstrap fails; restarted by
/// each one. LwM2M 1.0 leaves the bound to the client.
pub const BOOTSTRAP_IDLE_MS: u64 = 60_000;

/// OneNET's auth-code option (DESIGN.md: a string, critical, sent on
/// Register and Update only when the MCU gave one).
pub const AUTH_CODE_OPTION: u16 = 63;

/// The Binding modes this client speaks (LwM2M 1.0 §5.3.1 `b=`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Binding {
    /// `U`: UDP, always reachable.
    U,
    /// `UQ`: UDP with queue mode.
    UQ,
}

impl Binding {
    /// The `b=` text.
    pub fn as_bytes(self) -> &'static [u8] {
        match self {
            Binding::U => b"U",
            Binding::UQ => b"UQ",
        }
    }

    /// Parses `U` or `UQ`; other modes (SMS) are not supported.
    pub fn from_bytes(text: &[u8]) -> Option<Binding> {
        match text {
            b"U" => Some(Binding::U),
            b"UQ" => Some(Binding::UQ),
            _ => None,
        }
    }
}

/// Where the client is in its lifecycle.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// No session, no endpoint open.
    Idle,
    /// Talking to the Bootstrap-Server.
    Bootstrapping,
    /// Register sent, waiting for 2.01.
    Registering,
    /// Registered, nothing of the registration family in flight.
    Registered,
    /// Registered, an Update in flight.
    Updating,
    /// De-register sent.
    Deregistering,
}

/// Who asked for an Update (QLA reports the automatic ones as `"ping"`,
/// a resumed session as `"recovered"`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Trigger {
    /// The MCU's update command.
    Command,
    /// The profile's automatic-update policy, or the retry of a lost Update.
    Automatic,
    /// [`Client::resume`] after deep sleep.
    Resume,
    /// The server executed Registration Update Trigger (/1/0/8).
    Server,
}

/// What the client reports. A `code` of 0.00 (`Code::EMPTY`) means the
/// server answered with a RST or not at all.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event<'a> {
    /// Bootstrap-Request sent.
    BootstrapStarted,
    /// Bootstrap-Finish accepted; Register to the bootstrapped server follows.
    BootstrapFinished,
    /// Bootstrap rejected, timed out, or left no usable server account.
    BootstrapFailed,
    /// Register answered 2.01.
    Registered,
    /// Register answered with an error code (or reset).
    RegisterFailed {
        /// The server's response code.
        code: Code,
    },
    /// No answer to Register before the give-up deadline or the end of
    /// retransmissions.
    RegisterTimeout,
    /// Update answered 2.04.
    Updated {
        /// The Update's message id.
        mid: u16,
        /// Who asked for it.
        trigger: Trigger,
    },
    /// Update answered with an error code. 4.04 means the server forgot the
    /// registration: the client is then Idle.
    UpdateFailed {
        /// The Update's message id.
        mid: u16,
        /// The server's response code.
        code: Code,
        /// Who asked for it.
        trigger: Trigger,
    },
    /// Update unanswered (or reset); the registration stays until its
    /// lifetime runs out and the client retries before that.
    UpdateTimeout {
        /// The Update's message id.
        mid: u16,
        /// Who asked for it.
        trigger: Trigger,
    },
    /// The registration's lifetime ran out; the client is Idle.
    LifetimeExpired,
    /// An Update is due and the policy leaves it to the MCU
    /// ([`lifetime::UpdatePolicy::AnnounceAtNineTenths`]).
    UpdateNeeded {
        /// Seconds of lifetime left.
        remaining_s: u32,
    },
    /// De-register answered 2.02 (or the client closed before registering).
    Deregistered,
    /// De-register answered with an error or not at all; the client is Idle.
    DeregisterFailed {
        /// The server's response code.
        code: Code,
    },
    /// The server wrote the Lifetime resource (/1/x/1); the next Update
    /// carries it.
    LifetimeChanged(u32),
    /// The server wrote the Binding resource (/1/x/7); the next Update
    /// carries it.
    BindingChanged(Binding),
    /// A server request the MCU answers with [`Client::respond`] (it was
    /// acknowledged with an empty ACK).
    Request {
        /// The handle `respond` names: the request's message id.
        handle: u16,
        /// GET, PUT, POST or DELETE.
        method: Code,
        /// The target.
        path: Path,
        /// Content-Format of the payload.
        content_format: Option<u16>,
        /// Accept (the format the server prefers).
        accept: Option<u16>,
        /// Observe (0 register, 1 cancel).
        observe: Option<u32>,
        /// The request payload.
        payload: &'a [u8],
    },
    /// A separate response was acknowledged.
    ResponseDelivered {
        /// The request's handle.
        handle: u16,
    },
    /// A separate response was reset or never acknowledged.
    ResponseFailed {
        /// The request's handle.
        handle: u16,
    },
}

/// Why a call was refused. A refused call changes nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Error {
    /// Not possible in the current phase, or no exchange slot free.
    Busy,
    /// The call needs a registration.
    NotRegistered,
    /// A parameter is empty, out of range, or longer than its capacity
    /// (host, endpoint name, auth code).
    Invalid,
    /// The host could not open the datagram endpoint.
    Network,
    /// The message does not fit [`EXCHANGE_DATAGRAM_MAX`].
    TooLarge,
    /// No pending request has this handle.
    UnknownHandle,
    /// The session's lifetime ran out while the device slept.
    Expired,
}

/// Parses unsigned decimal digits (no sign, no spaces) up to `max`.
/// (u32: every number the client reads fits, and u64 multiplication with
/// overflow checks is twice the code on Cortex-M.)
pub(crate) fn decimal(text: &[u8], max: u32) -> Option<u32> {
    if text.is_empty() {
        return None;
    }
    let mut value: u32 = 0;
    for &d in text {
        if !d.is_ascii_digit() {
            return None;
        }
        // (A bound instead of checked_mul: the overflow check of a u32
        // multiply is a 64-bit multiply, __aeabi_lmul on Cortex-M0.)
        if value > u32::MAX / 10 {
            return None;
        }
        value = (value * 10).checked_add(u32::from(d - b'0'))?;
    }
    (value <= max).then_some(value)
}
