//! The QLA state as NV records (postcard payloads framed by `persist`).
//!
//! Shaped for flash, not for convenience: the wire structs borrow their
//! byte strings from the NV buffer ([`Bytes`]: postcard `varint len | bytes`,
//! one (de)serializer for every string) and hold only `u8`/`u16`/`u32`
//! besides, so the whole QLA persistence instantiates a handful of serde
//! element types. Loading decodes into a wire struct first and copies into
//! the state only when everything fits, so a bad record changes nothing.
//!
//! Schema 2 (schema 1 records are ignored: defaults):
//! - server:  host, port, endpoint, lifetime, security, psk_id, psk, binding
//!   (always the LwM2M server: seed 004 §3.1 note 2 never saves a bootstrap one);
//! - options: the nine setting values as one byte string, device type;
//! - objects: the flat `u16` list of `model::qla::ObjectTable`.

use super::server::{self, ServerFields};
use super::{Options, ServerConfig, State};
use crate::model::qla::ObjectTable;
use crate::persist::{self, Record};
use heapless::Vec;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A byte string in a record, borrowed from the buffer it was decoded from.
#[derive(Clone, Copy)]
pub(super) struct Bytes<'a>(pub(super) &'a [u8]);

impl Serialize for Bytes<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(self.0)
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Bytes<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        <&'a [u8]>::deserialize(d).map(Bytes)
    }
}

/// Copies `bytes` into a fixed-capacity string; None when it is too long.
fn text<const N: usize>(bytes: Bytes<'_>) -> Option<Vec<u8, N>> {
    Vec::from_slice(bytes.0).ok()
}

#[derive(Serialize, Deserialize)]
struct OptionsRecord<'a> {
    #[serde(borrow)]
    values: Bytes<'a>,
    #[serde(borrow)]
    device_type: Bytes<'a>,
}

/// The record kinds, one per command family: each is rewritten only when
/// its own command changes it (a QLACFG toggle rewrites ~25 bytes, not the
/// ~1 KiB of everything), the stack buffer is bounded by the largest single
/// record, and a damaged objects record cannot take the server config with it.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Server = 0,
    Options = 1,
    Objects = 2,
}

const KINDS: [Kind; 3] = [Kind::Server, Kind::Options, Kind::Objects];

/// NV keys: two per kind (the alternating slots), QLA's range starts here.
const NV_BASE: u16 = 0x0100;
const SCHEMA: u8 = 2;

/// `AT+QLACONFIG` persists only the LwM2M server (seed 004 §3.1 note 2).
impl Record for Option<ServerConfig> {
    const KEY: u16 = NV_BASE + 2 * Kind::Server as u16;
    const SCHEMA: u8 = SCHEMA;
}

impl Record for Options {
    const KEY: u16 = NV_BASE + 2 * Kind::Options as u16;
    const SCHEMA: u8 = SCHEMA;
}

impl Record for ObjectTable {
    const KEY: u16 = NV_BASE + 2 * Kind::Objects as u16;
    const SCHEMA: u8 = SCHEMA;
}

fn key(kind: Kind) -> u16 {
    NV_BASE + 2 * kind as u16
}

/// Largest payload of each kind (postcard varints: u16 up to 3 bytes, u32 up to 5).
const SERVER_MAX: usize = {
    use crate::config::{ENDPOINT_MAX, HOST_MAX, PSK_ID_MAX, PSK_MAX};
    use persist::varint_len;
    varint_len(HOST_MAX)
        + HOST_MAX
        + 3
        + varint_len(ENDPOINT_MAX)
        + ENDPOINT_MAX
        + 5
        + 1
        + varint_len(PSK_ID_MAX)
        + PSK_ID_MAX
        + varint_len(PSK_MAX)
        + PSK_MAX
        + 1
};
const OPTIONS_MAX: usize = {
    use crate::config::QLA_DEVICE_TYPE_MAX;
    1 + super::options::VALUES + persist::varint_len(QLA_DEVICE_TYPE_MAX) + QLA_DEVICE_TYPE_MAX
};
const OBJECTS_MAX: usize = {
    use crate::model::qla::MAX_IDS;
    persist::varint_len(MAX_IDS) + 3 * MAX_IDS
};

const fn max(a: usize, b: usize) -> usize {
    if a > b {
        a
    } else {
        b
    }
}

/// Bytes of the stack buffer a record is framed in: the largest of the three.
pub const RECORD_BUF: usize = persist::OVERHEAD + max(SERVER_MAX, max(OPTIONS_MAX, OBJECTS_MAX));

impl State {
    /// The state after power-on, with what NV holds restored. A missing,
    /// corrupt or unknown-schema record leaves that part at its defaults.
    pub fn restore<H: crate::host::Host + ?Sized>(host: &mut H) -> Self {
        let mut state = State::default();
        let mut buf = [0u8; RECORD_BUF];
        for kind in KINDS {
            let slots = persist::load(host, key(kind), SCHEMA, &mut buf, &mut |payload| {
                state.decode(kind, payload).is_some()
            });
            if let Some(nv) = state.nv.get_mut(kind as usize) {
                *nv = slots;
            }
        }
        state
    }

