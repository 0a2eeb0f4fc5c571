//! MIPL registration end to end with the server scripted on our CoAP codec:
//! bootstrap, refusals, time-outs, automatic updates, the registered-state
//! refusals, DELETE of a live session. Exact AT text in and out, exact
//! requests on the wire. (The plain OPEN/UPDATE/CLOSE flows:
//! tests/registration_at.rs; against aiocoap: tests/net/.)

mod common;
use common::server::{answer, at, last, request, res, run_until, sent, text};
use common::{framed, Module};
use lwat::coap::{Code, Type};
use lwat::dialect::profile::ProfileId;

const EP: &str = "869975030000461;460041063204591";

/// A onemo instance registered directly with 127.0.0.1, lifetime
/// `lifetime`, after `setup` lines (each answered OK).
fn onemo_registered(lifetime: u32, setup: &[&str]) -> Module {
    let mut m = Module::new(ProfileId::Onemo);
    at(&mut m, "AT+MIPLCREATEEX=\"127.0.0.1\",0", &["+MIPLCREATEEX: 0", "OK"]);
    at(&mut m, "AT+MIPLADDOBJ=0,3200,1,\"1\",0,1", &["OK"]);
    for line in setup {
        at(&mut m, line, &["OK"]);
    }
    at(&mut m, &format!("AT+MIPLOPEN=0,{lifetime},30"), &["OK"]);
    let reg = sent(&m, 0);
    assert_eq!(
        answer(&mut m, &reg, Code::CREATED, "rd/5a3f"),
        framed(&["+MIPLEVENT: 0,6"])
    );
    m
}

/// A bc260y instance configured for 127.0.0.1 without bootstrap
/// (`auto_update`: `""` the default, or `",0"` / `",1"`).
fn bc260y_direct(auto_update: &str) -> Module {
    let mut m = Module::new(ProfileId::Bc260y);
    let config = format!("AT+MIPLCONFIG=0,1,0,\"127.0.0.1\",5683{auto_update}");
    at(&mut m, &config, &["OK"]);
    at(&mut m, "AT+MIPLCREATE", &["+MIPLCREATE: 0", "OK"]);
    m
}

/// [`bc260y_direct`] with object 3311 registered, lifetime `lifetime`.
fn bc260y_registered(lifetime: u32, auto_update: &str) -> Module {
    let mut m = bc260y_direct(auto_update);
    at(&mut m, "AT+MIPLADDOBJ=0,3311,1,\"1\",4,2", &["OK"]);
    at(&mut m, &format!("AT+MIPLOPEN=0,{lifetime}"), &["OK", "+MIPLEVENT: 0,4"]);
    let reg = sent(&m, 0);
    assert_eq!(
        answer(&mut m, &reg, Code::CREATED, "rd/1"),
        framed(&["+MIPLEVENT: 0,6"])
    );
    m
}

/// The Bootstrap-Server's side of seed 003 §7.2.1 / seed 001 §5.1 after the
/// Bootstrap-Request: the LwM2M Server account (/0/1), its Server object
/// (/1/0), Bootstrap-Finish. Returns what each step printed.
fn serve_bootstrap(m: &mut Module, lifetime: u32) -> [String; 3] {
    let security = [
        res(0, b"coap://127.0.0.1:5690"),
        res(1, &[0]),
        res(2, &[3]),
        res(10, &[1]),
    ]
    .concat();
    let server = [res(0, &[1]), res(1, &lifetime.to_be_bytes()), res(7, b"U")].concat();
    let printed = [
        request(m, Code::PUT, 0x0101, "0/1", &security),
        request(m, Code::PUT, 0x0102, "1/0", &server),
        request(m, Code::POST, 0x0103, "bs", b""),
    ];
    // each answered 2.04 Changed, piggybacked
    for (i, mid) in [0x0101u16, 0x0102, 0x0103].into_iter().enumerate() {
        let ack = &m.host.sent[m.host.sent.len() - 4 + i].1;
        assert_eq!(ack[..], [0x61, 0x44, (mid >> 8) as u8, mid as u8, 0x42]);
    }
    printed
}

