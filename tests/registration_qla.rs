//! QLA registration end to end with the server scripted on our CoAP codec
//! (seed 004 §3.1–3.7, §3.15, §3.16, §4.1, §4.7, §4.11–4.13, §5.1, §6):
//! exact AT text, exact requests on the wire, NV across restarts and
//! deep sleep (`Engine::resume`).

mod common;
use common::server::{answer, at, input, last as last_sent, res, run_until, sent, text};
use common::{framed, Module, TestHost};
use lwat::coap::{number, Builder, Code, Repr, Type};
use lwat::dialect::profile::ProfileId;

/// A CON request from the server; returns what the engine printed and
/// checks the engine acknowledged it with `expect`.
fn serve(m: &mut Module, code: Code, mid: u16, path: &str, cf: Option<u32>, payload: &[u8], expect: Code) -> String {
    let mut buf = [0u8; 256];
    let mut b = Builder::new(&mut buf, Type::Con, code, mid, &[7]).unwrap();
    b.path(number::URI_PATH, path.as_bytes()).unwrap();
    if let Some(cf) = cf {
        b.uint_option(number::CONTENT_FORMAT, cf).unwrap();
    }
    let n = b.finish(payload).unwrap();
    let before = m.host.sent.len();
    let out = input(m, &buf[..n]);
    let ack = Repr::parse(&m.host.sent[before].1).unwrap();
    assert_eq!((ack.ty, ack.code, ack.message_id), (Type::Ack, expect, mid), "{path}");
    out
}

fn status(m: &mut Module, s: u8) {
    at(m, "AT+QLASTATUS?", &[&format!("+QLASTATUS: {s}"), "OK"]);
}

const SERVER: &str = "AT+QLACONFIG=0,\"127.0.0.1\",5683,\"ep\",300,3";
const LINKS_19: &str = "</>;rt=\"oma.lwm2m\",</1/0>,</3/0>,</19/0>";

/// A module registered at `rd/abc` after `setup` lines (each answered OK).
fn registered(setup: &[&str]) -> Module {
    let mut m = Module::new(ProfileId::Qla);
    for line in setup {
        at(&mut m, line, &["OK"]);
    }
    at(&mut m, SERVER, &["OK"]);
    at(&mut m, "AT+QLAADDOBJ=19,0,1,0", &["OK", "+QLAADDOBJ: 0"]);
    at(&mut m, "AT+QLAREG", &["OK"]);
    let reg = last_sent(&m);
    assert_eq!(answer(&mut m, &reg, Code::CREATED, "rd/abc"), framed(&["+QLAREG: 0"]));
    status(&mut m, 2);
    m
}

/// Deep sleep: a fresh engine over the same NV, woken after `slept_ms`.
fn wake(m: Module, slept_ms: u64) -> Module {
    let mut host: TestHost = m.host;
    host.sent.clear();
    let mut m = Module::with_host(ProfileId::Qla, host);
    m.now_ms = 20;
    m.engine.resume(&mut m.host, m.now_ms, slept_ms);
    m
}

const TLV: Option<u32> = Some(11542);

