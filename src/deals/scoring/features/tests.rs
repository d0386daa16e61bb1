use chrono::{Duration, NaiveDate, NaiveDateTime};

use super::*;
use crate::domain::ids::StageId;

fn t(day: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 11, day)
        .and_then(|d| d.and_hms_opt(12, 0, 0))
        .expect("date")
}

/// Four open stages (1–4), won (5) and lost (6).
fn progress() -> Progress {
    Progress::of(&[crate::pipelines::domain::sample_pipeline()])
}

fn change(from: Option<i64>, to: i64, at: NaiveDateTime) -> Change {
    Change {
        from: from.map(StageId::new),
        to: StageId::new(to),
        at,
    }
}

fn idx(name: &str) -> usize {
    FEATURES.iter().position(|f| f.ends_with(name)).expect(name)
}

/// Created on the 1st in stage 1, moved to 3 on the 5th, won on the 11th.
fn won() -> Facts {
    Facts {
        source: DealSource::Partner,
        value_minor: 99_900,
        has_contact: true,
        has_account: false,
        status: DealStatus::Won,
        stage_id: StageId::new(5),
        created_at: t(1),
        stage_entered_at: t(11),
        closed_at: Some(t(11)),
        activities: [2, 1, 0, 3],
        changes: vec![
            change(None, 1, t(1)),
            change(Some(1), 3, t(5)),
            change(Some(3), 5, t(11)),
        ],
    }
}

#[test]
fn a_closed_deal_is_measured_when_it_closed() {
    let v = vector(&won(), &progress(), t(30));
    assert_eq!(v.len(), FEATURES.len());
    assert_eq!(v[idx("source-partner")], 1.0);
    assert_eq!(
        v.iter().take(7).sum::<f64>(),
        1.0,
        "one source is set: {v:?}"
    );
    assert!((v[idx("value")] - 1000f64.ln()).abs() < 1e-9);
    assert_eq!(v[idx("notes")], 2.0);
    assert_eq!(v[idx("emails")], 3.0);
    // Ten days from creation to the win, not 29 to "now".
    assert!((v[idx("days-in-pipeline")] - 11f64.ln()).abs() < 1e-9);
    // Six days in stage 3 before it was won.
    assert!((v[idx("days-in-stage")] - 7f64.ln()).abs() < 1e-9);
    // One move between open stages (the win itself is not counted).
    assert_eq!(v[idx("stage-moves")], 1.0);
    assert_eq!(v[idx("furthest-stage")], 0.75);
    assert_eq!(v[idx("has-contact")], 1.0);
    assert_eq!(v[idx("has-account")], 0.0);
    let e = example(&won(), &progress(), t(30)).expect("an example");
    assert!(e.won);
}

#[test]
fn an_open_deal_is_measured_now_and_is_no_example() {
    let mut f = won();
    f.status = DealStatus::Open;
    f.stage_id = StageId::new(2);
    f.closed_at = None;
    f.stage_entered_at = t(8);
    f.changes = vec![
        change(None, 1, t(1)),
        change(Some(1), 3, t(5)),
        change(Some(3), 2, t(8)),
    ];
    let now = t(1) + Duration::days(20);
    let v = vector(&f, &progress(), now);
    assert!((v[idx("days-in-pipeline")] - 21f64.ln()).abs() < 1e-9);
    assert!((v[idx("days-in-stage")] - 14f64.ln()).abs() < 1e-9);
    assert_eq!(v[idx("stage-moves")], 2.0);
    // It went back to stage 2, but it had reached stage 3.
    assert_eq!(v[idx("furthest-stage")], 0.75);
    assert!(example(&f, &progress(), now).is_none());
}

#[test]
fn a_lost_deal_with_changes_after_closing_ignores_them() {
    let mut f = won();
    f.status = DealStatus::Lost;
    f.stage_id = StageId::new(6);
    f.changes.push(change(Some(5), 4, t(20)));
    f.changes.push(change(Some(4), 6, t(21)));
    f.closed_at = Some(t(11));
    let v = vector(&f, &progress(), t(30));
    assert_eq!(v[idx("furthest-stage")], 0.75);
    assert_eq!(v[idx("stage-moves")], 1.0);
    assert_eq!(example(&f, &progress(), t(30)).map(|e| e.won), Some(false));
}

#[test]
fn a_deal_with_no_value_and_no_history_still_has_every_feature() {
    let mut f = won();
    f.status = DealStatus::Open;
    f.stage_id = StageId::new(1);
    f.value_minor = -5;
    f.changes.clear();
    f.activities = [0; 4];
    let v = vector(&f, &progress(), t(1));
    assert_eq!(v.len(), FEATURES.len());
    assert!(v.iter().all(|x| x.is_finite()));
    assert_eq!(v[idx("value")], 0.0);
    assert_eq!(v[idx("furthest-stage")], 0.25);
}
