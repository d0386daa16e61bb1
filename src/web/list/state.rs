//! What a list template needs beyond its rows: the search box, filter
//! menus, sortable headers, page-size picker, pager links and the saved
//! views bar — all rendered by the macros in `templates/partials/_list.html`.

use super::PAGE_SIZES;
use super::options::{FilterSet, ListOptions, SortKey};
use super::pager::Pager;
use crate::i18n::{Arg, Locale, key};

/// A list's fixed description.
#[derive(Debug)]
pub struct ListMeta {
    /// Names the list in saved views (`contacts`).
    pub key: &'static str,
    /// Its path (`/contacts`).
    pub base: &'static str,
    /// "Search contacts" (the search box's label).
    pub search_label: &'static str,
    pub search_hint: &'static str,
    pub columns: &'static [Column],
    /// Users may save views of this list.
    pub saved_views: bool,
}

/// A column header; `sort` names the sort key its link orders by.
#[derive(Debug)]
pub struct Column {
    pub label: &'static str,
    pub sort: Option<&'static str>,
}

impl Column {
    /// A header that sorts the list by `key`.
    pub const fn sorted(label: &'static str, key: &'static str) -> Column {
        Column {
            label,
            sort: Some(key),
        }
    }

    pub const fn plain(label: &'static str) -> Column {
        Column { label, sort: None }
    }
}

/// A filter menu (`options`) or, without options, a text field.
#[derive(Clone, Debug)]
pub struct FilterField {
    pub name: &'static str,
    pub label: &'static str,
    /// The menu's "any" choice ("Any stage").
    pub any: &'static str,
    /// (value, label) pairs.
    pub options: Vec<(String, String)>,
    pub value: String,
    /// A text field rather than a menu.
    pub text: bool,
    /// The text field's input type (`text`, `date`).
    pub input: &'static str,
}

impl FilterField {
    pub fn select(
        name: &'static str,
        label: &'static str,
        any: &'static str,
        options: Vec<(String, String)>,
        value: Option<String>,
    ) -> FilterField {
        FilterField {
            name,
            label,
            any,
            options,
            value: value.unwrap_or_default(),
            text: false,
            input: "text",
        }
    }

    /// The owner menu of a record list (`(id, name)` of the choosable users).
    pub fn owner(owners: Vec<(i64, String)>, selected: Option<i64>) -> FilterField {
        let options = owners
            .into_iter()
            .map(|(id, n)| (id.to_string(), n))
            .collect();
        FilterField::select(
            "owner",
            key("list-owner"),
            key("list-anyone"),
            options,
            selected.map(|o| o.to_string()),
        )
    }

    /// A menu whose values are their own labels.
    pub fn names(
        name: &'static str,
        label: &'static str,
        any: &'static str,
        names: &[String],
        value: Option<&str>,
    ) -> FilterField {
        let options = names.iter().map(|n| (n.clone(), n.clone())).collect();
        FilterField::select(name, label, any, options, value.map(str::to_string))
    }

    pub fn text(name: &'static str, label: &'static str, value: Option<&str>) -> FilterField {
        FilterField {
            name,
            label,
            any: "",
            options: Vec::new(),
            value: value.unwrap_or_default().to_string(),
            text: true,
            input: "text",
        }
    }

    /// A day (`<input type=date>`, `YYYY-MM-DD`).
    pub fn date(
        name: &'static str,
        label: &'static str,
        value: Option<chrono::NaiveDate>,
    ) -> FilterField {
        FilterField {
            input: "date",
            ..FilterField::text(name, label, value.map(|d| d.to_string()).as_deref())
        }
    }

    /// Menus without choices are left out.
    pub fn shown(&self) -> bool {
        self.text || !self.options.is_empty()
    }
}

/// A saved view as the bar above a list links to it.
#[derive(Clone, Debug)]
pub struct ViewLink {
    pub id: i64,
    pub name: String,
    pub href: String,
    /// Shared by a team mate (not the viewer's own).
    pub team: bool,
    pub current: bool,
}

