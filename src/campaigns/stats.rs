//! `GET /campaigns/{id}/stats`: what happened after the send — delivered,
//! failed, unique and total opens and clicks with their rates, a chart of
//! sends, opens, clicks and unsubscribes over time (hours in the viewer's
//! zone for the first three days, then days), and clicks per link.
//!
//! Every figure is an index read: unique opens and clicks count the ledger
//! rows whose first-open/first-click time is set (`(campaign_id,
//! opened_at)`), the totals and the chart group `campaign_events` by kind
//! and hour on `(campaign_id, kind, created_at)`, sends by hour on
//! `(campaign_id, sent_at)`.

use std::collections::BTreeMap;

use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::{DateTime, NaiveDate, NaiveDateTime};
use diesel::dsl::{count, count_star};
use diesel::prelude::*;
use diesel::sql_types::BigInt;

use super::domain::CampaignKind;
use super::repo::{self, Campaign, Progress};
use super::tracking::EventKind;
use crate::db::DbConn;
use crate::db::schema::{campaign_events as ev, campaign_links as cl, campaign_recipients as cr};
use crate::error::{AppError, AppResult};
use crate::i18n::Locale;
use crate::insights::domain::NpsTally;
use crate::web::chart::{Chart, ChartKind, ChartView, Series};
use crate::web::render::page as render_page;
use crate::web::state::AppState;
use crate::web::{Chrome, CurrentUser, Section};

/// Up to this many hours after the first send the chart is hourly.
const HOURLY_SPAN: i64 = 72;
/// The daily chart shows at most the last this many days.
const DAYS_MAX: usize = 120;

/// Counts per hour since the Unix epoch.
type Hours = BTreeMap<i64, i64>;

/// What the page shows.
#[derive(Debug, Default)]
pub struct Stats {
    pub progress: Progress,
    pub unique_opens: i64,
    pub unique_clicks: i64,
    pub opens: i64,
    pub clicks: i64,
    pub sent_by_hour: Hours,
    pub by_hour: BTreeMap<&'static str, Hours>,
    /// (URL, clicks, distinct clickers when kept per recipient).
    pub links: Vec<(String, i64, i64)>,
}

