//! NV records: `magic | schema | seq | len | payload | crc32`, written to two
//! alternating slots so a power cut during a write never loses the last good
//! record. Payloads are in postcard's format, written and read by the small
//! encoder below (no serde code is linked; the tests compare with postcard).
//!
//! Each record kind owns two NV keys (`KEY`, `KEY + 1`). A save goes to the
//! slot that does NOT hold the newest good record, with the next sequence
//! number, so a torn or failed write can only damage the older copy. Load
//! reads both slots and takes the newest one that checks out (magic, known
//! schema, length, CRC, payload decodes); nothing valid means defaults.
//!
//! Layout (little-endian):
//! ```text
//! 0..2  magic "LW"
//! 2     schema   (the record's version; an unknown one is not loaded)
//! 3..5  seq      (u16, wrapping; newer = (a - b) as i16 > 0)
//! 5..7  len      (payload bytes)
//! 7..   payload  (postcard)
//! ..+4  crc32    (IEEE, over everything before it)
//! ```
//! The caller lends the buffer (on its stack, sized for its largest record)
//! and encodes the payload itself with [`Encoder`]/[`Decoder`]: this module
//! frames and checks bytes only, so ONE copy of it serves every record kind
//! (it is generic over the host alone, and the footprint image has one host
//! type).
//!
//! Payloads are postcard, written field by field: [`Encoder`] and
//! [`Decoder`] implement the three primitive shapes records are made of
//! (`u8`, unsigned varint, byte string) by hand, in the order the record's
//! fields would be serialized. The bytes are exactly what postcard writes
//! and reads for the equivalent struct (the tests check that against
//! postcard and derived impls), but no serde code is linked: each derived
//! impl with its visitor cost hundreds of bytes of flash, and postcard's
//! own serializer behind these three calls ~300 bytes more.

use crate::host::Host;

const MAGIC: [u8; 2] = *b"LW";
/// Header bytes before the payload.
pub const HEADER: usize = 7;
/// Bytes of header and CRC around the payload.
pub const OVERHEAD: usize = HEADER + 4;

/// An NV record kind: its keys and payload version.
pub trait Record {
    /// First of the two NV keys of this kind.
    const KEY: u16;
    /// Payload version. Bump it when the encoding changes; older records are
    /// then ignored (defaults) unless a migration reads them.
    const SCHEMA: u8;
}

/// Where the next save of one record kind goes, and what NV holds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Slots {
    next: u8,
    seq: u16,
    /// The last save failed: RAM differs from NV, retry on the next save.
    pending: bool,
    /// CRC-32 of the payload NV holds (None: unknown). A save of the same
    /// payload writes nothing, so callers need no change checks of their
    /// own: they save after every command that may have changed the state.
    held: Option<u32>,
}

impl Slots {
    /// Records that NV holds the `len` payload bytes of [`payload_area`]
    /// of `buf` (the state just loaded, re-encoded): saving them again
    /// writes nothing.
    pub fn holds(&mut self, buf: &[u8], len: Option<usize>) {
        self.held = payload_crc(buf, len);
    }

    /// True when the last save failed and NV is older than RAM.
    pub fn pending(&self) -> bool {
        self.pending
    }

    /// The slot (0 or 1) the next save writes.
    pub fn next_slot(&self) -> u8 {
        self.next
    }
}

/// The postcard varint length of `n` (what a sequence length prefix costs).
pub const fn varint_len(n: usize) -> usize {
    let mut len = 1;
    let mut rest = n >> 7;
    while rest > 0 {
        len += 1;
        rest >>= 7;
    }
    len
}

/// CRC-32/IEEE, bitwise: a few dozen bytes of code instead of a 1 KiB table;
/// records are short and written rarely.
pub fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in data {
        crc ^= b as u32;
        for _ in 0..8 {
            crc = (crc >> 1) ^ (0xEDB8_8320 & (crc & 1).wrapping_neg());
        }
    }
    !crc
}

/// Writes a record payload field by field (postcard encoding). Fields
/// past the end of the buffer are counted but not written; [`Encoder::finish`]
/// then returns None (one length check instead of a failure flag).
pub struct Encoder<'a> {
    out: &'a mut [u8],
    len: usize,
}

