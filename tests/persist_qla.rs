//! NV persistence of the QLA state (seed 004 §3.1, §3.2, §3.6: settings are
//! kept across power cycles) through the two-slot records of `persist`.

mod common;
use common::{framed, Module, TestHost};
use lwat::dialect::profile::ProfileId;
use lwat::dialect::qla::{Options, ServerConfig};
use lwat::model::qla::ObjectTable;
use lwat::persist::{crc32, Record, HEADER};

const SERVER: u16 = <Option<ServerConfig> as Record>::KEY;
const OPTIONS: u16 = <Options as Record>::KEY;
const OBJECTS: u16 = <ObjectTable as Record>::KEY;

const QUERIES: [&str; 3] = ["AT+QLACONFIG?", "AT+QLACFG?", "AT+QLAADDOBJ?"];

fn view(m: &mut Module) -> Vec<String> {
    QUERIES.iter().map(|q| m.at(q)).collect()
}

/// Power cycle: a fresh engine on the same NV.
fn reboot(m: Module) -> Module {
    let mut host = m.host;
    host.nv_fail_after = None;
    host.nv_write_half = false;
    host.nv_writes = 0;
    Module::with_host(ProfileId::Qla, host)
}

fn ok(m: &mut Module, line: &str) {
    let out = m.at(line);
    assert!(
        out == framed(&["OK"]) || out.starts_with("\r\nOK\r\n"),
        "{line}: {out:?}"
    );
}

fn defaults() -> Vec<String> {
    view(&mut Module::new(ProfileId::Qla))
}

fn seq(record: &[u8]) -> u16 {
    u16::from_le_bytes([record[3], record[4]])
}

#[test]
fn round_trip_across_power_cycles() {
    let mut m = Module::new(ProfileId::Qla);
    ok(
        &mut m,
        "AT+QLACONFIG=0,\"198.51.100.7\",5684,\"ep\",86400,0,\"id\",\"0a0b\",1",
    );
    ok(&mut m, "AT+QLACFG=\"retransmit\",5,8");
    ok(&mut m, "AT+QLACFG=\"cfg_res\",3,0,17,500677");
    ok(&mut m, "AT+QLACFG=\"dtls_version\",1");
    ok(&mut m, "AT+QLAADDOBJ=19,1,1,0");
    ok(&mut m, "AT+QLAADDOBJ=19,0,4,\"0\",\"1\",\"2\",\"3\"");
    ok(&mut m, "AT+QLAADDOBJ=3303,0,2,5700,5701");
    ok(&mut m, "AT+QLADELOBJ=3303");
    let before = view(&mut m);
    assert_ne!(before, defaults());
    let mut m = reboot(m);
    assert_eq!(view(&mut m), before);
    assert_eq!(m.host.nv_writes, 0, "loading writes nothing");
    assert!(before[0].contains("+QLACONFIG: 0,\"198.51.100.7\",5684,\"ep\",86400,0,\"id\",\"0A0B\",1"));
    assert!(before[2].contains("+QLAADDOBJ: 19,1,1,0\r\n\r\n+QLAADDOBJ: 19,0,4,0,1,2,3\r\n\r\nOK"));
}

#[test]
fn bootstrap_server_is_not_persisted() {
    // seed 004 §3.1 note 2: the bootstrap server itself is never saved.
    let mut m = Module::new(ProfileId::Qla);
    ok(&mut m, "AT+QLACONFIG=0,\"lwm2m.example\",5683,\"ep\",300,3");
    let writes = m.host.nv_writes;
    let server = m.at("AT+QLACONFIG?");
    ok(&mut m, "AT+QLACONFIG=1,\"bs.example\",5683,\"ep\",300,3");
    assert_eq!(m.host.nv_writes, writes);
    assert_eq!(m.at("AT+QLACONFIG?"), framed(&["OK"]));
    let mut m = reboot(m);
    assert_eq!(m.at("AT+QLACONFIG?"), server);
}

