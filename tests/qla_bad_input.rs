//! Bad input for every QLA command (seed 004): each line gets the exact
//! `+CMEE ERROR: <n>` (seed 004 §6) and nothing else, and the state seen
//! through the query commands and the NV store is unchanged afterwards.

mod common;
use common::{framed, Module};
use lwat::dialect::profile::ProfileId;
use lwat::Handled;

/// A module with a LwM2M server, non-default settings and two objects.
fn configured() -> Module {
    let mut m = Module::new(ProfileId::Qla);
    for line in [
        "AT+QLACONFIG=0,\"198.51.100.7\",5683,\"ep-1\",300,0,\"id\",\"0A0B\",1",
        "AT+QLACFG=\"retransmit\",3,4",
        "AT+QLACFG=\"platform\",1",
        "AT+QLACFG=\"cfg_res\",3,0,17,\"500677\"",
    ] {
        assert_eq!(m.at(line), framed(&["OK"]), "{line}");
    }
    for line in ["AT+QLAADDOBJ=19,0,2,0,1", "AT+QLAADDOBJ=20,1,1,5"] {
        assert_eq!(m.at(line), framed(&["OK", "+QLAADDOBJ: 0"]), "{line}");
    }
    m
}

/// Everything the query commands show, plus the NV store.
fn snapshot(m: &mut Module) -> (Vec<String>, std::collections::BTreeMap<u16, Vec<u8>>) {
    let queries = [
        "AT+QLACONFIG?",
        "AT+QLACFG?",
        "AT+QLAADDOBJ?",
        "AT+QLASTATUS?",
        "AT+QLARD?",
    ];
    let text = queries.iter().map(|q| m.at(q)).collect();
    (text, m.host.nv.clone())
}

fn error(code: u16) -> String {
    framed(&[&format!("+CMEE ERROR: {code}")])
}

/// Sends every line to a freshly configured module and checks its error and
/// that nothing changed.
fn check(cases: &[(&[u8], u16)]) {
    for (line, code) in cases {
        let mut m = configured();
        let before = snapshot(&mut m);
        let writes = m.host.nv_writes;
        let (handled, out) = m.at_bytes(line);
        let shown = String::from_utf8_lossy(line);
        let shown: String = shown.chars().take(120).collect();
        assert_eq!(handled, Handled::Mine, "{shown}");
        assert_eq!(out, error(*code), "{shown}");
        assert_eq!(m.host.nv_writes, writes, "{shown}: NV written");
        assert_eq!(snapshot(&mut m), before, "{shown}: state changed");
    }
}

fn long(c: char, n: usize) -> String {
    std::iter::repeat_n(c, n).collect()
}