/// The state of one rendered list page.
#[derive(Clone, Debug)]
pub struct ListState {
    pub meta: &'static ListMeta,
    pub q: String,
    pub sort: &'static str,
    pub desc: bool,
    pub per_page: i64,
    pub filtered: bool,
    /// Search and filters as a query string (no sort, size or page).
    pub filter_query: String,
    /// The canonical query of the view (what "Save view" keeps).
    pub view_query: String,
    pub pager: Pager,
    pub filters: Vec<FilterField>,
    /// Pinned saved views, and whether the viewer has any others.
    pub views: Vec<ViewLink>,
    /// Each sort key and whether it starts descending.
    sorts: Vec<(&'static str, bool)>,
}

impl ListState {
    pub fn new<S: SortKey, F: FilterSet>(
        meta: &'static ListMeta,
        opts: &ListOptions<S, F>,
        pager: Pager,
        filters: Vec<FilterField>,
    ) -> ListState {
        let mut s = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in opts.filter_pairs() {
            s.append_pair(k, &v);
        }
        ListState {
            meta,
            q: opts.q.clone(),
            sort: opts.sort.key(),
            desc: opts.desc,
            per_page: opts.per_page,
            filtered: opts.filtered(),
            filter_query: s.finish(),
            view_query: opts.view_query(),
            pager,
            filters,
            views: Vec::new(),
            sorts: S::ALL.iter().map(|s| (s.key(), s.default_desc())).collect(),
        }
    }

    /// Marks the saved view showing exactly this list.
    pub fn with_views(mut self, views: Vec<ViewLink>) -> ListState {
        self.views = views
            .into_iter()
            .map(|v| ViewLink {
                current: v.href == format!("{}?{}", self.meta.base, self.view_query),
                ..v
            })
            .collect();
        self
    }

    /// `{base}?{filters}&sort=…&dir=…[&per_page=…][&{extra}]`.
    fn url(&self, sort: &str, desc: bool, extra: Option<(&str, &str)>) -> String {
        let mut s = url::form_urlencoded::Serializer::new(String::new());
        s.append_pair("sort", sort);
        s.append_pair("dir", if desc { "desc" } else { "asc" });
        if self.per_page != PAGE_SIZES[0] {
            s.append_pair("per_page", &self.per_page.to_string());
        }
        if let Some((k, v)) = extra {
            s.append_pair(k, v);
        }
        let sep = if self.filter_query.is_empty() {
            ""
        } else {
            "&"
        };
        format!(
            "{}?{}{sep}{}",
            self.meta.base,
            self.filter_query,
            s.finish()
        )
    }

    /// A column header's link: toggles direction on the current column,
    /// starts a new one in its natural direction (dates newest first).
    pub fn sort_url(&self, key: &str) -> String {
        let desc = if key == self.sort {
            !self.desc
        } else {
            self.sorts.iter().any(|(k, d)| *k == key && *d)
        };
        self.url(key, desc, None)
    }

    /// The arrow shown in the header of the sorted column.
    pub fn mark(&self, key: &str) -> &'static str {
        match (key == self.sort, self.desc) {
            (false, _) => "",
            (true, false) => "▲",
            (true, true) => "▼",
        }
    }

    /// The header's `aria-sort` value.
    pub fn aria(&self, key: &str) -> &'static str {
        match (key == self.sort, self.desc) {
            (false, _) => "none",
            (true, false) => "ascending",
            (true, true) => "descending",
        }
    }

    pub fn next_url(&self) -> String {
        let next = self.pager.next.as_deref().unwrap_or_default();
        self.url(self.sort, self.desc, Some(("after", next)))
    }

    pub fn prev_url(&self) -> String {
        match &self.pager.prev {
            Some(c) => self.url(self.sort, self.desc, Some(("before", c))),
            None => self.url(self.sort, self.desc, None),
        }
    }

    pub fn page_sizes(&self) -> [i64; 3] {
        PAGE_SIZES
    }

    pub fn dir(&self) -> &'static str {
        if self.desc { "desc" } else { "asc" }
    }

    /// "26–50 of 1,000+" (or "3 matches" on a page past the end).
    pub fn range_label(&self, loc: &Locale) -> String {
        let p = &self.pager;
        let total = Arg::Text(p.total_label(loc));
        if p.shown > 0 {
            let (first, last) = (p.first_row(), p.last_row());
            loc.t_args(
                "list-range",
                &[
                    ("first", Arg::Text(loc.number(first))),
                    ("last", Arg::Text(loc.number(last))),
                    ("total", total),
                ],
            )
        } else {
            loc.t_args(
                "list-total",
                &[("count", Arg::Num(p.total)), ("total", total)],
            )
        }
    }

    /// "Page 2 of 3", or "Page 2" when the count is capped.
    pub fn page_label(&self, loc: &Locale) -> String {
        let p = &self.pager;
        let page = Arg::Text(loc.number(p.page));
        if p.exact {
            let pages = Arg::Text(loc.number(p.last_page()));
            loc.t_args("list-page-of", &[("page", page), ("pages", pages)])
        } else {
            loc.t_args("list-page", &[("page", page)])
        }
    }

    /// `?…` the list's filters, for links such as the CSV export.
    pub fn filters_href(&self, path: &str) -> String {
        format!("{path}?{}", self.filter_query)
    }
}
