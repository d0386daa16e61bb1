//! Value types shared by several features; each parses, so a value that
//! exists is valid.

mod email;
mod name;

pub use email::EmailAddress;
pub use name::person_name;