/// seed 004 §5.1.2 (AndLink) with a scripted Bootstrap-Server that assigns
/// `binding`: "binding_changed" (always, even for the configured U: the
/// example configures U and prints it), "bs_finished", +QLAREG: 0, and the
/// assigned server saved as the LwM2M server (§3.1 note 2).
fn bootstrap_with(binding: &str) -> Module {
    let mut m = Module::new(ProfileId::Qla);
    at(&mut m, "AT+QLACFG=\"platform\",2", &["OK"]);
    at(&mut m, "AT+QLACFG=\"cfg_res\",3,0,17,500677", &["OK"]);
    at(&mut m, "AT+QLAADDOBJ=19,1,1,0", &["OK", "+QLAADDOBJ: 0"]);
    at(
        &mut m,
        "AT+QLACONFIG=1,\"lwm.home.komect.com\",5683,\"866971031275899\",30,3",
        &["OK"],
    );
    at(&mut m, "AT+QLAREG", &["OK"]);
    status(&mut m, 1);
    assert_eq!(m.host.opened, [("lwm.home.komect.com".to_string(), 5683)]);
    let bs = sent(&m, 0);
    assert_eq!((bs.code, bs.path.as_str()), (Code::POST, "bs"));
    assert_eq!(bs.query, ["ep=866971031275899"]);
    assert_eq!(answer(&mut m, &bs, Code::CHANGED, ""), "");

    assert_eq!(serve(&mut m, Code::DELETE, 0x100, "", None, b"", Code::DELETED), "");
    let account = [
        res(0, b"coap://127.0.0.1:5690"),
        res(1, &[0]),
        res(2, &[3]),
        res(10, &[1]),
    ]
    .concat();
    assert_eq!(serve(&mut m, Code::PUT, 0x101, "0/1", TLV, &account, Code::CHANGED), "");
    let server = [res(0, &[1]), res(1, &[30]), res(7, binding.as_bytes())].concat();
    assert_eq!(serve(&mut m, Code::PUT, 0x102, "1/0", TLV, &server, Code::CHANGED), "");
    let finished = serve(&mut m, Code::POST, 0x103, "bs", None, b"", Code::CHANGED);
    assert_eq!(
        finished,
        framed(&[
            &format!("+QLAURC: \"binding_changed\",{binding}"),
            "+QLAURC: \"bs_finished\""
        ])
    );
    status(&mut m, 1);
    assert_eq!(m.host.opened[1], ("127.0.0.1".to_string(), 5690));
    let reg = last_sent(&m);
    assert_eq!((reg.endpoint, reg.path.as_str()), (1, "rd"));
    assert_eq!(
        reg.query,
        [
            "ep=866971031275899".to_string(),
            "lt=30".into(),
            "lwm2m=1.0".into(),
            format!("b={binding}")
        ]
    );
    assert_eq!(text(&reg.payload), "</>;rt=\"oma.lwm2m\",</1/0>,</3/0>,</19/1>");
    assert_eq!(answer(&mut m, &reg, Code::CREATED, "rd/bs1"), framed(&["+QLAREG: 0"]));
    status(&mut m, 2);
    m
}

#[test]
fn s5_1_bootstrap_assigns_the_server_and_it_is_saved() {
    let mut m = bootstrap_with("U");
    let saved = ["+QLACONFIG: 0,\"127.0.0.1\",5690,\"866971031275899\",30,3,0", "OK"];
    at(&mut m, "AT+QLACONFIG?", &saved);
    // A power cycle: the assigned server comes back from NV.
    let mut restarted = Module::with_host(ProfileId::Qla, std::mem::take(&mut m.host));
    at(&mut restarted, "AT+QLACONFIG?", &saved);
    status(&mut restarted, 0);
    // ...and AT+QLAREG registers with it directly, no bootstrap.
    at(&mut restarted, "AT+QLAREG", &["OK"]);
    let reg = last_sent(&restarted);
    assert_eq!(restarted.host.opened.last().unwrap(), &("127.0.0.1".to_string(), 5690));
    assert_eq!(reg.path, "rd");
}

#[test]
fn s5_1_bootstrap_with_queue_mode_binding() {
    let mut m = bootstrap_with("UQ");
    at(
        &mut m,
        "AT+QLACONFIG?",
        &["+QLACONFIG: 0,\"127.0.0.1\",5690,\"866971031275899\",30,3,1", "OK"],
    );
}

#[test]
fn bootstrap_without_a_server_account_fails_with_timeout_status() {
    let mut m = Module::new(ProfileId::Qla);
    at(&mut m, "AT+QLACONFIG=1,\"bs.example\",5683,\"ep\",30,3", &["OK"]);
    at(&mut m, "AT+QLAREG", &["OK"]);
    let bs = sent(&m, 0);
    answer(&mut m, &bs, Code::CHANGED, "");
    // Bootstrap-Finish with nothing written: 4.06, +QLAREG: 1 (chapter 6 has
    // no better code for a bootstrap that gave no server), still the bootstrap config.
    let out = serve(&mut m, Code::POST, 0x200, "bs", None, b"", Code::NOT_ACCEPTABLE);
    assert_eq!(out, framed(&["+QLAREG: 1"]));
    status(&mut m, 0);
    at(&mut m, "AT+QLACONFIG?", &["OK"]);
}

