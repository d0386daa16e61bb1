//! Canned responses: `/tickets/canned` (ManageTickets) keeps them — a
//! title and a body with merge fields (`{{ requester.first_name }}`,
//! `{{ ticket.number }}`, `{{ agent.name }}` …), checked at save time in
//! the same minijinja sandbox campaign mails render in
//! (`campaigns::render`). `POST /tickets/{id}/canned` puts one, merged for
//! that ticket, after what the agent already typed in the reply box: the
//! whole page comes back without JS, only the textarea with htmx.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Serialize;

use super::conversation::MailCtx;
use super::domain::MessageKind;
use super::handlers::{Draft, load_visible, show_page};
use super::repo::{self as ticket_repo, Ticket};
use super::setup::{answer, refusal};
use super::setup_forms::{self as forms, CannedForm, MERGE_FIELDS};
use super::setup_repo::{self as repo, Canned};
use crate::db::{DbConn, write_tx};
use crate::domain::ids::{CannedId, TicketId};
use crate::error::{AppError, AppResult};
use crate::i18n::{Locale, key, set_flash};
use crate::web::forms::FieldErrors;
use crate::web::list::Params;
use crate::web::render::{after_post, html, page};
use crate::web::state::AppState;
use crate::web::{Chrome, CurrentUser, Htmx, Section};

type State = web::Data<AppState>;

