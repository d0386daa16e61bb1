//! The harness of the browser journeys: the app on a free port (SQLite, or
//! MariaDB with RAPPORT_TEST_BACKEND=mysql), chromedriver and headless
//! Chromium, and `Browser`, the waits and lookups the journeys use.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use diesel::Connection;
use diesel::connection::SimpleConnection;
use fantoccini::elements::Element;
use fantoccini::error::CmdError;
use fantoccini::{Client, ClientBuilder, Locator};
use rand::Rng;
use rapport::config::Config;
use rapport::db::DbUrl;
use serde_json::{Value, json};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
pub const PASSWORD: &str = "a-long-Secret-9";
pub const ADMIN_NAME: &str = "Ada Admin";
pub const ADMIN_EMAIL: &str = "admin@test.example";
/// How long any expected state may take to appear.
const WAIT: Duration = Duration::from_secs(10);
/// How often a wait looks again.
const POLL: Duration = Duration::from_millis(50);
/// The name links of the contact list's rows.
pub const ROWS: &str = "#results table.list tbody tr td:first-child a";

// ---------------------------------------------------------------- the app

fn random_suffix() -> String {
    let mut rng = rand::thread_rng();
    (0..12)
        .map(|_| char::from(b'a' + rng.gen_range(0..26)))
        .collect()
}

fn mysql_server_url() -> String {
    std::env::var("RAPPORT_TEST_MYSQL_URL").unwrap_or_else(|_| "mysql://root@127.0.0.1:3306".into())
}

/// A database (and data directory) that exists for one test.
pub struct TestDb {
    url: DbUrl,
    pub dir: PathBuf,
    mysql_name: Option<String>,
}

impl TestDb {
    fn new() -> TestDb {
        let suffix = random_suffix();
        let dir = std::env::temp_dir().join(format!("rapport-browser-{suffix}"));
        std::fs::create_dir_all(&dir).expect("temp dir");
        if std::env::var("RAPPORT_TEST_BACKEND").as_deref() == Ok("mysql") {
            let name = format!("rapport_t_{suffix}");
            let url = DbUrl::Mysql(format!("{}/{name}", mysql_server_url()));
            TestDb {
                url,
                dir,
                mysql_name: Some(name),
            }
        } else {
            let url = DbUrl::Sqlite(dir.join("test.db").display().to_string());
            TestDb {
                url,
                dir,
                mysql_name: None,
            }
        }
    }

