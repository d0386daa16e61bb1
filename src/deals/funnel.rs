//! The funnel of a pipeline, from the stage history: how many deals
//! reached each open stage and "won", and the conversion from one step to
//! the next.
//!
//! A deal *reached* a stage when its history holds a move to that stage or
//! to a later one (deals may skip stages: one created in "Proposal" has
//! passed "Lead" and "Qualified" too); a won deal has reached every open
//! stage. Lost stages are not steps: a lost deal counts up to the furthest
//! open stage it reached. The deals counted are those created in the
//! chosen period, within the viewer's reach and the board's filters.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::board::{BoardQuery, narrow_board};
use super::domain::DealStatus;
use super::repo::Reach;
use crate::db::DbConn;
use crate::db::schema::{deal_stage_changes, deals};
use crate::domain::ids::{DealId, StageId};
use crate::pipelines::domain::{Pipeline, Stage};

/// One step of the funnel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    pub stage: StageId,
    pub reached: i64,
    /// Reached ÷ the previous step's reached, in basis points (None for
    /// the first step, or when the previous step is empty).
    pub from_previous_bp: Option<i64>,
}

/// The steps: the open stages in board order, then the first won stage.
pub fn steps(pipeline: &Pipeline, reached: &[(DealId, StageId)]) -> Vec<Step> {
    let open: Vec<&Stage> = pipeline.open_stages().collect();
    let won: Vec<&Stage> = pipeline
        .stages
        .iter()
        .filter(|s| s.outcome == DealStatus::Won)
        .collect();
    // Each deal's furthest step: an index into the open stages, or
    // `open.len()` for a won deal.
    let mut furthest: std::collections::HashMap<DealId, usize> = Default::default();
    for (deal, stage) in reached {
        let step = if won.iter().any(|w| w.id == *stage) {
            Some(open.len())
        } else {
            open.iter().position(|s| s.id == *stage)
        };
        if let Some(step) = step {
            let f = furthest.entry(*deal).or_insert(step);
            *f = (*f).max(step);
        }
    }
    let mut counts = vec![0i64; open.len() + 1];
    for step in furthest.values() {
        for c in counts.iter_mut().take(step + 1) {
            *c += 1;
        }
    }
    let ids = open.iter().map(|s| s.id).chain(won.first().map(|w| w.id));
    let mut out: Vec<Step> = Vec::new();
    for (i, stage) in ids.enumerate() {
        let reached = counts[i];
        let from_previous_bp = out
            .last()
            .filter(|p| p.reached > 0)
            .map(|p| (reached * 10_000 + p.reached / 2) / p.reached);
        out.push(Step {
            stage,
            reached,
            from_previous_bp,
        });
    }
    out
}

/// Every (deal, stage it moved to) of the pipeline's deals created since
/// `since`, within reach and the board's filters.
pub fn load(
    conn: &mut DbConn,
    reach: &Reach,
    pipeline: &Pipeline,
    b: &BoardQuery,
    since: Option<NaiveDateTime>,
) -> QueryResult<Vec<(DealId, StageId)>> {
    let mut q = deal_stage_changes::table
        .inner_join(deals::table)
        .filter(deals::pipeline_id.eq(pipeline.id))
        .select((deal_stage_changes::deal_id, deal_stage_changes::to_stage_id))
        .distinct()
        .into_boxed();
    if let Some(since) = since {
        q = q.filter(deals::created_at.ge(since));
    }
    let q = narrow_board!(q, reach, b);
    q.load(conn)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pipeline() -> Pipeline {
        crate::pipelines::domain::sample_pipeline()
    }

    fn r(deal: i64, stage: i64) -> (DealId, StageId) {
        (DealId::new(deal), StageId::new(stage))
    }

    #[test]
    fn stages_reached_count_skips_and_wins_and_not_losses() {
        let history = [
            // Lead → Qualified → Proposal → Won (skipping Negotiation).
            r(1, 1),
            r(1, 2),
            r(1, 3),
            r(1, 5),
            // Lead → Qualified → Lost.
            r(2, 1),
            r(2, 2),
            r(2, 6),
            // Lead only.
            r(3, 1),
            // Created in Proposal.
            r(4, 3),
        ];
        let steps = steps(&pipeline(), &history);
        let reached: Vec<i64> = steps.iter().map(|s| s.reached).collect();
        assert_eq!(reached, vec![4, 3, 2, 1, 1]);
        let conv: Vec<Option<i64>> = steps.iter().map(|s| s.from_previous_bp).collect();
        assert_eq!(
            conv,
            vec![None, Some(7_500), Some(6_667), Some(5_000), Some(10_000)]
        );
        assert_eq!(steps[4].stage, StageId::new(5));
    }

    #[test]
    fn an_empty_step_stops_the_conversion() {
        let steps = steps(&pipeline(), &[r(1, 1)]);
        let conv: Vec<Option<i64>> = steps.iter().map(|s| s.from_previous_bp).collect();
        assert_eq!(conv, vec![None, Some(0), None, None, None]);
    }
}
