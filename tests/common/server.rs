//! A scripted LwM2M server on our CoAP codec: decode what the engine sent,
//! answer it, send it requests. Exact bytes either way.

use super::Module;
use lwat::coap::{number, Builder, Code, Repr, Type};

/// Content-Format of TLV payloads.
pub const TLV: u32 = 11542;

/// One request the engine sent, decoded.
#[derive(Debug)]
pub struct Sent {
    pub endpoint: i32,
    pub ty: Type,
    pub code: Code,
    pub mid: u16,
    pub token: Vec<u8>,
    pub path: String,
    pub query: Vec<String>,
    pub auth_code: Option<Vec<u8>>,
    pub payload: Vec<u8>,
}

/// Bytes as text (lossy).
pub fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// The `n`th datagram the engine sent, decoded.
pub fn sent(m: &Module, n: usize) -> Sent {
    let (endpoint, bytes, _) = &m.host.sent[n];
    let r = Repr::parse(bytes).expect("engine sent a valid CoAP message");
    Sent {
        endpoint: *endpoint,
        ty: r.ty,
        code: r.code,
        mid: r.message_id,
        token: r.token.to_vec(),
        path: r.options.uri_path().map(text).collect::<Vec<_>>().join("/"),
        query: r.options.uri_query().map(text).collect(),
        auth_code: r.options.first(63).map(|v| v.to_vec()),
        payload: r.payload.to_vec(),
    }
}

/// The last datagram the engine sent, decoded.
pub fn last(m: &Module) -> Sent {
    sent(m, m.host.sent.len() - 1)
}

/// Feeds a datagram on the endpoint opened last; returns what was printed.
pub fn input(m: &mut Module, datagram: &[u8]) -> String {
    let endpoint = m.host.opened.len() as i32 - 1;
    m.engine.udp_input(&mut m.host, m.now_ms, endpoint, datagram);
    m.host.take()
}

/// Answers `req` with a piggybacked `code` (Location-Path `location`).
pub fn answer(m: &mut Module, req: &Sent, code: Code, location: &str) -> String {
    let mut buf = [0u8; 128];
    let mut b = Builder::new(&mut buf, Type::Ack, code, req.mid, &req.token).unwrap();
    b.path(number::LOCATION_PATH, location.as_bytes()).unwrap();
    let n = b.finish(&[]).unwrap();
    input(m, &buf[..n])
}

/// A CON request from the server.
pub fn request(m: &mut Module, code: Code, mid: u16, path: &str, payload: &[u8]) -> String {
    let mut buf = [0u8; 256];
    let mut b = Builder::new(&mut buf, Type::Con, code, mid, &[0x42]).unwrap();
    b.path(number::URI_PATH, path.as_bytes()).unwrap();
    if !payload.is_empty() {
        b.uint_option(number::CONTENT_FORMAT, TLV).unwrap();
    }
    let n = b.finish(payload).unwrap();
    input(m, &buf[..n])
}

/// A TLV resource record (LwM2M 1.0 §6.4.3): 8-bit id, length up to 255.
pub fn res(id: u8, value: &[u8]) -> Vec<u8> {
    let mut r = if value.len() <= 7 {
        vec![0xc0 | value.len() as u8, id]
    } else {
        vec![0xc8, id, value.len() as u8]
    };
    r.extend_from_slice(value);
    r
}

/// Sends `line` and checks the exact lines printed.
pub fn at(m: &mut Module, line: &str, expected: &[&str]) {
    assert_eq!(m.at(line), super::framed(expected), "{line}");
}

/// Polls at every deadline the engine names up to `until` (inclusive), as
/// firmware would; returns everything printed.
pub fn run_until(m: &mut Module, until: u64) -> String {
    let mut printed = String::new();
    loop {
        let wait = m.engine.poll(&mut m.host, m.now_ms);
        printed += &m.host.take();
        if m.now_ms >= until {
            return printed;
        }
        m.now_ms = m.now_ms.saturating_add(wait.max(1)).min(until);
    }
}
