use serde::Deserialize;

use super::domain::{AccountInput, Domain, Size};
use crate::i18n::Locale;
use crate::records::forms::{line, phone, tags};
use crate::web::forms::{FieldErrors, optional};

#[derive(Deserialize, Default, Debug, Clone)]
#[serde(default)]
pub struct AccountForm {
    pub name: String,
    pub domain: String,
    pub industry: String,
    pub size: String,
    pub phone: String,
    pub address: String,
    pub city: String,
    pub country: String,
    /// Comma-separated.
    pub tags: String,
    /// Honoured only for users allowed to assign owners.
    pub owner_id: String,
    /// Ticked to save despite the duplicate-name warning.
    pub allow_duplicate: String,
}

impl AccountForm {
    /// Errors come back in `loc`'s language.
    pub fn validate(&self, loc: &Locale) -> Result<AccountInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let text = |e: &mut FieldErrors, field: &str, value: &str, max: usize| {
            line(loc, e, field, value, max)
        };
        let name = text(&mut e, "name", &self.name, 200).unwrap_or_default();
        if name.is_empty() {
            e.add("name", loc.t("accounts-error-name"));
        }
        let domain = match optional(&self.domain) {
            None => None,
            Some(raw) => Domain::parse(&raw)
                .map_err(|m| e.add("domain", loc.message(&m)))
                .ok(),
        };
        let industry = text(&mut e, "industry", &self.industry, 100);
        let size = match self.size.trim() {
            "" => None,
            s => Size::parse(s).or_else(|| {
                e.add("size", loc.t("accounts-error-size"));
                None
            }),
        };
        let phone = phone(loc, &mut e, &self.phone);
        let address = text(&mut e, "address", &self.address, 300);
        let city = text(&mut e, "city", &self.city, 100);
        let country = text(&mut e, "country", &self.country, 100);
        let tags = tags(loc, &mut e, &self.tags);
        e.into_result()?;
        Ok(AccountInput {
            name,
            domain,
            industry,
            size,
            phone,
            address,
            city,
            country,
            tags,
        })
    }

    pub fn allow_duplicate(&self) -> bool {
        !self.allow_duplicate.trim().is_empty()
    }

    pub fn owner(&self) -> Option<i64> {
        self.owner_id.trim().parse().ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(name: &str, domain: &str, size: &str) -> AccountForm {
        AccountForm {
            name: name.into(),
            domain: domain.into(),
            size: size.into(),
            ..AccountForm::default()
        }
    }

    #[test]
    fn requires_a_name_and_checks_fields() {
        let e = form(" ", "", "")
            .validate(&Locale::default())
            .expect_err("no name");
        assert!(e.get("name").is_some());
        let e = form("Acme", "http://acme.example", "huge")
            .validate(&Locale::default())
            .expect_err("bad");
        assert!(e.get("domain").is_some() && e.get("size").is_some());
        let ok = form(" Acme Ltd ", "ACME.example", "51-200")
            .validate(&Locale::default())
            .expect("valid");
        assert_eq!(ok.name, "Acme Ltd");
        assert_eq!(
            ok.domain.map(|d| d.as_str().to_string()),
            Some("acme.example".into())
        );
        assert_eq!(ok.size, Some(Size::Medium));
        let e = form(&"x".repeat(201), "", "")
            .validate(&Locale::default())
            .expect_err("long");
        assert!(e.get("name").unwrap_or(&String::new()).contains("200"));
        let bad = AccountForm {
            phone: "call me".into(),
            city: "Line\nBreak".into(),
            ..form("Acme", "", "")
        };
        let e = bad
            .validate(&Locale::default())
            .expect_err("bad phone and city");
        assert!(e.get("phone").is_some() && e.get("city").is_some());
    }
}