#[derive(QueryableByName)]
struct HourCount {
    #[diesel(sql_type = diesel::sql_types::Text)]
    kind: String,
    #[diesel(sql_type = BigInt)]
    hour: i64,
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// Whole hours since 1970 of a UTC `DATETIME` column, per dialect.
fn hour_of(c: &DbConn, column: &str) -> String {
    match c {
        DbConn::Mysql(_) => format!("TIMESTAMPDIFF(HOUR, '1970-01-01 00:00:00', {column})"),
        DbConn::Sqlite(_) => format!("CAST(strftime('%s', {column}) AS INTEGER) / 3600"),
    }
}

pub fn load(c: &mut DbConn, id: i64) -> QueryResult<Stats> {
    let first = |c: &mut DbConn, opened: bool| {
        let q = cr::table.filter(cr::campaign_id.eq(id)).into_boxed();
        let q = if opened {
            q.filter(cr::opened_at.is_not_null())
        } else {
            q.filter(cr::clicked_at.is_not_null())
        };
        q.select(count_star()).first::<i64>(c)
    };
    let mut s = Stats {
        progress: repo::progress(c, id)?,
        unique_opens: first(c, true)?,
        unique_clicks: first(c, false)?,
        ..Stats::default()
    };
    let sent_hour = hour_of(c, "sent_at");
    let sent: Vec<HourCount> = diesel::sql_query(format!(
        "SELECT 'sent' AS kind, {sent_hour} AS hour, COUNT(*) AS n FROM campaign_recipients \
         WHERE campaign_id = ? AND sent_at IS NOT NULL GROUP BY {sent_hour}"
    ))
    .bind::<BigInt, _>(id)
    .load(c)?;
    s.sent_by_hour = sent.into_iter().map(|h| (h.hour, h.n)).collect();
    let event_hour = hour_of(c, "created_at");
    let events: Vec<HourCount> = diesel::sql_query(format!(
        "SELECT kind, {event_hour} AS hour, COUNT(*) AS n FROM campaign_events \
         WHERE campaign_id = ? GROUP BY kind, {event_hour}"
    ))
    .bind::<BigInt, _>(id)
    .load(c)?;
    for h in events {
        let Some(kind) = EventKind::parse(&h.kind) else {
            continue;
        };
        match kind {
            EventKind::Open => s.opens += h.n,
            EventKind::Click => s.clicks += h.n,
            EventKind::Unsubscribe => {}
        }
        *s.by_hour
            .entry(kind.as_str())
            .or_default()
            .entry(h.hour)
            .or_default() += h.n;
    }
    let per_link: Vec<(Option<i64>, i64, i64)> = ev::table
        .filter(ev::campaign_id.eq(id))
        .filter(ev::kind.eq(EventKind::Click.as_str()))
        .group_by(ev::link_id)
        .select((
            ev::link_id,
            count_star(),
            count(ev::recipient_id).aggregate_distinct(),
        ))
        .load(c)?;
    let ids: Vec<i64> = per_link.iter().filter_map(|(l, _, _)| *l).collect();
    let urls: BTreeMap<i64, String> = cl::table
        .filter(cl::id.eq_any(&ids))
        .select((cl::id, cl::url))
        .load::<(i64, String)>(c)?
        .into_iter()
        .collect();
    s.links = per_link
        .into_iter()
        .filter_map(|(l, n, d)| Some((urls.get(&l?)?.clone(), n, d)))
        .collect();
    s.links
        .sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    Ok(s)
}

fn hour_start(hour: i64) -> NaiveDateTime {
    DateTime::from_timestamp(hour * 3600, 0)
        .unwrap_or_default()
        .naive_utc()
}

/// The chart's buckets: each hour from the first to the last activity
/// while that span is short, else the viewer's days (at most `DAYS_MAX`,
/// the latest); per bucket the sum of each series.
pub fn buckets(loc: &Locale, series: &[&Hours]) -> (Vec<String>, Vec<Vec<i64>>) {
    let hours: Vec<i64> = series.iter().flat_map(|h| h.keys().copied()).collect();
    let (Some(&lo), Some(&hi)) = (hours.iter().min(), hours.iter().max()) else {
        return (Vec::new(), vec![Vec::new(); series.len()]);
    };
    if hi - lo < HOURLY_SPAN {
        let labels = (lo..=hi).map(|h| loc.datetime(hour_start(h))).collect();
        let values = series
            .iter()
            .map(|s| (lo..=hi).map(|h| s.get(&h).copied().unwrap_or(0)).collect())
            .collect();
        return (labels, values);
    }
    let day = |h: i64| hour_start(h).and_utc().with_timezone(&loc.tz).date_naive();
    let (first, last) = (day(lo), day(hi));
    let days: Vec<NaiveDate> = first
        .iter_days()
        .take_while(|d| *d <= last)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .take(DAYS_MAX)
        .rev()
        .collect();
    let values = series
        .iter()
        .map(|s| {
            let mut per_day: BTreeMap<NaiveDate, i64> = BTreeMap::new();
            for (h, n) in s.iter() {
                *per_day.entry(day(*h)).or_default() += n;
            }
            days.iter()
                .map(|d| per_day.get(d).copied().unwrap_or(0))
                .collect()
        })
        .collect();
    (days.iter().map(|d| loc.day(d)).collect(), values)
}

/// `part` of `whole` as a percentage with one decimal (`12.5 %`).
fn rate(part: i64, whole: i64) -> String {
    if whole <= 0 {
        return "—".into();
    }
    format!("{:.1} %", part as f64 * 100.0 / whole as f64)
}

/// One figure of the page's head.
pub struct Figure {
    pub id: &'static str,
    pub label: String,
    pub value: String,
    pub note: String,
}

#[derive(Template)]
#[template(path = "campaigns/stats.html")]
pub struct StatsPage {
    pub chrome: Chrome,
    pub campaign: Campaign,
    pub figures: Vec<Figure>,
    pub chart: ChartView,
    /// (URL, clicks, clickers), formatted.
    pub links: Vec<(String, String, String)>,
    pub individual: bool,
    /// An NPS survey's answers: the score (formatted), how many answered,
    /// and the distribution chart.
    pub nps: Option<(String, String, ChartView)>,
    /// A survey's latest comments: score, comment, when (formatted).
    pub comments: Vec<(String, String, String)>,
}

/// An NPS survey's score and its answers per score 0–10.
fn nps_view(loc: &Locale, tally: NpsTally, per: [i64; 11]) -> (String, String, ChartView) {
    let chart = Chart::new(
        ChartKind::Bars,
        "nps-distribution",
        loc.t("campaigns-nps-distribution"),
    )
    .describe(loc.t("campaigns-nps-distribution-desc"))
    .categories((0..=10).map(|s: i64| s.to_string()).collect())
    .series(Series::new(loc.t("campaigns-nps-answers"), per.to_vec()))
    .render(|n| loc.number(n));
    (
        tally
            .score()
            .map_or_else(|| "—".into(), |s| format!("{s:+}")),
        loc.number(tally.responses()),
        chart,
    )
}

fn figures(loc: &Locale, s: &Stats) -> Vec<Figure> {
    let p = &s.progress;
    let f = |id, key: &str, value: i64, note: String| Figure {
        id,
        label: loc.t(key),
        value: loc.number(value),
        note,
    };
    vec![
        f(
            "sent",
            "campaigns-recipient-sent",
            p.sent,
            rate(p.sent, p.total),
        ),
        f(
            "failed",
            "campaigns-recipient-failed",
            p.failed,
            rate(p.failed, p.total),
        ),
        f(
            "unique-opens",
            "campaigns-stats-unique-opens",
            s.unique_opens,
            rate(s.unique_opens, p.sent),
        ),
        f(
            "unique-clicks",
            "campaigns-stats-unique-clicks",
            s.unique_clicks,
            rate(s.unique_clicks, p.sent),
        ),
        f("opens", "campaigns-stats-opens", s.opens, String::new()),
        f("clicks", "campaigns-stats-clicks", s.clicks, String::new()),
        f(
            "unsubscribed",
            "campaigns-unsubscribed",
            p.unsubscribed,
            rate(p.unsubscribed, p.sent),
        ),
    ]
}

fn chart(loc: &Locale, s: &Stats) -> ChartView {
    let empty = Hours::new();
    let of = |k: EventKind| s.by_hour.get(k.as_str()).unwrap_or(&empty);
    let (labels, mut values) = buckets(
        loc,
        &[
            &s.sent_by_hour,
            of(EventKind::Open),
            of(EventKind::Click),
            of(EventKind::Unsubscribe),
        ],
    );
    let mut take = || values.remove(0);
    Chart::new(
        ChartKind::Lines,
        "over-time",
        loc.t("campaigns-stats-over-time"),
    )
    .describe(loc.t("campaigns-stats-over-time-desc"))
    .categories(labels)
    .series(Series::new(loc.t("campaigns-recipient-sent"), take()))
    .series(Series::new(loc.t("campaigns-stats-opens"), take()))
    .series(Series::new(loc.t("campaigns-stats-clicks"), take()))
    .series(Series::new(loc.t("campaigns-unsubscribed"), take()))
    .render(|n| loc.number(n))
}

/// `GET /campaigns/{id}/stats`.
pub async fn page(
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let (campaign, stats, individual, nps) = state
        .db(move |c| {
            let campaign = repo::get(c, id)?.ok_or(AppError::NotFound)?;
            let stats = load(c, id)?;
            let individual = crate::settings::repo::get(c)?.track_individuals;
            let nps = match campaign.kind() {
                CampaignKind::Nps => Some((
                    super::nps::distribution(c, id)?,
                    super::nps::comments(c, id)?,
                )),
                CampaignKind::Email => None,
            };
            Ok((campaign, stats, individual, nps))
        })
        .await?;
    let chrome = Chrome::new(&user, Section::Campaigns);
    let loc = &chrome.locale;
    let figures = figures(loc, &stats);
    let chart = chart(loc, &stats);
    let links = stats
        .links
        .iter()
        .map(|(url, n, d)| (url.clone(), loc.number(*n), loc.number(*d)))
        .collect();
    let (nps, comments) = match nps {
        Some(((t, per), comments)) => (
            Some(nps_view(loc, t, per)),
            comments
                .into_iter()
                .map(|(s, text, at)| (s.to_string(), text, loc.datetime(at)))
                .collect(),
        ),
        None => (None, Vec::new()),
    };
    render_page(&StatsPage {
        chrome,
        campaign,
        figures,
        chart,
        links,
        individual,
        nps,
        comments,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn short_spans_are_hourly_and_fill_the_gaps() {
        let loc = Locale::new(Lang::En, chrono_tz::Asia::Shanghai);
        let base = 490_000; // an hour in 2025
        let sent: Hours = [(base, 5), (base + 2, 1)].into();
        let opens: Hours = [(base + 1, 3)].into();
        let (labels, values) = buckets(&loc, &[&sent, &opens]);
        assert_eq!(labels.len(), 3);
        assert_eq!(values, vec![vec![5, 0, 1], vec![0, 3, 0]]);
        assert_eq!(labels[0], loc.datetime(hour_start(base)));
    }

    #[test]
    fn long_spans_are_the_viewers_days() {
        // 2026-11-01 15:00 UTC is 23:00 in Shanghai, 16:00 UTC the next day there.
        let at = |s: &str| {
            NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M")
                .unwrap()
                .and_utc()
                .timestamp()
                / 3600
        };
        let sent: Hours = [(at("2026-11-01 15:00"), 2), (at("2026-11-01 16:00"), 7)].into();
        let late: Hours = [(at("2026-11-10 00:00"), 1)].into();
        let loc = Locale::new(Lang::En, chrono_tz::Asia::Shanghai);
        let (labels, values) = buckets(&loc, &[&sent, &late]);
        assert_eq!(labels.first().map(String::as_str), Some("1 Nov 2026"));
        assert_eq!(labels.last().map(String::as_str), Some("10 Nov 2026"));
        assert_eq!(values[0][0], 2);
        assert_eq!(values[0][1], 7);
        assert_eq!(values[1].iter().sum::<i64>(), 1);
        let utc = Locale::new(Lang::En, chrono_tz::UTC);
        let (_, values) = buckets(&utc, &[&sent, &late]);
        assert_eq!(values[0][0], 9);
    }

    #[test]
    fn rates_need_a_whole() {
        assert_eq!(rate(1, 8), "12.5 %");
        assert_eq!(rate(1, 0), "—");
    }
}
