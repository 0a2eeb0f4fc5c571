//! The three profiles as data: everything that differs between the modules
//! in the manuals is a field here, read where it matters.

use crate::at::{Error, Writer};
use crate::host::Host;

/// Which command set a profile speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    /// `+MIPL...` (OneNET).
    Mipl,
    /// `+QLA...` (Quectel standard LwM2M).
    Qla,
}

/// Profile identifiers, as in the C API (`LWAT_PROFILE_*`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProfileId {
    /// China Mobile OneMO modules (seed 001).
    Onemo,
    /// Quectel BC260Y-CN OneNET (seed 003).
    Bc260y,
    /// Quectel BC26 standard LwM2M (seed 004).
    Qla,
}

/// One module family's observable differences.
#[derive(Debug)]
pub struct Profile {
    /// Which profile this is.
    pub id: ProfileId,
    /// Its command set.
    pub family: Family,
    /// Prefix of a numbered error line, with its trailing space.
    pub error_prefix: &'static [u8],
    /// The number printed for each [`Error`], indexed by `Error as usize`,
    /// one byte each ([`packed`]): every vendor number is 1..=155 or 600..=699.
    pub error_codes: [u8; ERROR_KINDS],
    /// Every command name of the family starts with this (case-insensitive):
    /// a line without it is the firmware's at once, without a table search.
    pub command_prefix: &'static [u8],
}

/// `": "` after a URC/response name: seed 001 §2.2 (a space follows every
/// colon), and the same in seeds 003 and 004, so it is not a profile field.
pub const COLON: &[u8] = b": ";

/// How many [`Error`] kinds there are.
pub const ERROR_KINDS: usize = 13;

// Column order of `error_codes`: Syntax, ParamCount, ParamValue, OddHex,
// NotRegistered, NotAllowed, AlreadyRegistered, Busy, NotFound, Exists,
// NoMemory, NotSupported, Other.

/// seed 001 §6: 100 unknown, 601 syntax, 602 not registered, 651 not
/// allowed, 652 uplink busy, 653 resource exists / does not exist.
pub static ONEMO: Profile = Profile {
    id: ProfileId::Onemo,
    family: Family::Mipl,
    // "MIP", not "MIPL": the manuals' misspelled AT+MIPDELETE and
    // AT+MIPOBSERVERSP are accepted as aliases.
    command_prefix: b"MIP",
    error_prefix: b"+CIS ERROR: ",
    error_codes: packed([601, 601, 601, 601, 602, 651, 651, 652, 653, 653, 100, 651, 100]),
};

/// seed 003 §4: 651 memory, 652 parameter, 653 not supported, 654 SDK, 655 not found.
pub static BC260Y: Profile = Profile {
    id: ProfileId::Bc260y,
    family: Family::Mipl,
    // "MIP", not "MIPL": the manuals' misspelled AT+MIPDELETE and
    // AT+MIPOBSERVERSP are accepted as aliases.
    command_prefix: b"MIP",
    error_prefix: b"+CIS ERROR: ",
    error_codes: packed([652, 652, 652, 652, 653, 653, 653, 654, 655, 654, 651, 653, 654]),
};

/// seed 004 §6 table 5: 1 other, 2 parameter count, 3 parameter value,
/// 4 not registered, 7 disabled, 13 odd data length, 15 not ready,
/// 33 already registered, 34 create LwM2M error. NotAllowed is 34: the one
/// QLA state refusal is AT+QLAREG with no AT+QLACONFIG, where no LwM2M
/// client can be created (dialect/qla/session.rs).
pub static QLA: Profile = Profile {
    id: ProfileId::Qla,
    family: Family::Qla,
    command_prefix: b"QLA",
    error_prefix: b"+CMEE ERROR: ",
    error_codes: packed([3, 2, 3, 13, 4, 34, 33, 15, 3, 3, 1, 7, 1]),
};

