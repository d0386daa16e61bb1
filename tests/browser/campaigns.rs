//! The campaign journey with JavaScript: build a segment (its count
//! follows the filter live), write a campaign with a merge field, preview
//! it, send it, watch the progress to the end, then open the received
//! email's unsubscribe link (the `.eml` file of the default transport) and
//! confirm.

use std::time::Duration;

use crate::harness::{App, Browser, browse, spawn_app};

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
    // The whole message in its layout, as its own page.
    let full = b
        .find("#preview-full")
        .await
        .attr("href")
        .await
        .expect("href")
        .expect("a link");
    b.goto(&full).await;
    b.wait("the whole message", async || {
        (!b.texts(".card strong").await.is_empty()).then_some(())
    })
    .await;
    b.screenshots(&format!("campaign-full-{tag}")).await;

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

    // The statistics count the unsubscribe; the admin reads the mail folder.
    b.goto(url.path()).await;
    b.click_link("Statistics").await;
    b.wait("the unsubscribe in the statistics", async || {
        b.text("#stat-unsubscribed dd")
            .await
            .starts_with('1')
            .then_some(())
    })
    .await;
    assert!(b.text("#stat-sent dd").await.starts_with('8'));
    b.screenshots(&format!("campaign-stats-{tag}")).await;
    b.goto("/admin/mail").await;
    b.wait("the mail folder", async || {
        (b.texts("#mail-files tbody tr").await.len() >= 8).then_some(())
    })
    .await;
    b.screenshots(&format!("mail-folder-{tag}")).await;
}

/// A single-part message's text: base64 (lettre's pick for text with
/// non-ASCII characters) or quoted-printable, undone.
fn mail_text(m: &str) -> String {
    use base64::Engine;
    let m = m.replace("\r\n", "\n");
    let (head, body) = m.split_once("\n\n").unwrap_or((&m, ""));
    if head.contains("Content-Transfer-Encoding: base64") {
        let raw: String = body.split_whitespace().collect();
        if let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(raw) {
            return String::from_utf8_lossy(&bytes).into_owned();
        }
    }
    body.replace("=\n", "").replace("=3D", "=")
}

/// The sign-up journey with JavaScript: a marketer makes a public sign-up
/// form; a visitor signs up (the consent box is required), gets the
/// confirmation mail (the `.eml` file of the default transport), opens its
/// link — which only asks — and confirms; the marketer sees the count.
#[tokio::test]
async fn make_a_sign_up_form_sign_up_and_confirm_from_the_mail() {
    let app = spawn_app().await;
    let (_driver, b) = browse(&app, true).await;
    let tag = app.db.backend();
    sign_up_and_confirm(&app, &b, tag, true).await;

    // A campaign to the list reaches Ada; its footer links her
    // preference page, where she unsubscribes and picks Chinese.
    b.goto("/campaigns/new").await;
    b.fill("#name", "First issue").await;
    b.c.execute(
        "document.querySelector('#segment_id').selectedIndex = 1; return null;",
        vec![],
    )
    .await
    .expect("pick the list");
    b.fill("#subject", "Rapport monthly, issue 1").await;
    b.fill("#body", "Hello {{ contact.first_name }}!").await;
    b.click_button("Save campaign").await;
    b.wait_path("to be the campaign's page", |p| {
        p.strip_prefix("/campaigns/")
            .is_some_and(|id| !id.is_empty() && id.bytes().all(|c| c.is_ascii_digit()))
    })
    .await;
    assert_eq!(b.text("#audience").await, "1", "the list holds Ada");
    b.find("#launch").await.click().await.expect("send");
    let prefs = b
        .wait_up_to(Duration::from_secs(60), "the campaign mail", async || {
            eml_files(&app.db.dir)
                .iter()
                .filter(|m| m.contains("Rapport monthly, issue 1"))
                .find_map(|m| {
                    let m = m.replace("=\r\n", "").replace("=\n", "");
                    let at = m.find("http://127.0.0.1/p/")?;
                    m.get(at..at + "http://127.0.0.1/p/".len() + 43)
                        .map(str::to_string)
                })
        })
        .await;
    b.goto(prefs.trim_start_matches("http://127.0.0.1")).await;
    b.wait_texts("#prefs-state", &["Subscribed"]).await;
    b.screenshots(&format!("preferences-{tag}")).await;
    let findings = crate::look::axe_findings(&b).await;
    assert!(
        findings.is_empty(),
        "axe-core on the preference page: {findings:?}"
    );
    b.find("#prefs-unsubscribe")
        .await
        .click()
        .await
        .expect("unsubscribe");
    b.wait_texts("#prefs-state", &["Unsubscribed"]).await;
    assert_eq!(b.texts("#prefs-saved").await.len(), 1);
    b.c.execute(
        "document.querySelector('#language').value = 'zh-CN'; return null;",
        vec![],
    )
    .await
    .expect("pick Chinese");
    b.find("#prefs-language-save")
        .await
        .click()
        .await
        .expect("save the language");
    b.wait_texts("h1", &["邮件偏好设置"]).await;
    b.wait_texts("#prefs-state", &["已退订"]).await;
    b.screenshots(&format!("preferences-zh-{tag}")).await;
}

