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

/// Well-formed lines of each profile: sessions replay them to build state,
/// and mutate them (one parameter replaced, dropped or added, the line cut
/// short, a byte inserted) to reach every validation step.
const MIPL_VALID: &[&str] = &[
    "AT+MIPLCREATE",
    "AT+MIPLCREATEEX=\"nbiotbt.heclouds.com:5683\",1,\"cmiot\"",
    "AT+MIPLADDOBJ=0,3200,1,\"1\",0,1",
    "AT+MIPLADDOBJ=0,3311,2,\"11\",4,2",
    "AT+MIPLDELOBJ=0,3200",
    "AT+MIPLDISCOVERRSP=0,3200,1,14,\"5500;5501;5750\"",
    "AT+MIPLCFG=\"platform\",0,1",
    "AT+MIPLCFG=\"binding\",0,2",
    "AT+MIPLNMI=0,1,1",
    "AT+MIPLUPDATESET=0,1",
    "AT+MIPLDTLSNAT=0,120",
    "AT+MIPLCONFIG=0,1,0,\"183.230.40.40\",5683,1",
    "AT+MIPLOPEN=0,3000,30",
    "AT+MIPLUPDATE=0,86400,0,1",
    "AT+MIPLNOTIFY=0,0,3200,0,5500,5,1,\"0\",2,1",
    "AT+MIPLNOTIFY=0,0,3200,0,5505,2,10,\"E309C82FE6\",0,0x400,278",
    "AT+MIPLREADRSP=0,18172,1,3200,0,5750,1,4,\"test\",0,0",
    "AT+MIPLWRITERSP=0,18173,2",
    "AT+MIPLDELETE=0",
];
const QLA_VALID: &[&str] = &[
    "AT+QLACONFIG=0,\"127.0.0.1\",5683,\"urn:imei:869975030000461\",300,3",
    "AT+QLACONFIG=0,\"127.0.0.1\",5684,\"ep\",300,0,\"id\",\"0102\",1",
    "AT+QLACFG=\"retransmit\",2,4",
    "AT+QLACFG=\"platform\",1",
    "AT+QLACFG=\"cfg_res\",3,0,17,500677",
    "AT+QLACFG=\"lifetime_enable\",1",
    "AT+QLAADDOBJ=19,0,4,\"0\",\"1\",\"2\",\"3\"",
    "AT+QLAADDOBJ=19,1,1,0",
    "AT+QLADELOBJ=19",
    "AT+QLAUPDATE=0,100",
    "AT+QLANOTIFY=19,0,0,2,9,\"020001000400023438\",0,1",
    "AT+QLARDRSP=62953,1,19,0,0,1,5,abcde,0",
];

fn mutate(line: &str, how: u8, piece: &str, at: usize, byte: u8) -> Vec<u8> {
    let Some((head, params)) = line.split_once('=') else {
        return format!("{line}{piece}").into_bytes();
    };
    let mut fields: Vec<&str> = params.split(',').collect();
    let i = at % fields.len();
    match how % 6 {
        0 => fields[i] = piece,
        1 => {
            fields.remove(i);
        }
        2 => fields.insert(i, piece),
        3 => fields.push(piece),
        4 => {
            let mut bytes = line.as_bytes().to_vec();
            bytes.truncate(at % (line.len() + 1));
            return bytes;
        }
        _ => {
            let mut bytes = line.as_bytes().to_vec();
            bytes.insert(at % (line.len() + 1), byte);
            return bytes;
        }
    }
    format!("{head}={}", fields.join(",")).into_bytes()
}

fn line_strategy(names: &'static [&'static str], valid: &'static [&'static str]) -> impl Strategy<Value = Vec<u8>> {
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
    let replayed = prop::sample::select(valid.to_vec()).prop_map(|l| l.as_bytes().to_vec());
    let edit = (
        any::<u8>(),
        prop::sample::select(PIECES.to_vec()),
        any::<usize>(),
        any::<u8>(),
    );
    let mutated = (prop::sample::select(valid.to_vec()), edit.clone(), edit).prop_map(
        |(line, (how, piece, at, byte), (how2, piece2, at2, byte2))| {
            let once = mutate(line, how, piece, at, byte);
            // Half the time a second edit, so two parameters can be wrong together.
            match (how2 % 2, std::str::from_utf8(&once)) {
                (0, Ok(text)) => mutate(text, how2 / 2, piece2, at2, byte2),
                _ => once,
            }
        },
    );
    let raw = prop::collection::vec(any::<u8>(), 0..64);
    let raw_named = (
        prop::sample::select(names.to_vec()),
        prop::collection::vec(any::<u8>(), 0..48),
    )
        .prop_map(|(name, tail)| [format!("AT+{name}").into_bytes(), tail].concat());
    prop_oneof![3 => structured, 3 => replayed, 6 => mutated, 1 => raw, 1 => raw_named]
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
                let oks = out.matches("\r\nOK\r\n").count();
                prop_assert!(oks <= 1, "more than one OK for {:?}: {:?}", shown, out);
                let errored = ends_in_error(&out) && oks == 0;
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

fn run(profile: ProfileId, names: &'static [&'static str], valid: &'static [&'static str], seed: u8) {
    let config = Config {
        cases: 500,
        failure_persistence: None,
        ..Config::default()
    };
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &[seed; 32]);
    let mut runner = TestRunner::new_with_rng(config, rng);
    let sessions = prop::collection::vec(line_strategy(names, valid), 1..24);
    if let Err(e) = runner.run(&sessions, |lines| check_session(profile, &lines)) {
        panic!("{profile:?}: {e}");
    }
}

#[test]
fn onemo_any_line_gets_a_final_result() {
    run(ProfileId::Onemo, MIPL_NAMES, MIPL_VALID, 1);
}

#[test]
fn bc260y_any_line_gets_a_final_result() {
    run(ProfileId::Bc260y, MIPL_NAMES, MIPL_VALID, 2);
}

#[test]
fn qla_any_line_gets_a_final_result() {
    run(ProfileId::Qla, QLA_NAMES, QLA_VALID, 3);
}
