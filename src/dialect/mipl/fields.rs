//! Parameter rules as data. Every command names its parameters with one
//! byte each (a [`Rule`]); ONE function, [`parse`], checks a parameter list
//! against them, and the same bytes print the Quectel `=?` test form, so the
//! two can never disagree. One interpreter instead of per-command parsing
//! code keeps the dialect small in flash.

use super::Flavor;
use crate::at::{Error, Param, Params};

/// The allowed values of a numeric parameter: inclusive `(lo, hi)` ranges.
/// Printed `(0)`, `(0,1)`, `(1-65535)`, `(0,15-268435455)`.
pub type Spans = &'static [(u32, u32)];

/// The most parameters any MIPL command takes (AT+MIPLNOTIFY: 12).
pub const MAX_PARAMS: usize = 12;

/// One parameter: a span id (low 5 bits) and the flags below.
pub type Rule = u8;

const ID: u8 = 0x1F;
/// Bit: the parameter may be empty or absent.
pub const OPT: Rule = 0x20;
/// Bit: the profile must take a trailing `<raiMode>` (bc260y, seed 003 §3.3.9);
/// for the others the parameter does not exist.
const RAI_ONLY: Rule = 0x40;
/// Bit: not an integer; the handler checks the text. The low bits name it in
/// [`NAMES`] for the `=?` form.
pub const TEXT: Rule = 0x80;

// Span ids valid in every profile (index into FIXED).
/// seed 001 §4.6 / seed 003 §3.3.2: only device instance 0 exists.
/// Also seed 003 §3.3.1 `<mode>` 0 (direct) only.
pub const REF: Rule = 0;
/// Object, instance, resource ids, `<atts>`, `<acts>`, `<ackid>`: uint16.
pub const U16: Rule = 1;
/// `0` or `1`.
pub const BOOL: Rule = 2;
/// seed 003: `<raiMode>` 0..2; also the multi-part `<flag>` (1 first,
/// 2 middle, 0 last), onemo `<nnmi>` and `<binding_mode>` (seed 001 §4.1/4.2).
pub const RAI: Rule = 3;
/// Multi-part `<flag>`: the same values as [`RAI`].
pub const PART_FLAG: Rule = RAI;
/// seed 003 §3.3.7: `<timeout>` 1..65535 s; also a port.
pub const TIMEOUT: Rule = 4;
/// Result codes of READ/DISCOVER/OBSERVE answers: 1 = 2.05, 11..15 = 4.xx.
pub const RESULT_CONTENT: Rule = 5;
/// Result codes of WRITE/EXECUTE/PARAMETER answers: 2 = 2.04, 11..14.
pub const RESULT_CHANGED: Rule = 6;
/// seed 003 §3.3.9: DISCOVERRSP `<length>` 0..255.
pub const DISCOVER_LEN: Rule = 7;
/// seed 001 §3.9 `<contentType>` 0..4; also AT+MIPLCFG `<pattern>` (seed 001 §4.1).
pub const CONTENT_TYPE: Rule = 8;
/// seed 001 §4.8: DTLS NAT 0 (off) or at least 60 s.
pub const DTLS_NAT: Rule = 9;
/// seed 001 §4.1 `<platform>`: 0..3, 10.
pub const PLATFORM: Rule = 10;
/// AT+MIPLCREATEEX `<flag>` 0..3.
pub const CREATE_FLAG: Rule = 11;
/// seed 001 §3.5: DISCOVERRSP `<result>` "应设置为1".
pub const ONE: Rule = 12;
/// Sizes of a CREATE fragment: at least 1.
pub const SIZE: Rule = 13;
/// Any uint32 (the CREATE fragment `<index>`).
pub const ANY: Rule = 14;

/// The spans of the profile-independent rules, by id.
const FIXED_SPANS: [Spans; 15] = [
    &[(0, 0)],
    &[(0, 65535)],
    &[(0, 0), (1, 1)],
    &[(0, 2)],
    &[(1, 65535)],
    &[(1, 1), (11, 15)],
    &[(2, 2), (11, 14)],
    &[(0, 255)],
    &[(0, 4)],
    &[(0, 0), (60, u32::MAX)],
    &[(0, 3), (10, 10)],
    &[(0, 3)],
    &[(1, 1)],
    &[(1, u32::MAX)],
    &[(0, u32::MAX)],
];

/// Where a rule's spans lie in [`POOL`]: 2 bytes instead of a slice's 8.
#[derive(Clone, Copy, Debug)]
pub struct SpanAt {
    at: u8,
    len: u8,
}

