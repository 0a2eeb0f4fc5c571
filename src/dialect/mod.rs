//! AT dialects: MIPL (profiles `onemo`, `bc260y`) and QLA (profile `qla`).
//!
//! A dialect turns command lines into calls on local state and the LwM2M
//! client, and client events into URC text. A new dialect is a new folder
//! here; nothing else changes.

pub mod mipl;
pub mod profile;
pub mod qla;

use crate::at::{Error, Writer};
use crate::host::Host;
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

/// What a command handler gets: the profile, the response writer and the time.
pub struct Context<'a, 'h, H: Host + ?Sized> {
    /// The profile this engine was started with.
    pub profile: &'static Profile,
    /// Response and URC output.
    pub out: &'a mut Writer<'h, H>,
    /// Milliseconds, from the caller.
    pub now_ms: u64,
    /// IMEI, IMSI, firmware version.
    pub ids: &'a DeviceIds,
    ok_sent: bool,
}

impl<'a, 'h, H: Host + ?Sized> Context<'a, 'h, H> {
    /// A context for one command.
    pub fn new(profile: &'static Profile, out: &'a mut Writer<'h, H>, now_ms: u64, ids: &'a DeviceIds) -> Self {
        Context {
            profile,
            out,
            now_ms,
            ids,
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
