//! Task pages, the row fragment htmx swaps, and the panel other pages
//! include (`templates/tasks/_panel.html`, fed by a `TaskPanel` field named
//! `task_panel` beside the page's `chrome`).

use askama::Template;
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};

use super::domain::{DONE_RECENTLY_DAYS, Due, TaskListOptions, due_label, person_name};
use super::forms::TaskForm;
use super::repo::TaskRow;
use super::save::{Choices, Linked};
use crate::domain::ids::{TaskId, UserId};
use crate::i18n::format::today_in;
use crate::i18n::{Lang, Locale, key};
use crate::records::RecordRef;
use crate::web::Section;
use crate::web::forms::FieldErrors;
use crate::web::list::{ListMeta, ListState, Pager};
use crate::web::{Chrome, CurrentUser};

/// A record a row links to.
#[derive(Clone, Debug)]
pub struct Link {
    pub href: String,
    pub name: String,
}

/// One task as a row shows it, on any page.
#[derive(Clone, Debug)]
pub struct TaskItem {
    pub id: TaskId,
    pub title: String,
    pub due_on: NaiveDate,
    pub due_label: String,
    /// Where the due day falls for the assignee (their zone's today).
    pub due: Due,
    pub overdue: bool,
    pub done_at: Option<NaiveDateTime>,
    /// The day it was done in the viewer's zone (`2026-11-27` in English).
    pub done_on: Option<String>,
    /// Who it is for, unless that is the viewer.
    pub assignee: Option<String>,
    /// The linked records, except the page the row is on.
    pub links: Vec<Link>,
    /// Where the complete/reopen buttons return to without JavaScript.
    pub next: String,
}

impl TaskItem {
    /// `now` is compared with the due day in the assignee's zone; the
    /// labels are in the viewer's language.
    pub fn new(row: TaskRow, viewer: &CurrentUser, now: DateTime<Utc>, next: &str) -> TaskItem {
        let mine = row.assignee_id == UserId::new(viewer.id);
        let today = row.assignee_today(now);
        let due = Due::of(row.due_on, today);
        let mut links = Vec::new();
        if let Some(id) = row.contact_id {
            links.push(Link {
                href: format!("/contacts/{id}"),
                name: person_name(
                    row.contact_first_name.as_deref().unwrap_or_default(),
                    row.contact_last_name.as_deref().unwrap_or_default(),
                ),
            });
        }
        if let Some(id) = row.account_id {
            links.push(Link {
                href: format!("/accounts/{id}"),
                name: row.account_name.unwrap_or_default(),
            });
        }
        if let Some(id) = row.deal_id {
            links.push(Link {
                href: format!("/leads/{id}"),
                name: row.deal_title.unwrap_or_default(),
            });
        }
        links.retain(|l| l.href != next);
        TaskItem {
            id: row.id,
            title: row.title,
            due_on: row.due_on,
            due_label: due_label(&viewer.locale, row.due_on, today),
            due,
            overdue: row.done_at.is_none() && due == Due::Overdue,
            done_at: row.done_at,
            done_on: row.done_at.map(|d| done_day(&viewer.locale, d)),
            assignee: (!mine).then_some(row.assignee_name),
            links,
            next: next.to_string(),
        }
    }
}

/// The day a task was done, in the viewer's zone: ISO in English (as the
/// row always said), the written-out date in Chinese.
fn done_day(l: &Locale, utc: NaiveDateTime) -> String {
    match l.lang {
        Lang::En => today_in(l.tz, utc.and_utc()).to_string(),
        Lang::ZhCn => l.date(utc),
    }
}

/// The compact add-a-task form (My tasks, and a record's panel).
#[derive(Clone, Debug)]
pub struct QuickAdd {
    /// The record a task added here is linked to.
    pub record: Option<RecordRef>,
    pub next: String,
    pub today: NaiveDate,
}

impl QuickAdd {
    /// The hidden field naming the record: `contact_id=7`, `account_id=3` …
    pub fn record_field(&self) -> Option<(String, i64)> {
        self.record
            .map(|r| (format!("{}_id", r.kind().as_str()), r.raw_id()))
    }

    /// The full form, for assignee and anything else.
    pub fn more_url(&self) -> String {
        match self.record {
            Some(r) => format!("/tasks/new?{}={}", r.kind().as_str(), r.raw_id()),
            None => "/tasks/new".into(),
        }
    }
}

