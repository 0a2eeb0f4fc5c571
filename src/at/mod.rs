//! The AT front-end: splitting a command line, lexing its parameters and
//! writing responses. Knows nothing about MIPL or QLA.

pub mod line;
pub mod params;
pub mod writer;

pub use line::{Command, Form};
pub use params::{Param, Params};
pub use writer::Writer;

/// Why a command was refused. Each profile maps these to its own numbers in
/// one table (`dialect::profile`), so handlers name the reason, not the code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Error {
    /// The line does not parse: bad form, unterminated quote, junk after a value.
    Syntax,
    /// Too many or too few parameters.
    ParamCount,
    /// A parameter is out of range or of the wrong type.
    ParamValue,
    /// A hex string with an odd number of digits.
    OddHex,
    /// The command needs a registered session.
    NotRegistered,
    /// The command is not allowed in the current state.
    NotAllowed,
    /// The session is already registered (or registering).
    AlreadyRegistered,
    /// An uplink is already in progress.
    Busy,
    /// The instance/object/request the command names does not exist.
    NotFound,
    /// The thing the command creates exists already.
    Exists,
    /// A capacity is exhausted.
    NoMemory,
    /// The feature is disabled or not supported by this profile.
    NotSupported,
    /// Anything else.
    Other,
}