    pub fn backend(&self) -> &'static str {
        if self.mysql_name.is_some() {
            "mysql"
        } else {
            "sqlite"
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some(name) = &self.mysql_name
            && let Ok(mut c) =
                diesel::MysqlConnection::establish(&format!("{}/", mysql_server_url()))
        {
            let _ = c.batch_execute(&format!("DROP DATABASE IF EXISTS `{name}`"));
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

pub struct App {
    pub base: String,
    pub db: TestDb,
}

impl App {
    /// `rapport seed-demo` with `n` contacts (users of every role, accounts,
    /// tags, timelines, tasks), beside the users the test made.
    pub fn seed_demo(&self, n: u32) {
        rapport::seed::run(&test_config(&self.db), n, None, 0, PASSWORD)
            .expect("seed the demo data");
    }

    /// `n` demo tickets over the seeded contacts (`seed-demo --tickets`).
    pub fn seed_tickets(&self, n: usize) {
        let mut c = rapport::db::connect(&self.db.url).expect("db");
        rapport::tickets::seed::run(&mut c, n).expect("seed the tickets");
    }

    /// Runs SQL both backends understand, straight on the database.
    pub fn sql(&self, statements: &str) {
        let mut c = rapport::db::connect(&self.db.url).expect("db");
        diesel::connection::SimpleConnection::batch_execute(&mut c, statements)
            .expect("run the SQL");
    }

    /// `n` contacts owned by the first user, written straight to the
    /// database: every other one a loyal customer, named `Person NN`.
    pub fn seed_contacts(&self, n: usize) {
        use diesel::prelude::*;
        use rapport::db::schema::contacts;
        let mut c = rapport::db::connect(&self.db.url).expect("db");
        let t = rapport::db::now();
        for i in 0..n {
            diesel::insert_into(contacts::table)
                .values((
                    contacts::first_name.eq(format!("Person {i:03}")),
                    contacts::last_name.eq(if i % 2 == 0 { "Loyal" } else { "Prospect" }),
                    contacts::lifecycle.eq(if i % 2 == 0 { "loyal" } else { "prospect" }),
                    contacts::owner_id.eq(1_i64),
                    contacts::created_at.eq(t),
                    contacts::updated_at.eq(t),
                ))
                .execute(&mut c)
                .expect("seed a contact");
        }
    }
}

/// The app's configuration for one test database.
fn test_config(db: &TestDb) -> Config {
    let mut key = vec![0u8; 64];
    rand::thread_rng().fill(&mut key[..]);
    Config {
        database: db.url.clone(),
        bind: "127.0.0.1:0".into(),
        data_dir: db.dir.clone(),
        secret_key: key,
        base_url: "http://127.0.0.1".into(),
        smtp_url: None,
        mail_from: "Rapport <rapport@test.example>".into(),
        session_idle: Duration::from_secs(30 * 60),
        session_absolute: Duration::from_secs(12 * 3600),
        db_pool_size: 6,
        db_checkout_timeout: Duration::from_secs(2),
        workers: 2,
        job_workers: 1,
        job_lease: Duration::from_secs(60),
        imap: None,
        imap_poll: Duration::from_secs(30),
        dkim: None,
        import_retention: Duration::from_secs(30 * 24 * 3600),
    }
}

pub async fn spawn_app() -> App {
    if std::env::var_os("RAPPORT_LOG").is_some() {
        rapport::telemetry::init();
    }
    let db = TestDb::new();
    let config = test_config(&db);
    rapport::startup::prepare_database(&config).expect("migrate");
    let app = rapport::startup::Application::build(config).expect("app builds");
    let base = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());
    App { base, db }
}

// ------------------------------------------------------------ the browser

/// Owns chromedriver (and through its process group, Chromium) and the
/// profile directory; both go away when this is dropped, panic or not.
pub struct Driver {
    child: tokio::process::Child,
    profile: PathBuf,
    /// chromedriver's address (for the commands fantoccini does not wrap).
    pub url: String,
}

impl Drop for Driver {
    fn drop(&mut self) {
        if let Some(pid) = self.child.id() {
            // chromedriver leads its own process group; take Chromium with it.
            let _ = std::process::Command::new("kill")
                .args(["-KILL", "--", &format!("-{pid}")])
                .stderr(Stdio::null())
                .status();
        }
        let _ = self.child.start_kill();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    listener.local_addr().expect("local addr").port()
}

async fn start_driver() -> (Driver, String) {
    for bin in [CHROMIUM, CHROMEDRIVER] {
        assert!(
            Path::new(bin).exists(),
            "{bin} is missing: the browser tests need the Debian packages `chromium` and \
             `chromium-driver` (apt-get install chromium chromium-driver)"
        );
    }
    let port = free_port();
    let profile = std::env::temp_dir().join(format!("rapport-chrome-{}", random_suffix()));
    std::fs::create_dir_all(&profile).expect("profile dir");
    let child = tokio::process::Command::new(CHROMEDRIVER)
        .arg(format!("--port={port}"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0)
        .kill_on_drop(true)
        .spawn()
        .unwrap_or_else(|e| panic!("could not start {CHROMEDRIVER}: {e}"));
    let url = format!("http://127.0.0.1:{port}");
    let mut driver = Driver {
        child,
        profile,
        url: url.clone(),
    };
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(2))
        .build()
        .expect("http client");
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Ok(Some(status)) = driver.child.try_wait() {
            panic!("{CHROMEDRIVER} exited early with {status}");
        }
        if let Ok(res) = http.get(format!("{url}/status")).send().await
            && let Ok(body) = res.text().await
            && serde_json::from_str::<Value>(&body).is_ok_and(|b| b["value"]["ready"] == true)
        {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "{CHROMEDRIVER} did not answer on port {port} within 20 s"
        );
        tokio::time::sleep(POLL).await;
    }
    (driver, url)
}

// ------------------------------------------------------------- WebDriver

/// A headless Chromium session on a fresh profile, driven through fantoccini;
/// `js` false blocks all scripts through the content-settings policy pref.
pub async fn open_browser(js: bool) -> (Driver, Client) {
    let (driver, url) = start_driver().await;
    // rustls is built with both `ring` (reqwest) and `aws-lc-rs` (lettre), so
    // there is no process-wide default provider for fantoccini's connector
    // until one is picked. Another test in this binary may have done so already.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let mut prefs = serde_json::Map::new();
    if !js {
        prefs.insert(
            "profile.managed_default_content_settings.javascript".into(),
            json!(2),
        );
    }
    let mut caps = serde_json::Map::new();
    caps.insert("browserName".into(), json!("chrome"));
    caps.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": CHROMIUM,
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                "--window-size=1280,1000", format!("--user-data-dir={}", driver.profile.display()),
            ],
            "prefs": prefs,
        }),
    );
    // Chromium's own console (CSP violations, failed loads, uncaught errors).
    caps.insert("goog:loggingPrefs".into(), json!({ "browser": "ALL" }));
    let client = ClientBuilder::rustls()
        .expect("fantoccini's rustls connector")
        .capabilities(caps)
        .connect(&url)
        .await
        .unwrap_or_else(|e| panic!("chromedriver could not open a Chromium session: {e}"));
    let session = client
        .session_id()
        .await
        .ok()
        .flatten()
        .expect("a WebDriver session id");
    // Before any page script runs, record console.error calls, uncaught
    // errors, rejected promises and CSP violations where a step can read them.
    let res = reqwest::Client::new()
        .post(format!("{}/session/{session}/goog/cdp/execute", driver.url))
        .header("content-type", "application/json")
        .body(
            json!({
                "cmd": "Page.addScriptToEvaluateOnNewDocument",
                "params": { "source": CONSOLE_HOOK },
            })
            .to_string(),
        )
        .send()
        .await
        .expect("install the console hook");
    assert!(res.status().is_success(), "the console hook was refused");
    (driver, client)
}

