//! Campaign rows: the editor's reads and writes (optimistic `version`),
//! the state changes (one conditional UPDATE each), the audience freeze
//! (one transaction of batched INSERT … SELECT) and the progress counts.

use chrono::NaiveDateTime;
use diesel::dsl::count_star;
use diesel::prelude::*;

use super::domain::{BodyFormat, CampaignKind, Command, EmailLayout, RecipientState, Status};
use crate::contacts::domain::Consent;
use crate::db::schema::{campaign_recipients, campaigns, contacts};
use crate::db::{DbConn, last_insert_id, now};
use crate::segments::domain::Filter;
use crate::web::list::menus::MenuCache;

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = campaigns)]
pub struct Campaign {
    pub id: i64,
    pub name: String,
    pub segment_id: Option<i64>,
    pub from_name: String,
    pub from_addr: String,
    pub reply_to: Option<String>,
    pub subject: String,
    pub body_format: String,
    pub body: String,
    pub status: String,
    pub scheduled_at: Option<NaiveDateTime>,
    pub rate_per_sec: i32,
    pub concurrency: i32,
    pub recipients_total: i64,
    pub version: i32,
    pub created_by: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub started_at: Option<NaiveDateTime>,
    pub finished_at: Option<NaiveDateTime>,
    /// Open pixel and click redirects (`tracking`).
    pub track_opens: bool,
    pub track_clicks: bool,
    /// Set on the steps of a welcome series (`campaigns::series`).
    pub series_id: Option<i64>,
    pub step_no: Option<i32>,
    pub delay_minutes: Option<i32>,
    pub layout: String,
    /// Shown on the public archive once sent.
    pub in_archive: bool,
    /// `CampaignKind` (see [`Campaign::kind`]).
    pub kind: String,
}

impl Campaign {
    pub fn state(&self) -> Status {
        Status::parse(&self.status).unwrap_or(Status::Draft)
    }

    pub fn kind(&self) -> CampaignKind {
        CampaignKind::parse(&self.kind).unwrap_or(CampaignKind::Email)
    }

    pub fn email_layout(&self) -> EmailLayout {
        EmailLayout::parse(&self.layout).unwrap_or(EmailLayout::Card)
    }

    /// The campaign's templates, parsed, in its layout.
    pub fn prepared(&self) -> Result<super::render::Prepared, super::render::RenderError> {
        super::render::Prepared::new(&self.subject, self.format(), &self.body)
            .map(|p| p.with_layout(self.email_layout()))
    }

    pub fn format(&self) -> BodyFormat {
        BodyFormat::parse(&self.body_format).unwrap_or(BodyFormat::Markdown)
    }

    /// `"Name" <address>` for the From header.
    pub fn from_header(&self) -> String {
        if self.from_name.is_empty() {
            self.from_addr.clone()
        } else {
            let name = self.from_name.replace(['"', '\\'], "");
            format!("\"{name}\" <{}>", self.from_addr)
        }
    }
}

/// What the editor saves.
#[derive(Debug, Clone)]
pub struct Draft {
    pub name: String,
    pub segment_id: Option<i64>,
    pub from_name: String,
    pub from_addr: String,
    pub reply_to: Option<String>,
    pub subject: String,
    pub body_format: BodyFormat,
    pub body: String,
    pub rate_per_sec: i32,
    pub concurrency: i32,
    pub track_opens: bool,
    pub track_clicks: bool,
    pub layout: EmailLayout,
    pub in_archive: bool,
    pub kind: CampaignKind,
}

pub fn get(conn: &mut DbConn, id: i64) -> QueryResult<Option<Campaign>> {
    campaigns::table
        .find(id)
        .select(Campaign::as_select())
        .first(conn)
        .optional()
}

/// Campaigns of their own (a series' steps are listed with their series).
pub fn list(conn: &mut DbConn, limit: i64) -> QueryResult<Vec<Campaign>> {
    campaigns::table
        .filter(campaigns::series_id.is_null())
        .order((campaigns::updated_at.desc(), campaigns::id.desc()))
        .limit(limit)
        .select(Campaign::as_select())
        .load(conn)
}

pub fn insert(conn: &mut DbConn, d: &Draft, by: i64) -> QueryResult<i64> {
    let t = now();
    diesel::insert_into(campaigns::table)
        .values((
            campaigns::name.eq(&d.name),
            campaigns::segment_id.eq(d.segment_id),
            campaigns::from_name.eq(&d.from_name),
            campaigns::from_addr.eq(&d.from_addr),
            campaigns::reply_to.eq(d.reply_to.as_deref()),
            campaigns::subject.eq(&d.subject),
            campaigns::body_format.eq(d.body_format.as_str()),
            campaigns::body.eq(&d.body),
            campaigns::status.eq(Status::Draft.as_str()),
            campaigns::rate_per_sec.eq(d.rate_per_sec),
            campaigns::concurrency.eq(d.concurrency),
            campaigns::track_opens.eq(d.track_opens),
            campaigns::track_clicks.eq(d.track_clicks),
            campaigns::layout.eq(d.layout.as_str()),
            campaigns::in_archive.eq(d.in_archive),
            campaigns::kind.eq(d.kind.as_str()),
            campaigns::created_by.eq(by),
            campaigns::created_at.eq(t),
            campaigns::updated_at.eq(t),
        ))
        .execute(conn)?;
    last_insert_id(conn)
}

