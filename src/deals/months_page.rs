//! `/leads/forecast/board`: the close-month board (columns by expected
//! close month, `deals::months`) and `POST /leads/{id}/close-month`, the
//! move of a card to another month — by its small form without
//! JavaScript, by drag and drop through `static/js/board.js` with it.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::board::{BoardQuery, Card};
use super::domain::{ColumnTotals, probability, weighted_minor};
use super::months::{self, Bucket, MonthColumn, Refused};
use super::report::ReportFilters;
use super::views::{Notice, amounts};
use crate::db::DbConn;
use crate::domain::ids::DealId;
use crate::error::AppResult;
use crate::i18n::key;
use crate::pipelines::domain::Pipeline;
use crate::web::render::{after_post, html, page};
use crate::web::state::AppState;
use crate::web::{Chrome, CurrentUser, Htmx, Section};

#[derive(Template)]
#[template(path = "deals/months.html", blocks = ["board"])]
pub struct MonthsPage {
    pub chrome: Chrome,
    pub f: ReportFilters,
    pub pipeline: Pipeline,
    pub query: BoardQuery,
    pub columns: Vec<MonthColumn>,
    pub notice: Option<Notice>,
    pub can_write: bool,
}

impl MonthsPage {
    /// This board's address, where its moves return.
    pub fn here(&self) -> String {
        format!(
            "/leads/forecast/board?{}",
            self.query.query(self.pipeline.id)
        )
    }

    /// The forecast with the same pipeline and filters.
    pub fn forecast_href(&self) -> String {
        format!("/leads/forecast?{}", self.query.query(self.pipeline.id))
    }

    pub fn label(&self, b: &Bucket) -> String {
        let loc = &self.chrome.locale;
        match b {
            Bucket::Overdue => loc.t("deals-forecast-overdue"),
            Bucket::NoDate => loc.t("deals-months-none"),
            Bucket::Month(m) => loc.month(*m),
            Bucket::Later => loc.t("deals-months-later"),
        }
    }

    /// The columns a card may move to (the move form's menu).
    pub fn targets(&self) -> Vec<(String, String)> {
        self.columns
            .iter()
            .filter(|c| c.bucket.is_target())
            .map(|c| (c.bucket.key(), self.label(&c.bucket)))
            .collect()
    }

    pub fn total(&self, t: &ColumnTotals) -> String {
        amounts(&self.chrome.locale, t, |c| c.total_minor)
    }

    pub fn weighted(&self, t: &ColumnTotals) -> String {
        amounts(&self.chrome.locale, t, |c| c.weighted_minor)
    }

    /// The card's weighted value (its probability, else its stage's).
    pub fn card_weighted(&self, card: &Card) -> String {
        let d = &card.deal;
        let pct = self
            .pipeline
            .stage(d.stage_id)
            .map_or(d.probability.unwrap_or(0), |s| {
                probability(d.probability, s)
            });
        let w = weighted_minor(i128::from(d.value_minor) * i128::from(pct));
        self.chrome.locale.money(w, &d.currency)
    }

    pub fn stage_of(&self, card: &Card) -> String {
        self.pipeline
            .stage(card.deal.stage_id)
            .map_or_else(String::new, |s| s.label(&self.chrome.locale))
    }

    pub fn close_of(&self, card: &Card) -> String {
        card.deal
            .expected_close
            .map_or_else(String::new, |d| d.format("%Y-%m-%d").to_string())
    }
}

fn months_page(c: &mut DbConn, user: &CurrentUser, q: BoardQuery) -> AppResult<MonthsPage> {
    let (pipeline, reach, f) = ReportFilters::load(c, user, &q)?;
    let columns = months::load(c, &reach, &pipeline, &q, user.locale.today())?;
    Ok(MonthsPage {
        chrome: Chrome::new(user, Section::Leads),
        f,
        pipeline,
        query: q,
        columns,
        notice: None,
        can_write: user.can(crate::auth::policy::Action::DealsWrite),
    })
}

/// `GET /leads/forecast/board?pipeline=&owner=&mine=1…`
pub async fn show(
    user: CurrentUser,
    state: web::Data<AppState>,
    htmx: Htmx,
    query: web::Query<crate::web::list::Params>,
) -> AppResult<HttpResponse> {
    let q = BoardQuery::parse(&query);
    let u = user.clone();
    let view = state.db(move |c| months_page(c, &u, q)).await?;
    if htmx.fragment() {
        page(&view.as_board())
    } else {
        page(&view)
    }
}

/// A card's "move to month" form.
#[derive(Deserialize, Default, Debug, Clone)]
#[serde(default)]
pub struct MonthForm {
    /// "2026-12" (a month the board shows) or "none".
    pub month: String,
    pub version: String,
    pub back: String,
}

/// `POST /leads/{id}/close-month`: 303 back (htmx: the fresh board); a
/// stale version 409 and a month not on the board 422, each with the
/// fresh board and a message.
pub async fn move_deal(
    user: CurrentUser,
    state: web::Data<AppState>,
    htmx: Htmx,
    path: web::Path<DealId>,
    form: web::Form<MonthForm>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let form = form.into_inner();
    let back = super::forms::back_to(&form.back);
    let mut q = BoardQuery::parse(&super::forms::query_of(&back));
    let (u, fragment) = (user.clone(), htmx.fragment());
    let answer = state
        .db(move |c| {
            let all = months::buckets(u.locale.today());
            let shown: Vec<_> = all
                .iter()
                .filter_map(|b| match b {
                    Bucket::Month(m) => Some(*m),
                    _ => None,
                })
                .collect();
            let to = months::target(&form.month, &shown);
            let version = form.version.trim().parse().unwrap_or(-1);
            let outcome = months::apply(c, &u.viewer(), (id, version), to)?;
            let (status, deal, why) = match outcome {
                Ok(_) if !fragment => return Ok(None),
                Ok(deal) => (StatusCode::OK, deal, None),
                Err((why, deal)) => {
                    let status = match why {
                        Refused::Conflict => StatusCode::CONFLICT,
                        Refused::Target => StatusCode::UNPROCESSABLE_ENTITY,
                    };
                    (status, deal, Some(why))
                }
            };
            q.pipeline = Some(deal.pipeline_id.get());
            let mut view = months_page(c, &u, q)?;
            view.notice = why.map(|why| Notice {
                text: u.locale.t(match why {
                    Refused::Conflict => key("deals-error-conflict"),
                    Refused::Target => key("deals-error-month"),
                }),
                deal: None,
            });
            Ok(Some((status, view)))
        })
        .await?;
    match answer {
        None => Ok(after_post(htmx, &back)),
        Some((status, view)) if fragment => html(status, &view.as_board()),
        Some((status, view)) => html(status, &view),
    }
}
