//! Staff pages of senders: the list with each address's state, the add
//! form, a new confirmation link, removal.

use actix_session::Session;
use actix_web::{HttpResponse, web};

use super::domain::{SenderInput, VERIFY_DAYS};
use super::repo;
use super::views::ListPage;
use crate::db::{DbConn, now, write_tx};
use crate::error::{AppError, AppResult};
use crate::i18n::{Locale, set_flash};
use crate::mail::Email;
use crate::signed::{PublicLinks, Purpose};
use crate::web::forms::FieldErrors;
use crate::web::list::Params;
use crate::web::render::{after_post, invalid, page};
use crate::web::state::AppState;
use crate::web::{Chrome, CurrentUser, Htmx, Section};

type State = web::Data<AppState>;

const LIST: &str = "/campaigns/senders";

fn list_page(
    user: &CurrentUser,
    senders: Vec<repo::SenderRow>,
    form: SenderInput,
    errors: FieldErrors,
) -> ListPage {
    ListPage {
        chrome: Chrome::new(user, Section::Campaigns),
        senders,
        form,
        errors,
    }
}

pub async fn list(user: CurrentUser, state: State) -> AppResult<HttpResponse> {
    let senders = state.db(|c| Ok(repo::list(c)?)).await?;
    page(&list_page(
        &user,
        senders,
        SenderInput::default(),
        FieldErrors::new(),
    ))
}

/// Queues the confirmation mail of sender `id` (in the adding user's
/// language): who added the address, the link, how long it holds.
fn queue_link(
    c: &mut DbConn,
    state: &AppState,
    locale: &Locale,
    added_by: &str,
    id: i64,
    email: &str,
) -> AppResult<()> {
    let links = PublicLinks::new(&state.config.secret_key, &state.config.base_url);
    let expires = chrono::Utc::now().timestamp() + VERIFY_DAYS * 86_400;
    let token = links
        .signer
        .sign(Purpose::SenderVerify, id, Some(expires), email.as_bytes());
    let link = format!("{}/senders/verify/{token}", links.base_url);
    let text = format!(
        "{}\r\n\r\n{}\r\n{}\r\n\r\n{}\r\n",
        locale.t_args(
            "campaigns-senders-mail-body",
            &[
                ("name", crate::i18n::Arg::Text(added_by.to_string())),
                ("email", crate::i18n::Arg::Text(email.to_string())),
            ],
        ),
        locale.t("campaigns-senders-mail-action"),
        link,
        locale.t_num("campaigns-senders-mail-expiry", "days", VERIFY_DAYS),
    );
    let subject = locale.t_str("campaigns-senders-mail-subject", "email", email);
    let mail =
        Email::new(&state.config.mail_from, email, &subject, text).map_err(AppError::unexpected)?;
    crate::mail::outbox::enqueue(c, &mail)?;
    Ok(())
}

/// `POST /campaigns/senders`: adds an address and mails its link.
pub async fn create(
    user: CurrentUser,
    state: State,
    htmx: Htmx,
    session: Session,
    body: web::Form<Params>,
) -> AppResult<HttpResponse> {
    let form = SenderInput::from_params(&body);
    let checked = form.check(&user.locale);
    let (u, st) = (user.clone(), state.clone());
    let outcome = state
        .db(move |c| {
            let new = match checked {
                Ok(n) => n,
                Err(e) => return Ok(Err((e, repo::list(c)?))),
            };
            let taken = |c: &mut DbConn| {
                let mut e = FieldErrors::new();
                e.add("email", u.locale.t("campaigns-senders-taken"));
                Ok::<_, AppError>(Err((e, repo::list(c)?)))
            };
            if repo::email_taken(c, &new.email)? {
                return taken(c);
            }
            let saved = write_tx(c, |tx| {
                let id = repo::insert(tx, &new, u.id, now())?;
                queue_link(tx, &st, &u.locale, &u.name, id, &new.email)
            });
            match saved {
                Ok(()) => Ok(Ok(())),
                // Two people adding one address at once: the unique index
                // keeps the first; the second hears it beside the field.
                Err(AppError::Conflict(_)) => taken(c),
                Err(e) => Err(e),
            }
        })
        .await?;
    match outcome {
        Ok(()) => {
            set_flash(&session, "campaigns-senders-added");
            Ok(after_post(htmx, LIST))
        }
        Err((errors, senders)) => invalid(&list_page(&user, senders, form, errors)),
    }
}

/// `POST /campaigns/senders/{id}/resend`: a new link, at most once a minute.
pub async fn resend(
    user: CurrentUser,
    state: State,
    htmx: Htmx,
    session: Session,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let st = state.clone();
    let sent = state
        .db(move |c| {
            let s = repo::get(c, id)?.ok_or(AppError::NotFound)?;
            if s.verified() {
                return Ok(false);
            }
            write_tx(c, |tx| {
                if !repo::claim_resend(tx, id, now())? {
                    return Ok(false);
                }
                queue_link(tx, &st, &user.locale, &user.name, id, &s.email)?;
                Ok(true)
            })
        })
        .await?;
    let flash = if sent {
        "campaigns-senders-resent"
    } else {
        "campaigns-senders-resend-wait"
    };
    set_flash(&session, flash);
    Ok(after_post(htmx, LIST))
}

/// `POST /campaigns/senders/{id}/delete`: campaigns already written with
/// the address keep it; new ones can no longer choose it.
pub async fn delete(
    state: State,
    htmx: Htmx,
    session: Session,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let gone = state
        .db(move |c| Ok(write_tx(c, |tx| repo::delete(tx, id))?))
        .await?;
    if !gone {
        return Err(AppError::NotFound);
    }
    set_flash(&session, "campaigns-senders-removed");
    Ok(after_post(htmx, LIST))
}
