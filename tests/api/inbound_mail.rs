//! Incoming mail (src/mail/inbound) against a real IMAP server (Dovecot):
//! what is taken, ignored, flagged and never taken twice.

use std::time::Duration;

use diesel::prelude::*;
use rapport::db::schema::inbound_mail;
use rapport::db::{DbConn, build_pool};
use rapport::error::AppError;
use rapport::mail::inbound::imap::{Mailbox, Polled, poll_once};
use rapport::mail::inbound::{InboundMessage, Limits, Sink};

use rapport::db::schema::{ticket_attachments, ticket_messages, tickets};

use crate::cli::{rapport, text};
use crate::helpers::{TestDb, spawn, spawn_with};
use crate::imap_server::ImapServer;

fn mail(from: &str, id: &str, extra: &str, body: &str) -> Vec<u8> {
    format!(
        "From: {from}\r\nTo: support@shop.test\r\nSubject: Help\r\nMessage-ID: <{id}>\r\n{extra}\
         Content-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n"
    )
    .into_bytes()
}

/// Machine mail and unreadable mail must never get as far as the tickets.
fn no_tickets_here() -> Sink {
    std::sync::Arc::new(
        |_: &mut DbConn, m: &InboundMessage| -> Result<i64, AppError> {
            panic!("machine mail reached the tickets: {m:?}")
        },
    )
}

fn outcomes(conn: &mut DbConn) -> Vec<(String, String)> {
    let mut rows: Vec<(String, String)> = inbound_mail::table
        .select((inbound_mail::message_id, inbound_mail::outcome))
        .load(conn)
        .expect("inbound_mail");
    rows.sort();
    rows
}

#[tokio::test]
async fn machine_mail_is_marked_read_and_unreadable_mail_is_flagged() {
    let app = spawn().await;
    let imap = ImapServer::start();
    imap.deliver(&mail(
        "Out of office <ooo@example.cn>",
        "ooo@example.cn",
        "Auto-Submitted: auto-replied\r\n",
        "I am away",
    ));
    imap.deliver(&mail(
        "MAILER-DAEMON@mx.example.cn",
        "bounce@mx.example.cn",
        "",
        "Delivery failed",
    ));
    imap.deliver(&mail(
        "News <news@example.cn>",
        "news@example.cn",
        "Precedence: bulk\r\n",
        "Our offers",
    ));
    imap.deliver(b"this is not a message at all");
    let mailbox = Mailbox::parse(&imap.url()).expect("url");
    let pool = build_pool(&app.db.url, 2, Duration::from_secs(5));
    let limits = Limits::default();

    let first = tokio::task::spawn_blocking({
        let (mailbox, pool) = (mailbox.clone(), pool.clone());
        move || poll_once(&mailbox, &pool, &limits, &no_tickets_here())
    })
    .await
    .expect("join")
    .expect("poll");
    assert_eq!(
        first,
        Polled {
            received: 3,
            unreadable: 1,
            deferred: 0
        }
    );
    let flags = imap.flags();
    assert_eq!(flags.len(), 4);
    for f in &flags[..3] {
        assert!(f.contains("Seen") && !f.contains("Flagged"), "{flags:?}");
    }
    assert!(
        flags[3].contains("Seen") && flags[3].contains("Flagged"),
        "{flags:?}"
    );
    assert_eq!(
        outcomes(&mut app.conn()),
        vec![
            ("<bounce@mx.example.cn>".to_string(), "bounce".to_string()),
            ("<news@example.cn>".to_string(), "auto-reply".to_string()),
            ("<ooo@example.cn>".to_string(), "auto-submitted".to_string()),
        ]
    );

    // Everything is read: the next poll takes nothing. The same message
    // delivered again (an MTA retry) is recognised by its id.
    imap.deliver(&mail(
        "Out of office <ooo@example.cn>",
        "ooo@example.cn",
        "Auto-Submitted: auto-replied\r\n",
        "I am away",
    ));
    let second = tokio::task::spawn_blocking(move || {
        poll_once(&mailbox, &pool, &limits, &no_tickets_here())
    })
    .await
    .expect("join")
    .expect("poll");
    assert_eq!(
        second,
        Polled {
            received: 1,
            unreadable: 0,
            deferred: 0
        }
    );
    assert_eq!(
        outcomes(&mut app.conn()).len(),
        3,
        "the repeat is not recorded twice"
    );
}

#[tokio::test]
async fn a_wrong_password_is_an_error_and_takes_nothing() {
    let imap = ImapServer::start();
    imap.deliver(&mail("a@b.test", "x@b.test", "", "hello"));
    let app = spawn().await;
    let url = imap.url().replace(crate::imap_server::PASSWORD, "wrong");
    let mailbox = Mailbox::parse(&url).expect("url");
    let pool = build_pool(&app.db.url, 2, Duration::from_secs(5));
    let result = tokio::task::spawn_blocking(move || {
        poll_once(&mailbox, &pool, &Limits::default(), &no_tickets_here())
    })
    .await
    .expect("join");
    assert!(result.is_err());
    assert!(!imap.flags()[0].contains("Seen"));
}

