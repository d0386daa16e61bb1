//! The campaign in the cluster load: before the clients start, a campaign
//! to `CLUSTER_RECIPIENTS` subscribed contacts (made once, city "Cluster
//! campaign") is launched as the Launch button does (`engine::launch`:
//! the audience frozen into the ledger, the lanes queued); the job workers
//! of every instance send it to the cluster's SMTP sink while the clients
//! work, and through the faults. Then `check` waits for it to end and counts
//! at the server: every ledger row `sent`, every recipient received its
//! message (nobody skipped), copies beyond one only with faults and at most
//! the messages in flight at the kills (each kill: the lanes × the
//! concurrency), every copy with the recipient's deterministic Message-ID.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::time::{Duration, Instant};

use chrono::NaiveDateTime;
use diesel::prelude::*;
use rapport::campaigns::domain::{BodyFormat, Status, message_id};
use rapport::campaigns::engine::{self, LANES};
use rapport::campaigns::repo::{self, Draft};
use rapport::db::schema::{campaign_recipients as cr, contacts};
use rapport::db::{DbConn, Pool, now, write_tx};
use rapport::segments::domain::Filter;

use super::{Checks, Sink, normal_id};

const CITY: &str = "Cluster campaign";
const FROM: &str = "news@cluster.rapport.test";

pub struct Launched {
    pub id: i64,
    pub recipients: i64,
    pub at: NaiveDateTime,
    pub concurrency: i32,
}

/// Makes the campaign's contacts once (`camp<i>@campaign.cluster.rapport.test`).
fn ensure_contacts(c: &mut DbConn, n: usize, owner: i64) -> QueryResult<usize> {
    let have: i64 = contacts::table
        .filter(contacts::city.eq(CITY))
        .count()
        .get_result(c)?;
    let t = now();
    let todo: Vec<usize> = (have as usize..n).collect();
    for chunk in todo.chunks(1_000) {
        write_tx(c, |c: &mut DbConn| {
            for i in chunk {
                diesel::insert_into(contacts::table)
                    .values((
                        contacts::first_name.eq(format!("Reader{i}")),
                        contacts::last_name.eq("Cluster"),
                        contacts::email.eq(Some(format!("camp{i}@campaign.cluster.rapport.test"))),
                        contacts::owner_id.eq(owner),
                        contacts::city.eq(Some(CITY)),
                        contacts::consent.eq("subscribed"),
                        contacts::created_at.eq(t),
                        contacts::updated_at.eq(t),
                    ))
                    .execute(c)?;
            }
            Ok::<_, diesel::result::Error>(())
        })?;
    }
    Ok(todo.len())
}

/// Launches the phase's campaign; the instances' job workers send it.
pub fn launch(
    pool: &Pool,
    phase: &str,
    recipients: usize,
    concurrency: i32,
    owner: i64,
) -> Result<Launched, String> {
    let e = |e: diesel::result::Error| e.to_string();
    let mut c = pool.get().map_err(|e| e.to_string())?;
    let c: &mut DbConn = &mut c;
    let made = ensure_contacts(c, recipients, owner).map_err(e)?;
    if made > 0 {
        println!("campaign: made {made} subscribed contacts in {CITY:?}");
    }
    let filter = Filter {
        city: Some(CITY.into()),
        ..Filter::default()
    };
    let segment = rapport::segments::repo::insert(c, &format!("Cluster {phase}"), &filter, owner)
        .map_err(e)?;
    let id = repo::insert(
        c,
        &Draft {
            name: format!("Cluster {phase}"),
            segment_id: Some(segment),
            from_name: "Rapport cluster".into(),
            from_addr: FROM.into(),
            reply_to: None,
            subject: "News for {{ contact.first_name }}".into(),
            body_format: BodyFormat::Markdown,
            body: "Dear **{{ contact.first_name }} {{ contact.last_name }}**,\n\n\
                   our news for {{ contact.city }}.\n\n[Read more](https://example.com/news)\n"
                .into(),
            rate_per_sec: 0,
            concurrency,
            track_opens: true,
            track_clicks: true,
            layout: rapport::campaigns::domain::EmailLayout::Card,
            in_archive: false,
            kind: rapport::campaigns::domain::CampaignKind::Email,
        },
        owner,
    )
    .map_err(e)?;
    let campaign = repo::get(c, id).map_err(e)?.ok_or("the campaign is gone")?;
    let at = now();
    let total = engine::launch(c, &campaign)
        .map_err(e)?
        .ok_or("the campaign was launched by someone else")?;
    Ok(Launched {
        id,
        recipients: total,
        at,
        concurrency,
    })
}

