//! The sending engine. A campaign sends through `LANES` jobs of kind
//! `campaign` (`campaign:<id>:<lane>`), claimed like every job. A lane
//! runs a slice of at most `SLICE`: it claims a batch of recipients from
//! the ledger with a lease (`ledger::claim`), renders and sends them on
//! `concurrency` threads over the pooled SMTP transport at the campaign's
//! rate, and records each result before that thread sends again (one
//! group-commit transaction for whatever results are waiting), then
//! continues with the next batch; after the slice the job is queued again
//! (`JobError::Continue`) so a shutdown waits one slice at most and other
//! jobs get their turn. The argument for "exactly once" is in
//! docs/campaigns.md.

use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use lettre::Message;
use lettre::message::header::{HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use rand::Rng;
use serde::{Deserialize, Serialize};

use super::domain::{Status, message_id, send_interval};
use super::ledger::{self, Claimed, Outcome};
use super::render::{Footer, MergeContact, Prepared, Rendered};
use super::repo::{self, Campaign};
use super::tracking::Tracker;
use crate::contacts::domain::Consent;
use crate::db::{DbConn, now, write_tx};
use crate::i18n::Locale;
use crate::jobs::{Job, JobEnv, JobError, JobKind};
use crate::mail::{MailError, Mailer};
use crate::signed::{PublicLinks, Purpose};

/// Jobs (lanes) that send one campaign side by side; several instances
/// each take lanes. Each SMTP message costs about one delayed-ACK wait
/// (lettre writes the final `.` in a packet of its own), so throughput
/// comes from messages in flight: lanes × the campaign's concurrency.
pub const LANES: u32 = 4;
/// A lane's run before it gives its worker back.
const SLICE: Duration = Duration::from_secs(5);
/// Recipients a lane claims per sending thread.
const BATCH_PER_SENDER: i64 = 8;
/// The longest one SMTP conversation may take (the transport's timeout).
const SEND_MAX: Duration = Duration::from_secs(20);

#[derive(Serialize, Deserialize, Debug, Clone, Copy)]
pub struct Lane {
    pub campaign_id: i64,
    pub lane: u32,
}

fn key(campaign: i64, lane: u32) -> String {
    format!("campaign:{campaign}:{lane}")
}

/// Queues every lane of the campaign (in the caller's transaction), after
/// `delay` if given; a lane already queued or running is left alone.
pub fn queue_lanes(
    conn: &mut DbConn,
    campaign: i64,
    delay: Option<Duration>,
) -> diesel::QueryResult<()> {
    for lane in 0..LANES {
        let payload = Lane {
            campaign_id: campaign,
            lane,
        };
        match delay {
            Some(d) => crate::jobs::ensure_queued_after(
                conn,
                JobKind::Campaign,
                &key(campaign, lane),
                &payload,
                d,
            )?,
            None => {
                crate::jobs::ensure_queued(conn, JobKind::Campaign, &key(campaign, lane), &payload)?
            }
        };
    }
    Ok(())
}

/// At start: every campaign that is sending has its lanes queued (a lane
/// that ended while its worker stopped is queued again).
pub fn resume_stalled(conn: &mut DbConn) {
    use crate::db::schema::campaigns;
    use diesel::prelude::*;
    let sending: Vec<i64> = match campaigns::table
        .filter(campaigns::status.eq(Status::Sending.as_str()))
        .select(campaigns::id)
        .load(conn)
    {
        Ok(ids) => ids,
        Err(e) => {
            tracing::warn!(error = %e, "could not look for campaigns to resume");
            return;
        }
    };
    for id in sending {
        if let Err(e) = write_tx(conn, |c| queue_lanes(c, id, None)) {
            tracing::warn!(campaign = id, error = %e, "could not resume a campaign");
        }
    }
}

/// Launches now: freezes the audience and queues the lanes in one
/// transaction. None if the campaign was not a draft or scheduled (another
/// launch won); else the number of recipients.
pub fn launch(conn: &mut DbConn, c: &Campaign) -> diesel::QueryResult<Option<i64>> {
    let filter = audience_filter(conn, c)?;
    write_tx(conn, |tx| {
        let frozen = repo::freeze(tx, c, &filter)?;
        if frozen.is_some() {
            queue_lanes(tx, c.id, None)?;
        }
        Ok(frozen)
    })
}

fn audience_filter(
    conn: &mut DbConn,
    c: &Campaign,
) -> diesel::QueryResult<crate::segments::domain::Filter> {
    let segment = match c.segment_id {
        Some(id) => crate::segments::repo::get(conn, id)?,
        None => None,
    };
    Ok(segment
        .map(|s| s.parsed())
        .unwrap_or_else(|| crate::segments::domain::Filter {
            contact_ids: Some(Vec::new()),
            ..Default::default()
        }))
}

/// The `campaign` job: one slice of one lane.
pub fn run_job(env: &JobEnv, conn: &mut DbConn, job: &Job) -> Result<(), JobError> {
    let lane: Lane = crate::jobs::payload(job)?;
    let Some(c) = repo::get(conn, lane.campaign_id)? else {
        return Err(JobError::Fatal("the campaign is gone".into()));
    };
    let c = match c.state() {
        Status::Scheduled => {
            let at = c.scheduled_at.unwrap_or_else(now);
            if at > now() {
                let wait = (at - now()).to_std().unwrap_or(Duration::from_secs(1));
                return Err(JobError::Continue(wait.min(Duration::from_secs(60))));
            }
            launch(conn, &c)?;
            match repo::get(conn, c.id)? {
                Some(c) => c,
                None => return Ok(()),
            }
        }
        _ => c,
    };
    if c.state() != Status::Sending {
        // Paused, cancelled or done: the lane ends; resuming queues it again.
        return Ok(());
    }
    run_slice(env, conn, &c, lane.lane)
}

/// What every message of the campaign shares.
struct Shared<'a> {
    campaign: &'a Campaign,
    prepared: Prepared,
    from: Mailbox,
    reply_to: Option<Mailbox>,
    domain: String,
    links: &'a PublicLinks,
    locale: Locale,
    company: String,
    /// The workspace's name, for the newsletter layout's band.
    brand: String,
    tracker: Tracker,
}

