//! The queue dashboard's figures, weekly charts and CSAT tables on both
//! backends, and a ticket's linked order and account (typed on the staff
//! form and on the ticket; refused beside the field when not found), and
//! moving a ticket to another queue or priority (its SLA follows).

use diesel::prelude::*;
use reqwest::StatusCode;

use rapport::db::schema::{csat_ratings, orders, tickets, users};

use crate::helpers::*;
use crate::tickets::insert_ticket;

fn ticket_version(app: &TestApp, id: i64) -> i32 {
    tickets::table
        .find(id)
        .select(tickets::version)
        .first(&mut app.conn())
        .expect("version")
}

#[tokio::test]
async fn the_dashboard_shows_queue_health() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let answered = insert_ticket(&app, "ana");
    let _waiting = insert_ticket(&app, "ben");
    // A public reply (the first response), then solved and rated.
    let v = ticket_version(&app, answered).to_string();
    let res = admin
        .post(
            &format!("/tickets/{answered}/messages"),
            &[
                ("kind", "public_reply"),
                ("body", "Fixed."),
                ("version", &v),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let v = ticket_version(&app, answered).to_string();
    let res = admin
        .post(
            &format!("/tickets/{answered}/status"),
            &[("status", "solved"), ("version", &v)],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let mut c = app.conn();
    let (queue, agent): (i64, Option<i64>) = tickets::table
        .find(answered)
        .select((tickets::queue_id, tickets::assignee_id))
        .first(&mut c)
        .expect("ticket");
    let admin_id: i64 = users::table.select(users::id).first(&mut c).expect("admin");
    diesel::insert_into(csat_ratings::table)
        .values((
            csat_ratings::ticket_id.eq(answered),
            csat_ratings::queue_id.eq(queue),
            csat_ratings::agent_id.eq(agent.or(Some(admin_id))),
            csat_ratings::score.eq(5),
            csat_ratings::comment.eq(""),
            csat_ratings::created_at.eq(chrono::Utc::now().naive_utc()),
        ))
        .execute(&mut c)
        .expect("rating");

    let (status, doc) = admin.get_html("/tickets/dashboard").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(texts(&doc, ".figure-open dd"), vec!["1"]);
    assert_eq!(texts(&doc, ".figure-unassigned dd"), vec!["1"]);
    assert_eq!(texts(&doc, ".figure-breached dd"), vec!["0"]);
    for chart in ["first-response", "resolution", "sla", "csat"] {
        let sel = format!("figure#{chart} svg");
        assert_eq!(
            doc.select(&scraper::Selector::parse(&sel).expect("css"))
                .count(),
            1,
            "{chart} drawn"
        );
    }
    // Answered and solved at once: no business minutes went by.
    let frt = texts(&doc, "figure#first-response table td");
    assert_eq!(
        frt.last().map(String::as_str),
        Some("0 h 00 min"),
        "{frt:?}"
    );
    // This week's column: the ticket solved within its targets, rated good.
    let sla = texts(&doc, "figure#sla table td");
    assert_eq!(sla.last().map(String::as_str), Some("100 %"), "{sla:?}");
    let csat = texts(&doc, "figure#csat table td");
    assert_eq!(csat.last().map(String::as_str), Some("100 %"), "{csat:?}");
    assert_eq!(
        texts(&doc, "#csat-by-queue tbody td"),
        vec!["1", "100 %"],
        "one rating, satisfied"
    );
    assert_eq!(texts(&doc, "#csat-by-agent tbody td"), vec!["1", "100 %"]);
    // The figures lead to the queue views behind them.
    let hrefs: Vec<String> = doc
        .select(&scraper::Selector::parse(".figure-unassigned a").expect("css"))
        .filter_map(|a| a.value().attr("href").map(str::to_string))
        .collect();
    assert_eq!(hrefs, vec!["/tickets?view=unassigned"]);

    // One queue, a period; odd parameters fall back, never fail.
    let (status, doc) = admin
        .get_html(&format!("/tickets/dashboard?queue={queue}&weeks=4"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        texts(&doc, "figure#csat table tbody tr").len(),
        4,
        "four weeks"
    );
    for odd in [
        "queue=999999&weeks=7",
        "queue=x&weeks=-1",
        "weeks=99999999999",
    ] {
        let (status, doc) = admin.get_html(&format!("/tickets/dashboard?{odd}")).await;
        assert_eq!(status, StatusCode::OK, "{odd}");
        assert_eq!(
            texts(&doc, ".figure-open dd"),
            vec!["1"],
            "{odd}: all queues"
        );
    }
    // In Chinese, with the percent written the Chinese way.
    let res = admin
        .post(
            "/account/locale",
            &[("language", "zh-CN"), ("time_zone", "Asia/Shanghai")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, doc) = admin.get_html("/tickets/dashboard").await;
    assert_eq!(texts(&doc, "h1"), vec!["队列健康"]);
    assert_eq!(texts(&doc, "#csat-by-queue tbody td"), vec!["1", "100%"]);
}

#[tokio::test]
async fn a_ticket_links_an_order_and_an_account() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let res = admin
        .post(
            "/contacts",
            &[
                ("first_name", "Olga"),
                ("last_name", "Ordner"),
                ("email", "olga@acme.example"),
                ("account_name", "Acme Tools"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let contact: i64 = location(&res)
        .trim_start_matches("/contacts/")
        .parse()
        .expect("contact id");
    let mut c = app.conn();
    let admin_id: i64 = users::table.select(users::id).first(&mut c).expect("admin");
    let order = crate::orders::insert_order(&app, admin_id, contact);
    let account: i64 = rapport::db::schema::accounts::table
        .select(rapport::db::schema::accounts::id)
        .first(&mut c)
        .expect("account");
    diesel::update(orders::table.find(order))
        .set((
            orders::quote_number.eq(Some("Q-2026-000042")),
            orders::account_id.eq(Some(account)),
        ))
        .execute(&mut c)
        .expect("numbered");

    // The order's page opens the form filled in.
    let (_, doc) = admin.get_html(&format!("/orders/{order}")).await;
    let href = doc
        .select(&scraper::Selector::parse("#open-ticket").expect("css"))
        .next()
        .and_then(|a| a.value().attr("href").map(str::to_string))
        .expect("open a ticket link");
    let (status, doc) = admin.get_html(&href).await;
    assert_eq!(status, StatusCode::OK);
    let value = |doc: &scraper::Html, name: &str| {
        doc.select(&scraper::Selector::parse(&format!("input[name={name}]")).expect("css"))
            .next()
            .and_then(|i| i.value().attr("value").map(str::to_string))
            .unwrap_or_default()
    };
    assert_eq!(value(&doc, "order"), "Q-2026-000042");
    assert_eq!(value(&doc, "email"), "olga@acme.example");

    // An unknown number or name: the form again, the error beside it.
    let form = |order: &'static str, account: &'static str| {
        vec![
            ("email", "olga@acme.example"),
            ("subject", "Wrong size"),
            ("body", "Customer called."),
            ("order", order),
            ("account", account),
        ]
    };
    let res = admin.post("/tickets", &form("Q-0000", "Nobody Inc")).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let doc = scraper::Html::parse_document(&res.text().await.expect("body"));
    let errors = texts(&doc, ".field-error").join(" | ");
    assert!(errors.contains("No order or quote"), "{errors}");
    assert!(errors.contains("No account"), "{errors}");
    assert_eq!(value(&doc, "order"), "Q-0000", "kept as typed");
    let before: i64 = tickets::table.count().get_result(&mut c).expect("count");
    assert_eq!(before, 0, "nothing half-written");

    // The order's number (any case) brings its account along.
    let res = admin.post("/tickets", &form("q-2026-000042", "")).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let id: i64 = location(&res)
        .trim_start_matches("/tickets/")
        .parse()
        .expect("ticket id");
    let links: (Option<i64>, Option<i64>) = tickets::table
        .find(id)
        .select((tickets::order_id, tickets::account_id))
        .first(&mut c)
        .expect("links");
    assert_eq!(links, (Some(order), Some(account)));
    let (_, doc) = admin.get_html(&format!("/tickets/{id}")).await;
    assert_eq!(texts(&doc, "#linked-order"), vec!["Q-2026-000042"]);
    assert_eq!(texts(&doc, "#linked-account"), vec!["Acme Tools"]);

    // Changed later on the ticket: cleared, refused, stale.
    let v = ticket_version(&app, id).to_string();
    let res = admin
        .post(
            &format!("/tickets/{id}/links"),
            &[("order", "nope"), ("account", ""), ("version", &v)],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let res = admin
        .post(
            &format!("/tickets/{id}/links"),
            &[("order", ""), ("account", "Acme Tools"), ("version", "0")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::CONFLICT, "a stale version");
    let res = admin
        .post(
            &format!("/tickets/{id}/links"),
            &[("order", ""), ("account", "Acme Tools"), ("version", &v)],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let links: (Option<i64>, Option<i64>) = tickets::table
        .find(id)
        .select((tickets::order_id, tickets::account_id))
        .first(&mut c)
        .expect("links");
    assert_eq!(links, (None, Some(account)));
    // The link is on the account's timeline.
    let (_, doc) = admin.get_html(&format!("/accounts/{account}")).await;
    assert!(
        doc.html().contains(&format!("#{id}")),
        "linked event on the account's timeline"
    );
}

#[tokio::test]
async fn moving_a_ticket_to_another_priority_retimes_its_sla() {
    use rapport::db::schema::sla_targets;
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let id = insert_ticket(&app, "tri");
    let mut c = app.conn();
    type Row = (String, i64, Option<i32>, Option<chrono::NaiveDateTime>, i32);
    let row = |c: &mut rapport::db::DbConn| -> Row {
        tickets::table
            .find(id)
            .select((
                tickets::priority,
                tickets::queue_id,
                tickets::first_response_target,
                tickets::sla_due,
                tickets::version,
            ))
            .first(c)
            .expect("ticket")
    };
    let (priority, queue, _, due_before, v) = row(&mut c);
    assert_eq!(priority, "normal");
    let urgent: i32 = sla_targets::table
        .filter(sla_targets::priority.eq("urgent"))
        .select(sla_targets::first_response_minutes)
        .first(&mut c)
        .expect("an urgent target in the seeded policy");

    let q = queue.to_string();
    let res = admin
        .post(
            &format!("/tickets/{id}/triage"),
            &[
                ("queue", q.as_str()),
                ("priority", "urgent"),
                ("version", &v.to_string()),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (priority, _, target, due_after, v2) = row(&mut c);
    assert_eq!(priority, "urgent");
    assert_eq!(target, Some(urgent));
    assert_eq!(v2, v + 1);
    assert!(
        due_after.is_some() && due_after < due_before,
        "an urgent ticket is due sooner: {due_before:?} → {due_after:?}"
    );
    let (_, doc) = admin.get_html(&format!("/tickets/{id}")).await;
    assert!(doc.html().contains("Moved to"), "on the ticket's timeline");

    // From an old version: 409 and nothing changes; values no menu offers: 400.
    let res = admin
        .post(
            &format!("/tickets/{id}/triage"),
            &[
                ("queue", q.as_str()),
                ("priority", "low"),
                ("version", &v.to_string()),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert_eq!(row(&mut c).0, "urgent");
    for (queue, priority) in [("999999", "low"), (q.as_str(), "whenever")] {
        let res = admin
            .post(
                &format!("/tickets/{id}/triage"),
                &[
                    ("queue", queue),
                    ("priority", priority),
                    ("version", &v2.to_string()),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{queue} {priority}");
    }
    assert_eq!(row(&mut c).4, v2, "refused moves write nothing");
}
