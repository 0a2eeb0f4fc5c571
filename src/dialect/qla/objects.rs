//! `AT+QLAADDOBJ` / `AT+QLADELOBJ`: the MCU's custom objects (seed 004 §3.6, §3.7).
//!
//! Ids may be quoted or bare (§3.6 writes `"0","1"`, §5.1 writes `0`).
//! Success prints `OK` then `+QLAADDOBJ: 0` as the syntax table and the §3.6
//! example do (the §5 examples leave that line out; a module prints it).
//! While registered the platform is told with an Update carrying the object
//! list (§3.6 "并通知平台") and the status line reports how that Update ended
//! (`<status_code>` is a chapter 6 network result); while registering, or
//! with another registration exchange in flight, the command is refused
//! with 15 (not ready; §3.6 note 3).
//!
//! Errors: a built-in object (0/1/3/4/5), a resource count that is zero or
//! above `QLA_MAX_RESOURCES`, a resource id given twice: `ParamValue` (3);
//! a parameter count that differs from `3 + <resource_number>`: `ParamCount`
//! (2); the object/instance exists already: `Exists` (3); a fourth object or
//! a fifth instance: `NoMemory` (1, "other error": seed 004 §6 has no
//! capacity code); deleting an object never added: `NotFound` (3).

use super::records::Kind;
use super::{begin, comma_uint, session, Context, Fields, State};
use crate::at::{Error, Param};
use crate::config::QLA_MAX_RESOURCES;
use crate::host::Host;
use crate::model::qla::AddError;
use heapless::Vec;

/// An id, quoted or bare, present, 0..=65535.
fn id(p: Param<'_>) -> Result<u16, Error> {
    if p.is_empty() {
        return Err(Error::ParamCount);
    }
    let v = p.int_lenient()?;
    u16::try_from(v).map_err(|_| Error::ParamValue)
}

/// Validates `<objectID>,<instantID>,<resource_number>,<resourceID>...`
/// into `ids` (object, instance, count, resources), in the order the
/// parameters come, so the first bad one decides the error.
fn parse(params: &Fields<'_>, ids: &mut Vec<u16, { 3 + QLA_MAX_RESOURCES }>) -> Result<(), Error> {
    if params.len() < 4 {
        return Err(Error::ParamCount);
    }
    for p in params.iter() {
        if let [_, _, count] = ids.as_slice() {
            // The count is checked before the resources it announces.
            let count = *count as usize;
            if count == 0 || count > QLA_MAX_RESOURCES {
                return Err(Error::ParamValue);
            }
            params.expect_count(3 + count, 3 + count)?;
        }
        let id = id(p)?;
        if ids
            .get(3..)
            .is_some_and(|resources| crate::bytes::has_u16(resources, id))
        {
            return Err(Error::ParamValue);
        }
        ids.push(id).map_err(|_| Error::ParamCount)?;
    }
    Ok(())
}

fn add_error(e: AddError) -> Error {
    match e {
        AddError::BuiltIn => Error::ParamValue,
        AddError::Duplicate => Error::Exists,
        AddError::Full => Error::NoMemory,
    }
}

/// `AT+QLAADDOBJ=<objectID>,<instantID>,<resource_number>,<resourceID>...`
/// (`add`) or `AT+QLADELOBJ=<objectID>`: one body, so the checks and the
/// save-and-tell tail are written once.
pub fn change<H: Host + ?Sized>(
    state: &mut State,
    cx: &mut Context<'_, '_, H>,
    params: &Fields<'_>,
    add: bool,
) -> Result<(), Error> {
    let mut ids = Vec::new();
    if add {
        parse(params, &mut ids)?;
    } else {
        ids.push(id(params.get(0))?).map_err(|_| Error::ParamCount)?;
    }
    session::objects_may_change(cx)?;
    let name: &'static [u8; 9] = match ids.as_slice() {
        // `add` checks every limit before it changes anything.
        entry if add => {
            state.objects.add_entry(entry).map_err(add_error)?;
            b"QLAADDOBJ"
        }
        [object] if state.objects.remove_object(*object) => b"QLADELOBJ",
        _ => return Err(Error::NotFound),
    };
    state.persist(cx.out.host(), Kind::Objects);
    session::objects_changed(state, cx, name);
    Ok(())
}

/// `AT+QLAADDOBJ?`: one line per added instance, in insertion order.
pub fn query<H: Host + ?Sized>(state: &State, cx: &mut Context<'_, '_, H>) -> Result<(), Error> {
    for e in state.objects.instances() {
        let out = begin(cx.out, b"QLAADDOBJ");
        out.uint(e.object.into());
        comma_uint(out, e.instance.into());
        comma_uint(out, e.resources.len() as u32);
        for &r in e.resources {
            comma_uint(out, r.into());
        }
        out.end();
    }
    Ok(())
}
