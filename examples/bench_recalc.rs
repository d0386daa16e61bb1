//! Load benchmark of the order line editor's round trip: `clients`
//! concurrent clients post the editor form to `POST /orders/recalc` with
//! `view=totals`, as typing a quantity does (htmx, answered with the
//! totals block and the line amounts out of band), for `seconds` seconds.
//! The form has five lines of seeded products (`DEMO-…`), their snapshots
//! filled in by one first recalculation, as the editor holds them; each
//! post changes a quantity. A non-200 answer is counted and reported.
//!
//!   cargo run --release --example bench_recalc -- <app url> <cookie> <csrf> <clients> <seconds>
//!
//! `bench/run.sh` (BENCH_RECALC=1) signs in and runs it.

use std::time::{Duration, Instant};

#[path = "shared/load.rs"]
mod load;
use load::Tally;

struct Args {
    app: String,
    cookie: String,
    csrf: String,
    clients: usize,
    seconds: u64,
}

fn args() -> Result<Args, String> {
    let a: Vec<String> = std::env::args().skip(1).collect();
    let [app, cookie, csrf, clients, seconds] = a.as_slice() else {
        return Err("usage: bench_recalc <app url> <cookie> <csrf> <clients> <seconds>".into());
    };
    let num = |s: &str, what: &str| {
        s.parse::<u64>()
            .map_err(|_| format!("{what}: not a number"))
    };
    Ok(Args {
        app: app.trim_end_matches('/').to_string(),
        cookie: cookie.clone(),
        csrf: csrf.clone(),
        clients: num(clients, "clients")?.max(1) as usize,
        seconds: num(seconds, "seconds")?,
    })
}

/// The value of the input named `name` in `html` (attributes in the
/// editor's order: `name="…" value="…"`).
fn input_value(html: &str, name: &str) -> String {
    let needle = format!("name=\"{name}\" value=\"");
    html.find(&needle)
        .map(|at| {
            let rest = &html[at + needle.len()..];
            rest[..rest.find('"').unwrap_or(0)].to_string()
        })
        .unwrap_or_default()
}

const LINES: usize = 5;
const FIELDS: [&str; 6] = ["pid", "snap", "name", "tax", "price", "disc"];

/// The editor form: five lines of seeded products with `qty` each.
fn form(
    a: &Args,
    snapshots: &[Vec<(String, String)>],
    qty: u64,
    totals: bool,
) -> Vec<(String, String)> {
    let mut f = vec![
        ("_csrf".to_string(), a.csrf.clone()),
        ("currency".into(), String::new()),
        ("tax_mode".into(), "exclusive".into()),
        ("shipping_tax".into(), "0".into()),
    ];
    if totals {
        f.push(("view".into(), "totals".into()));
    }
    for i in 0..LINES {
        f.push((format!("sku_{i}"), format!("DEMO-{:05}", i * 37 + 1)));
        f.push((format!("qty_{i}"), (qty + i as u64).to_string()));
        if let Some(snap) = snapshots.get(i) {
            f.extend(snap.iter().cloned());
        }
    }
    f
}

/// One recalculation without the totals view: the lines' snapshots.
async fn snapshots(
    a: &Args,
    http: &reqwest::Client,
    currency: &str,
) -> Result<Vec<Vec<(String, String)>>, String> {
    let mut f = form(a, &[], 1, false);
    f[1].1 = currency.to_string();
    let html = http
        .post(format!("{}/orders/recalc", a.app))
        .header("Cookie", &a.cookie)
        .header("HX-Request", "true")
        .form(&f)
        .send()
        .await
        .map_err(|e| e.to_string())?
        .text()
        .await
        .map_err(|e| e.to_string())?;
    let snaps: Vec<Vec<(String, String)>> = (0..LINES)
        .map(|i| {
            FIELDS
                .iter()
                .map(|k| (format!("{k}_{i}"), input_value(&html, &format!("{k}_{i}"))))
                .collect()
        })
        .collect();
    if snaps.iter().any(|s| s[0].1.is_empty()) {
        return Err(
            "the seeded products DEMO-… were not found (seed-demo --orders N makes them)".into(),
        );
    }
    Ok(snaps)
}

async fn client(
    a: std::sync::Arc<Args>,
    snaps: std::sync::Arc<Vec<Vec<(String, String)>>>,
    currency: std::sync::Arc<String>,
    seed: u64,
    until: Instant,
) -> Tally {
    let http = reqwest::Client::new();
    let mut t = Tally::default();
    let mut k = seed;
    while Instant::now() < until {
        let mut f = form(&a, &snaps, 1 + k % 9, true);
        f[1].1 = currency.to_string();
        let started = Instant::now();
        let sent = http
            .post(format!("{}/orders/recalc", a.app))
            .header("Cookie", &a.cookie)
            .header("HX-Request", "true")
            .form(&f)
            .send()
            .await;
        let ok = match sent {
            Ok(r) if r.status().is_success() => r.bytes().await.is_ok(),
            _ => false,
        };
        t.latencies.push(started.elapsed());
        if !ok {
            t.failed += 1;
        }
        k += 1;
    }
    t
}

#[tokio::main]
async fn main() -> Result<(), String> {
    let a = args()?;
    let http = reqwest::Client::new();
    // The workspace currency, as the new-quote form preselects it.
    let page = http
        .get(format!("{}/orders/new", a.app))
        .header("Cookie", &a.cookie)
        .send()
        .await
        .map_err(|e| e.to_string())?
        .text()
        .await
        .map_err(|e| e.to_string())?;
    let currency = page
        .split("<option value=\"")
        .skip(1)
        .find(|o| o[3..].starts_with("\" selected"))
        .map(|o| o[..3].to_string())
        .unwrap_or_else(|| "USD".into());
    let snaps = std::sync::Arc::new(snapshots(&a, &http, &currency).await?);
    let currency = std::sync::Arc::new(currency);
    let a = std::sync::Arc::new(a);
    let started = Instant::now();
    let until = started + Duration::from_secs(a.seconds);
    let tasks: Vec<_> = (0..a.clients)
        .map(|i| {
            tokio::spawn(client(
                a.clone(),
                snaps.clone(),
                currency.clone(),
                i as u64,
                until,
            ))
        })
        .collect();
    let all = Tally::gather(tasks).await?;
    let elapsed = started.elapsed().as_secs_f64();
    println!("recalcs, {} clients: {}", a.clients, all.summary(elapsed));
    Ok(())
}