    /// Saves the part of the state `kind` covers when `changed` or when an
    /// earlier save failed. A failed write does not fail the command (seed
    /// 004 §3.1/§3.2: settings take effect at once); it is retried with the
    /// next change.
    pub(super) fn persist<H: crate::host::Host + ?Sized>(&mut self, host: &mut H, kind: Kind, changed: bool) {
        let Some(slots) = self.nv.get(kind as usize).copied() else {
            return;
        };
        if !(changed || slots.pending()) {
            return;
        }
        let mut buf = [0u8; RECORD_BUF];
        let len = self.encode(kind, persist::payload_area(&mut buf));
        let mut slots = slots;
        persist::save(host, key(kind), SCHEMA, &mut slots, &mut buf, len);
        if let Some(nv) = self.nv.get_mut(kind as usize) {
            *nv = slots;
        }
    }

    /// Encodes the part of the state `kind` covers; returns its length.
    fn encode(&self, kind: Kind, out: &mut [u8]) -> Option<usize> {
        let written = match kind {
            Kind::Server => {
                let c = self.server.as_ref()?;
                postcard::to_slice(
                    &ServerFields {
                        host: Bytes(&c.host),
                        port: c.port,
                        endpoint: Bytes(&c.endpoint),
                        lifetime: c.lifetime,
                        security: c.security,
                        psk_id: Bytes(&c.psk_id),
                        psk: Bytes(&c.psk),
                        binding: c.binding,
                    },
                    out,
                )
            }
            Kind::Options => postcard::to_slice(
                &OptionsRecord {
                    values: Bytes(&self.options.values),
                    device_type: Bytes(&self.options.device_type),
                },
                out,
            ),
            Kind::Objects => postcard::to_slice(&self.objects, out),
        };
        written.ok().map(|p| p.len())
    }

    /// Decodes one payload of `kind` into the state; None (nothing changed)
    /// when it does not decode or does not fit.
    fn decode(&mut self, kind: Kind, payload: &[u8]) -> Option<()> {
        match kind {
            Kind::Server => {
                let r: ServerFields<'_> = postcard::from_bytes(payload).ok()?;
                server::store(&mut self.server, false, &r)?;
            }
            Kind::Options => {
                let r: OptionsRecord<'_> = postcard::from_bytes(payload).ok()?;
                self.options = Options {
                    values: r.values.0.try_into().ok()?,
                    device_type: text(r.device_type)?,
                };
            }
            Kind::Objects => {
                let table: ObjectTable = postcard::from_bytes(payload).ok()?;
                if !table.is_well_formed() {
                    return None;
                }
                self.objects = table;
            }
        }
        Some(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{ENDPOINT_MAX, HOST_MAX, PSK_ID_MAX, PSK_MAX, QLA_DEVICE_TYPE_MAX, QLA_MAX_RESOURCES};

    /// Every record at its largest encodes into the buffer and decodes back.
    #[test]
    fn largest_records_fit_and_round_trip() {
        let server = Some(ServerConfig {
            bootstrap: false,
            host: Vec::from_slice(&[b'h'; HOST_MAX]).unwrap(),
            port: 65535,
            endpoint: Vec::from_slice(&[b'e'; ENDPOINT_MAX]).unwrap(),
            lifetime: 31_536_000,
            security: 3,
            psk_id: Vec::from_slice(&[b'i'; PSK_ID_MAX]).unwrap(),
            psk: Vec::from_slice(&[0xFF; PSK_MAX]).unwrap(),
            binding: 1,
        });
        let options = Options {
            values: [255; super::super::options::VALUES],
            device_type: Vec::from_slice(&[b'x'; QLA_DEVICE_TYPE_MAX]).unwrap(),
        };
        let mut full = State {
            server,
            options,
            ..State::default()
        };
        let resources = [65535u16; QLA_MAX_RESOURCES];
        for o in 0..crate::config::QLA_MAX_OBJECTS as u16 {
            for i in 0..crate::config::QLA_MAX_INSTANCES as u16 {
                full.objects.add(65535 - o, 65535 - i, &resources).unwrap();
            }
        }
        for kind in KINDS {
            let mut buf = [0u8; RECORD_BUF];
            let len = full.encode(kind, persist::payload_area(&mut buf)).unwrap();
            let mut back = State::default();
            back.decode(kind, &buf[persist::HEADER..persist::HEADER + len]).unwrap();
            match kind {
                Kind::Server => assert_eq!(back.server, full.server),
                Kind::Options => assert_eq!(back.options, full.options),
                Kind::Objects => assert_eq!(back.objects, full.objects),
            }
        }
    }

    #[test]
    fn records_that_do_not_fit_change_nothing() {
        let mut s = State::default();
        // options: 8 values instead of 9
        assert!(s.decode(Kind::Options, &[8, 1, 2, 3, 4, 5, 6, 7, 8, 0]).is_none());
        // objects: an entry that claims two resources but has one
        assert!(s.decode(Kind::Objects, &[4, 19, 0, 2, 7]).is_none());
        assert_eq!(s.options, Options::default());
        assert_eq!(s.objects, ObjectTable::default());
    }
}
