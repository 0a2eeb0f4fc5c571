//! The QLA commands that need the network: each line is validated in full
//! and turned into a typed request for [`super::session`], which decides
//! the answer. A malformed line never reaches the session, so its error
//! (2, 3, 13) wins over the session's (4 not registered).
//!
//! Rules (seed 004 §3.3–§3.15):
//! - ids (`<messageID>`, object, instance, resource, `<index>`): unquoted
//!   integers 0..=65535 (CoAP message ids and LwM2M ids are 16-bit);
//! - `<result>`: 1, 11..15 for read/observe responses, 2, 11..14 for
//!   write/execute responses (the tables of §3.8–§3.11);
//! - `<value_type>`/`<len>`/`<value>`: see [`value`];
//! - `<ack>` (NOTIFY, SENDDATA) 0 or 1, optional.

use super::server::LIFETIME;
use super::{begin, int_param, Cmd, Context, State};
use crate::at::{Error, Param, Params};
use crate::config::PAYLOAD_MAX;
use crate::host::Host;
use crate::model::ValueType;

/// A validated `<value_type>,<len>,<value>`. Opaque values stay hex text
/// (checked) until the client encodes them, so nothing is copied here.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Value<'a> {
    /// The declared type (1..5).
    pub kind: ValueType,
    /// The value text as given (hex digits for opaque).
    pub text: &'a [u8],
}

/// `/object/instance/resource`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Path {
    /// Object id.
    pub object: u16,
    /// Instance id.
    pub instance: u16,
    /// Resource id.
    pub resource: u16,
}

/// `AT+QLARDRSP` / `AT+QLAOBSRSP`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ValueResponse<'a> {
    /// True for `AT+QLAOBSRSP`.
    pub observe: bool,
    /// The request's `<messageID>`.
    pub mid: u16,
    /// `<result>` (1 content, 11..15 errors).
    pub result: u8,
    /// The resource.
    pub path: Path,
    /// The value.
    pub value: Value<'a>,
    /// `<index>`: parts still to come (0 = last).
    pub index: u16,
}

/// `AT+QLAWRRSP` / `AT+QLAEXERSP`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ack {
    /// True for `AT+QLAEXERSP`.
    pub execute: bool,
    /// The request's `<messageID>`.
    pub mid: u16,
    /// `<result>` (2 changed, 11..14 errors).
    pub result: u8,
}

/// `AT+QLANOTIFY`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Notify<'a> {
    /// The observed resource.
    pub path: Path,
    /// The value.
    pub value: Value<'a>,
    /// `<index>`.
    pub index: u16,
    /// `<ack>`: Some(true) CON, Some(false) NON, None omitted.
    pub confirmable: Option<bool>,
}

/// `AT+QLASENDDATA`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SendData<'a> {
    /// String or opaque.
    pub value: Value<'a>,
    /// `<ack>`: Some(true) CON, Some(false) NON, None omitted.
    pub confirmable: Option<bool>,
}

/// `AT+QLAUPDATE=<mode>,<lifetime|binding>`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Update {
    /// Mode 0: a new lifetime in seconds.
    Lifetime(u32),
    /// Mode 1: 0 UDP, 1 UDP queue.
    Binding(u8),
}

fn id(p: Param<'_>) -> Result<u16, Error> {
    int_param(p, 0, 65535).map(|v| v as u16)
}

fn path(params: &Params<'_, 9>, at: usize) -> Result<Path, Error> {
    Ok(Path {
        object: id(params.get(at))?,
        instance: id(params.get(at + 1))?,
        resource: id(params.get(at + 2))?,
    })
}

fn flag(p: Param<'_>) -> Result<bool, Error> {
    int_param(p, 0, 1).map(|v| v == 1)
}

/// An optional trailing `<ack>`: present only when the line has `at + 1` fields.
fn optional_ack(params: &Params<'_, 9>, at: usize) -> Result<Option<bool>, Error> {
    if params.len() > at {
        flag(params.get(at)).map(Some)
    } else {
        Ok(None)
    }
}

/// `<result>`: `ok` (1 or 2) or an error code 11..=`last_error`.
fn result_code(p: Param<'_>, ok: i64, last_error: i64) -> Result<u8, Error> {
    let v = int_param(p, 0, 255)?;
    if v == ok || (11..=last_error).contains(&v) {
        Ok(v as u8)
    } else {
        Err(Error::ParamValue)
    }
}

/// Seed 004 §3.8: `<len>` counts characters (string, integer, float), bytes
/// (opaque: hex characters / 2, at most 512) or is 1 (boolean, value 0|1).
/// An odd number of hex digits is err 13 (§6), before any length check.
pub fn value<'a>(kind: Param<'_>, len: Param<'_>, text: Param<'a>, max_kind: i64) -> Result<Value<'a>, Error> {
    let kind = ValueType::from_code(int_param(kind, 1, max_kind)?).ok_or(Error::ParamValue)?;
    let len = int_param(len, 0, PAYLOAD_MAX as i64)? as usize;
    if text.is_empty() {
        return Err(Error::ParamCount);
    }
    let t = text.text();
    let (units, well_formed) = match kind {
        ValueType::Opaque => {
            if t.len() % 2 != 0 {
                return Err(Error::OddHex);
            }
            let hex = t.iter().all(u8::is_ascii_hexdigit);
            (t.len() / 2, hex && t.len() / 2 <= PAYLOAD_MAX / 2)
        }
        ValueType::Integer => (t.len(), is_integer(t)),
        ValueType::Float => (t.len(), is_float(t)),
        ValueType::Bool => (t.len(), t == b"0" || t == b"1"),
        // LwM2M strings are UTF-8 (OMA-TS-LightweightM2M 1.0 appendix C).
        ValueType::String | ValueType::HexString => (t.len(), core::str::from_utf8(t).is_ok()),
    };
    if !well_formed || units != len {
        return Err(Error::ParamValue);
    }
    Ok(Value { kind, text: t })
}

