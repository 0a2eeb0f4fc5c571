//! Object tables of the MIPL dialect: objects with instance bitmaps, the
//! resource lists given by DISCOVERRSP and the value type each resource was
//! last declared with.

use super::{ObjectList, ValueType};
use crate::config::{MIPL_MAX_INSTANCES, MIPL_MAX_OBJECTS, MIPL_MAX_RESOURCES};
use heapless::Vec;

const WORDS: usize = MIPL_MAX_INSTANCES.div_ceil(32);

/// Why a change to the object table was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ModelError {
    /// The object (or resource) is not in the table.
    NotFound,
    /// The object is in the table already.
    Exists,
    /// A `MIPL_MAX_*` capacity would be exceeded.
    Full,
    /// A bitmap or resource list that does not describe anything valid.
    Invalid,
}

/// The instances of one object: `<inscount>` positions, a bit per position
/// (seed 001 §3.3: `"10010"` = 5 instances of which 0 and 3 exist).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct InstanceSet {
    count: u16,
    bits: [u32; WORDS],
}

impl InstanceSet {
    /// Parses a bitmap string. Its length must equal `inscount` (seed 003
    /// §3.3.5) and it may hold only `0` and `1`; more positions than
    /// `MIPL_MAX_INSTANCES` is [`ModelError::Full`].
    pub fn parse(bitmap: &[u8], inscount: u32) -> Result<Self, ModelError> {
        if bitmap.len() as u32 != inscount {
            return Err(ModelError::Invalid);
        }
        // one pass: a bad character anywhere is Invalid, even past the capacity
        let mut bits = [0u32; WORDS];
        for (i, &c) in bitmap.iter().enumerate() {
            match (c, bits.get_mut(i / 32)) {
                (b'1', Some(word)) => *word |= 1 << (i % 32),
                (b'0' | b'1', _) => {}
                _ => return Err(ModelError::Invalid),
            }
        }
        if bitmap.len() > MIPL_MAX_INSTANCES {
            return Err(ModelError::Full);
        }
        Ok(InstanceSet {
            count: bitmap.len() as u16,
            bits,
        })
    }

    /// `<inscount>`: how many positions the bitmap had.
    pub fn positions(&self) -> u16 {
        self.count
    }

    /// True when instance `id` is registered.
    pub fn contains(&self, id: u16) -> bool {
        let i = id as usize;
        i < self.count as usize && self.bits.get(i / 32).is_some_and(|w| w & (1 << (i % 32)) != 0)
    }

    /// The registered instance ids, ascending.
    pub fn iter(&self) -> impl Iterator<Item = u16> + '_ {
        (0..self.count).filter(move |&i| self.contains(i))
    }
}

/// One object added with `AT+MIPLADDOBJ`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Object {
    /// Object id.
    pub id: u16,
    /// Its instances.
    pub instances: InstanceSet,
    /// `<atts>`: readable/writable resources.
    pub atts: u16,
    /// `<acts>`: executable resources.
    pub acts: u16,
}

/// One resource id known for an object.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Resource {
    /// The object it belongs to.
    pub object: u16,
    /// Resource id.
    pub id: u16,
    /// The value type it was last declared with (NOTIFY/READRSP), needed to
    /// print a server WRITE (seed 001 §3.12: undeclared values print as hex).
    pub declared: Option<ValueType>,
}

/// The objects of the one MIPL device instance, in the order they were added.
#[derive(Clone, Debug, Default)]
pub struct ObjectTable {
    objects: Vec<Object, MIPL_MAX_OBJECTS>,
    resources: Vec<Resource, MIPL_MAX_RESOURCES>,
}

impl ObjectTable {
    /// An empty table.
    pub const fn new() -> Self {
        ObjectTable {
            objects: Vec::new(),
            resources: Vec::new(),
        }
    }

    /// The object `id`.
    pub fn get(&self, id: u16) -> Option<&Object> {
        self.objects.iter().find(|o| o.id == id)
    }

    /// All objects, in the order they were added.
    pub fn objects(&self) -> &[Object] {
        &self.objects
    }

    /// Adds an object; its id must be new.
    pub fn add(&mut self, object: Object) -> Result<(), ModelError> {
        if self.get(object.id).is_some() {
            return Err(ModelError::Exists);
        }
        self.objects.push(object).map_err(|_| ModelError::Full)
    }

