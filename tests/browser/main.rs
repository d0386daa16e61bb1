//! Browser journeys: the real app on a free port, driven in headless Chromium
//! through chromedriver (W3C WebDriver via fantoccini), once with JavaScript on
//! (htmx swaps) and once with it off (plain forms and redirects), and a
//! customer-record journey (CSV import, timeline, tasks) with it on. The
//! harness (app, chromedriver, the `Browser` helper) is in `harness.rs`.
//!
//! Needs Debian's `chromium` and `chromium-driver`; without them the tests
//! fail. RAPPORT_TEST_BACKEND=mysql runs them on a fresh MariaDB database.

mod board;
mod campaigns;
mod harness;
mod lists;
mod look;
mod orders;
mod tickets;

use std::time::Duration;

use harness::{
    ADMIN_EMAIL, ADMIN_NAME, Browser, PASSWORD, ROWS, browse, is_contact_path, spawn_app,
};

// ------------------------------------------------------------ the journeys

#[tokio::test]
async fn js_on_journey() {
    let app = spawn_app().await;
    let (_driver, b) = browse(&app, true).await;

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

    b.assert_quiet_console().await;
    b.c.close().await.expect("close the browser session");
}

#[tokio::test]
async fn js_off_journey() {
    let app = spawn_app().await;
    let (_driver, b) = browse(&app, false).await;

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

    b.assert_quiet_console().await;
    b.c.close().await.expect("close the browser session");
}

/// After an htmx swap, static/js/app.js moves focus to the first invalid field
/// of the swapped-in element (`event.target`, not the detached
/// `event.detail.target` an outerHTML swap leaves behind): an empty note lands
/// the keyboard on the note field next to its error.
#[tokio::test]
async fn note_error_focus() {
    let app = spawn_app().await;
    let (_driver, b) = browse(&app, true).await;
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
    b.assert_quiet_console().await;
    b.c.close().await.expect("close the browser session");
}

/// The file `customer_record_journey` imports: UTF-8 with a BOM, semicolons
/// and CRLF as European Excel writes them; line 4 has a bad email, and
/// "Direct line" is a column the app cannot guess.
const PEOPLE_CSV: &str = "\u{feff}Name;E-mail;Company;Tags;Direct line\r\n\
    Ada Lovelace;ada@engines.example;Analytical Engines Ltd;vip, pilot;+44 20 7946 0101\r\n\
    Charles Babbage;charles@engines.example;Analytical Engines Ltd;pilot;+44 20 7946 0102\r\n\
    Mary Somerville;not-an-email;Royal Society;;+44 20 7946 0103\r\n\
    Grace Hopper;grace@navy.example;US Navy;vip;\r\n";
const BAD_EMAIL: &str = "email: Enter a valid email address, like name@example.com.";
/// How long a four-row import may take, its page polling by itself.
const IMPORT_WAIT: Duration = Duration::from_secs(15);
const PREVIEW_ROWS: &str = "#preview table.preview tbody tr";

fn is_import_path(p: &str) -> bool {
    p.strip_prefix("/contacts/import/")
        .is_some_and(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()))
}

/// The texts of column `n` (from 1) of the preview table.
async fn preview_column(b: &Browser, n: usize) -> Vec<String> {
    b.texts(&format!("{PREVIEW_ROWS} td:nth-child({n})")).await
}