/// The open tasks of one record, and a form to add one.
#[derive(Clone, Debug)]
pub struct TaskPanel {
    pub rows: Vec<TaskItem>,
    pub quick: QuickAdd,
}

impl TaskPanel {
    /// From `repo::open_for(record)`.
    pub fn for_record(user: &CurrentUser, record: RecordRef, rows: Vec<TaskRow>) -> TaskPanel {
        let quick = QuickAdd {
            record: Some(record),
            next: record.href(),
            today: user.locale.today(),
        };
        let now = Utc::now();
        TaskPanel {
            rows: rows
                .into_iter()
                .map(|r| TaskItem::new(r, user, now, &quick.next))
                .collect(),
            quick,
        }
    }
}

/// One section of My tasks (`label` and `empty` are message keys).
pub struct Group {
    pub key: &'static str,
    pub label: &'static str,
    pub empty: &'static str,
    /// For "nothing done in the last N days".
    pub days: i64,
    pub items: Vec<TaskItem>,
}

impl Group {
    /// What an empty section says, in `l`'s language.
    pub fn empty_text(&self, l: &Locale) -> String {
        l.t_num(self.empty, "days", self.days)
    }
}

pub static LIST: ListMeta = ListMeta {
    key: "tasks",
    base: "/tasks",
    search_label: crate::i18n::key("tasks-search"),
    search_hint: crate::i18n::key("tasks-search-hint"),
    columns: &[],
    saved_views: false,
};

#[derive(Template)]
#[template(path = "tasks/list.html", blocks = ["results"])]
pub struct ListPage {
    pub chrome: Chrome,
    pub list: ListState,
    pub groups: Vec<Group>,
    pub quick: QuickAdd,
}

impl ListPage {
    /// `open`: one page of open tasks, soonest first; `done`: the last week's.
    pub fn new(
        user: &CurrentUser,
        today: NaiveDate,
        (opts, pager): (&TaskListOptions, Pager),
        open: Vec<TaskRow>,
        done: Vec<TaskRow>,
    ) -> Self {
        let (next, now) = ("/tasks", Utc::now());
        let (mut overdue, mut due_today, mut upcoming) = (Vec::new(), Vec::new(), Vec::new());
        for row in open {
            let item = TaskItem::new(row, user, now, next);
            match item.due {
                Due::Overdue => overdue.push(item),
                Due::Today => due_today.push(item),
                Due::Upcoming => upcoming.push(item),
            }
        }
        let done = done
            .into_iter()
            .map(|r| TaskItem::new(r, user, now, next))
            .collect();
        let group = |key, label, empty, items| Group {
            key,
            label,
            empty,
            days: DONE_RECENTLY_DAYS,
            items,
        };
        ListPage {
            chrome: Chrome::new(user, Section::Tasks),
            list: ListState::new(&LIST, opts, pager, Vec::new()),
            groups: vec![
                group(
                    "overdue",
                    key("tasks-group-overdue"),
                    key("tasks-empty-overdue"),
                    overdue,
                ),
                group(
                    "today",
                    key("tasks-group-today"),
                    key("tasks-empty-today"),
                    due_today,
                ),
                group(
                    "upcoming",
                    key("tasks-group-upcoming"),
                    key("tasks-empty-upcoming"),
                    upcoming,
                ),
                group(
                    "done",
                    key("tasks-group-done"),
                    key("tasks-empty-done"),
                    done,
                ),
            ],
            quick: QuickAdd {
                record: None,
                next: next.into(),
                today,
            },
        }
    }
}

/// A task row alone: the answer to an htmx complete or reopen.
#[derive(Template)]
#[template(path = "tasks/_row.html")]
pub struct RowFragment {
    pub chrome: Chrome,
    pub t: TaskItem,
}

#[derive(Template)]
#[template(path = "tasks/form.html", blocks = ["task_form"])]
pub struct FormPage {
    pub chrome: Chrome,
    pub form: TaskForm,
    pub errors: FieldErrors,
    pub choices: Choices,
    /// Where Save and Cancel return to (a checked local path).
    pub next: String,
}

impl FormPage {
    pub fn new(
        user: &CurrentUser,
        form: TaskForm,
        errors: FieldErrors,
        choices: Choices,
        next: &str,
    ) -> Self {
        FormPage {
            chrome: Chrome::new(user, Section::Tasks),
            form,
            errors,
            choices,
            next: next.to_string(),
        }
    }

