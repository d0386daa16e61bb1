use actix_session::Session;
use actix_web::{HttpResponse, web};

use super::domain::ListOptions;
use super::forms::AccountForm;
use super::repo;
use super::save::{Saved, owner_choices, save};
use super::views::{FilterChoices, FormPage, LIST, ListPage, ShowPage};
use crate::contacts;
use crate::contacts::repo::ContactRow;
use crate::db::DbConn;
use crate::domain::ids::AccountId;
use crate::error::{AppError, AppResult};
use crate::i18n::key;
use crate::records::handlers::TIMELINE_LIMIT;
use crate::records::timeline;
use crate::records::views::TimelinePanel;
use crate::records::{AccountRecord, RecordKind, RecordRef, RecordType};
use crate::saved_views::repo::Viewer;
use crate::tasks::views::TaskPanel;
use crate::web::forms::FieldErrors;
use crate::web::list::menus::MenuCache;
use crate::web::list::{Params, Plan};
use crate::web::render::{after_save, invalid, page};
use crate::web::state::AppState;
use crate::web::{CurrentUser, Htmx};
use crate::{saved_views, staff, tags};

type State = web::Data<AppState>;

/// The list's filter menus, kept briefly (`web::list::menus`).
static MENUS: std::sync::LazyLock<MenuCache<FilterChoices>> =
    std::sync::LazyLock::new(MenuCache::default);

/// Contacts listed on the account's page; the rest are a link away.
const CONTACTS_SHOWN: i64 = 50;

pub async fn list(
    user: CurrentUser,
    state: State,
    htmx: Htmx,
    query: web::Query<Params>,
) -> AppResult<HttpResponse> {
    let opts = ListOptions::parse(&query)?;
    let (viewer, fragment, me) = (user.viewer(), htmx.fragment(), Viewer::from(&user));
    let (opts, rows, pager, tag_map, choices, views) = state
        .db(move |c| {
            let counted = repo::count_capped(c, &viewer, &opts)?;
            let plan = Plan::for_count(counted);
            let (opts, rows, pager) = opts.load(counted, |o| repo::list(c, &viewer, o, plan))?;
            let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
            let tag_map = tags::by_id(c, RecordKind::Account, &ids)?;
            // The filter menus are outside the swapped region: skip them for htmx.
            let choices = if fragment {
                FilterChoices::default()
            } else {
                MENUS.get(&viewer, || {
                    Ok::<_, AppError>(FilterChoices {
                        owners: staff::repo::assignable_users(c, &viewer)?,
                        tags: tags::in_scope(c, &viewer, RecordKind::Account)?,
                        industries: repo::industries(c, &viewer)?,
                        cities: repo::cities(c, &viewer)?,
                    })
                })?
            };
            let views = saved_views::bar(c, me, &LIST)?;
            Ok((opts, rows, pager, tag_map, choices, views))
        })
        .await?;
    let view = ListPage::new(&user, (&opts, pager, views), rows, tag_map, choices);
    if fragment {
        page(&view.as_results())
    } else {
        page(&view)
    }
}

/// Owners the user may choose from (empty when they may not assign).
type Owners = Vec<(i64, String)>;

/// What a form page needs besides the form: owners and industry suggestions.
fn form_choices(c: &mut DbConn, user: &CurrentUser) -> AppResult<(Owners, Vec<String>)> {
    Ok((
        owner_choices(c, user)?,
        repo::industries(c, &user.viewer())?,
    ))
}

pub async fn new_form(user: CurrentUser, state: State) -> AppResult<HttpResponse> {
    let u = user.clone();
    let (owners, industries) = state.db(move |c| form_choices(c, &u)).await?;
    let form = AccountForm {
        owner_id: user.id.to_string(),
        ..AccountForm::default()
    };
    page(&FormPage::new(
        &user,
        None,
        form,
        FieldErrors::new(),
        owners,
        industries,
    ))
}

/// Saves the form; a failed validation re-renders it (422) with the values kept.
async fn submit(
    user: CurrentUser,
    state: State,
    htmx: Htmx,
    session: Session,
    id: Option<AccountId>,
    form: AccountForm,
) -> AppResult<HttpResponse> {
    let (u, f) = (user.clone(), form.clone());
    let outcome = state
        .db(move |c| {
            let current = match id {
                Some(id) => Some(repo::get(c, &u.viewer(), id)?.ok_or(AppError::NotFound)?),
                None => None,
            };
            match save(c, &u, &f, current.as_ref())? {
                Saved::Invalid(errors, owners) => {
                    let industries = repo::industries(c, &u.viewer())?;
                    Ok(Err((errors, owners, industries)))
                }
                Saved::Done(id) => Ok(Ok(id)),
            }
        })
        .await?;
    match outcome {
        Ok(saved) => Ok(after_save(
            &session,
            htmx,
            id.is_none(),
            (key("accounts-flash-created"), key("accounts-flash-saved")),
            &format!("/accounts/{saved}"),
        )),
        Err((errors, owners, industries)) => {
            invalid(&FormPage::new(&user, id, form, errors, owners, industries))
        }
    }
}

