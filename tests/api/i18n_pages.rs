//! Issue 7 on the remaining pages: tasks' "today" in each assignee's zone
//! (My tasks, a contact's task panel, the htmx row), and tasks, imports,
//! saved views, the admin pages and the test email in Chinese beside English.

use chrono::{NaiveDate, Utc};
use chrono_tz::Tz;
use diesel::prelude::*;
use reqwest::StatusCode;
use scraper::{Html, Selector};

use crate::cli::rapport;
use crate::helpers::*;
use crate::i18n::user_with;
use crate::outbox_smtp::SmtpServer;
use rapport::db::schema::{mail_outbox, tasks, users, workspace_settings};
use rapport::i18n::format::today_in;

fn task_id(app: &TestApp, title: &str) -> i64 {
    tasks::table
        .filter(tasks::title.eq(title))
        .select(tasks::id)
        .first(&mut app.conn())
        .expect("task")
}

/// What a row says for a task due `due` when its assignee's date is `today`.
fn expected(due: NaiveDate, today: NaiveDate) -> (String, bool) {
    let label = match (due - today).num_days() {
        0 => "today".to_string(),
        1 => "tomorrow".to_string(),
        -1 => "yesterday".to_string(),
        _ => due.format("%a %-d %b %Y").to_string(),
    };
    (label, due < today)
}

/// (due label, overdue) of the task row titled `title`.
fn row_of(doc: &Html, title: &str) -> (String, bool) {
    let li = Selector::parse("li.task").expect("selector");
    let t = Selector::parse(".task-title").expect("selector");
    let due = Selector::parse(".due").expect("selector");
    let row = doc
        .select(&li)
        .find(|r| r.select(&t).any(|e| e.text().collect::<String>() == title))
        .unwrap_or_else(|| panic!("row {title}"));
    let label = row
        .select(&due)
        .next()
        .map(|e| e.text().collect::<String>())
        .unwrap_or_default();
    let overdue = row.value().classes().any(|c| c == "overdue");
    (label, overdue)
}

/// Acceptance 2: the same instant is "today" in Auckland and "yesterday" or
/// "tomorrow" in Los Angeles (at most hours of the day); every task shows
/// its own assignee's date, whoever looks. Kiritimati (UTC+14) and Pago Pago
/// (UTC-11) are on different dates at every instant, so the test always
/// crosses the date line whatever time it runs.
#[tokio::test]
async fn task_panels_and_rows_use_each_assignees_today_across_the_date_line() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let kiri = app
        .create_user(&mut admin, "kiri@test.example", "sales", None)
        .await;
    let lou = app
        .create_user(&mut admin, "lou@test.example", "sales", None)
        .await;
    let kim = app
        .create_user(&mut admin, "kim@test.example", "sales", None)
        .await;
    let pat = app
        .create_user(&mut admin, "pat@test.example", "sales", None)
        .await;
    user_with(&app, "kim@test.example", "en", "Pacific/Kiritimati").await;
    user_with(&app, "pat@test.example", "en", "Pacific/Pago_Pago").await;
    let kiri_c = user_with(&app, "kiri@test.example", "en", "Pacific/Auckland").await;
    let lou_c = user_with(&app, "lou@test.example", "en", "America/Los_Angeles").await;
    let contact = app
        .create_contact(&mut admin, "Ada", "Lovelace", "ada@test.example")
        .await;
    let now = Utc::now();
    let zone = |z: Tz| today_in(z, now);
    let (akl, la) = (
        zone(chrono_tz::Pacific::Auckland),
        zone(chrono_tz::America::Los_Angeles),
    );
    let (kir, pago) = (
        zone(chrono_tz::Pacific::Kiritimati),
        zone(chrono_tz::Pacific::Pago_Pago),
    );
    assert!(kir > pago, "always a day or two apart");
    let page = format!("/contacts/{contact}");
    let people = [
        ("kiri", kiri, akl),
        ("lou", lou, la),
        ("kim", kim, kir),
        ("pat", pat, pago),
    ];
    let days = [("akl", akl), ("la", la), ("kir", kir), ("pago", pago)];
    for (name, id, _) in people {
        for (tag, day) in days {
            let res = admin
                .post(
                    "/tasks",
                    &[
                        ("title", &format!("{name}-{tag}")),
                        ("due_on", &day.to_string()),
                        ("assignee_id", &id.to_string()),
                        ("contact_id", &contact.to_string()),
                        ("next", &page),
                    ],
                )
                .await;
            assert_eq!(res.status(), StatusCode::SEE_OTHER, "{name}-{tag}");
        }
    }

    // The admin (workspace zone, UTC) sees each row with its assignee's today.
    let (_, doc) = admin.get_html(&page).await;
    for (name, _, today) in people {
        for (tag, day) in days {
            let title = format!("{name}-{tag}");
            assert_eq!(row_of(&doc, &title), expected(day, today), "{title}");
        }
    }

    // My tasks: each one's own groups.
    for (c, name, today) in [(&kiri_c, "kiri", akl), (&lou_c, "lou", la)] {
        let (_, doc) = c.get_html("/tasks").await;
        let group = |cmp: std::cmp::Ordering| {
            let mut t: Vec<String> = days
                .iter()
                .filter(|(_, d)| d.cmp(&today) == cmp)
                .map(|(tag, _)| format!("{name}-{tag}"))
                .collect();
            t.sort();
            t
        };
        for (css, cmp) in [
            ("#overdue", std::cmp::Ordering::Less),
            ("#today", std::cmp::Ordering::Equal),
            ("#upcoming", std::cmp::Ordering::Greater),
        ] {
            let mut shown = texts(&doc, &format!("{css} .task-title"));
            shown.sort();
            assert_eq!(shown, group(cmp), "{name}'s {css}");
        }
    }

    // The row htmx swaps in after a reopen: the assignee's today too.
    for (title, due, today) in [("kim-pago", pago, kir), ("pat-kir", kir, pago)] {
        let id = task_id(&app, title);
        let res = admin
            .post(&format!("/tasks/{id}/complete"), &[("next", &page)])
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let res = admin
            .post_htmx(&format!("/tasks/{id}/reopen"), &[("next", &page)])
            .await;
        assert_eq!(res.status(), StatusCode::OK);
        let doc = Html::parse_fragment(&res.text().await.expect("body"));
        assert_eq!(
            row_of(&doc, title),
            expected(due, today),
            "{title} fragment"
        );
    }
}