// ------------------------------------------------------------ bootstrap

/// seed 003 §7.2.1: the default configuration bootstraps through
/// 183.230.40.39:5683, then 1, 2, 4, 6.
#[test]
fn bc260y_bootstrap_then_register_events_1_2_4_6() {
    let mut m = Module::new(ProfileId::Bc260y);
    at(&mut m, "AT+MIPLCREATE", &["+MIPLCREATE: 0", "OK"]);
    at(&mut m, "AT+MIPLADDOBJ=0,3311,1,\"1\",4,2", &["OK"]);
    at(&mut m, "AT+MIPLOPEN=0,86400", &["OK", "+MIPLEVENT: 0,1"]);
    assert_eq!(m.host.opened, [("183.230.40.39".to_string(), 5683)]);
    let bs = sent(&m, 0);
    assert_eq!((bs.ty, bs.code, bs.path.as_str()), (Type::Con, Code::POST, "bs"));
    assert_eq!(bs.query, [format!("ep={EP}")]);
    assert_eq!(answer(&mut m, &bs, Code::CHANGED, ""), "");
    let [security, server, finish] = serve_bootstrap(&mut m, 86400);
    assert_eq!((security.as_str(), server.as_str()), ("", ""));
    assert_eq!(finish, framed(&["+MIPLEVENT: 0,2", "+MIPLEVENT: 0,4"]));
    assert_eq!(m.host.closed, [0], "the bootstrap socket is closed");
    assert_eq!(m.host.opened[1], ("127.0.0.1".to_string(), 5690));
    let reg = last(&m);
    assert_eq!((reg.endpoint, reg.code, reg.path.as_str()), (1, Code::POST, "rd"));
    assert_eq!(
        reg.query,
        [format!("ep={EP}"), "lt=86400".into(), "lwm2m=1.0".into(), "b=U".into()]
    );
    assert_eq!(text(&reg.payload), "</>;rt=\"oma.lwm2m\",</1/0>,</3/0>,</3311/0>");
    assert_eq!(
        answer(&mut m, &reg, Code::CREATED, "rd/7"),
        framed(&["+MIPLEVENT: 0,6"])
    );
    at(&mut m, "AT+MIPLCLOSE=0", &["OK"]);
    let dereg = last(&m);
    assert_eq!((dereg.code, dereg.path.as_str()), (Code::DELETE, "rd/7"));
    assert_eq!(answer(&mut m, &dereg, Code::DELETED, ""), framed(&["+MIPLEVENT: 0,15"]));
}

/// seed 001 §3.1: onemo's exec AT+MIPLCREATE bootstraps through OneNET's
/// 183.230.40.39:5683 too, and, without AT+MIPLUPDATESET, sends no automatic
/// Update: the next deadline is the end of the lifetime (bc260y's default
/// `<auto_update>` 1 would update at nine tenths).
#[test]
fn onemo_exec_create_bootstraps_to_onenet_without_auto_update() {
    let mut m = Module::new(ProfileId::Onemo);
    at(&mut m, "AT+MIPLCREATE", &["+MIPLCREATE: 0", "OK"]);
    at(&mut m, "AT+MIPLADDOBJ=0,3200,1,\"1\",0,1", &["OK"]);
    at(&mut m, "AT+MIPLOPEN=0,600,30", &["OK"]);
    assert_eq!(m.host.opened, [("183.230.40.39".to_string(), 5683)]);
    let bs = sent(&m, 0);
    assert_eq!(bs.path.as_str(), "bs");
    assert_eq!(answer(&mut m, &bs, Code::CHANGED, ""), "");
    let [_, _, finish] = serve_bootstrap(&mut m, 600);
    assert_eq!(finish, framed(&["+MIPLEVENT: 0,2"]));
    let reg = last(&m);
    assert_eq!(
        answer(&mut m, &reg, Code::CREATED, "rd/1"),
        framed(&["+MIPLEVENT: 0,6"])
    );
    assert_eq!(m.engine.poll(&mut m.host, m.now_ms), 600_000);
}

