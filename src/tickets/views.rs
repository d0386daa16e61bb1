use askama::Template;
use chrono::NaiveDateTime;

use super::domain::{MessageKind, Priority, Status};
use super::list::{Row, TicketListOptions, View};
use super::repo::{Attachment, Message, Queue, Requester, Ticket};
use crate::i18n::{Locale, key};
use crate::records::views::TimelinePanel;
use crate::web::forms::FieldErrors;
use crate::web::list::{Column, FilterField, ListMeta, ListState, Pager};
use crate::web::{Chrome, CurrentUser, Section};

pub static LIST: ListMeta = ListMeta {
    key: "tickets",
    base: "/tickets",
    search_label: key("tickets-search"),
    search_hint: key("tickets-search-hint"),
    columns: &[
        Column::plain(key("tickets-col-subject")),
        Column::plain(key("tickets-col-requester")),
        Column::plain(key("tickets-col-status")),
        Column::plain(key("tickets-col-priority")),
        Column::plain(key("tickets-col-assignee")),
        Column::sorted(key("tickets-col-due"), "due"),
        Column::sorted(key("tickets-col-created"), "created"),
    ],
    saved_views: false,
};

#[derive(Template)]
#[template(path = "tickets/list.html", blocks = ["results"])]
pub struct ListPage {
    pub chrome: Chrome,
    pub list: ListState,
    pub rows: Vec<Row>,
    pub can_write: bool,
    pub can_manage: bool,
    pub now: NaiveDateTime,
    pub views: Vec<(String, &'static str, bool)>,
    pub agents: Vec<(i64, String)>,
}

impl ListPage {
    pub fn new(
        user: &CurrentUser,
        opts: &TicketListOptions,
        pager: Pager,
        rows: Vec<Row>,
        queues: &[Queue],
        agents: Vec<(i64, String)>,
    ) -> Self {
        let l = &user.locale;
        let statuses = Status::ALL
            .iter()
            .map(|s| (s.as_str().into(), l.t(s.label_key())))
            .collect();
        let priorities = Priority::ALL
            .iter()
            .map(|s| (s.as_str().into(), l.t(s.label_key())))
            .collect();
        let queue_menu = queues
            .iter()
            .map(|q| (q.id.to_string(), q.name.clone()))
            .collect();
        let filters = vec![
            FilterField::select(
                "status",
                key("tickets-col-status"),
                key("tickets-any-status"),
                statuses,
                opts.filters.status.map(|s| s.as_str().into()),
            ),
            FilterField::select(
                "priority",
                key("tickets-col-priority"),
                key("tickets-any-priority"),
                priorities,
                opts.filters.priority.map(|s| s.as_str().into()),
            ),
            FilterField::select(
                "queue",
                key("tickets-col-queue"),
                key("tickets-any-queue"),
                queue_menu,
                opts.filters.queue.map(|q| q.to_string()),
            ),
        ];
        let current = opts.filters.view.unwrap_or(View::Active);
        let views = View::ALL
            .iter()
            .map(|v| {
                (
                    format!("/tickets?view={}", v.as_str()),
                    v.label_key(),
                    *v == current,
                )
            })
            .collect();
        ListPage {
            chrome: Chrome::new(user, Section::Tickets),
            list: ListState::new(&LIST, opts, pager, filters),
            rows,
            can_write: user.can(crate::auth::policy::Action::TicketsWrite),
            can_manage: user.can(crate::auth::policy::Action::ManageTickets),
            now: crate::db::now(),
            views,
            agents,
        }
    }
}

/// A message as a page shows it, with its attachments.
pub struct Shown {
    pub m: Message,
    pub files: Vec<Attachment>,
}

#[derive(Template)]
#[template(path = "tickets/show.html", blocks = ["viewers"])]
pub struct ShowPage {
    pub chrome: Chrome,
    pub t: Ticket,
    pub requester: Requester,
    pub queue_name: String,
    pub assignee_name: Option<String>,
    pub messages: Vec<Shown>,
    pub statuses: Vec<Status>,
    pub agents: Vec<(i64, String)>,
    pub can_write: bool,
    pub notice: Option<String>,
    /// The reply was refused because the ticket changed: offer to confirm.
    pub stale: bool,
    pub draft: String,
    pub draft_kind: MessageKind,
    /// The version the reply form carries (the one the agent loaded).
    pub reply_version: i32,
    /// Canned responses for the reply box's select.
    pub canned: Vec<(crate::domain::ids::CannedId, String)>,
    pub canned_error: Option<String>,
    pub customer_link: String,
    pub urgency: &'static str,
    pub others: Vec<(String, bool)>,
    pub timeline: TimelinePanel,
    /// Every queue, for the move form.
    pub queues: Vec<Queue>,
    /// The linked order and account, and the links form as typed.
    pub linked: super::links::Shown,
    pub links_form: super::links::Typed,
    pub link_errors: FieldErrors,
}

#[derive(Template)]
#[template(path = "tickets/show.html", block = "viewers")]
pub struct ViewersFragment {
    pub chrome: Chrome,
    pub t: Ticket,
    pub others: Vec<(String, bool)>,
}

#[derive(Template)]
#[template(path = "tickets/new.html")]
pub struct NewPage {
    pub chrome: Chrome,
    pub email: String,
    pub requester_name: String,
    pub subject: String,
    pub body: String,
    pub priority: String,
    pub queue: String,
    pub links: super::links::Typed,
    pub queues: Vec<Queue>,
    pub errors: FieldErrors,
}

/// The customer's page of a ticket: public messages and a reply form.
#[derive(Template)]
#[template(path = "tickets/public.html")]
pub struct PublicPage {
    pub locale: Locale,
    pub csrf: String,
    pub token: String,
    pub t: Ticket,
    pub messages: Vec<Shown>,
    pub notice: Option<String>,
    pub error: Option<String>,
}

#[derive(Template)]
#[template(path = "tickets/support.html")]
pub struct SupportPage {
    pub locale: Locale,
    pub csrf: String,
    pub email: String,
    pub requester_name: String,
    pub subject: String,
    pub body: String,
    pub errors: FieldErrors,
    pub done: bool,
}

#[derive(Template)]
#[template(path = "tickets/csat.html")]
pub struct CsatPage {
    pub locale: Locale,
    pub csrf: String,
    pub token: String,
    pub subject: String,
    pub score: i32,
    pub done: bool,
}
