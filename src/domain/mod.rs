//! Value types shared by several features; each parses, so a value that
//! exists is valid.

mod email;

pub use email::EmailAddress;