#[test]
fn qlaconfig() {
    let host151 = long('h', 151);
    let ep151 = long('e', 151);
    let id151 = long('i', 151);
    let psk258 = long('A', 258);
    let big = long('h', 4096);
    let lines: Vec<(String, u16)> = vec![
        // missing / extra
        ("AT+QLACONFIG=0,\"h\",5683,\"ep\",300".into(), 2),
        ("AT+QLACONFIG=0,\"h\",5683,\"ep\",300,3,1,2,3,4".into(), 2),
        ("AT+QLACONFIG=0,,5683,\"ep\",300,3".into(), 2),
        ("AT+QLACONFIG=".into(), 2),
        ("AT+QLACONFIG".into(), 2),
        // security 0 needs the PSK pair; security 3 must not have one
        ("AT+QLACONFIG=0,\"h\",5683,\"ep\",300,0".into(), 2),
        ("AT+QLACONFIG=0,\"h\",5683,\"ep\",300,0,1".into(), 2),
        ("AT+QLACONFIG=0,\"h\",5683,\"ep\",300,3,\"id\",\"00\"".into(), 2),
        // out of range
        ("AT+QLACONFIG=2,\"h\",5683,\"ep\",300,3".into(), 3),
        ("AT+QLACONFIG=0,\"h\",65536,\"ep\",300,3".into(), 3),
        ("AT+QLACONFIG=0,\"h\",-1,\"ep\",300,3".into(), 3),
        ("AT+QLACONFIG=0,\"h\",5683,\"ep\",19,3".into(), 3),
        ("AT+QLACONFIG=0,\"h\",5683,\"ep\",31536001,3".into(), 3),
        ("AT+QLACONFIG=0,\"h\",5683,\"ep\",300,1".into(), 3),
        ("AT+QLACONFIG=0,\"h\",5683,\"ep\",300,3,2".into(), 3),
        // wrongly typed
        ("AT+QLACONFIG=0,\"h\",\"5683\",\"ep\",300,3".into(), 3),
        ("AT+QLACONFIG=0,\"h\",port,\"ep\",300,3".into(), 3),
        ("AT+QLACONFIG=\"0\",\"h\",5683,\"ep\",300,3".into(), 3),
        ("AT+QLACONFIG=0,\"h,x\",\"ep\",300,3".into(), 3),
        ("AT+QLACONFIG=0,\"\",5683,\"ep\",300,3".into(), 3),
        ("AT+QLACONFIG=0,\"h h\",5683,\"ep\",300,3".into(), 3),
        // overlong
        (format!("AT+QLACONFIG=0,\"{host151}\",5683,\"ep\",300,3"), 3),
        (format!("AT+QLACONFIG=0,\"h\",5683,\"{ep151}\",300,3"), 3),
        (format!("AT+QLACONFIG=0,\"h\",5683,\"ep\",300,0,\"{id151}\",\"00\""), 3),
        (format!("AT+QLACONFIG=0,\"h\",5683,\"ep\",300,0,\"id\",\"{psk258}\""), 3),
        (format!("AT+QLACONFIG=0,\"{big}\",5683,\"ep\",300,3"), 3),
        // PSK: odd hex, not hex
        ("AT+QLACONFIG=0,\"h\",5683,\"ep\",300,0,\"id\",\"ABC\"".into(), 13),
        ("AT+QLACONFIG=0,\"h\",5683,\"ep\",300,0,\"id\",\"ZZ\"".into(), 3),
        // unterminated quote, junk after a quote
        ("AT+QLACONFIG=0,\"h,5683,\"ep\",300,3".into(), 3),
        ("AT+QLACONFIG=0,\"h\"x,5683,\"ep\",300,3".into(), 3),
        // undefined forms
        ("AT+QLACONFIG=?".into(), 3),
        ("AT+QLACONFIG?1".into(), 3),
        // lowercase `at` is a valid prefix (seed 004 §1.1): still validated
        ("at+qlaconfig=0,\"h\",5683,\"ep\",19,3".into(), 3),
    ];
    let cases: Vec<(&[u8], u16)> = lines.iter().map(|(l, c)| (l.as_bytes(), *c)).collect();
    check(&cases);
    // non-UTF-8 bytes in a host and an endpoint
    check(&[
        (b"AT+QLACONFIG=0,\"h\xff\",5683,\"ep\",300,3", 3),
        (b"AT+QLACONFIG=0,\"h\",5683,\"e\xc3\x28\",300,3", 3),
    ]);
}

