//! Lexes the parameter list of a set command: commas outside quotes separate
//! fields; a field is empty, quoted, or bare. Typed accessors check ranges.

use super::Error;

/// One raw parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Param<'a> {
    /// Nothing between the commas (an omitted optional parameter).
    Empty,
    /// `"..."`: the bytes between the quotes.
    Quoted(&'a [u8]),
    /// Anything else, surrounding spaces trimmed.
    Bare(&'a [u8]),
}

impl<'a> Param<'a> {
    /// True for an omitted parameter.
    pub fn is_empty(&self) -> bool {
        matches!(self, Param::Empty)
    }

    /// The text of a string parameter, quoted or not.
    pub fn text(&self) -> &'a [u8] {
        match *self {
            Param::Empty => b"",
            Param::Quoted(t) | Param::Bare(t) => t,
        }
    }

    /// A quoted string parameter (`<bitmap>`, `<host>`, ...). Bare text is a type error.
    pub fn quoted(&self) -> Result<&'a [u8], Error> {
        match *self {
            Param::Quoted(t) => Ok(t),
            _ => Err(Error::ParamValue),
        }
    }

    /// An unquoted integer: decimal with optional sign, or `0x` hex
    /// (`<flag>` is written `0x400` in seed 001 §3.9).
    // Inlined into its two callers (QLA's and MIPL's range checks): out of
    // line it only passed a 16-byte result through memory once more.
    #[inline(always)]
    pub fn int(&self) -> Result<i64, Error> {
        match *self {
            Param::Bare(t) => parse_int(t).ok_or(Error::ParamValue),
            _ => Err(Error::ParamValue),
        }
    }

    /// An integer that may also be written in quotes (QLA resource ids: `"0","1"`).
    pub fn int_lenient(&self) -> Result<i64, Error> {
        match *self {
            Param::Quoted(t) | Param::Bare(t) => parse_int(t).ok_or(Error::ParamValue),
            Param::Empty => Err(Error::ParamValue),
        }
    }

    /// An unquoted integer within `lo..=hi`.
    pub fn int_in(&self, lo: i64, hi: i64) -> Result<i64, Error> {
        let v = self.int()?;
        if (lo..=hi).contains(&v) {
            Ok(v)
        } else {
            Err(Error::ParamValue)
        }
    }
}

/// Parses a decimal (optionally signed) or `0x`/`0X` hexadecimal integer.
/// Overflow and any stray character give `None`.
pub fn parse_int(text: &[u8]) -> Option<i64> {
    let (negative, digits) = match text {
        [b'-', rest @ ..] => (true, rest),
        [b'+', rest @ ..] => (false, rest),
        _ => (false, text),
    };
    let (radix, limit, digits) = match digits {
        [b'0', b'x' | b'X', rest @ ..] if !negative => (16, i64::MAX as u64 >> 4, rest),
        _ => (10, i64::MAX as u64 / 10, digits),
    };
    if digits.is_empty() {
        return None;
    }
    // Overflow is caught by comparing with `limit` (i64::MAX / radix)
    // before the step and with i64::MAX at the end: no checked i64
    // multiply, which on Cortex-M0 is four 64-bit multiply calls (-92 B).
    let mut value: u64 = 0;
    for &d in digits {
        if value > limit {
            return None;
        }
        let digit = (d as char).to_digit(radix)?;
        // At most limit * radix + radix - 1 < 2^64: the step cannot wrap.
        value = value * u64::from(radix) + u64::from(digit);
    }
    let value = i64::try_from(value).ok()?;
    Some(if negative { -value } else { value })
}

/// Runs a number grammar given as a state machine (one interpreter for
/// the grammars of both dialects instead of one scanner per form):
/// `next[class]` holds, one nibble per state 0..=7, the state a byte of
/// that class leads to (15 or any state above 7: not a number). State 0
/// is the start; classes: digit, `+`/`-`, `.`, `e`/`E`. True when `t` ends
/// in one of the states whose bit is set in `accept`.
pub fn number_shape(t: &[u8], next: &[u32; 4], accept: u8) -> bool {
    let mut state = 0;
    for &b in t {
        let class = match b {
            b'0'..=b'9' => 0,
            b'+' | b'-' => 1,
            b'.' => 2,
            b'e' | b'E' => 3,
            _ => return false,
        };
        state = next[class] >> (4 * state) & 15;
        if state > 7 {
            return false;
        }
    }
    accept >> state & 1 != 0
}

