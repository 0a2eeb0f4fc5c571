//! The response lines of one command, gathered before anything is printed:
//! a handler that fails half-way leaves no partial output, and the handlers
//! need not be generic over the host (one copy of each in flash).

use super::fields::{self, Rule};
use super::Flavor;
use crate::config::{AUTHCODE_MAX, HOST_MAX, PSK_MAX};
use heapless::Vec;

/// Enough for the longest MIPL response line (`+MIPLDEVINFO` with host,
/// auth code and PSK at their capacities) plus framing.
pub const REPLY_MAX: usize = HOST_MAX + AUTHCODE_MAX + PSK_MAX + 64;

/// Response text in the making (`\r\n+NAME: ...\r\n` lines).
pub struct Reply {
    colon: &'static [u8],
    /// The command's name without `MIP` (the command table keeps names
    /// without their common `MIP`); aliases answer with the real name.
    pub name: &'static [u8],
    buf: Vec<u8, REPLY_MAX>,
    overflow: bool,
}

impl Reply {
    /// An empty reply; `colon` is the profile's `": "`.
    pub fn new(colon: &'static [u8]) -> Self {
        Reply {
            colon,
            name: b"",
            buf: Vec::new(),
            overflow: false,
        }
    }

    /// Starts a line `\r\n+MIP<name>: `: every MIPL answer is named after
    /// its command (one copy of each name, in the command table).
    pub fn begin(&mut self) -> &mut Self {
        let (name, colon) = (self.name, self.colon);
        self.text(b"\r\n+MIP").text(name).text(colon)
    }

    /// Ends the current line.
    pub fn end(&mut self) {
        self.text(b"\r\n");
    }

    /// Raw text.
    pub fn text(&mut self, t: &[u8]) -> &mut Self {
        if self.buf.extend_from_slice(t).is_err() {
            self.overflow = true;
        }
        self
    }

    /// `"text"`.
    pub fn quoted(&mut self, t: &[u8]) -> &mut Self {
        self.text(b"\"").text(t).text(b"\"")
    }

    /// A decimal number, with the writer's digit loop (one copy in flash).
    pub fn uint(&mut self, v: u32) -> &mut Self {
        let mut digits = [0u8; 20];
        let n = crate::at::writer::format_u64(u64::from(v), &mut digits);
        self.text(digits.get(digits.len() - n..).unwrap_or_default())
    }

    /// `text`, then the number `v` (`,5683`): one call for the pair.
    pub fn field(&mut self, text: &[u8], v: u32) -> &mut Self {
        self.text(text).uint(v)
    }

    /// A `=?` field list, from the command's rules: `(0),(0-65535),<insBitmap>`.
    pub fn test_fields(&mut self, flavor: &Flavor, rules: &[Rule]) -> &mut Self {
        for (i, &rule) in rules.iter().enumerate() {
            if i > 0 {
                self.text(b",");
            }
            if rule & fields::TEXT != 0 {
                self.text(fields::name(rule));
            } else {
                self.spans(fields::spans(flavor, rule));
            }
        }
        self
    }

    fn spans(&mut self, spans: &[(u8, u8)]) -> &mut Self {
        self.text(b"(");
        for (i, (lo, hi)) in spans.iter().map(fields::span).enumerate() {
            if i > 0 {
                self.text(b",");
            }
            self.uint(lo);
            if hi != lo {
                self.text(b"-").uint(hi);
            }
        }
        self.text(b")")
    }

    /// The finished text, or `None` when it did not fit.
    pub fn bytes(&self) -> Option<&[u8]> {
        (!self.overflow).then_some(self.buf.as_slice())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_form_text() {
        use fields::{BOOL, LIFETIME, REF, VALUE};
        let mut r = Reply::new(b": ");
        r.name = b"LOPEN";
        r.begin()
            .test_fields(&super::super::BC260Y, &[REF, LIFETIME, BOOL, VALUE])
            .end();
        assert_eq!(
            r.bytes().unwrap(),
            b"\r\n+MIPLOPEN: (0),(0,15-268435455),(0,1),<value>\r\n"
        );
    }

    #[test]
    fn numbers() {
        let mut r = Reply::new(b": ");
        r.uint(0).text(b",").uint(u32::MAX).text(b",").uint(10);
        assert_eq!(r.bytes().unwrap(), b"0,4294967295,10");
    }

    #[test]
    fn overflow_is_reported() {
        let mut r = Reply::new(b": ");
        r.text(&[b'x'; REPLY_MAX + 1]);
        assert!(r.bytes().is_none());
    }
}
