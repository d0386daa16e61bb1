//! The new-lead form: a person and a company not yet in the CRM become a
//! contact, an account and a deal in one transaction; a known email or
//! company is a duplicate warning that offers to link the existing record
//! (or to create a new one anyway); anything refused writes nothing. And
//! "New deal" from a contact's or an account's page comes prefilled.

use super::*;
use rapport::db::schema::{accounts, contacts};

fn counts(app: &TestApp) -> (i64, i64, i64) {
    let mut c = app.conn();
    (
        contacts::table
            .count()
            .get_result(&mut c)
            .expect("contacts"),
        accounts::table
            .count()
            .get_result(&mut c)
            .expect("accounts"),
        deals::table.count().get_result(&mut c).expect("deals"),
    )
}

fn lead_form<'a>(stage: &'a str, extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut f = vec![
        ("first_name", "Grace"),
        ("last_name", "Hopper"),
        ("email", "grace@navy.example"),
        ("phone", "+1 555 0100"),
        ("company", "Navy Labs"),
        ("title", "Compiler licences"),
        ("value", "2,500.00"),
        ("currency", "USD"),
        ("stage_id", stage),
    ];
    for (k, v) in extra {
        f.retain(|(key, _)| key != k);
        f.push((k, v));
    }
    f
}

/// The deal's (contact, account) and the contact's account.
fn links(app: &TestApp, deal: i64) -> (Option<i64>, Option<i64>, Option<i64>) {
    let mut c = app.conn();
    let (contact, account): (Option<i64>, Option<i64>) = deals::table
        .find(deal)
        .select((deals::contact_id, deals::account_id))
        .first(&mut c)
        .expect("deal");
    let contact_account = contact.and_then(|id| {
        contacts::table
            .find(id)
            .select(contacts::account_id)
            .first::<Option<i64>>(&mut c)
            .expect("contact")
    });
    (contact, account, contact_account)
}

fn deal_in(res: &reqwest::Response) -> i64 {
    location(res)
        .trim_start_matches("/leads/")
        .parse()
        .expect("deal id")
}

#[tokio::test]
async fn a_raw_lead_becomes_one_contact_one_account_and_one_deal() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let qualified = stage_id(&app, "pipeline-default-stage-qualified").to_string();
    let (status, doc) = admin.get_html("/leads/new-lead").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(texts(&doc, "form.lead-form fieldset").len(), 3);

    let res = admin
        .post("/leads/new-lead", &lead_form(&qualified, &[]))
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let deal = deal_in(&res);
    assert_eq!(counts(&app), (1, 1, 1));
    let (contact, account, contact_account) = links(&app, deal);
    assert!(contact.is_some() && account.is_some());
    assert_eq!(contact_account, account, "the person works at the company");
    let (stage, status, _) = deal_state(&app, deal);
    assert_eq!((stage.to_string(), status.as_str()), (qualified, "open"));
    let (_, page) = admin.get_html(&format!("/leads/{deal}")).await;
    assert!(texts(&page, "h1")[0].contains("Compiler licences"));
    assert!(page.html().contains("Navy Labs"));
}