fn shared<'a>(env: &'a JobEnv, conn: &mut DbConn, c: &'a Campaign) -> Result<Shared<'a>, JobError> {
    let prepared = c.prepared().map_err(|e| JobError::Fatal(e.to_string()))?;
    let from: Mailbox = c
        .from_header()
        .parse()
        .map_err(|_| JobError::Fatal(format!("invalid sender {:?}", c.from_addr)))?;
    let reply_to = match &c.reply_to {
        Some(r) => Some(
            r.parse()
                .map_err(|_| JobError::Fatal(format!("invalid reply-to {r:?}")))?,
        ),
        None => None,
    };
    let locale = crate::i18n::repo::workspace_locale(conn)?;
    let ws = crate::settings::repo::get(conn)?;
    let brand = ws.company_name.clone();
    let company = [ws.company_name, ws.company_address.replace('\n', ", ")]
        .into_iter()
        .filter(|s| !s.trim().is_empty())
        .collect::<Vec<_>>()
        .join(" · ");
    Ok(Shared {
        domain: from.email.domain().to_string(),
        campaign: c,
        prepared,
        from,
        reply_to,
        links: &env.links,
        locale,
        company,
        brand,
        tracker: Tracker::new(
            env.pool.clone(),
            env.links.clone(),
            c.id,
            c.track_opens,
            c.track_clicks,
        ),
    })
}

fn run_slice(env: &JobEnv, conn: &mut DbConn, c: &Campaign, lane: u32) -> Result<(), JobError> {
    let shared = shared(env, conn, c)?;
    let started = Instant::now();
    let senders = c.concurrency.clamp(1, super::domain::CONCURRENCY_MAX) as usize;
    let pace = Pacer::new(send_interval(c.rate_per_sec, LANES));
    loop {
        if started.elapsed() > SLICE {
            return Err(JobError::Continue(Duration::ZERO));
        }
        match repo::get(conn, c.id)?.map(|c| c.state()) {
            Some(Status::Sending) => {}
            _ => return Ok(()),
        }
        let token = format!(
            "{}:{}:{lane}:{:016x}",
            std::process::id(),
            c.id,
            rand::thread_rng().r#gen::<u64>()
        );
        let lease = chrono::Duration::from_std(env.lease).unwrap_or(chrono::Duration::seconds(60));
        let t = now();
        let batch = ledger::claim(
            conn,
            c.id,
            &token,
            t,
            t + lease,
            senders as i64 * BATCH_PER_SENDER,
        )?;
        if batch.is_empty() {
            if c.series_id.is_some() {
                // A welcome series step never finishes: its later rows wait
                // for their time, and the series job queues the lanes again.
                return Ok(());
            }
            if ledger::any_pending(conn, c.id)? {
                // Leased by another lane, or waiting out a back-off.
                return Err(JobError::Continue(Duration::from_secs(1)));
            }
            write_tx(conn, |tx| {
                repo::transition(tx, c.id, &[Status::Sending], Status::Sent)
            })?;
            tracing::info!(campaign = c.id, "campaign sent");
            return Ok(());
        }
        let sent = send_batch(env, conn, &shared, &token, batch, senders, &pace);
        // Whatever was claimed and not tried is claimable again at once.
        let _ = write_tx(conn, |tx| ledger::release(tx, &token));
        sent?;
    }
}

