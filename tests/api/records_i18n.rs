//! Contact and account pages in the viewer's language and time zone: the
//! same records for a zh-CN / Asia/Shanghai user and an en / Europe/Berlin
//! user, form errors, and a Chinese CSV export that imports again.

use diesel::prelude::*;
use reqwest::StatusCode;
use scraper::{Html, Selector};

use crate::helpers::*;
use crate::i18n::user_with;
use crate::import_export::{chosen, export, import};
use rapport::db::schema::{accounts, activities, contacts};

fn attrs(doc: &Html, css: &str, attr: &str) -> Vec<String> {
    let sel = Selector::parse(css).expect("selector");
    doc.select(&sel)
        .filter_map(|e| e.value().attr(attr))
        .map(str::to_string)
        .collect()
}

fn joined(doc: &Html, css: &str) -> String {
    texts(doc, css).join(" | ")
}

/// 2026-07-01 20:30 UTC: 2 Jul 04:30 in Shanghai, 1 Jul 22:30 in Berlin.
fn instant() -> chrono::NaiveDateTime {
    chrono::NaiveDate::from_ymd_opt(2026, 7, 1)
        .and_then(|d| d.and_hms_opt(20, 30, 0))
        .expect("time")
}

struct World {
    app: TestApp,
    li: Client,
    max: Client,
    contact: i64,
    account: i64,
}

