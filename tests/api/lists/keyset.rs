//! Keyset paging: walking Next from the first page and Previous back from
//! the last reads exactly the rows of the one-page list, in its order — no
//! row repeated or skipped, also where many rows tie on the sort value and
//! where it is NULL (first ascending, last descending, on both backends).

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use rapport::db::schema::{accounts, contacts};
use reqwest::StatusCode;
use scraper::{Html, Selector};

use crate::helpers::*;
use rapport::domain::ids::UserId;

fn at(minutes: i64) -> NaiveDateTime {
    chrono::NaiveDate::from_ymd_opt(2026, 3, 1)
        .and_then(|d| d.and_hms_micro_opt(9, 0, 0, 250_000))
        .expect("time")
        + Duration::minutes(minutes)
}

/// The record ids a list page links to, in order.
fn ids(doc: &Html, prefix: &str) -> Vec<i64> {
    let sel = Selector::parse("#results tbody tr td:first-child a").expect("selector");
    doc.select(&sel)
        .filter_map(|a| {
            let rest = a.value().attr("href")?.strip_prefix(prefix)?;
            rest.split('/').next()?.parse().ok()
        })
        .collect()
}

fn link(doc: &Html, rel: &str) -> Option<String> {
    let sel = Selector::parse(&format!(".pager a[rel={rel}]")).expect("selector");
    doc.select(&sel)
        .next()
        .and_then(|a| a.value().attr("href"))
        .map(str::to_string)
}

/// Follows `rel` links from `start`; returns each page's ids.
async fn walk(client: &Client, start: &str, rel: &str, prefix: &str) -> Vec<Vec<i64>> {
    let mut pages = Vec::new();
    let mut next = Some(start.to_string());
    while let Some(url) = next {
        let (status, doc) = client.get_html(&url).await;
        assert_eq!(status, StatusCode::OK, "{url}");
        pages.push(ids(&doc, prefix));
        next = link(&doc, rel);
        assert!(pages.len() < 20, "the walk ends");
    }
    pages
}

/// Checks one list under one sort both ways against the expected order.
async fn check_sort(client: &Client, base: &str, prefix: &str, sort: &str, expected: &[i64]) {
    let q = |dir: &str, per: i64| format!("{base}?sort={sort}&dir={dir}&per_page={per}");
    for (dir, want) in [
        ("asc", expected.to_vec()),
        ("desc", expected.iter().rev().copied().collect::<Vec<_>>()),
    ] {
        let (_, doc) = client.get_html(&q(dir, 100)).await;
        assert_eq!(ids(&doc, prefix), want, "{base} by {sort} {dir}, one page");
        let pages = walk(client, &q(dir, 25), "next", prefix).await;
        assert_eq!(pages.len(), want.len().div_ceil(25), "{sort} {dir}: pages");
        assert!(pages.iter().all(|p| !p.is_empty() && p.len() <= 25));
        assert_eq!(
            pages.concat(),
            want,
            "{base} by {sort} {dir}, Next after Next"
        );
        // And back: from the last page, Previous until the first.
        let mut last = q(dir, 25);
        for _ in 1..pages.len() {
            let (_, doc) = client.get_html(&last).await;
            last = link(&doc, "next").expect("next link");
        }
        let mut back = walk(client, &last, "prev", prefix).await;
        back.reverse();
        assert_eq!(back.concat(), want, "{base} by {sort} {dir}, Previous back");
    }
}

/// A seeded contact: id, last, first, email, company, created, updated.
type ContactSeed<'a> = (
    i64,
    &'a str,
    &'a str,
    Option<String>,
    Option<&'a str>,
    NaiveDateTime,
    NaiveDateTime,
);
/// A seeded account: id, name, industry, city, created, updated.
type AccountSeed = (
    i64,
    String,
    Option<String>,
    Option<String>,
    NaiveDateTime,
    NaiveDateTime,
);

