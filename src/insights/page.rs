//! What the Insights page is made of: the query (period, owner, team,
//! pipeline, currency), the context every section reads (the viewer's
//! owners, months in the viewer's zone, the customers' order histories),
//! and the blocks a section returns (charts, figures, the cohort table,
//! the CLV formula). Sections are registered in [`super::sections::SECTIONS`];
//! tickets (CSAT) and campaigns (engagement, NPS) add theirs there.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock};
use std::time::Duration;

use chrono::{Months, NaiveDate, NaiveDateTime};

use super::domain::{History, month_of, months_between};
use super::repo::{self, Customer};
use crate::auth::policy::{Action, Role};
use crate::db::DbConn;
use crate::deals::domain::Filters;
use crate::deals::repo::Reach;
use crate::domain::ids::{DealId, StageId};
use crate::error::AppResult;
use crate::i18n::Locale;
use crate::pipelines::domain::Pipeline;
use crate::web::CurrentUser;
use crate::web::chart::{Chart, ChartView};
use crate::web::list::menus::MenuCache;
use crate::web::list::{INSTANT, Params};

/// Months shown when the query names none: this one and the eleven before.
pub const DEFAULT_MONTHS: u32 = 12;
/// At most this many months in one view.
pub const MAX_MONTHS: u32 = 60;

/// The page's filters, from the address.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Query {
    /// First day of the first month.
    pub from: NaiveDate,
    /// First day of the last month.
    pub to: NaiveDate,
    pub owner: Option<i64>,
    pub team: Option<i64>,
    pub pipeline: Option<i64>,
    pub currency: Option<String>,
}

fn month_param(raw: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(&format!("{}-01", raw.trim()), "%Y-%m-%d").ok()
}

impl Query {
    /// Bad or missing values fall back to the defaults (the last twelve
    /// months of `today`); a reversed period is put in order; a period over
    /// `MAX_MONTHS` is cut to its last months.
    pub fn parse(p: &Params, today: NaiveDate) -> Query {
        let this = month_of(today);
        let mut to = month_param(p.get("to")).unwrap_or(this);
        let mut from = month_param(p.get("from")).unwrap_or_else(|| {
            to.checked_sub_months(Months::new(DEFAULT_MONTHS - 1))
                .unwrap_or(to)
        });
        if from > to {
            std::mem::swap(&mut from, &mut to);
        }
        if let Some(earliest) = to.checked_sub_months(Months::new(MAX_MONTHS - 1)) {
            from = from.max(earliest);
        }
        let currency = p
            .text("currency", 3)
            .map(|c| c.to_ascii_uppercase())
            .filter(|c| crate::i18n::format::is_currency(c));
        Query {
            from,
            to,
            owner: p.id("owner"),
            team: p.id("team"),
            pipeline: p.id("pipeline"),
            currency,
        }
    }

    /// The query as address parameters (for exports and links back).
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut out = vec![
            ("from", self.from.format("%Y-%m").to_string()),
            ("to", self.to.format("%Y-%m").to_string()),
        ];
        if let Some(o) = self.owner {
            out.push(("owner", o.to_string()));
        }
        if let Some(t) = self.team {
            out.push(("team", t.to_string()));
        }
        if let Some(p) = self.pipeline {
            out.push(("pipeline", p.to_string()));
        }
        if let Some(c) = &self.currency {
            out.push(("currency", c.clone()));
        }
        out
    }

    pub fn encoded(&self) -> String {
        encode(&self.pairs())
    }
}

/// `k=v&k=v`, values percent-encoded.
pub fn encode(pairs: &[(&str, String)]) -> String {
    let mut s = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        s.append_pair(k, v);
    }
    s.finish()
}

/// The order histories, the dashboard's one large read, kept briefly per
/// (owners, currency, zone) and dropped on any write of this process
/// (`web::list::menus`): managers opening the page together share one read.
static PURCHASES: LazyLock<MenuCache<Arc<HashMap<Customer, History>>>> =
    LazyLock::new(|| MenuCache::with_ttl(Duration::from_secs(30)));

