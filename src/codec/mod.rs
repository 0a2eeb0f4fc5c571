//! LwM2M content formats: TLV and link-format (text, opaque, JSON and SenML
//! arrive with the operations that need them).

pub mod link;
pub mod tlv;

/// Why a payload could not be decoded or encoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Error {
    /// The input ends in the middle of a record.
    Truncated,
    /// A value has a length its type does not allow.
    BadValue,
    /// The output buffer is too small.
    NoSpace,
}
