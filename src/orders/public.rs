//! The public quote page (`/q/{token}`): no sign-in, no app chrome, in the
//! customer's language. The customer reads the quote, prints or downloads
//! it and, while it is sent, accepts it by typing their name. Every refused
//! link (malformed, altered, expired, withdrawn) is the same 404 page.
//!
//! Accepting is one conditional UPDATE (`repo::accept_by_link`: still
//! sent, the version the customer read, the current link key) with the
//! event on the timeline (name, client address; the entry's time) in the
//! same `write_tx`; a second acceptance finds the quote no longer sent and
//! is told so (409). The form carries the session's CSRF token like every
//! other form (the page issues it, as the login page does).

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::http::header::{
    CONTENT_DISPOSITION, ContentDisposition, DispositionParam, DispositionType,
};
use actix_web::{HttpRequest, HttpResponse, web};

use super::domain::OrderStatus;
use super::quote_link::{self, QuoteMail};
use super::repo::{self, Order};
use super::views::{LinkGonePage, PublicQuotePage};
use crate::db::{DbConn, write_tx};
use crate::error::{AppError, AppResult};
use crate::i18n::{StoredMessage, key, negotiate};
use crate::records::timeline::{self, ActivityKind, SystemEvent};
use crate::web::csrf;
use crate::web::list::Params;
use crate::web::render::{html, see_other};
use crate::web::state::AppState;

type State = web::Data<AppState>;

const NAME_MAX_CHARS: usize = 200;

/// The document behind the token, or the "link does not work" page.
async fn open(
    state: &State,
    req: &HttpRequest,
    token: String,
) -> AppResult<Result<Order, HttpResponse>> {
    let signer = QuoteMail::new(&state.config).signer;
    let now = chrono::Utc::now().timestamp();
    let (found, workspace) = state
        .db(move |c| {
            Ok((
                quote_link::open(c, &signer, &token, now)?,
                crate::i18n::repo::workspace_locale(c)?,
            ))
        })
        .await?;
    match found {
        Some(o) if o.status != OrderStatus::Draft => Ok(Ok(o)),
        _ => Ok(Err(html(
            StatusCode::NOT_FOUND,
            &LinkGonePage {
                locale: negotiate::public_locale(req, workspace),
            },
        )?)),
    }
}

fn public_page(
    c: &mut DbConn,
    o: Order,
    token: String,
    csrf: String,
) -> AppResult<PublicQuotePage> {
    Ok(PublicQuotePage::new(
        super::document::printable(c, o)?,
        token,
        csrf,
    ))
}

/// `GET /q/{token}`
pub async fn show(
    req: HttpRequest,
    state: State,
    session: Session,
    path: web::Path<String>,
) -> AppResult<HttpResponse> {
    let token = path.into_inner();
    let o = match open(&state, &req, token.clone()).await? {
        Ok(o) => o,
        Err(gone) => return Ok(gone),
    };
    let csrf = csrf::token(&session)?;
    let view = state.db(move |c| public_page(c, o, token, csrf)).await?;
    html(StatusCode::OK, &view)
}

/// `GET /q/{token}/download`: the printable document as a file.
pub async fn download(
    req: HttpRequest,
    state: State,
    path: web::Path<String>,
) -> AppResult<HttpResponse> {
    let token = path.into_inner();
    let o = match open(&state, &req, token).await? {
        Ok(o) => o,
        Err(gone) => return Ok(gone),
    };
    let number = o.number();
    let doc = state.db(move |c| super::document::printable(c, o)).await?;
    let mut res = html(StatusCode::OK, &doc)?;
    let name: String = number
        .chars()
        .filter(|ch| ch.is_ascii_alphanumeric() || *ch == '-')
        .collect();
    let disposition = ContentDisposition {
        disposition: DispositionType::Attachment,
        parameters: vec![DispositionParam::Filename(format!("{name}.html"))],
    };
    if let Ok(v) = disposition.to_string().parse() {
        res.headers_mut().insert(CONTENT_DISPOSITION, v);
    }
    Ok(res)
}

/// Why an acceptance did not happen.
enum Refusal {
    Name,
    Changed,
    NoLonger,
}

/// `POST /q/{token}`: accept the quote as `name`. Done: 303 back to the
/// page (now saying it is accepted). No name: 422 with the error beside
/// the field. Accepted, cancelled or changed meanwhile: 409 saying so.
pub async fn accept(
    req: HttpRequest,
    state: State,
    session: Session,
    path: web::Path<String>,
    body: web::Form<Params>,
) -> AppResult<HttpResponse> {
    let token = path.into_inner();
    let o = match open(&state, &req, token.clone()).await? {
        Ok(o) => o,
        Err(gone) => return Ok(gone),
    };
    let name = body.get("name").trim().to_string();
    let version: Option<i32> = body.get("version").trim().parse().ok();
    let ip = req
        .peer_addr()
        .map(|a| a.ip().to_string())
        .unwrap_or_default();
    let csrf = csrf::token(&session)?;
    let here = format!("/q/{token}");
    let answer = state
        .db(move |c| {
            let valid_name = !name.is_empty()
                && name.chars().count() <= NAME_MAX_CHARS
                && !name.chars().any(char::is_control);
            let refusal = if !valid_name {
                Some(Refusal::Name)
            } else if o.status != OrderStatus::Sent {
                Some(Refusal::NoLonger)
            } else {
                let key_now = o.link_key.clone().unwrap_or_default();
                let done = write_tx(c, |c| {
                    if !repo::accept_by_link(c, o.id, version.unwrap_or(-1), &key_now)? {
                        return Ok::<bool, AppError>(false);
                    }
                    timeline::log_event(
                        c,
                        o.links(),
                        &SystemEvent {
                            kind: ActivityKind::Order,
                            message: StoredMessage::new(key("quotes-event-accepted"))
                                .text("number", o.number())
                                .text("name", &name)
                                .text("ip", &ip),
                            author: None,
                            reference: None,
                        },
                    )?;
                    Ok(true)
                })?;
                if done {
                    None
                } else {
                    // Accepted or withdrawn meanwhile, or changed since read.
                    match repo::get_for_link(c, o.id.get())? {
                        Some(now) if now.status == OrderStatus::Sent => Some(Refusal::Changed),
                        _ => Some(Refusal::NoLonger),
                    }
                }
            };
            let Some(refusal) = refusal else {
                return Ok(None);
            };
            // The page as it stands now, with the reason.
            let current = repo::get_for_link(c, o.id.get())?.unwrap_or(o);
            let mut page = public_page(c, current, token, csrf)?;
            let words = page.locale;
            let status = match refusal {
                Refusal::Name => {
                    page.error = Some(words.t("quotes-error-name"));
                    StatusCode::UNPROCESSABLE_ENTITY
                }
                Refusal::Changed => {
                    page.notice = Some(words.t("quotes-error-changed"));
                    StatusCode::CONFLICT
                }
                Refusal::NoLonger => {
                    if page.order.status != OrderStatus::Cancelled {
                        page.notice = Some(words.t("quotes-error-already-accepted"));
                    }
                    StatusCode::CONFLICT
                }
            };
            page.name = name;
            Ok(Some((status, Box::new(page))))
        })
        .await?;
    match answer {
        None => Ok(see_other(&here)),
        Some((status, page)) => html(status, &*page),
    }
}
