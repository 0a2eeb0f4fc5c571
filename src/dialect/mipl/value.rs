//! `<type>,<len>,<value>` of NOTIFY and READRSP: the value text must be what
//! its type says (seed 001 §3.9, seed 003 §3.3.11 / §3.3.15).

use super::Flavor;
use crate::at::{Error, Param};
use crate::config::PAYLOAD_MAX;
use crate::model::ValueType;

/// seed 003 §3.3.11: opaque values up to 512 bytes.
const OPAQUE_MAX_BC: usize = 512;

/// A checked value; hex text stays text until the client encodes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Value<'a> {
    /// Its declared type.
    pub kind: ValueType,
    /// The text as given (without quotes).
    pub text: &'a [u8],
}

/// Decimal integer text `-?[0-9]+` that fits an i64: what the AT integer
/// parser takes, less its `+` sign and `0x` form.
pub fn integer(t: &[u8]) -> Option<i64> {
    if matches!(t, [b'+', ..] | [b'0', b'x' | b'X', ..]) {
        return None;
    }
    crate::at::params::parse_int(t)
}

/// The float grammar for [`crate::at::params::number_shape`], per class
/// (digit, sign, point, `e`) a nibble per state: 0 start, 1 integer digits,
/// 2 after `.`, 3 fraction digits, 4 after `e`, 5 after the exponent's
/// sign, 6 exponent digits; 15 rejects. The leading `-` is taken off before.
const FLOAT: [u32; 4] = [0xF666_3311, 0xFFF5_FFFF, 0xFFFF_FF2F, 0xFFFF_4F4F];
/// Accepting states of [`FLOAT`]: integer, fraction and exponent digits.
const FLOAT_ACCEPT: u8 = 1 << 1 | 1 << 3 | 1 << 6;

/// Float text `-?[0-9]+(.[0-9]+)?([eE][+-]?[0-9]+)?`: QLA's number
/// automaton with a table of its own (16 bytes of data, no scanner code).
pub fn float(t: &[u8]) -> bool {
    let t = t.strip_prefix(b"-").unwrap_or(t);
    crate::at::params::number_shape(t, &FLOAT, FLOAT_ACCEPT)
}

fn check(ok: bool) -> Result<(), Error> {
    if ok {
        Ok(())
    } else {
        Err(Error::ParamValue)
    }
}

/// Checks `<type>` (already within the flavor's range), `<len>` and `<value>`.
pub fn parse<'a>(flavor: &Flavor, vtype: u32, len: u32, value: Param<'a>) -> Result<Value<'a>, Error> {
    let kind = ValueType::from_code(i64::from(vtype)).ok_or(Error::ParamValue)?;
    let (text, quoted) = match value {
        Param::Quoted(t) => (t, true),
        Param::Bare(t) => (t, false),
        Param::Empty => (&b""[..], false),
    };
    let len = len as usize;
    let strict = flavor.strict_values;
    // seed 001 §3.9: "<value>参数为string类型时必须两端加双引号，其他类型可选";
    // seed 003 writes the other types bare.
    check(if kind == ValueType::String {
        quoted
    } else {
        !(strict && quoted)
    })?;
    // Whether the text is right for its type, and the `<len>` bc260y
    // requires with it (seed 003 §3.3.15).
    let (ok, size) = match kind {
        ValueType::String => (text.len() <= PAYLOAD_MAX, text.len()),
        ValueType::Opaque | ValueType::HexString => {
            let bytes = crate::at::params::hex_len(text)?;
            (bytes <= PAYLOAD_MAX && (!strict || bytes <= OPAQUE_MAX_BC), bytes)
        }
        ValueType::Integer => {
            let v = integer(text).ok_or(Error::ParamValue)?;
            // seed 003: <len> 2, 4 or 8 bytes; the value must fit that width
            // (the high word must be the low word's sign, then 32-bit
            // sign-extending casts: no 64-bit compares)
            let lo = v as i32;
            let fits32 = (v >> 32) as i32 == lo >> 31;
            let fits = match len {
                2 => fits32 && lo as i16 as i32 == lo,
                4 => fits32,
                8 => true,
                _ => false,
            };
            (!strict || fits, len)
        }
        ValueType::Float => (float(text), 4),
        ValueType::Bool => (matches!(text, b"0" | b"1"), 1),
    };
    check(ok && (!strict || size == len))?;
    Ok(Value { kind, text })
}

#[cfg(test)]
mod tests {
    use super::super::{BC260Y, ONEMO};
    use super::*;

