//! Object table of the QLA dialect: custom objects with explicit instances
//! and resource ids (seed 004 §3.6), in the order they were added.
//!
//! Kept as ONE flat list of u16 (`object, instance, n, resource × n` per
//! added instance, insertion order) because:
//! - `AT+QLAADDOBJ?` lists one line per added instance in the order the MCU
//!   added them (seed 004 §3.6 example: 19/1 before 19/0);
//! - the NV record is then a single `u16` sequence: one serde element type
//!   instead of a nested `Vec<Instance>` of `Vec<u16>` (flash: every nested
//!   container is its own monomorphised (de)serializer);
//! - it is smaller than fixed per-instance arrays (`n` slots, not 14).

use crate::config::{QLA_MAX_INSTANCES, QLA_MAX_OBJECTS, QLA_MAX_RESOURCES};
use heapless::Vec;

/// Objects the module implements itself (seed 004 §3.6 note 2); the MCU
/// cannot add them.
pub const BUILT_IN_OBJECTS: [u16; 5] = [0, 1, 3, 4, 5];

/// How many object instances the table holds at most.
pub const MAX_ENTRIES: usize = QLA_MAX_OBJECTS * QLA_MAX_INSTANCES;

/// Ids of one entry besides its resources: object, instance, resource count.
const ENTRY_HEAD: usize = 3;

/// Length of the flat list when every instance declares every resource.
pub const MAX_IDS: usize = MAX_ENTRIES * (ENTRY_HEAD + QLA_MAX_RESOURCES);

/// One added object instance, borrowed from the table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Instance<'a> {
    /// Object id.
    pub object: u16,
    /// Instance id.
    pub instance: u16,
    /// Resource ids, in the order given.
    pub resources: &'a [u16],
}

/// Why an instance cannot be added.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AddError {
    /// One of [`BUILT_IN_OBJECTS`].
    BuiltIn,
    /// That object instance exists already.
    Duplicate,
    /// A new object would exceed `QLA_MAX_OBJECTS`, or a new instance `QLA_MAX_INSTANCES`.
    Full,
}

/// The custom objects the MCU added, in insertion order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ObjectTable {
    ids: Vec<u16, MAX_IDS>,
}

/// Walks the flat list; stops at the first entry that does not fit (a
/// table restored from NV is checked with [`ObjectTable::is_well_formed`]).
pub struct Instances<'a> {
    rest: &'a [u16],
}

impl<'a> Iterator for Instances<'a> {
    type Item = Instance<'a>;

    // Cortex-M0 only: inlined saves 20 B on thumbv6m.
    #[cfg_attr(not(target_has_atomic = "32"), inline(always))]
    fn next(&mut self) -> Option<Instance<'a>> {
        let [object, instance, n, tail @ ..] = self.rest else {
            return None;
        };
        let (resources, rest) = tail.split_at_checked(*n as usize)?;
        self.rest = rest;
        Some(Instance {
            object: *object,
            instance: *instance,
            resources,
        })
    }
}

