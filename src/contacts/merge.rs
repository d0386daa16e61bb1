//! Duplicates page and the field-by-field merge of two contacts.

use std::collections::HashMap;

use actix_session::Session;
use actix_web::{HttpResponse, web};
use askama::Template;

use super::duplicate_scan;
use super::duplicates::{self, Merged, Pair};
use super::repo::{self, ContactDetail};
use crate::audit::{self, AuditAction, AuditEntity, Entry};
use crate::db::write_tx;
use crate::domain::ids::{ContactId, UserId};
use crate::error::{AppError, AppResult};
use crate::i18n::{Arg, Locale, StoredMessage, key, set_flash};
use crate::records::timeline::{self, ActivityKind, SystemEvent};
use crate::records::{Links, RecordRef};
use crate::web::Section;
use crate::web::render::{page, see_other};
use crate::web::state::AppState;
use crate::web::{Chrome, CurrentUser};

type State = web::Data<AppState>;

#[derive(Template)]
#[template(path = "contacts/duplicates.html")]
struct DuplicatesPage {
    chrome: Chrome,
    pairs: Vec<Pair>,
    /// When the candidates were last computed (none yet: never).
    computed_at: Option<chrono::NaiveDateTime>,
    /// A new computation is queued or running.
    pending: bool,
}

impl DuplicatesPage {
    /// "Found by the last check, <time>." and whether another is under way.
    fn computed(&self) -> String {
        let locale = &self.chrome.locale;
        let mut text = match self.computed_at {
            Some(at) => locale.t_args(
                "contacts-duplicates-computed",
                &[("when", Arg::Text(locale.datetime(at)))],
            ),
            None => locale.t("contacts-duplicates-never"),
        };
        if self.pending {
            text.push(' ');
            text.push_str(&locale.t("contacts-duplicates-pending"));
        }
        text
    }
}

/// The candidates the background scan found (`duplicate_scan`), scoped to the viewer.
pub async fn list(user: CurrentUser, state: State) -> AppResult<HttpResponse> {
    let viewer = user.viewer();
    let (pairs, computed_at, pending) = state
        .db(move |c| {
            Ok((
                duplicate_scan::pairs(c, &viewer)?,
                duplicate_scan::computed_at(c)?,
                duplicate_scan::pending(c)?,
            ))
        })
        .await?;
    page(&DuplicatesPage {
        chrome: Chrome::new(&user, Section::Contacts),
        pairs,
        computed_at,
        pending,
    })
}

/// One row of the merge form: the two values and which one is kept.
pub struct Choice {
    pub key: &'static str,
    pub label: &'static str,
    pub a: String,
    pub b: String,
    pub take_b: bool,
}

#[derive(Template)]
#[template(path = "contacts/merge.html")]
struct MergePage {
    chrome: Chrome,
    a: ContactDetail,
    b: ContactDetail,
    choices: Vec<Choice>,
}

impl MergePage {
    /// "Ada Lovelace (#3) stays;"
    fn stays(&self) -> String {
        self.named("contacts-merge-stays", &self.a)
    }

    /// "… (#4) is removed after …"
    fn removed(&self) -> String {
        self.named("contacts-merge-removed", &self.b)
    }

    fn named(&self, k: &str, c: &ContactDetail) -> String {
        self.chrome.locale.t_args(
            k,
            &[("name", Arg::Text(c.name())), ("id", Arg::Num(c.id.get()))],
        )
    }
}

fn show(v: &Option<String>) -> String {
    v.clone().unwrap_or_default()
}

/// (key, label (a message key), value in a, value in b) for every mergeable field.
fn fields(
    loc: &Locale,
    a: &ContactDetail,
    b: &ContactDetail,
) -> Vec<(&'static str, &'static str, String, String)> {
    vec![
        (
            "first_name",
            key("contacts-first-name"),
            a.first_name.clone(),
            b.first_name.clone(),
        ),
        (
            "last_name",
            key("contacts-last-name"),
            a.last_name.clone(),
            b.last_name.clone(),
        ),
        (
            "email",
            key("records-email"),
            show(&a.email),
            show(&b.email),
        ),
        (
            "phone",
            key("records-phone"),
            show(&a.phone),
            show(&b.phone),
        ),
        (
            "title",
            key("contacts-job-title"),
            show(&a.title),
            show(&b.title),
        ),
        (
            "account",
            key("contacts-company"),
            show(&a.account_name),
            show(&b.account_name),
        ),
        (
            "address",
            key("records-address"),
            show(&a.address),
            show(&b.address),
        ),
        ("city", key("records-city"), show(&a.city), show(&b.city)),
        (
            "country",
            key("records-country"),
            show(&a.country),
            show(&b.country),
        ),
        (
            "lifecycle",
            key("contacts-stage"),
            loc.t(a.lifecycle.label_key()),
            loc.t(b.lifecycle.label_key()),
        ),
        (
            "source",
            key("contacts-source"),
            show(&a.source),
            show(&b.source),
        ),
        (
            "consent",
            key("contacts-consent"),
            loc.t(a.consent.label_key()),
            loc.t(b.consent.label_key()),
        ),
        (
            "owner",
            key("records-owner"),
            a.owner().into(),
            b.owner().into(),
        ),
    ]
}

