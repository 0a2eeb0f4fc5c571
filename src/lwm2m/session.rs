//! The registration as QLA keeps it across deep sleep: postcard-friendly,
//! borrowing its bytes (from the client when taken, from the NV record
//! when read back). NV I/O itself is `persist.rs`'s job.

use super::Binding;
use serde::{Deserialize, Serialize};

/// A registered session, times relative to when it was taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session<'a> {
    /// Server host.
    #[serde(borrow)]
    pub host: &'a [u8],
    /// Server port.
    pub port: u16,
    /// Endpoint client name.
    #[serde(borrow)]
    pub endpoint_name: &'a [u8],
    /// Registration location (`rd/5a3f`).
    #[serde(borrow)]
    pub location: &'a [u8],
    /// OneNET auth code (empty: none).
    #[serde(borrow)]
    pub auth_code: &'a [u8],
    /// Lifetime in force.
    pub lifetime_s: u32,
    /// Binding in force.
    pub binding: Binding,
    /// Milliseconds of lifetime left when the snapshot was taken.
    pub remaining_ms: u64,
    /// CoAP ACK timeout.
    pub ack_timeout_ms: u32,
    /// CoAP MAX_RETRANSMIT.
    pub max_retransmit: u8,
}
