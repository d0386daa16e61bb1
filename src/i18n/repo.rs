//! Whose language and zone: the user's own, else the workspace's.

use chrono_tz::Tz;
use diesel::prelude::*;

use super::{Lang, Locale, parse_zone};
use crate::db::DbConn;
use crate::db::schema::users;
use crate::db::schema::workspace_settings as ws;

/// A user's locale: their own choices, where unset (NULL) or unknown, the
/// workspace's. One query on every signed-in request.
pub fn user_locale(conn: &mut DbConn, user_id: i64) -> QueryResult<Locale> {
    let row: LocaleRow = users::table
        .inner_join(ws::table.on(ws::id.eq(WORKSPACE_ROW)))
        .filter(users::id.eq(user_id))
        .select((
            users::language,
            users::time_zone,
            ws::language,
            ws::time_zone,
        ))
        .first(conn)?;
    Ok(locale_of(row))
}

/// (A user's language, their zone, the workspace's language, its zone.)
pub type LocaleRow = (Option<String>, Option<String>, String, String);

/// A user's locale from what `user_locale` reads.
pub fn locale_of(row: LocaleRow) -> Locale {
    let (lang, zone, ws_lang, ws_zone) = row;
    let lang = lang.as_deref().and_then(Lang::parse);
    let zone = zone.as_deref().and_then(parse_zone);
    Locale::new(
        lang.or_else(|| Lang::parse(&ws_lang)).unwrap_or_default(),
        zone.or_else(|| parse_zone(&ws_zone)).unwrap_or(Tz::UTC),
    )
}

/// The id of `workspace_settings`' one row (its page is `settings`').
pub const WORKSPACE_ROW: i64 = 1;

/// The workspace's default language and zone.
pub fn workspace_locale(conn: &mut DbConn) -> QueryResult<Locale> {
    let (lang, zone): (String, String) = ws::table
        .find(WORKSPACE_ROW)
        .select((ws::language, ws::time_zone))
        .first(conn)?;
    Ok(Locale::new(
        Lang::parse(&lang).unwrap_or_default(),
        parse_zone(&zone).unwrap_or(Tz::UTC),
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
