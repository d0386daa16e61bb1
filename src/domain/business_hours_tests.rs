use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};
use chrono_tz::Tz;

use super::{CalendarError, WorkCalendar};

fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").expect("test time")
}

fn t(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).expect("test time")
}

fn berlin_office() -> WorkCalendar {
    let mut c = WorkCalendar::office(chrono_tz::Europe::Berlin, t(9, 0), t(17, 0)).expect("valid");
    for day in ["2026-12-24", "2026-12-25"] {
        c.add_holiday(NaiveDate::parse_from_str(day, "%Y-%m-%d").expect("date"));
    }
    c
}

/// (case, start UTC, working minutes, due UTC). Berlin is UTC+1 in
/// November and December, UTC+2 from 29 March 2026; 2026-11-23 is a Monday.
const BERLIN: &[(&str, &str, i64, &str)] = &[
    (
        "within the day",
        "2026-11-23 10:00",
        240,
        "2026-11-23 14:00",
    ),
    (
        "over the night",
        "2026-11-23 14:00",
        240,
        "2026-11-24 10:00",
    ),
    (
        "to the minute the day ends",
        "2026-11-23 08:00",
        480,
        "2026-11-23 16:00",
    ),
    (
        "over the weekend",
        "2026-11-27 15:00",
        120,
        "2026-11-30 09:00",
    ),
    (
        "starting on a Saturday",
        "2026-11-28 12:00",
        60,
        "2026-11-30 09:00",
    ),
    (
        "starting at night",
        "2026-11-24 22:00",
        30,
        "2026-11-25 08:30",
    ),
    (
        "starting before opening",
        "2026-11-25 06:00",
        60,
        "2026-11-25 09:00",
    ),
    (
        "over two holidays and a weekend",
        "2026-12-23 15:00",
        120,
        "2026-12-28 09:00",
    ),
    (
        "a whole working week",
        "2026-11-23 08:00",
        5 * 480,
        "2026-11-27 16:00",
    ),
    (
        "into summer time",
        "2026-03-27 15:00",
        120,
        "2026-03-30 08:00",
    ),
    ("nothing to do", "2026-11-28 12:00", 0, "2026-11-28 12:00"),
];

#[test]
fn due_times_in_an_office_week_with_holidays() {
    let c = berlin_office();
    for (case, start, minutes, due) in BERLIN {
        assert_eq!(
            c.add(at(start), Duration::minutes(*minutes)),
            Some(at(due)),
            "{case}"
        );
        // And the other way round: the working time between them is the work.
        assert_eq!(
            c.between(at(start), at(due)),
            Duration::minutes(*minutes),
            "{case}"
        );
    }
}

#[test]
fn working_time_between_two_moments() {
    let c = berlin_office();
    assert_eq!(
        c.between(at("2026-11-23 10:00"), at("2026-11-24 10:00")),
        Duration::hours(8)
    );
    assert_eq!(
        c.between(at("2026-11-27 15:00"), at("2026-11-30 09:00")),
        Duration::hours(2)
    );
    assert_eq!(
        c.between(at("2026-12-24 09:00"), at("2026-12-25 15:00")),
        Duration::zero()
    );
    assert_eq!(
        c.between(at("2026-11-24 10:00"), at("2026-11-23 10:00")),
        Duration::zero()
    );
}

#[test]
fn a_paused_clock_resumes_with_the_time_that_was_left() {
    // Due Tuesday 10:00 UTC; paused Monday 15:00 UTC (1 h before closing),
    // resumed Wednesday 12:00 UTC: 3 h were left, so due Wednesday 15:00.
    let c = berlin_office();
    let due = at("2026-11-24 10:00");
    let left = c.between(at("2026-11-23 15:00"), due);
    assert_eq!(left, Duration::hours(3));
    assert_eq!(
        c.add(at("2026-11-25 12:00"), left),
        Some(at("2026-11-25 15:00"))
    );
}

