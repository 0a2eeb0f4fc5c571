//! The object model commands: ADDOBJ, DELOBJ and onemo's DISCOVERRSP
//! resource list given before OPEN.

use super::fields::{int, int16, ref_args, U16};
use super::reply::Reply;
use super::{Flavor, State};
use crate::at::{Error, Form};
use crate::config::MIPL_MAX_RESOURCES;
use crate::model::mipl::{InstanceSet, Object};
use heapless::Vec;

/// Resource ids of a DISCOVERRSP list.
pub type ResourceIds = Vec<u16, MIPL_MAX_RESOURCES>;

/// Parses `"5500;5501;5750"` (seed 001 §3.5): one or more decimal uint16
/// separated by `;`, no empty items. More than `MIPL_MAX_RESOURCES` ids is
/// [`Error::NoMemory`].
pub fn resource_list(text: &[u8]) -> Result<ResourceIds, Error> {
    let mut ids = ResourceIds::new();
    for item in text.split(|&c| c == b';') {
        if item.is_empty() || item.len() > 5 || !item.iter().all(u8::is_ascii_digit) {
            return Err(Error::ParamValue);
        }
        let id = crate::at::params::parse_int(item)
            .and_then(|v| u16::try_from(v).ok())
            .ok_or(Error::ParamValue)?;
        ids.push(id).map_err(|_| Error::NoMemory)?;
    }
    Ok(ids)
}

/// AT+MIPLADDOBJ=<ref>,<objid>,<inscount>,<bitmap>,<atts>,<acts>
/// (seed 001 §3.3, seed 003 §3.3.5: bitmap length = `<inscount>`).
pub fn add(state: &mut State, flavor: &Flavor, form: Form<'_>, _: &mut Reply) -> Result<(), Error> {
    let p = ref_args(form, 6, 6)?;
    let id = int16(&p, 1, U16)?;
    let inscount = int(&p, 2, U16)?;
    let bitmap = p.require(3)?;
    let bitmap = if flavor.quoted_bitmap {
        bitmap.quoted()?
    } else {
        bitmap.text()
    };
    let atts = int16(&p, 4, U16)?;
    let acts = int16(&p, 5, U16)?;
    let instances = InstanceSet::parse(bitmap, inscount)?;
    let object = Object {
        id,
        instances,
        atts,
        acts,
    };
    state.device_mut()?.objects.add(object)?;
    Ok(())
}

/// AT+MIPLDELOBJ=<ref>,<objid>: the object, its instances and resources.
pub fn delete(state: &mut State, _: &Flavor, form: Form<'_>, _: &mut Reply) -> Result<(), Error> {
    let p = ref_args(form, 2, 2)?;
    let id = int16(&p, 1, U16)?;
    state.device_mut()?.objects.remove(id)?;
    Ok(())
}

/// onemo AT+MIPLDISCOVERRSP=<ref>,<objid>,<result>,<length>,<data>: the
/// resource list the module answers DISCOVER with by itself (seed 001 §3.5:
/// `<result>` "应设置为1", `<length>` the length of `<data>`).
pub fn discover_list(state: &mut State, _: &Flavor, form: Form<'_>, _: &mut Reply) -> Result<(), Error> {
    let p = ref_args(form, 5, 5)?;
    let object = int16(&p, 1, U16)?;
    int(&p, 2, &[(1, 1)])?;
    let length = int(&p, 3, U16)?;
    let data = p.require(4)?.text();
    if data.len() != length as usize {
        return Err(Error::ParamValue);
    }
    let ids = resource_list(data)?;
    state.device_mut()?.objects.set_resources(object, &ids)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists() {
        assert_eq!(resource_list(b"5500;5501;5750").unwrap(), [5500, 5501, 5750]);
        assert_eq!(resource_list(b"1;0").unwrap(), [1, 0]);
        for bad in [&b""[..], b";", b"1;", b"1;;2", b"-1", b"65536", b"0x10", b"1 ;2", b"+1"] {
            assert_eq!(resource_list(bad), Err(Error::ParamValue), "{bad:?}");
        }
    }
}