fn attr(doc: &Html, css: &str, name: &str) -> Vec<String> {
    let sel = Selector::parse(css).expect("selector");
    doc.select(&sel)
        .filter_map(|e| e.value().attr(name).map(str::to_string))
        .collect()
}

/// The UTC offset `zone` has now, as `<time datetime>` ends (`+08:00`).
fn offset_now(zone: Tz) -> String {
    Utc::now().with_timezone(&zone).format("%:z").to_string()
}

fn first(doc: &Html, css: &str) -> String {
    texts(doc, css).into_iter().next().unwrap_or_default()
}

/// A zh-CN + Asia/Shanghai admin sees Chinese and Shanghai times on the
/// converted pages; an English New York admin beside them sees English and
/// their zone. Form errors from the shared validators are in Chinese too.
#[tokio::test]
async fn a_chinese_admin_sees_tasks_imports_views_and_admin_pages_in_chinese() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    app.create_user(&mut admin, "wang@test.example", "admin", None)
        .await;
    app.create_user(&mut admin, "eve@test.example", "admin", None)
        .await;
    let mut wang = user_with(&app, "wang@test.example", "zh-CN", "Asia/Shanghai").await;
    let mut eve = user_with(&app, "eve@test.example", "en", "America/New_York").await;
    let (shanghai, new_york) = (
        offset_now(chrono_tz::Asia::Shanghai),
        offset_now(chrono_tz::America::New_York),
    );
    let ends = |times: Vec<String>, offset: &str| {
        assert!(
            !times.is_empty() && times.iter().all(|t| t.ends_with(offset)),
            "{times:?} in {offset}"
        );
    };

    // My tasks.
    let today = today_in(chrono_tz::Asia::Shanghai, Utc::now()).to_string();
    for c in [&mut wang, &mut eve] {
        c.refresh_csrf("/tasks").await;
        let res = c
            .post("/tasks", &[("title", "Call Ada"), ("due_on", &today)])
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
    }
    let (_, doc) = wang.get_html("/tasks").await;
    assert_eq!(first(&doc, "h1"), "我的任务");
    assert_eq!(first(&doc, ".flash"), "任务已添加。");
    assert!(first(&doc, "#overdue h2").starts_with("已逾期"));
    assert_eq!(first(&doc, "#done .empty"), "最近 7 天没有完成的任务。");
    let (_, doc) = eve.get_html("/tasks").await;
    assert_eq!(first(&doc, "h1"), "My tasks");
    assert_eq!(
        first(&doc, "#done .empty"),
        "Nothing done in the last 7 days."
    );
    // A task form error in Chinese.
    wang.refresh_csrf("/tasks/new").await;
    let res = wang
        .post("/tasks", &[("title", ""), ("due_on", "31/12")])
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let doc = html(res).await;
    assert_eq!(first(&doc, "#title-error"), "请说明要做什么。");
    assert_eq!(
        first(&doc, "#due_on-error"),
        "请按 2026-03-31 的格式输入日期。"
    );

    // An import: the upload page and the result page.
    wang.refresh_csrf("/contacts/import").await;
    let csv = b"Name,Email\nAda Lovelace,ada@test.example\nBad Row,not-an-email\n";
    let (id, _) = crate::import_export::import(&mut wang, "people.csv", csv, "update").await;
    let (_, doc) = wang.get_html("/contacts/import").await;
    assert_eq!(first(&doc, "h1"), "导入联系人");
    assert_eq!(first(&doc, "table.imports tbody td:nth-child(3)"), "已完成");
    ends(attr(&doc, "table.imports time", "datetime"), &shanghai);
    let (_, doc) = wang.get_html(&format!("/contacts/import/{id}")).await;
    assert_eq!(first(&doc, "h1"), "导入：people.csv");
    assert!(first(&doc, ".import-status").starts_with("已完成"));
    assert_eq!(first(&doc, ".import-counts dt"), "行数");
    assert_eq!(first(&doc, ".import-errors th"), "行号");
    ends(attr(&doc, ".import-status time", "datetime"), &shanghai);
    let (_, doc) = eve.get_html("/contacts/import").await;
    assert_eq!(first(&doc, "h1"), "Import contacts");

    // Saved views.
    let (_, doc) = wang.get_html("/views").await;
    assert_eq!(first(&doc, "h1"), "已保存的视图");
    let (_, doc) = eve.get_html("/views").await;
    assert_eq!(first(&doc, "h1"), "Saved views");

    // Admin: users (roles, last sign-in), audit log, jobs.
    let (_, doc) = wang.get_html("/admin/users").await;
    assert_eq!(first(&doc, "h1"), "用户");
    assert!(texts(&doc, "tbody td").contains(&"管理员".to_string()));
    ends(attr(&doc, "tbody time", "datetime"), &shanghai);
    assert_eq!(first(&doc, "header nav a[aria-current=page]"), "管理");
    let (_, doc) = eve.get_html("/admin/users").await;
    assert_eq!(first(&doc, "h1"), "Users");
    assert!(texts(&doc, "tbody td").contains(&"Administrator".to_string()));
    ends(attr(&doc, "tbody time", "datetime"), &new_york);

    let (_, doc) = wang.get_html("/admin/audit").await;
    assert_eq!(first(&doc, "h1"), "审计日志");
    assert!(texts(&doc, "tbody td:nth-child(3)").contains(&"创建".to_string()));
    ends(attr(&doc, "tbody time", "datetime"), &shanghai);
    let (_, doc) = eve.get_html("/admin/audit").await;
    assert_eq!(first(&doc, "h1"), "Audit log");
    assert!(texts(&doc, "tbody td:nth-child(3)").contains(&"create".to_string()));
    ends(attr(&doc, "tbody time", "datetime"), &new_york);

    let (_, doc) = wang.get_html("/admin/jobs").await;
    assert_eq!(first(&doc, "h1"), "后台任务");
    assert_eq!(
        first(&doc, ".jobs-done tbody td:nth-child(2)"),
        "联系人导入"
    );
    ends(attr(&doc, ".jobs-done time", "datetime"), &shanghai);
    assert!(first(&doc, "p.muted").contains("Asia/Shanghai"));
    let (_, doc) = eve.get_html("/admin/jobs").await;
    assert_eq!(first(&doc, "h1"), "Background jobs");
    assert_eq!(
        first(&doc, ".jobs-done tbody td:nth-child(2)"),
        "Contact import"
    );
    ends(attr(&doc, ".jobs-done time", "datetime"), &new_york);

    // The shared validators speak Chinese on the user form.
    wang.refresh_csrf("/admin/users/new").await;
    let res = wang
        .post(
            "/admin/users",
            &[
                ("name", "Li"),
                ("email", "not-an-email"),
                ("role", "sales"),
                ("team_id", ""),
                ("password", "short"),
                ("password_confirm", "short"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let doc = html(res).await;
    assert_eq!(
        first(&doc, "#email-error"),
        "请输入有效的邮箱地址，例如 name@example.com。"
    );
    assert_eq!(first(&doc, "#password-error"), "至少需要 8 个字符。");
    assert_eq!(first(&doc, "h1"), "新建用户");
    eve.refresh_csrf("/admin/users/new").await;
    let res = eve
        .post(
            "/admin/users",
            &[
                ("name", "Li"),
                ("email", "not-an-email"),
                ("role", "sales"),
                ("password", "short"),
                ("password_confirm", "short"),
            ],
        )
        .await;
    let doc = html(res).await;
    assert_eq!(
        first(&doc, "#email-error"),
        "Enter a valid email address, like name@example.com."
    );
    assert_eq!(first(&doc, "#password-error"), "Use at least 8 characters.");
}

/// RFC 2047 `=?utf-8?b?…?=` words and base64 bodies, as lettre writes them.
fn base64(s: &str) -> Vec<u8> {
    const ABC: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::new();
    let (mut acc, mut bits) = (0u32, 0);
    for b in s.bytes() {
        let Some(v) = ABC.iter().position(|c| *c == b) else {
            continue;
        };
        acc = (acc << 6) | v as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}

fn decoded_subject(mail: &str) -> String {
    let unfolded = mail.replace("\r\n ", " ").replace("\n ", " ");
    let line = unfolded
        .lines()
        .find_map(|l| l.strip_prefix("Subject: "))
        .expect("subject")
        .to_string();
    // Whitespace between two encoded words is not part of the text.
    let (mut out, mut after_encoded) = (String::new(), false);
    for w in line.split_whitespace() {
        let encoded = w.to_ascii_lowercase().starts_with("=?utf-8?b?") && w.ends_with("?=");
        let joined = encoded && after_encoded;
        if !out.is_empty() && !joined {
            out.push(' ');
        }
        match encoded {
            true => out.push_str(&String::from_utf8(base64(&w[10..w.len() - 2])).expect("utf-8")),
            false => out.push_str(w),
        }
        after_encoded = encoded;
    }
    out
}

fn decoded_body(mail: &str) -> String {
    let (head, body) = mail
        .split_once("\r\n\r\n")
        .or_else(|| mail.split_once("\n\n"))
        .expect("body");
    if head
        .to_ascii_lowercase()
        .contains("content-transfer-encoding: base64")
    {
        String::from_utf8(base64(body)).expect("utf-8")
    } else {
        body.to_string()
    }
}

/// `rapport send-test-email` writes in the workspace's language, or in the
/// recipient's if they are a user.
#[test]
fn the_test_email_is_written_in_the_workspace_or_the_recipients_language() {
    let db = TestDb::new();
    assert!(rapport(&db, &["migrate"], None, &[]).status.success());
    let mut conn = rapport::db::connect(&db.url).expect("connect");
    diesel::update(workspace_settings::table)
        .set(workspace_settings::language.eq("zh-CN"))
        .execute(&mut conn)
        .expect("workspace in Chinese");
    // A user who reads English.
    let out = rapport(
        &db,
        &[
            "create-admin",
            "--email",
            "eve@test.example",
            "--password",
            "correct horse battery",
        ],
        None,
        &[],
    );
    assert!(out.status.success(), "{}", crate::cli::text(&out));
    diesel::update(users::table.filter(users::email.eq("eve@test.example")))
        .set(users::language.eq(Some("en")))
        .execute(&mut conn)
        .expect("eve reads English");
    let mut server = SmtpServer::start(db.dir());
    for to in ["Ops <ops@test.example>", "eve@test.example"] {
        let out = rapport(
            &db,
            &["send-test-email", "--to", to],
            None,
            &[("RAPPORT_SMTP_URL", &server.url())],
        );
        assert!(out.status.success(), "{}", crate::cli::text(&out));
    }
    let mut mails = server.messages();
    server.stop();
    assert_eq!(mails.len(), 2);
    mails.sort_by_key(|m| m.contains("eve@test.example"));
    assert_eq!(decoded_subject(&mails[1]), "Rapport test email");
    assert!(decoded_body(&mails[1]).contains("If you can read it, outgoing mail works."));
    assert_eq!(decoded_subject(&mails[0]), "Rapport 测试邮件");
    assert!(
        decoded_body(&mails[0]).contains("如果你能读到这封邮件，说明外发邮件工作正常。"),
        "{}",
        mails[0]
    );
    let subjects: Vec<String> = mail_outbox::table
        .order(mail_outbox::id)
        .select(mail_outbox::subject)
        .load(&mut conn)
        .expect("outbox rows");
    assert_eq!(subjects, ["Rapport 测试邮件", "Rapport test email"]);
}
