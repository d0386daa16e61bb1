//! Scoring with a logistic-regression model trained on the workspace's own
//! history (the CRM literature's "potential customer model"): the lead
//! score of an open deal is the model's probability that it will be won,
//! learnt from the deals already won and lost.
//!
//! This module is the model only — pure, with no database: a record module
//! turns its records into numeric feature vectors (`Example`), trains a
//! [`Model`] (fitted by `linfa-logistic`, an L2-regularised logistic
//! regression solved with L-BFGS), stores it as JSON, and scores with it.
//! Features are standardised (mean 0, standard deviation 1) before fitting,
//! so each weight reads as "the effect on the log-odds of one standard
//! deviation more of this feature", which is what the explanation page shows.
//! With too little history [`train`] says so, and the caller falls back to
//! its plain rule (for deals: the stage's probability).

mod fit;
mod metrics;

use serde::{Deserialize, Serialize};

pub use fit::train;
pub use metrics::auc;

/// Closed records needed before a model is worth more than the fallback.
pub const MIN_EXAMPLES: usize = 30;
/// …of which at least this many in each outcome.
pub const MIN_PER_OUTCOME: usize = 8;

/// One past record: its features and whether it was won.
#[derive(Clone, Debug, PartialEq)]
pub struct Example {
    pub features: Vec<f64>,
    pub won: bool,
}

/// Why no model was trained.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum TrainError {
    #[error("too little history: {won} won and {lost} lost")]
    TooLittleHistory { won: usize, lost: usize },
    #[error("examples do not match the features: {0}")]
    Shape(String),
    #[error("the model could not be fitted: {0}")]
    Fit(String),
}

/// A trained model, stored as JSON beside the records it scores.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Model {
    /// The features' names (message keys), in vector order.
    pub features: Vec<String>,
    pub means: Vec<f64>,
    /// Standard deviations (1 where a feature never varied).
    pub scales: Vec<f64>,
    /// Weights on the standardised features.
    pub weights: Vec<f64>,
    pub intercept: f64,
    pub won: usize,
    pub lost: usize,
    /// Area under the ROC curve on the training history (0.5: no better
    /// than chance, 1: perfect) — shown so nobody mistakes it for magic.
    pub auc: f64,
}

impl Model {
    /// The probability (0–1) that a record with these features is won.
    /// Missing trailing features count as the average.
    pub fn probability(&self, features: &[f64]) -> f64 {
        sigmoid(self.intercept + self.contributions(features).iter().sum::<f64>())
    }

    /// The score shown on a card: the probability in whole per cent.
    pub fn score(&self, features: &[f64]) -> u8 {
        (self.probability(features) * 100.0)
            .round()
            .clamp(0.0, 100.0) as u8
    }

    /// Each feature's share of the log-odds for this record (positive: it
    /// makes winning likelier than for an average record).
    pub fn contributions(&self, features: &[f64]) -> Vec<f64> {
        (0..self.weights.len())
            .map(|j| match features.get(j) {
                Some(x) => self.weights[j] * (x - self.means[j]) / self.scales[j],
                None => 0.0,
            })
            .collect()
    }

    /// How the odds of winning change with one standard deviation more of
    /// each feature (1.0: no effect), with the feature's name.
    pub fn odds_ratios(&self) -> Vec<(&str, f64)> {
        self.features
            .iter()
            .zip(&self.weights)
            .map(|(f, w)| (f.as_str(), w.exp()))
            .collect()
    }

    /// The won share of the training history: what a score is compared with.
    pub fn base_rate(&self) -> f64 {
        let n = self.won + self.lost;
        if n == 0 {
            0.0
        } else {
            self.won as f64 / n as f64
        }
    }
}

fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

#[cfg(test)]
mod tests;
