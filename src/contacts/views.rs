use askama::Template;

use super::domain::{ListOptions, Sort};
use super::forms::ContactForm;
use super::repo::{ActivityRow, ContactDetail, ContactRow};
use crate::web::forms::FieldErrors;
use crate::web::{Chrome, Pager};

#[derive(Template)]
#[template(path = "contacts/list.html", blocks = ["results"])]
pub struct ListPage {
    pub chrome: Chrome,
    pub opts: ListOptions,
    pub pager: Pager,
    pub rows: Vec<ContactRow>,
    pub can_create: bool,
}

impl ListPage {
    fn url(&self, sort: Sort, desc: bool, page: i64) -> String {
        let mut s = url::form_urlencoded::Serializer::new(String::new());
        if !self.opts.q.is_empty() {
            s.append_pair("q", &self.opts.q);
        }
        s.append_pair("sort", sort.as_str());
        s.append_pair("dir", if desc { "desc" } else { "asc" });
        if page > 1 {
            s.append_pair("page", &page.to_string());
        }
        format!("/contacts?{}", s.finish())
    }

    /// Link for a column header: toggles direction on the current column.
    pub fn sort_url(&self, key: &str) -> String {
        let sort = Sort::parse(key).unwrap_or(Sort::Updated);
        let desc = if sort == self.opts.sort {
            !self.opts.desc
        } else {
            sort.default_desc()
        };
        self.url(sort, desc, 1)
    }

    pub fn sort_mark(&self, key: &str) -> &'static str {
        match (self.opts.sort.as_str() == key, self.opts.desc) {
            (false, _) => "",
            (true, false) => "▲",
            (true, true) => "▼",
        }
    }

    pub fn aria_sort(&self, key: &str) -> &'static str {
        match (self.opts.sort.as_str() == key, self.opts.desc) {
            (false, _) => "none",
            (true, false) => "ascending",
            (true, true) => "descending",
        }
    }

    pub fn page_url(&self, page: i64) -> String {
        self.url(self.opts.sort, self.opts.desc, page)
    }
}

#[derive(Template)]
#[template(path = "contacts/form.html")]
pub struct FormPage {
    pub chrome: Chrome,
    pub title: String,
    pub action: String,
    pub cancel_url: String,
    pub form: ContactForm,
    pub errors: FieldErrors,
    pub owners: Vec<(i64, String)>,
    pub can_assign: bool,
}

impl FormPage {
    pub fn owner_selected(&self, id: &i64) -> bool {
        self.form.owner() == Some(*id)
    }
}

#[derive(Template)]
#[template(path = "contacts/show.html", blocks = ["timeline"])]
pub struct ShowPage {
    pub chrome: Chrome,
    pub contact: ContactDetail,
    pub timeline: Vec<ActivityRow>,
    pub note_body: String,
    pub note_error: Option<String>,
    pub can_edit: bool,
    pub can_delete: bool,
}

/// "Ada Lovelace", or whichever half exists.
pub fn full_name(first: &str, last: &str) -> String {
    match (first.is_empty(), last.is_empty()) {
        (false, false) => format!("{first} {last}"),
        (false, true) => first.to_string(),
        _ => last.to_string(),
    }
}

impl ContactRow {
    pub fn name(&self) -> String {
        full_name(&self.first_name, &self.last_name)
    }
}

impl ContactDetail {
    pub fn name(&self) -> String {
        full_name(&self.first_name, &self.last_name)
    }
}
