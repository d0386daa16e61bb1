//! The ticket setup forms (work calendars and holidays, SLA policies,
//! canned responses): what an admin typed, as strings, turned into checked
//! values or messages beside the fields. Pure; the pages live in
//! `calendars.rs`, `policies.rs` and `canned.rs`.

use chrono::{NaiveDate, NaiveTime};

use super::domain::Priority;
use crate::i18n::{Locale, key, parse_zone};
use crate::web::forms::FieldErrors;
use crate::web::list::Params;

pub const NAME_MAX: usize = 100;
pub const TITLE_MAX: usize = 200;
pub const BODY_MAX: usize = 20_000;
/// Longest SLA target: a year of business minutes.
pub const TARGET_MAX_MINUTES: i32 = 525_600;
/// Weekdays as stored (Monday = 1) with their message keys.
pub const WEEKDAYS: [(u8, &str); 7] = [
    (1, key("tickets-setup-mon")),
    (2, key("tickets-setup-tue")),
    (3, key("tickets-setup-wed")),
    (4, key("tickets-setup-thu")),
    (5, key("tickets-setup-fri")),
    (6, key("tickets-setup-sat")),
    (7, key("tickets-setup-sun")),
];

/// The version a form was drawn at (a missing or broken one matches no row).
pub fn version(body: &Params) -> i32 {
    body.get("version").trim().parse().unwrap_or(-1)
}

fn name_of(
    body: &Params,
    field: &str,
    max: usize,
    loc: &Locale,
    errors: &mut FieldErrors,
) -> String {
    let raw = body.get(field).trim();
    if raw.is_empty() {
        errors.add(field, loc.t("tickets-setup-error-required"));
    } else if raw.chars().count() > max {
        errors.add(field, loc.t("tickets-setup-error-too-long"));
    }
    raw.chars().take(max).collect()
}

// ---------------------------------------------------------------------------
// Work calendars.

/// A calendar as the form holds it (also what a failed form shows again).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CalendarForm {
    pub name: String,
    pub zone: String,
    /// Checked weekdays, Monday = 1.
    pub days: Vec<u8>,
    pub day_start: String,
    pub day_end: String,
}

impl CalendarForm {
    pub fn blank() -> CalendarForm {
        CalendarForm {
            name: String::new(),
            zone: "UTC".into(),
            days: vec![1, 2, 3, 4, 5],
            day_start: "09:00".into(),
            day_end: "17:00".into(),
        }
    }

    pub fn from_params(body: &Params) -> CalendarForm {
        let mut days: Vec<u8> = body
            .0
            .iter()
            .filter(|(k, _)| k == "day")
            .filter_map(|(_, v)| v.trim().parse::<u8>().ok())
            .filter(|d| (1..=7).contains(d))
            .collect();
        days.sort_unstable();
        days.dedup();
        CalendarForm {
            name: body.get("name").trim().chars().take(NAME_MAX + 1).collect(),
            zone: body.get("zone").trim().chars().take(64).collect(),
            days,
            day_start: body.get("day_start").trim().chars().take(8).collect(),
            day_end: body.get("day_end").trim().chars().take(8).collect(),
        }
    }

    pub fn has_day(&self, d: &u8) -> bool {
        self.days.contains(d)
    }

    /// The stored values, or the messages beside the fields.
    pub fn check(&self, loc: &Locale) -> Result<CalendarInput, FieldErrors> {
        let mut errors = FieldErrors::new();
        let mut p = Params::default();
        p.0.push(("name".into(), self.name.clone()));
        let name = name_of(&p, "name", NAME_MAX, loc, &mut errors);
        if parse_zone(&self.zone).is_none() {
            errors.add("zone", loc.t("error-choose-time-zone"));
        }
        if self.days.is_empty() {
            errors.add("day", loc.t("tickets-setup-error-days"));
        }
        let start = time_of(&self.day_start);
        let end = time_of(&self.day_end);
        if start.is_none() {
            errors.add("day_start", loc.t("tickets-setup-error-time"));
        }
        match (start, end) {
            (_, None) => errors.add("day_end", loc.t("tickets-setup-error-time")),
            (Some(s), Some(e)) if e <= s => {
                errors.add("day_end", loc.t("tickets-setup-error-end-before-start"))
            }
            _ => {}
        }
        errors.into_result()?;
        let (Some(start), Some(end)) = (start, end) else {
            return Err(FieldErrors::new());
        };
        Ok(CalendarInput {
            name,
            zone: self.zone.clone(),
            working_days: self
                .days
                .iter()
                .map(u8::to_string)
                .collect::<Vec<_>>()
                .join(","),
            day_start: start.format("%H:%M").to_string(),
            day_end: end.format("%H:%M").to_string(),
        })
    }
}

