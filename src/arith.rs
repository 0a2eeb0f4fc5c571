//! Division by small constants without a divide instruction.
//!
//! Cortex-M0 (thumbv6m) has no divider: LLVM turns `x / 10` into a call to
//! `__aeabi_uidiv`, which links ~420 bytes of compiler-builtins. A multiply
//! by the rounded-up reciprocal followed by a shift gives the exact quotient
//! for every `u32` (the constants are the ones compilers use on cores with a
//! 32x32->64 multiply); on Cortex-M3/M4 it is the same `umull` the compiler
//! would emit, on Cortex-M0 the `__aeabi_lmul` the engine links anyway.

/// `x / 10` and `x % 10`.
#[inline]
pub fn div_rem10(x: u32) -> (u32, u32) {
    let q = ((u64::from(x) * 0xCCCC_CCCD) >> 35) as u32;
    (q, x - q * 10)
}

/// `x / 5`.
#[inline]
pub fn div5(x: u32) -> u32 {
    ((u64::from(x) * 0xCCCC_CCCD) >> 34) as u32
}

/// `x / 1000` and `x % 1000`.
#[inline]
pub fn div_rem1000(x: u32) -> (u32, u32) {
    let q = ((u64::from(x) * 0x1062_4DD3) >> 38) as u32;
    (q, x - q * 1000)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every quotient near a multiple boundary and a dense sample in
    /// between, against the divide instruction of the host.
    #[test]
    fn quotients_are_exact() {
        let mut xs = std::vec![0, 1, 9, 10, 11, 999, 1000, 1001, u32::MAX - 1, u32::MAX];
        for k in [5u32, 10, 1000] {
            let mut m = k;
            while let Some(next) = m.checked_mul(7) {
                xs.extend([m - 1, m, m + 1]);
                m = next;
            }
            xs.extend([u32::MAX / k * k - 1, u32::MAX / k * k]);
        }
        xs.extend((0..=u32::MAX).step_by(65_537));
        for x in xs {
            assert_eq!(div5(x), x / 5, "x = {x}");
            assert_eq!(div_rem10(x), (x / 10, x % 10), "x = {x}");
            assert_eq!(div_rem1000(x), (x / 1000, x % 1000), "x = {x}");
        }
    }
}
