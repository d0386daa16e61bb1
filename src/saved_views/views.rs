use askama::Template;

use super::domain::ViewForm;
use super::lists;
use super::repo::ViewRow;
use crate::web::forms::FieldErrors;
use crate::web::{Chrome, CurrentUser, Section};

/// A view as the views page shows it.
pub struct Item {
    pub row: ViewRow,
    pub href: Option<String>,
    pub list_label: &'static str,
    pub own: bool,
}

impl Item {
    /// A checkbox value for the form macro: ticked or not.
    pub fn ticked(&self, on: &bool) -> &'static str {
        if *on { "on" } else { "" }
    }
}

#[derive(Template)]
#[template(path = "saved_views/index.html")]
pub struct IndexPage {
    pub chrome: Chrome,
    pub items: Vec<Item>,
    /// Only this list's views (`?list=`), or every list's.
    pub list: Option<&'static str>,
    /// A new view that failed its checks, with the messages.
    pub draft: Option<(ViewForm, FieldErrors)>,
    /// The view whose change failed, with the messages.
    pub failed: Option<(i64, FieldErrors)>,
    pub empty_errors: FieldErrors,
}

impl IndexPage {
    pub fn new(user: &CurrentUser, rows: Vec<ViewRow>, list: Option<&'static str>) -> Self {
        let items = rows
            .into_iter()
            .filter_map(|row| {
                let savable = lists::find(&row.list).filter(|l| user.can(l.read))?;
                Some(Item {
                    href: lists::href(&row.list, &row.query_string),
                    list_label: savable.label,
                    own: row.user_id == user.id,
                    row,
                })
            })
            .collect();
        IndexPage {
            chrome: Chrome::new(user, Section::Contacts),
            items,
            list,
            draft: None,
            failed: None,
            empty_errors: FieldErrors::new(),
        }
    }

    /// The messages for one view's form.
    pub fn errors_for(&self, id: &i64) -> &FieldErrors {
        match &self.failed {
            Some((f, e)) if f == id => e,
            _ => &self.empty_errors,
        }
    }

    pub fn back_url(&self) -> &'static str {
        self.list
            .and_then(lists::find)
            .map_or("/contacts", |l| l.meta.base)
    }
}
