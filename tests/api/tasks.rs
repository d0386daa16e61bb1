//! Tasks: adding them (plain form and htmx), "My tasks" grouped by due day,
//! completing and reopening in place, who may act on a task (its assignee or
//! whoever can see its record), validation, and `next` staying local.

use chrono::{Duration, NaiveDate};
use diesel::dsl::count_star;
use diesel::prelude::*;
use rapport::db::schema::tasks;
use reqwest::StatusCode;
use scraper::{Html, Selector};

use crate::helpers::*;

/// A task written straight into the database.
pub struct Seed<'a> {
    pub title: &'a str,
    pub assignee: i64,
    /// Due this many days from today (UTC); negative is overdue.
    pub due_in: i64,
    pub contact: Option<i64>,
    pub account: Option<i64>,
    /// Done this many days ago.
    pub done_ago: Option<i64>,
}

impl Seed<'_> {
    pub fn new(title: &str, assignee: i64) -> Seed<'_> {
        Seed {
            title,
            assignee,
            due_in: 0,
            contact: None,
            account: None,
            done_ago: None,
        }
    }
}

pub fn today() -> NaiveDate {
    chrono::Utc::now().date_naive()
}

pub fn insert_task(app: &TestApp, s: Seed) -> i64 {
    let mut c = app.conn();
    let t = rapport::db::now();
    diesel::insert_into(tasks::table)
        .values((
            tasks::title.eq(s.title),
            tasks::due_on.eq(today() + Duration::days(s.due_in)),
            tasks::assignee_id.eq(s.assignee),
            tasks::contact_id.eq(s.contact),
            tasks::account_id.eq(s.account),
            tasks::created_by.eq(Some(s.assignee)),
            tasks::done_at.eq(s.done_ago.map(|d| t - Duration::days(d))),
            tasks::created_at.eq(t),
            tasks::updated_at.eq(t),
        ))
        .execute(&mut c)
        .expect("task");
    rapport::db::last_insert_id(&mut c).expect("task id")
}

/// (title, assignee, contact, account, done) of a task.
type Stored = (String, i64, Option<i64>, Option<i64>, bool);
type StoredRow = (
    String,
    i64,
    Option<i64>,
    Option<i64>,
    Option<chrono::NaiveDateTime>,
);

fn stored(app: &TestApp, id: i64) -> Stored {
    let (title, assignee, contact, account, done_at) = tasks::table
        .find(id)
        .select((
            tasks::title,
            tasks::assignee_id,
            tasks::contact_id,
            tasks::account_id,
            tasks::done_at,
        ))
        .first::<StoredRow>(&mut app.conn())
        .expect("task");
    (title, assignee, contact, account, done_at.is_some())
}

fn count(app: &TestApp) -> i64 {
    tasks::table
        .select(count_star())
        .first(&mut app.conn())
        .expect("count")
}

pub fn newest(app: &TestApp) -> i64 {
    tasks::table
        .select(tasks::id)
        .order(tasks::id.desc())
        .first(&mut app.conn())
        .expect("a task")
}

fn attr(doc: &Html, css: &str, name: &str) -> Option<String> {
    let sel = Selector::parse(css).expect("selector");
    doc.select(&sel)
        .next()
        .and_then(|e| e.value().attr(name))
        .map(str::to_string)
}

/// The message right after `#field`, if the field points at it.
fn error_beside(doc: &Html, field: &str) -> Option<String> {
    let input = Selector::parse(&format!("#{field}")).expect("selector");
    let input = doc.select(&input).next()?;
    let next = input
        .next_siblings()
        .filter_map(scraper::ElementRef::wrap)
        .next()?;
    let ok = next.value().name() == "p"
        && next.value().classes().any(|c| c == "field-error")
        && next.value().id() == Some(&format!("{field}-error"))
        && input.value().attr("aria-describedby") == Some(&format!("{field}-error"))
        && input.value().attr("aria-invalid") == Some("true");
    ok.then(|| next.text().collect::<String>().trim().to_string())
}

