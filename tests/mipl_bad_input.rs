//! Bad input for every MIPL command of both profiles: each line gets the
//! profile's exact error line, and the whole engine state (its Debug text and
//! what the query commands print) is the same before and after.
//!
//! Error numbers: onemo (seed 001 §6) 601 syntax/parameter, 602 not
//! registered, 653 exists / not found, 100 other (capacity);
//! bc260y (seed 003 §4) 651 memory, 652 parameter, 653 not supported (not
//! registered), 654 SDK (exists), 655 not found. The same refusals while a
//! session is open: tests/mipl_registration.rs.

mod common;
use common::{framed, Module};
use lwat::dialect::profile::ProfileId;
use lwat::Handled;

type Case = (Vec<u8>, u16);

fn case(line: &str, code: u16) -> Case {
    (line.as_bytes().to_vec(), code)
}

fn long(c: char, n: usize) -> String {
    std::iter::repeat_n(c, n).collect()
}

/// The engine's whole state plus what the probes print.
fn snapshot(m: &mut Module, probes: &[&str]) -> String {
    let mut s = format!("{:?}", m.engine);
    for p in probes {
        s.push_str(&m.at(p));
    }
    s
}

/// Sets the module up (every setup line must answer OK), checks the probes
/// print `expect`, then plays each case.
fn play(profile: ProfileId, setup: &[&str], probes: &[&str], expect: &str, cases: &[Case]) {
    let mut m = Module::new(profile);
    for line in setup {
        let out = m.at(line);
        assert!(out.ends_with("\r\nOK\r\n"), "setup {line}: {out:?}");
    }
    let probed: String = probes.iter().map(|p| m.at(p)).collect();
    assert_eq!(probed, expect, "probes after setup");
    for (line, code) in cases {
        let shown = String::from_utf8_lossy(line).into_owned();
        let before = snapshot(&mut m, probes);
        let (handled, out) = m.at_bytes(line);
        assert_eq!(handled, Handled::Mine, "{shown}");
        assert_eq!(out, framed(&[&format!("+CIS ERROR: {code}")]), "{shown}");
        assert_eq!(snapshot(&mut m, probes), before, "state changed by {shown}");
    }
}

// ---------------------------------------------------------------- onemo

