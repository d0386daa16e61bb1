//! Creating and updating a contact: one unit of work shared by both forms.

use super::domain::{Consent, ContactInput};
use super::forms::ContactForm;
use super::repo::{self, ContactDetail};
use super::views::full_name;
use crate::accounts;
use crate::audit::{self, AuditAction, AuditEntity, Entry};
use crate::db::{DbConn, write_tx};
use crate::domain::ids::{ContactId, UserId};
use crate::error::{AppError, AppResult};
use crate::records::timeline::{self, ActivityKind, NewEntry};
use crate::records::{Links, RecordRef};
use crate::web::CurrentUser;
use crate::web::forms::FieldErrors;

pub enum Saved {
    Done(ContactId),
    Invalid(FieldErrors, Vec<(i64, String)>),
}

pub use crate::staff::assign::owner_choices;

/// Warns (once) when another contact already has this email address.
fn duplicate_warning(
    c: &mut DbConn,
    user: &CurrentUser,
    input: &ContactInput,
    except: Option<ContactId>,
    errors: &mut FieldErrors,
) -> AppResult<()> {
    let Some(email) = &input.email else {
        return Ok(());
    };
    let Some(other) = repo::find_by_email(c, email.as_str(), except)? else {
        return Ok(());
    };
    let message = match repo::get(c, &user.viewer(), other)? {
        Some(existing) => format!(
            "{} already has this email (contact #{}). Tick “Save anyway” to keep both.",
            existing.name(),
            existing.id
        ),
        None => "A contact you cannot see already has this email. Tick “Save anyway” to keep both."
            .to_string(),
    };
    errors.add("email", message);
    errors.add("duplicate", other.to_string());
    Ok(())
}

/// Validates and saves; `existing` is None when creating.
pub fn save(
    c: &mut DbConn,
    user: &CurrentUser,
    form: &ContactForm,
    existing: Option<&ContactDetail>,
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
    if let Some(input) = &input
        && errors.is_empty()
        && !form.allow_duplicate()
    {
        duplicate_warning(c, user, input, existing.map(|e| e.id), &mut errors)?;
    }
    let Some(input) = input.filter(|_| errors.is_empty()) else {
        return Ok(Saved::Invalid(errors, owner_choices(c, user)?));
    };
    let viewer = user.viewer();
    let owner = UserId::new(owner);
    let before = existing.map(|e| e.consent).unwrap_or(Consent::NeverAsked);
    let consent_changed = input.consent != before;
    let how = consent_changed.then(|| format!("Set by {} on the contact form", user.name));
    write_tx(c, |c| {
        let account = match &input.account_name {
            Some(name) => Some(accounts::repo::find_or_create(c, &viewer, name, owner)?),
            None => None,
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
        crate::tags::set(c, record, &input.tags)?;
        if consent_changed {
            let subject = format!(
                "Marketing consent: {} → {}",
                before.label(),
                input.consent.label()
            );
            timeline::log(
                c,
                &NewEntry {
                    links: Links::of(record).with_opt(account.map(RecordRef::Account)),
                    kind: ActivityKind::Consent,
                    subject: Some(&subject),
                    body: "",
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
                summary: format!(
                    "{} {}",
                    full_name(&input.first_name, &input.last_name),
                    input
                        .email
                        .as_ref()
                        .map(|e| format!("<{}>", e.as_str()))
                        .unwrap_or_default()
                ),
            },
        )?;
        Ok(Saved::Done(id))
    })
}
