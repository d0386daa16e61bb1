//! Search through the term index: CJK text by any part, accents and case
//! folded, and every write path (form, edit, company rename or delete,
//! merge, import) keeping the terms current.

use reqwest::StatusCode;
use scraper::Selector;

use crate::helpers::*;

/// Ids of the contacts a search lists, in list order.
async fn found(c: &Client, q: &str) -> Vec<i64> {
    ids_in(c, "/contacts", q).await
}

async fn found_accounts(c: &Client, q: &str) -> Vec<i64> {
    ids_in(c, "/accounts", q).await
}

async fn ids_in(c: &Client, list: &str, q: &str) -> Vec<i64> {
    let path = format!("{list}?q={}", urlencode(q));
    let (status, doc) = c.get_html(&path).await;
    assert_eq!(status, StatusCode::OK, "{path}");
    let sel = Selector::parse("#results tbody tr td:first-child a").expect("selector");
    let mut ids: Vec<i64> = doc
        .select(&sel)
        .filter_map(|a| a.value().attr("href"))
        .filter_map(|h| h.rsplit('/').next()?.parse().ok())
        .collect();
    ids.sort_unstable();
    ids
}

fn urlencode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

#[tokio::test]
async fn chinese_names_and_companies_are_found_by_any_part() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let res = admin
        .post(
            "/contacts",
            &[
                ("first_name", "伟"),
                ("last_name", "张"),
                ("account_name", "北京星辰科技有限公司"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let zhang: i64 = location(&res)
        .trim_start_matches("/contacts/")
        .parse()
        .expect("id");
    let other = app
        .create_contact(&mut admin, "Wei", "Zhang", "wei@x.example")
        .await;
    let li = app.create_contact(&mut admin, "娜", "李", "").await;

    for q in [
        "星辰",
        "科技",
        "北京星辰",
        "有限公司",
        "张",
        "伟",
        "张伟",
        "星辰 张",
    ] {
        assert_eq!(found(&admin, q).await, vec![zhang], "contacts by {q}");
    }
    assert_eq!(found(&admin, "娜").await, vec![li]);
    // Characters that do not stand next to each other are not a match.
    assert!(found(&admin, "星科").await.is_empty());
    assert!(found(&admin, "张娜").await.is_empty());
    assert_eq!(found(&admin, "zhang").await, vec![other], "Latin by prefix");
    assert_eq!(found(&admin, "zha").await, vec![other]);

    let account: Vec<i64> = found_accounts(&admin, "星辰").await;
    assert_eq!(account.len(), 1, "the account made from the company name");
    assert_eq!(found_accounts(&admin, "科技").await, account);
    assert_eq!(found_accounts(&admin, "有限").await, account);
}

#[tokio::test]
async fn case_accents_and_full_width_letters_are_folded() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let m = app
        .create_contact(&mut admin, "Margaret", "Müller", "mm@example.org")
        .await;
    let e = app
        .create_contact(&mut admin, "Élodie", "Ｄｕｐｏｎｔ", "")
        .await;
    for q in ["muller", "MÜLLER", "Mül", "margaret muller", "example.org"] {
        assert_eq!(found(&admin, q).await, vec![m], "{q}");
    }
    for q in ["elodie", "ÉLO", "dupont", "ｅｌｏｄｉｅ"] {
        assert_eq!(found(&admin, q).await, vec![e], "{q}");
    }
    // Punctuation alone matches nothing rather than everything.
    assert!(found(&admin, "%").await.is_empty());
    assert!(found(&admin, "--").await.is_empty());
}

#[tokio::test]
async fn edits_renames_deletes_merges_and_imports_keep_search_current() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let ada = app
        .create_contact(&mut admin, "Ada", "Lovelace", "ada@x.example")
        .await;

    // Editing the name: found by the new one only.
    let res = admin
        .post(
            &format!("/contacts/{ada}"),
            &[
                ("first_name", "Augusta"),
                ("last_name", "King"),
                ("email", "ada@x.example"),
                ("account_name", "Analytical Engines"),
                ("lifecycle", "prospect"),
                ("consent", "never_asked"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(found(&admin, "lovelace").await.is_empty());
    assert_eq!(found(&admin, "augusta king").await, vec![ada]);
    assert_eq!(found(&admin, "analytical").await, vec![ada], "by company");

    // Renaming the company re-indexes its contacts.
    let accounts = found_accounts(&admin, "analytical").await;
    assert_eq!(accounts.len(), 1);
    let account = accounts[0];
    let res = admin
        .post(
            &format!("/accounts/{account}"),
            &[("name", "Difference Works"), ("allow_duplicate", "1")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(found(&admin, "analytical").await.is_empty());
    assert!(found_accounts(&admin, "analytical").await.is_empty());
    assert_eq!(found(&admin, "difference").await, vec![ada]);
    assert_eq!(found_accounts(&admin, "works").await, vec![account]);

    // Deleting it: the contact stays, no longer found by the company.
    let res = admin
        .post(&format!("/accounts/{account}/delete"), &[])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(found(&admin, "difference").await.is_empty());
    assert_eq!(found(&admin, "augusta").await, vec![ada]);

    // Merging: the merged-away contact is not found any more, and the kept
    // one is found by the name it took.
    let twin = app
        .create_contact(&mut admin, "Augustine", "Kingsley", "")
        .await;
    let res = admin
        .post(
            &format!("/contacts/{ada}/merge/{twin}"),
            &[("pick_first_name", "b"), ("pick_last_name", "b")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(found(&admin, "kingsley").await, vec![ada]);
    assert_eq!(found(&admin, "augustine").await, vec![ada]);

    // Deleting a contact removes it from search.
    let gone = app
        .create_contact(&mut admin, "Temporary", "Person", "")
        .await;
    assert_eq!(found(&admin, "temporary").await, vec![gone]);
    let res = admin.post(&format!("/contacts/{gone}/delete"), &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(found(&admin, "temporary").await.is_empty());

    // Imported contacts (new and updated) are searchable at once.
    let csv = "First name,Last name,Email,Company\n\
               Grace,Hopper,grace@navy.example,美国海军\n\
               Augusta,Byron,ada@x.example,\n";
    let (_, counts) =
        crate::import_export::import(&mut admin, "people.csv", csv.as_bytes(), "update").await;
    assert_eq!((counts.created, counts.updated), (1, 1), "{counts:?}");
    assert_eq!(found(&admin, "hopper").await.len(), 1);
    assert_eq!(found(&admin, "海军").await, found(&admin, "hopper").await);
    assert_eq!(found(&admin, "byron").await, vec![ada], "updated by email");
}

#[tokio::test]
async fn legacy_chinese_encoded_files_import_and_are_searchable() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let csv = "名,姓,电子邮件,公司\n伟,张,zhang.wei@example.cn,北京星辰科技有限公司\n";
    let (gbk, _, _) = encoding_rs::GBK.encode(csv);
    let (_, counts) = crate::import_export::import(&mut admin, "gbk.csv", &gbk, "update").await;
    assert_eq!((counts.created, counts.errors), (1, 0), "{counts:?}");
    let zhang = found(&admin, "张伟").await;
    assert_eq!(zhang.len(), 1);
    let (_, doc) = admin.get_html(&format!("/contacts/{}", zhang[0])).await;
    assert!(
        texts(&doc, ".subtitle")
            .join(" ")
            .contains("北京星辰科技有限公司")
    );

    let csv =
        "First name,Last name,Email,Company\n大文,陳,chan@example.hk,臺北星辰科技股份有限公司\n";
    let (big5, _, _) = encoding_rs::BIG5.encode(csv);
    let (_, counts) = crate::import_export::import(&mut admin, "big5.csv", &big5, "update").await;
    assert_eq!((counts.created, counts.errors), (1, 0), "{counts:?}");
    assert_eq!(found(&admin, "陳大文").await.len(), 1);
    assert_eq!(found(&admin, "星辰").await.len(), 2);
}
