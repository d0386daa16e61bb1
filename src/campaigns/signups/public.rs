//! The public sign-up page and its double opt-in, no account needed:
//!
//! - `GET /s/{slug}`: name, email, a required consent box and a hidden
//!   honeypot, in the form's language.
//! - `POST /s/{slug}`: rate-limited per client address (the login
//!   throttle's counter under its own key), errors beside the fields (422);
//!   finds or creates the contact by address *without* subscribing them,
//!   records a pending sign-up and queues the confirmation mail in the same
//!   transaction, then the thank-you page. An address already subscribed
//!   gets the same page (and a link of its own by mail), so the page never
//!   tells whether an address is known. A filled honeypot gets the same
//!   page and nothing happens.
//! - `GET /s/confirm/{token}`: a button; changes nothing (mail scanners
//!   open links). `POST`: confirms — consent becomes subscribed (source
//!   `signup:<form>:confirmed`), the contact gets the form's tag, the
//!   timeline says so; then joins the form's static list (compare and set,
//!   its own short transactions; repeated by every POST, so idempotent). The token (`Purpose::SignupConfirm`, the sign-up
//!   row's id, 7 days) authenticates the POST instead of a CSRF cookie;
//!   a token that does not verify — altered, expired, another purpose — is
//!   404.

use actix_session::Session;
use actix_web::{HttpRequest, HttpResponse, web};

use super::domain::{CONFIRM_DAYS, SignupInput};
use super::repo::{self, SignupForm};
use super::views::{ConfirmPage, PublicPage};
use crate::db::{DbConn, write_tx};
use crate::error::{AppError, AppResult};
use crate::i18n::Locale;
use crate::mail::Email;
use crate::signed::{PublicLinks, Purpose};
use crate::web::csrf;
use crate::web::forms::FieldErrors;
use crate::web::list::Params;
use crate::web::render::{invalid, page, see_other};
use crate::web::state::AppState;

type State = web::Data<AppState>;

/// Submissions of sign-up forms per client address per window.
const SIGNUP_KEY: &str = "signup-form";

fn links(state: &AppState) -> PublicLinks {
    PublicLinks::new(&state.config.secret_key, &state.config.base_url)
}

/// The form's language, in the workspace's time zone.
fn form_locale(c: &mut DbConn, f: &SignupForm) -> AppResult<Locale> {
    let ws = crate::i18n::repo::workspace_locale(c)?;
    Ok(Locale::new(f.lang(), ws.tz))
}

async fn form_and_locale(state: &State, slug: String) -> AppResult<(SignupForm, Locale)> {
    state
        .db(move |c| {
            let f = repo::by_slug(c, &slug)?
                .filter(|f| f.active)
                .ok_or(AppError::NotFound)?;
            let locale = form_locale(c, &f)?;
            Ok((f, locale))
        })
        .await
}

fn blank(locale: Locale, csrf: String, f: &SignupForm) -> PublicPage {
    PublicPage {
        locale,
        csrf,
        slug: f.slug.clone(),
        title: f.title.clone(),
        intro: f.intro.clone(),
        full_name: String::new(),
        email: String::new(),
        consent: false,
        errors: FieldErrors::new(),
        done: false,
    }
}

pub async fn form(
    req: HttpRequest,
    state: State,
    session: Session,
    path: web::Path<String>,
) -> AppResult<HttpResponse> {
    let (f, locale) = form_and_locale(&state, path.into_inner()).await?;
    let done = req.query_string().contains("sent=1");
    page(&PublicPage {
        done,
        ..blank(locale, csrf::token(&session)?, &f)
    })
}

/// The confirmation mail: the link, in the form's language.
fn confirmation(
    state: &AppState,
    locale: &Locale,
    f: &SignupForm,
    to: &str,
    link: &str,
) -> AppResult<Email> {
    let text = format!(
        "{}\r\n\r\n{}\r\n{}\r\n\r\n{}\r\n",
        locale.t_str("campaigns-public-mail-hello", "title", &f.title),
        locale.t("campaigns-public-mail-action"),
        link,
        locale.t_num("campaigns-public-mail-ignore", "days", CONFIRM_DAYS),
    );
    let subject = locale.t_str("campaigns-public-mail-subject", "title", &f.title);
    // A title too long for a subject line still gets its mail.
    let subject: String = subject.chars().take(400).collect();
    Email::new(&state.config.mail_from, to, &subject, text).map_err(AppError::unexpected)
}