#[test]
fn writes_only_when_something_changed() {
    let mut m = Module::new(ProfileId::Qla);
    ok(&mut m, "AT+QLACFG=\"platform\",1");
    ok(&mut m, "AT+QLACONFIG=0,\"h\",5683,\"ep\",300,3");
    let writes = m.host.nv_writes;
    assert_eq!(writes, 2);
    ok(&mut m, "AT+QLACFG=\"platform\",1");
    m.at("AT+QLACFG=\"platform\"");
    m.at("AT+QLACFG?");
    ok(&mut m, "AT+QLACONFIG=0,h,5683,ep,300,3");
    m.at("AT+QLAADDOBJ?");
    m.at("AT+QLACONFIG?");
    assert_eq!(m.host.nv_writes, writes);
    // The default value of a setting that was never written is not a change either.
    ok(&mut m, "AT+QLACFG=\"auto_ack\",0");
    assert_eq!(m.host.nv_writes, writes);
    ok(&mut m, "AT+QLACFG=\"auto_ack\",1");
    assert_eq!(m.host.nv_writes, writes + 1);
}

#[test]
fn slots_alternate_with_rising_sequence() {
    let mut m = Module::new(ProfileId::Qla);
    ok(&mut m, "AT+QLACFG=\"platform\",1");
    assert!(m.host.nv.contains_key(&OPTIONS) && !m.host.nv.contains_key(&(OPTIONS + 1)));
    ok(&mut m, "AT+QLACFG=\"platform\",2");
    let (a, b) = (m.host.nv[&OPTIONS].clone(), m.host.nv[&(OPTIONS + 1)].clone());
    assert_eq!((seq(&a), seq(&b)), (0, 1));
    ok(&mut m, "AT+QLACFG=\"platform\",0");
    assert_eq!(seq(&m.host.nv[&OPTIONS]), 2);
    assert_eq!(m.host.nv[&(OPTIONS + 1)], b, "the newer slot is left alone");
    // After a reboot the alternation continues from the newest slot.
    let mut m = reboot(m);
    assert_eq!(
        m.at("AT+QLACFG=\"platform\""),
        framed(&["+QLACFG: \"platform\",0", "OK"])
    );
    ok(&mut m, "AT+QLACFG=\"platform\",1");
    assert_eq!(seq(&m.host.nv[&(OPTIONS + 1)]), 3);
    assert_eq!(seq(&m.host.nv[&OPTIONS]), 2);
    let mut m = reboot(m);
    assert_eq!(
        m.at("AT+QLACFG=\"platform\""),
        framed(&["+QLACFG: \"platform\",1", "OK"])
    );
    // Each kind has its own pair of keys.
    ok(&mut m, "AT+QLAADDOBJ=19,0,1,0");
    ok(&mut m, "AT+QLACONFIG=0,h,1,ep,300,3");
    for key in [SERVER, OBJECTS] {
        assert!(m.host.nv.contains_key(&key) && !m.host.nv.contains_key(&(key + 1)));
    }
}

#[test]
fn corrupt_newest_slot_falls_back_to_the_older_one() {
    let mut m = Module::new(ProfileId::Qla);
    ok(&mut m, "AT+QLACFG=\"platform\",1");
    ok(&mut m, "AT+QLACFG=\"platform\",2");
    // Flip one payload byte of the newest record (slot 1).
    let rec = m.host.nv.get_mut(&(OPTIONS + 1)).unwrap();
    rec[HEADER + 1] ^= 0x01;
    let mut m = reboot(m);
    assert_eq!(
        m.at("AT+QLACFG=\"platform\""),
        framed(&["+QLACFG: \"platform\",1", "OK"])
    );
    // The next save overwrites the damaged slot, numbered above the good one.
    ok(&mut m, "AT+QLACFG=\"platform\",0");
    assert_eq!(seq(&m.host.nv[&(OPTIONS + 1)]), 1);
    let mut m = reboot(m);
    assert_eq!(
        m.at("AT+QLACFG=\"platform\""),
        framed(&["+QLACFG: \"platform\",0", "OK"])
    );
}