impl<'a> Encoder<'a> {
    /// An encoder writing into `out` (usually [`payload_area`]).
    pub fn new(out: &'a mut [u8]) -> Self {
        Encoder { out, len: 0 }
    }

    /// A `u8` (postcard: one raw byte).
    #[inline(never)]
    pub fn byte(&mut self, v: u8) -> &mut Self {
        if let Some(slot) = self.out.get_mut(self.len) {
            *slot = v;
        }
        self.len += 1;
        self
    }

    /// A `u16` or `u32` (postcard: unsigned LEB128 varint, low 7 bits
    /// first; the same bytes for either type).
    pub fn varint(&mut self, mut v: u32) -> &mut Self {
        while v > 0x7F {
            self.byte(v as u8 | 0x80);
            v >>= 7;
        }
        self.byte(v as u8)
    }

    /// A byte string (postcard: varint length, then the bytes).
    pub fn bytes(&mut self, v: &[u8]) -> &mut Self {
        self.varint(v.len() as u32);
        for &b in v {
            self.byte(b);
        }
        self
    }

    /// The payload length; None when some field did not fit.
    pub fn finish(self) -> Option<usize> {
        (self.len <= self.out.len()).then_some(self.len)
    }
}

/// Reads a record payload field by field (postcard encoding). A read past
/// the end or a malformed field marks the decoding failed (and reads as 0
/// or empty); the caller checks [`Decoder::ok`] once, after the last field,
/// instead of after each one.
pub struct Decoder<'a> {
    rest: &'a [u8],
    failed: bool,
}

impl<'a> Decoder<'a> {
    /// A decoder over one checked payload.
    pub fn new(payload: &'a [u8]) -> Self {
        Decoder {
            rest: payload,
            failed: false,
        }
    }

    /// True when every field so far decoded.
    pub fn ok(&self) -> bool {
        !self.failed
    }

    /// Marks the decoding failed (a field the record does not allow).
    pub fn fail(&mut self) {
        self.failed = true;
    }

    /// A `u8`.
    #[inline(never)]
    pub fn byte(&mut self) -> u8 {
        match self.rest.split_first() {
            Some((&b, rest)) => {
                self.rest = rest;
                b
            }
            None => {
                self.fail();
                0
            }
        }
    }

    /// A varint `u32`. As postcard reads it: at most 5 bytes, the fifth
    /// carrying at most 4 bits.
    pub fn varint(&mut self) -> u32 {
        let mut out = 0;
        let mut shift = 0;
        loop {
            let b = self.byte();
            out |= ((b & 0x7F) as u32) << shift;
            // The fifth byte carries the top 4 bits and ends the varint.
            if shift == 28 {
                if b > 0x0F {
                    self.fail();
                }
                return out;
            }
            if b & 0x80 == 0 {
                return out;
            }
            shift += 7;
        }
    }

    /// A varint that must fit a `u16`.
    pub fn u16(&mut self) -> u16 {
        let v = self.varint();
        if v > u16::MAX as u32 {
            self.fail();
        }
        v as u16
    }

    /// A byte string, borrowed from the payload.
    pub fn bytes(&mut self) -> &'a [u8] {
        let n = self.varint() as usize;
        match self.rest.split_at_checked(n) {
            Some((bytes, rest)) => {
                self.rest = rest;
                bytes
            }
            None => {
                self.fail();
                &[]
            }
        }
    }
}

/// The part of a record buffer the payload is encoded into.
pub fn payload_area(buf: &mut [u8]) -> &mut [u8] {
    let end = buf.len().saturating_sub(4);
    buf.get_mut(HEADER..end).unwrap_or_default()
}

/// What [`crc32`] gives over a frame whose CRC field (little-endian, last)
/// is right: checking the whole frame needs no split and no compare.
const RESIDUE: u32 = 0x2144_DF1C;

