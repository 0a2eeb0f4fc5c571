//! The bytes of in-flight exchanges that cannot be rebuilt from the
//! client's state: the registration links (the MCU's object list is only at
//! hand when the request starts) and a separate CON response (the MCU's
//! payload). Everything else is re-encoded on retransmission.
//!
//! One buffer of [`EXCHANGE_DATAGRAM_MAX`] bytes serves both ends: the
//! links of the one registration-family request grow from the front, the
//! one separate response sits at the back. They only collide when both
//! together exceed the buffer (then the later one is refused).

use super::super::{EXCHANGES, EXCHANGE_DATAGRAM_MAX};

// One registration-family request plus one separate response: the two ends.
const _: () = assert!(EXCHANGES == 2);

/// The shared retransmission buffer.
#[derive(Clone, Debug)]
pub(super) struct Kept {
    buf: [u8; EXCHANGE_DATAGRAM_MAX],
    links_len: u16,
    response_len: u16,
}

impl Kept {
    pub const fn new() -> Kept {
        Kept {
            buf: [0; EXCHANGE_DATAGRAM_MAX],
            links_len: 0,
            response_len: 0,
        }
    }

    /// Forgets everything kept (the bytes stay, unread).
    pub fn clear(&mut self) {
        self.links_len = 0;
        self.response_len = 0;
    }

    /// Room for new links: everything before the kept response.
    pub fn links_room(&mut self) -> &mut [u8] {
        let end = EXCHANGE_DATAGRAM_MAX - usize::from(self.response_len);
        self.buf.get_mut(..end).unwrap_or_default()
    }

    /// Records that the first `len` bytes of [`Kept::links_room`] are the
    /// links of the current registration-family request (0: none).
    pub fn set_links(&mut self, len: usize) {
        self.links_len = len as u16;
    }

    /// The links of the registration-family request in flight.
    pub fn links(&self) -> &[u8] {
        self.buf.get(..usize::from(self.links_len)).unwrap_or_default()
    }

    /// Keeps a separate response for retransmission; false when it does
    /// not fit beside the links.
    pub fn keep_response(&mut self, datagram: &[u8]) -> bool {
        let Some(start) = EXCHANGE_DATAGRAM_MAX.checked_sub(datagram.len()) else {
            return false;
        };
        if start < usize::from(self.links_len) {
            return false;
        }
        let Some(dst) = self.buf.get_mut(start..) else {
            return false;
        };
        for (d, s) in dst.iter_mut().zip(datagram) {
            *d = *s;
        }
        self.response_len = datagram.len() as u16;
        true
    }

    /// Room left for a response beside the links.
    pub fn response_room(&self) -> usize {
        EXCHANGE_DATAGRAM_MAX - usize::from(self.links_len)
    }

    /// The kept separate response.
    pub fn response(&self) -> &[u8] {
        let start = EXCHANGE_DATAGRAM_MAX - usize::from(self.response_len);
        self.buf.get(start..).unwrap_or_default()
    }

    /// Forgets the response (its exchange ended).
    pub fn drop_response(&mut self) {
        self.response_len = 0;
    }
}
