//! The HTTP layer shared by every feature: request frame (ids, headers, error
//! pages), CSRF, sessions and the signed-in user, route access, htmx, forms.

pub mod access;
pub mod body_deadline;
mod chain;
pub mod chart;
pub mod csrf;
pub mod forms;
pub mod frame;
pub mod htmx;
pub mod list;
mod multipart_token;
pub mod nav;
pub mod page;
pub mod render;
pub mod routing;
pub mod session;
pub mod state;
pub mod static_files;

pub use access::Access;
pub use htmx::Htmx;
pub use list::Pager;
pub use nav::Section;
pub use page::Chrome;
pub use session::CurrentUser;
