//! NPS surveys: a campaign of kind `nps` carries the 0–10 question under
//! its message — eleven links, each signed for that recipient and score
//! (`Purpose::Nps`, the score bound into the signature, so a changed
//! score is a forged link). `GET /nps/{token}?score=` records the answer
//! (one row per recipient — the ledger row is one per campaign × contact
//! — a later click rewrites the score) and thanks them, with a form for
//! a comment (`POST`, authenticated by the token like `/u/`, without a
//! session). A token that does not verify, or names a campaign that is
//! not a survey, is a 404.

use actix_web::{HttpRequest, HttpResponse, web};
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::domain::CampaignKind;
use super::render::NpsQuestion;
use super::views::NpsPage;
use crate::db::schema::{campaign_recipients, campaigns, nps_responses};
use crate::db::{DbConn, now, write_tx};
use crate::error::{AppError, AppResult};
use crate::i18n::Locale;
use crate::insights::domain::NpsTally;
use crate::signed::{Purpose, Signer};
use crate::web::list::Params;
use crate::web::render::page;
use crate::web::state::AppState;

/// The highest score (the lowest is 0).
pub const MAX_SCORE: i32 = 10;
/// Longest comment kept, in characters.
pub const COMMENT_MAX: usize = 2_000;

/// What is signed besides the recipient: the score.
fn binding(score: i32) -> [u8; 1] {
    [u8::try_from(score).unwrap_or(u8::MAX)]
}

/// `{base}/nps/{token}?score=N` for recipient `recipient`.
pub fn link(signer: &Signer, base_url: &str, recipient: i64, score: i32) -> String {
    let token = signer.sign(Purpose::Nps, recipient, None, &binding(score));
    format!("{base_url}/nps/{token}?score={score}")
}

/// The question and the recipient's eleven links, in their language.
pub fn question(signer: &Signer, base_url: &str, loc: &Locale, recipient: i64) -> NpsQuestion {
    NpsQuestion {
        question: loc.t("nps-question"),
        low: loc.t("nps-low"),
        high: loc.t("nps-high"),
        links: (0..=MAX_SCORE)
            .map(|s| link(signer, base_url, recipient, s))
            .collect(),
    }
}

/// The recipient and score a link names, if it verifies.
pub fn verify(signer: &Signer, token: &str, score: &str) -> Option<(i64, i32)> {
    let score = score
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|s| (0..=MAX_SCORE).contains(s))?;
    let id = signer
        .verify(Purpose::Nps, token, &binding(score), 0)
        .ok()?;
    Some((id, score))
}

/// Records `score` as the answer of ledger row `recipient` of `campaign`:
/// a conditional UPDATE of their row, and only when there is none the
/// INSERT; two first clicks racing meet the unique index, and the loser
/// updates the winner's row. True if the score changed or was new.
pub fn record(c: &mut DbConn, campaign: i64, recipient: i64, score: i32) -> QueryResult<bool> {
    let t = now();
    let update = |c: &mut DbConn| {
        diesel::update(
            nps_responses::table
                .filter(nps_responses::recipient_id.eq(recipient))
                .filter(nps_responses::score.ne(score)),
        )
        .set((
            nps_responses::score.eq(score),
            nps_responses::updated_at.eq(t),
        ))
        .execute(c)
    };
    let exists = |c: &mut DbConn| {
        nps_responses::table
            .filter(nps_responses::recipient_id.eq(recipient))
            .select(nps_responses::id)
            .first::<i64>(c)
            .optional()
            .map(|r| r.is_some())
    };
    if update(c)? == 1 {
        return Ok(true);
    }
    if exists(c)? {
        return Ok(false);
    }
    let inserted = diesel::insert_into(nps_responses::table)
        .values((
            nps_responses::campaign_id.eq(campaign),
            nps_responses::recipient_id.eq(recipient),
            nps_responses::score.eq(score),
            nps_responses::comment.eq(""),
            nps_responses::created_at.eq(t),
            nps_responses::updated_at.eq(t),
        ))
        .execute(c);
    match inserted {
        Ok(_) => Ok(true),
        Err(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        )) => Ok(update(c)? == 1),
        Err(e) => Err(e),
    }
}

/// Keeps the recipient's comment on their answer; false without one.
pub fn comment(c: &mut DbConn, recipient: i64, text: &str) -> QueryResult<bool> {
    let n = diesel::update(nps_responses::table.filter(nps_responses::recipient_id.eq(recipient)))
        .set((
            nps_responses::comment.eq(text),
            nps_responses::updated_at.eq(now()),
        ))
        .execute(c)?;
    Ok(n == 1)
}

