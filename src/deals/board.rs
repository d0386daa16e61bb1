//! The board's reads: per-column totals from one grouped query over the
//! pipeline (`ix_deals_pipeline_totals`), and each column's page of cards
//! from its own index range (`ix_deals_stage_column`: one stage's open
//! deals, newest first), so a board of 20,000 open deals reads a few
//! dozen rows plus one index scan for the totals.

use std::sync::LazyLock;

use chrono::NaiveDateTime;
use diesel::dsl::{count_star, sql};
use diesel::prelude::*;
use diesel::sql_types::BigInt;

use super::domain::{
    ColumnTotals, DealStatus, Filters, TotalsGroup, column_totals, days_since, is_stale,
};
use super::repo::{self, Deal, Reach};
use crate::db::schema::deals;
use crate::db::{DbConn, now, sum_bigint};
use crate::domain::ids::{DealId, PipelineId, StageId};
use crate::pipelines::domain::{Pipeline, Stage};
use crate::web::list::Params;
use crate::web::list::menus::{self, MenuCache};

/// Cards a column shows before "load more".
pub const COLUMN_PAGE: i64 = 20;

/// What the board shows: the pipeline, a text search and the filters,
/// all kept in the URL.
#[derive(Clone, Debug, Default)]
pub struct BoardQuery {
    pub pipeline: Option<i64>,
    pub q: String,
    pub filters: Filters,
}

impl BoardQuery {
    pub fn parse(p: &Params) -> BoardQuery {
        use crate::web::list::FilterSet;
        BoardQuery {
            pipeline: p.id("pipeline"),
            q: p.text("q", 100).unwrap_or_default(),
            filters: Filters::parse(p),
        }
    }

    /// The query string of this board for `pipeline` (without `?`).
    pub fn query(&self, pipeline: PipelineId) -> String {
        use crate::web::list::FilterSet;
        let mut s = url::form_urlencoded::Serializer::new(String::new());
        s.append_pair("pipeline", &pipeline.to_string());
        if !self.q.is_empty() {
            s.append_pair("q", &self.q);
        }
        for (k, v) in self.filters.pairs() {
            if !matches!(k, "stage" | "status") {
                s.append_pair(k, &v);
            }
        }
        s.finish()
    }

    pub(super) fn terms(&self) -> Vec<String> {
        self.q
            .split_whitespace()
            .take(crate::web::list::MAX_TERMS)
            .map(str::to_string)
            .collect()
    }
}

/// The totals of every stage of the pipeline for the deals the board shows.
/// The board's narrowing on a grouped deals query (totals, forecast): the
/// viewer's reach as owner ids, then source, tag and title words
/// (`search_terms`). (A macro:
/// the boxed query types differ in their selection and grouping.)
macro_rules! narrow_board {
    ($q:expr, $reach:expr, $b:expr) => {{
        let mut q = $q;
        if let Some(owners) = $reach.owners() {
            q = q.filter(deals::owner_id.eq_any(owners.to_vec()));
        }
        if let Some(source) = $b.filters.source {
            q = q.filter(deals::source.eq(source));
        }
        if let Some(tag) = &$b.filters.tag {
            q = q.filter(deals::id.nullable().eq_any(crate::tags::tagged_deals(tag)));
        }
        match crate::search::prefixes_of(&$b.terms()) {
            Some(prefixes) => {
                for prefix in &prefixes {
                    q = q.filter(deals::id.eq_any(super::repo::title_starting(prefix)));
                }
            }
            None => q = q.filter(deals::id.lt(crate::domain::ids::DealId::new(0))),
        }
        q
    }};
}
pub(super) use narrow_board;

/// One group of the totals query: stage, currency, own probability, count, sum.
type TotalsRow = (StageId, String, Option<i32>, i64, i64);

static TOTALS: LazyLock<MenuCache<Vec<TotalsRow>>> = LazyLock::new(menus::sums_cache);

/// The cache key of a grouped read: the pipeline, the reach and the board's
/// filters, everything the sums depend on.
pub(super) fn sums_key(pipeline: &Pipeline, reach: &Reach, b: &BoardQuery, more: &str) -> String {
    format!("{}|{:?}|{:?}|{more}", pipeline.id, reach.owners(), b)
}

pub fn totals(
    conn: &mut DbConn,
    reach: &Reach,
    pipeline: &Pipeline,
    b: &BoardQuery,
) -> QueryResult<Vec<(StageId, ColumnTotals)>> {
    let rows = TOTALS.get_keyed(sums_key(pipeline, reach, b, ""), || {
        load_totals(conn, reach, pipeline, b, None)
    })?;
    Ok(pipeline
        .stages
        .iter()
        .map(|stage| (stage.id, totals_of(stage, &rows)))
        .collect())
}

/// A stage's totals from the grouped rows.
fn totals_of(stage: &Stage, rows: &[TotalsRow]) -> ColumnTotals {
    let groups: Vec<TotalsGroup> = rows
        .iter()
        .filter(|r| r.0 == stage.id)
        .map(|r| TotalsGroup {
            currency: r.1.clone(),
            own_probability: r.2,
            count: r.3,
            sum_minor: r.4,
        })
        .collect();
    column_totals(stage, &groups)
}