#[test]
fn qlacfg() {
    let dev33 = long('d', 33);
    let lines: Vec<(String, u16)> = vec![
        ("AT+QLACFG=\"retransmit\",2".into(), 2),
        ("AT+QLACFG=\"retransmit\",2,4,1".into(), 2),
        ("AT+QLACFG=\"retransmit\",1,4".into(), 3),
        ("AT+QLACFG=\"retransmit\",21,4".into(), 3),
        ("AT+QLACFG=\"retransmit\",2,9".into(), 3),
        ("AT+QLACFG=\"retransmit\",2,-1".into(), 3),
        ("AT+QLACFG=\"retransmit\",,4".into(), 2),
        ("AT+QLACFG=\"auto_ack\",2".into(), 3),
        ("AT+QLACFG=\"auto_ack\",\"1\"".into(), 3),
        ("AT+QLACFG=\"auto_ack\",1,1".into(), 2),
        ("AT+QLACFG=\"access_mode\",2".into(), 3),
        ("AT+QLACFG=\"platform\",3".into(), 3),
        ("AT+QLACFG=\"platform\",x".into(), 3),
        ("AT+QLACFG=\"recovery_mode\",2".into(), 3),
        ("AT+QLACFG=\"lifetime_enable\",2".into(), 3),
        ("AT+QLACFG=\"dtls_mode\",2".into(), 3),
        ("AT+QLACFG=\"dtls_version\",3".into(), 3),
        ("AT+QLACFG=\"nosuch\",1".into(), 3),
        ("AT+QLACFG=\"nosuch\"".into(), 3),
        ("AT+QLACFG=\"\",1".into(), 3),
        ("AT+QLACFG=".into(), 2),
        ("AT+QLACFG=,1".into(), 2),
        ("AT+QLACFG".into(), 2),
        ("AT+QLACFG=?".into(), 3),
        ("AT+QLACFG?x".into(), 3),
        ("AT+QLACFG=\"cfg_res\"".into(), 2),
        ("AT+QLACFG=\"cfg_res\",3,0".into(), 2),
        ("AT+QLACFG=\"cfg_res\",3,0,18,1".into(), 3),
        ("AT+QLACFG=\"cfg_res\",3,1,17".into(), 3),
        ("AT+QLACFG=\"cfg_res\",3,0,17,".into(), 2),
        ("AT+QLACFG=\"cfg_res\",3,0,17,1,2".into(), 2),
        (format!("AT+QLACFG=\"cfg_res\",3,0,17,\"{dev33}\""), 3),
        ("AT+QLACFG=\"auto_ack,1".into(), 3),
        (format!("AT+QLACFG=\"{}\",1", long('x', 4096)), 3),
        ("at+qlacfg=\"dtls_version\",3".into(), 3),
    ];
    let cases: Vec<(&[u8], u16)> = lines.iter().map(|(l, c)| (l.as_bytes(), *c)).collect();
    check(&cases);
    check(&[
        (b"AT+QLACFG=\"auto_ack\xff\",1", 3),
        (b"AT+QLACFG=\"cfg_res\",3,0,17,\"\xff\xfe\"", 3),
    ]);
}

#[test]
fn qlaaddobj_qladelobj() {
    let many: String = std::iter::repeat_n(",0", 2048).collect();
    let lines: Vec<(String, u16)> = vec![
        ("AT+QLAADDOBJ=21,0,2,0".into(), 2),
        ("AT+QLAADDOBJ=21,0,1,0,1".into(), 2),
        ("AT+QLAADDOBJ=21,0".into(), 2),
        ("AT+QLAADDOBJ=21,0,1".into(), 2),
        ("AT+QLAADDOBJ=21,,1,0".into(), 2),
        ("AT+QLAADDOBJ=".into(), 2),
        ("AT+QLAADDOBJ".into(), 2),
        ("AT+QLAADDOBJ=21,0,0,0".into(), 3),
        ("AT+QLAADDOBJ=21,0,15,0".into(), 3),
        ("AT+QLAADDOBJ=21,0,1,65536".into(), 3),
        ("AT+QLAADDOBJ=-1,0,1,0".into(), 3),
        ("AT+QLAADDOBJ=21,0,1,\"x\"".into(), 3),
        ("AT+QLAADDOBJ=21,0,2,5,5".into(), 3),
        // built-in objects (seed 004 §3.6 note 2)
        ("AT+QLAADDOBJ=0,0,1,0".into(), 3),
        ("AT+QLAADDOBJ=3,1,1,0".into(), 3),
        ("AT+QLAADDOBJ=5,0,1,0".into(), 3),
        // an instance added already
        ("AT+QLAADDOBJ=19,0,1,7".into(), 3),
        ("AT+QLAADDOBJ=21,0,1,\"0".into(), 3),
        (format!("AT+QLAADDOBJ=21,0,1{many}"), 2),
        ("AT+QLAADDOBJ=?".into(), 3),
        ("AT+QLADELOBJ=99".into(), 3),
        ("AT+QLADELOBJ=".into(), 2),
        ("AT+QLADELOBJ=19,1".into(), 2),
        ("AT+QLADELOBJ=abc".into(), 3),
        ("AT+QLADELOBJ=70000".into(), 3),
        ("AT+QLADELOBJ".into(), 2),
        ("AT+QLADELOBJ?".into(), 3),
        ("AT+QLADELOBJ=?".into(), 3),
        ("at+qladelobj=99".into(), 3),
    ];
    let cases: Vec<(&[u8], u16)> = lines.iter().map(|(l, c)| (l.as_bytes(), *c)).collect();
    check(&cases);
    check(&[(b"AT+QLAADDOBJ=21,0,1,\xff", 3)]);
}