#[tokio::test]
async fn a_known_email_or_company_offers_the_existing_record() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let lead = stage_id(&app, "pipeline-default-stage-lead").to_string();
    let known = app
        .create_contact(&mut admin, "Grace", "H.", "grace@navy.example")
        .await;
    let res = admin.post("/accounts", &[("name", "Navy Labs")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let acme: i64 = location(&res)
        .trim_start_matches("/accounts/")
        .parse()
        .expect("account id");
    assert_eq!(counts(&app), (1, 1, 0));

    // Both warn, beside their fields, and nothing is written.
    let res = admin.post("/leads/new-lead", &lead_form(&lead, &[])).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let doc = html(res).await;
    assert!(!texts(&doc, "#email-error").is_empty());
    assert!(!texts(&doc, "#company-error").is_empty());
    let offered = |name: &str| -> Vec<String> {
        let css = Selector::parse(&format!("input[name={name}]")).expect("css");
        doc.select(&css)
            .filter_map(|e| e.value().attr("value").map(str::to_string))
            .collect()
    };
    assert_eq!(
        offered("contact_match"),
        vec![known.to_string(), "new".into()]
    );
    assert_eq!(
        offered("account_match"),
        vec![acme.to_string(), "new".into()]
    );
    assert_eq!(counts(&app), (1, 1, 0));

    // Linking both: no new contact or account, the deal points at them.
    let (k, a) = (known.to_string(), acme.to_string());
    let res = admin
        .post(
            "/leads/new-lead",
            &lead_form(&lead, &[("contact_match", &k), ("account_match", &a)]),
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let deal = deal_in(&res);
    assert_eq!(counts(&app), (1, 1, 1));
    let (contact, account, _) = links(&app, deal);
    assert_eq!((contact, account), (Some(known), Some(acme)));

    // "Create anyway" makes new ones beside them.
    let res = admin
        .post(
            "/leads/new-lead",
            &lead_form(&lead, &[("contact_match", "new"), ("account_match", "new")]),
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(counts(&app), (2, 2, 2));
    // The new person works at the new company, not at its namesake.
    let (contact, account, contact_account) = links(&app, deal_in(&res));
    assert!(contact.is_some_and(|c| c != known));
    assert!(account.is_some_and(|a| a != acme));
    assert_eq!(contact_account, account);
}

#[tokio::test]
async fn a_refused_part_rolls_the_whole_lead_back() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let lead = stage_id(&app, "pipeline-default-stage-lead").to_string();
    let won = stage_id(&app, "pipeline-default-stage-won").to_string();
    // The person and company are fine; the deal is not (value, then stage):
    // they were saved inside the transaction and are gone with it.
    for (field, extra) in [
        ("value", vec![("value", "12.345")]),
        ("stage_id", vec![("stage_id", won.as_str())]),
        ("title", vec![("title", "")]),
    ] {
        let res = admin
            .post("/leads/new-lead", &lead_form(&lead, &extra))
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{field}");
        let doc = html(res).await;
        assert!(
            !texts(&doc, &format!("#{field}-error")).is_empty(),
            "error beside {field}"
        );
        assert_eq!(counts(&app), (0, 0, 0), "{field}");
    }
    // A person without a name: all errors at once, nothing written.
    let res = admin
        .post(
            "/leads/new-lead",
            &lead_form(
                &lead,
                &[("first_name", ""), ("last_name", ""), ("value", "x")],
            ),
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let doc = html(res).await;
    assert!(!texts(&doc, "#first_name-error").is_empty());
    assert!(!texts(&doc, "#value-error").is_empty());
    assert_eq!(counts(&app), (0, 0, 0));
    // Linking a record that does not exist is refused the same way.
    let res = admin
        .post(
            "/leads/new-lead",
            &lead_form(&lead, &[("contact_match", "424242")]),
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(counts(&app), (0, 0, 0));
}

#[tokio::test]
async fn a_rep_cannot_link_a_contact_out_of_their_scope() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    app.create_user(&mut admin, "rep@test.example", "sales", None)
        .await;
    let mut rep = app.login("rep@test.example").await;
    let lead = stage_id(&app, "pipeline-default-stage-lead").to_string();
    let hidden = app
        .create_contact(&mut admin, "Secret", "Person", "grace@navy.example")
        .await;
    // The warning does not name the hidden contact nor offer to link it.
    let res = rep.post("/leads/new-lead", &lead_form(&lead, &[])).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let doc = html(res).await;
    assert!(!doc.html().contains("Secret"));
    let h = hidden.to_string();
    let res = rep
        .post(
            "/leads/new-lead",
            &lead_form(&lead, &[("contact_match", &h)]),
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(counts(&app), (1, 0, 0));
}

#[tokio::test]
async fn new_deal_from_a_contact_or_account_page_comes_prefilled() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let res = admin.post("/accounts", &[("name", "Initech")]).await;
    let account: i64 = location(&res)
        .trim_start_matches("/accounts/")
        .parse()
        .expect("account id");
    let res = admin
        .post(
            "/contacts",
            &[
                ("first_name", "Peter"),
                ("last_name", "Gibbons"),
                ("email", "peter@initech.example"),
                ("account_name", "Initech"),
            ],
        )
        .await;
    let contact: i64 = location(&res)
        .trim_start_matches("/contacts/")
        .parse()
        .expect("contact id");
    let value_of = |doc: &Html, css: &str| {
        let s = Selector::parse(css).expect("css");
        doc.select(&s)
            .next()
            .and_then(|e| e.value().attr("value").map(str::to_string))
            .unwrap_or_default()
    };
    // The link is on both pages.
    for (page, q) in [
        (format!("/contacts/{contact}"), format!("contact={contact}")),
        (format!("/accounts/{account}"), format!("account={account}")),
    ] {
        let (_, doc) = admin.get_html(&page).await;
        let a = Selector::parse(&format!(r#"a[href="/leads/new?{q}"]"#)).expect("css");
        assert!(doc.select(&a).next().is_some(), "{page}");
    }
    let (_, doc) = admin
        .get_html(&format!("/leads/new?contact={contact}"))
        .await;
    assert_eq!(value_of(&doc, "#contact"), "peter@initech.example");
    assert_eq!(value_of(&doc, "#account"), "Initech");
    let (_, doc) = admin
        .get_html(&format!("/leads/new?account={account}"))
        .await;
    assert_eq!(value_of(&doc, "#account"), "Initech");
    // And saving it links both.
    let lead = stage_id(&app, "pipeline-default-stage-lead").to_string();
    let res = admin
        .post(
            "/leads",
            &[
                ("title", "Printers"),
                ("contact", "peter@initech.example"),
                ("account", "Initech"),
                ("value", "10"),
                ("currency", "USD"),
                ("source", "other"),
                ("stage_id", &lead),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (c, a, _) = links(&app, deal_in(&res));
    assert_eq!((c, a), (Some(contact), Some(account)));
}
