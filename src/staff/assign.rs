//! Choosing who owns a record. One rule for every module: only users allowed
//! to assign (Action::ContactsAssign) may choose, and only among the users
//! their record scope reaches. A field a user is not shown cannot be set by
//! posting it.

use crate::auth::policy::Action;
use crate::db::DbConn;
use crate::error::AppResult;
use crate::staff;
use crate::web::CurrentUser;
use crate::web::forms::FieldErrors;

/// Owners the user may choose from (empty when they may not assign).
pub fn owner_choices(c: &mut DbConn, user: &CurrentUser) -> AppResult<Vec<(i64, String)>> {
    if user.can(Action::ContactsAssign) {
        Ok(staff::repo::assignable_users(c, &user.viewer())?)
    } else {
        Ok(Vec::new())
    }
}

/// The owner a save may set from the posted `owner_id`: the chosen one if
/// allowed, else `fallback` (an error is added for a choice out of reach).
pub fn resolve_owner(
    c: &mut DbConn,
    user: &CurrentUser,
    posted: &str,
    fallback: i64,
    errors: &mut FieldErrors,
) -> AppResult<i64> {
    if !user.can(Action::ContactsAssign) || posted.trim().is_empty() {
        return Ok(fallback);
    }
    let allowed = staff::repo::assignable_users(c, &user.viewer())?;
    match posted
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|chosen| allowed.iter().any(|(id, _)| id == chosen))
    {
        Some(chosen) => Ok(chosen),
        None => {
            errors.add("owner_id", user.locale.t("records-error-owner"));
            Ok(fallback)
        }
    }
}