/// A calendar ready to store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CalendarInput {
    pub name: String,
    pub zone: String,
    /// "1,2,3,4,5"
    pub working_days: String,
    pub day_start: String,
    pub day_end: String,
}

/// `09:00` (a time input may add seconds).
pub fn time_of(s: &str) -> Option<NaiveTime> {
    NaiveTime::parse_from_str(s.trim(), "%H:%M")
        .or_else(|_| NaiveTime::parse_from_str(s.trim(), "%H:%M:%S"))
        .ok()
}

/// Stored working days ("1,2,3") as numbers.
pub fn days_of(stored: &str) -> Vec<u8> {
    stored
        .split(',')
        .filter_map(|d| d.trim().parse::<u8>().ok())
        .filter(|d| (1..=7).contains(d))
        .collect()
}

/// A holiday: the day and an optional name.
pub fn holiday(body: &Params, loc: &Locale) -> Result<(NaiveDate, String), FieldErrors> {
    let mut errors = FieldErrors::new();
    let day = NaiveDate::parse_from_str(body.get("holiday_day").trim(), "%Y-%m-%d").ok();
    if day.is_none() {
        errors.add("holiday_day", loc.t("tickets-setup-error-date"));
    }
    let name = body.get("holiday_name").trim();
    if name.chars().count() > NAME_MAX {
        errors.add("holiday_name", loc.t("tickets-setup-error-too-long"));
    }
    errors.into_result()?;
    day.map(|d| (d, name.to_string()))
        .ok_or_else(FieldErrors::new)
}

// ---------------------------------------------------------------------------
// SLA policies.

/// One priority's targets as typed ("4:00", "90", "1h30m"; empty: none).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TargetForm {
    pub priority: Priority,
    pub first: String,
    pub resolution: String,
}

impl TargetForm {
    pub fn first_field(&self) -> &'static str {
        match self.priority {
            Priority::Low => "low_first",
            Priority::Normal => "normal_first",
            Priority::High => "high_first",
            Priority::Urgent => "urgent_first",
        }
    }

    pub fn resolution_field(&self) -> &'static str {
        match self.priority {
            Priority::Low => "low_resolution",
            Priority::Normal => "normal_resolution",
            Priority::High => "high_resolution",
            Priority::Urgent => "urgent_resolution",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyForm {
    pub name: String,
    /// "" = no calendar (round the clock, UTC).
    pub calendar: String,
    pub targets: Vec<TargetForm>,
}

/// A policy ready to store: targets per priority in business minutes
/// (first response, resolution); a priority left empty has none.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyInput {
    pub name: String,
    pub calendar_id: Option<i64>,
    pub targets: Vec<(Priority, i32, i32)>,
}

impl PolicyForm {
    pub fn blank() -> PolicyForm {
        PolicyForm {
            name: String::new(),
            calendar: String::new(),
            targets: Priority::ALL
                .iter()
                .map(|p| TargetForm {
                    priority: *p,
                    first: String::new(),
                    resolution: String::new(),
                })
                .collect(),
        }
    }

    /// A stored policy in the form's words.
    pub fn of(
        name: &str,
        calendar_id: Option<i64>,
        targets: &[(Priority, i32, i32)],
    ) -> PolicyForm {
        let mut f = PolicyForm::blank();
        f.name = name.to_string();
        f.calendar = calendar_id.map(|c| c.to_string()).unwrap_or_default();
        for t in &mut f.targets {
            if let Some((_, first, res)) = targets.iter().find(|(p, _, _)| *p == t.priority) {
                t.first = show_minutes(*first);
                t.resolution = show_minutes(*res);
            }
        }
        f
    }

    pub fn from_params(body: &Params) -> PolicyForm {
        let mut f = PolicyForm::blank();
        f.name = body.get("name").trim().chars().take(NAME_MAX + 1).collect();
        f.calendar = body.get("calendar_id").trim().chars().take(20).collect();
        for t in &mut f.targets {
            t.first = body.get(t.first_field()).trim().chars().take(20).collect();
            t.resolution = body
                .get(t.resolution_field())
                .trim()
                .chars()
                .take(20)
                .collect();
        }
        f
    }

    pub fn calendar_is(&self, id: &i64) -> bool {
        self.calendar == id.to_string()
    }

