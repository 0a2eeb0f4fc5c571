//! NV records: `magic | schema | len | payload | crc32`, written to two
//! alternating slots so a power cut during a write never loses the last good
//! record. Payloads are postcard-encoded.
