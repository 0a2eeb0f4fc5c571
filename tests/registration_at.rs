//! Registration through the AT commands, with the server scripted on our
//! CoAP codec: exact AT text in and out, exact requests on the wire.
//! (The same flows against the independent aiocoap server: tests/net/.)

mod common;
use common::server::{answer, at, sent, text};
use common::{framed, Module};
use lwat::coap::{Code, Type};
use lwat::dialect::profile::ProfileId;

const EP: &str = "869975030000461;460041063204591";

/// seed 001 §5.1 without bootstrap, then §3.7 update and §3.8 close.
#[test]
fn onemo_open_update_close() {
    let mut m = Module::new(ProfileId::Onemo);
    at(
        &mut m,
        "AT+MIPLCREATEEX=\"127.0.0.1:5683\",0,\"cmiot\"",
        &["+MIPLCREATEEX: 0", "OK"],
    );
    at(&mut m, "AT+MIPLADDOBJ=0,3200,1,\"1\",0,1", &["OK"]);
    at(&mut m, "AT+MIPLOPEN=0,3000,30", &["OK"]);
    assert_eq!(m.host.opened, [("127.0.0.1".to_string(), 5683)]);
    let reg = sent(&m, 0);
    assert_eq!((reg.ty, reg.code, reg.path.as_str()), (Type::Con, Code::POST, "rd"));
    assert_eq!(
        reg.query,
        [format!("ep={EP}"), "lt=3000".into(), "lwm2m=1.0".into(), "b=U".into()]
    );
    assert_eq!(reg.auth_code.as_deref(), Some(&b"cmiot"[..]));
    assert_eq!(text(&reg.payload), "</>;rt=\"oma.lwm2m\",</1/0>,</3/0>,</3200/0>");
    assert_eq!(
        answer(&mut m, &reg, Code::CREATED, "rd/5a3f"),
        framed(&["+MIPLEVENT: 0,6"])
    );
    at(&mut m, "AT+MIPLOPEN?", &["OK", "+MIPLEVENT: 0,6"]);

    // seed 001 §3.7: a lifetime under 10 means 86400.
    at(&mut m, "AT+MIPLUPDATE=0,0,0", &["OK"]);
    let upd = sent(&m, 1);
    assert_eq!((upd.code, upd.path.as_str()), (Code::POST, "rd/5a3f"));
    assert_eq!(upd.query, ["lt=86400"]);
    assert_eq!(upd.auth_code.as_deref(), Some(&b"cmiot"[..]));
    assert!(upd.payload.is_empty());
    assert_eq!(answer(&mut m, &upd, Code::CHANGED, ""), framed(&["+MIPLEVENT: 0,11"]));

    at(&mut m, "AT+MIPLCLOSE=0", &["OK"]);
    let dereg = sent(&m, 2);
    assert_eq!((dereg.code, dereg.path.as_str()), (Code::DELETE, "rd/5a3f"));
    assert_eq!(answer(&mut m, &dereg, Code::DELETED, ""), framed(&["+MIPLEVENT: 0,15"]));
    at(&mut m, "AT+MIPLOPEN?", &["+CIS ERROR: 602"]);
    at(&mut m, "AT+MIPLDELETE=0", &["OK"]);
}

/// seed 001 §3.6: refused or unanswered registration is event 7, at the
/// OPEN `<timeout>` when the server stays silent.
#[test]
fn onemo_open_refused_and_timed_out() {
    let mut m = Module::new(ProfileId::Onemo);
    at(&mut m, "AT+MIPLCREATEEX=\"127.0.0.1\",0", &["+MIPLCREATEEX: 0", "OK"]);
    at(&mut m, "AT+MIPLOPEN=0,300,5", &["OK"]);
    let reg = sent(&m, 0);
    assert_eq!(answer(&mut m, &reg, Code::FORBIDDEN, ""), framed(&["+MIPLEVENT: 0,7"]));
    assert_eq!(m.engine.poll(&mut m.host, m.now_ms), u64::MAX, "idle after a refusal");

    at(&mut m, "AT+MIPLOPEN=0,300,5", &["OK"]);
    let mut printed = String::new();
    while m.now_ms < 5_000 {
        let wait = m.engine.poll(&mut m.host, m.now_ms);
        printed += &m.host.take();
        assert!(wait > 0 && wait != u64::MAX, "a pending registration has a deadline");
        m.now_ms += wait.min(5_000 - m.now_ms).max(1);
    }
    m.engine.poll(&mut m.host, m.now_ms);
    printed += &m.host.take();
    assert_eq!(printed, framed(&["+MIPLEVENT: 0,7"]));
    assert!(m.host.sent.len() >= 3, "retransmitted before giving up");
}

