//! Deal handlers: the board and its columns, the list, the deal page and
//! its form, and moves (which also win, lose and reopen).

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};

use super::board::{self, BoardQuery};
use super::domain::{DealStatus, ListOptions, days_since, is_stale, probability, weighted_minor};
use super::forms::{DealForm, MoveForm};
use super::moves::{self, Move, Refused};
use super::repo::{self, Reach};
use super::save::{Party, Saved, save};
use super::views::{
    BoardMoved, BoardPage, ColumnPage, FilterChoices, FormPage, LIST, ListPage, Notice, ShowPage,
};
use crate::auth::policy::Scope;
use crate::db::{DbConn, now};
use crate::domain::ids::{DealId, StageId};
use crate::error::{AppError, AppResult};
use crate::i18n::{key, set_flash};
use crate::pipelines::repo as pipelines;
use crate::records::handlers::TIMELINE_LIMIT;
use crate::records::views::TimelinePanel;
use crate::records::{DealRecord, RecordKind, RecordRef, RecordType, timeline};
use crate::saved_views::repo::Viewer as ViewOwner;
use crate::staff::assign::owner_choices;
use crate::web::forms::FieldErrors;
use crate::web::list::Params;
use crate::web::render::{after_post, after_save, html, page};
use crate::web::state::AppState;
use crate::web::{CurrentUser, Htmx};
use crate::{saved_views, staff, tags};

type State = web::Data<AppState>;

/// The filter menus of the board and the list.
fn choices(c: &mut DbConn, user: &CurrentUser) -> AppResult<FilterChoices> {
    let viewer = user.viewer();
    let teams = if viewer.scope == Scope::Own {
        Vec::new()
    } else {
        staff::repo::list_teams(c)?
            .into_iter()
            .filter(|t| viewer.scope == Scope::All || viewer.team_id == Some(t.id.get()))
            .map(|t| (t.id.get(), t.name))
            .collect()
    };
    Ok(FilterChoices {
        owners: staff::repo::owner_menu(c, &viewer)?,
        teams,
        tags: tags::in_scope(c, &viewer, RecordKind::Deal)?,
    })
}

/// Everything the board page shows, for `query` (a refused move's answer
/// too, with a notice).
pub(super) fn board_page(
    c: &mut DbConn,
    user: &CurrentUser,
    query: BoardQuery,
) -> AppResult<BoardPage> {
    let all = pipelines::all(c)?;
    let pipeline = pipelines::pick(&all, query.pipeline)
        .cloned()
        .ok_or(AppError::NotFound)?;
    let reach = Reach::filtered(c, &user.viewer(), &query.filters)?;
    let columns = board::load(c, &reach, &pipeline, &query)?;
    let choices = choices(c, user)?;
    let currency = crate::settings::repo::get(c)?.currency;
    Ok(BoardPage::new(
        user,
        &all,
        pipeline,
        query,
        columns,
        (choices, currency),
    ))
}

/// `/leads`: the board of a pipeline (`?pipeline=`), filtered by the URL.
pub async fn board(
    user: CurrentUser,
    state: State,
    htmx: Htmx,
    query: web::Query<Params>,
) -> AppResult<HttpResponse> {
    let q = BoardQuery::parse(&query);
    let u = user.clone();
    let view = state.db(move |c| board_page(c, &u, q)).await?;
    if htmx.fragment() {
        page(&view.as_board())
    } else {
        page(&view)
    }
}

