//! The QLA command set (profile `qla`, seed 004).
//!
//! `dispatch` looks the name up in [`COMMANDS`], checks the form against the
//! forms the manual defines for it, and hands the line to one handler:
//! - [`server`]: `AT+QLACONFIG` (registration parameters, persisted),
//! - [`options`]: `AT+QLACFG` (the nine optional settings, persisted),
//! - [`objects`]: `AT+QLAADDOBJ` / `AT+QLADELOBJ` (custom objects, persisted),
//! - [`requests`]: every command that needs the network, validated into a
//!   typed request and passed to [`session`], the seam to the LwM2M client.
//!
//! Forms the manual does not define for a command are refused: a set form
//! where only execute/read exist carries parameters nobody asked for
//! (`ParamCount`, +CMEE ERROR: 2); execute where a set form is required lacks
//! them (`ParamCount`); any other undefined form (`?`, `=?`, execute of a
//! query-only command, `AT+QLACFG?x`) is `Syntax` (+CMEE ERROR: 3). Seed 004 defines no test (`=?`) responses, so
//! there is no text to reproduce for them.

pub mod events;
pub mod objects;
pub mod options;
mod records;
pub mod registration;
pub mod requests;
pub mod server;
pub mod session;

use super::{Context, Dispatch};
use crate::at::{Command, Error, Form, Param, Params, Writer};
use crate::config::QLA_MAX_RESOURCES;
use crate::host::Host;
use crate::model::qla::ObjectTable;
use crate::persist::Slots;

pub use options::Options;
pub use records::RECORD_BUF;
pub use server::ServerConfig;
pub use session::Session;

/// Everything the QLA dialect keeps between commands.
///
/// `repr(C)`, the small hot parts first (the session, the settings, the
/// NV slots): within Cortex-M0's short load/store offsets, before the
/// server config's ~600 bytes of strings.
#[derive(Debug, Default)]
#[repr(C)]
pub struct State {
    /// The LwM2M session (the seam to the client).
    pub session: Session,
    /// `AT+QLACFG` settings.
    pub options: Options,
    nv: [Slots; records::KIND_COUNT],
    /// Objects added with `AT+QLAADDOBJ`.
    pub objects: ObjectTable,
    /// The active `AT+QLACONFIG` (LwM2M or bootstrap server), if any.
    pub server: Option<ServerConfig>,
}

/// The QLA commands (seed 004 §2 table 2). The network commands come
/// first, in the order of their rows in `requests::RULES` (the row is the
/// discriminant: no search).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub(crate) enum Cmd {
    Update,
    ReadRsp,
    ObserveRsp,
    WriteRsp,
    ExecRsp,
    Notify,
    SendData,
    Config,
    Cfg,
    Reg,
    Dereg,
    AddObj,
    DelObj,
    Read,
    Recover,
    Status,
}

/// Forms a command accepts, as bits.
const EXEC: u8 = 1;
const READ: u8 = 2;
const SET: u8 = 4;

/// The set form, taking at most `max` parameters: the limit rides in the
/// forms byte above the form bits (no second table).
const fn set(max: usize) -> u8 {
    assert!(max <= FIELDS && FIELDS < 32);
    SET | (max as u8) << 3
}

/// The most parameters a QLA set command takes: QLAADDOBJ's three ids and
/// its resources, or the nine of QLACONFIG and the network commands.
const FIELDS: usize = if 3 + QLA_MAX_RESOURCES > 9 {
    3 + QLA_MAX_RESOURCES
} else {
    9
};

/// A set command's parameters: lexed once by [`run`] for every handler,
/// each command limited to its own count ([`set`]).
pub(crate) type Fields<'a> = Params<'a, FIELDS>;

/// Every command name starts with this (seed 004 §2 table 2).
const PREFIX: &[u8] = b"QLA";

/// The names after [`PREFIX`], each after its length byte, in the order of
/// [`COMMANDS`] (one byte of length instead of padding every name to 8).
/// `QLASENDATA` is the spelling of seed 004 §2 table 2 (a typo for
/// `QLASENDDATA`), accepted as an alias.
const NAMES: &[u8] = b"\x06CONFIG\x03CFG\x03REG\x06UPDATE\x05DEREG\x06ADDOBJ\x06DELOBJ\x05RDRSP\
\x05WRRSP\x06EXERSP\x06OBSRSP\x06NOTIFY\x08SENDDATA\x07SENDATA\x02RD\x07RECOVER\x06STATUS";