impl ObjectTable {
    /// Every added instance, in insertion order.
    pub fn instances(&self) -> Instances<'_> {
        Instances { rest: &self.ids }
    }

    /// The flat list (`object, instance, n, resource × n` per instance): the NV record.
    pub fn ids(&self) -> &[u16] {
        &self.ids
    }

    /// Appends one id of a list read back from NV; None when the table is
    /// full. Check the result with [`ObjectTable::is_well_formed`].
    pub fn push_id(&mut self, id: u16) -> Option<()> {
        self.ids.push(id).ok()
    }

    /// True when some instance of `object` was added.
    pub fn has_object(&self, object: u16) -> bool {
        self.instances().any(|e| e.object == object)
    }

    /// True when the list splits into whole entries within the limits: the
    /// check a table read back from NV must pass before it is used.
    pub fn is_well_formed(&self) -> bool {
        let mut walked = 0;
        let mut entries = 0;
        for e in self.instances() {
            if e.resources.is_empty() || e.resources.len() > QLA_MAX_RESOURCES {
                return false;
            }
            walked += ENTRY_HEAD + e.resources.len();
            entries += 1;
        }
        walked == self.ids.len() && entries <= MAX_ENTRIES
    }

    /// Checks that `add(object, instance, ..)` would succeed, changing nothing.
    pub fn check_add(&self, object: u16, instance: u16) -> Result<(), AddError> {
        // BUILT_IN_OBJECTS, as a pattern (no table and search).
        if matches!(object, 0 | 1 | 3..=5) {
            return Err(AddError::BuiltIn);
        }
        let mut siblings = 0;
        // Other objects seen so far (at most QLA_MAX_OBJECTS are remembered:
        // past that the count only has to stay at or above the limit).
        // `object` fills the free places: it is never one of the others.
        let mut others = [object; QLA_MAX_OBJECTS];
        let mut objects = 0;
        for e in self.instances() {
            if e.object == object {
                if e.instance == instance {
                    return Err(AddError::Duplicate);
                }
                siblings += 1;
            } else if !crate::bytes::has_u16(&others, e.object) {
                if let Some(free) = others.get_mut(objects) {
                    *free = e.object;
                }
                objects += 1;
            }
        }
        let new_object = siblings == 0;
        if (new_object && objects >= QLA_MAX_OBJECTS) || siblings >= QLA_MAX_INSTANCES {
            return Err(AddError::Full);
        }
        Ok(())
    }

    /// Adds an instance at the end of the table. `resources` holds 1 to
    /// `QLA_MAX_RESOURCES` ids (the caller validated them).
    pub fn add(&mut self, object: u16, instance: u16, resources: &[u16]) -> Result<(), AddError> {
        self.check_add(object, instance)?;
        let mut entry: Vec<u16, { ENTRY_HEAD + QLA_MAX_RESOURCES }> = Vec::new();
        let head = [object, instance, resources.len() as u16];
        entry
            .extend_from_slice(&head)
            .and_then(|()| entry.extend_from_slice(resources))
            .map_err(|_| AddError::Full)?;
        self.add_entry(&entry)
    }

    /// Adds the instance `entry` describes (`object, instance, n, resource
    /// × n`, as the AT command lists them; the caller validated the
    /// resources) at the end of the table, in one copy.
    pub fn add_entry(&mut self, entry: &[u16]) -> Result<(), AddError> {
        let [object, instance, ..] = *entry else {
            return Err(AddError::Full);
        };
        self.check_add(object, instance)?;
        // A failed extend leaves the table as it was.
        self.ids.extend_from_slice(entry).map_err(|_| AddError::Full)
    }

    /// Removes every instance of `object`; false when there was none.
    pub fn remove_object(&mut self, object: u16) -> bool {
        // Compacts in place: the ids of kept entries move down to `kept`.
        let mut kept = 0;
        let mut entry_end = 0;
        let mut keep = true;
        for at in 0..self.ids.len() {
            let id = self.ids.get(at).copied().unwrap_or(0);
            if at == entry_end {
                // An entry starts: object, instance, count, resources.
                keep = id != object;
                let n = self.ids.get(at + 2).copied().unwrap_or(0);
                entry_end = at + ENTRY_HEAD + n as usize;
            }
            if keep {
                if let Some(slot) = self.ids.get_mut(kept) {
                    *slot = id;
                }
                kept += 1;
            }
        }
        let removed = kept != self.ids.len();
        self.ids.truncate(kept);
        removed
    }
}

impl crate::model::ObjectList for ObjectTable {
    fn for_each_instance(&self, f: &mut dyn FnMut(u16, u16)) {
        for e in self.instances() {
            f(e.object, e.instance);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ObjectList;

    #[test]
    fn built_in_objects_are_refused() {
        let t = ObjectTable::default();
        for object in 0..=20 {
            let refused = t.check_add(object, 0) == Err(AddError::BuiltIn);
            assert_eq!(refused, BUILT_IN_OBJECTS.contains(&object), "{object}");
        }
    }

    fn add(t: &mut ObjectTable, object: u16, instance: u16) -> Result<(), AddError> {
        t.add(object, instance, &[0])
    }

    #[test]
    fn limits_and_order() {
        let mut t = ObjectTable::default();
        assert_eq!(add(&mut t, 3, 0), Err(AddError::BuiltIn));
        add(&mut t, 19, 1).unwrap();
        add(&mut t, 19, 0).unwrap();
        assert_eq!(add(&mut t, 19, 0), Err(AddError::Duplicate));
        add(&mut t, 19, 2).unwrap();
        add(&mut t, 19, 3).unwrap();
        assert_eq!(add(&mut t, 19, 4), Err(AddError::Full));
        add(&mut t, 20, 0).unwrap();
        add(&mut t, 21, 0).unwrap();
        assert_eq!(add(&mut t, 22, 0), Err(AddError::Full));
        let mut seen = std::vec::Vec::new();
        t.for_each_instance(&mut |o, i| seen.push((o, i)));
        assert_eq!(seen, [(19, 1), (19, 0), (19, 2), (19, 3), (20, 0), (21, 0)]);
        assert!(t.remove_object(19));
        assert!(!t.remove_object(19));
        add(&mut t, 22, 0).unwrap();
        assert!(t.has_object(22) && !t.has_object(19));
        assert!(t.is_well_formed());
    }

    #[test]
    fn full_table_fits_and_malformed_lists_are_refused() {
        let mut t = ObjectTable::default();
        let resources: std::vec::Vec<u16> = (0..QLA_MAX_RESOURCES as u16).collect();
        for o in 0..QLA_MAX_OBJECTS as u16 {
            for i in 0..QLA_MAX_INSTANCES as u16 {
                t.add(100 + o, i, &resources).unwrap();
            }
        }
        assert_eq!(t.ids.len(), MAX_IDS);
        assert!(t.is_well_formed());
        let bad = |ids: &[u16]| ObjectTable {
            ids: Vec::from_slice(ids).unwrap(),
        };
        assert!(!bad(&[19, 0, 2, 7]).is_well_formed(), "truncated entry");
        assert!(!bad(&[19, 0, 0]).is_well_formed(), "no resources");
        assert!(!bad(&[19, 0]).is_well_formed(), "truncated head");
        assert!(bad(&[19, 0, 1, 7]).is_well_formed());
    }
}
