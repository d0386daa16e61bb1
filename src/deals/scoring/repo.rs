//! The lead scores' queries: deals' facts read in id-ordered batches (the
//! job's only reads of the deals table), the scores written back grouped by
//! value, and the stored runs (`lead_score_models`).

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::dsl::count_star;
use diesel::prelude::*;

use super::features::{COUNTED, Change, Facts};
use crate::db::DbConn;
use crate::db::schema::{activities, deal_stage_changes, deals, lead_score_models};
use crate::deals::domain::{DealSource, DealStatus};
use crate::domain::ids::{DealId, StageId};

crate::text_enum! {
    /// What a run of the `score_leads` job came to (`lead_score_models.outcome`).
    pub enum RunOutcome {
        /// A model was trained and the open deals scored with it.
        Trained = "trained",
        /// Too few won or lost deals: no model, the cards show the stage default.
        TooLittle = "too_little",
    }
}

/// One run of the job as stored.
#[derive(Queryable, Selectable, Clone, Debug)]
#[diesel(table_name = lead_score_models, check_for_backend(crate::db::MultiBackend))]
pub struct Run {
    pub id: i64,
    pub outcome: RunOutcome,
    pub trained_at: NaiveDateTime,
    pub examples: i32,
    pub won: i32,
    pub lost: i32,
    pub auc_bp: Option<i32>,
    pub model: Option<String>,
    pub scored: i32,
}

impl Run {
    /// The stored model (None when none was trained or it does not read).
    pub fn model(&self) -> Option<crate::scoring::Model> {
        let json = self.model.as_deref()?;
        match serde_json::from_str(json) {
            Ok(m) => Some(m),
            Err(e) => {
                tracing::warn!(run = self.id, error = %e, "stored lead-score model does not read");
                None
            }
        }
    }
}

/// The newest run.
pub fn latest(conn: &mut DbConn) -> QueryResult<Option<Run>> {
    lead_score_models::table
        .order((
            lead_score_models::trained_at.desc(),
            lead_score_models::id.desc(),
        ))
        .select(Run::as_select())
        .first(conn)
        .optional()
}

/// A run to store.
pub struct NewRun<'a> {
    pub outcome: RunOutcome,
    pub at: NaiveDateTime,
    pub won: usize,
    pub lost: usize,
    pub auc_bp: Option<i32>,
    pub model: Option<&'a str>,
    pub scored: usize,
}

pub fn insert_run(conn: &mut DbConn, r: &NewRun) -> QueryResult<usize> {
    let n = |x: usize| i32::try_from(x).unwrap_or(i32::MAX);
    diesel::insert_into(lead_score_models::table)
        .values((
            lead_score_models::outcome.eq(r.outcome),
            lead_score_models::trained_at.eq(r.at),
            lead_score_models::examples.eq(n(r.won + r.lost)),
            lead_score_models::won.eq(n(r.won)),
            lead_score_models::lost.eq(n(r.lost)),
            lead_score_models::auc_bp.eq(r.auc_bp),
            lead_score_models::model.eq(r.model),
            lead_score_models::scored.eq(n(r.scored)),
        ))
        .execute(conn)
}

/// Won and lost deals in the workspace now.
pub fn closed_counts(conn: &mut DbConn) -> QueryResult<(usize, usize)> {
    let rows: Vec<(DealStatus, i64)> = deals::table
        .filter(deals::status.ne(DealStatus::Open))
        .group_by(deals::status)
        .select((deals::status, count_star()))
        .load(conn)?;
    let of = |s: DealStatus| {
        rows.iter()
            .find(|r| r.0 == s)
            .map_or(0, |r| usize::try_from(r.1).unwrap_or(0))
    };
    Ok((of(DealStatus::Won), of(DealStatus::Lost)))
}

/// Whether any deal has closed (a run has something to learn from).
pub fn any_closed(conn: &mut DbConn) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        deals::table.filter(deals::status.ne(DealStatus::Open)),
    ))
    .get_result(conn)
}

type Row = (
    DealId,
    DealSource,
    i64,
    Option<i64>,
    Option<i64>,
    DealStatus,
    StageId,
    NaiveDateTime,
    NaiveDateTime,
    Option<NaiveDateTime>,
    Option<NaiveDateTime>,
);

