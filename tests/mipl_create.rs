//! AT+MIPLCREATE with the CIS config blob (DESIGN.md): whole, in fragments,
//! both net layouts; what it creates is seen through AT+MIPLDEVINFO?.

mod common;
use common::{framed, Module};
use lwat::dialect::profile::ProfileId;

/// Version 1, 3 items: init; net with flags 0x80 (bootstrap), host
/// "183.230.40.39:5683", user data "1"; sys with 2 bytes of user data.
const BLOB: &str = concat!(
    "130035",
    "F10003",
    "F20024",
    "0400",
    "11",
    "80",
    "000000000000",
    "0012",
    "3138332E3233302E34302E33393A35363833", // 183.230.40.39:5683
    "000131",
    "F3000B",
    "C0008000",
    "0002ABCD",
);

/// The older net layout (no flags byte), direct to 183.230.40.40:5683.
const OLD_BLOB: &str = concat!(
    "130034",
    "F10003",
    "F20023",
    "0400",
    "11",
    "000000000000",
    "0012",
    "3138332E3233302E34302E34303A35363833", // 183.230.40.40:5683
    "000131",
    "F3000B",
    "C0008000",
    "0002ABCD",
);

fn created() -> String {
    framed(&["+MIPLCREATE: 0", "OK"])
}

fn devinfo(m: &mut Module) -> String {
    m.at("AT+MIPLDEVINFO?")
}

#[test]
fn whole_blob() {
    assert_eq!(BLOB.len(), 2 * 53);
    let mut m = Module::new(ProfileId::Onemo);
    assert_eq!(m.at(&format!("AT+MIPLCREATE=53,{BLOB},0,53,0")), created());
    assert_eq!(
        devinfo(&mut m),
        framed(&["+MIPLDEVINFO: \"183.230.40.39:5683\",1", "OK"])
    );
    assert_eq!(
        m.at(&format!("AT+MIPLCREATE=53,{BLOB},0,53,0")),
        framed(&["+CIS ERROR: 653"])
    );
}

#[test]
fn quoted_blob_and_old_layout() {
    assert_eq!(OLD_BLOB.len(), 2 * 52);
    let mut m = Module::new(ProfileId::Onemo);
    assert_eq!(m.at(&format!("AT+MIPLCREATE=52,\"{OLD_BLOB}\",0,52,0")), created());
    // the old layout has no flags byte: no bootstrap
    assert_eq!(
        devinfo(&mut m),
        framed(&["+MIPLDEVINFO: \"183.230.40.40:5683\",0", "OK"])
    );
}

#[test]
fn fragments() {
    let mut m = Module::new(ProfileId::Onemo);
    let (a, rest) = BLOB.split_at(40);
    let (b, c) = rest.split_at(40);
    assert_eq!(m.at(&format!("AT+MIPLCREATE=53,{a},2,20,1")), framed(&["OK"]));
    // nothing exists until the last part
    assert_eq!(devinfo(&mut m), framed(&["+CIS ERROR: 653"]));
    // a wrong index, size or total is refused and the assembly is kept
    assert_eq!(
        m.at(&format!("AT+MIPLCREATE=53,{b},2,20,2")),
        framed(&["+CIS ERROR: 601"])
    );
    assert_eq!(
        m.at(&format!("AT+MIPLCREATE=52,{b},1,20,2")),
        framed(&["+CIS ERROR: 601"])
    );
    assert_eq!(
        m.at(&format!("AT+MIPLCREATE=53,{b},1,21,2")),
        framed(&["+CIS ERROR: 601"])
    );
    assert_eq!(
        m.at(&format!("AT+MIPLCREATE=53,{c},0,13,0")),
        framed(&["+CIS ERROR: 601"])
    );
    assert_eq!(m.at(&format!("AT+MIPLCREATE=53,{b},1,20,2")), framed(&["OK"]));
    assert_eq!(m.at(&format!("AT+MIPLCREATE=53,{c},0,13,0")), created());
    assert_eq!(
        devinfo(&mut m),
        framed(&["+MIPLDEVINFO: \"183.230.40.39:5683\",1", "OK"])
    );
}