/// A campaign's answers: the tally of scores and how many gave each.
pub fn distribution(c: &mut DbConn, campaign: i64) -> QueryResult<(NpsTally, [i64; 11])> {
    let rows: Vec<(i32, i64)> = nps_responses::table
        .filter(nps_responses::campaign_id.eq(campaign))
        .group_by(nps_responses::score)
        .select((nps_responses::score, diesel::dsl::count_star()))
        .load(c)?;
    let mut per = [0i64; 11];
    let mut tally = NpsTally::default();
    for (score, n) in rows {
        if let Some(slot) = usize::try_from(score).ok().and_then(|i| per.get_mut(i)) {
            *slot += n;
        }
        for _ in 0..n {
            tally.add(score);
        }
    }
    Ok((tally, per))
}

/// Comments shown on the stats page, at most.
pub const COMMENTS_SHOWN: i64 = 50;

/// A survey's latest comments: (score, comment, when), newest first.
pub fn comments(c: &mut DbConn, campaign: i64) -> QueryResult<Vec<(i32, String, NaiveDateTime)>> {
    nps_responses::table
        .filter(nps_responses::campaign_id.eq(campaign))
        .filter(nps_responses::comment.ne(""))
        .order((nps_responses::updated_at.desc(), nps_responses::id.desc()))
        .limit(COMMENTS_SHOWN)
        .select((
            nps_responses::score,
            nps_responses::comment,
            nps_responses::updated_at,
        ))
        .load(c)
}

/// The answers first given in `[from, until)` (time, score): Insights'
/// NPS by month.
pub fn answers(
    c: &mut DbConn,
    (from, until): (NaiveDateTime, NaiveDateTime),
) -> QueryResult<Vec<(NaiveDateTime, i32)>> {
    nps_responses::table
        .filter(nps_responses::created_at.ge(from))
        .filter(nps_responses::created_at.lt(until))
        .select((nps_responses::created_at, nps_responses::score))
        .load(c)
}

/// The campaign and email of a survey's ledger row (None: no such row, or
/// the campaign is not a survey).
fn survey_recipient(c: &mut DbConn, recipient: i64) -> QueryResult<Option<(i64, String)>> {
    let row: Option<(i64, String, String)> = campaign_recipients::table
        .inner_join(campaigns::table)
        .filter(campaign_recipients::id.eq(recipient))
        .select((
            campaign_recipients::campaign_id,
            campaign_recipients::email,
            campaigns::kind,
        ))
        .first(c)
        .optional()?;
    Ok(row
        .filter(|(_, _, kind)| kind.as_str() == CampaignKind::Nps.as_str())
        .map(|(campaign, email, _)| (campaign, email)))
}

type State = web::Data<AppState>;

/// Records the answer a link names (and the comment, when posted), then
/// thanks the recipient.
async fn respond(
    req: HttpRequest,
    state: State,
    token: String,
    score: &str,
    comment: Option<String>,
) -> AppResult<HttpResponse> {
    let signer = Signer::new(&state.config.secret_key);
    let (id, score) = verify(&signer, &token, score).ok_or(AppError::NotFound)?;
    let commented = comment.is_some();
    state
        .db(move |c| {
            let (campaign, _) = survey_recipient(c, id)?.ok_or(AppError::NotFound)?;
            write_tx(c, |tx| {
                // A comment posted from a page kept open records its score too.
                record(tx, campaign, id, score)?;
                match &comment {
                    Some(text) => super::nps::comment(tx, id, text).map(|_| ()),
                    None => Ok(()),
                }
            })?;
            crate::db::note_write();
            Ok(())
        })
        .await?;
    let locale = super::public::locale(&state, &req).await?;
    page(&NpsPage {
        locale,
        token,
        score: i64::from(score),
        commented,
    })
}

/// `GET /nps/{token}?score=`: records the answer, thanks, offers the
/// comment form.
pub async fn answer(
    req: HttpRequest,
    state: State,
    path: web::Path<String>,
    query: web::Query<Params>,
) -> AppResult<HttpResponse> {
    respond(req, state, path.into_inner(), query.get("score"), None).await
}

/// `POST /nps/{token}?score=`: keeps the comment (form field `comment`).
pub async fn save_comment(
    req: HttpRequest,
    state: State,
    path: web::Path<String>,
    query: web::Query<Params>,
    body: web::Form<Params>,
) -> AppResult<HttpResponse> {
    let text = body.text("comment", COMMENT_MAX).unwrap_or_default();
    respond(
        req,
        state,
        path.into_inner(),
        query.get("score"),
        Some(text),
    )
    .await
}
