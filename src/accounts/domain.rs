//! Validated account data, the size bands, the domain rule, list options.

use crate::i18n::{Message, key};
use crate::web::list::{Col, FilterSet, Params};

crate::text_enum! {
    /// Company size by head count (`accounts.size`).
    pub enum Size {
        Micro = "1-10",
        Small = "11-50",
        Medium = "51-200",
        Large = "201-1000",
        Enterprise = "1000+",
    }
}

impl Size {
    /// The band's name, a message key.
    pub fn label_key(self) -> &'static str {
        match self {
            Size::Micro => key("accounts-size-micro"),
            Size::Small => key("accounts-size-small"),
            Size::Medium => key("accounts-size-medium"),
            Size::Large => key("accounts-size-large"),
            Size::Enterprise => key("accounts-size-enterprise"),
        }
    }
}

/// A web domain such as `example.co.uk`: lower case, no scheme, path or port.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Domain(String);

pub const DOMAIN_MAX: usize = 253;

impl Domain {
    pub fn parse(raw: &str) -> Result<Domain, Message> {
        let d = raw.trim().to_ascii_lowercase();
        if d.contains("://") {
            return Err(Message::key(key("accounts-error-domain-scheme")));
        }
        if d.chars().count() > DOMAIN_MAX {
            return Err(Message::Key(
                key("records-error-max"),
                vec![("max", (DOMAIN_MAX as i64).into())],
            ));
        }
        let labels: Vec<&str> = d.split('.').collect();
        let label_ok = |l: &&str| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        };
        let tld_ok = labels
            .last()
            .is_some_and(|t| t.chars().any(|c| c.is_ascii_alphabetic()));
        if labels.len() < 2 || !labels.iter().all(label_ok) || !tld_ok {
            return Err(Message::key(key("accounts-error-domain-chars")));
        }
        Ok(Domain(d))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An account as entered, after validation.
#[derive(Clone, Debug)]
pub struct AccountInput {
    pub name: String,
    pub domain: Option<Domain>,
    pub industry: Option<String>,
    pub size: Option<Size>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub city: Option<String>,
    pub country: Option<String>,
    pub tags: Vec<String>,
}

crate::sort_keys! {
    /// The orders of the account list, each indexed (`ix_accounts_name`,
    /// `_industry`, `_city`, `_updated`, `_created`).
    pub enum Sort: "accounts.id", default Updated {
        Name: "name", asc, [Col::text("accounts.name")];
        Industry: "industry", asc, [Col::text("accounts.industry").nullable()];
        City: "city", asc, [Col::text("accounts.city").nullable()];
        Updated: "updated", desc, [Col::time("accounts.updated_at")];
        Created: "created", desc, [Col::time("accounts.created_at")];
    }
}

/// Narrowing filters of the account list (all optional, combined with AND).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filters {
    pub owner: Option<i64>,
    pub tag: Option<String>,
    pub industry: Option<String>,
    pub city: Option<String>,
}

impl FilterSet for Filters {
    fn parse(p: &Params) -> Filters {
        Filters {
            owner: p.id("owner"),
            tag: p.text("tag", 50),
            industry: p.text("industry", 100),
            city: p.text("city", 100),
        }
    }

    fn pairs(&self) -> Vec<(&'static str, String)> {
        let texts = [
            ("tag", &self.tag),
            ("industry", &self.industry),
            ("city", &self.city),
        ];
        self.owner
            .map(|o| ("owner", o.to_string()))
            .into_iter()
            .chain(
                texts
                    .into_iter()
                    .filter_map(|(k, v)| v.as_ref().map(|v| (k, v.clone()))),
            )
            .collect()
    }
}

/// What the list shows: search terms (each must match the name, domain,
/// city or phone), filters, order and page.
pub type ListOptions = crate::web::list::ListOptions<Sort, Filters>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domains_are_plain_lower_case_host_names() {
        assert_eq!(
            Domain::parse(" Example.CO.uk ")
                .map(|d| d.as_str().to_string())
                .ok(),
            Some("example.co.uk".into())
        );
        assert!(Domain::parse("my-shop.example").is_ok());
        for bad in [
            "https://example.com",
            "example",
            "exa mple.com",
            "example.com/about",
            "example..com",
            "-example.com",
            "example.com:8080",
            "ex_ample.com",
            "10.0.0.1",
            "bücher.example",
        ] {
            assert!(Domain::parse(bad).is_err(), "{bad}");
        }
        let scheme = Domain::parse("http://example.com").expect_err("scheme");
        assert!(
            crate::i18n::Locale::default()
                .message(&scheme)
                .contains("http://")
        );
        assert!(Domain::parse(&format!("{}.com", "a".repeat(64))).is_err());
    }

    #[test]
    fn sizes_round_trip() {
        for &s in Size::ALL {
            assert_eq!(Size::parse(s.as_str()), Some(s));
        }
        assert_eq!(Size::parse("odd"), None);
        assert_eq!(
            Size::parse("1000+").map(|s| crate::i18n::Locale::default().t(s.label_key())),
            Some("More than 1,000 employees".to_string())
        );
    }

    #[test]
    fn list_options_are_lenient() {
        let parse = |q: &str| ListOptions::parse(&Params::from_query(q)).expect("options");
        let o = parse("q=++acme+++ltd+&sort=bogus&page=x&owner=y&industry=+Retail+");
        assert_eq!(o.terms, vec!["acme", "ltd"]);
        assert_eq!((o.sort, o.desc, o.page), (Sort::Updated, true, None));
        assert_eq!(
            (o.filters.owner, o.filters.industry.as_deref()),
            (None, Some("Retail"))
        );
        let o = parse("sort=name&page=2");
        assert_eq!((o.sort, o.desc, o.page), (Sort::Name, false, Some(2)));
        assert!(o.filters.is_empty());
    }
}
