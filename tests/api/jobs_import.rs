//! Imports run as jobs: the real `rapport` process is killed in the middle
//! of an import, and the next start takes the job over once its lease has
//! run out and finishes it from the rows already committed, without a
//! duplicate contact.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use diesel::dsl::{count, count_star};
use diesel::prelude::*;
use rapport::db::schema::{contacts, imports, jobs};
use rapport::db::{DbConn, DbUrl};
use reqwest::StatusCode;

use crate::helpers::*;
use crate::import_export::uploaded;
use crate::jobs::spawn_without_workers;

fn serve(db: &TestDb) -> Child {
    let url = match &db.url {
        DbUrl::Sqlite(p) => format!("sqlite://{p}"),
        DbUrl::Mysql(u) => u.clone(),
    };
    Command::new(env!("CARGO_BIN_EXE_rapport"))
        .arg("serve")
        .env("RAPPORT_DATABASE_URL", url)
        .env("RAPPORT_DATA_DIR", db.dir())
        .env("RAPPORT_BIND", "127.0.0.1:0")
        .env("RAPPORT_JOB_WORKERS", "1")
        .env("RAPPORT_JOB_LEASE_SECS", "2")
        .env("RAPPORT_LOG", "warn")
        .stdout(Stdio::null())
        .spawn()
        .expect("run rapport serve")
}

fn progress(c: &mut DbConn, id: i64) -> (String, i64, i64) {
    imports::table
        .find(id)
        .select((
            imports::status,
            imports::processed_rows,
            imports::created_count,
        ))
        .first(c)
        .expect("import")
}

fn contacts_and_distinct_emails(c: &mut DbConn) -> (i64, i64) {
    contacts::table
        .select((count_star(), count(contacts::email).aggregate_distinct()))
        .first(c)
        .expect("counts")
}

#[tokio::test]
async fn a_killed_import_resumes_on_the_next_start_without_duplicates() {
    let app = spawn_without_workers(None).await;
    let mut admin = app.setup_admin().await;
    let rows: i64 = 20_000;
    let mut csv = String::from("First name,Last name,Email,Company,Tags\n");
    for i in 0..rows {
        csv.push_str(&format!(
            "First{i},Last{i},resume{i}@example.com,Company {},tag{}\n",
            i % 300,
            i % 7
        ));
    }
    let id = uploaded(&admin, "big.csv", csv.as_bytes(), "update").await;
    let res = admin
        .post(
            &format!("/contacts/import/{id}/mapping"),
            &[
                ("col_0", "first_name"),
                ("col_1", "last_name"),
                ("col_2", "email"),
                ("col_3", "company"),
                ("col_4", "tags"),
                ("on_match", "update"),
                ("start", "1"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let mut conn = app.conn();
    let job_status = |c: &mut DbConn| -> (String, i32) {
        jobs::table
            .filter(jobs::dedupe_key.eq(format!("import:{id}")))
            .select((jobs::status, jobs::attempts))
            .first(c)
            .expect("the import's job")
    };
    assert_eq!(
        job_status(&mut conn),
        ("queued".into(), 0),
        "queued with the start"
    );

    // A real server process takes the job; it is killed after a batch or two.
    let mut first = serve(&app.db);
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let (_, processed, _) = progress(&mut conn, id);
        if processed >= rapport::imports::BATCH as i64 {
            break;
        }
        assert!(Instant::now() < deadline, "the import did not start");
        std::thread::sleep(Duration::from_millis(5));
    }
    first.kill().expect("kill -9");
    first.wait().expect("reaped");
    let (status, processed, created) = progress(&mut conn, id);
    assert_eq!(status, "running");
    assert!(
        processed < rows,
        "killed in the middle ({processed} of {rows})"
    );
    assert_eq!(created, processed, "every committed row is counted");
    assert_eq!(
        contacts_and_distinct_emails(&mut conn),
        (processed, processed),
        "exactly the committed batches are there"
    );
    assert_eq!(
        job_status(&mut conn),
        ("running".into(), 1),
        "its lease still runs"
    );

    // The next start takes the job over after the lease and finishes it.
    let mut second = serve(&app.db);
    let deadline = Instant::now() + Duration::from_secs(300);
    // The import is finished by the job, which is marked done right after.
    while progress(&mut conn, id).0 == "running" || job_status(&mut conn).0 != "done" {
        assert!(Instant::now() < deadline, "the import did not resume");
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = second.kill();
    let _ = second.wait();
    assert_eq!(progress(&mut conn, id), ("finished".into(), rows, rows));
    assert_eq!(
        contacts_and_distinct_emails(&mut conn),
        (rows, rows),
        "no duplicates"
    );
    assert_eq!(job_status(&mut conn), ("done".into(), 2));
}