    /// Removes an object and every resource declared for it.
    pub fn remove(&mut self, id: u16) -> Result<(), ModelError> {
        let at = self
            .objects
            .iter()
            .position(|o| o.id == id)
            .ok_or(ModelError::NotFound)?;
        // the ones after it move down one place, field by field (a swap
        // went through a stack copy, a whole-struct copy may be `memmove`),
        // then the last is cut off
        for i in at + 1..self.objects.len() {
            if let Some([dst, src]) = self.objects.get_mut(i - 1..i + 1) {
                dst.id = src.id;
                dst.instances = src.instances;
                dst.atts = src.atts;
                dst.acts = src.acts;
            }
        }
        self.objects.pop();
        keep_in_order(&mut self.resources, |r| r.object != id);
        Ok(())
    }

    /// Replaces the resource list of `object` with `ids`, in that order
    /// (onemo DISCOVERRSP before OPEN). Types declared for ids that stay are kept.
    pub fn set_resources(&mut self, object: u16, ids: &[u16]) -> Result<(), ModelError> {
        if self.get(object).is_none() {
            return Err(ModelError::NotFound);
        }
        for (i, id) in ids.iter().enumerate() {
            if ids.get(..i).is_some_and(|before| crate::bytes::has_u16(before, *id)) {
                return Err(ModelError::Invalid);
            }
        }
        // the other objects' resources, then this one's in the new order
        let mut list: Vec<Resource, MIPL_MAX_RESOURCES> = Vec::new();
        for r in self.resources.iter().filter(|r| r.object != object) {
            list.push(*r).map_err(|_| ModelError::Full)?;
        }
        for &id in ids {
            let declared = self.declared_type(object, id);
            list.push(Resource { object, id, declared })
                .map_err(|_| ModelError::Full)?;
        }
        self.resources = list;
        Ok(())
    }

    /// The resources known for `object`, in declaration order.
    pub fn resources(&self, object: u16) -> impl Iterator<Item = &Resource> + '_ {
        self.resources.iter().filter(move |r| r.object == object)
    }

    /// Records the type `object/res` was declared with, adding the resource
    /// when it is new (NOTIFY can replace DISCOVERRSP: seed 001 §3.5).
    pub fn declare(&mut self, object: u16, res: u16, vtype: ValueType) -> Result<(), ModelError> {
        if self.get(object).is_none() {
            return Err(ModelError::NotFound);
        }
        if let Some(r) = self.resources.iter_mut().find(|r| r.object == object && r.id == res) {
            r.declared = Some(vtype);
            return Ok(());
        }
        let r = Resource {
            object,
            id: res,
            declared: Some(vtype),
        };
        self.resources.push(r).map_err(|_| ModelError::Full)
    }

    /// The type `object/res` was last declared with.
    pub fn declared_type(&self, object: u16, res: u16) -> Option<ValueType> {
        self.resources
            .iter()
            .find(|r| r.object == object && r.id == res)
            .and_then(|r| r.declared)
    }
}

/// Keeps the elements `keep` accepts, in their order: each kept one is
/// copied down over the dropped ones, and the tail is cut.
/// Not `Vec::remove` (it shifts the tail with `memmove`), `retain` (its
/// unwind guard keeps a `memmove` call) or `v[kept] = v[i]` (LLVM cannot
/// tell the two apart, so it copies with `memmove`): any of them links
/// compiler-builtins' `memmove`, ~1.5 KiB on Cortex-M, used by nothing else.
/// Copied field by field: `mem::swap` of the 6-byte `Resource` went byte
/// by byte, and a whole-struct copy became a `memmove` call on Cortex-M0.
fn keep_in_order(v: &mut Vec<Resource, MIPL_MAX_RESOURCES>, keep: impl Fn(&Resource) -> bool) {
    let mut kept = 0;
    for i in 0..v.len() {
        let Some((head, tail)) = v.split_at_mut_checked(i) else {
            break;
        };
        let Some(x) = tail.first_mut().filter(|x| keep(x)) else {
            continue;
        };
        // None while nothing was dropped yet: `x` is in its place already
        if let Some(slot) = head.get_mut(kept) {
            slot.object = x.object;
            slot.id = x.id;
            slot.declared = x.declared;
        }
        kept += 1;
    }
    v.truncate(kept);
}

