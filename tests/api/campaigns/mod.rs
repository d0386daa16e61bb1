//! Campaigns against a real SMTP server process (`smtp_sink.py`, aiosmtpd):
//! messages are counted per recipient at the server.

mod dkim;
mod editor;
mod layouts;
mod nps;
mod preferences;
mod process;
mod send;
mod senders;
mod series;
mod signups;
mod states;
mod tracking;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use diesel::prelude::*;
use rapport::db::schema::{campaign_recipients, campaigns, contacts};
use rapport::db::{DbConn, now};
use rapport::jobs::Runner;
use reqwest::StatusCode;

use crate::helpers::*;
use crate::outbox_smtp::free_port;

/// The SMTP server: refuses `reject*` (550) and `later*` (451), keeps the
/// rest as files with their envelope recipient.
pub struct Sink {
    pub port: u16,
    dir: PathBuf,
    child: Option<Child>,
}

impl Sink {
    pub fn start(dir: &Path) -> Sink {
        let port = free_port();
        let dir = dir.join(format!("sink-{port}"));
        let script = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/api/campaigns/smtp_sink.py"
        );
        let child = Command::new("/usr/bin/python3")
            .arg(script)
            .arg(port.to_string())
            .arg(&dir)
            .stdout(Stdio::null())
            .spawn()
            .expect("/usr/bin/python3 with python3-aiosmtpd");
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "the SMTP sink did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        Sink {
            port,
            dir,
            child: Some(child),
        }
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    pub fn messages(&self) -> Vec<String> {
        let Ok(dir) = std::fs::read_dir(self.dir.join("new")) else {
            return Vec::new();
        };
        dir.filter_map(|e| e.ok())
            .filter_map(|e| std::fs::read_to_string(e.path()).ok())
            .collect()
    }

    /// Messages received per envelope recipient.
    pub fn per_recipient(&self) -> HashMap<String, usize> {
        let mut out = HashMap::new();
        for m in self.messages() {
            *out.entry(envelope_to(&m)).or_insert(0) += 1;
        }
        out
    }
}

