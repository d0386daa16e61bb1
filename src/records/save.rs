//! What the contact and account forms check before they write: the
//! fields, the owner, and another record that looks like the same one.

use crate::db::DbConn;
use crate::domain::ids::UserId;
use crate::error::AppResult;
use crate::i18n::{Arg, Locale};
use crate::web::CurrentUser;
use crate::web::forms::FieldErrors;

pub use crate::staff::assign::owner_choices;

/// The outcome of a save: the record, or the form again with its errors
/// and the owner menu.
pub enum Saved<Id> {
    Done(Id),
    Invalid(FieldErrors, Vec<(i64, String)>),
}

/// Another record that looks like the one being saved.
pub struct Duplicate {
    /// The field the warning goes beside.
    pub field: &'static str,
    pub other: i64,
    pub message: String,
}

impl Duplicate {
    /// The warning beside `field`: message `seen` (with `$id`, `$name`)
    /// when the viewer may see the other record (`visible_name`), else
    /// `hidden`.
    pub fn new(
        loc: &Locale,
        field: &'static str,
        other: i64,
        visible_name: Option<String>,
        (seen, hidden): (&str, &str),
    ) -> Duplicate {
        let message = match visible_name {
            Some(name) => loc.t_args(seen, &[("id", Arg::Num(other)), ("name", Arg::Text(name))]),
            None => loc.t(hidden),
        };
        Duplicate {
            field,
            other,
            message,
        }
    }
}

/// What `check` found: valid input and its owner, or the form again.
pub enum Checked<I> {
    Valid(I, UserId),
    Invalid(FieldErrors, Vec<(i64, String)>),
}

/// What the form posted besides its fields.
pub struct Posted<'a> {
    pub owner_id: &'a str,
    /// The owner when the form names none (the record's, or the user).
    pub fallback_owner: i64,
    /// "Save anyway" was ticked.
    pub allow_duplicate: bool,
}

/// Validated input and owner, or the form again. `duplicate` looks for a
/// look-alike (once the fields are valid and unless "Save anyway" was
/// ticked) and words its warning.
pub fn check<I>(
    c: &mut DbConn,
    user: &CurrentUser,
    validated: Result<I, FieldErrors>,
    posted: Posted,
    duplicate: impl FnOnce(&mut DbConn, &I) -> AppResult<Option<Duplicate>>,
) -> AppResult<Checked<I>> {
    let mut errors = FieldErrors::new();
    let input = validated.map_err(|e| errors = e).ok();
    let owner = crate::staff::assign::resolve_owner(
        c,
        user,
        posted.owner_id,
        posted.fallback_owner,
        &mut errors,
    )?;
    if let Some(input) = &input
        && errors.is_empty()
        && !posted.allow_duplicate
        && let Some(d) = duplicate(c, input)?
    {
        errors.add(d.field, d.message);
        errors.add("duplicate", d.other.to_string());
    }
    match input.filter(|_| errors.is_empty()) {
        Some(input) => Ok(Checked::Valid(input, UserId::new(owner))),
        None => Ok(Checked::Invalid(errors, owner_choices(c, user)?)),
    }
}