/// seed 001 §5.1: CREATEEX flag 1 bootstraps; onemo prints 2 then 6 (no
/// start or connect events), and the auth code rides on Register only.
#[test]
fn onemo_bootstrap_then_register_events_2_6() {
    let mut m = Module::new(ProfileId::Onemo);
    at(
        &mut m,
        "AT+MIPLCREATEEX=\"127.0.0.1:5683\",1,\"cmiot\"",
        &["+MIPLCREATEEX: 0", "OK"],
    );
    at(&mut m, "AT+MIPLADDOBJ=0,3200,1,\"1\",0,1", &["OK"]);
    at(&mut m, "AT+MIPLDISCOVERRSP=0,3200,1,4,\"5750\"", &["OK"]);
    at(&mut m, "AT+MIPLOPEN=0,3000,30", &["OK"]);
    let bs = sent(&m, 0);
    assert_eq!(
        (bs.path.as_str(), bs.query.as_slice()),
        ("bs", &[format!("ep={EP}")][..])
    );
    assert_eq!(bs.auth_code, None);
    assert_eq!(answer(&mut m, &bs, Code::CHANGED, ""), "");
    let [_, _, finish] = serve_bootstrap(&mut m, 3000);
    assert_eq!(finish, framed(&["+MIPLEVENT: 0,2"]));
    let reg = last(&m);
    assert_eq!(reg.auth_code.as_deref(), Some(&b"cmiot"[..]));
    assert_eq!(reg.query[1], "lt=3000");
    assert_eq!(
        answer(&mut m, &reg, Code::CREATED, "rd/1"),
        framed(&["+MIPLEVENT: 0,6"])
    );
    at(&mut m, "AT+MIPLOPEN?", &["OK", "+MIPLEVENT: 0,6"]);
}

/// seed 001 §3.6: "若在bootstrap流程中登录失败，会上报+MIPLEVENT: 0,3"; bc260y
/// EVENT_BOOTSTRAP_FAILED is 3 too.
#[test]
fn bootstrap_refused_is_event_3() {
    for (profile, create, first) in [
        (ProfileId::Onemo, "AT+MIPLCREATEEX=\"127.0.0.1\",1", &["OK"][..]),
        (ProfileId::Bc260y, "AT+MIPLCREATE", &["OK", "+MIPLEVENT: 0,1"][..]),
    ] {
        let mut m = Module::new(profile);
        let name = &create[2..create.find('=').unwrap_or(create.len())];
        at(&mut m, create, &[&format!("{name}: 0"), "OK"]);
        at(&mut m, "AT+MIPLOPEN=0,300", first);
        let bs = sent(&m, 0);
        assert_eq!(answer(&mut m, &bs, Code::FORBIDDEN, ""), framed(&["+MIPLEVENT: 0,3"]));
        assert_eq!(m.host.closed, [0]);
        assert_eq!(m.host.sent.len(), 1, "no Register after a failed bootstrap");
    }
}

// ------------------------------------------------------------ refusals

/// seed 003 §5.7: EVENT_REG_FAILED (7) after the connect event.
#[test]
fn bc260y_register_refused_is_4_then_7() {
    let mut m = bc260y_direct("");
    at(&mut m, "AT+MIPLOPEN=0,300", &["OK", "+MIPLEVENT: 0,4"]);
    let reg = sent(&m, 0);
    assert_eq!(answer(&mut m, &reg, Code::FORBIDDEN, ""), framed(&["+MIPLEVENT: 0,7"]));
    assert_eq!(m.host.closed, [0]);
    // idle again: OPEN may start over
    at(&mut m, "AT+MIPLOPEN=0,300", &["OK", "+MIPLEVENT: 0,4"]);
}

