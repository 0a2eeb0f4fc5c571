//! Compile-time capacities. `build.rs` writes them from the `LWAT_*`
//! environment variables (defaults from the manuals); the list is in the README.
include!(concat!(env!("OUT_DIR"), "/config.rs"));
