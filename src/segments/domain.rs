//! A segment's filter: what a marketer picks on the form, kept as JSON on
//! the segment row, parsed from the form with errors beside the fields.
//! Rule segments are evaluated in SQL every time (`repo::matching`); a
//! static list is the contacts its addresses named when it was saved.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::contacts::domain::{Consent, Lifecycle};
use crate::domain::EmailAddress;
use crate::i18n::Locale;
use crate::web::forms::FieldErrors;
use crate::web::list::Params;

/// Longest static list typed into the form.
pub const STATIC_MAX: usize = 5_000;

/// A saved filter. Every condition is optional; all given must hold.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Filter {
    #[serde(default)]
    pub tag: Option<String>,
    #[serde(default)]
    pub lifecycle: Option<String>,
    #[serde(default)]
    pub consent: Option<String>,
    #[serde(default)]
    pub city: Option<String>,
    #[serde(default)]
    pub country: Option<String>,
    #[serde(default)]
    pub owner_id: Option<i64>,
    #[serde(default)]
    pub created_from: Option<NaiveDate>,
    #[serde(default)]
    pub created_to: Option<NaiveDate>,
    /// Order facts (the extension point over `orders`): a confirmed order
    /// within this many days. Further facts (total spent …) go beside it,
    /// each one clause in `repo::order_facts`.
    #[serde(default)]
    pub ordered_within_days: Option<i64>,
    /// Total spent at least this much, in minor units of the workspace's
    /// currency (the order figures the insights job keeps per contact,
    /// `customer_metrics.revenue_minor`, refreshed nightly).
    #[serde(default)]
    pub spent_at_least_minor: Option<i64>,
    /// A static list: exactly these contacts (the rules above are ignored).
    #[serde(default)]
    pub contact_ids: Option<Vec<i64>>,
}

impl Filter {
    pub fn is_static(&self) -> bool {
        self.contact_ids.is_some()
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{}".into())
    }

    /// A stored filter; an unreadable one matches nothing rather than all.
    pub fn from_json(raw: &str) -> Filter {
        serde_json::from_str(raw).unwrap_or(Filter {
            contact_ids: Some(Vec::new()),
            ..Filter::default()
        })
    }

    pub fn lifecycle(&self) -> Option<Lifecycle> {
        self.lifecycle.as_deref().and_then(Lifecycle::parse)
    }

    pub fn consent(&self) -> Option<Consent> {
        self.consent.as_deref().and_then(Consent::parse)
    }
}

/// The form as typed (strings), kept to re-render it.
#[derive(Clone, Debug, Default)]
pub struct SegmentForm {
    pub name: String,
    /// "rules" or "static".
    pub kind: String,
    pub tag: String,
    pub lifecycle: String,
    pub consent: String,
    pub city: String,
    pub country: String,
    pub owner_id: String,
    pub created_from: String,
    pub created_to: String,
    pub ordered_within_days: String,
    /// An amount in the workspace's currency (`12.50`); `filter_of` reads it.
    pub spent_at_least: String,
    /// A static list's addresses, one per line (or comma separated).
    pub emails: String,
}

