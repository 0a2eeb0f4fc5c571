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
//!
//! Each command is one row of [`RULES`]: a parameter count range and one
//! [`Rule`] per parameter, checked in order by [`check`] (one interpreter
//! instead of a parser per command: the rows cost bytes of rodata, a parser
//! costs hundreds of bytes of code). The first bad parameter's error wins,
//! as it did with per-command code.

use super::server::LIFETIME;
use super::{int_param, session, text_param, Cmd, Context, Fields, State};
use crate::at::{Error, Param};
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

/// How one parameter is checked (2 bytes a rule: one-byte payloads).
#[derive(Clone, Copy)]
pub(super) enum Rule {
    /// An unquoted integer of at most this many bits (`0..=2^n-1`: 65535,
    /// 1 and 3 are the manual's bounds).
    Int(u8),
    /// A lifetime in seconds (seed 004 §3.1, §3.4: 20..31536000).
    Lifetime,
    /// A string, quoted or bare: the row of [`TEXT_LIMITS`] with its most
    /// bytes and whether blanks are allowed.
    Text(u8),
    /// `<result>`: `ok` or an error code 11..=16-`ok`: read/observe 1 or
    /// 11..=15, write/execute 2 or 11..=14 (the tables of seed 004 §3.8–§3.11).
    Result(u8),
    /// `<value_type>,<len>,<value>` with types 1..=max: see [`value`]. The
    /// two parameters after it are part of it.
    Value(u8),
    /// `QLAUPDATE`'s second parameter: a lifetime for mode 0, a binding
    /// (0 UDP, 1 UDP queue) for mode 1.
    UpdateArgument,
}

/// The strings of QLACONFIG (the only text rules), by [`Rule::Text`] row:
/// most bytes, blanks allowed. The PSK is even-length hex, at most 256
/// characters (seed 004 §3.1; the odd/non-hex checks are `decode_hex`'s).
const TEXT_LIMITS: [(u16, bool); 4] = {
    use crate::config::{ENDPOINT_MAX, HOST_MAX, PSK_ID_MAX, PSK_MAX};
    [
        (HOST_MAX as u16, false),
        (ENDPOINT_MAX as u16, true),
        (PSK_ID_MAX as u16, true),
        (2 * PSK_MAX as u16 + 1, false),
    ]
};
/// `<server_ip>`.
pub(super) const HOST: Rule = Rule::Text(0);
/// `<endpoint_name>`.
pub(super) const ENDPOINT: Rule = Rule::Text(1);
/// `<PSK_ID>`.
pub(super) const PSK_ID: Rule = Rule::Text(2);
/// `<PSK>` as hex text.
pub(super) const PSK_HEX: Rule = Rule::Text(3);

/// The parameters as the rules see them: a parsed list, with QLACONFIG's
/// §5.2 "host,port" parameter unfolded (server.rs): parameter 1 split at
/// its last comma counts as two (host, port) and the rest shift up by one.
/// Looked up by index instead of copied into a second list.
pub(super) struct Args<'p, 'a> {
    pub(super) params: &'p Fields<'a>,
    /// Host and port text when parameter 1 holds both.
    pub(super) folded: Option<(&'a [u8], &'a [u8])>,
}

impl<'a> Args<'_, 'a> {
    pub(super) fn len(&self) -> usize {
        self.params.len() + self.folded.is_some() as usize
    }

    pub(super) fn get(&self, i: usize) -> Param<'a> {
        match (self.folded, i) {
            (Some((host, _)), 1) => Param::Quoted(host),
            (Some((_, port)), 2) => Param::Bare(port),
            (Some(_), _) if i > 2 => self.params.get(i - 1),
            _ => self.params.get(i),
        }
    }
}

const ID: Rule = Rule::Int(16);
/// `<ack>`: validated only when given (the count range makes it optional).
const FLAG: Rule = Rule::Int(1);

/// The rules of every network command, back to back (commands with the
/// same parameters share theirs).
const ALL_RULES: [Rule; 19] = [
    // 0: Update: <mode>,<lifetime|binding>
    FLAG,
    Rule::UpdateArgument,
    // 2: ReadRsp, ObserveRsp:
    // <messageID>,<result>,<obj>,<inst>,<res>,<value_type>,<len>,<value>,<index>
    ID,
    Rule::Result(1),
    ID,
    ID,
    ID,
    Rule::Value(5),
    ID,
    // 9: WriteRsp, ExecRsp: <messageID>,<result>
    ID,
    Rule::Result(2),
    // 11: Notify: <obj>,<inst>,<res>,<value_type>,<len>,<value>,<index>[,<ack>]
    ID,
    ID,
    ID,
    Rule::Value(5),
    ID,
    FLAG,
    // 17: SendData (seed 004 §3.13: string or opaque only)
    Rule::Value(2),
    FLAG,
];

