//! One CSV row as a contact: the values of the mapped columns, and the
//! contact form they amount to (new, or laid over an existing contact), so
//! an import validates exactly as the contact form does.

use super::csvsafe::Row;
use super::mapping::Target;
use crate::contacts::domain::{Consent, Lifecycle};
use crate::contacts::forms::ContactForm;
use crate::contacts::repo::ContactDetail;
use crate::i18n::{Locale, StoredMessage, key};
use crate::web::forms::FieldErrors;

/// The non-empty values a row gives each field.
#[derive(Clone, Debug, Default)]
pub struct Values {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub title: Option<String>,
    pub company: Option<String>,
    pub address: Option<String>,
    pub city: Option<String>,
    pub country: Option<String>,
    pub lifecycle: Option<String>,
    pub consent: Option<String>,
    pub tags: Option<String>,
    pub source: Option<String>,
    /// Non-empty cells beyond the header's columns (an unquoted delimiter).
    pub overflow: bool,
}

impl Values {
    pub fn of(columns: &[Target], row: &Row) -> Values {
        let mut v = Values::default();
        let mut full: Option<&str> = None;
        let mut tags: Vec<&str> = Vec::new();
        for (i, cell) in row.cells.iter().enumerate() {
            if cell.is_empty() {
                continue;
            }
            let Some(target) = columns.get(i) else {
                v.overflow = true;
                continue;
            };
            let slot = match target {
                Target::FirstName => &mut v.first_name,
                Target::LastName => &mut v.last_name,
                Target::Email => &mut v.email,
                Target::Phone => &mut v.phone,
                Target::Title => &mut v.title,
                Target::Company => &mut v.company,
                Target::Address => &mut v.address,
                Target::City => &mut v.city,
                Target::Country => &mut v.country,
                Target::Source => &mut v.source,
                Target::Lifecycle => {
                    v.lifecycle = Some(lifecycle(cell));
                    continue;
                }
                Target::Consent => {
                    v.consent = Some(consent(cell));
                    continue;
                }
                Target::FullName => {
                    full = Some(cell);
                    continue;
                }
                Target::Tags => {
                    tags.push(cell);
                    continue;
                }
                Target::Ignore => continue,
            };
            *slot = Some(cell.clone());
        }
        if let Some(full) = full
            && v.first_name.is_none()
            && v.last_name.is_none()
        {
            let (first, last) = split_name(full);
            v.first_name = first;
            v.last_name = last;
        }
        if !tags.is_empty() {
            v.tags = Some(tags.join(","));
        }
        v
    }

    /// The contact form for a new contact.
    pub fn new_contact(&self) -> ContactForm {
        let s = |o: &Option<String>| o.clone().unwrap_or_default();
        ContactForm {
            first_name: s(&self.first_name),
            last_name: s(&self.last_name),
            email: s(&self.email),
            phone: s(&self.phone),
            title: s(&self.title),
            account_name: s(&self.company),
            address: s(&self.address),
            city: s(&self.city),
            country: s(&self.country),
            lifecycle: s(&self.lifecycle),
            source: s(&self.source),
            consent: s(&self.consent),
            tags: s(&self.tags),
            ..ContactForm::default()
        }
    }

    /// The contact form for an existing contact: the row's values replace
    /// the contact's, empty cells keep what it has, tags are added.
    pub fn onto(&self, c: &ContactDetail, tags: &[String]) -> ContactForm {
        let pick = |new: &Option<String>, old: &str| new.clone().unwrap_or_else(|| old.to_string());
        let old = |o: &Option<String>| o.clone().unwrap_or_default();
        let mut all_tags = tags.join(",");
        if let Some(t) = &self.tags {
            all_tags = format!("{all_tags},{t}");
        }
        ContactForm {
            first_name: pick(&self.first_name, &c.first_name),
            last_name: pick(&self.last_name, &c.last_name),
            email: pick(&self.email, c.email.as_deref().unwrap_or("")),
            phone: pick(&self.phone, &old(&c.phone)),
            title: pick(&self.title, &old(&c.title)),
            account_name: pick(&self.company, &old(&c.account_name)),
            address: pick(&self.address, &old(&c.address)),
            city: pick(&self.city, &old(&c.city)),
            country: pick(&self.country, &old(&c.country)),
            lifecycle: pick(&self.lifecycle, c.lifecycle.as_str()),
            source: pick(&self.source, &old(&c.source)),
            consent: pick(&self.consent, c.consent.as_str()),
            tags: all_tags,
            ..ContactForm::default()
        }
    }
}

