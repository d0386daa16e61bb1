use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};

use super::domain::{self, DONE_LIMIT, TaskListOptions};
use super::forms::{DoneForm, NewQuery, TaskForm};
use super::repo;
use super::save::{self, Choices, Saved};
use super::views::{FormPage, ListPage, RowFragment, TaskItem};
use crate::auth::forms::safe_next;
use crate::db::now;
use crate::domain::ids::{AccountId, ContactId, TaskId, UserId};
use crate::error::{AppError, AppResult};
use crate::i18n::{self, key};
use crate::web::Section;
use crate::web::forms::FieldErrors;
use crate::web::list::Params;
use crate::web::render::{after_post, html, invalid, page, see_other};
use crate::web::state::AppState;
use crate::web::{Chrome, CurrentUser, Htmx};

type State = web::Data<AppState>;

const HOME: &str = "/tasks";

/// Where to go back to: the given local path, or My tasks.
fn next_or_home(next: &str) -> &str {
    safe_next(next.trim()).unwrap_or(HOME)
}

/// My tasks: open ones by due day (searchable, paged), and those done in
/// the last week. The viewer is the assignee, so "today" is the date in
/// their time zone.
pub async fn mine(
    user: CurrentUser,
    state: State,
    htmx: Htmx,
    query: web::Query<Params>,
) -> AppResult<HttpResponse> {
    let opts = TaskListOptions::parse(&query)?;
    let (me, today, since) = (
        UserId::new(user.id),
        user.locale.today(),
        domain::done_since(now()),
    );
    let (opts, open, pager, done) = state
        .db(move |c| {
            let counted = repo::count_open(c, me, &opts)?;
            let (opts, open, pager) = opts.load(counted, |o| repo::open_for_assignee(c, me, o))?;
            Ok((
                opts,
                open,
                pager,
                repo::done_since(c, me, since, DONE_LIMIT)?,
            ))
        })
        .await?;
    let view = ListPage::new(&user, today, (&opts, pager), open, done);
    if htmx.fragment() {
        page(&view.as_results())
    } else {
        page(&view)
    }
}

/// The full form; `?contact=ID` or `?account=ID` links the task to a record
/// the user can see (another is not found).
pub async fn new_form(
    user: CurrentUser,
    state: State,
    query: web::Query<NewQuery>,
) -> AppResult<HttpResponse> {
    let contact = query.contact.trim().parse::<i64>().ok().map(ContactId::new);
    let account = query.account.trim().parse::<i64>().ok().map(AccountId::new);
    let deal = crate::domain::ids::DealId::parse(&query.deal);
    let u = user.clone();
    let choices = state
        .db(move |c| {
            let viewer = u.viewer();
            let mut choices = Choices {
                assignees: save::assignee_choices(c, &u)?,
                ..Choices::default()
            };
            if let Some(id) = contact {
                choices.contact =
                    Some(save::visible_contact(c, &viewer, id)?.ok_or(AppError::NotFound)?);
            }
            if let Some(id) = account {
                choices.account =
                    Some(save::visible_account(c, &viewer, id)?.ok_or(AppError::NotFound)?);
            }
            if let Some(id) = deal {
                choices.deal = Some(save::visible_deal(c, &viewer, id)?.ok_or(AppError::NotFound)?);
            }
            Ok(choices)
        })
        .await?;
    let next = choices
        .contact
        .as_ref()
        .or(choices.account.as_ref())
        .or(choices.deal.as_ref())
        .map_or(HOME.to_string(), |l| l.href.clone());
    let form = TaskForm {
        due_on: user.locale.today().to_string(),
        assignee_id: user.id.to_string(),
        next: next.clone(),
        ..TaskForm::default()
    };
    page(&FormPage::new(
        &user,
        form,
        FieldErrors::new(),
        choices,
        &next,
    ))
}

pub async fn create(
    user: CurrentUser,
    state: State,
    htmx: Htmx,
    session: Session,
    form: web::Form<TaskForm>,
) -> AppResult<HttpResponse> {
    let form = form.into_inner();
    let next = next_or_home(&form.next).to_string();
    let (u, f) = (user.clone(), form.clone());
    match state.db(move |c| save::create(c, &u, &f)).await? {
        Saved::Done(_) => {
            i18n::set_flash(&session, key("flash-task-added"));
            Ok(after_post(htmx, &next))
        }
        Saved::Invalid(errors, choices) => {
            let view = FormPage::new(&user, form, errors, *choices, &next);
            if htmx.fragment() {
                html(StatusCode::UNPROCESSABLE_ENTITY, &view.as_task_form())
            } else {
                invalid(&view)
            }
        }
    }
}

pub async fn complete(
    user: CurrentUser,
    state: State,
    htmx: Htmx,
    path: web::Path<TaskId>,
    form: web::Form<DoneForm>,
) -> AppResult<HttpResponse> {
    set_done(user, state, htmx, path.into_inner(), &form.next, true).await
}

pub async fn reopen(
    user: CurrentUser,
    state: State,
    htmx: Htmx,
    path: web::Path<TaskId>,
    form: web::Form<DoneForm>,
) -> AppResult<HttpResponse> {
    set_done(user, state, htmx, path.into_inner(), &form.next, false).await
}

/// With htmx the row comes back to replace itself; without, back to `next`.
async fn set_done(
    user: CurrentUser,
    state: State,
    htmx: Htmx,
    id: TaskId,
    next: &str,
    done: bool,
) -> AppResult<HttpResponse> {
    let next = next_or_home(next);
    let u = user.clone();
    let row = state.db(move |c| save::set_done(c, &u, id, done)).await?;
    if htmx.fragment() {
        page(&RowFragment {
            chrome: Chrome::new(&user, Section::Tasks),
            t: TaskItem::new(row, &user, chrono::Utc::now(), next),
        })
    } else {
        Ok(see_other(next))
    }
}