/// `/leads/stages/{id}?after=`: a column's next cards (htmx appends them;
/// without JavaScript a page of its own).
pub async fn column(
    user: CurrentUser,
    state: State,
    htmx: Htmx,
    path: web::Path<StageId>,
    query: web::Query<Params>,
) -> AppResult<HttpResponse> {
    let stage_id = path.into_inner();
    let q = BoardQuery::parse(&query);
    let after = DealId::parse(query.get("after"));
    let u = user.clone();
    let view = state
        .db(move |c| {
            let stage = pipelines::stage(c, stage_id)?
                .filter(|s| s.is_open())
                .ok_or(AppError::NotFound)?;
            let pipeline = pipelines::one(c, stage.pipeline_id)?.ok_or(AppError::NotFound)?;
            let reach = Reach::filtered(c, &u.viewer(), &q.filters)?;
            let (cards, more_after) = board::page_of(c, &reach, &stage, &q, after)?;
            Ok(ColumnPage {
                chrome: crate::web::Chrome::new(&u, crate::web::Section::Leads),
                pipeline,
                query: q,
                stage,
                cards,
                more_after,
                can_write: u.can(crate::auth::policy::Action::DealsWrite),
            })
        })
        .await?;
    if htmx.fragment() {
        page(&view.as_cards())
    } else {
        page(&view)
    }
}

/// `/leads/list`: every deal in scope, sorted and filtered like the other lists.
pub async fn list(
    user: CurrentUser,
    state: State,
    htmx: Htmx,
    query: web::Query<Params>,
) -> AppResult<HttpResponse> {
    let opts = ListOptions::parse(&query)?;
    let (u, fragment, me) = (user.clone(), htmx.fragment(), ViewOwner::from(&user));
    let (opts, rows, pager, tag_map, all, choices, views) = state
        .db(move |c| {
            let reach = Reach::filtered(c, &u.viewer(), &opts.filters)?;
            let counted = repo::count_capped(c, &reach, &opts)?;
            let (opts, rows, pager) = opts.load(counted, |o| repo::list(c, &reach, o, counted))?;
            let ids: Vec<i64> = rows.iter().map(|r| r.id.get()).collect();
            let tag_map = tags::by_id(c, RecordKind::Deal, &ids)?;
            let all = pipelines::all(c)?;
            let choices = if fragment {
                FilterChoices::default()
            } else {
                choices(c, &u)?
            };
            let views = saved_views::bar(c, me, &LIST)?;
            Ok((opts, rows, pager, tag_map, all, choices, views))
        })
        .await?;
    let view = ListPage::new(&user, (&opts, pager, views), rows, tag_map, &all, choices);
    if fragment {
        page(&view.as_results())
    } else {
        page(&view)
    }
}

/// The deal's page: facts, stage history, actions and timeline.
pub(super) async fn load(state: &State, user: &CurrentUser, id: DealId) -> AppResult<ShowPage> {
    let u = user.clone();
    state
        .db(move |c| {
            let deal = repo::get_for(c, &u.viewer(), id)?.ok_or(AppError::NotFound)?;
            show_page(c, &u, deal)
        })
        .await
}

fn show_page(c: &mut DbConn, user: &CurrentUser, deal: repo::Deal) -> AppResult<ShowPage> {
    let record = RecordRef::Deal(deal.id);
    let pipeline = pipelines::one(c, deal.pipeline_id)?.ok_or(AppError::NotFound)?;
    let tags = tags::of(c, record)?;
    let history = moves::history(c, deal.id)?;
    let deleted_stages = pipelines::deleted_stages(c, pipeline.id)?;
    let reasons = pipelines::reasons(c, false)?;
    let entries = timeline::of(c, record, TIMELINE_LIMIT)?;
    let open_tasks = crate::tasks::repo::open_for(c, record)?;
    let stage = pipeline.stage(deal.stage_id).cloned();
    let t = now();
    let (pct, stale) = match &stage {
        Some(s) => (
            probability(deal.probability, s),
            deal.status == DealStatus::Open
                && is_stale(
                    deal.stage_entered_at,
                    deal.last_activity_at,
                    s.rot_after_days,
                    t,
                ),
        ),
        None => (deal.probability.unwrap_or(0), false),
    };
    Ok(ShowPage {
        chrome: crate::web::Chrome::new(user, crate::web::Section::Leads),
        days_in_stage: days_since(deal.stage_entered_at, t),
        stale,
        probability: pct,
        weighted_minor: weighted_minor(i128::from(deal.value_minor) * i128::from(pct)),
        timeline: TimelinePanel::new(record, entries, user.can(DealRecord::WRITE)),
        task_panel: crate::tasks::views::TaskPanel::for_record(user, record, open_tasks),
        deal,
        pipeline,
        tags,
        history,
        deleted_stages,
        reasons,
        notice: None,
        lost_error: None,
        can_edit: user.can(crate::auth::policy::Action::DealsWrite),
        can_delete: user.can(crate::auth::policy::Action::DealsDelete),
    })
}

