//! A raw lead — a person and a company not yet in the CRM — becomes a
//! contact, an account and a deal in ONE transaction (`/leads/new-lead`).
//! Each record goes through its own form's save (`accounts::save`,
//! `contacts::save`, `deals::save`), so the checks are theirs: a company
//! name or an email address already known is a duplicate warning beside
//! its field, and the form then offers to link to the existing record or
//! to create a new one anyway. Anything refused rolls the whole lead back
//! (the three saves are savepoints inside one `write_tx`).

use actix_session::Session;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::domain::DealSource;
use super::forms::DealForm;
use super::save::{Party, Saved as DealSaved};
use super::views::LeadPage;
use crate::accounts::forms::AccountForm;
use crate::contacts::forms::ContactForm;
use crate::db::{DbConn, TxError, write_tx};
use crate::domain::ids::{AccountId, ContactId, DealId};
use crate::error::{AppError, AppResult};
use crate::i18n::key;
use crate::pipelines::repo as pipelines;
use crate::records::save::Saved;
use crate::web::forms::FieldErrors;
use crate::web::list::Params;
use crate::web::render::{after_save, html, page};
use crate::web::state::AppState;
use crate::web::{CurrentUser, Htmx};

#[derive(Deserialize, Default, Debug, Clone)]
#[serde(default)]
pub struct LeadForm {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: String,
    pub company: String,
    pub title: String,
    pub value: String,
    pub currency: String,
    pub stage_id: String,
    /// After a duplicate warning: an existing contact's id to link, or
    /// `new` to create one anyway.
    pub contact_match: String,
    /// The same for the company.
    pub account_match: String,
}

/// What to do with a record the lead names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Choice {
    /// Create it, unless it looks like an existing one (warn).
    Check,
    /// Create it although it looks like an existing one.
    New,
    /// Link the existing record with this id.
    Link(i64),
}

fn choice(raw: &str) -> Choice {
    match raw.trim() {
        "new" => Choice::New,
        s => s.parse().map_or(Choice::Check, Choice::Link),
    }
}

/// Why the transaction was rolled back.
enum Undo {
    Invalid(FieldErrors),
    Failed(AppError),
}

impl From<diesel::result::Error> for Undo {
    fn from(e: diesel::result::Error) -> Self {
        Undo::Failed(e.into())
    }
}

impl From<AppError> for Undo {
    fn from(e: AppError) -> Self {
        Undo::Failed(e)
    }
}

impl TxError for Undo {
    fn is_retryable(&self) -> bool {
        matches!(self, Undo::Failed(e) if e.is_retryable())
    }
}

/// The company: linked, created, or none; errors beside `company`.
fn account(
    c: &mut DbConn,
    user: &CurrentUser,
    form: &LeadForm,
    errors: &mut FieldErrors,
) -> AppResult<Option<AccountId>> {
    let name = form.company.trim();
    match choice(&form.account_match) {
        Choice::Link(id) => {
            let id = AccountId::new(id);
            let found = crate::accounts::repo::get(c, &user.viewer(), id)?.map(|_| id);
            if found.is_none() {
                errors.add("company", user.locale.t("deals-error-account"));
            }
            Ok(found)
        }
        _ if name.is_empty() => Ok(None),
        how => {
            let f = AccountForm {
                name: name.to_string(),
                owner_id: user.id.to_string(),
                allow_duplicate: if how == Choice::New {
                    "on".into()
                } else {
                    String::new()
                },
                ..AccountForm::default()
            };
            match crate::accounts::save::save(c, user, &f, None)? {
                Saved::Done(id) => Ok(Some(id)),
                Saved::Invalid(e, _) => {
                    errors.absorb(e, |f| match f {
                        "duplicate" => "account_duplicate".into(),
                        _ => "company".into(),
                    });
                    Ok(None)
                }
            }
        }
    }
}

/// The person: linked, or created in the company (the account just
/// made or linked); errors beside their fields.
fn contact(
    c: &mut DbConn,
    user: &CurrentUser,
    form: &LeadForm,
    account: Option<AccountId>,
    errors: &mut FieldErrors,
) -> AppResult<Option<ContactId>> {
    let how = choice(&form.contact_match);
    if let Choice::Link(id) = how {
        let id = ContactId::new(id);
        let found = crate::contacts::repo::get(c, &user.viewer(), id)?.map(|_| id);
        if found.is_none() {
            errors.add("email", user.locale.t("deals-error-contact"));
        }
        return Ok(found);
    }
    let f = ContactForm {
        first_name: form.first_name.clone(),
        last_name: form.last_name.clone(),
        email: form.email.clone(),
        phone: form.phone.clone(),
        owner_id: user.id.to_string(),
        allow_duplicate: if how == Choice::New {
            "on".into()
        } else {
            String::new()
        },
        ..ContactForm::default()
    };
    match crate::contacts::save::save_in(c, user, &f, None, account)? {
        Saved::Done(id) => Ok(Some(id)),
        Saved::Invalid(e, _) => {
            errors.absorb(e, |f| match f {
                "duplicate" => "contact_duplicate".into(),
                "account_name" => "company".into(),
                other => other.into(),
            });
            Ok(None)
        }
    }
}