#[test]
fn mailbox_urls_are_checked() {
    assert!(Mailbox::parse("imaps://u:p@mail.example.com/Support").is_ok());
    assert!(Mailbox::parse("imap://u:p@127.0.0.1:1143").is_ok());
    // Clear text to another machine would show the password to the network.
    assert!(Mailbox::parse("imap://u:p@mail.example.com").is_err());
    assert!(Mailbox::parse("pop3://u:p@mail.example.com").is_err());
    assert!(Mailbox::parse("imaps://mail.example.com").is_err());
    let shown = format!(
        "{:?}",
        Mailbox::parse("imaps://u:s3cret@mail.example.com").expect("url")
    );
    assert!(!shown.contains("s3cret"), "{shown}");
}

fn ticket_counts(conn: &mut DbConn) -> (i64, i64) {
    let t: i64 = tickets::table.count().get_result(conn).expect("tickets");
    let m: i64 = ticket_messages::table
        .count()
        .get_result(conn)
        .expect("messages");
    (t, m)
}

const PHOTO: &str = "--b\r\nContent-Type: text/plain\r\n\r\nPhoto attached.\r\n\
--b\r\nContent-Type: image/jpeg; name=\"photo.jpg\"\r\nContent-Disposition: attachment; filename=\"photo.jpg\"\r\n\
Content-Transfer-Encoding: base64\r\n\r\n/9j/4AAQ\r\n--b--\r\n";

/// The app polls the mailbox on its own: a customer's mail opens a ticket,
/// their follow-up (In-Reply-To) threads into it with its attachment, an
/// out-of-office answer opens nothing, and every message ends up read.
#[tokio::test]
async fn the_app_polls_the_mailbox_into_tickets() {
    let imap = ImapServer::start();
    let url = imap.url();
    let app = spawn_with(|c| {
        c.imap = Some(Mailbox::parse(&url).expect("url"));
        c.imap_poll = Duration::from_millis(300);
    })
    .await;
    let _admin = app.setup_admin().await;
    imap.deliver(&mail(
        "Cora <cora@cust.example>",
        "c1@cust.example",
        "",
        "The printer smokes.",
    ));
    let opened = wait_for(|| ticket_counts(&mut app.conn()) == (1, 1)).await;
    assert!(
        opened,
        "the first mail opened a ticket: {:?}",
        ticket_counts(&mut app.conn())
    );

    let follow_up = format!(
        "From: Cora <cora@cust.example>\r\nTo: support@shop.test\r\nSubject: Re: Help\r\n\
         Message-ID: <c2@cust.example>\r\nIn-Reply-To: <c1@cust.example>\r\n\
         References: <c1@cust.example>\r\nMIME-Version: 1.0\r\n\
         Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n{PHOTO}"
    );
    imap.deliver(follow_up.as_bytes());
    imap.deliver(&mail(
        "Cora <cora@cust.example>",
        "ooo2@cust.example",
        "Auto-Submitted: auto-replied\r\n",
        "Away",
    ));
    let threaded = wait_for(|| ticket_counts(&mut app.conn()) == (1, 2)).await;
    assert!(
        threaded,
        "the follow-up joined the ticket: {:?}",
        ticket_counts(&mut app.conn())
    );
    let read = wait_for(|| imap.flags().iter().all(|f| f.contains("Seen"))).await;
    assert!(read, "{:?}", imap.flags());
    let mut c = app.conn();
    let files: Vec<String> = ticket_attachments::table
        .select(ticket_attachments::filename)
        .load(&mut c)
        .expect("attachments");
    assert_eq!(files, ["photo.jpg"]);
    assert_eq!(
        ticket_counts(&mut c),
        (1, 2),
        "the auto-reply opened nothing"
    );
    assert!(outcomes(&mut c).contains(&("<ooo2@cust.example>".into(), "auto-submitted".into())));
}

async fn wait_for(mut done: impl FnMut() -> bool) -> bool {
    for _ in 0..100 {
        if done() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    done()
}

/// `rapport receive-mail` as an MTA runs it: the exit status says what to do.
#[tokio::test]
async fn receive_mail_files_piped_mail_once_and_answers_in_sysexits() {
    let app = spawn().await;
    let _admin = app.setup_admin().await;
    let raw = String::from_utf8(mail(
        "Dan <dan@cust.example>",
        "d1@cust.example",
        "",
        "Where is my order?",
    ))
    .expect("utf-8");
    let out = rapport(&app.db, &["receive-mail"], Some(&raw), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(ticket_counts(&mut app.conn()), (1, 1));
    // An MTA that did not see the answer tries again: still one message.
    let out = rapport(&app.db, &["receive-mail"], Some(&raw), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(ticket_counts(&mut app.conn()), (1, 1));
    // Unreadable: 65, the MTA bounces it.
    let out = rapport(&app.db, &["receive-mail"], Some("no headers here"), &[]);
    assert_eq!(out.status.code(), Some(65), "{}", text(&out));
    // The database away: 75, the MTA keeps it and retries.
    let gone = TestDb::new();
    let out = rapport(
        &gone,
        &["receive-mail"],
        Some(&raw),
        &[("RAPPORT_DATABASE_URL", "mysql://nobody:x@127.0.0.1:1/none")],
    );
    assert_eq!(out.status.code(), Some(75), "{}", text(&out));
    assert_eq!(ticket_counts(&mut app.conn()), (1, 1));
}
