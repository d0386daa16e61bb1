//! Pipelines, stages and lost reasons: few rows, read whole.

use diesel::prelude::*;

use super::domain::{DealStatus, LostReason, Pipeline, Stage};
use crate::db::schema::{deal_stage_changes, deals, lost_reasons, pipeline_stages, pipelines};
use crate::db::{DbConn, last_insert_id, now};
use crate::domain::ids::{LostReasonId, PipelineId, StageId};

type StageRow = (
    StageId,
    PipelineId,
    String,
    i32,
    i32,
    Option<i32>,
    DealStatus,
);

const STAGE_COLUMNS: (
    pipeline_stages::id,
    pipeline_stages::pipeline_id,
    pipeline_stages::name,
    pipeline_stages::position,
    pipeline_stages::probability,
    pipeline_stages::rot_after_days,
    pipeline_stages::outcome,
) = (
    pipeline_stages::id,
    pipeline_stages::pipeline_id,
    pipeline_stages::name,
    pipeline_stages::position,
    pipeline_stages::probability,
    pipeline_stages::rot_after_days,
    pipeline_stages::outcome,
);

fn stage_of(r: StageRow) -> Stage {
    Stage {
        id: r.0,
        pipeline_id: r.1,
        name: r.2,
        position: r.3,
        probability: r.4,
        rot_after_days: r.5,
        outcome: r.6,
    }
}

/// Every pipeline with its stages, in order (the default first among equals).
pub fn all(conn: &mut DbConn) -> QueryResult<Vec<Pipeline>> {
    let heads: Vec<(PipelineId, String, i32, bool)> = pipelines::table
        .filter(pipelines::deleted_at.is_null())
        .order((pipelines::position.asc(), pipelines::id.asc()))
        .select((
            pipelines::id,
            pipelines::name,
            pipelines::position,
            pipelines::is_default,
        ))
        .load(conn)?;
    let stages: Vec<StageRow> = pipeline_stages::table
        .filter(pipeline_stages::deleted_at.is_null())
        .order((pipeline_stages::position.asc(), pipeline_stages::id.asc()))
        .select(STAGE_COLUMNS)
        .load(conn)?;
    let stages: Vec<Stage> = stages.into_iter().map(stage_of).collect();
    Ok(heads
        .into_iter()
        .map(|(id, name, position, is_default)| Pipeline {
            id,
            name,
            position,
            is_default,
            stages: stages
                .iter()
                .filter(|s| s.pipeline_id == id)
                .cloned()
                .collect(),
        })
        .collect())
}

/// The pipeline asked for, else the default, else the first.
pub fn pick(all: &[Pipeline], wanted: Option<i64>) -> Option<&Pipeline> {
    wanted
        .and_then(|w| all.iter().find(|p| p.id.get() == w))
        .or_else(|| all.iter().find(|p| p.is_default))
        .or_else(|| all.first())
}

pub fn one(conn: &mut DbConn, id: PipelineId) -> QueryResult<Option<Pipeline>> {
    Ok(all(conn)?.into_iter().find(|p| p.id == id))
}

pub fn stage(conn: &mut DbConn, id: StageId) -> QueryResult<Option<Stage>> {
    pipeline_stages::table
        .find(id)
        .filter(pipeline_stages::deleted_at.is_null())
        .select(STAGE_COLUMNS)
        .first(conn)
        .optional()
        .map(|r| r.map(stage_of))
}

/// The deleted stages of a pipeline: the stage history still names them.
pub fn deleted_stages(conn: &mut DbConn, pipeline: PipelineId) -> QueryResult<Vec<Stage>> {
    let rows: Vec<StageRow> = pipeline_stages::table
        .filter(pipeline_stages::pipeline_id.eq(pipeline))
        .filter(pipeline_stages::deleted_at.is_not_null())
        .select(STAGE_COLUMNS)
        .load(conn)?;
    Ok(rows.into_iter().map(stage_of).collect())
}

pub fn name_taken(conn: &mut DbConn, name: &str, except: Option<PipelineId>) -> QueryResult<bool> {
    let mut q = pipelines::table
        .filter(pipelines::name.eq(name))
        .filter(pipelines::deleted_at.is_null())
        .select(pipelines::id)
        .into_boxed();
    if let Some(id) = except {
        q = q.filter(pipelines::id.ne(id));
    }
    Ok(q.first::<PipelineId>(conn).optional()?.is_some())
}

