//! Client events as QLA URCs (`+QLAREG`, `+QLAURC: ...`), and session
//! recovery after deep sleep.

use super::State;
use crate::dialect::Context;
use crate::host::Host;
use crate::lwm2m::Event;

/// Prints what `event` means for the MCU and updates the dialect state.
pub fn on_event<H: Host + ?Sized>(_state: &mut State, _cx: &mut Context<'_, '_, H>, _event: Event<'_>) {}

/// The firmware woke from deep sleep that lasted `slept_ms`
/// (seed 004 §3.15, §4.13: `"recovery_mode"`).
pub fn on_wake<H: Host + ?Sized>(_state: &mut State, _cx: &mut Context<'_, '_, H>, _slept_ms: u64) {}