/// Saves an edit made from `version` while the campaign is still a draft
/// (or scheduled); false if someone changed or launched it meanwhile.
pub fn update(conn: &mut DbConn, id: i64, version: i32, d: &Draft) -> QueryResult<bool> {
    let n = diesel::update(
        campaigns::table
            .find(id)
            .filter(campaigns::version.eq(version))
            .filter(campaigns::status.eq_any([Status::Draft.as_str(), Status::Scheduled.as_str()])),
    )
    .set((
        campaigns::name.eq(&d.name),
        campaigns::segment_id.eq(d.segment_id),
        campaigns::from_name.eq(&d.from_name),
        campaigns::from_addr.eq(&d.from_addr),
        campaigns::reply_to.eq(d.reply_to.as_deref()),
        campaigns::subject.eq(&d.subject),
        campaigns::body_format.eq(d.body_format.as_str()),
        campaigns::body.eq(&d.body),
        campaigns::rate_per_sec.eq(d.rate_per_sec),
        campaigns::concurrency.eq(d.concurrency),
        campaigns::track_opens.eq(d.track_opens),
        campaigns::track_clicks.eq(d.track_clicks),
        campaigns::layout.eq(d.layout.as_str()),
        campaigns::in_archive.eq(d.in_archive),
        campaigns::kind.eq(d.kind.as_str()),
        campaigns::version.eq(campaigns::version + 1),
        campaigns::updated_at.eq(now()),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// Moves the campaign from one of `from` to `to`; false if it was in none.
pub fn transition(conn: &mut DbConn, id: i64, from: &[Status], to: Status) -> QueryResult<bool> {
    let from: Vec<&str> = from.iter().map(|s| s.as_str()).collect();
    let t = now();
    let n = diesel::update(
        campaigns::table
            .find(id)
            .filter(campaigns::status.eq_any(from)),
    )
    .set((
        campaigns::status.eq(to.as_str()),
        campaigns::version.eq(campaigns::version + 1),
        campaigns::updated_at.eq(t),
    ))
    .execute(conn)?;
    if n == 1 && matches!(to, Status::Sent | Status::Cancelled) {
        diesel::update(campaigns::table.find(id))
            .set(campaigns::finished_at.eq(Some(t)))
            .execute(conn)?;
    }
    Ok(n == 1)
}

pub fn command(conn: &mut DbConn, id: i64, c: Command) -> QueryResult<bool> {
    let (from, to) = c.transition();
    transition(conn, id, from, to)
}

/// Schedules a draft for `at`.
pub fn schedule(conn: &mut DbConn, id: i64, at: NaiveDateTime) -> QueryResult<bool> {
    let n =
        diesel::update(campaigns::table.find(id).filter(
            campaigns::status.eq_any([Status::Draft.as_str(), Status::Scheduled.as_str()]),
        ))
        .set((
            campaigns::status.eq(Status::Scheduled.as_str()),
            campaigns::scheduled_at.eq(Some(at)),
            campaigns::version.eq(campaigns::version + 1),
            campaigns::updated_at.eq(now()),
        ))
        .execute(conn)?;
    Ok(n == 1)
}

/// Contacts per INSERT … SELECT of the freeze.
const FREEZE_BATCH: i64 = 10_000;

/// Launches: moves the campaign from draft or scheduled to sending and
/// copies its audience — the segment's contacts that are subscribed and
/// have an address — into the ledger, in the caller's transaction (call it
/// inside `write_tx`). Batched by contact id range so no one statement is
/// huge; UNIQUE (campaign, contact) makes a second freeze impossible, and
/// the state change first makes it a no-op (None) for a second launcher.
pub fn freeze(conn: &mut DbConn, c: &Campaign, filter: &Filter) -> QueryResult<Option<i64>> {
    let t = now();
    let started =
        diesel::update(campaigns::table.find(c.id).filter(
            campaigns::status.eq_any([Status::Draft.as_str(), Status::Scheduled.as_str()]),
        ))
        .set((
            campaigns::status.eq(Status::Sending.as_str()),
            campaigns::started_at.eq(Some(t)),
            campaigns::version.eq(campaigns::version + 1),
            campaigns::updated_at.eq(t),
        ))
        .execute(conn)?;
    if started == 0 {
        return Ok(None);
    }
    let max_id: Option<i64> = contacts::table
        .select(diesel::dsl::max(contacts::id))
        .first(conn)?;
    let mut from = 0;
    let last = max_id.unwrap_or(0);
    while from < last {
        let to = from + FREEZE_BATCH;
        let audience = crate::segments::repo::matching(filter)
            .filter(contacts::id.gt(from))
            .filter(contacts::id.le(to))
            .filter(contacts::consent.eq(Consent::Subscribed.as_str()))
            .filter(contacts::email.is_not_null())
            .select((
                diesel::dsl::sql::<diesel::sql_types::BigInt>(&c.id.to_string()),
                contacts::id,
                contacts::email.assume_not_null(),
                diesel::dsl::sql::<diesel::sql_types::Text>("'pending'"),
            ));
        diesel::insert_into(campaign_recipients::table)
            .values(audience)
            .into_columns((
                campaign_recipients::campaign_id,
                campaign_recipients::contact_id,
                campaign_recipients::email,
                campaign_recipients::state,
            ))
            .execute(conn)?;
        from = to;
    }
    let total: i64 = campaign_recipients::table
        .filter(campaign_recipients::campaign_id.eq(c.id))
        .select(count_star())
        .first(conn)?;
    diesel::update(campaigns::table.find(c.id))
        .set(campaigns::recipients_total.eq(total))
        .execute(conn)?;
    Ok(Some(total))
}

/// Recipients per state.
#[derive(Debug, Clone, Default)]
pub struct Progress {
    pub total: i64,
    pub pending: i64,
    pub sent: i64,
    pub failed: i64,
    pub skipped: i64,
    pub unsubscribed: i64,
}

impl Progress {
    /// Done out of total, in percent.
    pub fn percent(&self) -> i64 {
        if self.total == 0 {
            return 0;
        }
        (self.total - self.pending) * 100 / self.total
    }
}

/// A sending campaign's counts change with every message, and its page is
/// polled every second by whoever watches it: counting the ledger on each
/// poll (a `GROUP BY` over its rows, ~30 ms at 100,000 recipients, twice
/// that against the senders' writes) would cost more than the page. They
/// are kept one second per campaign, read by one viewer while the others
/// wait; any other state (paused, cancelled, sent) reads them fresh.
static SENDING: std::sync::LazyLock<MenuCache<Progress>> =
    std::sync::LazyLock::new(|| MenuCache::timed(std::time::Duration::from_secs(1)));

/// The counts a page shows for `campaign` (see `SENDING`).
pub fn progress_of(conn: &mut DbConn, campaign: &Campaign) -> QueryResult<Progress> {
    if campaign.state() == Status::Sending {
        SENDING.get_keyed(campaign.id.to_string(), || progress(conn, campaign.id))
    } else {
        progress(conn, campaign.id)
    }
}

pub fn progress(conn: &mut DbConn, id: i64) -> QueryResult<Progress> {
    let rows: Vec<(String, i64)> = campaign_recipients::table
        .filter(campaign_recipients::campaign_id.eq(id))
        .group_by(campaign_recipients::state)
        .select((campaign_recipients::state, count_star()))
        .load(conn)?;
    let mut p = Progress::default();
    for (state, n) in rows {
        p.total += n;
        match RecipientState::parse(&state) {
            Some(RecipientState::Pending) => p.pending += n,
            Some(RecipientState::Sent) => p.sent += n,
            Some(RecipientState::Failed) => p.failed += n,
            Some(RecipientState::Skipped) | None => p.skipped += n,
        }
    }
    p.unsubscribed = contacts::table
        .filter(contacts::consent.eq(Consent::Unsubscribed.as_str()))
        .filter(contacts::consent_source.eq(super::unsubscribe_source(id)))
        .select(count_star())
        .first(conn)?;
    Ok(p)
}

/// The recipient behind a signed link: (campaign, contact, email).
pub fn recipient(conn: &mut DbConn, id: i64) -> QueryResult<Option<(i64, i64, String)>> {
    campaign_recipients::table
        .find(id)
        .select((
            campaign_recipients::campaign_id,
            campaign_recipients::contact_id,
            campaign_recipients::email,
        ))
        .first(conn)
        .optional()
}

/// A contact's consent (None: no such contact).
pub fn consent_of(conn: &mut DbConn, contact: i64) -> QueryResult<Option<String>> {
    contacts::table
        .find(contact)
        .select(contacts::consent)
        .first(conn)
        .optional()
}

/// Sets a contact's consent to `to` unless it is already; `source` says why.
pub fn set_consent(
    conn: &mut DbConn,
    contact: i64,
    to: Consent,
    source: &str,
) -> QueryResult<bool> {
    let t = now();
    let n = diesel::update(
        contacts::table
            .find(contact)
            .filter(contacts::consent.ne(to.as_str())),
    )
    .set((
        contacts::consent.eq(to.as_str()),
        contacts::consent_changed_at.eq(Some(t)),
        contacts::consent_source.eq(Some(source)),
        contacts::updated_at.eq(t),
    ))
    .execute(conn)?;
    Ok(n == 1)
}
