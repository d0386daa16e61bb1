//! The load and the counts of `scripts/cluster-test.sh` (docs/scale-out.md):
//! `CLUSTER_CLIENTS` signed-in clients work through the load balancer for
//! `CLUSTER_SECONDS` seconds — create and edit contacts, move deals (two
//! clients share each deal, so moves conflict), create and confirm orders for
//! one product with `CLUSTER_STOCK` units — while the instances' job workers
//! deliver `CLUSTER_MESSAGES` outbox messages. Then it counts from the
//! database and the instances' mail folders and exits non-zero on any
//! violation:
//!
//! - every acknowledged contact create is there, every contact holds its
//!   last acknowledged edit (or a later one whose answer was lost);
//! - every acknowledged deal move is in the stage history, and the history
//!   holds no move that was neither acknowledged nor unanswered;
//! - stock never negative; confirmed orders for the product = the stock
//!   there was (once more were tried); order numbers unique and gap-free;
//! - every queued message delivered, none twice unless an instance died
//!   mid-batch (then at most the in-flight batch, same Message-ID);
//! - take next: no ticket went to two agents, every acknowledged reply is
//!   stored once (`tickets.rs`);
//! - a `CLUSTER_RECIPIENTS`-recipient campaign sent meanwhile by the job
//!   workers of every instance: everyone received it, copies beyond one
//!   only for messages in flight at a kill, same Message-ID (`campaign.rs`);
//! - no answer was a 500 (a raw deadlock would be one); only during faults
//!   (`CLUSTER_FAULTS=1`) may a request end as 502/503 or a lost connection.
//!
//! Mail is counted at the cluster's SMTP sink (`<CLUSTER_MAIL_ROOT>/sink/new`,
//! one file per accepted message, see scripts/cluster.sh).
//!
//!   CLUSTER_APP=http://127.0.0.1:8080 CLUSTER_DB=mysql://… CLUSTER_PASSWORD=… \
//!   CLUSTER_MAIL_ROOT=/work/cluster cargo run --example cluster_load

mod campaign;
mod tickets;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use diesel::prelude::*;
use rapport::db::schema::{
    contacts, deal_stage_changes, deals, jobs, mail_outbox, order_lines, orders, pipeline_stages,
    products, users,
};
use rapport::db::{DbConn, DbUrl, Pool, PooledConn, build_pool, write_tx};
use rapport::mail::outbox::{self, Email};
use reqwest::StatusCode;
use reqwest::redirect::Policy;

#[derive(Clone)]
struct Cfg {
    app: String,
    db: String,
    password: String,
    users: Vec<String>,
    /// The id of each of `users`.
    user_ids: Vec<i64>,
    clients: usize,
    seconds: u64,
    phase: String,
    stock: i64,
    messages: usize,
    mail_root: PathBuf,
    faults: bool,
    /// Recipients of the phase's campaign (0: none).
    recipients: usize,
    /// The campaign's sending threads per lane.
    concurrency: i32,
    /// New tickets opened for the phase's take-next.
    tickets: usize,
    /// How long to wait for the campaign after the load.
    campaign_wait: u64,
}

fn env(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_string())
}

fn cfg() -> Result<Cfg, String> {
    let num = |name: &str, default: &str| {
        env(name, default)
            .parse::<u64>()
            .map_err(|_| format!("{name}: not a number"))
    };
    Ok(Cfg {
        app: env("CLUSTER_APP", "http://127.0.0.1:8080")
            .trim_end_matches('/')
            .to_string(),
        db: std::env::var("CLUSTER_DB").map_err(|_| "CLUSTER_DB is not set".to_string())?,
        password: std::env::var("CLUSTER_PASSWORD")
            .map_err(|_| "CLUSTER_PASSWORD is not set".to_string())?,
        // Users whose scope reaches every deal (the pairs share deals); by
        // default one agent user per client (`tickets::agents`).
        users: env("CLUSTER_USERS", "")
            .split(',')
            .filter(|u| !u.is_empty())
            .map(str::to_string)
            .collect(),
        user_ids: Vec::new(),
        clients: num("CLUSTER_CLIENTS", "16")?.max(2) as usize,
        seconds: num("CLUSTER_SECONDS", "60")?,
        phase: env("CLUSTER_PHASE", "p1"),
        stock: num("CLUSTER_STOCK", "40")? as i64,
        messages: num("CLUSTER_MESSAGES", "500")? as usize,
        mail_root: PathBuf::from(env("CLUSTER_MAIL_ROOT", "/work/cluster")),
        faults: env("CLUSTER_FAULTS", "0") == "1",
        recipients: num("CLUSTER_RECIPIENTS", "20000")? as usize,
        concurrency: num("CLUSTER_CONCURRENCY", "8")?.clamp(1, 32) as i32,
        tickets: num("CLUSTER_TICKETS", "3000")? as usize,
        campaign_wait: num("CLUSTER_CAMPAIGN_WAIT", "900")?,
    })
}

