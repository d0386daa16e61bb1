//! What every record type shares (src/records): one timeline, tasks and
//! tags for contacts and accounts alike, the record links kept by foreign
//! keys, and the typed columns (text enums, ids) on this backend.

use diesel::prelude::*;
use reqwest::StatusCode;

use crate::helpers::*;
use rapport::audit::{AuditAction, AuditEntity};
use rapport::auth::policy::{Role, Scope};
use rapport::contacts::domain::{Consent, Lifecycle};
use rapport::db::schema::{activities, audit_log, contacts, record_tags, roles, tags, tasks};
use rapport::db::text_enum::UnknownValue;
use rapport::domain::{AccountId, ContactId, UserId};
use rapport::records::timeline::ActivityKind;
use rapport::records::{Links, RecordRef};

async fn contact_at(c: &mut Client, first: &str, company: &str, tags: &str) -> i64 {
    let res = c
        .post(
            "/contacts",
            &[
                ("first_name", first),
                ("last_name", "Tester"),
                ("account_name", company),
                ("tags", tags),
            ],
        )
        .await;
    assert_eq!(
        res.status(),
        StatusCode::SEE_OTHER,
        "contact {first} created"
    );
    location(&res)
        .trim_start_matches("/contacts/")
        .parse()
        .expect("contact id")
}

fn bodies(doc: &scraper::Html) -> Vec<String> {
    texts(doc, "#timeline li.activity p.body")
}

#[tokio::test]
async fn text_enums_and_typed_ids_round_trip_through_the_database() {
    let app = spawn().await;
    let _admin = app.setup_admin().await;
    let admin_id = UserId::new(app.user_id(ADMIN_EMAIL));
    let mut c = app.conn();
    let t = rapport::db::now();

    // Every lifecycle and consent value is written and read back as itself.
    for (i, (&l, &k)) in Lifecycle::ALL
        .iter()
        .zip(Consent::ALL.iter().cycle())
        .enumerate()
    {
        diesel::insert_into(contacts::table)
            .values((
                contacts::first_name.eq(format!("P{i}")),
                contacts::last_name.eq("Round"),
                contacts::owner_id.eq(admin_id),
                contacts::lifecycle.eq(l),
                contacts::consent.eq(k),
                contacts::created_at.eq(t),
                contacts::updated_at.eq(t),
            ))
            .execute(&mut c)
            .expect("insert");
        let id = ContactId::new(rapport::db::last_insert_id(&mut c).expect("id"));
        let (got_id, got_l, got_k, raw): (ContactId, Lifecycle, Consent, String) = contacts::table
            .filter(contacts::id.eq(id))
            .filter(contacts::lifecycle.eq(l))
            .select((
                contacts::id,
                contacts::lifecycle,
                contacts::consent,
                contacts::lifecycle,
            ))
            .first(&mut c)
            .expect("read back");
        assert_eq!((got_id, got_l, got_k), (id, l, k));
        assert_eq!(raw, l.as_str(), "stored under its name");
    }

    // Roles and scopes as the foundation migration stored them.
    let scopes: Vec<(Role, Scope)> = roles::table
        .select((roles::name, roles::record_scope))
        .load(&mut c)
        .expect("roles");
    assert_eq!(scopes.len(), Role::ALL.len());
    assert!(scopes.contains(&(Role::Admin, Scope::All)));

    // The audit log's first-run entry.
    let setup: Vec<(AuditAction, AuditEntity, Option<UserId>)> = audit_log::table
        .select((audit_log::action, audit_log::entity, audit_log::actor_id))
        .load(&mut c)
        .expect("audit");
    assert!(setup.contains(&(AuditAction::Setup, AuditEntity::User, Some(admin_id))));

    // Record links: a task on a contact and its account.
    let contact: ContactId = contacts::table
        .select(contacts::id)
        .first(&mut c)
        .expect("a contact");
    let links = Links::of(RecordRef::Contact(contact));
    let task = rapport::tasks::repo::insert(
        &mut c,
        &rapport::tasks::domain::NewTask {
            title: "Typed".into(),
            due_on: t.date(),
            assignee_id: admin_id,
            links,
            created_by: admin_id,
        },
    )
    .expect("task");
    let row = rapport::tasks::repo::get(&mut c, task)
        .expect("get")
        .expect("found");
    assert_eq!((row.id, row.assignee_id), (task, admin_id));
    assert_eq!((row.contact_id, row.account_id), (Some(contact), None));
}

