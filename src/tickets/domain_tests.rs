use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use proptest::prelude::*;

use super::*;

fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").expect("test time")
}

fn t(h: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, 0, 0).expect("time")
}

/// New York office, 09:00–17:00 Monday to Friday, Thanksgiving off.
fn ny() -> WorkCalendar {
    let mut c = WorkCalendar::office(chrono_tz::America::New_York, t(9), t(17)).expect("valid");
    c.add_holiday(NaiveDate::from_ymd_opt(2026, 11, 26).expect("date"));
    c
}

/// (case, start UTC, business minutes, due UTC). New York is UTC−5 in
/// winter, UTC−4 in summer (DST ends 2026-11-01, starts 2026-03-08).
const CASES: &[(&str, &str, i64, &str)] = &[
    ("inside the day", "2026-11-23 15:00", 60, "2026-11-23 16:00"),
    (
        "over the night",
        "2026-11-23 21:00",
        120,
        "2026-11-24 15:00",
    ),
    ("at night", "2026-11-24 03:00", 30, "2026-11-24 14:30"),
    (
        "over the weekend",
        "2026-11-20 21:00",
        120,
        "2026-11-23 15:00",
    ),
    ("on a Sunday", "2026-11-22 18:00", 480, "2026-11-23 22:00"),
    (
        "over a holiday",
        "2026-11-25 21:00",
        120,
        "2026-11-27 15:00",
    ),
    ("on the holiday", "2026-11-26 15:00", 60, "2026-11-27 15:00"),
    (
        "several days",
        "2026-11-23 14:00",
        3 * 480,
        "2026-11-25 22:00",
    ),
    ("zero minutes", "2026-11-23 03:00", 0, "2026-11-23 03:00"),
    ("summer time", "2026-07-06 13:00", 60, "2026-07-06 14:00"),
    (
        "over the DST end",
        "2026-10-30 20:00",
        120,
        "2026-11-02 15:00",
    ),
    (
        "over the DST start",
        "2026-03-06 21:00",
        120,
        "2026-03-09 14:00",
    ),
];

#[test]
fn due_times_over_nights_weekends_holidays_and_dst() {
    let cal = ny();
    for (case, start, mins, due) in CASES {
        assert_eq!(
            add_business_minutes(&cal, at(start), *mins),
            Some(at(due)),
            "{case}"
        );
        if *mins > 0 {
            assert_eq!(
                business_minutes_between(&cal, at(start), at(due)),
                *mins,
                "{case}: elapsed"
            );
        }
    }
}

fn targets() -> Targets {
    Targets {
        first_response: Some(60),
        resolution: Some(480),
    }
}

#[test]
fn a_running_clock_gives_both_due_times() {
    let cal = ny();
    let c = Clock::start(targets(), at("2026-11-23 16:00"));
    let due = c.due(&cal);
    assert_eq!(due.first_response, Some(at("2026-11-23 17:00")));
    assert_eq!(due.resolution, Some(at("2026-11-24 16:00")));
    assert_eq!(due.next(), Some(at("2026-11-23 17:00")));
}

#[test]
fn pending_pauses_the_clock_and_resuming_moves_the_due_time() {
    let cal = ny();
    // Opened Monday 11:00 local, 2 business hours run, pending over the
    // night and a holiday, open again Friday 10:00 local.
    let c = Clock::start(targets(), at("2026-11-23 16:00"));
    let c = c.responded(&cal, at("2026-11-23 16:30"));
    let paused = c.stop(&cal, at("2026-11-23 18:00"));
    assert_eq!(paused.first_response_used, 30);
    assert_eq!(paused.resolution_used, 120);
    assert_eq!(paused.due(&cal), Due::default(), "no due while paused");
    // Time while paused does not count.
    let resumed = paused.resume(at("2026-11-27 15:00"));
    let due = resumed.due(&cal);
    assert_eq!(due.first_response, None, "responded");
    // 360 minutes left from Friday 10:00: Friday 16:00 local = 21:00 UTC.
    assert_eq!(due.resolution, Some(at("2026-11-27 21:00")));
    // Paused twice: the minutes add up.
    let again = resumed.stop(&cal, at("2026-11-27 16:00"));
    assert_eq!(again.resolution_used, 180);
    assert_eq!(again.first_response_used, 30);
}

#[test]
fn a_paused_clock_stopped_again_is_unchanged_and_resume_is_idempotent() {
    let cal = ny();
    let c = Clock::start(targets(), at("2026-11-23 16:00")).stop(&cal, at("2026-11-23 17:00"));
    assert_eq!(c.stop(&cal, at("2026-11-24 17:00")), c);
    let r = c.resume(at("2026-11-24 15:00"));
    assert_eq!(r.resume(at("2026-11-25 15:00")), r);
}

#[test]
fn a_target_already_used_up_is_due_at_once() {
    let cal = ny();
    let mut c = Clock::start(targets(), at("2026-11-23 16:00"));
    c.resolution_used = 600;
    assert_eq!(c.due(&cal).resolution, Some(at("2026-11-23 16:00")));
}

#[test]
fn urgency_badges() {
    let now = at("2026-11-23 12:00");
    assert_eq!(urgency(None, now), Urgency::None);
    assert_eq!(
        urgency(Some(at("2026-11-23 11:59")), now),
        Urgency::Breached
    );
    assert_eq!(urgency(Some(now), now), Urgency::Breached);
    assert_eq!(urgency(Some(at("2026-11-23 12:45")), now), Urgency::Soon);
    assert_eq!(urgency(Some(at("2026-11-23 14:00")), now), Urgency::Ok);
}

#[test]
fn csat_is_satisfied_over_responses() {
    assert_eq!(csat(&[]), None);
    assert_eq!(csat(&[5, 5, 1]), Some(67));
    assert_eq!(csat(&[4, 3]), Some(50));
    assert_eq!(csat(&[1, 2, 3]), Some(0));
    assert_eq!(csat(&[5; 7]), Some(100));
    assert_eq!(csat(&[5, 1, 1, 1, 1, 1, 1, 1]), Some(13), "12.5 rounds up");
}

#[test]
fn statuses_pause_and_offer() {
    assert!(Status::New.clock_runs() && Status::Open.clock_runs());
    for s in [
        Status::Pending,
        Status::OnHold,
        Status::Solved,
        Status::Closed,
    ] {
        assert!(!s.clock_runs(), "{s:?}");
    }
    assert!(Status::Closed.offered().is_empty());
    assert!(!Status::Open.offered().contains(&Status::Open));
    assert!(!MessageKind::InternalNote.is_public());
}

proptest! {
    #[test]
    fn adding_then_measuring_gives_the_minutes_back(
        start_min in 0i64..(60 * 24 * 400),
        mins in 1i64..(60 * 200),
    ) {
        let cal = ny();
        let start = at("2026-01-01 00:00") + chrono::Duration::minutes(start_min);
        let due = add_business_minutes(&cal, start, mins).expect("working time exists");
        prop_assert!(due > start);
        prop_assert_eq!(business_minutes_between(&cal, start, due), mins);
    }

    #[test]
    fn csat_stays_within_0_and_100(scores in proptest::collection::vec(1i32..=5, 0..50)) {
        if let Some(p) = csat(&scores) {
            prop_assert!(p <= 100);
        }
    }
}