/// A span bound in flash, one byte: the value itself below [`POWER`];
/// `1 << (b & 31)` from [`POWER`]; `u32::MAX >> (b & 31)` from [`ONES`].
/// A quarter of the bytes of a u32 pool: every bound of the manuals is
/// small, a power of two (0x200, 0x400, 1024) or all ones (255, 65535,
/// 268435455, u32::MAX).
type Bound = u8;
const POWER: Bound = 0xC0;
const ONES: Bound = 0xE0;

/// A bound as stored (compile time: any other value is a build error).
const fn narrow(v: u32) -> Bound {
    if v < POWER as u32 {
        return v as Bound;
    }
    if v.is_power_of_two() {
        return POWER | v.trailing_zeros() as Bound;
    }
    let shift = v.leading_zeros();
    assert!(
        u32::MAX >> shift == v,
        "a span bound must be small, a power of two or all ones"
    );
    ONES | shift as Bound
}

/// A stored bound's value.
fn widen(b: Bound) -> u32 {
    match b {
        ONES.. => u32::MAX >> (b & 31),
        POWER.. => 1 << (b & 31),
        _ => u32::from(b),
    }
}

/// Every span list once, the shared ones folded (built at compile time).
const POOL_LISTS: [&[Spans]; 3] = [&FIXED_SPANS, &super::ONEMO_SPANS, &super::BC260Y_SPANS];
const POOL_LEN: usize = pool(&POOL_LISTS).1;
const POOL_BUILT: [(u32, u32); POOL_LEN] = {
    let (all, _) = pool(&POOL_LISTS);
    let mut out = [(0, 0); POOL_LEN];
    let mut i = 0;
    while i < POOL_LEN {
        out[i] = all[i];
        i += 1;
    }
    out
};
static POOL: [(Bound, Bound); POOL_LEN] = {
    let mut out = [(0, 0); POOL_LEN];
    let mut i = 0;
    while i < POOL_LEN {
        out[i] = (narrow(POOL_BUILT[i].0), narrow(POOL_BUILT[i].1));
        i += 1;
    }
    out
};
static FIXED: [SpanAt; 15] = locate(&FIXED_SPANS);

/// Where `needle` starts in `hay[..len]`.
const fn find_spans(hay: &[(u32, u32)], len: usize, needle: Spans) -> Option<usize> {
    let mut at = 0;
    while at + needle.len() <= len {
        let mut i = 0;
        while i < needle.len() && hay[at + i].0 == needle[i].0 && hay[at + i].1 == needle[i].1 {
            i += 1;
        }
        if i == needle.len() {
            return Some(at);
        }
        at += 1;
    }
    None
}

/// The pool of `lists` (in a scratch array) and its length.
const fn pool(lists: &[&[Spans]]) -> ([(u32, u32); 64], usize) {
    let mut all = [(0, 0); 64];
    let mut len = 0;
    let mut l = 0;
    while l < lists.len() {
        let mut k = 0;
        while k < lists[l].len() {
            let spans = lists[l][k];
            if find_spans(&all, len, spans).is_none() {
                let mut i = 0;
                while i < spans.len() {
                    all[len] = spans[i];
                    len += 1;
                    i += 1;
                }
            }
            k += 1;
        }
        l += 1;
    }
    (all, len)
}

/// The places of `lists` in [`POOL`] (compile time: a list missing from
/// [`POOL_LISTS`] is a build error).
pub const fn locate<const K: usize>(lists: &[Spans; K]) -> [SpanAt; K] {
    let mut out = [SpanAt { at: 0, len: 0 }; K];
    let mut k = 0;
    while k < K {
        let Some(at) = find_spans(&POOL_BUILT, POOL_LEN, lists[k]) else {
            panic!("span list not in POOL_LISTS");
        };
        assert!(at <= u8::MAX as usize && lists[k].len() <= u8::MAX as usize);
        out[k] = SpanAt {
            at: at as u8,
            len: lists[k].len() as u8,
        };
        k += 1;
    }
    out
}

