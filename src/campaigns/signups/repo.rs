//! Sign-up forms (read and written by staff) and sign-ups (written by the
//! public pages): a pending request per (form, contact), confirmed once by
//! a conditional UPDATE; only the confirmation subscribes the contact and
//! adds them to the form's static list and tag.

use chrono::NaiveDateTime;
use diesel::dsl::count_star;
use diesel::prelude::*;

use super::domain::{SignupFormDraft, SignupState};
use crate::contacts::domain::{Consent, Lifecycle};
use crate::db::schema::{contacts, segments, signup_forms, signups};
use crate::db::{DbConn, last_insert_id, now, write_tx};
use crate::domain::ids::ContactId;
use crate::error::AppResult;
use crate::i18n::{Lang, StoredMessage, key};
use crate::records::RecordRef;
use crate::records::links::Links;
use crate::records::timeline::{self, ActivityKind, SystemEvent};

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = signup_forms)]
pub struct SignupForm {
    pub id: i64,
    pub title: String,
    pub intro: String,
    pub slug: String,
    pub segment_id: Option<i64>,
    pub tag: Option<String>,
    pub language: String,
    pub version: i32,
    pub created_by: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// A closed form's page is 404 and takes no sign-ups (links already
    /// mailed still confirm).
    pub active: bool,
}

impl SignupForm {
    pub fn lang(&self) -> Lang {
        Lang::parse(&self.language).unwrap_or_default()
    }
}

/// A row of the admin list: the form, its list's name, and its sign-ups.
#[derive(Debug, Clone)]
pub struct FormRow {
    pub form: SignupForm,
    pub segment_name: Option<String>,
    pub pending: i64,
    pub confirmed: i64,
}

pub fn list(conn: &mut DbConn) -> QueryResult<Vec<FormRow>> {
    let forms: Vec<(SignupForm, Option<String>)> = signup_forms::table
        .left_join(segments::table)
        .order((signup_forms::title.asc(), signup_forms::id.asc()))
        .limit(500)
        .select((SignupForm::as_select(), segments::name.nullable()))
        .load(conn)?;
    let ids: Vec<i64> = forms.iter().map(|(f, _)| f.id).collect();
    let counts: Vec<(i64, String, i64)> = signups::table
        .filter(signups::form_id.eq_any(&ids))
        .group_by((signups::form_id, signups::state))
        .select((signups::form_id, signups::state, count_star()))
        .load(conn)?;
    Ok(forms
        .into_iter()
        .map(|(form, segment_name)| {
            let n = |state: SignupState| {
                counts
                    .iter()
                    .filter(|(f, s, _)| *f == form.id && s == state.as_str())
                    .map(|(_, _, n)| *n)
                    .sum()
            };
            FormRow {
                pending: n(SignupState::Pending),
                confirmed: n(SignupState::Confirmed),
                segment_name,
                form,
            }
        })
        .collect())
}

pub fn get(conn: &mut DbConn, id: i64) -> QueryResult<Option<SignupForm>> {
    signup_forms::table
        .find(id)
        .select(SignupForm::as_select())
        .first(conn)
        .optional()
}

