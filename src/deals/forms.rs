//! The deal form and the move form: strings in, checked values out, errors
//! in the viewer's language beside the fields. Links to a contact and an
//! account are resolved against the viewer's scope in `save`.

use chrono::NaiveDate;
use serde::Deserialize;

use super::domain::{DealSource, NOTE_MAX, TITLE_MAX};
use crate::domain::ids::{LostReasonId, StageId};
use crate::i18n::Locale;
use crate::i18n::format::{is_currency, parse_minor};
use crate::pipelines::domain::{PROBABILITY_MAX, parse_bounded};
use crate::web::forms::FieldErrors;

#[derive(Deserialize, Default, Debug, Clone)]
#[serde(default)]
pub struct DealForm {
    pub title: String,
    /// The contact's email or id number.
    pub contact: String,
    /// The account's name.
    pub account: String,
    pub value: String,
    pub currency: String,
    pub probability: String,
    pub expected_close: String,
    pub source: String,
    /// New deals only: the open stage to start in (its pipeline follows).
    pub stage_id: String,
    pub owner_id: String,
    pub tags: String,
    /// Edits only: the version the form was drawn from.
    pub version: String,
}

/// The fields that need no database, checked.
pub struct Checked {
    pub title: String,
    pub value_minor: i64,
    pub currency: String,
    pub probability: Option<i32>,
    pub expected_close: Option<NaiveDate>,
    pub source: DealSource,
    pub stage: Option<StageId>,
    pub tags: Vec<String>,
    pub version: Option<i32>,
}

impl DealForm {
    pub fn check(&self, l: &Locale, errors: &mut FieldErrors) -> Checked {
        let title = self.title.trim().to_string();
        if title.is_empty() {
            errors.add("title", l.t("deals-error-title"));
        } else if title.chars().count() > TITLE_MAX {
            errors.add(
                "title",
                l.t_num("deals-error-title-long", "max", TITLE_MAX as i64),
            );
        } else if title.chars().any(char::is_control) {
            errors.add("title", l.t("records-error-control"));
        }
        let currency = self.currency.trim().to_ascii_uppercase();
        if !is_currency(&currency) {
            errors.add("currency", l.t("error-choose-currency"));
        }
        let value_minor = if self.value.trim().is_empty() {
            0
        } else {
            parse_minor(&self.value, &currency).unwrap_or_else(|| {
                errors.add("value", l.t("deals-error-value"));
                0
            })
        };
        let probability = parse_bounded(&self.probability, PROBABILITY_MAX).unwrap_or_else(|_| {
            errors.add("probability", l.t("deals-error-probability"));
            None
        });
        let expected_close = match self.expected_close.trim() {
            "" => None,
            s => NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map_err(|_| errors.add("expected_close", l.t("deals-error-date")))
                .ok(),
        };
        let source = DealSource::parse(self.source.trim()).unwrap_or_else(|| {
            errors.add("source", l.t("deals-error-source"));
            DealSource::Other
        });
        let tags = crate::tags::parse(&self.tags).unwrap_or_else(|m| {
            errors.add("tags", l.message(&m));
            Vec::new()
        });
        Checked {
            title,
            value_minor,
            currency,
            probability,
            expected_close,
            source,
            stage: StageId::parse(&self.stage_id),
            tags,
            version: self.version.trim().parse().ok(),
        }
    }
}

/// The move form of a card or a deal page.
#[derive(Deserialize, Default, Debug, Clone)]
#[serde(default)]
pub struct MoveForm {
    pub stage_id: String,
    pub version: String,
    pub lost_reason_id: String,
    pub lost_note: String,
    /// The page to return to: the board (with its filters) or the deal.
    pub back: String,
}

impl MoveForm {
    pub fn stage(&self) -> Option<StageId> {
        StageId::parse(&self.stage_id)
    }

    pub fn version(&self) -> Option<i32> {
        self.version.trim().parse().ok()
    }

    pub fn reason(&self) -> Option<LostReasonId> {
        LostReasonId::parse(&self.lost_reason_id)
    }

    /// The note, trimmed and cut to its maximum (None when empty).
    pub fn note(&self) -> Option<String> {
        let n: String = self.lost_note.trim().chars().take(NOTE_MAX).collect();
        (!n.is_empty()).then_some(n)
    }

    /// Where to go afterwards: a page of the pipeline only (never another
    /// site), else the board.
    pub fn back(&self) -> String {
        back_to(&self.back)
    }
}

/// Where a board form returns: a page of the pipeline only (never another
/// site), else the board.
pub fn back_to(raw: &str) -> String {
    let b = raw.trim();
    let ours = (b == "/leads" || b.starts_with("/leads?") || b.starts_with("/leads/"))
        && !b.contains("//")
        && !b.contains('\\')
        && !b.chars().any(char::is_control);
    if ours { b.to_string() } else { "/leads".into() }
}

/// The board's filters in a `back` address (its query string).
pub fn query_of(back: &str) -> crate::web::list::Params {
    crate::web::list::Params::from_query(back.split_once('?').map_or("", |(_, q)| q))
}

/// A column's quick-add form: title and value (currency defaults to the
/// workspace's), optionally who it is with; the stage is the column's,
/// the owner the user.
#[derive(Deserialize, Default, Debug, Clone)]
#[serde(default)]
pub struct QuickForm {
    pub title: String,
    pub value: String,
    pub currency: String,
    /// Optional: a contact's email address or an account's name.
    pub party: String,
    pub back: String,
}

impl QuickForm {
    /// The party as the deal form's (contact, account) fields: an email
    /// address names a contact, anything else an account.
    pub fn party_fields(&self) -> (String, String) {
        let p = self.party.trim();
        if p.contains('@') {
            (p.to_string(), String::new())
        } else {
            (String::new(), p.to_string())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moves_return_only_to_pipeline_pages() {
        let back = |b: &str| {
            MoveForm {
                back: b.into(),
                ..MoveForm::default()
            }
            .back()
        };
        assert_eq!(
            back("/leads?pipeline=2&owner=3"),
            "/leads?pipeline=2&owner=3"
        );
        assert_eq!(back("/leads/7"), "/leads/7");
        for bad in [
            "https://evil.example",
            "//evil.example",
            "/leads//evil",
            "/contacts",
            "",
        ] {
            assert_eq!(back(bad), "/leads", "{bad}");
        }
    }

    #[test]
    fn deal_forms_check_their_fields() {
        let l = Locale::default();
        let mut e = FieldErrors::new();
        let form = DealForm {
            title: " ".into(),
            value: "12.345".into(),
            currency: "usd".into(),
            probability: "101".into(),
            expected_close: "31/12/2026".into(),
            source: "rumour".into(),
            ..DealForm::default()
        };
        form.check(&l, &mut e);
        for f in ["title", "value", "probability", "expected_close", "source"] {
            assert!(e.get(f).is_some(), "{f}");
        }
        assert!(e.get("currency").is_none(), "codes are upper-cased");
    }
}