// Span ids that differ between the profiles (index into Flavor::spans).
const FLAVORED: Rule = FIXED.len() as Rule;
/// `<mid>`/`<msgId>`.
pub const HANDLE: Rule = FLAVORED;
/// `<type>`.
pub const VALUE_TYPE: Rule = FLAVORED + 1;
/// OPEN/UPDATE `<lifetime>`.
pub const LIFETIME: Rule = FLAVORED + 2;
/// NOTIFY `<flag>`.
pub const NOTIFY_FLAG: Rule = FLAVORED + 3;
/// NOTIFY/READRSP `<index>`.
pub const INDEX: Rule = FLAVORED + 4;
/// NOTIFY/READRSP `<len>`.
pub const LEN: Rule = FLAVORED + 5;
/// PARAMETERRSP `<result>`.
pub const ACK_RESULT: Rule = FLAVORED + 6;
/// OBSERVERSP `<result>`.
pub const OBSERVE_RESULT: Rule = FLAVORED + 7;
/// NOTIFY's last field: onemo `<contentType>`, bc260y `<raiMode>`.
pub const NOTIFY_TAIL: Rule = FLAVORED + 8;
/// How many span ids a [`Flavor`] defines.
pub const FLAVORED_COUNT: usize = 9;

/// A trailing optional `<raiMode>` that only bc260y takes.
pub const TAIL_RAI: Rule = RAI | OPT | RAI_ONLY;

// Names of the text parameters in the `=?` answers (seed 003 §3.3).
/// `<insBitmap>`.
pub const BITMAP: Rule = TEXT;
/// `<ip>`.
pub const IP: Rule = TEXT | 1;
/// `<port>`.
pub const PORT: Rule = TEXT | 2;
/// `<valuestring>`.
pub const VALUESTRING: Rule = TEXT | 3;
/// `<value>`.
pub const VALUE: Rule = TEXT | 4;
static NAMES: [&[u8]; 5] = [b"<insBitmap>", b"<ip>", b"<port>", b"<valuestring>", b"<value>"];

/// The spans of a rule in `flavor` as stored (see [`span`]); nothing is
/// allowed for an unknown id.
pub fn spans(flavor: &Flavor, rule: Rule) -> &'static [(Bound, Bound)] {
    let id = usize::from(rule & ID);
    let found = match id.checked_sub(FIXED.len()) {
        None => FIXED.get(id),
        Some(i) => flavor.spans.get(i),
    };
    found
        .and_then(|s| POOL.get(usize::from(s.at)..usize::from(s.at) + usize::from(s.len)))
        .unwrap_or(&[])
}

/// A stored span as `(lo, hi)`.
pub fn span(&(lo, hi): &(Bound, Bound)) -> (u32, u32) {
    (widen(lo), widen(hi))
}

/// The `=?` text of a text parameter.
pub fn name(rule: Rule) -> &'static [u8] {
    NAMES.get(usize::from(rule & ID)).copied().unwrap_or(b"")
}

/// True when `v` lies in one of the spans.
pub fn allowed(spans: &[(Bound, Bound)], v: u32) -> bool {
    spans.iter().any(|&(lo, hi)| widen(lo) <= v && v <= widen(hi))
}

/// An unquoted integer within the spans of `rule` in `flavor`.
pub fn int_param(param: Param<'_>, flavor: &Flavor, rule: Rule) -> Result<u32, Error> {
    let v = param.int()?;
    let v = u32::try_from(v).map_err(|_| Error::ParamValue)?;
    if allowed(spans(flavor, rule), v) {
        Ok(v)
    } else {
        Err(Error::ParamValue)
    }
}

/// A parameter list checked against its rules; integers already converted.
///
/// Cortex-M0 only: `repr(C)`, the integers and the bits before the list,
/// within its short load/store offsets (-20 B there). `given` is a word:
/// as a u16 it was 4 B (thumbv7em) and 20 B (thumbv6m) larger in flash
/// (halfword accesses, and Thumb-1 reaches a halfword only 62 bytes in).
#[cfg_attr(not(target_has_atomic = "32"), repr(C))]
pub struct Args<'a> {
    ints: [u32; MAX_PARAMS],
    /// Bit `i`: field `i` was given and not empty.
    given: u32,
    params: Params<'a, MAX_PARAMS>,
}

impl<'a> Args<'a> {
    /// How many fields were given.
    pub fn len(&self) -> usize {
        self.params.len()
    }

    /// Never true: a set command has at least one field.
    pub fn is_empty(&self) -> bool {
        self.params.is_empty()
    }