/// The sign-up steps every journey shares (JS on or off): the marketer
/// makes a form on a static list and a tag; Ada signs up (the consent
/// error first), opens the mailed link, confirms; the list counts her.
async fn sign_up_and_confirm(app: &App, b: &Browser, tag: &str, js: bool) {
    b.first_run_setup().await;
    let now = rapport::db::now().format("%Y-%m-%d %H:%M:%S").to_string();
    app.sql(&format!(
        "INSERT INTO segments (name, filter, created_by, created_at, updated_at) \
         VALUES ('Newsletter readers', '{{\"contact_ids\":[]}}', 1, '{now}', '{now}');"
    ));

    // The marketer's side: Campaigns → Sign-up forms → New.
    b.click_link("Campaigns").await;
    b.wait_path("to be /campaigns", |p| p == "/campaigns").await;
    b.click_link("Sign-up forms").await;
    b.wait_path("to be /campaigns/signups", |p| p == "/campaigns/signups")
        .await;
    b.click_link("New sign-up form").await;
    b.wait_path("to be the new form", |p| p == "/campaigns/signups/new")
        .await;
    b.fill("#title", "Rapport monthly").await;
    b.fill(
        "#intro",
        "One email a month with what is new in Rapport.\n\nNo spam, ever.",
    )
    .await;
    b.fill("#slug", "Monthly News").await;
    b.c.execute(
        "document.querySelector('#segment_id').selectedIndex = 1; return null;",
        vec![],
    )
    .await
    .expect("pick the list");
    b.fill("#tag", "newsletter").await;
    b.click_button("Save sign-up form").await;
    // A slug with capitals and a space is refused beside its field.
    b.wait("the slug error", async || {
        (!b.texts("#slug-error").await.is_empty()).then_some(())
    })
    .await;
    b.screenshots(&format!("signup-editor-error-{tag}")).await;
    b.fill("#slug", "monthly").await;
    b.click_button("Save sign-up form").await;
    b.wait_path("to be the list", |p| p == "/campaigns/signups")
        .await;
    b.wait_texts(
        "#signup-forms a.public-link",
        &["http://127.0.0.1/s/monthly"],
    )
    .await;
    b.screenshots(&format!("signup-forms-{tag}")).await;
    if js {
        let findings = crate::look::axe_findings(b).await;
        assert!(
            findings.is_empty(),
            "axe-core on the forms list: {findings:?}"
        );
    }

    // The visitor's side.
    b.goto("/s/monthly").await;
    assert_eq!(b.heading().await, "Rapport monthly");
    assert_eq!(b.texts("p.intro").await.len(), 2, "two paragraphs");
    b.screenshots(&format!("signup-page-{tag}")).await;
    b.fill("#name", "Ada Lovelace").await;
    b.fill("#email", "ada@test.example").await;
    b.click_button("Subscribe").await;
    b.wait("the consent error", async || {
        (!b.texts("#consent-error").await.is_empty()).then_some(())
    })
    .await;
    assert_eq!(b.value("#email").await, "ada@test.example", "kept");
    b.screenshots(&format!("signup-page-error-{tag}")).await;
    if js {
        let findings = crate::look::axe_findings(b).await;
        assert!(
            findings.is_empty(),
            "axe-core on the sign-up page: {findings:?}"
        );
    }
    b.find("#consent")
        .await
        .click()
        .await
        .expect("tick consent");
    b.click_button("Subscribe").await;
    b.wait_texts("#signup-done h2", &["Check your inbox"]).await;
    b.screenshots(&format!("signup-thanks-{tag}")).await;

    // The mail (delivered by the app's job workers to the .eml folder).
    let link = b
        .wait_up_to(
            Duration::from_secs(30),
            "the confirmation mail",
            async || {
                eml_files(&app.db.dir)
                    .iter()
                    .filter(|m| m.contains("To: ada@test.example"))
                    .find_map(|m| {
                        let text = mail_text(m);
                        let at = text.find("http://127.0.0.1/s/confirm/")?;
                        text[at..].split_whitespace().next().map(str::to_string)
                    })
            },
        )
        .await;
    let path = link.trim_start_matches("http://127.0.0.1").to_string();
    b.goto(&path).await;
    b.wait_texts("#signup-confirm", &["Confirm my subscription"])
        .await;
    b.screenshots(&format!("signup-confirm-{tag}")).await;
    if js {
        let findings = crate::look::axe_findings(b).await;
        assert!(
            findings.is_empty(),
            "axe-core on the confirm page: {findings:?}"
        );
    }
    b.find("#signup-confirm")
        .await
        .click()
        .await
        .expect("confirm");
    b.wait_texts("#signup-confirmed h2", &["You are subscribed"])
        .await;
    b.screenshots(&format!("signup-confirmed-{tag}")).await;

    // The marketer sees one confirmed sign-up.
    b.goto("/campaigns/signups").await;
    b.wait_texts("#signup-forms td.num", &["0", "1"]).await;
}

/// The same without JavaScript: plain forms and redirects.
#[tokio::test]
async fn sign_up_and_confirm_without_javascript() {
    let app = spawn_app().await;
    let (_driver, b) = browse(&app, false).await;
    let tag = format!("nojs-{}", app.db.backend());
    sign_up_and_confirm(&app, &b, &tag, false).await;
}