/// seed 003 §7.2.3 and §7.9: events 4 and 6, update 11, close 15.
#[test]
fn bc260y_open_update_close() {
    let mut m = Module::new(ProfileId::Bc260y);
    at(&mut m, "AT+MIPLCONFIG=0,1,0,\"127.0.0.1\",5683", &["OK"]);
    at(&mut m, "AT+MIPLCREATE", &["+MIPLCREATE: 0", "OK"]);
    at(&mut m, "AT+MIPLADDOBJ=0,3311,1,\"1\",4,2", &["OK"]);
    at(&mut m, "AT+MIPLOPEN=0,86400", &["OK", "+MIPLEVENT: 0,4"]);
    let reg = sent(&m, 0);
    assert_eq!(
        reg.query,
        [format!("ep={EP}"), "lt=86400".into(), "lwm2m=1.0".into(), "b=U".into()]
    );
    assert_eq!(reg.auth_code, None);
    assert_eq!(text(&reg.payload), "</>;rt=\"oma.lwm2m\",</1/0>,</3/0>,</3311/0>");
    assert_eq!(
        answer(&mut m, &reg, Code::CREATED, "rd/1"),
        framed(&["+MIPLEVENT: 0,6"])
    );
    at(&mut m, "AT+MIPLUPDATE=0,86400,0", &["OK"]);
    let upd = sent(&m, 1);
    assert_eq!(answer(&mut m, &upd, Code::CHANGED, ""), framed(&["+MIPLEVENT: 0,11"]));
    at(&mut m, "AT+MIPLCLOSE=0", &["OK"]);
    let dereg = sent(&m, 2);
    assert_eq!(answer(&mut m, &dereg, Code::DELETED, ""), framed(&["+MIPLEVENT: 0,15"]));
}

/// seed 004 §3.3–3.5: REG, UPDATE (message id printed before OK), DEREG.
#[test]
fn qla_register_update_deregister() {
    let mut m = Module::new(ProfileId::Qla);
    at(
        &mut m,
        "AT+QLACONFIG=0,\"127.0.0.1\",5683,\"urn:imei:869975030000461\",300,3",
        &["OK"],
    );
    at(&mut m, "AT+QLAADDOBJ=19,0,1,\"0\"", &["OK", "+QLAADDOBJ: 0"]);
    at(&mut m, "AT+QLAREG", &["OK"]);
    at(&mut m, "AT+QLASTATUS?", &["+QLASTATUS: 1", "OK"]);
    let reg = sent(&m, 0);
    assert_eq!(
        reg.query,
        ["ep=urn:imei:869975030000461", "lt=300", "lwm2m=1.0", "b=U"].map(String::from)
    );
    assert_eq!(text(&reg.payload), "</>;rt=\"oma.lwm2m\",</1/0>,</3/0>,</19/0>");
    assert_eq!(answer(&mut m, &reg, Code::CREATED, "rd/abc"), framed(&["+QLAREG: 0"]));
    at(&mut m, "AT+QLASTATUS?", &["+QLASTATUS: 2", "OK"]);

    let out = m.at("AT+QLAUPDATE=0,100");
    let upd = sent(&m, 1);
    assert_eq!(out, framed(&[&format!("+QLAUPDATE: {}", upd.mid), "OK"]));
    assert_eq!(
        (upd.path.as_str(), upd.query.as_slice()),
        ("rd/abc", &["lt=100".to_string()][..])
    );
    assert_eq!(
        answer(&mut m, &upd, Code::CHANGED, ""),
        framed(&[&format!("+QLAUPDATE: 0,{}", upd.mid)])
    );

    at(&mut m, "AT+QLADEREG", &["OK"]);
    let dereg = sent(&m, 2);
    assert_eq!(dereg.code, Code::DELETE);
    assert_eq!(answer(&mut m, &dereg, Code::DELETED, ""), framed(&["+QLADEREG: 0"]));
}

/// seed 004 §6: a refused registration reports the server's verdict.
#[test]
fn qla_register_forbidden() {
    let mut m = Module::new(ProfileId::Qla);
    at(&mut m, "AT+QLACONFIG=0,\"127.0.0.1\",5683,\"ep\",300,3", &["OK"]);
    at(&mut m, "AT+QLAREG", &["OK"]);
    let reg = sent(&m, 0);
    assert_eq!(answer(&mut m, &reg, Code::FORBIDDEN, ""), framed(&["+QLAREG: 13"]));
    at(&mut m, "AT+QLASTATUS?", &["+QLASTATUS: 0", "OK"]);
}
