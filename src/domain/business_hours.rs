//! Business hours: the working time of a team in its own time zone, with
//! holidays — what SLA targets are counted in ("first response within 4
//! business hours"). Stored times stay UTC; the calendar turns them into
//! the team's local days to count.
//!
//! - [`WorkCalendar::add`]: the moment `work` of working time after a start
//!   (a due time);
//! - [`WorkCalendar::between`]: the working time between two moments (time
//!   used so far, or left until a due time when a paused clock resumes).
//!
//! Daylight-saving days count the hours the clock really shows: a working
//! day of 09:00–17:00 is 8 hours on either side of a change at night. An
//! interval edge that falls into a skipped hour moves to the first valid
//! minute after it; one in a repeated hour takes the first occurrence.

use std::collections::BTreeSet;

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};
use chrono_tz::Tz;

/// Days searched before giving up on finding working time (ten years of
/// holidays would be a misconfiguration, not a due date).
const HORIZON_DAYS: i64 = 3_660;

/// Working hours per weekday (Monday first), a zone and holidays.
#[derive(Clone, Debug, PartialEq)]
pub struct WorkCalendar {
    zone: Tz,
    week: [Vec<(NaiveTime, NaiveTime)>; 7],
    holidays: BTreeSet<NaiveDate>,
}

/// A working-hours setting that cannot be used.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    #[error("an interval must end after it starts")]
    EmptyInterval,
    #[error("intervals of one day must not overlap")]
    Overlap,
}

impl WorkCalendar {
    /// A calendar with no working time yet.
    pub fn new(zone: Tz) -> WorkCalendar {
        WorkCalendar {
            zone,
            week: Default::default(),
            holidays: BTreeSet::new(),
        }
    }

    /// The usual office week: Monday to Friday, `from`–`to`.
    pub fn office(zone: Tz, from: NaiveTime, to: NaiveTime) -> Result<WorkCalendar, CalendarError> {
        let mut c = WorkCalendar::new(zone);
        for day in 0..5 {
            c.set_day(day, vec![(from, to)])?;
        }
        Ok(c)
    }

    /// Round the clock, every day.
    pub fn always(zone: Tz) -> WorkCalendar {
        let mut c = WorkCalendar::new(zone);
        let midnight = NaiveTime::MIN;
        for day in 0..7 {
            // One interval to the end of the day; `None` end means midnight.
            c.week[day] = vec![(midnight, midnight)];
        }
        c
    }

    /// Sets the working intervals of a weekday (0 = Monday). An interval
    /// ending at 00:00 runs to midnight.
    pub fn set_day(
        &mut self,
        weekday: usize,
        mut intervals: Vec<(NaiveTime, NaiveTime)>,
    ) -> Result<(), CalendarError> {
        intervals.sort();
        for (from, to) in &intervals {
            if *to != NaiveTime::MIN && to <= from {
                return Err(CalendarError::EmptyInterval);
            }
        }
        for pair in intervals.windows(2) {
            let first_end = pair[0].1;
            if first_end == NaiveTime::MIN || first_end > pair[1].0 {
                return Err(CalendarError::Overlap);
            }
        }
        if let Some(day) = self.week.get_mut(weekday) {
            *day = intervals;
        }
        Ok(())
    }

    pub fn add_holiday(&mut self, day: NaiveDate) {
        self.holidays.insert(day);
    }

    pub fn zone(&self) -> Tz {
        self.zone
    }

    /// The UTC moment `work` of working time after `start` (UTC), or `None`
    /// when the calendar has no working time within its horizon.
    pub fn add(&self, start: NaiveDateTime, work: Duration) -> Option<NaiveDateTime> {
        if work <= Duration::zero() {
            return Some(start);
        }
        let mut left = work;
        let first = self.local_date(start);
        for offset in 0..HORIZON_DAYS {
            let day = first + Duration::days(offset);
            for (from, to) in self.working_spans(day) {
                let from = from.max(start);
                if to <= from {
                    continue;
                }
                let span = to - from;
                if left <= span {
                    return Some(from + left);
                }
                left -= span;
            }
        }
        None
    }

    /// The working time between `from` and `to` (UTC); zero if `to` is
    /// not after `from`.
    pub fn between(&self, from: NaiveDateTime, to: NaiveDateTime) -> Duration {
        let mut total = Duration::zero();
        if to <= from {
            return total;
        }
        let (first, last) = (self.local_date(from), self.local_date(to));
        let days = (last - first).num_days().min(HORIZON_DAYS);
        for offset in 0..=days {
            for (s, e) in self.working_spans(first + Duration::days(offset)) {
                let (s, e) = (s.max(from), e.min(to));
                if e > s {
                    total += e - s;
                }
            }
        }
        total
    }

    fn local_date(&self, utc: NaiveDateTime) -> NaiveDate {
        self.zone.from_utc_datetime(&utc).date_naive()
    }

    /// The day's working intervals as UTC spans, in order.
    fn working_spans(&self, day: NaiveDate) -> Vec<(NaiveDateTime, NaiveDateTime)> {
        if self.holidays.contains(&day) {
            return Vec::new();
        }
        let weekday = day.weekday().num_days_from_monday() as usize;
        self.week[weekday]
            .iter()
            .filter_map(|(from, to)| {
                let start = self.to_utc(day.and_time(*from))?;
                let end = if *to == NaiveTime::MIN {
                    self.to_utc(day.succ_opt()?.and_time(NaiveTime::MIN))?
                } else {
                    self.to_utc(day.and_time(*to))?
                };
                Some((start, end))
            })
            .collect()
    }

    /// A local wall-clock time as UTC (see the module note on DST).
    fn to_utc(&self, local: NaiveDateTime) -> Option<NaiveDateTime> {
        let mut probe = local;
        // A skipped hour is at most a few hours long anywhere.
        for _ in 0..=4 * 60 {
            if let Some(t) = self.zone.from_local_datetime(&probe).earliest() {
                return Some(t.naive_utc());
            }
            probe += Duration::minutes(1);
        }
        None
    }
}

#[cfg(test)]
#[path = "business_hours_tests.rs"]
mod tests;
