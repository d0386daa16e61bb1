//! A list's query string, parsed: search, filters, sort, page size, and
//! where the page starts (`page=`, or a cursor in `after=` / `before=`).

use std::fmt::Debug;

use serde::Deserialize;

use super::cursor::Cursor;
use super::keyset::{self, Col, Key, Pred};
use super::pager::Pager;
use super::{COUNT_CAP, MAX_PAGE, MAX_TERMS, PAGE_SIZES};
use crate::error::AppError;

/// The raw query string, as pairs (a list reads the keys it knows).
#[derive(Deserialize, Debug, Default, Clone)]
#[serde(transparent)]
pub struct Params(pub Vec<(String, String)>);

impl Params {
    /// The first value of `key`, or "".
    pub fn get(&self, key: &str) -> &str {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map_or("", |(_, v)| v.as_str())
    }

    /// A trimmed, shortened value; empty is None.
    pub fn text(&self, key: &str, max: usize) -> Option<String> {
        let t: String = self.get(key).trim().chars().take(max).collect();
        (!t.is_empty()).then_some(t)
    }

    pub fn id(&self, key: &str) -> Option<i64> {
        self.get(key).trim().parse().ok()
    }

    /// A UTC instant written as `super::INSTANT`; anything else is None.
    pub fn instant(&self, key: &str) -> Option<chrono::NaiveDateTime> {
        chrono::NaiveDateTime::parse_from_str(self.get(key).trim(), super::INSTANT).ok()
    }

    /// Fields as given (unit tests of forms).
    pub fn from_pairs(pairs: &[(&str, &str)]) -> Params {
        Params(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
    }

    /// Parses a query string such as a saved view's.
    pub fn from_query(query: &str) -> Params {
        Params(
            url::form_urlencoded::parse(query.trim_start_matches('?').as_bytes())
                .into_owned()
                .collect(),
        )
    }
}

/// The ways a list can be ordered. Each names the SQL columns it sorts by
/// (the list's id column always follows, so ties keep a stable order).
pub trait SortKey: Copy + Eq + Debug + Send + Sync + 'static {
    const ALL: &'static [Self];
    const DEFAULT: Self;
    /// The list's id column, e.g. `contacts.id`.
    const ID: &'static str;
    fn key(self) -> &'static str;
    /// Dates sort newest first by default, text A→Z.
    fn default_desc(self) -> bool;
    fn columns(self) -> &'static [Col];

    fn parse(s: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|x| x.key() == s)
    }
}

