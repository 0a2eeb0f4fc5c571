//! The LwM2M client against a scripted server built on the CoAP codec:
//! exact request bytes, every response path, timing and bounded tables.

use lwat::coap::{number, Builder, Code, Config, Repr, Type};
use lwat::lwm2m::{Binding, Client, Error, Event, Phase, RegisterParams, Session, Trigger, UpdatePolicy, Usage};
use lwat::model::ObjectList;
use lwat::Host;

/// The network side: what the client opened, sent and closed.
#[derive(Default)]
struct Net {
    opened: Vec<(String, u16)>,
    closed: Vec<i32>,
    sent: Vec<(i32, Vec<u8>)>,
    rai: Vec<u8>,
}

impl Host for Net {
    fn at_output(&mut self, _text: &[u8]) {}
    fn udp_open(&mut self, host: &[u8], port: u16) -> i32 {
        self.opened.push((String::from_utf8_lossy(host).into_owned(), port));
        self.opened.len() as i32 - 1
    }
    fn udp_send(&mut self, endpoint: i32, data: &[u8], rai: u8) -> i32 {
        self.sent.push((endpoint, data.to_vec()));
        self.rai.push(rai);
        0
    }
    fn udp_close(&mut self, endpoint: i32) {
        self.closed.push(endpoint);
    }
    /// Fixed: message ids start at 0x8000, tokens are 00 00 80 00, and the
    /// first retransmission timeout is ACK_TIMEOUT × 1.25.
    fn random(&mut self) -> u32 {
        0x8000
    }
}

struct Objects(Vec<(u16, u16)>);

impl ObjectList for Objects {
    fn for_each_instance(&self, f: &mut dyn FnMut(u16, u16)) {
        for &(o, i) in &self.0 {
            f(o, i);
        }
    }
}

const TOKEN: [u8; 4] = [0x00, 0x00, 0x80, 0x00];

/// Client, network and recorded events (as their Debug text: `Event`
/// borrows the datagram).
struct Rig {
    client: Client,
    net: Net,
    events: Vec<String>,
    objects: Objects,
}