/// How a request ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Outcome {
    /// The change was made (303).
    Done,
    /// Refused as the rules say (409 conflict, short of stock; 422).
    Refused,
    /// No answer, or the balancer's 502/504: the change may or may not be made.
    Unknown,
    /// 503: the database was unreachable, or a write still met a conflict
    /// after all of `write_tx`'s attempts; nothing was changed.
    Busy,
    /// Anything else (a 500 above all).
    Bad(u16),
}

fn outcome(r: &Result<reqwest::Response, reqwest::Error>) -> Outcome {
    match r {
        Err(_) => Outcome::Unknown,
        Ok(r) => match r.status() {
            StatusCode::SEE_OTHER | StatusCode::OK => Outcome::Done,
            StatusCode::CONFLICT | StatusCode::UNPROCESSABLE_ENTITY => Outcome::Refused,
            StatusCode::BAD_GATEWAY | StatusCode::GATEWAY_TIMEOUT => Outcome::Unknown,
            StatusCode::SERVICE_UNAVAILABLE => Outcome::Busy,
            s => Outcome::Bad(s.as_u16()),
        },
    }
}

fn location(r: &Result<reqwest::Response, reqwest::Error>) -> Option<String> {
    let r = r.as_ref().ok()?;
    Some(r.headers().get("location")?.to_str().ok()?.to_string())
}

fn location_id(r: &Result<reqwest::Response, reqwest::Error>, prefix: &str) -> Option<i64> {
    location(r)?.strip_prefix(prefix)?.parse().ok()
}

fn csrf_in(html: &str) -> Option<String> {
    let at = html.find("name=\"_csrf\" value=\"")? + "name=\"_csrf\" value=\"".len();
    let end = html[at..].find('"')?;
    Some(html[at..at + end].to_string())
}

/// What one client saw.
#[derive(Default)]
struct Tally {
    latencies: Vec<Duration>,
    by_outcome: BTreeMap<String, usize>,
    /// Contacts created: id -> email (acknowledged).
    created: Vec<(i64, String)>,
    creates_unknown: usize,
    /// Contact edits: id -> (last acknowledged title, titles sent after it without an answer).
    edits: HashMap<i64, (Option<String>, Vec<String>)>,
    /// Deal moves: deal -> (acknowledged, unanswered).
    moves: HashMap<i64, (usize, usize)>,
    move_conflicts: usize,
    confirms_done: usize,
    confirms_refused: usize,
    confirms_unknown: usize,
    takes: tickets::Takes,
    /// Requests answered 408 and sent again.
    resent_408: usize,
    bad: Vec<String>,
}

impl Tally {
    fn count(&mut self, op: &str, o: Outcome, took: Duration) {
        self.latencies.push(took);
        *self.by_outcome.entry(format!("{op} {o:?}")).or_default() += 1;
        if let Outcome::Bad(s) = o {
            self.bad.push(format!("{op}: HTTP {s}"));
        }
    }
}

struct Client {
    http: reqwest::Client,
    cfg: Arc<Cfg>,
    pool: Pool,
    csrf: String,
    n: usize,
    /// The user signed in.
    user_id: i64,
    t: Tally,
}

/// An open deal a client moves: id, stage, version.
type Card = (i64, i64, i32);

