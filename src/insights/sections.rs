//! The sections of `/insights`, in page order. A section is a key, a title
//! and a builder over the shared [`Ctx`]; adding one is one row in
//! [`SECTIONS`] (tickets add "service" — SLA and CSAT —, campaigns add
//! "campaigns" — engagement and NPS; see docs/insights.md), shown to the
//! viewers who may read the module behind it.

use std::collections::HashMap;

use chrono::{Months, NaiveDate};

use super::domain::{
    self, Churn, SalesFigures, average, cohorts, discounted_clv, month_of, new_returning,
    projected_clv, ratio_bp, stage_of, yearly_revenue,
};
use super::page::{Block, ChartBlock, CohortTable, Ctx, Figure, Formula, SectionDef};
use super::repo;
use crate::auth::policy::Action;
use crate::db::DbConn;
use crate::deals::domain::DealStatus;
use crate::deals::funnel_page::percent;
use crate::error::AppResult;
use crate::web::chart::{Chart, ChartKind, Series};

pub const SECTIONS: &[SectionDef] = &[
    SectionDef {
        key: "revenue",
        title: "insights-section-revenue",
        needs: None,
        build: revenue,
    },
    SectionDef {
        key: "customers",
        title: "insights-section-customers",
        needs: None,
        build: customers,
    },
    SectionDef {
        key: "sales",
        title: "insights-section-sales",
        needs: None,
        build: sales,
    },
    SectionDef {
        key: "performance",
        title: "insights-section-performance",
        needs: None,
        build: super::targets::section::section,
    },
    SectionDef {
        key: "service",
        title: "insights-section-service",
        needs: Some(Action::TicketsRead),
        build: crate::tickets::insights::section,
    },
    SectionDef {
        key: "campaigns",
        title: "insights-section-campaigns",
        needs: Some(Action::Campaigns),
        build: crate::campaigns::insights::section,
    },
];

fn money_chart(ctx: &Ctx, chart: Chart) -> Block {
    let view = chart.render(|v| ctx.money(v));
    Block::Chart(Box::new(ChartBlock {
        chart,
        view,
        money: Some(ctx.currency.clone()),
    }))
}

/// A chart of whole percentages (the CSV keeps the numbers).
pub(crate) fn percent_chart(chart: Chart) -> Block {
    let view = chart.render(|v| format!("{v} %"));
    Block::Chart(Box::new(ChartBlock {
        chart,
        view,
        money: None,
    }))
}

pub(crate) fn count_chart(ctx: &Ctx, chart: Chart) -> Block {
    let view = chart.render(|v| ctx.loc.number(v));
    Block::Chart(Box::new(ChartBlock {
        chart,
        view,
        money: None,
    }))
}

pub(crate) fn figure(
    key: &'static str,
    label: String,
    value: String,
    href: Option<String>,
) -> Figure {
    Figure {
        label,
        value,
        href,
        key,
    }
}

pub(crate) fn next_month(m: NaiveDate) -> NaiveDate {
    m.checked_add_months(Months::new(1)).unwrap_or(m)
}

pub(crate) fn month_labels(ctx: &Ctx) -> Vec<String> {
    ctx.months.iter().map(|m| ctx.loc.month(*m)).collect()
}

/// Revenue by month, new versus returning customers, and the period's totals.
fn revenue(_c: &mut DbConn, ctx: &Ctx) -> AppResult<Vec<Block>> {
    let n = ctx.months.len();
    let mut sums = vec![0i64; n];
    let mut orders = 0i64;
    let mut buyers = 0i64;
    for h in ctx.customers.values() {
        let mut bought = false;
        for p in h {
            if let Some(i) = ctx.months.iter().position(|m| *m == month_of(p.day)) {
                sums[i] += p.total;
                orders += 1;
                bought = true;
            }
        }
        buyers += i64::from(bought);
    }
    let total: i64 = sums.iter().sum();
    let links = ctx
        .months
        .iter()
        .map(|m| Some(ctx.orders_href(*m, next_month(*m))))
        .collect();
    let rev = Chart::new(
        ChartKind::Bars,
        "revenue-by-month",
        ctx.loc
            .t_str("insights-revenue-chart", "currency", &ctx.currency),
    )
    .describe(ctx.loc.t("insights-revenue-desc"))
    .categories(month_labels(ctx))
    .series(Series::new(ctx.loc.t("insights-revenue"), sums).links(links));
    let nr = new_returning(ctx.customers.values(), &ctx.months);
    let customers = Chart::new(
        ChartKind::Bars,
        "new-returning",
        ctx.loc.t("insights-new-returning-chart"),
    )
    .describe(ctx.loc.t("insights-new-returning-desc"))
    .categories(month_labels(ctx))
    .series(Series::new(
        ctx.loc.t("insights-new"),
        nr.iter().map(|x| x.new).collect(),
    ))
    .series(Series::new(
        ctx.loc.t("insights-returning"),
        nr.iter().map(|x| x.returning).collect(),
    ));
    let all = Some(ctx.orders_href(ctx.q.from, ctx.end()));
    Ok(vec![
        Block::Figures(vec![
            figure(
                "revenue",
                ctx.loc.t("insights-revenue"),
                ctx.money(total),
                all.clone(),
            ),
            figure(
                "orders",
                ctx.loc.t("insights-orders"),
                ctx.loc.number(orders),
                all.clone(),
            ),
            figure(
                "aov",
                ctx.loc.t("insights-aov"),
                ctx.money(average(total, orders)),
                all,
            ),
            figure(
                "buyers",
                ctx.loc.t("insights-buyers"),
                ctx.loc.number(buyers),
                None,
            ),
        ]),
        money_chart(ctx, rev),
        count_chart(ctx, customers),
    ])
}

