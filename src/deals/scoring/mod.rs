//! Lead scores (issue 8): each open deal's chance of being won, from a
//! logistic-regression model (`crate::scoring`) trained on the workspace's
//! own won and lost deals. docs/pipeline.md, "Lead scores", has the whole
//! story.
//!
//! - `features`: a deal's facts → the feature vector (pure, unit-tested);
//! - `repo`: facts read in batches, scores written back, the stored runs;
//! - `job`: the `score_leads` job (train, then score every open deal),
//!   queued nightly and from the page;
//! - `badge`: what a card and a deal page show — the score, or the
//!   stage's default probability when there is none;
//! - `page`: `/leads/scoring`, the explanation and the retrain button.
//!
//! The board never computes a score: it reads `deals.score`, which the
//! job writes. A deal created or moved since the last run shows the stage
//! default until the next run (nightly, or "Retrain now").

pub mod badge;
pub mod features;
pub mod job;
pub(super) mod page;
pub mod repo;

pub use badge::Badge;
pub use job::{queue_if_due, run_job};
