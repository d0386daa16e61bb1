//! Duplicates and merge: likely pairs are listed; a merge keeps every
//! timeline entry, task and tag of both, and is audited.

use diesel::dsl::count_star;
use diesel::prelude::*;
use reqwest::StatusCode;

use crate::helpers::*;
use rapport::db::schema::{activities, contacts, record_tags, tasks, tickets};
use rapport::mail::inbound::InboundMessage;

async fn contact(c: &mut Client, fields: &[(&str, &str)]) -> i64 {
    let mut form = fields.to_vec();
    form.push(("allow_duplicate", "1"));
    let res = c.post("/contacts", &form).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "created {fields:?}");
    location(&res)
        .trim_start_matches("/contacts/")
        .parse()
        .expect("id")
}

/// The duplicates page once the background check (queued by the writes
/// before, run by the app's job worker after a short delay) has run.
async fn duplicates_page(c: &Client) -> (StatusCode, scraper::Html) {
    let ready = scraper::Selector::parse("#duplicates-computed[data-pending=false]").expect("css");
    for _ in 0..100 {
        let (status, doc) = c.get_html("/contacts/duplicates").await;
        let computed = doc
            .select(&ready)
            .next()
            .is_some_and(|p| !p.text().collect::<String>().contains("Not checked"));
        if status != StatusCode::OK || computed {
            return (status, doc);
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the duplicates check did not run");
}

fn add_task(app: &TestApp, contact: i64, title: &str) {
    let mut c = app.conn();
    let t = rapport::db::now();
    let admin = app.user_id(ADMIN_EMAIL);
    diesel::insert_into(tasks::table)
        .values((
            tasks::title.eq(title),
            tasks::due_on.eq(t.date()),
            tasks::assignee_id.eq(admin),
            tasks::contact_id.eq(Some(contact)),
            tasks::created_at.eq(t),
            tasks::updated_at.eq(t),
        ))
        .execute(&mut c)
        .expect("task");
}

#[tokio::test]
async fn creating_a_contact_with_a_known_email_warns_and_links_to_it() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let first = app
        .create_contact(&mut admin, "Ada", "Lovelace", "ada@test.example")
        .await;
    let res = admin
        .post(
            "/contacts",
            &[
                ("first_name", "Ada"),
                ("last_name", "L."),
                ("email", "ADA@test.example"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let doc = html(res).await;
    assert!(texts(&doc, "#email-error")[0].contains(&format!("#{first}")));
    let sel = scraper::Selector::parse("form a[href]").expect("selector");
    assert!(
        doc.select(&sel)
            .any(|a| a.value().attr("href") == Some(&format!("/contacts/{first}")))
    );
    let res = admin
        .post(
            "/contacts",
            &[
                ("first_name", "Ada"),
                ("last_name", "L."),
                ("email", "ada@test.example"),
                ("allow_duplicate", "1"),
            ],
        )
        .await;
    assert_eq!(
        res.status(),
        StatusCode::SEE_OTHER,
        "saved anyway when asked"
    );
}

#[tokio::test]
async fn duplicates_are_listed_and_a_merge_keeps_every_related_row() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let a = contact(
        &mut admin,
        &[
            ("first_name", "Grace"),
            ("last_name", "Hopper"),
            ("email", "grace@navy.example"),
            ("account_name", "US Navy"),
            ("tags", "vip, navy"),
        ],
    )
    .await;
    let b = contact(
        &mut admin,
        &[
            ("first_name", "Grace B."),
            ("last_name", "Hopper"),
            ("email", "GRACE@navy.example"),
            ("phone", "+1 555 0100"),
            ("title", "Rear Admiral"),
            ("tags", "navy, cobol"),
        ],
    )
    .await;
    let _c = contact(
        &mut admin,
        &[
            ("first_name", "Alan"),
            ("last_name", "Turing"),
            ("phone", "+1 555 0199"),
        ],
    )
    .await;
    let _d = contact(
        &mut admin,
        &[
            ("first_name", "A."),
            ("last_name", "Turing"),
            ("phone", "+1 555 0199"),
        ],
    )
    .await;
    let _e = contact(
        &mut admin,
        &[
            ("first_name", "Kay"),
            ("last_name", "Ant"),
            ("account_name", "Fast Co"),
        ],
    )
    .await;
    let _f = contact(
        &mut admin,
        &[
            ("first_name", "Kay"),
            ("last_name", "Ant"),
            ("account_name", "Fast Co"),
        ],
    )
    .await;

    let (status, doc) = duplicates_page(&admin).await;
    assert_eq!(status, StatusCode::OK);
    let rows = texts(&doc, "tbody tr");
    assert_eq!(rows.len(), 3, "{rows:?}");
    let reasons = texts(&doc, "tbody td:first-child");
    for reason in ["Same email", "Same phone", "Same name at the same company"] {
        assert!(
            reasons.iter().any(|r| r == reason),
            "{reason} in {reasons:?}"
        );
    }

    for (id, text) in [
        (a, "call with A"),
        (b, "call with B"),
        (b, "meeting with B"),
    ] {
        let res = admin
            .post(
                &format!("/contacts/{id}/activities"),
                &[("kind", "call"), ("body", text)],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
    }
    add_task(&app, a, "task on A");
    add_task(&app, b, "task on B");

    // A ticket asked by b (it used to be deleted with b).
    let ticket = {
        let mut c = app.conn();
        let t = rapport::tickets::open_or_append(
            &mut c,
            app.db.dir(),
            &InboundMessage {
                from_email: "someone@elsewhere.example".into(),
                subject: "Broken compiler".into(),
                text_body: "It fails.".into(),
                message_id: "<merge-1@x.example>".into(),
                ..InboundMessage::default()
            },
        )
        .expect("ticket");
        diesel::update(tickets::table.find(t))
            .set(tickets::requester_id.eq(b))
            .execute(&mut c)
            .expect("asked by b");
        t
    };

    // The form proposes a's values, or b's where a's are empty.
    let (_, doc) = admin.get_html(&format!("/contacts/{a}/merge/{b}")).await;
    let checked = |key: &str| {
        let sel = scraper::Selector::parse(&format!("input[name=pick_{key}][checked]"))
            .expect("selector");
        doc.select(&sel)
            .next()
            .and_then(|i| i.value().attr("value"))
            .map(str::to_string)
    };
    assert_eq!(checked("first_name").as_deref(), Some("a"));
    assert_eq!(checked("phone").as_deref(), Some("b"), "a has no phone");

    let res = admin
        .post(
            &format!("/contacts/{a}/merge/{b}"),
            &[
                ("pick_first_name", "b"),
                ("pick_phone", "b"),
                ("pick_title", "b"),
                ("pick_account", "a"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), format!("/contacts/{a}"));
    assert_eq!(
        admin.get(&format!("/contacts/{b}")).await.status(),
        StatusCode::NOT_FOUND
    );

    let (_, doc) = admin.get_html(&format!("/contacts/{a}")).await;
    assert_eq!(texts(&doc, "h1"), vec!["Grace B. Hopper"]);
    let facts = texts(&doc, ".facts dd").join("|");
    assert!(
        facts.contains("+1 555 0100") && facts.contains("grace@navy.example"),
        "{facts}"
    );
    assert!(
        texts(&doc, ".subtitle")
            .join(" ")
            .contains("Rear Admiral at US Navy")
    );
    let bodies = texts(&doc, "#timeline li.activity p.body");
    for text in ["call with A", "call with B", "meeting with B"] {
        assert!(bodies.iter().any(|b| b == text), "{text} kept: {bodies:?}");
    }
    assert!(
        texts(&doc, "#timeline li.kind-merge").len() == 1,
        "the merge is on the timeline"
    );

    // The ticket follows the merge, and is found by the kept name.
    let mut conn = app.conn();
    let asker: i64 = tickets::table
        .find(ticket)
        .select(tickets::requester_id)
        .first(&mut conn)
        .expect("the ticket is kept");
    assert_eq!(asker, a);
    let (_, doc) = admin.get_html("/tickets?view=all&q=hopper").await;
    assert_eq!(
        texts(&doc, ".tickets-table tbody .trunc"),
        vec!["Broken compiler"]
    );
    let n = |r: QueryResult<i64>| r.expect("count");
    assert_eq!(
        n(tasks::table
            .filter(tasks::contact_id.eq(a))
            .select(count_star())
            .first(&mut conn)),
        2
    );
    assert_eq!(
        n(tasks::table
            .filter(tasks::contact_id.eq(b))
            .select(count_star())
            .first(&mut conn)),
        0
    );
    assert_eq!(
        n(activities::table
            .filter(activities::contact_id.eq(b))
            .select(count_star())
            .first(&mut conn)),
        0
    );
    assert_eq!(
        n(record_tags::table
            .filter(record_tags::contact_id.eq(a))
            .select(count_star())
            .first(&mut conn)),
        3,
        "vip, navy, cobol"
    );
    assert_eq!(
        n(contacts::table
            .filter(contacts::id.eq(b))
            .select(count_star())
            .first(&mut conn)),
        0
    );

    let (_, doc) = admin.get_html("/admin/audit").await;
    assert!(
        texts(&doc, "tbody tr")
            .iter()
            .any(|r| r.contains("merge") && r.contains(&format!("(#{b}) merged into")))
    );
    assert_eq!(
        admin
            .get(&format!("/contacts/{a}/merge/{a}"))
            .await
            .status(),
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn a_new_duplicate_appears_once_the_background_check_has_run() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    contact(
        &mut admin,
        &[
            ("first_name", "Ada"),
            ("last_name", "Byron"),
            ("email", "ada@engine.example"),
        ],
    )
    .await;
    let (_, doc) = duplicates_page(&admin).await;
    assert!(texts(&doc, "tbody tr").is_empty(), "nothing alike yet");
    assert!(
        texts(&doc, "#duplicates-computed")[0].starts_with("Found by the last check"),
        "{:?}",
        texts(&doc, "#duplicates-computed")
    );

    // A second contact with the same address (other case): after the
    // check that its save queued, the pair is listed, and only to those
    // who see both.
    let twin = contact(
        &mut admin,
        &[
            ("first_name", "Augusta"),
            ("last_name", "King"),
            ("email", "ADA@engine.example"),
        ],
    )
    .await;
    let (status, doc) = duplicates_page(&admin).await;
    assert_eq!(status, StatusCode::OK);
    let rows = texts(&doc, "tbody tr");
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert!(
        rows[0].contains("Same email") && rows[0].contains("Augusta King"),
        "{rows:?}"
    );
    let stored: i64 = rapport::db::schema::duplicate_members::table
        .filter(rapport::db::schema::duplicate_members::contact_id.eq(twin))
        .select(count_star())
        .get_result(&mut app.conn())
        .expect("members");
    assert_eq!(stored, 1);

    app.create_user(&mut admin, "mgr@test.example", "manager", None)
        .await;
    let mgr = app.login("mgr@test.example").await;
    let (status, doc) = duplicates_page(&mgr).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        texts(&doc, "tbody tr").is_empty(),
        "a manager who owns neither sees no pair"
    );
}

#[tokio::test]
async fn merging_needs_the_permission_and_both_records_in_scope() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let north = app.create_team(&mut admin, "North").await;
    app.create_user(&mut admin, "rep@test.example", "sales", Some(north))
        .await;
    app.create_user(&mut admin, "mgr@test.example", "manager", Some(north))
        .await;
    let mut rep = app.login("rep@test.example").await;
    let mine = app.create_contact(&mut rep, "Mine", "One", "").await;
    let outside = app.create_contact(&mut admin, "Not", "Theirs", "").await;
    assert_eq!(
        rep.get("/contacts/duplicates").await.status(),
        StatusCode::FORBIDDEN
    );
    let mut mgr = app.login("mgr@test.example").await;
    assert_eq!(
        mgr.get(&format!("/contacts/{mine}/merge/{outside}"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    let res = mgr
        .post(&format!("/contacts/{mine}/merge/{outside}"), &[])
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        admin.get(&format!("/contacts/{outside}")).await.status(),
        StatusCode::OK,
        "nothing merged"
    );
}
