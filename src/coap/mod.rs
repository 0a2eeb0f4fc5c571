//! CoAP (RFC 7252): message codec and message layer. Arrives with the
//! registration work.
