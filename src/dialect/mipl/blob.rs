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
const FLAG_BOOTSTRAP: u8 = 0x80;
const FLAG_DTLS: u8 = 0x40;

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

/// A big-endian reader over the blob. A few lines instead of nom: for a
/// format this flat the combinators cost more flash than they save
/// (DESIGN.md allows the loop where it is smaller and clearer).
/// `u8` and `u16` are inlined (smaller than the calls); `field` is not.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let (head, rest) = self.0.split_at_checked(n)?;
        self.0 = rest;
        Some(head)
    }

    #[inline(always)]
    fn u8(&mut self) -> Option<u8> {
        let (&b, rest) = self.0.split_first()?;
        self.0 = rest;
        Some(b)
    }

    #[inline(always)]
    fn u16(&mut self) -> Option<u16> {
        Some(u16::from(self.u8()?) << 8 | u16::from(self.u8()?))
    }

    /// A u16 length and that many bytes.
    fn field(&mut self) -> Option<&'a [u8]> {
        let len = self.u16()?;
        self.take(usize::from(len))
    }
}

/// apn, username, password, host, user data; `None` unless they fill
/// `body` exactly.
fn net_strings(body: &[u8]) -> Option<[&[u8]; 5]> {
    let mut r = Reader(body);
    let strings = [r.field()?, r.field()?, r.field()?, r.field()?, r.field()?];
    r.0.is_empty().then_some(strings)
}

/// The net body: the layout with the flags byte if the strings then fill
/// it exactly, else the older one.
fn net(body: &[u8]) -> Option<Net<'_>> {
    let (&[mtu_hi, mtu_lo, link_band], rest) = body.split_first_chunk()?;
    // the layout with the flags byte first, then the older one (one
    // call site: net_strings is inlined once)
    let layouts = [true, false].into_iter().find_map(|has_flags| {
        let (flags, tail) = if has_flags {
            let (&flags, tail) = rest.split_first()?;
            (flags, tail)
        } else {
            (0, rest)
        };
        Some((has_flags, flags, net_strings(tail)?))
    });
    let (has_flags, flags, [apn, username, password, host, user_data]) = layouts?;
    Some(Net {
        mtu: u16::from_be_bytes([mtu_hi, mtu_lo]),
        link: link_band >> 4,
        band: link_band & 0x0F,
        has_flags,
        bootstrap: flags & FLAG_BOOTSTRAP != 0,
        dtls: flags & FLAG_DTLS != 0,
        apn,
        username,
        password,
        host,
        user_data,
    })
}

fn sys(body: &[u8]) -> Result<Sys<'_>, BlobError> {
    let mut r = Reader(body);
    let mut read = || {
        let log_bits = r.u8()?;
        let log_buffer = r.u16()?;
        let _reserved = r.u8()?;
        Some(Sys {
            log_bits,
            log_buffer,
            user_data: r.field()?,
        })
    };
    let s = read().ok_or(BlobError::Truncated)?;
    if r.0.is_empty() {
        Ok(s)
    } else {
        Err(BlobError::Size)
    }
}

/// One item: its id (low nibble) and body.
fn item<'a>(r: &mut Reader<'a>) -> Result<(u8, &'a [u8]), BlobError> {
    let id = r.u8().ok_or(BlobError::Truncated)?;
    let size = r.u16().ok_or(BlobError::Truncated)?;
    let body_len = usize::from(size).checked_sub(ITEM_HEADER).ok_or(BlobError::Size)?;
    let body = r.take(body_len).ok_or(BlobError::Truncated)?;
    Ok((id & 0x0F, body))
}

/// Parses a whole blob.
pub fn parse(blob: &[u8]) -> Result<Config<'_>, BlobError> {
    let mut r = Reader(blob);
    let head = r.u8().ok_or(BlobError::Truncated)?;
    let total = r.u16().ok_or(BlobError::Truncated)?;
    if usize::from(total) != blob.len() {
        return Err(BlobError::Size);
    }
    let version = head >> 4;
    if version != VERSION {
        return Err(BlobError::Version);
    }
    let (mut init, mut net, mut sys_item) = (None, None, None);
    for _ in 0..head & 0x0F {
        let (id, body) = item(&mut r)?;
        match id {
            INIT if init.is_none() => init = Some(body),
            NET if net.is_none() => {
                net = Some(self::net(body).ok_or(BlobError::Layout)?);
            }
            SYS if sys_item.is_none() => sys_item = Some(sys(body)?),
            _ => return Err(BlobError::Item),
        }
    }
    if !r.0.is_empty() {
        return Err(BlobError::Size);
    }
    Ok(Config {
        version,
        init,
        net: net.ok_or(BlobError::NoNet)?,
        sys: sys_item,
    })
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
}
