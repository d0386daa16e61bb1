//! Agent pages: the queue with Take next and bulk actions, a ticket with
//! its conversation, reply/note, status, assignment, who else is looking,
//! attachments; the staff form that opens a ticket.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use diesel::prelude::*;

use super::conversation::{self, MailCtx};
use super::domain::{MessageKind, Priority, Status};
use super::inbound;
use super::links;
use super::list::{self as ticket_list, TicketListOptions};
use super::repo::{self, Reach, Ticket};
use super::views::{ListPage, NewPage, ShowPage, Shown, ViewersFragment};
use super::write::{self, NewTicket, Refused};
use crate::db::schema::ticket_viewers;
use crate::db::{DbConn, now, write_tx};
use crate::domain::ids::{QueueId, TicketId, UserId};
use crate::error::{AppError, AppResult};
use crate::i18n::{key, set_flash};
use crate::records::RecordRef;
use crate::records::handlers::TIMELINE_LIMIT;
use crate::records::timeline;
use crate::records::views::TimelinePanel;
use crate::web::forms::FieldErrors;
use crate::web::list::Params;
use crate::web::render::{after_post, html, page};
use crate::web::state::AppState;
use crate::web::{Chrome, CurrentUser, Htmx, Section};

type State = web::Data<AppState>;

/// A viewer heartbeat older than this no longer counts as "viewing".
const VIEWER_FRESH_SECS: i64 = 30;

pub async fn list(
    user: CurrentUser,
    state: State,
    htmx: Htmx,
    query: web::Query<Params>,
) -> AppResult<HttpResponse> {
    let opts = TicketListOptions::parse(&query)?;
    let u = user.clone();
    let (opts, rows, pager, queues, agents) = state
        .db(move |c| {
            let reach = Reach::of(c, &u.viewer())?;
            let counted = ticket_list::count(c, &reach, &opts, u.id)?;
            let (opts, rows, pager) =
                opts.load(counted, |o| ticket_list::load(c, &reach, o, u.id, counted))?;
            let agents = crate::staff::repo::assignable_users(c, &u.viewer())?;
            Ok((opts, rows, pager, repo::queues(c)?, agents))
        })
        .await?;
    let view = ListPage::new(&user, &opts, pager, rows, &queues, agents);
    if htmx.fragment() {
        page(&view.as_results())
    } else {
        page(&view)
    }
}

/// `POST /tickets/take`: the most urgent unassigned ticket of my queues
/// (every queue when I am in none) becomes mine.
pub async fn take_next(
    user: CurrentUser,
    state: State,
    htmx: Htmx,
    session: Session,
) -> AppResult<HttpResponse> {
    let me = UserId::new(user.id);
    let got = state
        .db(move |c| {
            let queues = repo::my_queues(c, me)?;
            Ok(write::take_next(c, me, &queues)?)
        })
        .await?;
    match got {
        Some(id) => {
            crate::db::note_write();
            Ok(after_post(htmx, &format!("/tickets/{id}")))
        }
        None => {
            set_flash(&session, key("tickets-flash-none-left"));
            Ok(after_post(htmx, "/tickets?view=unassigned"))
        }
    }
}

/// Marks `user` as looking at (or replying to) the ticket and returns the
/// others seen lately: (name, replying).
fn heartbeat(
    c: &mut DbConn,
    id: TicketId,
    user: i64,
    replying: bool,
) -> AppResult<Vec<(String, bool)>> {
    use crate::db::schema::users;
    let at = now();
    let n = diesel::update(
        ticket_viewers::table
            .filter(ticket_viewers::ticket_id.eq(id))
            .filter(ticket_viewers::user_id.eq(user)),
    )
    .set((
        ticket_viewers::seen_at.eq(at),
        ticket_viewers::replying.eq(replying),
    ))
    .execute(c)?;
    if n == 0 {
        // A first look; two tabs racing insert the same key: one wins.
        let _ = diesel::insert_into(ticket_viewers::table)
            .values((
                ticket_viewers::ticket_id.eq(id),
                ticket_viewers::user_id.eq(user),
                ticket_viewers::replying.eq(replying),
                ticket_viewers::seen_at.eq(at),
            ))
            .execute(c);
    }
    Ok(ticket_viewers::table
        .inner_join(users::table.on(users::id.eq(ticket_viewers::user_id)))
        .filter(ticket_viewers::ticket_id.eq(id))
        .filter(ticket_viewers::user_id.ne(user))
        .filter(ticket_viewers::seen_at.gt(at - chrono::Duration::seconds(VIEWER_FRESH_SECS)))
        .select((users::name, ticket_viewers::replying))
        .order(users::name.asc())
        .load(c)?)
}

