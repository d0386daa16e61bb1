//! `/senders/verify/{token}`: the link mailed to a new sender's address.
//! GET shows the address and a button and changes nothing; POST verifies.
//! The token (the row id, bound to the address, 7 days) authenticates the
//! POST instead of a session; one that does not verify — altered, expired,
//! another purpose, an address since removed and added again — is 404.

use actix_web::{HttpResponse, web};

use super::repo::{self, Sender};
use super::views::VerifyPage;
use crate::db::{now, write_tx};
use crate::error::{AppError, AppResult};
use crate::i18n::Locale;
use crate::signed::{PublicLinks, Purpose, Unverified};
use crate::web::render::page;
use crate::web::state::AppState;

type State = web::Data<AppState>;

/// The sender a token opens (with the workspace's language), or 404.
async fn sender_of(state: &State, token: &str) -> AppResult<(Sender, Locale)> {
    let links = PublicLinks::new(&state.config.secret_key, &state.config.base_url);
    let claim = Unverified::parse(token).map_err(|_| AppError::NotFound)?;
    let id = claim.id_to_look_up();
    let (sender, locale) = state
        .db(move |c| {
            let s = repo::get(c, id)?.ok_or(AppError::NotFound)?;
            Ok((s, crate::i18n::repo::workspace_locale(c)?))
        })
        .await?;
    claim
        .verify(
            &links.signer,
            Purpose::SenderVerify,
            sender.email.as_bytes(),
            chrono::Utc::now().timestamp(),
        )
        .map_err(|_| AppError::NotFound)?;
    Ok((sender, locale))
}

pub async fn verify_page(state: State, path: web::Path<String>) -> AppResult<HttpResponse> {
    let token = path.into_inner();
    let (s, locale) = sender_of(&state, &token).await?;
    page(&VerifyPage {
        locale,
        token,
        name: s.name.clone(),
        email: s.email.clone(),
        verified: s.verified(),
    })
}

pub async fn verify(state: State, path: web::Path<String>) -> AppResult<HttpResponse> {
    let token = path.into_inner();
    let (s, locale) = sender_of(&state, &token).await?;
    let (id, email) = (s.id, s.email.clone());
    state
        .db(move |c| Ok(write_tx(c, |tx| repo::verify(tx, id, &email, now()))?))
        .await?;
    page(&VerifyPage {
        locale,
        token,
        name: s.name,
        email: s.email,
        verified: true,
    })
}