/// Reads slot `slot` of the kind at `key` into `buf`; returns its sequence
/// number and payload length when the frame checks out. Inlined into its
/// one caller, `load` (out of line it costs more than it saves).
#[inline(always)]
fn read_frame<H: Host + ?Sized>(host: &mut H, key: u16, schema: u8, slot: u8, buf: &mut [u8]) -> Option<(u16, usize)> {
    let n = host.nv_read(key.wrapping_add(slot as u16), buf);
    let frame = buf.get(..usize::try_from(n).ok()?)?;
    let [m0, m1, version, s0, s1, l0, l1] = *frame.first_chunk::<HEADER>()?;
    let len = u16::from_le_bytes([l0, l1]) as usize;
    let ok = [m0, m1] == MAGIC && version == schema && len + OVERHEAD == frame.len() && crc32(frame) == RESIDUE;
    ok.then_some((u16::from_le_bytes([s0, s1]), len))
}

fn newer(a: u16, b: u16) -> bool {
    (a.wrapping_sub(b) as i16) > 0
}

/// Loads the newest good record of the kind at `key`: `accept` gets each
/// checked payload, newest first, and returns true when it decoded (and
/// applied) it. Returns the slots the next save continues from.
pub fn load<H: Host + ?Sized>(
    host: &mut H,
    key: u16,
    schema: u8,
    buf: &mut [u8],
    accept: &mut dyn FnMut(&[u8]) -> bool,
) -> Slots {
    // Passes 0 and 1 find the newest good slot; passes 2 and 3 offer the
    // slots to `accept`, that one first (one read_frame call site).
    let mut newest: Option<(u16, u8)> = None;
    let mut slots = Slots::default();
    for pass in 0..4u8 {
        let slot = match pass {
            0 | 1 => pass,
            _ => newest.map_or(0, |(_, first)| first) ^ (pass & 1),
        };
        let Some((seq, len)) = read_frame(host, key, schema, slot, buf) else {
            continue;
        };
        if pass < 2 {
            if newest.is_none_or(|(n, _)| newer(seq, n)) {
                newest = Some((seq, slot));
            }
        } else if accept(buf.get(HEADER..HEADER + len).unwrap_or_default()) {
            slots.next = slot ^ 1;
            break;
        }
    }
    // The next save carries a sequence number above every good slot.
    slots.seq = newest.map_or(0, |(n, _)| n.wrapping_add(1));
    slots
}

/// Frames the `payload` bytes already encoded into [`payload_area`] of `buf`
/// (None: encoding failed) and writes them to the older slot, unless NV
/// holds that payload already (see [`Slots::holds`]). Returns false (and
/// marks the kind pending) when the frame does not fit or the host's write
/// fails; the previous good record is untouched either way.
pub fn save<H: Host + ?Sized>(
    host: &mut H,
    key: u16,
    schema: u8,
    slots: &mut Slots,
    buf: &mut [u8],
    payload: Option<usize>,
) -> bool {
    let crc = payload_crc(buf, payload);
    if crc.is_some() && crc == slots.held {
        return true;
    }
    let total = payload.and_then(|len| frame(buf, schema, slots.seq, len));
    let frame = total.and_then(|n| buf.get(..n));
    let written = frame.is_some_and(|f| host.nv_write(key.wrapping_add(slots.next as u16), f) >= 0);
    if written {
        slots.next ^= 1;
        slots.seq = slots.seq.wrapping_add(1);
        slots.held = crc;
    }
    slots.pending = !written;
    written
}

/// CRC-32 of the `len` payload bytes in [`payload_area`] of `buf`.
// Cortex-M0 only: inlined saves 32 B on thumbv6m.
#[cfg_attr(not(target_has_atomic = "32"), inline(always))]
fn payload_crc(buf: &[u8], len: Option<usize>) -> Option<u32> {
    Some(crc32(buf.get(HEADER..HEADER + len?)?))
}