    /// Checked against the calendars that exist (`calendars`: their ids).
    pub fn check(&self, loc: &Locale, calendars: &[i64]) -> Result<PolicyInput, FieldErrors> {
        let mut errors = FieldErrors::new();
        let mut p = Params::default();
        p.0.push(("name".into(), self.name.clone()));
        let name = name_of(&p, "name", NAME_MAX, loc, &mut errors);
        let calendar_id = if self.calendar.is_empty() {
            None
        } else {
            let id = self
                .calendar
                .parse::<i64>()
                .ok()
                .filter(|id| calendars.contains(id));
            if id.is_none() {
                errors.add("calendar_id", loc.t("tickets-setup-error-calendar"));
            }
            id
        };
        let mut targets = Vec::new();
        for t in &self.targets {
            match (t.first.is_empty(), t.resolution.is_empty()) {
                (true, true) => continue,
                (true, false) => errors.add(t.first_field(), loc.t("tickets-setup-error-both")),
                (false, true) => {
                    errors.add(t.resolution_field(), loc.t("tickets-setup-error-both"))
                }
                (false, false) => {
                    let first = parse_minutes(&t.first);
                    let res = parse_minutes(&t.resolution);
                    if first.is_none() {
                        errors.add(t.first_field(), loc.t("tickets-setup-error-target"));
                    }
                    if res.is_none() {
                        errors.add(t.resolution_field(), loc.t("tickets-setup-error-target"));
                    }
                    if let (Some(f), Some(r)) = (first, res) {
                        if r < f {
                            errors.add(
                                t.resolution_field(),
                                loc.t("tickets-setup-error-resolution-first"),
                            );
                        } else {
                            targets.push((t.priority, f, r));
                        }
                    }
                }
            }
        }
        errors.into_result()?;
        Ok(PolicyInput {
            name,
            calendar_id,
            targets,
        })
    }
}

/// Business minutes from "90" (minutes), "1:30" (hours:minutes), "4h",
/// "30m", "1h30m" or "1h 30m"; positive and at most a year.
pub fn parse_minutes(s: &str) -> Option<i32> {
    let s = s.trim().to_ascii_lowercase();
    let total: i64 = if let Some((h, m)) = s.split_once(':') {
        let h: i64 = h.trim().parse().ok()?;
        let m: i64 = m.trim().parse().ok()?;
        if !(0..60).contains(&m) || h < 0 {
            return None;
        }
        h.checked_mul(60)?.checked_add(m)?
    } else if s.ends_with('h') || s.ends_with('m') {
        let (h, rest) = match s.split_once('h') {
            Some((h, rest)) => (h.trim().parse::<i64>().ok()?, rest.trim()),
            None => (0, s.as_str()),
        };
        let m = match rest.strip_suffix('m') {
            Some(m) => m.trim().parse::<i64>().ok()?,
            None if rest.is_empty() => 0,
            None => return None,
        };
        if h < 0 || m < 0 {
            return None;
        }
        h.checked_mul(60)?.checked_add(m)?
    } else {
        s.parse().ok()?
    };
    (1..=i64::from(TARGET_MAX_MINUTES))
        .contains(&total)
        .then_some(total as i32)
}

/// Minutes as the form shows them: `4:00`, `0:30`, `80:00`.
pub fn show_minutes(m: i32) -> String {
    format!("{}:{:02}", m / 60, m % 60)
}

// ---------------------------------------------------------------------------
// Canned responses.

/// The merge fields a canned response may use.
pub const MERGE_FIELDS: [&str; 13] = [
    "requester.first_name",
    "requester.last_name",
    "requester.name",
    "requester.email",
    "ticket.id",
    "ticket.number",
    "ticket.subject",
    "ticket.status",
    "ticket.priority",
    "ticket.queue",
    "ticket.link",
    "agent.name",
    "agent.first_name",
];

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CannedForm {
    pub title: String,
    pub body: String,
}

impl CannedForm {
    pub fn from_params(body: &Params) -> CannedForm {
        CannedForm {
            title: body
                .get("title")
                .trim()
                .chars()
                .take(TITLE_MAX + 1)
                .collect(),
            body: body
                .get("body")
                .replace("\r\n", "\n")
                .trim()
                .chars()
                .take(BODY_MAX + 1)
                .collect(),
        }
    }

