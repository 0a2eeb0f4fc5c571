//! Parameter rules as data: the value sets (`Spans`) a numeric parameter may
//! take serve both to validate it and to print the Quectel `=?` test form,
//! so the two can never disagree.

use crate::at::{Error, Form, Param, Params};

/// The allowed values of a numeric parameter: inclusive `(lo, hi)` ranges.
/// Printed `(0)`, `(0,1)`, `(1-65535)`, `(0,15-268435455)`.
pub type Spans = &'static [(u32, u32)];

/// The most parameters any MIPL command takes (AT+MIPLNOTIFY: 12).
pub const MAX_PARAMS: usize = 12;

/// The lexed parameters of one set command.
pub type Args<'a> = Params<'a, MAX_PARAMS>;

/// seed 001 §4.6 / seed 003 §3.3.2: only device instance 0 exists.
pub const REF: Spans = &[(0, 0)];
/// Object, instance, resource ids, `<atts>`, `<acts>`, `<ackid>`: uint16.
pub const U16: Spans = &[(0, 65535)];
/// seed 003 §3.3.9: `<msgId>` 0..268435455.
pub const MSG_ID_BC: Spans = &[(0, 268_435_455)];
/// `0` or `1`.
pub const BOOL: Spans = &[(0, 0), (1, 1)];
/// seed 003: `<raiMode>` 0..2.
pub const RAI: Spans = &[(0, 2)];
/// seed 003 §3.3.7: lifetime 15..268435455, 0 meaning 3600 s.
pub const LIFETIME_BC: Spans = &[(0, 0), (15, 268_435_455)];
/// seed 003 §3.3.7: `<timeout>` 1..65535 s.
pub const TIMEOUT: Spans = &[(1, 65535)];
/// Result codes of READ/DISCOVER/OBSERVE answers: 1 = 2.05, 11..15 = 4.xx.
pub const RESULT_CONTENT: Spans = &[(1, 1), (11, 15)];
/// Result codes of WRITE/EXECUTE/PARAMETER answers: 2 = 2.04, 11..14.
pub const RESULT_CHANGED: Spans = &[(2, 2), (11, 14)];
/// seed 001 §3.17/§3.19: onemo's examples answer PARAMETER and OBSERVE with
/// 1 although its tables list 2; both are taken.
pub const RESULT_ONEMO_ACK: Spans = &[(1, 2), (11, 14)];
/// seed 003 §3.3.15: `<valueType>` 1..5.
pub const VALUE_TYPE_BC: Spans = &[(1, 5)];
/// seed 003 §3.3.15: `<len>` at most 1024 (a string's length).
pub const LEN_BC: Spans = &[(0, 1024)];
/// seed 003 §3.3.15: `<index>` 0..10.
pub const INDEX_BC: Spans = &[(0, 10)];
/// seed 003 §3.3.9: DISCOVERRSP `<length>` 0..255.
pub const DISCOVER_LEN_BC: Spans = &[(0, 255)];
/// seed 003 §3.3.1: `<mode>` 0 (direct) only.
pub const CONFIG_MODE: Spans = &[(0, 0)];
/// Multi-part `<flag>`: 1 first, 2 middle, 0 last.
pub const PART_FLAG: Spans = &[(0, 2)];

/// True when `v` lies in one of the spans.
pub fn allowed(spans: Spans, v: u32) -> bool {
    spans.iter().any(|&(lo, hi)| (lo..=hi).contains(&v))
}

/// Lexes a set command's parameters and checks their count.
pub fn args(text: &[u8], min: usize, max: usize) -> Result<Args<'_>, Error> {
    let p = Args::parse(text)?;
    p.expect_count(min, max)?;
    Ok(p)
}

/// The parameters of a set command that names the device first
/// (`<ref>,...`); any other form is a syntax error.
pub fn ref_args(form: Form<'_>, min: usize, max: usize) -> Result<Args<'_>, Error> {
    let Form::Set(t) = form else {
        return Err(Error::Syntax);
    };
    let p = args(t, min, max)?;
    int(&p, 0, REF)?;
    Ok(p)
}

/// Required unquoted integer parameter `i`, within `spans`.
pub fn int(p: &Args<'_>, i: usize, spans: Spans) -> Result<u32, Error> {
    int_param(p.require(i)?, spans)
}

/// Optional integer parameter `i`: `None` when absent or empty.
pub fn opt_int(p: &Args<'_>, i: usize, spans: Spans) -> Result<Option<u32>, Error> {
    match p.get(i) {
        Param::Empty => Ok(None),
        param => int_param(param, spans).map(Some),
    }
}

fn int_param(param: Param<'_>, spans: Spans) -> Result<u32, Error> {
    let v = param.int()?;
    let v = u32::try_from(v).map_err(|_| Error::ParamValue)?;
    if allowed(spans, v) {
        Ok(v)
    } else {
        Err(Error::ParamValue)
    }
}

/// A `u16` the spans already bound to 0..=65535.
pub fn int16(p: &Args<'_>, i: usize, spans: Spans) -> Result<u16, Error> {
    int(p, i, spans).and_then(|v| u16::try_from(v).map_err(|_| Error::ParamValue))
}

/// Required string parameter (quoted or bare) of printable ASCII, `1..=max` bytes.
pub fn text<'a>(p: &Args<'a>, i: usize, max: usize) -> Result<&'a [u8], Error> {
    printable(p.require(i)?.text(), max)
}

/// Optional string parameter: `None` when absent or `,,`.
pub fn opt_text<'a>(p: &Args<'a>, i: usize, max: usize) -> Result<Option<&'a [u8]>, Error> {
    match p.get(i) {
        Param::Empty => Ok(None),
        param => printable(param.text(), max).map(Some),
    }
}

/// Checks that `t` is 1..=max bytes of printable ASCII (hosts, codes, keys).
pub fn printable(t: &[u8], max: usize) -> Result<&[u8], Error> {
    if t.is_empty() || t.len() > max || !t.iter().all(|c| (0x20..0x7f).contains(c)) {
        return Err(Error::ParamValue);
    }
    Ok(t)
}

/// One field of a `=?` answer.
#[derive(Clone, Copy, Debug)]
pub enum TestField {
    /// A numeric parameter: its spans in parentheses.
    Int(Spans),
    /// A string parameter: its name as the manual writes it (`<insBitmap>`).
    Name(&'static [u8]),
}
