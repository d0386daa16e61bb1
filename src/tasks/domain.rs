//! Task rules: what a valid task is, which group a due day falls in, and
//! what "today" means (the assignee's date: `TaskRow::assignee_today`).

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};

use crate::domain::ids::UserId;
use crate::i18n::{Lang, Locale, key};
use crate::records::Links;
use crate::web::list::{Col, ListOptions, NoFilters};

pub const TITLE_MAX: usize = 200;
/// "Done recently" reaches this far back.
pub const DONE_RECENTLY_DAYS: i64 = 7;
pub const DONE_LIMIT: i64 = 100;
/// Open tasks shown on a contact's or account's page.
pub const PANEL_LIMIT: i64 = 50;

crate::sort_keys! {
    /// My tasks: open tasks soonest first (`ix_tasks_assignee`).
    pub enum TaskSort: "tasks.id", default Due {
        Due: "due", asc, [Col::date("tasks.due_on")];
    }
}

/// My tasks as a list: a search in titles, soonest first, paged.
pub type TaskListOptions = ListOptions<TaskSort, NoFilters>;

/// The start of "Done recently".
pub fn done_since(now: NaiveDateTime) -> NaiveDateTime {
    now - Duration::days(DONE_RECENTLY_DAYS)
}

/// Where an open task belongs on "My tasks".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Due {
    Overdue,
    Today,
    Upcoming,
}

impl Due {
    pub fn of(due_on: NaiveDate, today: NaiveDate) -> Due {
        match due_on.cmp(&today) {
            std::cmp::Ordering::Less => Due::Overdue,
            std::cmp::Ordering::Equal => Due::Today,
            std::cmp::Ordering::Greater => Due::Upcoming,
        }
    }
}

/// "today", "tomorrow", "yesterday", or the day written out, in the
/// viewer's language (`today` is the assignee's).
pub fn due_label(locale: &Locale, due_on: NaiveDate, today: NaiveDate) -> String {
    match (due_on - today).num_days() {
        0 => locale.t("tasks-due-today"),
        1 => locale.t("tasks-due-tomorrow"),
        -1 => locale.t("tasks-due-yesterday"),
        _ => match locale.lang {
            Lang::En => due_on.format("%a %-d %b %Y").to_string(),
            Lang::ZhCn => locale.day(due_on),
        },
    }
}

/// A due day as an `<input type=date>` sends it: `YYYY-MM-DD`, a real day,
/// in a year both databases store.
/// The error is a message key.
pub fn parse_due(raw: &str) -> Result<NaiveDate, &'static str> {
    let s = raw.trim();
    if s.is_empty() {
        return Err(key("error-task-due-empty"));
    }
    let well_formed = s.len() == 10
        && s.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    match NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        Ok(d) if well_formed && (1900..=9999).contains(&d.year()) => Ok(d),
        _ => Err(key("error-task-due-format")),
    }
}

/// A task as entered, after validation and the access checks.
#[derive(Clone, Debug)]
pub struct NewTask {
    pub title: String,
    pub due_on: NaiveDate,
    pub assignee_id: UserId,
    /// The records it is linked to (none for a personal to-do).
    pub links: Links,
    pub created_by: UserId,
}

pub use crate::domain::person_name;

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    #[test]
    fn due_days_fall_into_groups_relative_to_today() {
        let today = d("2026-03-15");
        assert_eq!(Due::of(d("2026-03-14"), today), Due::Overdue);
        assert_eq!(Due::of(d("2025-12-31"), today), Due::Overdue);
        assert_eq!(Due::of(today, today), Due::Today);
        assert_eq!(Due::of(d("2026-03-16"), today), Due::Upcoming);
        let en = Locale::default();
        assert_eq!(due_label(&en, d("2026-03-16"), today), "tomorrow");
        assert_eq!(due_label(&en, d("2026-03-14"), today), "yesterday");
        assert_eq!(due_label(&en, d("2026-03-20"), today), "Fri 20 Mar 2026");
        let zh = Locale::new(Lang::ZhCn, chrono_tz::Tz::UTC);
        assert_eq!(due_label(&zh, d("2026-03-16"), today), "明天");
        assert_eq!(due_label(&zh, d("2026-03-20"), today), "2026年3月20日");
    }

    #[test]
    fn due_days_parse_strictly() {
        assert_eq!(parse_due(" 2026-02-28 "), Ok(d("2026-02-28")));
        for bad in [
            "",
            "2026-02-30",
            "28/02/2026",
            "2026-2-28",
            "+2026-02-28",
            "0999-01-01",
            "20260-01-01",
            "2026-02-28T00:00",
            "tomorrow",
        ] {
            assert!(parse_due(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn names_use_whichever_half_exists() {
        assert_eq!(person_name("Ada", "Lovelace"), "Ada Lovelace");
        assert_eq!(person_name("", "Lovelace"), "Lovelace");
        assert_eq!(person_name("Ada", ""), "Ada");
    }
}