#[test]
fn a_first_fragment_restarts_the_assembly() {
    let mut m = Module::new(ProfileId::Onemo);
    let (a, rest) = BLOB.split_at(40);
    assert_eq!(m.at(&format!("AT+MIPLCREATE=53,{a},1,20,1")), framed(&["OK"]));
    assert_eq!(m.at(&format!("AT+MIPLCREATE=53,{a},1,20,1")), framed(&["OK"]));
    assert_eq!(m.at(&format!("AT+MIPLCREATE=53,{rest},0,33,0")), created());
}

#[test]
fn a_blob_that_does_not_parse_creates_nothing() {
    let mut m = Module::new(ProfileId::Onemo);
    // header size says 52 for 53 bytes
    let bad = BLOB.replacen("130035", "130034", 1);
    assert_eq!(
        m.at(&format!("AT+MIPLCREATE=53,{bad},0,53,0")),
        framed(&["+CIS ERROR: 601"])
    );
    // a net string that runs past its item
    let bad = BLOB.replacen("0012", "0013", 1);
    assert_eq!(
        m.at(&format!("AT+MIPLCREATE=53,{bad},0,53,0")),
        framed(&["+CIS ERROR: 601"])
    );
    // a host without a usable port
    let bad = BLOB.replacen("35363833", "35363878", 1);
    assert_eq!(
        m.at(&format!("AT+MIPLCREATE=53,{bad},0,53,0")),
        framed(&["+CIS ERROR: 601"])
    );
    assert_eq!(devinfo(&mut m), framed(&["+CIS ERROR: 653"]));
    assert_eq!(m.at(&format!("AT+MIPLCREATE=53,{BLOB},0,53,0")), created());
}

/// A refused whole blob or first part leaves the assembly in progress as
/// it was: the parts that follow still complete it.
#[test]
fn a_refused_restart_keeps_the_assembly() {
    let mut m = Module::new(ProfileId::Onemo);
    let (a, rest) = BLOB.split_at(40);
    let (b, c) = rest.split_at(40);
    assert_eq!(m.at(&format!("AT+MIPLCREATE=53,{a},2,20,1")), framed(&["OK"]));
    let bad = BLOB.replacen("130035", "130034", 1);
    assert_eq!(
        m.at(&format!("AT+MIPLCREATE=53,{bad},0,53,0")),
        framed(&["+CIS ERROR: 601"])
    );
    let not_hex = a.replacen('1', "G", 1);
    assert_eq!(
        m.at(&format!("AT+MIPLCREATE=53,{not_hex},2,20,1")),
        framed(&["+CIS ERROR: 601"])
    );
    assert_eq!(m.at(&format!("AT+MIPLCREATE=53,{b},1,20,2")), framed(&["OK"]));
    assert_eq!(m.at(&format!("AT+MIPLCREATE=53,{c},0,13,0")), created());
}