#[derive(Template)]
#[template(path = "tickets/canned.html")]
pub struct CannedPage {
    pub chrome: Chrome,
    pub list: Vec<Canned>,
    /// The one being edited (None: the new form).
    pub editing: Option<Canned>,
    pub form: CannedForm,
    pub errors: FieldErrors,
    pub notice: Option<String>,
    pub fields: [&'static str; 13],
}

fn canned_page(
    c: &mut DbConn,
    user: &CurrentUser,
    editing: Option<CannedId>,
    form: Option<CannedForm>,
    errors: FieldErrors,
    notice: Option<String>,
) -> AppResult<CannedPage> {
    let editing = match editing {
        Some(id) => Some(repo::canned(c, id)?.ok_or(AppError::NotFound)?),
        None => None,
    };
    let form = form.unwrap_or_else(|| match &editing {
        Some(e) => CannedForm {
            title: e.title.clone(),
            body: e.body.clone(),
        },
        None => CannedForm::default(),
    });
    Ok(CannedPage {
        chrome: Chrome::new(user, Section::Tickets),
        list: repo::canned_list(c)?,
        editing,
        form,
        errors,
        notice,
        fields: MERGE_FIELDS,
    })
}

pub async fn list(user: CurrentUser, state: State) -> AppResult<HttpResponse> {
    let u = user.clone();
    let view = state
        .db(move |c| canned_page(c, &u, None, None, FieldErrors::new(), None))
        .await?;
    page(&view)
}

pub async fn edit(
    user: CurrentUser,
    state: State,
    path: web::Path<CannedId>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let u = user.clone();
    let view = state
        .db(move |c| canned_page(c, &u, Some(id), None, FieldErrors::new(), None))
        .await?;
    page(&view)
}

/// `POST /tickets/canned` (new) and `POST /tickets/canned/{id}` (edit over
/// the version shown): a template error is 422 beside the body.
async fn save(
    user: CurrentUser,
    state: State,
    htmx: Htmx,
    session: Session,
    id: Option<CannedId>,
    body: Params,
) -> AppResult<HttpResponse> {
    let form = CannedForm::from_params(&body);
    let version = forms::version(&body);
    let u = user.clone();
    let done = state
        .db(move |c| {
            if let Some(id) = id {
                repo::canned(c, id)?.ok_or(AppError::NotFound)?;
            }
            if let Err(errors) = form.check(&u.locale) {
                let view = canned_page(c, &u, id, Some(form), errors, None)?;
                return Ok(Err((StatusCode::UNPROCESSABLE_ENTITY, view)));
            }
            let outcome = write_tx(c, |c| match id {
                Some(id) => repo::update_canned(c, id, version, &form.title, &form.body),
                None => repo::insert_canned(c, &form.title, &form.body),
            })?;
            let Some((status, errors, notice)) = refusal(outcome, &u.locale, "title") else {
                return Ok(Ok(()));
            };
            let view = canned_page(c, &u, id, Some(form), errors, notice)?;
            Ok(Err((status, view)))
        })
        .await?;
    let flash = key("tickets-setup-flash-saved");
    answer(done, &session, htmx, flash, "/tickets/canned")
}

pub async fn create(
    user: CurrentUser,
    state: State,
    htmx: Htmx,
    session: Session,
    body: web::Form<Params>,
) -> AppResult<HttpResponse> {
    save(user, state, htmx, session, None, body.into_inner()).await
}

pub async fn update(
    user: CurrentUser,
    state: State,
    htmx: Htmx,
    session: Session,
    path: web::Path<CannedId>,
    body: web::Form<Params>,
) -> AppResult<HttpResponse> {
    let id = Some(path.into_inner());
    save(user, state, htmx, session, id, body.into_inner()).await
}

pub async fn delete(
    _user: CurrentUser,
    state: State,
    htmx: Htmx,
    session: Session,
    path: web::Path<CannedId>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let gone = state
        .db(move |c| Ok(write_tx(c, |c| repo::delete_canned(c, id))?))
        .await?;
    if gone == 0 {
        return Err(AppError::NotFound);
    }
    set_flash(&session, key("tickets-setup-flash-deleted"));
    Ok(after_post(htmx, "/tickets/canned"))
}

// ---------------------------------------------------------------------------
// Into the reply box.

#[derive(Serialize)]
struct MergeRequester {
    first_name: String,
    last_name: String,
    name: String,
    email: String,
}

#[derive(Serialize)]
struct MergeTicket {
    id: i64,
    number: i64,
    subject: String,
    status: String,
    priority: String,
    queue: String,
    link: String,
}

#[derive(Serialize)]
struct MergeAgent {
    name: String,
    first_name: String,
}

#[derive(Serialize)]
struct Merge {
    requester: MergeRequester,
    ticket: MergeTicket,
    agent: MergeAgent,
}

/// What a canned response's merge fields see of a ticket, its requester
/// and the agent (labels in the language mail to customers goes out in).
fn merge_of(
    c: &mut DbConn,
    ctx: &MailCtx,
    t: &Ticket,
    agent: &CurrentUser,
    locale: &Locale,
) -> AppResult<Merge> {
    let (first_name, last_name, email) = repo::requester_names(c, t.requester_id)?;
    let queue = ticket_repo::queue(c, t.queue_id)?
        .map(|q| q.name)
        .unwrap_or_default();
    Ok(Merge {
        requester: MergeRequester {
            name: format!("{first_name} {last_name}").trim().to_string(),
            first_name,
            last_name,
            email: email.unwrap_or_default(),
        },
        ticket: MergeTicket {
            id: t.id.get(),
            number: t.id.get(),
            subject: t.subject.clone(),
            status: locale.t(t.status.label_key()),
            priority: locale.t(t.priority.label_key()),
            queue,
            link: ctx.page_link(t),
        },
        agent: MergeAgent {
            first_name: agent
                .name
                .split_whitespace()
                .next()
                .unwrap_or_default()
                .to_string(),
            name: agent.name.clone(),
        },
    })
}

/// What the agent typed, then the merged response (a blank line between).
pub fn appended(draft: &str, response: &str) -> String {
    let typed = draft.trim_end();
    if typed.trim().is_empty() {
        response.trim().to_string()
    } else {
        format!("{typed}\n\n{}", response.trim())
    }
}

/// The reply form alone (htmx swaps it in place).
#[derive(Template)]
#[template(path = "tickets/_reply_form.html")]
pub struct ReplyFormFragment {
    pub chrome: Chrome,
    pub t: Ticket,
    pub reply_version: i32,
    pub stale: bool,
    pub draft_kind: MessageKind,
    pub draft: String,
    pub canned: Vec<(CannedId, String)>,
    pub canned_error: Option<String>,
}

/// `POST /tickets/{id}/canned`: the reply form's "Insert" button — the
/// chosen response merged for this ticket after the typed draft; kind,
/// version and a pending "send anyway" are kept.
pub async fn insert(
    user: CurrentUser,
    state: State,
    htmx: Htmx,
    path: web::Path<TicketId>,
    body: web::Form<Params>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let typed: String = body
        .get("body")
        .replace("\r\n", "\n")
        .chars()
        .take(20_000)
        .collect();
    let kind = MessageKind::parse(body.get("kind").trim())
        .filter(|k| *k != MessageKind::CustomerMessage)
        .unwrap_or(MessageKind::PublicReply);
    let version: Option<i32> = body.get("version").trim().parse().ok();
    let stale = body.get("confirm") == "1";
    let chosen = CannedId::parse(body.get("canned"));
    let ctx = MailCtx::from_config(&state.config);
    let u = user.clone();
    let fragment = htmx.fragment();
    let answer = state
        .db(move |c| {
            let t = load_visible(c, &u, id)?;
            let merged = match chosen {
                Some(cid) => {
                    let canned = repo::canned(c, cid)?;
                    let locale = crate::i18n::repo::workspace_locale(c)?;
                    match canned {
                        Some(k) => {
                            let m = merge_of(c, &ctx, &t, &u, &locale)?;
                            crate::campaigns::render::render_text(&k.body, &m).map_err(|e| {
                                format!(
                                    "{}: {}",
                                    u.locale.t("tickets-setup-error-template"),
                                    e.message
                                )
                            })
                        }
                        None => Err(u.locale.t("tickets-setup-error-choose-canned")),
                    }
                }
                None => Err(u.locale.t("tickets-setup-error-choose-canned")),
            };
            let (draft, notice) = match merged {
                Ok(text) => {
                    let all = appended(&typed, &text);
                    if all.chars().count() > 20_000 {
                        (
                            typed,
                            Some(u.locale.t("tickets-setup-error-reply-too-long")),
                        )
                    } else {
                        (all, None)
                    }
                }
                Err(n) => (typed, Some(n)),
            };
            let status = if notice.is_some() {
                StatusCode::UNPROCESSABLE_ENTITY
            } else {
                StatusCode::OK
            };
            if fragment {
                let view = ReplyFormFragment {
                    chrome: Chrome::new(&u, Section::Tickets),
                    reply_version: version.unwrap_or(t.version),
                    stale,
                    draft_kind: kind,
                    canned: repo::canned_titles(c)?,
                    canned_error: notice,
                    t,
                    draft,
                };
                return Ok(Err((status, view)));
            }
            let d = Draft {
                body: draft,
                kind,
                stale,
                notice: None,
                canned_error: notice,
                version: Some(version.unwrap_or(t.version)),
                links: None,
            };
            Ok(Ok((status, show_page(c, &u, &ctx, t, d)?)))
        })
        .await?;
    match answer {
        Ok((status, view)) => html(status, &view),
        Err((status, fragment)) => html(status, &fragment),
    }
}
