//! The `rapport` binary as an operator uses it, and mail through a real SMTP
//! server (Python's aiosmtpd) and the file transport.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use crate::helpers::*;
use crate::outbox_smtp::SmtpServer;

pub fn rapport(db: &TestDb, args: &[&str], stdin: Option<&str>, env: &[(&str, &str)]) -> Output {
    let url = match &db.url {
        rapport::db::DbUrl::Sqlite(p) => format!("sqlite://{p}"),
        rapport::db::DbUrl::Mysql(u) => u.clone(),
    };
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_rapport"));
    cmd.args(args)
        .env("RAPPORT_DATABASE_URL", url)
        .env("RAPPORT_DATA_DIR", db.dir())
        .env("RAPPORT_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("run rapport");
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(input.as_bytes())
            .expect("write stdin");
    }
    child.wait_with_output().expect("wait")
}

pub fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[tokio::test]
async fn migrate_and_create_admin_from_the_command_line() {
    let db = TestDb::new();
    let out = rapport(&db, &["--help"], None, &[]);
    assert!(out.status.success());
    for command in [
        "serve",
        "migrate",
        "create-admin",
        "seed-demo",
        "send-test-email",
        "worker",
        "bench-outbox",
    ] {
        assert!(text(&out).contains(command), "--help lists {command}");
    }
    let out = rapport(&db, &["migrate"], None, &[]);
    assert!(out.status.success(), "{}", text(&out));

    let out = rapport(
        &db,
        &["create-admin", "--email", "ops@test.example"],
        Some("short\n"),
        &[],
    );
    assert!(!out.status.success());
    assert!(text(&out).contains("at least 8"), "{}", text(&out));
    let out = rapport(
        &db,
        &[
            "create-admin",
            "--email",
            "ops@test.example",
            "--name",
            "Ops",
        ],
        Some(&format!("{PASSWORD}\n")),
        &[],
    );
    assert!(out.status.success(), "{}", text(&out));
    let out = rapport(
        &db,
        &[
            "create-admin",
            "--email",
            "OPS@test.example",
            "--password",
            PASSWORD,
        ],
        None,
        &[],
    );
    assert!(
        !out.status.success() && text(&out).contains("already exists"),
        "{}",
        text(&out)
    );

    // The account works in the app.
    let app = spawn_on(db, |_| {}).await;
    let mut c = app.client();
    let res = c
        .post(
            "/login",
            &[("email", "ops@test.example"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(res.status(), reqwest::StatusCode::SEE_OTHER);
    assert_eq!(
        app.client().get("/setup").await.status(),
        reqwest::StatusCode::NOT_FOUND
    );
}

#[test]
fn bad_configuration_is_refused_with_a_clear_message() {
    let db = TestDb::new();
    let out = rapport(
        &db,
        &["migrate"],
        None,
        &[("RAPPORT_SECRET_KEY", "too-short")],
    );
    assert!(!out.status.success());
    assert!(
        text(&out).contains("RAPPORT_SECRET_KEY is too short"),
        "{}",
        text(&out)
    );
    let out = rapport(
        &db,
        &["migrate"],
        None,
        &[("RAPPORT_DATABASE_URL", "postgres://x/y")],
    );
    assert!(!out.status.success());
    assert!(
        text(&out).contains("unsupported database URL"),
        "{}",
        text(&out)
    );
    let out = rapport(
        &db,
        &["send-test-email", "--to", "a@b.example"],
        None,
        &[("RAPPORT_SMTP_URL", "ftp://nope")],
    );
    assert!(!out.status.success());
    assert!(text(&out).contains("RAPPORT_SMTP_URL"), "{}", text(&out));
}

#[test]
fn a_secret_key_is_generated_once_with_owner_only_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let db = TestDb::new();
    assert!(rapport(&db, &["migrate"], None, &[]).status.success());
    let path = db.dir().join("secret.key");
    let first = std::fs::read_to_string(&path).expect("key written");
    assert!(first.len() >= 64);
    assert_eq!(
        std::fs::metadata(&path).expect("meta").permissions().mode() & 0o777,
        0o600
    );
    assert!(rapport(&db, &["migrate"], None, &[]).status.success());
    assert_eq!(
        std::fs::read_to_string(&path).expect("key"),
        first,
        "kept across starts"
    );
}

#[test]
fn test_email_goes_through_a_real_smtp_server_and_the_file_transport() {
    let db = TestDb::new();
    // File transport: the zero-setup default.
    let out = rapport(
        &db,
        &["send-test-email", "--to", "owner@test.example"],
        None,
        &[],
    );
    assert!(out.status.success(), "{}", text(&out));
    let files: Vec<_> = std::fs::read_dir(db.dir().join("mail"))
        .expect("mail dir")
        .collect();
    assert_eq!(files.len(), 1);

    // SMTP: aiosmtpd writes what it receives into a Maildir.
    let mut server = SmtpServer::start(db.dir());
    let out = rapport(
        &db,
        &["send-test-email", "--to", "Ops Team <ops@test.example>"],
        None,
        &[
            ("RAPPORT_SMTP_URL", &server.url()),
            ("RAPPORT_MAIL_FROM", "CRM <crm@test.example>"),
        ],
    );
    let mails = server.messages();
    server.stop();
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(mails.len(), 1);
    assert!(mails[0].contains("Subject: Rapport test email"));
    assert!(mails[0].contains("From: CRM <crm@test.example>"));
    assert!(
        mails[0].contains("To: \"Ops Team\" <ops@test.example>")
            || mails[0].contains("To: Ops Team <ops@test.example>"),
        "{}",
        mails[0]
    );
}

#[test]
fn seed_demo_fills_a_realistic_data_set() {
    use diesel::dsl::count_star;
    use diesel::prelude::*;
    use rapport::db::schema::{accounts, activities, contacts, tasks, teams, users};
    let db = TestDb::new();
    let out = rapport(&db, &["seed-demo", "--contacts", "2500"], None, &[]);
    assert!(out.status.success(), "{}", text(&out));
    let mut c = rapport::db::connect(&db.url).expect("connect");
    let count = |r: QueryResult<i64>| r.expect("count");
    assert_eq!(
        count(contacts::table.select(count_star()).first(&mut c)),
        2500
    );
    assert_eq!(
        count(accounts::table.select(count_star()).first(&mut c)),
        500,
        "one account per five contacts"
    );
    assert_eq!(
        count(activities::table.select(count_star()).first(&mut c)),
        5 * 2500,
        "five timeline entries each"
    );
    assert_eq!(
        count(users::table.select(count_star()).first(&mut c)),
        12,
        "admin, manager, support, marketing, 8 reps"
    );
    assert_eq!(count(teams::table.select(count_star()).first(&mut c)), 2);
    assert!(count(tasks::table.select(count_star()).first(&mut c)) > 0);
    // Ids of multi-row inserts are derived per backend: every timeline entry
    // must sit on a contact of the same account.
    let mismatched: i64 = activities::table
        .inner_join(contacts::table)
        .filter(activities::account_id.ne(contacts::account_id))
        .select(count_star())
        .first(&mut c)
        .expect("join");
    assert_eq!(mismatched, 0);
    // One deal per account across the default pipeline, each with its
    // first stage change on the same stage, owned as its account is.
    {
        use rapport::db::schema::{deal_stage_changes, deals};
        assert_eq!(count(deals::table.select(count_star()).first(&mut c)), 500);
        let stages: Vec<String> = deals::table
            .select(deals::status)
            .distinct()
            .order(deals::status.asc())
            .load(&mut c)
            .expect("statuses");
        assert_eq!(stages, ["lost", "open", "won"]);
        let odd: i64 = deals::table
            .inner_join(deal_stage_changes::table)
            .inner_join(accounts::table)
            .filter(
                deal_stage_changes::to_stage_id
                    .ne(deals::stage_id)
                    .or(accounts::owner_id.ne(deals::owner_id)),
            )
            .select(count_star())
            .first(&mut c)
            .expect("join");
        assert_eq!(odd, 0);
    }
    let out = rapport(&db, &["seed-demo", "--contacts", "10"], None, &[]);
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(
        count(users::table.select(count_star()).first(&mut c)),
        12,
        "no duplicate users on a second run"
    );
    assert_eq!(
        count(contacts::table.select(count_star()).first(&mut c)),
        2510
    );
}
