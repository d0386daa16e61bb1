//! Fitting: standardise, solve with linfa-logistic, keep plain numbers.

use linfa::prelude::*;
use linfa_logistic::LogisticRegression;
use ndarray::{Array1, Array2};

use super::{Example, MIN_EXAMPLES, MIN_PER_OUTCOME, Model, TrainError, auc};

/// L2 penalty on the standardised weights: enough to keep a small history
/// from producing extreme scores, small against hundreds of examples.
const ALPHA: f64 = 1.0;
const MAX_ITERATIONS: u64 = 200;

/// Trains a model on closed records; `features` names the vector entries.
pub fn train(features: &[&str], examples: &[Example]) -> Result<Model, TrainError> {
    let won = examples.iter().filter(|e| e.won).count();
    let lost = examples.len() - won;
    if examples.len() < MIN_EXAMPLES || won < MIN_PER_OUTCOME || lost < MIN_PER_OUTCOME {
        return Err(TrainError::TooLittleHistory { won, lost });
    }
    let d = features.len();
    if let Some(bad) = examples.iter().find(|e| e.features.len() != d) {
        return Err(TrainError::Shape(format!(
            "{} values for {d} features",
            bad.features.len()
        )));
    }
    if examples
        .iter()
        .any(|e| e.features.iter().any(|x| !x.is_finite()))
    {
        return Err(TrainError::Shape("a value is not a finite number".into()));
    }
    let n = examples.len() as f64;
    let means: Vec<f64> = (0..d)
        .map(|j| examples.iter().map(|e| e.features[j]).sum::<f64>() / n)
        .collect();
    let scales: Vec<f64> = (0..d)
        .map(|j| {
            let var = examples
                .iter()
                .map(|e| (e.features[j] - means[j]).powi(2))
                .sum::<f64>()
                / n;
            if var > 1e-12 { var.sqrt() } else { 1.0 }
        })
        .collect();
    let x = Array2::from_shape_fn((examples.len(), d), |(i, j)| {
        (examples[i].features[j] - means[j]) / scales[j]
    });
    let y: Array1<bool> = examples.iter().map(|e| e.won).collect();
    let fitted = LogisticRegression::default()
        .alpha(ALPHA)
        .max_iterations(MAX_ITERATIONS)
        .fit(&Dataset::new(x, y))
        .map_err(|e| TrainError::Fit(e.to_string()))?;
    // linfa models the probability of its "positive" class, which is the
    // larger of the two (the first seen on a tie), not necessarily `true`:
    // when more deals were lost than won, its weights are those of losing.
    // P(lost) = 1 - P(won) = sigmoid(-z), so turning them round is exact.
    let sign = if fitted.labels().pos.class { 1.0 } else { -1.0 };
    let mut model = Model {
        features: features.iter().map(|f| f.to_string()).collect(),
        means,
        scales,
        weights: fitted.params().iter().map(|w| sign * w).collect(),
        intercept: sign * fitted.intercept(),
        won,
        lost,
        auc: 0.5,
    };
    let scored: Vec<(f64, bool)> = examples
        .iter()
        .map(|e| (model.probability(&e.features), e.won))
        .collect();
    model.auc = auc(&scored);
    Ok(model)
}
