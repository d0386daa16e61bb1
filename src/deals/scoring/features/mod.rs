//! A deal's features for the lead-score model: pure, from the facts the
//! repo reads (the deal's row, its logged activities and its stage history).
//!
//! Every feature is measured at the deal's *reference time*: when it was
//! won or lost for a training example, now for an open deal to score, so a
//! closed deal is described as it stood when it closed (activity logged
//! after closing does not count — it would let the outcome leak in).

use std::collections::HashMap;

use chrono::NaiveDateTime;

use crate::deals::domain::{DealSource, DealStatus};
use crate::domain::ids::StageId;
use crate::i18n::key;
use crate::pipelines::domain::Pipeline;

/// The features' names (message keys), in vector order; stored with the model.
pub const FEATURES: [&str; 18] = [
    key("scoring-feature-source-website"),
    key("scoring-feature-source-referral"),
    key("scoring-feature-source-inbound"),
    key("scoring-feature-source-outbound"),
    key("scoring-feature-source-event"),
    key("scoring-feature-source-partner"),
    key("scoring-feature-source-other"),
    key("scoring-feature-value"),
    key("scoring-feature-notes"),
    key("scoring-feature-calls"),
    key("scoring-feature-meetings"),
    key("scoring-feature-emails"),
    key("scoring-feature-days-in-pipeline"),
    key("scoring-feature-days-in-stage"),
    key("scoring-feature-stage-moves"),
    key("scoring-feature-furthest-stage"),
    key("scoring-feature-has-contact"),
    key("scoring-feature-has-account"),
];

/// The activity kinds counted, in `Facts::activities` order.
pub const COUNTED: [&str; 4] = ["note", "call", "meeting", "email"];

/// One stage change of the deal's history.
#[derive(Clone, Debug, PartialEq)]
pub struct Change {
    pub from: Option<StageId>,
    pub to: StageId,
    pub at: NaiveDateTime,
}

/// What the repo reads about one deal.
#[derive(Clone, Debug, PartialEq)]
pub struct Facts {
    pub source: DealSource,
    pub value_minor: i64,
    pub has_contact: bool,
    pub has_account: bool,
    pub status: DealStatus,
    pub stage_id: StageId,
    pub created_at: NaiveDateTime,
    pub stage_entered_at: NaiveDateTime,
    /// `won_at` or `lost_at` of a closed deal.
    pub closed_at: Option<NaiveDateTime>,
    /// Notes, calls, meetings and emails logged up to the reference time.
    pub activities: [i64; 4],
    /// Stage changes, oldest first.
    pub changes: Vec<Change>,
}

impl Facts {
    /// When the deal is measured: its closing for a closed deal, else `now`.
    pub fn reference(&self, now: NaiveDateTime) -> NaiveDateTime {
        match self.status {
            DealStatus::Open => now,
            _ => self.closed_at.unwrap_or(self.stage_entered_at),
        }
    }
}

/// The open stages of every pipeline with their progress: the stage's
/// place among its pipeline's open stages, from 1/n (first) to 1 (last).
#[derive(Clone, Debug, Default)]
pub struct Progress(HashMap<StageId, f64>);

impl Progress {
    pub fn of(pipelines: &[Pipeline]) -> Progress {
        let mut map = HashMap::new();
        for p in pipelines {
            let open: Vec<StageId> = p.open_stages().map(|s| s.id).collect();
            let n = open.len().max(1) as f64;
            for (i, id) in open.into_iter().enumerate() {
                map.insert(id, (i + 1) as f64 / n);
            }
        }
        Progress(map)
    }

    fn get(&self, stage: StageId) -> Option<f64> {
        self.0.get(&stage).copied()
    }
}

fn days(from: NaiveDateTime, to: NaiveDateTime) -> f64 {
    ((to - from).num_seconds().max(0) as f64) / 86_400.0
}

/// The feature vector of a deal (in `FEATURES` order).
pub fn vector(f: &Facts, progress: &Progress, now: NaiveDateTime) -> Vec<f64> {
    let at = f.reference(now);
    let flag = |b: bool| if b { 1.0 } else { 0.0 };
    let mut v: Vec<f64> = DealSource::ALL
        .iter()
        .map(|s| flag(*s == f.source))
        .collect();
    v.push((f.value_minor.max(0) as f64 / 100.0).ln_1p());
    v.extend(f.activities.iter().map(|n| *n as f64));
    v.push(days(f.created_at, at).ln_1p());
    // Entered the stage it was last open in: the current stage of an open
    // deal, the stage it closed from for a closed one.
    let seen: Vec<&Change> = f.changes.iter().filter(|c| c.at <= at).collect();
    let open_changes: Vec<&&Change> = seen
        .iter()
        .filter(|c| progress.get(c.to).is_some())
        .collect();
    let entered = match f.status {
        DealStatus::Open => f.stage_entered_at,
        _ => open_changes.last().map_or(f.created_at, |c| c.at),
    };
    v.push(days(entered, at).ln_1p());
    v.push(open_changes.iter().filter(|c| c.from.is_some()).count() as f64);
    let current = match f.status {
        DealStatus::Open => progress.get(f.stage_id),
        _ => None,
    };
    let furthest = open_changes
        .iter()
        .filter_map(|c| progress.get(c.to))
        .chain(current)
        .fold(0.0, f64::max);
    v.push(furthest);
    v.push(flag(f.has_contact));
    v.push(flag(f.has_account));
    debug_assert_eq!(v.len(), FEATURES.len());
    v
}

/// A closed deal as a training example (None for an open one).
pub fn example(
    f: &Facts,
    progress: &Progress,
    now: NaiveDateTime,
) -> Option<crate::scoring::Example> {
    let won = match f.status {
        DealStatus::Won => true,
        DealStatus::Lost => false,
        DealStatus::Open => return None,
    };
    Some(crate::scoring::Example {
        features: vector(f, progress, now),
        won,
    })
}

#[cfg(test)]
mod tests;