/// A new pipeline with one open stage, so its board has a column at once.
pub fn insert(
    conn: &mut DbConn,
    name: &str,
    position: i32,
    first_stage: &str,
) -> QueryResult<PipelineId> {
    let t = now();
    diesel::insert_into(pipelines::table)
        .values((
            pipelines::name.eq(name),
            pipelines::position.eq(position),
            pipelines::is_default.eq(false),
            pipelines::created_at.eq(t),
            pipelines::updated_at.eq(t),
        ))
        .execute(conn)?;
    let id = PipelineId::new(last_insert_id(conn)?);
    insert_stage(
        conn,
        &NewStage {
            pipeline_id: id,
            name: first_stage.to_string(),
            position: 1,
            probability: 10,
            rot_after_days: None,
            outcome: DealStatus::Open,
        },
    )?;
    Ok(id)
}

/// Renames and re-orders; `default` makes it the one the board opens
/// (the others stop being it, in the same transaction).
pub fn update(
    conn: &mut DbConn,
    id: PipelineId,
    name: &str,
    position: i32,
    default: bool,
) -> QueryResult<usize> {
    if default {
        diesel::update(pipelines::table.filter(pipelines::id.ne(id)))
            .set(pipelines::is_default.eq(false))
            .execute(conn)?;
    }
    let mut n = diesel::update(pipelines::table.find(id))
        .set((
            pipelines::name.eq(name),
            pipelines::position.eq(position),
            pipelines::updated_at.eq(now()),
        ))
        .execute(conn)?;
    if default && n > 0 {
        n = diesel::update(pipelines::table.find(id))
            .set(pipelines::is_default.eq(true))
            .execute(conn)?;
    }
    Ok(n)
}

/// A stage as the admin form gives it.
#[derive(Clone, Debug)]
pub struct NewStage {
    pub pipeline_id: PipelineId,
    pub name: String,
    pub position: i32,
    pub probability: i32,
    pub rot_after_days: Option<i32>,
    pub outcome: DealStatus,
}

pub fn insert_stage(conn: &mut DbConn, s: &NewStage) -> QueryResult<StageId> {
    diesel::insert_into(pipeline_stages::table)
        .values((
            pipeline_stages::pipeline_id.eq(s.pipeline_id),
            pipeline_stages::name.eq(&s.name),
            pipeline_stages::position.eq(s.position),
            pipeline_stages::probability.eq(s.probability),
            pipeline_stages::rot_after_days.eq(s.rot_after_days),
            pipeline_stages::outcome.eq(s.outcome),
            pipeline_stages::created_at.eq(now()),
        ))
        .execute(conn)?;
    Ok(StageId::new(last_insert_id(conn)?))
}

/// Changes a stage (its pipeline stays). A stage holding deals keeps its
/// outcome: the deals' status is the stage's outcome.
pub fn update_stage(conn: &mut DbConn, id: StageId, s: &NewStage) -> QueryResult<usize> {
    diesel::update(pipeline_stages::table.find(id))
        .set((
            pipeline_stages::name.eq(&s.name),
            pipeline_stages::position.eq(s.position),
            pipeline_stages::probability.eq(s.probability),
            pipeline_stages::rot_after_days.eq(s.rot_after_days),
            pipeline_stages::outcome.eq(s.outcome),
        ))
        .execute(conn)
}

/// Whether any deal is in the stage.
pub fn stage_in_use(conn: &mut DbConn, id: StageId) -> QueryResult<bool> {
    Ok(deals::table
        .filter(deals::stage_id.eq(id))
        .select(deals::id)
        .first::<i64>(conn)
        .optional()?
        .is_some())
}

