//! The LwM2M client, dialect-agnostic: bootstrap, registration, update,
//! de-registration, DM operations, observe/notify. Arrives with the
//! registration work.

pub mod lifetime;
