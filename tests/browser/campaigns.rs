//! The campaign journey with JavaScript: build a segment (its count
//! follows the filter live), write a campaign with a merge field, preview
//! it, send it, watch the progress to the end, then open the received
//! email's unsubscribe link (the `.eml` file of the default transport) and
//! confirm.

use std::time::Duration;

use crate::harness::{browse, spawn_app};

fn eml_files(dir: &std::path::Path) -> Vec<String> {
    std::fs::read_dir(dir.join("mail"))
        .map(|d| {
            d.filter_map(|e| e.ok())
                .filter(|e| e.path().extension().is_some_and(|x| x == "eml"))
                .filter_map(|e| std::fs::read_to_string(e.path()).ok())
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn build_a_segment_write_preview_send_watch_and_unsubscribe() {
    let app = spawn_app().await;
    let (_driver, b) = browse(&app, true).await;
    let tag = app.db.backend();
    b.first_run_setup().await;
    let now = rapport::db::now().format("%Y-%m-%d %H:%M:%S").to_string();
    let mut rows = Vec::new();
    for i in 0..12 {
        let city = if i < 8 { "Shanghai" } else { "Beijing" };
        rows.push(format!(
            "('Mei{i}', 'Chen', 'mei{i}@test.example', 1, '{now}', '{now}', '{city}', 'subscribed')"
        ));
    }
    app.sql(&format!(
        "INSERT INTO contacts (first_name, last_name, email, owner_id, created_at, updated_at, city, consent) VALUES {};",
        rows.join(", ")
    ));

    // The segment: the count follows the city as it is typed.
    b.click_link("Campaigns").await;
    b.wait_path("to be /campaigns", |p| p == "/campaigns").await;
    b.click_link("Segments").await;
    b.click_link("New segment").await;
    b.wait_path("to be /segments/new", |p| p == "/segments/new")
        .await;
    b.wait_texts("#segment-preview h2", &["12 contacts match"])
        .await;
    b.fill("#name", "Shanghai subscribers").await;
    b.fill("#city", "Shanghai").await;
    b.wait_texts("#segment-preview h2", &["8 contacts match"])
        .await;
    b.screenshots(&format!("segment-form-{tag}")).await;
    b.click_button("Save segment").await;
    b.wait_path("to be the segment's page", |p| {
        p.starts_with("/segments/") && p != "/segments/new"
    })
    .await;

    // The campaign with a merge field.
    b.goto("/campaigns/new").await;
    b.fill("#name", "Autumn news").await;
    b.c.execute(
        "document.querySelector('#segment_id').selectedIndex = 1; return null;",
        vec![],
    )
    .await
    .expect("pick the segment");
    b.fill("#subject", "News for {{ contact.first_name }}")
        .await;
    b.fill(
        "#body",
        "Dear **{{ contact.first_name }}**,\n\nOur autumn news.",
    )
    .await;
    b.screenshots(&format!("campaign-form-{tag}")).await;
    b.click_button("Save campaign").await;
    let url = b
        .wait_path("to be the campaign's page", |p| {
            p.strip_prefix("/campaigns/")
                .is_some_and(|id| !id.is_empty() && id.bytes().all(|c| c.is_ascii_digit()))
        })
        .await;
    assert_eq!(b.text("#audience").await, "8");

    b.click_link("Preview").await;
    b.wait_texts("#preview-subject", &["News for Mei0"]).await;
    assert_eq!(b.text("#preview-html strong").await, "Mei0");
    b.screenshots(&format!("campaign-preview-{tag}")).await;

    b.goto(url.path()).await;
    b.find("#launch").await.click().await.expect("send");
    b.wait_up_to(
        Duration::from_secs(60),
        "the campaign to be sent",
        async || {
            let s =
                b.c.find(fantoccini::Locator::Css("#campaign-status"))
                    .await
                    .ok()?;
            let status = s.attr("data-status").await.ok()??;
            (status == "sent").then_some(())
        },
    )
    .await;
    b.wait_texts("#count-sent", &["8"]).await;
    b.screenshots(&format!("campaign-sent-{tag}")).await;

    // The received email's unsubscribe link, from the .eml file.
    let mails = eml_files(&app.db.dir);
    let to_mei0: Vec<&String> = mails
        .iter()
        .filter(|m| m.contains("To: mei0@test.example"))
        .collect();
    assert_eq!(to_mei0.len(), 1, "one message to mei0");
    let link = to_mei0[0]
        .lines()
        .find_map(|l| l.strip_prefix("List-Unsubscribe: <"))
        .and_then(|l| l.strip_suffix('>'))
        .expect("List-Unsubscribe")
        .to_string();
    let path = link.trim_start_matches("http://127.0.0.1");
    b.goto(path).await;
    b.screenshots(&format!("unsubscribe-{tag}")).await;
    b.find("#unsubscribe-confirm")
        .await
        .click()
        .await
        .expect("confirm");
    b.wait("the unsubscribe to be confirmed", async || {
        (!b.texts("#unsubscribe-done").await.is_empty()).then_some(())
    })
    .await;
    assert!(
        b.text("#unsubscribe-done")
            .await
            .contains("mei0@test.example")
    );
    b.screenshots(&format!("unsubscribed-{tag}")).await;
}
