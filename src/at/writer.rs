//! Writes AT responses and URCs through the host, without `core::fmt`.
//!
//! Every line goes out as `<CR><LF>text<CR><LF>` (seed 001 §2.1). Text is
//! gathered in a small stack buffer and handed to the host when a line ends
//! or the buffer fills, so a line usually reaches `at_output` in one call.

use crate::arith::div_rem10;
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
    // Inlined (three calls in a row): the out-of-line copy cost more than
    // its callers save.
    #[inline(always)]
    pub fn line(&mut self, text: &[u8]) {
        self.start().text(text).end();
    }

    /// The final `OK`.
    // Inlined: a call to `line` with its text is no longer than a call here.
    #[inline(always)]
    pub fn ok(&mut self) {
        self.line(b"OK");
    }

    /// Raw text.
    pub fn text(&mut self, mut text: &[u8]) -> &mut Self {
        while !text.is_empty() {
            if self.len >= CHUNK {
                self.flush();
            }
            let free = self.buf.get_mut(self.len..).unwrap_or_default();
            let n = free.len().min(text.len());
            let (head, rest) = text.split_at_checked(n).unwrap_or((text, &[]));
            // memcpy (linked anyway) instead of a byte loop of our own.
            if let Some(slots) = free.get_mut(..head.len()) {
                slots.copy_from_slice(head);
            }
            self.len += head.len();
            text = rest;
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
        self.text(digits.get(digits.len() - n..).unwrap_or_default())
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
        if let Some(pending) = self.buf.get(..self.len).filter(|p| !p.is_empty()) {
            self.host.at_output(pending);
        }
        self.len = 0;
    }
}

impl<H: Host + ?Sized> Drop for Writer<'_, H> {
    fn drop(&mut self) {
        self.flush();
    }
}

/// Divides by ten with 32-bit operations only: a u64 division would link
/// compiler-builtins' ~0.9 KiB `u64_div_rem` on Cortex-M, and a u32 one the
/// divide helper on Cortex-M0 (see [`crate::arith`]).
fn div10(value: u64) -> (u64, u8) {
    let (hi, lo) = ((value >> 32) as u32, value as u32);
    let (q_hi, r) = div_rem10(hi);
    let (lo_q, lo_r) = div_rem10(lo);
    // r·2³² + lo = 10·(r·429496729 + lo/10) + (6·r + lo%10), as 2³² = 10·429496729 + 6;
    // the quotient of r·2³² + lo (r < 10) is below 2³², so the sum cannot overflow.
    let (tail_q, digit) = div_rem10(6 * r + lo_r);
    let q_lo = r * 429_496_729 + lo_q + tail_q;
    ((q_hi as u64) << 32 | q_lo as u64, digit as u8)
}

/// Writes `value` right-aligned into `out`; returns the digit count.
pub fn format_u64(mut value: u64, out: &mut [u8; 20]) -> usize {
    let mut n = 0;
    for slot in out.iter_mut().rev() {
        let (quotient, digit) = div10(value);
        *slot = b'0' + digit;
        n += 1;
        value = quotient;
        if value == 0 {
            break;
        }
    }
    n
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
    fn decimal_digits_match_u64_division() {
        let mut values = std::vec![
            0,
            9,
            10,
            99,
            4_294_967_295,
            4_294_967_296,
            42_949_672_959,
            u64::MAX - 1,
            u64::MAX
        ];
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        for _ in 0..10_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            values.push(x >> (x % 64));
        }
        for v in values {
            let mut digits = [0u8; 20];
            let n = format_u64(v, &mut digits);
            assert_eq!(&digits[20 - n..], std::format!("{v}").as_bytes());
        }
    }

    #[test]
    fn long_line_spans_chunks() {
        let mut host = Recorder::default();
        let long = [b'a'; 300];
        Writer::new(&mut host).line(&long);
        assert_eq!(host.out.len(), 304);
    }
}
