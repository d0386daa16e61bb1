use std::collections::BTreeMap;

use askama::Template;

use super::domain::{ListOptions, Size};
use super::forms::AccountForm;
use super::repo::{AccountDetail, AccountRow};
use crate::auth::policy::Action;
use crate::contacts::repo::ContactRow;
use crate::domain::ids::AccountId;
use crate::i18n::{Arg, key};
use crate::records::views::TimelinePanel;
use crate::tasks::views::TaskPanel;
use crate::web::Section;
use crate::web::forms::FieldErrors;
use crate::web::list::{Column, FilterField, ListMeta, ListState, Pager, ViewLink};
use crate::web::{Chrome, CurrentUser};

/// Options for the filter menus of the list.
#[derive(Default, Clone)]
pub struct FilterChoices {
    pub owners: Vec<(i64, String)>,
    pub tags: Vec<String>,
    pub industries: Vec<String>,
    pub cities: Vec<String>,
}

pub static LIST: ListMeta = ListMeta {
    key: "accounts",
    base: "/accounts",
    search_label: key("accounts-search"),
    search_hint: key("accounts-search-hint"),
    columns: &[
        Column::sorted(key("records-name"), "name"),
        Column::plain(key("accounts-domain")),
        Column::sorted(key("accounts-industry"), "industry"),
        Column::sorted(key("records-city"), "city"),
        Column::plain(key("records-phone")),
        Column::plain(key("records-owner")),
        Column::sorted(key("records-updated"), "updated"),
    ],
    saved_views: true,
};

#[derive(Template)]
#[template(path = "accounts/list.html", blocks = ["results"])]
pub struct ListPage {
    pub chrome: Chrome,
    pub list: ListState,
    pub rows: Vec<AccountRow>,
    pub tags: BTreeMap<i64, Vec<String>>,
    pub can_create: bool,
}

impl ListPage {
    pub fn new(
        user: &CurrentUser,
        (opts, pager, views): (&ListOptions, Pager, Vec<ViewLink>),
        rows: Vec<AccountRow>,
        tags: BTreeMap<i64, Vec<String>>,
        choices: FilterChoices,
    ) -> Self {
        let f = &opts.filters;
        let filters = vec![
            FilterField::owner(choices.owners, f.owner),
            FilterField::names(
                "industry",
                key("accounts-industry"),
                key("accounts-any-industry"),
                &choices.industries,
                f.industry.as_deref(),
            ),
            FilterField::names(
                "tag",
                key("records-tag"),
                key("records-any-tag"),
                &choices.tags,
                f.tag.as_deref(),
            ),
            FilterField::names(
                "city",
                key("records-city"),
                key("accounts-any-city"),
                &choices.cities,
                f.city.as_deref(),
            ),
        ];
        ListPage {
            chrome: Chrome::new(user, Section::Accounts),
            list: ListState::new(&LIST, opts, pager, filters).with_views(views),
            rows,
            tags,
            can_create: user.can(Action::AccountsWrite),
        }
    }

    pub fn tags_of(&self, id: &i64) -> &[String] {
        self.tags.get(id).map_or(&[], Vec::as_slice)
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

    /// The heading, a message key.
    pub fn title(&self) -> &'static str {
        if self.account_id.is_some() {
            key("accounts-edit")
        } else {
            key("accounts-new")
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
    /// Its deals, with a "New deal" link.
    pub deal_panel: crate::deals::DealPanel,
    /// Its quotes and orders, with the customer's figures.
    pub order_panel: crate::orders::OrderPanel,
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
        (task_panel, deal_panel, order_panel): (
            TaskPanel,
            crate::deals::DealPanel,
            crate::orders::OrderPanel,
        ),
    ) -> Self {
        ShowPage {
            chrome: Chrome::new(user, Section::Accounts),
            account,
            tags,
            contacts,
            contact_total,
            timeline,
            task_panel,
            deal_panel,
            order_panel,
            can_edit: user.can(Action::AccountsWrite),
            can_delete: user.can(Action::AccountsDelete),
        }
    }

    pub fn size(&self) -> String {
        self.account
            .size
            .map_or("—".into(), |s| self.chrome.locale.t(s.label_key()))
    }

    /// "All 12 contacts" below the first few.
    pub fn all_contacts(&self) -> String {
        let loc = &self.chrome.locale;
        loc.t_args(
            "accounts-all-contacts",
            &[
                ("count", Arg::Num(self.contact_total)),
                ("total", Arg::Text(loc.number(self.contact_total))),
            ],
        )
    }

    /// "Retail · Manchester".
    pub fn subtitle(&self) -> String {
        let a = &self.account;
        [a.industry.as_deref(), a.city.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" · ")
    }

    /// More contacts than the page lists.
    pub fn more_contacts(&self) -> bool {
        self.contact_total > self.contacts.len() as i64
    }
}