    pub fn can_assign(&self) -> bool {
        !self.choices.assignees.is_empty()
    }

    pub fn assignee_selected(&self, id: &i64) -> bool {
        self.form.assignee() == Some(*id)
    }

    pub fn links(&self) -> Vec<(&'static str, &Linked)> {
        let mut out = Vec::new();
        if let Some(c) = &self.choices.contact {
            out.push(("contact_id", c));
        }
        if let Some(a) = &self.choices.account {
            out.push(("account_id", a));
        }
        if let Some(d) = &self.choices.deal {
            out.push(("deal_id", d));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::policy::{Role, Scope};
    use crate::domain::ids::{AccountId, ContactId};

    fn user() -> CurrentUser {
        CurrentUser {
            id: 1,
            name: "Ada".into(),
            email: "ada@example.com".into(),
            role: Role::Sales,
            team_id: None,
            scope: Scope::Own,
            csrf: "tok".into(),
            flash: None,
            locale: Default::default(),
        }
    }

    fn row(id: i64, due: NaiveDate, assignee: i64) -> TaskRow {
        TaskRow {
            id: TaskId::new(id),
            title: format!("Task {id} <b>"),
            due_on: due,
            done_at: None,
            assignee_id: UserId::new(assignee),
            assignee_name: "Sam".into(),
            contact_id: Some(ContactId::new(9)),
            contact_first_name: Some("Grace".into()),
            contact_last_name: Some("Hopper".into()),
            account_id: Some(AccountId::new(4)),
            account_name: Some("Navy".into()),
            deal_id: None,
            deal_title: None,
            assignee_time_zone: None,
            workspace_time_zone: "UTC".into(),
        }
    }

    /// Stands in for a record page that includes the panel.
    #[derive(Template)]
    #[template(
        source = "<main>{% include \"tasks/_panel.html\" %}</main>",
        ext = "html"
    )]
    struct Host {
        chrome: Chrome,
        task_panel: TaskPanel,
    }

    #[test]
    fn the_panel_lists_open_tasks_and_posts_new_ones_back_to_the_record() {
        let u = user();
        let today = chrono::Utc::now().date_naive();
        let panel = TaskPanel::for_record(
            &u,
            RecordRef::Contact(ContactId::new(9)),
            vec![row(1, today, 1), row(2, today.succ_opt().expect("day"), 2)],
        );
        let html = Host {
            chrome: Chrome::new(&u, Section::Contacts),
            task_panel: panel,
        }
        .render()
        .expect("renders");
        assert!(html.contains(r#"id="task-1""#) && html.contains(r#"id="task-2""#));
        assert!(html.contains("Task 1 &#60;b&#62;") || html.contains("Task 1 &lt;b&gt;"));
        assert!(html.contains(r#"action="/tasks/1/complete""#));
        assert!(html.contains(r#"name="contact_id" value="9""#));
        assert!(html.contains(r#"name="next" value="/contacts/9""#));
        assert!(html.contains(r#"action="/tasks""#));
        assert!(
            html.contains(r#"href="/accounts/4""#),
            "other records linked"
        );
        assert!(
            !html.contains(r#"href="/contacts/9""#),
            "not the page itself"
        );
        assert!(html.contains("Sam"), "another assignee is named");
        assert!(html.contains(r#"value="tok""#), "forms carry the token");
    }

    #[test]
    fn my_tasks_groups_rows_by_due_day() {
        let u = user();
        let today = chrono::Utc::now().date_naive();
        let day = |n: i64| today + chrono::Duration::days(n);
        let opts = TaskListOptions::parse(&Default::default()).expect("options");
        let page = ListPage::new(
            &u,
            today,
            (&opts, Pager::default()),
            vec![row(1, day(-2), 1), row(2, day(0), 1), row(3, day(3), 1)],
            vec![],
        );
        let ids: Vec<Vec<i64>> = page
            .groups
            .iter()
            .map(|g| g.items.iter().map(|t| t.id.get()).collect())
            .collect();
        assert_eq!(ids, vec![vec![1], vec![2], vec![3], vec![]]);
        assert!(page.groups[0].items[0].overdue);
        assert_eq!(page.groups[0].items[0].assignee, None);
    }
}