pub(super) fn load_visible(c: &mut DbConn, user: &CurrentUser, id: TicketId) -> AppResult<Ticket> {
    let reach = Reach::of(c, &user.viewer())?;
    repo::get(c, &reach, id)?.ok_or(AppError::NotFound)
}

pub fn shown(c: &mut DbConn, id: TicketId, public_only: bool) -> AppResult<Vec<Shown>> {
    let files = repo::attachments(c, id)?;
    Ok(repo::messages(c, id, public_only)?
        .into_iter()
        .map(|m| Shown {
            files: files
                .iter()
                .filter(|f| f.message_id == m.id)
                .cloned()
                .collect(),
            m,
        })
        .collect())
}

/// What the reply box shows again (a refused reply, an inserted canned
/// response): the text, its kind, the version the agent loaded (None: the
/// ticket's own) and any message.
pub(super) struct Draft {
    pub body: String,
    pub kind: MessageKind,
    pub stale: bool,
    pub notice: Option<String>,
    pub canned_error: Option<String>,
    pub version: Option<i32>,
    /// The links form as typed, with its errors, when it was refused.
    pub links: Option<(links::Typed, FieldErrors)>,
}

pub(super) fn show_page(
    c: &mut DbConn,
    user: &CurrentUser,
    ctx: &MailCtx,
    t: Ticket,
    draft: Draft,
) -> AppResult<ShowPage> {
    let requester = repo::requester(c, t.requester_id)?;
    let queue_name = repo::queue(c, t.queue_id)?
        .map(|q| q.name)
        .unwrap_or_default();
    let assignee_name = match t.assignee_id {
        Some(u) => crate::staff::repo::get_user(c, u)?.map(|u| u.name),
        None => None,
    };
    let record = RecordRef::Ticket(t.id);
    let entries = timeline::of(c, record, TIMELINE_LIMIT)?;
    let others = heartbeat(c, t.id, user.id, false)?;
    let linked = links::shown(c, t.order_id, t.account_id)?;
    let (links_form, link_errors) = draft.links.unwrap_or_else(|| {
        let typed = links::Typed {
            order: linked
                .order
                .as_ref()
                .map(|o| o.1.clone())
                .unwrap_or_default(),
            account: linked
                .account
                .as_ref()
                .map(|a| a.1.clone())
                .unwrap_or_default(),
        };
        (typed, FieldErrors::new())
    });
    Ok(ShowPage {
        queues: repo::queues(c)?,
        linked,
        links_form,
        link_errors,
        chrome: Chrome::new(user, Section::Tickets),
        requester,
        queue_name,
        assignee_name,
        messages: shown(c, t.id, false)?,
        statuses: t.status.offered(),
        agents: crate::staff::repo::assignable_users(c, &user.viewer())?,
        can_write: user.can(crate::auth::policy::Action::TicketsWrite),
        notice: draft.notice,
        canned_error: draft.canned_error,
        reply_version: draft.version.unwrap_or(t.version),
        canned: super::setup_repo::canned_titles(c)?,
        stale: draft.stale,
        draft: draft.body,
        draft_kind: draft.kind,
        customer_link: conversation::page_path(&ctx.signer, &t),
        urgency: match super::domain::urgency(t.sla_due, now()) {
            super::domain::Urgency::Breached => "breached",
            super::domain::Urgency::Soon => "soon",
            _ => "",
        },
        others,
        timeline: TimelinePanel::new(record, entries, false),
        t,
    })
}

/// The ticket as it is now, with "it changed since you loaded it" (a
/// refused assign or links change: 409).
fn changed_page(
    c: &mut DbConn,
    u: &CurrentUser,
    ctx: &MailCtx,
    id: TicketId,
) -> AppResult<ShowPage> {
    let fresh = load_visible(c, u, id)?;
    let draft = Draft {
        notice: Some(u.locale.t("tickets-error-changed")),
        ..blank()
    };
    show_page(c, u, ctx, fresh, draft)
}