/// The grouped sums of a pipeline, or of one stage only (its deals all have
/// the stage's outcome as status, so that is one range of the index).
fn load_totals(
    conn: &mut DbConn,
    reach: &Reach,
    pipeline: &Pipeline,
    b: &BoardQuery,
    only: Option<&Stage>,
) -> QueryResult<Vec<TotalsRow>> {
    let sum = sum_bigint(conn, "deals.value_minor");
    let mut q = deals::table
        .filter(deals::pipeline_id.eq(pipeline.id))
        // In the order of `ix_deals_pipeline_totals`: read without a sort.
        .group_by((
            deals::status,
            deals::stage_id,
            deals::currency,
            deals::probability,
        ))
        .select((
            deals::stage_id,
            deals::currency,
            deals::probability,
            count_star(),
            sql::<BigInt>(&sum),
        ))
        .into_boxed();
    if let Some(stage) = only {
        q = q
            .filter(deals::status.eq(stage.outcome))
            .filter(deals::stage_id.eq(stage.id));
    }
    narrow_board!(q, reach, b).load(conn)
}

/// One page of a column's open deals, newest first, after the card `after`.
/// One more than a page is read to know whether there is more.
pub fn cards(
    conn: &mut DbConn,
    reach: &Reach,
    stage: StageId,
    b: &BoardQuery,
    after: Option<DealId>,
) -> QueryResult<Vec<Deal>> {
    let mut q = repo::filtered(repo::searched(repo::visible(reach), &b.terms()), &b.filters)
        .filter(deals::stage_id.eq(stage))
        .filter(deals::status.eq(DealStatus::Open));
    if let Some(after) = after {
        q = q.filter(deals::id.lt(after));
    }
    q.order(deals::id.desc())
        .limit(COLUMN_PAGE + 1)
        .select(Deal::as_select())
        .load(conn)
}

/// A deal as a card shows it.
#[derive(Clone, Debug)]
pub struct Card {
    pub deal: Deal,
    pub days_in_stage: i64,
    pub stale: bool,
    /// The lead score, or the stage's default when the deal has none.
    pub score: super::scoring::Badge,
}

impl Card {
    pub fn new(deal: Deal, stage: &Stage, at: NaiveDateTime) -> Card {
        Card {
            days_in_stage: days_since(deal.stage_entered_at, at),
            stale: is_stale(
                deal.stage_entered_at,
                deal.last_activity_at,
                stage.rot_after_days,
                at,
            ),
            score: super::scoring::Badge::of(deal.score, stage.probability),
            deal,
        }
    }
}

/// A column: its stage, totals, first cards and whether more follow.
#[derive(Clone, Debug)]
pub struct Column {
    pub stage: Stage,
    pub totals: ColumnTotals,
    pub cards: Vec<Card>,
    /// The last card shown, when more follow.
    pub more_after: Option<DealId>,
}

/// A page of cards and where the next starts.
pub fn page_of(
    conn: &mut DbConn,
    reach: &Reach,
    stage: &Stage,
    b: &BoardQuery,
    after: Option<DealId>,
) -> QueryResult<(Vec<Card>, Option<DealId>)> {
    let mut rows = cards(conn, reach, stage.id, b, after)?;
    let more = rows.len() as i64 > COLUMN_PAGE;
    rows.truncate(COLUMN_PAGE as usize);
    let t = now();
    let next = if more {
        rows.last().map(|d| d.id)
    } else {
        None
    };
    Ok((
        rows.into_iter().map(|d| Card::new(d, stage, t)).collect(),
        next,
    ))
}

/// The whole board of a pipeline: open stages as columns with cards, won
/// and lost stages with their totals only.
pub fn load(
    conn: &mut DbConn,
    reach: &Reach,
    pipeline: &Pipeline,
    b: &BoardQuery,
) -> QueryResult<Vec<Column>> {
    let totals = totals(conn, reach, pipeline, b)?;
    let mut out = Vec::new();
    for stage in &pipeline.stages {
        let t = totals
            .iter()
            .find(|(id, _)| *id == stage.id)
            .map(|(_, t)| t.clone())
            .unwrap_or_default();
        out.push(column(conn, reach, stage, b, t)?);
    }
    Ok(out)
}

/// Only the columns of `stages`, in board order — after a move, where the
/// card left and where it went — each with its totals read from its own
/// range of the totals index rather than the whole pipeline's.
pub fn load_stages(
    conn: &mut DbConn,
    reach: &Reach,
    pipeline: &Pipeline,
    b: &BoardQuery,
    stages: &[StageId],
) -> QueryResult<Vec<Column>> {
    let mut out = Vec::new();
    for stage in pipeline.stages.iter().filter(|s| stages.contains(&s.id)) {
        let rows = load_totals(conn, reach, pipeline, b, Some(stage))?;
        out.push(column(conn, reach, stage, b, totals_of(stage, &rows))?);
    }
    Ok(out)
}

/// A column with its first cards (an open stage) or its totals alone.
fn column(
    conn: &mut DbConn,
    reach: &Reach,
    stage: &Stage,
    b: &BoardQuery,
    totals: ColumnTotals,
) -> QueryResult<Column> {
    let (cards, more_after) = if stage.is_open() {
        page_of(conn, reach, stage, b, None)?
    } else {
        (Vec::new(), None)
    };
    Ok(Column {
        stage: stage.clone(),
        totals,
        cards,
        more_after,
    })
}