#[test]
fn exec_create_then_delete_then_createex() {
    let mut m = Module::new(ProfileId::Onemo);
    assert_eq!(m.at("AT+MIPLCREATE"), created());
    // seed 001 §3.1: bootstrap to OneNET Chongqing
    assert_eq!(
        devinfo(&mut m),
        framed(&["+MIPLDEVINFO: \"183.230.40.39:5683\",1", "OK"])
    );
    assert_eq!(m.at(r#"AT+MIPLADDOBJ=0,3200,1,"1",0,0"#), framed(&["OK"]));
    assert_eq!(m.at("AT+MIPLDELETE=0"), framed(&["OK"]));
    assert_eq!(
        m.at(r#"AT+MIPLCREATEEX="cmiot.example:5684",3,"code",00112233445566778899AABBCCDDEEFF,"id",1"#),
        framed(&["+MIPLCREATEEX: 0", "OK"])
    );
    assert_eq!(
        devinfo(&mut m),
        framed(&[
            "+MIPLDEVINFO: \"cmiot.example:5684\",3,\"code\",\"00112233445566778899AABBCCDDEEFF\"",
            "OK"
        ])
    );
    // the objects went with the old instance
    assert_eq!(m.at(r#"AT+MIPLADDOBJ=0,3200,1,"1",0,0"#), framed(&["OK"]));
}

#[test]
fn lowercase_at_is_a_command() {
    // seed 001 §2.1: "AT命令必须以“AT”或“at”开头"
    let mut m = Module::new(ProfileId::Onemo);
    assert_eq!(m.at("at+miplcreate"), created());
    assert_eq!(m.at("at+mipladdobj=0,3200,1,\"1\",0,0"), framed(&["OK"]));
    assert_eq!(m.at("AT+MIPLADDOBJ=0,3200,1,\"1\",0,0"), framed(&["+CIS ERROR: 653"]));
    let mut b = Module::new(ProfileId::Bc260y);
    assert_eq!(b.at("at+miplver?"), framed(&["+MIPLVER: 2.3.0", "OK"]));
}

#[test]
fn object_capacity() {
    for profile in [ProfileId::Onemo, ProfileId::Bc260y] {
        let mut m = Module::new(profile);
        assert_eq!(m.at("AT+MIPLCREATE"), created());
        for id in 0..lwat::config::MIPL_MAX_OBJECTS {
            assert_eq!(
                m.at(&format!("AT+MIPLADDOBJ=0,{},1,\"1\",0,0", 3300 + id)),
                framed(&["OK"])
            );
        }
        let full = if profile == ProfileId::Onemo {
            "+CIS ERROR: 100"
        } else {
            "+CIS ERROR: 651"
        };
        assert_eq!(m.at("AT+MIPLADDOBJ=0,9999,1,\"1\",0,0"), framed(&[full]));
        assert_eq!(m.at("AT+MIPLDELOBJ=0,3300"), framed(&["OK"]));
        assert_eq!(m.at("AT+MIPLADDOBJ=0,9999,1,\"1\",0,0"), framed(&["OK"]));
    }
}

#[test]
fn bc260y_create_uses_config() {
    let mut m = Module::new(ProfileId::Bc260y);
    assert_eq!(m.at("AT+MIPLCREATE"), created());
    let before = format!("{:?}", m.engine);
    // bc260y has no DEVINFO: the server is only seen in the state (and, with
    // the client, in the datagrams).
    // (two substrings: the Debug text follows Device's field order)
    assert!(
        before.contains("host: [49, 56, 51, 46, 50, 51, 48, 46, 52, 48, 46, 51, 57], "),
        "{before}"
    );
    assert!(before.contains("port: 5683, flag: 1, dtls: false"), "{before}");
    assert_eq!(m.at("AT+MIPLDELETE=0"), framed(&["OK"]));
    assert_eq!(m.at(r#"AT+MIPLCONFIG=0,0,0,"10.0.0.1",5684,0"#), framed(&["OK"]));
    assert_eq!(m.at("AT+MIPLCREATE"), created());
    let after = format!("{:?}", m.engine);
    assert!(after.contains("host: [49, 48, 46, 48, 46, 48, 46, 49], "), "{after}");
    assert!(after.contains("port: 5684, flag: 0, dtls: true"), "{after}");
    assert!(after.contains("auto_update: false"), "{after}");
}

/// The longest MIPL response line: AT+MIPLDEVINFO? with the host and the
/// auth code at their capacities and a 16-byte PSK goes out whole.
#[test]
fn the_longest_devinfo_line_is_printed_whole() {
    use lwat::config::{AUTHCODE_MAX, HOST_MAX};
    let host: String = std::iter::repeat_n('h', HOST_MAX).collect();
    let auth: String = std::iter::repeat_n('a', AUTHCODE_MAX).collect();
    let psk: String = std::iter::repeat_n('p', 16).collect();
    let mut m = Module::new(ProfileId::Onemo);
    assert_eq!(
        m.at(&format!("AT+MIPLCREATEEX=\"{host}:65535\",3,\"{auth}\",\"{psk}\"")),
        framed(&["+MIPLCREATEEX: 0", "OK"])
    );
    let line = format!("+MIPLDEVINFO: \"{host}:65535\",3,\"{auth}\",\"{psk}\"");
    assert_eq!(m.at("AT+MIPLDEVINFO?"), framed(&[line.as_str(), "OK"]));
}
