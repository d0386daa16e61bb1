//! The admin's mail page: without a mail server every message is an
//! `.eml` file, listed newest first and read back (headers, parts, the raw
//! file); names outside the folder's own are 404.

use std::time::Duration;

use rapport::jobs::Runner;
use reqwest::StatusCode;

use crate::helpers::*;
use crate::jobs::{job_env, queue_mail, spawn_without_workers};

#[tokio::test]
async fn the_mail_folder_lists_and_opens_what_the_file_transport_wrote() {
    let app = spawn_without_workers(None).await;
    let admin = app.setup_admin().await;
    let (status, doc) = admin.get_html("/admin/mail").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(texts(&doc, "#mail-files tbody tr").len(), 0);

    let mut c = app.conn();
    queue_mail(&mut c, 3);
    let runner = Runner::new(job_env(&app, None, Duration::from_secs(30)));
    while runner.run_once().expect("run") > 0 {}

    let (_, doc) = admin.get_html("/admin/mail").await;
    let subjects = texts(&doc, "#mail-files tbody td a");
    assert_eq!(subjects.len(), 3, "{subjects:?}");
    for i in 0..3 {
        assert!(subjects.contains(&format!("Message {i}")), "{subjects:?}");
    }
    let link = links(&doc, "#mail-files tbody td a")[0].clone();
    let (status, page) = admin.get_html(&link).await;
    assert_eq!(status, StatusCode::OK);
    let to = texts(&page, "#mail-to")[0].clone();
    assert!(
        to.starts_with("person") && to.ends_with("@test.example"),
        "{to}"
    );
    assert!(texts(&page, "#mail-text")[0].starts_with("Hello number"));
    assert!(!texts(&page, "#mail-headers th").is_empty());

    let raw = admin.get(&format!("{link}/raw")).await;
    assert_eq!(raw.status(), StatusCode::OK);
    assert_eq!(
        raw.headers().get("content-type").unwrap().to_str().unwrap(),
        "message/rfc822"
    );
    let body = raw.text().await.unwrap();
    assert!(body.contains("Subject: Message"), "{body}");

    for missing in [
        "/admin/mail/no-such-file",
        "/admin/mail/..%2F..%2Fetc%2Fpasswd",
        "/admin/mail/no-such-file/raw",
    ] {
        let status = admin.get(missing).await.status();
        assert_eq!(status, StatusCode::NOT_FOUND, "{missing}");
    }
}

#[tokio::test]
async fn with_a_mail_server_the_page_says_where_mail_goes() {
    let app = spawn_without_workers(Some("smtp://127.0.0.1:2525".into())).await;
    let admin = app.setup_admin().await;
    let (status, doc) = admin.get_html("/admin/mail").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(texts(&doc, "#mail-smtp").len(), 1);
    assert_eq!(
        admin.get("/admin/mail/anything").await.status(),
        StatusCode::NOT_FOUND
    );
}
