//! The response lines of one command, gathered before anything is printed:
//! a handler that fails half-way leaves no partial output, and the handlers
//! need not be generic over the host (one copy of each in flash).

use super::fields::{Spans, TestField};
use crate::at::writer::format_u64;
use crate::config::{AUTHCODE_MAX, HOST_MAX, PSK_MAX};
use heapless::Vec;

/// Enough for the longest MIPL response line (`+MIPLDEVINFO` with host,
/// auth code and PSK at their capacities) plus framing.
pub const REPLY_MAX: usize = HOST_MAX + AUTHCODE_MAX + PSK_MAX + 64;

/// Response text in the making (`\r\n+NAME: ...\r\n` lines).
pub struct Reply {
    colon: &'static [u8],
    buf: Vec<u8, REPLY_MAX>,
    overflow: bool,
}

impl Reply {
    /// An empty reply; `colon` is the profile's `": "`.
    pub fn new(colon: &'static [u8]) -> Self {
        Reply {
            colon,
            buf: Vec::new(),
            overflow: false,
        }
    }

    /// Starts a line `\r\n+NAME: `.
    pub fn begin(&mut self, name: &[u8]) -> &mut Self {
        let colon = self.colon;
        self.text(b"\r\n+").text(name).text(colon)
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

    /// A decimal number.
    pub fn uint(&mut self, v: u64) -> &mut Self {
        let mut digits = [0u8; 20];
        let n = format_u64(v, &mut digits);
        self.text(digits.get(digits.len() - n..).unwrap_or(b""))
    }

    /// A `=?` field list: `(0),(0-65535),<insBitmap>`.
    pub fn test_fields(&mut self, fields: &[TestField]) -> &mut Self {
        for (i, field) in fields.iter().enumerate() {
            if i > 0 {
                self.text(b",");
            }
            match *field {
                TestField::Int(spans) => self.spans(spans),
                TestField::Name(name) => self.text(name),
            };
        }
        self
    }

    fn spans(&mut self, spans: Spans) -> &mut Self {
        self.text(b"(");
        for (i, &(lo, hi)) in spans.iter().enumerate() {
            if i > 0 {
                self.text(b",");
            }
            self.uint(lo as u64);
            if hi != lo {
                self.text(b"-").uint(hi as u64);
            }
        }
        self.text(b")")
    }

    /// The finished text, or `None` when it did not fit.
    pub fn bytes(&self) -> Option<&[u8]> {
        (!self.overflow).then_some(&self.buf[..])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_form_text() {
        let mut r = Reply::new(b": ");
        r.begin(b"MIPLOPEN")
            .test_fields(&[
                TestField::Int(&[(0, 0)]),
                TestField::Int(&[(0, 0), (15, 268435455)]),
                TestField::Int(&[(0, 1)]),
                TestField::Name(b"<value>"),
            ])
            .end();
        assert_eq!(
            r.bytes().unwrap(),
            b"\r\n+MIPLOPEN: (0),(0,15-268435455),(0-1),<value>\r\n"
        );
    }

    #[test]
    fn overflow_is_reported() {
        let mut r = Reply::new(b": ");
        r.text(&[b'x'; REPLY_MAX + 1]);
        assert!(r.bytes().is_none());
    }
}