fn header(res: &reqwest::Response, name: &str) -> String {
    res.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

#[tokio::test]
async fn tasks_are_added_with_a_plain_form_and_with_htmx() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let admin_id = app.user_id(ADMIN_EMAIL);
    let contact = app
        .create_contact(&mut admin, "Ada", "Lovelace", "ada@test.example")
        .await;
    let day = today().to_string();

    let res = admin
        .post("/tasks", &[("title", " Send the quote "), ("due_on", &day)])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/tasks");
    assert_eq!(
        stored(&app, newest(&app)),
        ("Send the quote".into(), admin_id, None, None, false)
    );
    let (status, doc) = admin.get_html("/tasks").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(texts(&doc, ".flash"), vec!["Task added."]);
    assert_eq!(texts(&doc, "#today .task-title"), vec!["Send the quote"]);
    assert_eq!(
        texts(&doc, "nav a[aria-current=page]"),
        vec!["My tasks"],
        "the nav marks My tasks"
    );

    // From a contact's page: linked, and back to the contact.
    let back = format!("/contacts/{contact}");
    let res = admin
        .post(
            "/tasks",
            &[
                ("title", "Call Ada back"),
                ("due_on", &day),
                ("contact_id", &contact.to_string()),
                ("next", &back),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), back);
    let id = newest(&app);
    assert_eq!(
        stored(&app, id),
        ("Call Ada back".into(), admin_id, Some(contact), None, false)
    );
    let created_by: Option<i64> = tasks::table
        .find(id)
        .select(tasks::created_by)
        .first(&mut app.conn())
        .expect("task");
    assert_eq!(created_by, Some(admin_id));

    // htmx: a client-side redirect to `next`.
    let res = admin
        .post_htmx(
            "/tasks",
            &[
                ("title", "Book the demo"),
                ("due_on", &day),
                ("next", &back),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(header(&res, "hx-redirect"), back);
    let res = admin
        .post_htmx("/tasks", &[("title", "Plan Q3"), ("due_on", &day)])
        .await;
    assert_eq!(header(&res, "hx-redirect"), "/tasks");
    assert_eq!(count(&app), 4);

    // htmx with an error: the form alone comes back, to swap in place.
    let res = admin
        .post_htmx("/tasks", &[("title", ""), ("due_on", &day)])
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = res.text().await.expect("body");
    assert!(!body.contains("<html"), "a fragment, not a page");
    let doc = Html::parse_fragment(&body);
    assert!(error_beside(&doc, "title").is_some(), "{body}");
    assert_eq!(
        attr(&doc, "form#task-form", "hx-target").as_deref(),
        Some("this")
    );
    assert_eq!(count(&app), 4);

    // The repository reads a contact's open tasks (its page's panel).
    let open = rapport::tasks::repo::open_for(&mut app.conn(), contact_ref(contact)).expect("open");
    assert_eq!(
        open.iter().map(|t| t.title.as_str()).collect::<Vec<_>>(),
        vec!["Call Ada back"]
    );
}

#[tokio::test]
async fn my_tasks_groups_open_tasks_by_due_day_and_lists_those_done_this_week() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let rep = app
        .create_user(&mut admin, "rep@test.example", "sales", None)
        .await;
    let other = app
        .create_user(&mut admin, "other@test.example", "sales", None)
        .await;
    let mut c = app.login("rep@test.example").await;
    let contact = app
        .create_contact(&mut c, "Nora", "Alpha", "nora@test.example")
        .await;
    let account = rapport::accounts::repo::insert_named(
        &mut app.conn(),
        "Alpha Ltd",
        rapport::domain::UserId::new(rep),
    )
    .expect("account")
    .get();
    let seed = |title, due_in| Seed {
        due_in,
        ..Seed::new(title, rep)
    };
    insert_task(
        &app,
        Seed {
            contact: Some(contact),
            ..seed("Chase the invoice", -3)
        },
    );
    insert_task(&app, seed("Yesterday's call", -1));
    insert_task(
        &app,
        Seed {
            account: Some(account),
            ..seed("Send the contract", 0)
        },
    );
    insert_task(&app, seed("Quarterly review", 30));
    insert_task(&app, seed("Prepare the demo", 2));
    insert_task(
        &app,
        Seed {
            done_ago: Some(2),
            ..seed("Sent the brochure", -4)
        },
    );
    insert_task(
        &app,
        Seed {
            done_ago: Some(10),
            ..seed("Done long ago", -12)
        },
    );
    insert_task(&app, Seed::new("Someone else's task", other));

    let (status, doc) = c.get_html("/tasks").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        texts(&doc, "#overdue .task-title"),
        vec!["Chase the invoice", "Yesterday's call"]
    );
    assert_eq!(texts(&doc, "#today .task-title"), vec!["Send the contract"]);
    assert_eq!(
        texts(&doc, "#upcoming .task-title"),
        vec!["Prepare the demo", "Quarterly review"],
        "soonest first"
    );
    assert_eq!(texts(&doc, "#done .task-title"), vec!["Sent the brochure"]);
    assert_eq!(
        texts(&doc, "section.task-group h2 .count"),
        vec!["2", "1", "2", "1"]
    );
    assert_eq!(texts(&doc, "#overdue li.overdue").len(), 2);
    assert_eq!(
        texts(&doc, "#overdue .due")[1],
        "yesterday",
        "due days in words"
    );
    assert_eq!(
        texts(&doc, "#upcoming .due")[0],
        (today() + Duration::days(2))
            .format("%a %-d %b %Y")
            .to_string()
    );

    // Each row links its record by name.
    assert_eq!(texts(&doc, "#overdue .task-meta a"), vec!["Nora Alpha"]);
    assert_eq!(
        attr(&doc, "#overdue .task-meta a", "href"),
        Some(format!("/contacts/{contact}"))
    );
    assert_eq!(texts(&doc, "#today .task-meta a"), vec!["Alpha Ltd"]);
    assert_eq!(
        attr(&doc, "#today .task-meta a", "href"),
        Some(format!("/accounts/{account}"))
    );
    // Open rows can be completed, done ones reopened.
    assert_eq!(
        texts(&doc, "#upcoming form[action$='/complete'] button").len(),
        2
    );
    assert_eq!(
        texts(&doc, "#done form[action$='/reopen'] button"),
        vec!["Reopen"]
    );
    assert!(
        !doc.html().contains("Someone else"),
        "only the user's own tasks"
    );

    // Someone with nothing to do sees empty groups.
    let (_, doc) = admin.get_html("/tasks").await;
    assert_eq!(
        texts(&doc, "section.task-group .empty"),
        vec![
            "Nothing overdue.",
            "Nothing due today.",
            "Nothing coming up.",
            "Nothing done in the last 7 days."
        ]
    );
}

