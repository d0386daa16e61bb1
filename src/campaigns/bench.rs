//! `rapport bench-campaign`: a personalised campaign to `recipients`
//! contacts, sent by job workers to RAPPORT_SMTP_URL (a local sink, see
//! bench/campaign.sh); reports emails per second and the process's peak
//! memory (VmHWM).

use std::time::{Duration, Instant};

use diesel::prelude::*;

use super::domain::{BodyFormat, Status};
use super::repo::{self, Draft};
use crate::config::Config;
use crate::db::schema::{contacts, users};
use crate::db::{self, now, write_tx};
use crate::jobs::{JobEnv, Workers};
use crate::mail::Mailer;
use crate::segments::domain::Filter;
use crate::startup::prepare_database;

const PER_TX: usize = 1_000;

fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

pub fn run(config: &Config, recipients: usize, workers: usize) -> Result<String, String> {
    let err = |e: &dyn std::fmt::Display| e.to_string();
    let mailer = Mailer::from_config(config).map_err(|e| err(&e))?;
    prepare_database(config).map_err(|e| err(&e))?;
    let pool = db::build_pool(
        &config.database,
        workers as u32 + 4,
        Duration::from_secs(10),
    );
    let mut pooled = pool.get().map_err(|e| err(&e))?;
    let conn: &mut db::DbConn = &mut pooled;
    let t = now();
    diesel::insert_into(users::table)
        .values((
            users::email.eq(format!(
                "bench-{}@bench.rapport.test",
                t.and_utc().timestamp_micros()
            )),
            users::name.eq("Bench"),
            users::password_hash.eq("!"),
            users::role.eq("marketing"),
            users::active.eq(true),
            users::session_epoch.eq(0_i64),
            users::created_at.eq(t),
            users::updated_at.eq(t),
        ))
        .execute(conn)
        .map_err(|e| err(&e))?;
    let owner = db::last_insert_id(conn).map_err(|e| err(&e))?;
    let city = format!("Bench{}", t.and_utc().timestamp());
    for start in (0..recipients).step_by(PER_TX) {
        let end = (start + PER_TX).min(recipients);
        write_tx(conn, |c| {
            for i in start..end {
                diesel::insert_into(contacts::table)
                    .values((
                        contacts::first_name.eq(format!("First{i}")),
                        contacts::last_name.eq(format!("Last{i}")),
                        contacts::email.eq(Some(format!("r{i}@bench.rapport.test"))),
                        contacts::owner_id.eq(owner),
                        contacts::city.eq(Some(city.clone())),
                        contacts::consent.eq("subscribed"),
                        contacts::created_at.eq(t),
                        contacts::updated_at.eq(t),
                    ))
                    .execute(c)?;
            }
            Ok::<_, diesel::result::Error>(())
        })
        .map_err(|e| err(&e))?;
    }
    let filter = Filter {
        city: Some(city.clone()),
        ..Filter::default()
    };
    let segment =
        crate::segments::repo::insert(conn, &city, &filter, owner).map_err(|e| err(&e))?;
    let from = crate::mail::mailbox(&config.mail_from).map_err(|e| err(&e))?;
    let id = repo::insert(
        conn,
        &Draft {
            name: "Benchmark".into(),
            segment_id: Some(segment),
            from_name: "Rapport".into(),
            from_addr: from.email.to_string(),
            reply_to: None,
            subject: "News for {{ contact.first_name }}".into(),
            body_format: BodyFormat::Markdown,
            body: "Dear **{{ contact.first_name }} {{ contact.last_name }}**,\n\n\
                   our news for {{ contact.city }}.\n\n[Read more](https://example.com/news)\n"
                .into(),
            rate_per_sec: 0,
            concurrency: super::domain::CONCURRENCY_MAX,
            track_opens: true,
            track_clicks: true,
            layout: crate::campaigns::domain::EmailLayout::Card,
            kind: crate::campaigns::domain::CampaignKind::Email,
            in_archive: false,
        },
        owner,
    )
    .map_err(|e| err(&e))?;
    let campaign = repo::get(conn, id)
        .map_err(|e| err(&e))?
        .ok_or("campaign gone")?;
    let frozen_at = Instant::now();
    let total = super::engine::launch(conn, &campaign)
        .map_err(|e| err(&e))?
        .unwrap_or(0);
    let freeze_secs = frozen_at.elapsed().as_secs_f64();
    let started = Instant::now();
    let env = JobEnv {
        pool: pool.clone(),
        data_dir: config.data_dir.clone(),
        mailer,
        lease: config.job_lease,
        links: crate::signed::PublicLinks::new(&config.secret_key, &config.base_url),
    };
    let running = Workers::start(env, workers.max(1));
    loop {
        std::thread::sleep(Duration::from_millis(200));
        let c = repo::get(conn, id).map_err(|e| err(&e))?;
        if c.is_none_or(|c| c.state() != Status::Sending) {
            break;
        }
    }
    running.shutdown();
    let secs = started.elapsed().as_secs_f64();
    let p = repo::progress(conn, id).map_err(|e| err(&e))?;
    Ok(format!(
        "{total} recipients frozen in {freeze_secs:.2} s; sent {} (failed {}) in {secs:.1} s = {:.0} emails/s; peak RSS {:.0} MB",
        p.sent,
        p.failed,
        p.sent as f64 / secs.max(0.001),
        peak_rss_mb()
    ))
}
