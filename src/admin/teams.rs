use actix_session::Session;
use actix_web::{HttpResponse, web};

use super::forms::TeamForm;
use super::views::{TEAMS, TeamsPage};
use crate::audit::{self, AuditAction, AuditEntity, Entry};
use crate::db::write_tx;
use crate::domain::ids::TeamId;
use crate::error::{AppError, AppResult};
use crate::i18n::{self, StoredMessage, key};
use crate::staff::list::TeamListOptions;
use crate::staff::repo;
use crate::web::Section;
use crate::web::list::{ListState, Params};
use crate::web::render::{invalid, page, see_other};
use crate::web::state::AppState;
use crate::web::{Chrome, CurrentUser, Htmx};

type State = web::Data<AppState>;

async fn render(
    user: &CurrentUser,
    state: &State,
    htmx: Htmx,
    opts: TeamListOptions,
    failed: Failed,
) -> AppResult<HttpResponse> {
    let (opts, teams, pager) = state
        .db(move |c| {
            let counted = repo::count_teams(c, &opts)?;
            Ok(opts.load(counted, |o| repo::list_teams_with_counts(c, o))?)
        })
        .await?;
    let failed_any = failed.error.is_some() || failed.rename_error.is_some();
    let view = TeamsPage {
        chrome: Chrome::new(user, Section::Admin),
        list: ListState::new(&TEAMS, &opts, pager, Vec::new()),
        teams,
        new_name: failed.new_name,
        error: failed.error,
        rename_error: failed.rename_error,
    };
    if failed_any {
        invalid(&view)
    } else if htmx.fragment() {
        page(&view.as_results())
    } else {
        page(&view)
    }
}

/// What a failed create or rename brings back to the page.
#[derive(Default)]
struct Failed {
    new_name: String,
    error: Option<String>,
    rename_error: Option<(TeamId, String)>,
}

/// The first page, re-rendered after a failed create or rename.
async fn refused(user: &CurrentUser, state: &State, failed: Failed) -> AppResult<HttpResponse> {
    let opts = TeamListOptions::parse(&Params::default())?;
    render(user, state, Htmx::default(), opts, failed).await
}

pub async fn list(
    user: CurrentUser,
    state: State,
    htmx: Htmx,
    query: web::Query<Params>,
) -> AppResult<HttpResponse> {
    let opts = TeamListOptions::parse(&query)?;
    render(&user, &state, htmx, opts, Failed::default()).await
}

fn record(
    c: &mut crate::db::DbConn,
    actor: i64,
    action: AuditAction,
    id: TeamId,
    summary: StoredMessage,
) -> Result<(), AppError> {
    Ok(audit::record(
        c,
        Entry {
            actor: Some(actor),
            action,
            entity: AuditEntity::Team,
            entity_id: Some(id.get()),
            summary,
        },
    )?)
}

pub async fn create(
    user: CurrentUser,
    state: State,
    session: Session,
    form: web::Form<TeamForm>,
) -> AppResult<HttpResponse> {
    let name = match form.validate(&user.locale) {
        Ok(n) => n,
        Err(e) => {
            let failed = Failed {
                new_name: form.name.clone(),
                error: Some(e),
                ..Failed::default()
            };
            return refused(&user, &state, failed).await;
        }
    };
    let (n, actor) = (name.clone(), user.id);
    let created = state
        .db(move |c| {
            write_tx(c, |c| {
                if repo::team_name_taken(c, &n, None)? {
                    return Ok(false);
                }
                let id = repo::insert_team(c, &n)?;
                record(
                    c,
                    actor,
                    AuditAction::Create,
                    id,
                    StoredMessage::new(key("audit-team-created")).text("name", n.as_str()),
                )?;
                Ok(true)
            })
        })
        .await?;
    if !created {
        let failed = Failed {
            new_name: name,
            error: Some(user.locale.t("error-team-name-taken")),
            ..Failed::default()
        };
        return refused(&user, &state, failed).await;
    }
    i18n::set_flash(&session, key("flash-team-created"));
    Ok(see_other("/admin/teams"))
}

pub async fn rename(
    user: CurrentUser,
    state: State,
    session: Session,
    path: web::Path<TeamId>,
    form: web::Form<TeamForm>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let name = match form.validate(&user.locale) {
        Ok(n) => n,
        Err(e) => {
            let failed = Failed {
                rename_error: Some((id, e)),
                ..Failed::default()
            };
            return refused(&user, &state, failed).await;
        }
    };
    let actor = user.id;
    let renamed = state
        .db(move |c| {
            write_tx(c, |c| {
                let before = repo::get_team(c, id)?.ok_or(AppError::NotFound)?;
                if repo::team_name_taken(c, &name, Some(id))? {
                    return Ok(false);
                }
                repo::rename_team(c, id, &name)?;
                record(
                    c,
                    actor,
                    AuditAction::Update,
                    id,
                    StoredMessage::new(key("audit-team-renamed"))
                        .text("before", before.name.as_str())
                        .text("after", name.as_str()),
                )?;
                Ok(true)
            })
        })
        .await?;
    if !renamed {
        let failed = Failed {
            rename_error: Some((id, user.locale.t("error-team-name-taken"))),
            ..Failed::default()
        };
        return refused(&user, &state, failed).await;
    }
    i18n::set_flash(&session, key("flash-team-renamed"));
    Ok(see_other("/admin/teams"))
}

pub async fn delete(
    user: CurrentUser,
    state: State,
    session: Session,
    path: web::Path<TeamId>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let actor = user.id;
    state
        .db(move |c| {
            write_tx(c, |c| {
                let team = repo::get_team(c, id)?.ok_or(AppError::NotFound)?;
                repo::delete_team(c, id)?;
                record(
                    c,
                    actor,
                    AuditAction::Delete,
                    id,
                    StoredMessage::new(key("audit-team-deleted")).text("name", team.name.as_str()),
                )
            })
        })
        .await?;
    i18n::set_flash(&session, key("flash-team-deleted"));
    Ok(see_other("/admin/teams"))
}
