//! An XSS payload in every text field is rendered inert: stored in contact
//! names and companies, notes, user and team names (and echoed from forms
//! that failed validation), it comes back as text on every page that shows it,
//! escaped rather than stripped, with no element, attribute or URL of its own.

use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use scraper::{ElementRef, Html, Selector};

use crate::helpers::*;

const PAYLOADS: [&str; 6] = [
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(1)>",
    "'><svg onload=alert(1)>",
    "javascript:alert(1)",
    "</textarea><script>alert(1)</script>",
    "</title><svg/onload=alert(1)>",
];

/// Markup that only a payload could have put into a page.
const LIVE_MARKUP: [&str; 4] = ["<script>alert", "<img src=x", "<svg onload", "<svg/onload"];

/// Attributes the browser (or htmx) follows as URLs.
const URL_ATTRS: [&str; 11] = [
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "data",
    "poster",
    "hx-get",
    "hx-post",
    "hx-put",
    "hx-delete",
];

struct Page {
    label: String,
    status: StatusCode,
    headers: HeaderMap,
    body: String,
}

async fn page(label: impl Into<String>, res: reqwest::Response) -> Page {
    Page {
        label: label.into(),
        status: res.status(),
        headers: res.headers().clone(),
        body: res.text().await.expect("body"),
    }
}

/// Whether `payload` is in the page as text or as an attribute's value,
/// exactly as typed (so it was escaped, not stripped or mangled).
fn shown(doc: &Html, payload: &str) -> bool {
    let root = doc.root_element();
    root.text().collect::<String>().contains(payload)
        || root
            .descendants()
            .filter_map(ElementRef::wrap)
            .any(|e| e.value().attrs().any(|(_, v)| v.contains(payload)))
}

/// Everything wrong with one page: a payload that became markup, a payload
/// that is missing, or missing protective headers.
fn inspect(page: &Page, expected: &[&str]) -> Vec<String> {
    let label = &page.label;
    let mut out = Vec::new();
    let header = |name: &str| {
        page.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    };
    let csp = header("content-security-policy");
    let script_src = csp
        .split(';')
        .map(str::trim)
        .find(|d| d.starts_with("script-src"))
        .unwrap_or_default();
    if script_src != "script-src 'self'" {
        out.push(format!(
            "{label}: CSP script-src is {script_src:?} (CSP {csp:?})"
        ));
    }
    if header("x-content-type-options") != "nosniff" {
        out.push(format!("{label}: no x-content-type-options: nosniff"));
    }
    if !header("content-type").starts_with("text/html") {
        out.push(format!(
            "{label}: content type {:?}",
            header("content-type")
        ));
    }
    for needle in LIVE_MARKUP {
        if page.body.contains(needle) {
            out.push(format!("{label}: the raw page contains {needle:?}"));
        }
    }

    let doc = Html::parse_document(&page.body);
    let scripts = Selector::parse("script").expect("selector");
    for s in doc.select(&scripts) {
        let text: String = s.text().collect();
        let src = s.value().attr("src").unwrap_or_default();
        if text.contains("alert") || !text.trim().is_empty() || !src.starts_with("/static/") {
            out.push(format!(
                "{label}: a script element that is not ours: {}",
                s.html()
            ));
        }
    }
    let injected =
        Selector::parse("img, svg, iframe, object, embed, math, base").expect("selector");
    for e in doc.select(&injected) {
        out.push(format!("{label}: injected element {}", e.html()));
    }
    let js_links = Selector::parse("a[href^=javascript], a[href^=JAVASCRIPT]").expect("selector");
    for e in doc.select(&js_links) {
        out.push(format!("{label}: javascript link {}", e.html()));
    }
    for e in doc
        .root_element()
        .descendants()
        .filter_map(ElementRef::wrap)
    {
        for (name, value) in e.value().attrs() {
            let name = name.to_ascii_lowercase();
            if name.starts_with("on") || name.starts_with("hx-on") {
                out.push(format!(
                    "{label}: event handler attribute {name}={value:?} on <{}>",
                    e.value().name()
                ));
            }
            let url: String = value
                .chars()
                .filter(|c| !c.is_whitespace() && !c.is_control())
                .collect::<String>()
                .to_ascii_lowercase();
            if URL_ATTRS.contains(&name.as_str())
                && (url.starts_with("javascript:") || url.starts_with("data:"))
            {
                out.push(format!("{label}: script URL in {name}={value:?}"));
            }
        }
    }
    for p in expected {
        if !shown(&doc, p) {
            out.push(format!(
                "{label}: payload {p:?} is not shown literally (stripped or mangled)"
            ));
        }
    }
    out
}

