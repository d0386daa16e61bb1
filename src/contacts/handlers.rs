use actix_session::Session;
use actix_web::{HttpResponse, web};

use super::domain::ListOptions;
use super::forms::ContactForm;
use super::repo;
use super::save::{Saved, owner_choices, save};
use super::views::{FilterChoices, FormPage, LIST, ListPage, ShowPage};
use crate::domain::ids::ContactId;
use crate::error::{AppError, AppResult};
use crate::i18n::{key, set_flash};
use crate::records::handlers::TIMELINE_LIMIT;
use crate::records::timeline;
use crate::records::views::TimelinePanel;
use crate::records::{ContactRecord, RecordKind, RecordRef, RecordType};
use crate::saved_views::repo::Viewer;
use crate::tasks::views::TaskPanel;
use crate::web::forms::FieldErrors;
use crate::web::list::menus::MenuCache;
use crate::web::list::{Params, Plan};
use crate::web::render::{after_post, invalid, page};
use crate::web::state::AppState;
use crate::web::{CurrentUser, Htmx};
use crate::{saved_views, staff, tags};

type State = web::Data<AppState>;

/// The list's filter menus, kept briefly (`web::list::menus`).
static MENUS: std::sync::LazyLock<MenuCache<FilterChoices>> =
    std::sync::LazyLock::new(MenuCache::default);

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
            let search = repo::Search::new(&opts.terms);
            let counted = repo::count_capped(c, &viewer, &opts, &search)?;
            let plan = Plan::for_count(counted);
            let (opts, rows, pager) =
                opts.load(counted, |o| repo::list_page(c, &viewer, o, &search, plan))?;
            let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
            let tag_map = tags::by_id(c, RecordKind::Contact, &ids)?;
            // The filter menus are outside the swapped region: skip them for htmx.
            let choices = if fragment {
                FilterChoices::default()
            } else {
                MENUS.get(&viewer, || {
                    Ok::<_, AppError>(FilterChoices {
                        owners: staff::repo::assignable_users(c, &viewer)?,
                        tags: tags::in_scope(c, &viewer, RecordKind::Contact)?,
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

pub async fn new_form(user: CurrentUser, state: State) -> AppResult<HttpResponse> {
    let u = user.clone();
    let owners = state.db(move |c| owner_choices(c, &u)).await?;
    let form = ContactForm {
        owner_id: user.id.to_string(),
        ..ContactForm::default()
    };
    page(&FormPage::new(
        &user,
        None,
        form,
        FieldErrors::new(),
        owners,
    ))
}

pub async fn create(
    user: CurrentUser,
    state: State,
    htmx: Htmx,
    session: Session,
    form: web::Form<ContactForm>,
) -> AppResult<HttpResponse> {
    let form = form.into_inner();
    let (u, f) = (user.clone(), form.clone());
    match state.db(move |c| save(c, &u, &f, None)).await? {
        Saved::Done(id) => {
            set_flash(&session, key("contacts-flash-created"));
            Ok(after_post(htmx, &format!("/contacts/{id}")))
        }
        Saved::Invalid(errors, owners) => {
            invalid(&FormPage::new(&user, None, form, errors, owners))
        }
    }
}

/// The contact's page: details, tags, open tasks and timeline.
pub(super) async fn load(state: &State, user: &CurrentUser, id: ContactId) -> AppResult<ShowPage> {
    let viewer = user.viewer();
    let record = RecordRef::Contact(id);
    let u = user.clone();
    let (contact, timeline, tags, open_tasks, deal_panel, order_panel) = state
        .db(move |c| {
            let contact = repo::get(c, &viewer, id)?.ok_or(AppError::NotFound)?;
            let timeline = timeline::of(c, record, TIMELINE_LIMIT)?;
            let tags = tags::of(c, record)?;
            let open_tasks = crate::tasks::repo::open_for(c, record)?;
            let deal_panel = crate::deals::panel(c, &u, record)?;
            let order_panel = crate::orders::panel(c, &u, record)?;
            Ok((contact, timeline, tags, open_tasks, deal_panel, order_panel))
        })
        .await?;
    let task_panel = TaskPanel::for_record(user, record, open_tasks);
    let timeline = TimelinePanel::new(record, timeline, user.can(ContactRecord::WRITE));
    Ok(ShowPage::new(
        user,
        contact,
        timeline,
        tags,
        (task_panel, deal_panel, order_panel),
    ))
}

pub async fn show(
    user: CurrentUser,
    state: State,
    path: web::Path<ContactId>,
) -> AppResult<HttpResponse> {
    page(&load(&state, &user, path.into_inner()).await?)
}

pub async fn edit_form(
    user: CurrentUser,
    state: State,
    path: web::Path<ContactId>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let (viewer, u) = (user.viewer(), user.clone());
    let (contact, owners, tags) = state
        .db(move |c| {
            let contact = repo::get(c, &viewer, id)?.ok_or(AppError::NotFound)?;
            let tags = tags::of(c, RecordRef::Contact(id))?;
            Ok((contact, owner_choices(c, &u)?, tags))
        })
        .await?;
    let form = ContactForm {
        first_name: contact.first_name,
        last_name: contact.last_name,
        email: contact.email.unwrap_or_default(),
        phone: contact.phone.unwrap_or_default(),
        title: contact.title.unwrap_or_default(),
        account_name: contact.account_name.unwrap_or_default(),
        address: contact.address.unwrap_or_default(),
        city: contact.city.unwrap_or_default(),
        country: contact.country.unwrap_or_default(),
        lifecycle: contact.lifecycle.as_str().into(),
        source: contact.source.unwrap_or_default(),
        consent: contact.consent.as_str().into(),
        tags: tags.join(", "),
        owner_id: contact.owner_id.to_string(),
        allow_duplicate: String::new(),
        language: contact.language.unwrap_or_default(),
    };
    page(&FormPage::new(
        &user,
        Some(id),
        form,
        FieldErrors::new(),
        owners,
    ))
}

pub async fn update(
    user: CurrentUser,
    state: State,
    htmx: Htmx,
    session: Session,
    path: web::Path<ContactId>,
    form: web::Form<ContactForm>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let form = form.into_inner();
    let (u, f) = (user.clone(), form.clone());
    let outcome = state
        .db(move |c| {
            let current = repo::get(c, &u.viewer(), id)?.ok_or(AppError::NotFound)?;
            save(c, &u, &f, Some(&current))
        })
        .await?;
    match outcome {
        Saved::Done(id) => {
            set_flash(&session, key("contacts-flash-saved"));
            Ok(after_post(htmx, &format!("/contacts/{id}")))
        }
        Saved::Invalid(errors, owners) => {
            invalid(&FormPage::new(&user, Some(id), form, errors, owners))
        }
    }
}

/// Company-name suggestions for the contact form (htmx-filled datalist).
pub async fn account_suggestions(
    user: CurrentUser,
    state: State,
    query: web::Query<Params>,
) -> AppResult<HttpResponse> {
    let (viewer, prefix) = (
        user.viewer(),
        query.get("q").trim().chars().take(100).collect::<String>(),
    );
    if prefix.is_empty() {
        return page(&super::views::Suggestions { names: Vec::new() });
    }
    let names = state
        .db(move |c| Ok(crate::accounts::repo::suggest(c, &viewer, &prefix, 10)?))
        .await?;
    page(&super::views::Suggestions { names })
}
