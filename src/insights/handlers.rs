//! `/insights` and its CSV exports.

use actix_web::{HttpResponse, web};

use super::page::{Block, Ctx, Query, Section, build};
use super::sections::SECTIONS;
use super::views::InsightsPage;
use crate::error::{AppError, AppResult};
use crate::i18n::format::plain_amount;
use crate::web::CurrentUser;
use crate::web::list::Params;
use crate::web::render::page;
use crate::web::state::AppState;

/// `GET /insights?from=YYYY-MM&to=YYYY-MM&owner=&team=&pipeline=&currency=`
pub async fn show(
    user: CurrentUser,
    state: web::Data<AppState>,
    query: web::Query<Params>,
) -> AppResult<HttpResponse> {
    let q = Query::parse(&query, user.locale.today());
    let u = user.clone();
    let view = state
        .db(move |c| {
            let ctx = Ctx::load(c, &u, q)?;
            let sections = build(c, &ctx, SECTIONS)?;
            let owners = crate::staff::repo::assignable_users(c, &u.viewer())?;
            let teams = crate::staff::repo::list_teams(c)?
                .into_iter()
                .map(|t| (t.id.get(), t.name))
                .collect();
            Ok(InsightsPage::new(&u, &ctx, (owners, teams), sections))
        })
        .await?;
    page(&view)
}

/// `GET /insights/export?chart=<id>&…the page's filters`: the chart's
/// figures as CSV (money as plain amounts, percentages as numbers).
pub async fn export(
    user: CurrentUser,
    state: web::Data<AppState>,
    query: web::Query<Params>,
) -> AppResult<HttpResponse> {
    let q = Query::parse(&query, user.locale.today());
    let wanted = query.get("chart").to_string();
    let u = user.clone();
    let name = wanted.clone();
    let rows = state
        .db(move |c| {
            let ctx = Ctx::load(c, &u, q)?;
            let sections = build(c, &ctx, SECTIONS)?;
            rows_of(&sections, &wanted, &ctx).ok_or(AppError::NotFound)
        })
        .await?;
    let (head, body) = rows.split_first().ok_or(AppError::NotFound)?;
    let body = crate::imports::csv_bytes(head, body)?;
    Ok(crate::imports::csv_response(
        &format!("insights-{name}.csv"),
        body,
    ))
}

/// The rows of a chart's (or the cohort table's) CSV, header first.
fn rows_of(sections: &[Section], id: &str, ctx: &Ctx) -> Option<Vec<Vec<String>>> {
    let loc = &ctx.loc;
    for s in sections {
        for b in &s.blocks {
            match b {
                Block::Chart(c) if c.chart.id == id => {
                    let mut out = vec![
                        std::iter::once(loc.t("chart-category"))
                            .chain(c.chart.series.iter().map(|s| s.name.clone()))
                            .collect(),
                    ];
                    for (i, cat) in c.chart.categories.iter().enumerate() {
                        let mut row = vec![cat.clone()];
                        for s in &c.chart.series {
                            let v = s.values.get(i).copied().unwrap_or(0);
                            row.push(match &c.money {
                                Some(cur) => plain_amount(v, cur),
                                None => v.to_string(),
                            });
                        }
                        out.push(row);
                    }
                    return Some(out);
                }
                Block::Cohorts(t) if id == "cohorts" => {
                    let mut out = vec![
                        [loc.t("insights-cohort"), loc.t("insights-cohort-size")]
                            .into_iter()
                            .chain(t.offsets.iter().cloned())
                            .collect::<Vec<_>>(),
                    ];
                    for (month, size, cells) in &t.rows {
                        out.push(
                            [month.clone(), size.clone()]
                                .into_iter()
                                .chain(cells.iter().map(|c| c.0.clone()))
                                .collect(),
                        );
                    }
                    return Some(out);
                }
                _ => {}
            }
        }
    }
    None
}
