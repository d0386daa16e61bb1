//! Deal rules that need no database: sources, probability, weighted value
//! in exact minor units, days in stage and rotting, list options.

use chrono::NaiveDateTime;

use crate::i18n::key;
use crate::pipelines::domain::Stage;
use crate::web::list::INSTANT;
use crate::web::list::{Col, FilterSet, Params};

pub use crate::pipelines::domain::DealStatus;

crate::text_enum! {
    /// Where a deal came from (`deals.source`).
    pub enum DealSource {
        Website = "website",
        Referral = "referral",
        Inbound = "inbound",
        Outbound = "outbound",
        Event = "event",
        Partner = "partner",
        Other = "other",
    }
}

impl DealSource {
    /// The source's name, a message key.
    pub fn label_key(self) -> &'static str {
        match self {
            DealSource::Website => key("deals-source-website"),
            DealSource::Referral => key("deals-source-referral"),
            DealSource::Inbound => key("deals-source-inbound"),
            DealSource::Outbound => key("deals-source-outbound"),
            DealSource::Event => key("deals-source-event"),
            DealSource::Partner => key("deals-source-partner"),
            DealSource::Other => key("deals-source-other"),
        }
    }
}

pub const TITLE_MAX: usize = 200;
pub const NOTE_MAX: usize = 1000;

/// The deal's own probability, else its stage's default.
pub fn probability(own: Option<i32>, stage: &Stage) -> i32 {
    own.unwrap_or(stage.probability)
}

/// Value × probability / 100 in minor units, rounded half up once, from
/// the exact sum of value × percent (so a column's weighted total is the
/// rounded exact sum, not a sum of rounded parts).
pub fn weighted_minor(value_times_percent: i128) -> i64 {
    let rounded = (value_times_percent + 50).div_euclid(100);
    i64::try_from(rounded).unwrap_or(i64::MAX)
}

/// Whole days from `from` to `now` (0 for a future `from`).
pub fn days_since(from: NaiveDateTime, now: NaiveDateTime) -> i64 {
    (now - from).num_days().max(0)
}

/// A deal rots when the days since the later of entering its stage and its
/// last activity exceed the stage's allowance.
pub fn is_stale(
    stage_entered_at: NaiveDateTime,
    last_activity_at: Option<NaiveDateTime>,
    rot_after_days: Option<i32>,
    now: NaiveDateTime,
) -> bool {
    let Some(allowed) = rot_after_days else {
        return false;
    };
    let latest = last_activity_at.map_or(stage_entered_at, |a| a.max(stage_entered_at));
    days_since(latest, now) > i64::from(allowed)
}

/// Totals of one currency in a board column.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CurrencyTotal {
    pub currency: String,
    pub total_minor: i64,
    pub weighted_minor: i64,
}

/// A board column's header: how many deals, and their value and weighted
/// value per currency (amounts in different currencies are not added).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ColumnTotals {
    pub count: i64,
    pub by_currency: Vec<CurrencyTotal>,
}

/// One group of a column's deals as the totals query returns it: deals of
/// one currency with the stage's default probability (`own` None) or one
/// probability of their own.
#[derive(Clone, Debug)]
pub struct TotalsGroup {
    pub currency: String,
    pub own_probability: Option<i32>,
    pub count: i64,
    pub sum_minor: i64,
}

/// Adds a column's groups up exactly.
pub fn column_totals(stage: &Stage, groups: &[TotalsGroup]) -> ColumnTotals {
    let mut out = ColumnTotals::default();
    let mut exact: Vec<(String, i128, i128)> = Vec::new();
    for g in groups {
        out.count += g.count;
        let pct = i128::from(g.own_probability.unwrap_or(stage.probability));
        let i = match exact.iter().position(|(c, _, _)| *c == g.currency) {
            Some(i) => i,
            None => {
                exact.push((g.currency.clone(), 0, 0));
                exact.len() - 1
            }
        };
        exact[i].1 += i128::from(g.sum_minor);
        exact[i].2 += i128::from(g.sum_minor) * pct;
    }
    exact.sort_by(|a, b| a.0.cmp(&b.0));
    out.by_currency = exact
        .into_iter()
        .map(|(currency, total, weighted)| CurrencyTotal {
            currency,
            total_minor: i64::try_from(total).unwrap_or(i64::MAX),
            weighted_minor: weighted_minor(weighted),
        })
        .collect();
    out
}

crate::sort_keys! {
    /// The orders of the deal list.
    pub enum Sort: "deals.id", default Updated {
        Title: "title", asc, [Col::text("deals.title")];
        Value: "value", desc, [Col::int("deals.value_minor")];
        Close: "close", asc, [Col::date("deals.expected_close").nullable()];
        Updated: "updated", desc, [Col::time("deals.updated_at")];
    }
}

