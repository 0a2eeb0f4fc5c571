//! The MIPL command set (profiles `onemo` and `bc260y`).

use super::{Context, Dispatch};
use crate::at::Command;
use crate::host::Host;

/// Everything the MIPL dialect keeps between commands.
#[derive(Debug, Default)]
pub struct State {}

impl State {
    /// The state after power-on (MIPL keeps nothing in NV: seed 003 §3.3).
    pub fn new() -> Self {
        State {}
    }
}

/// Runs `cmd` if it is a MIPL command.
pub fn dispatch<H: Host + ?Sized>(_state: &mut State, _cx: &mut Context<'_, '_, H>, _cmd: &Command<'_>) -> Dispatch {
    None
}
