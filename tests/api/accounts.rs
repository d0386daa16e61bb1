//! Accounts (companies): create, edit, delete, the detail page with its
//! contacts and timeline, list search/filter/sort/pagination, validation and
//! record scope — each as a plain form (JS off) and as htmx sends it.

use diesel::prelude::*;
use rapport::db::schema::{accounts, activities, audit_log, contacts, tasks};
use reqwest::StatusCode;
use scraper::{Html, Selector};

use crate::helpers::*;

mod checks;
mod list;

impl TestApp {
    /// Creates an account as `client` through the form; returns its id.
    pub async fn create_account(
        &self,
        client: &mut Client,
        name: &str,
        fields: &[(&str, &str)],
    ) -> i64 {
        let mut form = vec![("name", name), ("allow_duplicate", "1")];
        form.extend_from_slice(fields);
        let res = client.post("/accounts", &form).await;
        assert_eq!(
            res.status(),
            StatusCode::SEE_OTHER,
            "account {name} created"
        );
        location(&res)
            .trim_start_matches("/accounts/")
            .parse()
            .expect("account id in location")
    }
}

fn value_of(doc: &Html, css: &str) -> Option<String> {
    let sel = Selector::parse(css).expect("selector");
    doc.select(&sel)
        .next()
        .and_then(|e| e.value().attr("value"))
        .map(str::to_string)
}