/// Collects what a user would see as red lines in the browser console.
const CONSOLE_HOOK: &str = r#"(() => {
  const seen = [];
  window.__rapportConsoleErrors = seen;
  const error = console.error.bind(console);
  console.error = (...args) => { seen.push(args.map(String).join(" ")); error(...args); };
  window.addEventListener("error", e => seen.push("uncaught: " + (e.message || e.type)));
  window.addEventListener("unhandledrejection", e => seen.push("unhandled rejection: " + e.reason));
  document.addEventListener("securitypolicyviolation", e => seen.push("CSP: " + e.violatedDirective + " " + e.blockedURI));
})();"#;

/// The browser pointed at one app, with the waits and lookups the journeys use.
/// A Chromium (JavaScript on or off) pointed at `app`; keep the driver
/// alive as long as the browser is used.
pub async fn browse(app: &App, js: bool) -> (Driver, Browser) {
    let (driver, c) = open_browser(js).await;
    let b = Browser {
        c,
        base: app.base.clone(),
        driver: driver.url.clone(),
    };
    (driver, b)
}

pub struct Browser {
    pub c: Client,
    pub base: String,
    /// chromedriver's address, for reading Chromium's console log.
    pub driver: String,
}

fn button(label: &str) -> String {
    format!("//button[normalize-space()='{label}']")
}

impl Browser {
    pub async fn goto(&self, path: &str) {
        self.assert_quiet_console().await;
        self.c
            .goto(&format!("{}{path}", self.base))
            .await
            .expect("navigate");
        self.assert_quiet_console().await;
    }

    /// Fails on any error the page logged: console.error (htmx's syntax
    /// errors among them), uncaught errors and rejections, CSP violations,
    /// and Chromium's own SEVERE console lines (except the status line of a
    /// response the journey asked for: a 422 form, a 404 page).
    pub async fn assert_quiet_console(&self) {
        let mut errors: Vec<String> = Vec::new();
        if let Ok(Value::Array(seen)) = self
            .c
            .execute("return window.__rapportConsoleErrors || [];", vec![])
            .await
        {
            errors.extend(
                seen.iter()
                    .map(|v| v.as_str().unwrap_or_default().to_string()),
            );
            let _ = self
                .c
                .execute("if (window.__rapportConsoleErrors) window.__rapportConsoleErrors.length = 0; return null;", vec![])
                .await;
        }
        let session = self.c.session_id().await.ok().flatten().unwrap_or_default();
        let log = reqwest::Client::new()
            .post(format!("{}/session/{session}/se/log", self.driver))
            .header("content-type", "application/json")
            .body(json!({ "type": "browser" }).to_string())
            .send()
            .await;
        if let Ok(res) = log
            && let Ok(text) = res.text().await
            && let Ok(body) = serde_json::from_str::<Value>(&text)
            && let Some(entries) = body["value"].as_array()
        {
            for e in entries {
                let message = e["message"].as_str().unwrap_or_default();
                let expected_status = message.contains("the server responded with a status of 422")
                    || message.contains("the server responded with a status of 404");
                if e["level"] == "SEVERE" && !expected_status {
                    errors.push(message.to_string());
                }
            }
        }
        if !errors.is_empty() {
            self.fail(
                "a quiet browser console",
                &format!("console errors: {errors:#?}"),
            )
            .await;
        }
    }