/// A seeded user: id, inactive (0/1), name, email, role, last sign-in.
type UserSeed = (i64, i64, String, String, String, Option<NaiveDateTime>);

/// `a` then `b` ascending, NULL first; ties by id.
fn order<K: Ord>(rows: &mut [(K, i64)]) -> Vec<i64> {
    rows.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
    rows.iter().map(|r| r.1).collect()
}

#[tokio::test]
async fn contacts_page_by_keyset_through_every_sort_with_ties_and_nulls() {
    let app = spawn().await;
    let admin = app.setup_admin().await;
    let owner = app.user_id(ADMIN_EMAIL);
    let mut c = app.conn();
    let company = |c: &mut rapport::db::DbConn, name: &str| {
        rapport::accounts::repo::insert_named(c, name, UserId::new(owner)).expect("account")
    };
    let (north, south) = (company(&mut c, "Northwind"), company(&mut c, "Southwind"));
    let lasts = ["Adams", "Baker", "Clark", "Baker"];
    let firsts = ["Ann", "Bob", "Cy"];
    let mut rows = Vec::new();
    for i in 0..61_i64 {
        let (last, first) = (lasts[i as usize % 4], firsts[i as usize % 3]);
        let email = (i % 3 != 0).then(|| format!("p{}@ties.example", i % 5));
        let account = [Some(north), None, Some(south)][i as usize % 3];
        let (created, updated) = (at(i % 4), at(10 + i % 7));
        diesel::insert_into(contacts::table)
            .values((
                contacts::first_name.eq(first),
                contacts::last_name.eq(last),
                contacts::email.eq(&email),
                contacts::owner_id.eq(owner),
                contacts::account_id.eq(account),
                contacts::created_at.eq(created),
                contacts::updated_at.eq(updated),
            ))
            .execute(&mut c)
            .expect("contact");
        let id = rapport::db::last_insert_id(&mut c).expect("id");
        let company = account.map(|a| if a == north { "Northwind" } else { "Southwind" });
        rows.push((id, last, first, email, company, created, updated));
    }
    // Written past the app's save path: derive the search terms and the
    // company sort key as every save does.
    let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
    rapport::search::index::reindex_contacts(&mut c, &ids).expect("reindex");
    let by = |key: &dyn Fn(&ContactSeed) -> String| {
        let mut v: Vec<(String, i64)> = rows.iter().map(|r| (key(r), r.0)).collect();
        order(&mut v)
    };
    // NULL sorts first: "" before every value here.
    let expected = [
        ("name", by(&|r| format!("{} {}", r.1, r.2))),
        ("company", by(&|r| r.4.unwrap_or("").to_string())),
        ("email", by(&|r| r.3.clone().unwrap_or_default())),
        ("updated", by(&|r| r.6.to_string())),
        ("created", by(&|r| r.5.to_string())),
    ];
    for (sort, want) in &expected {
        check_sort(&admin, "/contacts", "/contacts/", sort, want).await;
    }
}

