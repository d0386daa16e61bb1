//! Tickets on both backends: take next under real concurrency never gives
//! one ticket to two agents; the customer page opens only with its signed
//! token and never shows internal notes; replies reach a real SMTP server
//! (aiosmtpd) threaded under the customer's message, and the customer's
//! answer threads back; the support form mails a link; CSAT math.

use std::sync::{Arc, Barrier};
use std::time::Duration;

use diesel::prelude::*;
use rapport::db::schema::{activities, csat_ratings, ticket_messages, tickets};
use rapport::domain::ids::{TicketId, UserId};
use rapport::jobs::Runner;
use rapport::mail::inbound::{Attachment, InboundMessage};
use rapport::tickets::{open_or_append, stats, write};
use reqwest::StatusCode;

use crate::helpers::*;
use crate::jobs::{job_env, spawn_without_workers};
use crate::outbox_smtp::SmtpServer;

fn inbound(from: &str, subject: &str, body: &str, mid: &str) -> InboundMessage {
    InboundMessage {
        from_email: from.into(),
        from_name: Some("Cora Customer".into()),
        subject: subject.into(),
        text_body: body.into(),
        message_id: format!("<{}>", mid.trim_matches(['<', '>'])),
        ..InboundMessage::default()
    }
}

/// The ticket page path in a mail (`/t/<token>`).
fn page_link(mail: &str) -> String {
    let mail = mail.replace("=\r\n", "").replace("=\n", "");
    let at = mail.find("/t/").expect("a ticket link in the mail");
    let token: String = mail[at + 3..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    format!("/t/{token}")
}

fn header<'a>(mail: &'a str, name: &str) -> Option<&'a str> {
    mail.lines()
        .find(|l| {
            l.to_ascii_lowercase()
                .starts_with(&format!("{}:", name.to_ascii_lowercase()))
        })
        .map(|l| l[name.len() + 1..].trim())
}

/// An agent's reply or note on ticket `id` from version `v`.
async fn post_message(
    admin: &mut Client,
    id: TicketId,
    kind: &str,
    body: &str,
    v: &str,
) -> reqwest::Response {
    admin
        .post(
            &format!("/tickets/{id}/messages"),
            &[("kind", kind), ("body", body), ("version", v)],
        )
        .await
}

/// A ticket opened by mail from `<who>@test.example`; its id.
pub fn insert_ticket(app: &TestApp, who: &str) -> i64 {
    let m = inbound(
        &format!("{who}@test.example"),
        "Help",
        "Broken",
        &format!("<{who}@seed.example>"),
    );
    open_or_append(&mut app.conn(), app.db.dir(), &m)
        .expect("ticket")
        .get()
}

fn drain(runner: &Runner) {
    while runner.run_once().expect("run") > 0 {}
}

#[tokio::test]
async fn take_next_under_concurrency_never_gives_a_ticket_twice() {
    const AGENTS: usize = 8;
    const TICKETS: usize = 24;
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let mut agents = Vec::new();
    for i in 0..AGENTS {
        let email = format!("agent{i}@test.example");
        agents.push(app.create_user(&mut admin, &email, "support", None).await);
    }
    {
        let mut c = app.conn();
        for i in 0..TICKETS {
            let m = inbound(
                &format!("c{i}@test.example"),
                "Help",
                "Broken",
                &format!("<race{i}@c.example>"),
            );
            open_or_append(&mut c, app.db.dir(), &m).expect("ticket");
        }
    }
    let barrier = Arc::new(Barrier::new(AGENTS));
    let url = app.db.url.clone();
    let handles: Vec<_> = agents
        .into_iter()
        .map(|agent| {
            let barrier = barrier.clone();
            let url = url.clone();
            std::thread::spawn(move || {
                let mut c = rapport::db::connect(&url).expect("connection");
                barrier.wait();
                let mut got = Vec::new();
                while let Some(id) =
                    write::take_next(&mut c, UserId::new(agent), &[]).expect("take")
                {
                    got.push((id, agent));
                }
                got
            })
        })
        .collect();
    let mut claims: Vec<(TicketId, i64)> = handles
        .into_iter()
        .flat_map(|h| h.join().expect("thread"))
        .collect();
    assert_eq!(claims.len(), TICKETS, "every ticket taken once");
    claims.sort();
    claims.dedup_by_key(|(id, _)| *id);
    assert_eq!(claims.len(), TICKETS, "no ticket claimed twice");
    let mut c = app.conn();
    for (id, agent) in claims {
        let assignee: Option<i64> = tickets::table
            .find(id)
            .select(tickets::assignee_id)
            .first(&mut c)
            .expect("ticket");
        assert_eq!(
            assignee,
            Some(agent),
            "the claim that won is the one stored"
        );
        // The take is on the ticket's timeline once, by the agent who won.
        let takes: Vec<Option<i64>> = activities::table
            .filter(activities::ticket_id.eq(id.get()))
            .filter(activities::system_message.like("%tickets-event-assigned%"))
            .select(activities::author_id)
            .load(&mut c)
            .expect("timeline");
        assert_eq!(
            takes,
            vec![Some(agent)],
            "ticket {id:?}: one assignment entry"
        );
    }
    // Through the page: nothing left, back to the unassigned view.
    let res = admin.post("/tickets/take", &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()["location"], "/tickets?view=unassigned");
}

