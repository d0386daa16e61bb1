//! `/leads/scoring`: what the lead score is, how the current model was
//! trained (when, on how many deals, how good it is in plain words), each
//! feature's weight as a chart and a table, the fallback and how much more
//! history it needs; and the "retrain now" button (managers and admins).

use actix_session::Session;
use actix_web::{HttpResponse, web};
use askama::Template;

use super::job;
use super::repo::{self, Run, RunOutcome};
use crate::db::write_tx;
use crate::error::{AppError, AppResult};
use crate::i18n::{Arg, Locale, key, set_flash};
use crate::scoring::{MIN_EXAMPLES, MIN_PER_OUTCOME, Model};
use crate::web::chart::{Chart, ChartKind, ChartView, Series};
use crate::web::htmx::Htmx;
use crate::web::render::{after_post, page};
use crate::web::state::AppState;
use crate::web::{Chrome, CurrentUser, Section};

/// One feature as the table shows it.
pub struct FeatureRow {
    pub name: String,
    /// "Raises the chances", "Lowers …", "Little effect".
    pub effect: String,
    /// The weight on the log-odds, signed ("+0.85").
    pub weight: String,
    /// "×2.34".
    pub odds: String,
}

/// The trained model as the page explains it.
pub struct ModelView {
    pub trained: String,
    pub history: String,
    pub auc: String,
    pub verdict: String,
    pub base_rate: String,
    pub scored: String,
    pub chart: ChartView,
    pub rows: Vec<FeatureRow>,
}

/// Too little history: what there is and what is missing.
pub struct Fallback {
    /// When the last run found too little (None: no run yet).
    pub checked: Option<String>,
    pub have: String,
    /// None when there is enough now (a retrain will build the model).
    pub needs: Option<String>,
}

#[derive(Template)]
#[template(path = "deals/scoring.html")]
pub struct ScoringPage {
    pub chrome: Chrome,
    pub model: Option<ModelView>,
    pub fallback: Option<Fallback>,
    pub pending: bool,
    pub can_retrain: bool,
}

/// Odds ratio of a weight, "×2.34".
fn odds(weight: f64) -> String {
    format!("×{:.2}", weight.exp())
}

/// A weight's sign says the direction: above this size it is an effect.
const LITTLE: f64 = 0.05;

fn model_view(loc: &Locale, run: &Run, model: &Model) -> ModelView {
    let mut features: Vec<(String, f64)> = model
        .features
        .iter()
        .zip(&model.weights)
        .map(|(f, w)| (loc.t(f), *w))
        .collect();
    features.sort_by(|a, b| b.1.total_cmp(&a.1));
    let chart = Chart::new(ChartKind::Rows, "scoring-weights", loc.t("scoring-chart"))
        .describe(loc.t("scoring-chart-desc"))
        .categories(features.iter().map(|f| f.0.clone()).collect())
        .series(Series::new(
            loc.t("scoring-col-odds"),
            features
                .iter()
                .map(|f| (f.1 * 100.0).round() as i64)
                .collect(),
        ))
        .render(|v| odds(v as f64 / 100.0));
    let rows = features
        .iter()
        .map(|(name, w)| FeatureRow {
            name: name.clone(),
            effect: loc.t(if *w > LITTLE {
                key("scoring-effect-raises")
            } else if *w < -LITTLE {
                key("scoring-effect-lowers")
            } else {
                key("scoring-effect-little")
            }),
            weight: format!("{w:+.2}"),
            odds: odds(*w),
        })
        .collect();
    let auc_pct = (model.auc * 100.0).round() as i64;
    let verdict = match auc_pct {
        80.. => key("scoring-auc-strong"),
        70..=79 => key("scoring-auc-useful"),
        60..=69 => key("scoring-auc-weak"),
        _ => key("scoring-auc-chance"),
    };
    ModelView {
        trained: loc.datetime(run.trained_at),
        history: loc.t_args(
            "scoring-history",
            &[
                ("count", Arg::Num(i64::from(run.examples))),
                ("won", Arg::Num(i64::from(run.won))),
                ("lost", Arg::Num(i64::from(run.lost))),
            ],
        ),
        auc: loc.t_args(
            "scoring-auc",
            &[
                ("auc", Arg::from(format!("{:.2}", model.auc).as_str())),
                ("percent", Arg::Num(auc_pct)),
            ],
        ),
        verdict: loc.t(verdict),
        base_rate: loc.t_num(
            "scoring-base-rate",
            "percent",
            (model.base_rate() * 100.0).round() as i64,
        ),
        scored: loc.t_num("scoring-scored", "count", i64::from(run.scored)),
        chart,
        rows,
    }
}

/// What is missing for a model: (more closed deals, more won, more lost).
pub fn missing(won: usize, lost: usize) -> (usize, usize, usize) {
    let more_won = MIN_PER_OUTCOME.saturating_sub(won);
    let more_lost = MIN_PER_OUTCOME.saturating_sub(lost);
    let more = MIN_EXAMPLES
        .saturating_sub(won + lost)
        .max(more_won + more_lost);
    (more, more_won, more_lost)
}

fn fallback(loc: &Locale, run: Option<&Run>, (won, lost): (usize, usize)) -> Fallback {
    let n = |x: usize| Arg::Num(i64::try_from(x).unwrap_or(i64::MAX));
    let (more, more_won, more_lost) = missing(won, lost);
    Fallback {
        checked: run.map(|r| loc.datetime(r.trained_at)),
        have: loc.t_args("scoring-have", &[("won", n(won)), ("lost", n(lost))]),
        needs: (more > 0).then(|| {
            loc.t_args(
                "scoring-needs",
                &[
                    ("count", n(more)),
                    ("won", n(more_won)),
                    ("lost", n(more_lost)),
                ],
            )
        }),
    }
}

/// `GET /leads/scoring`
pub async fn show(user: CurrentUser, state: web::Data<AppState>) -> AppResult<HttpResponse> {
    let u = user.clone();
    let view = state
        .db(move |c| {
            let loc = &u.locale;
            let run = repo::latest(c)?;
            let model = run
                .as_ref()
                .filter(|r| r.outcome == RunOutcome::Trained)
                .and_then(|r| r.model().map(|m| model_view(loc, r, &m)));
            let fallback = match model {
                Some(_) => None,
                None => Some(fallback(loc, run.as_ref(), repo::closed_counts(c)?)),
            };
            Ok(ScoringPage {
                chrome: Chrome::new(&u, Section::Leads),
                model,
                fallback,
                pending: job::pending(c)?,
                can_retrain: u.can(crate::auth::policy::Action::RetrainScores),
            })
        })
        .await?;
    page(&view)
}

/// `POST /leads/scoring/retrain`: queues a run (one at most).
pub async fn retrain(
    state: web::Data<AppState>,
    session: Session,
    htmx: Htmx,
) -> AppResult<HttpResponse> {
    state
        .db(|c| write_tx(c, job::queue).map_err(AppError::from))
        .await?;
    set_flash(&session, key("scoring-flash-queued"));
    Ok(after_post(htmx, "/leads/scoring"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn missing_history_counts_what_each_rule_still_needs() {
        use super::missing;
        assert_eq!(missing(0, 0), (30, 8, 8));
        assert_eq!(missing(20, 2), (8, 0, 6));
        assert_eq!(missing(25, 3), (5, 0, 5));
        assert_eq!(missing(12, 10), (8, 0, 0));
        assert_eq!(missing(30, 8), (0, 0, 0));
        assert_eq!(missing(40, 2), (6, 0, 6));
    }
}