#[tokio::test]
async fn accounts_page_by_keyset_through_every_sort_with_ties_and_nulls() {
    let app = spawn().await;
    let admin = app.setup_admin().await;
    let owner = app.user_id(ADMIN_EMAIL);
    let mut c = app.conn();
    let mut rows = Vec::new();
    for i in 0..53_i64 {
        let name = format!("Firm {}", ["Alpha", "Beta", "Gamma"][i as usize % 3]);
        let industry = (i % 4 != 0).then(|| ["Retail", "Energy"][i as usize % 2].to_string());
        let city = (i % 5 != 0).then(|| ["Lyon", "Oslo", "Rome"][i as usize % 3].to_string());
        let (created, updated) = (at(i % 6), at(20 + i % 4));
        diesel::insert_into(accounts::table)
            .values((
                accounts::name.eq(&name),
                accounts::industry.eq(&industry),
                accounts::city.eq(&city),
                accounts::owner_id.eq(owner),
                accounts::created_at.eq(created),
                accounts::updated_at.eq(updated),
            ))
            .execute(&mut c)
            .expect("account");
        let id = rapport::db::last_insert_id(&mut c).expect("id");
        rows.push((id, name, industry, city, created, updated));
    }
    let by = |key: &dyn Fn(&AccountSeed) -> String| {
        let mut v: Vec<(String, i64)> = rows.iter().map(|r| (key(r), r.0)).collect();
        order(&mut v)
    };
    let expected = [
        ("name", by(&|r| r.1.clone())),
        ("industry", by(&|r| r.2.clone().unwrap_or_default())),
        ("city", by(&|r| r.3.clone().unwrap_or_default())),
        ("updated", by(&|r| r.5.to_string())),
        ("created", by(&|r| r.4.to_string())),
    ];
    for (sort, want) in &expected {
        check_sort(&admin, "/accounts", "/accounts/", sort, want).await;
    }
}

