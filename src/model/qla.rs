//! Object table of the QLA dialect: custom objects with explicit instances
//! and resource ids (seed 004 §3.6), in the order they were added.
//!
//! Kept flat (one entry per object instance, insertion order) because
//! `AT+QLAADDOBJ?` lists one line per added instance in the order the MCU
//! added them (seed 004 §3.6 example: 19/1 before 19/0). Ids are u16, lengths
//! u8: the whole table is a few hundred bytes at the default capacities.

use crate::config::{QLA_MAX_INSTANCES, QLA_MAX_OBJECTS, QLA_MAX_RESOURCES};
use heapless::Vec;
use serde::{Deserialize, Serialize};

/// Objects the module implements itself (seed 004 §3.6 note 2); the MCU
/// cannot add them.
pub const BUILT_IN_OBJECTS: [u16; 5] = [0, 1, 3, 4, 5];

/// How many object instances the table holds at most.
pub const MAX_ENTRIES: usize = QLA_MAX_OBJECTS * QLA_MAX_INSTANCES;

/// One added object instance and the resource ids it declares.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Instance {
    /// Object id.
    pub object: u16,
    /// Instance id.
    pub instance: u16,
    /// Resource ids, in the order given.
    pub resources: Vec<u16, QLA_MAX_RESOURCES>,
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
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ObjectTable {
    entries: Vec<Instance, MAX_ENTRIES>,
}

impl ObjectTable {
    /// Every added instance, in insertion order.
    pub fn instances(&self) -> impl Iterator<Item = &Instance> {
        self.entries.iter()
    }

    /// True when some instance of `object` was added.
    pub fn has_object(&self, object: u16) -> bool {
        self.entries.iter().any(|e| e.object == object)
    }

    fn distinct_objects(&self) -> usize {
        // An object counts once, at its first entry.
        self.entries
            .iter()
            .enumerate()
            .filter(|(i, e)| !self.entries.iter().take(*i).any(|p| p.object == e.object))
            .count()
    }

    /// Checks that `add(object, instance)` would succeed, changing nothing.
    pub fn check_add(&self, object: u16, instance: u16) -> Result<(), AddError> {
        if BUILT_IN_OBJECTS.contains(&object) {
            return Err(AddError::BuiltIn);
        }
        if self
            .entries
            .iter()
            .any(|e| e.object == object && e.instance == instance)
        {
            return Err(AddError::Duplicate);
        }
        let siblings = self.entries.iter().filter(|e| e.object == object).count();
        let new_object = siblings == 0;
        if (new_object && self.distinct_objects() >= QLA_MAX_OBJECTS) || siblings >= QLA_MAX_INSTANCES {
            return Err(AddError::Full);
        }
        Ok(())
    }

    /// Adds an instance at the end of the table.
    pub fn add(&mut self, entry: Instance) -> Result<(), AddError> {
        self.check_add(entry.object, entry.instance)?;
        self.entries.push(entry).map_err(|_| AddError::Full)
    }

    /// Removes every instance of `object`; false when there was none.
    pub fn remove_object(&mut self, object: u16) -> bool {
        let before = self.entries.len();
        self.entries.retain(|e| e.object != object);
        self.entries.len() != before
    }
}

impl crate::model::ObjectList for ObjectTable {
    fn for_each_instance(&self, f: &mut dyn FnMut(u16, u16)) {
        for e in &self.entries {
            f(e.object, e.instance);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ObjectList;

    fn inst(object: u16, instance: u16) -> Instance {
        Instance {
            object,
            instance,
            resources: Vec::from_slice(&[0]).unwrap(),
        }
    }

    #[test]
    fn limits_and_order() {
        let mut t = ObjectTable::default();
        assert_eq!(t.add(inst(3, 0)), Err(AddError::BuiltIn));
        t.add(inst(19, 1)).unwrap();
        t.add(inst(19, 0)).unwrap();
        assert_eq!(t.add(inst(19, 0)), Err(AddError::Duplicate));
        t.add(inst(19, 2)).unwrap();
        t.add(inst(19, 3)).unwrap();
        assert_eq!(t.add(inst(19, 4)), Err(AddError::Full));
        t.add(inst(20, 0)).unwrap();
        t.add(inst(21, 0)).unwrap();
        assert_eq!(t.add(inst(22, 0)), Err(AddError::Full));
        let mut seen = std::vec::Vec::new();
        t.for_each_instance(&mut |o, i| seen.push((o, i)));
        assert_eq!(seen, [(19, 1), (19, 0), (19, 2), (19, 3), (20, 0), (21, 0)]);
        assert!(t.remove_object(19));
        assert!(!t.remove_object(19));
        t.add(inst(22, 0)).unwrap();
        assert!(t.has_object(22) && !t.has_object(19));
    }
}