/// Checks that `t` is 1..=max bytes of printable ASCII (`space`: blanks
/// allowed too), else [`Error::ParamValue`]. Both dialects' string rule.
pub fn printable(t: &[u8], max: usize, space: bool) -> Result<&[u8], Error> {
    let printable = t.iter().all(|&b| b.is_ascii_graphic() || (space && b == b' '));
    if t.is_empty() || t.len() > max || !printable {
        return Err(Error::ParamValue);
    }
    Ok(t)
}

/// The bytes a hex string stands for, checked but not decoded (both
/// dialects keep opaque values as text): odd length is [`Error::OddHex`],
/// a non-hex digit [`Error::ParamValue`].
// Cortex-M0 only: inlined into its two callers (4 B smaller there than a
// call; out of line on thumbv7em saves 16 B).
#[cfg_attr(not(target_has_atomic = "32"), inline(always))]
pub fn hex_len(t: &[u8]) -> Result<usize, Error> {
    if t.len() % 2 != 0 {
        return Err(Error::OddHex);
    }
    if !t.iter().all(u8::is_ascii_hexdigit) {
        return Err(Error::ParamValue);
    }
    Ok(t.len() / 2)
}

/// Decodes a hex string into `out`; returns the byte count.
/// Odd length is [`Error::OddHex`], a non-hex digit [`Error::ParamValue`],
/// too long for `out` [`Error::ParamValue`].
pub fn decode_hex(text: &[u8], out: &mut [u8]) -> Result<usize, Error> {
    if text.len() % 2 != 0 {
        return Err(Error::OddHex);
    }
    let n = text.len() / 2;
    let out = out.get_mut(..n).ok_or(Error::ParamValue)?;
    for (byte, pair) in out.iter_mut().zip(text.chunks_exact(2)) {
        let hi = (pair[0] as char).to_digit(16).ok_or(Error::ParamValue)?;
        let lo = (pair[1] as char).to_digit(16).ok_or(Error::ParamValue)?;
        *byte = (hi << 4 | lo) as u8;
    }
    Ok(n)
}

/// The parameters of one set command, at most `N` of them.
///
/// Cortex-M0 only: `repr(C)`, the count first, within its short
/// load/store offsets (a word at most 124 bytes in), not behind the list
/// (-16 B there; thumbv7em's default layout is 8 B smaller).
#[derive(Debug)]
#[cfg_attr(not(target_has_atomic = "32"), repr(C))]
pub struct Params<'a, const N: usize> {
    len: usize,
    list: [Param<'a>; N],
}

impl<'a, const N: usize> Params<'a, N> {
    /// Lexes `text` (what follows `=`). More than `N` fields is
    /// [`Error::ParamCount`]; an unterminated quote or text after a closing
    /// quote is [`Error::Syntax`].
    pub fn parse(text: &'a [u8]) -> Result<Self, Error> {
        let mut params = Self::EMPTY;
        params.lex(text)?;
        Ok(params)
    }

    /// No fields yet: a list to fill in place with [`Params::lex`].
    pub const EMPTY: Self = Params {
        list: [Param::Empty; N],
        len: 0,
    };

    /// [`Params::parse`] into a list that already lies where it is used
    /// (inside a bigger struct), so it is not copied out of a `Result`.
    /// After an error the list holds an unspecified prefix of the fields.
    pub fn lex(&mut self, text: &'a [u8]) -> Result<(), Error> {
        lex_all(text, &mut self.list, &mut self.len)
    }

    /// [`Params::lex`] with at most `max` (<= `N`) fields: more is
    /// [`Error::ParamCount`], at the same field as from a `Params<max>`, so
    /// one list of the largest capacity serves commands with smaller limits.
    // Cortex-M0 only: out of line, 20 B smaller than inlined into the QLA
    // dispatcher (its one caller); on Cortex-M4 inlining is smaller.
    #[cfg_attr(not(target_has_atomic = "32"), inline(never))]
    pub fn lex_at_most(&mut self, text: &'a [u8], max: usize) -> Result<(), Error> {
        let list = match self.list.get_mut(..max) {
            Some(list) => list,
            None => &mut self.list[..],
        };
        lex_all(text, list, &mut self.len)
    }

    /// How many fields were given (`AT+X=` has one, empty).
    pub fn len(&self) -> usize {
        self.len
    }

