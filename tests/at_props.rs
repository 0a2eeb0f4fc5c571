//! Property test over the AT front-end, with a fixed seed and a bounded case
//! count: any byte string as a command line either belongs to the firmware
//! (nothing written) or gets a response that carries `OK` or ends in the
//! profile's error line — never a panic — and a line that errors leaves the
//! engine's state exactly as it was (compared through its full `Debug` dump).

mod common;
use common::Module;
use lwat::dialect::profile::ProfileId;
use lwat::Handled;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

const MIPL_NAMES: &[&str] = &[
    "MIPLCREATE",
    "MIPLCREATEEX",
    "MIPLDELETE",
    "MIPLADDOBJ",
    "MIPLDELOBJ",
    "MIPLDISCOVERRSP",
    "MIPLOPEN",
    "MIPLUPDATE",
    "MIPLCLOSE",
    "MIPLNOTIFY",
    "MIPLREADRSP",
    "MIPLWRITERSP",
    "MIPLEXECUTERSP",
    "MIPLPARAMETERRSP",
    "MIPLOBSERVERSP",
    "MIPLCFG",
    "MIPLNMI",
    "MIPLMGR",
    "MIPLQMGR",
    "MIPLUPDATESET",
    "MIPLDEVINFO",
    "MIPLDTLSNAT",
    "MIPLLTRDP",
    "MIPLCONFIG",
    "MIPLVER",
    "MIPOBSERVERSP",
    "MIPLWRITEOBSERVERSP",
    "MIPLPARAMETERSP",
    "MIPDELETE",
];
const QLA_NAMES: &[&str] = &[
    "QLACONFIG",
    "QLACFG",
    "QLAREG",
    "QLAUPDATE",
    "QLADEREG",
    "QLAADDOBJ",
    "QLADELOBJ",
    "QLARDRSP",
    "QLAWRRSP",
    "QLAEXERSP",
    "QLAOBSRSP",
    "QLANOTIFY",
    "QLASENDDATA",
    "QLARD",
    "QLARECOVER",
    "QLASTATUS",
];

/// Pieces parameters are made of, so generated lines often reach deep
/// validation instead of failing at the first byte.
const PIECES: &[&str] = &[
    "0",
    "1",
    "2",
    "3",
    "5",
    "6",
    "-1",
    "15",
    "60",
    "0x400",
    "3200",
    "3311",
    "65535",
    "65536",
    "268435455",
    "86400",
    "\"1\"",
    "\"1101\"",
    "\"0\"",
    "\"5500;5501\"",
    "\"nbiotbt.heclouds.com:5683\"",
    "\"cmiot\"",
    "\"platform\"",
    "\"binding\"",
    "\"retransmit\"",
    "\"auto_ack\"",
    "\"access_mode\"",
    "\"cfg_res\"",
    "\"lifetime_enable\"",
    "\"recovery_mode\"",
    "\"dtls_mode\"",
    "\"dtls_version\"",
    "E309C82F",
    "abc",
    "\"",
    "1.88",
    "\"test\"",
    "",
    " ",
    "\"127.0.0.1\"",
    "5683",
    "\"urn:imei:1\"",
    "300",
    "20",
    "19",
    "13001",
    "ff",
    "\u{FF}",
    "1300 33F1",
];

fn line_strategy(names: &'static [&'static str]) -> impl Strategy<Value = Vec<u8>> {
    let structured = (
        prop::sample::select(vec!["AT+", "at+", "+", "AT", "At+"]),
        prop::sample::select(names.to_vec()),
        prop::sample::select(vec!["", "?", "=?", "=", "=", "=", "?x"]),
        prop::collection::vec(prop::sample::select(PIECES.to_vec()), 0..12),
    )
        .prop_map(|(prefix, name, form, params)| {
            let mut line = format!("{prefix}{name}{form}");
            if form == "=" {
                line.push_str(&params.join(","));
            }
            line.into_bytes()
        });
    let raw = prop::collection::vec(any::<u8>(), 0..64);
    let raw_named = (
        prop::sample::select(names.to_vec()),
        prop::collection::vec(any::<u8>(), 0..48),
    )
        .prop_map(|(name, tail)| [format!("AT+{name}").into_bytes(), tail].concat());
    prop_oneof![6 => structured, 1 => raw, 1 => raw_named]
}

fn ends_in_error(out: &str) -> bool {
    if out.ends_with("\r\nERROR\r\n") {
        return true;
    }
    let Some(body) = out.strip_suffix("\r\n") else {
        return false;
    };
    let last = body.rsplit("\r\n").next().unwrap_or("");
    ["+CIS ERROR: ", "+CMEE ERROR: "].iter().any(|p| {
        last.strip_prefix(p)
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    })
}

fn check_session(profile: ProfileId, lines: &[Vec<u8>]) -> Result<(), TestCaseError> {
    let mut module = Module::new(profile);
    for line in lines {
        let before = format!("{:?}", module.engine);
        let (handled, out) = module.at_bytes(line);
        let shown = String::from_utf8_lossy(line);
        match handled {
            Handled::NotMine => prop_assert_eq!(out.as_str(), "", "NOT_MINE wrote output for {:?}", shown),
            Handled::Mine => {
                let errored = ends_in_error(&out) && !out.contains("\r\nOK\r\n");
                prop_assert!(
                    errored || out.contains("\r\nOK\r\n"),
                    "no final result for {:?}: {:?}",
                    shown,
                    out
                );
                prop_assert!(
                    out.starts_with("\r\n") && out.ends_with("\r\n"),
                    "bad framing: {:?}",
                    out
                );
                if errored {
                    prop_assert_eq!(
                        before,
                        format!("{:?}", module.engine),
                        "state changed by erroring {:?}",
                        shown
                    );
                }
            }
        }
    }
    Ok(())
}

fn run(profile: ProfileId, names: &'static [&'static str], seed: u8) {
    let config = Config {
        cases: 300,
        failure_persistence: None,
        ..Config::default()
    };
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &[seed; 32]);
    let mut runner = TestRunner::new_with_rng(config, rng);
    let sessions = prop::collection::vec(line_strategy(names), 1..24);
    if let Err(e) = runner.run(&sessions, |lines| check_session(profile, &lines)) {
        panic!("{profile:?}: {e}");
    }
}

#[test]
fn onemo_any_line_gets_a_final_result() {
    run(ProfileId::Onemo, MIPL_NAMES, 1);
}

#[test]
fn bc260y_any_line_gets_a_final_result() {
    run(ProfileId::Bc260y, MIPL_NAMES, 2);
}

#[test]
fn qla_any_line_gets_a_final_result() {
    run(ProfileId::Qla, QLA_NAMES, 3);
}