/// Per network command, in the order of [`Cmd`] (its discriminant is the
/// row): fewest and most parameters, then where its rules start in
/// [`ALL_RULES`] and how many there are (4 bytes a row).
type Row = (u8, u8, u8, u8);

const RULES: [Row; 7] = [
    // Update
    (2, 2, 0, 2),
    // ReadRsp
    (9, 9, 2, 7),
    // ObserveRsp
    (9, 9, 2, 7),
    // WriteRsp
    (2, 2, 9, 2),
    // ExecRsp
    (2, 2, 9, 2),
    // Notify
    (7, 8, 11, 6),
    // SendData
    (3, 4, 17, 2),
];

/// The row of network command `cmd`.
fn row(cmd: Cmd) -> Option<&'static Row> {
    RULES.get(cmd as usize)
}

/// The rules of `row`.
fn rules(row: &Row) -> &'static [Rule] {
    let (start, len) = (row.2 as usize, row.3 as usize);
    ALL_RULES.get(start..start + len).unwrap_or_default()
}

/// A network command, validated: its parameters and their numeric values
/// (ids, codes, flags; 0 for text), for the session to read.
// The device-management work reads the remaining accessors (path, value, ack).
#[allow(dead_code)]
pub(crate) struct Request<'p, 'a> {
    /// Which command.
    pub(crate) cmd: Cmd,
    /// The parameters as given (borrowed where they were parsed: no copy).
    pub(crate) params: &'p Fields<'a>,
    /// `numbers[i]`: parameter `i` as a number.
    numbers: [u32; 9],
}

#[allow(dead_code)]
impl<'a> Request<'_, 'a> {
    /// Parameter `i` as a number (0 when absent or text).
    pub fn number(&self, i: usize) -> u32 {
        self.numbers.get(i).copied().unwrap_or(0)
    }

    /// The `<value_type>,<len>,<value>` starting at parameter `i`.
    pub fn value(&self, i: usize) -> Value<'a> {
        Value {
            kind: ValueType::from_code(self.number(i) as i64).unwrap_or(ValueType::String),
            text: self.params.get(i + 2).text(),
        }
    }

    /// The `/object/instance/resource` starting at parameter `i`.
    pub fn path(&self, i: usize) -> Path {
        let id = |k| self.number(i + k) as u16;
        Path {
            object: id(0),
            instance: id(1),
            resource: id(2),
        }
    }

    /// The `<ack>` at parameter `i`: Some(true) CON, Some(false) NON, None omitted.
    pub fn confirmable(&self, i: usize) -> Option<bool> {
        (i < self.params.len()).then(|| self.number(i) == 1)
    }
}

/// Checks the parameters of `args` from `at` on against `rules`, in
/// order, up to the last one given; `numbers[i]` gets parameter `i` as a
/// number (text leaves it 0). One interpreter for QLACONFIG and the
/// network commands.
// Out of line: inlined into the dispatcher it costs ~70 B more.
#[inline(never)]
pub(super) fn check(args: &Args<'_, '_>, mut at: usize, rules: &[Rule], numbers: &mut [u32; 9]) -> Result<(), Error> {
    for rule in rules {
        if at >= args.len() {
            break;
        }
        let p = args.get(at);
        let mut width = 1;
        // The integer rules as one range (one int_param call for all).
        let (lo, hi) = match *rule {
            Rule::Int(bits) => (0, (1 << bits) - 1),
            Rule::UpdateArgument if numbers[0] != 0 => (0, 1),
            Rule::Lifetime | Rule::UpdateArgument => (LIFETIME.0 as u32, LIFETIME.1 as u32),
            Rule::Result(..) => (0, 255),
            Rule::Text(row) => {
                let (max, space) = TEXT_LIMITS[usize::from(row) & 3];
                text_param(p, max.into(), space)?;
                (0, 0)
            }
            Rule::Value(max_kind) => {
                width = 3;
                (1, max_kind.into())
            }
        };
        // Text leaves its number at 0.
        let n = match *rule {
            Rule::Text(..) => 0,
            _ => int_param(p, lo, hi)?,
        };
        if let Rule::Value(_) = *rule {
            value(n, args.get(at + 1), args.get(at + 2))?;
        }
        if let Rule::Result(ok) = *rule {
            let ok = u32::from(ok);
            if n != ok && !(11..=16 - ok).contains(&n) {
                return Err(Error::ParamValue);
            }
        }
        if let Some(slot) = numbers.get_mut(at) {
            *slot = n;
        }
        at += width;
    }
    Ok(())
}

