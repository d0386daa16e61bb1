//! Internationalised email addresses (RFC 6531): one rule for the contact
//! form, its edit form, import, staff and sign-in.

use diesel::prelude::*;
use rapport::db::schema::contacts;
use reqwest::StatusCode;
use scraper::{Html, Selector};

use crate::hardening::contact_count;
use crate::helpers::*;
use crate::import_export::import;

/// The fields a browser would send back from the first form matching `css`.
fn form_fields(doc: &Html, css: &str) -> (String, Vec<(String, String)>) {
    let form = Selector::parse(css).expect("selector");
    let form = doc.select(&form).next().expect("the form");
    let field = Selector::parse("input[name], select[name], textarea[name]").expect("selector");
    let selected = Selector::parse("option[selected]").expect("selector");
    let mut out = Vec::new();
    for e in form.select(&field) {
        let v = e.value();
        let name = v.attr("name").unwrap_or_default().to_string();
        let value = match v.name() {
            "select" => e
                .select(&selected)
                .next()
                .and_then(|o| o.value().attr("value"))
                .unwrap_or_default()
                .to_string(),
            "textarea" => e.text().collect(),
            _ => {
                if matches!(v.attr("type"), Some("checkbox" | "radio"))
                    && v.attr("checked").is_none()
                {
                    continue;
                }
                v.attr("value").unwrap_or_default().to_string()
            }
        };
        out.push((name, value));
    }
    let action = form.value().attr("action").unwrap_or_default().to_string();
    (action, out)
}

#[tokio::test]
async fn internationalised_email_addresses_save_through_create_edit_and_import() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let id = app
        .create_contact(
            &mut admin,
            "Margaret",
            "Müller",
            "Margaret.Müller.22@Example.com",
        )
        .await;
    let stored = |app: &TestApp, id: i64| -> Option<String> {
        contacts::table
            .find(id)
            .select(contacts::email)
            .first(&mut app.conn())
            .expect("contact")
    };
    assert_eq!(
        stored(&app, id).as_deref(),
        Some("margaret.müller.22@example.com")
    );

    // The edit form, sent back as a browser would: saves (the field is not
    // type=email, which browsers refuse for a non-ASCII local part).
    let (status, doc) = admin.get_html(&format!("/contacts/{id}/edit")).await;
    assert_eq!(status, StatusCode::OK);
    let email = Selector::parse("input[name=email]").expect("selector");
    let input = doc.select(&email).next().expect("email field");
    assert_ne!(input.value().attr("type"), Some("email"));
    assert_eq!(input.value().attr("inputmode"), Some("email"));
    let (action, fields) = form_fields(&doc, &format!("form[action=\"/contacts/{id}\"]"));
    let mut fields: Vec<(String, String)> =
        fields.into_iter().filter(|(k, _)| k != "_csrf").collect();
    for (k, v) in fields.iter_mut() {
        if k == "title" {
            *v = "Buyer".into();
        }
    }
    let form: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let res = admin.post(&action, &form).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "edit saved");
    assert_eq!(
        stored(&app, id).as_deref(),
        Some("margaret.müller.22@example.com")
    );

    // An IDN domain, typed in either form, is one address.
    let res = admin
        .post(
            "/contacts",
            &[
                ("first_name", "Ana"),
                ("last_name", "Bücher"),
                ("email", "ana@xn--bcher-kva.example"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let ana: i64 = location(&res)
        .trim_start_matches("/contacts/")
        .parse()
        .expect("id");
    assert_eq!(stored(&app, ana).as_deref(), Some("ana@bücher.example"));

    // Import: the same rules; matching on the address updates, not duplicates.
    let csv = "Name,Email,Title\nMargaret Müller,MARGARET.MÜLLER.22@example.com,Chief buyer\n\
               李雷,李雷@例子.测试,\nAna Bücher,ana@bücher.example,Owner\n";
    let (_, counts) = import(&mut admin, "intl.csv", csv.as_bytes(), "update").await;
    assert_eq!(
        (counts.created, counts.updated, counts.errors),
        (1, 2, 0),
        "{counts:?}"
    );
    assert_eq!(contact_count(&app), 3);

    // Staff addresses follow the same rule, and sign-in finds them in either form.
    app.create_user(&mut admin, "zoë@bücher.example", "sales", None)
        .await;
    let mut zoe = app.client();
    let res = zoe
        .post(
            "/login",
            &[
                ("email", "ZOË@xn--bcher-kva.example"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "signed in");
}