/// Command and defined forms of each name of [`NAMES`], in its order.
const COMMANDS: [(Cmd, u8); 17] = [
    (Cmd::Config, READ | set(9)),
    (Cmd::Cfg, READ | set(6)),
    (Cmd::Reg, EXEC),
    (Cmd::Update, set(9)),
    (Cmd::Dereg, EXEC),
    (Cmd::AddObj, READ | set(3 + QLA_MAX_RESOURCES)),
    (Cmd::DelObj, set(1)),
    (Cmd::ReadRsp, set(9)),
    (Cmd::WriteRsp, set(9)),
    (Cmd::ExecRsp, set(9)),
    (Cmd::ObserveRsp, set(9)),
    (Cmd::Notify, set(9)),
    (Cmd::SendData, set(9)),
    (Cmd::SendData, set(9)),
    (Cmd::Read, EXEC | READ),
    (Cmd::Recover, EXEC),
    (Cmd::Status, READ),
];

/// The row of `name`, if it is a QLA command (any case).
fn lookup(name: &[u8]) -> Option<(Cmd, u8)> {
    let (prefix, rest) = name.split_at_checked(PREFIX.len())?;
    if !prefix.eq_ignore_ascii_case(PREFIX) {
        return None;
    }
    let mut names = NAMES;
    for &row in &COMMANDS {
        let (&len, tail) = names.split_first()?;
        let (candidate, next) = tail.split_at_checked(usize::from(len))?;
        if rest.eq_ignore_ascii_case(candidate) {
            return Some(row);
        }
        names = next;
    }
    None
}

/// Refuses a form the command does not define (see the module docs).
fn check_form(form: &Form<'_>, allowed: u8) -> Result<(), Error> {
    let bit = match form {
        Form::Exec => EXEC,
        Form::Read => READ,
        Form::Set(_) => SET,
        Form::Test | Form::Malformed => 0,
    };
    if allowed & bit != 0 {
        return Ok(());
    }
    match form {
        Form::Set(_) => Err(Error::ParamCount),
        Form::Exec if allowed & SET != 0 => Err(Error::ParamCount),
        _ => Err(Error::Syntax),
    }
}

/// Runs `cmd` if it is a QLA command.
// Out of line (with the handlers inlined into it): inlined into the
// engine's dispatch it costs ~50 B more.
#[inline(never)]
pub fn dispatch<H: Host + ?Sized>(state: &mut State, cx: &mut Context<'_, '_, H>, cmd: &Command<'_>) -> Dispatch {
    let (which, forms) = lookup(cmd.name)?;
    Some(check_form(&cmd.form, forms).and_then(|()| run(state, cx, which, forms, &cmd.form)))
}

fn run<H: Host + ?Sized>(
    state: &mut State,
    cx: &mut Context<'_, '_, H>,
    which: Cmd,
    forms: u8,
    form: &Form<'_>,
) -> Result<(), Error> {
    if let Form::Set(text) = *form {
        // Every handler lexed its parameters first: lexing them here, once,
        // keeps each command's error precedence.
        let mut params = Fields::EMPTY;
        params.lex_at_most(text, usize::from(forms >> 3))?;
        let p = &params;
        return match which {
            Cmd::Config => server::set(state, cx, p),
            Cmd::Cfg => options::set(state, cx, p),
            Cmd::AddObj | Cmd::DelObj => objects::change(state, cx, p, which == Cmd::AddObj),
            _ => requests::run(state, cx, which, p),
        };
    }
    // check_form let only the forms of COMMANDS through: a read form here
    // is the only other one a command with a set form defines.
    match (which, *form) {
        (Cmd::Config, _) => server::query(state, cx),
        (Cmd::Cfg, _) => options::query_all(state, cx),
        (Cmd::AddObj, _) => objects::query(state, cx),
        (Cmd::Status, _) => {
            number_line(cx.out, b"QLASTATUS", state.session.status().into());
            Ok(())
        }
        // Execute-only commands have no parameters to parse.
        (Cmd::Reg, _) => session::register(state, cx),
        (Cmd::Dereg, _) => session::deregister(state, cx),
        (Cmd::Recover, _) => session::recover_command(state, cx),
        (Cmd::Read, f) => requests::read_cache(state, cx, matches!(f, Form::Read)),
        // Not reached: every other command defines only a set form.
        _ => Err(Error::Other),
    }
}