/// Opens or closes a form; false if it already was.
pub fn set_active(conn: &mut DbConn, id: i64, active: bool) -> QueryResult<bool> {
    let n = diesel::update(
        signup_forms::table
            .find(id)
            .filter(signup_forms::active.eq(!active)),
    )
    .set((
        signup_forms::active.eq(active),
        signup_forms::version.eq(signup_forms::version + 1),
        signup_forms::updated_at.eq(crate::db::now()),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

pub fn by_slug(conn: &mut DbConn, slug: &str) -> QueryResult<Option<SignupForm>> {
    signup_forms::table
        .filter(signup_forms::slug.eq(slug))
        .select(SignupForm::as_select())
        .first(conn)
        .optional()
}

/// Whether another form than `except` has this slug.
pub fn slug_taken(conn: &mut DbConn, slug: &str, except: Option<i64>) -> QueryResult<bool> {
    let mut q = signup_forms::table
        .filter(signup_forms::slug.eq(slug))
        .select(signup_forms::id)
        .into_boxed();
    if let Some(id) = except {
        q = q.filter(signup_forms::id.ne(id));
    }
    Ok(q.first::<i64>(conn).optional()?.is_some())
}

/// Static-list segments, for the form's menu.
pub fn static_lists(conn: &mut DbConn) -> QueryResult<Vec<(i64, String)>> {
    Ok(crate::segments::repo::list(conn)?
        .into_iter()
        .filter(|s| s.parsed().is_static())
        .map(|s| (s.id, s.name))
        .collect())
}

/// The columns the editor writes (insert or update).
type Fields<'a> = (
    diesel::dsl::Eq<signup_forms::title, &'a String>,
    diesel::dsl::Eq<signup_forms::intro, &'a String>,
    diesel::dsl::Eq<signup_forms::slug, &'a String>,
    diesel::dsl::Eq<signup_forms::segment_id, Option<i64>>,
    diesel::dsl::Eq<signup_forms::tag, &'a Option<String>>,
    diesel::dsl::Eq<signup_forms::language, &'static str>,
);

fn fields(d: &SignupFormDraft) -> Fields<'_> {
    (
        signup_forms::title.eq(&d.title),
        signup_forms::intro.eq(&d.intro),
        signup_forms::slug.eq(&d.slug),
        signup_forms::segment_id.eq(d.segment_id),
        signup_forms::tag.eq(&d.tag),
        signup_forms::language.eq(d.language.code()),
    )
}

pub fn insert(conn: &mut DbConn, d: &SignupFormDraft, by: i64) -> QueryResult<i64> {
    let t = now();
    diesel::insert_into(signup_forms::table)
        .values((
            fields(d),
            signup_forms::version.eq(1),
            signup_forms::created_by.eq(by),
            signup_forms::created_at.eq(t),
            signup_forms::updated_at.eq(t),
        ))
        .execute(conn)?;
    last_insert_id(conn)
}

/// Saves an edit made on `version`; false if someone saved meanwhile.
pub fn update(conn: &mut DbConn, id: i64, version: i32, d: &SignupFormDraft) -> QueryResult<bool> {
    let n = diesel::update(
        signup_forms::table
            .find(id)
            .filter(signup_forms::version.eq(version)),
    )
    .set((
        fields(d),
        signup_forms::version.eq(signup_forms::version + 1),
        signup_forms::updated_at.eq(now()),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// A sign-up as its confirmation link sees it.
#[derive(Debug, Clone)]
pub struct Signup {
    pub id: i64,
    pub form: SignupForm,
    pub contact_id: i64,
    pub email: String,
    pub state: SignupState,
}

pub fn signup(conn: &mut DbConn, id: i64) -> QueryResult<Option<Signup>> {
    let row: Option<(i64, i64, SignupState, Option<String>, SignupForm)> = signups::table
        .inner_join(contacts::table)
        .inner_join(signup_forms::table)
        .filter(signups::id.eq(id))
        .select((
            signups::id,
            signups::contact_id,
            signups::state,
            contacts::email,
            SignupForm::as_select(),
        ))
        .first(conn)
        .optional()?;
    Ok(row.map(|(id, contact_id, state, email, form)| Signup {
        id,
        form,
        contact_id,
        email: email.unwrap_or_default(),
        state,
    }))
}

/// The contact with this address, or a new one (a prospect, consent not
/// asked yet, the form's language): the sign-up does not subscribe anyone.
fn contact_for(c: &mut DbConn, email: &str, name: &str, lang: Lang) -> AppResult<ContactId> {
    crate::tickets::write::find_or_create_by_email(
        c,
        email,
        name,
        "signup",
        Lifecycle::Prospect,
        Some(lang),
    )
}

/// Records a sign-up request (a pending row per form and contact; a
/// confirmed one is made pending again if the contact has unsubscribed
/// since, so the new link can subscribe them anew)
/// and returns its id, for the confirmation link. Call in a write
/// transaction with the mail that carries the link.
pub fn request(c: &mut DbConn, form: &SignupForm, email: &str, name: &str) -> AppResult<i64> {
    let contact = contact_for(c, email, name, form.lang())?;
    let existing: Option<i64> = signups::table
        .filter(signups::form_id.eq(form.id))
        .filter(signups::contact_id.eq(contact))
        .select(signups::id)
        .first(c)
        .optional()?;
    if let Some(id) = existing {
        // Confirmed before but no longer subscribed (unsubscribed since):
        // the new link may subscribe them again.
        let subscribed = crate::campaigns::repo::consent_of(c, contact.get())?.as_deref()
            == Some(Consent::Subscribed.as_str());
        if !subscribed {
            diesel::update(
                signups::table
                    .find(id)
                    .filter(signups::state.eq(SignupState::Confirmed)),
            )
            .set((
                signups::state.eq(SignupState::Pending),
                signups::confirmed_at.eq(None::<NaiveDateTime>),
            ))
            .execute(c)?;
        }
        return Ok(id);
    }
    let inserted = diesel::insert_into(signups::table)
        .values((
            signups::form_id.eq(form.id),
            signups::contact_id.eq(contact),
            signups::state.eq(SignupState::Pending),
            signups::created_at.eq(now()),
        ))
        .execute(c);
    match inserted {
        Ok(_) => Ok(last_insert_id(c)?),
        // The same address signing up twice at once: the unique index
        // keeps one row, and both mails carry a link to it.
        Err(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        )) => Ok(signups::table
            .filter(signups::form_id.eq(form.id))
            .filter(signups::contact_id.eq(contact))
            .select(signups::id)
            .first(c)?),
        Err(e) => Err(e.into()),
    }
}

/// `contacts.consent_source` of a confirmed sign-up through form `id`.
pub fn consent_source(form: i64) -> String {
    format!("signup:{form}:confirmed")
}

/// Confirms the sign-up: pending → confirmed (one conditional UPDATE; a
/// second click, or two at once, find it confirmed and change nothing),
/// then the contact is subscribed, gets the form's tag, and the timeline
/// says so, and the contact enters the welcome series that listen to the
/// form. Returns whether this call confirmed it. Joining the static
/// list is `join_static_list`, after this commits.
pub fn confirm(c: &mut DbConn, s: &Signup) -> QueryResult<bool> {
    let t = now();
    let n = diesel::update(
        signups::table
            .find(s.id)
            .filter(signups::state.eq(SignupState::Pending)),
    )
    .set((
        signups::state.eq(SignupState::Confirmed),
        signups::confirmed_at.eq(Some(t)),
    ))
    .execute(c)?;
    if n == 0 {
        return Ok(false);
    }
    let before: Option<Consent> = contacts::table
        .find(s.contact_id)
        .select(contacts::consent)
        .first::<String>(c)
        .optional()?
        .and_then(|v| Consent::parse(&v));
    let changed = crate::campaigns::repo::set_consent(
        c,
        s.contact_id,
        Consent::Subscribed,
        &consent_source(s.form.id),
    )?;
    let record = RecordRef::Contact(ContactId::new(s.contact_id));
    if let Some(tag) = &s.form.tag {
        crate::tags::attach(c, record, tag)?;
    }
    let message = match before {
        Some(before) if changed => StoredMessage::new(key("campaigns-public-timeline-confirmed"))
            .text("title", s.form.title.clone())
            .label("before", before.label_key())
            .label("after", Consent::Subscribed.label_key()),
        _ => StoredMessage::new(key("campaigns-public-timeline-rejoined"))
            .text("title", s.form.title.clone()),
    };
    timeline::log_event(
        c,
        Links::of(record),
        &SystemEvent {
            kind: ActivityKind::Consent,
            message,
            author: None,
            reference: None,
        },
    )?;
    // Welcome series listening to this form: the contact enters them in
    // this transaction (entering twice changes nothing).
    crate::campaigns::series::on_signup_confirmed(c, s.form.id, s.contact_id)?;
    crate::db::note_write();
    Ok(true)
}

/// Makes sure the form's tag exists, before the confirmation's
/// transaction: two first confirmations at once would both insert it, and
/// the loser could not see the winner's row inside its own transaction
/// (InnoDB's snapshot). Outside one, the loser's second look finds it.
pub fn ensure_tag(conn: &mut DbConn, form: &SignupForm) -> QueryResult<()> {
    let Some(tag) = &form.tag else {
        return Ok(());
    };
    let names = [tag.clone()];
    match crate::tags::ensure(conn, &names) {
        Err(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        )) => crate::tags::ensure(conn, &names).map(|_| ()),
        other => other.map(|_| ()),
    }
}

/// Adds the contact to a static list: the list's JSON is read and written
/// back only if nobody changed it meanwhile (compare and set), each try in
/// a transaction of its own — a fresh read, which InnoDB's repeatable-read
/// snapshot would not give inside one transaction — so confirmations at
/// once all land. Idempotent: run again for a confirmed sign-up (every
/// confirmation POST does), it heals a join a crash left undone. A rules
/// segment is left alone.
pub fn join_static_list(conn: &mut DbConn, segment: i64, contact: i64) -> QueryResult<()> {
    for _ in 0..50 {
        let done = write_tx(conn, |c| {
            let Some(raw) = segments::table
                .find(segment)
                .select(segments::filter)
                .first::<String>(c)
                .optional()?
            else {
                return Ok(true);
            };
            let mut f = crate::segments::domain::Filter::from_json(&raw);
            let Some(ids) = f.contact_ids.as_mut() else {
                return Ok(true);
            };
            if ids.contains(&contact) {
                return Ok(true);
            }
            ids.push(contact);
            let n = diesel::update(
                segments::table
                    .find(segment)
                    .filter(segments::filter.eq(&raw)),
            )
            .set((
                segments::filter.eq(f.to_json()),
                segments::updated_at.eq(now()),
            ))
            .execute(c)?;
            Ok::<_, diesel::result::Error>(n == 1)
        })?;
        if done {
            return Ok(());
        }
        std::thread::sleep(std::time::Duration::from_millis(
            2 + rand::random::<u64>() % 20,
        ));
    }
    Err(diesel::result::Error::RollbackTransaction)
}