#[tokio::test]
async fn page_sizes_are_25_50_or_100_and_links_keep_them() {
    let app = spawn().await;
    let admin = app.setup_admin().await;
    let owner = app.user_id(ADMIN_EMAIL);
    let mut c = app.conn();
    for i in 0..120 {
        rapport::accounts::repo::insert_named(&mut c, &format!("Size {i:03}"), UserId::new(owner))
            .expect("account");
    }
    for (asked, got) in [
        ("50", 50),
        ("100", 100),
        ("25", 25),
        ("30", 25),
        ("x", 25),
        ("1000", 25),
    ] {
        let (status, doc) = admin.get_html(&format!("/accounts?per_page={asked}")).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(ids(&doc, "/accounts/").len(), got, "per_page={asked}");
        assert_eq!(
            texts(&doc, "select[name=per_page] option[selected]"),
            vec![got.to_string()]
        );
    }
    let (_, doc) = admin
        .get_html("/accounts?per_page=50&sort=name&dir=asc")
        .await;
    assert!(texts(&doc, ".pager").join(" ").contains("1–50 of 120"));
    let next = link(&doc, "next").expect("next");
    assert!(
        next.contains("per_page=50") && next.contains("after="),
        "{next}"
    );
    let sel = Selector::parse("th a").expect("selector");
    assert!(
        doc.select(&sel)
            .all(|a| a.value().attr("href").unwrap_or("").contains("per_page=50")),
        "sort links keep the size"
    );
    let (_, doc) = admin.get_html(&next).await;
    assert!(texts(&doc, ".pager").join(" ").contains("51–100 of 120"));
    assert!(texts(&doc, ".pager").join(" ").contains("Page 2 of 3"));
    assert_eq!(
        texts(&doc, "#results tbody tr td:first-child a")
            .first()
            .map(String::as_str),
        Some("Size 050")
    );
    // htmx gets the same rows as a fragment.
    let res = admin.get_htmx(&next).await;
    let frag = Html::parse_fragment(&res.text().await.expect("body"));
    assert_eq!(ids(&frag, "/accounts/").len(), 50);
    // The contacts list and the admin lists take the same sizes.
    for path in [
        "/contacts?per_page=100",
        "/admin/users?per_page=50",
        "/admin/audit?per_page=100",
    ] {
        let (status, doc) = admin.get_html(path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert_eq!(
            texts(&doc, "select[name=per_page] option").len(),
            3,
            "{path}"
        );
    }
}

#[tokio::test]
async fn damaged_cursors_are_a_400_never_a_500() {
    let app = spawn().await;
    let admin = app.setup_admin().await;
    let owner = app.user_id(ADMIN_EMAIL);
    let mut c = app.conn();
    for i in 0..30 {
        rapport::accounts::repo::insert_named(
            &mut c,
            &format!("Cursor {i:02}"),
            UserId::new(owner),
        )
        .expect("account");
    }
    let (_, doc) = admin.get_html("/accounts?sort=name&dir=asc").await;
    let next = link(&doc, "next").expect("next");
    let token = next.split("after=").nth(1).expect("token").to_string();
    let (status, _) = admin.get_html(&next).await;
    assert_eq!(status, StatusCode::OK, "the real link works");
    let mut flipped = token.clone().into_bytes();
    let last = flipped.len() - 3;
    flipped[last] = if flipped[last] == b'0' { b'1' } else { b'0' };
    let flipped = String::from_utf8(flipped).expect("hex");
    let forged_text = hex::encode("k1|name|a|2|1|%3D%27%3B+DROP+TABLE+accounts%3B+--");
    let forged_time = hex::encode("k1|updated|d|2|7|%3Dyesterday");
    let bad = [
        format!("/accounts?sort=name&dir=asc&after=zz{token}"),
        format!(
            "/accounts?sort=name&dir=asc&after={}",
            &token[..token.len() - 1]
        ),
        format!("/accounts?sort=city&dir=asc&after={token}"),
        format!("/accounts?sort=name&dir=desc&after={token}"),
        format!("/accounts?sort=name&dir=asc&after={token}&before={token}"),
        format!("/accounts?sort=updated&dir=desc&after={forged_time}"),
        "/accounts?after=%FF%FE".to_string(),
        format!("/contacts?sort=name&dir=asc&after={token}"),
        format!("/admin/audit?after={token}"),
    ];
    for url in &bad {
        let res = admin.get(url).await;
        assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{url}");
        let res = admin.get_htmx(url).await;
        assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{url} (htmx)");
    }
    // Well-formed but made up: a position like any other, still in scope.
    for url in [
        format!("/accounts?sort=name&dir=asc&after={forged_text}"),
        format!("/accounts?sort=name&dir=asc&after={flipped}"),
    ] {
        let res = admin.get(&url).await;
        assert!(
            matches!(res.status(), StatusCode::OK | StatusCode::BAD_REQUEST),
            "{url}: {}",
            res.status()
        );
    }
    let n: i64 = accounts::table.count().get_result(&mut c).expect("count");
    assert_eq!(n, 30, "nothing was harmed");
}

#[tokio::test]
async fn my_tasks_page_by_due_day_and_search_titles() {
    use crate::tasks::{Seed, insert_task};
    let app = spawn().await;
    let admin = app.setup_admin().await;
    let me = app.user_id(ADMIN_EMAIL);
    // 32 open tasks on 4 due days (ties on the day), one done.
    for i in 0..32_i64 {
        let title = format!("Task {i:02}{}", if i % 8 == 0 { " invoice" } else { "" });
        insert_task(
            &app,
            Seed {
                due_in: i % 4 - 1,
                ..Seed::new(&title, me)
            },
        );
    }
    insert_task(
        &app,
        Seed {
            done_ago: Some(1),
            ..Seed::new("Done one", me)
        },
    );
    let open = "#overdue .task-title, #today .task-title, #upcoming .task-title";
    let (_, doc) = admin.get_html("/tasks").await;
    let first = texts(&doc, open);
    assert_eq!(first.len(), 25);
    assert!(texts(&doc, ".pager").join(" ").contains("1–25 of 32"));
    assert_eq!(texts(&doc, "#done .task-title"), vec!["Done one"]);
    let next = link(&doc, "next").expect("next");
    let (_, doc) = admin.get_html(&next).await;
    let second = texts(&doc, open);
    assert_eq!(second.len(), 7);
    let mut all = [first, second].concat();
    all.sort();
    all.dedup();
    assert_eq!(all.len(), 32, "every open task once");
    let (_, doc) = admin.get_html("/tasks?q=invoice").await;
    assert_eq!(texts(&doc, open).len(), 4);
    let (_, doc) = admin.get_html("/tasks?per_page=50").await;
    assert_eq!(texts(&doc, open).len(), 32);
}

#[tokio::test]
async fn admin_lists_page_by_keyset_through_every_sort() {
    use rapport::db::schema::users;
    use rapport::staff::models::NewUser;
    let app = spawn().await;
    let admin = app.setup_admin().await;
    let mut c = app.conn();
    let admin_id = app.user_id(ADMIN_EMAIL);
    let roles = ["sales", "support", "manager"];
    // (id, inactive, name, email, role, last login); the admin is one of them.
    let mut rows = vec![(
        admin_id,
        0,
        "Ada Admin".to_string(),
        ADMIN_EMAIL.to_string(),
        "admin".to_string(),
        None,
    )];
    for i in 0..56_i64 {
        let (name, email) = (
            format!("User {}", ["Kim", "Lee", "Max"][i as usize % 3]),
            format!("u{i:02}@test.example"),
        );
        let role = roles[i as usize % 3];
        let t = rapport::db::now();
        let id = rapport::staff::repo::insert_user(
            &mut c,
            &NewUser {
                email: &email,
                name: &name,
                password_hash: "x",
                role: rapport::auth::policy::Role::parse(role).expect("role"),
                team_id: None,
                active: i % 5 != 0,
                session_epoch: 0,
                created_at: t,
                updated_at: t,
            },
        )
        .expect("user");
        let login = (i % 4 != 0).then(|| at(i % 6));
        diesel::update(users::table.find(id))
            .set(users::last_login_at.eq(login))
            .execute(&mut c)
            .expect("login time");
        rows.push((
            id.get(),
            i64::from(i % 5 == 0),
            name,
            email,
            role.to_string(),
            login,
        ));
    }
    // The admin signed in just now: later than every seeded login.
    rows[0].5 = Some(at(10_000));
    let by = |key: &dyn Fn(&UserSeed) -> String| {
        let mut v: Vec<(String, i64)> = rows.iter().map(|r| (key(r), r.0)).collect();
        order(&mut v)
    };
    let users = [
        ("name", by(&|r| format!("{}{}", r.1, r.2))),
        ("email", by(&|r| r.3.clone())),
        ("role", by(&|r| r.4.clone())),
        (
            "last_login",
            by(&|r| r.5.map(|t| t.to_string()).unwrap_or_default()),
        ),
    ];
    for (sort, want) in &users {
        check_sort(&admin, "/admin/users", "/admin/users/", sort, want).await;
    }

    // Teams by name, and the audit log by time (ties on the second).
    let mut teams = Vec::new();
    for i in 0..31 {
        let name = format!("Team {i:02}");
        teams.push((
            name.clone(),
            rapport::staff::repo::insert_team(&mut c, &name).expect("team"),
        ));
    }
    let (_, doc) = admin.get_html("/admin/teams?sort=name&dir=desc").await;
    let next = link(&doc, "next").expect("next");
    let (_, doc) = admin.get_html(&next).await;
    assert_eq!(texts(&doc, "#results tbody tr").len(), 6);
    let (_, doc) = admin.get_html("/admin/teams?q=team+3").await;
    assert_eq!(
        texts(&doc, "#results tbody tr").len(),
        4,
        "Team 03, 13, 23 and 30"
    );
    for i in 0..40 {
        rapport::audit::record(
            &mut c,
            rapport::audit::Entry {
                actor: None,
                action: rapport::audit::AuditAction::Update,
                entity: rapport::audit::AuditEntity::Contact,
                entity_id: Some(i),
                summary: rapport::i18n::StoredMessage::new("audit-record")
                    .text("name", format!("probe {i}")),
            },
        )
        .expect("audit");
    }
    let (_, doc) = admin.get_html("/admin/audit?entity=contact").await;
    let first = texts(&doc, "#results tbody td:nth-child(4)");
    let (_, doc) = admin.get_html(&link(&doc, "next").expect("older")).await;
    let second = texts(&doc, "#results tbody td:nth-child(4)");
    assert_eq!((first.len(), second.len()), (25, 15));
    assert!(link(&doc, "next").is_none());
    let (_, doc) = admin
        .get_html("/admin/audit?entity=contact&per_page=50")
        .await;
    let mut ids = texts(&doc, "#results tbody td:nth-child(4)");
    assert_eq!(ids.len(), 40);
    ids.dedup();
    assert_eq!(ids.len(), 40, "every entry once");
}

/// Past `list::DENSE` matches a page walks the sort's index and tests each
/// row against the filters and search (`Plan::Walk`); the rows and their
/// order are the same as when every match is read and sorted.
#[tokio::test]
async fn many_matches_list_the_same_rows_in_the_same_order() {
    use rapport::db::schema::{record_tags, tags};
    let app = spawn().await;
    let admin = app.setup_admin().await;
    let owner = app.user_id(ADMIN_EMAIL);
    let mut c = app.conn();
    let firsts = ["Ann", "Bob", "Cy", "Di", "Ed", "Flo", "Gus"];
    let mut rows = Vec::new();
    for i in 0..960_i64 {
        let (first, city) = (
            firsts[i as usize % 7],
            ["Paris", "Oslo"][i as usize % 5 / 4],
        );
        let updated = at(i % 97);
        diesel::insert_into(contacts::table)
            .values((
                contacts::first_name.eq(first),
                contacts::last_name.eq("Lovelace"),
                contacts::city.eq(city),
                contacts::owner_id.eq(owner),
                contacts::created_at.eq(updated),
                contacts::updated_at.eq(updated),
            ))
            .execute(&mut c)
            .expect("contact");
        let id = rapport::db::last_insert_id(&mut c).expect("id");
        rows.push((id, first, city, updated, i % 3 != 0));
    }
    diesel::insert_into(tags::table)
        .values(tags::name.eq("vip"))
        .execute(&mut c)
        .expect("tag");
    let vip = rapport::db::last_insert_id(&mut c).expect("tag id");
    for r in rows.iter().filter(|r| r.4) {
        diesel::insert_into(record_tags::table)
            .values((record_tags::tag_id.eq(vip), record_tags::contact_id.eq(r.0)))
            .execute(&mut c)
            .expect("tagging");
    }
    let all_ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
    rapport::search::index::reindex_contacts(&mut c, &all_ids).expect("reindex");

    type Row<'a> = (i64, &'a str, &'a str, NaiveDateTime, bool);
    let pick = |keep: &dyn Fn(&Row) -> bool, key: &dyn Fn(&Row) -> String| {
        let mut v: Vec<(String, i64)> = rows
            .iter()
            .filter(|r| keep(r))
            .map(|r| (key(r), r.0))
            .collect();
        order(&mut v)
    };
    let by_name = |r: &Row| r.1.to_string();
    let by_updated = |r: &Row| r.3.to_string();
    let paris = |r: &Row| r.2 == "Paris";
    let tagged = |r: &Row| r.4;
    let cases: [(&str, Vec<i64>); 5] = [
        ("city=Paris&sort=name&dir=asc", pick(&paris, &by_name)),
        ("city=Paris&sort=updated&dir=asc", pick(&paris, &by_updated)),
        ("tag=vip&sort=name&dir=asc", pick(&tagged, &by_name)),
        ("q=lovelace&sort=name&dir=asc", pick(&|_| true, &by_name)),
        (
            "q=lovelace&city=Paris&tag=vip&sort=updated&dir=asc",
            pick(&|r| paris(r) && tagged(r), &by_updated),
        ),
    ];
    for (query, want) in cases {
        assert!(want.len() > 500, "{query}: enough matches to walk");
        let pages = walk(
            &admin,
            &format!("/contacts?{query}&per_page=100"),
            "next",
            "/contacts/",
        )
        .await;
        assert_eq!(pages.concat(), want, "{query}");
    }
}
