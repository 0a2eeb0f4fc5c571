//! The object model commands: ADDOBJ, DELOBJ and onemo's DISCOVERRSP
//! resource list given before OPEN.

use super::fields::decimal_u16;
use super::reply::Out;
use super::{session, Cmd};
use crate::at::Error;
use crate::config::MIPL_MAX_RESOURCES;
use crate::model::mipl::{InstanceSet, Object};
use heapless::Vec;

/// Resource ids of a DISCOVERRSP list.
pub type ResourceIds = Vec<u16, MIPL_MAX_RESOURCES>;

/// Parses `"5500;5501;5750"` (seed 001 §3.5): one or more decimal uint16
/// separated by `;`, no empty items. More than `MIPL_MAX_RESOURCES` ids is
/// [`Error::NoMemory`]. Filled in place: `ids` starts empty.
pub fn resource_list(text: &[u8], ids: &mut ResourceIds) -> Result<(), Error> {
    for item in text.split(|&c| c == b';') {
        // digits only (no sign, no 0x), at most 5 of them, within uint16
        let id = decimal_u16(item).filter(|_| item.len() <= 5).ok_or(Error::ParamValue)?;
        ids.push(id).map_err(|_| Error::NoMemory)?;
    }
    Ok(())
}

/// AT+MIPLADDOBJ=<ref>,<objid>,<inscount>,<bitmap>,<atts>,<acts>
/// (seed 001 §3.3, seed 003 §3.3.5: bitmap length = `<inscount>`).
pub fn add<O: Out + ?Sized>(c: &mut Cmd<'_, '_, O>) -> Result<(), Error> {
    let p = c.args;
    let bitmap = if c.flavor.quoted_bitmap {
        p.param(3).quoted()?
    } else {
        p.text(3)
    };
    let object = Object {
        id: p.int(1) as u16,
        instances: InstanceSet::parse(bitmap, p.int(2))?,
        atts: p.int(4) as u16,
        acts: p.int(5) as u16,
    };
    c.state.device_mut()?.objects.add(object)?;
    Ok(())
}

/// AT+MIPLDELOBJ=<ref>,<objid>: the object, its instances and resources.
pub fn delete<O: Out + ?Sized>(c: &mut Cmd<'_, '_, O>) -> Result<(), Error> {
    let p = c.args;
    c.state.device_mut()?.objects.remove(p.int(1) as u16)?;
    Ok(())
}

/// onemo AT+MIPLDISCOVERRSP=<ref>,<objid>,<result>,<length>,<data>, before
/// OPEN: the resource list the module answers DISCOVER with by itself (seed 001 §3.5:
/// `<result>` "应设置为1", `<length>` the length of `<data>`).
pub fn discover_list<O: Out + ?Sized>(c: &mut Cmd<'_, '_, O>) -> Result<(), Error> {
    let p = c.args;
    let data = p.text(4);
    if data.len() != p.int(3) as usize {
        return Err(Error::ParamValue);
    }
    let mut ids = ResourceIds::new();
    resource_list(data, &mut ids)?;
    c.state.device_mut()?;
    // seed 001 §3.5: "该命令在登录前使用"
    session::before_open(c)?;
    c.state.device_mut()?.objects.set_resources(p.int(1) as u16, &ids)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resource_list(text: &[u8]) -> Result<ResourceIds, Error> {
        let mut ids = ResourceIds::new();
        super::resource_list(text, &mut ids).map(|()| ids)
    }

    #[test]
    fn lists() {
        assert_eq!(resource_list(b"5500;5501;5750").unwrap(), [5500, 5501, 5750]);
        assert_eq!(resource_list(b"1;0").unwrap(), [1, 0]);
        for bad in [&b""[..], b";", b"1;", b"1;;2", b"-1", b"65536", b"0x10", b"1 ;2", b"+1"] {
            assert_eq!(resource_list(bad), Err(Error::ParamValue), "{bad:?}");
        }
    }
}
