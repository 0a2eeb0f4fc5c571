//! AT dialects: MIPL (profiles `onemo`, `bc260y`) and QLA (profile `qla`).
//!
//! A dialect turns command lines into calls on local state and the LwM2M
//! client, and client events into URC text. A new dialect is a new folder
//! here; nothing else changes.

pub mod mipl;
pub mod profile;
pub mod qla;

use crate::at::{Error, Writer};
use crate::coap::Code;
use crate::host::Host;
use crate::lwm2m::{Client, Event};
pub use profile::{Family, Profile};

/// Identity strings the firmware configured at init.
#[derive(Clone, Debug, Default)]
pub struct DeviceIds {
    /// 15-digit IMEI.
    pub imei: heapless::Vec<u8, 16>,
    /// 15-digit IMSI.
    pub imsi: heapless::Vec<u8, 16>,
    /// Firmware version string (`AT+MIPLVER?`, object 3).
    pub firmware_version: heapless::Vec<u8, 32>,
}

/// Client events raised while a handler runs. They are handed to the
/// dialect's `on_event` once the handler returns, because formatting a URC
/// needs the host the client call was using. One entry point raises at most
/// one event per exchange and pending request, plus a few lifecycle events.
pub type EventQueue<'e> = heapless::Vec<Event<'e>, EVENT_QUEUE>;

/// Capacity of an [`EventQueue`].
pub const EVENT_QUEUE: usize = crate::lwm2m::EXCHANGES + crate::lwm2m::PENDING_REQUESTS + 4;

/// What a command or event handler gets: the profile, the response writer,
/// the time and the LwM2M client.
///
/// `repr(C)`, the event queue last: the flag `ok` sets stays within
/// Cortex-M0's short byte offsets instead of behind ~300 bytes of events.
#[repr(C)]
pub struct Context<'a, 'h, H: Host + ?Sized> {
    /// Milliseconds, from the caller.
    pub now_ms: u64,
    /// The profile this engine was started with.
    pub profile: &'static Profile,
    /// Response and URC output.
    pub out: &'a mut Writer<'h, H>,
    /// IMEI, IMSI, firmware version.
    pub ids: &'a DeviceIds,
    /// The LwM2M client, called as `cx.client.register(cx.out.host(), ..,
    /// &mut |e| { let _ = cx.raised.push(e); })`: its events go to
    /// [`Context::raised`].
    pub client: &'a mut Client,
    ok_sent: bool,
    /// Events the client raised during this call, for the dialect's `on_event`.
    pub raised: EventQueue<'static>,
}

impl<'a, 'h, H: Host + ?Sized> Context<'a, 'h, H> {
    /// A context for one command.
    pub fn new(
        profile: &'static Profile,
        out: &'a mut Writer<'h, H>,
        now_ms: u64,
        ids: &'a DeviceIds,
        client: &'a mut Client,
    ) -> Self {
        Context {
            profile,
            out,
            now_ms,
            ids,
            client,
            raised: EventQueue::new(),
            ok_sent: false,
        }
    }

    /// Writes the final `OK` now, so the handler can print lines after it
    /// (`OK` then `+QLAREG: 0`). A handler that calls this must not fail after.
    pub fn ok(&mut self) {
        self.out.ok();
        self.ok_sent = true;
    }

    /// True once [`Context::ok`] was called.
    pub fn ok_sent(&self) -> bool {
        self.ok_sent
    }
}

/// The result of offering a line to a dialect: `None` when the command is
/// not one of its names (the firmware's own dispatcher handles it).
pub type Dispatch = Option<Result<(), Error>>;

/// Answers a server request 5.01: read, write, execute, observe and
/// discover reach the MCU with the device-management work; until then the
/// server learns it plainly. (Both dialects answer so: one copy.)
#[inline(never)]
pub(crate) fn not_implemented<H: Host + ?Sized>(cx: &mut Context<'_, '_, H>, handle: u16) {
    let _ = cx
        .client
        .respond(cx.out.host(), cx.now_ms, handle, Code::NOT_IMPLEMENTED, None, &[]);
}
