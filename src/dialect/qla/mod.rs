//! The QLA command set (profile `qla`).

use super::{Context, Dispatch};
use crate::at::Command;
use crate::host::Host;

/// Everything the QLA dialect keeps between commands.
#[derive(Debug, Default)]
pub struct State {}

impl State {
    /// The state after power-on, with what NV holds restored.
    pub fn restore<H: Host + ?Sized>(_host: &mut H) -> Self {
        State {}
    }
}

/// Runs `cmd` if it is a QLA command.
pub fn dispatch<H: Host + ?Sized>(_state: &mut State, _cx: &mut Context<'_, '_, H>, _cmd: &Command<'_>) -> Dispatch {
    None
}