/// An account with one contact and a call on the contact's timeline, all
/// at `instant()`; li reads Chinese in Shanghai, max English in Berlin.
async fn world() -> World {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    app.create_user(&mut admin, "li@test.example", "admin", None)
        .await;
    app.create_user(&mut admin, "max@test.example", "admin", None)
        .await;
    let res = admin
        .post(
            "/accounts",
            &[("name", "Acme Ltd"), ("size", "1000+"), ("city", "Leeds")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "account created");
    let account: i64 = location(&res)
        .trim_start_matches("/accounts/")
        .parse()
        .expect("account id");
    let res = admin
        .post(
            "/contacts",
            &[
                ("first_name", "Ada"),
                ("last_name", "Lovelace"),
                ("email", "ada@acme.example"),
                ("title", "Engineer"),
                ("account_name", "Acme Ltd"),
                ("lifecycle", "loyal"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "contact created");
    let contact: i64 = location(&res)
        .trim_start_matches("/contacts/")
        .parse()
        .expect("contact id");
    let res = admin
        .post(
            &format!("/contacts/{contact}/activities"),
            &[("kind", "call"), ("subject", "Intro call"), ("body", "")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "call logged");
    let mut c = app.conn();
    diesel::update(activities::table)
        .set(activities::occurred_at.eq(instant()))
        .execute(&mut c)
        .expect("entry time");
    diesel::update(contacts::table)
        .set((
            contacts::created_at.eq(instant()),
            contacts::updated_at.eq(instant()),
        ))
        .execute(&mut c)
        .expect("contact times");
    diesel::update(accounts::table)
        .set((
            accounts::created_at.eq(instant()),
            accounts::updated_at.eq(instant()),
        ))
        .execute(&mut c)
        .expect("account times");
    let li = user_with(&app, "li@test.example", "zh-CN", "Asia/Shanghai").await;
    let max = user_with(&app, "max@test.example", "en", "Europe/Berlin").await;
    World {
        app,
        li,
        max,
        contact,
        account,
    }
}

#[tokio::test]
async fn contact_pages_speak_the_viewers_language_in_their_zone() {
    let w = world().await;

    let (status, doc) = w.li.get_html("/contacts").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(texts(&doc, "h1"), vec!["联系人"]);
    let heads = joined(&doc, "table.list th");
    assert!(heads.contains("姓名") && heads.contains("阶段"), "{heads}");
    assert!(heads.contains("更新时间"), "{heads}");
    assert!(joined(&doc, "table.list td").contains("忠实客户"));
    assert_eq!(texts(&doc, "table.list time"), vec!["2026年7月2日"]);
    assert_eq!(
        attrs(&doc, "table.list time", "datetime"),
        vec!["2026-07-02T04:30:00+08:00"]
    );
    assert!(joined(&doc, ".pager").contains("第 1–1 条，共 1 条"));
    assert!(joined(&doc, ".filters label").contains("任意阶段"));
    assert_eq!(
        texts(&doc, ".page-head .button.primary"),
        vec!["新建联系人"]
    );

    let (_, doc) = w.max.get_html("/contacts").await;
    assert_eq!(texts(&doc, "h1"), vec!["Contacts"]);
    assert!(joined(&doc, "table.list th").contains("Stage"));
    assert!(joined(&doc, "table.list td").contains("Loyal"));
    assert_eq!(texts(&doc, "table.list time"), vec!["1 Jul 2026"]);
    assert_eq!(
        attrs(&doc, "table.list time", "datetime"),
        vec!["2026-07-01T22:30:00+02:00"]
    );
    assert!(joined(&doc, ".pager").contains("1–1 of 1"));

    let page = format!("/contacts/{}", w.contact);
    let (status, doc) = w.li.get_html(&page).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(texts(&doc, "h1"), vec!["Ada Lovelace"]);
    assert_eq!(texts(&doc, ".crumbs a"), vec!["联系人"]);
    let facts = joined(&doc, "dl.facts");
    assert!(
        facts.contains("阶段") && facts.contains("忠实客户"),
        "{facts}"
    );
    assert!(facts.contains("2026年7月2日 04:30"), "{facts}");
    assert!(!doc.html().contains("UTC"), "no UTC left on the page");
    assert!(joined(&doc, "#timeline h2").contains("时间线"));
    assert_eq!(texts(&doc, "#timeline li.kind-call .kind"), vec!["通话"]);
    assert_eq!(
        texts(&doc, "#timeline li.kind-call time"),
        vec!["2026年7月2日 04:30"]
    );
    assert_eq!(
        attrs(&doc, "#timeline li.kind-call time", "datetime"),
        vec!["2026-07-02T04:30:00+08:00"]
    );
    assert!(joined(&doc, "#timeline legend").contains("记录"));
    assert!(joined(&doc, ".page-head .actions").contains("编辑"));

    let (_, doc) = w.max.get_html(&page).await;
    let facts = joined(&doc, "dl.facts");
    assert!(
        facts.contains("Stage") && facts.contains("Loyal"),
        "{facts}"
    );
    assert!(facts.contains("1 Jul 2026, 22:30"), "{facts}");
    assert_eq!(texts(&doc, "#timeline li.kind-call .kind"), vec!["call"]);
    assert_eq!(
        texts(&doc, "#timeline li.kind-call time"),
        vec!["1 Jul 2026, 22:30"]
    );
    assert_eq!(texts(&doc, ".subtitle"), vec!["Engineer at Acme Ltd"]);
}

#[tokio::test]
async fn contact_form_errors_come_back_in_the_viewers_language() {
    let mut w = world().await;
    w.li.refresh_csrf("/contacts/new").await;
    let (_, doc) = w.li.get_html("/contacts/new").await;
    assert_eq!(texts(&doc, "h1"), vec!["新建联系人"]);
    assert!(joined(&doc, "label").contains("营销邮件许可"));
    let res =
        w.li.post(
            "/contacts",
            &[
                ("first_name", ""),
                ("phone", "abc"),
                ("tags", &"x".repeat(60)),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let doc = html(res).await;
    assert_eq!(texts(&doc, "#first_name-error"), vec!["请填写名或姓。"]);
    assert_eq!(
        texts(&doc, "#phone-error"),
        vec!["只能使用数字、空格和 + - ( )，例如 +86 10 6552 9988。"]
    );
    assert_eq!(texts(&doc, "#tags-error"), vec!["每个标签最多 50 个字符。"]);
    // The duplicate warning names the other contact.
    let res =
        w.li.post(
            "/contacts",
            &[("first_name", "Ada"), ("email", "ada@acme.example")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let doc = html(res).await;
    let warning = format!(
        "Ada Lovelace 已使用此邮箱（联系人 #{}）。如需同时保留两者，请勾选“仍然保存”。",
        w.contact
    );
    assert_eq!(texts(&doc, "#email-error"), vec![warning]);

    let mut max = w.max;
    max.refresh_csrf("/contacts/new").await;
    let res = max.post("/contacts", &[("first_name", "")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let doc = html(res).await;
    assert_eq!(
        texts(&doc, "#first_name-error"),
        vec!["Enter a first or last name."]
    );
}

#[tokio::test]
async fn account_pages_speak_the_viewers_language_in_their_zone() {
    let w = world().await;
    let (status, doc) = w.li.get_html("/accounts").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(texts(&doc, "h1"), vec!["客户公司"]);
    assert!(joined(&doc, "table.list th").contains("行业"));
    assert_eq!(texts(&doc, "table.list time"), vec!["2026年7月2日"]);

    let (_, doc) = w.max.get_html("/accounts").await;
    assert_eq!(texts(&doc, "h1"), vec!["Accounts"]);
    assert_eq!(texts(&doc, "table.list time"), vec!["1 Jul 2026"]);

    let page = format!("/accounts/{}", w.account);
    let (status, doc) = w.li.get_html(&page).await;
    assert_eq!(status, StatusCode::OK);
    let facts = joined(&doc, "dl.facts");
    assert!(
        facts.contains("规模") && facts.contains("1,000 人以上"),
        "{facts}"
    );
    assert!(facts.contains("2026年7月2日 04:30"), "{facts}");
    assert!(joined(&doc, "#contacts h2").contains("联系人"));
    // The contact's call shows on its company's timeline, in Shanghai time.
    assert_eq!(texts(&doc, "#timeline li.kind-call .kind"), vec!["通话"]);
    assert_eq!(
        texts(&doc, "#timeline li.kind-call time"),
        vec!["2026年7月2日 04:30"]
    );
    assert!(joined(&doc, "#timeline li.kind-call .meta").contains("涉及"));
    assert!(!doc.html().contains("UTC"), "no UTC left on the page");

    let (_, doc) = w.max.get_html(&page).await;
    let facts = joined(&doc, "dl.facts");
    assert!(facts.contains("More than 1,000 employees"), "{facts}");
    assert!(facts.contains("1 Jul 2026, 22:30"), "{facts}");
    assert_eq!(
        texts(&doc, "#timeline li.kind-call time"),
        vec!["1 Jul 2026, 22:30"]
    );
    assert!(joined(&doc, "#timeline li.kind-call .meta").contains("with"));
}

#[tokio::test]
async fn a_chinese_export_has_chinese_headers_and_imports_again() {
    let mut w = world().await;
    let rows = export(&w.li, "").await;
    assert_eq!(
        rows[0],
        [
            "名",
            "姓",
            "电子邮箱",
            "电话",
            "职位",
            "公司",
            "地址",
            "城市",
            "国家",
            "线索阶段",
            "营销许可",
            "标签",
            "来源",
            "负责人",
            "创建时间"
        ]
    );
    assert_eq!(rows[1][2], "ada@acme.example");
    // The English export keeps its headers.
    assert_eq!(export(&w.max, "").await[0][0], "first_name");

    // Edited in a spreadsheet and imported again: every column is recognised.
    let mut edited = rows.clone();
    edited[1][7] = "上海".into();
    edited[1][9] = "growing".into();
    let mut csv = csv::Writer::from_writer(Vec::new());
    for r in &edited {
        csv.write_record(r).expect("row");
    }
    let body = csv.into_inner().expect("csv");
    let id = crate::import_export::uploaded(&w.li, "导出.csv", &body, "update").await;
    let guessed: Vec<String> = chosen(&w.li, id)
        .await
        .into_iter()
        .map(|(_, field)| field)
        .collect();
    assert_eq!(
        guessed,
        [
            "first_name",
            "last_name",
            "email",
            "phone",
            "title",
            "company",
            "address",
            "city",
            "country",
            "lifecycle",
            "consent",
            "tags",
            "source",
            "ignore",
            "ignore"
        ]
    );
    let (_, counts) = import(&mut w.li, "again.csv", &body, "update").await;
    assert_eq!((counts.updated, counts.errors), (1, 0), "{counts:?}");
    let (city, stage): (Option<String>, String) = contacts::table
        .find(w.contact)
        .select((contacts::city, contacts::lifecycle))
        .first(&mut w.app.conn())
        .expect("contact");
    assert_eq!((city.as_deref(), stage.as_str()), (Some("上海"), "growing"));
}