/// seed 004 §6: no answer to Register -> +QLAREG: 1 (timeout) once the
/// retransmissions of "retransmit" are spent.
#[test]
fn register_timeout_after_retransmissions() {
    let mut m = Module::new(ProfileId::Qla);
    at(&mut m, "AT+QLACFG=\"retransmit\",2,0", &["OK"]);
    at(&mut m, SERVER, &["OK"]);
    at(&mut m, "AT+QLAREG", &["OK"]);
    // 2 s x up to 1.5 (RFC 7252 ACK_RANDOM_FACTOR), no retransmission.
    assert_eq!(run_until(&mut m, 1_999), "");
    status(&mut m, 1);
    assert_eq!(run_until(&mut m, 3_000), framed(&["+QLAREG: 1"]));
    assert_eq!(m.host.sent.len(), 1, "retrans_max_times 0: sent once");
    status(&mut m, 0);
    assert_eq!(m.engine.poll(&mut m.host, m.now_ms), u64::MAX);
    // The MCU may try again.
    at(&mut m, "AT+QLAREG", &["OK"]);
}

#[test]
fn state_refusals() {
    let mut m = Module::new(ProfileId::Qla);
    at(&mut m, SERVER, &["OK"]);
    // Not registered: 4 (seed 004 §6).
    at(&mut m, "AT+QLAUPDATE=0,100", &["+CMEE ERROR: 4"]);
    at(&mut m, "AT+QLADEREG", &["+CMEE ERROR: 4"]);
    at(&mut m, "AT+QLARECOVER", &["+CMEE ERROR: 4"]);
    at(&mut m, "AT+QLAREG", &["OK"]);
    // Registering: 33 for another REG, 4 for UPDATE, 15 for the objects
    // (§3.6 / §3.7 note: not while registering).
    at(&mut m, "AT+QLAREG", &["+CMEE ERROR: 33"]);
    at(&mut m, "AT+QLAUPDATE=0,100", &["+CMEE ERROR: 4"]);
    at(&mut m, "AT+QLAADDOBJ=19,0,1,0", &["+CMEE ERROR: 15"]);
    at(&mut m, "AT+QLAADDOBJ?", &["OK"]);
    status(&mut m, 1);
    let reg = last_sent(&m);
    answer(&mut m, &reg, Code::CREATED, "rd/abc");
    at(&mut m, "AT+QLAREG", &["+CMEE ERROR: 33"]);
    // Device management arrives with the next work: 7 while registered.
    at(&mut m, "AT+QLANOTIFY=19,0,0,5,1,1,0", &["+CMEE ERROR: 7"]);
}

/// An Update in flight: another is refused with 15 (not ready), as are the
/// object commands; the first one's result still arrives.
#[test]
fn update_while_updating_is_not_ready() {
    let mut m = registered(&[]);
    let out = m.at("AT+QLAUPDATE=1,1");
    let upd = last_sent(&m);
    assert_eq!(out, framed(&[&format!("+QLAUPDATE: {}", upd.mid), "OK"]));
    assert_eq!(
        (upd.path.as_str(), upd.query.as_slice()),
        ("rd/abc", &["b=UQ".to_string()][..])
    );
    at(&mut m, "AT+QLAUPDATE=0,100", &["+CMEE ERROR: 15"]);
    at(&mut m, "AT+QLAADDOBJ=20,0,1,0", &["+CMEE ERROR: 15"]);
    at(&mut m, "AT+QLADELOBJ=19", &["+CMEE ERROR: 15"]);
    status(&mut m, 2);
    assert_eq!(
        answer(&mut m, &upd, Code::CHANGED, ""),
        framed(&[&format!("+QLAUPDATE: 0,{}", upd.mid)])
    );
    // §3.4: kept across power cycles (binding 1 now).
    at(
        &mut m,
        "AT+QLACONFIG?",
        &["+QLACONFIG: 0,\"127.0.0.1\",5683,\"ep\",300,3,1", "OK"],
    );
    let mut restarted = Module::with_host(ProfileId::Qla, std::mem::take(&mut m.host));
    at(
        &mut restarted,
        "AT+QLACONFIG?",
        &["+QLACONFIG: 0,\"127.0.0.1\",5683,\"ep\",300,3,1", "OK"],
    );
}

