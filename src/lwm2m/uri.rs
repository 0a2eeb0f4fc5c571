//! The LwM2M Server URI of a Security instance (/0/x/0): `coap://host:port`
//! or `coaps://host:port`, host a name, IPv4 or `[IPv6]`.

use super::decimal;

/// RFC 7252 §6.1: default port of `coap://`.
pub const COAP_PORT: u16 = 5683;
/// RFC 7252 §6.2: default port of `coaps://` (the next one: the parser
/// adds 1 for the `s`).
pub const COAPS_PORT: u16 = 5684;
const _: () = assert!(COAPS_PORT == COAP_PORT + 1);

/// A parsed server URI, borrowing the host from the input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ServerUri<'a> {
    /// Host name or address (IPv6 without its brackets).
    pub host: &'a [u8],
    /// Port (the scheme's default when absent).
    pub port: u16,
    /// `coaps`: the server expects DTLS.
    pub secure: bool,
}

/// Parses `coap[s]://host[:port][/]`; `None` for anything else.
pub fn parse(uri: &[u8]) -> Option<ServerUri<'_>> {
    let (rest, secure) = if let Some(rest) = uri.strip_prefix(b"coap://") {
        (rest, false)
    } else {
        (uri.strip_prefix(b"coaps://")?, true)
    };
    let rest = rest.strip_suffix(b"/").unwrap_or(rest);
    let (host, port) = if let Some(v6) = rest.strip_prefix(b"[") {
        let close = v6.iter().position(|&b| b == b']')?;
        (v6.get(..close)?, v6.get(close + 1..)?)
    } else {
        match rest.iter().position(|&b| b == b':') {
            Some(colon) => (rest.get(..colon)?, rest.get(colon..)?),
            None => (rest, &[][..]),
        }
    };
    let port = match port {
        [] => COAP_PORT + u16::from(secure),
        [b':', digits @ ..] => decimal(digits, 65535)? as u16,
        _ => return None,
    };
    if host.is_empty() || crate::bytes::has_byte(host, b'/') || port == 0 {
        return None;
    }
    Some(ServerUri { host, port, secure })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(uri: &str) -> (String, u16, bool) {
        let u = parse(uri.as_bytes()).unwrap();
        (String::from_utf8(u.host.to_vec()).unwrap(), u.port, u.secure)
    }

    #[test]
    fn schemes_hosts_ports() {
        assert_eq!(ok("coap://183.230.40.39:5683"), ("183.230.40.39".into(), 5683, false));
        assert_eq!(ok("coap://lwm2m.example"), ("lwm2m.example".into(), 5683, false));
        assert_eq!(ok("coaps://lwm2m.example"), ("lwm2m.example".into(), 5684, true));
        assert_eq!(ok("coap://h:1/"), ("h".into(), 1, false));
        assert_eq!(ok("coap://[2001:db8::1]:5690"), ("2001:db8::1".into(), 5690, false));
        assert_eq!(ok("coaps://[::1]"), ("::1".into(), 5684, true));
    }

    #[test]
    fn rejects() {
        for bad in [
            "",
            "http://h",
            "coap://",
            "coap://:5683",
            "coap://h:",
            "coap://h:0",
            "coap://h:65536",
            "coap://h:x1",
            "coap://h/rd",
            "coap://[::1",
            "coap://[::1]x",
            "coap:/h",
        ] {
            assert_eq!(parse(bad.as_bytes()), None, "{bad}");
        }
    }
}