impl Client {
    async fn sign_in(cfg: Arc<Cfg>, pool: Pool, n: usize) -> Result<Client, String> {
        let http = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(Policy::none())
            .timeout(Duration::from_secs(30))
            .build()
            .map_err(|e| e.to_string())?;
        let user = &cfg.users[n % cfg.users.len()];
        // Retried: an instance may be restarting when a client starts.
        for _ in 0..20 {
            let Ok(page) = http.get(format!("{}/login", cfg.app)).send().await else {
                tokio::time::sleep(Duration::from_millis(500)).await;
                continue;
            };
            let Some(token) = csrf_in(&page.text().await.unwrap_or_default()) else {
                tokio::time::sleep(Duration::from_millis(500)).await;
                continue;
            };
            let form = [
                ("_csrf", token.as_str()),
                ("email", user.as_str()),
                ("password", cfg.password.as_str()),
            ];
            let r = http
                .post(format!("{}/login", cfg.app))
                .form(&form)
                .send()
                .await;
            if r.as_ref()
                .is_ok_and(|r| r.status() == StatusCode::SEE_OTHER)
            {
                let page = http.get(format!("{}/contacts/new", cfg.app)).send().await;
                let Some(csrf) = (match page {
                    Ok(p) => csrf_in(&p.text().await.unwrap_or_default()),
                    Err(_) => None,
                }) else {
                    tokio::time::sleep(Duration::from_millis(500)).await;
                    continue;
                };
                let mut t = Tally::default();
                t.latencies.reserve(4096);
                let user_id = cfg
                    .user_ids
                    .get(n % cfg.user_ids.len().max(1))
                    .copied()
                    .unwrap_or(0);
                return Ok(Client {
                    http,
                    cfg,
                    pool,
                    csrf,
                    n,
                    user_id,
                    t,
                });
            }
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
        Err(format!("client {n} could not sign in as {user}"))
    }

    async fn post(
        &mut self,
        op: &str,
        path: &str,
        form: &[(&str, String)],
    ) -> (Outcome, Result<reqwest::Response, reqwest::Error>) {
        let mut fields: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        fields.push(("_csrf", self.csrf.as_str()));
        let started = Instant::now();
        let mut r = self
            .http
            .post(format!("{}{path}", self.cfg.app))
            .form(&fields)
            .send()
            .await;
        // A 408 comes from the server's HTTP layer (actix-http's 5-s timer
        // for a connection's first request, or `web::body_deadline`) before
        // any handler ran — the CSRF check reads the body first — so, as
        // browsers do, the request is sent once more on a new connection.
        if r.as_ref()
            .is_ok_and(|r| r.status() == StatusCode::REQUEST_TIMEOUT)
        {
            self.t.resent_408 += 1;
            r = self
                .http
                .post(format!("{}{path}", self.cfg.app))
                .header("connection", "close")
                .form(&fields)
                .send()
                .await;
        }
        let o = outcome(&r);
        self.t.count(op, o, started.elapsed());
        (o, r)
    }

    /// A page; its text, or None (counted as the outcome it was).
    async fn get(&mut self, op: &str, path: &str) -> Option<String> {
        let started = Instant::now();
        let r = self
            .http
            .get(format!("{}{path}", self.cfg.app))
            .send()
            .await;
        let o = outcome(&r);
        let text = match (o, r) {
            (Outcome::Done, Ok(r)) => r.text().await.ok(),
            _ => None,
        };
        self.t.count(op, o, started.elapsed());
        text
    }

    fn contact_form(email: &str, last: &str, title: &str) -> Vec<(&'static str, String)> {
        vec![
            ("first_name", "Load".into()),
            ("last_name", last.into()),
            ("email", email.into()),
            ("phone", String::new()),
            ("title", title.into()),
            ("account_name", String::new()),
            ("address", String::new()),
            ("city", String::new()),
            ("country", String::new()),
            ("lifecycle", String::new()),
            ("source", String::new()),
            ("consent", String::new()),
            ("tags", String::new()),
            ("owner_id", String::new()),
            ("allow_duplicate", String::new()),
        ]
    }

    async fn create_contact(&mut self, k: usize) -> Option<(i64, String)> {
        let email = format!("{}-{}-{k}@cluster.rapport.test", self.cfg.phase, self.n);
        let last = format!("C{}n{k}", self.n);
        let (o, r) = self
            .post(
                "contact-create",
                "/contacts",
                &Self::contact_form(&email, &last, ""),
            )
            .await;
        match (o, location_id(&r, "/contacts/")) {
            (Outcome::Done, Some(id)) => {
                self.t.created.push((id, email.clone()));
                Some((id, email))
            }
            // A 503 may be a connection lost at COMMIT: maybe made.
            (Outcome::Unknown | Outcome::Busy, _) => {
                self.t.creates_unknown += 1;
                None
            }
            _ => None,
        }
    }

    async fn edit_contact(&mut self, id: i64, email: &str, k: usize) {
        let title = format!("edit {k}");
        let last = format!("C{}e{k}", self.n);
        let (o, _) = self
            .post(
                "contact-edit",
                &format!("/contacts/{id}"),
                &Self::contact_form(email, &last, &title),
            )
            .await;
        let e = self.t.edits.entry(id).or_default();
        match o {
            Outcome::Done => *e = (Some(title), Vec::new()),
            Outcome::Unknown | Outcome::Busy => e.1.push(title),
            _ => {}
        }
    }

    /// A read of the client's own; a pooled connection may have gone to a
    /// killed node, so a failed read is tried once more on a new connection.
    fn read<T>(&self, f: impl Fn(&mut DbConn) -> QueryResult<T>) -> Option<T> {
        if let Some(v) = self.pool.get().ok().and_then(|mut c| f(&mut c).ok()) {
            return Some(v);
        }
        let url = DbUrl::parse(&self.cfg.db).ok()?;
        f(&mut rapport::db::connect(&url).ok()?).ok()
    }

    fn card(&self, id: i64) -> Option<Card> {
        self.read(|c| {
            deals::table
                .find(id)
                .select((deals::id, deals::stage_id, deals::version))
                .first(c)
        })
    }

    async fn move_deal(&mut self, card: &mut Card, stages: &[i64]) {
        let (id, stage, version) = *card;
        let at = stages.iter().position(|s| *s == stage).unwrap_or(0);
        let to = stages[(at + 1) % stages.len()];
        let form = [
            ("stage_id", to.to_string()),
            ("version", version.to_string()),
            ("lost_reason_id", String::new()),
            ("lost_note", String::new()),
            ("back", "/leads".to_string()),
        ];
        let (o, _) = self
            .post("deal-move", &format!("/leads/{id}/move"), &form)
            .await;
        let m = self.t.moves.entry(id).or_default();
        match o {
            Outcome::Done => {
                m.0 += 1;
                *card = (id, to, version + 1);
            }
            Outcome::Unknown | Outcome::Busy => m.1 += 1,
            Outcome::Refused => self.t.move_conflicts += 1,
            Outcome::Bad(_) => {}
        }
        if o != Outcome::Done
            && let Some(fresh) = self.card(id)
        {
            *card = fresh;
        }
    }

    async fn order(&mut self, contact_email: &str, sku: &str) {
        let idem = format!("{:032x}", rand::random::<u128>());
        let form = [
            ("contact", contact_email.to_string()),
            ("currency", "USD".into()),
            ("tax_mode", "exclusive".into()),
            ("shipping_tax", "0".into()),
            ("idem", idem),
            ("sku_0", sku.to_string()),
            ("qty_0", "1".into()),
            ("disc_0", String::new()),
        ];
        let (o, r) = self.post("order-create", "/orders", &form).await;
        let Some(id) = location_id(&r, "/orders/").filter(|_| o == Outcome::Done) else {
            return;
        };
        let version: Option<i32> =
            self.read(|c| orders::table.find(id).select(orders::version).first(c));
        let Some(version) = version else { return };
        let idem = format!("{:032x}", rand::random::<u128>());
        let form = [
            ("to", "confirm".to_string()),
            ("version", version.to_string()),
            ("idem", idem),
        ];
        let (mut o, r) = self
            .post("order-confirm", &format!("/orders/{id}/status"), &form)
            .await;
        // A confirmation answers 303 to its document; a 303 elsewhere (the
        // sign-in page) is not one.
        let to = r.as_ref().ok().and_then(|r| {
            r.headers()
                .get("location")?
                .to_str()
                .ok()
                .map(str::to_string)
        });
        if o == Outcome::Done && to.as_deref() != Some(format!("/orders/{id}").as_str()) {
            self.t.bad.push(format!("order-confirm: 303 to {to:?}"));
            o = Outcome::Bad(303);
        }
        match o {
            Outcome::Done => self.t.confirms_done += 1,
            Outcome::Refused => self.t.confirms_refused += 1,
            Outcome::Unknown | Outcome::Busy => self.t.confirms_unknown += 1,
            Outcome::Bad(_) => {}
        }
    }

    /// One round of work (the campaign sends beside the clients).
    async fn run(
        mut self,
        mut cards: Vec<Card>,
        stages: Arc<Vec<i64>>,
        sku: Arc<String>,
        until: Instant,
    ) -> (i64, Tally) {
        let mut k = 0usize;
        let mut mine: Vec<(i64, String)> = Vec::new();
        while Instant::now() < until {
            if let Some(c) = self.create_contact(k).await {
                mine.push(c);
            }
            if !mine.is_empty() {
                let (id, email) = mine[k % mine.len()].clone();
                self.edit_contact(id, &email, k).await;
            }
            if !cards.is_empty() {
                let i = k % cards.len();
                let mut card = cards[i];
                self.move_deal(&mut card, &stages).await;
                cards[i] = card;
            }
            if k % 3 == 1
                && let Some((_, email)) = mine.first().cloned()
            {
                self.order(&email, &sku).await;
            }
            if self.cfg.tickets > 0 {
                self.take_and_reply(k).await;
            }
            k += 1;
        }
        (self.user_id, self.t)
    }
}

fn db(pool: &Pool) -> Result<PooledConn, String> {
    pool.get().map_err(|e| e.to_string())
}

/// The product the orders take stock of, made through the form as the first user.
async fn make_product(cfg: &Cfg, pool: &Pool) -> Result<(i64, String), String> {
    let mut admin = Client::sign_in(Arc::new(cfg.clone()), pool.clone(), 0).await?;
    let sku = format!("CLUSTER-{}", cfg.phase.to_uppercase());
    let form = [
        ("sku", sku.clone()),
        ("name", format!("Cluster test {}", cfg.phase)),
        ("price", "10.00".into()),
        ("currency", "USD".into()),
        ("tax_rate", "0".into()),
        ("active", "on".into()),
        ("track_stock", "on".into()),
        ("on_hand", cfg.stock.to_string()),
    ];
    let (o, _) = admin.post("product", "/products", &form).await;
    if o != Outcome::Done {
        return Err(format!("the product {sku} was not created ({o:?})"));
    }
    let id = products::table
        .filter(products::sku.eq(&sku))
        .select(products::id)
        .first(&mut **db(pool)?)
        .map_err(|e| e.to_string())?;
    Ok((id, sku))
}

/// Login throttling is shared: five failures through the balancer (which
/// spreads them over the instances) block the sixth attempt on any instance.
async fn throttle_is_shared(cfg: &Cfg) -> Result<bool, String> {
    let http = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(Policy::none())
        .build()
        .map_err(|e| e.to_string())?;
    let who = format!("nobody-{}@cluster.rapport.test", cfg.phase);
    let mut last = StatusCode::OK;
    for _ in 0..=rapport::auth::throttle::MAX_FAILURES {
        let page = http
            .get(format!("{}/login", cfg.app))
            .send()
            .await
            .map_err(|e| e.to_string())?;
        let token = csrf_in(&page.text().await.unwrap_or_default()).unwrap_or_default();
        let form = [
            ("_csrf", token.as_str()),
            ("email", who.as_str()),
            ("password", "wrong-password-1"),
        ];
        last = http
            .post(format!("{}/login", cfg.app))
            .form(&form)
            .send()
            .await
            .map_err(|e| e.to_string())?
            .status();
    }
    Ok(last == StatusCode::TOO_MANY_REQUESTS)
}

/// Queues the phase's outbox messages (the job workers of every instance deliver them).
fn queue_messages(cfg: &Cfg, pool: &Pool) -> Result<Vec<i64>, String> {
    let mut c = db(pool)?;
    let mut jobs_ids = Vec::new();
    for chunk in (0..cfg.messages).collect::<Vec<_>>().chunks(100) {
        let emails: Vec<Email> = chunk
            .iter()
            .map(|i| {
                Email::new(
                    "Rapport <rapport@cluster.rapport.test>",
                    &format!("r{i} <{}-r{i}@cluster.rapport.test>", cfg.phase),
                    &format!("Cluster test {} message {i}", cfg.phase),
                    format!("Message {i} of the cluster test.\r\n"),
                )
                .map_err(|e| e.to_string())
            })
            .collect::<Result<_, _>>()?;
        let ids = write_tx(&mut c, |c: &mut DbConn| {
            emails
                .iter()
                .map(|e| outbox::enqueue(c, e))
                .collect::<QueryResult<Vec<i64>>>()
        })
        .map_err(|e| e.to_string())?;
        jobs_ids.extend(ids);
    }
    Ok(jobs_ids)
}

/// A Message-ID without its angle brackets.
fn normal_id(id: &str) -> String {
    id.trim()
        .trim_start_matches('<')
        .trim_end_matches('>')
        .to_string()
}

/// What the cluster's SMTP sink received (`<root>/sink/new`, one file per
/// accepted message, its envelope recipients first as `X-Envelope-To:`).
struct Sink {
    /// Message-ID -> (copies, envelope recipients of every copy).
    by_id: HashMap<String, (usize, Vec<String>)>,
}

impl Sink {
    fn scan(root: &Path) -> Sink {
        let mut by_id: HashMap<String, (usize, Vec<String>)> = HashMap::new();
        let Ok(files) = std::fs::read_dir(root.join("sink").join("new")) else {
            return Sink { by_id };
        };
        for f in files.flatten() {
            let Ok(text) = std::fs::read(f.path()) else {
                continue;
            };
            let text = String::from_utf8_lossy(&text);
            let (mut id, mut to) = (None, Vec::new());
            for l in text.lines().take_while(|l| !l.trim().is_empty()) {
                let Some((name, value)) = l.split_once(':') else {
                    continue;
                };
                if name.eq_ignore_ascii_case("message-id") {
                    id = Some(normal_id(value));
                } else if name.eq_ignore_ascii_case("x-envelope-to") {
                    to.push(value.trim().to_string());
                }
            }
            if let Some(id) = id {
                let e = by_id.entry(id).or_default();
                e.0 += 1;
                e.1.extend(to);
            }
        }
        Sink { by_id }
    }
}

/// Instance processes by pid (`<root>/app<n>/rapport.pid`), to name who sent.
fn instance_pids(root: &Path, into: &mut HashMap<u32, String>) {
    for n in 1..=9 {
        let Ok(pid) = std::fs::read_to_string(root.join(format!("app{n}/rapport.pid"))) else {
            continue;
        };
        if let Ok(pid) = pid.trim().parse::<u32>() {
            let name = if into.values().any(|v| v == &format!("app{n}")) && !into.contains_key(&pid)
            {
                format!("app{n} (restarted)")
            } else {
                format!("app{n}")
            };
            into.entry(pid).or_insert(name);
        }
    }
}

struct Checks {
    failed: Vec<String>,
}

impl Checks {
    fn check(&mut self, ok: bool, what: String) {
        println!("{} {what}", if ok { "ok  " } else { "FAIL" });
        if !ok {
            self.failed.push(what);
        }
    }
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

// Clients read a deal's or an order's version straight from the database
// (blocking, briefly): a worker thread per client keeps one client's read
// from stalling the others' requests.
#[tokio::main(flavor = "multi_thread", worker_threads = 24)]
async fn main() -> Result<(), String> {
    let mut cfg = cfg()?;
    let pool = build_pool(&DbUrl::parse(&cfg.db)?, 20, Duration::from_secs(10));
    let mut checks = Checks { failed: Vec::new() };
    if cfg.users.is_empty() {
        let agents = tickets::agents(&pool, cfg.clients, &cfg.password)?;
        cfg.users = agents.iter().map(|(e, _)| e.clone()).collect();
        cfg.user_ids = agents.iter().map(|(_, id)| *id).collect();
    } else {
        let mut c = db(&pool)?;
        for u in &cfg.users {
            let id: i64 = users::table
                .filter(users::email.eq(u))
                .select(users::id)
                .first(&mut **c)
                .map_err(|e| format!("{u}: {e}"))?;
            cfg.user_ids.push(id);
        }
    }

    checks.check(
        throttle_is_shared(&cfg).await?,
        "login throttling is shared: the 6th failure through the balancer is a 429".into(),
    );

    // The first pipeline's open stages and its open deals; two clients share each deal.
    let (stages, open) = {
        let mut c = db(&pool)?;
        let pipeline: i64 = pipeline_stages::table
            .select(pipeline_stages::pipeline_id)
            .order(pipeline_stages::pipeline_id)
            .first(&mut **c)
            .map_err(|e| e.to_string())?;
        let stages: Vec<i64> = pipeline_stages::table
            .filter(pipeline_stages::pipeline_id.eq(pipeline))
            .filter(pipeline_stages::outcome.eq("open"))
            .order((pipeline_stages::position, pipeline_stages::id))
            .select(pipeline_stages::id)
            .load(&mut **c)
            .map_err(|e| e.to_string())?;
        let open: Vec<Card> = deals::table
            .filter(deals::pipeline_id.eq(pipeline))
            .filter(deals::status.eq("open"))
            .order(deals::id)
            .select((deals::id, deals::stage_id, deals::version))
            .limit(400)
            .load(&mut **c)
            .map_err(|e| e.to_string())?;
        (stages, open)
    };
    if stages.len() < 2 || open.is_empty() {
        return Err("the first pipeline needs two open stages and open deals (seed-demo)".into());
    }
    let pairs = cfg.clients.div_ceil(2);
    let mut shares: Vec<Vec<Card>> = vec![Vec::new(); pairs];
    for (i, d) in open.iter().enumerate() {
        shares[i % pairs].push(*d);
    }

    let (product, sku) = make_product(&cfg, &pool).await?;
    let queued = queue_messages(&cfg, &pool)?;
    let since = rapport::db::now();
    let opened = tickets::open_tickets(&pool, &cfg.phase, cfg.tickets)?;
    let mut pids = HashMap::new();
    instance_pids(&cfg.mail_root, &mut pids);
    let launched = if cfg.recipients > 0 {
        Some(campaign::launch(
            &pool,
            &cfg.phase,
            cfg.recipients,
            cfg.concurrency,
            cfg.user_ids[0],
        )?)
    } else {
        None
    };
    println!(
        "phase {}: {} clients for {} s, {} deals shared by pairs, product {sku} with {} units, {} messages queued, {opened} tickets opened, campaign to {} recipients (concurrency {} per lane)",
        cfg.phase,
        cfg.clients,
        cfg.seconds,
        open.len(),
        cfg.stock,
        queued.len(),
        launched.as_ref().map_or(0, |l| l.recipients),
        cfg.concurrency
    );

    let cfg = Arc::new(cfg);
    let mut clients = Vec::new();
    for n in 0..cfg.clients {
        clients.push(Client::sign_in(cfg.clone(), pool.clone(), n).await?);
    }
    let stages = Arc::new(stages);
    let sku = Arc::new(sku);
    // scripts/cluster-test.sh times its faults from this line.
    println!("load started");
    let started = Instant::now();
    let until = started + Duration::from_secs(cfg.seconds);
    let tasks: Vec<_> = clients
        .into_iter()
        .map(|c| {
            let cards = shares[c.n / 2].clone();
            tokio::spawn(c.run(cards, stages.clone(), sku.clone(), until))
        })
        .collect();
    let mut all = Tally::default();
    let mut by_agent: HashMap<i64, tickets::Takes> = HashMap::new();
    for t in tasks {
        let (user, mut t) = t.await.map_err(|e| e.to_string())?;
        by_agent
            .entry(user)
            .or_default()
            .merge(std::mem::take(&mut t.takes));
        all.latencies.extend(t.latencies);
        for (k, v) in t.by_outcome {
            *all.by_outcome.entry(k).or_default() += v;
        }
        all.created.extend(t.created);
        all.creates_unknown += t.creates_unknown;
        all.edits.extend(t.edits);
        for (d, (a, u)) in t.moves {
            let m = all.moves.entry(d).or_default();
            m.0 += a;
            m.1 += u;
        }
        all.move_conflicts += t.move_conflicts;
        all.confirms_done += t.confirms_done;
        all.confirms_refused += t.confirms_refused;
        all.confirms_unknown += t.confirms_unknown;
        all.resent_408 += t.resent_408;
        all.bad.extend(t.bad);
    }
    let elapsed = started.elapsed().as_secs_f64();
    all.latencies.sort();
    println!(
        "requests: {} in {elapsed:.1} s = {:.0} req/s; p50 {:.1} ms, p99 {:.1} ms, max {:.0} ms",
        all.latencies.len(),
        all.latencies.len() as f64 / elapsed,
        percentile(&all.latencies, 0.50),
        percentile(&all.latencies, 0.99),
        percentile(&all.latencies, 1.0)
    );
    for (k, v) in &all.by_outcome {
        println!("  {k}: {v}");
    }

    // A fresh pool: connections of the first may have gone to a killed node.
    let pool = build_pool(&DbUrl::parse(&cfg.db)?, 2, Duration::from_secs(10));
    let mut c = db(&pool)?;
    let c: &mut DbConn = &mut c;
    let q = |e: diesel::result::Error| e.to_string();

    // 1. No 500s; errors only while faults were injected.
    checks.check(
        all.bad.is_empty(),
        format!(
            "no unexpected answer (500s etc.): {:?}",
            all.bad.iter().take(5).collect::<Vec<_>>()
        ),
    );
    let unknown: usize = all
        .by_outcome
        .iter()
        .filter(|(k, _)| k.ends_with("Unknown"))
        .map(|(_, v)| v)
        .sum();
    let busy: usize = all
        .by_outcome
        .iter()
        .filter(|(k, _)| k.ends_with("Busy"))
        .map(|(_, v)| v)
        .sum();
    checks.check(
        cfg.faults || unknown == 0,
        format!("requests without an answer or with 502/504: {unknown} (allowed only with faults)"),
    );
    println!(
        "info 503 answers (database unreachable, or a conflict past all retries; nothing changed): {busy}"
    );
    println!(
        "info 408 answers sent again (the server's HTTP layer timed the request out before any handler): {}",
        all.resent_408
    );

    // 2. Contacts: every acknowledged create is there with its email.
    let ids: Vec<i64> = all.created.iter().map(|(id, _)| *id).collect();
    let mut found: HashMap<i64, (String, Option<String>)> = HashMap::new();
    for chunk in ids.chunks(500) {
        let rows: Vec<(i64, Option<String>, Option<String>)> = contacts::table
            .filter(contacts::id.eq_any(chunk))
            .select((contacts::id, contacts::email, contacts::title))
            .load(c)
            .map_err(q)?;
        for (id, email, title) in rows {
            found.insert(id, (email.unwrap_or_default(), title));
        }
    }
    let lost: Vec<i64> = all
        .created
        .iter()
        .filter(|(id, email)| found.get(id).is_none_or(|(e, _)| e != email))
        .map(|(id, _)| *id)
        .collect();
    checks.check(
        lost.is_empty(),
        format!(
            "contacts: {} acknowledged creates, all there (lost: {lost:?})",
            all.created.len()
        ),
    );
    let prefix = format!("{}-%@cluster.rapport.test", cfg.phase);
    let stored: i64 = contacts::table
        .filter(contacts::email.like(&prefix))
        .count()
        .get_result(c)
        .map_err(q)?;
    let extra = stored - all.created.len() as i64;
    checks.check(
        extra >= 0 && extra <= all.creates_unknown as i64,
        format!(
            "contacts: {stored} stored = acknowledged + {extra} of {} unanswered",
            all.creates_unknown
        ),
    );
    let stale: Vec<i64> = all
        .edits
        .iter()
        .filter(|(id, (done, later))| {
            let now = found.get(*id).and_then(|(_, t)| t.clone());
            done.is_some() && now != *done && !later.iter().any(|l| Some(l) == now.as_ref())
        })
        .map(|(id, _)| *id)
        .collect();
    checks.check(
        stale.is_empty(),
        format!("contacts: every edited contact holds its last acknowledged edit (not: {stale:?})"),
    );

    // 3. Deal moves: the history holds each acknowledged move, and no more than those plus unanswered ones.
    let moved: Vec<i64> = all.moves.keys().copied().collect();
    let mut history: HashMap<i64, usize> = HashMap::new();
    for chunk in moved.chunks(500) {
        let rows: Vec<i64> = deal_stage_changes::table
            .filter(deal_stage_changes::deal_id.eq_any(chunk))
            .filter(deal_stage_changes::changed_at.ge(since))
            .select(deal_stage_changes::deal_id)
            .load(c)
            .map_err(q)?;
        for d in rows {
            *history.entry(d).or_default() += 1;
        }
    }
    let acked: usize = all.moves.values().map(|m| m.0).sum();
    let wrong: Vec<String> = all
        .moves
        .iter()
        .filter_map(|(d, (a, u))| {
            let h = history.get(d).copied().unwrap_or(0);
            (h < *a || h > a + u)
                .then(|| format!("deal {d}: {a} acknowledged, {u} unanswered, {h} in history"))
        })
        .collect();
    checks.check(
        wrong.is_empty(),
        format!(
            "deal moves: {acked} acknowledged, {} refused as stale (409), each in the stage history ({:?})",
            all.move_conflicts,
            wrong.iter().take(5).collect::<Vec<_>>()
        ),
    );

    // 4. Stock and order numbers.
    let on_hand: i64 = products::table
        .find(product)
        .select(products::on_hand)
        .first(c)
        .map_err(q)?;
    let confirmed: i64 = orders::table
        .inner_join(order_lines::table.on(order_lines::order_id.eq(orders::id)))
        .filter(order_lines::product_id.eq(product))
        .filter(orders::status.eq("confirmed"))
        .count()
        .get_result(c)
        .map_err(q)?;
    let tried = all.confirms_done + all.confirms_refused + all.confirms_unknown;
    checks.check(
        on_hand >= 0,
        format!("stock: {on_hand} left, never negative"),
    );
    checks.check(
        confirmed + on_hand == cfg.stock,
        format!(
            "stock: {confirmed} confirmed orders + {on_hand} left = {} units there were",
            cfg.stock
        ),
    );
    checks.check(
        confirmed >= all.confirms_done as i64
            && confirmed <= (all.confirms_done + all.confirms_unknown) as i64,
        format!(
            "orders: {confirmed} confirmed = {} acknowledged (+ up to {} unanswered); {} refused as short; {tried} tried",
            all.confirms_done, all.confirms_unknown, all.confirms_refused
        ),
    );
    if tried as i64 > cfg.stock + all.confirms_unknown as i64 {
        checks.check(
            on_hand == 0,
            "stock: more confirmations than units, so all sold".into(),
        );
    }
    let numbers: Vec<Option<String>> = orders::table
        .select(orders::order_number)
        .filter(orders::order_number.is_not_null())
        .load(c)
        .map_err(q)?;
    let mut series: BTreeMap<String, Vec<i64>> = BTreeMap::new();
    for n in numbers.into_iter().flatten() {
        if let Some((head, tail)) = n.rsplit_once('-') {
            series
                .entry(head.to_string())
                .or_default()
                .push(tail.parse().unwrap_or(-1));
        }
    }
    for (head, mut v) in series {
        v.sort_unstable();
        let n = v.len() as i64;
        let distinct = v.iter().collect::<HashSet<_>>().len() as i64;
        checks.check(
            distinct == n && v.first() == Some(&1) && v.last() == Some(&n),
            format!("order numbers {head}-…: {n}, unique and gap-free (1…{n})"),
        );
    }

    // 5. Outbox: every queued message delivered; duplicates only with faults, same Message-ID.
    let deadline = Instant::now() + Duration::from_secs(180);
    let pending = loop {
        let pending: i64 = jobs::table
            .filter(jobs::id.eq_any(queued.clone()))
            .filter(jobs::status.ne("done"))
            .count()
            .get_result(c)
            .map_err(q)?;
        if pending == 0 || Instant::now() > deadline {
            break pending;
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    };
    checks.check(
        pending == 0,
        format!(
            "outbox: all {} message jobs done ({pending} not)",
            queued.len()
        ),
    );
    let ids: Vec<String> = mail_outbox::table
        .filter(mail_outbox::job_id.eq_any(queued.clone()))
        .select(mail_outbox::message_id)
        .load(c)
        .map_err(q)?;
    let sink = Sink::scan(&cfg.mail_root);
    let copies = |m: &String| sink.by_id.get(&normal_id(m)).map_or(0, |(n, _)| *n);
    let missing = ids.iter().filter(|m| copies(m) == 0).count();
    let twice: usize = ids.iter().map(|m| copies(m).saturating_sub(1)).sum();
    checks.check(
        missing == 0,
        format!("outbox: {} messages, {missing} not delivered", ids.len()),
    );
    checks.check(
        twice == 0 || (cfg.faults && twice <= 200),
        format!("outbox: {twice} delivered twice (same Message-ID; allowed only for a batch in flight at a kill)"),
    );
    let open_dupes: i64 = jobs::table
        .filter(jobs::kind.eq("duplicates"))
        .filter(jobs::status.eq_any(vec!["queued", "running"]))
        .count()
        .get_result(c)
        .map_err(q)?;
    checks.check(
        open_dupes <= 1,
        format!("jobs: {open_dupes} duplicate-scan job(s) pending (one per key)"),
    );
    // 6. Take next and replies.
    tickets::check(c, &mut checks, &cfg.phase, &by_agent, since).map_err(q)?;

    // 7. The campaign, counted at the SMTP server once it has ended.
    if let Some(l) = &launched {
        instance_pids(&cfg.mail_root, &mut pids);
        let kills = if cfg.faults { 2 } else { 0 };
        campaign::check(
            &pool,
            &mut checks,
            l,
            &cfg.mail_root,
            Duration::from_secs(cfg.campaign_wait),
            kills,
            &pids,
        )
        .await?;
    }

    if checks.failed.is_empty() {
        println!("phase {}: all checks passed", cfg.phase);
        Ok(())
    } else {
        println!(
            "phase {}: {} check(s) FAILED",
            cfg.phase,
            checks.failed.len()
        );
        std::process::exit(1);
    }
}