#[test]
fn update_refused_by_the_server_reports_4_and_404_unregisters() {
    let mut m = registered(&[]);
    m.at("AT+QLAUPDATE=0,100");
    let upd = last_sent(&m);
    assert_eq!(
        answer(&mut m, &upd, Code::BAD_REQUEST, ""),
        framed(&[&format!("+QLAUPDATE: 4,{}", upd.mid)])
    );
    status(&mut m, 2);
    m.at("AT+QLAUPDATE=0,100");
    let upd = last_sent(&m);
    assert_eq!(
        answer(&mut m, &upd, Code::NOT_FOUND, ""),
        framed(&[&format!("+QLAUPDATE: 4,{}", upd.mid)])
    );
    status(&mut m, 0);
    at(&mut m, "AT+QLAREG", &["OK"]);
}

/// retransmit 2,1 and a server that never answers the Update:
/// `+QLAUPDATE: 1,<mid>`, the registration stands (status 2) until the
/// lifetime runs out, then status 0. With "lifetime_enable" 0 the client
/// sends nothing by itself: no retry, no "ping" (seed 004 §4.1: "ping" is
/// the result of the periodic lifetime update, which is off).
#[test]
fn update_lost_entirely_keeps_the_registration_until_its_lifetime() {
    let mut m = registered(&["AT+QLACFG=\"retransmit\",2,1", "AT+QLACFG=\"lifetime_enable\",0"]);
    let out = m.at("AT+QLAUPDATE=0,100");
    let upd = last_sent(&m);
    assert_eq!(out, framed(&[&format!("+QLAUPDATE: {}", upd.mid), "OK"]));
    // Gives up after 2 s + 4 s, times at most 1.5.
    let printed = run_until(&mut m, 9_000);
    assert_eq!(printed, framed(&[&format!("+QLAUPDATE: 1,{}", upd.mid)]));
    assert_eq!(m.host.sent.len(), 3, "Register, Update, its one retransmission");
    status(&mut m, 2);
    assert_eq!(run_until(&mut m, 299_999), "");
    assert_eq!(m.host.sent.len(), 3, "nothing sent by itself");
    status(&mut m, 2);
    // The lifetime is still the one registered: it ends at 300 s.
    assert_eq!(run_until(&mut m, 300_000), "");
    status(&mut m, 0);
    at(&mut m, "AT+QLAUPDATE=0,100", &["+CMEE ERROR: 4"]);
}

/// The same lost Update with "lifetime_enable" 1 (the default): the client
/// retries by itself halfway to expiry and prints the result as "ping".
#[test]
fn update_lost_with_lifetime_updates_on_is_retried_as_ping() {
    let mut m = registered(&["AT+QLACFG=\"retransmit\",2,1"]);
    m.at("AT+QLAUPDATE=0,100");
    let upd = last_sent(&m);
    let printed = run_until(&mut m, 9_000);
    assert_eq!(printed, framed(&[&format!("+QLAUPDATE: 1,{}", upd.mid)]));
    let printed = run_until(&mut m, 299_999);
    let pings = printed.matches("\r\n+QLAURC: \"ping\",1\r\n").count();
    assert!(pings >= 1, "{printed:?}");
    assert_eq!(printed, framed(&vec!["+QLAURC: \"ping\",1"; pings]));
    for n in 1..m.host.sent.len() {
        assert_eq!(sent(&m, n).path, "rd/abc");
    }
    status(&mut m, 2);
}

/// seed 004 §3.1 interval (lifetime 20 -> 10 s) and §4.1 "ping", driven by
/// the deadlines `poll` returns.
#[test]
fn automatic_update_at_the_qla_interval_prints_ping() {
    let mut m = Module::new(ProfileId::Qla);
    at(&mut m, "AT+QLACONFIG=0,\"127.0.0.1\",5683,\"ep\",20,3", &["OK"]);
    at(&mut m, "AT+QLAREG", &["OK"]);
    let reg = last_sent(&m);
    answer(&mut m, &reg, Code::CREATED, "rd/abc");
    assert_eq!(m.engine.poll(&mut m.host, m.now_ms), 10_000);
    assert_eq!(run_until(&mut m, 9_999), "");
    assert_eq!(m.host.sent.len(), 1);
    assert_eq!(run_until(&mut m, 10_000), "");
    let upd = last_sent(&m);
    assert_eq!(
        (
            upd.code,
            upd.path.as_str(),
            upd.query.len(),
            text(&upd.payload).as_str()
        ),
        (Code::POST, "rd/abc", 0, "")
    );
    assert_eq!(
        answer(&mut m, &upd, Code::CHANGED, ""),
        framed(&["+QLAURC: \"ping\",0"])
    );
    status(&mut m, 2);
    // And again 10 s after that one.
    assert_eq!(m.engine.poll(&mut m.host, m.now_ms), 10_000);
}

