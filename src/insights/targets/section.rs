//! The "performance" section of `/insights`: each rep's revenue against
//! their target in the period's last month (workspace months, as the
//! commission report), the overall attainment and the month's commission,
//! each linking to the records or the report behind it.

use super::report::{self, Report};
use crate::db::DbConn;
use crate::deals::funnel_page::percent_of;
use crate::error::AppResult;
use crate::insights::page::{Block, ChartBlock, Ctx, Figure, encode};
use crate::web::chart::{Chart, ChartKind, Series};

/// The report link for the section's month, currency and filters.
fn report_href(ctx: &Ctx) -> String {
    let mut p = vec![
        ("month", ctx.q.to.format("%Y-%m").to_string()),
        ("currency", ctx.currency.clone()),
    ];
    if let Some(o) = ctx.q.owner {
        p.push(("owner", o.to_string()));
    }
    if let Some(t) = ctx.q.team {
        p.push(("team", t.to_string()));
    }
    format!("/insights/commission?{}", encode(&p))
}

pub fn section(c: &mut DbConn, ctx: &Ctx) -> AppResult<Vec<Block>> {
    let r: Report = report::build(c, ctx.owners(), ctx.q.to, &ctx.currency)?;
    let loc = &ctx.loc;
    // Reps with a target or revenue that month (an idle rep is no bar).
    let shown: Vec<_> = r
        .reps
        .iter()
        .filter(|l| l.target.is_some() || l.revenue != 0)
        .collect();
    let month = loc.month(r.month);
    let chart = Chart::new(
        ChartKind::Bars,
        "attainment",
        loc.t_str("insights-attainment-chart", "month", &month),
    )
    .describe(loc.t_str("insights-attainment-desc", "zone", r.zone.name()))
    .categories(shown.iter().map(|l| l.name.clone()).collect())
    .series(Series::new(
        loc.t("insights-target"),
        shown.iter().map(|l| l.target.unwrap_or(0)).collect(),
    ))
    .series(
        Series::new(
            loc.t("insights-revenue"),
            shown.iter().map(|l| l.revenue).collect(),
        )
        .links(
            shown
                .iter()
                .map(|l| Some(r.orders_href(Some(l.user_id))))
                .collect(),
        ),
    );
    let view = chart.render(|v| ctx.money(v));
    let report = Some(report_href(ctx));
    let figures = vec![
        Figure {
            label: loc.t_str("insights-attainment", "month", &month),
            value: percent_of(r.targeted.0, r.targeted.1),
            href: report.clone(),
            key: "attainment",
        },
        Figure {
            label: loc.t_str("insights-commission", "month", &month),
            value: ctx.money(r.commission),
            href: report,
            key: "commission",
        },
    ];
    Ok(vec![
        Block::Figures(figures),
        Block::Chart(Box::new(ChartBlock {
            chart,
            view,
            money: Some(ctx.currency.clone()),
        })),
    ])
}
