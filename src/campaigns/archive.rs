//! The public archive (`/archive`): sent campaigns the marketer chose to
//! show ("show on the public archive" in the editor), newest first, each
//! readable as a web page — merged for no one in particular (merge fields
//! of the contact read as a neutral word, no personal links), so past
//! newsletters can be linked from a website. Nothing else is public.

use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::domain::Status;
use super::render::{Footer, MergeContact};
use super::repo::Campaign;
use crate::db::DbConn;
use crate::db::schema::campaigns;
use crate::error::{AppError, AppResult};
use crate::i18n::{Locale, negotiate};
use crate::web::render::page;
use crate::web::state::AppState;

/// Campaigns listed on the archive page.
const SHOWN: i64 = 100;

fn archived(conn: &mut DbConn) -> QueryResult<Vec<(i64, String, Option<NaiveDateTime>)>> {
    campaigns::table
        .filter(campaigns::in_archive.eq(true))
        .filter(campaigns::status.eq(Status::Sent.as_str()))
        .filter(campaigns::series_id.is_null())
        .order((campaigns::finished_at.desc(), campaigns::id.desc()))
        .limit(SHOWN)
        .select((campaigns::id, campaigns::subject, campaigns::finished_at))
        .load(conn)
}

fn archived_one(conn: &mut DbConn, id: i64) -> QueryResult<Option<Campaign>> {
    Ok(super::repo::get(conn, id)?
        .filter(|c| c.in_archive && c.state() == Status::Sent && c.series_id.is_none()))
}

#[derive(Template)]
#[template(path = "campaigns/archive.html")]
pub struct ArchivePage {
    pub locale: Locale,
    pub company: String,
    /// (id, subject as written with the merge fields read neutrally, sent on).
    pub issues: Vec<(i64, String, Option<NaiveDateTime>)>,
}

#[derive(Template)]
#[template(path = "campaigns/archive_issue.html")]
pub struct IssuePage {
    pub locale: Locale,
    pub subject: String,
    pub sent: Option<NaiveDateTime>,
    /// Sanitised by ammonia.
    pub html: String,
}

/// Who an archived message is written to.
fn reader(locale: &Locale) -> MergeContact {
    MergeContact {
        first_name: locale.t("campaigns-archive-reader"),
        ..MergeContact::default()
    }
}

async fn locale(state: &web::Data<AppState>, req: &HttpRequest) -> AppResult<Locale> {
    let workspace = state
        .db(|c| Ok(crate::i18n::repo::workspace_locale(c)?))
        .await?;
    Ok(negotiate::public_locale(req, workspace))
}

/// `GET /archive`.
pub async fn list(req: HttpRequest, state: web::Data<AppState>) -> AppResult<HttpResponse> {
    let locale = locale(&state, &req).await?;
    let (rows, company) = state
        .db(|c| Ok((archived(c)?, crate::settings::repo::get(c)?.company_name)))
        .await?;
    let issues = rows
        .into_iter()
        .map(|(id, subject, sent)| {
            let subject =
                super::render::render_text(&subject, ArchiveCtx::of(&locale)).unwrap_or(subject);
            (id, subject, sent)
        })
        .collect();
    page(&ArchivePage {
        locale,
        company,
        issues,
    })
}

#[derive(serde::Serialize)]
struct ArchiveCtx {
    contact: MergeContact,
}

impl ArchiveCtx {
    fn of(locale: &Locale) -> ArchiveCtx {
        ArchiveCtx {
            contact: reader(locale),
        }
    }
}

/// `GET /archive/{id}`: one sent campaign; 404 unless it is on the archive.
pub async fn show(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let locale = locale(&state, &req).await?;
    let campaign = state
        .db(move |c| archived_one(c, id)?.ok_or(AppError::NotFound))
        .await?;
    let (subject, html) = campaign
        .prepared()
        .and_then(|p| p.web_body(&reader(&locale), &Footer::default()))
        .map_err(|_| AppError::NotFound)?;
    page(&IssuePage {
        locale,
        subject,
        sent: campaign.finished_at,
        html,
    })
}
