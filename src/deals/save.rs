//! Creating and updating a deal: one unit of work shared by both forms.
//! The contact and account must be within the viewer's scope; the owner
//! follows the contacts' rule (`staff::assign`); an edit is a conditional
//! update on the version the form was drawn from.

use super::forms::DealForm;
use super::repo::{self, Deal, DealInput};
use crate::audit::{self, AuditAction, AuditEntity, Entry};
use crate::db::{DbConn, write_tx};
use crate::domain::ids::{AccountId, ContactId, DealId, UserId};
use crate::error::{AppError, AppResult};
use crate::i18n::{StoredMessage, key};
use crate::pipelines::repo as pipelines;
use crate::records::RecordRef;
use crate::staff::assign::resolve_owner;
use crate::web::CurrentUser;
use crate::web::forms::FieldErrors;

/// Whether the deal must name a contact or an account: the deal form asks
/// for one; a column's quick-add takes a title and a value only.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Party {
    Required,
    Optional,
}

pub enum Saved {
    Done(DealId),
    Invalid(FieldErrors),
    /// Someone else saved or moved the deal since the form was drawn.
    Conflict,
}

/// The visible contact named by an email address or an id number.
pub(crate) fn contact(
    c: &mut DbConn,
    user: &CurrentUser,
    raw: &str,
) -> AppResult<Option<ContactId>> {
    let raw = raw.trim().trim_start_matches('#');
    let id = match ContactId::parse(raw) {
        Some(id) => Some(id),
        None => crate::contacts::repo::find_by_email(c, &raw.to_lowercase(), None)?,
    };
    Ok(match id {
        Some(id) => crate::contacts::repo::get(c, &user.viewer(), id)?.map(|_| id),
        None => None,
    })
}

/// The visible account named by its name, or `#id` (a form that already
/// chose one, such as the new-lead form).
fn account(c: &mut DbConn, user: &CurrentUser, raw: &str) -> AppResult<Option<AccountId>> {
    let viewer = user.viewer();
    if let Some(id) = raw.strip_prefix('#').and_then(AccountId::parse) {
        return Ok(crate::accounts::repo::get(c, &viewer, id)?.map(|_| id));
    }
    Ok(crate::accounts::repo::find_visible_by_name(c, &viewer, raw)?.map(|(id, _)| id))
}

/// Validates and saves; `existing` is None when creating.
pub fn save(
    c: &mut DbConn,
    user: &CurrentUser,
    form: &DealForm,
    existing: Option<&Deal>,
    party: Party,
) -> AppResult<Saved> {
    let l = &user.locale;
    let mut errors = FieldErrors::new();
    let checked = form.check(l, &mut errors);
    let contact_id = match form.contact.trim() {
        "" => None,
        raw => {
            let found = contact(c, user, raw)?;
            if found.is_none() {
                errors.add("contact", l.t("deals-error-contact"));
            }
            found
        }
    };
    let account_id: Option<AccountId> = match form.account.trim() {
        "" => None,
        name => {
            let found = account(c, user, name)?;
            if found.is_none() {
                errors.add("account", l.t("deals-error-account"));
            }
            found
        }
    };
    if party == Party::Required && form.contact.trim().is_empty() && form.account.trim().is_empty()
    {
        errors.add("account", l.t("deals-error-party"));
    }
    let fallback = existing.map_or(user.id, |e| e.owner_id.get());
    let owner = resolve_owner(c, user, &form.owner_id, fallback, &mut errors)?;
    // A new deal starts in an open stage; its pipeline is the stage's.
    let start = match existing {
        Some(_) => None,
        None => {
            let stage = match checked.stage {
                Some(id) => pipelines::stage(c, id)?.filter(|s| s.is_open()),
                None => None,
            };
            if stage.is_none() {
                errors.add("stage_id", l.t("deals-error-stage"));
            }
            stage.map(|s| (s.pipeline_id, s.id))
        }
    };
    if !errors.is_empty() {
        return Ok(Saved::Invalid(errors));
    }
    let input = DealInput {
        title: checked.title,
        contact_id,
        account_id,
        value_minor: checked.value_minor,
        currency: checked.currency,
        expected_close: checked.expected_close,
        source: checked.source,
        probability: checked.probability,
        tags: checked.tags,
    };
    let owner = UserId::new(owner);
    let by = UserId::new(user.id);
    write_tx(c, |c| {
        let id = match (existing, start) {
            (None, Some(start)) => repo::insert(c, &input, owner, start, by)?,
            (Some(e), _) => {
                let version = checked.version.unwrap_or(e.version);
                if repo::update(c, e.id, version, &input, owner)? == 0 {
                    return Ok(Saved::Conflict);
                }
                e.id
            }
            (None, None) => return Err(AppError::NotFound),
        };
        crate::tags::set(c, RecordRef::Deal(id), &input.tags)?;
        audit::record(
            c,
            Entry {
                actor: Some(user.id),
                action: if existing.is_some() {
                    AuditAction::Update
                } else {
                    AuditAction::Create
                },
                entity: AuditEntity::Deal,
                entity_id: Some(id.get()),
                summary: StoredMessage::new(key("audit-record")).text("name", input.title.as_str()),
            },
        )?;
        Ok(Saved::Done(id))
    })
}