#[tokio::test]
async fn replies_thread_by_message_id_and_the_customer_page_hides_notes() {
    let port = crate::outbox_smtp::free_port();
    let app = spawn_without_workers(Some(format!("smtp://127.0.0.1:{port}"))).await;
    let server = SmtpServer::start_on(port, app.db.dir());
    let runner = Runner::new(job_env(&app, Some(server.url()), Duration::from_secs(60)));
    let mut admin = app.setup_admin().await;

    // Mail from a customer opens a ticket; the same message again is kept once.
    let first = inbound(
        "cora@test.example",
        "Printer on fire",
        "Please help.",
        "<m1@cust.example>",
    );
    let id = {
        let mut c = app.conn();
        let id = open_or_append(&mut c, app.db.dir(), &first).expect("opened");
        assert_eq!(
            open_or_append(&mut c, app.db.dir(), &first).expect("again"),
            id
        );
        id
    };
    let (status, doc) = admin.get_html(&format!("/tickets/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(texts(&doc, ".message .body").contains(&"Please help.".to_string()));
    let version = |app: &TestApp| -> String {
        let mut c = app.conn();
        tickets::table
            .find(TicketId::new(id.get()))
            .select(tickets::version)
            .first::<i32>(&mut c)
            .expect("version")
            .to_string()
    };

    // An internal note and a public reply.
    let v = version(&app);
    let res = post_message(
        &mut admin,
        id,
        "internal_note",
        "Secret: customer is on the old plan",
        &v,
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    // A reply from a page drawn before the note: warned, not sent.
    let res = post_message(&mut admin, id, "public_reply", "Stale answer", &v).await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    let doc = html(res).await;
    assert!(
        !texts(&doc, "#ticket-notice").is_empty(),
        "the change is explained"
    );
    assert_eq!(texts(&doc, "#send-reply"), vec!["Send anyway".to_string()]);
    let v = version(&app);
    let res = post_message(
        &mut admin,
        id,
        "public_reply",
        "Unplug it, then call us.",
        &v,
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    drain(&runner);

    let mails = server.messages();
    assert_eq!(
        mails.len(),
        1,
        "only the reply is mailed, never the note: {mails:?}"
    );
    let mail = &mails[0];
    assert!(mail.contains("Unplug it, then call us."));
    assert!(!mail.contains("Secret"));
    assert_eq!(header(mail, "In-Reply-To"), Some("<m1@cust.example>"));
    assert_eq!(header(mail, "References"), Some("<m1@cust.example>"));
    let reply_id = header(mail, "Message-ID").expect("message id").to_string();
    let stored: Vec<Option<String>> = {
        let mut c = app.conn();
        ticket_messages::table
            .filter(ticket_messages::ticket_id.eq(id))
            .select(ticket_messages::message_id)
            .load(&mut c)
            .expect("messages")
    };
    assert!(
        stored.contains(&Some(reply_id.clone())),
        "the reply's Message-ID is kept"
    );

    // The customer's page, by the mailed link: public messages only.
    let link = page_link(mail);
    let customer = app.client();
    let (status, doc) = customer.get_html(&link).await;
    assert_eq!(status, StatusCode::OK);
    let bodies = texts(&doc, ".message .body");
    assert!(bodies.contains(&"Unplug it, then call us.".to_string()));
    assert!(bodies.contains(&"Please help.".to_string()));
    assert!(
        !doc.html().contains("Secret"),
        "internal notes never reach the customer"
    );
    // Altered tokens: every one a 404.
    let token = link.trim_start_matches("/t/").to_string();
    let mut flipped = token.clone().into_bytes();
    flipped[5] = if flipped[5] == b'A' { b'B' } else { b'A' };
    for bad in [
        String::from_utf8(flipped).expect("ascii"),
        token[..token.len() - 1].to_string(),
        "x".repeat(43),
        format!("{token}A"),
    ] {
        assert_eq!(
            customer.get(&format!("/t/{bad}")).await.status(),
            StatusCode::NOT_FOUND,
            "{bad}"
        );
    }
    // The customer answers by mail to the reply: threaded into the ticket.
    let mut answer = inbound(
        "cora@test.example",
        "Re: Printer",
        "Still smoking.",
        "<m2@cust.example>",
    );
    answer.in_reply_to = Some(reply_id.clone());
    answer.references = vec!["<m1@cust.example>".into(), reply_id];
    answer.attachments = vec![Attachment {
        filename: "photo.jpg".into(),
        content_type: "image/jpeg".into(),
        bytes: vec![0xff, 0xd8, 1, 2],
    }];
    let mut c = app.conn();
    assert_eq!(
        open_or_append(&mut c, app.db.dir(), &answer).expect("threaded"),
        id
    );
    let (_, doc) = admin.get_html(&format!("/tickets/{id}")).await;
    assert!(texts(&doc, ".message .body").contains(&"Still smoking.".to_string()));
    let href = doc
        .select(&scraper::Selector::parse(".message a[download]").expect("css"))
        .next()
        .and_then(|a| a.value().attr("href"))
        .expect("attachment link")
        .to_string();
    let res = admin.get(&href).await;
    assert_eq!(res.status(), StatusCode::OK);
    let disposition = res.headers()["content-disposition"]
        .to_str()
        .expect("ascii")
        .to_string();
    assert!(disposition.starts_with("attachment;"), "{disposition}");
    assert!(disposition.contains("photo.jpg"));
    assert_eq!(res.headers()["content-type"], "application/octet-stream");
    assert_eq!(
        res.bytes().await.expect("bytes").to_vec(),
        vec![0xff, 0xd8, 1, 2]
    );
    // Someone outside staff cannot fetch it.
    assert_ne!(app.client().get(&href).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn the_support_form_mails_a_link_and_solving_asks_for_a_rating() {
    let port = crate::outbox_smtp::free_port();
    let app = spawn_without_workers(Some(format!("smtp://127.0.0.1:{port}"))).await;
    let server = SmtpServer::start_on(port, app.db.dir());
    let runner = Runner::new(job_env(&app, Some(server.url()), Duration::from_secs(60)));
    let mut admin = app.setup_admin().await;

    let mut visitor = app.client();
    visitor.refresh_csrf("/support").await;
    // Bad input: 422 with the errors beside the fields.
    let res = visitor
        .post(
            "/support",
            &[("email", "not-an-address"), ("subject", ""), ("body", "x")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // A bot fills the honeypot: told "thanks", nothing made.
    let res = visitor
        .post(
            "/support",
            &[
                ("email", "bot@test.example"),
                ("subject", "Buy"),
                ("body", "spam"),
                ("website", "http://spam"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = visitor
        .post(
            "/support",
            &[
                ("email", "dan@test.example"),
                ("name", "Dan Doe"),
                ("subject", "Invoice missing"),
                ("body", "Where is it?"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let mut c = app.conn();
    let ids: Vec<TicketId> = tickets::table
        .select(tickets::id)
        .load(&mut c)
        .expect("tickets");
    assert_eq!(ids.len(), 1, "the honeypot made nothing");
    let id = ids[0];
    drain(&runner);
    let mails = server.messages();
    assert_eq!(mails.len(), 1);
    let link = page_link(&mails[0]);
    let (status, doc) = visitor.get_html(&link).await;
    assert_eq!(status, StatusCode::OK);
    assert!(texts(&doc, ".message .body").contains(&"Where is it?".to_string()));
    // The customer answers on the page.
    visitor.refresh_csrf(&link).await;
    let res = visitor.post(&link, &[("body", "Order 77.")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);

    // Solve: the rating request goes out with signed links.
    let v: i32 = tickets::table
        .find(id)
        .select(tickets::version)
        .first(&mut c)
        .expect("v");
    let res = admin
        .post(
            &format!("/tickets/{id}/status"),
            &[("status", "solved"), ("version", &v.to_string())],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    drain(&runner);
    let mails = server.messages();
    let rate = mails
        .iter()
        .find(|m| m.contains("/csat/"))
        .expect("rating mail");
    let rate = rate.replace("=\r\n", "").replace("=3D", "=");
    let at = rate.find("/csat/").expect("link");
    let path: String = rate[at..]
        .chars()
        .take_while(|c| !c.is_whitespace())
        .collect();
    let (status, _) = visitor.get_html(&path).await;
    assert_eq!(status, StatusCode::OK);
    let form_path = path.split('?').next().expect("path").to_string();
    visitor.refresh_csrf(&path).await;
    let res = visitor
        .post(&form_path, &[("score", "5"), ("comment", "Quick!")])
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    // Again: still one rating.
    let res = visitor
        .post(&form_path, &[("score", "1"), ("comment", "")])
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let scores: Vec<i32> = csat_ratings::table
        .select(csat_ratings::score)
        .load(&mut c)
        .expect("ratings");
    assert_eq!(scores, vec![5]);
    let by_queue = stats::csat_by_queue(&mut c).expect("csat");
    assert_eq!(by_queue.len(), 1);
    assert_eq!((by_queue[0].1, by_queue[0].2), (Some(100), 1));
    // A rating token does not open the ticket page, nor the reverse.
    let token = form_path.trim_start_matches("/csat/");
    assert_eq!(
        visitor.get(&format!("/t/{token}")).await.status(),
        StatusCode::NOT_FOUND
    );
    let page_token = link.trim_start_matches("/t/");
    assert_eq!(
        visitor.get(&format!("/csat/{page_token}")).await.status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_queue_lists_views_and_pauses_the_clock() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let mut c = app.conn();
    let id = open_or_append(
        &mut c,
        app.db.dir(),
        &inbound("e@test.example", "Slow", "Hello", "<q1@x.example>"),
    )
    .expect("t");
    let (status, doc) = admin.get_html("/tickets").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        doc.select(&scraper::Selector::parse(".tickets-table tbody tr").expect("css"))
            .count(),
        1
    );
    for view in ["mine", "unassigned", "breaching", "active", "all"] {
        let (status, _) = admin
            .get_html(&format!("/tickets?view={view}&q=slow&sort=created"))
            .await;
        assert_eq!(status, StatusCode::OK, "{view}");
    }
    assert_eq!(
        admin.get_htmx("/tickets?view=all").await.status(),
        StatusCode::OK
    );
    // Search reads words of the subject and of the requester's name and
    // address, from their beginnings.
    let other = open_or_append(
        &mut c,
        app.db.dir(),
        &InboundMessage {
            from_name: Some("Ming Zhou".into()),
            ..inbound(
                "ming@shop.example",
                "Invoice missing",
                "Where is it?",
                "<q2@x.example>",
            )
        },
    )
    .expect("second");
    let subjects = |doc: &scraper::Html| -> Vec<String> {
        let sel = scraper::Selector::parse(".tickets-table tbody tr td a .trunc").expect("css");
        doc.select(&sel)
            .map(|a| a.text().collect::<String>().trim().to_string())
            .collect()
    };
    for (q, want) in [
        ("slow", vec!["Slow"]),
        ("invoi", vec!["Invoice missing"]),
        ("zhou", vec!["Invoice missing"]),
        ("cora", vec!["Slow"]),
        ("ming%40shop", vec!["Invoice missing"]),
        ("example", vec!["Slow", "Invoice missing"]),
        ("voice", vec![]),
        ("%25", vec![]),
    ] {
        let (status, doc) = admin.get_html(&format!("/tickets?view=all&q={q}")).await;
        assert_eq!(status, StatusCode::OK, "{q}");
        assert_eq!(subjects(&doc), want, "search {q}");
    }
    // Most urgent first: a ticket whose clock is paused sorts after every
    // running one, and Take next never hands it out.
    let res = admin
        .post(
            &format!("/tickets/{other}/status"),
            &[("status", "pending"), ("version", "1")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    type Rank = Option<chrono::NaiveDateTime>;
    let ranks: Vec<(TicketId, Rank, Rank)> = tickets::table
        .select((tickets::id, tickets::due_rank, tickets::take_rank))
        .order(tickets::id.asc())
        .load(&mut c)
        .expect("ranks");
    assert_eq!(ranks[0].0, id);
    assert!(ranks[0].1.is_some(), "a running clock has a rank");
    assert_eq!(
        ranks[0].1, ranks[0].2,
        "a new unassigned ticket is takeable"
    );
    assert!(ranks[1].2.is_none(), "pending is not takeable");
    assert!(ranks[1].1 > ranks[0].1, "paused sorts after running");
    let (_, doc) = admin.get_html("/tickets?view=all").await;
    assert_eq!(subjects(&doc), vec!["Slow", "Invoice missing"]);
    let due: Option<chrono::NaiveDateTime> = tickets::table
        .find(id)
        .select(tickets::sla_due)
        .first(&mut c)
        .expect("due");
    assert!(due.is_some(), "a new ticket's clock runs");
    // Pending pauses it: no due time; open again: due again.
    for (to, running) in [("pending", false), ("open", true)] {
        let v: i32 = tickets::table
            .find(id)
            .select(tickets::version)
            .first(&mut c)
            .expect("v");
        let res = admin
            .post(
                &format!("/tickets/{id}/status"),
                &[("status", to), ("version", &v.to_string())],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{to}");
        let due: Option<chrono::NaiveDateTime> = tickets::table
            .find(id)
            .select(tickets::sla_due)
            .first(&mut c)
            .expect("due");
        assert_eq!(due.is_some(), running, "{to}");
    }
    // A stale status change: 409.
    let res = admin
        .post(
            &format!("/tickets/{id}/status"),
            &[("status", "solved"), ("version", "1")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    // The ticket is on the requester's timeline.
    let contact: i64 = tickets::table
        .find(id)
        .select(tickets::requester_id)
        .first(&mut c)
        .expect("c");
    let (_, doc) = admin.get_html(&format!("/contacts/{contact}")).await;
    assert!(
        doc.html().contains("Slow"),
        "opened event on the contact's timeline"
    );
    // Bulk close.
    let res = admin
        .post(
            "/tickets/bulk",
            &[("id", &id.to_string()), ("action", "close")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let st: String = tickets::table
        .find(id)
        .select(tickets::status)
        .first(&mut c)
        .expect("s");
    assert_eq!(st, "closed");
}

#[tokio::test]
async fn seeded_tickets_fill_the_queue() {
    let app = spawn().await;
    let admin = app.setup_admin().await;
    rapport::seed::run(&test_config(&app.db), 40, Some(0), 0, PASSWORD).expect("seed contacts");
    let mut c = app.conn();
    let (made, messages) = rapport::tickets::seed::run(&mut c, 1_500).expect("seed tickets");
    assert_eq!(made, 1_500);
    assert!(messages >= 1_500, "{messages}");
    let count: i64 = tickets::table.count().get_result(&mut c).expect("count");
    assert_eq!(count, 1_500);
    for path in [
        "/tickets",
        "/tickets?view=breaching",
        "/tickets?view=all&sort=created&per_page=100",
    ] {
        let (status, doc) = admin.get_html(path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert!(
            doc.select(&scraper::Selector::parse(".tickets-table tbody tr").expect("css"))
                .count()
                > 0,
            "{path}"
        );
    }
    // The next page by keyset on the urgency order.
    let (_, doc) = admin.get_html("/tickets").await;
    let next = doc
        .select(&scraper::Selector::parse("a[rel=next]").expect("css"))
        .next()
        .and_then(|a| a.value().attr("href"))
        .map(str::to_string);
    if let Some(next) = next {
        assert_eq!(admin.get(&next).await.status(), StatusCode::OK);
    }
}

#[tokio::test]
async fn queues_are_kept_on_their_page_and_take_next_uses_membership() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let agent = app
        .create_user(&mut admin, "sam@test.example", "support", None)
        .await;
    let (status, _) = admin.get_html("/tickets/queues").await;
    assert_eq!(status, StatusCode::OK);
    // A second queue; the same name again is refused beside the field.
    let res = admin.post("/tickets/queues", &[("name", "Billing")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = admin.post("/tickets/queues", &[("name", "Billing")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let mut c = app.conn();
    use rapport::db::schema::{queue_members, ticket_queues};
    let billing: i64 = ticket_queues::table
        .filter(ticket_queues::name.eq("Billing"))
        .select(ticket_queues::id)
        .first(&mut c)
        .expect("queue");
    let support: i64 = ticket_queues::table
        .filter(ticket_queues::name.eq("Support"))
        .select(ticket_queues::id)
        .first(&mut c)
        .expect("queue");
    // Sam works Billing only, with round robin on.
    let res = admin
        .post(
            &format!("/tickets/queues/{billing}"),
            &[
                ("default_priority", "high"),
                ("sla_policy_id", ""),
                ("auto_assign", "1"),
                ("member", &agent.to_string()),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let members: Vec<i64> = queue_members::table
        .filter(queue_members::queue_id.eq(billing))
        .select(queue_members::user_id)
        .load(&mut c)
        .expect("members");
    assert_eq!(members, vec![agent]);
    // A ticket in Support: Sam's Take next finds nothing in his queue.
    open_or_append(
        &mut c,
        app.db.dir(),
        &inbound("f@test.example", "Hi", "x", "<mq1@x.example>"),
    )
    .expect("t");
    let mut sam = app.login("sam@test.example").await;
    let res = sam.post("/tickets/take", &[]).await;
    assert_eq!(res.headers()["location"], "/tickets?view=unassigned");
    // Moved to Billing, it is his.
    diesel::update(tickets::table)
        .set(tickets::queue_id.eq(billing))
        .execute(&mut c)
        .expect("move");
    let res = sam.post("/tickets/take", &[]).await;
    assert!(
        res.headers()["location"]
            .to_str()
            .expect("loc")
            .starts_with("/tickets/")
    );
    let _ = support;
    // Round robin: a new ticket opened in Billing goes to its member.
    let queue = rapport::tickets::repo::queue(&mut c, rapport::domain::ids::QueueId::new(billing))
        .expect("q")
        .expect("queue");
    let contact =
        rapport::tickets::write::find_or_create_contact(&mut c, "g@test.example", "G").expect("c");
    let (id, _) = rapport::db::write_tx(&mut c, |c| {
        write::open(
            c,
            &write::NewTicket {
                subject: "Round",
                requester: contact,
                queue: &queue,
                priority: None,
                body: "x",
                kind: rapport::tickets::domain::MessageKind::CustomerMessage,
                author: None,
                message_id: None,
                links: Default::default(),
            },
        )
    })
    .expect("open");
    let (assignee, priority): (Option<i64>, String) = tickets::table
        .find(id)
        .select((tickets::assignee_id, tickets::priority))
        .first(&mut c)
        .expect("t");
    assert_eq!(assignee, Some(agent));
    assert_eq!(priority, "high", "the queue's default priority");
    // Not for support agents.
    assert_eq!(
        sam.get("/tickets/queues").await.status(),
        StatusCode::FORBIDDEN
    );
}