/// A ledger row: contact, email, state, lease owner, sent at.
type LedgerRow = (i64, String, String, Option<String>, Option<NaiveDateTime>);

/// The pid in a ledger row's lease token (`<pid>:<campaign>:<lane>:<random>`).
fn pid_of(owner: &str) -> Option<u32> {
    owner.split(':').next()?.parse().ok()
}

/// Waits for the campaign to end (or `wait` to pass), then counts.
pub async fn check(
    pool: &Pool,
    checks: &mut Checks,
    l: &Launched,
    mail_root: &Path,
    wait: Duration,
    kills: usize,
    pids: &HashMap<u32, String>,
) -> Result<(), String> {
    let e = |e: diesel::result::Error| e.to_string();
    let deadline = Instant::now() + wait;
    let status = loop {
        let status = pool
            .get()
            .ok()
            .and_then(|mut c| repo::get(&mut c, l.id).ok().flatten())
            .map(|c| c.state());
        if status.is_some_and(|s| s != Status::Sending) || Instant::now() > deadline {
            break status;
        }
        tokio::time::sleep(Duration::from_secs(2)).await;
    };
    let mut c = pool.get().map_err(|e| e.to_string())?;
    let c: &mut DbConn = &mut c;
    let rows: Vec<LedgerRow> = cr::table
        .filter(cr::campaign_id.eq(l.id))
        .select((
            cr::contact_id,
            cr::email,
            cr::state,
            cr::lease_owner,
            cr::sent_at,
        ))
        .load(c)
        .map_err(e)?;
    let mut states: BTreeMap<String, usize> = BTreeMap::new();
    for r in &rows {
        *states.entry(r.2.clone()).or_default() += 1;
    }
    checks.check(
        status == Some(Status::Sent)
            && rows.len() as i64 == l.recipients
            && states.get("sent").copied().unwrap_or(0) == rows.len(),
        format!(
            "campaign {}: {:?} with {} recipients, ledger {states:?}",
            l.id,
            status,
            rows.len()
        ),
    );

    // At the server, by Message-ID.
    let sink = Sink::scan(mail_root);
    let domain = FROM.rsplit('@').next().unwrap_or_default();
    let (mut skipped, mut extra, mut misaddressed) = (Vec::new(), 0usize, Vec::new());
    for (contact, email, ..) in &rows {
        let mid = normal_id(&message_id(l.id, *contact, domain));
        match sink.by_id.get(&mid) {
            None => skipped.push(email.clone()),
            Some((n, to)) => {
                extra += n - 1;
                if to.iter().any(|t| !t.eq_ignore_ascii_case(email)) {
                    misaddressed.push(email.clone());
                }
            }
        }
    }
    let prefix = format!("campaign-{}.", l.id);
    let received: usize = sink
        .by_id
        .iter()
        .filter(|(k, _)| k.starts_with(&prefix))
        .map(|(_, (n, _))| n)
        .sum();
    checks.check(
        skipped.is_empty(),
        format!(
            "campaign: every recipient received the message, nobody skipped ({} of {} missing: {:?})",
            skipped.len(),
            rows.len(),
            skipped.iter().take(5).collect::<Vec<_>>()
        ),
    );
    checks.check(
        misaddressed.is_empty() && received == rows.len() - skipped.len() + extra,
        format!(
            "campaign: {received} messages received, each to its recipient with the recipient's Message-ID ({} otherwise)",
            misaddressed.len()
        ),
    );
    let allowed = kills * LANES as usize * l.concurrency as usize;
    checks.check(
        extra <= allowed,
        format!(
            "campaign: {extra} second copies (same Message-ID), at most {allowed} allowed ({kills} kill(s) × {LANES} lanes × concurrency {})",
            l.concurrency
        ),
    );

    // Speed and who sent.
    let last = rows.iter().filter_map(|r| r.4).max();
    if let Some(last) = last {
        let secs = (last - l.at).num_milliseconds().max(1) as f64 / 1000.0;
        println!(
            "campaign: {} sent in {secs:.0} s from launch = {:.0} emails/s",
            rows.len(),
            rows.len() as f64 / secs
        );
    }
    let mut by_process: BTreeMap<String, usize> = BTreeMap::new();
    for r in &rows {
        let who = match r.3.as_deref().and_then(pid_of) {
            Some(pid) => pids
                .get(&pid)
                .cloned()
                .unwrap_or_else(|| format!("pid {pid} (killed since)")),
            None => "unknown".into(),
        };
        *by_process.entry(who).or_default() += 1;
    }
    println!("campaign sent by: {by_process:?}");
    Ok(())
}
