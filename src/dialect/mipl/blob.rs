//! The CIS config blob of `AT+MIPLCREATE=<totalsize>,<config>,..` (DESIGN.md),
//! big-endian:
//!
//! ```text
//! header   version<<4 | item count, u16 total size
//! item     id byte (low nibble: 1 init, 2 net, 3 sys), u16 size incl. these 3 bytes
//! net      u16 mtu, link<<4 | band, [flags: bit7 bootstrap, bit6 dtls],
//!          apn, username, password, host "ip:port", user data (u16 length + bytes each)
//! sys      log bits, u16 log buffer size, reserved byte, u16 length + user data
//! ```
//!
//! Older SDKs write the net item without the flags byte; the two layouts are
//! told apart by which one makes the strings fill the item exactly.
//! Parsed into a [`Config`] that borrows the blob.

/// The only version the CIS SDK writes (`0x1_` in the first byte).
pub const VERSION: u8 = 1;
const ITEM_HEADER: usize = 3;
const INIT: u8 = 1;
const NET: u8 = 2;
const SYS: u8 = 3;
/// Net flags bit 7: bootstrap.
pub const FLAG_BOOTSTRAP: u8 = 0x80;
/// Net flags bit 6: DTLS.
pub const FLAG_DTLS: u8 = 0x40;

/// Why a blob was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BlobError {
    /// The data ends inside a field or item.
    Truncated,
    /// The header's total size, or the item sizes, do not match the data.
    Size,
    /// A version other than [`VERSION`].
    Version,
    /// An unknown item id, or one item twice.
    Item,
    /// No net item (it holds the server address).
    NoNet,
    /// The net item fits neither layout.
    Layout,
}

/// The net item.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Net<'a> {
    /// MTU.
    pub mtu: u16,
    /// Link type (high nibble).
    pub link: u8,
    /// Band type (low nibble).
    pub band: u8,
    /// False for the older layout without the flags byte.
    pub has_flags: bool,
    /// Flags bit 7.
    pub bootstrap: bool,
    /// Flags bit 6.
    pub dtls: bool,
    /// APN.
    pub apn: &'a [u8],
    /// User name.
    pub username: &'a [u8],
    /// Password.
    pub password: &'a [u8],
    /// Server `"ip:port"`.
    pub host: &'a [u8],
    /// User data.
    pub user_data: &'a [u8],
}

/// The sys item.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sys<'a> {
    /// Log switches.
    pub log_bits: u8,
    /// Log buffer size.
    pub log_buffer: u16,
    /// User data.
    pub user_data: &'a [u8],
}

/// A parsed blob.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Config<'a> {
    /// Header version.
    pub version: u8,
    /// The init item's body (usually empty).
    pub init: Option<&'a [u8]>,
    /// The net item.
    pub net: Net<'a>,
    /// The sys item.
    pub sys: Option<Sys<'a>>,
}

/// The net and sys bodies share one shape: `fixed` bytes, then strings
/// (u16 length + bytes each). `body` after the fixed bytes and `count`
/// strings; `None` when it ends early. One loop serves both items and both
/// net layouts, for checking and for finding a string. A few lines instead
/// of nom: for a format this flat the combinators cost more flash than they
/// save (DESIGN.md allows the loop where it is smaller and clearer).
fn skip(body: &[u8], fixed: usize, count: usize) -> Option<&[u8]> {
    let mut rest = body.get(fixed..)?;
    for _ in 0..count {
        let (&len, tail) = rest.split_first_chunk::<2>()?;
        rest = tail.get(usize::from(u16::from_be_bytes(len))..)?;
    }
    Some(rest)
}

/// True when `fixed` bytes and `count` strings fill `body` exactly.
fn fills(body: &[u8], fixed: usize, count: usize) -> bool {
    skip(body, fixed, count).is_some_and(<[u8]>::is_empty)
}

/// String `k` of a body whose layout [`fills`] confirmed.
fn string(body: &[u8], fixed: usize, k: usize) -> &[u8] {
    skip(body, fixed, k)
        .and_then(|rest| {
            let (&len, tail) = rest.split_first_chunk::<2>()?;
            tail.get(..usize::from(u16::from_be_bytes(len)))
        })
        .unwrap_or_default()
}

/// Byte `i` of a body long enough for it.
fn byte(body: &[u8], i: usize) -> u8 {
    body.get(i).copied().unwrap_or(0)
}

/// How many fixed bytes the net body has: 4 (with the flags byte) if the
/// strings then fill it exactly, else 3 (the older layout) if they do so.
fn net_layout(body: &[u8]) -> Result<usize, BlobError> {
    if fills(body, 4, 5) {
        Ok(4)
    } else if fills(body, 3, 5) {
        Ok(3)
    } else {
        Err(BlobError::Layout)
    }
}

