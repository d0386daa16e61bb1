//! Creating and updating an account: one unit of work shared by both forms.

use super::domain::AccountInput;
use super::forms::AccountForm;
use super::repo::{self, AccountDetail};
use crate::audit::{self, AuditAction, AuditEntity, Entry};
use crate::db::{DbConn, write_tx};
use crate::domain::ids::{AccountId, UserId};
use crate::error::{AppError, AppResult};
use crate::web::CurrentUser;
use crate::web::forms::FieldErrors;

pub enum Saved {
    Done(AccountId),
    Invalid(FieldErrors, Vec<(i64, String)>),
}

pub use crate::staff::assign::owner_choices;

/// Warns (once) when another account already has this name: contacts link
/// to companies by name, so two of a name are usually a mistake.
fn duplicate_warning(
    c: &mut DbConn,
    user: &CurrentUser,
    input: &AccountInput,
    except: Option<AccountId>,
    errors: &mut FieldErrors,
) -> AppResult<()> {
    let Some(other) = repo::find_by_name(c, &input.name, except)? else {
        return Ok(());
    };
    let message = match repo::get(c, &user.viewer(), other)? {
        Some(_) => format!(
            "An account of this name already exists (account #{other}). Tick “Save anyway” to keep both."
        ),
        None => "An account you cannot see already has this name. Tick “Save anyway” to keep both."
            .to_string(),
    };
    errors.add("name", message);
    errors.add("duplicate", other.to_string());
    Ok(())
}

/// Validates and saves; `existing` is None when creating.
pub fn save(
    c: &mut DbConn,
    user: &CurrentUser,
    form: &AccountForm,
    existing: Option<&AccountDetail>,
) -> AppResult<Saved> {
    let mut errors = FieldErrors::new();
    let input = form.validate().map_err(|e| errors = e).ok();
    let owner = crate::staff::assign::resolve_owner(
        c,
        user,
        &form.owner_id,
        existing.map_or(user.id, |e| e.owner_id.get()),
        &mut errors,
    )?;
    // Only a new name is checked: keeping a known duplicate needs no warning.
    if let Some(input) = &input
        && errors.is_empty()
        && !form.allow_duplicate()
        && existing.is_none_or(|e| e.name.to_lowercase() != input.name.to_lowercase())
    {
        duplicate_warning(c, user, input, existing.map(|e| e.id), &mut errors)?;
    }
    let Some(input) = input.filter(|_| errors.is_empty()) else {
        return Ok(Saved::Invalid(errors, owner_choices(c, user)?));
    };
    let owner = UserId::new(owner);
    write_tx(c, |c| {
        let id = match existing {
            None => repo::insert(c, &input, owner)?,
            Some(e) => {
                if repo::update(c, e.id, &input, owner)? == 0 {
                    return Err(AppError::NotFound);
                }
                e.id
            }
        };
        crate::tags::set(c, crate::records::RecordRef::Account(id), &input.tags)?;
        audit::record(
            c,
            Entry {
                actor: Some(user.id),
                action: if existing.is_some() {
                    AuditAction::Update
                } else {
                    AuditAction::Create
                },
                entity: AuditEntity::Account,
                entity_id: Some(id.get()),
                summary: match &input.domain {
                    Some(d) => format!("{} ({})", input.name, d.as_str()),
                    None => input.name.clone(),
                },
            },
        )?;
        Ok(Saved::Done(id))
    })
}
