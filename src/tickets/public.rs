//! Pages for customers, no account needed: the ticket page behind its
//! signed link (`/t/{token}`, public messages only, a reply form), the
//! contact-support form (`/support`, rate-limited per client address with
//! a honeypot field) and the rating page (`/csat/{token}`). Every refused
//! token — malformed, forged, for another purpose, or from before the
//! ticket's link key changed — is the same 404.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use diesel::prelude::*;

use super::conversation::{self, MailCtx};
use super::domain::{MessageKind, Status};
use super::handlers::{download, shown};
use super::repo::{self, Ticket};
use super::views::{CsatPage, PublicPage, SupportPage};
use super::write::{self, NewTicket};
use crate::db::schema::csat_ratings;
use crate::db::{DbConn, now, write_tx};
use crate::domain::ids::TicketId;
use crate::error::{AppError, AppResult};
use crate::i18n::{self, Locale, negotiate};
use crate::signed::{Purpose, Unverified};
use crate::web::csrf;
use crate::web::forms::FieldErrors;
use crate::web::list::Params;
use crate::web::render::{html, page, see_other};
use crate::web::state::AppState;

type State = web::Data<AppState>;

/// Submissions of the support form per client address per window (the
/// login throttle's counter under its own key).
const SUPPORT_KEY: &str = "support-form";

/// The ticket a token opens, or None (every refusal alike).
fn ticket_of(
    c: &mut DbConn,
    ctx: &MailCtx,
    purpose: Purpose,
    token: &str,
) -> AppResult<Option<Ticket>> {
    let Ok(claim) = Unverified::parse(token) else {
        return Ok(None);
    };
    let Some(t) = repo::get_any(c, TicketId::new(claim.id_to_look_up()))? else {
        return Ok(None);
    };
    let ok = claim
        .verify(
            &ctx.signer,
            purpose,
            t.link_key.as_bytes(),
            chrono::Utc::now().timestamp(),
        )
        .is_ok();
    Ok(ok.then_some(t))
}

async fn locale_of(state: &State, req: &HttpRequest) -> AppResult<Locale> {
    let workspace = state.db(|c| Ok(i18n::repo::workspace_locale(c)?)).await?;
    Ok(negotiate::public_locale(req, workspace))
}

fn public_page(
    c: &mut DbConn,
    locale: Locale,
    csrf: String,
    token: String,
    t: Ticket,
    notice: Option<String>,
    error: Option<String>,
) -> AppResult<PublicPage> {
    Ok(PublicPage {
        messages: shown(c, t.id, true)?,
        locale,
        csrf,
        token,
        t,
        notice,
        error,
    })
}

pub async fn ticket_page(
    req: HttpRequest,
    state: State,
    session: Session,
    path: web::Path<String>,
) -> AppResult<HttpResponse> {
    let token = path.into_inner();
    let locale = locale_of(&state, &req).await?;
    let csrf = csrf::token(&session)?;
    let ctx = MailCtx::from_config(&state.config);
    let sent = req.query_string().contains("sent=1");
    let view = state
        .db(move |c| {
            let t = ticket_of(c, &ctx, Purpose::TicketPage, &token)?.ok_or(AppError::NotFound)?;
            let notice = sent.then(|| locale.t("tickets-public-sent"));
            public_page(c, locale, csrf, token, t, notice, None)
        })
        .await?;
    page(&view)
}

pub async fn ticket_reply(
    req: HttpRequest,
    state: State,
    session: Session,
    path: web::Path<String>,
    body: web::Form<Params>,
) -> AppResult<HttpResponse> {
    let token = path.into_inner();
    let locale = locale_of(&state, &req).await?;
    let csrf = csrf::token(&session)?;
    let ctx = MailCtx::from_config(&state.config);
    let text = body.text("body", 20_000).unwrap_or_default();
    let tok = token.clone();
    let answer = state
        .db(move |c| {
            let t = ticket_of(c, &ctx, Purpose::TicketPage, &tok)?.ok_or(AppError::NotFound)?;
            if text.trim().is_empty() || t.status == Status::Closed {
                let error = Some(locale.t(if t.status == Status::Closed {
                    "tickets-public-closed"
                } else {
                    "tickets-error-empty"
                }));
                return Ok(Some(public_page(c, locale, csrf, tok, t, None, error)?));
            }
            write_tx(c, |c| conversation::customer_message(c, &t, &text, None))?;
            Ok(None)
        })
        .await?;
    match answer {
        None => Ok(see_other(&format!("/t/{token}?sent=1"))),
        Some(view) => html(StatusCode::UNPROCESSABLE_ENTITY, &view),
    }
}

/// `GET /t/{token}/files/{id}`: a public message's attachment.
pub async fn ticket_file(state: State, path: web::Path<(String, i64)>) -> AppResult<HttpResponse> {
    let (token, file) = path.into_inner();
    let ctx = MailCtx::from_config(&state.config);
    let a = state
        .db(move |c| {
            let t = ticket_of(c, &ctx, Purpose::TicketPage, &token)?.ok_or(AppError::NotFound)?;
            match repo::attachment(c, t.id, file)? {
                Some((a, kind)) if kind.is_public() => Ok(a),
                _ => Err(AppError::NotFound),
            }
        })
        .await?;
    download(&state, &a)
}

fn blank_support(locale: Locale, csrf: String) -> SupportPage {
    SupportPage {
        locale,
        csrf,
        email: String::new(),
        requester_name: String::new(),
        subject: String::new(),
        body: String::new(),
        errors: FieldErrors::new(),
        done: false,
    }
}

pub async fn support_form(
    req: HttpRequest,
    state: State,
    session: Session,
) -> AppResult<HttpResponse> {
    let locale = locale_of(&state, &req).await?;
    let done = req.query_string().contains("sent=1");
    page(&SupportPage {
        done,
        ..blank_support(locale, csrf::token(&session)?)
    })
}

