//! When a registered client sends its automatic Update, per profile.
//!
//! The three manuals disagree, so each profile names its rule as data.

use crate::arith::div5;

/// seed 001 §4.5: [`UpdatePolicy::BeforeExpiry`] updates this long before
/// expiry...
pub const BEFORE_EXPIRY_MARGIN_S: u32 = 30;
/// ...for lifetimes of at least this many seconds.
pub const BEFORE_EXPIRY_MIN_LIFETIME_S: u32 = 60;

/// A profile's automatic-update rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UpdatePolicy {
    /// seed 001 §4.5 (`AT+MIPLUPDATESET`): [`BEFORE_EXPIRY_MARGIN_S`]
    /// before expiry, only when the lifetime is at least
    /// [`BEFORE_EXPIRY_MIN_LIFETIME_S`]. (Fixed values, not fields: the
    /// manual has no other, and `Option<UpdatePolicy>` is then 1 byte.)
    BeforeExpiry,
    /// seed 003 §3.3.7: the effective lifetime is `lifetime × 9/10`; update then.
    NineTenths,
    /// seed 004 §3.1: the piecewise "actual update interval" of the QLA manual.
    QlaInterval,
    /// seed 003 §3.3.1 `<auto_update>` 0: no automatic Update, but at nine
    /// tenths of the lifetime the MCU is told one is needed
    /// ([`crate::lwm2m::Event::UpdateNeeded`], EVENT_UPDATE_NEED).
    AnnounceAtNineTenths,
}

impl UpdatePolicy {
    /// True when the rule only tells the MCU instead of sending the Update.
    pub fn only_announces(self) -> bool {
        self == UpdatePolicy::AnnounceAtNineTenths
    }

    /// Seconds after a successful Register/Update at which the automatic
    /// Update is due, or `None` when the rule does not apply to `lifetime_s`.
    pub fn update_after_s(self, lifetime_s: u32) -> Option<u32> {
        match self {
            UpdatePolicy::BeforeExpiry => {
                (lifetime_s >= BEFORE_EXPIRY_MIN_LIFETIME_S).then(|| lifetime_s - BEFORE_EXPIRY_MARGIN_S)
            }
            UpdatePolicy::NineTenths | UpdatePolicy::AnnounceAtNineTenths => {
                Some(all_but_one_nth(lifetime_s, Nth::N10))
            }
            UpdatePolicy::QlaInterval => Some(qla_update_interval_s(lifetime_s)),
        }
    }
}

/// seed 004 §3.1 `<lifetime>`: the "actual update interval" in seconds.
/// Each piece of the manual's formula, `base + (l − from) × (n − 1) / n`,
/// as a row `(from, base, n)`; the last row whose `from` is below the
/// lifetime applies.
pub fn qla_update_interval_s(lifetime_s: u32) -> u32 {
    // (static and iterated by reference: a const array by value is first
    // copied to the stack; bounds in units of 5 s, one byte each)
    static PIECES: [(u8, u8, Nth); 5] = [
        (0, 0, Nth::N2),
        (6, 3, Nth::N4),
        (10, 6, Nth::N5),
        (20, 14, Nth::N10),
        (60, 50, Nth::N20),
    ];
    let mut interval = 0;
    for &(from, base, n) in PIECES.iter() {
        let (from, base) = (u32::from(from) * 5, u32::from(base) * 5);
        if lifetime_s > from || from == 0 {
            interval = base + all_but_one_nth(lifetime_s - from, n);
        }
    }
    interval
}

/// The divisors the update rules use, each `2^k` or `5 × 2^k` (the value
/// holds `k`, and bit 7 for the factor 5): dividing by them takes shifts
/// and one multiply, never a divide (Cortex-M0 has none and would link
/// ~400 bytes of compiler-builtins for it; see [`crate::arith`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
enum Nth {
    N2 = 1,
    N4 = 2,
    N5 = 0x80,
    N10 = 0x81,
    N20 = 0x82,
}

/// `floor(x × (n − 1) / n)` without overflow: `x − ceil(x / n)`.
fn all_but_one_nth(x: u32, n: Nth) -> u32 {
    let (shift, times5) = (n as u8 & 0x7f, n as u8 & 0x80 != 0);
    let mut quotient = x >> shift;
    if times5 {
        quotient = div5(quotient);
    }
    let whole = (if times5 { quotient * 5 } else { quotient }) << shift;
    x - quotient - u32::from(whole != x)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qla_formula_at_each_boundary() {
        // Values worked by hand from seed 004 §3.1.
        assert_eq!(qla_update_interval_s(20), 10);
        assert_eq!(qla_update_interval_s(30), 15);
        assert_eq!(qla_update_interval_s(31), 15);
        assert_eq!(qla_update_interval_s(50), 30);
        assert_eq!(qla_update_interval_s(100), 70);
        assert_eq!(qla_update_interval_s(300), 250);
        assert_eq!(qla_update_interval_s(1000), 915);
        assert_eq!(qla_update_interval_s(31_536_000), 29_959_165);
    }

    #[test]
    fn nths_agree_with_division() {
        let mut x = 1u32;
        let mut xs = std::vec![0, 1, 2, 19, 20, 21, u32::MAX - 1, u32::MAX];
        for _ in 0..100_000 {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            xs.push(x);
            xs.push(x >> (x % 32));
        }
        for (n, d) in [(Nth::N2, 2), (Nth::N4, 4), (Nth::N5, 5), (Nth::N10, 10), (Nth::N20, 20)] {
            for &x in &xs {
                assert_eq!(all_but_one_nth(x, n), x - x.div_ceil(d), "{x} {d}");
            }
        }
    }

    #[test]
    fn onemo_updates_30s_before_expiry_from_60s() {
        let p = UpdatePolicy::BeforeExpiry;
        assert_eq!(p.update_after_s(59), None);
        assert_eq!(p.update_after_s(60), Some(30));
        assert_eq!(p.update_after_s(3000), Some(2970));
    }

    #[test]
    fn bc260y_updates_at_nine_tenths() {
        assert_eq!(UpdatePolicy::NineTenths.update_after_s(86400), Some(77760));
        assert_eq!(UpdatePolicy::NineTenths.update_after_s(268_435_455), Some(241_591_909));
    }
}