#[test]
fn add_and_between_agree_everywhere_in_a_month() {
    let c = berlin_office();
    let mut start = at("2026-03-20 00:00");
    while start < at("2026-04-10 00:00") {
        for minutes in [1, 59, 480, 481, 2_400, 5_000] {
            let work = Duration::minutes(minutes);
            let due = c.add(start, work).expect("due");
            assert_eq!(c.between(start, due), work, "from {start} + {minutes} min");
            assert!(due > start);
        }
        start += Duration::minutes(97);
    }
}

#[test]
fn a_lunch_break_in_shanghai() {
    let mut c = WorkCalendar::new(chrono_tz::Asia::Shanghai);
    for day in 0..5 {
        c.set_day(day, vec![(t(13, 0), t(18, 0)), (t(9, 0), t(12, 0))])
            .expect("valid");
    }
    // 11:00 Shanghai = 03:00 UTC; one hour before lunch, one after.
    assert_eq!(
        c.add(at("2026-11-23 03:00"), Duration::hours(2)),
        Some(at("2026-11-23 06:00"))
    );
}

#[test]
fn round_the_clock_counts_real_hours_across_a_clock_change() {
    let c = WorkCalendar::always(chrono_tz::Europe::Berlin);
    // 29 March 2026 has 23 hours in Berlin; elapsed time is still elapsed.
    assert_eq!(
        c.add(at("2026-03-28 12:00"), Duration::hours(24)),
        Some(at("2026-03-29 12:00"))
    );
    assert_eq!(
        c.between(at("2026-10-24 12:00"), at("2026-10-26 12:00")),
        Duration::hours(48)
    );
}

#[test]
fn the_working_day_keeps_its_wall_clock_hours_on_a_clock_change() {
    // A Sunday shift 01:00–05:00 on the night clocks go forward (02:00 is
    // skipped): 3 real hours of work that night.
    let mut c = WorkCalendar::new(chrono_tz::Europe::Berlin);
    c.set_day(6, vec![(t(1, 0), t(5, 0))]).expect("valid");
    assert_eq!(
        c.between(at("2026-03-28 00:00"), at("2026-03-30 00:00")),
        Duration::hours(3)
    );
    // An edge inside the skipped hour moves to the first minute after it.
    let mut c = WorkCalendar::new(chrono_tz::Europe::Berlin);
    c.set_day(6, vec![(t(2, 30), t(6, 0))]).expect("valid");
    // 03:00 CEST = 01:00 UTC.
    assert_eq!(
        c.add(at("2026-03-28 12:00"), Duration::minutes(1)),
        Some(at("2026-03-29 01:01"))
    );
}

#[test]
fn no_working_time_gives_no_due_time() {
    let c = WorkCalendar::new(Tz::UTC);
    assert_eq!(c.add(at("2026-11-23 10:00"), Duration::hours(1)), None);
    assert_eq!(
        c.between(at("2026-11-23 10:00"), at("2026-12-23 10:00")),
        Duration::zero()
    );
}

#[test]
fn bad_intervals_are_refused() {
    let mut c = WorkCalendar::new(Tz::UTC);
    assert_eq!(
        c.set_day(0, vec![(t(17, 0), t(9, 0))]),
        Err(CalendarError::EmptyInterval)
    );
    assert_eq!(
        c.set_day(0, vec![(t(9, 0), t(9, 0))]),
        Err(CalendarError::EmptyInterval)
    );
    assert_eq!(
        c.set_day(0, vec![(t(9, 0), t(13, 0)), (t(12, 0), t(18, 0))]),
        Err(CalendarError::Overlap)
    );
    assert_eq!(
        c.set_day(0, vec![(t(20, 0), t(0, 0)), (t(22, 0), t(23, 0))]),
        Err(CalendarError::Overlap)
    );
    // Up to midnight is allowed.
    assert_eq!(c.set_day(0, vec![(t(20, 0), t(0, 0))]), Ok(()));
}