/// The net flags byte of a body in layout `fixed` (0 in the older one).
fn net_flags(body: &[u8], fixed: usize) -> u8 {
    if fixed == 4 {
        byte(body, 3)
    } else {
        0
    }
}

/// Checks the sys body: log bits, u16 log buffer size, a reserved byte,
/// user data.
fn sys_layout(body: &[u8]) -> Result<(), BlobError> {
    match skip(body, 4, 1) {
        None => Err(BlobError::Truncated),
        Some([]) => Ok(()),
        Some(_) => Err(BlobError::Size),
    }
}

/// Walks the header and the items: the version, the sizes, each item id
/// once, each body's layout. `item` gets each item's id (low nibble), body
/// and fixed-byte count (the net layout; 4 for sys) in order. The one
/// validator of the blob, for [`parse`] and [`server`].
fn walk<'a>(blob: &'a [u8], mut item: impl FnMut(u8, &'a [u8], usize)) -> Result<(), BlobError> {
    let (&[head, t0, t1], mut rest) = blob.split_first_chunk().ok_or(BlobError::Truncated)?;
    if usize::from(u16::from_be_bytes([t0, t1])) != blob.len() {
        return Err(BlobError::Size);
    }
    if head >> 4 != VERSION {
        return Err(BlobError::Version);
    }
    let mut seen = 0u8;
    for _ in 0..head & 0x0F {
        let (&[id, s0, s1], tail) = rest.split_first_chunk().ok_or(BlobError::Truncated)?;
        let body_len = usize::from(u16::from_be_bytes([s0, s1]))
            .checked_sub(ITEM_HEADER)
            .ok_or(BlobError::Size)?;
        let (body, tail) = tail.split_at_checked(body_len).ok_or(BlobError::Truncated)?;
        rest = tail;
        // ids 1..3, each once
        let id = id & 0x0F;
        let bit = 1u8 << (id & 3);
        if !(INIT..=SYS).contains(&id) || seen & bit != 0 {
            return Err(BlobError::Item);
        }
        seen |= bit;
        let fixed = match id {
            NET => net_layout(body)?,
            SYS => sys_layout(body).map(|()| 4)?,
            _ => 0,
        };
        item(id, body, fixed);
    }
    if !rest.is_empty() {
        return Err(BlobError::Size);
    }
    Ok(())
}

/// Parses a whole blob.
pub fn parse(blob: &[u8]) -> Result<Config<'_>, BlobError> {
    let (mut init, mut net, mut sys) = (None, None, None);
    walk(blob, |id, body, fixed| match id {
        INIT => init = Some(body),
        NET => {
            let flags = net_flags(body, fixed);
            let link_band = byte(body, 2);
            net = Some(Net {
                mtu: u16::from_be_bytes([byte(body, 0), byte(body, 1)]),
                link: link_band >> 4,
                band: link_band & 0x0F,
                has_flags: fixed == 4,
                bootstrap: flags & FLAG_BOOTSTRAP != 0,
                dtls: flags & FLAG_DTLS != 0,
                apn: string(body, fixed, 0),
                username: string(body, fixed, 1),
                password: string(body, fixed, 2),
                host: string(body, fixed, 3),
                user_data: string(body, fixed, 4),
            });
        }
        _ => {
            sys = Some(Sys {
                log_bits: byte(body, 0),
                log_buffer: u16::from_be_bytes([byte(body, 1), byte(body, 2)]),
                user_data: string(body, fixed, 0),
            })
        }
    })?;
    Ok(Config {
        version: VERSION,
        init,
        net: net.ok_or(BlobError::NoNet)?,
        sys,
    })
}

/// What AT+MIPLCREATE needs of a blob: the server `"ip:port"` and the net
/// flags ([`FLAG_BOOTSTRAP`], [`FLAG_DTLS`]); `None` when [`parse`] would
/// refuse it. The same walk, without building a [`Config`].
pub fn server(blob: &[u8]) -> Option<(&[u8], u8)> {
    let mut found = None;
    walk(blob, |id, body, fixed| {
        if id == NET {
            found = Some((string(body, fixed, 3), net_flags(body, fixed)));
        }
    })
    .ok()?;
    found
}