    #[test]
    fn number_text() {
        assert_eq!(integer(b"-12"), Some(-12));
        assert_eq!(integer(b"+12"), None);
        assert_eq!(integer(b"0x10"), None);
        assert_eq!(integer(b"99999999999999999999"), None);
        for good in [&b"1.88"[..], b"-0.5", b"25", b"1e3", b"2.5E-3"] {
            assert!(float(good), "{good:?}");
        }
        for bad in [&b""[..], b".5", b"1.", b"1e", b"abc", b"1.2.3", b"--1"] {
            assert!(!float(bad), "{bad:?}");
        }
    }

    /// The grammar written out by hand (the scans `float` replaced).
    fn float_by_scans(t: &[u8]) -> bool {
        fn digits(t: &[u8]) -> (usize, &[u8]) {
            let n = t.iter().take_while(|c| c.is_ascii_digit()).count();
            (n, &t[n..])
        }
        let t = t.strip_prefix(b"-").unwrap_or(t);
        let (n, mut rest) = digits(t);
        if n == 0 {
            return false;
        }
        if let Some(frac) = rest.strip_prefix(b".") {
            let (n, after) = digits(frac);
            if n == 0 {
                return false;
            }
            rest = after;
        }
        if let [b'e' | b'E', exp @ ..] = rest {
            let exp = match exp {
                [b'+' | b'-', e @ ..] => e,
                e => e,
            };
            let (n, after) = digits(exp);
            return n > 0 && after.is_empty();
        }
        rest.is_empty()
    }

    #[test]
    fn float_automaton_is_the_grammar() {
        let alphabet = b"0.eE+-9x";
        let mut t = std::vec::Vec::new();
        for len in 0..=6u32 {
            for mut code in 0..alphabet.len().pow(len) {
                t.clear();
                for _ in 0..len {
                    t.push(alphabet[code % alphabet.len()]);
                    code /= alphabet.len();
                }
                assert_eq!(float(&t), float_by_scans(&t), "{:?}", core::str::from_utf8(&t));
            }
        }
    }

    #[test]
    fn onemo_values() {
        let v = |t, len, p| parse(&ONEMO, t, len, p);
        assert!(v(5, 1, Param::Quoted(b"0")).is_ok());
        assert!(v(3, 3, Param::Quoted(b"-12")).is_ok());
        assert!(v(2, 4, Param::Bare(b"0102")).is_ok());
        assert!(v(6, 0, Param::Bare(b"E309")).is_ok());
        assert_eq!(v(1, 4, Param::Bare(b"test")), Err(Error::ParamValue));
        assert_eq!(v(2, 3, Param::Bare(b"010")), Err(Error::OddHex));
        assert_eq!(v(5, 1, Param::Bare(b"2")), Err(Error::ParamValue));
        assert_eq!(v(4, 4, Param::Bare(b"x")), Err(Error::ParamValue));
    }

    #[test]
    fn bc260y_values() {
        let v = |t, len, p| parse(&BC260Y, t, len, p);
        assert!(v(3, 2, Param::Bare(b"123")).is_ok());
        assert_eq!(v(3, 2, Param::Bare(b"40000")), Err(Error::ParamValue));
        assert!(v(3, 4, Param::Bare(b"40000")).is_ok());
        // the widths' edges (seed 003: <len> 2, 4 or 8 bytes)
        for (len, ok, bad) in [
            (
                2,
                &[&b"32767"[..], b"-32768", b"0", b"-1"][..],
                &[&b"32768"[..], b"-32769", b"65535", b"4294967296"][..],
            ),
            (
                4,
                &[&b"2147483647"[..], b"-2147483648", b"-1"][..],
                &[&b"2147483648"[..], b"-2147483649", b"4294967295", b"-4294967296"][..],
            ),
            (8, &[&b"9223372036854775807"[..], b"-9223372036854775807"][..], &[][..]),
        ] {
            for t in ok {
                assert!(v(3, len, Param::Bare(t)).is_ok(), "{len} {t:?}");
            }
            for t in bad {
                assert_eq!(v(3, len, Param::Bare(t)), Err(Error::ParamValue), "{len} {t:?}");
            }
        }
        assert_eq!(v(3, 3, Param::Bare(b"1")), Err(Error::ParamValue));
        assert_eq!(v(3, 2, Param::Quoted(b"1")), Err(Error::ParamValue));
        assert!(v(1, 10, Param::Quoted(b"1234567890")).is_ok());
        assert_eq!(v(1, 9, Param::Quoted(b"1234567890")), Err(Error::ParamValue));
        assert_eq!(v(4, 8, Param::Bare(b"1.88")), Err(Error::ParamValue));
        assert!(v(2, 2, Param::Bare(b"ABCD")).is_ok());
        assert_eq!(v(2, 4, Param::Bare(b"ABCD")), Err(Error::ParamValue));
    }
}