    /// Field `i` as lexed.
    pub fn param(&self, i: usize) -> Param<'a> {
        self.params.get(i)
    }

    /// The text of field `i` (empty when absent).
    pub fn text(&self, i: usize) -> &'a [u8] {
        self.params.get(i).text()
    }

    /// Integer field `i`, already checked (0 when absent).
    pub fn int(&self, i: usize) -> u32 {
        self.ints.get(i).copied().unwrap_or(0)
    }

    /// Optional integer field `i`: `None` when absent or empty.
    pub fn opt(&self, i: usize) -> Option<u32> {
        (self.given >> i & 1 != 0).then(|| self.int(i))
    }

    /// True when every field whose bit is set in `mask` was given.
    pub fn has_all(&self, mask: u16) -> bool {
        self.given & u32::from(mask) == u32::from(mask)
    }

    /// Optional integer field `i` that must be present here.
    pub fn require(&self, i: usize) -> Result<u32, Error> {
        self.opt(i).ok_or(Error::ParamCount)
    }
}

/// Checks a set command's parameters against `rules`: the count (rules
/// up to the last required one are needed; [`TAIL_RAI`] exists only where
/// the profile takes `<raiMode>`), each integer's spans, each required
/// field's presence. The list is built in `out` (set before the first
/// check), not returned: moved out of a `Result`, the 200-byte `Args` was
/// copied twice. Out of line: smaller than inlined into its one caller.
#[inline(never)]
pub fn parse<'a>(flavor: &Flavor, text: &'a [u8], rules: &[Rule], out: &mut Option<Args<'a>>) -> Result<(), Error> {
    // built in the caller's slot: no copy of the list out of a Result
    let args = out.insert(Args {
        params: Params::EMPTY,
        ints: [0; MAX_PARAMS],
        given: 0,
    });
    args.params.lex(text)?;
    let min = rules.iter().rposition(|&r| r & OPT == 0).map_or(0, |i| i + 1);
    let max = match rules.last() {
        Some(&r) if r & RAI_ONLY != 0 && !flavor.rai => rules.len() - 1,
        _ => rules.len(),
    };
    args.params.expect_count(min, max)?;
    // past the given fields every rule is optional (expect_count): Empty
    for (i, &rule) in rules.iter().enumerate() {
        let param = args.params.get(i);
        if param.is_empty() {
            if rule & OPT == 0 {
                return Err(Error::ParamCount);
            }
            continue;
        }
        args.given |= 1 << i;
        if rule & TEXT == 0 {
            if let Some(slot) = args.ints.get_mut(i) {
                *slot = int_param(param, flavor, rule)?;
            }
        }
    }
    Ok(())
}

/// Checks that `t` is 1..=max bytes of printable ASCII, blanks included
/// (hosts, codes, keys): QLA's check of its strings.
pub fn printable(t: &[u8], max: usize) -> Result<&[u8], Error> {
    crate::at::params::printable(t, max, true)
}

/// Decimal digits only (no sign, no `0x`, no spaces), at least one, within
/// uint16: ports and resource ids. A u32 loop, no i64 parse.
pub fn decimal_u16(t: &[u8]) -> Option<u16> {
    if t.is_empty() {
        return None;
    }
    let mut v: u32 = 0;
    for &c in t {
        let digit = c.wrapping_sub(b'0');
        if digit > 9 {
            return None;
        }
        v = v * 10 + u32::from(digit);
        if v > u32::from(u16::MAX) {
            return None;
        }
    }
    Some(v as u16)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_spans_read_back_as_written() {
        for (stored, written) in POOL.iter().zip(POOL_BUILT) {
            assert_eq!(span(stored), written);
        }
        assert_eq!(widen(narrow(u32::MAX)), u32::MAX);
        assert_eq!(widen(narrow(268_435_455)), 268_435_455);
        assert_eq!(widen(narrow(65535)), 65535);
        assert_eq!(widen(narrow(0x400)), 0x400);
        assert_eq!(widen(narrow(255)), 255);
        assert_eq!(widen(narrow(60)), 60);
        assert_eq!(widen(narrow(0x200)), 0x200);
    }

    #[test]
    fn decimal_u16_bounds() {
        assert_eq!(decimal_u16(b"5683"), Some(5683));
        assert_eq!(decimal_u16(b"65535"), Some(65535));
        assert_eq!(decimal_u16(b"0005683"), Some(5683));
        assert_eq!(decimal_u16(b"0"), Some(0));
        for bad in [&b""[..], b"65536", b"99999999999", b"+1", b"-1", b"0x10", b"1 ", b"5a"] {
            assert_eq!(decimal_u16(bad), None, "{bad:?}");
        }
    }
}