fn report(failures: &[String], checked: usize) {
    assert!(
        failures.is_empty(),
        "{} problem(s) in {checked} page(s):\n{}",
        failures.len(),
        failures
            .iter()
            .take(60)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

struct Stored {
    payload: &'static str,
    team: i64,
    user: i64,
    email: String,
    contact: i64,
}

#[tokio::test]
async fn payloads_in_every_stored_text_field_are_shown_as_text_on_every_page() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let admin_id = app.user_id(ADMIN_EMAIL);

    // A team, a user (in that team) and a contact (owned by that user, with a
    // note) per payload, each named with it.
    let mut stored = Vec::new();
    for (i, p) in PAYLOADS.into_iter().enumerate() {
        let team = app.create_team(&mut admin, p).await;
        let email = format!("xss{i}@test.example");
        let res = admin
            .post(
                "/admin/users",
                &[
                    ("name", p),
                    ("email", &email),
                    ("role", "sales"),
                    ("team_id", &team.to_string()),
                    ("password", PASSWORD),
                    ("password_confirm", PASSWORD),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "user named {p:?}");
        let user = app.user_id(&email);
        let res = admin
            .post(
                "/contacts",
                &[
                    ("first_name", p),
                    ("last_name", p),
                    ("account_name", p),
                    ("email", &format!("contact{i}@test.example")),
                    ("owner_id", &user.to_string()),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "contact named {p:?}");
        let contact: i64 = location(&res)
            .trim_start_matches("/contacts/")
            .parse()
            .expect("id");
        let res = admin
            .post(&format!("/contacts/{contact}/activities"), &[("body", p)])
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "note {p:?}");
        stored.push(Stored {
            payload: p,
            team,
            user,
            email,
            contact,
        });
    }
    // Stored exactly as typed: escaping happens on output only.
    let mut c = app.conn();
    for s in &stored {
        let user = rapport::staff::repo::get_user(&mut c, rapport::domain::UserId::new(s.user))
            .expect("query")
            .expect("user");
        assert_eq!(user.name, s.payload);
        let team = rapport::staff::repo::get_team(&mut c, rapport::domain::TeamId::new(s.team))
            .expect("query")
            .expect("team");
        assert_eq!(team.name, s.payload);
    }

    let all: Vec<&str> = PAYLOADS.to_vec();
    let mut failures = Vec::new();
    let mut checked = 0;
    let mut check = |page: Page, expected: &[&str]| {
        checked += 1;
        if page.status.is_server_error() {
            failures.push(format!("{}: {}", page.label, page.status));
        }
        failures.extend(inspect(&page, expected));
    };

    // Pages that show what was stored.
    check(
        page("contact list", admin.get("/contacts").await).await,
        &all,
    );
    check(
        page("contact list fragment", admin.get_htmx("/contacts").await).await,
        &all,
    );
    check(
        page(
            "contact list by name",
            admin.get("/contacts?sort=name&dir=desc").await,
        )
        .await,
        &all,
    );
    check(
        page("new contact form", admin.get("/contacts/new").await).await,
        &all,
    );
    check(page("users", admin.get("/admin/users").await).await, &all);
    check(
        page("new user form", admin.get("/admin/users/new").await).await,
        &all,
    );
    check(page("teams", admin.get("/admin/teams").await).await, &all);
    check(
        page("audit log", admin.get("/admin/audit").await).await,
        &all,
    );
    for s in &stored {
        let p = s.payload;
        let c = s.contact;
        let q: String = url::form_urlencoded::byte_serialize(p.as_bytes()).collect();
        check(
            page(
                format!("search for {p:?}"),
                admin.get(&format!("/contacts?q={q}")).await,
            )
            .await,
            &[p],
        );
        check(
            page(
                format!("search fragment for {p:?}"),
                admin
                    .get_htmx(&format!("/contacts?q={q}&sort=company"))
                    .await,
            )
            .await,
            &[p],
        );
        check(
            page(
                format!("empty search for {p:?}"),
                admin.get(&format!("/contacts?q={q}+nomatch")).await,
            )
            .await,
            &[p],
        );
        check(
            page(
                format!("contact {p:?}"),
                admin.get(&format!("/contacts/{c}")).await,
            )
            .await,
            &[p],
        );
        check(
            page(
                format!("contact {p:?} edit form"),
                admin.get(&format!("/contacts/{c}/edit")).await,
            )
            .await,
            &all,
        );
        check(
            page(
                format!("user {p:?} edit form"),
                admin.get(&format!("/admin/users/{}/edit", s.user)).await,
            )
            .await,
            &all,
        );

        // Forms that failed validation show the payload again.
        let bad_contact = [
            ("first_name", p),
            ("last_name", p),
            ("account_name", p),
            ("email", "not-an-email"),
        ];
        let res = admin.post("/contacts", &bad_contact).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        check(
            page(format!("new contact {p:?} re-rendered"), res).await,
            &[p],
        );
        let res = admin
            .post_htmx(&format!("/contacts/{c}"), &bad_contact)
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        check(
            page(format!("contact {p:?} edit re-rendered (htmx)"), res).await,
            &[p],
        );
        let res = admin.post(&format!("/contacts/{c}"), &bad_contact).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        check(
            page(format!("contact {p:?} edit re-rendered"), res).await,
            &[p],
        );

        let long_note = format!("{p}{}", "x".repeat(10_001));
        let res = admin
            .post(
                &format!("/contacts/{c}/activities"),
                &[("body", long_note.as_str())],
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        check(page(format!("note {p:?} re-rendered"), res).await, &[p]);
        let res = admin
            .post_htmx(
                &format!("/contacts/{c}/activities"),
                &[("body", long_note.as_str())],
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        check(
            page(format!("note {p:?} re-rendered (htmx)"), res).await,
            &[p],
        );
        let res = admin
            .post_htmx(&format!("/contacts/{c}/activities"), &[("body", p)])
            .await;
        assert_eq!(res.status(), StatusCode::OK);
        check(
            page(format!("timeline after note {p:?} (htmx)"), res).await,
            &[p],
        );

        let long_team = format!("{p}{}", "t".repeat(100));
        let res = admin
            .post("/admin/teams", &[("name", long_team.as_str())])
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        check(page(format!("new team {p:?} re-rendered"), res).await, &all);
        let res = admin
            .post(
                &format!("/admin/teams/{}", s.team),
                &[("name", long_team.as_str())],
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        check(
            page(format!("team {p:?} rename re-rendered"), res).await,
            &all,
        );

        let bad_user = [
            ("name", p),
            ("email", "not-an-email"),
            ("role", "sales"),
            ("team_id", ""),
            ("active", "on"),
        ];
        let res = admin.post("/admin/users", &bad_user).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        check(page(format!("new user {p:?} re-rendered"), res).await, &[p]);
        let res = admin
            .post(&format!("/admin/users/{}", s.user), &bad_user)
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        check(
            page(format!("user {p:?} edit re-rendered"), res).await,
            &[p],
        );

        // The user named with the payload sees it in the page chrome.
        let user = app.login(&s.email).await;
        check(
            page(format!("contacts as {p:?}"), user.get("/contacts").await).await,
            &[p],
        );
        check(
            page(format!("account of {p:?}"), user.get("/account").await).await,
            &[p],
        );
    }

    // The administrator's own name, shown on every page they see.
    let p = PAYLOADS[1];
    let res = admin
        .post(
            &format!("/admin/users/{admin_id}"),
            &[
                ("name", p),
                ("email", ADMIN_EMAIL),
                ("role", "admin"),
                ("team_id", ""),
                ("active", "on"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "admin renamed");
    for path in ["/contacts", "/account", "/admin/roles", "/admin/audit"] {
        check(
            page(
                format!("{path} as admin named {p:?}"),
                admin.get(path).await,
            )
            .await,
            &[p],
        );
    }
    assert!(
        checked >= 12 + PAYLOADS.len() * 18,
        "pages checked ({checked})"
    );
    report(&failures, checked);
}

#[tokio::test]
async fn payloads_echoed_by_the_public_pages_are_shown_as_text() {
    let app = spawn().await;
    let mut failures = Vec::new();
    let mut checked = 0;
    let mut check = |page: Page, expected: &[&str]| {
        checked += 1;
        if page.status.is_server_error() {
            failures.push(format!("{}: {}", page.label, page.status));
        }
        failures.extend(inspect(&page, expected));
    };

    // First-run setup with the payload as name and email.
    let mut anon = app.client();
    anon.refresh_csrf("/setup").await;
    for p in PAYLOADS {
        let res = anon
            .post(
                "/setup",
                &[
                    ("name", p),
                    ("email", p),
                    ("password", "short"),
                    ("password_confirm", ""),
                ],
            )
            .await;
        assert_eq!(
            res.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "setup with {p:?}"
        );
        check(
            page(format!("setup with {p:?} re-rendered"), res).await,
            &[p],
        );
    }

    let admin = app.setup_admin().await;
    for p in PAYLOADS {
        // `next` is carried through the login form.
        let next = format!("/{p}");
        let q: String = url::form_urlencoded::byte_serialize(next.as_bytes()).collect();
        let c = app.client();
        check(
            page(
                format!("login with next={next:?}"),
                c.get(&format!("/login?next={q}")).await,
            )
            .await,
            &[&next],
        );

        // A failed sign-in keeps the email typed.
        let mut c = app.client();
        c.refresh_csrf("/login").await;
        let res = c
            .post(
                "/login",
                &[
                    ("email", p),
                    ("password", "wrong-password-1"),
                    ("next", &next),
                ],
            )
            .await;
        assert!(
            matches!(
                res.status(),
                StatusCode::UNAUTHORIZED | StatusCode::TOO_MANY_REQUESTS
            ),
            "login as {p:?}: {}",
            res.status()
        );
        check(page(format!("failed login as {p:?}"), res).await, &[p]);

        // Error pages name nothing from the request.
        let path: String = url::form_urlencoded::byte_serialize(p.as_bytes()).collect();
        check(
            page(
                format!("404 for {p:?}"),
                admin.get(&format!("/contacts/{path}")).await,
            )
            .await,
            &[],
        );
        check(
            page(
                format!("404 fragment for {p:?}"),
                admin.get_htmx(&format!("/{path}")).await,
            )
            .await,
            &[],
        );
    }
    report(&failures, checked);
}

#[test]
fn the_inspection_catches_live_payloads_and_missing_headers() {
    let headers = |csp: &str| {
        let mut h = HeaderMap::new();
        h.insert(
            "content-type",
            "text/html; charset=utf-8".parse().expect("value"),
        );
        h.insert("content-security-policy", csp.parse().expect("value"));
        h.insert("x-content-type-options", "nosniff".parse().expect("value"));
        h
    };
    let live = Page {
        label: "live".into(),
        status: StatusCode::OK,
        headers: headers("default-src 'self'; script-src 'self' 'unsafe-inline'"),
        body: format!(
            "<html><head><title>{}</title></head><body><p>{}</p><input value=\"{}\"><a href=\"javascript:alert(1)\">x</a><a href=\" JavaScript:alert(1)\">y</a></body></html>",
            PAYLOADS[5], PAYLOADS[0], PAYLOADS[1]
        ),
    };
    let problems = inspect(&live, &PAYLOADS[..3]).join("\n");
    for needle in [
        "CSP script-src",
        "script element",
        "injected element <img",
        "injected element <svg",
        "event handler attribute onerror",
        "event handler attribute onload",
        "javascript link",
        "script URL in href=\" JavaScript",
        "is not shown literally",
    ] {
        assert!(
            problems.contains(needle),
            "{needle:?} not flagged in:\n{problems}"
        );
    }

    let escaped = Page {
        label: "escaped".into(),
        status: StatusCode::OK,
        headers: headers("default-src 'self'; script-src 'self'"),
        body: "<html><head><title>&lt;/title&gt;&lt;svg/onload=alert(1)&gt;</title></head><body>\
               <p>&lt;script&gt;alert(1)&lt;/script&gt;</p><input value=\"&quot;&gt;&lt;img src=x onerror=alert(1)&gt;\">\
               <p>javascript:alert(1)</p></body></html>"
            .into(),
    };
    let expected = [PAYLOADS[0], PAYLOADS[1], PAYLOADS[3], PAYLOADS[5]];
    assert_eq!(inspect(&escaped, &expected), Vec::<String>::new());
}

#[tokio::test]
async fn payloads_in_task_titles_and_their_records_are_shown_as_text() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let day = crate::tasks::today().to_string();
    let mut failures = Vec::new();
    let mut checked = 0;
    let mut check = |page: Page, expected: &[&str]| {
        checked += 1;
        if page.status.is_server_error() {
            failures.push(format!("{}: {}", page.label, page.status));
        }
        failures.extend(inspect(&page, expected));
    };
    for (i, p) in PAYLOADS.into_iter().enumerate() {
        let contact = app
            .create_contact(&mut admin, p, p, &format!("task{i}@test.example"))
            .await
            .to_string();
        let res = admin
            .post(
                "/tasks",
                &[("title", p), ("due_on", &day), ("contact_id", &contact)],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "task {p:?}");
        let id = crate::tasks::newest(&app);
        check(
            page(
                format!("new task form for contact {p:?}"),
                admin.get(&format!("/tasks/new?contact={contact}")).await,
            )
            .await,
            &[p],
        );
        let long = format!("{p}{}", "t".repeat(200));
        let form = [
            ("title", long.as_str()),
            ("due_on", day.as_str()),
            ("contact_id", contact.as_str()),
        ];
        let res = admin.post("/tasks", &form).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        check(page(format!("task {p:?} re-rendered"), res).await, &[p]);
        let res = admin.post_htmx("/tasks", &form).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        check(
            page(format!("task {p:?} re-rendered (htmx)"), res).await,
            &[p],
        );
        for action in ["complete", "reopen"] {
            let res = admin
                .post_htmx(&format!("/tasks/{id}/{action}"), &[("next", "/tasks")])
                .await;
            assert_eq!(res.status(), StatusCode::OK);
            check(
                page(format!("task {p:?} row after {action}"), res).await,
                &[p],
            );
        }
    }
    check(page("my tasks", admin.get("/tasks").await).await, &PAYLOADS);
    assert_eq!(checked, 1 + PAYLOADS.len() * 5, "pages checked");
    report(&failures, checked);
}

#[tokio::test]
async fn payloads_in_account_fields_are_shown_as_text_on_every_account_page() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let mut failures = Vec::new();
    let mut checked = 0;
    let mut check = |page: Page, expected: &[&str]| {
        checked += 1;
        if page.status.is_server_error() {
            failures.push(format!("{}: {}", page.label, page.status));
        }
        failures.extend(inspect(&page, expected));
    };
    let mut ids = Vec::new();
    for (i, p) in PAYLOADS.into_iter().enumerate() {
        // Every free-text field holds the payload; a contact and a note too.
        let fields = [
            ("name", p),
            ("industry", p),
            ("address", p),
            ("city", p),
            ("country", p),
            ("tags", p),
        ];
        let res = admin.post("/accounts", &fields).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "account {p:?}");
        let id: i64 = location(&res)
            .trim_start_matches("/accounts/")
            .parse()
            .expect("id");
        ids.push(id);
        let res = admin
            .post(
                "/contacts",
                &[
                    ("first_name", p),
                    ("account_name", p),
                    ("email", &format!("acct{i}@test.example")),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "contact at {p:?}");
        let timeline = format!("/accounts/{id}/activities");
        let res = admin
            .post_htmx(&timeline, &[("kind", "call"), ("subject", p), ("body", p)])
            .await;
        assert_eq!(res.status(), StatusCode::OK);
        check(
            page(format!("account timeline {p:?} (htmx)"), res).await,
            &[p],
        );
        let long = format!("{p}{}", "x".repeat(10_001));
        let res = admin.post(&timeline, &[("body", long.as_str())]).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        check(
            page(format!("account note {p:?} re-rendered"), res).await,
            &[p],
        );

        check(
            page(
                format!("account {p:?}"),
                admin.get(&format!("/accounts/{id}")).await,
            )
            .await,
            &[p],
        );
        check(
            page(
                format!("account {p:?} edit form"),
                admin.get(&format!("/accounts/{id}/edit")).await,
            )
            .await,
            &[p],
        );
        let q: String = url::form_urlencoded::byte_serialize(p.as_bytes()).collect();
        check(
            page(
                format!("account search for {p:?}"),
                admin.get(&format!("/accounts?q={q}")).await,
            )
            .await,
            &[p],
        );
        check(
            page(
                format!("account search fragment for {p:?}"),
                admin
                    .get_htmx(&format!("/accounts?q={q}+nomatch&sort=city"))
                    .await,
            )
            .await,
            &[p],
        );

        // Failed validation echoes the payload, the domain field included.
        let bad = [("name", p), ("domain", p), ("city", p)];
        let res = admin.post("/accounts", &bad).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        check(
            page(format!("new account {p:?} re-rendered"), res).await,
            &[p],
        );
        let res = admin.post_htmx(&format!("/accounts/{id}"), &bad).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        check(
            page(format!("account {p:?} edit re-rendered (htmx)"), res).await,
            &[p],
        );
    }
    let all: Vec<&str> = PAYLOADS.to_vec();
    for (label, path) in [
        ("account list", "/accounts"),
        ("account list by name", "/accounts?sort=name&dir=desc"),
        ("new account form", "/accounts/new"),
        ("audit log", "/admin/audit"),
    ] {
        check(page(label, admin.get(path).await).await, &all);
    }
    check(
        page("account list fragment", admin.get_htmx("/accounts").await).await,
        &all,
    );
    assert_eq!(checked, 5 + PAYLOADS.len() * 8, "pages checked");
    report(&failures, checked);
    let mut c = app.conn();
    for (id, p) in ids.iter().zip(PAYLOADS) {
        let stored = rapport::accounts::repo::get(
            &mut c,
            &rapport::auth::policy::Viewer {
                user_id: 1,
                team_id: None,
                scope: rapport::auth::policy::Scope::All,
            },
            rapport::domain::AccountId::new(*id),
        )
        .expect("query")
        .expect("account");
        assert_eq!((stored.name.as_str(), stored.city.as_deref()), (p, Some(p)));
    }
}
