//! `AT+QLAADDOBJ` / `AT+QLADELOBJ`: the MCU's custom objects (seed 004 §3.6, §3.7).
//!
//! Ids may be quoted or bare (§3.6 writes `"0","1"`, §5.1 writes `0`).
//! Success prints `OK` then `+QLAADDOBJ: 0` as the syntax table and the §3.6
//! example do (the §5 examples leave that line out; a module prints it).
//!
//! Errors: a built-in object (0/1/3/4/5), a resource count that is zero or
//! above `QLA_MAX_RESOURCES`, a resource id given twice: `ParamValue` (3);
//! a parameter count that differs from `3 + <resource_number>`: `ParamCount`
//! (2); the object/instance exists already: `Exists` (3); a fourth object or
//! a fifth instance: `NoMemory` (1, "other error": seed 004 §6 has no
//! capacity code); deleting an object never added: `NotFound` (3).

use super::records::Kind;
use super::{begin, ok_then_status, Context, State};
use crate::at::{Error, Param, Params};
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

/// An instance to add: object, instance, resource ids.
type NewInstance = (u16, u16, Vec<u16, QLA_MAX_RESOURCES>);

fn parse(text: &[u8]) -> Result<NewInstance, Error> {
    let params = Params::<{ 3 + QLA_MAX_RESOURCES }>::parse(text)?;
    if params.len() < 4 {
        return Err(Error::ParamCount);
    }
    let object = id(params.get(0))?;
    let instance = id(params.get(1))?;
    let count = id(params.get(2))? as usize;
    if count == 0 || count > QLA_MAX_RESOURCES {
        return Err(Error::ParamValue);
    }
    params.expect_count(3 + count, 3 + count)?;
    let mut resources = Vec::new();
    for p in params.iter().skip(3) {
        let r = id(p)?;
        if resources.contains(&r) {
            return Err(Error::ParamValue);
        }
        resources.push(r).map_err(|_| Error::ParamCount)?;
    }
    Ok((object, instance, resources))
}

fn add_error(e: AddError) -> Error {
    match e {
        AddError::BuiltIn => Error::ParamValue,
        AddError::Duplicate => Error::Exists,
        AddError::Full => Error::NoMemory,
    }
}

fn save<H: Host + ?Sized>(state: &mut State, cx: &mut Context<'_, '_, H>) {
    state.persist(cx.out.host(), Kind::Objects, true);
}

/// `AT+QLAADDOBJ=<objectID>,<instantID>,<resource_number>,<resourceID>...`
pub fn add<H: Host + ?Sized>(state: &mut State, cx: &mut Context<'_, '_, H>, text: &[u8]) -> Result<(), Error> {
    let (object, instance, resources) = parse(text)?;
    // `add` checks every limit before it changes anything.
    state.objects.add(object, instance, &resources).map_err(add_error)?;
    save(state, cx);
    ok_then_status(cx, b"QLAADDOBJ");
    Ok(())
}

/// `AT+QLADELOBJ=<objectID>`
pub fn delete<H: Host + ?Sized>(state: &mut State, cx: &mut Context<'_, '_, H>, text: &[u8]) -> Result<(), Error> {
    let params = Params::<1>::parse(text)?;
    let object = id(params.get(0))?;
    if !state.objects.remove_object(object) {
        return Err(Error::NotFound);
    }
    save(state, cx);
    ok_then_status(cx, b"QLADELOBJ");
    Ok(())
}

/// `AT+QLAADDOBJ?`: one line per added instance, in insertion order.
pub fn query<H: Host + ?Sized>(state: &State, cx: &mut Context<'_, '_, H>) -> Result<(), Error> {
    for e in state.objects.instances() {
        let out = begin(cx.out, b"QLAADDOBJ");
        out.uint(e.object as u64).byte(b',').uint(e.instance as u64);
        out.byte(b',').uint(e.resources.len() as u64);
        for r in e.resources {
            out.byte(b',').uint(*r as u64);
        }
        out.end();
    }
    Ok(())
}