    pub async fn url(&self) -> url::Url {
        self.c.current_url().await.expect("current url")
    }

    /// Polls `probe` until it yields a value; fails with what the page shows.
    pub async fn wait<T>(&self, what: &str, probe: impl AsyncFnMut() -> Option<T>) -> T {
        self.wait_up_to(WAIT, what, probe).await
    }

    /// `wait`, for something that may take up to `limit`.
    pub async fn wait_up_to<T>(
        &self,
        limit: Duration,
        what: &str,
        mut probe: impl AsyncFnMut() -> Option<T>,
    ) -> T {
        let deadline = Instant::now() + limit;
        loop {
            if let Some(v) = probe().await {
                return v;
            }
            if Instant::now() > deadline {
                self.fail(what, &format!("timed out after {limit:?}")).await;
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Panics with why `what` never came, the page's URL and its text.
    pub async fn fail(&self, what: &str, why: &str) -> ! {
        let url = self
            .c
            .current_url()
            .await
            .map(|u| u.to_string())
            .unwrap_or_default();
        let text = match self.c.find(Locator::Css("body")).await {
            Ok(body) => body.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        };
        panic!("{why} waiting for {what}\nat {url}\npage text:\n{text}");
    }

    /// The first element `locator` finds, once there is one.
    pub async fn wait_for(&self, what: &str, locator: Locator<'_>) -> Element {
        let found = self.c.wait().at_most(WAIT).every(POLL).for_element(locator);
        match found.await {
            Ok(e) => e,
            Err(CmdError::WaitTimeout) => {
                self.fail(what, &format!("timed out after {WAIT:?}")).await
            }
            Err(e) => self.fail(what, &format!("WebDriver error ({e})")).await,
        }
    }

    pub async fn find(&self, css: &str) -> Element {
        self.wait_for(&format!("element `{css}`"), Locator::Css(css))
            .await
    }

    pub async fn texts(&self, css: &str) -> Vec<String> {
        let Ok(found) = self.c.find_all(Locator::Css(css)).await else {
            return vec![];
        };
        let mut out = Vec::new();
        for e in found {
            match e.text().await {
                Ok(t) => out.push(t.trim().to_string()),
                Err(_) => return vec![], // swapped out under us; the caller polls again
            }
        }
        out
    }

    /// Waits until the elements matching `css` read `want`, in any order.
    pub async fn wait_texts(&self, css: &str, want: &[&str]) {
        let mut want: Vec<&str> = want.to_vec();
        want.sort_unstable();
        self.wait(&format!("`{css}` to read {want:?}"), async || {
            let mut got = self.texts(css).await;
            got.sort_unstable();
            (got == want).then_some(())
        })
        .await
    }

    pub async fn fill(&self, css: &str, value: &str) {
        let field = self.find(css).await;
        field.clear().await.expect("clear field");
        field.send_keys(value).await.expect("type into field");
    }

    pub async fn click_button(&self, label: &str) {
        let xpath = button(label);
        let b = self
            .wait_for(&format!("button “{label}”"), Locator::XPath(&xpath))
            .await;
        b.click().await.expect("click button");
    }

    /// Clicks the button labelled `label` inside the element with this id.
    pub async fn click_button_in(&self, id: &str, label: &str) {
        let xpath = format!("//*[@id='{id}']{}", button(label));
        let b = self
            .wait_for(
                &format!("button “{label}” in #{id}"),
                Locator::XPath(&xpath),
            )
            .await;
        b.click().await.expect("click button");
    }

    pub async fn click_link(&self, text: &str) {
        let a = self
            .wait_for(&format!("link “{text}”"), Locator::LinkText(text))
            .await;
        a.click().await.expect("click link");
    }

    /// Waits until the path (without query) satisfies `ok`; returns it.
    pub async fn wait_path(&self, what: &str, ok: impl Fn(&str) -> bool) -> url::Url {
        let url = self
            .wait(&format!("the page {what}"), async || {
                let url = self.c.current_url().await.ok()?;
                ok(url.path()).then_some(url)
            })
            .await;
        self.assert_quiet_console().await;
        url
    }

    /// The text of the first element matching `css`, once there is one.
    /// An element htmx swapped out between finding and reading it (stale)
    /// is found again.
    pub async fn text(&self, css: &str) -> String {
        for _ in 0..5 {
            if let Ok(text) = self.find(css).await.text().await {
                return text;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        self.find(css).await.text().await.expect("element text")
    }

    /// The current value of the form field matching `css`.
    pub async fn value(&self, css: &str) -> String {
        let v = self
            .find(css)
            .await
            .prop("value")
            .await
            .expect("field value");
        v.unwrap_or_default()
    }

    /// The field's value now, or None while there is none to read: not on
    /// the page yet, or replaced (an htmx swap) between finding and reading
    /// it. For probes of `wait`, which try again.
    pub async fn value_now(&self, css: &str) -> Option<String> {
        let field = self.c.find(Locator::Css(css)).await.ok()?;
        field
            .prop("value")
            .await
            .ok()
            .map(Option::unwrap_or_default)
    }

    pub async fn heading(&self) -> String {
        self.text("h1").await
    }

    /// Leaves a mark in the page's JS state; it survives htmx swaps, not page loads.
    pub async fn mark_page(&self) {
        self.c
            .execute("window.__rapportMark = 'same page'; return null;", vec![])
            .await
            .expect("mark");
    }

    pub async fn page_is_marked(&self) -> bool {
        let v = self
            .c
            .execute("return window.__rapportMark || null;", vec![])
            .await
            .expect("read mark");
        v == json!("same page")
    }

    pub async fn htmx_type(&self) -> String {
        let v = self
            .c
            .execute("return typeof window.htmx;", vec![])
            .await
            .expect("typeof htmx");
        v.as_str().unwrap_or_default().to_string()
    }

    /// Screenshots at a desktop (1280 px) and a phone (375 px) width.
    pub async fn screenshots(&self, name: &str) {
        for (w, h) in [(1280, 1000), (375, 900)] {
            self.c.set_window_size(w, h).await.expect("resize");
            self.screenshot(&format!("{name}-{w}")).await;
        }
        self.c.set_window_size(1280, 1000).await.expect("resize");
    }

    pub async fn screenshot(&self, name: &str) {
        let png = self.c.screenshot().await.expect("screenshot");
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/browser-screenshots");
        if std::fs::create_dir_all(&dir).is_ok() {
            let _ = std::fs::write(dir.join(format!("{name}.png")), png);
        }
    }

    // ------------------------------------------------------- shared steps

    pub async fn first_run_setup(&self) {
        self.goto("/setup").await;
        assert_eq!(self.heading().await, "Create the first administrator");
        self.fill("#name", ADMIN_NAME).await;
        self.fill("#email", ADMIN_EMAIL).await;
        self.fill("#password", PASSWORD).await;
        self.fill("#password_confirm", PASSWORD).await;
        self.click_button("Create administrator").await;
        self.wait_path("after setup to be /contacts", |p| p == "/contacts")
            .await;
        let me = self.text(".topbar .me a").await;
        assert_eq!(me, ADMIN_NAME, "signed in as the new administrator");
    }

    /// Creates a contact through the form; returns the contact page's URL.
    pub async fn create_contact(
        &self,
        first: &str,
        last: &str,
        email: &str,
        company: &str,
    ) -> url::Url {
        self.click_link("Contacts").await;
        self.wait_path("to be /contacts", |p| p == "/contacts")
            .await;
        self.click_link("New contact").await;
        self.wait_path("to be /contacts/new", |p| p == "/contacts/new")
            .await;
        self.fill("#first_name", first).await;
        self.fill("#last_name", last).await;
        self.fill("#email", email).await;
        self.fill("#phone", "+44 20 7946 0000").await;
        self.fill("#account_name", company).await;
        self.click_button("Save contact").await;
        let url = self
            .wait_path("to be a contact page", is_contact_path)
            .await;
        assert_eq!(self.heading().await, format!("{first} {last}"));
        let details = self.text("dl.facts").await;
        assert!(details.contains(email), "details show {details:?}");
        let subtitle = self.text(".subtitle").await;
        assert!(
            subtitle.contains(company),
            "the company is linked: {subtitle:?}"
        );
        url
    }

    pub async fn contact_rows(&self) -> Vec<String> {
        self.texts(ROWS).await
    }

    pub async fn note_bodies(&self) -> Vec<String> {
        self.texts("#timeline li.activity p.body").await
    }
}

pub fn is_contact_path(p: &str) -> bool {
    p.strip_prefix("/contacts/")
        .is_some_and(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()))
}
