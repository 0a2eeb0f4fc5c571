//! lwat: a `no_std`, heap-free LwM2M client that sits behind the China Mobile
//! OneNET MIPL and the Quectel QLA AT command sets.
//!
//! The vendor's C firmware owns the UART, the IP stack and the flash; it hands
//! lwat AT lines, datagrams and the time, and lwat answers with AT text,
//! datagrams and NV records through the [`Host`] it is given. See
//! `../shared/DESIGN.md` for the layers.
#![cfg_attr(not(test), no_std)]
#![deny(unsafe_op_in_unsafe_fn)]
#![warn(missing_docs)]

// On hosted targets the staticlib is linked into ordinary C programs: std
// provides the panic runtime there (the engine itself uses only core).
#[cfg(all(not(test), not(target_os = "none")))]
extern crate std;

mod arith;
pub mod at;
mod bytes;
pub mod coap;
pub mod codec;
pub mod config;
pub mod dialect;
pub mod engine;
pub mod ffi;
#[cfg(feature = "hal")]
pub mod hal;
pub mod host;
pub mod lwm2m;
pub mod model;
pub mod persist;

pub use engine::{Engine, Handled, Settings};
pub use host::Host;
