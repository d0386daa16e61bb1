//! Test harness: the real app on a free port with a fresh database per test
//! (a temp SQLite file, or a new `rapport_t_<random>` MariaDB database when
//! RAPPORT_TEST_BACKEND=mysql), and an HTTP client that behaves like a
//! browser with cookies but shows redirects instead of following them.

use std::path::PathBuf;
use std::time::Duration;

use diesel::Connection;
use diesel::connection::SimpleConnection;
use rand::Rng;
use rapport::config::Config;
use rapport::db::{self, DbConn, DbUrl};
use rapport::startup::Application;
use reqwest::StatusCode;
use scraper::{Html, Selector};

pub const PASSWORD: &str = "a-long-Secret-9";
pub const ADMIN_EMAIL: &str = "admin@test.example";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Mysql,
}

pub fn backend() -> Backend {
    match std::env::var("RAPPORT_TEST_BACKEND").as_deref() {
        Ok("mysql") => Backend::Mysql,
        _ => Backend::Sqlite,
    }
}

pub fn mysql_server_url() -> String {
    std::env::var("RAPPORT_TEST_MYSQL_URL").unwrap_or_else(|_| "mysql://root@127.0.0.1:3306".into())
}

fn random_suffix() -> String {
    let mut rng = rand::thread_rng();
    (0..12)
        .map(|_| char::from(b'a' + rng.gen_range(0..26)))
        .collect()
}

/// A database that exists for one test.
pub struct TestDb {
    pub url: DbUrl,
    dir: PathBuf,
    mysql_name: Option<String>,
}

impl TestDb {
    pub fn new() -> TestDb {
        let suffix = random_suffix();
        let dir = std::env::temp_dir().join(format!("rapport-test-{suffix}"));
        std::fs::create_dir_all(&dir).expect("temp dir");
        match backend() {
            Backend::Sqlite => TestDb {
                url: DbUrl::Sqlite(dir.join("test.db").display().to_string()),
                dir,
                mysql_name: None,
            },
            Backend::Mysql => {
                let name = format!("rapport_t_{suffix}");
                TestDb {
                    url: DbUrl::Mysql(format!("{}/{name}", mysql_server_url())),
                    dir,
                    mysql_name: Some(name),
                }
            }
        }
    }

    /// A scratch folder of this test (data dir, mail, ...).
    pub fn dir(&self) -> &std::path::Path {
        &self.dir
    }