/// The stage history's (deal, stage moved to) pairs.
type Moves = Vec<(DealId, StageId)>;

/// The funnel's stage history (every move of the period's deals, 28,573
/// deals' worth at the benchmark's size: ~0.1 s), kept like the order
/// histories.
static HISTORY: LazyLock<MenuCache<Arc<Moves>>> =
    LazyLock::new(|| MenuCache::with_ttl(Duration::from_secs(30)));

/// What every section reads.
pub struct Ctx {
    pub loc: Locale,
    pub q: Query,
    pub today: NaiveDate,
    /// The owners whose records count (`None`: everyone's).
    pub owners: Option<Vec<i64>>,
    /// The money every figure is in.
    pub currency: String,
    pub currencies: Vec<String>,
    /// The months of the period, first days, in the viewer's zone.
    pub months: Vec<NaiveDate>,
    pub customers: Arc<HashMap<Customer, History>>,
    pub pipelines: Vec<Pipeline>,
    pub pipeline: Option<Pipeline>,
    pub settings: super::domain::Settings,
    /// The viewer's role: sections other modules add show only to
    /// viewers who may read that module (`SectionDef::needs`).
    pub role: Role,
}

impl Ctx {
    pub fn load(c: &mut DbConn, user: &CurrentUser, q: Query) -> AppResult<Ctx> {
        let filters = Filters {
            owner: q.owner,
            team: q.team,
            ..Default::default()
        };
        let reach = Reach::filtered(c, &user.viewer(), &filters)?;
        let owners = reach.owners().map(<[i64]>::to_vec);
        let currencies = repo::currencies(c, owners.as_deref())?;
        let currency = match &q.currency {
            Some(cur) => cur.clone(),
            None => match currencies.first() {
                Some(cur) => cur.clone(),
                None => crate::settings::repo::get(c)?.currency,
            },
        };
        let loc = user.locale;
        let key = format!("{owners:?}|{currency}|{}", loc.tz.name());
        let customers = PURCHASES.get_keyed(key, || {
            repo::purchases(c, owners.as_deref(), &currency, loc.tz).map(Arc::new)
        })?;
        let pipelines = crate::pipelines::repo::all(c)?;
        let pipeline = crate::pipelines::repo::pick(&pipelines, q.pipeline).cloned();
        let settings = super::settings::get(c)?;
        Ok(Ctx {
            today: loc.today(),
            months: months_between(q.from, q.to),
            loc,
            q,
            owners,
            currency,
            currencies,
            customers,
            pipelines,
            pipeline,
            settings,
            role: user.role,
        })
    }

    pub fn owners(&self) -> Option<&[i64]> {
        self.owners.as_deref()
    }

    /// `repo::stage_history` of the pipeline over the period, shared
    /// briefly by everyone asking the same (`HISTORY`).
    pub fn stage_history(&self, c: &mut DbConn, pipeline: i64) -> AppResult<Arc<Moves>> {
        let period = self.period_utc();
        let key = format!("{:?}|{pipeline}|{period:?}", self.owners);
        Ok(HISTORY.get_keyed(key, || {
            repo::stage_history(c, self.owners(), pipeline, period).map(Arc::new)
        })?)
    }

    /// The first day after the period.
    pub fn end(&self) -> NaiveDate {
        self.q
            .to
            .checked_add_months(Months::new(1))
            .unwrap_or(self.q.to)
    }

    /// Midnight of `day` in the viewer's zone, as UTC.
    pub fn utc(&self, day: NaiveDate) -> NaiveDateTime {
        crate::i18n::format::day_start_utc(self.loc.tz, day)
    }

    /// The period as UTC instants, `[from, to)`.
    pub fn period_utc(&self) -> (NaiveDateTime, NaiveDateTime) {
        (self.utc(self.q.from), self.utc(self.end()))
    }

