//! Object tables of the MIPL dialect: objects with instance bitmaps, the
//! resource lists given by DISCOVERRSP and the value type each resource was
//! last declared with.
