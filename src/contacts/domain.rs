//! Validated contact data, the lifecycle and consent vocabularies, list options.

use crate::domain::EmailAddress;
use crate::i18n::key;
use crate::web::list::{Col, FilterSet, Params};

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
    /// The stage's name, a message key.
    pub fn label_key(self) -> &'static str {
        match self {
            Lifecycle::Prospect => key("contacts-stage-prospect"),
            Lifecycle::NewCustomer => key("contacts-stage-new-customer"),
            Lifecycle::Growing => key("contacts-stage-growing"),
            Lifecycle::Loyal => key("contacts-stage-loyal"),
            Lifecycle::Churned => key("contacts-stage-churned"),
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
    /// The status's name, a message key.
    pub fn label_key(self) -> &'static str {
        match self {
            Consent::NeverAsked => key("contacts-consent-never-asked"),
            Consent::Subscribed => key("contacts-consent-subscribed"),
            Consent::Unsubscribed => key("contacts-consent-unsubscribed"),
            Consent::Bounced => key("contacts-consent-bounced"),
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
    /// The preferred language; only the contact form sets it
    /// (`repo::set_language`), so imports and merges leave it alone.
    pub language: Option<crate::i18n::Lang>,
}

crate::sort_keys! {
    /// The orders of the contact list, each served by an index
    /// (`ix_contacts_name`, `_email`, `_updated`, `_created`,
    /// `_company_sort`: the account's name copied onto the contact).
    pub enum Sort: "contacts.id", default Updated {
        Name: "name", asc, [Col::text("contacts.last_name"), Col::text("contacts.first_name")];
        Company: "company", asc, [Col::text("contacts.company_sort").nullable()];
        Email: "email", asc, [Col::text("contacts.email").nullable()];
        Updated: "updated", desc, [Col::time("contacts.updated_at")];
        Created: "created", desc, [Col::time("contacts.created_at")];
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

impl FilterSet for Filters {
    fn parse(p: &Params) -> Filters {
        Filters {
            owner: p.id("owner"),
            tag: p.text("tag", 50),
            lifecycle: Lifecycle::parse(p.get("lifecycle").trim()),
            consent: Consent::parse(p.get("consent").trim()),
            city: p.text("city", 100),
            account: p.id("account"),
        }
    }

    fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        if let Some(o) = self.owner {
            out.push(("owner", o.to_string()));
        }
        if let Some(t) = &self.tag {
            out.push(("tag", t.clone()));
        }
        if let Some(l) = self.lifecycle {
            out.push(("lifecycle", l.as_str().to_string()));
        }
        if let Some(c) = self.consent {
            out.push(("consent", c.as_str().to_string()));
        }
        if let Some(c) = &self.city {
            out.push(("city", c.clone()));
        }
        if let Some(a) = self.account {
            out.push(("account", a.to_string()));
        }
        out
    }
}

/// What the list shows: search terms (each must match a name, email, phone
/// or company), filters, order and page.
pub type ListOptions = crate::web::list::ListOptions<Sort, Filters>;

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(query: &str) -> ListOptions {
        ListOptions::parse(&Params::from_query(query)).expect("options")
    }

    #[test]
    fn list_options_are_lenient() {
        let o = parse("q=++ada+++lovelace+&sort=bogus&page=x");
        assert_eq!(o.terms, vec!["ada", "lovelace"]);
        assert_eq!((o.sort, o.desc, o.page), (Sort::Updated, true, None));
        let o = parse("sort=name&dir=desc&page=3&per_page=50");
        assert_eq!(
            (o.sort, o.desc, o.page, o.per_page),
            (Sort::Name, true, Some(3), 50)
        );
        assert_eq!(parse("per_page=30").per_page, 25, "only 25, 50 or 100");
        assert_eq!(
            parse("q=a+b+c+d+e+f+g").terms.len(),
            crate::web::list::MAX_TERMS
        );
        let o = parse("lifecycle=loyal&owner=x&city=+Paris+");
        assert_eq!(o.filters.lifecycle, Some(Lifecycle::Loyal));
        assert_eq!(
            (o.filters.owner, o.filters.city.as_deref()),
            (None, Some("Paris"))
        );
        assert_eq!(
            o.view_query(),
            "lifecycle=loyal&city=Paris&sort=updated&dir=desc"
        );
        assert!(ListOptions::parse(&Params::from_query("after=zz")).is_err());
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