/// seed 004 §4.11: the server writes /1/0/1; the next Update carries it.
#[test]
fn server_writes_lifetime() {
    let mut m = registered(&[]);
    let out = serve(&mut m, Code::PUT, 0x300, "1/0/1", Some(0), b"600", Code::CHANGED);
    assert_eq!(out, framed(&["+QLAURC: \"lifetime_changed\",600"]));
    at(
        &mut m,
        "AT+QLACONFIG?",
        &["+QLACONFIG: 0,\"127.0.0.1\",5683,\"ep\",600,3,0", "OK"],
    );
    m.at("AT+QLAUPDATE=1,0");
    assert_eq!(last_sent(&m).query, ["lt=600"]);
    // A server write of the binding: §4.12.
    let out = serve(&mut m, Code::PUT, 0x301, "1/0/7", Some(0), b"UQ", Code::CHANGED);
    assert_eq!(out, framed(&["+QLAURC: \"binding_changed\",UQ"]));
}

/// seed 004 §3.6 "并通知平台": while registered AT+QLAADDOBJ / AT+QLADELOBJ
/// send an Update with the object list; the status line reports it.
#[test]
fn objects_changed_while_registered_update_the_platform() {
    let mut m = registered(&[]);
    at(&mut m, "AT+QLAADDOBJ=20,0,1,5", &["OK"]);
    let upd = last_sent(&m);
    assert_eq!((upd.path.as_str(), upd.query.len()), ("rd/abc", 0));
    assert_eq!(text(&upd.payload), format!("{LINKS_19},</20/0>"));
    assert_eq!(answer(&mut m, &upd, Code::CHANGED, ""), framed(&["+QLAADDOBJ: 0"]));
    at(&mut m, "AT+QLADELOBJ=20", &["OK"]);
    let upd = last_sent(&m);
    assert_eq!(text(&upd.payload), LINKS_19);
    assert_eq!(answer(&mut m, &upd, Code::CHANGED, ""), framed(&["+QLADELOBJ: 0"]));
    // An AT+QLAUPDATE afterwards reports as itself.
    let out = m.at("AT+QLAUPDATE=0,100");
    let upd = last_sent(&m);
    assert_eq!(out, framed(&[&format!("+QLAUPDATE: {}", upd.mid), "OK"]));
    assert_eq!(
        answer(&mut m, &upd, Code::CHANGED, ""),
        framed(&[&format!("+QLAUPDATE: 0,{}", upd.mid)])
    );
}

/// seed 004 §4.13, recovery_mode 0: the wake-up resumes the registration
/// with an Update to the same location; "recovered",0.
#[test]
fn recovery_mode_0_resumes_by_itself() {
    let m = registered(&["AT+QLACFG=\"lifetime_enable\",0"]);
    let mut m = wake(m, 5_000);
    assert_eq!(m.host.take(), "");
    status(&mut m, 6);
    assert_eq!(m.host.opened.last().unwrap(), &("127.0.0.1".to_string(), 5683));
    let upd = last_sent(&m);
    assert_eq!(m.host.sent.len(), 1);
    assert_eq!(
        (
            upd.code,
            upd.path.as_str(),
            upd.query.len(),
            text(&upd.payload).as_str()
        ),
        (Code::POST, "rd/abc", 0, "")
    );
    assert_eq!(
        answer(&mut m, &upd, Code::CHANGED, ""),
        framed(&["+QLAURC: \"recovered\",0"])
    );
    status(&mut m, 2);
    // The recovered session de-registers the same registration, and then
    // there is nothing left to recover.
    at(&mut m, "AT+QLADEREG", &["OK"]);
    status(&mut m, 3);
    let dereg = last_sent(&m);
    assert_eq!((dereg.code, dereg.path.as_str()), (Code::DELETE, "rd/abc"));
    assert_eq!(answer(&mut m, &dereg, Code::DELETED, ""), framed(&["+QLADEREG: 0"]));
    status(&mut m, 4);
    let mut m = wake(m, 1_000);
    assert_eq!((m.host.take(), m.host.sent.len()), (String::new(), 0));
    status(&mut m, 0);
}

