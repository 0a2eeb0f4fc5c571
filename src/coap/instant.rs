//! A point in time (milliseconds of the caller's clock) stored with 4-byte
//! alignment. A `u64` field would make every struct that holds one 8-byte
//! aligned, and building or copying those links compiler-builtins'
//! `__aeabi_memclr8`/`__aeabi_memcpy8` beside the 4-byte versions every
//! image has anyway (~330 B on Cortex-M). The arithmetic stays `u64`.

/// Milliseconds, `u64` at 4-byte alignment. [`Instant::NEVER`] is the
/// far end of time: a deadline that is never due.
#[repr(C, packed(4))]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Instant(u64);

impl Instant {
    /// A deadline that is never due (no `now_ms` before it reaches it).
    pub const NEVER: Instant = Instant(u64::MAX);

    /// The instant `now_ms`.
    pub const fn at(now_ms: u64) -> Instant {
        Instant(now_ms)
    }

    /// `now_ms + ms`, saturating at [`Instant::NEVER`].
    #[inline(always)]
    pub fn after(now_ms: u64, ms: u64) -> Instant {
        Instant(saturating_sum(now_ms, ms))
    }

    /// The milliseconds.
    pub const fn ms(self) -> u64 {
        self.0
    }

    /// True once `now_ms` reached it.
    pub const fn is_due(self, now_ms: u64) -> bool {
        now_ms >= self.0
    }

    /// Milliseconds from `now_ms` until then (0 when due).
    pub fn left(self, now_ms: u64) -> u64 {
        saturating_difference(self.0, now_ms)
    }
}

/// `a + b`, saturating. (Not inlined: many callers, and a saturating u64
/// add is long on Cortex-M; a u64 comes back in registers where an
/// [`Instant`] would be returned through memory.)
#[inline(never)]
fn saturating_sum(a: u64, b: u64) -> u64 {
    a.saturating_add(b)
}

/// `a - b`, saturating at 0. (Not inlined, like [`saturating_sum`].)
#[inline(never)]
fn saturating_difference(a: u64, b: u64) -> u64 {
    a.saturating_sub(b)
}