pub async fn create(
    user: CurrentUser,
    state: State,
    htmx: Htmx,
    session: Session,
    form: web::Form<AccountForm>,
) -> AppResult<HttpResponse> {
    submit(user, state, htmx, session, None, form.into_inner()).await
}

/// The visible contacts of the account, by name, as /contacts?account= lists them.
fn account_contacts(
    c: &mut DbConn,
    user: &CurrentUser,
    id: AccountId,
) -> AppResult<(Vec<ContactRow>, i64)> {
    let filters = contacts::domain::Filters {
        account: Some(id.get()),
        ..Default::default()
    };
    let opts = contacts::domain::ListOptions::new(
        filters,
        contacts::domain::Sort::Name,
        false,
        CONTACTS_SHOWN,
    );
    let viewer = user.viewer();
    let total = contacts::repo::count(c, &viewer, &opts)?;
    let mut rows = contacts::repo::list(c, &viewer, &opts)?;
    rows.truncate(CONTACTS_SHOWN as usize);
    Ok((rows, total))
}

/// The account's page: details, tags, contacts, open tasks and timeline
/// (its own entries and its contacts').
pub(super) async fn load(state: &State, user: &CurrentUser, id: AccountId) -> AppResult<ShowPage> {
    let u = user.clone();
    let record = RecordRef::Account(id);
    let (account, tags, people, timeline, open_tasks, panels) = state
        .db(move |c| {
            let account = repo::get(c, &u.viewer(), id)?.ok_or(AppError::NotFound)?;
            let tags = tags::of(c, record)?;
            let people = account_contacts(c, &u, id)?;
            let timeline = timeline::of(c, record, TIMELINE_LIMIT)?;
            let open_tasks = crate::tasks::repo::open_for(c, record)?;
            let deal_panel = crate::deals::panel(c, &u, record)?;
            let order_panel = crate::orders::panel(c, &u, record)?;
            Ok((
                account,
                tags,
                people,
                timeline,
                open_tasks,
                (deal_panel, order_panel),
            ))
        })
        .await?;
    let task_panel = TaskPanel::for_record(user, record, open_tasks);
    let timeline = TimelinePanel::new(record, timeline, user.can(AccountRecord::WRITE));
    Ok(ShowPage::new(
        user,
        account,
        tags,
        people,
        timeline,
        (task_panel, panels.0, panels.1),
    ))
}

pub async fn show(
    user: CurrentUser,
    state: State,
    path: web::Path<AccountId>,
) -> AppResult<HttpResponse> {
    page(&load(&state, &user, path.into_inner()).await?)
}

pub async fn edit_form(
    user: CurrentUser,
    state: State,
    path: web::Path<AccountId>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let u = user.clone();
    let (account, tags, (owners, industries)) = state
        .db(move |c| {
            let account = repo::get(c, &u.viewer(), id)?.ok_or(AppError::NotFound)?;
            let tags = tags::of(c, RecordRef::Account(id))?;
            Ok((account, tags, form_choices(c, &u)?))
        })
        .await?;
    let form = AccountForm {
        name: account.name,
        domain: account.domain.unwrap_or_default(),
        industry: account.industry.unwrap_or_default(),
        size: account
            .size
            .map(|s| s.as_str().to_string())
            .unwrap_or_default(),
        phone: account.phone.unwrap_or_default(),
        address: account.address.unwrap_or_default(),
        city: account.city.unwrap_or_default(),
        country: account.country.unwrap_or_default(),
        tags: tags.join(", "),
        owner_id: account.owner_id.to_string(),
        allow_duplicate: String::new(),
    };
    page(&FormPage::new(
        &user,
        Some(id),
        form,
        FieldErrors::new(),
        owners,
        industries,
    ))
}

pub async fn update(
    user: CurrentUser,
    state: State,
    htmx: Htmx,
    session: Session,
    path: web::Path<AccountId>,
    form: web::Form<AccountForm>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    submit(user, state, htmx, session, Some(id), form.into_inner()).await
}