#[test]
fn corrupt_only_record_means_defaults() {
    for flip in [0, 2, 3, 5, HEADER, usize::MAX] {
        let mut m = Module::new(ProfileId::Qla);
        ok(&mut m, "AT+QLAADDOBJ=19,0,1,0");
        let rec = m.host.nv.get_mut(&OBJECTS).unwrap();
        let at = flip.min(rec.len() - 1); // usize::MAX: the CRC's last byte
        rec[at] ^= 0x80;
        let mut m = reboot(m);
        assert_eq!(m.at("AT+QLAADDOBJ?"), framed(&["OK"]), "byte {at} flipped");
    }
    // A truncated record and an empty one, too.
    for keep in [0, 3, HEADER + 2] {
        let mut m = Module::new(ProfileId::Qla);
        ok(&mut m, "AT+QLAADDOBJ=19,0,1,0");
        m.host.nv.get_mut(&OBJECTS).unwrap().truncate(keep);
        let mut m = reboot(m);
        assert_eq!(m.at("AT+QLAADDOBJ?"), framed(&["OK"]), "kept {keep}");
    }
}

#[test]
fn unknown_schema_means_defaults() {
    let mut m = Module::new(ProfileId::Qla);
    ok(&mut m, "AT+QLACONFIG=0,\"h\",5683,\"ep\",300,3");
    // A well-formed record (valid CRC) of a schema this firmware does not know.
    let rec = m.host.nv.get_mut(&SERVER).unwrap();
    rec[2] = 99;
    let body = rec.len() - 4;
    let crc = crc32(&rec[..body]).to_le_bytes();
    rec[body..].copy_from_slice(&crc);
    let mut m = reboot(m);
    assert_eq!(m.at("AT+QLACONFIG?"), framed(&["OK"]));
}

#[test]
fn failed_write_keeps_the_previous_record() {
    for half in [false, true] {
        let mut m = Module::new(ProfileId::Qla);
        ok(&mut m, "AT+QLACFG=\"platform\",1");
        ok(&mut m, "AT+QLACFG=\"platform\",2");
        ok(&mut m, "AT+QLAADDOBJ=19,0,1,0");
        let saved = view(&mut m);
        m.host.nv_fail_after = Some(m.host.nv_writes);
        m.host.nv_write_half = half;
        // The settings take effect at once (seed 004 §3.2) even though NV refused them.
        ok(&mut m, "AT+QLACFG=\"platform\",0");
        ok(&mut m, "AT+QLAADDOBJ=20,0,1,0");
        ok(&mut m, "AT+QLADELOBJ=19");
        ok(&mut m, "AT+QLACONFIG=0,h,5683,ep,300,3");
        assert_eq!(
            m.at("AT+QLACFG=\"platform\""),
            framed(&["+QLACFG: \"platform\",0", "OK"])
        );
        let mut m = reboot(m);
        assert_eq!(view(&mut m), saved, "half = {half}");
    }
}

#[test]
fn failed_write_is_retried_with_the_next_change() {
    let mut m = Module::new(ProfileId::Qla);
    ok(&mut m, "AT+QLACFG=\"platform\",1");
    m.host.nv_fail_after = Some(m.host.nv_writes);
    m.host.nv_write_half = true;
    ok(&mut m, "AT+QLACFG=\"platform\",2");
    m.host.nv_fail_after = None;
    // Setting the value RAM already holds: nothing changed, but NV is behind.
    ok(&mut m, "AT+QLACFG=\"platform\",2");
    let mut m = reboot(m);
    assert_eq!(
        m.at("AT+QLACFG=\"platform\""),
        framed(&["+QLACFG: \"platform\",2", "OK"])
    );
}

#[test]
fn a_fresh_host_has_defaults_and_writes_nothing() {
    let mut host = TestHost::default();
    host.nv.insert(0x0FFF, vec![1, 2, 3]); // someone else's record
    let mut m = Module::with_host(ProfileId::Qla, host);
    assert_eq!(view(&mut m), defaults());
    assert_eq!(m.host.nv_writes, 0);
    // MIPL keeps nothing in NV (seed 003 §3.3): it reads and writes no QLA keys.
    let mut mipl = Module::with_host(ProfileId::Onemo, m.host);
    assert_eq!(mipl.at("AT+QLACFG?"), "");
    assert_eq!(mipl.host.nv_writes, 0);
}
