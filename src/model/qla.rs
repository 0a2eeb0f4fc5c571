//! Object table of the QLA dialect: custom objects with explicit instances
//! and resource ids (seed 004 §3.6), in the order they were added.
