//! `GET /tickets/dashboard?queue=&weeks=`: the queue health page — the
//! figures of this moment (each a link to the queue view behind it) and
//! four weekly charts (first response, resolution, SLA compliance, CSAT),
//! then CSAT per queue and per agent (`dashboard`).

use actix_web::{HttpResponse, web};
use askama::Template;

use super::dashboard::{self, ByWho, Current, DEFAULT_WEEKS, PERIODS, Week, Weeks};
use super::repo;
use crate::domain::ids::QueueId;
use crate::error::{AppError, AppResult};
use crate::i18n::Locale;
use crate::web::chart::{Chart, ChartKind, ChartView, Series};
use crate::web::list::Params;
use crate::web::list::menus::MenuCache;
use crate::web::render::page;
use crate::web::state::AppState;
use crate::web::{Chrome, CurrentUser, Section};

/// One of the figures of this moment.
pub struct Figure {
    pub key: &'static str,
    pub label: String,
    pub value: String,
    pub href: String,
}

/// A row of the per-queue or per-agent table.
pub struct RatedRow {
    pub name: String,
    pub responses: String,
    pub csat: String,
}

#[derive(Template)]
#[template(path = "tickets/dashboard.html")]
pub struct DashboardPage {
    pub chrome: Chrome,
    /// When the figures were read (they are kept a minute).
    pub as_of: String,
    pub queues: Vec<(QueueId, String)>,
    pub queue: Option<QueueId>,
    pub weeks: u32,
    pub periods: Vec<(u32, String)>,
    pub figures: Vec<Figure>,
    pub charts: Vec<ChartView>,
    pub by_queue: Vec<RatedRow>,
    pub by_agent: Vec<RatedRow>,
}

impl DashboardPage {
    pub fn is_queue(&self, id: &QueueId) -> bool {
        self.queue == Some(*id)
    }
}

/// The page's query: a known queue and one of the offered periods.
fn parse(p: &Params) -> (Option<QueueId>, u32) {
    let queue = QueueId::parse(p.get("queue"));
    let weeks = p
        .get("weeks")
        .trim()
        .parse()
        .ok()
        .filter(|w| PERIODS.contains(w))
        .unwrap_or(DEFAULT_WEEKS);
    (queue, weeks)
}

/// Business minutes as hours and minutes ("3 h 05 min").
fn duration(loc: &Locale, minutes: i64) -> String {
    loc.t_args(
        "tickets-dash-duration",
        &[
            ("hours", crate::i18n::Arg::Num(minutes / 60)),
            (
                "minutes",
                crate::i18n::Arg::Text(format!("{:02}", minutes % 60)),
            ),
        ],
    )
}

fn percent(loc: &Locale, p: i64) -> String {
    loc.t_num("tickets-dash-percent", "value", p)
}

fn figures(loc: &Locale, now: &Current, queue: Option<QueueId>) -> Vec<Figure> {
    let with_queue = |view: &str| match queue {
        Some(q) => format!("/tickets?view={view}&queue={q}"),
        None => format!("/tickets?view={view}"),
    };
    let figure = |key, label: &str, value: i64, href: String| Figure {
        key,
        label: loc.t(label),
        value: loc.number(value),
        href,
    };
    vec![
        figure("open", "tickets-dash-open", now.open, with_queue("active")),
        figure(
            "unassigned",
            "tickets-dash-unassigned",
            now.unassigned,
            with_queue("unassigned"),
        ),
        figure(
            "breached",
            "tickets-dash-breached",
            now.breached,
            with_queue("breaching"),
        ),
        figure(
            "soon",
            "tickets-dash-soon",
            now.soon,
            with_queue("breaching"),
        ),
    ]
}

/// The four weekly charts; a week without tickets plots 0 and its table
/// cell says so.
fn charts(loc: &Locale, weeks: &Weeks, data: &[Week]) -> Vec<ChartView> {
    let labels: Vec<String> = weeks.starts.iter().map(|d| loc.day(d)).collect();
    let line = |id: &str, title: &str, desc: &str, name: &str, values: Vec<i64>| {
        Chart::new(ChartKind::Lines, id, loc.t(title))
            .describe(loc.t(desc))
            .categories(labels.clone())
            .series(Series::new(loc.t(name), values))
    };
    let or_zero = |v: Option<i64>| v.unwrap_or(0);
    vec![
        line(
            "first-response",
            "tickets-dash-frt",
            "tickets-dash-frt-desc",
            "tickets-dash-average",
            data.iter().map(|w| or_zero(w.average_response())).collect(),
        )
        .render(|m| duration(loc, m)),
        line(
            "resolution",
            "tickets-dash-resolution",
            "tickets-dash-resolution-desc",
            "tickets-dash-average",
            data.iter()
                .map(|w| or_zero(w.average_resolution()))
                .collect(),
        )
        .render(|m| duration(loc, m)),
        Chart::new(ChartKind::Bars, "sla", loc.t("tickets-dash-sla"))
            .describe(loc.t("tickets-dash-sla-desc"))
            .categories(labels.clone())
            .series(Series::new(
                loc.t("tickets-dash-sla-series"),
                data.iter().map(|w| or_zero(w.compliance())).collect(),
            ))
            .render(|p| percent(loc, p)),
        Chart::new(ChartKind::Bars, "csat", loc.t("tickets-dash-csat"))
            .describe(loc.t("tickets-dash-csat-desc"))
            .categories(labels)
            .series(Series::new(
                loc.t("tickets-dash-csat-series"),
                data.iter()
                    .map(|w| or_zero(w.csat().map(i64::from)))
                    .collect(),
            ))
            .render(|p| percent(loc, p)),
    ]
}