/// A list's narrowing filters (all optional, combined with AND).
pub trait FilterSet: Default + Clone + PartialEq + Debug + Send + 'static {
    fn parse(p: &Params) -> Self;
    /// The filters as query pairs, in a fixed order.
    fn pairs(&self) -> Vec<(&'static str, String)>;

    fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// For lists with a search but no filters.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NoFilters;

impl FilterSet for NoFilters {
    fn parse(_: &Params) -> NoFilters {
        NoFilters
    }

    fn pairs(&self) -> Vec<(&'static str, String)> {
        Vec::new()
    }
}

/// A row of a list: its id and its values for a sort key (for cursors).
pub trait Keyed<S> {
    fn id(&self) -> i64;
    fn keys(&self, sort: S) -> Vec<Key>;
}

/// What a list shows: search terms, filters, order, page size and start.
#[derive(Clone, Debug)]
pub struct ListOptions<S, F> {
    /// The search text as typed (trimmed, at most 200 characters).
    pub q: String,
    pub terms: Vec<String>,
    pub filters: F,
    pub sort: S,
    pub desc: bool,
    pub per_page: i64,
    /// `page=`: offset paging (bounded), when there is no cursor.
    pub page: Option<i64>,
    /// The page starts after this row, or (`back`) ends before it.
    pub cursor: Option<Cursor>,
    pub back: bool,
}

fn bad_cursor() -> AppError {
    AppError::refused(crate::i18n::key("error-page-link-damaged"))
}

impl<S: SortKey, F: FilterSet> ListOptions<S, F> {
    /// A list in this order with these filters, first page.
    pub fn new(filters: F, sort: S, desc: bool, per_page: i64) -> Self {
        ListOptions {
            q: String::new(),
            terms: Vec::new(),
            filters,
            sort,
            desc,
            per_page,
            page: None,
            cursor: None,
            back: false,
        }
    }

    /// Lenient about everything but cursors: an unknown sort or page size
    /// falls back to the default; a cursor that does not fit is a 400.
    pub fn parse(p: &Params) -> Result<Self, AppError> {
        let q: String = p.get("q").trim().chars().take(200).collect();
        let sort = S::parse(p.get("sort")).unwrap_or(S::DEFAULT);
        let desc = match p.get("dir") {
            "asc" => false,
            "desc" => true,
            _ => sort.default_desc(),
        };
        let per = p.get("per_page").trim().parse().unwrap_or(0);
        let per_page = PAGE_SIZES
            .into_iter()
            .find(|s| *s == per)
            .unwrap_or(PAGE_SIZES[0]);
        let (token, back) = match (p.get("after"), p.get("before")) {
            ("", "") => ("", false),
            (a, "") => (a, false),
            ("", b) => (b, true),
            _ => return Err(bad_cursor()),
        };
        let cursor = if token.is_empty() {
            None
        } else {
            Some(Cursor::decode(token, sort.key(), desc, sort.columns()).ok_or_else(bad_cursor)?)
        };
        Ok(ListOptions {
            terms: q
                .split_whitespace()
                .take(MAX_TERMS)
                .map(str::to_string)
                .collect(),
            q,
            filters: F::parse(p),
            sort,
            desc,
            per_page,
            page: p.id("page"),
            cursor,
            back,
        })
    }

    /// A search or a filter narrows the list.
    pub fn filtered(&self) -> bool {
        !self.q.is_empty() || !self.filters.is_empty()
    }

    /// The search and filters as query pairs (no sort, size or page).
    pub fn filter_pairs(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        if !self.q.is_empty() {
            out.push(("q", self.q.clone()));
        }
        out.extend(self.filters.pairs());
        out
    }

    /// The whole view as a canonical query string: what a saved view keeps.
    pub fn view_query(&self) -> String {
        let mut s = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in self.filter_pairs() {
            s.append_pair(k, &v);
        }
        s.append_pair("sort", self.sort.key());
        s.append_pair("dir", if self.desc { "desc" } else { "asc" });
        if self.per_page != PAGE_SIZES[0] {
            s.append_pair("per_page", &self.per_page.to_string());
        }
        s.finish()
    }

    /// Walking back from a `before` cursor reads the list in reverse.
    fn reading_desc(&self) -> bool {
        self.desc != (self.back && self.cursor.is_some())
    }

    /// The ORDER BY of this page's query (as SQL).
    pub fn order_sql(&self) -> String {
        keyset::order_by(self.sort.columns(), S::ID, self.reading_desc())
    }

    /// The WHERE that starts the page at its cursor, if it has one.
    pub fn keyset<QS: 'static>(&self) -> Option<Pred<QS>> {
        let c = self.cursor.as_ref()?;
        Some(keyset::after(
            self.sort.columns(),
            &c.keys,
            S::ID,
            c.id,
            self.reading_desc(),
        ))
    }

    /// With `page=` and a count, the page clamped to the ones that exist.
    pub fn settle(mut self, counted: i64) -> Self {
        if self.cursor.is_none() {
            let mut page = self.page.unwrap_or(1).clamp(1, MAX_PAGE);
            if counted <= COUNT_CAP {
                page = page.min(((counted + self.per_page - 1) / self.per_page).max(1));
            }
            self.page = Some(page);
        }
        self
    }

    pub fn offset(&self) -> i64 {
        match self.cursor {
            Some(_) => 0,
            None => (self.page.unwrap_or(1).clamp(1, MAX_PAGE) - 1) * self.per_page,
        }
    }

    /// Rows to fetch: a page, plus one to learn whether another follows.
    pub fn fetch(&self) -> i64 {
        self.per_page + 1
    }

    /// Settles the page against `counted`, fetches it with `fetch` and
    /// finishes it: the options as used, the rows in order, the pager.
    pub fn load<R: Keyed<S>, E>(
        self,
        counted: i64,
        fetch: impl FnOnce(&Self) -> Result<Vec<R>, E>,
    ) -> Result<(Self, Vec<R>, Pager), E> {
        let opts = self.settle(counted);
        let rows = fetch(&opts)?;
        let (rows, pager) = opts.finish(rows, counted);
        Ok((opts, rows, pager))
    }

    /// The page's rows in list order, and the pager with the cursors of its
    /// neighbours. `counted` is a count that stopped at `COUNT_CAP + 1`.
    pub fn finish<R: Keyed<S>>(&self, mut rows: Vec<R>, counted: i64) -> (Vec<R>, Pager) {
        let more = rows.len() as i64 > self.per_page;
        rows.truncate(self.per_page as usize);
        let walking_back = self.back && self.cursor.is_some();
        if walking_back {
            rows.reverse();
        }
        let (page, has_prev, has_next) = match &self.cursor {
            Some(c) if walking_back => (if more { c.page.max(2) } else { 1 }, more, true),
            Some(c) => (c.page.max(2), true, more),
            None => {
                let page = self.page.unwrap_or(1).clamp(1, MAX_PAGE);
                (page, page > 1, more)
            }
        };
        let cursor = |row: &R, page: i64| {
            Cursor {
                sort: self.sort.key().to_string(),
                desc: self.desc,
                page,
                id: row.id(),
                keys: row.keys(self.sort),
            }
            .encode()
        };
        let next = rows
            .last()
            .filter(|_| has_next)
            .map(|r| cursor(r, page + 1));
        // The link back to page 1 is the plain list, without a cursor.
        let prev = rows
            .first()
            .filter(|_| has_prev && page > 2)
            .map(|r| cursor(r, page - 1));
        let pager = Pager {
            page,
            per_page: self.per_page,
            total: counted.min(COUNT_CAP),
            exact: counted <= COUNT_CAP,
            shown: rows.len() as i64,
            has_prev,
            has_next: next.is_some(),
            next,
            prev,
        };
        (rows, pager)
    }
}
