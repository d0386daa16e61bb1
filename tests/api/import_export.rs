//! CSV import (upload, mapping guess and preview, background import with an
//! exact per-row report, re-runs that update or skip and never duplicate,
//! record scope, resuming a stalled import, the size limit) and CSV export
//! (scope, filters, formula neutralisation).

use std::time::{Duration, Instant};

use diesel::dsl::count_star;
use diesel::prelude::*;
use rapport::db::schema::{contacts, imports, record_tags, tags};
use reqwest::StatusCode;
use scraper::{Html, Selector};

use crate::helpers::*;

const BOUNDARY: &str = "RapportTestBoundary9f8e7d6c";

/// As the upload form sends it: the CSRF token first, then the choice and the file.
pub fn multipart_body(token: &str, file_name: &str, content: &[u8], on_match: &str) -> Vec<u8> {
    let mut b = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n{token}\r\n\
         --{BOUNDARY}\r\nContent-Disposition: form-data; name=\"on_match\"\r\n\r\n{on_match}\r\n\
         --{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\n\
         Content-Type: text/csv\r\n\r\n"
    )
    .into_bytes();
    b.extend_from_slice(content);
    b.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    b
}

/// Posts a file as the upload form does (CSRF token as the first field).
pub async fn upload_csv(
    c: &Client,
    file_name: &str,
    content: &[u8],
    on_match: &str,
) -> reqwest::Response {
    let token = c.csrf.clone().unwrap_or_default();
    c.http
        .post(c.url("/contacts/import"))
        .header("content-type", multipart_type())
        .body(multipart_body(&token, file_name, content, on_match))
        .send()
        .await
        .expect("upload")
}

pub fn multipart_type() -> String {
    format!("multipart/form-data; boundary={BOUNDARY}")
}

/// Uploads and returns the new import's id.
pub async fn uploaded(c: &Client, file_name: &str, content: &[u8], on_match: &str) -> i64 {
    let res = upload_csv(c, file_name, content, on_match).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "upload of {file_name}");
    location(&res)
        .trim_start_matches("/contacts/import/")
        .parse()
        .expect("import id in location")
}

/// A small upload waiting for its mapping; returns its id.
pub async fn sample_import(c: &Client) -> i64 {
    uploaded(
        c,
        "sample.csv",
        b"Name,Email\nSam Sample,sam@test.example\n",
        "update",
    )
    .await
}

/// An `imports` row made directly in the database (no file), for fixtures.
pub fn insert_import(app: &TestApp, user_id: i64, status: &str) -> i64 {
    let mut c = app.conn();
    let t = rapport::db::now();
    diesel::insert_into(imports::table)
        .values((
            imports::user_id.eq(user_id),
            imports::file_name.eq("fixture.csv"),
            imports::status.eq(status),
            imports::mapping.eq("[\"email\"]"),
            imports::on_match.eq("update"),
            imports::total_rows.eq(0),
            imports::processed_rows.eq(0),
            imports::created_count.eq(0),
            imports::updated_count.eq(0),
            imports::skipped_count.eq(0),
            imports::error_count.eq(0),
            imports::created_at.eq(t),
            imports::updated_at.eq(t),
        ))
        .execute(&mut c)
        .expect("import row");
    rapport::db::last_insert_id(&mut c).expect("id")
}

/// The mapping page's choice per column: (select name, selected field).
pub(crate) async fn chosen(c: &Client, id: i64) -> Vec<(String, String)> {
    let (status, doc) = c.get_html(&format!("/contacts/import/{id}")).await;
    assert_eq!(status, StatusCode::OK, "mapping page");
    let sel = Selector::parse("select[name^=col_]").expect("selector");
    let opt = Selector::parse("option[selected]").expect("selector");
    doc.select(&sel)
        .map(|s| {
            let name = s.value().attr("name").unwrap_or_default().to_string();
            let value = s
                .select(&opt)
                .next()
                .and_then(|o| o.value().attr("value"))
                .unwrap_or("ignore")
                .to_string();
            (name, value)
        })
        .collect()
}