/// seed 003 §5.7: EVENT_REG_TIMEOUT (8) at the OPEN `<timeout>`.
#[test]
fn bc260y_register_unanswered_is_4_then_8_at_timeout() {
    let mut m = bc260y_direct("");
    at(&mut m, "AT+MIPLOPEN=0,300,5", &["OK", "+MIPLEVENT: 0,4"]);
    assert_eq!(run_until(&mut m, 4_999), "");
    assert_eq!(run_until(&mut m, 5_000), framed(&["+MIPLEVENT: 0,8"]));
    assert_eq!(
        m.host.sent.len(),
        2,
        "retransmitted once (ACK timeout 2-3 s) before giving up"
    );
    assert_eq!(m.host.closed, [0]);
    assert_eq!(m.engine.poll(&mut m.host, m.now_ms), u64::MAX);
}

/// No socket: OK, then EVENT_CONNECT_FAILED (bc260y 5) or 登录失败 (onemo 7).
#[test]
fn socket_that_does_not_open_is_5_or_7() {
    for (profile, create, create_out, event) in [
        (
            ProfileId::Onemo,
            "AT+MIPLCREATEEX=\"127.0.0.1\",0",
            "+MIPLCREATEEX: 0",
            "+MIPLEVENT: 0,7",
        ),
        (ProfileId::Bc260y, "AT+MIPLCREATE", "+MIPLCREATE: 0", "+MIPLEVENT: 0,5"),
    ] {
        let mut m = Module::new(profile);
        at(&mut m, create, &[create_out, "OK"]);
        m.host.udp_open_fails = true;
        at(&mut m, "AT+MIPLOPEN=0,300", &["OK", event]);
        assert!(m.host.sent.is_empty());
        assert_eq!(m.engine.poll(&mut m.host, m.now_ms), u64::MAX, "nothing pending");
        // still idle: the next OPEN tries again
        m.host.udp_open_fails = false;
        assert!(m.at("AT+MIPLOPEN=0,300").starts_with("\r\nOK\r\n"));
        assert_eq!(m.host.sent.len(), 1);
    }
}

// ------------------------------------------------------------ state errors

/// seed 001 §6: 651 "操作不允许" for a second OPEN; bc260y 653 (seed 003 §4
/// "operation not supported"); both while registering and registered.
#[test]
fn open_twice_is_refused() {
    for (profile, code) in [(ProfileId::Onemo, 651), (ProfileId::Bc260y, 653)] {
        let mut m = match profile {
            ProfileId::Onemo => onemo_registered(300, &[]),
            _ => bc260y_registered(300, ""),
        };
        let before = m.host.sent.len();
        at(&mut m, "AT+MIPLOPEN=0,300", &[&format!("+CIS ERROR: {code}")]);
        at(&mut m, "AT+MIPLUPDATE=0,300,0", &["OK"]);
        at(&mut m, "AT+MIPLOPEN=0,300", &[&format!("+CIS ERROR: {code}")]);
        assert_eq!(m.host.sent.len(), before + 1, "only the Update went out");
    }
    let mut m = Module::new(ProfileId::Onemo);
    at(&mut m, "AT+MIPLCREATEEX=\"127.0.0.1\",0", &["+MIPLCREATEEX: 0", "OK"]);
    at(&mut m, "AT+MIPLOPEN=0,300", &["OK"]);
    at(&mut m, "AT+MIPLOPEN=0,300", &["+CIS ERROR: 651"]);
    assert_eq!(m.host.opened.len(), 1);
}

