//! Commands that need the network: parsed and fully validated here, then
//! handed to [`session`] as typed requests.

use super::fields::{self, int, int16, opt_int, ref_args, Args, Spans, BOOL, RAI, TIMEOUT, U16};
use super::objects::resource_list;
use super::reply::Reply;
use super::session::{
    self, Answer, DiscoverResponse, NotifyRequest, OpenRequest, Part, Path, ReadResponse, UpdateRequest,
};
use super::{value, Flavor, State};
use crate::at::{Error, Form};

/// seed 001 §3.6: `<timeout>` defaults to 30 s.
const DEFAULT_TIMEOUT: u32 = 30;
/// seed 001 §3.9 `<contentType>` 0..4.
const CONTENT_TYPES: Spans = &[(0, 4)];

/// Lexes `<ref>,...` with `min..=max` parameters, plus one when the profile
/// takes a trailing `<raiMode>`.
fn set_args<'a>(flavor: &Flavor, form: Form<'a>, min: usize, max: usize) -> Result<Args<'a>, Error> {
    ref_args(form, min, max + flavor.rai as usize)
}

fn rai(p: &Args<'_>, i: usize) -> Result<u8, Error> {
    Ok(opt_int(p, i, RAI)?.unwrap_or(0) as u8)
}

/// AT+MIPLOPEN=<ref>,<lifetime>[,<timeout>]; onemo also AT+MIPLOPEN?.
pub fn open(state: &mut State, flavor: &Flavor, form: Form<'_>, _: &mut Reply) -> Result<(), Error> {
    if form == Form::Read && flavor.open_query {
        return session::open_status(state);
    }
    let p = ref_args(form, 2, 3)?;
    let lifetime = int(&p, 1, flavor.lifetime)?;
    let timeout = opt_int(&p, 2, TIMEOUT)?.unwrap_or(DEFAULT_TIMEOUT) as u16;
    session::open(state, OpenRequest { lifetime, timeout })
}

/// AT+MIPLUPDATE=<ref>,<lifetime>,<withObjectFlag>[,<raiMode>].
pub fn update(state: &mut State, flavor: &Flavor, form: Form<'_>, _: &mut Reply) -> Result<(), Error> {
    let p = set_args(flavor, form, 3, 3)?;
    let req = UpdateRequest {
        lifetime: int(&p, 1, flavor.lifetime)?,
        with_objects: int(&p, 2, BOOL)? == 1,
        rai: rai(&p, 3)?,
    };
    session::update(state, req)
}

/// AT+MIPLCLOSE=<ref>.
pub fn close(state: &mut State, _: &Flavor, form: Form<'_>, _: &mut Reply) -> Result<(), Error> {
    ref_args(form, 1, 1)?;
    session::close(state)
}

/// onemo AT+MIPLMGR=<ref>.
pub fn mgr(state: &mut State, _: &Flavor, form: Form<'_>, _: &mut Reply) -> Result<(), Error> {
    ref_args(form, 1, 1)?;
    session::fetch_queued(state)
}

/// `<objid>,<insid>,<resid>,<type>,<len>,<value>,<index>,<flag>` from field `at`.
fn part<'a>(flavor: &Flavor, p: &Args<'a>, at: usize, flags: Spans) -> Result<Part<'a>, Error> {
    let path = Path {
        object: int16(p, at, U16)?,
        instance: int16(p, at + 1, U16)?,
        resource: int16(p, at + 2, U16)?,
    };
    let vtype = int(p, at + 3, flavor.value_types)?;
    let len = int(p, at + 4, flavor.len)?;
    let value = value::parse(flavor, vtype, len, p.get(at + 5))?;
    Ok(Part {
        path,
        value,
        index: int(p, at + 6, flavor.index)?,
        flag: int(p, at + 7, flags)?,
    })
}

/// AT+MIPLNOTIFY=<ref>,<mid>,<objid>,<insid>,<resid>,<type>,<len>,<value>,<index>,<flag>
/// [,<ackid>[,<contentType> (onemo) | <raiMode> (bc260y)]].
pub fn notify(state: &mut State, flavor: &Flavor, form: Form<'_>, _: &mut Reply) -> Result<(), Error> {
    let p = ref_args(form, 10, 12)?;
    let handle = int(&p, 1, flavor.handle)?;
    let part = part(flavor, &p, 2, flavor.notify_flag)?;
    let ackid = opt_int(&p, 10, U16)?.map(|v| v as u16);
    let (content_type, rai) = if flavor.rai {
        (None, rai(&p, 11)?)
    } else {
        (opt_int(&p, 11, CONTENT_TYPES)?.map(|v| v as u8), 0)
    };
    let req = NotifyRequest {
        handle,
        part,
        ackid,
        content_type,
        rai,
    };
    session::notify(state, req)
}

