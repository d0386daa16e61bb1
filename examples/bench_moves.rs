//! Load benchmark of card moves on the board: `clients` concurrent signed-in
//! clients each move their own share of the open deals of a pipeline to
//! the next open stage, as board.js does (an htmx POST of the card's move
//! form, answered with the re-rendered board), for `seconds` seconds.
//! Each client owns its deals, so it knows every deal's version and no
//! move is a conflict; a non-200 answer is counted and reported.
//!
//!   cargo run --release --example bench_moves -- <database url> <app url> <cookie> <csrf> <pipeline id> <clients> <seconds>
//!
//! `bench/pipeline.sh` seeds the data, signs in and runs it.

use std::time::{Duration, Instant};

#[path = "shared/load.rs"]
mod load;
use load::Tally;

use diesel::prelude::*;
use rapport::db::schema::{deals, pipeline_stages};
use rapport::db::{DbUrl, build_pool};

struct Args {
    db: String,
    app: String,
    cookie: String,
    csrf: String,
    pipeline: i64,
    clients: usize,
    seconds: u64,
}

fn args() -> Result<Args, String> {
    let a: Vec<String> = std::env::args().skip(1).collect();
    let [db, app, cookie, csrf, pipeline, clients, seconds] = a.as_slice() else {
        return Err("usage: bench_moves <database url> <app url> <cookie> <csrf> <pipeline id> <clients> <seconds>".into());
    };
    let num = |s: &str, what: &str| {
        s.parse::<u64>()
            .map_err(|_| format!("{what}: not a number"))
    };
    Ok(Args {
        db: db.clone(),
        app: app.trim_end_matches('/').to_string(),
        cookie: cookie.clone(),
        csrf: csrf.clone(),
        pipeline: num(pipeline, "pipeline")? as i64,
        clients: num(clients, "clients")?.max(1) as usize,
        seconds: num(seconds, "seconds")?,
    })
}

/// An open deal: id, stage and version.
type Card = (i64, i64, i32);

/// The pipeline's open stages in board order, and its open deals.
fn load(a: &Args) -> Result<(Vec<i64>, Vec<Card>), String> {
    let url = DbUrl::parse(&a.db)?;
    let pool = build_pool(&url, 1, Duration::from_secs(5));
    let mut pooled = pool.get().map_err(|e| e.to_string())?;
    let c: &mut rapport::db::DbConn = &mut pooled;
    let stages: Vec<i64> = pipeline_stages::table
        .filter(pipeline_stages::pipeline_id.eq(a.pipeline))
        .filter(pipeline_stages::outcome.eq("open"))
        .order((pipeline_stages::position, pipeline_stages::id))
        .select(pipeline_stages::id)
        .load(c)
        .map_err(|e| e.to_string())?;
    let open: Vec<Card> = deals::table
        .filter(deals::pipeline_id.eq(a.pipeline))
        .filter(deals::status.eq("open"))
        .select((deals::id, deals::stage_id, deals::version))
        .load(c)
        .map_err(|e| e.to_string())?;
    Ok((stages, open))
}

async fn client(
    a: std::sync::Arc<Args>,
    stages: std::sync::Arc<Vec<i64>>,
    mut mine: Vec<Card>,
    until: Instant,
) -> Tally {
    let http = reqwest::Client::new();
    let mut t = Tally::default();
    let mut k = 0;
    while Instant::now() < until && !mine.is_empty() {
        let (id, stage, version) = mine[k % mine.len()];
        let at = stages.iter().position(|s| *s == stage).unwrap_or(0);
        let to = stages[(at + 1) % stages.len()];
        let back = format!("/leads?pipeline={}", a.pipeline);
        let form = [
            ("_csrf", a.csrf.clone()),
            ("stage_id", to.to_string()),
            ("version", version.to_string()),
            ("lost_reason_id", String::new()),
            ("lost_note", String::new()),
            ("back", back),
        ];
        let started = Instant::now();
        let sent = http
            .post(format!("{}/leads/{id}/move", a.app))
            .header("Cookie", &a.cookie)
            .header("HX-Request", "true")
            .form(&form)
            .send()
            .await;
        let ok = match sent {
            Ok(r) if r.status().is_success() => r.bytes().await.is_ok(),
            _ => false,
        };
        t.latencies.push(started.elapsed());
        if ok {
            let i = k % mine.len();
            mine[i] = (id, to, version + 1);
        } else {
            t.failed += 1;
        }
        k += 1;
    }
    t
}

#[tokio::main]
async fn main() -> Result<(), String> {
    let a = args()?;
    let (stages, open) = load(&a)?;
    if stages.is_empty() || open.is_empty() {
        return Err("the pipeline has no open stages or no open deals".into());
    }
    let deals_total = open.len();
    let mut shares: Vec<Vec<Card>> = vec![Vec::new(); a.clients];
    for (i, d) in open.into_iter().enumerate() {
        shares[i % a.clients].push(d);
    }
    let a = std::sync::Arc::new(a);
    let stages = std::sync::Arc::new(stages);
    let started = Instant::now();
    let until = started + Duration::from_secs(a.seconds);
    let tasks: Vec<_> = shares
        .into_iter()
        .map(|mine| tokio::spawn(client(a.clone(), stages.clone(), mine, until)))
        .collect();
    let all = Tally::gather(tasks).await?;
    let elapsed = started.elapsed().as_secs_f64();
    println!(
        "moves over {deals_total} open deals, {} clients: {}",
        a.clients,
        all.summary(elapsed)
    );
    Ok(())
}