pub async fn show(
    user: CurrentUser,
    state: State,
    path: web::Path<DealId>,
) -> AppResult<HttpResponse> {
    page(&load(&state, &user, path.into_inner()).await?)
}

/// What the form needs besides itself: owners to choose and pipelines.
fn form_page(
    c: &mut DbConn,
    user: &CurrentUser,
    id: Option<DealId>,
    form: DealForm,
    errors: FieldErrors,
) -> AppResult<FormPage> {
    let owners = owner_choices(c, user)?;
    let all = pipelines::all(c)?;
    Ok(FormPage::new(user, id, form, errors, owners, &all))
}

/// `/leads/new`, prefilled from `?contact=`, `?account=` or `?stage=`.
pub async fn new_form(
    user: CurrentUser,
    state: State,
    query: web::Query<Params>,
) -> AppResult<HttpResponse> {
    let u = user.clone();
    let view = state
        .db(move |c| {
            let viewer = u.viewer();
            let currency = crate::settings::repo::get(c)?.currency;
            let all = pipelines::all(c)?;
            let first_stage = pipelines::pick(&all, None)
                .and_then(|p| p.open_stages().next())
                .map(|s| s.id.get());
            let mut form = DealForm {
                owner_id: u.id.to_string(),
                currency,
                source: super::domain::DealSource::Other.as_str().into(),
                stage_id: query
                    .id("stage")
                    .or(first_stage)
                    .map(|s| s.to_string())
                    .unwrap_or_default(),
                ..DealForm::default()
            };
            if let Some(id) = crate::domain::ids::ContactId::parse(query.get("contact"))
                && let Some(contact) = crate::contacts::repo::get(c, &viewer, id)?
            {
                form.contact = contact.email.clone().unwrap_or_else(|| id.to_string());
                if let Some(account) = contact.account_name.clone() {
                    form.account = account;
                }
            }
            if let Some(id) = crate::domain::ids::AccountId::parse(query.get("account"))
                && let Some(account) = crate::accounts::repo::get(c, &viewer, id)?
            {
                form.account = account.name;
            }
            form_page(c, &u, None, form, FieldErrors::new())
        })
        .await?;
    page(&view)
}

/// Saves the form; a refused one comes back (422) with the values kept, a
/// stale edit (someone saved meanwhile) as 409 with the fresh values.
async fn submit(
    user: CurrentUser,
    state: State,
    htmx: Htmx,
    session: Session,
    id: Option<DealId>,
    form: DealForm,
) -> AppResult<HttpResponse> {
    let u = user.clone();
    let outcome = state
        .db(move |c| {
            let current = match id {
                Some(id) => Some(repo::get_for(c, &u.viewer(), id)?.ok_or(AppError::NotFound)?),
                None => None,
            };
            Ok(
                match save(c, &u, &form, current.as_ref(), Party::Required)? {
                    Saved::Done(saved) => Ok(saved),
                    Saved::Invalid(errors) => Err((
                        StatusCode::UNPROCESSABLE_ENTITY,
                        form_page(c, &u, id, form, errors)?,
                    )),
                    Saved::Conflict => {
                        let fresh = current.ok_or(AppError::NotFound)?;
                        let fresh =
                            repo::get_for(c, &u.viewer(), fresh.id)?.ok_or(AppError::NotFound)?;
                        let fresh_tags = tags::of(c, RecordRef::Deal(fresh.id))?;
                        let mut errors = FieldErrors::new();
                        errors.add("title", u.locale.t("deals-error-conflict"));
                        let form = form_of(&fresh, &fresh_tags);
                        Err((StatusCode::CONFLICT, form_page(c, &u, id, form, errors)?))
                    }
                },
            )
        })
        .await?;
    match outcome {
        Ok(saved) => Ok(after_save(
            &session,
            htmx,
            id.is_none(),
            (key("deals-flash-created"), key("deals-flash-saved")),
            &format!("/leads/{saved}"),
        )),
        Err((status, view)) => html(status, &view),
    }
}