    /// Never true: a set command has at least one (possibly empty) field.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Field `i`, or [`Param::Empty`] when it was not given.
    pub fn get(&self, i: usize) -> Param<'a> {
        nth(&self.list, self.len, i)
    }

    /// Field `i`, which must be present and non-empty.
    pub fn require(&self, i: usize) -> Result<Param<'a>, Error> {
        match self.get(i) {
            Param::Empty => Err(Error::ParamCount),
            p => Ok(p),
        }
    }

    /// Fails with [`Error::ParamCount`] unless `min <= len <= max`.
    pub fn expect_count(&self, min: usize, max: usize) -> Result<(), Error> {
        if (min..=max).contains(&self.len()) {
            Ok(())
        } else {
            Err(Error::ParamCount)
        }
    }

    /// All fields in order.
    pub fn iter(&self) -> impl Iterator<Item = Param<'a>> + '_ {
        self.given().iter().copied()
    }
}

impl<'a, const N: usize> Params<'a, N> {
    fn given(&self) -> &[Param<'a>] {
        self.list.get(..self.len).unwrap_or_default()
    }
}

/// [`Params::get`] for every `N`: one copy instead of one per capacity
/// (the list and its length as they are, so each `get` is a tail call).
#[inline(never)]
fn nth<'a>(list: &[Param<'a>], len: usize, i: usize) -> Param<'a> {
    match list.get(i) {
        Some(&p) if i < len => p,
        _ => Param::Empty,
    }
}

/// Lexes every field of `text` into `out`; one copy of this loop serves
/// every `Params<N>`. Fields are lexed before they are counted, so a syntax
/// error in an early field wins over "too many fields", as before.
/// The count goes to `len` on success only (a `Result<usize>` would be
/// returned through memory; this one fits a register).
fn lex_all<'a>(text: &'a [u8], out: &mut [Param<'a>], len: &mut usize) -> Result<(), Error> {
    let mut count = 0;
    let mut rest = text;
    loop {
        let field = trim_start(rest);
        // The field, and what follows it: nothing, or a comma and more.
        let (param, after) = match field {
            [b'"', body @ ..] => {
                let close = body.iter().position(|&b| b == b'"').ok_or(Error::Syntax)?;
                let (quoted, after) = body.split_at_checked(close).ok_or(Error::Syntax)?;
                (Param::Quoted(quoted), trim_start(after.get(1..).unwrap_or_default()))
            }
            _ => {
                // A quote before the comma is inside the bare field: refused.
                let end = field
                    .iter()
                    .position(|&b| b == b',' || b == b'"')
                    .unwrap_or(field.len());
                let (bare, after) = field.split_at_checked(end).ok_or(Error::Syntax)?;
                if let [b'"', ..] = after {
                    return Err(Error::Syntax);
                }
                let bare = trim_end(bare);
                (
                    if bare.is_empty() {
                        Param::Empty
                    } else {
                        Param::Bare(bare)
                    },
                    after,
                )
            }
        };
        *out.get_mut(count).ok_or(Error::ParamCount)? = param;
        count += 1;
        match after {
            [] => {
                *len = count;
                return Ok(());
            }
            [b',', tail @ ..] => rest = tail,
            _ => return Err(Error::Syntax),
        }
    }
}

/// `t` without leading and trailing blanks (spaces only: the AT line has
/// no other whitespace that lexing lets through).
pub(crate) fn trim(t: &[u8]) -> &[u8] {
    trim_end(trim_start(t))
}

fn trim_end(mut t: &[u8]) -> &[u8] {
    while let [rest @ .., b' '] = t {
        t = rest;
    }
    t
}

