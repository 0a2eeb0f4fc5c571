//! The response lines of one command. Every handler prints last, after its
//! checks (a failing command prints nothing of its own), so the text goes
//! straight to the writer: no buffer to fill and copy out.

use super::fields::{self, Rule};
use super::Flavor;
use crate::at::writer::Writer;
use crate::dialect::profile::COLON;
use crate::host::Host;

/// Where a reply's text goes: the AT writer (tests use a byte vector).
pub trait Out {
    /// Raw text.
    fn text(&mut self, t: &[u8]);
    /// A decimal number.
    fn uint(&mut self, v: u32);
    /// `"text"`.
    fn quoted(&mut self, t: &[u8]);
}

impl<H: Host + ?Sized> Out for Writer<'_, H> {
    fn text(&mut self, t: &[u8]) {
        Writer::text(self, t);
    }

    fn uint(&mut self, v: u32) {
        Writer::uint(self, u64::from(v));
    }

    fn quoted(&mut self, t: &[u8]) {
        Writer::quoted(self, t);
    }
}

/// Response text in the making (`\r\n+NAME: ...\r\n` lines).
pub struct Reply<'o, O: Out + ?Sized> {
    /// The command's name without `MIP` (the command table keeps names
    /// without their common `MIP`); aliases answer with the real name.
    pub name: &'static [u8],
    out: &'o mut O,
}

impl<'o, O: Out + ?Sized> Reply<'o, O> {
    /// An empty reply; the text goes to `out`.
    pub fn new(out: &'o mut O) -> Self {
        Reply { name: b"", out }
    }

    /// Starts a line `\r\n+MIP<name>: `: every MIPL answer is named after
    /// its command (one copy of each name, in the command table).
    pub fn begin(&mut self) -> &mut Self {
        let name = self.name;
        self.text(b"\r\n+MIP").text(name).text(COLON)
    }

    /// Ends the current line.
    pub fn end(&mut self) {
        self.text(b"\r\n");
    }

    /// Raw text. Out of line, like every method here: a call is smaller
    /// than the writer call it makes.
    #[inline(never)]
    pub fn text(&mut self, t: &[u8]) -> &mut Self {
        self.out.text(t);
        self
    }

    /// `"text"`.
    #[inline(never)]
    pub fn quoted(&mut self, t: &[u8]) -> &mut Self {
        self.out.quoted(t);
        self
    }

    /// A decimal number, with the writer's digit loop (one copy in flash).
    #[inline(never)]
    pub fn uint(&mut self, v: u32) -> &mut Self {
        self.out.uint(v);
        self
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
        // "(" before the first span, "," before the others
        let mut sep: &[u8] = b"(";
        for (lo, hi) in spans.iter().map(fields::span) {
            self.text(sep);
            sep = b",";
            self.uint(lo);
            if hi != lo {
                self.text(b"-").uint(hi);
            }
        }
        self.text(b")")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    impl Out for std::vec::Vec<u8> {
        fn text(&mut self, t: &[u8]) {
            self.extend_from_slice(t);
        }

        fn uint(&mut self, v: u32) {
            self.extend_from_slice(std::format!("{v}").as_bytes());
        }

        fn quoted(&mut self, t: &[u8]) {
            self.push(b'"');
            self.extend_from_slice(t);
            self.push(b'"');
        }
    }

    /// The text a reply built by `f` writes.
    fn written(name: &'static [u8], f: impl FnOnce(&mut Reply<'_, std::vec::Vec<u8>>)) -> std::vec::Vec<u8> {
        let mut out = std::vec::Vec::new();
        let mut r = Reply::new(&mut out);
        r.name = name;
        f(&mut r);
        out
    }

    #[test]
    fn test_form_text() {
        use fields::{BOOL, LIFETIME, REF, VALUE};
        let text = written(b"LOPEN", |r| {
            r.begin()
                .test_fields(&super::super::BC260Y, &[REF, LIFETIME, BOOL, VALUE])
                .end()
        });
        assert_eq!(text, b"\r\n+MIPLOPEN: (0),(0,15-268435455),(0,1),<value>\r\n");
    }

    /// Numbers go through the AT writer's digit loop.
    #[test]
    fn numbers() {
        let mut host = crate::host::tests::Recorder::default();
        {
            let mut w = Writer::new(&mut host);
            let mut r = Reply::new(&mut w);
            r.uint(0).text(b",").uint(u32::MAX).text(b",").uint(10);
            w.end();
        }
        assert_eq!(host.text(), "0,4294967295,10\r\n");
    }
}
