//! Texts Rapport stores for later — system timeline entries, audit
//! summaries, import problems — are kept as message keys and worded for
//! whoever reads them: the same rows in Chinese for a zh-CN reader and in
//! English for an English one. Rows stored as English text before stay as
//! they were.

use diesel::prelude::*;
use reqwest::StatusCode;

use crate::helpers::*;
use crate::i18n::user_with;
use crate::import_export::import;
use rapport::db::schema::activities;

fn contact_id(res: &reqwest::Response) -> i64 {
    location(res)
        .trim_start_matches("/contacts/")
        .parse()
        .expect("contact id")
}

async fn new_contact(c: &mut Client, email: &str) -> i64 {
    let res = c
        .post(
            "/contacts",
            &[
                ("first_name", "Ada"),
                ("last_name", "Lovelace"),
                ("email", email),
                ("consent", "never_asked"),
                ("allow_duplicate", "1"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "contact {email}");
    contact_id(&res)
}

#[tokio::test]
async fn stored_texts_are_worded_for_each_reader() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    for email in ["li@test.example", "max@test.example"] {
        app.create_user(&mut admin, email, "admin", None).await;
    }
    let mut li = user_with(&app, "li@test.example", "zh-CN", "Asia/Shanghai").await;
    let max = user_with(&app, "max@test.example", "en", "Europe/London").await;

    // A consent change and a merge, done by the English-speaking admin.
    let a = new_contact(&mut admin, "ada@example.com").await;
    let res = admin
        .post(
            &format!("/contacts/{a}"),
            &[
                ("first_name", "Ada"),
                ("last_name", "Lovelace"),
                ("email", "ada@example.com"),
                ("consent", "subscribed"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "consent changed");
    let b = new_contact(&mut admin, "ada.l@example.com").await;
    let res = admin
        .post(
            &format!("/contacts/{a}/merge/{b}"),
            &[("pick_first_name", "a"), ("pick_email", "a")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "merged");
    // An entry stored as English text by an earlier version.
    diesel::insert_into(activities::table)
        .values((
            activities::contact_id.eq(Some(a)),
            activities::kind.eq("consent"),
            activities::subject.eq(Some("Legacy consent text")),
            activities::body.eq(""),
            activities::created_at.eq(rapport::db::now()),
            activities::occurred_at.eq(rapport::db::now()),
        ))
        .execute(&mut app.conn())
        .expect("old entry");

    let page = format!("/contacts/{a}");
    let (_, doc) = li.get_html(&page).await;
    let consent = texts(&doc, "#timeline li.kind-consent .subject");
    assert!(
        consent.contains(&"营销许可：从未询问 → 已订阅".to_string()),
        "{consent:?}"
    );
    assert!(
        consent.contains(&"Legacy consent text".to_string()),
        "an old English entry is shown as stored: {consent:?}"
    );
    let facts = texts(&doc, "dl.facts").join(" ");
    assert!(
        facts.contains("在联系人表单中设置") && !facts.contains("Set by"),
        "where consent came from, in Chinese: {facts}"
    );
    let merge = texts(&doc, "#timeline li.kind-merge .subject");
    assert_eq!(
        merge,
        vec![format!(
            "已与 Ada Lovelace（#{b}）合并；其时间线、任务和标签已移到这里。"
        )]
    );
    assert!(texts(&doc, "#timeline li.kind-merge .body").is_empty());

    let (_, doc) = max.get_html(&page).await;
    let facts = texts(&doc, "dl.facts").join(" ");
    assert!(facts.contains("on the contact form"), "{facts}");
    let consent = texts(&doc, "#timeline li.kind-consent .subject");
    assert!(
        consent.contains(&"Marketing consent: Never asked → Subscribed".to_string()),
        "{consent:?}"
    );
    assert_eq!(
        texts(&doc, "#timeline li.kind-merge .subject"),
        vec![format!(
            "Merged with Ada Lovelace (#{b}); its timeline, tasks and tags moved here."
        )]
    );

    // An import with a bad row, by the Chinese-speaking admin.
    let csv =
        "First name,Last name,Email\nGrace,Hopper,not-an-email\nAlan,Turing,alan@example.com\n";
    let (id, counts) = import(&mut li, "people.csv", csv.as_bytes(), "update").await;
    assert_eq!((counts.created, counts.errors), (1, 1), "one row refused");
    let import_page = format!("/contacts/import/{id}");
    let (_, doc) = li.get_html(&import_page).await;
    let problems = texts(&doc, "table.import-errors td:last-child");
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].starts_with("邮箱：") && !problems[0].contains("Enter"),
        "the row error in Chinese: {problems:?}"
    );
    let (_, doc) = max.get_html(&import_page).await;
    assert_eq!(
        texts(&doc, "table.import-errors td:last-child"),
        vec!["email: Enter a valid email address, like name@example.com."]
    );

    // The audit log: the same entries in each reader's words.
    let (_, doc) = li.get_html("/admin/audit").await;
    let log = texts(&doc, "tbody tr").join("\n");
    for needle in [
        format!("Ada Lovelace（#{b}）已合并到 Ada Lovelace（#{a}）"),
        "people.csv：新建 1 个，更新 0 个，跳过 0 个，出错 1 个".to_string(),
    ] {
        assert!(
            log.contains(&needle),
            "audit log in Chinese has {needle}:\n{log}"
        );
    }
    let (_, doc) = max.get_html("/admin/audit").await;
    let log = texts(&doc, "tbody tr").join("\n");
    for needle in [
        format!("Ada Lovelace (#{b}) merged into Ada Lovelace (#{a})"),
        "people.csv: 1 created, 0 updated, 0 skipped, 1 errors".to_string(),
    ] {
        assert!(
            log.contains(&needle),
            "audit log in English has {needle}:\n{log}"
        );
    }
}

#[tokio::test]
async fn errors_refused_by_key_speak_the_viewers_language() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    app.create_user(&mut admin, "li@test.example", "admin", None)
        .await;
    let mut li = user_with(&app, "li@test.example", "zh-CN", "Asia/Shanghai").await;
    let a = new_contact(&mut li, "ada@example.com").await;

    // Merging a contact with itself.
    let (status, doc) = li.get_html(&format!("/contacts/{a}/merge/{a}")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let page = doc.root_element().text().collect::<String>();
    assert!(
        !page.contains("itself") && page.contains(&li_merge_self()),
        "the refusal in Chinese"
    );

    // An owner out of reach: the owner check's error beside the field.
    li.refresh_csrf("/contacts/new").await;
    let res = li
        .post(
            "/contacts",
            &[
                ("first_name", "Grace"),
                ("owner_id", "999999"),
                ("allow_duplicate", "1"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let doc = html(res).await;
    assert_eq!(
        texts(&doc, "#owner_id-error"),
        vec!["请从列表中选择负责人。"]
    );
}

fn li_merge_self() -> String {
    rapport::i18n::Locale::new(rapport::i18n::Lang::ZhCn, chrono_tz::Tz::UTC)
        .t("contacts-error-merge-self")
}
