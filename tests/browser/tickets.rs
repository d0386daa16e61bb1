//! The support journey, JavaScript on and off: a customer writes through
//! the public contact form, an agent presses "Take next" and replies, the
//! customer answers on their ticket page (by its signed link), the agent
//! solves the ticket and the customer rates it from the mailed link.

use std::time::Duration;

use crate::harness::{App, Browser, browse, spawn_app};

/// The path of the first link in the mailed messages that starts `/{kind}/`.
async fn mailed_link(app: &App, kind: &str) -> String {
    let dir = app.db.dir.join("mail");
    for _ in 0..100 {
        if let Ok(entries) = std::fs::read_dir(&dir) {
            for e in entries.flatten() {
                let text = std::fs::read_to_string(e.path()).unwrap_or_default();
                let text = text.replace("=\r\n", "").replace("=\n", "");
                if let Some(at) = text.find(&format!("/{kind}/")) {
                    let token: String = text[at + kind.len() + 2..]
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                        .collect();
                    return format!("/{kind}/{token}");
                }
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("no mail with a /{kind}/ link in {}", dir.display());
}

async fn select(b: &Browser, css: &str, value: &str) {
    b.c.execute(
        &format!("document.querySelector('{css}').value = '{value}';"),
        vec![],
    )
    .await
    .expect("choose an option");
}

async fn support_journey(js: bool) {
    let app = spawn_app().await;
    let (_driver, b) = browse(&app, js).await;
    let tag = format!(
        "{}-{}",
        if js { "js-on" } else { "js-off" },
        app.db.backend()
    );
    b.first_run_setup().await;

    // The customer writes in through the public form.
    b.goto("/support").await;
    b.screenshots(&format!("tickets-support-form-{tag}")).await;
    b.fill("#name", "Cora Customer").await;
    b.fill("#email", "cora@test.example").await;
    b.fill("#subject", "The printer is on fire").await;
    b.fill("#body", "Smoke everywhere. Please help!").await;
    b.click_button_in("support-form", "Send").await;
    b.wait_texts(
        "#support-done",
        &["Thank you. We have emailed you a link to follow your request."],
    )
    .await;

    // A canned response with merge fields, kept on the setup page.
    b.goto("/tickets/canned").await;
    b.fill("#title", "On our way").await;
    b.fill("#body", "We are on our way, {{ requester.first_name }}.")
        .await;
    b.click_button_in("canned-form", "Create").await;
    b.wait_texts("#canned-list a", &["On our way"]).await;

    // The agent takes the next ticket and replies.
    b.goto("/tickets").await;
    b.screenshots(&format!("tickets-queue-{tag}")).await;
    b.click_button("Take next").await;
    let url = b
        .wait_path("of the taken ticket", |p| p.starts_with("/tickets/"))
        .await;
    let ticket = url.path().to_string();
    assert_eq!(b.text("#ticket-assignee").await, crate::harness::ADMIN_NAME);
    // Typed text, then the canned response inserted after it (htmx swaps
    // the reply form; without JS the page comes back with it).
    b.fill("#reply-body", "Unplug it and step away.").await;
    b.mark_page().await;
    select(&b, "#canned", "1").await;
    b.click_button_in("reply-form", "Insert").await;
    b.wait("the canned response in the reply box", async || {
        let v = b.value_now("#reply-body").await?;
        (v == "Unplug it and step away.\n\nWe are on our way, Cora.").then_some(())
    })
    .await;
    assert_eq!(
        b.page_is_marked().await,
        js,
        "htmx swapped the form in place"
    );
    b.click_button_in("reply-form", "Send").await;
    b.wait("the reply on the page", async || {
        let bodies = b.texts(".message .body").await;
        bodies
            .iter()
            .any(|t| t.contains("We are on our way"))
            .then_some(())
    })
    .await;
    b.screenshots(&format!("tickets-ticket-{tag}")).await;

    // The customer answers on their page, from the link in the confirmation.
    let link = mailed_link(&app, "t").await;
    b.goto(&link).await;
    b.fill("#body", "Unplugged. Thank you!").await;
    b.click_button_in("public-reply", "Send").await;
    b.wait_texts("#public-notice", &["Thank you, your answer was added."])
        .await;
    let bodies = b.texts(".message .body").await;
    assert!(bodies.iter().any(|t| t.contains("We are on our way")));
    b.screenshots(&format!("tickets-customer-page-{tag}")).await;

    // The agent sees the answer and solves the ticket.
    b.goto(&ticket).await;
    let bodies = b.texts(".message .body").await;
    assert!(bodies.iter().any(|t| t.contains("Unplugged")), "{bodies:?}");
    select(&b, "#status-to", "solved").await;
    b.click_button("Change status").await;
    b.wait_texts("#ticket-status", &["Solved"]).await;

    // The customer rates from the mailed link.
    let rate = mailed_link(&app, "csat").await;
    b.goto(&rate).await;
    b.screenshots(&format!("tickets-csat-{tag}")).await;
    b.fill("#comment", "Quick and calm.").await;
    b.click_button("Send rating").await;
    b.wait_texts("#csat-done", &["Thank you for your rating."])
        .await;
}

#[tokio::test]
async fn support_journey_with_js() {
    support_journey(true).await;
}

#[tokio::test]
async fn support_journey_without_js() {
    support_journey(false).await;
}
