use actix_session::Session;
use actix_web::{HttpResponse, web};

use super::forms::TeamForm;
use super::views::TeamsPage;
use crate::audit::{self, AuditAction, AuditEntity, Entry};
use crate::db::write_tx;
use crate::domain::ids::TeamId;
use crate::error::{AppError, AppResult};
use crate::staff::repo;
use crate::web::Section;
use crate::web::render::{invalid, page, see_other};
use crate::web::session::set_flash;
use crate::web::state::AppState;
use crate::web::{Chrome, CurrentUser};

type State = web::Data<AppState>;

async fn render(
    user: &CurrentUser,
    state: &State,
    new_name: String,
    error: Option<String>,
    rename_error: Option<(TeamId, String)>,
) -> AppResult<HttpResponse> {
    let teams = state.db(|c| Ok(repo::list_teams_with_counts(c)?)).await?;
    let failed = error.is_some() || rename_error.is_some();
    let view = TeamsPage {
        chrome: Chrome::new(user, Section::Admin),
        teams,
        new_name,
        error,
        rename_error,
    };
    if failed { invalid(&view) } else { page(&view) }
}

pub async fn list(user: CurrentUser, state: State) -> AppResult<HttpResponse> {
    render(&user, &state, String::new(), None, None).await
}

fn record(
    c: &mut crate::db::DbConn,
    actor: i64,
    action: AuditAction,
    id: TeamId,
    summary: String,
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
    let name = match form.validate() {
        Ok(n) => n,
        Err(e) => return render(&user, &state, form.name.clone(), Some(e), None).await,
    };
    let (n, actor) = (name.clone(), user.id);
    let created = state
        .db(move |c| {
            write_tx(c, |c| {
                if repo::team_name_taken(c, &n, None)? {
                    return Ok(false);
                }
                let id = repo::insert_team(c, &n)?;
                record(c, actor, AuditAction::Create, id, format!("Team {n}"))?;
                Ok(true)
            })
        })
        .await?;
    if !created {
        return render(
            &user,
            &state,
            name,
            Some("A team with this name exists already.".into()),
            None,
        )
        .await;
    }
    set_flash(&session, "Team created.");
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
    let name = match form.validate() {
        Ok(n) => n,
        Err(e) => return render(&user, &state, String::new(), None, Some((id, e))).await,
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
                    format!("Team {} renamed to {name}", before.name),
                )?;
                Ok(true)
            })
        })
        .await?;
    if !renamed {
        return render(
            &user,
            &state,
            String::new(),
            None,
            Some((id, "A team with this name exists already.".into())),
        )
        .await;
    }
    set_flash(&session, "Team renamed.");
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
                    format!("Team {}; its members now have no team", team.name),
                )
            })
        })
        .await?;
    set_flash(&session, "Team deleted. Its members now have no team.");
    Ok(see_other("/admin/teams"))
}
