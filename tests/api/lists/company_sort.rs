//! The contact list sorted by company orders by the account's current name:
//! creating, moving, renaming and deleting accounts re-sorts the contacts.

use reqwest::StatusCode;
use scraper::Selector;

use crate::helpers::*;

async fn names_by_company(client: &Client, dir: &str) -> Vec<String> {
    let (status, doc) = client
        .get_html(&format!("/contacts?sort=company&dir={dir}"))
        .await;
    assert_eq!(status, StatusCode::OK);
    let sel = Selector::parse("#results tbody tr td:first-child a").expect("selector");
    doc.select(&sel)
        .map(|a| a.text().collect::<String>().trim().to_string())
        .collect()
}

async fn contact(client: &mut Client, first: &str, company: &str) -> i64 {
    let res = client
        .post(
            "/contacts",
            &[
                ("first_name", first),
                ("last_name", "Sorter"),
                ("account_name", company),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "{first} saved");
    location(&res)
        .trim_start_matches("/contacts/")
        .parse()
        .expect("id")
}

fn account_of(app: &TestApp, contact: i64) -> i64 {
    use diesel::prelude::*;
    use rapport::db::schema::contacts;
    let mut c = app.conn();
    contacts::table
        .find(contact)
        .select(contacts::account_id.assume_not_null())
        .first(&mut c)
        .expect("account id")
}

#[tokio::test]
async fn company_sort_follows_account_changes() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let ann = contact(&mut admin, "Ann", "Beta Works").await;
    contact(&mut admin, "Bob", "Alpha Labs").await;
    contact(&mut admin, "Cy", "").await;
    contact(&mut admin, "Di", "Gamma Ltd").await;
    // No company first going up, last going down.
    assert_eq!(
        names_by_company(&admin, "asc").await,
        ["Cy Sorter", "Bob Sorter", "Ann Sorter", "Di Sorter"]
    );
    assert_eq!(
        names_by_company(&admin, "desc").await,
        ["Di Sorter", "Ann Sorter", "Bob Sorter", "Cy Sorter"]
    );

    // Renaming Ann's account moves her to the end.
    let beta = account_of(&app, ann);
    let res = admin
        .post(&format!("/accounts/{beta}"), &[("name", "Zeta Works")])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        names_by_company(&admin, "asc").await,
        ["Cy Sorter", "Bob Sorter", "Di Sorter", "Ann Sorter"]
    );

    // Deleting the account leaves her without a company: first going up.
    let res = admin.post(&format!("/accounts/{beta}/delete"), &[]).await;
    assert!(res.status().is_redirection(), "{}", res.status());
    assert_eq!(
        names_by_company(&admin, "asc").await,
        ["Ann Sorter", "Cy Sorter", "Bob Sorter", "Di Sorter"]
    );
}