/// A CSV import with a corrected mapping, then one imported contact's record:
/// a call on its timeline, a task from its panel, done from My tasks.
#[tokio::test]
async fn customer_record_journey() {
    let app = spawn_app().await;
    let (_driver, b) = browse(&app, true).await;
    let backend = app.db.backend();
    b.first_run_setup().await;

    // Upload: Contacts → Import CSV, a file chosen in the file input.
    let csv = app.db.dir.join("people.csv");
    std::fs::write(&csv, PEOPLE_CSV).expect("write the CSV");
    b.click_link("Import CSV").await;
    b.wait_path("to be /contacts/import", |p| p == "/contacts/import")
        .await;
    assert_eq!(b.heading().await, "Import contacts");
    b.find("input[type=file]")
        .await
        .send_keys(&csv.display().to_string())
        .await
        .expect("choose the file");
    b.click_button("Upload and choose columns").await;
    b.wait_path("to be the import's mapping page", is_import_path)
        .await;
    assert_eq!(b.heading().await, "Choose columns: people.csv");

    // The guessed mapping; the BOM does not spoil the first header.
    let headers = b.texts("table.mapping tbody td:first-child label").await;
    assert_eq!(
        headers,
        ["Name", "E-mail", "Company", "Tags", "Direct line"]
    );
    let mut guessed = Vec::new();
    for i in 0..5 {
        guessed.push(b.value(&format!("#col_{i}")).await);
    }
    assert_eq!(guessed, ["full_name", "email", "company", "tags", "ignore"]);

    // The preview: names split, the bad row flagged with its reason.
    assert_eq!(preview_column(&b, 1).await, ["2", "3", "4", "5"]);
    assert_eq!(
        preview_column(&b, 2).await,
        ["Ada", "Charles", "Mary", "Grace"]
    );
    assert_eq!(
        preview_column(&b, 3).await,
        ["Lovelace", "Babbage", "Somerville", "Hopper"]
    );
    assert_eq!(
        preview_column(&b, 5).await,
        ["", "", "", ""],
        "no phones yet"
    );
    let invalid = b.texts("#preview tr.invalid td:first-child").await;
    assert_eq!(invalid, ["4"], "only Mary's row is flagged");
    let result = b.text("#preview tr.invalid td:last-child").await;
    assert!(
        result.contains("Not imported") && result.contains(BAD_EMAIL),
        "the bad row says why: {result:?}"
    );
    let outcomes = b
        .texts(&format!("{PREVIEW_ROWS}:not(.invalid) td:last-child"))
        .await;
    assert_eq!(outcomes, ["New contact", "New contact", "New contact"]);

    // "Direct line" is the phone: the preview follows without a page load.
    b.mark_page().await;
    b.find("#col_4")
        .await
        .select_by_value("phone")
        .await
        .expect("map Direct line to Phone");
    b.wait("the preview to show the phones", async || {
        let phones = preview_column(&b, 5).await;
        (phones
            == [
                "+44 20 7946 0101",
                "+44 20 7946 0102",
                "+44 20 7946 0103",
                "",
            ])
        .then_some(())
    })
    .await;
    assert!(b.page_is_marked().await, "the preview was swapped in");
    assert_eq!(b.value("#col_4").await, "phone", "the choice stays");
    assert_eq!(b.texts("#preview tr.invalid td:first-child").await, ["4"]);
    b.screenshot(&format!("import-mapping-{backend}")).await;

    // Start it; the progress page polls until the import is done.
    b.click_button("Import 4 rows").await;
    let progress = b
        .wait("the progress page", async || {
            let url = b.c.current_url().await.ok()?;
            let headings = b.texts("h1").await;
            (is_import_path(url.path())
                && headings.first().is_some_and(|h| h == "Import: people.csv"))
            .then_some(url)
        })
        .await;
    b.mark_page().await;
    b.wait_up_to(IMPORT_WAIT, "the import to finish", async || {
        let status = b.texts("#progress .import-status strong").await;
        (status.first().map(String::as_str) == Some("Finished")).then_some(())
    })
    .await;
    assert!(b.page_is_marked().await, "progress is polled, not reloaded");
    assert_eq!(b.url().await, progress);
    let mut counts = Vec::new();
    for what in [
        "total",
        "processed",
        "created",
        "updated",
        "skipped",
        "errors",
    ] {
        counts.push(b.text(&format!("#count-{what}")).await);
    }
    assert_eq!(counts, ["4", "4", "3", "0", "0", "1"]);
    let errors = b.texts("table.import-errors tbody td").await;
    assert_eq!(errors, ["4", BAD_EMAIL], "the rows not imported");

    // The imported contact, found with the search box.
    b.click_link("Go to contacts").await;
    b.wait_path("to be /contacts", |p| p == "/contacts").await;
    b.wait_texts(ROWS, &["Ada Lovelace", "Charles Babbage", "Grace Hopper"])
        .await;
    b.find("#q")
        .await
        .send_keys("lovel")
        .await
        .expect("type a query");
    b.wait_texts(ROWS, &["Ada Lovelace"]).await;
    b.click_link("Ada Lovelace").await;
    let contact = b.wait_path("to be Ada's page", is_contact_path).await;
    assert_eq!(b.heading().await, "Ada Lovelace");
    let company = b.find(".subtitle a").await;
    assert_eq!(
        company.text().await.expect("company name"),
        "Analytical Engines Ltd"
    );
    let href = company.attr("href").await.expect("company href");
    assert!(
        href.as_deref().is_some_and(|h| h
            .strip_prefix("/accounts/")
            .is_some_and(|id| id.parse::<i64>().is_ok())),
        "the company links to its account: {href:?}"
    );
    b.wait_texts("dl.facts a.tag", &["vip", "pilot"]).await;
    let facts = b.text("dl.facts").await;
    assert!(
        facts.contains("ada@engines.example") && facts.contains("+44 20 7946 0101"),
        "email and the remapped phone: {facts:?}"
    );

    // A call on the timeline, added in place.
    b.mark_page().await;
    b.find("#timeline input[name=kind][value=call]")
        .await
        .click()
        .await
        .expect("choose Call");
    b.fill("#activity-subject", "Intro call").await;
    b.fill("#note-body", "Wants a pilot for twenty seats in May.")
        .await;
    b.click_button("Add to timeline").await;
    b.wait_texts("#timeline li.activity.kind-call p.subject", &["Intro call"])
        .await;
    assert!(
        b.page_is_marked().await,
        "the call was added without a page load"
    );
    assert_eq!(b.url().await, contact);
    assert_eq!(
        b.texts("#timeline li.kind-call p.body").await,
        ["Wants a pilot for twenty seats in May."]
    );
    assert_eq!(
        b.texts("#timeline li.kind-call .meta .kind").await,
        ["call"]
    );

    // A task from the record's panel, due today.
    let task = "Send the pilot proposal";
    assert_eq!(b.texts("#tasks p.empty").await, ["No open tasks."]);
    b.fill("#quick-task-title", task).await;
    let today = chrono::Utc::now().date_naive().to_string();
    assert_eq!(
        b.value("#quick-task-due").await,
        today,
        "due today by default"
    );
    b.click_button_in("tasks", "Add").await;
    b.wait_texts("#tasks li.task .task-title", &[task]).await;
    assert_eq!(b.url().await.path(), contact.path(), "back on Ada's page");
    assert_eq!(b.texts("#alerts .flash").await, ["Task added."]);
    let meta = b.text("#tasks li.task .task-meta").await;
    assert!(meta.starts_with("due today"), "task meta: {meta:?}");

    // My tasks: due today; Done updates the row in place.
    b.click_link("My tasks").await;
    b.wait_path("to be /tasks", |p| p == "/tasks").await;
    b.wait_texts("#today li.task .task-title", &[task]).await;
    assert_eq!(
        b.texts("#today li.task .task-meta a").await,
        ["Ada Lovelace"],
        "the task links to its contact"
    );
    assert_eq!(
        b.texts("#done p.empty").await,
        ["Nothing done in the last 7 days."]
    );
    let row = b
        .find("#today li.task")
        .await
        .attr("id")
        .await
        .expect("row id")
        .expect("the row has an id");
    b.mark_page().await;
    b.click_button_in(&row, "Done").await;
    let done_row = format!("#today li#{row}.task.done");
    b.wait_texts(&format!("{done_row} .task-title"), &[task])
        .await;
    assert!(
        b.page_is_marked().await,
        "the row was swapped, not the page"
    );
    assert_eq!(b.url().await.path(), "/tasks");
    let meta = b.text(&format!("{done_row} .task-meta")).await;
    assert!(
        meta.starts_with(&format!("done {today}")),
        "done meta: {meta:?}"
    );
    assert_eq!(b.texts(&format!("{done_row} button")).await, ["Reopen"]);

    // Loaded again, the task has moved to Done recently.
    b.c.refresh().await.expect("reload My tasks");
    b.wait_texts("#done li.task.done .task-title", &[task])
        .await;
    assert_eq!(b.texts("#today p.empty").await, ["Nothing due today."]);
    assert_eq!(b.texts("#today li.task").await, Vec::<String>::new());
    b.screenshot(&format!("my-tasks-{backend}")).await;

    b.assert_quiet_console().await;
    b.c.close().await.expect("close the browser session");
}