/// Seed 004 §3.8: `<len>` counts characters (string, integer, float), bytes
/// (opaque: hex characters / 2, at most 512) or is 1 (boolean, value 0|1).
/// An odd number of hex digits is err 13 (§6), before any length check.
// `kind` is the type's number (the `ValueType` discriminant), already
// checked by check()'s one int_param call with the other integer rules.
fn value(kind: u32, len: Param<'_>, text: Param<'_>) -> Result<(), Error> {
    const OPAQUE: u32 = ValueType::Opaque as u32;
    const INTEGER: u32 = ValueType::Integer as u32;
    const FLOAT: u32 = ValueType::Float as u32;
    const BOOL: u32 = ValueType::Bool as u32;
    let len = int_param(len, 0, PAYLOAD_MAX as u32)? as usize;
    if text.is_empty() {
        return Err(Error::ParamCount);
    }
    let t = text.text();
    let (units, well_formed) = match kind {
        OPAQUE => {
            // a non-hex digit is ParamValue, as a wrong <len> is
            let bytes = crate::at::params::hex_len(t)?;
            (bytes, bytes <= PAYLOAD_MAX / 2)
        }
        INTEGER => (t.len(), is_integer(t)),
        FLOAT => (t.len(), is_float(t)),
        BOOL => (t.len(), matches!(t, [b'0' | b'1'])),
        // String: LwM2M strings are UTF-8 (OMA-TS-LightweightM2M 1.0 appendix C).
        _ => (t.len(), is_utf8(t)),
    };
    if !well_formed || units != len {
        return Err(Error::ParamValue);
    }
    Ok(())
}

/// Well-formed UTF-8 (Unicode table 3-7: no overlong forms, surrogates or
/// code points above U+10FFFF), exactly what `core::str::from_utf8`
/// accepts: a loop over the lead bytes instead of its word-at-a-time
/// validator and 256-byte width table (~400 bytes of flash).
// Inlined into its one caller again: with the value checker matching type
// numbers it is smaller there than behind a call.
fn is_utf8(mut t: &[u8]) -> bool {
    while let [lead, rest @ ..] = t {
        // Continuation bytes that follow `lead`, and the range of the first.
        let (n, lo, hi) = match *lead {
            0x00..=0x7F => (0, 0, 0),
            0xC2..=0xDF => (1, 0x80, 0xBF),
            0xE0 => (2, 0xA0, 0xBF),
            0xED => (2, 0x80, 0x9F),
            0xE1..=0xEF => (2, 0x80, 0xBF),
            0xF0 => (3, 0x90, 0xBF),
            0xF1..=0xF3 => (3, 0x80, 0xBF),
            0xF4 => (3, 0x80, 0x8F),
            _ => return false,
        };
        let Some((continuation, tail)) = rest.split_at_checked(n) else {
            return false;
        };
        let mut range = (lo, hi);
        for &b in continuation {
            if !(range.0..=range.1).contains(&b) {
                return false;
            }
            range = (0x80, 0xBF);
        }
        t = tail;
    }
    true
}

/// Decimal digits with an optional sign, fitting an i64.
fn is_integer(t: &[u8]) -> bool {
    number_shape(t, INTEGER_STATES) && crate::at::params::parse_int(t).is_some()
}

/// `[+-]digits[.digits][(e|E)[+-]digits]`, at least one mantissa digit.
fn is_float(t: &[u8]) -> bool {
    number_shape(t, FLOAT_STATES)
}

