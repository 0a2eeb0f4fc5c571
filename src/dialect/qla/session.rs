//! The seam between the QLA commands and the LwM2M client: one function per
//! kind of request, each taking what [`super::requests`] built from a fully
//! validated command line.
//!
//! The client arrives with the registration work. Until then no session
//! exists, so every function answers what the real module answers in that
//! state: not registered (seed 004 §6: err 4). Nothing here pretends to
//! succeed.

use super::requests::Request;
use super::ServerConfig;
use crate::at::Error;

/// `<status>` of `AT+QLASTATUS?` (seed 004 §3.16).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[repr(u8)]
pub enum Status {
    /// 0: not registered.
    #[default]
    NotRegistered = 0,
    /// 1: registering.
    Registering = 1,
    /// 2: registered.
    Registered = 2,
    /// 3: deregistering.
    Deregistering = 3,
    /// 4: deregistered.
    Deregistered = 4,
    /// 5: invalid.
    Invalid = 5,
    /// 6: recovering.
    Recovering = 6,
    /// 7: a session from before deep sleep can be recovered (only in the
    /// seed 004 §3.15 example; the §3.16 table stops at 6).
    Recoverable = 7,
}

/// The LwM2M session as the QLA commands see it.
#[derive(Debug, Default)]
pub struct Session {
    status: Status,
}

/// What a request needs that only a registered session has.
fn needs_registration() -> Result<(), Error> {
    Err(Error::NotRegistered)
}

impl Session {
    /// `AT+QLASTATUS?` value.
    pub fn status(&self) -> u8 {
        self.status as u8
    }

    /// Records where the registration stands (from the client's events).
    pub fn set_status(&mut self, status: Status) {
        self.status = status;
    }

    /// `AT+QLAREG` with the active `AT+QLACONFIG` (None: never configured).
    pub fn register(&mut self, server: Option<&ServerConfig>) -> Result<(), Error> {
        match server {
            // seed 004 §6: 34 "create LwM2M error": no client can be created
            // without a server to register with (profile QLA maps NotAllowed to 34).
            None => Err(Error::NotAllowed),
            // The client that sends the Register arrives with the registration
            // work; until then the honest answer is "other error".
            Some(_) => Err(Error::Other),
        }
    }

    /// A validated network command: `AT+QLAUPDATE`, the responses to the
    /// server's requests (`AT+QLARDRSP`, `AT+QLAOBSRSP`, `AT+QLAWRRSP`,
    /// `AT+QLAEXERSP`), `AT+QLANOTIFY` and `AT+QLASENDDATA`; `request.cmd`
    /// tells them apart and its accessors give the typed fields.
    pub(crate) fn submit(&mut self, _request: &Request<'_>) -> Result<(), Error> {
        needs_registration()
    }

    /// `AT+QLADEREG`.
    pub fn deregister(&mut self) -> Result<(), Error> {
        needs_registration()
    }

    /// `AT+QLARD?`: cached URCs. Only the client fills the cache (seed 004
    /// §4.15), so without it the cache is empty.
    pub fn cached(&self) -> usize {
        0
    }

    /// `AT+QLARECOVER`: there is no session to recover (seed 004 §3.15 needs
    /// one from before deep sleep, status 7).
    pub fn recover(&mut self) -> Result<(), Error> {
        needs_registration()
    }
}
