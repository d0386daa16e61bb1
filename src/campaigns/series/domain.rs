//! A series' vocabularies and the pure rules: which state changes are
//! allowed, and when each step is due for a contact who enters now.

use chrono::NaiveDateTime;

use crate::i18n::key;

crate::text_enum! {
    /// Where a series is (`series.status`).
    pub enum SeriesStatus {
        /// Being written: nobody enters.
        Draft = "draft",
        /// Contacts enter and its steps send.
        Active = "active",
        /// Nothing is sent; sign-ups still enter and get their mail on resume.
        Paused = "paused",
    }
}

impl SeriesStatus {
    pub fn label_key(self) -> &'static str {
        match self {
            SeriesStatus::Draft => key("campaigns-series-status-draft"),
            SeriesStatus::Active => key("campaigns-series-status-active"),
            SeriesStatus::Paused => key("campaigns-series-status-paused"),
        }
    }
}

crate::text_enum! {
    /// What makes a contact enter a series (`series.trigger_kind`).
    pub enum Trigger {
        /// Confirming a sign-up of a form (`series.signup_form_id`).
        Signup = "signup",
        /// Entering a segment (`series.segment_id`) after the activation.
        Segment = "segment",
    }
}

impl Trigger {
    pub fn label_key(self) -> &'static str {
        match self {
            Trigger::Signup => key("campaigns-series-trigger-signup"),
            Trigger::Segment => key("campaigns-series-trigger-segment"),
        }
    }
}

crate::text_enum! {
    /// The unit a step's delay is entered in.
    pub enum DelayUnit {
        Minutes = "minutes",
        Hours = "hours",
        Days = "days",
    }
}

impl DelayUnit {
    pub fn minutes(self) -> i32 {
        match self {
            DelayUnit::Minutes => 1,
            DelayUnit::Hours => 60,
            DelayUnit::Days => 1440,
        }
    }

    pub fn label_key(self) -> &'static str {
        match self {
            DelayUnit::Minutes => key("campaigns-series-unit-minutes"),
            DelayUnit::Hours => key("campaigns-series-unit-hours"),
            DelayUnit::Days => key("campaigns-series-unit-days"),
        }
    }

    /// The largest unit that expresses `minutes` exactly, and the count.
    pub fn of(minutes: i32) -> (i32, DelayUnit) {
        for unit in [DelayUnit::Days, DelayUnit::Hours] {
            if minutes > 0 && minutes % unit.minutes() == 0 {
                return (minutes / unit.minutes(), unit);
            }
        }
        (minutes, DelayUnit::Minutes)
    }
}

/// The longest delay of one step: a year.
pub const DELAY_MAX_MINUTES: i32 = 366 * 1440;
/// Steps in one series.
pub const STEPS_MAX: usize = 20;

/// When each step is due for a contact entering at `entered`: a step
/// waits its delay after the previous step's time (step 1: after the
/// entry), so the times are the running sums of the delays, in step order.
pub fn due_times(entered: NaiveDateTime, delays_minutes: &[i32]) -> Vec<NaiveDateTime> {
    let mut at = entered;
    delays_minutes
        .iter()
        .map(|d| {
            at += chrono::Duration::minutes(i64::from((*d).clamp(0, DELAY_MAX_MINUTES)));
            at
        })
        .collect()
}

/// `series_enrollments.source` of an entry by confirming form `form`.
pub fn signup_source(form: i64) -> String {
    format!("signup:{form}")
}

/// `series_enrollments.source` of an entry into segment `segment`.
pub fn segment_source(segment: i64) -> String {
    format!("segment:{segment}")
}

/// `series_enrollments.source` of a segment member at the activation:
/// recorded so they never enter (and are never mailed).
pub const BASELINE: &str = "baseline";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_are_due_at_the_running_sum_of_their_delays() {
        let t = chrono::NaiveDate::from_ymd_opt(2026, 1, 1)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap();
        let due = due_times(t, &[0, 1440, 60]);
        assert_eq!(due[0], t);
        assert_eq!(due[1], t + chrono::Duration::days(1));
        assert_eq!(due[2], t + chrono::Duration::minutes(1500));
    }

    #[test]
    fn delays_show_in_the_largest_exact_unit() {
        assert_eq!(DelayUnit::of(2880), (2, DelayUnit::Days));
        assert_eq!(DelayUnit::of(120), (2, DelayUnit::Hours));
        assert_eq!(DelayUnit::of(90), (90, DelayUnit::Minutes));
        assert_eq!(DelayUnit::of(0), (0, DelayUnit::Minutes));
    }
}
