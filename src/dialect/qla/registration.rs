//! What AT+QLAREG hands the LwM2M client: the AT+QLACONFIG server, and the
//! retransmission and automatic-update settings of AT+QLACFG.

use super::{Options, ServerConfig};
use crate::coap::layer::Config;
use crate::lwm2m::client::RegisterParams;
use crate::lwm2m::lifetime::UpdatePolicy;
use crate::lwm2m::Binding;

/// The Register parameters for `AT+QLAREG`.
pub fn params<'a>(server: &'a ServerConfig, options: &Options) -> RegisterParams<'a> {
    RegisterParams {
        host: &server.host,
        port: server.port,
        bootstrap: server.bootstrap,
        endpoint: &server.endpoint,
        lifetime_s: server.lifetime,
        binding: if server.binding == 1 { Binding::UQ } else { Binding::U },
        auth_code: None,
        // seed 004 has no registration timeout: the exchange gives up after
        // its retransmissions ("retransmit").
        timeout_ms: None,
        config: retransmission(options),
        update_policy: policy(options),
    }
}

/// seed 004 §3.2 "lifetime_enable" with the §3.1 update interval.
pub fn policy(options: &Options) -> Option<UpdatePolicy> {
    options.lifetime_enable().then_some(UpdatePolicy::QlaInterval)
}

/// seed 004 §3.2 "retransmit": `<ack_timeout>` seconds, `<retrans_max_times>`.
pub fn retransmission(options: &Options) -> Config {
    Config {
        ack_timeout_ms: options.ack_timeout() as u32 * 1000,
        max_retransmit: options.retrans_max(),
    }
}