pub async fn create(
    user: CurrentUser,
    state: State,
    htmx: Htmx,
    session: Session,
    form: web::Form<DealForm>,
) -> AppResult<HttpResponse> {
    submit(user, state, htmx, session, None, form.into_inner()).await
}

/// The form's values for a saved deal.
fn form_of(d: &repo::Deal, tags: &[String]) -> DealForm {
    DealForm {
        title: d.title.clone(),
        contact: d.contact_id.map(|id| id.to_string()).unwrap_or_default(),
        account: d.account_name.clone().unwrap_or_default(),
        value: crate::i18n::format::plain_amount(d.value_minor, &d.currency),
        currency: d.currency.clone(),
        probability: d.probability.map(|p| p.to_string()).unwrap_or_default(),
        expected_close: d
            .expected_close
            .map(|e| e.format("%Y-%m-%d").to_string())
            .unwrap_or_default(),
        source: d.source.as_str().into(),
        stage_id: d.stage_id.to_string(),
        owner_id: d.owner_id.to_string(),
        tags: tags.join(", "),
        version: d.version.to_string(),
    }
}

pub async fn edit_form(
    user: CurrentUser,
    state: State,
    path: web::Path<DealId>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let u = user.clone();
    let view = state
        .db(move |c| {
            let deal = repo::get_for(c, &u.viewer(), id)?.ok_or(AppError::NotFound)?;
            let tags = tags::of(c, RecordRef::Deal(id))?;
            form_page(c, &u, Some(id), form_of(&deal, &tags), FieldErrors::new())
        })
        .await?;
    page(&view)
}

pub async fn update(
    user: CurrentUser,
    state: State,
    htmx: Htmx,
    session: Session,
    path: web::Path<DealId>,
    form: web::Form<DealForm>,
) -> AppResult<HttpResponse> {
    submit(
        user,
        state,
        htmx,
        session,
        Some(path.into_inner()),
        form.into_inner(),
    )
    .await
}