const ONEMO_FULL: &[&str] = &[
    r#"AT+MIPLCREATEEX="183.230.40.40:5684",1,"auth",abcd1234,,0"#,
    r#"AT+MIPLADDOBJ=0,3200,3,"101",2,1"#,
    r#"AT+MIPLDISCOVERRSP=0,3200,1,9,"5500;5750""#,
    r#"AT+MIPLCFG="platform",0,1"#,
];
const ONEMO_PROBES: &[&str] = &["AT+MIPLDEVINFO?", r#"AT+MIPLADDOBJ=0,3200,1,"1",0,0"#, "AT+MIPLQMGR=0"];
const ONEMO_FULL_SHOWS: &str = "\r\n+MIPLDEVINFO: \"183.230.40.40:5684\",1,\"auth\",\"abcd1234\"\r\n\r\nOK\r\n\
\r\n+CIS ERROR: 653\r\n\
\r\n+MIPLQMGR: 0,QUEUES=0,DROPPED=0,BUFFERS=0\r\n\r\nOK\r\n";
const ONEMO_EMPTY_SHOWS: &str = "\r\n+CIS ERROR: 653\r\n\r\n+CIS ERROR: 653\r\n\r\n+CIS ERROR: 653\r\n";

fn onemo_value_cases(v: &mut Vec<Case>) {
    let n = |rest: &str| format!("AT+MIPLNOTIFY=0,0,3200,0,5750,{rest}");
    for (rest, code) in [
        (r#"1,4,"test",0,0"#, 602),
        (r#"1,4,"test",0,0x400,278"#, 602),
        (r#"1,4,"test",0,0,1,4"#, 602),
        (r#"7,4,"test",0,0"#, 601),
        (r#"0,4,"test",0,0"#, 601),
        ("1,4,test,0,0", 601),
        (r#"3,3,"1.5",0,0"#, 601),
        ("3,3,12a,0,0", 601),
        ("4,4,abc,0,0", 601),
        ("4,4,1.,0,0", 601),
        ("5,1,2,0,0", 601),
        ("2,3,ABC,0,0", 601),
        ("6,2,GG,0,0", 601),
        (r#"1,4,"test",0,3"#, 601),
        (r#"1,4,"test",0,0x300"#, 601),
        (r#"1,4,"test",-1,0"#, 601),
        (r#"1,4,"test",0,0,65536"#, 601),
        (r#"1,4,"test",0,0,1,5"#, 601),
        (r#"1,4,"test",0,0,1,0,0"#, 601),
        (r#"1,4,"test",0"#, 601),
        (r#"1,-1,"test",0,0"#, 601),
        (r#""1",4,"test",0,0"#, 601),
        (r#"1,4,"test,0,0"#, 601),
    ] {
        v.push(case(&n(rest), code));
    }
    v.push(case(r#"AT+MIPLNOTIFY=0,65536,3200,0,5750,1,4,"test",0,0"#, 601));
    v.push(case(r#"AT+MIPLNOTIFY=0,0,65536,0,5750,1,4,"test",0,0"#, 601));
    // a 4 KiB value: more than one report carries (seed 001 §3.9: ~1000 B)
    v.push(case(&n(&format!("1,4096,\"{}\",0,0", long('a', 4096))), 601));
    let r = |rest: &str| format!("AT+MIPLREADRSP=0,18172,{rest}");
    for (rest, code) in [
        ("11", 602),
        (r#"1,3200,0,5750,1,4,"test",0,0"#, 602),
        ("3", 601),
        ("1", 601),
        (r#"11,3200,0,5750,1,4,"test",0,0"#, 601),
        (r#"1,3200,0,5750,1,4,"test",0,3"#, 601),
        (r#"1,3200,0,5750,1,4,"test",0,0x400"#, 601),
        (r#"1,3200,0,5750,1,4,"test",0,0,1"#, 601),
        ("1,3200,0,5750,5,1,yes,0,0", 601),
        ("1,3200,0,5750,3,3,-1x,0,0", 601),
    ] {
        v.push(case(&r(rest), code));
    }
}

fn onemo_full_cases() -> Vec<Case> {
    let mut v: Vec<Case> = [
        // CREATE / CREATEEX: the instance exists (seed 001 §6 653)
        ("AT+MIPLCREATE", 653),
        ("AT+MIPLCREATE?", 601),
        ("AT+MIPLCREATE=?", 601),
        ("AT+MIPLCREATE?x", 601),
        (r#"AT+MIPLCREATEEX="1.2.3.4:5683",1"#, 653),
        ("AT+MIPLCREATEEX", 601),
        ("AT+MIPLCREATEEX?", 601),
        ("AT+MIPLCREATEEX=?", 601),
        // DELETE
        ("AT+MIPLDELETE", 601),
        ("AT+MIPLDELETE?", 601),
        ("AT+MIPLDELETE=?", 601),
        ("AT+MIPLDELETE=", 601),
        ("AT+MIPLDELETE=1", 601),
        ("AT+MIPLDELETE=0,0", 601),
        (r#"AT+MIPLDELETE="0""#, 601),
        ("AT+MIPLDELETE=a", 601),
        ("AT+MIPLDELETE=-0x1", 601),
        ("AT+MIPDELETE=1", 601),
        ("at+mipldelete=1", 601),
        // ADDOBJ
        (r#"AT+MIPLADDOBJ=0,3300,1,"1",0"#, 601),
        (r#"AT+MIPLADDOBJ=0,3300,1,"1",0,0,0"#, 601),
        (r#"AT+MIPLADDOBJ=0,65536,1,"1",0,0"#, 601),
        (r#"AT+MIPLADDOBJ=0,3300,2,"1",0,0"#, 601),
        (r#"AT+MIPLADDOBJ=0,3300,2,"12",0,0"#, 601),
        (r#"AT+MIPLADDOBJ=0,3300,1,"1",-1,0"#, 601),
        (r#"AT+MIPLADDOBJ=0,"3300",1,"1",0,0"#, 601),
        (r#"AT+MIPLADDOBJ=0,33OO,1,"1",0,0"#, 601),
        (r#"AT+MIPLADDOBJ=1,3300,1,"1",0,0"#, 601),
        (r#"AT+MIPLADDOBJ=0,3300,1,"1,0,0"#, 601),
        (r#"AT+MIPLADDOBJ=0,3200,1,"1",0,0"#, 653),
        ("AT+MIPLADDOBJ?", 601),
        ("AT+MIPLADDOBJ=?", 601),
        // DELOBJ
        ("AT+MIPLDELOBJ=0,3300", 653),
        ("AT+MIPLDELOBJ=0", 601),
        ("AT+MIPLDELOBJ=0,3200,1", 601),
        ("AT+MIPLDELOBJ=0,x", 601),
        ("AT+MIPLDELOBJ=?", 601),
        // DISCOVERRSP (the list before OPEN)
        (r#"AT+MIPLDISCOVERRSP=0,3200,2,4,"5750""#, 601),
        (r#"AT+MIPLDISCOVERRSP=0,3200,1,5,"5750""#, 601),
        (r#"AT+MIPLDISCOVERRSP=0,3200,1,4,"57a0""#, 601),
        (r#"AT+MIPLDISCOVERRSP=0,3200,1,5,"5750;""#, 601),
        (r#"AT+MIPLDISCOVERRSP=0,3200,1,9,"5750;5750""#, 601),
        (r#"AT+MIPLDISCOVERRSP=0,3200,1,5,"70000""#, 601),
        (r#"AT+MIPLDISCOVERRSP=0,3300,1,4,"5750""#, 653),
        (r#"AT+MIPLDISCOVERRSP=0,3200,1,4"#, 601),
        (r#"AT+MIPLDISCOVERRSP=0,3200,1,4,"5750",0"#, 601),
        ("AT+MIPLDISCOVERRSP?", 601),
        // CFG
        (r#"AT+MIPLCFG="platform",0,4"#, 601),
        (r#"AT+MIPLCFG="platform",0,1,5"#, 601),
        (r#"AT+MIPLCFG="platform",0,1,"2""#, 601),
        (r#"AT+MIPLCFG="platform",0"#, 601),
        (r#"AT+MIPLCFG="platform",1,1"#, 601),
        (r#"AT+MIPLCFG="platform",0,1,1,1"#, 601),
        (r#"AT+MIPLCFG="foo",0,1"#, 601),
        ("AT+MIPLCFG=platform,0,1", 601),
        (r#"AT+MIPLCFG="binding",0,3"#, 601),
        (r#"AT+MIPLCFG="binding",0,1,1"#, 601),
        (r#"AT+MIPLCFG="platform,0,1"#, 601),
        ("AT+MIPLCFG?", 601),
        // NMI
        ("AT+MIPLNMI=0,3,0", 601),
        ("AT+MIPLNMI=0,1,2", 601),
        ("AT+MIPLNMI=0,1", 601),
        ("AT+MIPLNMI=0,1,1,1", 601),
        ("AT+MIPLNMI?", 601),
        // UPDATESET
        ("AT+MIPLUPDATESET=0,2", 601),
        ("AT+MIPLUPDATESET=0", 601),
        ("AT+MIPLUPDATESET=0,true", 601),
        // DTLSNAT: 0 or >= 60 (seed 001 §4.8)
        ("AT+MIPLDTLSNAT=0,59", 601),
        ("AT+MIPLDTLSNAT=0,-1", 601),
        ("AT+MIPLDTLSNAT=0,4294967296", 601),
        ("AT+MIPLDTLSNAT=0", 601),
        // DEVINFO, LTRDP, QMGR
        ("AT+MIPLDEVINFO", 601),
        ("AT+MIPLDEVINFO=?", 601),
        ("AT+MIPLDEVINFO=0", 601),
        ("AT+MIPLLTRDP?", 601),
        ("AT+MIPLLTRDP=0", 601),
        ("AT+MIPLQMGR", 601),
        ("AT+MIPLQMGR=1", 601),
        ("AT+MIPLQMGR=0,0", 601),
        // OPEN: the instance is a DTLS one (port 5684), not supported yet (651)
        ("AT+MIPLOPEN=0,300,30", 651),
        ("AT+MIPLOPEN=0,300", 651),
        ("AT+MIPLOPEN=0", 601),
        ("AT+MIPLOPEN=0,300,0", 601),
        ("AT+MIPLOPEN=0,300,65536", 601),
        ("AT+MIPLOPEN=0,300,30,1", 601),
        ("AT+MIPLOPEN=0,-1", 601),
        ("AT+MIPLOPEN=1,300", 601),
        ("AT+MIPLOPEN=?", 601),
        ("AT+MIPLOPEN", 601),
        ("AT+MIPLOPEN?", 602),
        // UPDATE, CLOSE, MGR: not registered
        ("AT+MIPLUPDATE=0,300,0", 602),
        ("AT+MIPLUPDATE=0,300", 601),
        ("AT+MIPLUPDATE=0,300,2", 601),
        ("AT+MIPLUPDATE=0,300,0,0", 601),
        ("AT+MIPLCLOSE=0", 602),
        ("AT+MIPLCLOSE=0,0", 601),
        ("AT+MIPLCLOSE", 601),
        ("AT+MIPLMGR=0", 602),
        ("AT+MIPLMGR=1", 601),
        // answers to server requests
        ("AT+MIPLWRITERSP=0,1,2", 602),
        ("AT+MIPLWRITERSP=0,1,1", 601),
        ("AT+MIPLWRITERSP=0,1,15", 601),
        ("AT+MIPLWRITERSP=0,1,2,0", 601),
        ("AT+MIPLWRITERSP=,0,25845,2", 601),
        ("AT+MIPLWRITERSP=0,65536,2", 601),
        ("AT+MIPLEXECUTERSP=0,18174,2", 602),
        ("AT+MIPLEXECUTERSP=0,18174,3", 601),
        ("AT+MIPLPARAMETERRSP=0,18174,1", 602),
        ("AT+MIPLPARAMETERRSP=0,18174,15", 601),
        ("AT+MIPLPARAMETERSP=0,18174,2", 602),
        ("AT+MIPLOBSERVERSP=0,18175,1", 602),
        ("AT+MIPOBSERVERSP=0,18175,1", 602),
        ("AT+MIPLWRITEOBSERVERSP=0,18175,1", 602),
        ("AT+MIPLOBSERVERSP=0,18175,3", 601),
        ("AT+MIPOBSERVERSP=0,18175", 601),
    ]
    .iter()
    .map(|&(l, c)| case(l, c))
    .collect();
    onemo_value_cases(&mut v);
    let ids: Vec<String> = (1..=33).map(|i| i.to_string()).collect();
    let list = ids.join(";");
    v.push(case(
        &format!("AT+MIPLDISCOVERRSP=0,3200,1,{},\"{list}\"", list.len()),
        100,
    ));
    v.push(case(
        &format!(r#"AT+MIPLADDOBJ=0,3300,33,"{}",0,0"#, long('1', 33)),
        100,
    ));
    v.push(case(
        &format!(r#"AT+MIPLCFG="platform",0,10,"{}""#, long('e', 151)),
        601,
    ));
    v.push(case(&format!("AT+MIPLDELETE={}", long('1', 4096)), 601));
    v.push((b"AT+MIPLDELETE=\xff".to_vec(), 601));
    v.push((b"AT+MIPLCFG=\"platform\",0,10,\"\xff\xfe\"".to_vec(), 601));
    v
}

#[test]
fn onemo_with_instance() {
    play(
        ProfileId::Onemo,
        ONEMO_FULL,
        ONEMO_PROBES,
        ONEMO_FULL_SHOWS,
        &onemo_full_cases(),
    );
}

fn onemo_empty_cases() -> Vec<Case> {
    let mut v: Vec<Case> = [
        // no instance: 653 "其他操作资源不存在"
        ("AT+MIPLDELETE=0", 653),
        ("AT+MIPDELETE=0", 653),
        (r#"AT+MIPLADDOBJ=0,3300,1,"1",0,0"#, 653),
        ("AT+MIPLDELOBJ=0,3300", 653),
        (r#"AT+MIPLDISCOVERRSP=0,3300,1,4,"5750""#, 653),
        (r#"AT+MIPLCFG="platform",0,1"#, 653),
        (r#"AT+MIPLCFG="binding",0,1"#, 653),
        ("AT+MIPLNMI=0,1,1", 653),
        ("AT+MIPLUPDATESET=0,1", 653),
        ("AT+MIPLDTLSNAT=0,120", 653),
        ("AT+MIPLDEVINFO?", 653),
        ("AT+MIPLQMGR=0", 653),
        ("AT+MIPLOPEN=0,300,30", 653),
        ("AT+MIPLOPEN?", 602),
        ("AT+MIPLUPDATE=0,300,0", 653),
        ("AT+MIPLCLOSE=0", 653),
        ("AT+MIPLMGR=0", 653),
        (r#"AT+MIPLNOTIFY=0,0,3200,0,5750,1,4,"test",0,0"#, 653),
        ("AT+MIPLREADRSP=0,1,11", 653),
        ("AT+MIPLWRITERSP=0,1,2", 653),
        ("AT+MIPLEXECUTERSP=0,1,2", 653),
        ("AT+MIPLPARAMETERRSP=0,1,2", 653),
        ("AT+MIPLOBSERVERSP=0,1,1", 653),
        // CREATEEX parameters
        ("AT+MIPLCREATEEX=", 601),
        (r#"AT+MIPLCREATEEX="1.2.3.4:5683""#, 601),
        (r#"AT+MIPLCREATEEX="1.2.3.4:5683",1,"a","b","c",0,9"#, 601),
        (r#"AT+MIPLCREATEEX="1.2.3.4:5683",4"#, 601),
        (r#"AT+MIPLCREATEEX="1.2.3.4:5683","1""#, 601),
        (r#"AT+MIPLCREATEEX="1.2.3.4:5683",1a"#, 601),
        (r#"AT+MIPLCREATEEX="1.2.3.4:0",1"#, 601),
        (r#"AT+MIPLCREATEEX="1.2.3.4:65536",1"#, 601),
        (r#"AT+MIPLCREATEEX="1.2.3.4:",1"#, 601),
        (r#"AT+MIPLCREATEEX="1.2.3.4:56x3",1"#, 601),
        (r#"AT+MIPLCREATEEX=":5683",1"#, 601),
        (r#"AT+MIPLCREATEEX="",1"#, 601),
        (r#"AT+MIPLCREATEEX="1.2.3.4:5683,1"#, 601),
        (r#"AT+MIPLCREATEEX="1.2.3.4:5684",0,,"abcdefgh12345678x""#, 601),
        (r#"AT+MIPLCREATEEX="1.2.3.4:5684",0,,"abc!""#, 601),
        (r#"AT+MIPLCREATEEX="1.2.3.4:5684",0,,abc,,1"#, 601),
        (r#"AT+MIPLCREATEEX="1.2.3.4:5684",0,,abcx,,1"#, 601),
        (r#"AT+MIPLCREATEEX="1.2.3.4:5684",0,,abcd,,2"#, 601),
        // CREATE config blob fragments (DESIGN.md)
        ("AT+MIPLCREATE=", 601),
        ("AT+MIPLCREATE=10,0011,0,2,0", 601),
        ("AT+MIPLCREATE=3,00,0,3,0", 601),
        ("AT+MIPLCREATE=1,ZZ,0,1,0", 601),
        ("AT+MIPLCREATE=1,000,0,1,0", 601),
        ("AT+MIPLCREATE=3,130003,0,3,0", 601),
        ("AT+MIPLCREATE=3,130003,0,3,3", 601),
        ("AT+MIPLCREATE=10,0011,3,2,2", 601),
        ("AT+MIPLCREATE=10,0011,0,2,1", 601),
        ("AT+MIPLCREATE=0,,0,0,0", 601),
        ("AT+MIPLCREATE=600,00,1,1,1", 100),
        ("AT+MIPLCREATE=3,130003,0,3", 601),
        (r#"AT+MIPLCREATE="3",130003,0,3,0"#, 601),
    ]
    .iter()
    .map(|&(l, c)| case(l, c))
    .collect();
    v.push(case(&format!(r#"AT+MIPLCREATEEX="{}:5683",1"#, long('h', 151)), 601));
    v.push(case(
        &format!(r#"AT+MIPLCREATEEX="1.2.3.4",1,"{}""#, long('a', 65)),
        601,
    ));
    v.push(case(
        &format!(r#"AT+MIPLCREATEEX="1.2.3.4",1,,abcd,"{}""#, long('i', 151)),
        601,
    ));
    v.push(case(&format!("AT+MIPLCREATE=2048,{},0,2048,0", long('0', 4096)), 100));
    v.push((b"AT+MIPLCREATEEX=\"1.2.3.4\xff:5683\",1".to_vec(), 601));
    v
}

#[test]
fn onemo_without_instance() {
    let probes = &["AT+MIPLDEVINFO?", r#"AT+MIPLADDOBJ=0,3200,1,"1",0,0"#, "AT+MIPLQMGR=0"];
    play(ProfileId::Onemo, &[], probes, ONEMO_EMPTY_SHOWS, &onemo_empty_cases());
}

// ---------------------------------------------------------------- bc260y

const BC_FULL: &[&str] = &[
    r#"AT+MIPLCONFIG=0,1,0,"183.230.40.40",5683,0"#,
    "AT+MIPLCREATE",
    r#"AT+MIPLADDOBJ=0,3311,2,"11",4,2"#,
];
const BC_PROBES: &[&str] = &["AT+MIPLCONFIG?", r#"AT+MIPLADDOBJ=0,3311,1,"1",0,0"#];
const BC_FULL_SHOWS: &str = "\r\n+MIPLCONFIG: 0,1,0,\"183.230.40.40\",5683,0\r\n\r\nOK\r\n\r\n+CIS ERROR: 654\r\n";

fn bc_full_cases() -> Vec<Case> {
    let mut v: Vec<Case> = [
        // CONFIG
        ("AT+MIPLCONFIG=0", 652),
        ("AT+MIPLCONFIG=1,0", 652),
        ("AT+MIPLCONFIG=0,2", 652),
        ("AT+MIPLCONFIG=0,1,1", 652),
        (r#"AT+MIPLCONFIG=0,1,1,"1.2.3.4""#, 652),
        (r#"AT+MIPLCONFIG=0,1,1,"1.2.3.4",0"#, 652),
        (r#"AT+MIPLCONFIG=0,1,1,"1.2.3.4",65536"#, 652),
        (r#"AT+MIPLCONFIG=0,1,2,"1.2.3.4",5683"#, 652),
        (r#"AT+MIPLCONFIG=0,1,1,"1.2.3.4",5683,2"#, 652),
        (r#"AT+MIPLCONFIG=0,1,1,"1.2.3.4",5683,1,1"#, 652),
        (r#"AT+MIPLCONFIG=0,1,1,"",5683"#, 652),
        (r#"AT+MIPLCONFIG="0",1"#, 652),
        (r#"AT+MIPLCONFIG=0,1,1,"1.2.3.4,5683"#, 652),
        ("AT+MIPLCONFIG", 652),
        ("AT+MIPLCONFIG?x", 652),
        // CREATE: exec only; the instance exists
        ("AT+MIPLCREATE", 654),
        ("AT+MIPLCREATE=?", 652),
        ("AT+MIPLCREATE?", 652),
        ("AT+MIPLCREATE=0", 652),
        // DELETE
        ("AT+MIPLDELETE=1", 652),
        ("AT+MIPLDELETE", 652),
        ("AT+MIPLDELETE?", 652),
        ("AT+MIPLDELETE=0,0", 652),
        // VER
        ("AT+MIPLVER", 652),
        ("AT+MIPLVER=?", 652),
        ("AT+MIPLVER=0", 652),
        // ADDOBJ: the bitmap must be quoted (seed 003 §3.3.5)
        ("AT+MIPLADDOBJ=0,3300,1,1,0,0", 652),
        (r#"AT+MIPLADDOBJ=0,3300,2,"1",0,0"#, 652),
        (r#"AT+MIPLADDOBJ=0,3300,1,"1",0,65536"#, 652),
        (r#"AT+MIPLADDOBJ="0",3300,1,"1",0,0"#, 652),
        (r#"AT+MIPLADDOBJ=0,3300,1,"1",0"#, 652),
        (r#"AT+MIPLADDOBJ=0,3311,1,"1",0,0"#, 654),
        ("AT+MIPLADDOBJ?", 652),
        // DELOBJ
        ("AT+MIPLDELOBJ=0,3300", 655),
        ("AT+MIPLDELOBJ=0", 652),
        ("AT+MIPLDELOBJ=0,-1", 652),
        // OPEN: lifetime 0 or 15..268435455, timeout 1..65535 (seed 003 §3.3.7)
        ("AT+MIPLOPEN=0,14", 652),
        ("AT+MIPLOPEN=0,268435456", 652),
        ("AT+MIPLOPEN=0,86400,0", 652),
        ("AT+MIPLOPEN=0,86400,65536", 652),
        ("AT+MIPLOPEN=0,86400,30,0", 652),
        ("AT+MIPLOPEN?", 652),
        ("AT+MIPLOPEN", 652),
        // UPDATE, CLOSE: not registered
        ("AT+MIPLUPDATE=0,86400,0", 653),
        ("AT+MIPLUPDATE=0,86400,0,2", 653),
        ("AT+MIPLUPDATE=0,86400,0,3", 652),
        ("AT+MIPLUPDATE=0,10,0", 652),
        ("AT+MIPLUPDATE=0,86400,2", 652),
        ("AT+MIPLCLOSE=0", 653),
        ("AT+MIPLCLOSE=1", 652),
        // DISCOVERRSP answering +MIPLDISCOVER
        (r#"AT+MIPLDISCOVERRSP=0,26384,1,19,"5850;5851;5706;5805""#, 653),
        (r#"AT+MIPLDISCOVERRSP=0,26384,1,19,"5850;5851;5706;5805",1"#, 653),
        (r#"AT+MIPLDISCOVERRSP=0,26384,13,0,"""#, 653),
        ("AT+MIPLDISCOVERRSP=0,26384,1,4,5850", 652),
        (r#"AT+MIPLDISCOVERRSP=0,26384,1,5,"5850""#, 652),
        (r#"AT+MIPLDISCOVERRSP=0,268435456,1,4,"5850""#, 652),
        (r#"AT+MIPLDISCOVERRSP=0,26384,2,4,"5850""#, 652),
        (r#"AT+MIPLDISCOVERRSP=0,26384,1,4,"5850",3"#, 652),
        (r#"AT+MIPLDISCOVERRSP=0,26384,1,4,"58x0""#, 652),
        (r#"AT+MIPLDISCOVERRSP=0,26384,1,256,"5850""#, 652),
        // OBSERVERSP and its aliases
        ("AT+MIPLOBSERVERSP=0,69234,1", 653),
        ("AT+MIPOBSERVERSP=0,69234,1", 653),
        ("AT+MIPLWRITEOBSERVERSP=0,69234,1,2", 653),
        ("AT+MIPLOBSERVERSP=0,69234,2", 652),
        ("AT+MIPLOBSERVERSP=0,69234,1,3", 652),
        ("AT+MIPLOBSERVERSP=0,69234", 652),
        // READRSP (seed 003 §3.3.11)
        ("AT+MIPLREADRSP=0,3123,1,3311,0,5805,4,4,1.88,0,0", 653),
        ("AT+MIPLREADRSP=0,3123,1,3311,0,5805,4,4,1.88,0,0,1", 653),
        ("AT+MIPLREADRSP=0,3123,13", 653),
        ("AT+MIPLREADRSP=0,3123,1,3311,0,5805,4,4,1.88,11,0", 652),
        ("AT+MIPLREADRSP=0,3123,1,3311,0,5805,4,4,1.88,0,3", 652),
        ("AT+MIPLREADRSP=0,3123,1,3311,0,5805,6,4,ABCD,0,0", 652),
        ("AT+MIPLREADRSP=0,3123,1,3311,0,5805,4,8,1.88,0,0", 652),
        ("AT+MIPLREADRSP=0,3123,1,3311,0,5805,1,4,test,0,0", 652),
        (r#"AT+MIPLREADRSP=0,3123,1,3311,0,5805,3,2,"123",0,0"#, 652),
        ("AT+MIPLREADRSP=0,3123,1,3311,0,5805,3,2,40000,0,0", 652),
        ("AT+MIPLREADRSP=0,3123,1,3311,0,5805,5,1,1,0,0,3", 652),
        ("AT+MIPLREADRSP=0,3123,1,3311,0,5805,4,4,1.88,0,0,0,0", 652),
        // WRITERSP, EXECUTERSP, PARAMETERRSP: 2, 11..14
        ("AT+MIPLWRITERSP=0,38017,2", 653),
        ("AT+MIPLWRITERSP=0,38017,1", 652),
        ("AT+MIPLWRITERSP=0,38017,2,3", 652),
        ("AT+MIPLEXECUTERSP=0,36476,2", 653),
        ("AT+MIPLEXECUTERSP=0,36476,15", 652),
        ("AT+MIPLPARAMETERRSP=0,56642,2", 653),
        ("AT+MIPLPARAMETERSP=0,56642,2", 653),
        ("AT+MIPLPARAMETERRSP=0,56642,1", 652),
        // NOTIFY (seed 003 §3.3.15)
        ("AT+MIPLNOTIFY=0,122179,3303,0,5700,4,4,25.6,0,0", 653),
        (r#"AT+MIPLNOTIFY=0,307353,3303,0,5701,1,3,"Cel",0,0,255,1"#, 653),
        ("AT+MIPLNOTIFY=0,122179,3303,0,5700,6,2,ABCD,0,0", 652),
        ("AT+MIPLNOTIFY=0,122179,3303,0,5700,4,4,25.6,11,0", 652),
        ("AT+MIPLNOTIFY=0,122179,3303,0,5700,4,4,25.6,0,0x400", 652),
        ("AT+MIPLNOTIFY=0,122179,3303,0,5700,4,4,25.6,0,0,65536", 652),
        ("AT+MIPLNOTIFY=0,122179,3303,0,5700,4,4,25.6,0,0,1,3", 652),
        ("AT+MIPLNOTIFY=0,122179,3303,0,5700,4,4,25.6,0,0,1,0,0", 652),
        (r#"AT+MIPLNOTIFY=0,122179,3303,0,5701,1,4,"Cel",0,0"#, 652),
        ("AT+MIPLNOTIFY=0,268435456,3303,0,5700,4,4,25.6,0,0", 652),
        ("AT+MIPLNOTIFY=?x", 652),
        // onemo-only commands do not exist here: not tested as errors
    ]
    .iter()
    .map(|&(l, c)| case(l, c))
    .collect();
    v.push(case(
        &format!(r#"AT+MIPLADDOBJ=0,3300,33,"{}",0,0"#, long('1', 33)),
        651,
    ));
    v.push(case(&format!(r#"AT+MIPLCONFIG=0,1,1,"{}",5683"#, long('9', 151)), 652));
    v.push(case(&format!("AT+MIPLDELOBJ=0,{}", long('9', 4096)), 652));
    v.push(case(
        &format!("AT+MIPLNOTIFY=0,1,3303,0,5701,1,2000,\"{}\",0,0", long('x', 2000)),
        652,
    ));
    v.push((b"AT+MIPLCONFIG=0,1,1,\"\xc3\x28\",5683".to_vec(), 652));
    v.push((b"at+mipldelobj=0,\xff".to_vec(), 652));
    v
}

#[test]
fn bc260y_with_instance() {
    play(ProfileId::Bc260y, BC_FULL, BC_PROBES, BC_FULL_SHOWS, &bc_full_cases());
}

#[test]
fn bc260y_without_instance() {
    let cases: Vec<Case> = [
        ("AT+MIPLDELETE=0", 655),
        ("AT+MIPDELETE=0", 655),
        (r#"AT+MIPLADDOBJ=0,3300,1,"1",0,0"#, 655),
        ("AT+MIPLDELOBJ=0,3300", 655),
        ("AT+MIPLOPEN=0,86400", 655),
        ("AT+MIPLUPDATE=0,86400,0", 655),
        ("AT+MIPLCLOSE=0", 655),
        (r#"AT+MIPLDISCOVERRSP=0,1,1,4,"5850""#, 655),
        ("AT+MIPLOBSERVERSP=0,1,1", 655),
        ("AT+MIPLREADRSP=0,1,13", 655),
        ("AT+MIPLWRITERSP=0,1,2", 655),
        ("AT+MIPLEXECUTERSP=0,1,2", 655),
        ("AT+MIPLPARAMETERRSP=0,1,2", 655),
        ("AT+MIPLNOTIFY=0,1,3303,0,5700,4,4,25.6,0,0", 655),
    ]
    .iter()
    .map(|&(l, c)| case(l, c))
    .collect();
    let shows = "\r\n+MIPLCONFIG: 0,0,1,\"183.230.40.39\",5683,1\r\n\r\nOK\r\n\r\n+CIS ERROR: 655\r\n";
    play(ProfileId::Bc260y, &[], BC_PROBES, shows, &cases);
}

/// Commands of the other MIPL profile are not claimed: the firmware's own
/// dispatcher answers them.
#[test]
fn other_profile_commands_are_not_mine() {
    let mut onemo = Module::new(ProfileId::Onemo);
    for line in ["AT+MIPLCONFIG?", "AT+MIPLVER?", "AT+MIPLCONFIG=?"] {
        assert_eq!(
            onemo.at_bytes(line.as_bytes()),
            (Handled::NotMine, String::new()),
            "{line}"
        );
    }
    let mut bc = Module::new(ProfileId::Bc260y);
    for line in [
        "AT+MIPLCREATEEX=\"1.2.3.4\",1",
        "AT+MIPLDEVINFO?",
        "AT+MIPLCFG=\"binding\",0,1",
        "AT+MIPLNMI=0,1,1",
        "AT+MIPLMGR=0",
        "AT+MIPLQMGR=0",
        "AT+MIPLLTRDP",
        "AT+MIPLDTLSNAT=0,120",
        "AT+MIPLUPDATESET=0,1",
    ] {
        assert_eq!(
            bc.at_bytes(line.as_bytes()),
            (Handled::NotMine, String::new()),
            "{line}"
        );
    }
}
