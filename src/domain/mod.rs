//! Value types shared by several features; each parses, so a value that
//! exists is valid.

pub mod business_hours;
mod email;
pub mod ids;
mod name;
pub mod pricing;

pub use business_hours::WorkCalendar;
pub use email::EmailAddress;
pub use ids::{AccountId, ActivityId, ContactId, Id, ImportId, TagId, TaskId, TeamId, UserId};
pub use name::person_name;