/// UPDATE and CLOSE need a registration: seed 001 §6 602 "设备未登录",
/// bc260y 653; without an instance 653 / 655 (not found). UPDATE while
/// registering is not registered either.
#[test]
fn update_and_close_before_open() {
    for (profile, create, not_found, not_registered) in [
        (ProfileId::Onemo, "AT+MIPLCREATEEX=\"127.0.0.1\",0", 653, 602),
        (ProfileId::Bc260y, "AT+MIPLCREATE", 655, 653),
    ] {
        let mut m = Module::new(profile);
        let nf = format!("+CIS ERROR: {not_found}");
        let nr = format!("+CIS ERROR: {not_registered}");
        at(&mut m, "AT+MIPLUPDATE=0,300,0", &[&nf]);
        at(&mut m, "AT+MIPLCLOSE=0", &[&nf]);
        m.at(create);
        at(&mut m, "AT+MIPLUPDATE=0,300,0", &[&nr]);
        at(&mut m, "AT+MIPLUPDATE=0,300,1", &[&nr]);
        at(&mut m, "AT+MIPLCLOSE=0", &[&nr]);
        assert!(m.at("AT+MIPLOPEN=0,300").starts_with("\r\nOK\r\n"));
        at(&mut m, "AT+MIPLUPDATE=0,300,0", &[&nr]);
        assert_eq!(m.host.sent.len(), 1, "only the Register went out");
    }
}

/// An Update in flight: a second UPDATE is refused (onemo 652 "上行阻塞",
/// bc260y 654), and so is one while de-registering.
#[test]
fn update_while_update_in_flight_is_busy() {
    for (profile, busy) in [(ProfileId::Onemo, 652), (ProfileId::Bc260y, 654)] {
        let mut m = match profile {
            ProfileId::Onemo => onemo_registered(300, &[]),
            _ => bc260y_registered(300, ",0"),
        };
        let busy = format!("+CIS ERROR: {busy}");
        at(&mut m, "AT+MIPLUPDATE=0,600,1", &["OK"]);
        let upd = last(&m);
        assert_eq!(upd.query, ["lt=600"]);
        assert_eq!(
            text(&upd.payload),
            format!(
                "</>;rt=\"oma.lwm2m\",</1/0>,</3/0>,</{}/0>",
                if profile == ProfileId::Onemo { 3200 } else { 3311 }
            ),
            "withObjectFlag 1 sends the objects"
        );
        at(&mut m, "AT+MIPLUPDATE=0,300,0", &[&busy]);
        assert_eq!(answer(&mut m, &upd, Code::CHANGED, ""), framed(&["+MIPLEVENT: 0,11"]));
        at(&mut m, "AT+MIPLCLOSE=0", &["OK"]);
        at(&mut m, "AT+MIPLUPDATE=0,300,0", &[&busy]);
        at(&mut m, "AT+MIPLCLOSE=0", &[&busy]);
        at(&mut m, "AT+MIPLOPEN=0,300", &[&busy]);
    }
}

/// seed 003 §3.3.16: lifetime 0 means 3600.
#[test]
fn bc260y_update_lifetime_0_is_3600() {
    let mut m = bc260y_registered(86400, ",0");
    at(&mut m, "AT+MIPLUPDATE=0,0,0", &["OK"]);
    assert_eq!(last(&m).query, ["lt=3600"]);
}