    /// The month of the period a UTC instant falls in, in the viewer's zone.
    pub fn month_index(&self, utc: NaiveDateTime) -> Option<usize> {
        let day = utc.and_utc().with_timezone(&self.loc.tz).date_naive();
        self.months.iter().position(|m| *m == month_of(day))
    }

    /// The UTC instants `[from, to)` of whole days, as list filters take
    /// them (`YYYY-MM-DDTHH:MM`).
    pub fn instants(&self, from: NaiveDate, to: NaiveDate) -> (String, String) {
        let f = |d| self.utc(d).format(INSTANT).to_string();
        (f(from), f(to))
    }

    /// The owner and team filters of the page, for links to lists.
    fn owner_pairs(&self, p: &mut Vec<(&str, String)>) {
        if let Some(o) = self.q.owner {
            p.push(("owner", o.to_string()));
        }
        if let Some(t) = self.q.team {
            p.push(("team", t.to_string()));
        }
    }

    /// The ticket list (every status) with these filters, narrowed like
    /// the figures: to the owner and team filters and, for a scoped
    /// viewer, to assigned tickets (the figures count tickets assigned to
    /// the owners in reach; the list alone would add unassigned ones).
    pub fn tickets_href(&self, extra: &[(&'static str, String)]) -> String {
        let mut p: Vec<(&str, String)> = vec![("view", "all".into())];
        p.extend_from_slice(extra);
        self.owner_pairs(&mut p);
        if self.owners.is_some() {
            p.push(("assigned", "1".into()));
        }
        format!("/tickets?{}", encode(&p))
    }

    pub fn money(&self, minor: i64) -> String {
        self.loc.money(minor, &self.currency)
    }

    /// The order list of the counted orders confirmed in `[from, to)` days,
    /// within the owner filter.
    pub fn orders_href(&self, from: NaiveDate, to: NaiveDate) -> String {
        let (since, until) = self.instants(from, to);
        let mut p = vec![
            ("revenue", "1".to_string()),
            ("since", since),
            ("until", until),
            ("currency", self.currency.clone()),
        ];
        self.owner_pairs(&mut p);
        format!("/orders?{}", encode(&p))
    }

    /// The deal list of the chosen pipeline's deals won or lost (`status`)
    /// in `[from, to)` days of the viewer, with the owner/team filters.
    pub fn closed_href(&self, status: &str, from: NaiveDate, to: NaiveDate) -> String {
        let mut p = vec![
            ("status", status.to_string()),
            (
                "closed_since",
                self.utc(from).format(crate::web::list::INSTANT).to_string(),
            ),
            (
                "closed_until",
                self.utc(to).format(crate::web::list::INSTANT).to_string(),
            ),
        ];
        if let Some(pl) = &self.pipeline {
            p.push(("pipeline", pl.id.get().to_string()));
        }
        self.deals_href(&p)
    }

    /// The deal list with these filters (owner and team added).
    pub fn deals_href(&self, extra: &[(&'static str, String)]) -> String {
        let mut p: Vec<(&str, String)> = extra.to_vec();
        self.owner_pairs(&mut p);
        format!("/leads/list?{}", encode(&p))
    }
}

/// A chart with what its export needs.
pub struct ChartBlock {
    pub chart: Chart,
    pub view: ChartView,
    /// Values are money in this currency (else counts or basis points).
    pub money: Option<String>,
}

/// One headline number with the records behind it.
pub struct Figure {
    pub label: String,
    pub value: String,
    pub href: Option<String>,
    /// A CSS-safe key, for tests and anchors.
    pub key: &'static str,
}

/// A cohort's month, size, and per offset the share (text) and shade 0–5.
pub type CohortRow = (String, String, Vec<(String, u8)>);

/// The retention cohorts as a heat-map table.
pub struct CohortTable {
    pub caption: String,
    pub offsets: Vec<String>,
    /// Month, size, and per offset the share (text) and shade 0–5.
    pub rows: Vec<CohortRow>,
}

/// The CLV formula with its inputs.
pub struct Formula {
    pub text: String,
    pub inputs: Vec<(String, String)>,
}

pub enum Block {
    Chart(Box<ChartBlock>),
    Figures(Vec<Figure>),
    Cohorts(CohortTable),
    Formula(Formula),
    /// Customers with a link and values (top CLV, RFM, recommendations).
    Table {
        caption: String,
        headers: Vec<String>,
        rows: Vec<(String, Option<String>, Vec<String>)>,
    },
}

/// A section of the page as rendered.
pub struct Section {
    pub key: &'static str,
    pub title: String,
    pub blocks: Vec<Block>,
}

impl Section {
    pub fn charts(&self) -> impl Iterator<Item = &ChartBlock> {
        self.blocks.iter().filter_map(|b| match b {
            Block::Chart(c) => Some(c.as_ref()),
            _ => None,
        })
    }
}

/// A registered section: its key, title (message key), the action a
/// viewer needs besides `InsightsRead` (the module whose records it
/// shows), and builder.
pub struct SectionDef {
    pub key: &'static str,
    pub title: &'static str,
    pub needs: Option<Action>,
    pub build: fn(&mut DbConn, &Ctx) -> AppResult<Vec<Block>>,
}

/// Builds every registered section the viewer may see.
/// The built sections, kept 30 s per (owners, filters, language, zone,
/// role, day) and dropped on any write of this process, as the order
/// histories are: four managers opening the dashboard together compute it
/// once (one build is ~130 ms of CPU at 200,000 orders and 100,000
/// tickets; rebuilt for every view, four at once missed 300 ms at p99).
static BUILT: LazyLock<MenuCache<Arc<Vec<Section>>>> =
    LazyLock::new(|| MenuCache::with_ttl(Duration::from_secs(30)));

/// The sections the viewer may see, built (or shared from `BUILT`).
pub fn build(
    c: &mut DbConn,
    ctx: &Ctx,
    defs: &'static [SectionDef],
) -> AppResult<Arc<Vec<Section>>> {
    let keys: Vec<&str> = defs.iter().map(|d| d.key).collect();
    let key = format!(
        "{:?}|{:?}|{}|{}|{:?}|{}|{}|{keys:?}",
        ctx.owners,
        ctx.q,
        ctx.currency,
        ctx.loc.html_lang(),
        ctx.loc.tz,
        ctx.role.as_str(),
        ctx.today
    );
    BUILT.get_keyed(key, || {
        defs.iter()
            .filter(|d| d.needs.is_none_or(|a| ctx.role.can(a)))
            .map(|d| {
                Ok(Section {
                    key: d.key,
                    title: ctx.loc.t(d.title),
                    blocks: (d.build)(c, ctx)?,
                })
            })
            .collect::<AppResult<Vec<Section>>>()
            .map(Arc::new)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> Params {
        Params(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
    }

    fn d(y: i32, m: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, 1).expect("date")
    }

    #[test]
    fn the_default_period_is_the_last_twelve_months() {
        let q = Query::parse(
            &params(&[]),
            NaiveDate::from_ymd_opt(2026, 11, 27).expect("d"),
        );
        assert_eq!((q.from, q.to), (d(2025, 12), d(2026, 11)));
        let q = Query::parse(
            &params(&[("from", "2026-05"), ("to", "2026-02"), ("currency", "eur")]),
            d(2026, 11),
        );
        assert_eq!((q.from, q.to), (d(2026, 2), d(2026, 5)));
        assert_eq!(q.currency.as_deref(), Some("EUR"));
        let q = Query::parse(&params(&[("from", "junk"), ("owner", "x")]), d(2026, 11));
        assert_eq!(q.owner, None);
        assert_eq!(q.to, d(2026, 11));
        let q = Query::parse(&params(&[("from", "1990-01")]), d(2026, 11));
        assert_eq!(q.from, d(2021, 12));
    }
}
