//! What a sender form holds, checked.

use crate::domain::EmailAddress;
use crate::i18n::Locale;
use crate::web::forms::FieldErrors;
use crate::web::list::Params;

/// How long a mailed confirmation link stays valid.
pub const VERIFY_DAYS: i64 = 7;

/// A new link for the same address is mailed at most this often.
pub const RESEND_AFTER_SECS: i64 = 60;

/// The add form as typed.
#[derive(Debug, Clone, Default)]
pub struct SenderInput {
    pub name: String,
    pub email: String,
}

/// A sender ready to be stored: a display name without line breaks and a
/// valid address, lower-cased (addresses are compared that way).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSender {
    pub name: String,
    pub email: String,
}

impl SenderInput {
    pub fn from_params(p: &Params) -> Self {
        SenderInput {
            name: p.get("name").to_string(),
            email: p.get("email").to_string(),
        }
    }

    pub fn check(&self, l: &Locale) -> Result<NewSender, FieldErrors> {
        let mut e = FieldErrors::new();
        crate::campaigns::forms::header_error(&mut e, l, "name", &self.name);
        let name = self.name.trim().to_string();
        if name.is_empty() && e.get("name").is_none() {
            e.add("name", l.t("campaigns-senders-name-required"));
        } else if name.chars().count() > 200 {
            e.add("name", l.t("campaigns-too-long"));
        }
        // Trimmed, lower-cased, at most 254 characters.
        let email = match EmailAddress::parse(&self.email) {
            Ok(a) => a.as_str().to_string(),
            Err(_) => {
                e.add("email", l.t("campaigns-bad-email"));
                String::new()
            }
        };
        e.into_result().map(|()| NewSender { name, email })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(name: &str, email: &str) -> SenderInput {
        SenderInput {
            name: name.into(),
            email: email.into(),
        }
    }

    #[test]
    fn a_name_and_an_address_make_a_sender() {
        let s = input("  News team ", " News@Shop.Example ")
            .check(&Locale::default())
            .expect("valid");
        assert_eq!(
            s,
            NewSender {
                name: "News team".into(),
                email: "news@shop.example".into()
            }
        );
    }

    #[test]
    fn line_breaks_missing_names_and_bad_addresses_are_refused() {
        let l = Locale::default();
        let e = input("News\r\nBcc: x@y.example", "news@shop.example")
            .check(&l)
            .unwrap_err();
        assert!(e.get("name").is_some());
        let e = input("  ", "not-an-address").check(&l).unwrap_err();
        assert!(e.get("name").is_some());
        assert!(e.get("email").is_some());
        let e = input("News", "news@shop.example\r\nBcc: x@y.example")
            .check(&l)
            .unwrap_err();
        assert!(e.get("email").is_some());
        let long = format!("{}@shop.example", "a".repeat(250));
        assert!(
            input("News", &long)
                .check(&l)
                .unwrap_err()
                .get("email")
                .is_some()
        );
        assert!(input(&"n".repeat(201), "a@b.example").check(&l).is_err());
    }
}
