use serde::Deserialize;

use super::domain::{ContactInput, NOTE_MAX_CHARS};
use crate::domain::EmailAddress;
use crate::web::forms::{FieldErrors, optional};

#[derive(Deserialize, Default, Debug, Clone)]
#[serde(default)]
pub struct ContactForm {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: String,
    pub company_name: String,
    /// Honoured only for users allowed to assign owners.
    pub owner_id: String,
}

fn max_chars(errors: &mut FieldErrors, field: &str, value: &str, max: usize) {
    if value.trim().chars().count() > max {
        errors.add(field, format!("Use at most {max} characters."));
    }
}

fn no_controls(errors: &mut FieldErrors, field: &str, value: &str) {
    if value.chars().any(|c| c.is_control() && c != '\t') {
        errors.add(field, "Remove line breaks and control characters.");
    }
}

impl ContactForm {
    pub fn validate(&self) -> Result<ContactInput, FieldErrors> {
        let mut errors = FieldErrors::new();
        for (field, value, max) in [
            ("first_name", &self.first_name, 100),
            ("last_name", &self.last_name, 100),
            ("phone", &self.phone, 50),
            ("company_name", &self.company_name, 200),
        ] {
            no_controls(&mut errors, field, value);
            max_chars(&mut errors, field, value, max);
        }
        if self.first_name.trim().is_empty() && self.last_name.trim().is_empty() {
            errors.add("first_name", "Enter a first or last name.");
        }
        let email = match optional(&self.email) {
            None => None,
            Some(raw) => EmailAddress::parse(&raw)
                .map_err(|m| errors.add("email", m))
                .ok(),
        };
        let phone = optional(&self.phone);
        if let Some(p) = &phone {
            let allowed = p
                .chars()
                .all(|c| c.is_ascii_digit() || " +-().x/".contains(c));
            if !allowed || !p.chars().any(|c| c.is_ascii_digit()) {
                errors.add(
                    "phone",
                    "Use digits, spaces and + - ( ) only, like +44 20 7946 0958.",
                );
            }
        }
        errors.into_result()?;
        Ok(ContactInput {
            first_name: self.first_name.trim().to_string(),
            last_name: self.last_name.trim().to_string(),
            email,
            phone,
            company_name: optional(&self.company_name),
        })
    }

    pub fn owner(&self) -> Option<i64> {
        self.owner_id.trim().parse().ok()
    }
}

#[derive(Deserialize, Default, Debug, Clone)]
#[serde(default)]
pub struct NoteForm {
    pub body: String,
}

impl NoteForm {
    pub fn validate(&self) -> Result<String, String> {
        let body = self.body.trim();
        if body.is_empty() {
            return Err("Write something first.".into());
        }
        if body.chars().count() > NOTE_MAX_CHARS {
            return Err(format!("A note has at most {NOTE_MAX_CHARS} characters."));
        }
        Ok(body.to_string())
    }
}

#[derive(Deserialize, Default, Debug)]
#[serde(default)]
pub struct ListQuery {
    pub q: String,
    pub sort: String,
    pub dir: String,
    pub page: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(first: &str, last: &str, email: &str, phone: &str) -> ContactForm {
        ContactForm {
            first_name: first.into(),
            last_name: last.into(),
            email: email.into(),
            phone: phone.into(),
            ..ContactForm::default()
        }
    }

    #[test]
    fn requires_a_name_and_checks_fields() {
        let e = form("", " ", "", "").validate().expect_err("no name");
        assert!(e.get("first_name").is_some());
        let e = form("Ada", "", "nope", "abc").validate().expect_err("bad");
        assert!(e.get("email").is_some() && e.get("phone").is_some());
        let ok = form(" Ada ", "Lovelace", "ADA@Example.com", "+44 (20) 7946-0958")
            .validate()
            .expect("valid");
        assert_eq!(ok.first_name, "Ada");
        assert_eq!(
            ok.email.map(|e| e.as_str().to_string()),
            Some("ada@example.com".into())
        );
        let e = form(&"x".repeat(101), "", "", "")
            .validate()
            .expect_err("long");
        assert!(e.get("first_name").is_some());
    }
}