/// Narrowing filters of the deal list and the board (all optional, AND).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filters {
    pub owner: Option<i64>,
    pub team: Option<i64>,
    pub stage: Option<i64>,
    pub status: Option<DealStatus>,
    pub source: Option<DealSource>,
    pub tag: Option<String>,
    /// "My deals": the viewer's own.
    pub mine: bool,
    /// The list only (Insights' click-through): deals of this pipeline...
    pub pipeline: Option<i64>,
    /// ...won or lost (as `status` says, else either) in
    /// `[closed_since, closed_until)`, UTC.
    pub closed_since: Option<NaiveDateTime>,
    pub closed_until: Option<NaiveDateTime>,
}

impl FilterSet for Filters {
    fn parse(p: &Params) -> Filters {
        Filters {
            owner: p.id("owner"),
            team: p.id("team"),
            stage: p.id("stage"),
            status: DealStatus::parse(p.get("status").trim()),
            source: DealSource::parse(p.get("source").trim()),
            tag: p.text("tag", 50),
            mine: p.get("mine") == "1",
            pipeline: p.id("pipeline"),
            closed_since: p.instant("closed_since"),
            closed_until: p.instant("closed_until"),
        }
    }

    fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        if self.mine {
            out.push(("mine", "1".to_string()));
        }
        let ids = [
            ("owner", self.owner),
            ("team", self.team),
            ("stage", self.stage),
            ("pipeline", self.pipeline),
        ];
        for (k, v) in ids {
            if let Some(v) = v {
                out.push((k, v.to_string()));
            }
        }
        if let Some(s) = self.status {
            out.push(("status", s.as_str().to_string()));
        }
        if let Some(s) = self.source {
            out.push(("source", s.as_str().to_string()));
        }
        if let Some(t) = &self.tag {
            out.push(("tag", t.clone()));
        }
        let instants = [
            ("closed_since", self.closed_since),
            ("closed_until", self.closed_until),
        ];
        for (k, v) in instants {
            if let Some(t) = v {
                out.push((k, t.format(INSTANT).to_string()));
            }
        }
        out
    }
}

/// What the deal list shows: search terms (in the title), filters, order, page.
pub type ListOptions = crate::web::list::ListOptions<Sort, Filters>;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ids::{PipelineId, StageId};

    fn stage(probability: i32, rot: Option<i32>) -> Stage {
        Stage {
            id: StageId::new(1),
            pipeline_id: PipelineId::new(1),
            name: "S".into(),
            position: 1,
            probability,
            rot_after_days: rot,
            outcome: DealStatus::Open,
        }
    }

    #[test]
    fn weighted_totals_are_exact_and_rounded_once() {
        let s = stage(33, None);
        let groups = [
            TotalsGroup {
                currency: "USD".into(),
                own_probability: None,
                count: 3,
                sum_minor: 100,
            },
            TotalsGroup {
                currency: "USD".into(),
                own_probability: Some(50),
                count: 1,
                sum_minor: 1,
            },
            TotalsGroup {
                currency: "EUR".into(),
                own_probability: None,
                count: 1,
                sum_minor: 1_000_000_000_000,
            },
        ];
        let t = column_totals(&s, &groups);
        assert_eq!(t.count, 5);
        // 100 × 33 + 1 × 50 = 3350 → 33.5 → 34 (not 33 + 1 = 34 by luck: see below).
        assert_eq!(
            t.by_currency,
            vec![
                CurrencyTotal {
                    currency: "EUR".into(),
                    total_minor: 1_000_000_000_000,
                    weighted_minor: 330_000_000_000,
                },
                CurrencyTotal {
                    currency: "USD".into(),
                    total_minor: 101,
                    weighted_minor: 34,
                },
            ]
        );
        // Three deals of 1 at 50 %: 1.5 exactly, not 3 × round(0.5).
        assert_eq!(weighted_minor(150), 2);
        assert_eq!(weighted_minor(149), 1);
    }

    #[test]
    fn deals_rot_after_their_stage_allowance_since_the_later_of_move_and_activity() {
        let t = |d: i64| {
            chrono::DateTime::from_timestamp(d * 86_400, 0)
                .expect("t")
                .naive_utc()
        };
        assert!(!is_stale(t(0), None, None, t(100)), "no allowance, no rot");
        assert!(!is_stale(t(0), None, Some(7), t(7)));
        assert!(is_stale(t(0), None, Some(7), t(8)));
        assert!(
            !is_stale(t(0), Some(t(5)), Some(7), t(8)),
            "activity renews"
        );
        assert!(
            is_stale(t(10), Some(t(2)), Some(7), t(18)),
            "old activity does not"
        );
        assert_eq!(probability(None, &stage(40, None)), 40);
        assert_eq!(probability(Some(90), &stage(40, None)), 90);
    }
}