/// The error element after `#field`, if it is the field's described error.
fn error_beside(doc: &Html, field: &str) -> Option<String> {
    let sel = Selector::parse(&format!("#{field}")).expect("selector");
    let input = doc.select(&sel).next()?;
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

fn audit_of(app: &TestApp, id: i64) -> Vec<String> {
    audit_log::table
        .filter(audit_log::entity.eq("account"))
        .filter(audit_log::entity_id.eq(id))
        .order(audit_log::id.asc())
        .select(audit_log::action)
        .load(&mut app.conn())
        .expect("audit")
}

fn account_of(app: &TestApp, contact: i64) -> Option<i64> {
    contacts::table
        .find(contact)
        .select(contacts::account_id)
        .first(&mut app.conn())
        .expect("contact")
}

async fn listed(c: &Client, query: &str) -> Vec<String> {
    let (status, doc) = c.get_html(&format!("/accounts{query}")).await;
    assert_eq!(status, StatusCode::OK, "/accounts{query}");
    texts(&doc, "#results tbody tr td:first-child a")
}

#[tokio::test]
async fn create_edit_and_delete_with_plain_forms_and_htmx() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let res = admin
        .post(
            "/accounts",
            &[
                ("name", " Analytical Engines "),
                ("domain", "Engines.EXAMPLE"),
                ("industry", "Computing"),
                ("size", "11-50"),
                ("phone", "+44 20 7946 0958"),
                ("address", "12 Dorset Street"),
                ("city", "London"),
                ("country", "United Kingdom"),
                ("tags", "vip, partner"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let at = location(&res);
    let id: i64 = at.trim_start_matches("/accounts/").parse().expect("id");
    let (status, doc) = admin.get_html(&at).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(texts(&doc, "h1"), vec!["Analytical Engines"]);
    assert_eq!(texts(&doc, ".flash"), vec!["Account created."]);
    let facts = texts(&doc, ".facts dd").join("|");
    for fact in [
        "engines.example",
        "Computing",
        "11–50 employees",
        "+44 20 7946 0958",
        "12 Dorset Street",
        "London, United Kingdom",
        "Ada Admin",
    ] {
        assert!(facts.contains(fact), "{fact} in {facts}");
    }
    assert_eq!(texts(&doc, ".facts dd a.tag"), vec!["partner", "vip"]);
    assert_eq!(
        texts(&doc, "#timeline li.activity").len(),
        0,
        "a new account has an empty timeline"
    );

    // htmx create: a client-side redirect instead of a 303.
    let res = admin
        .post_htmx("/accounts", &[("name", "Difference Engines")])
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let other = res.headers()["hx-redirect"]
        .to_str()
        .expect("hx-redirect")
        .to_string();
    assert!(other.starts_with("/accounts/"), "{other}");

    // The edit form holds the stored values; saving shows the new ones.
    let (status, doc) = admin.get_html(&format!("{at}/edit")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        value_of(&doc, "#domain").as_deref(),
        Some("engines.example")
    );
    assert_eq!(value_of(&doc, "#tags").as_deref(), Some("partner, vip"));
    assert_eq!(
        value_of(&doc, "#size option[selected]").as_deref(),
        Some("11-50")
    );
    let res = admin
        .post(
            &at,
            &[
                ("name", "Analytical Engines plc"),
                ("domain", ""),
                ("industry", "Computing"),
                ("size", "1000+"),
                ("city", "Manchester"),
                ("tags", "vip"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), at);
    let (_, doc) = admin.get_html(&at).await;
    assert_eq!(texts(&doc, "h1"), vec!["Analytical Engines plc"]);
    assert_eq!(texts(&doc, ".flash"), vec!["Account saved."]);
    let facts = texts(&doc, ".facts dd").join("|");
    assert!(
        facts.contains("More than 1,000") && facts.contains("Manchester"),
        "{facts}"
    );
    assert!(!facts.contains("engines.example"), "domain cleared");
    assert_eq!(texts(&doc, ".facts dd a.tag"), vec!["vip"]);

    // htmx edit: a client-side redirect back to the account.
    let res = admin
        .post_htmx(&at, &[("name", "Analytical Engines"), ("city", "London")])
        .await;
    assert_eq!(res.headers()["hx-redirect"], at.as_str());

    // Invalid edit: 422, values kept, nothing saved.
    let res = admin
        .post(&at, &[("name", ""), ("domain", "https://engines.example")])
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let doc = html(res).await;
    assert_eq!(
        value_of(&doc, "#domain").as_deref(),
        Some("https://engines.example")
    );
    assert!(error_beside(&doc, "name").is_some());
    assert!(
        error_beside(&doc, "domain")
            .expect("domain")
            .contains("http://")
    );
    assert_eq!(
        texts(&admin.get_html(&at).await.1, "h1"),
        vec!["Analytical Engines"]
    );

    // A contact at the company, with a note on its own timeline.
    let res = admin
        .post(
            "/contacts",
            &[
                ("first_name", "Ada"),
                ("last_name", "Lovelace"),
                ("account_name", "Analytical Engines"),
            ],
        )
        .await;
    let ada: i64 = location(&res)
        .trim_start_matches("/contacts/")
        .parse()
        .expect("contact id");
    assert_eq!(account_of(&app, ada), Some(id), "linked by name");
    let res = admin
        .post(
            &format!("/contacts/{ada}/activities"),
            &[("body", "Wants the notes on the engine.")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    admin
        .post(
            &format!("{at}/activities"),
            &[("body", "Company-wide note")],
        )
        .await;

    // Tasks: one on the account, one on Ada at the account.
    let today = rapport::db::now().date().to_string();
    for (title, contact) in [("Renew", ""), ("Call Ada", &ada.to_string()[..])] {
        let res = admin
            .post(
                "/tasks",
                &[
                    ("title", title),
                    ("due_on", &today),
                    ("account_id", &id.to_string()),
                    ("contact_id", contact),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "task {title}");
    }
    let (_, doc) = admin.get_html(&at).await;
    let mut open = texts(&doc, "#tasks .task-title");
    open.sort();
    assert_eq!(
        open,
        vec!["Call Ada", "Renew"],
        "the page shows its open tasks"
    );

    // Delete (plain): the contact stays, without a company, with its note.
    let res = admin.post(&format!("{at}/delete"), &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/accounts");
    assert_eq!(admin.get(&at).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(account_of(&app, ada), None, "the contact is kept");
    let (status, doc) = admin.get_html(&format!("/contacts/{ada}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(texts(&doc, ".subtitle a").is_empty(), "no company any more");
    assert_eq!(
        texts(&doc, "#timeline li.activity p.body"),
        vec!["Wants the notes on the engine."],
        "the contact's timeline is kept"
    );
    let left: Vec<Option<i64>> = activities::table
        .select(activities::account_id)
        .load(&mut app.conn())
        .expect("activities");
    assert_eq!(left, vec![None], "the account's own note went with it");
    let left: Vec<(String, Option<i64>)> = tasks::table
        .select((tasks::title, tasks::account_id))
        .load(&mut app.conn())
        .expect("tasks");
    assert_eq!(
        left,
        vec![("Call Ada".to_string(), None)],
        "Ada's task stays with her; the account's own task went with it"
    );

    // Delete (htmx): a client-side redirect to the list.
    let res = admin.post_htmx(&format!("{other}/delete"), &[]).await;
    assert_eq!(res.headers()["hx-redirect"], "/accounts");
    assert_eq!(admin.get(&other).await.status(), StatusCode::NOT_FOUND);
    assert!(listed(&admin, "").await.is_empty());

    // Everything is in the audit log.
    assert_eq!(
        audit_of(&app, id),
        vec!["create", "update", "update", "delete"]
    );
    assert_eq!(audit_of(&app, 0).len(), 0);
}

#[tokio::test]
async fn calls_are_logged_inline_with_htmx_and_by_plain_post() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let id = app.create_account(&mut admin, "Babbage & Co", &[]).await;
    let path = format!("/accounts/{id}/activities");

    let res = admin
        .post(&path, &[("kind", "note"), ("body", "Met at the fair.")])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), format!("/accounts/{id}#timeline"));

    let res = admin
        .post_htmx(
            &path,
            &[
                ("kind", "call"),
                ("subject", "Called, no answer"),
                ("body", ""),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let body = res.text().await.expect("fragment");
    assert!(
        !body.contains("<html"),
        "htmx gets the timeline fragment only"
    );
    assert!(
        body.trim_start()
            .starts_with("<section class=\"card\" id=\"timeline\">")
    );
    let frag = Html::parse_fragment(&body);
    assert_eq!(
        texts(&frag, "section#timeline li.activity .kind"),
        vec!["call", "note"],
        "newest first"
    );
    assert_eq!(
        texts(&frag, "li.kind-call p.subject"),
        vec!["Called, no answer"]
    );
    assert_eq!(texts(&frag, "textarea#note-body"), vec![""], "form cleared");
    let sel = Selector::parse("input[name=kind][value=note][checked]").expect("selector");
    assert_eq!(frag.select(&sel).count(), 1, "back to a note");

    // Invalid entries: 422 in place (htmx) or the whole page (no JS).
    let res = admin
        .post_htmx(&path, &[("kind", "call"), ("body", "")])
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let frag = Html::parse_fragment(&res.text().await.expect("body"));
    assert_eq!(texts(&frag, "#note-error"), vec!["Write something first."]);
    let res = admin
        .post(&path, &[("kind", "fax"), ("body", "Beep")])
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let doc = html(res).await;
    assert!(texts(&doc, "h1").contains(&"Babbage & Co".to_string()));
    assert_eq!(texts(&doc, "textarea#note-body"), vec!["Beep"], "kept");
    assert_eq!(texts(&doc, "#note-error").len(), 1);

    let (_, doc) = admin.get_html(&format!("/accounts/{id}")).await;
    assert_eq!(texts(&doc, "li.activity").len(), 2, "nothing invalid saved");
    assert_eq!(
        texts(&doc, "li.activity .meta strong"),
        vec!["Ada Admin"; 2]
    );
    // Logging touches the account (it moves up the list).
    app.create_account(&mut admin, "Later Ltd", &[]).await;
    admin.post(&path, &[("body", "Bump")]).await;
    assert_eq!(
        listed(&admin, "").await.first().map(String::as_str),
        Some("Babbage & Co")
    );
}