#[tokio::test]
async fn completing_and_reopening_swap_the_row_with_htmx_and_redirect_without() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let admin_id = app.user_id(ADMIN_EMAIL);
    let contact = app
        .create_contact(&mut admin, "Ada", "Lovelace", "ada@test.example")
        .await;
    let id = insert_task(
        &app,
        Seed {
            contact: Some(contact),
            due_in: -1,
            ..Seed::new("Call Ada", admin_id)
        },
    );
    let complete = format!("/tasks/{id}/complete");
    let reopen = format!("/tasks/{id}/reopen");

    let res = admin.post_htmx(&complete, &[("next", "/tasks")]).await;
    assert_eq!(res.status(), StatusCode::OK);
    let body = res.text().await.expect("body");
    assert!(!body.contains("<html"), "a fragment, not a page");
    let doc = Html::parse_fragment(&body);
    let row = format!("li#task-{id}");
    assert_eq!(
        texts(&doc, &format!("{row}.done .task-title")),
        vec!["Call Ada"]
    );
    assert_eq!(
        attr(&doc, &format!("{row} form"), "hx-post"),
        Some(reopen.clone())
    );
    assert_eq!(
        attr(&doc, &format!("{row} form"), "hx-target"),
        Some(format!("#task-{id}"))
    );
    assert_eq!(
        attr(&doc, &format!("{row} input[name=next]"), "value").as_deref(),
        Some("/tasks")
    );
    assert!(stored(&app, id).4, "done");
    let done_at = |app: &TestApp| -> Option<chrono::NaiveDateTime> {
        tasks::table
            .find(id)
            .select(tasks::done_at)
            .first(&mut app.conn())
            .expect("task")
    };
    let first_done = done_at(&app);
    // Completing again keeps when it was done.
    let res = admin.post(&complete, &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(done_at(&app), first_done);
    let (_, page) = admin.get_html("/tasks").await;
    assert_eq!(texts(&page, "#done .task-title"), vec!["Call Ada"]);
    assert!(texts(&page, "#overdue .task-title").is_empty());

    let res = admin.post_htmx(&reopen, &[("next", "/tasks")]).await;
    assert_eq!(res.status(), StatusCode::OK);
    let doc = Html::parse_fragment(&res.text().await.expect("body"));
    assert_eq!(
        texts(&doc, &format!("{row}.overdue:not(.done) .task-title")),
        vec!["Call Ada"]
    );
    assert_eq!(
        attr(&doc, &format!("{row} form"), "action"),
        Some(complete.clone())
    );
    assert!(!stored(&app, id).4, "open again");

    // Without JavaScript: 303 back to `next`, or My tasks.
    let back = format!("/contacts/{contact}");
    let res = admin.post(&complete, &[("next", &back)]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), back);
    assert!(stored(&app, id).4);
    let res = admin.post(&reopen, &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/tasks");
    assert!(!stored(&app, id).4);

    // A row in a record's panel returns to the record and names it not.
    let res = admin.post_htmx(&complete, &[("next", &back)]).await;
    let doc = Html::parse_fragment(&res.text().await.expect("body"));
    assert!(texts(&doc, &format!("{row} .task-meta a")).is_empty());
    assert_eq!(
        attr(&doc, &format!("{row} input[name=next]"), "value"),
        Some(back.clone())
    );

    // Unknown tasks are not found, with or without htmx.
    for path in ["/tasks/999999/complete", "/tasks/999999/reopen"] {
        assert_eq!(admin.post(path, &[]).await.status(), StatusCode::NOT_FOUND);
        assert_eq!(
            admin.post_htmx(path, &[]).await.status(),
            StatusCode::NOT_FOUND
        );
    }
}

