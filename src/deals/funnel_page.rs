//! `/leads/funnel`: a pipeline's funnel and stage-to-stage conversion for
//! the deals created in a period (30, 90, 365 days or all), with the
//! board's filters.

use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::Duration;

use super::board::BoardQuery;
use super::funnel::{self, Step};
use super::report::ReportFilters;
use crate::db::now;
use crate::error::AppResult;
use crate::web::chart::{Chart, ChartKind, ChartView, Series};
use crate::web::list::Params;
use crate::web::list::menus::MenuCache;
use crate::web::render::page;
use crate::web::state::AppState;
use crate::web::{Chrome, CurrentUser, Section};

/// The periods offered, in days (`None`: every deal).
const PERIODS: [(&str, Option<i64>); 4] = [
    ("30", Some(30)),
    ("90", Some(90)),
    ("365", Some(365)),
    ("all", None),
];
const DEFAULT_PERIOD: &str = "90";

/// A step as the table shows it.
pub struct Row {
    pub name: String,
    pub reached: String,
    pub from_previous: String,
    pub from_first: String,
}

#[derive(Template)]
#[template(path = "deals/funnel.html")]
pub struct FunnelPage {
    pub chrome: Chrome,
    pub f: ReportFilters,
    pub period: String,
    pub chart: ChartView,
    pub rows: Vec<Row>,
}

impl FunnelPage {
    /// The periods with their labels' keys.
    fn periods(&self) -> Vec<(&'static str, &'static str)> {
        PERIODS
            .iter()
            .map(|(code, _)| {
                let key = match *code {
                    "30" => "deals-funnel-30",
                    "90" => "deals-funnel-90",
                    "365" => "deals-funnel-365",
                    _ => "deals-funnel-all",
                };
                (*code, key)
            })
            .collect()
    }
}

/// Basis points as a percentage with one decimal, rounded half up.
pub(crate) fn percent(bp: Option<i64>) -> String {
    match bp {
        Some(bp) => {
            let tenths = (bp + 5) / 10;
            format!("{}.{}%", tenths / 10, tenths % 10)
        }
        None => "—".into(),
    }
}

/// `part ÷ whole` as a percentage with one decimal, rounded once from the
/// exact ratio, half away from zero (23,000 of 22,000 → "104.5%", where
/// rounding to basis points first would give 104.6%); "—" when `whole`
/// is not positive.
pub(crate) fn percent_of(part: i64, whole: i64) -> String {
    if whole <= 0 {
        return "—".into();
    }
    let (n, w) = (i128::from(part).abs() * 1_000, i128::from(whole));
    let tenths = (2 * n + w) / (2 * w);
    let sign = if part < 0 && tenths > 0 { "-" } else { "" };
    format!("{sign}{}.{}%", tenths / 10, tenths % 10)
}

/// `GET /leads/funnel?pipeline=&period=&owner=&mine=1…`
/// The funnel's steps, kept briefly (`menus::SUMS_TTL`).
static STEPS: std::sync::LazyLock<MenuCache<Vec<Step>>> =
    std::sync::LazyLock::new(crate::web::list::menus::sums_cache);

pub async fn show(
    user: CurrentUser,
    state: web::Data<AppState>,
    query: web::Query<Params>,
) -> AppResult<HttpResponse> {
    let q = BoardQuery::parse(&query);
    let period = query
        .text("period", 8)
        .filter(|p| PERIODS.iter().any(|(code, _)| code == p))
        .unwrap_or_else(|| DEFAULT_PERIOD.into());
    let days = PERIODS
        .iter()
        .find(|(code, _)| *code == period)
        .and_then(|(_, d)| *d);
    let u = user.clone();
    let view = state
        .db(move |c| {
            let (pipeline, reach, f) = ReportFilters::load(c, &u, &q)?;
            let since = days.map(|d| now() - Duration::days(d));
            let key = super::board::sums_key(&pipeline, &reach, &q, &format!("{days:?}"));
            let steps = STEPS.get_keyed(key, || {
                funnel::load(c, &reach, &pipeline, &q, since)
                    .map(|history| funnel::steps(&pipeline, &history))
            })?;
            let loc = &u.locale;
            let name = |s: &Step| {
                pipeline
                    .stage(s.stage)
                    .map(|st| st.label(loc))
                    .unwrap_or_default()
            };
            let first = steps.first().map_or(0, |s| s.reached);
            let rows = steps
                .iter()
                .map(|s| Row {
                    name: name(s),
                    reached: loc.number(s.reached),
                    from_previous: percent(s.from_previous_bp),
                    from_first: percent(
                        (first > 0).then(|| (s.reached * 10_000 + first / 2) / first),
                    ),
                })
                .collect();
            let chart = Chart::new(ChartKind::Rows, "funnel", loc.t("deals-funnel-chart"))
                .describe(loc.t("deals-funnel-chart-desc"))
                .categories(steps.iter().map(name).collect())
                .series(Series::new(
                    loc.t("deals-funnel-reached"),
                    steps.iter().map(|s| s.reached).collect(),
                ))
                .render(|n| loc.number(n));
            Ok(FunnelPage {
                chrome: Chrome::new(&u, Section::Leads),
                f,
                period,
                chart,
                rows,
            })
        })
        .await?;
    page(&view)
}

#[cfg(test)]
mod tests {
    #[test]
    fn percentages_round_to_a_tenth() {
        let p = |bp| super::percent(Some(bp));
        assert_eq!(p(7_500), "75.0%");
        assert_eq!(p(6_667), "66.7%");
        assert_eq!(p(9_995), "100.0%");
        assert_eq!(p(4), "0.0%");
        assert_eq!(p(10_000), "100.0%");
        assert_eq!(super::percent(None), "—");
        let of = super::percent_of;
        assert_eq!(of(23_000, 22_000), "104.5%", "104.545… rounds once");
        assert_eq!(of(1, 3), "33.3%");
        assert_eq!(of(2, 3), "66.7%");
        assert_eq!(of(1, 2_000), "0.1%", "0.05 rounds half away from zero");
        assert_eq!(of(-1, 3), "-33.3%");
        assert_eq!(of(5, 0), "—");
    }
}
