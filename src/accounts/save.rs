//! Creating and updating an account: one unit of work shared by both forms.

use super::domain::AccountInput;
use super::forms::AccountForm;
use super::repo::{self, AccountDetail};
use crate::audit::{self, AuditAction, AuditEntity, Entry};
use crate::db::{DbConn, write_tx};
use crate::domain::ids::AccountId;
use crate::error::{AppError, AppResult};
use crate::i18n::{StoredMessage, key};
use crate::records::save::{Checked, Duplicate, Posted, check};
use crate::web::CurrentUser;

pub type Saved = crate::records::save::Saved<AccountId>;

pub use crate::staff::assign::owner_choices;

/// Another account of this name: contacts link to companies by name, so
/// two of a name are usually a mistake.
fn duplicate(
    c: &mut DbConn,
    user: &CurrentUser,
    input: &AccountInput,
    except: Option<AccountId>,
) -> AppResult<Option<Duplicate>> {
    let Some(other) = repo::find_by_name(c, &input.name, except)? else {
        return Ok(None);
    };
    let seen = repo::get(c, &user.viewer(), other)?.map(|a| a.name);
    Ok(Some(Duplicate::new(
        &user.locale,
        "name",
        other.get(),
        seen,
        (
            key("accounts-error-duplicate"),
            key("accounts-error-duplicate-hidden"),
        ),
    )))
}

/// Validates and saves; `existing` is None when creating.
pub fn save(
    c: &mut DbConn,
    user: &CurrentUser,
    form: &AccountForm,
    existing: Option<&AccountDetail>,
) -> AppResult<Saved> {
    let posted = Posted {
        owner_id: &form.owner_id,
        fallback_owner: existing.map_or(user.id, |e| e.owner_id.get()),
        allow_duplicate: form.allow_duplicate(),
    };
    let checked = check(c, user, form.validate(&user.locale), posted, |c, input| {
        // Only a new name is checked: keeping a known duplicate needs no warning.
        match existing {
            Some(e) if e.name.to_lowercase() == input.name.to_lowercase() => Ok(None),
            _ => duplicate(c, user, input, existing.map(|e| e.id)),
        }
    })?;
    let (input, owner) = match checked {
        Checked::Valid(input, owner) => (input, owner),
        Checked::Invalid(errors, owners) => return Ok(Saved::Invalid(errors, owners)),
    };
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
                summary: StoredMessage::new(key("audit-record")).text(
                    "name",
                    match &input.domain {
                        Some(d) => format!("{} ({})", input.name, d.as_str()),
                        None => input.name.clone(),
                    },
                ),
            },
        )?;
        Ok(Saved::Done(id))
    })
}
