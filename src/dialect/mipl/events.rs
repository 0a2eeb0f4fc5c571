//! Client events as MIPL URCs (`+MIPLEVENT`, and the server requests of
//! later issues).

use super::State;
use crate::dialect::Context;
use crate::host::Host;
use crate::lwm2m::Event;

/// Prints what `event` means for the MCU and updates the dialect state.
pub fn on_event<H: Host + ?Sized>(_state: &mut State, _cx: &mut Context<'_, '_, H>, _event: Event<'_>) {}
