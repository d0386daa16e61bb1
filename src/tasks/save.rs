//! Units of work on tasks, with the rules of who may do them: anyone may
//! add a task for themselves (or, with ContactsAssign, for someone within
//! their reach), linked only to records they can see; a task may be
//! completed or reopened by its assignee or by anyone who can see its record.

use super::domain::{NewTask, person_name};
use super::forms::{ACCOUNT_UNSEEN, CONTACT_UNSEEN, DEAL_UNSEEN, TaskForm};
use super::repo::{self, TaskRow};
use crate::auth::policy::{Action, Viewer};
use crate::contacts;
use crate::db::{DbConn, write_tx};
use crate::domain::ids::{AccountId, ContactId, DealId, TaskId, UserId};
use crate::error::{AppError, AppResult};
use crate::records::Links;
use crate::staff;
use crate::web::CurrentUser;
use crate::web::forms::FieldErrors;

/// A record a task is (to be) linked to, as the form shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Linked {
    pub id: i64,
    pub name: String,
    pub href: String,
}

/// What the task form offers: assignees (empty when the user may not
/// assign) and the records it links to.
#[derive(Clone, Debug, Default)]
pub struct Choices {
    pub assignees: Vec<(i64, String)>,
    pub contact: Option<Linked>,
    pub account: Option<Linked>,
    pub deal: Option<Linked>,
}

pub enum Saved {
    Done(TaskId),
    Invalid(FieldErrors, Box<Choices>),
}

pub fn assignee_choices(c: &mut DbConn, user: &CurrentUser) -> AppResult<Vec<(i64, String)>> {
    if user.can(Action::ContactsAssign) {
        Ok(staff::repo::assignable_users(c, &user.viewer())?)
    } else {
        Ok(Vec::new())
    }
}

pub fn visible_contact(
    c: &mut DbConn,
    viewer: &Viewer,
    id: ContactId,
) -> AppResult<Option<Linked>> {
    Ok(contacts::repo::get(c, viewer, id)?.map(|d| Linked {
        id: id.get(),
        name: person_name(&d.first_name, &d.last_name),
        href: format!("/contacts/{id}"),
    }))
}

pub fn visible_account(
    c: &mut DbConn,
    viewer: &Viewer,
    id: AccountId,
) -> AppResult<Option<Linked>> {
    Ok(
        repo::visible_account_name(c, viewer, id)?.map(|name| Linked {
            id: id.get(),
            name,
            href: format!("/accounts/{id}"),
        }),
    )
}

pub fn visible_deal(c: &mut DbConn, viewer: &Viewer, id: DealId) -> AppResult<Option<Linked>> {
    Ok(crate::deals::repo::get_for(c, viewer, id)?.map(|d| Linked {
        id: id.get(),
        name: d.title,
        href: format!("/leads/{id}"),
    }))
}

/// The assignee a new task gets: the chosen one if the user may assign and
/// the choice is within their reach, else the user. A field the user is not
/// shown cannot be set by posting it.
fn resolve_assignee(
    user: &CurrentUser,
    form: &TaskForm,
    allowed: &[(i64, String)],
    errors: &mut FieldErrors,
) -> i64 {
    if allowed.is_empty() || form.assignee_id.trim().is_empty() {
        return user.id;
    }
    match form
        .assignee()
        .filter(|chosen| allowed.iter().any(|(id, _)| id == chosen))
    {
        Some(chosen) => chosen,
        None => {
            errors.add("assignee_id", user.locale.t("error-task-assignee"));
            user.id
        }
    }
}

/// Validates and adds a task.
pub fn create(c: &mut DbConn, user: &CurrentUser, form: &TaskForm) -> AppResult<Saved> {
    let viewer = user.viewer();
    let mut errors = FieldErrors::new();
    let draft = form.validate(&user.locale).map_err(|e| errors = e).ok();
    let mut choices = Choices {
        assignees: assignee_choices(c, user)?,
        ..Choices::default()
    };
    let assignee = resolve_assignee(user, form, &choices.assignees, &mut errors);
    // Links are checked against the user's record scope; one they cannot see
    // is refused the same way whether it exists or not.
    let (contact, account) = form.record_ids();
    if let Some(id) = contact {
        choices.contact = visible_contact(c, &viewer, ContactId::new(id))?;
        if choices.contact.is_none() {
            errors.add("contact_id", user.locale.t(CONTACT_UNSEEN));
        }
    }
    if let Some(id) = account {
        choices.account = visible_account(c, &viewer, AccountId::new(id))?;
        if choices.account.is_none() {
            errors.add("account_id", user.locale.t(ACCOUNT_UNSEEN));
        }
    }
    if let Some(id) = form.deal() {
        choices.deal = visible_deal(c, &viewer, DealId::new(id))?;
        if choices.deal.is_none() {
            errors.add("deal_id", user.locale.t(DEAL_UNSEEN));
        }
    }
    let Some(draft) = draft.filter(|_| errors.is_empty()) else {
        return Ok(Saved::Invalid(errors, Box::new(choices)));
    };
    let task = NewTask {
        title: draft.title,
        due_on: draft.due_on,
        assignee_id: UserId::new(assignee),
        links: Links {
            contact: draft.contact_id.map(ContactId::new),
            account: draft.account_id.map(AccountId::new),
            deal: draft.deal_id.map(DealId::new),
            order: None,
            ticket: None,
        },
        created_by: UserId::new(user.id),
    };
    let id = write_tx(c, |c| repo::insert(c, &task))?;
    Ok(Saved::Done(id))
}

/// Whether the user may complete or reopen the task.
fn may_act(c: &mut DbConn, user: &CurrentUser, task: &TaskRow) -> AppResult<bool> {
    if task.assignee_id == UserId::new(user.id) {
        return Ok(true);
    }
    let viewer = user.viewer();
    if let Some(id) = task.contact_id
        && contacts::repo::get(c, &viewer, id)?.is_some()
    {
        return Ok(true);
    }
    if let Some(id) = task.account_id
        && repo::visible_account_name(c, &viewer, id)?.is_some()
    {
        return Ok(true);
    }
    if let Some(id) = task.deal_id
        && crate::deals::repo::get_for(c, &viewer, id)?.is_some()
    {
        return Ok(true);
    }
    Ok(false)
}

/// Completes (`done`) or reopens a task the user may act on; a task they
/// may not act on is not found. Returns the task as it is now.
pub fn set_done(c: &mut DbConn, user: &CurrentUser, id: TaskId, done: bool) -> AppResult<TaskRow> {
    write_tx(c, |c| {
        let task = repo::get(c, id)?.ok_or(AppError::NotFound)?;
        if !may_act(c, user, &task)? {
            return Err(AppError::NotFound);
        }
        if done {
            repo::complete(c, id)?;
        } else {
            repo::reopen(c, id)?;
        }
        repo::get(c, id)?.ok_or(AppError::NotFound)
    })
}