/// The one-byte form of each vendor error number: 600..=699 as 0..=99,
/// 1..=155 as 100..=254 ([`Profile::code`] undoes it). 26 bytes of
/// `u16` per profile became 13.
const fn packed(codes: [u16; ERROR_KINDS]) -> [u8; ERROR_KINDS] {
    let mut out = [0u8; ERROR_KINDS];
    let mut i = 0;
    while i < ERROR_KINDS {
        let c = codes[i];
        out[i] = match c {
            600..=699 => (c - 600) as u8,
            1..=155 => (c + 99) as u8,
            _ => panic!("no one-byte form"),
        };
        i += 1;
    }
    out
}

impl Profile {
    /// The profile for a C API id (`LWAT_PROFILE_*`).
    pub fn from_id(id: ProfileId) -> &'static Profile {
        match id {
            ProfileId::Onemo => &ONEMO,
            ProfileId::Bc260y => &BC260Y,
            ProfileId::Qla => &QLA,
        }
    }

    /// The number this profile prints for `e`.
    pub fn code(&self, e: Error) -> u16 {
        let b = u16::from(self.error_codes[e as usize]);
        if b >= 100 {
            b - 99
        } else {
            b + 600
        }
    }

    /// Writes the error line for `e` as `AT+CMEE=<cmee>` asks: mode 0 prints
    /// `ERROR`; modes 1 and 2 print the numbered line (the vendor codes have
    /// no standard verbose text, so mode 2 prints the number too).
    pub fn write_error<H: Host + ?Sized>(&self, out: &mut Writer<'_, H>, cmee: u8, e: Error) {
        if cmee == 0 {
            out.line(b"ERROR");
        } else {
            out.start().text(self.error_prefix).uint(self.code(e) as u64).end();
        }
    }

    /// Starts a response or URC line: `<CR><LF>+NAME: `.
    pub fn begin<'w, 'h, H: Host + ?Sized>(&self, out: &'w mut Writer<'h, H>, name: &[u8]) -> &'w mut Writer<'h, H> {
        out.start().byte(b'+').text(name).text(COLON)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::host::tests::Recorder;

    /// Every number survives its one-byte form (the manuals' tables).
    #[test]
    fn codes_unpack() {
        let all = [
            Error::Syntax,
            Error::ParamCount,
            Error::ParamValue,
            Error::OddHex,
            Error::NotRegistered,
            Error::NotAllowed,
            Error::AlreadyRegistered,
            Error::Busy,
            Error::NotFound,
            Error::Exists,
            Error::NoMemory,
            Error::NotSupported,
            Error::Other,
        ];
        let expect: [(&Profile, [u16; ERROR_KINDS]); 3] = [
            (
                &ONEMO,
                [601, 601, 601, 601, 602, 651, 651, 652, 653, 653, 100, 651, 100],
            ),
            (
                &BC260Y,
                [652, 652, 652, 652, 653, 653, 653, 654, 655, 654, 651, 653, 654],
            ),
            (&QLA, [3, 2, 3, 13, 4, 34, 33, 15, 3, 3, 1, 7, 1]),
        ];
        for (profile, codes) in expect {
            for (e, code) in all.into_iter().zip(codes) {
                assert_eq!(profile.code(e), code, "{:?} {e:?}", profile.id);
            }
        }
        for c in (1..=155).chain(600..=699) {
            let b = packed([c; ERROR_KINDS]);
            let p = Profile { error_codes: b, ..QLA };
            assert_eq!(p.code(Error::Other), c);
        }
    }

    #[test]
    fn error_lines() {
        let mut host = Recorder::default();
        {
            let mut w = Writer::new(&mut host);
            ONEMO.write_error(&mut w, 1, Error::NotRegistered);
            QLA.write_error(&mut w, 2, Error::OddHex);
            BC260Y.write_error(&mut w, 0, Error::NotFound);
            BC260Y.write_error(&mut w, 1, Error::NotFound);
        }
        assert_eq!(
            host.text(),
            "\r\n+CIS ERROR: 602\r\n\r\n+CMEE ERROR: 13\r\n\r\nERROR\r\n\r\n+CIS ERROR: 655\r\n"
        );
    }
}
