//! CoRE link-format (RFC 6690, Content-Format 40) as LwM2M uses it: the
//! registration payload `</>;rt="oma.lwm2m",</3/0>,</3311/0>` and Discover
//! answers.

use super::Error;
use crate::at::writer::format_u64;

/// Content-Format number of link-format.
pub const CONTENT_FORMAT: u16 = 40;

/// Appends links to a caller's buffer.
pub struct LinkWriter<'a> {
    buf: &'a mut [u8],
    len: usize,
}

impl<'a> LinkWriter<'a> {
    /// A writer over `buf`.
    pub fn new(buf: &'a mut [u8]) -> Self {
        LinkWriter { buf, len: 0 }
    }

    /// Bytes written so far.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when nothing was written.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The links written so far.
    pub fn as_bytes(&self) -> &[u8] {
        self.buf.get(..self.len).unwrap_or_default()
    }

    fn raw(&mut self, text: &[u8]) -> Result<(), Error> {
        let end = self.len + text.len();
        let dst = self.buf.get_mut(self.len..end).ok_or(Error::NoSpace)?;
        // (zip, not copy_from_slice: no length-mismatch panic path)
        for (d, s) in dst.iter_mut().zip(text) {
            *d = *s;
        }
        self.len = end;
        Ok(())
    }

    /// Appends `</a/b/c>` (or `</>` for an empty path), with a comma before
    /// every link but the first. On error nothing is appended.
    pub fn link(&mut self, path: &[u16]) -> Result<&mut Self, Error> {
        let start = self.len;
        let result = self.link_inner(path);
        if result.is_err() {
            self.len = start;
        }
        result.map(|_| self)
    }

    fn link_inner(&mut self, path: &[u16]) -> Result<(), Error> {
        if self.len > 0 {
            self.raw(b",")?;
        }
        self.raw(b"<")?;
        if path.is_empty() {
            self.raw(b"/")?;
        }
        for &segment in path {
            let mut digits = [0u8; 20];
            let n = format_u64(segment as u64, &mut digits);
            self.raw(b"/")?;
            self.raw(digits.get(digits.len() - n..).unwrap_or_default())?;
        }
        self.raw(b">")
    }

    /// Appends links already in link-format (a constant head); on error
    /// nothing is appended.
    pub fn text(&mut self, links: &[u8]) -> Result<&mut Self, Error> {
        let start = self.len;
        let result = self
            .raw(if start > 0 { b"," } else { b"" })
            .and_then(|_| self.raw(links));
        if result.is_err() {
            self.len = start;
        }
        result.map(|_| self)
    }

    /// Appends `;attr` to the last link (`rt="oma.lwm2m"`).
    pub fn attr(&mut self, attr: &[u8]) -> Result<&mut Self, Error> {
        let start = self.len;
        let result = self.raw(b";").and_then(|_| self.raw(attr));
        if result.is_err() {
            self.len = start;
        }
        result.map(|_| self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registration_payload() {
        let mut buf = [0u8; 64];
        let mut w = LinkWriter::new(&mut buf);
        w.link(&[]).unwrap().attr(b"rt=\"oma.lwm2m\"").unwrap();
        w.link(&[3, 0]).unwrap();
        w.link(&[3311, 0]).unwrap().link(&[3311, 1]).unwrap();
        assert_eq!(w.as_bytes(), b"</>;rt=\"oma.lwm2m\",</3/0>,</3311/0>,</3311/1>");
        w.text(b"</5/0>").unwrap();
        assert!(w.as_bytes().ends_with(b",</3311/1>,</5/0>"));
    }

    #[test]
    fn full_buffer_appends_nothing() {
        let mut buf = [0u8; 12];
        let mut w = LinkWriter::new(&mut buf);
        w.link(&[3, 0]).unwrap();
        assert_eq!(w.link(&[3311, 0]).err(), Some(Error::NoSpace));
        assert_eq!(w.as_bytes(), b"</3/0>");
        assert_eq!(w.attr(b"rt=\"oma.lwm2m\"").err(), Some(Error::NoSpace));
        assert_eq!(w.as_bytes(), b"</3/0>");
    }
}
