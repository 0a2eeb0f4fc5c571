//! embedded-hal 1.0 adapter for firmware written in Rust: a ring-indicator
//! pin pulsed after every URC, so the MCU wakes up to read it.

use crate::host::Host;
use embedded_hal::digital::OutputPin;

/// Wraps a [`Host`] and pulses `pin` high then low after each URC line.
pub struct RingIndicator<H, P> {
    /// The wrapped host.
    pub host: H,
    /// The ring-indicator output.
    pub pin: P,
}

impl<H: Host, P: OutputPin> Host for RingIndicator<H, P> {
    fn at_output(&mut self, text: &[u8]) {
        self.host.at_output(text)
    }
    fn urc_written(&mut self) {
        // A pin error cannot be reported anywhere useful; the URC is out anyway.
        let _ = self.pin.set_high();
        let _ = self.pin.set_low();
        self.host.urc_written()
    }
    fn udp_open(&mut self, host: &[u8], port: u16) -> i32 {
        self.host.udp_open(host, port)
    }
    fn udp_send(&mut self, endpoint: i32, data: &[u8], rai: u8) -> i32 {
        self.host.udp_send(endpoint, data, rai)
    }
    fn udp_close(&mut self, endpoint: i32) {
        self.host.udp_close(endpoint)
    }
    fn nv_read(&mut self, key: u16, buf: &mut [u8]) -> i32 {
        self.host.nv_read(key, buf)
    }
    fn nv_write(&mut self, key: u16, data: &[u8]) -> i32 {
        self.host.nv_write(key, data)
    }
    fn random(&mut self) -> u32 {
        self.host.random()
    }
}
