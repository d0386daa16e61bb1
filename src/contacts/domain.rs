//! Validated contact data, the lifecycle and consent vocabularies, list options.

use crate::domain::EmailAddress;

crate::text_enum! {
    /// The customer lifecycle of the CRM literature. Editable now; derived
    /// from orders once they exist.
    pub enum Lifecycle {
        Prospect = "prospect",
        NewCustomer = "new_customer",
        Growing = "growing",
        Loyal = "loyal",
        Churned = "churned",
    }
}

impl Lifecycle {
    pub fn label(self) -> &'static str {
        match self {
            Lifecycle::Prospect => "Prospect",
            Lifecycle::NewCustomer => "New customer",
            Lifecycle::Growing => "Growing",
            Lifecycle::Loyal => "Loyal",
            Lifecycle::Churned => "Churned",
        }
    }
}

crate::text_enum! {
    /// Consent to marketing email, with when and how it last changed.
    pub enum Consent {
        NeverAsked = "never_asked",
        Subscribed = "subscribed",
        Unsubscribed = "unsubscribed",
        Bounced = "bounced",
    }
}

impl Consent {
    pub fn label(self) -> &'static str {
        match self {
            Consent::NeverAsked => "Never asked",
            Consent::Subscribed => "Subscribed",
            Consent::Unsubscribed => "Unsubscribed",
            Consent::Bounced => "Bounced",
        }
    }
}

/// A contact as entered, after validation.
#[derive(Clone, Debug)]
pub struct ContactInput {
    pub first_name: String,
    pub last_name: String,
    pub email: Option<EmailAddress>,
    pub phone: Option<String>,
    pub title: Option<String>,
    /// Matched to a visible account by name, or a new account is created.
    pub account_name: Option<String>,
    pub address: Option<String>,
    pub city: Option<String>,
    pub country: Option<String>,
    pub lifecycle: Lifecycle,
    pub source: Option<String>,
    pub consent: Consent,
    pub tags: Vec<String>,
}

pub const PAGE_SIZE: i64 = 25;
/// Lists count matches up to this many and say "1,000+" beyond.
pub const COUNT_CAP: i64 = 1_000;
/// Search terms beyond this many are ignored (each adds a filter).
pub const MAX_TERMS: usize = 5;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sort {
    Name,
    Company,
    Email,
    Updated,
    Created,
}

impl Sort {
    pub const ALL: [Sort; 5] = [
        Sort::Name,
        Sort::Company,
        Sort::Email,
        Sort::Updated,
        Sort::Created,
    ];

    pub fn parse(s: &str) -> Option<Sort> {
        Sort::ALL.into_iter().find(|x| x.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Sort::Name => "name",
            Sort::Company => "company",
            Sort::Email => "email",
            Sort::Updated => "updated",
            Sort::Created => "created",
        }
    }

    /// Dates sort newest first by default, text A→Z.
    pub fn default_desc(self) -> bool {
        matches!(self, Sort::Updated | Sort::Created)
    }
}

/// Narrowing filters of the contact list (all optional, combined with AND).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filters {
    pub owner: Option<i64>,
    pub tag: Option<String>,
    pub lifecycle: Option<Lifecycle>,
    pub consent: Option<Consent>,
    pub city: Option<String>,
    pub account: Option<i64>,
}

impl Filters {
    pub fn is_empty(&self) -> bool {
        *self == Filters::default()
    }
}

/// What the list shows: search terms (each must match a name, email, phone
/// or company), filters, order and page.
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
                lifecycle: Lifecycle::parse(q.lifecycle.trim()),
                consent: Consent::parse(q.consent.trim()),
                city: short(&q.city, 100),
                account: q.account.trim().parse().ok(),
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
    use crate::contacts::forms::ListQuery;

    fn q(q: &str, sort: &str, dir: &str, page: &str) -> ListQuery {
        ListQuery {
            q: q.into(),
            sort: sort.into(),
            dir: dir.into(),
            page: page.into(),
            ..ListQuery::default()
        }
    }

    #[test]
    fn list_options_are_lenient() {
        let o = ListOptions::parse(&q("  ada   lovelace ", "bogus", "", "x"));
        assert_eq!(o.terms, vec!["ada", "lovelace"]);
        assert_eq!((o.sort, o.desc, o.page), (Sort::Updated, true, None));
        let o = ListOptions::parse(&q("", "name", "desc", "3"));
        assert_eq!((o.sort, o.desc, o.page), (Sort::Name, true, Some(3)));
        assert_eq!(
            ListOptions::parse(&q("a b c d e f g", "", "", ""))
                .terms
                .len(),
            MAX_TERMS
        );
        let o = ListOptions::parse(&ListQuery {
            lifecycle: "loyal".into(),
            owner: "x".into(),
            city: " Paris ".into(),
            ..ListQuery::default()
        });
        assert_eq!(o.filters.lifecycle, Some(Lifecycle::Loyal));
        assert_eq!(
            (o.filters.owner, o.filters.city.as_deref()),
            (None, Some("Paris"))
        );
    }

    #[test]
    fn vocabularies_round_trip() {
        for l in Lifecycle::ALL {
            assert_eq!(Lifecycle::parse(l.as_str()), Some(*l));
        }
        for c in Consent::ALL {
            assert_eq!(Consent::parse(c.as_str()), Some(*c));
        }
        assert_eq!(Lifecycle::parse("odd"), None);
    }
}