    /// The title and body are there and the body parses in the template
    /// sandbox with known merge fields only.
    pub fn check(&self, loc: &Locale) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::new();
        let mut p = Params::default();
        p.0.push(("title".into(), self.title.clone()));
        p.0.push(("body".into(), self.body.clone()));
        name_of(&p, "title", TITLE_MAX, loc, &mut errors);
        name_of(&p, "body", BODY_MAX, loc, &mut errors);
        if errors.get("body").is_none()
            && let Err(e) = crate::campaigns::render::check_text(&self.body, &MERGE_FIELDS)
        {
            errors.add(
                "body",
                format!("{}: {e}", loc.t("tickets-setup-error-template")),
            );
        }
        errors.into_result()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    fn en() -> Locale {
        Locale::new(Lang::En, chrono_tz::UTC)
    }

    fn params(pairs: &[(&str, &str)]) -> Params {
        Params(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
    }

    #[test]
    fn calendars_need_a_zone_days_and_hours_that_end_after_they_start() {
        let ok = CalendarForm::from_params(&params(&[
            ("name", " Berlin office "),
            ("zone", "Europe/Berlin"),
            ("day", "5"),
            ("day", "1"),
            ("day", "9"),
            ("day_start", "08:30"),
            ("day_end", "17:00:00"),
        ]));
        let input = ok.check(&en()).expect("valid");
        assert_eq!(input.working_days, "1,5");
        assert_eq!(
            (input.day_start.as_str(), input.day_end.as_str()),
            ("08:30", "17:00")
        );
        let bad = CalendarForm::from_params(&params(&[
            ("name", ""),
            ("zone", "Mars/Olympus"),
            ("day_start", "17:00"),
            ("day_end", "09:00"),
        ]));
        let errors = bad.check(&en()).expect_err("invalid");
        for f in ["name", "zone", "day", "day_end"] {
            assert!(errors.get(f).is_some(), "{f}");
        }
        assert!(errors.get("day_start").is_none());
    }

    #[test]
    fn targets_parse_as_minutes_hours_or_both_and_are_bounded() {
        for (s, m) in [
            ("90", 90),
            ("1:30", 90),
            ("4h", 240),
            ("30m", 30),
            ("1h30m", 90),
            ("1H 5M", 65),
            ("8760:00", 525_600),
        ] {
            assert_eq!(parse_minutes(s), Some(m), "{s}");
        }
        for s in [
            "",
            "0",
            "-5",
            "0:00",
            "1:60",
            "-1h",
            "x",
            "1h30",
            "8760:01",
            "99999999999",
        ] {
            assert_eq!(parse_minutes(s), None, "{s}");
        }
        assert_eq!(show_minutes(4800), "80:00");
        assert_eq!(parse_minutes(&show_minutes(95)), Some(95));
    }

    #[test]
    fn policies_check_every_priority_and_their_calendar() {
        let f = PolicyForm::from_params(&params(&[
            ("name", "Gold"),
            ("calendar_id", "3"),
            ("low_first", "8:00"),
            ("low_resolution", "80:00"),
            ("urgent_first", "-30"),
            ("urgent_resolution", "4h"),
            ("high_first", "2h"),
            ("high_resolution", "1h"),
            ("normal_first", "1h"),
        ]));
        let e = f.check(&en(), &[1, 2]).expect_err("invalid");
        for field in [
            "calendar_id",
            "urgent_first",
            "high_resolution",
            "normal_resolution",
        ] {
            assert!(e.get(field).is_some(), "{field}");
        }
        let f = PolicyForm::from_params(&params(&[
            ("name", "Gold"),
            ("calendar_id", "2"),
            ("low_first", "8:00"),
            ("low_resolution", "80:00"),
        ]));
        let p = f.check(&en(), &[1, 2]).expect("valid");
        assert_eq!(p.calendar_id, Some(2));
        assert_eq!(p.targets, vec![(Priority::Low, 480, 4800)]);
        let again = PolicyForm::of("Gold", Some(2), &p.targets);
        assert_eq!(again.check(&en(), &[2]).expect("same"), p);
    }

    #[test]
    fn canned_bodies_must_parse_with_known_merge_fields() {
        let ok = CannedForm {
            title: "Thanks".into(),
            body: "Hi {{ requester.first_name }}, about #{{ ticket.number }}".into(),
        };
        assert!(ok.check(&en()).is_ok());
        let broken = CannedForm {
            title: "Broken".into(),
            body: "Hi {{ requester.first_name".into(),
        };
        assert!(
            broken
                .check(&en())
                .expect_err("syntax")
                .get("body")
                .is_some()
        );
        let unknown = CannedForm {
            title: "Unknown".into(),
            body: "Hi {{ customer.name }}".into(),
        };
        let e = unknown.check(&en()).expect_err("unknown field");
        assert!(
            e.get("body")
                .expect("beside body")
                .contains("customer.name")
        );
    }
}