/// Spaces sends `interval` apart across the lane's threads.
struct Pacer {
    interval: Option<Duration>,
    next: Mutex<Instant>,
}

impl Pacer {
    fn new(interval: Option<Duration>) -> Pacer {
        Pacer {
            interval,
            next: Mutex::new(Instant::now()),
        }
    }

    fn wait(&self) {
        let Some(interval) = self.interval else {
            return;
        };
        let at = {
            let Ok(mut next) = self.next.lock() else {
                return;
            };
            let at = (*next).max(Instant::now());
            *next = at + interval;
            at
        };
        let now = Instant::now();
        if at > now {
            std::thread::sleep(at - now);
        }
    }
}

/// One result on its way to the recorder, with the sender's "recorded" signal.
type Report = (usize, Outcome, mpsc::SyncSender<()>);

/// Sends a claimed batch on `senders` threads; this thread records the
/// results (group commit), renews the batch's lease and watches for pause.
fn send_batch(
    env: &JobEnv,
    conn: &mut DbConn,
    s: &Shared,
    token: &str,
    batch: Vec<Claimed>,
    senders: usize,
    pace: &Pacer,
) -> Result<(), JobError> {
    let lease = env.lease;
    // A send starts only while this much of the lease is left, so it ends
    // before the lease does and no other lane can have taken the row.
    let margin = SEND_MAX.min(lease / 2);
    let t0 = Instant::now();
    let deadline_ms = AtomicU64::new(lease.as_millis() as u64);
    let stop = AtomicBool::new(false);
    let next = AtomicUsize::new(0);
    let failure: OnceLock<JobError> = OnceLock::new();
    let (tx, rx) = mpsc::channel::<Report>();
    std::thread::scope(|scope| {
        for _ in 0..senders.min(batch.len()) {
            let tx = tx.clone();
            let (batch, stop, next, deadline_ms) = (&batch, &stop, &next, &deadline_ms);
            scope.spawn(move || {
                let (ack_tx, ack_rx) = mpsc::sync_channel::<()>(1);
                loop {
                    if stop.load(Ordering::Relaxed) {
                        break;
                    }
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(r) = batch.get(i) else {
                        break;
                    };
                    let deadline = t0 + Duration::from_millis(deadline_ms.load(Ordering::Relaxed));
                    if Instant::now() + margin > deadline {
                        break;
                    }
                    let outcome = if r.consent != Consent::Subscribed.as_str() {
                        Outcome::Skipped
                    } else {
                        pace.wait();
                        send_one(&env.mailer, s, r)
                    };
                    if tx.send((i, outcome, ack_tx.clone())).is_err() {
                        break;
                    }
                    // Sends again only once this result is committed: what
                    // is sent and unrecorded is at most one per thread.
                    if ack_rx.recv().is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        let mut last_check = Instant::now();
        let mut last_renew = Instant::now();
        loop {
            let mut reports = Vec::new();
            match rx.recv_timeout(Duration::from_millis(200)) {
                Ok(first) => {
                    reports.push(first);
                    while let Ok(more) = rx.try_recv() {
                        reports.push(more);
                    }
                }
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => break,
            }
            if !reports.is_empty() {
                let results: Vec<(Claimed, Outcome)> = reports
                    .iter()
                    .filter_map(|(i, o, _)| batch.get(*i).map(|r| (r.clone(), o.clone())))
                    .collect();
                if let Err(e) = ledger::record(conn, token, s.campaign.id, &results, now()) {
                    // Unrecorded sends would go again after the lease: stop here.
                    stop.store(true, Ordering::Relaxed);
                    let _ = failure.set(JobError::from(e));
                }
                for (_, _, ack) in reports {
                    let _ = ack.send(());
                }
            }
            if last_check.elapsed() > Duration::from_millis(500) {
                last_check = Instant::now();
                match repo::get(conn, s.campaign.id) {
                    Ok(Some(c)) if c.state() == Status::Sending => {}
                    Ok(_) => stop.store(true, Ordering::Relaxed),
                    Err(e) => {
                        stop.store(true, Ordering::Relaxed);
                        let _ = failure.set(JobError::from(e));
                    }
                }
            }
            if last_renew.elapsed() > lease / 3 {
                let until = now() + chrono::Duration::from_std(lease).unwrap_or_default();
                let renewed_at = t0.elapsed() + lease;
                match ledger::renew(conn, token, until) {
                    Ok(_) => {
                        last_renew = Instant::now();
                        deadline_ms.store(renewed_at.as_millis() as u64, Ordering::Relaxed);
                    }
                    Err(e) => {
                        stop.store(true, Ordering::Relaxed);
                        let _ = failure.set(JobError::from(e));
                    }
                }
            }
        }
    });
    match failure.into_inner() {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// The footer and links of one recipient's message.
pub fn footer(links: &PublicLinks, locale: &Locale, company: &str, recipient: i64) -> Footer {
    Footer {
        unsubscribe_url: links.url("/u/", Purpose::Unsubscribe, recipient),
        web_version_url: links.url("/w/", Purpose::WebVersion, recipient),
        preferences_url: links.url("/p/", Purpose::Preferences, recipient),
        unsubscribe_label: locale.t("campaigns-mail-unsubscribe"),
        web_version_label: locale.t("campaigns-mail-web-version"),
        preferences_label: locale.t("campaigns-public-mail-preferences"),
        reason: locale.t("campaigns-mail-reason"),
        company: company.to_string(),
        brand: String::new(),
        open_pixel_url: None,
        nps: None,
    }
}

/// The footer of one of `c`'s messages: an NPS survey's carries the
/// question with the recipient's eleven answer links (previews and test
/// sends sign them for recipient 0, which no link opens).
pub fn campaign_footer(
    c: &Campaign,
    links: &PublicLinks,
    locale: &Locale,
    company: &str,
    recipient: i64,
) -> Footer {
    let mut f = footer(links, locale, company, recipient);
    if c.kind() == super::domain::CampaignKind::Nps {
        f.nps = Some(super::nps::question(
            &links.signer,
            &links.base_url,
            locale,
            recipient,
        ));
    }
    f
}

pub fn merge_contact(r: &Claimed) -> MergeContact {
    MergeContact {
        first_name: r.first_name.clone(),
        last_name: r.last_name.clone(),
        email: r.email.clone(),
        city: r.city.clone().unwrap_or_default(),
        country: r.country.clone().unwrap_or_default(),
        title: r.title.clone().unwrap_or_default(),
    }
}

fn send_one(mailer: &Mailer, s: &Shared, r: &Claimed) -> Outcome {
    // The footer in the recipient's own language where they chose one.
    let locale = match r.language.as_deref().and_then(crate::i18n::Lang::parse) {
        Some(lang) => Locale::new(lang, s.locale.tz),
        None => s.locale,
    };
    let mut footer = campaign_footer(s.campaign, s.links, &locale, &s.company, r.id);
    footer.open_pixel_url = s.tracker.pixel(r.id);
    footer.brand = s.brand.clone();
    let message = s
        .prepared
        .render_tracked(&merge_contact(r), &footer, &|html| {
            s.tracker.rewrite(html, r.id)
        })
        .map_err(|e| e.to_string())
        .and_then(|rendered| build(s, r, rendered, &footer.unsubscribe_url));
    let message = match message {
        Ok(m) => m,
        Err(e) => return Outcome::Broken(e),
    };
    match mailer.send(&message) {
        Ok(()) => Outcome::Sent,
        Err(MailError::Rejected(e)) => Outcome::Rejected(e),
        Err(e) => Outcome::Temporary(e.to_string()),
    }
}

/// A campaign message with its one-click unsubscribe headers (RFC 8058)
/// and the deterministic Message-ID.
fn build(
    s: &Shared,
    r: &Claimed,
    rendered: Rendered,
    unsubscribe_url: &str,
) -> Result<Message, String> {
    let to: Mailbox = r
        .email
        .parse()
        .map_err(|_| format!("invalid address {:?}", r.email))?;
    let mut b = Message::builder()
        .from(s.from.clone())
        .to(to)
        .subject(rendered.subject)
        .message_id(Some(message_id(s.campaign.id, r.contact_id, &s.domain)));
    if let Some(reply_to) = &s.reply_to {
        b = b.reply_to(reply_to.clone());
    }
    let header = |name: &'static str, value: String| {
        HeaderValue::new(HeaderName::new_from_ascii_str(name), value)
    };
    b = b
        .raw_header(header("List-Unsubscribe", format!("<{unsubscribe_url}>")))
        .raw_header(header(
            "List-Unsubscribe-Post",
            "List-Unsubscribe=One-Click".into(),
        ));
    b.multipart(MultiPart::alternative_plain_html(
        rendered.text,
        rendered.html,
    ))
    .map_err(|e| e.to_string())
}
