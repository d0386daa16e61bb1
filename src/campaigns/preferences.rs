//! A recipient's preference page, behind the signed link in every
//! campaign message's footer (`/p/{token}`, `Purpose::Preferences` over the
//! ledger row, like the unsubscribe link): shows whether the address is
//! subscribed, unsubscribes or subscribes again, and keeps the language
//! future mail is written in (en / zh-CN). No login and no CSRF cookie —
//! the token authenticates the POST (`web::csrf::TOKEN_AUTHENTICATED`) and
//! only ever changes that one contact; a token that does not verify is
//! 404. GET changes nothing. The page speaks the contact's language (else
//! the browser's, else the workspace's).

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use diesel::prelude::*;

use crate::contacts::domain::Consent;
use crate::db::schema::contacts;
use crate::db::{DbConn, write_tx};
use crate::domain::ids::ContactId;
use crate::error::{AppError, AppResult};
use crate::i18n::{Lang, Locale, StoredMessage, key, negotiate};
use crate::records::RecordRef;
use crate::records::links::Links;
use crate::records::timeline::{self, ActivityKind, SystemEvent};
use crate::signed::{PublicLinks, Purpose};
use crate::web::forms::FieldErrors;
use crate::web::list::Params;
use crate::web::render::{html, page, see_other};
use crate::web::state::AppState;

type State = web::Data<AppState>;

/// `contacts.consent_source` of a subscription renewed on the preference
/// page of campaign `id` (an unsubscribe there counts as the campaign's:
/// `super::unsubscribe_source`).
pub fn resubscribe_source(id: i64) -> String {
    format!("campaign:{id}:preferences")
}

#[derive(Template)]
#[template(path = "campaigns/preferences.html")]
pub struct PreferencesPage {
    pub locale: Locale,
    pub token: String,
    pub email: String,
    pub consent: Consent,
    /// The contact's language code (else the page's).
    pub language: String,
    pub notice: Option<String>,
    pub errors: FieldErrors,
}

impl PreferencesPage {
    pub fn subscribed(&self) -> bool {
        self.consent == Consent::Subscribed
    }

    pub fn state_label(&self) -> String {
        self.locale.t(self.consent.label_key())
    }

    pub fn languages(&self) -> Vec<(&'static str, String)> {
        Lang::ALL.iter().map(|l| (l.code(), l.name())).collect()
    }
}

/// Who the link is for.
struct Recipient {
    /// The ledger row the token names.
    id: i64,
    campaign: i64,
    contact: i64,
    email: String,
    consent: Consent,
    language: Option<Lang>,
}

fn load(c: &mut DbConn, id: i64) -> AppResult<Recipient> {
    let (campaign, contact, email) = super::repo::recipient(c, id)?.ok_or(AppError::NotFound)?;
    let (consent, language): (String, Option<String>) = contacts::table
        .find(contact)
        .select((contacts::consent, contacts::language))
        .first(c)
        .optional()?
        .ok_or(AppError::NotFound)?;
    Ok(Recipient {
        id,
        campaign,
        contact,
        email,
        consent: Consent::parse(&consent).unwrap_or(Consent::NeverAsked),
        language: language.as_deref().and_then(Lang::parse),
    })
}

fn recipient_id(state: &AppState, token: &str) -> AppResult<i64> {
    PublicLinks::new(&state.config.secret_key, &state.config.base_url)
        .verify(Purpose::Preferences, token)
        .map_err(|_| AppError::NotFound)
}

/// The contact's language, else the visitor's.
async fn locale(state: &State, req: &HttpRequest, id: i64) -> AppResult<(Recipient, Locale)> {
    let (r, workspace) = state
        .db(move |c| Ok((load(c, id)?, crate::i18n::repo::workspace_locale(c)?)))
        .await?;
    let locale = match r.language {
        Some(lang) => Locale::new(lang, workspace.tz),
        None => negotiate::public_locale(req, workspace),
    };
    Ok((r, locale))
}

fn view(r: Recipient, locale: Locale, token: String) -> PreferencesPage {
    PreferencesPage {
        locale,
        token,
        email: r.email,
        consent: r.consent,
        // None chosen: the language the page speaks is preselected.
        language: r.language.unwrap_or(locale.lang).code().to_string(),
        notice: None,
        errors: FieldErrors::new(),
    }
}

/// `GET /p/{token}`: the page; changes nothing.
pub async fn show(
    req: HttpRequest,
    state: State,
    path: web::Path<String>,
) -> AppResult<HttpResponse> {
    let token = path.into_inner();
    let id = recipient_id(&state, &token)?;
    let (r, locale) = locale(&state, &req, id).await?;
    let mut v = view(r, locale, token);
    if req.query_string().contains("saved=1") {
        v.notice = Some(v.locale.t("campaigns-public-prefs-saved"));
    }
    page(&v)
}

/// What a POST asks for.
enum Change {
    Consent(Consent),
    Language(Lang),
}

/// `POST /p/{token}`: `action` = unsubscribe | subscribe | language
/// (with `language`).
pub async fn save(
    req: HttpRequest,
    state: State,
    path: web::Path<String>,
    body: web::Form<Params>,
) -> AppResult<HttpResponse> {
    let token = path.into_inner();
    let id = recipient_id(&state, &token)?;
    let change = match body.get("action") {
        "unsubscribe" => Some(Change::Consent(Consent::Unsubscribed)),
        "subscribe" => Some(Change::Consent(Consent::Subscribed)),
        "language" => Lang::parse(body.get("language").trim()).map(Change::Language),
        _ => None,
    };
    let Some(change) = change else {
        let (r, locale) = locale(&state, &req, id).await?;
        let mut v = view(r, locale, token);
        v.errors
            .add("language", v.locale.t("campaigns-public-error-language"));
        return html(StatusCode::UNPROCESSABLE_ENTITY, &v);
    };
    state
        .db(move |c| {
            let r = load(c, id)?;
            write_tx(c, |tx| apply(tx, &r, &change))?;
            Ok(())
        })
        .await?;
    Ok(see_other(&format!("/p/{token}?saved=1")))
}

fn apply(c: &mut DbConn, r: &Recipient, change: &Change) -> AppResult<()> {
    match change {
        Change::Language(lang) => {
            crate::contacts::repo::set_language(c, ContactId::new(r.contact), Some(*lang))?;
        }
        Change::Consent(to) => {
            let source = match to {
                Consent::Subscribed => resubscribe_source(r.campaign),
                _ => super::unsubscribe_source(r.campaign),
            };
            if super::repo::set_consent(c, r.contact, *to, &source)? {
                if *to == Consent::Unsubscribed {
                    super::tracking::record_unsubscribe(c, r.campaign, r.id)?;
                }
                timeline::log_event(
                    c,
                    Links::of(RecordRef::Contact(ContactId::new(r.contact))),
                    &SystemEvent {
                        kind: ActivityKind::Consent,
                        message: StoredMessage::new(key("campaigns-public-timeline-prefs"))
                            .label("before", r.consent.label_key())
                            .label("after", to.label_key()),
                        author: None,
                        reference: None,
                    },
                )?;
            }
        }
    }
    crate::db::note_write();
    Ok(())
}