/// Registered: the commands that configure a registration are refused
/// (seed 001 §4.5, §3.5: before OPEN; 651); MGR answers OK (seed 001 §4.3
/// "如当前无未被读取的下发消息，直接返回OK"); answers naming no request are 653 /
/// 655 (not found); OPEN? prints 6 after OK; LTRDP counts down (seed 001 §4.9
/// example: 2087).
#[test]
fn registered_state_answers() {
    let mut m = onemo_registered(3000, &[]);
    at(&mut m, "AT+MIPLUPDATESET=0,1", &["+CIS ERROR: 651"]);
    at(&mut m, "AT+MIPLDISCOVERRSP=0,3200,1,4,\"5750\"", &["+CIS ERROR: 651"]);
    at(&mut m, "AT+MIPLMGR=0", &["OK"]);
    at(&mut m, "AT+MIPLWRITERSP=0,25845,2", &["+CIS ERROR: 653"]);
    at(&mut m, "AT+MIPLREADRSP=0,18172,11", &["+CIS ERROR: 653"]);
    at(
        &mut m,
        "AT+MIPLNOTIFY=0,0,3200,0,5750,1,4,\"abcd\",0,0",
        &["+CIS ERROR: 653"],
    );
    at(&mut m, "AT+MIPLOPEN?", &["OK", "+MIPLEVENT: 0,6"]);
    at(&mut m, "AT+MIPLLTRDP", &["+MIPLLTRDP: 3000", "OK"]);
    m.now_ms = 913_000;
    at(&mut m, "AT+MIPLLTRDP", &["+MIPLLTRDP: 2087", "OK"]);
    m.now_ms = 913_999;
    at(&mut m, "AT+MIPLLTRDP", &["+MIPLLTRDP: 2086", "OK"]);
    // an update in flight is still registered
    at(&mut m, "AT+MIPLUPDATE=0,3000,0", &["OK"]);
    at(&mut m, "AT+MIPLOPEN?", &["OK", "+MIPLEVENT: 0,6"]);
    at(&mut m, "AT+MIPLLTRDP", &["+MIPLLTRDP: 2086", "OK"]);

    let mut m = bc260y_registered(86400, "");
    at(&mut m, "AT+MIPLOBSERVERSP=0,69234,1", &["+CIS ERROR: 655"]);
    at(&mut m, "AT+MIPLDISCOVERRSP=0,26384,1,4,\"5850\"", &["+CIS ERROR: 655"]);
    at(
        &mut m,
        "AT+MIPLNOTIFY=0,1,3311,0,5700,4,4,25.6,0,0",
        &["+CIS ERROR: 655"],
    );
}

// ------------------------------------------------------------ close, delete

/// seed 001 §3.8 "退出平台事件仅上报成功"; bc260y's EVENT_DEREG_DONE (15)
/// reports the end of the session either way.
#[test]
fn deregistration_refused_by_the_server() {
    for (profile, printed) in [
        (ProfileId::Onemo, String::new()),
        (ProfileId::Bc260y, framed(&["+MIPLEVENT: 0,15"])),
    ] {
        let mut m = match profile {
            ProfileId::Onemo => onemo_registered(300, &[]),
            _ => bc260y_registered(300, ""),
        };
        at(&mut m, "AT+MIPLCLOSE=0", &["OK"]);
        let dereg = last(&m);
        assert_eq!(answer(&mut m, &dereg, Code::NOT_FOUND, ""), printed);
        assert_eq!(m.host.closed, [0]);
        assert_eq!(m.engine.poll(&mut m.host, m.now_ms), u64::MAX);
    }
}

/// seed 001 §3.2: DELETE of a registered instance "将直接关闭所使用的socket":
/// no De-register, nothing printed after its OK, the instance gone; a new
/// instance registers afresh.
#[test]
fn delete_while_registered_closes_the_socket_silently() {
    let mut m = onemo_registered(300, &[]);
    let before = m.host.sent.len();
    at(&mut m, "AT+MIPLDELETE=0", &["OK"]);
    assert_eq!(m.host.sent.len(), before, "no De-register");
    assert_eq!(m.host.closed, [0]);
    assert_eq!(run_until(&mut m, 600_000), "");
    assert_eq!(m.host.sent.len(), before);
    assert_eq!(m.engine.poll(&mut m.host, m.now_ms), u64::MAX);
    at(&mut m, "AT+MIPLDELETE=0", &["+CIS ERROR: 653"]);
    at(&mut m, "AT+MIPLLTRDP", &["+MIPLLTRDP: 0", "OK"]);
    at(&mut m, "AT+MIPLCREATEEX=\"127.0.0.1\",0", &["+MIPLCREATEEX: 0", "OK"]);
    at(&mut m, "AT+MIPLOPEN=0,300", &["OK"]);
    assert_eq!(last(&m).path, "rd");
}

