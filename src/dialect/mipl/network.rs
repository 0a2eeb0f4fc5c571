//! Commands that need the network: checked against their rules, then
//! handed to [`session`] as typed requests.

use super::fields::Args;
use super::objects::{resource_list, ResourceIds};
use super::reply::Out;
use super::session::{
    self, Answer, DiscoverResponse, NotifyRequest, OpenRequest, Part, Path, ReadResponse, UpdateRequest,
};
use super::{value, Cmd, Flavor};
use crate::at::{Error, Form};

/// seed 001 §3.6: `<timeout>` defaults to 30 s.
const DEFAULT_TIMEOUT: u32 = 30;

/// The trailing `<raiMode>` at field `i` (0 when absent).
fn rai(p: &Args<'_>, i: usize) -> u8 {
    p.opt(i).unwrap_or(0) as u8
}

/// AT+MIPLOPEN=<ref>,<lifetime>[,<timeout>]; onemo also AT+MIPLOPEN?.
pub fn open<O: Out + ?Sized>(c: &mut Cmd<'_, '_, O>) -> Result<(), Error> {
    // the read form reaches it on onemo only (Handler::takes)
    if matches!(c.form, Form::Read) {
        return session::open_status(c);
    }
    let p = c.args;
    let req = OpenRequest {
        lifetime: p.int(1),
        timeout: p.opt(2).unwrap_or(DEFAULT_TIMEOUT) as u16,
    };
    session::open(c, req)
}

/// AT+MIPLUPDATE=<ref>,<lifetime>,<withObjectFlag>[,<raiMode>].
pub fn update<O: Out + ?Sized>(c: &mut Cmd<'_, '_, O>) -> Result<(), Error> {
    let p = c.args;
    let req = UpdateRequest {
        lifetime: p.int(1),
        with_objects: p.int(2) == 1,
        rai: rai(p, 3),
    };
    session::update(c, req)
}

/// AT+MIPLCLOSE=<ref>.
pub fn close<O: Out + ?Sized>(c: &mut Cmd<'_, '_, O>) -> Result<(), Error> {
    session::close(c)
}

/// onemo AT+MIPLMGR=<ref>.
pub fn mgr<O: Out + ?Sized>(c: &mut Cmd<'_, '_, O>) -> Result<(), Error> {
    session::fetch_queued(c)
}

/// `<objid>,<insid>,<resid>,<type>,<len>,<value>,<index>,<flag>` from field
/// `at`, all present but the value (an empty value is checked by its type).
#[cfg_attr(not(target_has_atomic = "32"), inline(always))]
fn part<'a>(flavor: &Flavor, p: &Args<'a>, at: usize) -> Result<Part<'a>, Error> {
    // every field but the value (5) must be there
    if !p.has_all(0b1101_1111 << at) {
        return Err(Error::ParamCount);
    }
    Ok(Part {
        path: Path {
            object: p.int(at) as u16,
            instance: p.int(at + 1) as u16,
            resource: p.int(at + 2) as u16,
        },
        value: value::parse(flavor, p.int(at + 3), p.int(at + 4), p.param(at + 5))?,
        index: p.int(at + 6),
        flag: p.int(at + 7),
    })
}

/// AT+MIPLNOTIFY=<ref>,<mid>,<objid>,<insid>,<resid>,<type>,<len>,<value>,<index>,<flag>
/// [,<ackid>[,<contentType> (onemo) | <raiMode> (bc260y)]].
pub fn notify<O: Out + ?Sized>(c: &mut Cmd<'_, '_, O>) -> Result<(), Error> {
    let p = c.args;
    let tail = p.opt(11).map(|v| v as u8);
    let (content_type, rai) = if c.flavor.rai {
        (None, tail.unwrap_or(0))
    } else {
        (tail, 0)
    };
    let req = NotifyRequest {
        handle: p.int(1),
        part: part(c.flavor, p, 2)?,
        ackid: p.opt(10).map(|v| v as u16),
        content_type,
        rai,
    };
    session::notify(c, req)
}

/// AT+MIPLREADRSP=<ref>,<mid>,<result>[,<objid>,..,<flag>][,<raiMode>]: the
/// value part comes with result 1 and only then (seed 001 §3.11 example:
/// `AT+MIPLREADRSP=0,18172,11`).
pub fn read_rsp<O: Out + ?Sized>(c: &mut Cmd<'_, '_, O>) -> Result<(), Error> {
    let p = c.args;
    let result = p.int(2) as u8;
    let part = match (result, p.len()) {
        (1, n) if n >= 11 => Some(part(c.flavor, p, 3)?),
        (r, 3) if r != 1 => None,
        _ => return Err(Error::ParamCount),
    };
    let req = ReadResponse {
        handle: p.int(1),
        result,
        part,
        rai: rai(p, 11),
    };
    session::read_response(c, req)
}

/// AT+MIPLWRITERSP, AT+MIPLEXECUTERSP, AT+MIPLPARAMETERRSP (alias
/// AT+MIPLPARAMETERSP) and AT+MIPLOBSERVERSP (aliases AT+MIPOBSERVERSP,
/// AT+MIPLWRITEOBSERVERSP): `<ref>,<msgid>,<result>[,<raiMode>]`, told
/// apart by their rules only.
pub fn answer<O: Out + ?Sized>(c: &mut Cmd<'_, '_, O>) -> Result<(), Error> {
    let p = c.args;
    let a = Answer {
        handle: p.int(1),
        result: p.int(2) as u8,
        rai: rai(p, 3),
    };
    session::answer(c, a)
}

/// bc260y AT+MIPLDISCOVERRSP=<ref>,<msgId>,<result>,<length>,<valuestring>[,<raiMode>]
/// (seed 003 §3.3.9: `<valuestring>` quoted, `<length>` 0..255 its length).
pub fn discover_rsp<O: Out + ?Sized>(c: &mut Cmd<'_, '_, O>) -> Result<(), Error> {
    let p = c.args;
    let result = p.int(2) as u8;
    let text = p.param(4).quoted()?;
    if text.len() != p.int(3) as usize {
        return Err(Error::ParamValue);
    }
    let mut ids = ResourceIds::new();
    if result == 1 {
        resource_list(text, &mut ids)?;
    }
    let req = DiscoverResponse {
        handle: p.int(1),
        result,
        resources: &ids,
        rai: rai(p, 5),
    };
    session::discover_response(c, req)
}
