//! What the engine needs from the firmware around it.
//!
//! The C API implements this trait over `lwat_callbacks`; Rust firmware and the
//! tests implement it directly. Every method has a harmless default so a host
//! only provides what it has (the C callbacks are all nullable).

/// The firmware services lwat calls out to. A method must not call back into
/// the engine.
pub trait Host {
    /// AT response or URC text, already framed with CR LF.
    fn at_output(&mut self, text: &[u8]);

    /// Called once after each complete URC line (a ring-indicator hook).
    fn urc_written(&mut self) {}

    /// Opens a datagram endpoint to `host` (no port in it) and `port`.
    /// Returns an endpoint id >= 0, or < 0 on failure.
    fn udp_open(&mut self, _host: &[u8], _port: u16) -> i32 {
        -1
    }

    /// Sends one datagram; `rai` is the release-assistance value the MCU gave.
    /// Returns 0, or < 0 on failure.
    fn udp_send(&mut self, _endpoint: i32, _data: &[u8], _rai: u8) -> i32 {
        -1
    }

    /// Closes an endpoint opened by [`Host::udp_open`].
    fn udp_close(&mut self, _endpoint: i32) {}

    /// Reads NV record `key` into `buf`; returns the length, or < 0 when absent.
    fn nv_read(&mut self, _key: u16, _buf: &mut [u8]) -> i32 {
        -1
    }

    /// Writes NV record `key`; returns 0, or < 0 on failure.
    fn nv_write(&mut self, _key: u16, _data: &[u8]) -> i32 {
        -1
    }

    /// A random 32-bit value (message ids, tokens, retransmission jitter).
    fn random(&mut self) -> u32;
}

#[cfg(test)]
pub(crate) mod tests {
    use super::Host;
    use std::vec::Vec;

    /// A host that records everything, for unit tests.
    #[derive(Default)]
    pub struct Recorder {
        pub out: Vec<u8>,
        pub urcs: usize,
        pub nv: std::collections::BTreeMap<u16, Vec<u8>>,
        pub sent: Vec<(i32, Vec<u8>, u8)>,
        pub seed: u32,
    }

    impl Recorder {
        pub fn text(&self) -> std::string::String {
            std::string::String::from_utf8_lossy(&self.out).into_owned()
        }
        #[allow(dead_code)]
        pub fn take(&mut self) -> std::string::String {
            let t = self.text();
            self.out.clear();
            t
        }
    }

    impl Host for Recorder {
        fn at_output(&mut self, text: &[u8]) {
            self.out.extend_from_slice(text);
        }
        fn urc_written(&mut self) {
            self.urcs += 1;
        }
        fn udp_open(&mut self, _host: &[u8], _port: u16) -> i32 {
            0
        }
        fn udp_send(&mut self, endpoint: i32, data: &[u8], rai: u8) -> i32 {
            self.sent.push((endpoint, data.to_vec(), rai));
            0
        }
        fn nv_read(&mut self, key: u16, buf: &mut [u8]) -> i32 {
            match self.nv.get(&key) {
                Some(v) if v.len() <= buf.len() => {
                    buf[..v.len()].copy_from_slice(v);
                    v.len() as i32
                }
                _ => -1,
            }
        }
        fn nv_write(&mut self, key: u16, data: &[u8]) -> i32 {
            self.nv.insert(key, data.to_vec());
            0
        }
        fn random(&mut self) -> u32 {
            self.seed = self.seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
            self.seed
        }
    }
}
