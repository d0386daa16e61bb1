//! Validated account data, the size bands, the domain rule, list options.

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
    pub fn label(self) -> &'static str {
        match self {
            Size::Micro => "1–10 employees",
            Size::Small => "11–50 employees",
            Size::Medium => "51–200 employees",
            Size::Large => "201–1,000 employees",
            Size::Enterprise => "More than 1,000 employees",
        }
    }
}

/// A web domain such as `example.co.uk`: lower case, no scheme, path or port.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Domain(String);

pub const DOMAIN_MAX: usize = 253;

impl Domain {
    pub fn parse(raw: &str) -> Result<Domain, String> {
        let d = raw.trim().to_ascii_lowercase();
        if d.contains("://") {
            return Err("Enter the domain only, like example.com (without http://).".into());
        }
        if d.chars().count() > DOMAIN_MAX {
            return Err(format!("Use at most {DOMAIN_MAX} characters."));
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
            return Err("Use letters, digits, dots and hyphens only, like example.com.".into());
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

pub const PAGE_SIZE: i64 = 25;
/// Search terms beyond this many are ignored (each adds a filter).
pub const MAX_TERMS: usize = 5;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sort {
    Name,
    Industry,
    City,
    Updated,
    Created,
}

impl Sort {
    pub const ALL: [Sort; 5] = [
        Sort::Name,
        Sort::Industry,
        Sort::City,
        Sort::Updated,
        Sort::Created,
    ];

    pub fn parse(s: &str) -> Option<Sort> {
        Sort::ALL.into_iter().find(|x| x.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Sort::Name => "name",
            Sort::Industry => "industry",
            Sort::City => "city",
            Sort::Updated => "updated",
            Sort::Created => "created",
        }
    }

    /// Dates sort newest first by default, text A→Z.
    pub fn default_desc(self) -> bool {
        matches!(self, Sort::Updated | Sort::Created)
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

impl Filters {
    pub fn is_empty(&self) -> bool {
        *self == Filters::default()
    }
}

/// What the list shows: search terms (each must match the name, domain,
/// city or phone), filters, order and page.
#[derive(Clone, Debug)]
pub struct ListOptions {
    pub q: String,
    pub terms: Vec<String>,
    pub filters: Filters,
    pub sort: Sort,
    pub desc: bool,
    pub page: Option<i64>,
}

fn short(s: &str, max: usize) -> Option<String> {
    let t: String = s.trim().chars().take(max).collect();
    (!t.is_empty()).then_some(t)
}

impl ListOptions {
    pub fn parse(q: &super::forms::ListQuery) -> ListOptions {
        let text: String = q.q.trim().chars().take(200).collect();
        let terms = text
            .split_whitespace()
            .take(MAX_TERMS)
            .map(str::to_string)
            .collect();
        let sort = Sort::parse(&q.sort).unwrap_or(Sort::Updated);
        let desc = match q.dir.as_str() {
            "asc" => false,
            "desc" => true,
            _ => sort.default_desc(),
        };
        ListOptions {
            q: text,
            terms,
            filters: Filters {
                owner: q.owner.trim().parse().ok(),
                tag: short(&q.tag, 50),
                industry: short(&q.industry, 100),
                city: short(&q.city, 100),
            },
            sort,
            desc,
            page: q.page.trim().parse().ok(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accounts::forms::ListQuery;

    #[test]
    fn domains_are_plain_lower_case_host_names() {
        assert_eq!(
            Domain::parse(" Example.CO.uk ").map(|d| d.as_str().to_string()),
            Ok("example.co.uk".into())
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
        assert!(
            Domain::parse("http://example.com")
                .expect_err("scheme")
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
            Size::parse("1000+").map(Size::label),
            Some("More than 1,000 employees")
        );
    }

    #[test]
    fn list_options_are_lenient() {
        let o = ListOptions::parse(&ListQuery {
            q: "  acme   ltd ".into(),
            sort: "bogus".into(),
            page: "x".into(),
            owner: "y".into(),
            industry: " Retail ".into(),
            ..ListQuery::default()
        });
        assert_eq!(o.terms, vec!["acme", "ltd"]);
        assert_eq!((o.sort, o.desc, o.page), (Sort::Updated, true, None));
        assert_eq!(
            (o.filters.owner, o.filters.industry.as_deref()),
            (None, Some("Retail"))
        );
        let o = ListOptions::parse(&ListQuery {
            sort: "name".into(),
            page: "2".into(),
            ..ListQuery::default()
        });
        assert_eq!((o.sort, o.desc, o.page), (Sort::Name, false, Some(2)));
        assert!(o.filters.is_empty());
    }
}