fn blank() -> Draft {
    Draft {
        body: String::new(),
        kind: MessageKind::PublicReply,
        stale: false,
        notice: None,
        canned_error: None,
        version: None,
        links: None,
    }
}

pub async fn show(
    user: CurrentUser,
    state: State,
    path: web::Path<TicketId>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let ctx = MailCtx::from_config(&state.config);
    let u = user.clone();
    let view = state
        .db(move |c| {
            let t = load_visible(c, &u, id)?;
            show_page(c, &u, &ctx, t, blank())
        })
        .await?;
    page(&view)
}

/// `GET /tickets/{id}/viewers?replying=1`: the heartbeat htmx polls; the
/// collision notice.
pub async fn viewers(
    user: CurrentUser,
    state: State,
    path: web::Path<TicketId>,
    query: web::Query<Params>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let replying = query.get("replying") == "1";
    let u = user.clone();
    let view = state
        .db(move |c| {
            let t = load_visible(c, &u, id)?;
            let others = heartbeat(c, id, u.id, replying)?;
            Ok(ViewersFragment {
                chrome: Chrome::new(&u, Section::Tickets),
                t,
                others,
            })
        })
        .await?;
    page(&view)
}

/// `POST /tickets/{id}/messages`: a public reply or an internal note from
/// the version the page was drawn at; if the ticket changed since, the
/// page comes back (409) with the draft kept and a "send anyway" button.
pub async fn add_message(
    user: CurrentUser,
    state: State,
    htmx: Htmx,
    session: Session,
    path: web::Path<TicketId>,
    body: web::Form<Params>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let text = body.text("body", 20_000).unwrap_or_default();
    let kind = MessageKind::parse(body.get("kind").trim())
        .filter(|k| *k != MessageKind::CustomerMessage)
        .unwrap_or(MessageKind::PublicReply);
    let version: Option<i32> = body.get("version").trim().parse().ok();
    let confirmed = body.get("confirm") == "1";
    let ctx = MailCtx::from_config(&state.config);
    let u = user.clone();
    let answer = state
        .db(move |c| {
            let t = load_visible(c, &u, id)?;
            if text.trim().is_empty() {
                let notice = Some(u.locale.t("tickets-error-empty"));
                let draft = Draft {
                    body: text,
                    kind,
                    stale: false,
                    notice,
                    canned_error: None,
                    version,
                    links: None,
                };
                return Ok(Err((
                    StatusCode::UNPROCESSABLE_ENTITY,
                    show_page(c, &u, &ctx, t, draft)?,
                )));
            }
            let version = if confirmed {
                None
            } else {
                Some(version.unwrap_or(-1))
            };
            let me = UserId::new(u.id);
            let locale = crate::i18n::repo::workspace_locale(c)?;
            let done = write_tx(c, |c| {
                let m = conversation::AgentMessage {
                    kind,
                    body: &text,
                    version,
                    author: me,
                };
                conversation::agent_message(c, &ctx, &locale, &t, &m)
            })?;
            match done {
                Ok(_) => Ok(Ok(kind)),
                Err(_) => {
                    let fresh = load_visible(c, &u, id)?;
                    let draft = Draft {
                        body: text,
                        kind,
                        stale: true,
                        notice: Some(u.locale.t("tickets-error-changed")),
                        canned_error: None,
                        version: None,
                        links: None,
                    };
                    Ok(Err((
                        StatusCode::CONFLICT,
                        show_page(c, &u, &ctx, fresh, draft)?,
                    )))
                }
            }
        })
        .await?;
    match answer {
        Ok(kind) => {
            set_flash(
                &session,
                if kind == MessageKind::InternalNote {
                    key("tickets-flash-noted")
                } else {
                    key("tickets-flash-replied")
                },
            );
            Ok(after_post(htmx, &format!("/tickets/{id}")))
        }
        Err((status, view)) => html(status, &view),
    }
}

