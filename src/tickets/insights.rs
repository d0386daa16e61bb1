//! The "service" section of `/insights`: SLA compliance and CSAT by month
//! in the viewer's zone, over the tickets assigned to the owners in the
//! viewer's reach (`Ctx::owners`; everyone's, unassigned ones too, for an
//! unscoped viewer). The figures are the queue dashboard's
//! (`dashboard::bucketed`, months instead of weeks); every figure and bar
//! links to the ticket list with the same filters.

use super::dashboard::{self, Buckets, Scope, Week};
use crate::db::DbConn;
use crate::deals::funnel_page::percent;
use crate::error::AppResult;
use crate::insights::domain::ratio_bp;
use crate::insights::page::{Block, Ctx};
use crate::insights::sections::{figure, month_labels, next_month, percent_chart};
use crate::web::chart::{Chart, ChartKind, Series};

/// The period's figures, summed over its months.
fn total(months: &[Week]) -> Week {
    let mut t = Week::default();
    for m in months {
        t.solved += m.solved;
        t.met += m.met;
        t.responded += m.responded;
        t.scores.extend_from_slice(&m.scores);
    }
    t
}

/// `sla=met`… plus solved (or rated) within the days `[from, to)`.
fn link(ctx: &Ctx, rated: bool, from: chrono::NaiveDate, to: chrono::NaiveDate) -> String {
    let (since, until) = ctx.instants(from, to);
    let (a, b) = if rated {
        ("rated_since", "rated_until")
    } else {
        ("solved_since", "solved_until")
    };
    ctx.tickets_href(&[(a, since), (b, until)])
}

pub fn section(c: &mut DbConn, ctx: &Ctx) -> AppResult<Vec<Block>> {
    let loc = &ctx.loc;
    let (from, until) = ctx.period_utc();
    let scope = Scope {
        queue: None,
        assignees: ctx.owners(),
    };
    let months = dashboard::bucketed(
        c,
        scope,
        &Buckets {
            from,
            until: Some(until),
            count: ctx.months.len(),
            index: |at| ctx.month_index(at),
        },
    )?;
    let t = total(&months);
    let solved_href = link(ctx, false, ctx.q.from, ctx.end());
    let rated_href = link(ctx, true, ctx.q.from, ctx.end());
    let (since, until_s) = ctx.instants(ctx.q.from, ctx.end());
    let met_href = ctx.tickets_href(&[
        ("solved_since", since),
        ("solved_until", until_s),
        ("sla", "met".into()),
    ]);
    let average = t
        .average_score()
        .map_or_else(|| "—".into(), |a| format!("{}.{:02} / 5", a / 100, a % 100));
    let satisfied = i64::try_from(
        t.scores
            .iter()
            .filter(|s| super::domain::is_satisfied(**s))
            .count(),
    )
    .unwrap_or(0);
    let figures = Block::Figures(vec![
        figure(
            "sla-met",
            loc.t("insights-service-sla"),
            percent(ratio_bp(t.met, t.solved)),
            Some(met_href),
        ),
        figure(
            "solved",
            loc.t("insights-service-solved"),
            loc.number(t.solved),
            Some(solved_href),
        ),
        figure(
            "csat",
            loc.t("insights-service-csat"),
            percent(ratio_bp(satisfied, t.scores.len() as i64)),
            Some(rated_href.clone()),
        ),
        figure(
            "csat-average",
            loc.t("insights-service-csat-average"),
            average,
            Some(rated_href.clone()),
        ),
        figure(
            "responses",
            loc.t("insights-service-responses"),
            loc.number(t.scores.len() as i64),
            Some(rated_href),
        ),
    ]);
    let links = |rated: bool| {
        ctx.months
            .iter()
            .map(|m| Some(link(ctx, rated, *m, next_month(*m))))
            .collect()
    };
    let sla = Chart::new(
        ChartKind::Bars,
        "service-sla",
        loc.t("insights-service-sla-chart"),
    )
    .describe(loc.t("insights-service-sla-desc"))
    .categories(month_labels(ctx))
    .series(
        Series::new(
            loc.t("insights-service-sla"),
            months.iter().map(|m| m.compliance().unwrap_or(0)).collect(),
        )
        .links(links(false)),
    );
    let csat = Chart::new(
        ChartKind::Bars,
        "service-csat",
        loc.t("insights-service-csat-chart"),
    )
    .describe(loc.t("insights-service-csat-desc"))
    .categories(month_labels(ctx))
    .series(
        Series::new(
            loc.t("insights-service-csat"),
            months
                .iter()
                .map(|m| m.csat().map_or(0, i64::from))
                .collect(),
        )
        .links(links(true)),
    );
    Ok(vec![figures, percent_chart(sla), percent_chart(csat)])
}