    /// Same database, reached through another URL (the fault proxy).
    pub fn mysql_url_via(&self, port: u16) -> DbUrl {
        let name = self.mysql_name.as_deref().expect("mysql only");
        let mut u = url::Url::parse(&mysql_server_url()).expect("mysql url");
        u.set_host(Some("127.0.0.1")).expect("host");
        u.set_port(Some(port)).expect("port");
        u.set_path(name);
        DbUrl::Mysql(u.to_string())
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

pub struct TestApp {
    pub base: String,
    pub db: TestDb,
}

pub fn test_config(db: &TestDb) -> Config {
    // Random per database, and the same for every config of it (a test's
    // own job runner signs the links the app checks).
    let key = {
        use sha2::Digest;
        let seed = sha2::Sha256::digest(format!("{:?}", db.dir).as_bytes());
        let mut key = seed.to_vec();
        key.extend_from_slice(&sha2::Sha256::digest(seed));
        key
    };
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

pub async fn spawn() -> TestApp {
    spawn_with(|_| {}).await
}

/// Starts the app; `tune` may change the config (timeouts, database URL).
pub async fn spawn_with(tune: impl FnOnce(&mut Config)) -> TestApp {
    let db = TestDb::new();
    spawn_on(db, tune).await
}

pub async fn spawn_on(db: TestDb, tune: impl FnOnce(&mut Config)) -> TestApp {
    if std::env::var_os("RAPPORT_LOG").is_some() {
        rapport::telemetry::init();
    }
    let mut config = test_config(&db);
    tune(&mut config);
    // Migrate over the direct URL (the app may be pointed at a proxy).
    rapport::startup::prepare_database(&test_config(&db)).expect("migrate");
    let app = Application::build(config).expect("app builds");
    let base = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());
    TestApp { base, db }
}

impl TestApp {
    pub fn client(&self) -> Client {
        Client::new(&self.base, None)
    }

    /// A client whose requests come from another loopback address.
    pub fn client_from(&self, ip: &str) -> Client {
        Client::new(&self.base, Some(ip.parse().expect("ip")))
    }

    /// A connection of the test's own, to arrange data behind the app's
    /// back. The app's short-lived read caches are told a write may follow
    /// (as the app's own writes do), so a page read after it is fresh.
    pub fn conn(&self) -> DbConn {
        db::note_write();
        db::connect(&self.db.url).expect("direct db connection")
    }

    /// First-run setup through the form; returns the signed-in admin.
    pub async fn setup_admin(&self) -> Client {
        let mut c = self.client();
        let res = c
            .post(
                "/setup",
                &[
                    ("name", "Ada Admin"),
                    ("email", ADMIN_EMAIL),
                    ("password", PASSWORD),
                    ("password_confirm", PASSWORD),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "setup redirects");
        c.refresh_csrf("/account").await;
        c
    }

    /// Creates a team through the admin form and returns its id.
    pub async fn create_team(&self, admin: &mut Client, name: &str) -> i64 {
        let res = admin.post("/admin/teams", &[("name", name)]).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "team created");
        let mut c = self.conn();
        rapport::staff::repo::list_teams(&mut c)
            .expect("teams")
            .into_iter()
            .find(|t| t.name == name)
            .expect("team exists")
            .id
            .get()
    }

    /// Creates a user through the admin form and returns their id.
    pub async fn create_user(
        &self,
        admin: &mut Client,
        email: &str,
        role: &str,
        team: Option<i64>,
    ) -> i64 {
        let team = team.map(|t| t.to_string()).unwrap_or_default();
        let res = admin
            .post(
                "/admin/users",
                &[
                    ("name", &format!("User {email}")),
                    ("email", email),
                    ("role", role),
                    ("team_id", &team),
                    ("password", PASSWORD),
                    ("password_confirm", PASSWORD),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "user {email} created");
        self.user_id(email)
    }

    pub fn user_id(&self, email: &str) -> i64 {
        let mut c = self.conn();
        rapport::staff::repo::find_by_email(&mut c, email)
            .expect("query")
            .expect("user exists")
            .id
            .get()
    }

    pub async fn login(&self, email: &str) -> Client {
        let mut c = self.client();
        let res = c
            .post("/login", &[("email", email), ("password", PASSWORD)])
            .await;
        assert_eq!(
            res.status(),
            StatusCode::SEE_OTHER,
            "login of {email} succeeds"
        );
        c.refresh_csrf("/account").await;
        c
    }

    /// Creates a contact as `client` through the form; returns its id.
    pub async fn create_contact(
        &self,
        client: &mut Client,
        first: &str,
        last: &str,
        email: &str,
    ) -> i64 {
        let res = client
            .post(
                "/contacts",
                &[("first_name", first), ("last_name", last), ("email", email)],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "contact created");
        let location = res.headers()["location"]
            .to_str()
            .expect("location")
            .to_string();
        location
            .trim_start_matches("/contacts/")
            .parse()
            .expect("contact id in location")
    }
}

pub struct Client {
    pub http: reqwest::Client,
    pub base: String,
    pub csrf: Option<String>,
}

impl Client {
    pub fn new(base: &str, local: Option<std::net::IpAddr>) -> Client {
        let mut b = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(20))
            // actix closes a keep-alive connection idle for 5 s; a request
            // sent on it just then fails (IncompleteMessage). Let the client
            // drop idle connections first.
            .pool_idle_timeout(Duration::from_secs(2));
        if let Some(ip) = local {
            b = b.local_address(ip);
        }
        Client {
            http: b.build().expect("client"),
            base: base.to_string(),
            csrf: None,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.http.get(self.url(path)).send().await.expect("GET")
    }

    pub async fn get_htmx(&self, path: &str) -> reqwest::Response {
        self.http
            .get(self.url(path))
            .header("HX-Request", "true")
            .send()
            .await
            .expect("GET")
    }

    pub async fn get_html(&self, path: &str) -> (StatusCode, Html) {
        let res = self.get(path).await;
        let status = res.status();
        (
            status,
            Html::parse_document(&res.text().await.expect("body")),
        )
    }

    /// Reads the session's CSRF token from a page's hidden field.
    pub async fn refresh_csrf(&mut self, path: &str) {
        let (_, doc) = self.get_html(path).await;
        self.csrf = csrf_in(&doc);
    }

    async fn token(&mut self) -> String {
        if self.csrf.is_none() {
            self.refresh_csrf("/login").await;
            if self.csrf.is_none() {
                self.refresh_csrf("/setup").await;
            }
        }
        self.csrf.clone().unwrap_or_default()
    }

    /// A form post with the session's CSRF token added.
    pub async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
        let token = self.token().await;
        let mut fields: Vec<(&str, &str)> = form.to_vec();
        fields.push(("_csrf", &token));
        self.http
            .post(self.url(path))
            .form(&fields)
            .send()
            .await
            .expect("POST")
    }

    /// As htmx sends it: token in the header, HX-Request set.
    pub async fn post_htmx(&mut self, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
        let token = self.token().await;
        self.http
            .post(self.url(path))
            .header("HX-Request", "true")
            .header("X-CSRF-Token", token)
            .form(form)
            .send()
            .await
            .expect("POST")
    }

    /// A post exactly as given: no token added.
    pub async fn post_raw(
        &self,
        path: &str,
        content_type: &str,
        body: Vec<u8>,
    ) -> reqwest::Response {
        self.http
            .post(self.url(path))
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .expect("POST")
    }
}

pub fn csrf_in(doc: &Html) -> Option<String> {
    let sel = Selector::parse(r#"input[name="_csrf"]"#).expect("selector");
    doc.select(&sel)
        .next()
        .and_then(|e| e.value().attr("value"))
        .map(str::to_string)
}

pub fn texts(doc: &Html, css: &str) -> Vec<String> {
    let sel = Selector::parse(css).expect("selector");
    doc.select(&sel)
        .map(|e| e.text().collect::<String>().trim().to_string())
        .collect()
}

/// The `href` of every element `css` selects.
pub fn links(doc: &Html, css: &str) -> Vec<String> {
    let sel = Selector::parse(css).expect("selector");
    doc.select(&sel)
        .filter_map(|e| e.value().attr("href").map(str::to_string))
        .collect()
}

pub fn location(res: &reqwest::Response) -> String {
    res.headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

pub async fn html(res: reqwest::Response) -> Html {
    Html::parse_document(&res.text().await.expect("body"))
}

/// A route path with its signed-link token parameter filled in (a token
/// that does not verify), and a sign-up page's slug (of no form).
pub fn any_token(path: &str) -> String {
    path.replace(rapport::signed::TOKEN_PARAM, &"A".repeat(43))
        .replace("{slug:[a-z0-9-]+}", "no-such-form")
        .replace("{link}", "1")
        .replace("{file:[A-Za-z0-9_-]+}", "no-such-file")
}