#[tokio::test]
async fn an_unknown_stored_value_is_an_error_page_not_a_panic() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let id = app.create_contact(&mut admin, "Odd", "Value", "").await;
    let fine = app.create_contact(&mut admin, "Fine", "Value", "").await;
    let mut c = app.conn();
    diesel::sql_query(format!(
        "UPDATE contacts SET lifecycle = 'vip' WHERE id = {id}"
    ))
    .execute(&mut c)
    .expect("write an unknown stage by hand");

    let err = contacts::table
        .filter(contacts::id.eq(id))
        .select(contacts::lifecycle)
        .first::<Lifecycle>(&mut c)
        .expect_err("an unknown name does not read as a stage");
    let diesel::result::Error::DeserializationError(cause) = err else {
        panic!("a deserialization error, not {err:?}");
    };
    // diesel wraps it with the field's name; the cause names the value.
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(cause.as_ref());
    let mut unknown = None;
    while let Some(e) = source {
        unknown = unknown.or(e.downcast_ref::<UnknownValue>());
        source = e.source();
    }
    let unknown = unknown.unwrap_or_else(|| panic!("names the unknown value: {cause}"));
    assert_eq!((unknown.kind, unknown.value.as_str()), ("Lifecycle", "vip"));

    // The page says something went wrong (with a request id); the app goes on.
    let (status, doc) = admin.get_html(&format!("/contacts/{id}")).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert!(!texts(&doc, "h1").is_empty(), "a friendly error page");
    assert_eq!(
        admin.get(&format!("/contacts/{fine}")).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn contacts_and_accounts_share_one_timeline_tasks_and_tags() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let acme = app
        .create_account(&mut admin, "Acme", &[("tags", "key, partner")])
        .await;
    let ada = contact_at(&mut admin, "Ada", "Acme", "vip").await;

    // One handler logs on either record type; a contact's entry also files
    // under its account.
    for (path, body) in [
        (format!("/contacts/{ada}/activities"), "called Ada"),
        (format!("/accounts/{acme}/activities"), "met Acme"),
    ] {
        let res = admin
            .post(&path, &[("kind", "call"), ("subject", "s"), ("body", body)])
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{path}");
        assert!(location(&res).ends_with("#timeline"));
    }
    let res = admin
        .post_htmx(
            &format!("/accounts/{acme}/activities"),
            &[("kind", "note"), ("body", "htmx note")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let fragment = html(res).await;
    assert_eq!(
        bodies(&fragment),
        vec!["htmx note", "met Acme", "called Ada"],
        "the timeline comes back alone, newest first"
    );
    let (_, doc) = admin.get_html(&format!("/accounts/{acme}")).await;
    assert_eq!(bodies(&doc), vec!["htmx note", "met Acme", "called Ada"]);
    assert!(
        texts(&doc, "#timeline li.activity .meta")
            .iter()
            .any(|m| m.contains("with Ada Tester")),
        "the contact's entry names the contact"
    );
    let (_, doc) = admin.get_html(&format!("/contacts/{ada}")).await;
    assert_eq!(bodies(&doc), vec!["called Ada"], "only the contact's own");

    // A bad entry on an account: 422, the account page again, error beside the form.
    let res = admin
        .post(
            &format!("/accounts/{acme}/activities"),
            &[("kind", "merge"), ("body", "forged")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let doc = html(res).await;
    assert_eq!(texts(&doc, "h1"), vec!["Acme"]);
    assert_eq!(texts(&doc, "#note-error").len(), 1);
    assert_eq!(
        texts(&doc, "#note-body"),
        vec!["forged"],
        "the text is kept"
    );

    // Tasks: the same panel and quick-add on both pages.
    for (field, id, title) in [
        ("contact_id", ada, "follow up Ada"),
        ("account_id", acme, "renew Acme"),
    ] {
        let next = if field == "contact_id" {
            format!("/contacts/{id}")
        } else {
            format!("/accounts/{id}")
        };
        let (_, page) = admin.get_html(&next).await;
        let sel = scraper::Selector::parse(&format!(
            "#tasks form.quick-task input[name={field}][value=\"{id}\"]"
        ))
        .expect("selector");
        assert!(
            page.select(&sel).next().is_some(),
            "quick add links {field}"
        );
        let due = rapport::db::now().date().to_string();
        let res = admin
            .post(
                "/tasks",
                &[
                    ("title", title),
                    ("due_on", &due),
                    (field, &id.to_string()),
                    ("next", &next),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let (_, page) = admin.get_html(&next).await;
        assert_eq!(texts(&page, "#tasks li .task-title"), vec![title], "{next}");
    }

    // Tags through the one API, for either kind.
    let mut c = app.conn();
    let ada_ref = RecordRef::Contact(ContactId::new(ada));
    let acme_ref = RecordRef::Account(AccountId::new(acme));
    assert_eq!(
        rapport::tags::of(&mut c, ada_ref).expect("tags"),
        vec!["vip"]
    );
    assert_eq!(
        rapport::tags::of(&mut c, acme_ref).expect("tags"),
        vec!["key", "partner"]
    );
    rapport::tags::set(&mut c, acme_ref, &["VIP".into()]).expect("set");
    let both = rapport::tags::of_many(&mut c, &[ada_ref, acme_ref]).expect("many");
    assert_eq!(both[&ada_ref], vec!["vip"]);
    assert_eq!(
        both[&acme_ref],
        vec!["vip"],
        "one tag, matched ignoring case"
    );
    let (_, doc) = admin.get_html("/accounts?tag=vip").await;
    assert_eq!(
        texts(&doc, "#results tbody tr td:first-child a"),
        vec!["Acme"]
    );

    // Deleting the contact takes its links with it (foreign keys), the
    // account keeps its own.
    let res = admin.post(&format!("/contacts/{ada}/delete"), &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let n = |q: QueryResult<i64>| q.expect("count");
    assert_eq!(
        n(record_tags::table
            .filter(record_tags::contact_id.eq(ada))
            .count()
            .get_result(&mut c)),
        0
    );
    assert_eq!(
        n(tasks::table
            .filter(tasks::contact_id.eq(ada))
            .count()
            .get_result(&mut c)),
        0
    );
    let (_, doc) = admin.get_html(&format!("/accounts/{acme}")).await;
    assert_eq!(bodies(&doc), vec!["htmx note", "met Acme"]);
    assert_eq!(texts(&doc, "#tasks li .task-title"), vec!["renew Acme"]);
}

#[tokio::test]
async fn a_tag_is_on_exactly_one_record_and_an_entry_on_at_least_one() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let acme = app
        .create_account(&mut admin, "Acme", &[("tags", "")])
        .await;
    let ada = contact_at(&mut admin, "Ada", "Acme", "vip").await;
    let mut c = app.conn();
    let vip: i64 = tags::table
        .filter(tags::name.eq("vip"))
        .select(tags::id)
        .first(&mut c)
        .expect("tag");
    let both = diesel::insert_into(record_tags::table)
        .values((
            record_tags::tag_id.eq(vip),
            record_tags::contact_id.eq(Some(ada)),
            record_tags::account_id.eq(Some(acme)),
        ))
        .execute(&mut c);
    let none = diesel::insert_into(record_tags::table)
        .values(record_tags::tag_id.eq(vip))
        .execute(&mut c);
    let t = rapport::db::now();
    let orphan = diesel::insert_into(activities::table)
        .values((
            activities::kind.eq(ActivityKind::Note),
            activities::body.eq("nowhere"),
            activities::created_at.eq(t),
            activities::occurred_at.eq(t),
        ))
        .execute(&mut c);
    let gone = diesel::insert_into(record_tags::table)
        .values((
            record_tags::tag_id.eq(vip),
            record_tags::account_id.eq(Some(acme + 1000)),
        ))
        .execute(&mut c);
    assert!(both.is_err(), "two records in one tag row");
    assert!(none.is_err(), "a tag row without a record");
    assert!(orphan.is_err(), "an entry on no record");
    assert!(gone.is_err(), "a missing record (foreign key)");
}

#[tokio::test]
async fn the_tag_filter_lists_only_tags_on_records_the_viewer_can_see() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let north = app.create_team(&mut admin, "North").await;
    let south = app.create_team(&mut admin, "South").await;
    app.create_user(&mut admin, "n@test.example", "manager", Some(north))
        .await;
    app.create_user(&mut admin, "s@test.example", "manager", Some(south))
        .await;
    let mut n = app.login("n@test.example").await;
    let mut s = app.login("s@test.example").await;
    contact_at(&mut n, "Nora", "North Co", "shared, north-secret").await;
    app.create_account(&mut n, "North Two", &[("tags", "north-account")])
        .await;
    contact_at(&mut s, "Sam", "South Co", "shared, south-secret").await;
    app.create_account(&mut s, "South Two", &[("tags", "south-account")])
        .await;

    let menu = |doc: &scraper::Html| texts(doc, "select[name=tag] option");
    let (_, doc) = n.get_html("/contacts").await;
    assert_eq!(menu(&doc), vec!["Any tag", "north-secret", "shared"]);
    let (_, doc) = s.get_html("/contacts").await;
    assert_eq!(menu(&doc), vec!["Any tag", "shared", "south-secret"]);
    let (_, doc) = n.get_html("/accounts").await;
    assert_eq!(menu(&doc), vec!["Any tag", "north-account"]);
    let (_, doc) = s.get_html("/accounts").await;
    assert_eq!(menu(&doc), vec!["Any tag", "south-account"]);
    let (_, doc) = admin.get_html("/contacts").await;
    assert_eq!(
        menu(&doc),
        vec!["Any tag", "north-secret", "shared", "south-secret"],
        "everyone's, for a viewer who sees everything"
    );
}

#[tokio::test]
async fn the_migration_moves_existing_tags_and_keeps_the_timeline() {
    let db = TestDb::new();
    rapport::db::ensure_database(&db.url).expect("database");
    let mut c = rapport::db::connect(&db.url).expect("connect");
    rapport::db::run_migrations_before(&mut c, "2026-11-27-000002_any_record").expect("older");
    let ts = "'2026-01-01 00:00:00'";
    for sql in [
        format!(
            "INSERT INTO users (id, email, name, password_hash, role, active, session_epoch, \
             created_at, updated_at) VALUES (1, 'a@test.example', 'A', 'x', 'admin', 1, 0, {ts}, {ts})"
        ),
        format!(
            "INSERT INTO accounts (id, name, owner_id, created_at, updated_at) \
             VALUES (5, 'Acme', 1, {ts}, {ts})"
        ),
        format!(
            "INSERT INTO contacts (id, first_name, last_name, owner_id, account_id, created_at, \
             updated_at) VALUES (7, 'Ada', 'L', 1, 5, {ts}, {ts})"
        ),
        "INSERT INTO tags (id, name) VALUES (1, 'vip'), (2, 'key')".into(),
        "INSERT INTO contact_tags (contact_id, tag_id) VALUES (7, 1), (7, 2)".into(),
        "INSERT INTO account_tags (account_id, tag_id) VALUES (5, 2)".into(),
        format!(
            "INSERT INTO activities (contact_id, account_id, kind, body, created_at, occurred_at) \
             VALUES (7, 5, 'note', 'kept', {ts}, {ts}), (NULL, NULL, 'note', 'nowhere', {ts}, {ts})"
        ),
    ] {
        diesel::sql_query(sql).execute(&mut c).expect("old rows");
    }
    rapport::db::run_migrations(&mut c).expect("this migration and later ones");

    let ada = RecordRef::Contact(ContactId::new(7));
    let acme = RecordRef::Account(AccountId::new(5));
    assert_eq!(
        rapport::tags::of(&mut c, ada).expect("tags"),
        vec!["key", "vip"]
    );
    assert_eq!(rapport::tags::of(&mut c, acme).expect("tags"), vec!["key"]);
    let on_account = rapport::records::timeline::of(&mut c, acme, 10).expect("timeline");
    assert_eq!(
        on_account
            .iter()
            .map(|e| e.body.as_str())
            .collect::<Vec<_>>(),
        vec!["kept"],
        "the contact's entry still shows on its account; the unreachable one is gone"
    );
    assert_eq!(on_account[0].contact_id, Some(ContactId::new(7)));
}

/// Every kind the demo data and imports write shows on a timeline (an
/// "email" entry once made every seeded contact's page fail).
#[tokio::test]
async fn an_email_entry_shows_on_the_timeline() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let id = app.create_contact(&mut admin, "Ada", "Lovelace", "").await;
    let now = rapport::db::now();
    diesel::insert_into(activities::table)
        .values((
            activities::contact_id.eq(Some(id)),
            activities::kind.eq("email"),
            activities::subject.eq(Some("Proposal sent")),
            activities::body.eq("Sent the proposal."),
            activities::created_at.eq(now),
            activities::occurred_at.eq(now),
        ))
        .execute(&mut app.conn())
        .expect("insert");
    let (status, doc) = admin.get_html(&format!("/contacts/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(doc.html().contains("Proposal sent"));
}