/// "Ada Lovelace" → (Ada, Lovelace); "Lovelace, Ada" → (Ada, Lovelace);
/// "Ada Byron King" → (Ada Byron, King); "Ada" → (Ada, —).
pub fn split_name(full: &str) -> (Option<String>, Option<String>) {
    let some = |s: &str| {
        let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
        (!s.is_empty()).then_some(s)
    };
    if let Some((last, first)) = full.split_once(',') {
        return (some(first), some(last));
    }
    let full = full.trim();
    match full.rsplit_once(char::is_whitespace) {
        Some((first, last)) => (some(first), some(last)),
        None => (some(full), None),
    }
}

fn folded(s: &str) -> String {
    s.trim()
        .to_lowercase()
        .chars()
        .map(|c| if c == ' ' || c == '-' { '_' } else { c })
        .collect()
}

/// True when `k` (see `folded`) is the message `label_key` in a language we speak.
fn is_label(k: &str, label_key: &str) -> bool {
    crate::i18n::Lang::ALL
        .into_iter()
        .any(|lang| folded(&Locale::new(lang, chrono_tz::Tz::UTC).t(label_key)) == k)
}

/// A stage as written ("New customer", "new_customer", "LOYAL", "忠实客户")
/// → its code; anything else is left for validation to refuse.
fn lifecycle(cell: &str) -> String {
    let k = folded(cell);
    Lifecycle::ALL
        .iter()
        .find(|l| l.as_str() == k || is_label(&k, l.label_key()))
        .map_or_else(|| cell.to_string(), |l| l.as_str().to_string())
}

/// Consent as written, including yes/no columns ("no" counts as
/// unsubscribed: never email someone on a guess).
fn consent(cell: &str) -> String {
    let k = folded(cell);
    let found = match k.as_str() {
        "yes" | "y" | "true" | "1" | "opt_in" | "opted_in" | "optin" => Some(Consent::Subscribed),
        "no" | "n" | "false" | "0" | "opt_out" | "opted_out" | "optout" => {
            Some(Consent::Unsubscribed)
        }
        _ => Consent::ALL
            .iter()
            .copied()
            .find(|c| c.as_str() == k || is_label(&k, c.label_key())),
    };
    found.map_or_else(|| cell.to_string(), |c| c.as_str().to_string())
}

/// The form's fields, with the message key naming each in a row error
/// (English keeps the mapping's column codes).
const FIELDS: [(&str, &str); 13] = [
    ("first_name", key("import-field-first_name")),
    ("last_name", key("import-field-last_name")),
    ("email", key("import-field-email")),
    ("phone", key("import-field-phone")),
    ("title", key("import-field-title")),
    ("account_name", key("import-field-company")),
    ("address", key("import-field-address")),
    ("city", key("import-field-city")),
    ("country", key("import-field-country")),
    ("lifecycle", key("import-field-lifecycle")),
    ("consent", key("import-field-consent")),
    ("tags", key("import-field-tags")),
    ("source", key("import-field-source")),
];

/// "email: Enter a valid email address…; phone: …" in field order, as a
/// message to store (worded when the report is read).
pub fn problem(errors: &FieldErrors) -> StoredMessage {
    let each = FIELDS.iter().filter_map(|(field, name)| {
        let (field, name) = (*field, *name);
        let said = match (errors.message(field), errors.get(field)) {
            (Some(m), _) => StoredMessage::from(m),
            // A check that has no key yet: its text as it is.
            (None, Some(text)) => StoredMessage::new(key("import-row-text")).text("text", text),
            (None, None) => return None,
        };
        Some(
            StoredMessage::new(key("import-row-field-error"))
                .label("field", name)
                .message("message", said),
        )
    });
    StoredMessage::list(key("import-row-errors"), each.collect())
        .unwrap_or_else(|| StoredMessage::new(key("import-row-invalid")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_names_and_reads_vocabularies() {
        assert_eq!(
            split_name("  Ada   Byron King "),
            (Some("Ada Byron".into()), Some("King".into()))
        );
        assert_eq!(
            split_name("Lovelace, Ada"),
            (Some("Ada".into()), Some("Lovelace".into()))
        );
        assert_eq!(split_name("Ada"), (Some("Ada".into()), None));
        assert_eq!(lifecycle("New customer"), "new_customer");
        assert_eq!(lifecycle("vip"), "vip");
        assert_eq!(consent("Yes"), "subscribed");
        assert_eq!(consent("Never asked"), "never_asked");
    }
}