/// `POST /tickets/{id}/status`; solving asks the customer for a rating.
pub async fn set_status(
    user: CurrentUser,
    state: State,
    htmx: Htmx,
    session: Session,
    path: web::Path<TicketId>,
    body: web::Form<Params>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let to = Status::parse(body.get("status").trim());
    let version: i32 = body.get("version").trim().parse().unwrap_or(-1);
    let ctx = MailCtx::from_config(&state.config);
    let u = user.clone();
    let answer = state
        .db(move |c| {
            let t = load_visible(c, &u, id)?;
            let Some(to) = to else {
                return Err(AppError::refused("tickets-error-status"));
            };
            let locale = crate::i18n::repo::workspace_locale(c)?;
            let me = UserId::new(u.id);
            let done = write_tx(c, |c| {
                let r = write::set_status(c, &t, version, to, Some(me))?;
                if r.is_ok() && to == Status::Solved {
                    conversation::ask_for_rating(c, &ctx, &locale, t.id)?;
                }
                Ok::<_, AppError>(r)
            })?;
            match done {
                Ok(()) => Ok(Ok(())),
                Err(r) => {
                    let fresh = load_visible(c, &u, id)?;
                    let notice = Some(u.locale.t(match r {
                        Refused::Stale => "tickets-error-changed",
                        Refused::NotAllowed => "tickets-error-status",
                    }));
                    let status = match r {
                        Refused::Stale => StatusCode::CONFLICT,
                        Refused::NotAllowed => StatusCode::UNPROCESSABLE_ENTITY,
                    };
                    let draft = Draft { notice, ..blank() };
                    Ok(Err((status, show_page(c, &u, &ctx, fresh, draft)?)))
                }
            }
        })
        .await?;
    match answer {
        Ok(()) => {
            set_flash(&session, key("tickets-flash-status"));
            Ok(after_post(htmx, &format!("/tickets/{id}")))
        }
        Err((status, view)) => html(status, &view),
    }
}

/// `POST /tickets/{id}/assign` (`assignee` empty: unassign).
pub async fn assign(
    user: CurrentUser,
    state: State,
    htmx: Htmx,
    session: Session,
    path: web::Path<TicketId>,
    body: web::Form<Params>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let to = UserId::parse(body.get("assignee"));
    let version: i32 = body.get("version").trim().parse().unwrap_or(-1);
    let ctx = MailCtx::from_config(&state.config);
    let u = user.clone();
    let answer = state
        .db(move |c| {
            let t = load_visible(c, &u, id)?;
            if let Some(to) = to
                && !assignable(c, &u, to)?
            {
                return Err(AppError::refused("tickets-error-assignee"));
            }
            let me = UserId::new(u.id);
            match write_tx(c, |c| write::assign(c, &t, Some(version), to, Some(me)))? {
                Ok(()) => Ok(None),
                Err(_) => Ok(Some(changed_page(c, &u, &ctx, id)?)),
            }
        })
        .await?;
    match answer {
        None => {
            set_flash(&session, key("tickets-flash-assigned"));
            Ok(after_post(htmx, &format!("/tickets/{id}")))
        }
        Some(view) => html(StatusCode::CONFLICT, &view),
    }
}

/// `POST /tickets/{id}/triage`: another queue and/or priority (the SLA
/// targets and due times follow), from the version the agent saw.
pub async fn triage(
    user: CurrentUser,
    state: State,
    htmx: Htmx,
    session: Session,
    path: web::Path<TicketId>,
    body: web::Form<Params>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let queue = QueueId::parse(body.get("queue"));
    let priority = Priority::parse(body.get("priority").trim());
    let version: i32 = body.get("version").trim().parse().unwrap_or(-1);
    let ctx = MailCtx::from_config(&state.config);
    let u = user.clone();
    let answer = state
        .db(move |c| {
            let t = load_visible(c, &u, id)?;
            let queue = match queue {
                Some(q) => repo::queue(c, q)?,
                None => None,
            };
            let (Some(queue), Some(priority)) = (queue, priority) else {
                return Err(AppError::refused("tickets-error-triage"));
            };
            let me = UserId::new(u.id);
            match write_tx(c, |c| {
                write::retriage(c, &t, version, &queue, priority, Some(me))
            })? {
                Ok(()) => Ok(None),
                Err(_) => Ok(Some(changed_page(c, &u, &ctx, id)?)),
            }
        })
        .await?;
    match answer {
        None => {
            set_flash(&session, key("tickets-flash-triaged"));
            Ok(after_post(htmx, &format!("/tickets/{id}")))
        }
        Some(view) => html(StatusCode::CONFLICT, &view),
    }
}