/// CLV, churn, retention cohorts, lifecycle stages.
fn customers(c: &mut DbConn, ctx: &Ctx) -> AppResult<Vec<Block>> {
    let s = ctx.settings;
    let loc = &ctx.loc;
    // CLV per customer from the order history (R_t: revenue of year t).
    let mut clvs: Vec<(repo::Customer, i64)> = ctx
        .customers
        .iter()
        .map(|(who, h)| {
            (
                *who,
                discounted_clv(&yearly_revenue(h, s.horizon_years), s.discount_bp),
            )
        })
        .collect();
    clvs.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let n = clvs.len() as i64;
    let avg_clv = average(clvs.iter().map(|c| c.1).sum(), n);
    // Projected: average order value × orders a year × margin, retained
    // at 1 − the churn of the last year.
    let (mut orders, mut revenue, mut years_sum) = (0i64, 0i64, 0i64);
    for h in ctx.customers.values() {
        orders += h.len() as i64;
        revenue += h.iter().map(|p| p.total).sum::<i64>();
        if let (Some(f), Some(l)) = (h.first(), h.last()) {
            years_sum += (l.day - f.day).num_days().max(0) + 365;
        }
    }
    let aov = average(revenue, orders);
    // Orders a year per customer, in hundredths.
    let freq_c = if years_sum > 0 {
        average(orders * 365 * 100, years_sum)
    } else {
        0
    };
    let year_ago = ctx
        .today
        .checked_sub_months(Months::new(12))
        .unwrap_or(ctx.today);
    let year_churn = Churn::of(ctx.customers.values(), (year_ago, ctx.today), s.churn_days);
    let retention_bp = 10_000 - year_churn.rate_bp().unwrap_or(0);
    let annual = average(aov * freq_c, 100);
    let projected = projected_clv(
        annual,
        s.margin_bp,
        retention_bp,
        s.discount_bp,
        s.horizon_years,
    );

    let period_churn = Churn::of(
        ctx.customers.values(),
        (ctx.q.from, ctx.end().pred_opt().unwrap_or(ctx.q.to)),
        s.churn_days,
    );
    let pct = |bp: i64| percent(Some(bp));
    let formula = Formula {
        text: loc.t("insights-clv-formula"),
        inputs: vec![
            (loc.t("insights-clv-rate"), pct(s.discount_bp)),
            (
                loc.t("insights-clv-horizon"),
                loc.number(i64::from(s.horizon_years)),
            ),
            (loc.t("insights-clv-customers"), loc.number(n)),
            (loc.t("insights-aov"), ctx.money(aov)),
            (
                loc.t("insights-clv-frequency"),
                format!("{}.{:02}", freq_c / 100, freq_c % 100),
            ),
            (loc.t("insights-clv-margin"), pct(s.margin_bp)),
            (loc.t("insights-clv-retention"), pct(retention_bp)),
        ],
    };
    let top_ten: Vec<repo::Customer> = clvs.iter().take(10).map(|c| c.0).collect();
    let names = repo::customer_names(c, &top_ten)?;
    let top = Block::Table {
        caption: loc.t("insights-clv-top"),
        headers: vec![loc.t("insights-customer"), loc.t("insights-clv")],
        rows: clvs
            .iter()
            .take(10)
            .map(|(who, v)| {
                let label = match (names.get(who), who) {
                    (Some(name), _) if !name.trim().is_empty() => name.clone(),
                    (_, repo::Customer::Contact(id)) => loc.t_num("insights-contact-n", "id", *id),
                    (_, repo::Customer::Account(id)) => loc.t_num("insights-account-n", "id", *id),
                };
                (label, Some(who.href()), vec![ctx.money(*v)])
            })
            .collect(),
    };
    let figures = Block::Figures(vec![
        figure(
            "clv",
            loc.t("insights-clv-average"),
            ctx.money(avg_clv),
            None,
        ),
        figure(
            "clv-projected",
            loc.t("insights-clv-projected"),
            ctx.money(projected),
            None,
        ),
        figure(
            "churn",
            loc.t("insights-churn"),
            percent(period_churn.rate_bp()),
            None,
        ),
        figure(
            "churn-lost",
            loc.t("insights-churn-lost"),
            format!(
                "{} / {}",
                loc.number(period_churn.lost),
                loc.number(period_churn.at_start)
            ),
            None,
        ),
    ]);

    // Retention cohorts over the period.
    let cs = cohorts(ctx.customers.values(), ctx.q.from, ctx.q.to.min(ctx.today));
    let width = cs.iter().map(|c| c.active.len()).max().unwrap_or(0);
    let table = CohortTable {
        caption: loc.t("insights-cohorts"),
        offsets: (0..width)
            .map(|k| loc.t_num("insights-month-n", "count", k as i64))
            .collect(),
        rows: cs
            .iter()
            .map(|c| {
                let cells = c
                    .active
                    .iter()
                    .map(|a| {
                        let bp = ratio_bp(*a, c.size).unwrap_or(0);
                        (pct(bp), ((bp + 1_999) / 2_000).clamp(0, 5) as u8)
                    })
                    .collect();
                (loc.month(c.month), loc.number(c.size), cells)
            })
            .collect(),
    };

    // Lifecycle stage counts at the end of each month.
    let stages = domain::Stage::ALL;
    let mut counts: Vec<Vec<i64>> = vec![vec![0; ctx.months.len()]; stages.len()];
    for (i, m) in ctx.months.iter().enumerate() {
        let end = next_month(*m).pred_opt().unwrap_or(*m).min(ctx.today);
        if *m > ctx.today {
            continue;
        }
        for h in ctx.customers.values() {
            let upto: Vec<domain::Purchase> = h.iter().filter(|p| p.day <= end).copied().collect();
            if upto.is_empty() {
                continue;
            }
            let st = stage_of(&upto, end, s.rules());
            if let Some(k) = stages.iter().position(|x| *x == st) {
                counts[k][i] += 1;
            }
        }
    }
    let mut life = Chart::new(
        ChartKind::Lines,
        "lifecycle",
        loc.t("insights-lifecycle-chart"),
    )
    .describe(loc.t("insights-lifecycle-desc"))
    .categories(month_labels(ctx));
    for (k, st) in stages.iter().enumerate() {
        if *st == domain::Stage::Prospect {
            continue;
        }
        life = life.series(Series::new(loc.t(st.label_key()), counts[k].clone()));
    }

    Ok(vec![
        figures,
        Block::Formula(formula),
        top,
        Block::Cohorts(table),
        count_chart(ctx, life),
    ])
}