/// Makes (or links) the three records, or nothing at all: the new deal.
pub fn convert(
    c: &mut DbConn,
    user: &CurrentUser,
    form: &LeadForm,
) -> AppResult<Result<DealId, FieldErrors>> {
    let outcome = write_tx(c, |c| {
        let mut errors = FieldErrors::new();
        let account = account(c, user, form, &mut errors)?;
        let contact = contact(c, user, form, account, &mut errors)?;
        let deal = DealForm {
            title: form.title.clone(),
            contact: contact.map(|id| format!("#{id}")).unwrap_or_default(),
            account: account.map(|id| format!("#{id}")).unwrap_or_default(),
            value: form.value.clone(),
            currency: form.currency.clone(),
            source: DealSource::Other.as_str().into(),
            stage_id: form.stage_id.clone(),
            owner_id: user.id.to_string(),
            ..DealForm::default()
        };
        // The person is checked above: a refused one is not a missing party.
        let party = if contact.is_some() {
            Party::Required
        } else {
            Party::Optional
        };
        let deal = match super::save::save(c, user, &deal, None, party)? {
            DealSaved::Done(id) => Some(id),
            DealSaved::Invalid(e) => {
                errors.absorb(e, |f| match f {
                    "contact" => "email".into(),
                    "account" => "company".into(),
                    other => other.into(),
                });
                None
            }
            DealSaved::Conflict => return Err(Undo::Failed(AppError::NotFound)),
        };
        match (contact, deal) {
            (Some(_), Some(deal)) if errors.is_empty() => Ok(deal),
            _ => Err(Undo::Invalid(errors)),
        }
    });
    match outcome {
        Ok(done) => Ok(Ok(done)),
        Err(Undo::Invalid(errors)) => Ok(Err(errors)),
        Err(Undo::Failed(e)) => Err(e),
    }
}

/// The page for the form, with its errors and the existing records a
/// duplicate warning points at (when the viewer may see them).
fn lead_page(
    c: &mut DbConn,
    user: &CurrentUser,
    form: LeadForm,
    errors: FieldErrors,
) -> AppResult<LeadPage> {
    let viewer = user.viewer();
    let pick = |f: &str| errors.get(f).and_then(|v| v.parse::<i64>().ok());
    let contact_match = match pick("contact_duplicate") {
        Some(id) => {
            crate::contacts::repo::get(c, &viewer, ContactId::new(id))?.map(|d| (id, d.name()))
        }
        None => None,
    };
    let account_match = match pick("account_duplicate") {
        Some(id) => {
            crate::accounts::repo::get(c, &viewer, AccountId::new(id))?.map(|a| (id, a.name))
        }
        None => None,
    };
    let all = pipelines::all(c)?;
    Ok(LeadPage::new(
        user,
        form,
        errors,
        (contact_match, account_match),
        &all,
    ))
}

/// `GET /leads/new-lead` (`?stage=` picks the stage).
pub async fn new_form(
    user: CurrentUser,
    state: web::Data<AppState>,
    query: web::Query<Params>,
) -> AppResult<HttpResponse> {
    let u = user.clone();
    let view = state
        .db(move |c| {
            let all = pipelines::all(c)?;
            let first = pipelines::pick(&all, None)
                .and_then(|p| p.open_stages().next())
                .map(|s| s.id.get());
            let form = LeadForm {
                currency: crate::settings::repo::get(c)?.currency,
                stage_id: query
                    .id("stage")
                    .or(first)
                    .map(|s| s.to_string())
                    .unwrap_or_default(),
                ..LeadForm::default()
            };
            lead_page(c, &u, form, FieldErrors::new())
        })
        .await?;
    page(&view)
}

/// `POST /leads/new-lead`: the deal's page afterwards; the form again (422)
/// with nothing written when any part is refused.
pub async fn create(
    user: CurrentUser,
    state: web::Data<AppState>,
    htmx: Htmx,
    session: Session,
    form: web::Form<LeadForm>,
) -> AppResult<HttpResponse> {
    let form = form.into_inner();
    let u = user.clone();
    let outcome = state
        .db(move |c| match convert(c, &u, &form)? {
            Ok(done) => Ok(Ok(done)),
            Err(errors) => Ok(Err(lead_page(c, &u, form, errors)?)),
        })
        .await?;
    match outcome {
        Ok(done) => Ok(after_save(
            &session,
            htmx,
            true,
            (key("deals-flash-lead"), key("deals-flash-lead")),
            &format!("/leads/{done}"),
        )),
        Err(view) => html(actix_web::http::StatusCode::UNPROCESSABLE_ENTITY, &view),
    }
}