pub async fn submit(
    req: HttpRequest,
    state: State,
    session: Session,
    path: web::Path<String>,
    body: web::Form<Params>,
) -> AppResult<HttpResponse> {
    let slug = path.into_inner();
    let ip = req.peer_addr().map(|a| a.ip());
    crate::auth::throttle::refuse_if_blocked(&state, SIGNUP_KEY, ip).await?;
    let (f, locale) = form_and_locale(&state, slug).await?;
    let thanks = format!("/s/{}?sent=1", f.slug);
    if !body.get("website").trim().is_empty() {
        // A bot: the same answer, nothing done, and it counts.
        crate::auth::throttle::record_failure(&state, SIGNUP_KEY, ip).await?;
        return Ok(see_other(&thanks));
    }
    let input = SignupInput::from_params(&body);
    let address = match input.check(&locale) {
        Ok(a) => a,
        Err(errors) => {
            return invalid(&PublicPage {
                full_name: input.name,
                email: input.email,
                consent: input.consent,
                errors,
                ..blank(locale, csrf::token(&session)?, &f)
            });
        }
    };
    crate::auth::throttle::record_failure(&state, SIGNUP_KEY, ip).await?;
    let links = links(&state);
    let st = state.clone();
    state
        .db(move |c| {
            write_tx(c, |tx| {
                let id = repo::request(tx, &f, address.as_str(), &input.name)?;
                let expires = chrono::Utc::now().timestamp() + CONFIRM_DAYS * 86_400;
                let link = format!(
                    "{}/s/confirm/{}",
                    links.base_url,
                    links
                        .signer
                        .sign(Purpose::SignupConfirm, id, Some(expires), b"")
                );
                let mail = confirmation(&st, &locale, &f, address.as_str(), &link)?;
                crate::mail::outbox::enqueue(tx, &mail)?;
                Ok::<_, AppError>(())
            })
        })
        .await?;
    Ok(see_other(&thanks))
}

/// The sign-up a token opens, or 404 (every refusal alike).
async fn signup_of(state: &State, token: &str) -> AppResult<(repo::Signup, Locale)> {
    let id = links(state)
        .signer
        .verify(
            Purpose::SignupConfirm,
            token,
            b"",
            chrono::Utc::now().timestamp(),
        )
        .map_err(|_| AppError::NotFound)?;
    state
        .db(move |c| {
            let s = repo::signup(c, id)?.ok_or(AppError::NotFound)?;
            let locale = form_locale(c, &s.form)?;
            Ok((s, locale))
        })
        .await
}

/// `GET /s/confirm/{token}`: asks; changes nothing.
pub async fn confirm_page(state: State, path: web::Path<String>) -> AppResult<HttpResponse> {
    let token = path.into_inner();
    let (s, locale) = signup_of(&state, &token).await?;
    page(&ConfirmPage {
        locale,
        token,
        title: s.form.title.clone(),
        email: s.email.clone(),
        confirmed: s.state == super::domain::SignupState::Confirmed,
    })
}

/// `POST /s/confirm/{token}`: confirms (once; again is a no-op).
pub async fn confirm(state: State, path: web::Path<String>) -> AppResult<HttpResponse> {
    let token = path.into_inner();
    let (s, locale) = signup_of(&state, &token).await?;
    let (title, email) = (s.form.title.clone(), s.email.clone());
    state
        .db(move |c| {
            repo::ensure_tag(c, &s.form)?;
            write_tx(c, |tx| repo::confirm(tx, &s))?;
            if let Some(list) = s.form.segment_id {
                repo::join_static_list(c, list, s.contact_id)?;
            }
            Ok(())
        })
        .await?;
    page(&ConfirmPage {
        locale,
        token,
        title,
        email,
        confirmed: true,
    })
}
