//! Weeks in a zone, SLA compliance and CSAT per key (`dashboard`).

use super::*;

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
}

fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").expect("time")
}

#[test]
fn weeks_start_monday_in_the_viewers_zone() {
    // Friday 2026-11-27; weeks of 2026-11-09, 16 and 23.
    let w = Weeks::ending(day("2026-11-27"), 3, chrono_tz::Asia::Shanghai);
    assert_eq!(
        w.starts,
        vec![day("2026-11-09"), day("2026-11-16"), day("2026-11-23")]
    );
    // Monday 00:00 in Shanghai is Sunday 16:00 UTC.
    assert_eq!(w.from_utc(), at("2026-11-08 16:00"));
    assert_eq!(w.index(at("2026-11-08 15:59")), None);
    assert_eq!(w.index(at("2026-11-08 16:00")), Some(0));
    // Sunday 2026-11-22 20:00 UTC is Monday 04:00 in Shanghai.
    assert_eq!(w.index(at("2026-11-22 20:00")), Some(2));
    assert_eq!(w.index(at("2026-11-22 15:00")), Some(1));
    assert_eq!(w.index(at("2026-12-07 00:00")), None);
    let utc = Weeks::ending(day("2026-11-23"), 1, Tz::UTC);
    assert_eq!(utc.starts, vec![day("2026-11-23")]);
}

#[test]
fn compliance_counts_each_target_the_ticket_had() {
    let both = Targets {
        first_response: Some(60),
        resolution: Some(480),
    };
    assert!(met_sla(both, 60, 480));
    assert!(!met_sla(both, 61, 100));
    assert!(!met_sla(both, 10, 481));
    assert!(met_sla(Targets::default(), 9_999, 9_999));
    let mut w = Week {
        solved: 3,
        met: 2,
        ..Week::default()
    };
    assert_eq!(w.compliance(), Some(67));
    w.solved = 0;
    assert_eq!(w.compliance(), None);
}

#[test]
fn csat_per_key_counts_four_and_five_as_satisfied() {
    let mut by = Vec::new();
    for (k, s) in [(2, 5), (1, 1), (2, 4), (1, 5), (2, 2)] {
        tally(&mut by, k, s);
    }
    let pct: Vec<(i32, Option<i64>, i64)> = by
        .iter()
        .map(|(k, r)| (*k, r.percent(), r.responses))
        .collect();
    assert_eq!(pct, vec![(1, Some(50), 2), (2, Some(67), 3)]);
    assert_eq!(Rated::default().percent(), None);
}

#[test]
fn a_months_csat_average_is_in_hundredths() {
    let w = Week {
        scores: vec![5, 1, 5, 4],
        ..Week::default()
    };
    // 15 ÷ 4 = 3.75; satisfied 3 of 4 = 75 %.
    assert_eq!(w.average_score(), Some(375));
    assert_eq!(w.csat(), Some(75));
    let w = Week {
        scores: vec![5, 4, 4],
        ..Week::default()
    };
    // 13 ÷ 3 = 4.333… → 4.33.
    assert_eq!(w.average_score(), Some(433));
    assert_eq!(Week::default().average_score(), None);
}
