//! The "campaigns" section of `/insights` (viewers who may read campaigns;
//! campaigns are not owner-scoped): engagement of each campaign started in
//! the period — sent, open and click rates (unique opens and clicks ÷
//! sent), unsubscribes — each linking to its stats page; NPS by month in
//! the viewer's zone (the month of each first answer) and the latest
//! survey's NPS.

use std::collections::HashMap;

use diesel::dsl::{count, count_star};
use diesel::prelude::*;

use super::domain::CampaignKind;
use crate::contacts::domain::Consent;
use crate::db::DbConn;
use crate::db::schema::{campaign_recipients as cr, campaigns, contacts};
use crate::deals::funnel_page::percent;
use crate::error::AppResult;
use crate::insights::domain::{NpsTally, ratio_bp};
use crate::insights::page::{Block, Ctx};
use crate::insights::sections::{count_chart, figure, month_labels, percent_chart};
use crate::web::chart::{Chart, ChartKind, Series};

/// At most this many campaigns in the chart and table (the latest).
const MAX_CAMPAIGNS: i64 = 30;

/// One campaign's engagement.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Engagement {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub sent: i64,
    pub opened: i64,
    pub clicked: i64,
    pub unsubscribed: i64,
}

impl Engagement {
    pub fn href(&self) -> String {
        format!("/campaigns/{}/stats", self.id)
    }
}

/// The campaigns started in the period, oldest first, with their counts:
/// one grouped read of the ledger and one of the contacts' unsubscribe
/// sources.
pub fn engagement(c: &mut DbConn, ctx: &Ctx) -> QueryResult<Vec<Engagement>> {
    let (from, until) = ctx.period_utc();
    let mut list: Vec<(i64, String, String)> = campaigns::table
        .filter(campaigns::started_at.ge(from))
        .filter(campaigns::started_at.lt(until))
        .order((campaigns::started_at.desc(), campaigns::id.desc()))
        .limit(MAX_CAMPAIGNS)
        .select((campaigns::id, campaigns::name, campaigns::kind))
        .load(c)?;
    list.reverse();
    let ids: Vec<i64> = list.iter().map(|r| r.0).collect();
    let counts: HashMap<i64, (i64, i64, i64)> = cr::table
        .filter(cr::campaign_id.eq_any(&ids))
        .group_by(cr::campaign_id)
        .select((
            cr::campaign_id,
            count(cr::sent_at),
            count(cr::opened_at),
            count(cr::clicked_at),
        ))
        .load::<(i64, i64, i64, i64)>(c)?
        .into_iter()
        .map(|(id, s, o, k)| (id, (s, o, k)))
        .collect();
    let sources: Vec<String> = ids
        .iter()
        .map(|id| super::unsubscribe_source(*id))
        .collect();
    let unsubscribed: HashMap<String, i64> = contacts::table
        .filter(contacts::consent.eq(Consent::Unsubscribed.as_str()))
        .filter(contacts::consent_source.eq_any(&sources))
        .group_by(contacts::consent_source)
        .select((contacts::consent_source, count_star()))
        .load::<(Option<String>, i64)>(c)?
        .into_iter()
        .filter_map(|(s, n)| Some((s?, n)))
        .collect();
    Ok(list
        .into_iter()
        .map(|(id, name, kind)| {
            let (sent, opened, clicked) = counts.get(&id).copied().unwrap_or_default();
            Engagement {
                id,
                name,
                kind,
                sent,
                opened,
                clicked,
                unsubscribed: unsubscribed
                    .get(&super::unsubscribe_source(id))
                    .copied()
                    .unwrap_or(0),
            }
        })
        .collect())
}

/// A rate as a whole percentage (the chart's values).
fn whole(bp: Option<i64>) -> i64 {
    bp.map_or(0, |b| (b + 50) / 100)
}