impl Config<'_> {
    fn net_len(&self) -> usize {
        let n = &self.net;
        ITEM_HEADER
            + 3
            + n.has_flags as usize
            + 10
            + n.apn.len()
            + n.username.len()
            + n.password.len()
            + n.host.len()
            + n.user_data.len()
    }

    fn sys_len(&self) -> usize {
        self.sys.map_or(0, |s| ITEM_HEADER + 6 + s.user_data.len())
    }

    fn init_len(&self) -> usize {
        self.init.map_or(0, |b| ITEM_HEADER + b.len())
    }

    /// The blob's size in bytes.
    pub fn buffer_len(&self) -> usize {
        3 + self.init_len() + self.net_len() + self.sys_len()
    }

    /// Writes the blob into `out` (items in the order init, net, sys);
    /// returns its length, or `None` when `out` is short or a size
    /// exceeds a u16.
    pub fn emit(&self, out: &mut [u8]) -> Option<usize> {
        let len = self.buffer_len();
        let mut w = Emitter {
            out: out.get_mut(..len)?,
            at: 0,
        };
        let count = 1 + self.init.is_some() as u8 + self.sys.is_some() as u8;
        w.u8(self.version << 4 | count)?.u16(len)?;
        if let Some(body) = self.init {
            w.u8(0xF0 | INIT)?.u16(self.init_len())?.bytes(body)?;
        }
        let n = &self.net;
        w.u8(0xF0 | NET)?
            .u16(self.net_len())?
            .u16(n.mtu as usize)?
            .u8(n.link << 4 | n.band & 0x0F)?;
        if n.has_flags {
            let flags = if n.bootstrap { FLAG_BOOTSTRAP } else { 0 } | if n.dtls { FLAG_DTLS } else { 0 };
            w.u8(flags)?;
        }
        for s in [n.apn, n.username, n.password, n.host, n.user_data] {
            w.u16(s.len())?.bytes(s)?;
        }
        if let Some(s) = self.sys {
            w.u8(0xF0 | SYS)?
                .u16(self.sys_len())?
                .u8(s.log_bits)?
                .u16(s.log_buffer as usize)?
                .u8(0)?;
            w.u16(s.user_data.len())?.bytes(s.user_data)?;
        }
        Some(len)
    }
}

struct Emitter<'o> {
    out: &'o mut [u8],
    at: usize,
}