fn trim_start(mut t: &[u8]) -> &[u8] {
    while let [b' ', rest @ ..] = t {
        t = rest;
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lex(t: &[u8]) -> Result<std::vec::Vec<Param<'_>>, Error> {
        Params::<16>::parse(t).map(|p| p.iter().collect())
    }

    #[test]
    fn fields() {
        assert_eq!(
            lex(b"0,3200,1,\"1\",0,1").unwrap(),
            [
                Param::Bare(b"0"),
                Param::Bare(b"3200"),
                Param::Bare(b"1"),
                Param::Quoted(b"1"),
                Param::Bare(b"0"),
                Param::Bare(b"1")
            ]
        );
        // seed 001 §5.2: `,,` omits a parameter and a space may precede a quote
        assert_eq!(
            lex(b"\"a:5684\",1,, \"1234abcd\"").unwrap(),
            [
                Param::Quoted(b"a:5684"),
                Param::Bare(b"1"),
                Param::Empty,
                Param::Quoted(b"1234abcd")
            ]
        );
        assert_eq!(lex(b"").unwrap(), [Param::Empty]);
        assert_eq!(lex(b"\"a,b\"").unwrap(), [Param::Quoted(b"a,b")]);
    }

    #[test]
    fn malformed() {
        assert_eq!(lex(b"\"abc").unwrap_err(), Error::Syntax);
        assert_eq!(lex(b"\"abc\"x").unwrap_err(), Error::Syntax);
        assert_eq!(lex(b"ab\"c").unwrap_err(), Error::Syntax);
        assert_eq!(Params::<2>::parse(b"1,2,3").unwrap_err(), Error::ParamCount);
    }

    #[test]
    fn lex_in_place_is_parse() {
        for text in [&b"1,\"a\",,x "[..], b"", b"\"", b"1,2,3", b"a\"b", b" , "] {
            let mut list = Params::<2>::EMPTY;
            let lexed = list.lex(text);
            match Params::<2>::parse(text) {
                Ok(parsed) => {
                    assert_eq!(lexed, Ok(()));
                    assert_eq!(
                        list.iter().collect::<std::vec::Vec<_>>(),
                        parsed.iter().collect::<std::vec::Vec<_>>()
                    );
                }
                Err(e) => assert_eq!(lexed, Err(e)),
            }
        }
    }

    /// A limit below the capacity behaves as a list of that capacity:
    /// the same fields, the same error at the same field.
    #[test]
    fn lex_at_most_is_a_smaller_list() {
        fn smaller<const M: usize>(text: &[u8]) {
            let mut big = Params::<4>::EMPTY;
            let lexed = big.lex_at_most(text, M);
            match Params::<M>::parse(text) {
                Ok(small) => {
                    assert_eq!(lexed, Ok(()));
                    assert!(big.iter().eq(small.iter()));
                }
                Err(e) => assert_eq!(lexed, Err(e), "{:?} at most {M}", core::str::from_utf8(text)),
            }
        }
        for text in [
            &b"1,\"a\",,x "[..],
            b"",
            b"\"",
            b"1,2,3",
            b"1,2,\"",
            b"a\"b",
            b" , ",
            b"1,2,3,4",
        ] {
            smaller::<1>(text);
            smaller::<2>(text);
            smaller::<3>(text);
            smaller::<4>(text);
        }
        // Above the capacity: the capacity is the limit.
        let mut list = Params::<2>::EMPTY;
        assert_eq!(list.lex_at_most(b"1,2,3", 5), Err(Error::ParamCount));
        assert_eq!(list.lex_at_most(b"1,2", 5), Ok(()));
        assert_eq!(list.len(), 2);
    }

    /// An index-walking lexer written from the rules (fields split at
    /// commas outside quotes, blanks around a field dropped, a quote inside
    /// a bare field or text after a closing quote refused, each field lexed
    /// before it is counted): the oracle for `lex_all`.
    fn reference_lex(text: &[u8], capacity: usize) -> Result<std::vec::Vec<Param<'_>>, Error> {
        let blank = |i: usize| text.get(i) == Some(&b' ');
        let mut out = std::vec::Vec::new();
        let mut i = 0;
        loop {
            while blank(i) {
                i += 1;
            }
            let param = if text.get(i) == Some(&b'"') {
                let start = i + 1;
                i = start;
                while text.get(i) != Some(&b'"') {
                    if i >= text.len() {
                        return Err(Error::Syntax);
                    }
                    i += 1;
                }
                let quoted = Param::Quoted(&text[start..i]);
                i += 1;
                while blank(i) {
                    i += 1;
                }
                quoted
            } else {
                let start = i;
                while i < text.len() && text[i] != b',' {
                    if text[i] == b'"' {
                        return Err(Error::Syntax);
                    }
                    i += 1;
                }
                let mut end = i;
                while end > start && text[end - 1] == b' ' {
                    end -= 1;
                }
                if end == start {
                    Param::Empty
                } else {
                    Param::Bare(&text[start..end])
                }
            };
            if out.len() == capacity {
                return Err(Error::ParamCount);
            }
            out.push(param);
            match text.get(i) {
                None => return Ok(out),
                Some(b',') => i += 1,
                Some(_) => return Err(Error::Syntax),
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn lexing_agrees_with_the_reference(
            bytes in proptest::collection::vec(proptest::sample::select(b"a1 ,\"".to_vec()), 0..12),
            capacity in 1usize..5,
        ) {
            let mut list = Params::<4>::EMPTY;
            let lexed = list.lex_at_most(&bytes, capacity).map(|()| list.iter().collect::<std::vec::Vec<_>>());
            proptest::prop_assert_eq!(lexed, reference_lex(&bytes, capacity));
        }
    }

    #[test]
    fn integers() {
        assert_eq!(parse_int(b"0x400"), Some(1024));
        assert_eq!(parse_int(b"-12"), Some(-12));
        assert_eq!(parse_int(b"+7"), Some(7));
        assert_eq!(parse_int(b"12a"), None);
        assert_eq!(parse_int(b"-0x1"), None);
        assert_eq!(parse_int(b"99999999999999999999"), None);
        assert_eq!(parse_int(b""), None);
        assert_eq!(Param::Quoted(b"1").int(), Err(Error::ParamValue));
        assert_eq!(Param::Quoted(b"1").int_lenient(), Ok(1));
        assert_eq!(Param::Bare(b"70000").int_in(0, 65535), Err(Error::ParamValue));
    }

    /// The rule, spelled with core's parser: optional sign, then decimal, or
    /// `0x` hex when unsigned; nothing else; the value must fit an i64.
    fn reference(text: &[u8]) -> Option<i64> {
        let s = core::str::from_utf8(text).ok()?;
        let (negative, digits) = match s.as_bytes().first()? {
            b'-' => (true, &s[1..]),
            b'+' => (false, &s[1..]),
            _ => (false, s),
        };
        if digits.starts_with(['+', '-']) {
            return None;
        }
        let (radix, digits) = match digits.get(..2) {
            Some("0x" | "0X") if !negative => (16, &digits[2..]),
            _ => (10, digits),
        };
        if digits.starts_with(['+', '-']) {
            return None;
        }
        let value = i64::from_str_radix(digits, radix).ok()?;
        Some(if negative { -value } else { value })
    }

    #[test]
    fn integers_agree_with_core() {
        let edges: [&[u8]; 12] = [
            b"9223372036854775807",
            b"9223372036854775808",
            b"-9223372036854775807",
            b"-9223372036854775808",
            b"0x7FFFFFFFFFFFFFFF",
            b"0x8000000000000000",
            b"0x7fffffffffffffff0",
            b"922337203685477580",
            b"0x",
            b"+0X1f",
            b"0xg",
            b"00012",
        ];
        for text in edges {
            assert_eq!(parse_int(text), reference(text), "{:?}", core::str::from_utf8(text));
        }
        let alphabet = b"0123456789abcdefABCDEFxX+-g ";
        let mut x = 0x2545_F491u32;
        for _ in 0..200_000 {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            let len = (x % 22) as usize;
            let mut text = std::vec::Vec::new();
            let mut y = x;
            for i in 0..len {
                y = y.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                // Mostly digits, so that long numbers (overflow) come up.
                let pick = if i > 1 && y & 3 != 0 {
                    (y >> 8) % 10
                } else {
                    (y >> 8) % 28
                };
                text.push(alphabet[pick as usize]);
            }
            assert_eq!(parse_int(&text), reference(&text), "{:?}", core::str::from_utf8(&text));
        }
    }

    #[test]
    fn hex() {
        let mut out = [0u8; 4];
        assert_eq!(decode_hex(b"E309c8", &mut out), Ok(3));
        assert_eq!(out[..3], [0xE3, 0x09, 0xC8]);
        assert_eq!(decode_hex(b"E30", &mut out), Err(Error::OddHex));
        assert_eq!(decode_hex(b"zz", &mut out), Err(Error::ParamValue));
        assert_eq!(decode_hex(b"0102030405", &mut out), Err(Error::ParamValue));
        // checked without decoding: the same errors, no length limit
        assert_eq!(hex_len(b"E309c8"), Ok(3));
        assert_eq!(hex_len(b""), Ok(0));
        assert_eq!(hex_len(b"E30"), Err(Error::OddHex));
        assert_eq!(hex_len(b"zz0"), Err(Error::OddHex));
        assert_eq!(hex_len(b"0g"), Err(Error::ParamValue));
        assert_eq!(hex_len(b"0102030405"), Ok(5));
    }

    #[test]
    fn printable_text() {
        assert_eq!(printable(b"a b~", 4, true), Ok(&b"a b~"[..]));
        assert_eq!(printable(b"a b", 4, false), Err(Error::ParamValue));
        assert_eq!(printable(b"ab", 4, false), Ok(&b"ab"[..]));
        assert_eq!(printable(b"", 4, true), Err(Error::ParamValue));
        assert_eq!(printable(b"abcde", 4, true), Err(Error::ParamValue));
        for bad in [&b"a\tb"[..], b"\x7f", b"\x80", b"\r"] {
            assert_eq!(printable(bad, 4, true), Err(Error::ParamValue), "{bad:?}");
        }
    }
}
