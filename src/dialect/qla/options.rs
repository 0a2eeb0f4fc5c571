//! `AT+QLACFG`: the optional registration settings (seed 004 §3.2).
//!
//! Every setting has a set form (`AT+QLACFG="<name>",<values>`) and a query
//! form (the values omitted: `+QLACFG: "<name>",<values>` then OK);
//! `AT+QLACFG?` prints all nine in the manual's order. All persist.
//!
//! Defaults (seed 004 gives two; the rest are our choice, and why):
//!
//! | setting           | default | source / reason                                        |
//! |-------------------|---------|--------------------------------------------------------|
//! | retransmit        | 2,5     | §3.2: ack_timeout default 2, retrans_max_times default 5 |
//! | auto_ack          | 0       | §5.2/§5.3 never set it and the MCU answers the observe itself |
//! | access_mode       | 0       | direct output; §3.2's example sets 0 as the normal case |
//! | platform          | 0       | "other platform": no platform-specific behaviour       |
//! | cfg_res 3/0/17    | ""      | no device type until AndLink needs one (§3.2 note)      |
//! | recovery_mode     | 0       | automatic recovery, the mode that needs no MCU action  |
//! | lifetime_enable   | 1       | LwM2M needs updates before the lifetime ends; off drops the registration |
//! | dtls_mode         | 0       | full handshake: works with every server                |
//! | dtls_version      | 2       | negotiate with the server: the most compatible choice  |
//!
//! The setting name may be quoted or bare, in any case; surrounding blanks
//! are ignored because the manual itself writes `"recovery_mode "` and
//! `"lifetime_enable "` with a trailing space. Values are unquoted integers,
//! except `<device_type>` (a string, quoted or bare).

use super::records::Kind;
use super::{begin, comma_uint, int_param, text_param, Context, Fields, State};
use crate::at::Error;
use crate::bytes::refill;
use crate::config::QLA_DEVICE_TYPE_MAX;
use crate::host::Host;
use heapless::Vec;

/// Seed 004 §3.2, in the order `AT+QLACFG?` prints them, each after its
/// length byte (no padding to the longest).
const NAMES: &[u8] = b"\x0Aretransmit\x08auto_ack\x0Baccess_mode\x08platform\x07cfg_res\
\x0Drecovery_mode\x0Flifetime_enable\x09dtls_mode\x0Cdtls_version";

/// How many settings [`NAMES`] holds.
const SETTINGS: usize = 9;

/// The name of setting `index` (empty past the last).
fn name_of(mut index: usize) -> &'static [u8] {
    let mut rest = NAMES;
    while let Some((&len, tail)) = rest.split_first() {
        let (name, next) = tail.split_at_checked(usize::from(len)).unwrap_or_default();
        if index == 0 {
            return name;
        }
        index -= 1;
        rest = next;
    }
    b""
}

/// Position of `cfg_res` in [`NAMES`]: its values are the fixed `3,0,17`
/// path and then a string, so it is handled apart where they differ.
const CFG_RES: usize = 4;

/// Per setting of [`NAMES`]: its first value slot and how many values it
/// takes. Slots past [`VALUES`] are `cfg_res`'s path: checked, not stored.
const SLOTS: [(u8, u8); SETTINGS] = [(0, 2), (2, 1), (3, 1), (4, 1), (9, 3), (5, 1), (6, 1), (7, 1), (8, 1)];

/// The range of each value slot (seed 004 §3.2). `cfg_res` may set one
/// resource only, so another path is refused like an out-of-range value.
const RANGES: [(u8, u8); VALUES + 3] = [
    (2, 20),
    (0, 8),
    (0, 1),
    (0, 1),
    (0, 2),
    (0, 1),
    (0, 1),
    (0, 1),
    (0, 2),
    (3, 3),
    (0, 0),
    (17, 17),
];

/// Value slots of [`Options::values`].
pub(super) const VALUES: usize = 9;

/// The `AT+QLACFG` settings (`repr(C)`: the values at the start, within
/// Cortex-M0's short byte offsets).
#[derive(Clone, Debug, PartialEq, Eq)]
#[repr(C)]
pub struct Options {
    /// ack_timeout, retrans_max_times, auto_ack, access_mode, platform,
    /// recovery_mode, lifetime_enable, dtls_mode, dtls_version.
    pub(super) values: [u8; VALUES],
    /// `<device_type>`, the value of /3/0/17.
    pub(super) device_type: Vec<u8, QLA_DEVICE_TYPE_MAX>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            values: [2, 5, 0, 0, 0, 0, 1, 0, 2],
            device_type: Vec::new(),
        }
    }
}