// ------------------------------------------------------------ automatic update

/// seed 001 §4.5: with AT+MIPLUPDATESET=0,1 the Update goes 30 s before the
/// lifetime ends, for lifetimes of 60 s and more; without it, none.
#[test]
fn onemo_updateset_updates_30s_before_expiry() {
    let mut m = onemo_registered(60, &["AT+MIPLUPDATESET=0,1"]);
    assert_eq!(m.engine.poll(&mut m.host, m.now_ms), 30_000);
    assert_eq!(run_until(&mut m, 29_999), "");
    assert_eq!(m.host.sent.len(), 1);
    assert_eq!(run_until(&mut m, 30_000), "");
    let upd = last(&m);
    assert_eq!((upd.code, upd.path.as_str()), (Code::POST, "rd/5a3f"));
    assert!(upd.query.is_empty(), "same lifetime: no lt=");
    assert_eq!(answer(&mut m, &upd, Code::CHANGED, ""), framed(&["+MIPLEVENT: 0,11"]));
    // and again 30 s before the renewed expiry
    assert_eq!(m.engine.poll(&mut m.host, m.now_ms), 30_000);
    run_until(&mut m, 60_000);
    assert_eq!(m.host.sent.len(), 3);
    let upd = last(&m);
    assert_eq!(answer(&mut m, &upd, Code::CHANGED, ""), framed(&["+MIPLEVENT: 0,11"]));

    // "若执行AT+MIPLUPDATE命令，自动update时间将更新": an UPDATE at 70 s moves
    // the next automatic one from 90 s to 100 s
    m.now_ms = 70_000;
    at(&mut m, "AT+MIPLUPDATE=0,60,0", &["OK"]);
    let upd = last(&m);
    assert_eq!(answer(&mut m, &upd, Code::CHANGED, ""), framed(&["+MIPLEVENT: 0,11"]));
    assert_eq!(m.engine.poll(&mut m.host, m.now_ms), 30_000);
    run_until(&mut m, 99_999);
    assert_eq!(m.host.sent.len(), 4);
    run_until(&mut m, 100_000);
    assert_eq!(m.host.sent.len(), 5);

    // without UPDATESET the registration just runs out (onemo prints nothing)
    let mut m = onemo_registered(60, &[]);
    assert_eq!(m.engine.poll(&mut m.host, m.now_ms), 60_000);
    assert_eq!(run_until(&mut m, 60_000), "");
    assert_eq!(m.host.sent.len(), 1);
    at(&mut m, "AT+MIPLOPEN?", &["+CIS ERROR: 602"]);

    // under 60 s the rule does not apply
    let mut m = onemo_registered(59, &["AT+MIPLUPDATESET=0,1"]);
    assert_eq!(m.engine.poll(&mut m.host, m.now_ms), 59_000);
}

/// seed 003 §3.3.1 `<auto_update>` (default 1) and §3.3.7 "实际生命周期为
/// <lifetime> × 0.9": the Update goes at nine tenths of the lifetime; with
/// auto_update 0 the MCU is told then (EVENT_UPDATE_NEED, 14, with the
/// seconds left, §5.7) and, sending none, the lifetime runs out:
/// EVENT_LIFETIME_TIMEOUT (9).
#[test]
fn bc260y_auto_update_at_nine_tenths() {
    let mut m = bc260y_registered(100, "");
    assert_eq!(m.engine.poll(&mut m.host, m.now_ms), 90_000);
    assert_eq!(run_until(&mut m, 90_000), "");
    let upd = last(&m);
    assert_eq!(upd.path, "rd/1");
    assert_eq!(answer(&mut m, &upd, Code::CHANGED, ""), framed(&["+MIPLEVENT: 0,11"]));

    let mut m = bc260y_registered(100, ",0");
    assert_eq!(m.engine.poll(&mut m.host, m.now_ms), 90_000);
    assert_eq!(run_until(&mut m, 90_000), framed(&["+MIPLEVENT: 0,14,10"]));
    assert_eq!(m.engine.poll(&mut m.host, m.now_ms), 10_000);
    assert_eq!(run_until(&mut m, 100_000), framed(&["+MIPLEVENT: 0,9"]));
    assert_eq!(m.host.sent.len(), 1);
    assert_eq!(m.host.closed, [0]);
}

