//! Byte-slice scans written as plain loops where core's versions are large,
//! and the one way string fields are replaced.

use heapless::VecView;

/// `t.contains(&b)`: `<[u8]>::contains` links core's word-at-a-time memchr
/// (~160 bytes of flash) for what are always short scans here (one AT
/// field, a host name).
#[allow(clippy::manual_contains)] // the lint suggests exactly the call this avoids
pub fn has_byte(t: &[u8], b: u8) -> bool {
    t.iter().any(|&x| x == b)
}

/// `list.contains(&x)` for ids: `<[u16]>::contains` is a 96-byte unrolled
/// scan in core, for lists of a few ids here (one object's resources, the
/// objects seen so far).
#[allow(clippy::manual_contains)] // the lint suggests exactly the call this avoids
pub fn has_u16(list: &[u16], x: u16) -> bool {
    list.iter().any(|&y| y == x)
}

/// Replaces the bytes of a string field with `bytes`, which every caller
/// checked against the capacity first (so this cannot fail, and would
/// store nothing if it could). Through the vector's view: one copy of the
/// code for every capacity and every dialect.
#[inline(never)]
pub fn refill(v: &mut VecView<u8>, bytes: &[u8]) {
    v.clear();
    let _ = v.extend_from_slice(bytes);
}