/// `POST /tickets/{id}/links`: the order and account the ticket is about,
/// from the version the agent saw (a number or name not found comes back
/// beside its field; a changed ticket comes back with a notice).
pub async fn set_links(
    user: CurrentUser,
    state: State,
    htmx: Htmx,
    session: Session,
    path: web::Path<TicketId>,
    body: web::Form<Params>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let typed = links::Typed::from_form(&body);
    let version: i32 = body.get("version").trim().parse().unwrap_or(-1);
    let ctx = MailCtx::from_config(&state.config);
    let u = user.clone();
    let answer = state
        .db(move |c| {
            let t = load_visible(c, &u, id)?;
            let mut errors = FieldErrors::new();
            let resolved = links::resolve(c, &u, &typed, &mut errors)?;
            if !errors.is_empty() {
                let draft = Draft {
                    links: Some((typed, errors)),
                    ..blank()
                };
                let view = show_page(c, &u, &ctx, t, draft)?;
                return Ok(Some((StatusCode::UNPROCESSABLE_ENTITY, view)));
            }
            let me = UserId::new(u.id);
            match write_tx(c, |c| links::set(c, t.id, version, resolved, me))? {
                Ok(()) => Ok(None),
                Err(_) => Ok(Some((StatusCode::CONFLICT, changed_page(c, &u, &ctx, id)?))),
            }
        })
        .await?;
    match answer {
        None => {
            set_flash(&session, key("tickets-flash-linked"));
            Ok(after_post(htmx, &format!("/tickets/{id}")))
        }
        Some((status, view)) => html(status, &view),
    }
}

fn assignable(c: &mut DbConn, user: &CurrentUser, to: UserId) -> AppResult<bool> {
    Ok(crate::staff::repo::assignable_users(c, &user.viewer())?
        .iter()
        .any(|(id, _)| *id == to.get()))
}

/// `POST /tickets/bulk`: assign, close or tag the checked tickets (each
/// within reach; one transaction).
pub async fn bulk(
    user: CurrentUser,
    state: State,
    htmx: Htmx,
    session: Session,
    body: web::Form<Params>,
) -> AppResult<HttpResponse> {
    let ids: Vec<TicketId> = body
        .0
        .0
        .iter()
        .filter(|(k, _)| k == "id")
        .filter_map(|(_, v)| TicketId::parse(v))
        .take(100)
        .collect();
    let action = body.get("action").to_string();
    let assignee = UserId::parse(body.get("assignee"));
    let tag = body.text("tag", 60);
    let u = user.clone();
    state
        .db(move |c| {
            if let Some(to) = assignee
                && action == "assign"
                && !assignable(c, &u, to)?
            {
                return Err(AppError::refused("tickets-error-assignee"));
            }
            let reach = Reach::of(c, &u.viewer())?;
            let me = UserId::new(u.id);
            write_tx(c, |c| {
                for id in &ids {
                    let Some(t) = repo::get(c, &reach, *id)? else {
                        continue;
                    };
                    match action.as_str() {
                        "assign" => {
                            let _ = write::assign(c, &t, None, assignee, Some(me))?;
                        }
                        "close" if t.status != Status::Closed => {
                            let _ = write::set_status(c, &t, t.version, Status::Closed, Some(me))?;
                        }
                        "tag" => {
                            if let Some(name) = &tag {
                                let r = RecordRef::Ticket(t.id);
                                let mut names = crate::tags::of(c, r)?;
                                if !names.iter().any(|n| n.eq_ignore_ascii_case(name)) {
                                    names.push(name.clone());
                                    crate::tags::set(c, r, &names)?;
                                }
                            }
                        }
                        _ => {}
                    }
                }
                Ok::<_, AppError>(())
            })
        })
        .await?;
    set_flash(&session, key("tickets-flash-bulk"));
    Ok(after_post(htmx, "/tickets"))
}

/// `GET /tickets/{id}/attachments/{other}`: always a download.
pub async fn attachment(
    user: CurrentUser,
    state: State,
    path: web::Path<(TicketId, i64)>,
) -> AppResult<HttpResponse> {
    let (id, file) = path.into_inner();
    let u = user.clone();
    let (a, _) = state
        .db(move |c| {
            load_visible(c, &u, id)?;
            repo::attachment(c, id, file)?.ok_or(AppError::NotFound)
        })
        .await?;
    download(&state, &a)
}