/// Deletes a stage, moving its deals (all of them, whatever their status:
/// `to` has the same outcome) to `to` with a stage change each. The stage
/// is kept, marked deleted, for the history that names it. 0 when it was
/// already deleted.
pub fn delete_stage(
    conn: &mut DbConn,
    id: StageId,
    to: Option<StageId>,
    by: i64,
) -> QueryResult<usize> {
    let t = now();
    let n = diesel::update(
        pipeline_stages::table
            .find(id)
            .filter(pipeline_stages::deleted_at.is_null()),
    )
    .set(pipeline_stages::deleted_at.eq(Some(t)))
    .execute(conn)?;
    if n == 0 {
        return Ok(0);
    }
    let Some(to) = to else {
        return Ok(n);
    };
    let moved: Vec<i64> = deals::table
        .filter(deals::stage_id.eq(id))
        .select(deals::id)
        .load(conn)?;
    if moved.is_empty() {
        return Ok(n);
    }
    diesel::update(deals::table.filter(deals::stage_id.eq(id)))
        .set((
            deals::stage_id.eq(to),
            deals::stage_entered_at.eq(t),
            deals::version.eq(deals::version + 1),
            deals::updated_at.eq(t),
        ))
        .execute(conn)?;
    for deal in moved {
        diesel::insert_into(deal_stage_changes::table)
            .values((
                deal_stage_changes::deal_id.eq(deal),
                deal_stage_changes::from_stage_id.eq(Some(id)),
                deal_stage_changes::to_stage_id.eq(to),
                deal_stage_changes::user_id.eq(Some(by)),
                deal_stage_changes::changed_at.eq(t),
            ))
            .execute(conn)?;
    }
    Ok(n)
}

/// Whether any deal (open, won or lost) is in the pipeline.
pub fn pipeline_in_use(conn: &mut DbConn, id: PipelineId) -> QueryResult<bool> {
    Ok(deals::table
        .filter(deals::pipeline_id.eq(id))
        .select(deals::id)
        .first::<i64>(conn)
        .optional()?
        .is_some())
}

/// Deletes an empty pipeline and its stages (kept, marked deleted). 0
/// when it was already deleted.
pub fn delete_pipeline(conn: &mut DbConn, id: PipelineId) -> QueryResult<usize> {
    let t = now();
    let n = diesel::update(
        pipelines::table
            .find(id)
            .filter(pipelines::deleted_at.is_null()),
    )
    .set(pipelines::deleted_at.eq(Some(t)))
    .execute(conn)?;
    if n > 0 {
        diesel::update(
            pipeline_stages::table
                .filter(pipeline_stages::pipeline_id.eq(id))
                .filter(pipeline_stages::deleted_at.is_null()),
        )
        .set(pipeline_stages::deleted_at.eq(Some(t)))
        .execute(conn)?;
    }
    Ok(n)
}

/// The catalogue of lost reasons, in order; `active_only` for choosing one.
pub fn reasons(conn: &mut DbConn, active_only: bool) -> QueryResult<Vec<LostReason>> {
    let mut q = lost_reasons::table
        .order((lost_reasons::position.asc(), lost_reasons::id.asc()))
        .select((
            lost_reasons::id,
            lost_reasons::name,
            lost_reasons::active,
            lost_reasons::position,
        ))
        .into_boxed();
    if active_only {
        q = q.filter(lost_reasons::active.eq(true));
    }
    let rows: Vec<(LostReasonId, String, bool, i32)> = q.load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, name, active, position)| LostReason {
            id,
            name,
            active,
            position,
        })
        .collect())
}

/// The reason's name, when it exists and is active.
pub fn active_reason(conn: &mut DbConn, id: LostReasonId) -> QueryResult<Option<String>> {
    lost_reasons::table
        .find(id)
        .filter(lost_reasons::active.eq(true))
        .select(lost_reasons::name)
        .first(conn)
        .optional()
}

pub fn insert_reason(conn: &mut DbConn, name: &str, position: i32) -> QueryResult<LostReasonId> {
    diesel::insert_into(lost_reasons::table)
        .values((
            lost_reasons::name.eq(name),
            lost_reasons::active.eq(true),
            lost_reasons::position.eq(position),
            lost_reasons::created_at.eq(now()),
        ))
        .execute(conn)?;
    Ok(LostReasonId::new(last_insert_id(conn)?))
}

pub fn update_reason(
    conn: &mut DbConn,
    id: LostReasonId,
    name: &str,
    position: i32,
    active: bool,
) -> QueryResult<usize> {
    diesel::update(lost_reasons::table.find(id))
        .set((
            lost_reasons::name.eq(name),
            lost_reasons::position.eq(position),
            lost_reasons::active.eq(active),
        ))
        .execute(conn)
}