fn params(host: &'static str, bootstrap: bool) -> RegisterParams<'static> {
    RegisterParams {
        host: host.as_bytes(),
        port: 5683,
        bootstrap,
        endpoint: b"ep1",
        lifetime_s: 300,
        binding: Binding::U,
        auth_code: None,
        timeout_ms: None,
        config: Config::RFC,
        update_policy: None,
    }
}

fn ev(e: Event<'_>) -> String {
    format!("{e:?}")
}

impl Rig {
    fn new() -> Rig {
        Rig {
            client: Client::new(),
            net: Net::default(),
            events: Vec::new(),
            objects: Objects(vec![(3311, 0), (3311, 1)]),
        }
    }

    fn register(&mut self, now: u64, p: &RegisterParams<'_>) -> Result<(), Error> {
        let events = &mut self.events;
        self.client
            .register(&mut self.net, now, p, &self.objects, &mut |e| events.push(ev(e)))
    }

    fn input(&mut self, now: u64, data: &[u8]) {
        let events = &mut self.events;
        let endpoint = self.net.opened.len() as i32 - 1;
        self.client
            .on_datagram(&mut self.net, now, endpoint, data, &self.objects, &mut |e| {
                events.push(ev(e))
            });
    }

    fn poll(&mut self, now: u64) -> u64 {
        let events = &mut self.events;
        self.client.poll(&mut self.net, now, &mut |e| events.push(ev(e)))
    }

    fn deregister(&mut self, now: u64) -> Result<(), Error> {
        let events = &mut self.events;
        self.client.deregister(&mut self.net, now, &mut |e| events.push(ev(e)))
    }

    fn last_sent(&self) -> Vec<u8> {
        self.net.sent.last().map(|(_, d)| d.clone()).unwrap_or_default()
    }

    fn take_events(&mut self) -> Vec<String> {
        std::mem::take(&mut self.events)
    }

    /// Registers at `now` and answers 2.01 with Location-Path rd/abc.
    fn registered(&mut self, now: u64, p: &RegisterParams<'_>) {
        self.register(now, p).unwrap();
        let reg = self.last_sent();
        let reg = Repr::parse(&reg).unwrap();
        self.input(now + 10, &created(reg.message_id, reg.token));
        assert_eq!(self.take_events(), [ev(Event::Registered)]);
        self.net.sent.clear();
    }
}

/// ACK 2.01 Created, Location-Path rd/abc.
fn created(mid: u16, token: &[u8]) -> Vec<u8> {
    let mut buf = [0u8; 64];
    let mut b = Builder::new(&mut buf, Type::Ack, Code::CREATED, mid, token).unwrap();
    b.path(number::LOCATION_PATH, b"rd/abc").unwrap();
    let n = b.finish(&[]).unwrap();
    buf[..n].to_vec()
}

fn piggybacked(code: Code, mid: u16, token: &[u8]) -> Vec<u8> {
    let mut buf = [0u8; 16];
    let n = Builder::new(&mut buf, Type::Ack, code, mid, token)
        .unwrap()
        .finish(&[])
        .unwrap();
    buf[..n].to_vec()
}

/// A server request: `ty` `code` `path` with optional Content-Format.
fn request(ty: Type, code: Code, mid: u16, token: &[u8], path: &[u8], cf: Option<u32>, payload: &[u8]) -> Vec<u8> {
    let mut buf = [0u8; 256];
    let mut b = Builder::new(&mut buf, ty, code, mid, token).unwrap();
    b.path(number::URI_PATH, path).unwrap();
    if let Some(cf) = cf {
        b.uint_option(number::CONTENT_FORMAT, cf).unwrap();
    }
    let n = b.finish(payload).unwrap();
    buf[..n].to_vec()
}

// CON POST mid 0x8000 token 00 00 80 00 | Uri-Path "rd" (11) | Content-Format
// 40 (12) | Uri-Query (15) "ep=ep1", "lt=300", "lwm2m=1.0", "b=U".
const REGISTER_HEAD: &[u8] = &[
    0x44, 0x02, 0x80, 0x00, 0x00, 0x00, 0x80, 0x00, 0xb2, b'r', b'd', 0x11, 40, 0x36, b'e', b'p', b'=', b'e', b'p',
    b'1', 0x06, b'l', b't', b'=', b'3', b'0', b'0', 0x09, b'l', b'w', b'm', b'2', b'm', b'=', b'1', b'.', b'0', 0x03,
    b'b', b'=', b'U',
];
const LINKS: &[u8] = b"</>;rt=\"oma.lwm2m\",</1/0>,</3/0>,</3311/0>,</3311/1>";

/// CON POST /rd/abc with only option 63 "abc" (delta 52 from Uri-Path).
fn update_with_auth(mid: u16) -> Vec<u8> {
    let [hi, lo] = mid.to_be_bytes();
    cat(&[
        &[0x44, 0x02, hi, lo, 0x00, 0x00, 0x80, 0x00],
        &[
            0xb2,
            b'r',
            b'd',
            0x03,
            b'a',
            b'b',
            b'c',
            0xd3,
            52 - 13,
            b'a',
            b'b',
            b'c',
        ],
    ])
}

fn cat(parts: &[&[u8]]) -> Vec<u8> {
    parts.concat()
}

#[test]
fn register_bytes_without_auth_code() {
    let mut rig = Rig::new();
    rig.register(0, &params("srv", false)).unwrap();
    assert_eq!(rig.net.opened, [("srv".to_string(), 5683)]);
    assert_eq!(rig.last_sent(), cat(&[REGISTER_HEAD, &[0xff], LINKS]));
    assert_eq!(rig.client.phase(), Phase::Registering);
}

#[test]
fn register_bytes_with_auth_code_option_63() {
    let mut rig = Rig::new();
    let p = RegisterParams {
        auth_code: Some(b"abc"),
        ..params("srv", false)
    };
    rig.register(0, &p).unwrap();
    // Option 63 after Uri-Query 15: delta 48 = 13 + 35 (0xd3 0x23), length 3.
    assert_eq!(
        rig.last_sent(),
        cat(&[REGISTER_HEAD, &[0xd3, 35, b'a', b'b', b'c', 0xff], LINKS])
    );
}

#[test]
fn register_created_then_failed_paths() {
    let mut rig = Rig::new();
    rig.registered(1_000, &params("srv", false));
    assert_eq!(rig.client.phase(), Phase::Registered);
    assert_eq!(rig.client.location(), b"rd/abc");
    assert_eq!(rig.client.remaining_lifetime_s(1_010), 300);
    // No automatic policy: the only deadline is the expiry.
    assert_eq!(rig.poll(2_000), 1_010 + 300_000);

    // 4.03 Forbidden: RegisterFailed, Idle, endpoint closed.
    let mut rig = Rig::new();
    rig.register(0, &params("srv", false)).unwrap();
    rig.input(5, &piggybacked(Code::FORBIDDEN, 0x8000, &TOKEN));
    assert_eq!(rig.take_events(), [ev(Event::RegisterFailed { code: Code::FORBIDDEN })]);
    assert_eq!(rig.client.phase(), Phase::Idle);
    assert_eq!(rig.net.closed, [0]);
    assert_eq!(rig.client.usage(), Usage::default());
    assert_eq!(rig.poll(10), u64::MAX);

    // RST: the exchange fails (code 0.00).
    let mut rig = Rig::new();
    rig.register(0, &params("srv", false)).unwrap();
    rig.input(5, &[0x70, 0x00, 0x80, 0x00]);
    assert_eq!(rig.take_events(), [ev(Event::RegisterFailed { code: Code::EMPTY })]);
    assert_eq!(rig.client.phase(), Phase::Idle);
}

#[test]
fn register_separate_response_after_empty_ack() {
    let mut rig = Rig::new();
    rig.register(0, &params("srv", false)).unwrap();
    rig.input(100, &[0x60, 0x00, 0x80, 0x00]);
    assert!(rig.take_events().is_empty());
    // No retransmission after the ACK: next deadline is EXCHANGE_LIFETIME.
    assert_eq!(rig.poll(2_600), 100 + 247_000);
    let sends = rig.net.sent.len();
    // The separate 2.01 arrives as CON with another message id: ACKed.
    let mut buf = [0u8; 64];
    let mut b = Builder::new(&mut buf, Type::Con, Code::CREATED, 0x0042, &TOKEN).unwrap();
    b.path(number::LOCATION_PATH, b"rd/xyz").unwrap();
    let n = b.finish(&[]).unwrap();
    rig.input(3_000, &buf[..n]);
    assert_eq!(rig.take_events(), [ev(Event::Registered)]);
    assert_eq!(rig.net.sent[sends..], [(0, vec![0x60, 0x00, 0x00, 0x42])]);
    assert_eq!(rig.client.location(), b"rd/xyz");
    // Its duplicate: the same ACK again, no second event.
    rig.input(3_100, &buf[..n]);
    assert!(rig.take_events().is_empty());
    assert_eq!(rig.last_sent(), [0x60, 0x00, 0x00, 0x42]);
}

#[test]
fn register_unanswered_retransmits_at_rfc_times_then_times_out() {
    let mut rig = Rig::new();
    rig.register(1_000, &params("srv", false)).unwrap();
    let first = rig.last_sent();
    // ACK_TIMEOUT 2 s × 1.25, doubling: 3.5, 8.5, 18.5, 38.5 s; give up 78.5 s.
    let mut at = Vec::new();
    let mut now = 1_000;
    loop {
        let next = rig.poll(now);
        if next == u64::MAX {
            break;
        }
        assert!(rig.poll(next - 1) == next, "nothing happens before the deadline");
        now = next;
        let before = rig.net.sent.len();
        rig.poll(now);
        if rig.net.sent.len() > before {
            assert_eq!(rig.last_sent(), first, "a retransmission is the same datagram");
            at.push(now);
        }
    }
    assert_eq!(at, [3_500, 8_500, 18_500, 38_500]);
    assert_eq!(now, 78_500);
    assert_eq!(rig.take_events(), [ev(Event::RegisterTimeout)]);
    assert_eq!(rig.client.usage(), Usage::default());

    // With the MCU's timeout (30 s): RegisterTimeout exactly then.
    let mut rig = Rig::new();
    let p = RegisterParams {
        timeout_ms: Some(30_000),
        ..params("srv", false)
    };
    rig.register(0, &p).unwrap();
    assert_eq!(rig.poll(0), 2_500);
    assert_eq!(rig.poll(2_500), 7_500);
    assert_eq!(rig.poll(7_500), 17_500);
    assert_eq!(rig.poll(17_500), 30_000);
    assert!(rig.take_events().is_empty());
    assert_eq!(rig.poll(30_000), u64::MAX);
    assert_eq!(rig.take_events(), [ev(Event::RegisterTimeout)]);
    assert_eq!(rig.net.sent.len(), 4);
}

#[test]
fn register_refused_calls_change_nothing() {
    let mut rig = Rig::new();
    let long = vec![b'h'; 151];
    let p = RegisterParams {
        host: &long,
        ..params("srv", false)
    };
    assert_eq!(rig.register(0, &p), Err(Error::Invalid));
    let p = RegisterParams {
        lifetime_s: 0,
        ..params("srv", false)
    };
    assert_eq!(rig.register(0, &p), Err(Error::Invalid));
    assert!(rig.net.opened.is_empty());
    rig.register(0, &params("srv", false)).unwrap();
    assert_eq!(rig.register(0, &params("srv", false)), Err(Error::Busy));
    assert_eq!(
        rig.client.update(&mut rig.net, 0, None, None, None),
        Err(Error::NotRegistered)
    );
}

#[test]
fn update_variants_exact_bytes() {
    let mut rig = Rig::new();
    let p = RegisterParams {
        auth_code: Some(b"abc"),
        ..params("srv", false)
    };
    rig.registered(0, &p);
    // Plain Update: POST /rd/abc, option 63, nothing else. mid 0x8001.
    let mid = rig
        .client
        .update(&mut rig.net, 100, None, Some(Binding::U), None)
        .unwrap();
    assert_eq!(mid, 0x8001);
    assert_eq!(rig.last_sent(), update_with_auth(0x8001));
    assert_eq!(rig.client.phase(), Phase::Updating);
    assert_eq!(rig.client.update(&mut rig.net, 100, None, None, None), Err(Error::Busy));
    rig.input(200, &piggybacked(Code::CHANGED, mid, &TOKEN));
    assert_eq!(
        rig.take_events(),
        [ev(Event::Updated {
            mid,
            trigger: Trigger::Command
        })]
    );
    assert_eq!(rig.client.remaining_lifetime_s(200), 300);

    // New lifetime and binding with objects: CF 40, lt=600, b=UQ, links.
    let objects = Objects(vec![(3311, 0)]);
    let mid = rig
        .client
        .update(&mut rig.net, 300, Some(600), Some(Binding::UQ), Some(&objects))
        .unwrap();
    let expect = cat(&[
        &[0x44, 0x02, 0x80, 0x02, 0x00, 0x00, 0x80, 0x00],
        &[0xb2, b'r', b'd', 0x03, b'a', b'b', b'c', 0x11, 40],
        &[0x36, b'l', b't', b'=', b'6', b'0', b'0', 0x04, b'b', b'=', b'U', b'Q'],
        &[0xd3, 48 - 13, b'a', b'b', b'c', 0xff],
        b"</>;rt=\"oma.lwm2m\",</1/0>,</3/0>,</3311/0>",
    ]);
    assert_eq!(rig.last_sent(), expect);
    rig.input(400, &piggybacked(Code::CHANGED, mid, &TOKEN));
    assert_eq!(rig.client.lifetime_s(), 600);
    assert_eq!(rig.client.binding(), Binding::UQ);
    assert_eq!(rig.client.remaining_lifetime_s(400), 600);
    // The same values again are not sent.
    rig.client
        .update(&mut rig.net, 500, Some(600), Some(Binding::UQ), None)
        .unwrap();
    assert_eq!(Repr::parse(&rig.last_sent()).unwrap().options.uri_query().count(), 0);
}

#[test]
fn update_error_codes() {
    let mut rig = Rig::new();
    rig.registered(0, &params("srv", false));
    let mid = rig.client.update(&mut rig.net, 10, None, None, None).unwrap();
    rig.input(20, &piggybacked(Code::BAD_REQUEST, mid, &TOKEN));
    let failed = Event::UpdateFailed {
        mid,
        code: Code::BAD_REQUEST,
        trigger: Trigger::Command,
    };
    assert_eq!(rig.take_events(), [ev(failed)]);
    assert_eq!(rig.client.phase(), Phase::Registered);
    // 4.04: the server forgot us; the client is Idle.
    let mid = rig.client.update(&mut rig.net, 30, None, None, None).unwrap();
    rig.input(40, &piggybacked(Code::NOT_FOUND, mid, &TOKEN));
    assert_eq!(rig.client.phase(), Phase::Idle);
    assert_eq!(rig.client.usage(), Usage::default());
}

#[test]
fn deregister_exact_bytes_and_outcomes() {
    let mut rig = Rig::new();
    rig.registered(0, &params("srv", false));
    rig.deregister(50).unwrap();
    // CON DELETE /rd/abc, mid 0x8001.
    assert_eq!(
        rig.last_sent(),
        [0x44, 0x04, 0x80, 0x01, 0x00, 0x00, 0x80, 0x00, 0xb2, b'r', b'd', 0x03, b'a', b'b', b'c']
    );
    assert_eq!(rig.client.phase(), Phase::Deregistering);
    assert_eq!(rig.deregister(50), Err(Error::Busy));
    rig.input(60, &piggybacked(Code::DELETED, 0x8001, &TOKEN));
    assert_eq!(rig.take_events(), [ev(Event::Deregistered)]);
    assert_eq!(rig.client.phase(), Phase::Idle);
    assert_eq!(rig.net.closed, [0]);
    assert_eq!(rig.deregister(70), Err(Error::NotRegistered));

    // Unanswered: DeregisterFailed after the retransmissions, Idle anyway.
    let mut rig = Rig::new();
    rig.registered(0, &params("srv", false));
    rig.deregister(0).unwrap();
    let mut now = 0;
    while now != u64::MAX {
        now = rig.poll(now);
    }
    assert_eq!(rig.take_events(), [ev(Event::DeregisterFailed { code: Code::EMPTY })]);
    assert_eq!(rig.client.usage(), Usage::default());

    // Before registration completed: closes at once.
    let mut rig = Rig::new();
    rig.register(0, &params("srv", false)).unwrap();
    rig.deregister(1).unwrap();
    assert_eq!(rig.take_events(), [ev(Event::Deregistered)]);
    assert_eq!(rig.client.usage(), Usage::default());
}

#[test]
fn poll_deadlines() {
    let mut rig = Rig::new();
    assert_eq!(rig.poll(0), u64::MAX);
    let p = RegisterParams {
        update_policy: Some(UpdatePolicy::BeforeExpiry),
        ..params("srv", false)
    };
    rig.register(0, &p).unwrap();
    assert_eq!(rig.poll(0), 2_500);
    rig.input(10, &created(0x8000, &TOKEN));
    rig.take_events();
    // Automatic update at 300 − 30 s after the 2.01; expiry later.
    assert_eq!(rig.poll(11), 10 + 270_000);
    rig.net.sent.clear();
    assert_eq!(rig.poll(270_010), 270_010 + 2_500);
    let sent = rig.last_sent();
    let update = Repr::parse(&sent).unwrap();
    assert_eq!(update.code, Code::POST);
    assert_eq!(rig.client.phase(), Phase::Updating);
    rig.input(270_100, &piggybacked(Code::CHANGED, update.message_id, &TOKEN));
    assert_eq!(
        rig.take_events(),
        [ev(Event::Updated {
            mid: update.message_id,
            trigger: Trigger::Automatic
        })]
    );
    assert_eq!(rig.poll(270_100), 270_100 + 270_000);
}

#[test]
fn lost_update_keeps_registration_until_expiry() {
    let mut rig = Rig::new();
    // A profile that updates by itself (bc260y's nine tenths) retries a
    // lost Update halfway to expiry.
    let p = RegisterParams {
        lifetime_s: 200,
        update_policy: Some(UpdatePolicy::NineTenths),
        ..params("srv", false)
    };
    rig.registered(0, &p);
    // Registered at 10 ms: expires at 200_010.
    let mid = rig.client.update(&mut rig.net, 1_000, None, None, None).unwrap();
    let mut now = 1_000;
    let mut seen = Vec::new();
    loop {
        let next = rig.poll(now);
        seen.extend(rig.take_events().into_iter().map(|e| (now, e)));
        if rig.client.phase() == Phase::Idle {
            break;
        }
        // Registered (or updating) until the lifetime is gone.
        assert!(now < 200_010 && next <= 200_010, "{now} {next}");
        now = next;
    }
    let timeout = |mid, trigger| ev(Event::UpdateTimeout { mid, trigger });
    // The command's Update gives up at 1 s + 77.5 s; the retry goes out
    // halfway to expiry (139.255 s) and is still in flight at expiry, sent
    // 5 times (its give-up would be at 216.755 s).
    assert_eq!(
        seen,
        [
            (78_500, timeout(mid, Trigger::Command)),
            (200_010, ev(Event::LifetimeExpired))
        ]
    );
    let updates: Vec<u16> = rig
        .net
        .sent
        .iter()
        .map(|(_, d)| Repr::parse(d).unwrap().message_id)
        .collect();
    assert_eq!(updates.iter().filter(|&&m| m == mid).count(), 5);
    assert_eq!(updates.iter().filter(|&&m| m == mid + 1).count(), 5);
    assert_eq!(updates.len(), 10);
    assert_eq!(rig.client.usage(), Usage::default());
}

/// Without an update policy (qla "lifetime_enable" 0) a lost Update is not
/// retried: nothing goes out that the MCU did not ask for, and the
/// registration lasts until its lifetime ends.
#[test]
fn lost_update_without_policy_is_not_retried() {
    let mut rig = Rig::new();
    let p = RegisterParams {
        lifetime_s: 200,
        ..params("srv", false)
    };
    rig.registered(0, &p);
    let mid = rig.client.update(&mut rig.net, 1_000, None, None, None).unwrap();
    let mut now = 1_000;
    let mut seen = Vec::new();
    while rig.client.phase() != Phase::Idle {
        let next = rig.poll(now);
        seen.extend(rig.take_events().into_iter().map(|e| (now, e)));
        assert!(now <= 200_010, "{now}");
        if rig.client.phase() != Phase::Idle {
            assert!(next <= 200_010, "{now} {next}");
        }
        now = next;
    }
    assert_eq!(
        seen,
        [
            (
                78_500,
                ev(Event::UpdateTimeout {
                    mid,
                    trigger: Trigger::Command
                })
            ),
            (200_010, ev(Event::LifetimeExpired))
        ]
    );
    assert_eq!(rig.net.sent.len(), 5, "the Update and its 4 retransmissions only");
}

#[test]
fn a_thousand_failed_registrations_leak_nothing() {
    let mut rig = Rig::new();
    let p = RegisterParams {
        timeout_ms: Some(5_000),
        ..params("srv", false)
    };
    let mut now = 0;
    for round in 0..1_000u64 {
        rig.register(now, &p).unwrap();
        match round % 4 {
            0 => rig.input(now + 1, &piggybacked(Code::FORBIDDEN, rig.client_mid(), &TOKEN)),
            1 => {
                rig.poll(now + 5_000);
            }
            2 => rig.input(
                now + 1,
                &[0x70, 0x00, (rig.client_mid() >> 8) as u8, rig.client_mid() as u8],
            ),
            _ => {
                // A server request in flight when it fails.
                rig.input(now + 1, &[0x40, 0x01, 0x12, round as u8]);
                rig.input(
                    now + 2,
                    &piggybacked(Code::SERVICE_UNAVAILABLE, rig.client_mid(), &TOKEN),
                );
            }
        }
        assert_eq!(rig.client.phase(), Phase::Idle, "round {round}");
        assert_eq!(rig.client.usage(), Usage::default(), "round {round}");
        now += 10_000;
    }
    assert_eq!(rig.net.opened.len(), 1_000);
    assert_eq!(rig.net.closed.len(), 1_000);
    assert_eq!(rig.events.len(), 1_000);
    assert_eq!(rig.poll(now), u64::MAX);
}

impl Rig {
    /// The message id of the client's last request.
    fn client_mid(&self) -> u16 {
        let (_, d) = self.net.sent.iter().rev().find(|(_, d)| d[0] & 0x30 == 0).unwrap();
        u16::from_be_bytes([d[2], d[3]])
    }
}

#[test]
fn malformed_datagrams_change_nothing() {
    let mut rig = Rig::new();
    rig.registered(0, &params("srv", false));
    let cases: &[(&[u8], Option<Vec<u8>>)] = &[
        // Truncated header: dropped.
        (&[0x40, 0x01], None),
        // TKL 9 in a CON: RST with its message id.
        (
            &[0x49, 0x01, 0x12, 0x34, 1, 2, 3, 4, 5, 6, 7, 8, 9],
            Some(vec![0x70, 0x00, 0x12, 0x34]),
        ),
        // Version 2: silently ignored.
        (&[0x80, 0x01, 0x12, 0x35], None),
        // Token running past the end of a NON: dropped.
        (&[0x54, 0x01, 0x12, 0x36, 0xaa], None),
        // An ACK nobody waits for: ignored.
        (&[0x60, 0x44, 0x77, 0x77], None),
    ];
    for (data, reply) in cases {
        rig.net.sent.clear();
        rig.input(100, data);
        assert_eq!(rig.net.sent.first().map(|(_, d)| d.clone()), *reply, "{data:02x?}");
        assert!(rig.take_events().is_empty());
        assert_eq!(rig.client.phase(), Phase::Registered);
        assert_eq!(rig.client.usage().exchanges, 0);
        assert_eq!(rig.client.remaining_lifetime_s(100), 299);
    }
    // A datagram from another endpoint is not ours.
    let events = &mut rig.events;
    rig.client.on_datagram(
        &mut rig.net,
        100,
        7,
        &[0x40, 0x00, 0x00, 0x01],
        &rig.objects,
        &mut |e| events.push(ev(e)),
    );
    // A CoAP ping gets a RST.
    rig.net.sent.clear();
    rig.input(100, &[0x40, 0x00, 0x00, 0x01]);
    assert_eq!(rig.net.sent, [(0, vec![0x70, 0x00, 0x00, 0x01])]);
}

#[test]
fn server_writes_lifetime_and_binding_once_per_request() {
    let mut rig = Rig::new();
    rig.registered(0, &params("srv", false));
    let put = request(Type::Con, Code::PUT, 0x1111, &[7], b"1/0/1", Some(0), b"600");
    rig.input(100, &put);
    // 2.04 piggybacked: ACK, mid 0x1111, token 07.
    let changed = vec![0x61, 0x44, 0x11, 0x11, 0x07];
    assert_eq!(rig.last_sent(), changed);
    assert_eq!(rig.take_events(), [ev(Event::LifetimeChanged(600))]);
    // The duplicate: the same answer from the cache, no second event.
    rig.net.sent.clear();
    rig.input(200, &put);
    assert_eq!(rig.net.sent, [(0, changed)]);
    assert!(rig.take_events().is_empty());
    // Binding as TLV (resource 7 = "UQ").
    let tlv = request(
        Type::Con,
        Code::PUT,
        0x1112,
        &[8],
        b"1/0/7",
        Some(11542),
        &[0xc2, 0x07, b'U', b'Q'],
    );
    rig.input(300, &tlv);
    assert_eq!(rig.take_events(), [ev(Event::BindingChanged(Binding::UQ))]);
    // The next Update carries both.
    rig.client.update(&mut rig.net, 400, None, None, None).unwrap();
    let update = rig.last_sent();
    let queries: Vec<&[u8]> = Repr::parse(&update).unwrap().options.uri_query().collect();
    assert_eq!(queries, [&b"lt=600"[..], b"b=UQ"]);
    // Bad value: 4.00, nothing changes.
    rig.input(
        500,
        &request(Type::Con, Code::PUT, 0x1113, &[], b"1/0/1", Some(0), b"x"),
    );
    assert_eq!(rig.last_sent(), [0x60, 0x80, 0x11, 0x13]);
    assert!(rig.take_events().is_empty());
    // Unknown object: 4.04; unknown critical option (9): 4.02.
    rig.input(600, &request(Type::Con, Code::GET, 0x1114, &[], b"9999/0", None, b""));
    assert_eq!(rig.last_sent(), [0x60, 0x84, 0x11, 0x14]);
    rig.input(700, &[0x40, 0x01, 0x11, 0x15, 0x91, b'x']);
    assert_eq!(rig.last_sent(), [0x60, 0x82, 0x11, 0x15]);
}

#[test]
fn deferred_request_answered_later() {
    let mut rig = Rig::new();
    rig.registered(0, &params("srv", false));
    let get = request(Type::Con, Code::GET, 0x2222, &[9, 9], b"3311/0/5700", None, b"");
    rig.input(100, &get);
    // Empty ACK at once, the request handed over.
    assert_eq!(rig.last_sent(), [0x60, 0x00, 0x22, 0x22]);
    let path = lwat::lwm2m::Path::new(&[3311, 0, 5700]).unwrap();
    let handed = Event::Request {
        handle: 0x2222,
        method: Code::GET,
        path,
        content_format: None,
        accept: None,
        observe: None,
        payload: &[],
    };
    assert_eq!(rig.take_events(), [ev(handed)]);
    // The duplicate: the empty ACK again, no second event.
    rig.net.sent.clear();
    rig.input(200, &get);
    assert_eq!(rig.net.sent, [(0, vec![0x60, 0x00, 0x22, 0x22])]);
    assert!(rig.take_events().is_empty());
    assert_eq!(rig.client.usage().pending, 1);
    // The MCU answers: a CON 2.05 with the request's token, text payload.
    assert_eq!(
        rig.client.respond(&mut rig.net, 300, 0x1, Code::CONTENT, None, b""),
        Err(Error::UnknownHandle)
    );
    rig.client
        .respond(&mut rig.net, 300, 0x2222, Code::CONTENT, Some(0), b"21.5")
        .unwrap();
    let response = rig.last_sent();
    assert_eq!(
        response,
        [0x42, 0x45, 0x80, 0x01, 9, 9, 0xc0, 0xff, b'2', b'1', b'.', b'5']
    );
    assert_eq!(rig.client.usage().pending, 0);
    assert_eq!(
        rig.client.respond(&mut rig.net, 300, 0x2222, Code::CONTENT, None, b""),
        Err(Error::UnknownHandle)
    );
    // Retransmitted until the server ACKs it.
    assert_eq!(rig.poll(2_800), 2_800 + 5_000);
    assert_eq!(rig.last_sent(), response);
    rig.input(3_000, &[0x60, 0x00, 0x80, 0x01]);
    assert_eq!(rig.take_events(), [ev(Event::ResponseDelivered { handle: 0x2222 })]);
    assert_eq!(rig.client.usage().exchanges, 0);
    // A reset response is reported.
    rig.input(
        4_000,
        &request(Type::Con, Code::GET, 0x2223, &[1], b"3311/1", None, b""),
    );
    rig.take_events();
    rig.client
        .respond(&mut rig.net, 4_100, 0x2223, Code::NOT_FOUND, None, b"")
        .unwrap();
    rig.input(4_200, &[0x70, 0x00, 0x80, 0x02]);
    assert_eq!(rig.take_events(), [ev(Event::ResponseFailed { handle: 0x2223 })]);
}

#[test]
fn pending_table_full_answers_service_unavailable() {
    let mut rig = Rig::new();
    rig.registered(0, &params("srv", false));
    for i in 0..lwat::lwm2m::PENDING_REQUESTS as u16 {
        rig.input(
            10,
            &request(Type::Con, Code::GET, 0x3000 + i, &[], b"3311/0", None, b""),
        );
    }
    assert_eq!(rig.client.usage().pending, lwat::lwm2m::PENDING_REQUESTS);
    rig.input(10, &request(Type::Con, Code::GET, 0x3100, &[], b"3311/0", None, b""));
    assert_eq!(rig.last_sent(), [0x60, 0xa3, 0x31, 0x00]);
    // After EXCHANGE_LIFETIME the old ones are gone.
    rig.input(
        10 + 247_000,
        &request(Type::Con, Code::GET, 0x3101, &[], b"3311/0", None, b""),
    );
    assert_eq!(rig.last_sent(), [0x60, 0x00, 0x31, 0x01]);
    assert_eq!(rig.client.usage().pending, 1);
}

#[test]
fn snapshot_and_resume_round_trip() {
    let mut rig = Rig::new();
    let p = RegisterParams {
        auth_code: Some(b"abc"),
        lifetime_s: 1_000,
        ..params("srv", false)
    };
    rig.registered(0, &p);
    assert_eq!(rig.client.snapshot(0), Some(rig.client.snapshot(0).unwrap()));
    let session = rig.client.snapshot(400_010).unwrap();
    assert_eq!(session.remaining_ms, 600_000);
    let mut buf = [0u8; 256];
    let bytes = postcard::to_slice(&session, &mut buf).unwrap();
    let restored: Session<'_> = postcard::from_bytes(bytes).unwrap();
    assert_eq!(restored, session);

    // Resume after 100 s of sleep, with a fresh clock.
    let mut after = Rig::new();
    let events = &mut after.events;
    let mid = after
        .client
        .resume(&mut after.net, 5, &restored, 100_000, None, &mut |e| events.push(ev(e)))
        .unwrap();
    assert_eq!(after.net.opened, [("srv".to_string(), 5683)]);
    assert_eq!(after.client.phase(), Phase::Updating);
    assert_eq!(after.last_sent(), update_with_auth(0x8000));
    assert_eq!(after.client.remaining_lifetime_s(5), 500);
    after.input(50, &piggybacked(Code::CHANGED, mid, &TOKEN));
    assert_eq!(
        after.take_events(),
        [ev(Event::Updated {
            mid,
            trigger: Trigger::Resume
        })]
    );
    assert_eq!(after.client.remaining_lifetime_s(50), 1_000);

    // Slept past the lifetime: LifetimeExpired, Idle, nothing opened.
    let mut late = Rig::new();
    let events = &mut late.events;
    let result = late
        .client
        .resume(&mut late.net, 0, &restored, 600_000, None, &mut |e| events.push(ev(e)));
    assert_eq!(result, Err(Error::Expired));
    assert_eq!(late.take_events(), [ev(Event::LifetimeExpired)]);
    assert!(late.net.opened.is_empty());
    assert_eq!(late.client.phase(), Phase::Idle);
    // No snapshot when not registered.
    assert_eq!(late.client.snapshot(0), None);
}

/// A TLV resource record by hand (LwM2M 1.0 §6.4.3): type 11, 8-bit id,
/// length in the type byte up to 7, else one length byte.
fn res(id: u8, value: &[u8]) -> Vec<u8> {
    let mut r = if value.len() <= 7 {
        vec![0xc0 | value.len() as u8, id]
    } else {
        vec![0xc8, id, value.len() as u8]
    };
    r.extend_from_slice(value);
    r
}

impl Rig {
    /// Sends a server request and returns the client's answer.
    fn serve(&mut self, now: u64, code: Code, mid: u16, path: &[u8], cf: Option<u32>, payload: &[u8]) -> Vec<u8> {
        self.net.sent.clear();
        self.input(now, &request(Type::Con, code, mid, &[], path, cf, payload));
        self.net.sent.first().map(|(_, d)| d.clone()).unwrap_or_default()
    }
}

const TLV: Option<u32> = Some(11542);

/// Starts a bootstrap and answers the Bootstrap-Request with 2.04.
fn bootstrapping() -> Rig {
    let mut rig = Rig::new();
    rig.register(0, &params("bs.example", true)).unwrap();
    // CON POST /bs?ep=ep1: Uri-Path (11) "bs", Uri-Query (15, delta 4) "ep=ep1".
    assert_eq!(
        rig.last_sent(),
        [0x44, 0x02, 0x80, 0x00, 0x00, 0x00, 0x80, 0x00, 0xb2, b'b', b's', 0x46, b'e', b'p', b'=', b'e', b'p', b'1']
    );
    assert_eq!(rig.client.phase(), Phase::Bootstrapping);
    assert_eq!(rig.take_events(), [ev(Event::BootstrapStarted)]);
    rig.input(50, &piggybacked(Code::CHANGED, 0x8000, &TOKEN));
    assert!(rig.take_events().is_empty());
    rig
}

#[test]
fn bootstrap_full_flow_then_register() {
    let mut rig = bootstrapping();
    assert_eq!(
        rig.serve(100, Code::DELETE, 0x0100, b"", None, b""),
        [0x60, 0x42, 0x01, 0x00]
    );
    // /0/0: the Bootstrap-Server's own account (ignored).
    let bs_account = [res(0, b"coap://bs.example:5683"), res(1, &[1]), res(2, &[3])].concat();
    assert_eq!(
        rig.serve(110, Code::PUT, 0x0101, b"0/0", TLV, &bs_account),
        [0x60, 0x44, 0x01, 0x01]
    );
    // /0/1: the LwM2M Server account.
    let server_account = [
        res(0, b"coap://lwm2m.example:5690"),
        res(1, &[0]),
        res(2, &[3]),
        res(10, &[101]),
    ]
    .concat();
    assert_eq!(
        rig.serve(120, Code::PUT, 0x0102, b"0/1", TLV, &server_account),
        [0x60, 0x44, 0x01, 0x02]
    );
    // /1/0: short id 101, lifetime 120, binding UQ.
    let server = [res(0, &[101]), res(1, &[120]), res(7, b"UQ")].concat();
    assert_eq!(
        rig.serve(130, Code::PUT, 0x0103, b"1/0", TLV, &server),
        [0x60, 0x44, 0x01, 0x03]
    );
    assert!(rig.take_events().is_empty());
    // Bootstrap-Finish: 2.04 on the bootstrap endpoint, then Register on a
    // new endpoint to the bootstrapped server.
    rig.net.sent.clear();
    rig.input(140, &request(Type::Con, Code::POST, 0x0104, &[], b"bs", None, b""));
    assert_eq!(rig.net.sent[0], (0, vec![0x60, 0x44, 0x01, 0x04]));
    assert_eq!(rig.take_events(), [ev(Event::BootstrapFinished)]);
    assert_eq!(rig.net.closed, [0]);
    assert_eq!(
        rig.net.opened,
        [("bs.example".to_string(), 5683), ("lwm2m.example".to_string(), 5690)]
    );
    let (endpoint, register) = rig.net.sent[1].clone();
    assert_eq!(endpoint, 1);
    let reg = Repr::parse(&register).unwrap();
    let queries: Vec<&[u8]> = reg.options.uri_query().collect();
    assert_eq!(queries, [&b"ep=ep1"[..], b"lt=120", b"lwm2m=1.0", b"b=UQ"]);
    assert_eq!(rig.client.phase(), Phase::Registering);
    rig.input(200, &created(reg.message_id, reg.token));
    assert_eq!(rig.take_events(), [ev(Event::Registered)]);
    assert_eq!(rig.client.server(), (&b"lwm2m.example"[..], 5690));
    assert_eq!(rig.client.short_server_id(), 101);
    assert_eq!(rig.client.security_mode(), 3);
    assert_eq!(rig.client.remaining_lifetime_s(200), 120);
    assert_eq!(rig.client.usage().exchanges, 0);
}

#[test]
fn bootstrap_object_level_write_and_coaps_default_port() {
    let mut rig = bootstrapping();
    // PUT /0 with two object-instance records: 0 = bootstrap, 1 = server.
    let inst = |id: u8, body: Vec<u8>| [vec![0x08, id, body.len() as u8], body].concat();
    let payload = [
        inst(0, [res(0, b"coap://bs.example"), res(1, &[1])].concat()),
        inst(
            1,
            [res(0, b"coaps://secure.example"), res(1, &[0]), res(2, &[0])].concat(),
        ),
    ]
    .concat();
    assert_eq!(
        rig.serve(100, Code::PUT, 0x0200, b"0", TLV, &payload),
        [0x60, 0x44, 0x02, 0x00]
    );
    rig.input(110, &request(Type::Con, Code::POST, 0x0201, &[], b"bs", None, b""));
    assert_eq!(rig.net.opened[1], ("secure.example".to_string(), 5684));
    assert_eq!(rig.client.security_mode(), 0);
}

#[test]
fn bootstrap_failures() {
    // 4.xx to the Bootstrap-Request.
    let mut rig = Rig::new();
    rig.register(0, &params("bs.example", true)).unwrap();
    rig.take_events();
    rig.input(10, &piggybacked(Code::BAD_REQUEST, 0x8000, &TOKEN));
    assert_eq!(rig.take_events(), [ev(Event::BootstrapFailed)]);
    assert_eq!(rig.client.usage(), Usage::default());

    // No Finish within BOOTSTRAP_IDLE_MS of the last server message.
    let mut rig = bootstrapping();
    assert_eq!(rig.poll(60), 50 + lwat::lwm2m::BOOTSTRAP_IDLE_MS);
    rig.serve(1_000, Code::DELETE, 0x0300, b"0", None, b"");
    assert_eq!(rig.poll(1_000), 1_000 + lwat::lwm2m::BOOTSTRAP_IDLE_MS);
    assert!(rig.take_events().is_empty());
    assert_eq!(rig.poll(61_000), u64::MAX);
    assert_eq!(rig.take_events(), [ev(Event::BootstrapFailed)]);
    assert_eq!(rig.client.phase(), Phase::Idle);

    // A bad URI is refused (4.00) and changes nothing; Finish without a
    // server account is 4.06 Not Acceptable.
    let mut rig = bootstrapping();
    let bad = [res(0, b"http://x"), res(1, &[0])].concat();
    assert_eq!(
        rig.serve(100, Code::PUT, 0x0400, b"0/1", TLV, &bad),
        [0x60, 0x80, 0x04, 0x00]
    );
    assert_eq!(
        rig.serve(110, Code::GET, 0x0401, b"0/1", None, b""),
        [0x60, 0x80, 0x04, 0x01]
    );
    assert_eq!(
        rig.serve(120, Code::POST, 0x0402, b"bs", None, b""),
        [0x60, 0x86, 0x04, 0x02]
    );
    assert_eq!(rig.take_events(), [ev(Event::BootstrapFailed)]);
    assert_eq!(rig.client.usage(), Usage::default());

    // The MCU's timeout bounds the bootstrap too.
    let mut rig = Rig::new();
    let p = RegisterParams {
        timeout_ms: Some(10_000),
        ..params("bs.example", true)
    };
    rig.register(0, &p).unwrap();
    rig.input(50, &piggybacked(Code::CHANGED, 0x8000, &TOKEN));
    assert_eq!(rig.poll(100), 10_000);
    rig.poll(10_000);
    assert_eq!(
        rig.take_events(),
        [ev(Event::BootstrapStarted), ev(Event::BootstrapFailed)]
    );
}

#[test]
fn client_state_size() {
    // Budget: the whole engine state is <= 6 KiB (BRIEF.md).
    let size = std::mem::size_of::<Client>();
    // 2 exchanges × 512 B kept datagrams dominate (see EXCHANGE_DATAGRAM_MAX).
    assert!(size <= 2_200, "Client is {size} bytes");
}

#[test]
fn registration_update_trigger_sends_an_update() {
    let mut rig = Rig::new();
    rig.registered(0, &params("srv", false));
    rig.input(100, &request(Type::Con, Code::POST, 0x4444, &[], b"1/0/8", None, b""));
    // 2.04 first, then the Update (POST /rd/abc, mid 0x8001).
    let sent: Vec<Vec<u8>> = rig.net.sent.iter().map(|(_, d)| d.clone()).collect();
    assert_eq!(sent[0], [0x60, 0x44, 0x44, 0x44]);
    assert_eq!(
        sent[1],
        [0x44, 0x02, 0x80, 0x01, 0x00, 0x00, 0x80, 0x00, 0xb2, b'r', b'd', 0x03, b'a', b'b', b'c']
    );
    rig.input(200, &piggybacked(Code::CHANGED, 0x8001, &TOKEN));
    assert_eq!(
        rig.take_events(),
        [ev(Event::Updated {
            mid: 0x8001,
            trigger: Trigger::Server
        })]
    );
}

/// The MCU's RAI reaches udp_send unchanged with the request it was given
/// for and that request's retransmissions; later requests go with 0.
#[test]
fn rai_goes_with_one_request_and_its_retransmissions() {
    let mut rig = Rig::new();
    rig.registered(0, &params("srv", false));
    rig.net.rai.clear();
    rig.client.set_rai(2);
    let mid = rig.client.update(&mut rig.net, 100, Some(600), None, None).unwrap();
    // First retransmission at 100 + 2000 × 1.25.
    rig.poll(2_600);
    assert_eq!(rig.net.rai, [2, 2]);
    rig.input(2_700, &piggybacked(Code::CHANGED, mid, &TOKEN));
    rig.take_events();
    rig.client.update(&mut rig.net, 3_000, Some(700), None, None).unwrap();
    assert_eq!(rig.net.rai, [2, 2, 0]);
}

/// seed 003 `<auto_update>` 0: at nine tenths of the lifetime the MCU is
/// told an Update is needed, once, and nothing is sent.
#[test]
fn announce_policy_tells_the_mcu_once_and_sends_nothing() {
    let mut rig = Rig::new();
    let p = RegisterParams {
        lifetime_s: 100,
        update_policy: Some(UpdatePolicy::AnnounceAtNineTenths),
        ..params("srv", false)
    };
    rig.registered(0, &p);
    // Registered at 10 ms: due at 10 + 90 000.
    assert_eq!(rig.poll(20), 90_010);
    assert_eq!(rig.poll(90_010), 100_010, "then only the expiry is left");
    assert_eq!(rig.take_events(), [ev(Event::UpdateNeeded { remaining_s: 10 })]);
    assert!(rig.net.sent.is_empty());
    assert_eq!(rig.poll(95_000), 100_010);
    assert_eq!(rig.take_events(), Vec::<String>::new());
}

/// Every way into Idle leaves nothing due: no exchange, no timer (an idle
/// poll does nothing and returns at once).
#[test]
fn idle_has_nothing_due() {
    fn check(rig: &mut Rig, why: &str) {
        assert_eq!(rig.client.phase(), Phase::Idle, "{why}");
        assert_eq!(rig.client.usage(), Usage::default(), "{why}");
        assert_eq!(rig.client.next_deadline(), u64::MAX, "{why}");
        rig.take_events();
        rig.net.sent.clear();
        assert_eq!(rig.poll(u64::MAX - 1), u64::MAX, "{why}");
        assert!(rig.take_events().is_empty(), "{why}");
        assert!(rig.net.sent.is_empty(), "{why}");
    }
    let mut rig = Rig::new();
    check(&mut rig, "new");
    let timed = RegisterParams {
        timeout_ms: Some(5_000),
        update_policy: Some(UpdatePolicy::NineTenths),
        ..params("srv", false)
    };
    // Register refused, timed out, reset; de-registered before and after.
    rig.register(0, &timed).unwrap();
    rig.input(1, &piggybacked(Code::FORBIDDEN, rig.client_mid(), &TOKEN));
    check(&mut rig, "refused");
    rig.register(0, &timed).unwrap();
    rig.poll(5_000);
    check(&mut rig, "register timeout");
    rig.register(0, &timed).unwrap();
    rig.input(1, &[0x70, 0x00, (rig.client_mid() >> 8) as u8, rig.client_mid() as u8]);
    check(&mut rig, "reset");
    rig.register(0, &timed).unwrap();
    rig.deregister(1).unwrap();
    check(&mut rig, "closed before registered");
    rig.registered(0, &timed);
    rig.deregister(20).unwrap();
    rig.input(30, &piggybacked(Code::DELETED, rig.client_mid(), &TOKEN));
    check(&mut rig, "deregistered");
    // Update answered 4.04, lifetime run out, aborted.
    rig.registered(0, &timed);
    let mid = rig.client.update(&mut rig.net, 20, None, None, None).unwrap();
    rig.input(30, &piggybacked(Code::NOT_FOUND, mid, &TOKEN));
    check(&mut rig, "update 4.04");
    rig.registered(0, &timed);
    rig.poll(300_010);
    check(&mut rig, "lifetime expired");
    rig.registered(0, &timed);
    rig.input(20, &[0x40, 0x01, 0x12, 0x34]);
    rig.client.abort(&mut rig.net);
    check(&mut rig, "aborted");
    // Bootstrap failed.
    rig.register(
        0,
        &RegisterParams {
            bootstrap: true,
            ..timed
        },
    )
    .unwrap();
    rig.poll(5_000);
    check(&mut rig, "bootstrap failed");
}