pub fn download(state: &State, a: &repo::Attachment) -> AppResult<HttpResponse> {
    let path =
        inbound::stored_path(&state.config.data_dir, &a.stored_name).ok_or(AppError::NotFound)?;
    let bytes = std::fs::read(path).map_err(|_| AppError::NotFound)?;
    let ascii: String = a
        .filename
        .chars()
        .map(|ch| {
            if ch.is_ascii_alphanumeric() || ".-_ ".contains(ch) {
                ch
            } else {
                '_'
            }
        })
        .collect();
    Ok(HttpResponse::Ok()
        // Never rendered: a generic type, a download, no sniffing.
        .content_type("application/octet-stream")
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"{ascii}\""),
        ))
        .insert_header(("X-Content-Type-Options", "nosniff"))
        .body(bytes))
}

/// `GET /tickets/new?email=&name=&order=&account=`: an agent opens a
/// ticket for a customer (an order's or account's page fills in what it
/// knows).
pub async fn new_form(
    user: CurrentUser,
    state: State,
    query: web::Query<Params>,
) -> AppResult<HttpResponse> {
    let queues = state.db(|c| Ok(repo::queues(c)?)).await?;
    page(&NewPage {
        chrome: Chrome::new(&user, Section::Tickets),
        email: query.get("email").trim().chars().take(254).collect(),
        requester_name: query.get("name").trim().chars().take(200).collect(),
        subject: String::new(),
        body: String::new(),
        priority: String::new(),
        queue: String::new(),
        links: links::Typed::from_form(&query),
        queues,
        errors: FieldErrors::new(),
    })
}

pub async fn create(
    user: CurrentUser,
    state: State,
    htmx: Htmx,
    body: web::Form<Params>,
) -> AppResult<HttpResponse> {
    let mut errors = FieldErrors::new();
    let l = &user.locale;
    let email = body.get("email").trim().to_string();
    let parsed = crate::domain::EmailAddress::parse(&email);
    if let Err(e) = &parsed {
        errors.add("email", e.text(l));
    }
    let subject = body.text("subject", 400).unwrap_or_default();
    if subject.trim().is_empty() {
        errors.add("subject", l.t("tickets-error-subject"));
    }
    let text = body.text("body", 20_000).unwrap_or_default();
    if text.trim().is_empty() {
        errors.add("body", l.t("tickets-error-empty"));
    }
    let priority = Priority::parse(body.get("priority").trim());
    let queue_id = QueueId::parse(body.get("queue"));
    let name = body.text("name", 200).unwrap_or_default();
    let typed = links::Typed::from_form(&body);
    let form_links = typed.clone();
    let form = (
        email.clone(),
        name.clone(),
        subject.clone(),
        text.clone(),
        body.get("priority").to_string(),
        body.get("queue").to_string(),
    );
    let u = user.clone();
    let result = state
        .db(move |c| {
            let queue = match queue_id {
                Some(q) => repo::queue(c, q)?,
                None => Some(repo::default_queue(c)?),
            };
            let mut errors = errors;
            let linked = links::resolve(c, &u, &typed, &mut errors)?;
            let (Some(queue), Ok(address), true) = (queue, parsed, errors.is_empty()) else {
                let mut errors = errors;
                if queue_id.is_some() && errors.get("queue").is_none() {
                    errors.add("queue", u.locale.t("tickets-error-queue"));
                }
                return Ok(Err((errors, repo::queues(c)?)));
            };
            let me = UserId::new(u.id);
            let id = write_tx(c, |c| {
                let requester = write::find_or_create_contact(c, address.as_str(), &name)?;
                let (id, _) = write::open(
                    c,
                    &NewTicket {
                        subject: &subject,
                        requester,
                        queue: &queue,
                        priority,
                        body: &text,
                        kind: MessageKind::InternalNote,
                        author: Some(me),
                        message_id: None,
                        links: linked,
                    },
                )?;
                Ok::<_, AppError>(id)
            })?;
            Ok(Ok(id))
        })
        .await?;
    match result {
        Ok(id) => Ok(after_post(htmx, &format!("/tickets/{id}"))),
        Err((errors, queues)) => html(
            StatusCode::UNPROCESSABLE_ENTITY,
            &NewPage {
                chrome: Chrome::new(&user, Section::Tickets),
                email: form.0,
                requester_name: form.1,
                subject: form.2,
                body: form.3,
                priority: form.4,
                queue: form.5,
                links: form_links,
                queues,
                errors,
            },
        ),
    }
}