/// Decimal digits with an optional sign, fitting an i64.
fn is_integer(t: &[u8]) -> bool {
    let digits = t.strip_prefix(b"-").or_else(|| t.strip_prefix(b"+")).unwrap_or(t);
    digits.iter().all(u8::is_ascii_digit) && crate::at::params::parse_int(t).is_some()
}

/// `[+-]digits[.digits][(e|E)[+-]digits]`, at least one mantissa digit.
fn is_float(t: &[u8]) -> bool {
    let skip_sign = |s: &[u8]| -> usize { usize::from(matches!(s.first(), Some(b'+' | b'-'))) };
    let digits = |s: &[u8]| s.iter().take_while(|b| b.is_ascii_digit()).count();
    let mut i = skip_sign(t);
    let int_digits = digits(&t[i..]);
    i += int_digits;
    let mut frac_digits = 0;
    if t.get(i) == Some(&b'.') {
        i += 1;
        frac_digits = digits(&t[i..]);
        i += frac_digits;
    }
    if int_digits + frac_digits == 0 {
        return false;
    }
    if matches!(t.get(i), Some(b'e' | b'E')) {
        i += 1;
        i += skip_sign(&t[i..]);
        let exp = digits(&t[i..]);
        if exp == 0 {
            return false;
        }
        i += exp;
    }
    i == t.len()
}

fn value_response<'a>(params: &Params<'a, 9>, observe: bool) -> Result<ValueResponse<'a>, Error> {
    params.expect_count(9, 9)?;
    Ok(ValueResponse {
        observe,
        mid: id(params.get(0))?,
        result: result_code(params.get(1), 1, 15)?,
        path: path(params, 2)?,
        value: value(params.get(5), params.get(6), params.get(7), 5)?,
        index: id(params.get(8))?,
    })
}

fn ack(params: &Params<'_, 9>, execute: bool) -> Result<Ack, Error> {
    params.expect_count(2, 2)?;
    Ok(Ack {
        execute,
        mid: id(params.get(0))?,
        result: result_code(params.get(1), 2, 14)?,
    })
}

fn notify<'a>(params: &Params<'a, 9>) -> Result<Notify<'a>, Error> {
    params.expect_count(7, 8)?;
    Ok(Notify {
        path: path(params, 0)?,
        value: value(params.get(3), params.get(4), params.get(5), 5)?,
        index: id(params.get(6))?,
        confirmable: optional_ack(params, 7)?,
    })
}

fn send_data<'a>(params: &Params<'a, 9>) -> Result<SendData<'a>, Error> {
    params.expect_count(3, 4)?;
    Ok(SendData {
        // seed 004 §3.13: string or opaque only.
        value: value(params.get(0), params.get(1), params.get(2), 2)?,
        confirmable: optional_ack(params, 3)?,
    })
}

fn update(params: &Params<'_, 9>) -> Result<Update, Error> {
    params.expect_count(2, 2)?;
    match int_param(params.get(0), 0, 1)? {
        0 => Ok(Update::Lifetime(
            int_param(params.get(1), LIFETIME.0, LIFETIME.1)? as u32
        )),
        _ => Ok(Update::Binding(int_param(params.get(1), 0, 1)? as u8)),
    }
}

/// Validates and submits one network command.
pub(super) fn run<H: Host + ?Sized>(
    state: &mut State,
    cx: &mut Context<'_, '_, H>,
    which: Cmd,
    read: bool,
    text: &[u8],
) -> Result<(), Error> {
    let session = &mut state.session;
    // Execute-only commands have no parameters to parse.
    match which {
        Cmd::Reg => return session.register(state.server.as_ref()),
        Cmd::Dereg => return session.deregister(),
        Cmd::Recover => return session.recover(),
        Cmd::Read => return read_cache(state, cx, read),
        _ => {}
    }
    let params = Params::<9>::parse(text)?;
    match which {
        Cmd::Update => session.update(update(&params)?),
        Cmd::ReadRsp | Cmd::ObserveRsp => session.respond_value(&value_response(&params, which == Cmd::ObserveRsp)?),
        Cmd::WriteRsp | Cmd::ExecRsp => session.respond_ack(ack(&params, which == Cmd::ExecRsp)?),
        Cmd::Notify => session.notify(&notify(&params)?),
        Cmd::SendData => session.send_data(&send_data(&params)?),
        _ => Err(Error::Other),
    }
}

/// `AT+QLARD?` -> `+QLARD: <cached>`; `AT+QLARD` -> `+QLARD: <remaining>[,<urc>]`.
///
/// Seed 004 §3.14 defines both forms by the cache alone and names no error
/// for direct mode (`access_mode` 0). In direct mode nothing is ever cached
/// (§4.15: caching starts once the cache mode is on), so both forms answer
/// truthfully with 0 nodes rather than an error: an MCU that polls the cache
/// sees nothing pending in either mode.
fn read_cache<H: Host + ?Sized>(state: &mut State, cx: &mut Context<'_, '_, H>, read: bool) -> Result<(), Error> {
    if read {
        begin(cx.out, b"QLARD").uint(state.session.cached() as u64).end();
        return Ok(());
    }
    // An empty cache prints only the count (§3.14); the client that fills
    // the cache will append `,<URC_data>` of the node it hands over.
    begin(cx.out, b"QLARD").uint(state.session.cached() as u64).end();
    Ok(())
}