/// seed 004 §4.13: "如果恢复过程中，平台无响应，会导致恢复失败，此时需要模组手动
/// 重新注册": an unanswered recovery Update reports 3 after its
/// retransmissions, leaves the client unregistered with nothing more on the
/// wire, and AT+QLAREG registers afresh.
#[test]
fn recovery_the_server_never_answers_fails_with_3_and_unregisters() {
    let m = registered(&["AT+QLACFG=\"lifetime_enable\",0", "AT+QLACFG=\"retransmit\",2,1"]);
    let mut m = wake(m, 5_000);
    status(&mut m, 6);
    let upd = last_sent(&m);
    assert_eq!(upd.path, "rd/abc");
    // ACK_TIMEOUT 2 s × [1, 1.5), one retransmission: given up by 20 + 9000 ms.
    assert_eq!(run_until(&mut m, 10_000), framed(&["+QLAURC: \"recovered\",3"]));
    assert_eq!(m.host.sent.len(), 2, "the Update and its one retransmission");
    status(&mut m, 0);
    assert_eq!(run_until(&mut m, 400_000), "");
    assert_eq!(m.host.sent.len(), 2, "nothing more once the session is dropped");
    assert_eq!(m.engine.poll(&mut m.host, m.now_ms), u64::MAX);
    at(&mut m, "AT+QLAREG", &["OK"]);
    let reg = last_sent(&m);
    assert_eq!((reg.code, reg.path.as_str()), (Code::POST, "rd"));
}

/// seed 004 §3.15, recovery_mode 1: status 7, nothing sent until
/// AT+QLARECOVER, then OK and "recovered",0.
#[test]
fn recovery_mode_1_waits_for_qlarecover() {
    let m = registered(&["AT+QLACFG=\"recovery_mode\",1"]);
    let mut m = wake(m, 5_000);
    assert_eq!((m.host.take(), m.host.sent.len()), (String::new(), 0));
    status(&mut m, 7);
    m.now_ms += 1_000;
    at(&mut m, "AT+QLARECOVER", &["OK"]);
    status(&mut m, 6);
    let upd = last_sent(&m);
    assert_eq!((upd.path.as_str(), upd.query.len()), ("rd/abc", 0));
    assert_eq!(
        answer(&mut m, &upd, Code::CHANGED, ""),
        framed(&["+QLAURC: \"recovered\",0"])
    );
    status(&mut m, 2);
    at(&mut m, "AT+QLARECOVER", &["+CMEE ERROR: 4"]);
}

/// seed 004 §4.13: the lifetime ran out during the sleep: "recovered",3,
/// status 0, nothing sent; the MCU registers again.
#[test]
fn recovery_after_the_lifetime_ran_out_fails_with_3() {
    let m = registered(&[]);
    let mut m = wake(m, 301_000);
    assert_eq!(m.host.take(), framed(&["+QLAURC: \"recovered\",3"]));
    assert!(m.host.sent.is_empty());
    status(&mut m, 0);
    at(&mut m, "AT+QLARECOVER", &["+CMEE ERROR: 4"]);
    // Dropped from NV: the next wake-up has nothing to recover.
    let mut m = wake(m, 0);
    assert_eq!(m.host.take(), "");
    status(&mut m, 0);
    at(&mut m, "AT+QLAREG", &["OK"]);
}

/// recovery_mode 1 offers only a session whose lifetime lasts (§3.15:
/// "lifetime 还没有到期时"); waiting too long after the wake-up fails too.
#[test]
fn manual_recovery_of_an_expired_session() {
    let m = registered(&["AT+QLACFG=\"recovery_mode\",1"]);
    let mut m = wake(m, 300_000);
    status(&mut m, 0);
    at(&mut m, "AT+QLARECOVER", &["+CMEE ERROR: 4"]);

    let m = registered(&["AT+QLACFG=\"recovery_mode\",1"]);
    let mut m = wake(m, 200_000);
    status(&mut m, 7);
    m.now_ms += 100_000;
    at(&mut m, "AT+QLARECOVER", &["OK", "+QLAURC: \"recovered\",3"]);
    assert!(m.host.sent.is_empty());
    status(&mut m, 0);
}