#[test]
fn object_limits() {
    // seed 004 §3.6 note 1: 3 objects, 4 instances each; more is "other error".
    let mut m = configured();
    assert_eq!(m.at("AT+QLAADDOBJ=21,0,1,0"), framed(&["OK", "+QLAADDOBJ: 0"]));
    let before = snapshot(&mut m);
    assert_eq!(m.at("AT+QLAADDOBJ=22,0,1,0"), error(1));
    for i in 1..4 {
        assert_eq!(
            m.at(&format!("AT+QLAADDOBJ=21,{i},1,0")),
            framed(&["OK", "+QLAADDOBJ: 0"])
        );
    }
    assert_ne!(snapshot(&mut m), before);
    let full = snapshot(&mut m);
    assert_eq!(m.at("AT+QLAADDOBJ=21,4,1,0"), error(1));
    assert_eq!(snapshot(&mut m), full);
    // 14 resources is the limit, and fits.
    assert_eq!(m.at("AT+QLADELOBJ=21"), framed(&["OK", "+QLADELOBJ: 0"]));
    let ids: Vec<String> = (0..14).map(|r| r.to_string()).collect();
    let line = format!("AT+QLAADDOBJ=22,0,14,{}", ids.join(","));
    assert_eq!(m.at(&line), framed(&["OK", "+QLAADDOBJ: 0"]));
    assert!(m
        .at("AT+QLAADDOBJ?")
        .contains(&format!("+QLAADDOBJ: 22,0,14,{}\r\n", ids.join(","))));
}

/// A well-formed network command that reaches the session seam.
const NOT_REGISTERED: &[&str] = &[
    "AT+QLAUPDATE=0,1000",
    "AT+QLAUPDATE=1,1",
    "AT+QLADEREG",
    "AT+QLARDRSP=62953,1,19,0,0,1,5,abcde,0",
    "AT+QLARDRSP=62953,13,19,0,0,1,0,\"\",0",
    "AT+QLAWRRSP=36560,2",
    "AT+QLAEXERSP=39040,2",
    "AT+QLAOBSRSP=624,1,9,0,0,1,5,\"abcde\",0",
    "AT+QLAOBSRSP=45419,1,19,0,0,2,9,\"020001000400023238\",0",
    "AT+QLANOTIFY=19,0,0,2,9,\"020001000400023438\",0,0",
    "AT+QLANOTIFY=19,0,0,2,9,\"020001000400023438\",0,1",
    "AT+QLANOTIFY=19,0,0,3,3,-12,0",
    "AT+QLANOTIFY=19,0,0,4,6,1.5e-3,0",
    "AT+QLANOTIFY=19,0,0,5,1,1,0",
    "AT+QLASENDDATA=1,3,abc,1",
    "AT+QLASENDDATA=2,2,\"abcd\"",
    "AT+QLARECOVER",
];

