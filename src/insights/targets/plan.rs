//! Who a target or plan is for, and commission plans as typed tiers.

use std::fmt::Write;

use super::super::domain::commission;

/// Whom a target or a commission plan belongs to. Stored as text
/// (`sales_targets.subject`, `commission_plans.subject`) so the unique
/// keys need no nullable columns.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Subject {
    /// The plan of every rep without their own.
    Default,
    User(i64),
    Team(i64),
}

impl Subject {
    pub fn key(&self) -> String {
        match self {
            Subject::Default => "default".to_string(),
            Subject::User(id) => format!("user:{id}"),
            Subject::Team(id) => format!("team:{id}"),
        }
    }

    pub fn parse(raw: &str) -> Option<Subject> {
        if raw == "default" {
            return Some(Subject::Default);
        }
        let (kind, id) = raw.split_once(':')?;
        let id: i64 = id.parse().ok().filter(|i| *i > 0)?;
        match kind {
            "user" => Some(Subject::User(id)),
            "team" => Some(Subject::Team(id)),
            _ => None,
        }
    }

    pub fn user_id(&self) -> Option<i64> {
        match self {
            Subject::User(id) => Some(*id),
            _ => None,
        }
    }

    pub fn team_id(&self) -> Option<i64> {
        match self {
            Subject::Team(id) => Some(*id),
            _ => None,
        }
    }
}

/// Most tiers a plan has (the form's rows).
pub const MAX_TIERS: usize = 3;

/// A commission plan: marginal tiers `(from, rate)` — `from` in minor
/// units of the month's revenue, `rate` in basis points — the first from
/// 0, thresholds increasing. A flat rate is one tier; no tiers is no plan
/// (a rep's empty plan falls back to the default).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tiers(Vec<(i64, i64)>);

impl Tiers {
    /// Checked tiers, or None when they break the rules above or a rate
    /// exceeds 100 %.
    pub fn new(tiers: Vec<(i64, i64)>) -> Option<Tiers> {
        let first_from_zero = tiers.first().is_none_or(|t| t.0 == 0);
        let increasing = tiers.windows(2).all(|w| w[0].0 < w[1].0);
        let rates = tiers.iter().all(|t| (0..=10_000).contains(&t.1));
        (first_from_zero && increasing && rates && tiers.len() <= MAX_TIERS).then_some(Tiers(tiers))
    }

    /// Reads the stored form ("0:500;1000000:1000"); None if damaged.
    pub fn parse(stored: &str) -> Option<Tiers> {
        if stored.is_empty() {
            return Some(Tiers::default());
        }
        let mut out = Vec::new();
        for part in stored.split(';') {
            let (from, rate) = part.split_once(':')?;
            out.push((from.parse().ok()?, rate.parse().ok()?));
        }
        Tiers::new(out)
    }

    pub fn stored(&self) -> String {
        let mut s = String::new();
        for (i, (from, rate)) in self.0.iter().enumerate() {
            if i > 0 {
                s.push(';');
            }
            let _ = write!(s, "{from}:{rate}");
        }
        s
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn tiers(&self) -> &[(i64, i64)] {
        &self.0
    }

    /// The commission on a month's revenue (0 without a plan).
    pub fn commission(&self, revenue: i64) -> i64 {
        commission(revenue.max(0), &self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subjects_round_trip_and_refuse_nonsense() {
        for s in [Subject::Default, Subject::User(12), Subject::Team(3)] {
            assert_eq!(Subject::parse(&s.key()), Some(s));
        }
        for bad in [
            "",
            "user:",
            "user:0",
            "user:-1",
            "team:x",
            "group:1",
            "default:1",
        ] {
            assert_eq!(Subject::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn tiers_are_checked_stored_and_read_back() {
        let t = Tiers::new(vec![(0, 500), (1_000_000, 1_000)]).expect("valid");
        assert_eq!(t.stored(), "0:500;1000000:1000");
        assert_eq!(Tiers::parse("0:500;1000000:1000"), Some(t.clone()));
        assert_eq!(Tiers::parse(""), Some(Tiers::default()));
        assert_eq!(
            Tiers::new(vec![(100, 500)]),
            None,
            "the first tier starts at 0"
        );
        assert_eq!(
            Tiers::new(vec![(0, 500), (0, 900)]),
            None,
            "thresholds increase"
        );
        assert_eq!(Tiers::new(vec![(0, 10_001)]), None, "at most 100 %");
        assert_eq!(Tiers::parse("0:5x"), None);
        assert_eq!(Tiers::parse("0:500;"), None);
    }

    #[test]
    fn commission_is_marginal_over_the_tiers() {
        // 5 % to 10,000.00 and 10 % above: 15,000.00 earns 500 + 500.
        let t = Tiers::new(vec![(0, 500), (1_000_000, 1_000)]).expect("valid");
        assert_eq!(t.commission(1_500_000), 100_000);
        assert_eq!(t.commission(800_000), 40_000);
        assert_eq!(t.commission(-5), 0, "a negative month earns nothing");
        let flat = Tiers::new(vec![(0, 250)]).expect("valid");
        assert_eq!(
            flat.commission(123_456),
            3_086,
            "2.5 % of 1,234.56 = 30.864 → 30.86"
        );
        assert_eq!(Tiers::default().commission(1_000_000), 0);
    }
}
