//! Writes AT responses and URCs through the host, without `core::fmt`.
//!
//! Every line goes out as `<CR><LF>text<CR><LF>` (seed 001 §2.1). Text is
//! gathered in a small stack buffer and handed to the host when a line ends
//! or the buffer fills, so a line usually reaches `at_output` in one call.

use crate::host::Host;

const CHUNK: usize = 96;

/// A response writer borrowing the host for the duration of one entry point.
pub struct Writer<'h, H: Host + ?Sized> {
    host: &'h mut H,
    buf: [u8; CHUNK],
    len: usize,
}

impl<'h, H: Host + ?Sized> Writer<'h, H> {
    /// A writer over `host`.
    pub fn new(host: &'h mut H) -> Self {
        Writer {
            host,
            buf: [0; CHUNK],
            len: 0,
        }
    }

    /// The host, for calls other than text output. Pending text is flushed first.
    pub fn host(&mut self) -> &mut H {
        self.flush();
        self.host
    }

    /// Begins a line (`<CR><LF>`).
    pub fn start(&mut self) -> &mut Self {
        self.text(b"\r\n")
    }

    /// Ends a response line and hands it to the host.
    pub fn end(&mut self) {
        self.text(b"\r\n");
        self.flush();
    }

    /// Ends an unsolicited line (URC) and tells the host one was written.
    pub fn end_urc(&mut self) {
        self.end();
        self.host.urc_written();
    }

    /// A complete response line.
    pub fn line(&mut self, text: &[u8]) {
        self.start().text(text).end();
    }

    /// The final `OK`.
    pub fn ok(&mut self) {
        self.line(b"OK");
    }

    /// Raw text.
    pub fn text(&mut self, mut text: &[u8]) -> &mut Self {
        while !text.is_empty() {
            if self.len == CHUNK {
                self.flush();
            }
            let n = (CHUNK - self.len).min(text.len());
            self.buf[self.len..self.len + n].copy_from_slice(&text[..n]);
            self.len += n;
            text = &text[n..];
        }
        self
    }

    /// One byte of text.
    pub fn byte(&mut self, b: u8) -> &mut Self {
        self.text(&[b])
    }

    /// `"text"`.
    pub fn quoted(&mut self, text: &[u8]) -> &mut Self {
        self.byte(b'"').text(text).byte(b'"')
    }

    /// An unsigned decimal number.
    pub fn uint(&mut self, value: u64) -> &mut Self {
        let mut digits = [0u8; 20];
        let n = format_u64(value, &mut digits);
        self.text(&digits[digits.len() - n..])
    }

    /// A signed decimal number.
    pub fn int(&mut self, value: i64) -> &mut Self {
        if value < 0 {
            self.byte(b'-');
        }
        self.uint(value.unsigned_abs())
    }

    /// Bytes as upper-case hex digits (`E309C8`).
    pub fn hex(&mut self, bytes: &[u8]) -> &mut Self {
        const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
        for &b in bytes {
            self.byte(DIGITS[(b >> 4) as usize]).byte(DIGITS[(b & 15) as usize]);
        }
        self
    }

    /// Hands buffered text to the host.
    pub fn flush(&mut self) {
        if self.len > 0 {
            self.host.at_output(&self.buf[..self.len]);
            self.len = 0;
        }
    }
}

impl<H: Host + ?Sized> Drop for Writer<'_, H> {
    fn drop(&mut self) {
        self.flush();
    }
}

/// Writes `value` right-aligned into `out`; returns the digit count.
pub fn format_u64(mut value: u64, out: &mut [u8; 20]) -> usize {
    let mut i = out.len();
    loop {
        i -= 1;
        out[i] = b'0' + (value % 10) as u8;
        value /= 10;
        if value == 0 {
            return out.len() - i;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::host::tests::Recorder;

    #[test]
    fn lines() {
        let mut host = Recorder::default();
        {
            let mut w = Writer::new(&mut host);
            w.start().text(b"+MIPLCREATE: ").uint(0).end();
            w.ok();
            w.start()
                .text(b"+X: ")
                .int(-12)
                .byte(b',')
                .int(i64::MIN)
                .byte(b',')
                .hex(&[0xE3, 0x09])
                .end_urc();
        }
        assert_eq!(
            host.text(),
            "\r\n+MIPLCREATE: 0\r\n\r\nOK\r\n\r\n+X: -12,-9223372036854775808,E309\r\n"
        );
        assert_eq!(host.urcs, 1);
    }

    #[test]
    fn long_line_spans_chunks() {
        let mut host = Recorder::default();
        let long = [b'a'; 300];
        Writer::new(&mut host).line(&long);
        assert_eq!(host.out.len(), 304);
    }
}
