use std::collections::HashMap;

use actix_session::Session;
use actix_web::{HttpResponse, web};

use super::forms::parse_scopes;
use super::views::RolesPage;
use crate::audit::{self, AuditAction, AuditEntity, Entry};
use crate::auth::policy::{Role, Scope};
use crate::db::write_tx;
use crate::error::AppResult;
use crate::i18n::{self, StoredMessage, key};
use crate::staff::repo;
use crate::web::Section;
use crate::web::render::{invalid, page, see_other};
use crate::web::state::AppState;
use crate::web::{Chrome, CurrentUser};

type State = web::Data<AppState>;

async fn load(state: &State) -> AppResult<Vec<(Role, Scope)>> {
    let rows = state.db(|c| Ok(repo::role_scopes(c)?)).await?;
    Ok(Role::ALL
        .iter()
        .map(|&role| {
            let scope = rows
                .iter()
                .find(|(name, _)| *name == role)
                .map(|(_, s)| *s)
                .unwrap_or(Scope::Own);
            (role, scope)
        })
        .collect())
}

pub async fn show(user: CurrentUser, state: State) -> AppResult<HttpResponse> {
    let roles = load(&state).await?;
    page(&RolesPage {
        chrome: Chrome::new(&user, Section::Admin),
        roles,
        error: None,
    })
}

/// Admins always see everything; the other roles' scopes are editable.
/// A scope change takes effect on each user's next request.
pub async fn save(
    user: CurrentUser,
    state: State,
    session: Session,
    form: web::Form<HashMap<String, String>>,
) -> AppResult<HttpResponse> {
    let scopes = match parse_scopes(&form, &user.locale) {
        Ok(s) => s,
        Err(e) => {
            let roles = load(&state).await?;
            return invalid(&RolesPage {
                chrome: Chrome::new(&user, Section::Admin),
                roles,
                error: Some(e),
            });
        }
    };
    let actor = user.id;
    state
        .db(move |c| {
            write_tx(c, |c| {
                let before = repo::role_scopes(c)?;
                for (role, scope) in &scopes {
                    let old = before
                        .iter()
                        .find(|(n, _)| n == role)
                        .map(|(_, s)| s.as_str());
                    if old == Some(scope.as_str()) {
                        continue;
                    }
                    repo::set_role_scope(c, *role, *scope)?;
                    audit::record(
                        c,
                        Entry {
                            actor: Some(actor),
                            action: AuditAction::Update,
                            entity: AuditEntity::Role,
                            entity_id: None,
                            summary: scope_change(*role, old, *scope),
                        },
                    )?;
                }
                Ok(())
            })
        })
        .await?;
    i18n::set_flash(&session, key("flash-scopes-saved"));
    Ok(see_other("/admin/roles"))
}

/// "Sales record scope: own → team", the old scope as stored (it reads
/// as "?" if it is not one this build knows).
fn scope_change(role: Role, old: Option<&str>, new: Scope) -> StoredMessage {
    let m = StoredMessage::new(key("audit-role-scope"))
        .label("role", role.label_key())
        .label("after", scope_key(new));
    match old.and_then(Scope::parse) {
        Some(s) => m.label("before", scope_key(s)),
        None => m.text("before", old.unwrap_or("?")),
    }
}

/// A scope in an audit summary (English keeps the stored code).
fn scope_key(s: Scope) -> &'static str {
    match s {
        Scope::Own => key("audit-scope-own"),
        Scope::Team => key("audit-scope-team"),
        Scope::All => key("audit-scope-all"),
    }
}