#[test]
fn well_formed_network_commands_need_a_session() {
    // seed 004 §6: 4 not registered, for every command that needs one.
    let cases: Vec<(&[u8], u16)> = NOT_REGISTERED.iter().map(|l| (l.as_bytes(), 4)).collect();
    check(&cases);
}

#[test]
fn qlareg() {
    // No server configured: 34, create LwM2M error (seed 004 §6).
    let mut m = Module::new(ProfileId::Qla);
    assert_eq!(m.at("AT+QLAREG"), error(34));
    assert_eq!(m.at("AT+QLASTATUS?"), framed(&["+QLASTATUS: 0", "OK"]));
    // The configured server uses DTLS (security mode 0), which is not built
    // yet: 7 "disabled" (seed 004 §6), and nothing changes.
    check(&[
        (b"AT+QLAREG", 7),
        (b"AT+QLAREG=1", 2),
        (b"AT+QLAREG?", 3),
        (b"AT+QLAREG=?", 3),
    ]);
}

#[test]
fn network_commands() {
    let string_1025 = long('s', 1025);
    let hex_1026 = long('A', 1026);
    let big = long('s', 4096);
    let lines: Vec<(String, u16)> = vec![
        // QLAUPDATE
        ("AT+QLAUPDATE=0".into(), 2),
        ("AT+QLAUPDATE=0,100,1".into(), 2),
        ("AT+QLAUPDATE".into(), 2),
        ("AT+QLAUPDATE=0,19".into(), 3),
        ("AT+QLAUPDATE=0,31536001".into(), 3),
        ("AT+QLAUPDATE=1,2".into(), 3),
        ("AT+QLAUPDATE=2,1".into(), 3),
        ("AT+QLAUPDATE=0,\"100\"".into(), 3),
        ("AT+QLAUPDATE?".into(), 3),
        ("at+qlaupdate=0,19".into(), 3),
        // QLADEREG
        ("AT+QLADEREG=1".into(), 2),
        ("AT+QLADEREG?".into(), 3),
        // QLARDRSP
        ("AT+QLARDRSP=1,1,19,0,0,1,5,abcde".into(), 2),
        ("AT+QLARDRSP=1,1,19,0,0,1,5,abcde,0,0".into(), 2),
        ("AT+QLARDRSP=1,1,19,0,0,1,5,,0".into(), 2),
        ("AT+QLARDRSP=1,2,19,0,0,1,5,abcde,0".into(), 3),
        ("AT+QLARDRSP=1,16,19,0,0,1,5,abcde,0".into(), 3),
        ("AT+QLARDRSP=1,10,19,0,0,1,5,abcde,0".into(), 3),
        ("AT+QLARDRSP=65536,1,19,0,0,1,5,abcde,0".into(), 3),
        ("AT+QLARDRSP=1,1,19,0,70000,1,5,abcde,0".into(), 3),
        ("AT+QLARDRSP=1,1,19,0,0,6,5,abcde,0".into(), 3),
        ("AT+QLARDRSP=1,1,19,0,0,0,5,abcde,0".into(), 3),
        ("AT+QLARDRSP=1,1,19,0,0,1,4,abcde,0".into(), 3),
        ("AT+QLARDRSP=1,1,19,0,0,2,2,\"abc\",0".into(), 13),
        ("AT+QLARDRSP=1,1,19,0,0,2,1,\"abc\",0".into(), 13),
        ("AT+QLARDRSP=1,1,19,0,0,2,2,\"abcg\",0".into(), 3),
        ("AT+QLARDRSP=1,1,19,0,0,2,4,\"abcd\",0".into(), 3),
        ("AT+QLARDRSP=1,1,19,0,0,3,3,12a,0".into(), 3),
        ("AT+QLARDRSP=1,1,19,0,0,3,4,0x10,0".into(), 3),
        ("AT+QLARDRSP=1,1,19,0,0,4,5,1.2.3,0".into(), 3),
        ("AT+QLARDRSP=1,1,19,0,0,4,3,inf,0".into(), 3),
        ("AT+QLARDRSP=1,1,19,0,0,4,2,1e,0".into(), 3),
        ("AT+QLARDRSP=1,1,19,0,0,5,1,2,0".into(), 3),
        ("AT+QLARDRSP=1,1,19,0,0,5,2,10,0".into(), 3),
        ("AT+QLARDRSP=1,1,19,0,0,1,5,abcde,-1".into(), 3),
        ("AT+QLARDRSP=1,\"1\",19,0,0,1,5,abcde,0".into(), 3),
        ("AT+QLARDRSP=1,1,19,0,0,1,5,\"abcde,0".into(), 3),
        (format!("AT+QLARDRSP=1,1,19,0,0,1,1025,{string_1025},0"), 3),
        (format!("AT+QLARDRSP=1,1,19,0,0,2,513,{hex_1026},0"), 3),
        ("AT+QLARDRSP?".into(), 3),
        ("AT+QLARDRSP".into(), 2),
        // QLAWRRSP / QLAEXERSP
        ("AT+QLAWRRSP=36560".into(), 2),
        ("AT+QLAWRRSP=36560,2,0".into(), 2),
        ("AT+QLAWRRSP=36560,1".into(), 3),
        ("AT+QLAWRRSP=36560,15".into(), 3),
        ("AT+QLAWRRSP=-1,2".into(), 3),
        ("AT+QLAWRRSP?".into(), 3),
        ("AT+QLAEXERSP=39040".into(), 2),
        ("AT+QLAEXERSP=39040,1".into(), 3),
        ("AT+QLAEXERSP=39040,15".into(), 3),
        ("AT+QLAEXERSP=x,2".into(), 3),
        ("AT+QLAEXERSP=?".into(), 3),
        // QLAOBSRSP
        ("AT+QLAOBSRSP=624,2,9,0,0,1,5,\"abcde\",0".into(), 3),
        ("AT+QLAOBSRSP=624,1,9,0,0,1,5,\"abcde\"".into(), 2),
        ("AT+QLAOBSRSP=624,1,9,0,0,2,9,\"02000100040002323\",0".into(), 13),
        ("AT+QLAOBSRSP".into(), 2),
        // QLANOTIFY
        ("AT+QLANOTIFY=19,0,0,2,9,\"020001000400023438\"".into(), 2),
        ("AT+QLANOTIFY=19,0,0,2,9,\"020001000400023438\",0,0,0".into(), 2),
        ("AT+QLANOTIFY=19,0,0,2,9,\"020001000400023438\",0,2".into(), 3),
        ("AT+QLANOTIFY=19,0,0,2,9,\"020001000400023438\",0,".into(), 2),
        ("AT+QLANOTIFY=19,0,0,2,9,\"02000100040002343\",0".into(), 13),
        ("AT+QLANOTIFY=19,0,0,2,8,\"020001000400023438\",0".into(), 3),
        ("AT+QLANOTIFY=19,0,0,7,1,1,0".into(), 3),
        (format!("AT+QLANOTIFY=19,0,0,1,4096,{big},0"), 3),
        ("AT+QLANOTIFY?".into(), 3),
        // QLASENDDATA: string or opaque only (seed 004 §3.13)
        ("AT+QLASENDDATA=3,1,1,0".into(), 3),
        ("AT+QLASENDDATA=2,2,\"abcd\",2".into(), 3),
        ("AT+QLASENDDATA=2,2".into(), 2),
        ("AT+QLASENDDATA=2,2,\"abcd\",0,1".into(), 2),
        ("AT+QLASENDDATA=2,2,\"abc\"".into(), 13),
        ("AT+QLASENDDATA".into(), 2),
        ("AT+QLASENDDATA?".into(), 3),
        // QLARD: execute and read only
        ("AT+QLARD=1".into(), 2),
        ("AT+QLARD=?".into(), 3),
        // QLARECOVER
        ("AT+QLARECOVER=1".into(), 2),
        ("AT+QLARECOVER?".into(), 3),
        // QLASTATUS: read only
        ("AT+QLASTATUS".into(), 3),
        ("AT+QLASTATUS=1".into(), 2),
        ("AT+QLASTATUS=?".into(), 3),
    ];
    let cases: Vec<(&[u8], u16)> = lines.iter().map(|(l, c)| (l.as_bytes(), *c)).collect();
    check(&cases);
    check(&[
        (b"AT+QLARDRSP=1,1,19,0,0,1,2,\xff\xfe,0", 3),
        (b"AT+QLASENDDATA=1,2,\"\xc3\x28\"", 3),
        (b"AT+QLANOTIFY=19,0,0,2,2,\"ab\xff\xff\",0", 3),
    ]);
}