/// Update outcomes: 4.04 means the server deleted the device (onemo 31,
/// bc260y 12 and the session ends); other errors are bc260y 12 only;
/// no answer is bc260y 13.
#[test]
fn update_failures() {
    let mut m = onemo_registered(300, &[]);
    at(&mut m, "AT+MIPLUPDATE=0,300,0", &["OK"]);
    let upd = last(&m);
    assert_eq!(answer(&mut m, &upd, Code::BAD_REQUEST, ""), "");
    at(&mut m, "AT+MIPLUPDATE=0,300,0", &["OK"]);
    let upd = last(&m);
    assert_eq!(answer(&mut m, &upd, Code::NOT_FOUND, ""), framed(&["+MIPLEVENT: 0,31"]));
    at(&mut m, "AT+MIPLOPEN?", &["+CIS ERROR: 602"]);

    let mut m = bc260y_registered(86400, ",0");
    at(&mut m, "AT+MIPLUPDATE=0,86400,0", &["OK"]);
    let upd = last(&m);
    assert_eq!(
        answer(&mut m, &upd, Code::BAD_REQUEST, ""),
        framed(&["+MIPLEVENT: 0,12"])
    );
    at(&mut m, "AT+MIPLUPDATE=0,86400,0", &["OK"]);
    assert_eq!(run_until(&mut m, 300_000), framed(&["+MIPLEVENT: 0,13"]));
    at(&mut m, "AT+MIPLUPDATE=0,86400,0", &["OK"]);
    let upd = last(&m);
    assert_eq!(answer(&mut m, &upd, Code::NOT_FOUND, ""), framed(&["+MIPLEVENT: 0,12"]));
    at(&mut m, "AT+MIPLUPDATE=0,86400,0", &["+CIS ERROR: 653"]);
}

/// Until the device-management work, a server request is answered 5.01 by
/// the module and nothing reaches the MCU.
#[test]
fn server_requests_are_answered_not_implemented() {
    let mut m = onemo_registered(300, &[]);
    let before = m.host.sent.len();
    assert_eq!(request(&mut m, Code::GET, 0x0200, "3200/0", b""), "");
    // empty ACK, then the separate 5.01 response
    assert_eq!(m.host.sent[before].1, [0x60, 0x00, 0x02, 0x00]);
    let rsp = last(&m);
    assert_eq!((rsp.code, rsp.token.as_slice()), (Code::NOT_IMPLEMENTED, &[0x42][..]));
}

/// seed 003 §3.3.16 `<raiMode>`: the MCU's RAI reaches udp_send with the
/// Update and its retransmissions; a refused UPDATE leaves nothing behind.
#[test]
fn bc260y_update_rai_reaches_udp_send() {
    let mut m = bc260y_registered(300, "");
    at(&mut m, "AT+MIPLUPDATE=0,300,0,1", &["OK"]);
    let upd = last(&m);
    assert_eq!(m.host.sent.last().map(|s| s.2), Some(1));
    let until = m.now_ms + 2_999;
    run_until(&mut m, until);
    assert!(m.host.sent.len() >= 3, "retransmitted");
    assert!(m.host.sent[1..].iter().all(|s| s.2 == 1), "{:?}", m.host.sent);
    assert_eq!(answer(&mut m, &upd, Code::CHANGED, ""), framed(&["+MIPLEVENT: 0,11"]));
    at(&mut m, "AT+MIPLUPDATE=0,300,0", &["OK"]);
    assert_eq!(m.host.sent.last().map(|s| s.2), Some(0));
}