impl ObjectList for ObjectTable {
    fn for_each_instance(&self, f: &mut dyn FnMut(u16, u16)) {
        for object in &self.objects {
            for instance in object.instances.iter() {
                f(object.id, instance);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn object(id: u16, bitmap: &[u8]) -> Object {
        Object {
            id,
            instances: InstanceSet::parse(bitmap, bitmap.len() as u32).unwrap(),
            atts: 0,
            acts: 0,
        }
    }

    #[test]
    fn bitmap() {
        let set = InstanceSet::parse(b"10010", 5).unwrap();
        assert_eq!(set.iter().collect::<std::vec::Vec<_>>(), [0, 3]);
        assert_eq!(set.positions(), 5);
        assert!(!set.contains(5));
        assert_eq!(InstanceSet::parse(b"101", 4), Err(ModelError::Invalid));
        assert_eq!(InstanceSet::parse(b"12", 2), Err(ModelError::Invalid));
        let long = [b'1'; MIPL_MAX_INSTANCES + 1];
        assert_eq!(InstanceSet::parse(&long, long.len() as u32), Err(ModelError::Full));
        let full = [b'1'; MIPL_MAX_INSTANCES];
        assert_eq!(
            InstanceSet::parse(&full, full.len() as u32).unwrap().iter().count(),
            MIPL_MAX_INSTANCES
        );
        assert_eq!(InstanceSet::parse(b"", 0).unwrap().iter().count(), 0);
    }

    #[test]
    fn objects_and_registration_order() {
        let mut t = ObjectTable::new();
        t.add(object(3311, b"01")).unwrap();
        t.add(object(3200, b"11")).unwrap();
        assert_eq!(t.add(object(3200, b"1")), Err(ModelError::Exists));
        let mut seen = std::vec::Vec::new();
        t.for_each_instance(&mut |o, i| seen.push((o, i)));
        assert_eq!(seen, [(3311, 1), (3200, 0), (3200, 1)]);
        t.remove(3311).unwrap();
        assert_eq!(t.remove(3311), Err(ModelError::NotFound));
        assert_eq!(t.objects().len(), 1);
    }

    #[test]
    fn resources_keep_declared_types() {
        let mut t = ObjectTable::new();
        t.add(object(3200, b"1")).unwrap();
        t.set_resources(3200, &[5500, 5501]).unwrap();
        t.declare(3200, 5501, ValueType::Integer).unwrap();
        t.set_resources(3200, &[5750, 5501]).unwrap();
        let ids: std::vec::Vec<_> = t.resources(3200).map(|r| (r.id, r.declared)).collect();
        assert_eq!(ids, [(5750, None), (5501, Some(ValueType::Integer))]);
        assert_eq!(t.set_resources(3200, &[1, 1]), Err(ModelError::Invalid));
        assert_eq!(t.set_resources(9, &[1]), Err(ModelError::NotFound));
        let many: std::vec::Vec<u16> = (0..=MIPL_MAX_RESOURCES as u16).collect();
        assert_eq!(t.set_resources(3200, &many), Err(ModelError::Full));
        // a refused list leaves the old one
        assert_eq!(t.resources(3200).count(), 2);
        t.remove(3200).unwrap();
        assert_eq!(t.declared_type(3200, 5501), None);
    }

    #[test]
    fn removal_keeps_the_others_in_order() {
        let mut t = ObjectTable::new();
        for (id, bitmap) in [(1, &b"1"[..]), (2, b"11"), (3, b"101"), (4, b"0111")] {
            t.add(object(id, bitmap)).unwrap();
            t.set_resources(id, &[id * 10, id * 10 + 1]).unwrap();
        }
        t.declare(3, 31, ValueType::Float).unwrap();
        t.declare(4, 40, ValueType::Bool).unwrap();
        t.remove(2).unwrap();
        let objects: std::vec::Vec<_> = t.objects().iter().map(|o| (o.id, o.instances.positions())).collect();
        assert_eq!(objects, [(1, 1), (3, 3), (4, 4)]);
        assert_eq!(t.objects(), [object(1, b"1"), object(3, b"101"), object(4, b"0111")]);
        let all: std::vec::Vec<_> = [1, 2, 3, 4]
            .iter()
            .flat_map(|&o| t.resources(o).map(|r| (r.object, r.id, r.declared)))
            .collect();
        assert_eq!(
            all,
            [
                (1, 10, None),
                (1, 11, None),
                (3, 30, None),
                (3, 31, Some(ValueType::Float)),
                (4, 40, Some(ValueType::Bool)),
                (4, 41, None)
            ]
        );
        t.remove(4).unwrap();
        t.remove(1).unwrap();
        assert_eq!(t.objects(), [object(3, b"101")]);
        assert_eq!(t.resources(3).count(), 2);
        assert_eq!(t.resources(1).count() + t.resources(4).count(), 0);
    }
}