async fn start(c: &mut Client, id: i64, mapping: &[(String, String)], on_match: &str) {
    let mut form: Vec<(&str, &str)> = mapping
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    form.push(("on_match", on_match));
    form.push(("start", "1"));
    let res = c
        .post(&format!("/contacts/import/{id}/mapping"), &form)
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "import {id} starts");
    assert_eq!(location(&res), format!("/contacts/import/{id}"));
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub total: i64,
    pub processed: i64,
    pub created: i64,
    pub updated: i64,
    pub skipped: i64,
    pub errors: i64,
}

fn count_in(doc: &Html, id: &str) -> i64 {
    texts(doc, &format!("#count-{id}"))
        .first()
        .and_then(|t| t.parse().ok())
        .unwrap_or(-1)
}

/// Polls the progress fragment (as htmx does) until it stops polling.
async fn wait(c: &Client, id: i64) -> Counts {
    let deadline = Instant::now() + Duration::from_secs(300);
    let progress = Selector::parse("#progress").expect("selector");
    loop {
        let res = c.get_htmx(&format!("/contacts/import/{id}")).await;
        assert_eq!(res.status(), StatusCode::OK);
        let body = res.text().await.expect("body");
        assert!(!body.contains("<html"), "a fragment");
        let doc = Html::parse_fragment(&body);
        let polling = doc
            .select(&progress)
            .next()
            .expect("#progress")
            .value()
            .attr("hx-trigger")
            .is_some();
        if !polling {
            return Counts {
                total: count_in(&doc, "total"),
                processed: count_in(&doc, "processed"),
                created: count_in(&doc, "created"),
                updated: count_in(&doc, "updated"),
                skipped: count_in(&doc, "skipped"),
                errors: count_in(&doc, "errors"),
            };
        }
        assert!(Instant::now() < deadline, "import {id} did not finish");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Upload, keep the guessed mapping, start, wait.
pub async fn import(c: &mut Client, name: &str, content: &[u8], on_match: &str) -> (i64, Counts) {
    let id = uploaded(c, name, content, on_match).await;
    let mapping = chosen(c, id).await;
    start(c, id, &mapping, on_match).await;
    (id, wait(c, id).await)
}

pub async fn report(c: &Client, id: i64) -> Vec<Vec<String>> {
    let res = c.get(&format!("/contacts/import/{id}/report.csv")).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        res.headers()["content-disposition"]
            .to_str()
            .expect("header")
            .starts_with("attachment;")
    );
    let body = res.bytes().await.expect("body");
    let body = body.strip_prefix(b"\xEF\xBB\xBF").expect("BOM");
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(body)
        .records()
        .map(|r| r.expect("record").iter().map(str::to_string).collect())
        .collect()
}

fn contact_count(app: &TestApp) -> i64 {
    contacts::table
        .select(count_star())
        .first(&mut app.conn())
        .expect("count")
}

const GENERATED: usize = 10_000;
const OVERFLOW: &str = "the row has more cells than the header has columns \
    (a value containing a comma or semicolon needs quotes)";

/// A BOM, semicolons, CRLF, blank lines, a quoted address over two lines,
/// bad emails and phones, a nameless row, a row with too many cells, the
/// same person three times, and 10,000 generated rows.
fn messy_csv() -> Vec<u8> {
    let mut s = String::from("\u{FEFF}Full Name;E-mail;Phone;Organisation;Address;City;Tags\r\n");
    s.push_str(
        "Ada Lovelace;ADA@Example.com;+44 20 7946 0958;Analytical Engines;;London;vip, math\r\n",
    ); // 2
    s.push_str("\r\n"); // 3
    s.push_str("Grace Hopper;not-an-email;;Navy;;Arlington;\r\n"); // 4
    s.push_str("\"Lovelace, Ada\";ada@example.com;;;;;poet\r\n"); // 5
    s.push_str("Alan Turing;alan@example.com;;;\"1 Hut Lane\r\nBletchley\";Manchester;\r\n"); // 6-7
    s.push_str(";;;;;;\r\n"); // 8
    s.push_str("Edsger Dijkstra;edsger@example.com;call me;;;;\r\n"); // 9
    s.push_str("=HYPERLINK(\"x\") Evil;evil@example.com;;;;;\r\n"); // 10
    s.push_str(";nameless@example.com;;;;;\r\n"); // 11
    s.push_str("Ada Lovelace;ada@example.com;;;;;\r\n"); // 12
    s.push_str("Extra Cells;extra@example.com;1;2;3;4;5;6;7\r\n"); // 13
    for i in 0..GENERATED {
        s.push_str(&format!(
            "Person{i} Generated;person{i}@example.com;+1 555 {i:04};Company {};;City {};gen\r\n",
            i % 50,
            i % 10
        )); // 14 …
    }
    s.into_bytes()
}

fn expected_report() -> Vec<Vec<String>> {
    let row = |cells: &[&str]| cells.iter().map(|c| c.to_string()).collect::<Vec<_>>();
    vec![
        row(&[
            "line",
            "problem",
            "Full Name",
            "E-mail",
            "Phone",
            "Organisation",
            "Address",
            "City",
            "Tags",
        ]),
        row(&[
            "4",
            "email: Enter a valid email address, like name@example.com.",
            "Grace Hopper",
            "not-an-email",
            "",
            "Navy",
            "",
            "Arlington",
            "",
        ]),
        row(&[
            "9",
            "phone: Use digits, spaces and + - ( ) only, like +44 20 7946 0958.",
            "Edsger Dijkstra",
            "edsger@example.com",
            "call me",
            "",
            "",
            "",
            "",
        ]),
        row(&[
            "11",
            "first_name: Enter a first or last name.",
            "",
            "nameless@example.com",
            "",
            "",
            "",
            "",
            "",
        ]),
        row(&[
            "13",
            OVERFLOW,
            "Extra Cells",
            "extra@example.com",
            "1",
            "2",
            "3",
            "4",
            "5",
            "6",
            "7",
        ]),
    ]
}

#[tokio::test]
async fn a_messy_csv_imports_with_an_exact_report_and_reruns_never_duplicate() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let before = contact_count(&app);
    let file = messy_csv();

    let (id, counts) = import(&mut admin, "messy.csv", &file, "update").await;
    let rows = GENERATED as i64 + 9;
    assert_eq!(
        counts,
        Counts {
            total: rows,
            processed: rows,
            created: GENERATED as i64 + 3,
            updated: 2,
            skipped: 0,
            errors: 4,
        },
        "first run"
    );
    assert_eq!(report(&admin, id).await, expected_report());
    assert_eq!(contact_count(&app), before + GENERATED as i64 + 3);
    let (_, doc) = admin.get_html(&format!("/contacts/import/{id}")).await;
    assert_eq!(
        texts(&doc, ".import-errors tbody td:first-child"),
        vec!["4", "9", "11", "13"]
    );

    // What the rows became: the later Ada rows updated the first one.
    let mut c = app.conn();
    let ada: (String, String, Option<String>, Option<String>) = contacts::table
        .filter(contacts::email.eq("ada@example.com"))
        .select((
            contacts::first_name,
            contacts::last_name,
            contacts::phone,
            contacts::city,
        ))
        .first(&mut c)
        .expect("one Ada");
    assert_eq!(
        ada,
        (
            "Ada".into(),
            "Lovelace".into(),
            Some("+44 20 7946 0958".into()),
            Some("London".into())
        ),
        "empty cells keep what the contact has"
    );
    let alan: Option<String> = contacts::table
        .filter(contacts::email.eq("alan@example.com"))
        .select(contacts::address)
        .first(&mut c)
        .expect("Alan");
    assert_eq!(alan.as_deref(), Some("1 Hut Lane, Bletchley"));
    let (_, doc) = admin.get_html("/contacts?q=ada%40example.com").await;
    assert_eq!(texts(&doc, "#results tbody tr").len(), 1);
    let tags: Vec<String> = texts(&doc, "#results tbody tr td:first-child .tag");
    assert_eq!(tags, vec!["math", "poet", "vip"], "tags add up");
    let tagged: i64 = record_tags::table
        .inner_join(tags::table)
        .filter(tags::name.eq("gen"))
        .filter(record_tags::contact_id.is_not_null())
        .select(count_star())
        .first(&mut c)
        .expect("count");
    assert_eq!(tagged, GENERATED as i64);

    // Again, updating: every row with a known email updates, nothing new.
    let (_, counts) = import(&mut admin, "messy.csv", &file, "update").await;
    assert_eq!(
        (
            counts.created,
            counts.updated,
            counts.skipped,
            counts.errors
        ),
        (0, GENERATED as i64 + 5, 0, 4),
        "second run, update"
    );
    // And skipping.
    let (id, counts) = import(&mut admin, "messy.csv", &file, "skip").await;
    assert_eq!(
        (
            counts.created,
            counts.updated,
            counts.skipped,
            counts.errors
        ),
        (0, 0, GENERATED as i64 + 5, 4),
        "third run, skip"
    );
    assert_eq!(report(&admin, id).await, expected_report());
    assert_eq!(
        contact_count(&app),
        before + GENERATED as i64 + 3,
        "no duplicates"
    );

    // Each finished import is in the audit log.
    let (_, doc) = admin.get_html("/admin/audit").await;
    let entities = texts(&doc, "tbody tr td:nth-child(4)");
    assert!(
        entities.iter().filter(|e| e.starts_with("import")).count() >= 3,
        "{entities:?}"
    );
}

