use std::collections::BTreeMap;

use askama::Template;

use super::domain::{ListOptions, Size, Sort};
use super::forms::AccountForm;
use super::repo::{AccountDetail, AccountRow};
use crate::auth::policy::Action;
use crate::contacts::repo::ContactRow;
use crate::domain::ids::AccountId;
use crate::records::views::TimelinePanel;
use crate::tasks::views::TaskPanel;
use crate::web::Section;
use crate::web::forms::FieldErrors;
use crate::web::page::sorting;
use crate::web::{Chrome, CurrentUser, Pager};

/// Options for the filter menus of the list.
#[derive(Default)]
pub struct FilterChoices {
    pub owners: Vec<(i64, String)>,
    pub tags: Vec<String>,
    pub industries: Vec<String>,
    pub cities: Vec<String>,
}

#[derive(Template)]
#[template(path = "accounts/list.html", blocks = ["results"])]
pub struct ListPage {
    pub chrome: Chrome,
    pub opts: ListOptions,
    pub pager: Pager,
    pub rows: Vec<AccountRow>,
    pub tags: BTreeMap<i64, Vec<String>>,
    pub choices: FilterChoices,
    pub can_create: bool,
}

impl ListPage {
    pub fn new(
        user: &CurrentUser,
        opts: ListOptions,
        pager: Pager,
        rows: Vec<AccountRow>,
        tags: BTreeMap<i64, Vec<String>>,
        choices: FilterChoices,
    ) -> Self {
        ListPage {
            chrome: Chrome::new(user, Section::Accounts),
            opts,
            pager,
            rows,
            tags,
            choices,
            can_create: user.can(Action::AccountsWrite),
        }
    }

    /// The query string of the current filters and search (no sort or page).
    pub fn filter_query(&self) -> String {
        let f = &self.opts.filters;
        let mut s = url::form_urlencoded::Serializer::new(String::new());
        if !self.opts.q.is_empty() {
            s.append_pair("q", &self.opts.q);
        }
        if let Some(o) = f.owner {
            s.append_pair("owner", &o.to_string());
        }
        if let Some(t) = &f.tag {
            s.append_pair("tag", t);
        }
        if let Some(i) = &f.industry {
            s.append_pair("industry", i);
        }
        if let Some(c) = &f.city {
            s.append_pair("city", c);
        }
        s.finish()
    }

    fn url(&self, sort: Sort, desc: bool, page: i64) -> String {
        sorting::list_url("/accounts", &self.filter_query(), sort.as_str(), desc, page)
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
        sorting::mark(self.opts.sort.as_str() == key, self.opts.desc)
    }

    pub fn aria_sort(&self, key: &str) -> &'static str {
        sorting::aria(self.opts.sort.as_str() == key, self.opts.desc)
    }

    pub fn page_url(&self, page: i64) -> String {
        self.url(self.opts.sort, self.opts.desc, page)
    }

    pub fn tags_of(&self, id: &i64) -> &[String] {
        self.tags.get(id).map_or(&[], Vec::as_slice)
    }

    pub fn owner_is(&self, id: &i64) -> bool {
        self.opts.filters.owner == Some(*id)
    }

    pub fn tag_is(&self, t: &str) -> bool {
        self.opts.filters.tag.as_deref() == Some(t)
    }

    pub fn industry_is(&self, i: &str) -> bool {
        self.opts.filters.industry.as_deref() == Some(i)
    }

    pub fn city_is(&self, c: &str) -> bool {
        self.opts.filters.city.as_deref() == Some(c)
    }

    pub fn filtered(&self) -> bool {
        !self.opts.filters.is_empty() || !self.opts.q.is_empty()
    }
}

#[derive(Template)]
#[template(path = "accounts/form.html")]
pub struct FormPage {
    pub chrome: Chrome,
    /// None while creating.
    pub account_id: Option<AccountId>,
    pub form: AccountForm,
    pub errors: FieldErrors,
    pub owners: Vec<(i64, String)>,
    pub can_assign: bool,
    /// Known industries, offered as suggestions.
    pub industries: Vec<String>,
}

impl FormPage {
    pub fn new(
        user: &CurrentUser,
        account_id: Option<AccountId>,
        form: AccountForm,
        errors: FieldErrors,
        owners: Vec<(i64, String)>,
        industries: Vec<String>,
    ) -> Self {
        FormPage {
            chrome: Chrome::new(user, Section::Accounts),
            account_id,
            form,
            errors,
            can_assign: !owners.is_empty(),
            owners,
            industries,
        }
    }

    pub fn title(&self) -> &'static str {
        if self.account_id.is_some() {
            "Edit account"
        } else {
            "New account"
        }
    }

    pub fn action(&self) -> String {
        self.account_id
            .map_or("/accounts".into(), |id| format!("/accounts/{id}"))
    }

    pub fn owner_selected(&self, id: &i64) -> bool {
        self.form.owner() == Some(*id)
    }

    pub fn sizes(&self) -> &'static [Size] {
        Size::ALL
    }

    pub fn size_selected(&self, s: &Size) -> bool {
        self.form.size == s.as_str()
    }

    pub fn duplicate_of(&self) -> Option<&String> {
        self.errors.get("duplicate")
    }
}

#[derive(Template)]
#[template(path = "accounts/show.html")]
pub struct ShowPage {
    pub chrome: Chrome,
    pub account: AccountDetail,
    pub tags: Vec<String>,
    /// The first visible contacts, by name, and how many there are in all.
    pub contacts: Vec<ContactRow>,
    pub contact_total: i64,
    /// Its own entries and its contacts'.
    pub timeline: TimelinePanel,
    /// Open tasks on the account, with a quick-add form.
    pub task_panel: TaskPanel,
    pub can_edit: bool,
    pub can_delete: bool,
}

impl ShowPage {
    pub fn new(
        user: &CurrentUser,
        account: AccountDetail,
        tags: Vec<String>,
        (contacts, contact_total): (Vec<ContactRow>, i64),
        timeline: TimelinePanel,
        task_panel: TaskPanel,
    ) -> Self {
        ShowPage {
            chrome: Chrome::new(user, Section::Accounts),
            account,
            tags,
            contacts,
            contact_total,
            timeline,
            task_panel,
            can_edit: user.can(Action::AccountsWrite),
            can_delete: user.can(Action::AccountsDelete),
        }
    }

    pub fn size(&self) -> &str {
        self.account.size.map_or("—", Size::label)
    }

    /// More contacts than the page lists.
    pub fn more_contacts(&self) -> bool {
        self.contact_total > self.contacts.len() as i64
    }
}
