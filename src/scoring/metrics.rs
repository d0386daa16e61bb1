//! How good a model is on the history it learnt from.

/// Area under the ROC curve of `(score, won)` pairs: the chance that a
/// randomly chosen won record scores above a randomly chosen lost one
/// (ties count half) — the Mann–Whitney statistic. 0.5 when either
/// outcome is missing.
pub fn auc(scored: &[(f64, bool)]) -> f64 {
    let mut sorted: Vec<(f64, bool)> = scored.to_vec();
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
    let won = sorted.iter().filter(|s| s.1).count() as f64;
    let lost = sorted.len() as f64 - won;
    if won == 0.0 || lost == 0.0 {
        return 0.5;
    }
    // Rank sum of the won records, tied scores sharing their mean rank.
    let mut rank_sum = 0.0;
    let mut i = 0;
    while i < sorted.len() {
        let mut j = i;
        while j + 1 < sorted.len() && sorted[j + 1].0 == sorted[i].0 {
            j += 1;
        }
        let mean_rank = (i + j) as f64 / 2.0 + 1.0;
        rank_sum += sorted[i..=j].iter().filter(|s| s.1).count() as f64 * mean_rank;
        i = j + 1;
    }
    (rank_sum - won * (won + 1.0) / 2.0) / (won * lost)
}