impl Emitter<'_> {
    fn bytes(&mut self, b: &[u8]) -> Option<&mut Self> {
        self.out.get_mut(self.at..self.at + b.len())?.copy_from_slice(b);
        self.at += b.len();
        Some(self)
    }

    fn u8(&mut self, v: u8) -> Option<&mut Self> {
        self.bytes(&[v])
    }

    fn u16(&mut self, v: usize) -> Option<&mut Self> {
        self.bytes(&u16::try_from(v).ok()?.to_be_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Version 1, three items; net with flags (bootstrap), host
    /// "183.230.40.39:5683", user data "1"; sys with log 0xC0, buffer 128.
    static BLOB: [u8; 53] = [
        0x13, 0x00, 0x35, // version 1, 3 items, 53 bytes
        0xF1, 0x00, 0x03, // init, empty
        0xF2, 0x00, 0x24, // net, 36 bytes
        0x04, 0x00, // mtu 1024
        0x11, // link 1, band 1
        0x80, // bootstrap
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // apn, username, password
        0x00, 0x12, b'1', b'8', b'3', b'.', b'2', b'3', b'0', b'.', b'4', b'0', b'.', b'3', b'9', b':', b'5', b'6',
        b'8', b'3', 0x00, 0x01, b'1', // user data
        0xF3, 0x00, 0x0B, // sys, 11 bytes
        0xC0, 0x00, 0x80, 0x00, // log bits, buffer 128, reserved
        0x00, 0x02, 0xAB, 0xCD, // user data
    ];

    /// The same net item in the older layout (no flags byte), no sys item.
    static OLD_BLOB: [u8; 41] = [
        0x12, 0x00, 0x29, // version 1, 2 items, 41 bytes
        0xF1, 0x00, 0x03, // init
        0xF2, 0x00, 0x23, // net, 35 bytes
        0x04, 0x00, 0x11, // mtu, link/band
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // apn, username, password
        0x00, 0x12, b'1', b'8', b'3', b'.', b'2', b'3', b'0', b'.', b'4', b'0', b'.', b'4', b'0', b':', b'5', b'6',
        b'8', b'3', 0x00, 0x01, b'1',
    ];

    fn repr() -> Config<'static> {
        Config {
            version: 1,
            init: Some(&[]),
            net: Net {
                mtu: 1024,
                link: 1,
                band: 1,
                has_flags: true,
                bootstrap: true,
                dtls: false,
                apn: b"",
                username: b"",
                password: b"",
                host: b"183.230.40.39:5683",
                user_data: b"1",
            },
            sys: Some(Sys {
                log_bits: 0xC0,
                log_buffer: 128,
                user_data: &[0xAB, 0xCD],
            }),
        }
    }

    #[test]
    fn parse() {
        assert_eq!(super::parse(&BLOB), Ok(repr()));
    }

    #[test]
    fn emit() {
        let mut out = [0u8; 64];
        assert_eq!(repr().buffer_len(), BLOB.len());
        assert_eq!(repr().emit(&mut out), Some(BLOB.len()));
        assert_eq!(out[..BLOB.len()], BLOB[..]);
        assert_eq!(repr().emit(&mut out[..10]), None);
    }

    #[test]
    fn parse_old_layout() {
        let c = super::parse(&OLD_BLOB).unwrap();
        assert!(!c.net.has_flags);
        assert!(!c.net.bootstrap);
        assert_eq!(c.net.host, b"183.230.40.40:5683");
        assert_eq!(c.net.user_data, b"1");
        assert_eq!(c.sys, None);
        let mut out = [0u8; 64];
        assert_eq!(c.emit(&mut out), Some(OLD_BLOB.len()));
        assert_eq!(out[..OLD_BLOB.len()], OLD_BLOB[..]);
    }

    #[test]
    fn size_mismatch() {
        let mut b = BLOB;
        b[2] = 0x34; // header says 52
        assert_eq!(super::parse(&b), Err(BlobError::Size));
        let mut longer = [0u8; 54];
        longer[..53].copy_from_slice(&BLOB);
        longer[2] = 54; // a stray byte after the last item
        assert_eq!(super::parse(&longer), Err(BlobError::Size));
        let mut b = BLOB;
        b[5] = 0x02; // item size below its own header
        assert_eq!(super::parse(&b), Err(BlobError::Size));
    }

    #[test]
    fn truncated() {
        for cut in [0, 2, 4, 20, 52] {
            let mut b = [0u8; 53];
            b[..cut].copy_from_slice(&BLOB[..cut]);
            let b = &mut b[..cut];
            if cut >= 3 {
                b[2] = cut as u8; // header agrees with the cut length
            }
            let e = super::parse(b).unwrap_err();
            assert!(
                matches!(e, BlobError::Truncated | BlobError::Layout),
                "cut {cut}: {e:?}"
            );
        }
        // a net string that runs past its item
        let mut b = BLOB;
        b[20] = 0x13;
        assert_eq!(super::parse(&b), Err(BlobError::Layout));
    }

    #[test]
    fn bad_items() {
        let mut b = BLOB;
        b[0] = 0x23;
        assert_eq!(super::parse(&b), Err(BlobError::Version));
        let mut b = BLOB;
        b[3] = 0xF2; // init becomes a second net... of 0 bytes: no layout fits
        assert_eq!(super::parse(&b), Err(BlobError::Layout));
        let mut b = BLOB;
        b[3] = 0xF4;
        assert_eq!(super::parse(&b), Err(BlobError::Item));
        let mut b = BLOB;
        b[3] = 0xF3; // sys twice: the first one (empty body) is truncated
        assert_eq!(super::parse(&b), Err(BlobError::Truncated));
        // only an init item
        assert_eq!(
            super::parse(&[0x11, 0x00, 0x06, 0xF1, 0x00, 0x03]),
            Err(BlobError::NoNet)
        );
        // two init items
        let two = [0x12, 0x00, 0x09, 0xF1, 0x00, 0x03, 0xF1, 0x00, 0x03];
        assert_eq!(super::parse(&two), Err(BlobError::Item));
    }

    /// `server` is `parse` without the `Config`: it accepts exactly the
    /// blobs `parse` accepts, with the same host and flags.
    #[test]
    fn server_agrees_with_parse() {
        let mut cases: std::vec::Vec<std::vec::Vec<u8>> = std::vec::Vec::new();
        for blob in [&BLOB[..], &OLD_BLOB[..]] {
            for at in 0..blob.len() {
                for v in [0x00, 0x01, 0x02, 0x03, 0x10, 0x13, 0x40, 0x80, 0xF1, 0xF2, 0xF3, 0xFF] {
                    let mut b = blob.to_vec();
                    b[at] = v;
                    cases.push(b);
                }
                cases.push(blob[..at].to_vec());
            }
        }
        let mut accepted = 0;
        for b in &cases {
            match (super::parse(b), server(b)) {
                (Ok(c), Some((host, flags))) => {
                    accepted += 1;
                    assert_eq!(c.net.host, host);
                    assert_eq!(c.net.bootstrap, flags & FLAG_BOOTSTRAP != 0);
                    assert_eq!(c.net.dtls, flags & FLAG_DTLS != 0);
                }
                (Err(_), None) => {}
                (p, s) => panic!("{b:02X?}: parse {p:?}, server {s:?}"),
            }
        }
        assert!(accepted > 100, "{accepted}");
    }
}