impl Options {
    /// Initial CoAP ACK timeout in seconds.
    pub fn ack_timeout(&self) -> u8 {
        self.values[0]
    }
    /// Retransmissions of a confirmable message.
    pub fn retrans_max(&self) -> u8 {
        self.values[1]
    }
    /// Answer observe requests without the MCU.
    pub fn auto_ack(&self) -> bool {
        self.values[2] == 1
    }
    /// 1: requests are cached for `AT+QLARD`; 0: printed as URCs.
    pub fn cache_mode(&self) -> bool {
        self.values[3] == 1
    }
    /// 0 other, 1 AEP, 2 AndLink.
    pub fn platform(&self) -> u8 {
        self.values[4]
    }
    /// Value of /3/0/17.
    pub fn device_type(&self) -> &[u8] {
        &self.device_type
    }
    /// 1: the MCU recovers the session with `AT+QLARECOVER`.
    pub fn manual_recovery(&self) -> bool {
        self.values[5] == 1
    }
    /// Send updates before the lifetime ends.
    pub fn lifetime_enable(&self) -> bool {
        self.values[6] == 1
    }
    /// 0 full DTLS handshake, 1 resumption.
    pub fn dtls_mode(&self) -> u8 {
        self.values[7]
    }
    /// 0 DTLS 1.0, 1 DTLS 1.2, 2 negotiate.
    pub fn dtls_version(&self) -> u8 {
        self.values[8]
    }
}

fn write_setting<H: Host + ?Sized>(options: &Options, cx: &mut Context<'_, '_, H>, index: usize) {
    let Some(&(first, count)) = SLOTS.get(index) else {
        return;
    };
    let out = begin(cx.out, b"QLACFG");
    out.quoted(name_of(index));
    if index == CFG_RES {
        // Its path has one allowed value (RANGES), then the device type.
        out.text(b",3,0,17,").quoted(&options.device_type);
    } else {
        let values = options.values.get(first as usize..(first + count) as usize);
        for &v in values.unwrap_or_default() {
            comma_uint(out, v.into());
        }
    }
    out.end();
}

/// `AT+QLACFG?`
pub fn query_all<H: Host + ?Sized>(state: &State, cx: &mut Context<'_, '_, H>) -> Result<(), Error> {
    for index in 0..SETTINGS {
        write_setting(&state.options, cx, index);
    }
    Ok(())
}

/// `AT+QLACFG="<name>"[,<values>]`. The name alone queries a setting;
/// `cfg_res` is queried with its path (`"cfg_res",3,0,17`), so its count
/// range is one wider.
pub fn set<H: Host + ?Sized>(state: &mut State, cx: &mut Context<'_, '_, H>, params: &Fields<'_>) -> Result<(), Error> {
    // text_param lets blanks through but no other whitespace, so trimming
    // blanks is all trim_ascii would do (and smaller).
    let name = crate::at::params::trim(text_param(params.get(0), 32, true)?);
    let index = (0..SETTINGS)
        .find(|&i| name_of(i).eq_ignore_ascii_case(name))
        .ok_or(Error::ParamValue)?;
    let &(first, count) = SLOTS.get(index).ok_or(Error::ParamValue)?;
    let (first, count) = (first as usize, count as usize);
    let cfg_res = index == CFG_RES;
    let query = params.len() == 1 + if cfg_res { count } else { 0 };
    // Every value is checked before anything changes, in order.
    let mut values = state.options.values;
    if cfg_res || !query {
        params.expect_count(1 + count, 1 + count + cfg_res as usize)?;
        for i in 0..count {
            let &(lo, hi) = RANGES.get(first + i).ok_or(Error::Other)?;
            let v = int_param(params.get(1 + i), lo.into(), hi.into())? as u8;
            // cfg_res's path is checked, not stored (its slots are past the end).
            if let Some(slot) = values.get_mut(first + i) {
                *slot = v;
            }
        }
    }
    if query {
        write_setting(&state.options, cx, index);
        return Ok(());
    }
    if cfg_res {
        // An empty quoted string clears the device type; a missing one is a count error.
        let p = params.get(4);
        let device = if matches!(p, crate::at::Param::Quoted([])) {
            b""
        } else {
            text_param(p, QLA_DEVICE_TYPE_MAX, true)?
        };
        // text_param checked the length against the capacity.
        refill(state.options.device_type.as_mut_view(), device);
    }
    state.options.values = values;
    state.persist(cx.out.host(), Kind::Options);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every name of seed 004 §3.2 in the `AT+QLACFG?` order, nothing
    /// past them, and NAMES holds nothing else.
    #[test]
    fn names_in_order() {
        let names = [
            "retransmit",
            "auto_ack",
            "access_mode",
            "platform",
            "cfg_res",
            "recovery_mode",
            "lifetime_enable",
            "dtls_mode",
            "dtls_version",
        ];
        for (i, name) in names.iter().enumerate() {
            assert_eq!(name_of(i), name.as_bytes());
        }
        assert_eq!(name_of(SETTINGS), b"");
        assert_eq!(names.len(), SETTINGS);
        assert_eq!(names.iter().map(|n| n.len() + 1).sum::<usize>(), NAMES.len());
        assert_eq!(name_of(CFG_RES), b"cfg_res");
    }

    /// write_setting prints cfg_res's path as text: it must be the one
    /// value RANGES allows for each of its slots.
    #[test]
    fn printed_path_is_the_allowed_one() {
        let (first, count) = SLOTS[CFG_RES];
        let path: std::vec::Vec<std::string::String> = RANGES[first as usize..(first + count) as usize]
            .iter()
            .map(|&(lo, hi)| {
                assert_eq!(lo, hi);
                lo.to_string()
            })
            .collect();
        assert_eq!(format!(",{},", path.join(",")), ",3,0,17,");
    }
}