/// `POST /leads/{id}/move`: to another stage (won, lost, reopened). Success:
/// 303 back (htmx: the fresh board). A stale version: 409 with the fresh
/// board and a message; lost without a reason: 422 (the deal's page with
/// the lost form's error, or the board with a message for htmx).
pub async fn move_deal(
    user: CurrentUser,
    state: State,
    htmx: Htmx,
    session: Session,
    path: web::Path<DealId>,
    form: web::Form<MoveForm>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let form = form.into_inner();
    let back = form.back();
    let from_board = !back.starts_with("/leads/");
    let board_query = BoardQuery::parse(&super::forms::query_of(&back));
    let u = user.clone();
    let answer = state
        .db(move |c| {
            let (Some(to), Some(version)) = (form.stage(), form.version()) else {
                // Not a move this app drew: like an unknown stage.
                let deal = repo::get_for(c, &u.viewer(), id)?.ok_or(AppError::NotFound)?;
                return refused(
                    c,
                    &u,
                    deal.pipeline_id,
                    Refused::UnknownStage,
                    id,
                    from_board,
                    board_query,
                );
            };
            let m = Move {
                deal: id,
                to,
                version,
                reason: form.reason(),
                note: form.note(),
            };
            match moves::apply(c, &u.viewer(), &m)? {
                Ok(moved) => {
                    let won = moved.deal.status == DealStatus::Won;
                    if htmx.fragment() && from_board {
                        let mut q = board_query;
                        q.pipeline = Some(moved.pipeline.id.get());
                        Ok(Answer::Moved(Box::new(moved_columns(c, &u, q, &moved)?)))
                    } else {
                        Ok(Answer::Done(won))
                    }
                }
                Err((why, here)) => {
                    refused(c, &u, here.pipeline.id, why, id, from_board, board_query)
                }
            }
        })
        .await?;
    match answer {
        Answer::Done(won) => {
            if won {
                set_flash(&session, key("deals-flash-won"));
            }
            Ok(after_post(htmx, &back))
        }
        Answer::Moved(view) => {
            // Only the out-of-band columns: the board itself stays.
            let mut res = html(StatusCode::OK, &*view)?;
            res.headers_mut().insert(
                actix_web::http::header::HeaderName::from_static("hx-reswap"),
                actix_web::http::header::HeaderValue::from_static("none"),
            );
            Ok(res)
        }
        Answer::Board(status, view) if htmx.fragment() => html(status, &view.as_board()),
        Answer::Board(status, view) => html(status, &*view),
        Answer::Deal(status, view) => html(status, &*view),
    }
}

/// How a move is answered.
enum Answer {
    Done(bool),
    /// Dragged on the board: the two columns it changed.
    Moved(Box<BoardMoved>),
    Board(StatusCode, Box<BoardPage>),
    Deal(StatusCode, Box<ShowPage>),
}

/// The columns a move changed (where the card left and where it went),
/// drawn as the board draws them, with the board's filters.
fn moved_columns(
    c: &mut DbConn,
    user: &CurrentUser,
    query: BoardQuery,
    moved: &moves::Moved,
) -> AppResult<BoardMoved> {
    let reach = Reach::filtered(c, &user.viewer(), &query.filters)?;
    let stages = [moved.from, moved.deal.stage_id];
    let columns = board::load_stages(c, &reach, &moved.pipeline, &query, &stages)?;
    let currency = crate::settings::repo::get(c)?.currency;
    // The filter menus are not drawn: empty choices spare their queries.
    Ok(BoardMoved(BoardPage::new(
        user,
        &[],
        moved.pipeline.clone(),
        query,
        columns,
        (FilterChoices::default(), currency),
    )))
}

/// A refused move: the fresh board (or deal page) with the reason.
fn refused(
    c: &mut DbConn,
    user: &CurrentUser,
    pipeline: crate::domain::ids::PipelineId,
    why: Refused,
    id: DealId,
    from_board: bool,
    mut query: BoardQuery,
) -> AppResult<Answer> {
    let l = &user.locale;
    let (status, text) = match why {
        Refused::Conflict => (StatusCode::CONFLICT, l.t("deals-error-conflict")),
        Refused::NeedsReason => (StatusCode::UNPROCESSABLE_ENTITY, l.t("deals-error-reason")),
        Refused::UnknownStage => (StatusCode::UNPROCESSABLE_ENTITY, l.t("deals-error-stage")),
    };
    if from_board {
        query.pipeline = Some(pipeline.get());
        let mut view = board_page(c, user, query)?;
        view.notice = Some(Notice {
            text,
            deal: (why == Refused::NeedsReason).then_some(id),
        });
        return Ok(Answer::Board(status, Box::new(view)));
    }
    let deal = repo::get_for(c, &user.viewer(), id)?.ok_or(AppError::NotFound)?;
    let mut view = show_page(c, user, deal)?;
    if why == Refused::NeedsReason {
        view.lost_error = Some(text);
    } else {
        view.notice = Some(Notice { text, deal: None });
    }
    Ok(Answer::Deal(status, Box::new(view)))
}