#[tokio::test]
async fn tasks_follow_record_scope_for_linking_and_for_acting_on_them() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let north = app.create_team(&mut admin, "North").await;
    let south = app.create_team(&mut admin, "South").await;
    app.create_user(&mut admin, "mgr@test.example", "manager", Some(north))
        .await;
    let a = app
        .create_user(&mut admin, "a@test.example", "sales", Some(north))
        .await;
    let b = app
        .create_user(&mut admin, "b@test.example", "sales", Some(north))
        .await;
    app.create_user(&mut admin, "s@test.example", "sales", Some(south))
        .await;
    let mut rep_a = app.login("a@test.example").await;
    let mut rep_b = app.login("b@test.example").await;
    let mut rep_s = app.login("s@test.example").await;
    let mut mgr = app.login("mgr@test.example").await;
    let contact_a = app
        .create_contact(&mut rep_a, "Nora", "Alpha", "nora@test.example")
        .await;
    let contact_b = app
        .create_contact(&mut rep_b, "Ned", "Bravo", "ned@test.example")
        .await;
    let account_b = rapport::accounts::repo::insert_named(
        &mut app.conn(),
        "Bravo Ltd",
        rapport::domain::UserId::new(b),
    )
    .expect("account")
    .get();
    let day = today().to_string();

    // Linking to a record outside one's scope is refused, not linked —
    // the same for one that does not exist.
    let before = count(&app);
    for (field, id) in [
        ("contact_id", contact_b),
        ("contact_id", 999_999),
        ("account_id", account_b),
        ("account_id", 999_999),
    ] {
        let id = id.to_string();
        let res = rep_a
            .post(
                "/tasks",
                &[("title", "Poach"), ("due_on", &day), (field, &id)],
            )
            .await;
        assert_eq!(
            res.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{field}={id}"
        );
        let doc = html(res).await;
        let msg = texts(&doc, &format!("p.form-error#{field}-error"));
        assert_eq!(msg.len(), 1, "{field}={id}");
        assert!(msg[0].contains("not one you can see"), "{msg:?}");
        assert!(
            attr(&doc, &format!("input[name={field}]"), "value").is_none(),
            "the refused link is not carried on"
        );
        assert_eq!(
            attr(&doc, "#title", "value").as_deref(),
            Some("Poach"),
            "values kept"
        );
    }
    assert_eq!(count(&app), before, "nothing created");
    let res = rep_a.get(&format!("/tasks/new?contact={contact_b}")).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let res = rep_a.get(&format!("/tasks/new?account={account_b}")).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);

    // A's task on A's contact.
    let res = rep_a
        .post(
            "/tasks",
            &[
                ("title", "Nora's renewal"),
                ("due_on", &day),
                ("contact_id", &contact_a.to_string()),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let on_record = newest(&app);
    let private = insert_task(&app, Seed::new("A's own errand", a));

    // Guessing ids finds nothing: B (own scope) and S (another team).
    for (who, client) in [("b", &mut rep_b), ("s", &mut rep_s)] {
        for id in [on_record, private] {
            for action in ["complete", "reopen"] {
                let path = format!("/tasks/{id}/{action}");
                assert_eq!(
                    client.post(&path, &[]).await.status(),
                    StatusCode::NOT_FOUND,
                    "{who} {path}"
                );
                assert_eq!(
                    client.post_htmx(&path, &[]).await.status(),
                    StatusCode::NOT_FOUND,
                    "{who} {path} (htmx)"
                );
            }
        }
    }
    assert!(!stored(&app, on_record).4 && !stored(&app, private).4);

    // The team's manager sees A's contact, so may act on its task — but not
    // on A's task without a record.
    let res = mgr.post(&format!("/tasks/{on_record}/complete"), &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(stored(&app, on_record).4);
    let res = mgr.post(&format!("/tasks/{private}/complete"), &[]).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    // The assignee always may.
    let res = rep_a.post(&format!("/tasks/{private}/complete"), &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(stored(&app, private).4);

    // B's task on A's contact: A may act on it (A sees the record).
    let shared = insert_task(
        &app,
        Seed {
            contact: Some(contact_a),
            ..Seed::new("Hand-over", b)
        },
    );
    let res = rep_a
        .post_htmx(&format!("/tasks/{shared}/complete"), &[])
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let doc = Html::parse_fragment(&res.text().await.expect("body"));
    assert_eq!(
        texts(&doc, ".assignee"),
        vec!["User b@test.example"],
        "someone else's task names its assignee"
    );
    // An account task: whoever sees the account.
    let on_account = insert_task(
        &app,
        Seed {
            account: Some(account_b),
            ..Seed::new("Bravo contract", b)
        },
    );
    let res = rep_a
        .post(&format!("/tasks/{on_account}/complete"), &[])
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let res = mgr
        .post(&format!("/tasks/{on_account}/complete"), &[])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn invalid_tasks_come_back_as_422_beside_the_fields_with_the_values_kept() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let north = app.create_team(&mut admin, "North").await;
    let south = app.create_team(&mut admin, "South").await;
    let mgr_id = app
        .create_user(&mut admin, "mgr@test.example", "manager", Some(north))
        .await;
    let teammate = app
        .create_user(&mut admin, "n@test.example", "sales", Some(north))
        .await;
    let outsider = app
        .create_user(&mut admin, "s@test.example", "sales", Some(south))
        .await;
    let day = today().to_string();

    for htmx in [false, true] {
        let form = [("title", "  "), ("due_on", "31/12/2026")];
        let res = if htmx {
            admin.post_htmx("/tasks", &form).await
        } else {
            admin.post("/tasks", &form).await
        };
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let doc = html(res).await;
        assert!(
            error_beside(&doc, "title")
                .expect("title error")
                .contains("needs doing")
        );
        assert!(
            error_beside(&doc, "due_on")
                .expect("due error")
                .contains("2026-03-31")
        );
        assert_eq!(texts(&doc, "p.field-error").len(), 2);
        assert_eq!(
            attr(&doc, "#due_on", "value").as_deref(),
            Some("31/12/2026")
        );
        assert_eq!(attr(&doc, "#title", "value").as_deref(), Some("  "));
        assert!(csrf_in(&doc).is_some(), "the form can be sent again");
    }
    let long = "é".repeat(201);
    let res = admin
        .post("/tasks", &[("title", &long), ("due_on", "2026-02-30")])
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let doc = html(res).await;
    assert!(error_beside(&doc, "title").expect("long").contains("200"));
    assert!(error_beside(&doc, "due_on").is_some(), "no 30 February");
    assert_eq!(attr(&doc, "#title", "value"), Some(long.clone()));
    let res = admin
        .post("/tasks", &[("title", "Line\nbreak"), ("due_on", &day)])
        .await;
    assert!(
        error_beside(&html(res).await, "title")
            .expect("control")
            .contains("line breaks")
    );
    assert_eq!(count(&app), 0, "nothing saved");

    // Exactly at the limit, in four-byte characters, it saves on both backends.
    let at_limit = "😀".repeat(200);
    let res = admin
        .post("/tasks", &[("title", &at_limit), ("due_on", &day)])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(stored(&app, newest(&app)).0, at_limit);

    // Assigning: a manager chooses within their team; others cannot.
    let mut mgr = app.login("mgr@test.example").await;
    let (_, doc) = mgr.get_html("/tasks/new").await;
    assert_eq!(
        texts(&doc, "#assignee_id option"),
        vec!["User mgr@test.example", "User n@test.example"]
    );
    assert_eq!(
        attr(&doc, "#assignee_id option[selected]", "value"),
        Some(mgr_id.to_string())
    );
    for bad in [outsider.to_string(), "abc".into(), "-1".into()] {
        let res = mgr
            .post(
                "/tasks",
                &[
                    ("title", "Follow up"),
                    ("due_on", &day),
                    ("assignee_id", &bad),
                ],
            )
            .await;
        assert_eq!(
            res.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "assignee {bad}"
        );
        let doc = html(res).await;
        assert!(
            error_beside(&doc, "assignee_id").is_some(),
            "assignee {bad}"
        );
    }
    let res = mgr
        .post(
            "/tasks",
            &[
                ("title", "Follow up"),
                ("due_on", &day),
                ("assignee_id", &teammate.to_string()),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(stored(&app, newest(&app)).1, teammate);

    // A rep has no choice to make: a posted assignee is ignored.
    let mut rep = app.login("n@test.example").await;
    let (_, doc) = rep.get_html("/tasks/new").await;
    assert!(texts(&doc, "#assignee_id").is_empty());
    let res = rep
        .post(
            "/tasks",
            &[
                ("title", "Mine"),
                ("due_on", &day),
                ("assignee_id", &mgr_id.to_string()),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(stored(&app, newest(&app)).1, teammate);
}

#[tokio::test]
async fn next_is_followed_only_to_local_paths() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let admin_id = app.user_id(ADMIN_EMAIL);
    let day = today().to_string();
    let id = insert_task(&app, Seed::new("Anything", admin_id));
    for evil in [
        "https://evil.example/",
        "//evil.example",
        "/\\evil.example",
        " //evil.example",
        "javascript:alert(1)",
        "evil.example",
    ] {
        let res = admin
            .post(
                "/tasks",
                &[("title", "Go"), ("due_on", &day), ("next", evil)],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&res), "/tasks", "create with next={evil:?}");
        let res = admin
            .post_htmx(
                "/tasks",
                &[("title", "Go"), ("due_on", &day), ("next", evil)],
            )
            .await;
        assert_eq!(header(&res, "hx-redirect"), "/tasks", "htmx next={evil:?}");
        for action in ["complete", "reopen"] {
            let res = admin
                .post(&format!("/tasks/{id}/{action}"), &[("next", evil)])
                .await;
            assert_eq!(res.status(), StatusCode::SEE_OTHER);
            assert_eq!(location(&res), "/tasks", "{action} with next={evil:?}");
            let res = admin
                .post_htmx(&format!("/tasks/{id}/{action}"), &[("next", evil)])
                .await;
            let doc = Html::parse_fragment(&res.text().await.expect("body"));
            assert_eq!(
                attr(&doc, "input[name=next]", "value").as_deref(),
                Some("/tasks"),
                "the swapped row carries no foreign next"
            );
        }
        // A failed form does not carry it on either.
        let res = admin
            .post("/tasks", &[("title", ""), ("due_on", &day), ("next", evil)])
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let doc = html(res).await;
        assert_eq!(
            attr(&doc, "#task-form input[name=next]", "value").as_deref(),
            Some("/tasks")
        );
    }
    let res = admin
        .post(
            &format!("/tasks/{id}/complete"),
            &[("next", "/contacts?q=a&sort=name")],
        )
        .await;
    assert_eq!(location(&res), "/contacts?q=a&sort=name");
}

#[tokio::test]
async fn the_new_task_form_is_prefilled_from_a_contact_or_an_account() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let admin_id = app.user_id(ADMIN_EMAIL);
    let contact = app
        .create_contact(&mut admin, "Ada", "Lovelace", "ada@test.example")
        .await;
    let account = rapport::accounts::repo::insert_named(
        &mut app.conn(),
        "Engines Ltd",
        rapport::domain::UserId::new(admin_id),
    )
    .expect("account")
    .get();

    let (status, doc) = admin.get_html("/tasks/new").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(attr(&doc, "#due_on", "type").as_deref(), Some("date"));
    assert_eq!(attr(&doc, "#due_on", "value"), Some(today().to_string()));
    assert_eq!(
        attr(&doc, "input[name=next]", "value").as_deref(),
        Some("/tasks")
    );
    assert!(attr(&doc, "input[name=contact_id]", "value").is_none());

    let (status, doc) = admin
        .get_html(&format!("/tasks/new?contact={contact}"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        attr(&doc, "input[name=contact_id]", "value"),
        Some(contact.to_string())
    );
    assert_eq!(
        attr(&doc, "input[name=next]", "value"),
        Some(format!("/contacts/{contact}"))
    );
    assert_eq!(texts(&doc, ".linked a"), vec!["Ada Lovelace"]);

    let (status, doc) = admin
        .get_html(&format!("/tasks/new?account={account}"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        attr(&doc, "input[name=account_id]", "value"),
        Some(account.to_string())
    );
    assert_eq!(texts(&doc, ".linked a"), vec!["Engines Ltd"]);

    // A form that fails keeps its link (with and without htmx).
    for htmx in [false, true] {
        let form = [
            ("title", ""),
            ("due_on", "soon"),
            ("contact_id", &contact.to_string()),
            ("next", &format!("/contacts/{contact}")),
        ];
        let res = if htmx {
            admin.post_htmx("/tasks", &form).await
        } else {
            admin.post("/tasks", &form).await
        };
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let doc = html(res).await;
        assert_eq!(
            attr(&doc, "input[name=contact_id]", "value"),
            Some(contact.to_string())
        );
        assert_eq!(texts(&doc, ".linked a"), vec!["Ada Lovelace"]);
        assert_eq!(
            attr(&doc, "#task-form input[name=next]", "value"),
            Some(format!("/contacts/{contact}"))
        );
    }

    // Sent as it stands, the task is linked and the user returns to the record.
    let res = admin
        .post(
            "/tasks",
            &[
                ("title", "Renew"),
                ("due_on", &today().to_string()),
                ("account_id", &account.to_string()),
                ("next", &format!("/accounts/{account}")),
            ],
        )
        .await;
    assert_eq!(location(&res), format!("/accounts/{account}"));
    let open = rapport::tasks::repo::open_for(&mut app.conn(), account_ref(account)).expect("open");
    assert_eq!(open.len(), 1);
    assert_eq!(open[0].account_name.as_deref(), Some("Engines Ltd"));

    // A query that names no record is a plain form.
    let (status, doc) = admin.get_html("/tasks/new?contact=abc&account=").await;
    assert_eq!(status, StatusCode::OK);
    assert!(attr(&doc, "input[name=contact_id]", "value").is_none());
    assert_eq!(
        admin.get("/tasks/new?contact=999999").await.status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn record_panels_read_only_open_tasks_of_that_record_soonest_first() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let admin_id = app.user_id(ADMIN_EMAIL);
    let contact = app
        .create_contact(&mut admin, "Ada", "Lovelace", "ada@test.example")
        .await;
    let other = app
        .create_contact(&mut admin, "Charles", "Babbage", "cb@test.example")
        .await;
    let on = |title, due_in, done_ago, contact| Seed {
        due_in,
        done_ago,
        contact: Some(contact),
        ..Seed::new(title, admin_id)
    };
    insert_task(&app, on("Later", 5, None, contact));
    insert_task(&app, on("Overdue", -2, None, contact));
    insert_task(&app, on("Finished", 0, Some(1), contact));
    insert_task(&app, on("Elsewhere", 0, None, other));
    let titles: Vec<String> = rapport::tasks::repo::open_for(&mut app.conn(), contact_ref(contact))
        .expect("open")
        .into_iter()
        .map(|t| t.title)
        .collect();
    assert_eq!(titles, vec!["Overdue", "Later"]);
}

fn contact_ref(id: i64) -> rapport::records::RecordRef {
    rapport::records::RecordRef::Contact(rapport::domain::ContactId::new(id))
}

fn account_ref(id: i64) -> rapport::records::RecordRef {
    rapport::records::RecordRef::Account(rapport::domain::AccountId::new(id))
}
