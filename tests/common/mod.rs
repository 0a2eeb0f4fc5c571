//! Shared test host: records AT output, datagrams and NV records.
#![allow(dead_code)]

pub mod server;

use lwat::dialect::profile::ProfileId;
use lwat::{Engine, Handled, Host, Settings};
use std::collections::BTreeMap;

#[derive(Default)]
pub struct TestHost {
    pub out: Vec<u8>,
    pub urcs: usize,
    pub nv: BTreeMap<u16, Vec<u8>>,
    pub nv_writes: usize,
    /// When set, nv_write fails (or, with `nv_write_half`, stores half) from this write on.
    pub nv_fail_after: Option<usize>,
    pub nv_write_half: bool,
    pub sent: Vec<(i32, Vec<u8>, u8)>,
    pub opened: Vec<(String, u16)>,
    pub closed: Vec<i32>,
    /// When set, udp_open fails (the network is down).
    pub udp_open_fails: bool,
    pub seed: u32,
}

impl TestHost {
    pub fn take(&mut self) -> String {
        let t = String::from_utf8_lossy(&self.out).into_owned();
        self.out.clear();
        t
    }
}

impl Host for TestHost {
    fn at_output(&mut self, text: &[u8]) {
        self.out.extend_from_slice(text);
    }
    fn urc_written(&mut self) {
        self.urcs += 1;
    }
    fn udp_open(&mut self, host: &[u8], port: u16) -> i32 {
        if self.udp_open_fails {
            return -1;
        }
        self.opened.push((String::from_utf8_lossy(host).into_owned(), port));
        self.opened.len() as i32 - 1
    }
    fn udp_send(&mut self, endpoint: i32, data: &[u8], rai: u8) -> i32 {
        self.sent.push((endpoint, data.to_vec(), rai));
        0
    }
    fn udp_close(&mut self, endpoint: i32) {
        self.closed.push(endpoint);
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
        self.nv_writes += 1;
        if let Some(limit) = self.nv_fail_after {
            if self.nv_writes > limit {
                if self.nv_write_half {
                    self.nv.insert(key, data[..data.len() / 2].to_vec());
                }
                return -1;
            }
        }
        self.nv.insert(key, data.to_vec());
        0
    }
    fn random(&mut self) -> u32 {
        self.seed = self.seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
        self.seed >> 1
    }
}

pub fn profile_by_name(name: &str) -> ProfileId {
    match name {
        "onemo" => ProfileId::Onemo,
        "bc260y" => ProfileId::Bc260y,
        "qla" => ProfileId::Qla,
        other => panic!("unknown profile {other}"),
    }
}

/// An engine and its host, with numbered errors (`AT+CMEE=1`).
pub struct Module {
    pub engine: Engine,
    pub host: TestHost,
    pub now_ms: u64,
}

impl Module {
    pub fn new(profile: ProfileId) -> Self {
        Self::with_host(profile, TestHost::default())
    }

    pub fn with_host(profile: ProfileId, mut host: TestHost) -> Self {
        let settings = Settings {
            profile,
            imei: b"869975030000461",
            imsi: b"460041063204591",
            firmware_version: b"",
            cmee_mode: 1,
        };
        let engine = Engine::new(&settings, &mut host);
        Module {
            engine,
            host,
            now_ms: 0,
        }
    }

    /// Sends one line; returns the raw output text ("" and NotMine for foreign lines).
    pub fn at(&mut self, line: &str) -> String {
        self.at_bytes(line.as_bytes()).1
    }

    pub fn at_bytes(&mut self, line: &[u8]) -> (Handled, String) {
        let h = self.engine.at_command(&mut self.host, self.now_ms, line);
        (h, self.host.take())
    }
}

/// The raw text a module prints for these lines: `\r\n<line>\r\n` each.
pub fn framed(lines: &[&str]) -> String {
    lines.iter().map(|l| format!("\r\n{l}\r\n")).collect()
}