/// `POST /support`: opens a ticket in the default queue and mails the
/// requester a confirmation with their link. A filled honeypot (`website`,
/// hidden from people) is answered as a success and does nothing.
pub async fn support_submit(
    req: HttpRequest,
    state: State,
    session: Session,
    body: web::Form<Params>,
) -> AppResult<HttpResponse> {
    let locale = locale_of(&state, &req).await?;
    let ip = req.peer_addr().map(|a| a.ip());
    crate::auth::throttle::refuse_if_blocked(&state, SUPPORT_KEY, ip).await?;
    if !body.get("website").trim().is_empty() {
        return Ok(see_other("/support?sent=1"));
    }
    let mut view = blank_support(locale, csrf::token(&session)?);
    view.email = body.get("email").trim().to_string();
    view.requester_name = body.text("name", 200).unwrap_or_default();
    view.subject = body.text("subject", 400).unwrap_or_default();
    view.body = body.text("body", 20_000).unwrap_or_default();
    let address = crate::domain::EmailAddress::parse(&view.email);
    if let Err(e) = &address {
        view.errors.add("email", e.text(&locale));
    }
    if view.subject.trim().is_empty() {
        view.errors
            .add("subject", locale.t("tickets-error-subject"));
    }
    if view.body.trim().is_empty() {
        view.errors.add("body", locale.t("tickets-error-empty"));
    }
    let Ok(address) = address else {
        return html(StatusCode::UNPROCESSABLE_ENTITY, &view);
    };
    if !view.errors.is_empty() {
        return html(StatusCode::UNPROCESSABLE_ENTITY, &view);
    }
    crate::auth::throttle::record_failure(&state, SUPPORT_KEY, ip).await?;
    let ctx = MailCtx::from_config(&state.config);
    let (name, subject, text) = (
        view.requester_name.clone(),
        view.subject.clone(),
        view.body.clone(),
    );
    state
        .db(move |c| {
            write_tx(c, |c| {
                let requester = write::find_or_create_contact(c, address.as_str(), &name)?;
                let queue = repo::default_queue(c)?;
                let (id, _) = write::open(
                    c,
                    &NewTicket {
                        subject: &subject,
                        requester,
                        queue: &queue,
                        priority: None,
                        body: &text,
                        kind: MessageKind::CustomerMessage,
                        author: None,
                        message_id: None,
                        links: Default::default(),
                    },
                )?;
                conversation::confirm_to_requester(c, &ctx, &locale, id)
            })
        })
        .await?;
    Ok(see_other("/support?sent=1"))
}

fn csat_page(
    locale: Locale,
    csrf: String,
    token: String,
    t: &Ticket,
    score: i32,
    done: bool,
) -> CsatPage {
    CsatPage {
        locale,
        csrf,
        token,
        subject: t.subject.clone(),
        score,
        done,
    }
}

fn rated(c: &mut DbConn, id: TicketId) -> QueryResult<bool> {
    Ok(csat_ratings::table
        .filter(csat_ratings::ticket_id.eq(id))
        .select(csat_ratings::id)
        .first::<i64>(c)
        .optional()?
        .is_some())
}

/// `GET /csat/{token}?score=`: the rating form, the mailed score chosen.
pub async fn csat_form(
    req: HttpRequest,
    state: State,
    session: Session,
    path: web::Path<String>,
    query: web::Query<Params>,
) -> AppResult<HttpResponse> {
    let token = path.into_inner();
    let locale = locale_of(&state, &req).await?;
    let csrf = csrf::token(&session)?;
    let ctx = MailCtx::from_config(&state.config);
    let score = query
        .get("score")
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|s| (1..=5).contains(s))
        .unwrap_or(5);
    let view = state
        .db(move |c| {
            let t = ticket_of(c, &ctx, Purpose::Csat, &token)?.ok_or(AppError::NotFound)?;
            let done = rated(c, t.id)?;
            Ok(csat_page(locale, csrf, token, &t, score, done))
        })
        .await?;
    page(&view)
}

/// `POST /csat/{token}`: one rating per ticket (the unique index keeps
/// the first; a second answers as done).
pub async fn csat_submit(
    req: HttpRequest,
    state: State,
    session: Session,
    path: web::Path<String>,
    body: web::Form<Params>,
) -> AppResult<HttpResponse> {
    let token = path.into_inner();
    let locale = locale_of(&state, &req).await?;
    let csrf = csrf::token(&session)?;
    let ctx = MailCtx::from_config(&state.config);
    let Some(score) = body
        .get("score")
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|s| (1..=5).contains(s))
    else {
        return Err(AppError::refused("tickets-error-score"));
    };
    let comment = body.text("comment", 2000).unwrap_or_default();
    let view = state
        .db(move |c| {
            let t = ticket_of(c, &ctx, Purpose::Csat, &token)?.ok_or(AppError::NotFound)?;
            if !rated(c, t.id)? {
                let inserted = diesel::insert_into(csat_ratings::table)
                    .values((
                        csat_ratings::ticket_id.eq(t.id),
                        csat_ratings::queue_id.eq(t.queue_id),
                        csat_ratings::agent_id.eq(t.assignee_id),
                        csat_ratings::score.eq(score),
                        csat_ratings::comment.eq(&comment),
                        csat_ratings::created_at.eq(now()),
                    ))
                    .execute(c);
                // A second rating racing the first: the unique index keeps one.
                if let Err(e) = inserted
                    && !rated(c, t.id)?
                {
                    return Err(e.into());
                }
                crate::db::note_write();
            }
            Ok(csat_page(locale, csrf, token, &t, score, true))
        })
        .await?;
    page(&view)
}