#[test]
fn qlard_and_qlastatus_answer_without_a_session() {
    // seed 004 §3.14: nothing is cached (direct mode, and no client yet).
    let mut m = configured();
    assert_eq!(m.at("AT+QLARD?"), framed(&["+QLARD: 0", "OK"]));
    assert_eq!(m.at("AT+QLARD"), framed(&["+QLARD: 0", "OK"]));
    assert_eq!(m.at("AT+QLACFG=\"access_mode\",1"), framed(&["OK"]));
    assert_eq!(m.at("AT+QLARD?"), framed(&["+QLARD: 0", "OK"]));
    assert_eq!(m.at("at+qlastatus?"), framed(&["+QLASTATUS: 0", "OK"]));
}

#[test]
fn lowercase_and_aliases_are_accepted() {
    // seed 004 §1.1: a line starts with "AT" or "at".
    let mut m = configured();
    assert_eq!(
        m.at("at+qlacfg=\"platform\""),
        framed(&["+QLACFG: \"platform\",1", "OK"])
    );
    // The manual writes "recovery_mode " with a blank inside the quotes (§3.2).
    assert_eq!(m.at("AT+QLACFG=\"recovery_mode \",1"), framed(&["OK"]));
    assert_eq!(
        m.at("AT+QLACFG=\"recovery_mode\""),
        framed(&["+QLACFG: \"recovery_mode\",1", "OK"])
    );
    // Blanks around the name are ignored on both sides, not inside it.
    assert_eq!(m.at("AT+QLACFG=\"  dtls_mode  \",1"), framed(&["OK"]));
    assert_eq!(
        m.at("AT+QLACFG=\" dtls_mode\""),
        framed(&["+QLACFG: \"dtls_mode\",1", "OK"])
    );
    assert_eq!(m.at("AT+QLACFG=\"dtls _mode\",0"), error(3));
    assert_eq!(m.at("AT+QLACFG=\"   \",0"), error(3));
    // §2 table 2 spells AT+QLASENDATA: the same command.
    assert_eq!(m.at("AT+QLASENDATA=1,3,abc"), error(4));
    assert_eq!(m.at("AT+QLASENDATA=1,3,ab"), error(3));
}