fn opt(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

impl SegmentForm {
    pub fn from_params(p: &Params) -> SegmentForm {
        let g = |k: &str| p.get(k).chars().take(200).collect::<String>();
        SegmentForm {
            name: g("name"),
            kind: if p.get("kind") == "static" {
                "static".into()
            } else {
                "rules".into()
            },
            tag: g("tag"),
            lifecycle: g("lifecycle"),
            consent: g("consent"),
            city: g("city"),
            country: g("country"),
            owner_id: g("owner_id"),
            created_from: g("created_from"),
            created_to: g("created_to"),
            ordered_within_days: g("ordered_within_days"),
            spent_at_least: g("spent_at_least"),
            emails: p.get("emails").chars().take(200_000).collect(),
        }
    }

    /// Whether the form was filled at all (a preview request) or is fresh.
    pub fn is_blank(&self) -> bool {
        self.name.is_empty()
            && self.kind == "rules"
            && [
                &self.tag,
                &self.lifecycle,
                &self.consent,
                &self.city,
                &self.country,
                &self.owner_id,
                &self.created_from,
                &self.created_to,
                &self.ordered_within_days,
                &self.spent_at_least,
                &self.emails,
            ]
            .iter()
            .all(|s| s.trim().is_empty())
    }

    /// The form of a saved filter; `currency` writes its amounts.
    pub fn of(name: &str, f: &Filter, emails: String, currency: &str) -> SegmentForm {
        SegmentForm {
            name: name.to_string(),
            kind: if f.is_static() { "static" } else { "rules" }.into(),
            tag: f.tag.clone().unwrap_or_default(),
            lifecycle: f.lifecycle.clone().unwrap_or_default(),
            consent: f.consent.clone().unwrap_or_default(),
            city: f.city.clone().unwrap_or_default(),
            country: f.country.clone().unwrap_or_default(),
            owner_id: f.owner_id.map(|o| o.to_string()).unwrap_or_default(),
            created_from: f.created_from.map(|d| d.to_string()).unwrap_or_default(),
            created_to: f.created_to.map(|d| d.to_string()).unwrap_or_default(),
            ordered_within_days: f
                .ordered_within_days
                .map(|d| d.to_string())
                .unwrap_or_default(),
            spent_at_least: f
                .spent_at_least_minor
                .map(|m| crate::i18n::format::plain_amount(m, currency))
                .unwrap_or_default(),
            emails,
        }
    }

    /// The static list's addresses, each checked.
    pub fn addresses(&self, errors: &mut FieldErrors, l: &Locale) -> Vec<String> {
        let mut out = Vec::new();
        for raw in self.emails.split([',', '\n', ';', '\r']) {
            let raw = raw.trim();
            if raw.is_empty() {
                continue;
            }
            match EmailAddress::parse(raw) {
                Ok(e) => out.push(e.as_str().to_string()),
                Err(_) => {
                    errors.add("emails", l.t_str("segments-bad-email", "address", raw));
                    return Vec::new();
                }
            }
        }
        out.sort();
        out.dedup();
        if out.len() > STATIC_MAX {
            errors.add("emails", l.t("segments-too-many"));
        }
        out
    }

    /// The rules as a filter (a static list's ids are added by the caller),
    /// with the errors of the fields that do not parse.
    pub fn rules(&self, errors: &mut FieldErrors, l: &Locale, currency: &str) -> Filter {
        let date = |field: &str, raw: &str, errors: &mut FieldErrors| {
            opt(raw).and_then(|r| match NaiveDate::parse_from_str(&r, "%Y-%m-%d") {
                Ok(d) => Some(d),
                Err(_) => {
                    errors.add(field, l.t("segments-bad-date"));
                    None
                }
            })
        };
        let lifecycle = opt(&self.lifecycle);
        if lifecycle
            .as_deref()
            .is_some_and(|l| Lifecycle::parse(l).is_none())
        {
            errors.add("lifecycle", l.t("segments-bad-choice"));
        }
        let consent = opt(&self.consent);
        if consent
            .as_deref()
            .is_some_and(|c| Consent::parse(c).is_none())
        {
            errors.add("consent", l.t("segments-bad-choice"));
        }
        let owner_id = opt(&self.owner_id).and_then(|o| match o.parse::<i64>() {
            Ok(n) if n > 0 => Some(n),
            _ => {
                errors.add("owner_id", l.t("segments-bad-choice"));
                None
            }
        });
        let ordered_within_days =
            opt(&self.ordered_within_days).and_then(|d| match d.parse::<i64>() {
                Ok(n) if (1..=36_500).contains(&n) => Some(n),
                _ => {
                    errors.add("ordered_within_days", l.t("segments-bad-days"));
                    None
                }
            });
        let spent_at_least_minor = opt(&self.spent_at_least).and_then(|raw| {
            match crate::i18n::format::parse_minor(&raw, currency) {
                Some(m) if m >= 0 => Some(m),
                _ => {
                    errors.add("spent_at_least", l.t("segments-bad-amount"));
                    None
                }
            }
        });
        let created_from = date("created_from", &self.created_from, errors);
        let created_to = date("created_to", &self.created_to, errors);
        Filter {
            tag: opt(&self.tag),
            lifecycle,
            consent,
            city: opt(&self.city),
            country: opt(&self.country),
            owner_id,
            created_from,
            created_to,
            ordered_within_days,
            spent_at_least_minor,
            contact_ids: None,
        }
    }

    /// The segment's name, required.
    pub fn checked_name(&self, errors: &mut FieldErrors, l: &Locale) -> String {
        let n = self.name.trim();
        if n.is_empty() {
            errors.add("name", l.t("segments-name-required"));
        }
        n.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> Params {
        Params(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
    }

    #[test]
    fn rules_parse_and_round_trip_as_json() {
        let form = SegmentForm::from_params(&params(&[
            ("name", "Shanghai buyers"),
            ("city", " Shanghai "),
            ("consent", "subscribed"),
            ("ordered_within_days", "90"),
            ("created_from", "2026-01-01"),
        ]));
        let mut errors = FieldErrors::new();
        let f = form.rules(&mut errors, &Locale::default(), "CNY");
        assert!(errors.is_empty());
        assert_eq!(f.city.as_deref(), Some("Shanghai"));
        assert_eq!(f.ordered_within_days, Some(90));
        assert_eq!(Filter::from_json(&f.to_json()), f);
    }

    #[test]
    fn bad_values_are_errors_beside_their_fields() {
        let form = SegmentForm::from_params(&params(&[
            ("lifecycle", "nope"),
            ("created_to", "31/12/2026"),
            ("ordered_within_days", "-3"),
            ("owner_id", "x"),
        ]));
        let mut errors = FieldErrors::new();
        form.rules(&mut errors, &Locale::default(), "CNY");
        for field in ["lifecycle", "created_to", "ordered_within_days", "owner_id"] {
            assert!(errors.get(field).is_some(), "{field}");
        }
    }

    #[test]
    fn an_unreadable_stored_filter_matches_nobody() {
        assert_eq!(Filter::from_json("garbage").contact_ids, Some(vec![]));
    }
}