pub fn section(c: &mut DbConn, ctx: &Ctx) -> AppResult<Vec<Block>> {
    let loc = &ctx.loc;
    let rows = engagement(c, ctx)?;
    let sent: i64 = rows.iter().map(|r| r.sent).sum();
    let opened: i64 = rows.iter().map(|r| r.opened).sum();
    let clicked: i64 = rows.iter().map(|r| r.clicked).sum();
    let unsubscribed: i64 = rows.iter().map(|r| r.unsubscribed).sum();

    // NPS by the month of each first answer; the latest survey's score.
    let mut months = vec![NpsTally::default(); ctx.months.len()];
    for (at, score) in super::nps::answers(c, ctx.period_utc())? {
        if let Some(i) = ctx.month_index(at) {
            months[i].add(score);
        }
    }
    let latest = match rows
        .iter()
        .rev()
        .find(|r| r.kind == CampaignKind::Nps.as_str())
    {
        Some(r) => Some((r, super::nps::distribution(c, r.id)?.0)),
        None => None,
    };
    let list = Some("/campaigns".to_string());
    let figures = Block::Figures(vec![
        figure(
            "campaigns",
            loc.t("insights-campaigns-count"),
            loc.number(rows.len() as i64),
            list.clone(),
        ),
        figure(
            "campaigns-sent",
            loc.t("insights-campaigns-sent"),
            loc.number(sent),
            list.clone(),
        ),
        figure(
            "open-rate",
            loc.t("insights-campaigns-open-rate"),
            percent(ratio_bp(opened, sent)),
            list.clone(),
        ),
        figure(
            "click-rate",
            loc.t("insights-campaigns-click-rate"),
            percent(ratio_bp(clicked, sent)),
            list.clone(),
        ),
        figure(
            "unsubscribes",
            loc.t("insights-campaigns-unsubscribes"),
            loc.number(unsubscribed),
            list,
        ),
        figure(
            "nps",
            loc.t("insights-campaigns-nps"),
            latest
                .as_ref()
                .and_then(|(_, t)| t.score())
                .map_or_else(|| "—".into(), |s| format!("{s:+}")),
            latest.as_ref().map(|(r, _)| r.href()),
        ),
    ]);
    let names: Vec<String> = rows.iter().map(|r| r.name.clone()).collect();
    let hrefs: Vec<Option<String>> = rows.iter().map(|r| Some(r.href())).collect();
    let rates = Chart::new(
        ChartKind::Bars,
        "campaign-engagement",
        loc.t("insights-campaigns-chart"),
    )
    .describe(loc.t("insights-campaigns-desc"))
    .categories(names.clone())
    .series(
        Series::new(
            loc.t("insights-campaigns-open-rate"),
            rows.iter()
                .map(|r| whole(ratio_bp(r.opened, r.sent)))
                .collect(),
        )
        .links(hrefs.clone()),
    )
    .series(
        Series::new(
            loc.t("insights-campaigns-click-rate"),
            rows.iter()
                .map(|r| whole(ratio_bp(r.clicked, r.sent)))
                .collect(),
        )
        .links(hrefs),
    );
    let table = Block::Table {
        caption: loc.t("insights-campaigns-table"),
        headers: vec![
            loc.t("insights-campaigns-name"),
            loc.t("insights-campaigns-sent"),
            loc.t("insights-campaigns-open-rate"),
            loc.t("insights-campaigns-click-rate"),
            loc.t("insights-campaigns-unsubscribes"),
        ],
        rows: rows
            .iter()
            .map(|r| {
                (
                    r.name.clone(),
                    Some(r.href()),
                    vec![
                        loc.number(r.sent),
                        percent(ratio_bp(r.opened, r.sent)),
                        percent(ratio_bp(r.clicked, r.sent)),
                        loc.number(r.unsubscribed),
                    ],
                )
            })
            .collect(),
    };
    let nps = Chart::new(
        ChartKind::Lines,
        "nps-by-month",
        loc.t("insights-nps-chart"),
    )
    .describe(loc.t("insights-nps-desc"))
    .categories(month_labels(ctx))
    .series(Series::new(
        loc.t("insights-campaigns-nps"),
        months.iter().map(|t| t.score().unwrap_or(0)).collect(),
    ))
    .series(Series::new(
        loc.t("insights-nps-responses"),
        months.iter().map(NpsTally::responses).collect(),
    ));
    Ok(vec![
        figures,
        percent_chart(rates),
        table,
        count_chart(ctx, nps),
    ])
}
