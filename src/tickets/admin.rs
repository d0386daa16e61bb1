//! `/tickets/queues`: queues with their members, default priority, SLA
//! policy and round-robin switch (ManageTickets). Members are replaced as a
//! set in one transaction.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use diesel::prelude::*;

use super::domain::Priority;
use super::repo::{self, Queue};
use crate::db::schema::{queue_members, sla_policies, ticket_queues};
use crate::db::{DbConn, now, write_tx};
use crate::domain::ids::{QueueId, UserId};
use crate::error::{AppError, AppResult};
use crate::i18n::{key, set_flash};
use crate::web::forms::FieldErrors;
use crate::web::list::Params;
use crate::web::render::{after_post, html, page};
use crate::web::state::AppState;
use crate::web::{Chrome, CurrentUser, Htmx, Section};

type State = web::Data<AppState>;

/// A queue as the page shows it, with its members.
pub struct QueueRow {
    pub q: Queue,
    pub members: Vec<UserId>,
}

impl QueueRow {
    pub fn has(&self, user: &UserId) -> bool {
        self.members.contains(user)
    }

    pub fn policy_is(&self, id: &i64) -> bool {
        self.q.sla_policy_id == Some(*id)
    }
}

#[derive(Template)]
#[template(path = "tickets/queues.html")]
pub struct QueuesPage {
    pub chrome: Chrome,
    pub queues: Vec<QueueRow>,
    pub policies: Vec<(i64, String)>,
    pub users: Vec<(UserId, String)>,
    pub errors: FieldErrors,
    pub new_name: String,
}

fn load(
    c: &mut DbConn,
    user: &CurrentUser,
    errors: FieldErrors,
    new_name: String,
) -> AppResult<QueuesPage> {
    let mut queues = Vec::new();
    for q in repo::queues(c)? {
        let members = queue_members::table
            .filter(queue_members::queue_id.eq(q.id))
            .select(queue_members::user_id)
            .load(c)?;
        queues.push(QueueRow { q, members });
    }
    Ok(QueuesPage {
        chrome: Chrome::new(user, Section::Tickets),
        queues,
        policies: sla_policies::table
            .select((sla_policies::id, sla_policies::name))
            .order(sla_policies::name.asc())
            .load(c)?,
        users: repo::user_names(c)?,
        errors,
        new_name,
    })
}

pub async fn list(user: CurrentUser, state: State) -> AppResult<HttpResponse> {
    let u = user.clone();
    let view = state
        .db(move |c| load(c, &u, FieldErrors::new(), String::new()))
        .await?;
    page(&view)
}

/// `POST /tickets/queues`: a new queue (a taken name: 422 beside it).
pub async fn create(
    user: CurrentUser,
    state: State,
    htmx: Htmx,
    session: Session,
    body: web::Form<Params>,
) -> AppResult<HttpResponse> {
    let name = body.text("name", 200).unwrap_or_default();
    let u = user.clone();
    let answer = state
        .db(move |c| {
            let mut errors = FieldErrors::new();
            if name.trim().is_empty() {
                errors.add("name", u.locale.t("tickets-error-queue-name"));
                return Ok(Some(load(c, &u, errors, name)?));
            }
            let inserted = write_tx(c, |c| {
                let policy: Option<i64> = sla_policies::table
                    .select(sla_policies::id)
                    .order(sla_policies::id.asc())
                    .first(c)
                    .optional()?;
                diesel::insert_into(ticket_queues::table)
                    .values((
                        ticket_queues::name.eq(name.trim()),
                        ticket_queues::default_priority.eq(Priority::Normal),
                        ticket_queues::sla_policy_id.eq(policy),
                        ticket_queues::created_at.eq(now()),
                    ))
                    .execute(c)
            });
            match inserted {
                Ok(_) => Ok(None),
                Err(diesel::result::Error::DatabaseError(
                    diesel::result::DatabaseErrorKind::UniqueViolation,
                    _,
                )) => {
                    errors.add("name", u.locale.t("tickets-error-queue-taken"));
                    Ok(Some(load(c, &u, errors, name)?))
                }
                Err(e) => Err(e.into()),
            }
        })
        .await?;
    match answer {
        None => {
            set_flash(&session, key("tickets-flash-queue-saved"));
            Ok(after_post(htmx, "/tickets/queues"))
        }
        Some(view) => html(StatusCode::UNPROCESSABLE_ENTITY, &view),
    }
}

/// `POST /tickets/queues/{id}`: default priority, policy, round robin,
/// members (checked users).
pub async fn update(
    _user: CurrentUser,
    state: State,
    htmx: Htmx,
    session: Session,
    path: web::Path<QueueId>,
    body: web::Form<Params>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let priority = Priority::parse(body.get("default_priority").trim());
    let policy = body.id("sla_policy_id");
    let auto = body.get("auto_assign") == "1";
    let members: Vec<i64> = body
        .0
        .0
        .iter()
        .filter(|(k, _)| k == "member")
        .filter_map(|(_, v)| v.trim().parse().ok())
        .collect();
    state
        .db(move |c| {
            repo::queue(c, id)?.ok_or(AppError::NotFound)?;
            let priority = priority.ok_or_else(|| AppError::refused("tickets-error-priority"))?;
            let known: Vec<i64> = repo::user_names(c)?.iter().map(|(u, _)| u.get()).collect();
            write_tx(c, |c| {
                diesel::update(ticket_queues::table.find(id))
                    .set((
                        ticket_queues::default_priority.eq(priority),
                        ticket_queues::sla_policy_id.eq(policy),
                        ticket_queues::auto_assign.eq(auto),
                    ))
                    .execute(c)?;
                diesel::delete(queue_members::table.filter(queue_members::queue_id.eq(id)))
                    .execute(c)?;
                for m in members.iter().filter(|m| known.contains(m)) {
                    diesel::insert_into(queue_members::table)
                        .values((
                            queue_members::queue_id.eq(id),
                            queue_members::user_id.eq(*m),
                        ))
                        .execute(c)?;
                }
                Ok::<_, AppError>(())
            })
        })
        .await?;
    set_flash(&session, key("tickets-flash-queue-saved"));
    Ok(after_post(htmx, "/tickets/queues"))
}
