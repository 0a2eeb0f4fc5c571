//! The datagrams of the CON exchanges in flight, kept whole for
//! retransmission (RFC 7252 §4.2: a retransmission repeats the message):
//! the one registration-family request and the one separate CON response.
//! A retransmission resends the bytes; nothing is encoded twice, and every
//! message is encoded straight into this buffer (no stack copy).
//!
//! One buffer of [`EXCHANGE_DATAGRAM_MAX`] bytes serves both ends: the
//! request sits at the front, the response at the back. They only collide
//! when both together exceed the buffer (then the later one is refused).

use super::super::{EXCHANGES, EXCHANGE_DATAGRAM_MAX};

// One registration-family request plus one separate response: the two ends.
const _: () = assert!(EXCHANGES == 2);

/// The shared retransmission buffer.
// (The lengths first: the compiler put them after the buffer, beyond
// Thumb's short load/store offsets.)
#[derive(Clone, Debug)]
#[repr(C)]
pub(super) struct Kept {
    request_len: u16,
    response_len: u16,
    buf: [u8; EXCHANGE_DATAGRAM_MAX],
}

impl Kept {
    pub const fn new() -> Kept {
        Kept {
            buf: [0; EXCHANGE_DATAGRAM_MAX],
            request_len: 0,
            response_len: 0,
        }
    }

    /// Forgets everything kept (the bytes stay, unread).
    pub fn clear(&mut self) {
        self.request_len = 0;
        self.response_len = 0;
    }

    /// Room for a new request: everything before the kept response.
    pub fn request_room(&mut self) -> &mut [u8] {
        let end = EXCHANGE_DATAGRAM_MAX - usize::from(self.response_len);
        self.buf.get_mut(..end).unwrap_or_default()
    }

    /// Records that the first `len` bytes of [`Kept::request_room`] are the
    /// registration-family request in flight.
    pub fn set_request(&mut self, len: usize) {
        self.request_len = len as u16;
    }

    /// The registration-family request in flight.
    pub fn request(&self) -> &[u8] {
        self.buf.get(..usize::from(self.request_len)).unwrap_or_default()
    }

    /// Room for a response between the request and a kept response.
    pub fn free(&mut self) -> &mut [u8] {
        let end = EXCHANGE_DATAGRAM_MAX - usize::from(self.response_len);
        self.buf.get_mut(usize::from(self.request_len)..end).unwrap_or_default()
    }

    /// True when nothing is kept: [`Kept::free`] is the whole buffer.
    pub fn is_empty(&self) -> bool {
        self.request_len == 0 && self.response_len == 0
    }

    /// The last `len` bytes, where a separate response of that length is
    /// kept ([`Kept::set_response`]); the caller checked it fits
    /// [`Kept::free`].
    pub fn back(&mut self, len: usize) -> &mut [u8] {
        let start = EXCHANGE_DATAGRAM_MAX.saturating_sub(len);
        self.buf.get_mut(start..).unwrap_or_default()
    }

    /// Records that the last `len` bytes are the separate response in flight.
    pub fn set_response(&mut self, len: usize) {
        self.response_len = len as u16;
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