/// The number grammar of [`crate::at::params::number_shape`]: `NEXT[class]`
/// holds, one nibble per state 0..=7, the state a byte of that class leads
/// to (15: not a number). States: 0 start, 1 after the sign, 2 integer
/// digits, 3 a point without digits before it, 4 fraction digits (or a
/// point after digits), 5 after `e`, 6 after the exponent's sign, 7
/// exponent digits. Classes: digit, sign, point, `e`.
const NEXT: [u32; 4] = [0x7774_4222, 0xFF6F_FFF1, 0xFFFF_F433, 0xFFF5_F5FF];
/// Accepting states as bits: `[+-]digits` only.
const INTEGER_STATES: u8 = 1 << 2;
/// Accepting states as bits: digits, fraction, exponent.
const FLOAT_STATES: u8 = 1 << 2 | 1 << 4 | 1 << 7;

/// True when `t` ends [`NEXT`] in one of the states of `accept`.
fn number_shape(t: &[u8], accept: u8) -> bool {
    crate::at::params::number_shape(t, &NEXT, accept)
}

/// Validates and submits one network command.
pub(super) fn run<H: Host + ?Sized>(
    state: &mut State,
    cx: &mut Context<'_, '_, H>,
    which: Cmd,
    params: &Fields<'_>,
) -> Result<(), Error> {
    let row = row(which).ok_or(Error::Other)?;
    let (min, max, rules) = (row.0, row.1, rules(row));
    let mut request = Request {
        cmd: which,
        params,
        numbers: [0; 9],
    };
    params.expect_count(min.into(), max.into())?;
    let args = Args { params, folded: None };
    check(&args, 0, rules, &mut request.numbers)?;
    session::submit(state, cx, &request)
}