async fn load_pair(
    state: &State,
    user: &CurrentUser,
    id: ContactId,
    other: ContactId,
) -> AppResult<(ContactDetail, ContactDetail)> {
    if id == other {
        return Err(AppError::refused(key("contacts-error-merge-self")));
    }
    let viewer = user.viewer();
    state
        .db(move |c| {
            let a = repo::get(c, &viewer, id)?.ok_or(AppError::NotFound)?;
            let b = repo::get(c, &viewer, other)?.ok_or(AppError::NotFound)?;
            Ok((a, b))
        })
        .await
}

pub async fn form(
    user: CurrentUser,
    state: State,
    path: web::Path<(ContactId, ContactId)>,
) -> AppResult<HttpResponse> {
    let (id, other) = path.into_inner();
    let (a, b) = load_pair(&state, &user, id, other).await?;
    // Keep the survivor's value unless it is empty.
    let choices = fields(&user.locale, &a, &b)
        .into_iter()
        .map(|(key, label, va, vb)| Choice {
            key,
            label,
            take_b: va.trim().is_empty() && !vb.trim().is_empty(),
            a: va,
            b: vb,
        })
        .collect();
    page(&MergePage {
        chrome: Chrome::new(&user, Section::Contacts),
        a,
        b,
        choices,
    })
}

fn pick<T: Clone>(form: &HashMap<String, String>, key: &str, a: &T, b: &T) -> T {
    if form.get(&format!("pick_{key}")).map(String::as_str) == Some("b") {
        b.clone()
    } else {
        a.clone()
    }
}

pub async fn submit(
    user: CurrentUser,
    state: State,
    session: Session,
    path: web::Path<(ContactId, ContactId)>,
    form: web::Form<HashMap<String, String>>,
) -> AppResult<HttpResponse> {
    let (id, other) = path.into_inner();
    let (a, b) = load_pair(&state, &user, id, other).await?;
    let f = form.into_inner();
    let consent_from_b = f.get("pick_consent").map(String::as_str) == Some("b");
    let merged = Merged {
        first_name: pick(&f, "first_name", &a.first_name, &b.first_name),
        last_name: pick(&f, "last_name", &a.last_name, &b.last_name),
        email: pick(&f, "email", &a.email, &b.email),
        phone: pick(&f, "phone", &a.phone, &b.phone),
        title: pick(&f, "title", &a.title, &b.title),
        account_id: pick(&f, "account", &a.account_id, &b.account_id),
        address: pick(&f, "address", &a.address, &b.address),
        city: pick(&f, "city", &a.city, &b.city),
        country: pick(&f, "country", &a.country, &b.country),
        lifecycle: pick(&f, "lifecycle", &a.lifecycle, &b.lifecycle),
        source: pick(&f, "source", &a.source, &b.source),
        consent: if consent_from_b { b.consent } else { a.consent },
        consent_changed_at: if consent_from_b {
            b.consent_changed_at
        } else {
            a.consent_changed_at
        },
        consent_source: if consent_from_b {
            b.consent_source.clone()
        } else {
            a.consent_source.clone()
        },
        owner_id: pick(&f, "owner", &a.owner_id, &b.owner_id),
    };
    let actor = user.id;
    state
        .db(move |c| {
            write_tx(c, |c| {
                duplicates::merge(c, &a, &b, &merged)?;
                timeline::log_event(
                    c,
                    Links::of(RecordRef::Contact(a.id))
                        .with_opt(merged.account_id.map(RecordRef::Account)),
                    &SystemEvent {
                        kind: ActivityKind::Merge,
                        message: StoredMessage::new(key("contacts-merge-note"))
                            .text("name", b.name())
                            .num("id", b.id.get()),
                        author: Some(UserId::new(actor)),
                        reference: Some(RecordRef::Contact(b.id)),
                    },
                )?;
                audit::record(
                    c,
                    Entry {
                        actor: Some(actor),
                        action: AuditAction::Merge,
                        entity: AuditEntity::Contact,
                        entity_id: Some(a.id.get()),
                        summary: StoredMessage::new(key("audit-contacts-merged"))
                            .text("from", b.name())
                            .num("from_id", b.id.get())
                            .text("into", a.name())
                            .num("into_id", a.id.get()),
                    },
                )?;
                Ok::<_, AppError>(())
            })
        })
        .await?;
    set_flash(&session, key("contacts-flash-merged"));
    Ok(see_other(&format!("/contacts/{id}")))
}