#[tokio::test]
async fn the_mapping_step_guesses_columns_and_previews_rows_with_their_problems() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    app.create_contact(&mut admin, "Known", "Person", "known@example.com")
        .await;
    let csv = "First Name,Surname,E-mail,Organisation,Mobile,Notes,Label\n\
               Ada,Lovelace,ada@example.com,Engines,+44 1,hi,vip\n\
               Bad,Email,nope,,,,\n\
               Known,Person,KNOWN@example.com,,,,\n\
               ,,,,,,\n\
               Dup,Row,ada@example.com,,,,\n";
    let id = uploaded(&admin, "guess.csv", csv.as_bytes(), "update").await;
    let mapping = chosen(&admin, id).await;
    let fields: Vec<&str> = mapping.iter().map(|(_, v)| v.as_str()).collect();
    assert_eq!(
        fields,
        [
            "first_name",
            "last_name",
            "email",
            "company",
            "phone",
            "ignore",
            "tags"
        ]
    );
    let (_, doc) = admin.get_html(&format!("/contacts/import/{id}")).await;
    assert_eq!(
        texts(&doc, ".preview tbody tr td:first-child"),
        ["2", "3", "4", "6"]
    );
    let results = texts(&doc, ".preview tbody tr td:last-child");
    assert_eq!(results[0], "New contact");
    assert!(
        results[1].contains("email: Enter a valid email address"),
        "{results:?}"
    );
    assert!(results[2].starts_with("Updates contact #"), "{results:?}");
    assert_eq!(results[3], "Updates the row above");

    // A mapping without names or emails is refused in place; nothing starts.
    let res = admin
        .post(
            &format!("/contacts/import/{id}/mapping"),
            &[("col_0", "phone"), ("col_1", "phone"), ("start", "1")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let doc = html(res).await;
    assert_eq!(texts(&doc, "#mapping-problems p").len(), 2);
    let (_, doc) = admin.get_html(&format!("/contacts/import/{id}")).await;
    assert!(texts(&doc, ".preview").len() == 1, "still mapping");

    // The htmx preview of another mapping saves it without starting.
    let res = admin
        .post_htmx(
            &format!("/contacts/import/{id}/mapping"),
            &[("col_0", "last_name"), ("col_2", "email"), ("preview", "1")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let frag = Html::parse_fragment(&res.text().await.expect("body"));
    assert_eq!(
        texts(&frag, ".preview tbody tr:first-child td:nth-child(3)"),
        ["Ada"]
    );
    let fields: Vec<String> = chosen(&admin, id)
        .await
        .into_iter()
        .map(|(_, v)| v)
        .collect();
    assert_eq!(fields[..3], ["last_name", "ignore", "email"]);
}

#[tokio::test]
async fn uploads_over_the_limit_or_not_csv_are_refused_with_a_page() {
    let app = spawn().await;
    let admin = app.setup_admin().await;
    // Just over (read and counted), and far over (refused by its length).
    for size in [
        rapport::imports::UPLOAD_LIMIT + 1,
        rapport::imports::UPLOAD_LIMIT + (1 << 20),
    ] {
        let big = vec![b'a'; size];
        let res = upload_csv(&admin, "big.csv", &big, "update").await;
        assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE, "{size} bytes");
        let doc = html(res).await;
        assert!(texts(&doc, "#upload-error").join(" ").contains("20 MiB"));
        assert_eq!(texts(&doc, "h1"), ["Import contacts"]);
    }

    for (name, body, says) in [
        ("", &b""[..], "Choose a CSV file"),
        ("empty.csv", &b""[..], "empty"),
        ("blank.csv", &b" \r\n\r\n"[..], "empty"),
        ("head.csv", &b"Name,Email\r\n\r\n"[..], "no contacts"),
        ("book.xlsx", &b"PK\x03\x04\x14\x00binary"[..], "Excel"),
    ] {
        let res = upload_csv(&admin, name, body, "update").await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{name}");
        let doc = html(res).await;
        let shown = texts(&doc, "#upload-error").join(" ");
        assert!(shown.contains(says), "{name}: {shown}");
    }
    let res = admin
        .http
        .post(admin.url("/contacts/import"))
        .header("x-csrf-token", admin.csrf.clone().unwrap_or_default())
        .form(&[("file", "x")])
        .send()
        .await
        .expect("post");
    assert_eq!(
        res.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "not multipart"
    );
    let count: i64 = imports::table
        .select(count_star())
        .first(&mut app.conn())
        .expect("count");
    assert_eq!(count, 0, "nothing stored");
}

/// North: a manager (team scope) and a marketing rep; South: a rep.
async fn scoped_world() -> (TestApp, Client) {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let res = admin
        .post(
            "/admin/roles",
            &[
                ("scope_manager", "team"),
                ("scope_sales", "own"),
                ("scope_support", "team"),
                ("scope_marketing", "own"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let north = app.create_team(&mut admin, "North").await;
    let south = app.create_team(&mut admin, "South").await;
    for (email, role, team) in [
        ("mgr@test.example", "manager", north),
        ("mkt@test.example", "marketing", north),
        ("rep@test.example", "sales", north),
        ("south@test.example", "marketing", south),
    ] {
        app.create_user(&mut admin, email, role, Some(team)).await;
    }
    let mut mkt = app.login("mkt@test.example").await;
    app.create_contact(&mut mkt, "Mia", "Marketing", "mia@north.example")
        .await;
    app.create_contact(&mut mkt, "=SUM(A1)", "+Plus", "-minus@north.example")
        .await;
    let mut rep = app.login("rep@test.example").await;
    app.create_contact(&mut rep, "Rex", "Rep", "rex@north.example")
        .await;
    let mut south = app.login("south@test.example").await;
    app.create_contact(&mut south, "Sam", "South", "sam@south.example")
        .await;
    (app, admin)
}

pub(crate) async fn export(c: &Client, query: &str) -> Vec<Vec<String>> {
    let res = c.get(&format!("/contacts/export.csv{query}")).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "text/csv; charset=utf-8");
    let disposition = res.headers()["content-disposition"]
        .to_str()
        .expect("header")
        .to_string();
    let today = chrono::Utc::now().format("%Y-%m-%d");
    assert_eq!(
        disposition,
        format!("attachment; filename=\"contacts-{today}.csv\"")
    );
    let body = res.bytes().await.expect("body");
    let body = body.strip_prefix(b"\xEF\xBB\xBF").expect("UTF-8 BOM");
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(body)
        .records()
        .map(|r| r.expect("record").iter().map(str::to_string).collect())
        .collect()
}

#[tokio::test]
async fn export_is_scoped_filtered_and_neutralises_formulas() {
    let (app, admin) = scoped_world().await;
    let emails = |rows: &[Vec<String>]| -> Vec<String> {
        rows.iter().skip(1).map(|r| r[2].clone()).collect()
    };
    let all = export(&admin, "").await;
    assert_eq!(
        all[0],
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
            "owner",
            "created_at"
        ]
    );
    assert_eq!(all.len(), 5, "the admin sees all four");

    let mkt = app.login("mkt@test.example").await;
    let mine = export(&mkt, "").await;
    let mut own = emails(&mine);
    own.sort();
    assert_eq!(
        own,
        ["'-minus@north.example", "mia@north.example"],
        "own scope: only their contacts"
    );
    let formula = mine
        .iter()
        .find(|r| r[2] == "'-minus@north.example")
        .expect("row");
    assert_eq!(
        (formula[0].as_str(), formula[1].as_str()),
        ("'=SUM(A1)", "'+Plus")
    );
    assert_eq!(formula[9], "prospect");
    assert_eq!(formula[13], "User mkt@test.example");

    let mgr = app.login("mgr@test.example").await;
    let team = export(&mgr, "").await;
    assert_eq!(emails(&team).len(), 3, "team scope: North's three");
    assert!(!emails(&team).contains(&"sam@south.example".to_string()));
    let searched = export(&mgr, "?q=rex").await;
    assert_eq!(
        emails(&searched),
        ["rex@north.example"],
        "the list's filters apply"
    );

    let rep = app.login("rep@test.example").await;
    assert_eq!(
        rep.get("/contacts/export.csv").await.status(),
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn an_import_never_touches_contacts_outside_the_importers_scope() {
    let (app, admin) = scoped_world().await;
    let mut mkt = app.login("mkt@test.example").await;
    let csv = "Email,First name,Last name,Phone\n\
               sam@south.example,Hijacked,Name,+1 111\n\
               rex@north.example,Also,Hijacked,+1 222\n\
               mia@north.example,Mia,Updated,+1 333\n";
    let (id, counts) = import(&mut mkt, "scope.csv", csv.as_bytes(), "update").await;
    assert_eq!(
        (counts.created, counts.updated, counts.errors),
        (0, 1, 2),
        "{counts:?}"
    );
    let lines: Vec<(String, String)> = report(&mkt, id)
        .await
        .into_iter()
        .skip(1)
        .map(|r| (r[0].clone(), r[1].clone()))
        .collect();
    let outside = "a contact with this email exists outside your records".to_string();
    assert_eq!(
        lines,
        [
            ("2".to_string(), outside.clone()),
            ("3".to_string(), outside)
        ]
    );
    let names: Vec<(String, Option<String>)> = contacts::table
        .order(contacts::id)
        .select((contacts::last_name, contacts::phone))
        .load(&mut app.conn())
        .expect("contacts");
    assert!(names.contains(&("South".into(), None)), "{names:?}");
    assert!(names.contains(&("Rep".into(), None)), "{names:?}");
    assert!(names.contains(&("Updated".into(), Some("+1 333".into()))));

    // Only the importer (and admins) see an import.
    let mut mgr = app.login("mgr@test.example").await;
    for path in [
        format!("/contacts/import/{id}"),
        format!("/contacts/import/{id}/report.csv"),
    ] {
        assert_eq!(
            mgr.get(&path).await.status(),
            StatusCode::NOT_FOUND,
            "{path}"
        );
        assert_eq!(admin.get(&path).await.status(), StatusCode::OK, "{path}");
    }
    let res = mgr
        .post(
            &format!("/contacts/import/{id}/mapping"),
            &[("col_0", "email")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let (_, doc) = mkt.get_html("/contacts/import").await;
    assert_eq!(
        texts(&doc, ".imports tbody tr td:first-child"),
        ["scope.csv"]
    );
    let (_, doc) = admin.get_html("/contacts/import").await;
    assert!(
        texts(&doc, ".imports tbody tr").is_empty(),
        "a user's own list"
    );
}

#[tokio::test]
async fn a_stalled_import_resumes_where_it_stopped_without_duplicates() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let csv = "Name,Email\nOne Row,one@example.com\nTwo Row,two@example.com\nThree Row,\n";
    let id = uploaded(&admin, "resume.csv", csv.as_bytes(), "update").await;
    // As if a worker had committed the first row's batch and then died.
    app.create_contact(&mut admin, "One", "Row", "one@example.com")
        .await;
    let long_ago = rapport::db::now() - chrono::Duration::seconds(600);
    diesel::update(imports::table.find(id))
        .set((
            imports::status.eq("running"),
            imports::mapping.eq("[\"full_name\",\"email\"]"),
            imports::processed_rows.eq(1),
            imports::created_count.eq(1),
            imports::updated_at.eq(long_ago),
        ))
        .execute(&mut app.conn())
        .expect("stall");
    let before = contact_count(&app);
    let counts = wait(&admin, id).await;
    assert_eq!(
        (
            counts.processed,
            counts.created,
            counts.updated,
            counts.errors
        ),
        (3, 3, 0, 0)
    );
    assert_eq!(contact_count(&app), before + 2, "rows 2 and 3 only");
    let ones: i64 = contacts::table
        .filter(contacts::email.eq("one@example.com"))
        .select(count_star())
        .first(&mut app.conn())
        .expect("count");
    assert_eq!(ones, 1);
}

#[tokio::test]
async fn import_pages_show_file_names_headers_and_cells_as_text() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let payload = "<script>alert(1)</script>";
    let csv = format!(
        "Name,Email,\"\"\"><img src=x onerror=alert(1)>\"\n\
         \"{payload}\",x@example.com,\"<svg onload=alert(1)>\"\n\
         Bad,\"'><svg onload=alert(1)>\",\n"
    );
    let file_name = "'><svg onload=alert(1)>.csv";
    let id = uploaded(&admin, file_name, csv.as_bytes(), "update").await;
    let mapping = chosen(&admin, id).await;
    let (_, doc) = admin.get_html(&format!("/contacts/import/{id}")).await;
    let preview = doc.root_element().text().collect::<String>();
    assert!(preview.contains(payload), "cells are shown as text");
    assert!(
        preview.contains("\"><img src=x onerror=alert(1)>"),
        "headers too"
    );
    let mut pages = vec![admin.get(&format!("/contacts/import/{id}")).await];
    start(&mut admin, id, &mapping, "update").await;
    wait(&admin, id).await;
    pages.push(admin.get(&format!("/contacts/import/{id}")).await);
    pages.push(admin.get("/contacts/import").await);
    for res in pages {
        let body = res.text().await.expect("body");
        for live in ["<script>alert", "<img src=x", "<svg onload"] {
            assert!(!body.contains(live), "{live} in {body}");
        }
        let doc = Html::parse_document(&body);
        let text = doc.root_element().text().collect::<String>();
        assert!(text.contains(file_name), "the file name is shown as text");
    }
}

/// Throughput of creating contacts, for docs/import.md. Run with
/// `cargo test --release --test api import_throughput -- --ignored --nocapture`
/// (RAPPORT_IMPORT_ROWS=50000 for more rows).
#[tokio::test]
#[ignore]
async fn import_throughput() {
    let rows: usize = std::env::var("RAPPORT_IMPORT_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let mut s = String::from("First name,Last name,Email,Phone,Company,City,Tags\n");
    for i in 0..rows {
        s.push_str(&format!(
            "First{i},Last{i},bench{i}@example.com,+1 555 {i:06},Company {},City {},bench\n",
            i % 500,
            i % 40
        ));
    }
    let id = uploaded(&admin, "bench.csv", s.as_bytes(), "update").await;
    let mapping = chosen(&admin, id).await;
    let started = Instant::now();
    start(&mut admin, id, &mapping, "update").await;
    let counts = wait(&admin, id).await;
    let secs = started.elapsed().as_secs_f64();
    assert_eq!(counts.created, rows as i64);
    println!(
        "import throughput ({:?}): {rows} rows created in {secs:.2} s = {:.0} rows/s",
        backend(),
        rows as f64 / secs
    );
    // The same file again: every row updates its contact.
    let id = uploaded(&admin, "bench.csv", s.as_bytes(), "update").await;
    let started = Instant::now();
    start(&mut admin, id, &mapping, "update").await;
    let counts = wait(&admin, id).await;
    let secs = started.elapsed().as_secs_f64();
    assert_eq!(counts.updated, rows as i64);
    println!(
        "import throughput ({:?}): {rows} rows updated in {secs:.2} s = {:.0} rows/s",
        backend(),
        rows as f64 / secs
    );
}