/// Starts a response or URC line `\r\n+NAME: ` (seed 004 §1.1: a space after
/// the colon). The static QLA profile, not `cx.profile` (the same one: only
/// the QLA profile reaches this dialect): one shared call, no profile load.
fn begin<'w, 'h, H: Host + ?Sized>(out: &'w mut Writer<'h, H>, name: &[u8]) -> &'w mut Writer<'h, H> {
    super::profile::QLA.begin(out, name)
}

/// `,<n>`: the most common step of a response line, one call (flash).
#[inline(never)]
fn comma_uint<'w, 'h, H: Host + ?Sized>(out: &'w mut Writer<'h, H>, n: u32) -> &'w mut Writer<'h, H> {
    out.byte(b',').uint(n.into())
}

/// `+NAME: <n>`, a whole response line.
#[inline(never)]
fn number_line<H: Host + ?Sized>(out: &mut Writer<'_, H>, name: &[u8], n: u32) {
    begin(out, name).uint(n.into()).end();
}

/// A string parameter, quoted or bare (seed 004 §5.3 writes a bare host):
/// present, at most `max` bytes, printable ASCII (`space` allows blanks).
fn text_param(p: Param<'_>, max: usize, space: bool) -> Result<&[u8], Error> {
    if p.is_empty() {
        return Err(Error::ParamCount);
    }
    crate::at::params::printable(p.text(), max, space)
}

/// A present, unquoted integer in `lo..=hi` (missing is a count error).
// Bounds and value as u32: every QLA integer is non-negative, and the
// call takes its four words in registers (no i64 pairs on the stack).
fn int_param(p: Param<'_>, lo: u32, hi: u32) -> Result<u32, Error> {
    if p.is_empty() {
        return Err(Error::ParamCount);
    }
    // Out of u32 range is out of lo..=hi: the range checked in 32 bits.
    let v = u32::try_from(p.int()?).map_err(|_| Error::ParamValue)?;
    if (lo..=hi).contains(&v) {
        Ok(v)
    } else {
        Err(Error::ParamValue)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every name of seed 004 §2 table 2 (and the SENDATA alias) finds its
    /// command in any case, and NAMES holds exactly one name per row.
    #[test]
    fn every_name_is_found() {
        let names = [
            ("CONFIG", Cmd::Config),
            ("CFG", Cmd::Cfg),
            ("REG", Cmd::Reg),
            ("UPDATE", Cmd::Update),
            ("DEREG", Cmd::Dereg),
            ("ADDOBJ", Cmd::AddObj),
            ("DELOBJ", Cmd::DelObj),
            ("RDRSP", Cmd::ReadRsp),
            ("WRRSP", Cmd::WriteRsp),
            ("EXERSP", Cmd::ExecRsp),
            ("OBSRSP", Cmd::ObserveRsp),
            ("NOTIFY", Cmd::Notify),
            ("SENDDATA", Cmd::SendData),
            ("SENDATA", Cmd::SendData),
            ("RD", Cmd::Read),
            ("RECOVER", Cmd::Recover),
            ("STATUS", Cmd::Status),
        ];
        let total: usize = names.iter().map(|(n, _)| n.len() + 1).sum();
        assert_eq!(total, NAMES.len());
        for (i, (name, cmd)) in names.into_iter().enumerate() {
            for full in [std::format!("QLA{name}"), std::format!("qla{}", name.to_lowercase())] {
                assert_eq!(lookup(full.as_bytes()), Some(COMMANDS[i]), "{full}");
                assert_eq!(COMMANDS[i].0, cmd);
            }
        }
        for other in ["QLA", "QLAX", "QLAREGX", "QLACONFI", "QLARDRS", "XYZREG", "QL"] {
            assert_eq!(lookup(other.as_bytes()), None, "{other}");
        }
    }
}