fn rated_rows<K: Copy + PartialEq>(
    loc: &Locale,
    rows: &[(K, dashboard::Rated)],
    name: impl Fn(K) -> String,
) -> Vec<RatedRow> {
    rows.iter()
        .map(|(k, r)| RatedRow {
            name: name(*k),
            responses: loc.number(r.responses),
            csat: r.percent().map_or_else(|| "—".into(), |p| percent(loc, p)),
        })
        .collect()
}

/// What the page shows, read at `at`.
#[derive(Clone)]
struct Loaded {
    at: chrono::NaiveDateTime,
    now: Current,
    weeks: Vec<Week>,
    by_who: ByWho,
}

/// The figures, kept a minute per queue, period and zone (`MenuCache`:
/// dropped at once when this process writes; a write on another node
/// shows within the minute). Cold, they cost about 100 ms at 100,000
/// tickets — counting the open and waiting tickets and reading the
/// period's answered and solved ones — too much for every view by every
/// manager; the page says when they were read.
static FIGURES: std::sync::LazyLock<MenuCache<Loaded>> =
    std::sync::LazyLock::new(|| MenuCache::with_ttl(std::time::Duration::from_secs(60)));

pub async fn show(
    user: CurrentUser,
    state: web::Data<AppState>,
    query: web::Query<Params>,
) -> AppResult<HttpResponse> {
    let (queue, weeks) = parse(&query);
    let u = user.clone();
    let view = state
        .db(move |c| {
            let loc = u.locale;
            let queues: Vec<(QueueId, String)> = repo::queues(c)?
                .into_iter()
                .map(|q| (q.id, q.name))
                .collect();
            // An unknown queue reads as "all queues".
            let queue = queue.filter(|q| queues.iter().any(|(id, _)| id == q));
            let period = Weeks::ending(loc.today(), weeks, loc.tz);
            let key = format!(
                "{queue:?}|{weeks}|{}|{:?}",
                loc.tz.name(),
                period.starts.first()
            );
            let figures_now = FIGURES.get_keyed(key, || {
                Ok::<_, AppError>(Loaded {
                    at: crate::db::now(),
                    now: dashboard::current(c, queue)?,
                    weeks: dashboard::weekly(c, queue, &period)?,
                    by_who: dashboard::by_who(c, queue, period.from_utc())?,
                })
            })?;
            let Loaded {
                at,
                now,
                weeks: data,
                by_who:
                    ByWho {
                        queues: rated_queues,
                        agents,
                    },
            } = figures_now;
            let ids: Vec<_> = agents.iter().map(|(id, _)| *id).collect();
            let names = crate::staff::repo::names_of(c, &ids)?;
            let queue_name = |id: QueueId| {
                queues
                    .iter()
                    .find(|(q, _)| *q == id)
                    .map_or_else(String::new, |(_, n)| n.clone())
            };
            let agent_name = |id: crate::domain::ids::UserId| {
                names
                    .iter()
                    .find(|(u, _)| *u == id)
                    .map_or_else(|| loc.t("tickets-dash-former-agent"), |(_, n)| n.clone())
            };
            Ok(DashboardPage {
                as_of: loc.datetime(at),
                chrome: Chrome::new(&u, Section::Tickets),
                figures: figures(&loc, &now, queue),
                charts: charts(&loc, &period, &data),
                by_queue: rated_rows(&loc, &rated_queues, queue_name),
                by_agent: rated_rows(&loc, &agents, agent_name),
                periods: PERIODS
                    .iter()
                    .map(|w| (*w, loc.t_num("tickets-dash-weeks", "weeks", i64::from(*w))))
                    .collect(),
                queues,
                queue,
                weeks,
            })
        })
        .await?;
    page(&view)
}
