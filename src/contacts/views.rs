use std::collections::BTreeMap;

use askama::Template;

use super::domain::{Consent, Lifecycle, ListOptions, Sort};
use super::forms::ContactForm;
use super::repo::{ContactDetail, ContactRow};
use crate::auth::policy::Action;
use crate::domain::ids::ContactId;
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
}

#[derive(Template)]
#[template(path = "contacts/list.html", blocks = ["results"])]
pub struct ListPage {
    pub chrome: Chrome,
    pub opts: ListOptions,
    pub pager: Pager,
    pub rows: Vec<ContactRow>,
    pub tags: BTreeMap<i64, Vec<String>>,
    pub choices: FilterChoices,
    pub can_create: bool,
    pub can_merge: bool,
    pub can_export: bool,
    pub can_import: bool,
}

impl ListPage {
    pub fn new(
        user: &CurrentUser,
        opts: ListOptions,
        pager: Pager,
        rows: Vec<ContactRow>,
        tags: BTreeMap<i64, Vec<String>>,
        choices: FilterChoices,
    ) -> Self {
        ListPage {
            chrome: Chrome::new(user, Section::Contacts),
            opts,
            pager,
            rows,
            tags,
            choices,
            can_create: user.can(Action::ContactsWrite),
            can_merge: user.can(Action::ContactsMerge),
            can_export: user.can(Action::ContactsExport),
            can_import: user.can(Action::ContactsImport),
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
        if let Some(l) = f.lifecycle {
            s.append_pair("lifecycle", l.as_str());
        }
        if let Some(c) = f.consent {
            s.append_pair("consent", c.as_str());
        }
        if let Some(c) = &f.city {
            s.append_pair("city", c);
        }
        if let Some(a) = f.account {
            s.append_pair("account", &a.to_string());
        }
        s.finish()
    }

    fn url(&self, sort: Sort, desc: bool, page: i64) -> String {
        sorting::list_url("/contacts", &self.filter_query(), sort.as_str(), desc, page)
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

    pub fn export_url(&self) -> String {
        format!("/contacts/export.csv?{}", self.filter_query())
    }

    pub fn tags_of(&self, id: &i64) -> &[String] {
        self.tags.get(id).map_or(&[], Vec::as_slice)
    }

    pub fn lifecycles(&self) -> &'static [Lifecycle] {
        Lifecycle::ALL
    }

    pub fn consents(&self) -> &'static [Consent] {
        Consent::ALL
    }

    pub fn lifecycle_label(&self, l: &Lifecycle) -> &'static str {
        l.label()
    }

    pub fn owner_is(&self, id: &i64) -> bool {
        self.opts.filters.owner == Some(*id)
    }

    pub fn tag_is(&self, t: &str) -> bool {
        self.opts.filters.tag.as_deref() == Some(t)
    }

    pub fn lifecycle_is(&self, l: &Lifecycle) -> bool {
        self.opts.filters.lifecycle == Some(*l)
    }

    pub fn consent_is(&self, c: &Consent) -> bool {
        self.opts.filters.consent == Some(*c)
    }

    pub fn filtered(&self) -> bool {
        !self.opts.filters.is_empty() || !self.opts.q.is_empty()
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

    pub fn title(&self) -> &'static str {
        if self.contact_id.is_some() {
            "Edit contact"
        } else {
            "New contact"
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
}

impl ShowPage {
    pub fn new(
        user: &CurrentUser,
        contact: ContactDetail,
        timeline: TimelinePanel,
        tags: Vec<String>,
        task_panel: TaskPanel,
    ) -> Self {
        ShowPage {
            chrome: Chrome::new(user, Section::Contacts),
            contact,
            tags,
            timeline,
            can_edit: user.can(Action::ContactsWrite),
            can_delete: user.can(Action::ContactsDelete),
            task_panel,
        }
    }

    pub fn lifecycle(&self) -> &str {
        self.contact.lifecycle.label()
    }

    pub fn consent(&self) -> &str {
        self.contact.consent.label()
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
