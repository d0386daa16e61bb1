//! Pipelines, stages and lost reasons as the rest of the app sees them, and
//! the rules an admin's stage form follows.

use crate::domain::ids::{LostReasonId, PipelineId, StageId};
use crate::i18n::{Locale, key};

crate::text_enum! {
    /// Where a deal stands (`deals.status`), and so what a stage means
    /// (`pipeline_stages.outcome`): a deal's status is always its stage's
    /// outcome, so marking won or lost is a move to a won or lost stage.
    pub enum DealStatus {
        Open = "open",
        Won = "won",
        Lost = "lost",
    }
}

impl DealStatus {
    /// The status's name, a message key.
    pub fn label_key(self) -> &'static str {
        match self {
            DealStatus::Open => key("deals-status-open"),
            DealStatus::Won => key("deals-status-won"),
            DealStatus::Lost => key("deals-status-lost"),
        }
    }
}

/// Probabilities are whole percentages.
pub const PROBABILITY_MAX: i32 = 100;
/// "Rot after" is at most a year.
pub const ROT_DAYS_MAX: i32 = 365;
/// Names of pipelines, stages and reasons.
pub const NAME_MAX: usize = 100;

/// One stage of a pipeline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stage {
    pub id: StageId,
    pub pipeline_id: PipelineId,
    pub name: String,
    pub position: i32,
    pub probability: i32,
    pub rot_after_days: Option<i32>,
    pub outcome: DealStatus,
}

impl Stage {
    pub fn label(&self, loc: &Locale) -> String {
        loc.stored_name(&self.name)
    }

    pub fn is_open(&self) -> bool {
        self.outcome == DealStatus::Open
    }
}

/// A pipeline with its stages in board order.
#[derive(Clone, Debug)]
pub struct Pipeline {
    pub id: PipelineId,
    pub name: String,
    pub position: i32,
    pub is_default: bool,
    pub stages: Vec<Stage>,
}

impl Pipeline {
    pub fn label(&self, loc: &Locale) -> String {
        loc.stored_name(&self.name)
    }

    pub fn stage(&self, id: StageId) -> Option<&Stage> {
        self.stages.iter().find(|s| s.id == id)
    }

    pub fn open_stages(&self) -> impl Iterator<Item = &Stage> {
        self.stages.iter().filter(|s| s.is_open())
    }

    /// The first stage with this outcome (where "Won" and "Lost" buttons go).
    pub fn first(&self, outcome: DealStatus) -> Option<&Stage> {
        self.stages.iter().find(|s| s.outcome == outcome)
    }
}

/// A reason a deal was lost, from the admin's catalogue.
#[derive(Clone, Debug)]
pub struct LostReason {
    pub id: LostReasonId,
    pub name: String,
    pub active: bool,
    pub position: i32,
}

impl LostReason {
    pub fn label(&self, loc: &Locale) -> String {
        loc.stored_name(&self.name)
    }
}

/// A number typed into a form that is not a whole number in range.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OutOfRange;

/// A whole number in `0..=max` typed into a form (empty is None).
pub fn parse_bounded(raw: &str, max: i32) -> Result<Option<i32>, OutOfRange> {
    let t = raw.trim();
    if t.is_empty() {
        return Ok(None);
    }
    match t.parse::<i32>() {
        Ok(n) if (0..=max).contains(&n) => Ok(Some(n)),
        _ => Err(OutOfRange),
    }
}

/// A pipeline for unit tests: open stages 1–4, then won (5) and lost (6);
/// each stage's id is its position.
#[cfg(test)]
pub fn sample_pipeline() -> Pipeline {
    let stage = |id: i64, outcome: DealStatus| Stage {
        id: StageId::new(id),
        pipeline_id: PipelineId::new(1),
        name: format!("s{id}"),
        position: id as i32,
        probability: 0,
        rot_after_days: None,
        outcome,
    };
    Pipeline {
        id: PipelineId::new(1),
        name: "p".into(),
        position: 0,
        is_default: true,
        stages: vec![
            stage(1, DealStatus::Open),
            stage(2, DealStatus::Open),
            stage(3, DealStatus::Open),
            stage(4, DealStatus::Open),
            stage(5, DealStatus::Won),
            stage(6, DealStatus::Lost),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounded_numbers_parse_within_their_range() {
        assert_eq!(parse_bounded(" 40 ", 100), Ok(Some(40)));
        assert_eq!(parse_bounded("", 100), Ok(None));
        for bad in ["-1", "101", "x", "1.5"] {
            assert_eq!(parse_bounded(bad, 100), Err(OutOfRange), "{bad}");
        }
    }

    #[test]
    fn statuses_round_trip() {
        for &s in DealStatus::ALL {
            assert_eq!(DealStatus::parse(s.as_str()), Some(s));
        }
    }
}
