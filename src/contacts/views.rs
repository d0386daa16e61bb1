use std::collections::BTreeMap;

use askama::Template;

use super::domain::{Consent, Lifecycle, ListOptions};
use super::forms::ContactForm;
use super::repo::{ContactDetail, ContactRow};
use crate::auth::policy::Action;
use crate::domain::ids::ContactId;
use crate::i18n::key;
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
}

pub static LIST: ListMeta = ListMeta {
    key: "contacts",
    base: "/contacts",
    search_label: key("contacts-search"),
    search_hint: key("contacts-search-hint"),
    columns: &[
        Column::sorted(key("contacts-name"), "name"),
        Column::sorted(key("contacts-company"), "company"),
        Column::sorted(key("records-email"), "email"),
        Column::plain(key("records-phone")),
        Column::plain(key("contacts-stage")),
        Column::plain(key("records-owner")),
        Column::sorted(key("records-updated"), "updated"),
    ],
    saved_views: true,
};

#[derive(Template)]
#[template(path = "contacts/list.html", blocks = ["results"])]
pub struct ListPage {
    pub chrome: Chrome,
    pub list: ListState,
    pub rows: Vec<ContactRow>,
    pub tags: BTreeMap<i64, Vec<String>>,
    pub can_create: bool,
    pub can_merge: bool,
    pub can_export: bool,
    pub can_import: bool,
}

impl ListPage {
    pub fn new(
        user: &CurrentUser,
        list: (&ListOptions, Pager, Vec<ViewLink>),
        rows: Vec<ContactRow>,
        tags: BTreeMap<i64, Vec<String>>,
        choices: FilterChoices,
    ) -> Self {
        let (opts, pager, views) = list;
        let f = &opts.filters;
        let loc = &user.locale;
        let stages = Lifecycle::ALL
            .iter()
            .map(|l| (l.as_str().into(), loc.t(l.label_key())))
            .collect();
        let consents = Consent::ALL
            .iter()
            .map(|c| (c.as_str().into(), loc.t(c.label_key())))
            .collect();
        let filters = vec![
            FilterField::owner(choices.owners, f.owner),
            FilterField::select(
                "lifecycle",
                key("contacts-stage"),
                key("contacts-any-stage"),
                stages,
                f.lifecycle.map(|l| l.as_str().into()),
            ),
            FilterField::select(
                "consent",
                key("contacts-consent"),
                key("contacts-any-consent"),
                consents,
                f.consent.map(|c| c.as_str().into()),
            ),
            FilterField::names(
                "tag",
                key("records-tag"),
                key("records-any-tag"),
                &choices.tags,
                f.tag.as_deref(),
            ),
            FilterField::text("city", key("records-city"), f.city.as_deref()),
        ];
        ListPage {
            chrome: Chrome::new(user, Section::Contacts),
            list: ListState::new(&LIST, opts, pager, filters).with_views(views),
            rows,
            tags,
            can_create: user.can(Action::ContactsWrite),
            can_merge: user.can(Action::ContactsMerge),
            can_export: user.can(Action::ContactsExport),
            can_import: user.can(Action::ContactsImport),
        }
    }

    pub fn tags_of(&self, id: &i64) -> &[String] {
        self.tags.get(id).map_or(&[], Vec::as_slice)
    }

    pub fn lifecycle_label(&self, l: &Lifecycle) -> String {
        self.chrome.locale.t(l.label_key())
    }
}

#[derive(Template)]
#[template(path = "contacts/form.html")]
pub struct FormPage {
    pub chrome: Chrome,
    /// None while creating.
    pub contact_id: Option<ContactId>,
    pub form: ContactForm,
    pub errors: FieldErrors,
    pub owners: Vec<(i64, String)>,
    pub can_assign: bool,
}

