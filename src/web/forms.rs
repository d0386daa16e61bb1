//! Form errors keyed by field name, shown beside the field in templates.

use std::collections::BTreeMap;

use validator::ValidationErrors;

use crate::i18n::{Locale, Message};

/// The message beside each field, in the words of the form's viewer; those
/// added with `add_message` also keep their key, for errors that are
/// stored and worded again later (an import's row errors).
#[derive(Clone, Debug, Default)]
pub struct FieldErrors(BTreeMap<String, String>, BTreeMap<String, Message>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    /// Keeps the first message per field.
    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0
            .entry(field.to_string())
            .or_insert_with(|| message.into());
    }

    /// Adds the message in `loc`'s words and keeps its key.
    pub fn add_message(&mut self, field: &str, loc: &Locale, m: Message) {
        if !self.0.contains_key(field) {
            self.0.insert(field.to_string(), loc.message(&m));
            self.1.insert(field.to_string(), m);
        }
    }

    /// The field's message as a key, when it was added with one.
    pub fn message(&self, field: &str) -> Option<&Message> {
        self.1.get(field)
    }

    pub fn get(&self, field: &str) -> Option<&String> {
        self.0.get(field)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Takes in another form's errors, each beside the field `rename`
    /// names (a form made of several records' forms).
    pub fn absorb(&mut self, other: FieldErrors, rename: impl Fn(&str) -> String) {
        for (field, message) in other.0 {
            let to = rename(&field);
            match other.1.get(&field) {
                Some(m) if !self.0.contains_key(&to) => {
                    self.0.insert(to.clone(), message);
                    self.1.insert(to, m.clone());
                }
                _ => self.add(&to, message),
            }
        }
    }

    /// Fails with these errors unless there are none.
    pub fn into_result(self) -> Result<(), FieldErrors> {
        if self.is_empty() { Ok(()) } else { Err(self) }
    }
}

impl From<ValidationErrors> for FieldErrors {
    fn from(errors: ValidationErrors) -> Self {
        let mut out = FieldErrors::new();
        for (field, errs) in errors.field_errors() {
            if let Some(e) = errs.first() {
                let msg = e
                    .message
                    .as_ref()
                    .map(|m| m.to_string())
                    .unwrap_or_else(|| "This value is not valid.".into());
                out.add(&field, msg);
            }
        }
        out
    }
}

/// Trims a form value; empty becomes None.
pub fn optional(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// True when every key and value of an urlencoded body decodes to valid
/// UTF-8. Browsers always send UTF-8; anything else is refused (400) rather
/// than stored with replacement characters.
pub fn is_utf8_form(body: &[u8]) -> bool {
    std::str::from_utf8(body).is_ok()
        && body
            .split(|b| *b == b'&')
            .flat_map(|pair| pair.splitn(2, |b| *b == b'='))
            .all(|part| percent_encoding::percent_decode(part).decode_utf8().is_ok())
}

#[cfg(test)]
mod tests {
    use super::is_utf8_form;

    #[test]
    fn rejects_invalid_utf8_raw_or_percent_encoded() {
        assert!(is_utf8_form(b"name=Ada+L%C3%B6velace&x="));
        assert!(!is_utf8_form(b"name=Team%20A%ff%fe"));
        assert!(!is_utf8_form(b"name=Team \xff"));
        assert!(!is_utf8_form(&[b'a', b'=', 0xc3, 0x28]));
        assert!(!is_utf8_form(b"last_name=%ed%a0%80"));
    }
}
