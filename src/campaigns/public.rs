//! Pages for recipients, without an account: the unsubscribe link (GET
//! asks and changes nothing; POST unsubscribes — also the RFC 8058
//! one-click POST mail providers send, answered without a session or CSRF
//! cookie because the signed token authenticates it) and the web version.
//! A token that does not verify is a 404, whatever is wrong with it.

use actix_web::{HttpRequest, HttpResponse, web};

use super::repo;
use super::tracking::{self, EventKind};
use super::views::{UnsubscribePage, WebVersionPage};
use crate::contacts::domain::Consent;
use crate::db::{DbConn, write_tx};
use crate::error::{AppError, AppResult};
use crate::i18n::{Locale, negotiate};
use crate::signed::{PublicLinks, Purpose};
use crate::web::render::page;
use crate::web::state::AppState;

type State = web::Data<AppState>;

fn links(state: &AppState) -> PublicLinks {
    PublicLinks::new(&state.config.secret_key, &state.config.base_url)
}

/// The recipient id a token names, or 404.
fn recipient_id(state: &AppState, purpose: Purpose, token: &str) -> AppResult<i64> {
    links(state)
        .verify(purpose, token)
        .map_err(|_| AppError::NotFound)
}

pub(super) async fn locale(state: &State, req: &HttpRequest) -> AppResult<Locale> {
    let workspace = state
        .db(|c| Ok(crate::i18n::repo::workspace_locale(c)?))
        .await?;
    Ok(negotiate::public_locale(req, workspace))
}

fn load(c: &mut DbConn, id: i64) -> AppResult<(i64, i64, String, bool)> {
    let (campaign, contact, email) = repo::recipient(c, id)?.ok_or(AppError::NotFound)?;
    let consent = repo::consent_of(c, contact)?.ok_or(AppError::NotFound)?;
    Ok((
        campaign,
        contact,
        email,
        consent == Consent::Subscribed.as_str(),
    ))
}

/// `GET /u/{token}`: the preference page; changes nothing (link scanners
/// and prefetchers open it).
pub async fn unsubscribe_page(
    req: HttpRequest,
    state: State,
    path: web::Path<String>,
) -> AppResult<HttpResponse> {
    let token = path.into_inner();
    let id = recipient_id(&state, Purpose::Unsubscribe, &token)?;
    let (_, _, email, subscribed) = state.db(move |c| load(c, id)).await?;
    let locale = locale(&state, &req).await?;
    page(&UnsubscribePage {
        locale,
        token,
        email,
        subscribed,
        done: false,
    })
}

/// `POST /u/{token}`: unsubscribes (the form on the page, or a mail
/// provider's one-click `List-Unsubscribe=One-Click`).
pub async fn unsubscribe(
    req: HttpRequest,
    state: State,
    path: web::Path<String>,
) -> AppResult<HttpResponse> {
    let token = path.into_inner();
    let id = recipient_id(&state, Purpose::Unsubscribe, &token)?;
    let email = state
        .db(move |c| {
            let (campaign, contact, email, _) = load(c, id)?;
            let changed = write_tx(c, |tx| {
                repo::set_consent(
                    tx,
                    contact,
                    Consent::Unsubscribed,
                    &super::unsubscribe_source(campaign),
                )
            })?;
            if changed {
                tracking::record_unsubscribe(c, campaign, id)?;
            }
            Ok(email)
        })
        .await?;
    let locale = locale(&state, &req).await?;
    page(&UnsubscribePage {
        locale,
        token,
        email,
        subscribed: false,
        done: true,
    })
}

/// `GET /w/{token}`: the message as this recipient got it.
pub async fn web_version(
    req: HttpRequest,
    state: State,
    path: web::Path<String>,
) -> AppResult<HttpResponse> {
    let token = path.into_inner();
    let id = recipient_id(&state, Purpose::WebVersion, &token)?;
    let links = links(&state);
    let locale = locale(&state, &req).await?;
    let (subject, html, unsubscribe) = state
        .db(move |c| {
            let (campaign, contact, _, _) = load(c, id)?;
            let campaign = repo::get(c, campaign)?.ok_or(AppError::NotFound)?;
            let merge = super::handlers::merge_for(c, contact)?.ok_or(AppError::NotFound)?;
            let footer = super::engine::footer(&links, &locale, "", id);
            let (subject, html) = campaign
                .prepared()
                .and_then(|p| p.web_body(&merge, &footer))
                .map_err(|_| AppError::NotFound)?;
            Ok((subject, html, footer.unsubscribe_url))
        })
        .await?;
    page(&WebVersionPage {
        locale,
        subject,
        html,
        unsubscribe,
    })
}

/// A whole email as a page of its own, under the mail policy
/// (`web::frame::MailDocument`).
pub(super) fn mail_document(html: String) -> HttpResponse {
    let mut res = HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(html);
    res.extensions_mut().insert(crate::web::frame::MailDocument);
    res
}

/// `GET /o/{token}`: the open pixel. Counts an open and answers the image
/// whatever happens (a mail client shows nothing either way); a token that
/// does not verify counts nothing.
pub async fn open(state: State, path: web::Path<String>) -> HttpResponse {
    if let Ok(id) = recipient_id(&state, Purpose::Open, &path.into_inner()) {
        let counted = state
            .db(move |c| {
                let (campaign, _, _) = repo::recipient(c, id)?.ok_or(AppError::NotFound)?;
                count_event(c, campaign, id, EventKind::Open, None)
            })
            .await;
        if let Err(e) = counted {
            tracing::warn!(recipient = id, error = %e, "an open was not counted");
        }
    }
    HttpResponse::Ok()
        .content_type("image/gif")
        .insert_header(("Cache-Control", "no-store, max-age=0"))
        .body(tracking::PIXEL)
}

/// `GET /c/{token}/{link}`: counts a click and redirects to the link's
/// address — only an address the campaign's messages contained, and only
/// with a token made for that recipient and link; anything else is 404.
pub async fn click(state: State, path: web::Path<(String, i64)>) -> AppResult<HttpResponse> {
    let (token, link) = path.into_inner();
    let id = tracking::verify_click(&links(&state), &token, link).ok_or(AppError::NotFound)?;
    let url = state
        .db(move |c| {
            let (campaign, url) = tracking::link(c, link)?.ok_or(AppError::NotFound)?;
            let (of, _, _) = repo::recipient(c, id)?.ok_or(AppError::NotFound)?;
            if of != campaign {
                return Err(AppError::NotFound);
            }
            count_event(c, campaign, id, EventKind::Click, Some(link))?;
            Ok(url)
        })
        .await?;
    Ok(HttpResponse::Found()
        .insert_header(("Location", url))
        .insert_header(("Cache-Control", "no-store"))
        .insert_header(("Referrer-Policy", "no-referrer"))
        .finish())
}

/// Records an open or click of ledger row `id` of `campaign`.
fn count_event(
    c: &mut DbConn,
    campaign: i64,
    id: i64,
    kind: EventKind,
    link: Option<i64>,
) -> AppResult<()> {
    let individual = crate::settings::repo::get(c)?.track_individuals;
    tracking::record(c, campaign, id, kind, link, individual)?;
    Ok(())
}