impl FormPage {
    /// The languages a contact may prefer.
    pub fn languages(&self) -> &'static [crate::i18n::Lang] {
        &crate::i18n::Lang::ALL
    }

    pub fn new(
        user: &CurrentUser,
        contact_id: Option<ContactId>,
        form: ContactForm,
        errors: FieldErrors,
        owners: Vec<(i64, String)>,
    ) -> Self {
        FormPage {
            chrome: Chrome::new(user, Section::Contacts),
            contact_id,
            form,
            errors,
            can_assign: !owners.is_empty(),
            owners,
        }
    }

    /// The heading, a message key.
    pub fn title(&self) -> &'static str {
        if self.contact_id.is_some() {
            key("contacts-edit")
        } else {
            key("contacts-new")
        }
    }

    pub fn action(&self) -> String {
        self.contact_id
            .map_or("/contacts".into(), |id| format!("/contacts/{id}"))
    }

    pub fn cancel_url(&self) -> String {
        self.contact_id
            .map_or("/contacts".into(), |id| format!("/contacts/{id}"))
    }

    pub fn owner_selected(&self, id: &i64) -> bool {
        self.form.owner() == Some(*id)
    }

    pub fn lifecycles(&self) -> &'static [Lifecycle] {
        Lifecycle::ALL
    }

    pub fn consents(&self) -> &'static [Consent] {
        Consent::ALL
    }

    pub fn lifecycle_selected(&self, l: &Lifecycle) -> bool {
        self.form.lifecycle == l.as_str()
            || (self.form.lifecycle.is_empty() && *l == Lifecycle::Prospect)
    }

    pub fn consent_selected(&self, c: &Consent) -> bool {
        self.form.consent == c.as_str()
            || (self.form.consent.is_empty() && *c == Consent::NeverAsked)
    }

    pub fn duplicate_of(&self) -> Option<&String> {
        self.errors.get("duplicate")
    }
}

#[derive(Template)]
#[template(path = "contacts/show.html")]
pub struct ShowPage {
    pub chrome: Chrome,
    pub contact: ContactDetail,
    pub tags: Vec<String>,
    pub timeline: TimelinePanel,
    pub can_edit: bool,
    pub can_delete: bool,
    pub task_panel: TaskPanel,
    /// Its deals, with a "New deal" link.
    pub deal_panel: crate::deals::DealPanel,
    /// Its quotes and orders, with the customer's figures.
    pub order_panel: crate::orders::OrderPanel,
}

impl ShowPage {
    pub fn new(
        user: &CurrentUser,
        contact: ContactDetail,
        timeline: TimelinePanel,
        tags: Vec<String>,
        (task_panel, deal_panel, order_panel): (
            TaskPanel,
            crate::deals::DealPanel,
            crate::orders::OrderPanel,
        ),
    ) -> Self {
        ShowPage {
            chrome: Chrome::new(user, Section::Contacts),
            contact,
            tags,
            timeline,
            can_edit: user.can(Action::ContactsWrite),
            can_delete: user.can(Action::ContactsDelete),
            task_panel,
            deal_panel,
            order_panel,
        }
    }

    /// "Head of Sales at " before the company's link (or the title alone).
    pub fn subtitle(&self) -> String {
        let c = &self.contact;
        match (&c.title, c.account_id) {
            (Some(t), Some(_)) => format!("{t} {} ", self.chrome.locale.t("contacts-at")),
            (Some(t), None) => t.clone(),
            (None, _) => String::new(),
        }
    }

    /// The company's page, or "" without one.
    pub fn company_href(&self) -> String {
        self.contact
            .account_id
            .map_or(String::new(), |a| format!("/accounts/{a}"))
    }

    pub fn lifecycle(&self) -> String {
        self.chrome.locale.t(self.contact.lifecycle.label_key())
    }

    pub fn consent(&self) -> String {
        self.chrome.locale.t(self.contact.consent.label_key())
    }
}

/// `<option>`s for the company field's datalist.
#[derive(Template)]
#[template(
    source = "{% for n in names %}<option value=\"{{ n }}\"></option>{% endfor %}",
    ext = "html"
)]
pub struct Suggestions {
    pub names: Vec<String>,
}

/// "Ada Lovelace", or whichever half exists.
pub fn full_name(first: &str, last: &str) -> String {
    crate::domain::person_name(first, last)
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
