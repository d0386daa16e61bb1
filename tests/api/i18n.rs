//! Languages and time zones: per user, per workspace, and before sign-in.

use diesel::prelude::*;
use reqwest::StatusCode;
use scraper::{Html, Selector};

use crate::helpers::*;
use rapport::db::schema::{audit_log, users, workspace_settings};

fn html_lang(doc: &Html) -> String {
    let sel = Selector::parse("html").expect("selector");
    doc.select(&sel)
        .next()
        .and_then(|e| e.value().attr("lang"))
        .unwrap_or_default()
        .to_string()
}

/// Signs `email` in and saves their language and zone on /account.
pub async fn user_with(app: &TestApp, email: &str, language: &str, zone: &str) -> Client {
    let mut c = app.login(email).await;
    let res = c
        .post(
            "/account/locale",
            &[("language", language), ("time_zone", zone)],
        )
        .await;
    assert_eq!(
        res.status(),
        StatusCode::SEE_OTHER,
        "{email} saves {language}"
    );
    c
}

#[tokio::test]
async fn each_user_sees_their_language_and_their_zone_for_the_same_instant() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let zh = app
        .create_user(&mut admin, "li@test.example", "sales", None)
        .await;
    let de = app
        .create_user(&mut admin, "max@test.example", "sales", None)
        .await;
    let li = user_with(&app, "li@test.example", "zh-CN", "Asia/Shanghai").await;
    let max = user_with(&app, "max@test.example", "en", "Europe/Berlin").await;

    // The flash after saving is already in the new language.
    let (_, doc) = li.get_html("/account").await;
    assert_eq!(texts(&doc, ".flash"), vec!["您的语言和时区已保存。"]);

    // Both last signed in at the same instant (summer: Berlin is UTC+2).
    let at = chrono::NaiveDate::from_ymd_opt(2026, 7, 1)
        .and_then(|d| d.and_hms_opt(6, 5, 0))
        .expect("time");
    diesel::update(users::table.filter(users::id.eq_any([zh, de])))
        .set(users::last_login_at.eq(at))
        .execute(&mut app.conn())
        .expect("set last sign-in");

    let (status, doc) = li.get_html("/account").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(html_lang(&doc), "zh-CN");
    assert_eq!(texts(&doc, "h1"), vec!["我的账户"]);
    assert_eq!(texts(&doc, "#last-sign-in"), vec!["2026年7月1日 14:05"]);
    assert!(texts(&doc, "nav a").contains(&"联系人".to_string()));
    assert_eq!(texts(&doc, ".skip"), vec!["跳到正文"]);
    assert_eq!(texts(&doc, "button.link"), vec!["退出登录"]);

    let (_, doc) = max.get_html("/account").await;
    assert_eq!(html_lang(&doc), "en");
    assert_eq!(texts(&doc, "h1"), vec!["Your account"]);
    assert_eq!(texts(&doc, "#last-sign-in"), vec!["1 Jul 2026, 08:05"]);
    assert_eq!(texts(&doc, "button.link"), vec!["Sign out"]);

    // Error pages follow the user: a missing page, a refused one.
    let (status, doc) = li.get_html("/no/such/page").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(
        (html_lang(&doc), texts(&doc, "h1")),
        ("zh-CN".into(), vec!["未找到".to_string()])
    );
    let (status, doc) = li.get_html("/admin/settings").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(texts(&doc, "h1"), vec!["无权操作"]);
    let (_, doc) = max.get_html("/admin/settings").await;
    assert_eq!(texts(&doc, "h1"), vec!["Not allowed"]);
    // A form that did not come from Rapport: refused before any user is
    // loaded, still in the user's language (kept in the session).
    let res = li
        .http
        .post(li.url("/account/locale"))
        .form(&[("language", "en")])
        .send()
        .await
        .expect("POST");
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let doc = html(res).await;
    assert_eq!(
        texts(&doc, ".error-box p:not(.muted)"),
        vec!["此表单已过期或并非来自 Rapport。请刷新页面后重试。"]
    );

    // Form errors on the account page come back in Chinese, beside the field.
    let mut li = li;
    li.refresh_csrf("/account").await;
    let res = li
        .post(
            "/account/password",
            &[
                ("current_password", "wrong-password-1"),
                ("new_password", "short"),
                ("new_password_confirm", "short"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let doc = html(res).await;
    assert_eq!(
        texts(&doc, "#current_password-error"),
        vec!["这不是您当前的密码。"]
    );
    assert_eq!(
        texts(&doc, "#new_password-error"),
        vec!["至少需要 8 个字符。"]
    );
    let res = li
        .post(
            "/account/locale",
            &[("language", "fr"), ("time_zone", "Mars/Base")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let doc = html(res).await;
    assert_eq!(
        texts(&doc, "#time_zone-error"),
        vec!["请从列表中选择一个时区。"]
    );
    assert_eq!(
        texts(&doc, "#language-error"),
        vec!["请从列表中选择一种语言。"]
    );
}

#[tokio::test]
async fn before_sign_in_the_browser_language_then_the_workspace_decides() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let anon = app.client();
    let get = |lang: Option<&'static str>| {
        let mut req = anon.http.get(anon.url("/login"));
        if let Some(l) = lang {
            req = req.header("Accept-Language", l);
        }
        async move { html(req.send().await.expect("GET /login")).await }
    };
    let doc = get(Some("zh-CN,zh;q=0.9,en;q=0.8")).await;
    assert_eq!(html_lang(&doc), "zh-CN");
    assert_eq!(texts(&doc, "h1"), vec!["登录"]);
    assert_eq!(texts(&doc, "label[for=password]"), vec!["密码"]);
    let doc = get(Some("en-GB,en;q=0.9")).await;
    assert_eq!(
        (html_lang(&doc), texts(&doc, "h1")),
        ("en".into(), vec!["Sign in".to_string()])
    );
    let doc = get(None).await;
    assert_eq!(html_lang(&doc), "en", "the workspace default is English");

    // A wrong password, in Chinese.
    let res = anon
        .http
        .post(anon.url("/login"))
        .header("Accept-Language", "zh-CN")
        .form(&[
            ("email", ADMIN_EMAIL),
            ("password", "wrong-password-1"),
            (
                "_csrf",
                &csrf_in(&get(Some("zh-CN")).await).unwrap_or_default(),
            ),
        ])
        .send()
        .await
        .expect("POST /login");
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        texts(&html(res).await, "#login-error"),
        vec!["邮箱或密码不正确。"]
    );

    // The workspace turns Chinese: pages for browsers naming no language we
    // speak, and users without a setting of their own, follow it.
    let (_, doc) = admin.get_html("/admin/settings").await;
    let version = {
        let sel = Selector::parse("input[name=version]").expect("selector");
        doc.select(&sel)
            .next()
            .and_then(|e| e.value().attr("value"))
            .expect("version field")
            .to_string()
    };
    let res = admin
        .post(
            "/admin/settings",
            &[
                ("company_name", "北京星辰科技有限公司"),
                ("company_address", "北京市朝阳区建国路 1 号"),
                ("language", "zh-CN"),
                ("time_zone", "Asia/Shanghai"),
                ("currency", "CNY"),
                ("version", &version),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let doc = get(Some("fr-FR")).await;
    assert_eq!(html_lang(&doc), "zh-CN");
    let (_, doc) = admin.get_html("/account").await;
    assert_eq!(texts(&doc, "h1"), vec!["我的账户"]);
    assert_eq!(texts(&doc, ".flash"), vec!["工作区设置已保存。"]);
}

#[tokio::test]
async fn workspace_settings_are_validated_versioned_and_audited() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let (status, doc) = admin.get_html("/admin/settings").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(texts(&doc, "h1"), vec!["Workspace settings"]);

    let form = |zone: &'static str, lang: &'static str, cur: &'static str, v: &'static str| {
        vec![
            ("company_name", "Acme GmbH"),
            ("company_address", "Hauptstraße 1\n10115 Berlin"),
            ("language", lang),
            ("time_zone", zone),
            ("currency", cur),
            ("version", v),
        ]
    };
    let res = admin
        .post(
            "/admin/settings",
            &form("Europe/Atlantis", "xx", "EUR", "0"),
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let doc = html(res).await;
    assert_eq!(
        texts(&doc, "#time_zone-error"),
        vec!["Choose a time zone from the list."]
    );
    assert_eq!(
        texts(&doc, "#language-error"),
        vec!["Choose a language from the list."]
    );
    assert!(texts(&doc, "#currency-error").is_empty());
    let res = admin
        .post("/admin/settings", &form("Europe/Berlin", "en", "DOGE", "0"))
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        texts(&html(res).await, "#currency-error"),
        vec!["Choose a currency from the list."]
    );

    let mut conn = app.conn();
    let untouched: (String, i64) = workspace_settings::table
        .select((workspace_settings::time_zone, workspace_settings::version))
        .first(&mut conn)
        .expect("settings row");
    assert_eq!(untouched, ("UTC".to_string(), 0), "nothing half-written");

    let res = admin
        .post("/admin/settings", &form("Europe/Berlin", "en", "EUR", "0"))
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let saved: (String, String, String, i64) = workspace_settings::table
        .select((
            workspace_settings::company_address,
            workspace_settings::time_zone,
            workspace_settings::currency,
            workspace_settings::version,
        ))
        .first(&mut conn)
        .expect("settings row");
    assert_eq!(
        saved,
        (
            "Hauptstraße 1\n10115 Berlin".to_string(),
            "Europe/Berlin".to_string(),
            "EUR".to_string(),
            1
        )
    );
    let audited: i64 = audit_log::table
        .filter(audit_log::action.eq("settings_change"))
        .count()
        .get_result(&mut conn)
        .expect("audit");
    assert_eq!(audited, 1);

    // A second tab still holding version 0 does not overwrite silently.
    let res = admin
        .post("/admin/settings", &form("Asia/Tokyo", "en", "JPY", "0"))
        .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    let doc = html(res).await;
    assert_eq!(texts(&doc, "#settings-conflict").len(), 1);
    let (_, doc2) = admin.get_html("/admin/settings").await;
    let selected = Selector::parse("#time_zone option[selected]").expect("selector");
    let zone: Vec<_> = doc2
        .select(&selected)
        .map(|e| e.text().collect::<String>())
        .collect();
    assert_eq!(zone, vec!["Europe/Berlin"]);
    let _ = doc;
}

/// Acceptance: "today" is the assignee's, across the date line. At most
/// instants Auckland (UTC+13 in November) is a day ahead of Los Angeles.
#[tokio::test]
async fn my_tasks_today_is_the_assignees_date_across_the_date_line() {
    use rapport::i18n::format::today_in;
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    app.create_user(&mut admin, "kiri@test.example", "sales", None)
        .await;
    app.create_user(&mut admin, "lou@test.example", "sales", None)
        .await;
    let mut kiri = user_with(&app, "kiri@test.example", "en", "Pacific/Auckland").await;
    let mut lou = user_with(&app, "lou@test.example", "en", "America/Los_Angeles").await;
    let now = chrono::Utc::now();
    let auckland = today_in(chrono_tz::Pacific::Auckland, now);
    let los_angeles = today_in(chrono_tz::America::Los_Angeles, now);
    // Both get a task due on Auckland's today.
    let due = auckland.to_string();
    for c in [&mut kiri, &mut lou] {
        c.refresh_csrf("/tasks").await;
        let res = c
            .post("/tasks", &[("title", "Call back"), ("due_on", &due)])
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
    }
    let (_, doc) = kiri.get_html("/tasks").await;
    assert_eq!(texts(&doc, "#today .task-title"), vec!["Call back"]);
    let (_, doc) = lou.get_html("/tasks").await;
    let group = if auckland > los_angeles {
        "#upcoming"
    } else {
        "#today"
    };
    assert_eq!(
        texts(&doc, &format!("{group} .task-title")),
        vec!["Call back"]
    );
    // The new-task form proposes each one's own today.
    let day = |doc: &Html| {
        let sel = Selector::parse("input[name=due_on]").expect("selector");
        doc.select(&sel)
            .next()
            .and_then(|e| e.value().attr("value"))
            .unwrap_or_default()
            .to_string()
    };
    let (_, doc) = kiri.get_html("/tasks/new").await;
    assert_eq!(day(&doc), auckland.to_string());
    let (_, doc) = lou.get_html("/tasks/new").await;
    assert_eq!(day(&doc), los_angeles.to_string());
}
