//! The LwM2M object model the MCU declares: objects, instances, resources and
//! the value type each resource was last declared with.

pub mod mipl;
pub mod qla;

/// Value types of the MIPL/QLA commands (seed 001 §3.9, seed 004 §3.8).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum ValueType {
    /// 1: string.
    String = 1,
    /// 2: opaque (hex text in, bytes on the wire).
    Opaque = 2,
    /// 3: integer.
    Integer = 3,
    /// 4: float.
    Float = 4,
    /// 5: boolean.
    Bool = 5,
    /// 6: hex string (onemo: hex text in, sent as a string).
    HexString = 6,
}

impl ValueType {
    /// The type for an AT `<type>` number.
    pub fn from_code(code: i64) -> Option<Self> {
        Some(match code {
            1 => ValueType::String,
            2 => ValueType::Opaque,
            3 => ValueType::Integer,
            4 => ValueType::Float,
            5 => ValueType::Bool,
            6 => ValueType::HexString,
            _ => return None,
        })
    }
}

/// The registered objects and instances, as the registration payload lists
/// them (`</3311/0>,</3311/1>`). Both dialects' object tables implement it.
pub trait ObjectList {
    /// Calls `f(object, instance)` for every registered instance, in order.
    fn for_each_instance(&self, f: &mut dyn FnMut(u16, u16));
}