/// `AT+QLARD?` -> `+QLARD: <cached>`; `AT+QLARD` -> `+QLARD: <remaining>[,<urc>]`.
///
/// Seed 004 §3.14 defines both forms by the cache alone and names no error
/// for direct mode (`access_mode` 0). In direct mode nothing is ever cached
/// (§4.15: caching starts once the cache mode is on), so both forms answer
/// truthfully with 0 nodes rather than an error: an MCU that polls the cache
/// sees nothing pending in either mode.
pub(super) fn read_cache<H: Host + ?Sized>(
    state: &mut State,
    cx: &mut Context<'_, '_, H>,
    _read: bool,
) -> Result<(), Error> {
    // AT+QLARD? and AT+QLARD print the same line while the cache is empty
    // (§3.14): the count. Once the device-management work fills the cache,
    // the exec form (`_read` false) appends `,<URC_data>` of the node it
    // hands over.
    super::number_line(cx.out, b"QLARD", state.session.cached() as u32);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(cmd: Cmd, text: &[u8]) -> Result<Request<'static, '_>, Error> {
        let row = row(cmd).unwrap();
        let (min, max, rules) = (row.0, row.1, rules(row));
        // As the dispatcher lexes a network command: at most 9 fields.
        let params: &'static mut Fields<'_> = std::boxed::Box::leak(std::boxed::Box::new(Fields::EMPTY));
        params.lex_at_most(text, 9)?;
        let params: &'static Fields<'_> = params;
        let mut r = Request {
            cmd,
            params,
            numbers: [0; 9],
        };
        r.params.expect_count(min.into(), max.into())?;
        let args = Args { params, folded: None };
        check(&args, 0, rules, &mut r.numbers)?;
        Ok(r)
    }

    proptest::proptest! {
        #[test]
        fn is_utf8_agrees_with_core(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..12)) {
            proptest::prop_assert_eq!(is_utf8(&bytes), core::str::from_utf8(&bytes).is_ok());
        }
    }

    /// The scanner-based grammar the state machine replaced.
    fn reference_float(t: &[u8]) -> bool {
        fn sign(s: &[u8]) -> &[u8] {
            s.strip_prefix(b"+").or_else(|| s.strip_prefix(b"-")).unwrap_or(s)
        }
        fn digits(s: &[u8]) -> (usize, &[u8]) {
            let n = s.iter().take_while(|b| b.is_ascii_digit()).count();
            (n, &s[n..])
        }
        let (int_digits, rest) = digits(sign(t));
        let (frac_digits, rest) = match rest.strip_prefix(b".") {
            Some(frac) => digits(frac),
            None => (0, rest),
        };
        if int_digits + frac_digits == 0 {
            return false;
        }
        match rest {
            [] => true,
            [b'e' | b'E', exp @ ..] => matches!(digits(sign(exp)), (1.., [])),
            _ => false,
        }
    }

    fn reference_integer(t: &[u8]) -> bool {
        let s = t.strip_prefix(b"+").or_else(|| t.strip_prefix(b"-")).unwrap_or(t);
        !s.is_empty() && s.iter().all(u8::is_ascii_digit) && crate::at::params::parse_int(t).is_some()
    }

    proptest::proptest! {
        #[test]
        fn number_grammar_agrees_with_scanners(
            bytes in proptest::collection::vec(proptest::sample::select(b"0159+-.eEx ".to_vec()), 0..8)
        ) {
            proptest::prop_assert_eq!(is_float(&bytes), reference_float(&bytes));
            proptest::prop_assert_eq!(is_integer(&bytes), reference_integer(&bytes));
        }
    }

    #[test]
    fn number_grammar_exhaustive_short() {
        let alphabet = b"07+-.eEa";
        let mut t = std::vec::Vec::new();
        for len in 0..=5u32 {
            for mut k in 0..alphabet.len().pow(len) {
                t.clear();
                for _ in 0..len {
                    t.push(alphabet[k % alphabet.len()]);
                    k /= alphabet.len();
                }
                assert_eq!(is_float(&t), reference_float(&t), "{:?}", std::str::from_utf8(&t));
                assert_eq!(is_integer(&t), reference_integer(&t), "{:?}", std::str::from_utf8(&t));
            }
        }
        assert!(!is_integer(b"99999999999999999999"));
    }

    #[test]
    fn is_utf8_edges() {
        for lead in 0..=255u8 {
            for second in 0..=255u8 {
                for tail in [[0x80, 0x80], [0xBF, 0xBF], [0x41, 0x80], [0x80, 0x41]] {
                    let b = [lead, second, tail[0], tail[1]];
                    for n in 1..=4 {
                        assert_eq!(
                            is_utf8(&b[..n]),
                            core::str::from_utf8(&b[..n]).is_ok(),
                            "{:02X?}",
                            &b[..n]
                        );
                    }
                }
            }
        }
    }

    /// Each row's slice of ALL_RULES covers exactly its most parameters
    /// (a value rule stands for three).
    #[test]
    fn rows_cover_their_parameters() {
        let cmds = [
            Cmd::Update,
            Cmd::ReadRsp,
            Cmd::ObserveRsp,
            Cmd::WriteRsp,
            Cmd::ExecRsp,
            Cmd::Notify,
            Cmd::SendData,
        ];
        assert_eq!(cmds.len(), RULES.len());
        for (i, cmd) in cmds.into_iter().enumerate() {
            assert_eq!(cmd as usize, i);
            let row = *row(cmd).unwrap();
            let rules = rules(&row);
            assert_eq!(rules.len(), row.3 as usize);
            let width: usize = rules
                .iter()
                .map(|r| if matches!(r, Rule::Value(_)) { 3 } else { 1 })
                .sum();
            assert_eq!(width, row.1 as usize, "{cmd:?}");
        }
    }

    #[test]
    fn only_network_commands_have_rows() {
        for cmd in [
            Cmd::Config,
            Cmd::Cfg,
            Cmd::Reg,
            Cmd::Dereg,
            Cmd::AddObj,
            Cmd::DelObj,
            Cmd::Read,
            Cmd::Recover,
            Cmd::Status,
        ] {
            assert!(row(cmd).is_none(), "{cmd:?}");
        }
    }

    #[test]
    fn typed_fields() {
        let r = request(Cmd::Notify, b"19,0,1,2,2,\"0A0B\",0,1").unwrap();
        assert_eq!(
            r.path(0),
            Path {
                object: 19,
                instance: 0,
                resource: 1
            }
        );
        assert_eq!(
            r.value(3),
            Value {
                kind: ValueType::Opaque,
                text: b"0A0B"
            }
        );
        assert_eq!((r.number(6), r.confirmable(7)), (0, Some(true)));
        let r = request(Cmd::SendData, b"1,3,abc").unwrap();
        assert_eq!(r.confirmable(3), None);
        let r = request(Cmd::Update, b"0,31536000").unwrap();
        assert_eq!(r.number(1), 31_536_000);
        assert_eq!(request(Cmd::Update, b"1,2").err(), Some(Error::ParamValue));
        assert_eq!(request(Cmd::WriteRsp, b"1,11").unwrap().number(1), 11);
        assert_eq!(request(Cmd::WriteRsp, b"1,1").err(), Some(Error::ParamValue));
    }
}