/// AT+MIPLREADRSP=<ref>,<mid>,<result>[,<objid>,..,<flag>][,<raiMode>]: the
/// value part comes with result 1 and only then (seed 001 §3.11 example:
/// `AT+MIPLREADRSP=0,18172,11`).
pub fn read_rsp(state: &mut State, flavor: &Flavor, form: Form<'_>, _: &mut Reply) -> Result<(), Error> {
    let p = set_args(flavor, form, 3, 11)?;
    let handle = int(&p, 1, flavor.handle)?;
    let result = int(&p, 2, fields::RESULT_CONTENT)? as u8;
    let (part, rai) = match (result, p.len()) {
        (1, n) if n >= 11 => (Some(part(flavor, &p, 3, fields::PART_FLAG)?), rai(&p, 11)?),
        (1, _) => return Err(Error::ParamCount),
        (_, 3) => (None, 0),
        _ => return Err(Error::ParamCount),
    };
    let req = ReadResponse {
        handle,
        result,
        part,
        rai,
    };
    session::read_response(state, req)
}

/// `<ref>,<msgid>,<result>[,<raiMode>]`.
fn answer(flavor: &Flavor, form: Form<'_>, results: Spans) -> Result<Answer, Error> {
    let p = set_args(flavor, form, 3, 3)?;
    Ok(Answer {
        handle: int(&p, 1, flavor.handle)?,
        result: int(&p, 2, results)? as u8,
        rai: rai(&p, 3)?,
    })
}

/// AT+MIPLWRITERSP.
pub fn write_rsp(state: &mut State, flavor: &Flavor, form: Form<'_>, _: &mut Reply) -> Result<(), Error> {
    let a = answer(flavor, form, fields::RESULT_CHANGED)?;
    session::write_response(state, a)
}

/// AT+MIPLEXECUTERSP.
pub fn execute_rsp(state: &mut State, flavor: &Flavor, form: Form<'_>, _: &mut Reply) -> Result<(), Error> {
    let a = answer(flavor, form, fields::RESULT_CHANGED)?;
    session::execute_response(state, a)
}

/// AT+MIPLPARAMETERRSP (alias AT+MIPLPARAMETERSP).
pub fn parameter_rsp(state: &mut State, flavor: &Flavor, form: Form<'_>, _: &mut Reply) -> Result<(), Error> {
    let a = answer(flavor, form, flavor.ack_results)?;
    session::parameter_response(state, a)
}

/// AT+MIPLOBSERVERSP (aliases AT+MIPOBSERVERSP, AT+MIPLWRITEOBSERVERSP).
pub fn observe_rsp(state: &mut State, flavor: &Flavor, form: Form<'_>, _: &mut Reply) -> Result<(), Error> {
    let a = answer(flavor, form, flavor.observe_results)?;
    session::observe_response(state, a)
}

/// bc260y AT+MIPLDISCOVERRSP=<ref>,<msgId>,<result>,<length>,<valuestring>[,<raiMode>]
/// (seed 003 §3.3.9: `<valuestring>` quoted, `<length>` 0..255 its length).
pub fn discover_rsp(state: &mut State, flavor: &Flavor, form: Form<'_>, _: &mut Reply) -> Result<(), Error> {
    let p = set_args(flavor, form, 5, 5)?;
    let handle = int(&p, 1, flavor.handle)?;
    let result = int(&p, 2, fields::RESULT_CONTENT)? as u8;
    let length = int(&p, 3, fields::DISCOVER_LEN_BC)?;
    let text = p.require(4)?.quoted()?;
    if text.len() != length as usize {
        return Err(Error::ParamValue);
    }
    let ids = if result == 1 {
        resource_list(text)?
    } else {
        Default::default()
    };
    let req = DiscoverResponse {
        handle,
        result,
        resources: &ids,
        rai: rai(&p, 5)?,
    };
    session::discover_response(state, req)
}