/// Writes header and CRC around the `len` payload bytes already in place;
/// returns the frame length.
pub fn frame(buf: &mut [u8], schema: u8, seq: u16, len: usize) -> Option<usize> {
    let [s0, s1] = seq.to_le_bytes();
    let [l0, l1] = u16::try_from(len).ok()?.to_le_bytes();
    *buf.first_chunk_mut::<HEADER>()? = [MAGIC[0], MAGIC[1], schema, s0, s1, l0, l1];
    let end = HEADER + len;
    let crc = crc32(buf.get(..end)?);
    *buf.get_mut(end..)?.first_chunk_mut::<4>()? = crc.to_le_bytes();
    Some(end + 4)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::host::tests::Recorder;
    use serde::{Deserialize, Serialize};

    #[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
    struct Demo {
        a: u8,
        b: u32,
    }
    const KEY: u16 = 0x40;
    const SCHEMA: u8 = 1;

    fn encode(d: &Demo, buf: &mut [u8]) -> Option<usize> {
        postcard::to_slice(d, payload_area(buf)).ok().map(|p| p.len())
    }

    fn save_demo(host: &mut Recorder, d: &Demo, slots: &mut Slots, buf: &mut [u8]) -> bool {
        let len = encode(d, buf);
        save(host, KEY, SCHEMA, slots, buf, len)
    }

    fn load_demo(host: &mut Recorder, buf: &mut [u8]) -> (Demo, Slots) {
        let mut d = Demo::default();
        let slots = load(host, KEY, SCHEMA, buf, &mut |p| {
            postcard::from_bytes(p).map(|v| d = v).is_ok()
        });
        (d, slots)
    }

    /// What one read gives: None when the decoder failed.
    fn read<'a, T>(raw: &'a [u8], f: impl FnOnce(&mut Decoder<'a>) -> T) -> Option<T> {
        let mut d = Decoder::new(raw);
        let v = f(&mut d);
        d.ok().then_some(v)
    }

    proptest::proptest! {
        /// The hand-written primitives write and read what postcard does.
        #[test]
        fn primitives_are_postcard(
            v in proptest::num::u32::ANY,
            b in proptest::collection::vec(proptest::num::u8::ANY, 0..200),
            raw in proptest::collection::vec(proptest::num::u8::ANY, 0..7),
        ) {
            let mut ours = [0u8; 256];
            let mut theirs = [0u8; 256];
            let mut e = Encoder::new(&mut ours);
            e.varint(v).bytes(&b).byte(b.len() as u8);
            let n = e.finish().unwrap();
            let expect = postcard::to_slice(&(v, &b[..], b.len() as u8), &mut theirs).unwrap();
            proptest::prop_assert_eq!(&ours[..n], &*expect);
            proptest::prop_assert_eq!(
                read(&ours[..n], |d| (d.varint(), d.bytes(), d.byte())),
                Some((v, &b[..], b.len() as u8))
            );
            // Any bytes: the same varint (or the same refusal) as postcard.
            proptest::prop_assert_eq!(read(&raw, Decoder::varint), postcard::from_bytes::<u32>(&raw).ok());
            proptest::prop_assert_eq!(read(&raw, Decoder::u16), postcard::from_bytes::<u16>(&raw).ok());
            proptest::prop_assert_eq!(read(&raw, Decoder::byte), postcard::from_bytes::<u8>(&raw).ok());
            // Short of room: the encoding fails.
            let mut small = [0u8; 3];
            let mut e = Encoder::new(&mut small);
            e.bytes(&b);
            proptest::prop_assert_eq!(e.finish().is_some(), b.len() <= 2);
        }
    }

    #[test]
    fn varint_edges_are_postcard() {
        for raw in [
            &[0x8F, 0xFF, 0xFF, 0xFF, 0x0F][..],
            &[0x8F, 0xFF, 0xFF, 0xFF, 0x10],
            &[0x80, 0x80, 0x80, 0x80, 0x80, 0x00],
            &[0x80, 0x00],
            &[0x80],
            &[],
        ] {
            assert_eq!(
                read(raw, Decoder::varint),
                postcard::from_bytes::<u32>(raw).ok(),
                "{raw:02X?}"
            );
        }
    }

    #[test]
    fn crc_check_value() {
        // The CRC-32/ISO-HDLC check value.
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
    }

    #[test]
    fn frame_bytes() {
        let mut buf = [0u8; 32];
        let len = encode(&Demo { a: 7, b: 300 }, &mut buf).unwrap();
        let n = frame(&mut buf, SCHEMA, 0x0102, len).unwrap();
        // postcard: 07, varint(300) = AC 02
        assert_eq!(&buf[..HEADER + 3], b"LW\x01\x02\x01\x03\x00\x07\xAC\x02");
        assert_eq!(n, HEADER + 3 + 4);
        assert_eq!(buf[n - 4..n], crc32(&buf[..n - 4]).to_le_bytes());
        assert_eq!(frame(&mut buf[..n - 1], SCHEMA, 0, len), None, "no room for the CRC");
    }

    #[test]
    fn alternates_and_wraps() {
        let mut host = Recorder::default();
        let mut buf = [0u8; 32];
        let (d, mut slots) = load_demo(&mut host, &mut buf);
        assert_eq!(d, Demo::default());
        slots.seq = u16::MAX; // crossing the wrap must still pick the newest
        for v in 1..=3u8 {
            assert!(save_demo(&mut host, &Demo { a: v, b: 0 }, &mut slots, &mut buf));
        }
        assert_eq!(host.nv.len(), 2);
        let (d, s) = load_demo(&mut host, &mut buf);
        assert_eq!(d.a, 3);
        assert_eq!(s.next_slot(), 1);
    }

    #[test]
    fn the_payload_nv_holds_is_not_written_again() {
        let mut host = Recorder::default();
        let mut buf = [0u8; 32];
        let (_, mut slots) = load_demo(&mut host, &mut buf);
        let same = Demo { a: 1, b: 1 };
        assert!(save_demo(&mut host, &same, &mut slots, &mut buf));
        assert!(save_demo(&mut host, &same, &mut slots, &mut buf));
        assert_eq!(host.nv.len(), 1, "the second save wrote nothing");
        // What `holds` records (the loaded state) is not written either.
        let (_, mut slots) = load_demo(&mut host, &mut buf);
        let len = encode(&Demo { a: 2, b: 2 }, &mut buf);
        slots.holds(&buf, len);
        assert!(save(&mut host, KEY, SCHEMA, &mut slots, &mut buf, len));
        assert_eq!(host.nv.len(), 1);
        assert!(save_demo(&mut host, &same, &mut slots, &mut buf));
        assert_eq!(host.nv.len(), 2);
    }

    #[test]
    fn too_small_buffer_keeps_previous() {
        let mut host = Recorder::default();
        let mut buf = [0u8; 32];
        let (_, mut slots) = load_demo(&mut host, &mut buf);
        assert!(save_demo(&mut host, &Demo { a: 1, b: 1 }, &mut slots, &mut buf));
        assert!(!save_demo(&mut host, &Demo { a: 2, b: 2 }, &mut slots, &mut buf[..12]));
        assert!(slots.pending());
        assert_eq!(load_demo(&mut host, &mut buf).0.a, 1);
    }

    #[test]
    fn the_newest_sequence_wins_in_either_slot() {
        // (seq in slot 0, seq in slot 1) -> slot loaded, next slot, next seq
        for (seqs, loaded, next, seq) in [
            ([5, 5], 0, 1, 6),
            ([5, 6], 1, 0, 7),
            ([7, 6], 0, 1, 8),
            ([u16::MAX, 0], 1, 0, 1),
            ([0, u16::MAX], 0, 1, 1),
        ] {
            let mut host = Recorder::default();
            let mut buf = [0u8; 32];
            for slot in 0..2u8 {
                let len = encode(&Demo { a: slot, b: 9 }, &mut buf).unwrap();
                let n = frame(&mut buf, SCHEMA, seqs[slot as usize], len).unwrap();
                host.nv.insert(KEY + slot as u16, buf[..n].to_vec());
            }
            let (d, s) = load_demo(&mut host, &mut buf);
            assert_eq!((d.a, s.next_slot(), s.seq), (loaded, next, seq), "{seqs:?}");
        }
    }

    #[test]
    fn undecodable_newest_payload_falls_back() {
        let mut host = Recorder::default();
        let mut buf = [0u8; 32];
        let (_, mut slots) = load_demo(&mut host, &mut buf);
        assert!(save_demo(&mut host, &Demo { a: 1, b: 1 }, &mut slots, &mut buf));
        // A good frame whose payload postcard cannot decode (varint runs off the end).
        buf[HEADER] = 2;
        buf[HEADER + 1] = 0xFF;
        assert!(save(&mut host, KEY, SCHEMA, &mut slots, &mut buf, Some(2)));
        let (d, s) = load_demo(&mut host, &mut buf);
        assert_eq!(d.a, 1);
        assert_eq!(s.next_slot(), 1, "the next save overwrites the undecodable slot");
    }
}