/// Pipeline by stage, forecast versus actual, win rate, deal size, cycle
/// length, funnel, lost reasons — for the chosen pipeline.
fn sales(c: &mut DbConn, ctx: &Ctx) -> AppResult<Vec<Block>> {
    let loc = &ctx.loc;
    let Some(p) = &ctx.pipeline else {
        return Ok(Vec::new());
    };
    let pid = p.id.get();
    let owners = ctx.owners();
    let period = ctx.period_utc();

    let open = repo::open_by_stage(c, owners, pid, &ctx.currency)?;
    let stages: Vec<_> = p.open_stages().collect();
    let by_stage = Chart::new(
        ChartKind::Rows,
        "pipeline-by-stage",
        loc.t("insights-pipeline-chart"),
    )
    .describe(loc.t("insights-pipeline-desc"))
    .categories(stages.iter().map(|s| s.label(loc)).collect())
    .series(
        Series::new(
            loc.t("insights-pipeline-value"),
            stages
                .iter()
                .map(|s| open.iter().filter(|o| o.0 == s.id).map(|o| o.2).sum())
                .collect(),
        )
        .links(
            stages
                .iter()
                .map(|s| {
                    Some(ctx.deals_href(&[
                        ("stage", s.id.get().to_string()),
                        ("status", "open".into()),
                    ]))
                })
                .collect(),
        ),
    );

    // Closed deals of the period.
    let closed = repo::closed(c, owners, pid, period)?;
    let mut f = SalesFigures::default();
    let mut actual = vec![0i64; ctx.months.len()];
    let mut reasons: HashMap<Option<i64>, i64> = HashMap::new();
    for d in closed.iter() {
        match (d.status, d.won_at) {
            (DealStatus::Won, Some(at)) => {
                f.won += 1;
                if d.currency == ctx.currency {
                    f.won_value += d.value_minor;
                    let day = at.and_utc().with_timezone(&loc.tz).date_naive();
                    if let Some(i) = ctx.months.iter().position(|m| *m == month_of(day)) {
                        actual[i] += d.value_minor;
                    }
                }
                f.won_days += (at - d.created_at).num_days().max(0);
            }
            (DealStatus::Lost, _) => {
                f.lost += 1;
                *reasons.entry(d.lost_reason_id).or_insert(0) += 1;
            }
            _ => {}
        }
    }
    // Expected: value × probability of deals expected to close each month.
    let mut expected = vec![0i128; ctx.months.len()];
    for (close, value, own, stage) in
        repo::expected(c, owners, pid, &ctx.currency, (ctx.q.from, ctx.end()))?
    {
        let prob = own
            .or_else(|| p.stage(stage).map(|s| s.probability))
            .unwrap_or(0);
        if let Some(i) = close.and_then(|d| ctx.months.iter().position(|m| *m == month_of(d))) {
            expected[i] += i128::from(value) * i128::from(prob);
        }
    }
    let expected: Vec<i64> = expected
        .into_iter()
        .map(|v| crate::domain::pricing::round_div(v, 100) as i64)
        .collect();
    let fva = Chart::new(
        ChartKind::Bars,
        "forecast-actual",
        loc.t("insights-forecast-chart"),
    )
    .describe(loc.t("insights-forecast-desc"))
    .categories(month_labels(ctx))
    .series(Series::new(loc.t("insights-forecast"), expected))
    .series(
        Series::new(loc.t("insights-actual"), actual).links(
            ctx.months
                .iter()
                .map(|m| Some(ctx.closed_href("won", *m, next_month(*m))))
                .collect(),
        ),
    );

    let won_href = Some(ctx.closed_href("won", ctx.q.from, ctx.end()));
    let lost_href = Some(ctx.closed_href("lost", ctx.q.from, ctx.end()));
    let figures = Block::Figures(vec![
        figure(
            "win-rate",
            loc.t("insights-win-rate"),
            percent(f.win_rate_bp()),
            won_href.clone(),
        ),
        figure(
            "won",
            loc.t("insights-won"),
            loc.number(f.won),
            won_href.clone(),
        ),
        figure(
            "lost",
            loc.t("insights-lost"),
            loc.number(f.lost),
            lost_href.clone(),
        ),
        figure(
            "deal-size",
            loc.t("insights-deal-size"),
            ctx.money(f.average_deal()),
            won_href,
        ),
        figure(
            "cycle",
            loc.t("insights-cycle"),
            f.cycle_days()
                .map_or_else(|| "—".into(), |d| loc.t_num("insights-days", "count", d)),
            None,
        ),
    ]);

    // Funnel from the stage history (the pipeline's own rule).
    let steps = crate::deals::funnel::steps(p, &ctx.stage_history(c, pid)?);
    let funnel = Chart::new(ChartKind::Rows, "funnel", loc.t("insights-funnel-chart"))
        .describe(loc.t("insights-funnel-desc"))
        .categories(
            steps
                .iter()
                .map(|s| {
                    let name = p.stage(s.stage).map(|st| st.label(loc)).unwrap_or_default();
                    match s.from_previous_bp {
                        Some(bp) => format!("{name} ({})", percent(Some(bp))),
                        None => name,
                    }
                })
                .collect(),
        )
        .series(Series::new(
            loc.t("insights-funnel-reached"),
            steps.iter().map(|s| s.reached).collect(),
        ));

    // Lost reasons.
    let catalogue = crate::pipelines::repo::reasons(c, false)?;
    let mut lost: Vec<(String, i64)> = reasons
        .into_iter()
        .map(|(id, n)| {
            let name = id
                .and_then(|id| catalogue.iter().find(|r| r.id.get() == id))
                .map_or_else(|| loc.t("insights-no-reason"), |r| r.label(loc));
            (name, n)
        })
        .collect();
    lost.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let lost_chart = Chart::new(
        ChartKind::Rows,
        "lost-reasons",
        loc.t("insights-lost-chart"),
    )
    .describe(loc.t("insights-lost-desc"))
    .categories(lost.iter().map(|l| l.0.clone()).collect())
    .series(
        Series::new(loc.t("insights-lost"), lost.iter().map(|l| l.1).collect())
            .links(lost.iter().map(|_| lost_href.clone()).collect()),
    );

    Ok(vec![
        figures,
        money_chart(ctx, by_stage),
        money_chart(ctx, fva),
        count_chart(ctx, funnel),
        count_chart(ctx, lost_chart),
    ])
}