#[test]
fn qlaconfig_accepts_boundaries() {
    let mut m = Module::new(ProfileId::Qla);
    assert_eq!(m.at("AT+QLACONFIG?"), framed(&["OK"]));
    let host = long('h', 150);
    let ep = long('e', 150);
    let psk = long('a', 256);
    let line = format!("AT+QLACONFIG=0,{host},0,\"{ep}\",20,0,\"id\",\"{psk}\",1");
    assert_eq!(m.at(&line), framed(&["OK"]));
    let want = format!(
        "+QLACONFIG: 0,\"{host}\",0,\"{ep}\",20,0,\"id\",\"{}\",1",
        long('A', 256)
    );
    assert_eq!(m.at("AT+QLACONFIG?"), framed(&[&want, "OK"]));
    let line = "AT+QLACONFIG=0,\"h\",65535,\"ep\",31536000,3,1";
    assert_eq!(m.at(line), framed(&["OK"]));
    assert_eq!(
        m.at("AT+QLACONFIG?"),
        framed(&["+QLACONFIG: 0,\"h\",65535,\"ep\",31536000,3,1", "OK"])
    );
    // A bootstrap server hides the LwM2M server from the query (§3.1 response 2).
    assert_eq!(m.at("AT+QLACONFIG=1,\"bs\",5683,\"ep\",300,3"), framed(&["OK"]));
    assert_eq!(m.at("AT+QLACONFIG?"), framed(&["OK"]));
}

