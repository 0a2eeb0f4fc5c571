//! When a registered client sends its automatic Update, per profile.
//!
//! The three manuals disagree, so each profile names its rule as data.

/// A profile's automatic-update rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UpdatePolicy {
    /// seed 001 §4.5 (`AT+MIPLUPDATESET`): `margin_s` before expiry, only
    /// when the lifetime is at least `min_lifetime_s`.
    BeforeExpiry {
        /// Seconds before expiry (30).
        margin_s: u32,
        /// Smallest lifetime the rule applies to (60).
        min_lifetime_s: u32,
    },
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
            UpdatePolicy::BeforeExpiry {
                margin_s,
                min_lifetime_s,
            } => (lifetime_s >= min_lifetime_s).then(|| lifetime_s.saturating_sub(margin_s)),
            UpdatePolicy::NineTenths | UpdatePolicy::AnnounceAtNineTenths => Some(all_but_one_nth(lifetime_s, 10)),
            UpdatePolicy::QlaInterval => Some(qla_update_interval_s(lifetime_s)),
        }
    }
}

/// seed 004 §3.1 `<lifetime>`: the "actual update interval" in seconds.
/// Each piece of the manual's formula, `base + (l − from) × (n − 1) / n`,
/// as a row `(from, base, n)`; the last row whose `from` is below the
/// lifetime applies. (u32 arithmetic: u64 division would link
/// compiler-builtins' ~0.9 KiB u64_div_rem on Cortex-M.)
pub fn qla_update_interval_s(lifetime_s: u32) -> u32 {
    // (static and iterated by reference: a const array by value is first
    // copied to the stack)
    static PIECES: [(u32, u32, u32); 5] = [(0, 0, 2), (30, 15, 4), (50, 30, 5), (100, 70, 10), (300, 250, 20)];
    let mut interval = 0;
    for &(from, base, n) in PIECES.iter() {
        if lifetime_s > from || from == 0 {
            interval = base + all_but_one_nth(lifetime_s - from, n);
        }
    }
    interval
}

/// `floor(x × (n − 1) / n)` without overflow: `x − ceil(x / n)`. (`n`
/// comes from a table: `max(1)` shows the compiler it is not 0, so no
/// division-by-zero panic path is linked.)
fn all_but_one_nth(x: u32, n: u32) -> u32 {
    x - x.div_ceil(n.max(1))
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
    fn onemo_updates_30s_before_expiry_from_60s() {
        let p = UpdatePolicy::BeforeExpiry {
            margin_s: 30,
            min_lifetime_s: 60,
        };
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
