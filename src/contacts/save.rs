//! Creating and updating a contact: one unit of work shared by both forms.

use super::domain::{Consent, ContactInput};
use super::forms::ContactForm;
use super::repo::{self, ContactDetail};
use super::views::full_name;
use crate::accounts;
use crate::audit::{self, AuditAction, AuditEntity, Entry};
use crate::db::{DbConn, write_tx};
use crate::domain::ids::{AccountId, ContactId, UserId};
use crate::error::{AppError, AppResult};
use crate::i18n::{StoredMessage, key};
use crate::records::save::{Checked, Duplicate, Posted, check};
use crate::records::timeline::{self, ActivityKind, SystemEvent};
use crate::records::{Links, RecordRef};
use crate::web::CurrentUser;

pub type Saved = crate::records::save::Saved<ContactId>;

pub use crate::staff::assign::owner_choices;

/// Another contact that already has this email address.
fn duplicate(
    c: &mut DbConn,
    user: &CurrentUser,
    input: &ContactInput,
    except: Option<ContactId>,
) -> AppResult<Option<Duplicate>> {
    let Some(email) = &input.email else {
        return Ok(None);
    };
    let Some(other) = repo::find_by_email(c, email.as_str(), except)? else {
        return Ok(None);
    };
    let seen = repo::get(c, &user.viewer(), other)?.map(|e| e.name());
    Ok(Some(Duplicate::new(
        &user.locale,
        "email",
        other.get(),
        seen,
        (
            key("contacts-error-duplicate"),
            key("contacts-error-duplicate-hidden"),
        ),
    )))
}

/// Validates and saves; `existing` is None when creating.
pub fn save(
    c: &mut DbConn,
    user: &CurrentUser,
    form: &ContactForm,
    existing: Option<&ContactDetail>,
) -> AppResult<Saved> {
    save_in(c, user, form, existing, None)
}

/// As `save`, in an account already chosen (the new-lead form links or
/// creates it first) instead of the one the company field names.
pub fn save_in(
    c: &mut DbConn,
    user: &CurrentUser,
    form: &ContactForm,
    existing: Option<&ContactDetail>,
    chosen: Option<AccountId>,
) -> AppResult<Saved> {
    let posted = Posted {
        owner_id: &form.owner_id,
        fallback_owner: existing.map_or(user.id, |e| e.owner_id.get()),
        allow_duplicate: form.allow_duplicate(),
    };
    let except = existing.map(|e| e.id);
    let checked = check(c, user, form.validate(&user.locale), posted, |c, input| {
        duplicate(c, user, input, except)
    })?;
    let (input, owner) = match checked {
        Checked::Valid(input, owner) => (input, owner),
        Checked::Invalid(errors, owners) => return Ok(Saved::Invalid(errors, owners)),
    };
    let viewer = user.viewer();
    let before = existing.map(|e| e.consent).unwrap_or(Consent::NeverAsked);
    let consent_changed = input.consent != before;
    // Where consent came from, worded when the contact is shown.
    let how = consent_changed.then(|| {
        StoredMessage::new(key("contacts-consent-set-by"))
            .text("name", user.name.as_str())
            .to_json()
    });
    write_tx(c, |c| {
        let account = match (&input.account_name, chosen) {
            (_, Some(id)) => Some(id),
            (Some(name), None) => Some(accounts::repo::find_or_create(c, &viewer, name, owner)?),
            (None, None) => None,
        };
        let id = match existing {
            None => repo::insert(c, &input, owner, account, how.as_deref())?,
            Some(e) => {
                if repo::update(c, e.id, &input, owner, account, how.as_deref())? == 0 {
                    return Err(AppError::NotFound);
                }
                e.id
            }
        };
        let record = RecordRef::Contact(id);
        repo::set_language(c, id, input.language)?;
        crate::tags::set(c, record, &input.tags)?;
        if consent_changed {
            timeline::log_event(
                c,
                Links::of(record).with_opt(account.map(RecordRef::Account)),
                &SystemEvent {
                    kind: ActivityKind::Consent,
                    message: StoredMessage::new(key("contacts-consent-changed"))
                        .label("before", before.label_key())
                        .label("after", input.consent.label_key()),
                    author: Some(UserId::new(user.id)),
                    reference: None,
                },
            )?;
        }
        audit::record(
            c,
            Entry {
                actor: Some(user.id),
                action: if existing.is_some() {
                    AuditAction::Update
                } else {
                    AuditAction::Create
                },
                entity: AuditEntity::Contact,
                entity_id: Some(id.get()),
                summary: StoredMessage::new(key("audit-record")).text(
                    "name",
                    format!(
                        "{} {}",
                        full_name(&input.first_name, &input.last_name),
                        input
                            .email
                            .as_ref()
                            .map(|e| format!("<{}>", e.as_str()))
                            .unwrap_or_default()
                    ),
                ),
            },
        )?;
        Ok(Saved::Done(id))
    })
}
