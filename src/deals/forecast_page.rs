//! `/leads/forecast`: the forecast of a pipeline as a chart per currency
//! (value and weighted value by close month) and a table per owner, with
//! the board's filters (owner, team, source, tag, text, my deals).

use actix_web::{HttpResponse, web};
use askama::Template;

use super::board::BoardQuery;
use super::forecast::{self, Forecast, months_from};
use super::report::ReportFilters;
use crate::error::AppResult;
use crate::web::chart::{Chart, ChartKind, ChartView, Series};
use crate::web::list::Params;
use crate::web::list::menus::MenuCache;
use crate::web::render::page;
use crate::web::state::AppState;
use crate::web::{Chrome, CurrentUser, Section};

/// One currency's chart and owner table.
pub struct CurrencySection {
    pub chart: ChartView,
    pub table_caption: String,
    /// Owner name and the formatted weighted value per bucket.
    pub rows: Vec<(String, Vec<String>)>,
}

#[derive(Template)]
#[template(path = "deals/forecast.html")]
pub struct ForecastPage {
    pub chrome: Chrome,
    pub f: ReportFilters,
    /// "Overdue" and the months.
    pub buckets: Vec<String>,
    pub sections: Vec<CurrencySection>,
}

impl ForecastPage {
    fn new(user: &CurrentUser, f: ReportFilters, forecast: Forecast) -> ForecastPage {
        let loc = &user.locale;
        let mut buckets = vec![loc.t("deals-forecast-overdue")];
        buckets.extend(forecast.months.iter().map(|m| loc.month(*m)));
        let owner_name = |id: i64| {
            f.owners
                .iter()
                .find(|o| o.0 == id)
                .map(|o| o.1.clone())
                .unwrap_or_else(|| loc.t("deals-forecast-former-owner"))
        };
        let sections = forecast
            .currencies
            .iter()
            .map(|cf| {
                let money = |m: i64| loc.money(m, cf.currency.as_str());
                let chart = Chart::new(
                    ChartKind::Bars,
                    format!("forecast-{}", cf.currency.to_lowercase()),
                    loc.t_str("deals-forecast-chart", "currency", &cf.currency),
                )
                .describe(loc.t("deals-forecast-chart-desc"))
                .categories(buckets.clone())
                .series(Series::new(
                    loc.t("deals-forecast-value"),
                    cf.buckets.iter().map(|b| b.total_minor).collect(),
                ))
                .series(Series::new(
                    loc.t("deals-forecast-weighted"),
                    cf.buckets.iter().map(|b| b.weighted_minor).collect(),
                ))
                .render(money);
                CurrencySection {
                    chart,
                    table_caption: loc.t_str("deals-forecast-by-owner", "currency", &cf.currency),
                    rows: cf
                        .owners
                        .iter()
                        .map(|(id, w)| (owner_name(*id), w.iter().map(|v| money(*v)).collect()))
                        .collect(),
                }
            })
            .collect();
        ForecastPage {
            chrome: Chrome::new(user, Section::Leads),
            f,
            buckets,
            sections,
        }
    }
}

/// `GET /leads/forecast?pipeline=&owner=&mine=1…`
/// The forecast's groups, kept briefly (`menus::SUMS_TTL`).
static FORECAST: std::sync::LazyLock<MenuCache<Vec<forecast::Group>>> =
    std::sync::LazyLock::new(crate::web::list::menus::sums_cache);

pub async fn show(
    user: CurrentUser,
    state: web::Data<AppState>,
    query: web::Query<Params>,
) -> AppResult<HttpResponse> {
    let q = BoardQuery::parse(&query);
    let u = user.clone();
    let view = state
        .db(move |c| {
            let (pipeline, reach, f) = ReportFilters::load(c, &u, &q)?;
            let months = months_from(u.locale.today());
            let key =
                super::board::sums_key(&pipeline, &reach, &q, &format!("{:?}", months.first()));
            let groups =
                FORECAST.get_keyed(key, || forecast::load(c, &reach, &pipeline, &q, &months))?;
            Ok(ForecastPage::new(&u, f, Forecast::build(months, &groups)))
        })
        .await?;
    page(&view)
}
