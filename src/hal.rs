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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialect::profile::ProfileId;
    use crate::host::tests::Recorder;
    use crate::{Engine, Settings};
    use core::convert::Infallible;

    /// Records every level change.
    #[derive(Default)]
    struct Pin {
        edges: std::vec::Vec<bool>,
    }

    impl embedded_hal::digital::ErrorType for Pin {
        type Error = Infallible;
    }

    impl OutputPin for Pin {
        fn set_high(&mut self) -> Result<(), Infallible> {
            self.edges.push(true);
            Ok(())
        }
        fn set_low(&mut self) -> Result<(), Infallible> {
            self.edges.push(false);
            Ok(())
        }
    }

    #[test]
    fn pulses_once_per_urc_and_not_for_responses() {
        let mut ri = RingIndicator {
            host: Recorder::default(),
            pin: Pin::default(),
        };
        {
            let mut w = crate::at::Writer::new(&mut ri);
            w.line(b"OK");
            w.start().text(b"+MIPLEVENT: 0,6").end_urc();
        }
        assert_eq!(ri.pin.edges, [true, false]);
        assert_eq!(ri.host.text(), "\r\nOK\r\n\r\n+MIPLEVENT: 0,6\r\n");

        // A plain command response is not a URC: no pulse.
        let settings = Settings {
            profile: ProfileId::Onemo,
            imei: b"",
            imsi: b"",
            firmware_version: b"",
            cmee_mode: 1,
        };
        let mut engine = Engine::new(&settings, &mut ri);
        engine.at_command(&mut ri, 0, b"ATI");
        assert_eq!(ri.pin.edges.len(), 2);
    }
}
