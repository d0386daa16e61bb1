//! Segments over the figures the insights job stores, for list filters
//! now (the contact list's `rfm=` filter) and the campaigns' segment
//! builder later: [`RfmFilter`] parses a pattern of three scores, each 1–5
//! or `x` for any ("5xx": the most recent fifth; "x55": frequent big
//! spenders), and [`rfm_contacts`] is the subquery of matching contact ids.

use diesel::dsl::{Filter, Like, Select};
use diesel::prelude::*;

use crate::db::schema::customer_metrics as cm;

/// A pattern over RFM codes: recency, frequency, monetary, each 1–5 or x.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RfmFilter(String);

impl RfmFilter {
    pub fn parse(raw: &str) -> Option<RfmFilter> {
        let s = raw.trim().to_ascii_lowercase();
        let ok = s.len() == 3 && s.chars().all(|c| matches!(c, '1'..='5' | 'x'));
        ok.then_some(RfmFilter(s))
    }

    /// As written in the address ("5xx").
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The SQL LIKE pattern ("5__").
    pub fn like(&self) -> String {
        self.0.replace('x', "_")
    }

    /// Whether a stored code matches.
    pub fn matches(&self, code: &str) -> bool {
        code.len() == 3
            && self
                .0
                .chars()
                .zip(code.chars())
                .all(|(p, c)| p == 'x' || p == c)
    }
}

pub type RfmContacts = Select<Filter<cm::table, Like<cm::rfm, String>>, cm::contact_id>;

/// Ids of the contacts whose stored RFM code matches, as a subquery
/// (`contacts::id.eq_any(..)`).
pub fn rfm_contacts(f: &RfmFilter) -> RfmContacts {
    cm::table
        .filter(cm::rfm.like(f.like()))
        .select(cm::contact_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_parse_and_match() {
        let f = RfmFilter::parse(" 5X1 ").expect("valid");
        assert_eq!(f.as_str(), "5x1");
        assert_eq!(f.like(), "5_1");
        assert!(f.matches("531") && f.matches("551"));
        assert!(!f.matches("431") && !f.matches("532"));
        for bad in ["", "55", "5555", "605", "a12", "5%1"] {
            assert_eq!(RfmFilter::parse(bad), None, "{bad}");
        }
    }
}