/// A second wake-up while a session is still offered (status 7), slept past
/// its lifetime: the saved session is dropped without a word and the status
/// stays 7 until AT+QLARECOVER, which then fails with "recovered",3.
#[test]
fn a_second_wake_up_past_the_lifetime_keeps_the_offer_until_qlarecover() {
    let m = registered(&["AT+QLACFG=\"recovery_mode\",1"]);
    let mut m = wake(m, 200_000);
    status(&mut m, 7);
    m.engine.resume(&mut m.host, m.now_ms, 400_000);
    assert_eq!((m.host.take(), m.host.sent.len()), (String::new(), 0));
    status(&mut m, 7);
    at(&mut m, "AT+QLARECOVER", &["OK", "+QLAURC: \"recovered\",3"]);
    assert!(m.host.sent.is_empty());
    status(&mut m, 0);
    at(&mut m, "AT+QLARECOVER", &["+CMEE ERROR: 4"]);
}

/// The saved session follows the latest Update (its lifetime), and a
/// registration never saved has nothing to recover.
#[test]
fn recovery_uses_the_lifetime_of_the_last_update() {
    let mut m = registered(&["AT+QLACFG=\"lifetime_enable\",0"]);
    m.at("AT+QLAUPDATE=0,1000");
    let upd = last_sent(&m);
    answer(&mut m, &upd, Code::CHANGED, "");
    // 500 s is past the registered 300 s but within the updated 1000 s.
    let mut m = wake(m, 500_000);
    status(&mut m, 6);
    let upd = last_sent(&m);
    assert_eq!(
        answer(&mut m, &upd, Code::CHANGED, ""),
        framed(&["+QLAURC: \"recovered\",0"])
    );

    let mut fresh = Module::new(ProfileId::Qla);
    at(&mut fresh, SERVER, &["OK"]);
    let mut fresh = wake(fresh, 0);
    assert_eq!((fresh.host.take(), fresh.host.sent.len()), (String::new(), 0));
    status(&mut fresh, 0);
}

/// AT+QLADEREG while the Register is unanswered abandons it: OK, then
/// `+QLADEREG: 0` (nothing was registered to delete), status 4.
#[test]
fn deregister_while_registering_abandons_the_register() {
    let mut m = Module::new(ProfileId::Qla);
    at(&mut m, SERVER, &["OK"]);
    at(&mut m, "AT+QLAREG", &["OK"]);
    at(&mut m, "AT+QLADEREG", &["OK", "+QLADEREG: 0"]);
    assert_eq!(m.host.sent.len(), 1, "no De-register for a registration that never was");
    status(&mut m, 4);
    assert_eq!(m.engine.poll(&mut m.host, m.now_ms), u64::MAX);
    at(&mut m, "AT+QLAREG", &["OK"]);
}

/// The session record has two slots: a save torn by a power cut leaves the
/// previous session, which the wake-up recovers.
#[test]
fn torn_session_save_recovers_the_previous_one() {
    use lwat::lwm2m::Session;
    use lwat::persist::Record;
    let key = <Session<'_> as Record>::KEY;
    let torn = || {
        let mut m = registered(&["AT+QLACFG=\"lifetime_enable\",0"]);
        assert!(m.host.nv.contains_key(&key) && !m.host.nv.contains_key(&(key + 1)));
        // The Update's save (lifetime 1000) goes to the other slot; tear it.
        m.host.nv_fail_after = Some(m.host.nv_writes + 1);
        m.host.nv_write_half = true;
        m.at("AT+QLAUPDATE=0,1000");
        let upd = last_sent(&m);
        answer(&mut m, &upd, Code::CHANGED, "");
        assert!(m.host.nv[&(key + 1)].len() < m.host.nv[&key].len(), "slot 1 torn");
        m.host.nv_fail_after = None;
        m.host.nv_write_half = false;
        Module::with_host(ProfileId::Qla, std::mem::take(&mut m.host))
    };
    // The registration's session (lifetime 300) is the one recovered...
    let mut m = wake(torn(), 200_000);
    status(&mut m, 6);
    assert_eq!(last_sent(&m).path, "rd/abc");
    // ...so 400 s of sleep is too long for it.
    let mut m = wake(torn(), 400_000);
    assert_eq!(m.host.take(), framed(&["+QLAURC: \"recovered\",3"]));
}
