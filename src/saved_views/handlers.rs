use actix_session::Session;
use actix_web::{HttpResponse, web};

use super::domain::ViewForm;
use super::lists;
use super::repo::{self, NewView, Viewer};
use super::views::IndexPage;
use crate::db::write_tx;
use crate::error::{AppError, AppResult};
use crate::i18n::{self, key};
use crate::web::CurrentUser;
use crate::web::list::Params;
use crate::web::render::{invalid, page, see_other};
use crate::web::state::AppState;

type State = web::Data<AppState>;

/// The views page, `?list=contacts` for one list's views.
fn list_key(p: &str) -> Option<&'static str> {
    lists::find(p.trim()).map(|l| l.meta.key)
}

async fn index_page(
    user: &CurrentUser,
    state: &State,
    list: Option<&'static str>,
) -> AppResult<IndexPage> {
    let viewer = Viewer::from(user);
    let rows = state
        .db(move |c| Ok(repo::visible(c, viewer, list)?))
        .await?;
    Ok(IndexPage::new(user, rows, list))
}

pub async fn index(
    user: CurrentUser,
    state: State,
    query: web::Query<Params>,
) -> AppResult<HttpResponse> {
    let list = list_key(query.get("list"));
    page(&index_page(&user, &state, list).await?)
}

pub async fn create(
    user: CurrentUser,
    state: State,
    session: Session,
    form: web::Form<ViewForm>,
) -> AppResult<HttpResponse> {
    let form = form.into_inner();
    let v = match form.validate(&user, true) {
        Ok(v) => v,
        Err(errors) => {
            let mut view = index_page(&user, &state, list_key(&form.list)).await?;
            view.draft = Some((form, errors));
            return invalid(&view);
        }
    };
    let user_id = user.id;
    let stored = v.clone();
    state
        .db(move |c| {
            let new = NewView {
                list: &stored.list,
                name: &stored.name,
                query_string: &stored.query,
                pinned: stored.pinned,
                shared: stored.shared,
            };
            Ok(repo::insert(c, user_id, &new)?)
        })
        .await?;
    i18n::set_flash(&session, key("flash-view-saved"));
    let href = lists::href(&v.list, &v.query).unwrap_or_else(|| "/views".into());
    Ok(see_other(&href))
}

pub async fn update(
    user: CurrentUser,
    state: State,
    session: Session,
    path: web::Path<i64>,
    form: web::Form<ViewForm>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let user_id = user.id;
    let current = state
        .db(move |c| repo::own(c, user_id, id)?.ok_or(AppError::NotFound))
        .await?;
    let list = list_key(&current.list);
    let v = match form.validate(&user, false) {
        Ok(v) => v,
        Err(errors) => {
            let mut view = index_page(&user, &state, list).await?;
            view.failed = Some((id, errors));
            return invalid(&view);
        }
    };
    state
        .db(move |c| {
            Ok(write_tx(c, |c| {
                repo::update(c, user_id, id, &v.name, v.pinned, v.shared)
            })?)
        })
        .await?;
    i18n::set_flash(&session, key("flash-view-saved"));
    Ok(see_other(&back(list)))
}

pub async fn delete(
    user: CurrentUser,
    state: State,
    session: Session,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let user_id = user.id;
    let list = state
        .db(move |c| {
            write_tx(c, |c| {
                let current = repo::own(c, user_id, id)?.ok_or(AppError::NotFound)?;
                repo::delete(c, user_id, id)?;
                Ok(list_key(&current.list))
            })
        })
        .await?;
    i18n::set_flash(&session, key("flash-view-deleted"));
    Ok(see_other(&back(list)))
}

fn back(list: Option<&str>) -> String {
    match list {
        Some(l) => format!("/views?list={l}"),
        None => "/views".into(),
    }
}
