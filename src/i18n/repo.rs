//! Whose language and zone: the user's own, else the workspace's.

use chrono_tz::Tz;
use diesel::prelude::*;

use super::{Lang, Locale, parse_zone};
use crate::db::DbConn;
use crate::db::schema::users;
use crate::settings::repo as settings;

/// A user's locale. Unset (NULL) or unknown values follow the workspace,
/// which is read only when needed.
pub fn user_locale(conn: &mut DbConn, user_id: i64) -> QueryResult<Locale> {
    let (lang, zone) = user_choices(conn, user_id)?;
    let lang = lang.as_deref().and_then(Lang::parse);
    let zone = zone.as_deref().and_then(parse_zone);
    Ok(match (lang, zone) {
        (Some(lang), Some(tz)) => Locale::new(lang, tz),
        _ => {
            let ws = workspace_locale(conn)?;
            Locale::new(lang.unwrap_or(ws.lang), zone.unwrap_or(ws.tz))
        }
    })
}

/// The workspace's default language and zone.
pub fn workspace_locale(conn: &mut DbConn) -> QueryResult<Locale> {
    let ws = settings::get(conn)?;
    Ok(Locale::new(
        Lang::parse(&ws.language).unwrap_or_default(),
        parse_zone(&ws.time_zone).unwrap_or(Tz::UTC),
    ))
}

/// Sets (or, with None, clears) a user's own language and zone.
pub fn set_user_locale(
    conn: &mut DbConn,
    user_id: i64,
    lang: Option<Lang>,
    tz: Option<Tz>,
) -> QueryResult<usize> {
    diesel::update(users::table.find(user_id))
        .set((
            users::language.eq(lang.map(Lang::code)),
            users::time_zone.eq(tz.map(|t| t.name())),
        ))
        .execute(conn)
}

/// A user's own settings as stored (None = follow the workspace).
pub fn user_choices(
    conn: &mut DbConn,
    user_id: i64,
) -> QueryResult<(Option<String>, Option<String>)> {
    users::table
        .find(user_id)
        .select((users::language, users::time_zone))
        .first(conn)
}
