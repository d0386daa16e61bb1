//! Browser journeys: the real app on a free port, driven in headless Chromium
//! through chromedriver (W3C WebDriver via fantoccini), once with JavaScript on
//! (htmx swaps) and once with it off (plain forms and redirects).
//!
//! Needs Debian's `chromium` and `chromium-driver`; without them the tests
//! fail. RAPPORT_TEST_BACKEND=mysql runs them on a fresh MariaDB database.

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
const PASSWORD: &str = "a-long-Secret-9";
const ADMIN_NAME: &str = "Ada Admin";
const ADMIN_EMAIL: &str = "admin@test.example";
/// How long any expected state may take to appear.
const WAIT: Duration = Duration::from_secs(10);
/// How often a wait looks again.
const POLL: Duration = Duration::from_millis(50);
/// The name links of the contact list's rows.
const ROWS: &str = "#results table.list tbody tr td:first-child a";

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
struct TestDb {
    url: DbUrl,
    dir: PathBuf,
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

    fn backend(&self) -> &'static str {
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

struct App {
    base: String,
    db: TestDb,
}

async fn spawn_app() -> App {
    if std::env::var_os("RAPPORT_LOG").is_some() {
        rapport::telemetry::init();
    }
    let db = TestDb::new();
    let mut key = vec![0u8; 64];
    rand::thread_rng().fill(&mut key[..]);
    let config = Config {
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
    };
    rapport::startup::prepare_database(&config).expect("migrate");
    let app = rapport::startup::Application::build(config).expect("app builds");
    let base = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());
    App { base, db }
}

// ------------------------------------------------------------ the browser

/// Owns chromedriver (and through its process group, Chromium) and the
/// profile directory; both go away when this is dropped, panic or not.
struct Driver {
    child: tokio::process::Child,
    profile: PathBuf,
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
    let mut driver = Driver { child, profile };
    let url = format!("http://127.0.0.1:{port}");
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
async fn open_browser(js: bool) -> (Driver, Client) {
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
    let client = ClientBuilder::rustls()
        .expect("fantoccini's rustls connector")
        .capabilities(caps)
        .connect(&url)
        .await
        .unwrap_or_else(|e| panic!("chromedriver could not open a Chromium session: {e}"));
    (driver, client)
}

/// The browser pointed at one app, with the waits and lookups the journeys use.
struct Browser {
    c: Client,
    base: String,
}

fn button(label: &str) -> String {
    format!("//button[normalize-space()='{label}']")
}

impl Browser {
    async fn goto(&self, path: &str) {
        self.c
            .goto(&format!("{}{path}", self.base))
            .await
            .expect("navigate");
    }

    async fn url(&self) -> url::Url {
        self.c.current_url().await.expect("current url")
    }