/// The next batch of deals after `after` (by id), open ones or closed
/// ones, with their facts.
pub fn batch(
    conn: &mut DbConn,
    open: bool,
    after: Option<DealId>,
    limit: i64,
) -> QueryResult<Vec<(DealId, Facts)>> {
    let mut q = deals::table.into_boxed();
    q = if open {
        q.filter(deals::status.eq(DealStatus::Open))
    } else {
        q.filter(deals::status.ne(DealStatus::Open))
    };
    if let Some(after) = after {
        q = q.filter(deals::id.gt(after));
    }
    let rows: Vec<Row> = q
        .order(deals::id.asc())
        .limit(limit)
        .select((
            deals::id,
            deals::source,
            deals::value_minor,
            deals::contact_id,
            deals::account_id,
            deals::status,
            deals::stage_id,
            deals::created_at,
            deals::stage_entered_at,
            deals::won_at,
            deals::lost_at,
        ))
        .load(conn)?;
    let ids: Vec<DealId> = rows.iter().map(|r| r.0).collect();
    let mut counts = activity_counts(conn, &ids)?;
    let mut changes = stage_changes(conn, &ids)?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let closed_at = match r.5 {
                DealStatus::Won => r.9,
                DealStatus::Lost => r.10,
                DealStatus::Open => None,
            };
            (
                r.0,
                Facts {
                    source: r.1,
                    value_minor: r.2,
                    has_contact: r.3.is_some(),
                    has_account: r.4.is_some(),
                    status: r.5,
                    stage_id: r.6,
                    created_at: r.7,
                    stage_entered_at: r.8,
                    closed_at,
                    activities: counts.remove(&r.0).unwrap_or_default(),
                    changes: changes.remove(&r.0).unwrap_or_default(),
                },
            )
        })
        .collect())
}

/// Notes, calls, meetings and emails logged on each deal, up to its
/// closing for a closed deal (`ix_activities_deal`).
fn activity_counts(conn: &mut DbConn, ids: &[DealId]) -> QueryResult<HashMap<DealId, [i64; 4]>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(Option<DealId>, String, i64)> = activities::table
        .inner_join(deals::table)
        .filter(activities::deal_id.eq_any(ids.to_vec()))
        .filter(activities::kind.eq_any(COUNTED))
        .filter(
            deals::won_at
                .is_null()
                .or(activities::occurred_at.nullable().le(deals::won_at)),
        )
        .filter(
            deals::lost_at
                .is_null()
                .or(activities::occurred_at.nullable().le(deals::lost_at)),
        )
        .group_by((activities::deal_id, activities::kind))
        .select((activities::deal_id, activities::kind, count_star()))
        .load(conn)?;
    let mut out: HashMap<DealId, [i64; 4]> = HashMap::new();
    for (deal, kind, n) in rows {
        if let (Some(deal), Some(i)) = (deal, COUNTED.iter().position(|k| *k == kind)) {
            out.entry(deal).or_default()[i] = n;
        }
    }
    Ok(out)
}

/// Each deal's stage history, oldest first (`ix_deal_stage_changes_deal`).
fn stage_changes(conn: &mut DbConn, ids: &[DealId]) -> QueryResult<HashMap<DealId, Vec<Change>>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(DealId, Option<StageId>, StageId, NaiveDateTime)> = deal_stage_changes::table
        .filter(deal_stage_changes::deal_id.eq_any(ids.to_vec()))
        .order((
            deal_stage_changes::deal_id.asc(),
            deal_stage_changes::changed_at.asc(),
            deal_stage_changes::id.asc(),
        ))
        .select((
            deal_stage_changes::deal_id,
            deal_stage_changes::from_stage_id,
            deal_stage_changes::to_stage_id,
            deal_stage_changes::changed_at,
        ))
        .load(conn)?;
    let mut out: HashMap<DealId, Vec<Change>> = HashMap::new();
    for (deal, from, to, at) in rows {
        out.entry(deal).or_default().push(Change { from, to, at });
    }
    Ok(out)
}

/// Writes the scores of one batch: one UPDATE per distinct score, only on
/// deals still open (a deal closed meanwhile keeps no score). Neither the
/// version nor `updated_at` changes: a score is not an edit, and must not
/// turn someone's open form or move into a conflict.
pub fn write_scores(
    conn: &mut DbConn,
    scores: &[(DealId, i32)],
    at: NaiveDateTime,
) -> QueryResult<usize> {
    let mut by_score: HashMap<i32, Vec<DealId>> = HashMap::new();
    for (id, s) in scores {
        by_score.entry(*s).or_default().push(*id);
    }
    let mut written = 0;
    for (score, ids) in by_score {
        written += diesel::update(
            deals::table
                .filter(deals::id.eq_any(ids))
                .filter(deals::status.eq(DealStatus::Open)),
        )
        .set((deals::score.eq(Some(score)), deals::scored_at.eq(Some(at))))
        .execute(conn)?;
    }
    Ok(written)
}

/// Deals carrying a score they should not: closed ones, or every one when
/// `all` (no model). Their ids, a batch at a time.
pub fn scored_to_clear(conn: &mut DbConn, all: bool, limit: i64) -> QueryResult<Vec<DealId>> {
    let mut q = deals::table.filter(deals::score.is_not_null()).into_boxed();
    if !all {
        q = q.filter(deals::status.ne(DealStatus::Open));
    }
    q.select(deals::id).limit(limit).load(conn)
}

pub fn clear_scores(conn: &mut DbConn, ids: &[DealId]) -> QueryResult<usize> {
    diesel::update(deals::table.filter(deals::id.eq_any(ids.to_vec())))
        .set((
            deals::score.eq(None::<i32>),
            deals::scored_at.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)
}