impl Drop for Sink {
    fn drop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

/// A mail provider's RFC 8058 one-click unsubscribe: a POST without
/// session or CSRF token.
pub async fn one_click(anon: &Client, path: &str) -> reqwest::Response {
    anon.http
        .post(anon.url(path))
        .body("List-Unsubscribe=One-Click")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .send()
        .await
        .expect("one-click POST")
}

/// A fresh folder for a sink's messages.
pub fn tempdir() -> PathBuf {
    let d = std::env::temp_dir().join(format!("rapport-sink-{}", send::rand_suffix()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

pub fn envelope_to(m: &str) -> String {
    header(m, "X-Envelope-To")
        .unwrap_or_default()
        .to_lowercase()
}

/// A header's value (first occurrence, unfolded).
pub fn header(m: &str, name: &str) -> Option<String> {
    let head = m.split("\r\n\r\n").next().unwrap_or(m);
    let mut lines = head.split("\r\n").peekable();
    while let Some(line) = lines.next() {
        if let Some((n, v)) = line.split_once(':')
            && n.eq_ignore_ascii_case(name)
        {
            let mut value = v.trim().to_string();
            while let Some(next) = lines.peek() {
                if next.starts_with([' ', '\t']) {
                    value.push(' ');
                    value.push_str(next.trim());
                    lines.next();
                } else {
                    break;
                }
            }
            return Some(value);
        }
    }
    None
}

/// Inserts `n` contacts `{prefix}{i}@test.example` in `city` with `consent`.
pub fn add_contacts(app: &TestApp, prefix: &str, n: usize, city: &str, consent: &str) -> Vec<i64> {
    let mut c = app.conn();
    let owner = app.user_id(ADMIN_EMAIL);
    let t = now();
    let rows: Vec<_> = (0..n)
        .map(|i| {
            (
                contacts::first_name.eq(format!("First{i}")),
                contacts::last_name.eq(format!("{prefix}{i}")),
                contacts::email.eq(Some(format!("{prefix}{i}@test.example"))),
                contacts::owner_id.eq(owner),
                contacts::created_at.eq(t),
                contacts::updated_at.eq(t),
                contacts::city.eq(Some(city.to_string())),
                contacts::consent.eq(consent.to_string()),
            )
        })
        .collect();
    for row in rows {
        diesel::insert_into(contacts::table)
            .values(row)
            .execute(&mut c)
            .expect("contacts");
    }
    contacts::table
        .filter(contacts::last_name.like(format!("{prefix}%")))
        .order(contacts::id)
        .select(contacts::id)
        .load(&mut c)
        .expect("ids")
}

/// A rules segment (`city`, any consent) made through the form; its id.
pub async fn segment(admin: &mut Client, name: &str, city: &str) -> i64 {
    let res = admin
        .post(
            "/segments",
            &[("name", name), ("kind", "rules"), ("city", city)],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "segment saved");
    location(&res)
        .trim_start_matches("/segments/")
        .parse()
        .expect("segment id")
}

/// A campaign made through the editor; its id.
pub async fn campaign(admin: &mut Client, name: &str, segment: i64, extra: &[(&str, &str)]) -> i64 {
    let segment = segment.to_string();
    let mut form = vec![
        ("name", name),
        ("segment_id", segment.as_str()),
        ("from_name", "Rapport News"),
        ("from_addr", "rapport@test.example"),
        ("reply_to", "replies@test.example"),
        ("subject", "Hello {{ contact.first_name }}"),
        ("body_format", "markdown"),
        (
            "body",
            "Dear **{{ contact.first_name }} {{ contact.last_name }}**,\n\nNews.",
        ),
        ("rate_per_sec", "0"),
        ("concurrency", "4"),
    ];
    for (k, v) in extra {
        form.retain(|(f, _)| f != k);
        form.push((k, v));
    }
    let res = admin.post("/campaigns", &form).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "campaign saved");
    location(&res)
        .trim_start_matches("/campaigns/")
        .parse()
        .expect("campaign id")
}

pub async fn launch(admin: &mut Client, id: i64) {
    let res = admin
        .post(&format!("/campaigns/{id}/launch"), &[("when", "")])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "launched");
}

pub fn status(c: &mut DbConn, id: i64) -> String {
    campaigns::table
        .find(id)
        .select(campaigns::status)
        .first(c)
        .expect("campaign")
}

/// Ledger states and how many recipients are in each.
pub fn ledger(c: &mut DbConn, id: i64) -> HashMap<String, i64> {
    campaign_recipients::table
        .filter(campaign_recipients::campaign_id.eq(id))
        .group_by(campaign_recipients::state)
        .select((campaign_recipients::state, diesel::dsl::count_star()))
        .load::<(String, i64)>(c)
        .expect("ledger")
        .into_iter()
        .collect()
}

/// Runs jobs until the campaign is no longer sending (or `limit` passes).
pub fn drive(runner: &Runner, c: &mut DbConn, id: i64, limit: Duration) {
    let deadline = Instant::now() + limit;
    while status(c, id) == "sending" {
        assert!(Instant::now() < deadline, "campaign {id} did not finish");
        if runner.run_once().expect("run") == 0 {
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// A runner of the test's own over the app's database, sending to `smtp`.
pub fn runner(app: &TestApp, smtp: &str, lease: Duration) -> Runner {
    Runner::new(crate::jobs::job_env(app, Some(smtp.to_string()), lease))
}

pub fn consent(c: &mut DbConn, id: i64) -> String {
    contacts::table
        .find(id)
        .select(contacts::consent)
        .first(c)
        .expect("contact")
}

/// A segment of every contact, straight into the database; its id.
pub fn insert_segment(app: &TestApp, owner: i64) -> i64 {
    rapport::segments::repo::insert(
        &mut app.conn(),
        &format!("Segment {}", send::rand_suffix()),
        &rapport::segments::domain::Filter::default(),
        owner,
    )
    .expect("segment")
}

/// A draft campaign without a segment, straight into the database; its id.
pub fn insert_campaign(app: &TestApp, owner: i64) -> i64 {
    rapport::campaigns::repo::insert(
        &mut app.conn(),
        &rapport::campaigns::repo::Draft {
            name: "Target campaign".into(),
            segment_id: None,
            from_name: "Rapport".into(),
            from_addr: "rapport@test.example".into(),
            reply_to: None,
            subject: "Hello".into(),
            body_format: rapport::campaigns::domain::BodyFormat::Markdown,
            body: "Body".into(),
            rate_per_sec: 0,
            concurrency: 2,
            track_opens: true,
            track_clicks: true,
            layout: rapport::campaigns::domain::EmailLayout::Card,
            in_archive: false,
            kind: rapport::campaigns::domain::CampaignKind::Email,
        },
        owner,
    )
    .expect("campaign")
}

/// The message with quoted-printable undone (soft breaks, `=XX`), for
/// reading its bodies.
pub fn decoded(m: &str) -> String {
    let joined = m.replace("=\r\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'='
            && i + 2 < bytes.len()
            && let Ok(b) = u8::from_str_radix(&joined[i + 1..i + 3], 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