#[test]
fn qlacfg_defaults_and_queries() {
    let mut m = Module::new(ProfileId::Qla);
    assert_eq!(
        m.at("AT+QLACFG?"),
        framed(&[
            "+QLACFG: \"retransmit\",2,5",
            "+QLACFG: \"auto_ack\",0",
            "+QLACFG: \"access_mode\",0",
            "+QLACFG: \"platform\",0",
            "+QLACFG: \"cfg_res\",3,0,17,\"\"",
            "+QLACFG: \"recovery_mode\",0",
            "+QLACFG: \"lifetime_enable\",1",
            "+QLACFG: \"dtls_mode\",0",
            "+QLACFG: \"dtls_version\",2",
            "OK",
        ])
    );
    for (set, query, shown) in [
        ("\"retransmit\",20,0", "\"retransmit\"", "\"retransmit\",20,0"),
        ("\"auto_ack\",1", "\"auto_ack\"", "\"auto_ack\",1"),
        ("\"access_mode\",1", "\"access_mode\"", "\"access_mode\",1"),
        ("\"platform\",2", "\"platform\"", "\"platform\",2"),
        (
            "\"cfg_res\",3,0,17,abc",
            "\"cfg_res\",3,0,17",
            "\"cfg_res\",3,0,17,\"abc\"",
        ),
        ("\"recovery_mode\",1", "\"recovery_mode\"", "\"recovery_mode\",1"),
        ("\"lifetime_enable\",0", "\"lifetime_enable\"", "\"lifetime_enable\",0"),
        ("\"dtls_mode\",1", "\"dtls_mode\"", "\"dtls_mode\",1"),
        ("\"dtls_version\",0", "\"dtls_version\"", "\"dtls_version\",0"),
    ] {
        assert_eq!(m.at(&format!("AT+QLACFG={set}")), framed(&["OK"]), "{set}");
        let want = format!("+QLACFG: {shown}");
        assert_eq!(m.at(&format!("AT+QLACFG={query}")), framed(&[&want, "OK"]), "{query}");
    }
    assert_eq!(m.at("AT+QLACFG=\"cfg_res\",3,0,17,\"\""), framed(&["OK"]));
    assert_eq!(
        m.at("AT+QLACFG=\"cfg_res\",3,0,17"),
        framed(&["+QLACFG: \"cfg_res\",3,0,17,\"\"", "OK"])
    );
}

/// Each set command's field limit: one field past it is a count error (2),
/// but an unterminated quote in that field is a syntax error (3) first, as
/// a command's fields are lexed before they are counted.
#[test]
fn field_limits_and_their_precedence() {
    let fields = |n: usize| vec!["1"; n].join(",");
    let mut lines: Vec<(String, u16)> = Vec::new();
    for (name, limit) in [
        ("QLACONFIG", 9),
        ("QLACFG", 6),
        ("QLAADDOBJ", 17),
        ("QLADELOBJ", 1),
        ("QLAUPDATE", 9),
        ("QLARDRSP", 9),
        ("QLAWRRSP", 9),
        ("QLAEXERSP", 9),
        ("QLAOBSRSP", 9),
        ("QLANOTIFY", 9),
        ("QLASENDDATA", 9),
    ] {
        lines.push((format!("AT+{name}={},1", fields(limit)), 2));
        lines.push((format!("AT+{name}={},\"1", fields(limit)), 3));
        lines.push((format!("AT+{name}={},1,\"1", fields(limit)), 2));
    }
    let cases: Vec<(&[u8], u16)> = lines.iter().map(|(l, c)| (l.as_bytes(), *c)).collect();
    check(&cases);
}
