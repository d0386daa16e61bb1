//! Validated contact data and list options.

use crate::domain::EmailAddress;

/// A contact as entered, after validation.
#[derive(Clone, Debug)]
pub struct ContactInput {
    pub first_name: String,
    pub last_name: String,
    pub email: Option<EmailAddress>,
    pub phone: Option<String>,
    pub company_name: Option<String>,
}

pub const NOTE_MAX_CHARS: usize = 10_000;
pub const PAGE_SIZE: i64 = 25;
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

/// What the list shows: search terms (each must match a name, email, phone
/// or company), order and page.
#[derive(Clone, Debug)]
pub struct ListOptions {
    pub q: String,
    pub terms: Vec<String>,
    pub sort: Sort,
    pub desc: bool,
    pub page: Option<i64>,
}

impl ListOptions {
    pub fn parse(q: &str, sort: &str, dir: &str, page: &str) -> ListOptions {
        let q: String = q.trim().chars().take(200).collect();
        let terms = q
            .split_whitespace()
            .take(MAX_TERMS)
            .map(str::to_string)
            .collect();
        let sort = Sort::parse(sort).unwrap_or(Sort::Updated);
        let desc = match dir {
            "asc" => false,
            "desc" => true,
            _ => sort.default_desc(),
        };
        ListOptions {
            q,
            terms,
            sort,
            desc,
            page: page.trim().parse().ok(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_options_are_lenient() {
        let o = ListOptions::parse("  ada   lovelace ", "bogus", "", "x");
        assert_eq!(o.terms, vec!["ada", "lovelace"]);
        assert_eq!((o.sort, o.desc, o.page), (Sort::Updated, true, None));
        let o = ListOptions::parse("", "name", "desc", "3");
        assert_eq!((o.sort, o.desc, o.page), (Sort::Name, true, Some(3)));
        assert_eq!(
            ListOptions::parse("a b c d e f g", "", "", "").terms.len(),
            MAX_TERMS
        );
    }
}