    /// Polls `probe` until it yields a value; fails with what the page shows.
    async fn wait<T>(&self, what: &str, mut probe: impl AsyncFnMut() -> Option<T>) -> T {
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(v) = probe().await {
                return v;
            }
            if Instant::now() > deadline {
                self.fail(what, &format!("timed out after {WAIT:?}")).await;
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Panics with why `what` never came, the page's URL and its text.
    async fn fail(&self, what: &str, why: &str) -> ! {
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
    async fn wait_for(&self, what: &str, locator: Locator<'_>) -> Element {
        let found = self.c.wait().at_most(WAIT).every(POLL).for_element(locator);
        match found.await {
            Ok(e) => e,
            Err(CmdError::WaitTimeout) => {
                self.fail(what, &format!("timed out after {WAIT:?}")).await
            }
            Err(e) => self.fail(what, &format!("WebDriver error ({e})")).await,
        }
    }

    async fn find(&self, css: &str) -> Element {
        self.wait_for(&format!("element `{css}`"), Locator::Css(css))
            .await
    }

    async fn texts(&self, css: &str) -> Vec<String> {
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
    async fn wait_texts(&self, css: &str, want: &[&str]) {
        let mut want: Vec<&str> = want.to_vec();
        want.sort_unstable();
        self.wait(&format!("`{css}` to read {want:?}"), async || {
            let mut got = self.texts(css).await;
            got.sort_unstable();
            (got == want).then_some(())
        })
        .await
    }

    async fn fill(&self, css: &str, value: &str) {
        let field = self.find(css).await;
        field.clear().await.expect("clear field");
        field.send_keys(value).await.expect("type into field");
    }

    async fn click_button(&self, label: &str) {
        let xpath = button(label);
        let b = self
            .wait_for(&format!("button “{label}”"), Locator::XPath(&xpath))
            .await;
        b.click().await.expect("click button");
    }

    async fn click_link(&self, text: &str) {
        let a = self
            .wait_for(&format!("link “{text}”"), Locator::LinkText(text))
            .await;
        a.click().await.expect("click link");
    }

    /// Waits until the path (without query) satisfies `ok`; returns it.
    async fn wait_path(&self, what: &str, ok: impl Fn(&str) -> bool) -> url::Url {
        self.wait(&format!("the page {what}"), async || {
            let url = self.c.current_url().await.ok()?;
            ok(url.path()).then_some(url)
        })
        .await
    }

    /// The text of the first element matching `css`, once there is one.
    async fn text(&self, css: &str) -> String {
        self.find(css).await.text().await.expect("element text")
    }

    /// The current value of the form field matching `css`.
    async fn value(&self, css: &str) -> String {
        let v = self
            .find(css)
            .await
            .prop("value")
            .await
            .expect("field value");
        v.unwrap_or_default()
    }

    async fn heading(&self) -> String {
        self.text("h1").await
    }

    /// Leaves a mark in the page's JS state; it survives htmx swaps, not page loads.
    async fn mark_page(&self) {
        self.c
            .execute("window.__rapportMark = 'same page'; return null;", vec![])
            .await
            .expect("mark");
    }

    async fn page_is_marked(&self) -> bool {
        let v = self
            .c
            .execute("return window.__rapportMark || null;", vec![])
            .await
            .expect("read mark");
        v == json!("same page")
    }

    async fn htmx_type(&self) -> String {
        let v = self
            .c
            .execute("return typeof window.htmx;", vec![])
            .await
            .expect("typeof htmx");
        v.as_str().unwrap_or_default().to_string()
    }

    async fn screenshot(&self, name: &str) {
        let png = self.c.screenshot().await.expect("screenshot");
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/browser-screenshots");
        if std::fs::create_dir_all(&dir).is_ok() {
            let _ = std::fs::write(dir.join(format!("{name}.png")), png);
        }
    }

    // ------------------------------------------------------- shared steps

    async fn first_run_setup(&self) {
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
    async fn create_contact(
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

    async fn contact_rows(&self) -> Vec<String> {
        self.texts(ROWS).await
    }

    async fn note_bodies(&self) -> Vec<String> {
        self.texts("#timeline li.activity p.body").await
    }
}

fn is_contact_path(p: &str) -> bool {
    p.strip_prefix("/contacts/")
        .is_some_and(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()))
}

// ------------------------------------------------------------ the journeys

#[tokio::test]
async fn js_on_journey() {
    let app = spawn_app().await;
    let (_driver, client) = open_browser(true).await;
    let b = Browser {
        c: client,
        base: app.base.clone(),
    };

    // First run, then out and back in.
    b.first_run_setup().await;
    assert_eq!(b.htmx_type().await, "object", "htmx is loaded");
    b.click_button("Sign out").await;
    b.wait_path("after sign-out to be /login", |p| p == "/login")
        .await;
    b.fill("#email", ADMIN_EMAIL).await;
    b.fill("#password", PASSWORD).await;
    b.click_button("Sign in").await;
    b.wait_path("after sign-in to be /contacts", |p| p == "/contacts")
        .await;
    let me = b.text(".topbar .me a").await;
    assert_eq!(me, ADMIN_NAME);

    // A user through the admin form.
    b.click_link("Admin").await;
    b.wait_path("to be /admin/users", |p| p == "/admin/users")
        .await;
    b.click_link("New user").await;
    b.wait_path("to be /admin/users/new", |p| p == "/admin/users/new")
        .await;
    b.fill("#name", "Sam Sales").await;
    b.fill("#email", "sam@test.example").await;
    b.find("#role")
        .await
        .select_by_value("sales")
        .await
        .expect("pick role");
    b.find("#team_id")
        .await
        .select_by_value("")
        .await
        .expect("pick no team");
    b.fill("#password", PASSWORD).await;
    b.fill("#password_confirm", PASSWORD).await;
    b.click_button("Create user").await;
    b.wait_path("after creating a user to be /admin/users", |p| {
        p == "/admin/users"
    })
    .await;
    let users = b.texts("table.list tbody tr").await;
    assert!(
        users.iter().any(|r| r.contains("Sam Sales")
            && r.contains("sam@test.example")
            && r.contains("Sales")),
        "the new user is listed: {users:?}"
    );

    // A contact, and notes through the inline htmx form.
    let contact = b
        .create_contact("Grace", "Hopper", "grace@navy.example", "US Navy")
        .await;
    assert_eq!(b.texts("#timeline p.empty").await, ["Nothing here yet."]);
    b.mark_page().await;

    // An empty note: the error is swapped in (focus: see note_error_focus).
    b.click_button("Add to timeline").await;
    let error = b.text("#timeline #note-error").await;
    assert_eq!(error, "Write something first.");

    let note = "Met at the compiler conference; follow up in May.";
    b.fill("#note-body", note).await;
    b.click_button("Add to timeline").await;
    b.wait_texts("#timeline li.activity p.body", &[note]).await;
    assert_eq!(b.url().await, contact, "adding a note keeps the URL");
    assert!(
        b.page_is_marked().await,
        "the note was added without a page load"
    );
    assert!(
        b.texts("#timeline #note-error").await.is_empty(),
        "the error is gone"
    );
    let left = b.value("#note-body").await;
    assert_eq!(left, "", "the note field is emptied");
    let meta = b.text("#timeline li.activity p.meta").await;
    assert!(
        meta.starts_with("note") && meta.contains(ADMIN_NAME),
        "note meta: {meta:?}"
    );
    b.screenshot(&format!("contact-js-on-{}", app.db.backend()))
        .await;

    // Search as you type narrows the list without reloading the page.
    b.create_contact("Alan", "Turing", "alan@bletchley.example", "GC&CS")
        .await;
    b.click_link("Contacts").await;
    b.wait_path("to be /contacts", |p| p == "/contacts").await;
    b.wait_texts(ROWS, &["Grace Hopper", "Alan Turing"]).await;
    b.mark_page().await;
    b.find("#q")
        .await
        .send_keys("hopp")
        .await
        .expect("type a query");
    b.wait_texts(ROWS, &["Grace Hopper"]).await;
    assert!(
        b.page_is_marked().await,
        "results were swapped in, not loaded as a page"
    );
    let url = b.url().await;
    assert_eq!(url.path(), "/contacts");
    assert!(
        url.query_pairs().any(|(k, v)| k == "q" && v == "hopp"),
        "the query is in the URL: {url}"
    );

    // A query that matches nothing says so; clearing it brings everyone back.
    b.fill("#q", "nobody-like-this").await;
    b.wait("the no-match message", async || {
        b.texts("#results p.empty")
            .await
            .first()
            .cloned()
            .filter(|t| t.contains("nobody-like-this"))
    })
    .await;
    assert!(b.contact_rows().await.is_empty());
    b.fill("#q", "turing").await;
    b.wait_texts(ROWS, &["Alan Turing"]).await;
    assert!(b.page_is_marked().await, "still the same page");

    // The row leads to the contact, whose timeline has the note.
    b.click_link("Alan Turing").await;
    b.wait_path("to be Alan's page", is_contact_path).await;
    assert_eq!(b.heading().await, "Alan Turing");
    b.goto(contact.path()).await;
    assert_eq!(b.note_bodies().await, [note]);

    b.c.close().await.expect("close the browser session");
}

#[tokio::test]
async fn js_off_journey() {
    let app = spawn_app().await;
    let (_driver, client) = open_browser(false).await;
    let b = Browser {
        c: client,
        base: app.base.clone(),
    };

    b.first_run_setup().await;
    // Scripts really are off: htmx never ran (WebDriver's own scripts still do).
    assert_eq!(
        b.htmx_type().await,
        "undefined",
        "htmx ran although JavaScript is off"
    );

    let contact = b
        .create_contact("Grace", "Hopper", "grace@navy.example", "US Navy")
        .await;

    // A note is a plain form post answered by a redirect back to the page.
    let empty = b.value("#note-body").await;
    assert_eq!(empty, "");
    let note = "Prefers phone calls before 10am.";
    b.fill("#note-body", note).await;
    b.click_button("Add to timeline").await;
    b.wait_texts("#timeline li.activity p.body", &[note]).await;
    let after = b.url().await;
    assert_eq!(after.path(), contact.path(), "back on the contact page");
    assert_eq!(
        after.fragment(),
        Some("timeline"),
        "the redirect lands on the timeline"
    );
    b.screenshot(&format!("contact-js-off-{}", app.db.backend()))
        .await;

    // An empty note re-renders the page with the error.
    b.click_button("Add to timeline").await;
    let error = b.text("#note-error").await;
    assert_eq!(error, "Write something first.");
    assert_eq!(b.note_bodies().await, [note], "nothing was added");

    // Search by submitting the form.
    b.create_contact("Alan", "Turing", "alan@bletchley.example", "GC&CS")
        .await;
    b.click_link("Contacts").await;
    b.wait_path("to be /contacts", |p| p == "/contacts").await;
    b.wait_texts(ROWS, &["Grace Hopper", "Alan Turing"]).await;
    b.fill("#q", "hopp").await;
    b.click_button("Search").await;
    let url = b
        .wait("the search to load", async || {
            let url = b.c.current_url().await.ok()?;
            url.query_pairs()
                .any(|(k, v)| k == "q" && v == "hopp")
                .then_some(url)
        })
        .await;
    assert_eq!(url.path(), "/contacts");
    b.wait_texts(ROWS, &["Grace Hopper"]).await;
    let kept = b.value("#q").await;
    assert_eq!(kept, "hopp", "the search box keeps the query");

    b.fill("#q", "nobody-like-this").await;
    b.click_button("Search").await;
    b.wait("the no-match message", async || {
        b.texts("#results p.empty")
            .await
            .first()
            .cloned()
            .filter(|t| t.contains("nobody-like-this"))
    })
    .await;
    assert!(b.contact_rows().await.is_empty());

    b.c.close().await.expect("close the browser session");
}

/// After an htmx swap, static/js/app.js moves focus to the first invalid field
/// of the swapped-in element (`event.target`, not the detached
/// `event.detail.target` an outerHTML swap leaves behind): an empty note lands
/// the keyboard on the note field next to its error.
#[tokio::test]
async fn note_error_focus() {
    let app = spawn_app().await;
    let (_driver, client) = open_browser(true).await;
    let b = Browser {
        c: client,
        base: app.base.clone(),
    };
    b.first_run_setup().await;
    b.create_contact("Grace", "Hopper", "grace@navy.example", "US Navy")
        .await;
    b.click_button("Add to timeline").await;
    b.find("#timeline #note-error").await;
    let focused = b
        .wait("focus on the note field", async || {
            let id = b.c.active_element().await.ok()?.attr("id").await.ok()??;
            (id == "note-body").then_some(id)
        })
        .await;
    assert_eq!(focused, "note-body");
    b.c.close().await.expect("close the browser session");
}
