use super::*;

/// A small deterministic history: wins grow likelier with `activity`,
/// `noise` has nothing to do with it, `constant` never varies.
fn history() -> Vec<Example> {
    (0..120)
        .map(|i| {
            let activity = (i % 12) as f64;
            let noise = ((i * 7) % 5) as f64;
            // Won when busy, with a few exceptions either way.
            let won = (activity >= 6.0) ^ (i % 17 == 0);
            Example {
                features: vec![activity, noise, 3.0],
                won,
            }
        })
        .collect()
}

const FEATURES: [&str; 3] = ["activity", "noise", "constant"];

#[test]
fn the_model_learns_which_feature_predicts_a_win() {
    let model = train(&FEATURES, &history()).expect("trains");
    assert!(model.weights[0] > 1.0, "{:?}", model.weights);
    assert!(
        model.weights[0] > 3.0 * model.weights[1].abs(),
        "{:?}",
        model.weights
    );
    assert_eq!(
        model.weights[2], 0.0,
        "a constant feature carries no weight"
    );
    assert!(model.auc > 0.85 && model.auc <= 1.0, "auc {}", model.auc);
    let busy = model.probability(&[11.0, 2.0, 3.0]);
    let idle = model.probability(&[0.0, 2.0, 3.0]);
    assert!(busy > 0.8 && idle < 0.2, "busy {busy}, idle {idle}");
    assert!(model.score(&[11.0, 2.0, 3.0]) >= 80);
    let (name, ratio) = model.odds_ratios()[0];
    assert_eq!(name, "activity");
    assert!(ratio > 2.0);
    assert_eq!((model.won, model.lost), (60, 60));
    assert_eq!(model.base_rate(), 0.5);
}

#[test]
fn the_model_predicts_winning_whichever_outcome_is_commoner_or_first() {
    // More lost than won, and a lost record first: linfa's own "positive"
    // class is then the lost one; the model must still give P(won).
    let mostly_lost: Vec<Example> = history()
        .into_iter()
        .filter(|e| e.won || e.features[0] < 5.0 || e.features[0] > 9.0)
        .map(|e| Example {
            won: e.won && e.features[0] > 6.0,
            ..e
        })
        .collect();
    let (won, lost) = (
        mostly_lost.iter().filter(|e| e.won).count(),
        mostly_lost.iter().filter(|e| !e.won).count(),
    );
    assert!(
        lost > won && won >= MIN_PER_OUTCOME,
        "{won} won, {lost} lost"
    );
    let mut first_lost = history();
    first_lost.sort_by_key(|e| e.won);
    for examples in [mostly_lost, first_lost] {
        assert!(!examples[0].won);
        let model = train(&FEATURES, &examples).expect("trains");
        assert!(model.weights[0] > 1.0, "{:?}", model.weights);
        assert!(model.auc > 0.85, "auc {}", model.auc);
        assert!(model.probability(&[11.0, 2.0, 3.0]) > model.probability(&[0.0, 2.0, 3.0]));
    }
}

#[test]
fn contributions_add_up_to_the_log_odds() {
    let model = train(&FEATURES, &history()).expect("trains");
    let x = [9.0, 1.0, 3.0];
    let z: f64 = model.intercept + model.contributions(&x).iter().sum::<f64>();
    assert!((1.0 / (1.0 + (-z).exp()) - model.probability(&x)).abs() < 1e-12);
    assert!(model.contributions(&x)[0] > 0.0);
}

#[test]
fn a_stored_model_scores_the_same() {
    let model = train(&FEATURES, &history()).expect("trains");
    let json = serde_json::to_string(&model).expect("serialises");
    let back: Model = serde_json::from_str(&json).expect("reads back");
    assert_eq!(back.score(&[7.0, 0.0, 3.0]), model.score(&[7.0, 0.0, 3.0]));
}

#[test]
fn too_little_history_is_refused() {
    let few: Vec<Example> = history().into_iter().take(MIN_EXAMPLES - 1).collect();
    assert!(matches!(
        train(&FEATURES, &few),
        Err(TrainError::TooLittleHistory { .. })
    ));
    let all_won: Vec<Example> = history()
        .into_iter()
        .map(|e| Example { won: true, ..e })
        .collect();
    assert_eq!(
        train(&FEATURES, &all_won),
        Err(TrainError::TooLittleHistory { won: 120, lost: 0 })
    );
}

#[test]
fn malformed_examples_are_refused() {
    let mut h = history();
    h[3].features.pop();
    assert!(matches!(train(&FEATURES, &h), Err(TrainError::Shape(_))));
    let mut h = history();
    h[5].features[1] = f64::NAN;
    assert!(matches!(train(&FEATURES, &h), Err(TrainError::Shape(_))));
}

#[test]
fn auc_is_the_mann_whitney_statistic() {
    // Perfect, reversed, chance and a tie.
    assert_eq!(auc(&[(0.9, true), (0.1, false)]), 1.0);
    assert_eq!(auc(&[(0.1, true), (0.9, false)]), 0.0);
    assert_eq!(auc(&[(0.5, true), (0.5, false)]), 0.5);
    // Won {0.8, 0.6, 0.3} against lost {0.7, 0.2}: 0.8 beats both, 0.6
    // and 0.3 beat only 0.2 → 4 of the 6 pairs.
    let s = [
        (0.8, true),
        (0.6, true),
        (0.3, true),
        (0.7, false),
        (0.2, false),
    ];
    assert!((auc(&s) - 4.0 / 6.0).abs() < 1e-12);
    assert_eq!(auc(&[(0.3, true)]), 0.5);
}
