//! Malformed input on every form: whatever a client sends to a POST route
//! (nothing, far too much, bytes that are not UTF-8, the wrong content type,
//! junk, ids that are not ids), the answer is below 500, a refusal is a
//! friendly HTML page, and the database holds exactly what it held before.
//! The routes come from `startup::all_routes()`, so a new form is covered the
//! day it is added.

use std::collections::{BTreeMap, BTreeSet};

use diesel::prelude::*;
use rapport::db::schema::{accounts, activities, audit_log, contacts, roles, teams, users};
use rapport::web::Access;
use rapport::web::routing::RouteDef;
use reqwest::StatusCode;
use scraper::Selector;

use crate::helpers::*;

/// Every field name any form of the app reads.
const FIELDS: [&str; 39] = [
    "name",
    "email",
    "password",
    "password_confirm",
    "first_name",
    "last_name",
    "phone",
    "account_name",
    "owner_id",
    "role",
    "team_id",
    "active",
    "body",
    "current_password",
    "new_password",
    "new_password_confirm",
    "scope_manager",
    "scope_sales",
    "scope_support",
    "scope_marketing",
    "next",
    "title",
    "address",
    "city",
    "country",
    "lifecycle",
    "consent",
    "source",
    "tags",
    "allow_duplicate",
    "kind",
    "subject",
    "domain",
    "industry",
    "size",
    "due_on",
    "assignee_id",
    "contact_id",
    "account_id",
];
const LONG: usize = 100_000;
const FORM: &str = "application/x-www-form-urlencoded";
const NOT_IDS: [&str; 3] = ["abc", "-1", "99999999999999999999"];

// ---------------------------------------------------------------------------
// The malformed requests.

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Expect {
    /// Anything below 500 (and a friendly page if refused).
    Survive,
    /// 413, from every route that reads a body.
    TooLarge,
    /// 415 from every route that reads a form.
    Unsupported,
}

struct Case {
    label: String,
    content_type: Option<String>,
    body: Vec<u8>,
    expect: Expect,
}

impl Case {
    fn form(label: impl Into<String>, body: Vec<u8>) -> Case {
        Case {
            label: label.into(),
            content_type: Some(FORM.into()),
            body,
            expect: Expect::Survive,
        }
    }

    fn typed(label: &str, content_type: Option<&str>, body: Vec<u8>) -> Case {
        Case {
            label: label.into(),
            content_type: content_type.map(str::to_string),
            body,
            expect: Expect::Unsupported,
        }
    }

    fn multipart_boundary(&self) -> Option<&str> {
        self.content_type
            .as_deref()?
            .strip_prefix("multipart/form-data; boundary=")
    }

    /// The CSRF middleware looks for `_csrf` in bodies of this type.
    fn is_urlencoded(&self) -> bool {
        self.content_type
            .as_deref()
            .is_some_and(|t| t.starts_with(FORM))
    }
}

fn enc(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// `key=value&…` from parts that are sent exactly as given (already encoded,
/// or deliberately not).
fn join<K: AsRef<[u8]>, V: AsRef<[u8]>>(parts: impl IntoIterator<Item = (K, V)>) -> Vec<u8> {
    let mut out = Vec::new();
    for (k, v) in parts {
        if !out.is_empty() {
            out.push(b'&');
        }
        out.extend_from_slice(k.as_ref());
        out.push(b'=');
        out.extend_from_slice(v.as_ref());
    }
    out
}

/// Every known field set to `value` (raw bytes, sent as given). The fields a
/// short value could satisfy (`name`, `body`, the new passwords) are padded
/// past every length limit, so that no form of the app can be valid: whatever
/// the database holds afterwards was half-written.
fn every_field(value: &[u8]) -> Vec<u8> {
    join(FIELDS.map(|f| {
        let mut v = value.to_vec();
        if matches!(f, "name" | "body" | "password" | "new_password") {
            v.extend(std::iter::repeat_n(b'x', 10_001));
        }
        (f, v)
    }))
}

/// A form every route would accept, were it read despite its content type.
fn plausible() -> Vec<(&'static str, &'static str)> {
    vec![
        ("name", "Plausible Name"),
        ("email", "plausible@test.example"),
        ("password", "plausible-Secret-9"),
        ("password_confirm", "plausible-Secret-9"),
        ("first_name", "Plausible"),
        ("last_name", "Person"),
        ("account_name", "Plausible Ltd"),
        ("role", "manager"),
        ("team_id", ""),
        ("active", "on"),
        ("body", "A plausible note"),
        ("current_password", PASSWORD),
        ("new_password", "plausible-Secret-9"),
        ("new_password_confirm", "plausible-Secret-9"),
        ("scope_manager", "all"),
        ("scope_sales", "all"),
        ("scope_support", "all"),
        ("scope_marketing", "own"),
    ]
}

fn plausible_urlencoded() -> Vec<u8> {
    join(plausible().into_iter().map(|(k, v)| (k, enc(v))))
}

fn cases() -> Vec<Case> {
    let mut v = vec![
        Case::form("an empty form", Vec::new()),
        Case::form("every field present and empty", every_field(b"")),
    ];
    for f in FIELDS {
        v.push(Case::form(
            format!("{f} of {LONG} characters"),
            join([(f, vec![b'x'; LONG])]),
        ));
    }
    v.push(Case::form(
        "every field 11,000 characters",
        join(FIELDS.map(|f| (f, vec![b'y'; 11_000]))),
    ));
    v.push(Case::form(
        "every field 300 four-byte characters",
        every_field(enc(&"😀".repeat(300)).as_bytes()),
    ));
    v.push(Case::form(
        "percent-encoded invalid UTF-8 (%ff%fe) in every field",
        every_field(b"%ff%fe"),
    ));
    v.push(Case::form(
        "raw invalid UTF-8 bytes in every field",
        every_field(b"\xff\xfe\xc3\x28\xed\xa0\x80"),
    ));
    v.push(Case::form(
        "a body of raw invalid UTF-8",
        b"\xff\xfe\x00\x01=\xc3\x28&&=\xed\xa0\x80\xf8".to_vec(),
    ));
    v.push(Case::form(
        "control characters in every field",
        every_field(b"a%00b%0D%0Ac%1B%7F%E2%80%AE"),
    ));
    v.push(Case::form("junk", b"a=%zz&&==&b".to_vec()));
    v.push(Case::form(
        "invalid UTF-8 in field names",
        b"%ff%fe=1&\xff\xfe=2&name%ff=3&=&&".to_vec(),
    ));
    v.push(Case::form("every field twice", {
        let mut b = every_field(b"");
        b.push(b'&');
        b.extend(every_field(b""));
        b
    }));
    v.push(Case::form(
        "bracketed field names",
        b"name[]=a&name[x]=b&first_name[0]=c&body[]=d&role[]=admin&team_id[]=1".to_vec(),
    ));
    for id in NOT_IDS {
        v.push(Case::form(
            format!("{id:?} in the id fields"),
            join(
                [
                    "owner_id",
                    "team_id",
                    "assignee_id",
                    "contact_id",
                    "account_id",
                ]
                .map(|f| (f, id)),
            ),
        ));
    }
    v.push(Case::typed(
        "JSON",
        Some("application/json"),
        serde_json::to_vec(&plausible().into_iter().collect::<BTreeMap<_, _>>()).expect("json"),
    ));
    v.push(Case::typed(
        "multipart with garbage",
        Some("multipart/form-data; boundary=XyZ"),
        b"--XyZ\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nPlausible\r\n--XyZ\r\n\xff\xfegarbage--"
            .to_vec(),
    ));
    v.push(Case::typed(
        "text/plain",
        Some("text/plain"),
        plausible_urlencoded(),
    ));
    v.push(Case::typed("no content type", None, plausible_urlencoded()));
    v.push(Case::typed(
        "an unknown charset",
        Some("application/x-www-form-urlencoded; charset=bogus"),
        plausible_urlencoded(),
    ));
    let mut big = Case::form(
        "a body over 256 KiB",
        join([("name", vec![b'z'; 300 * 1024])]),
    );
    big.expect = Expect::TooLarge;
    v.push(big);
    v
}

/// How the (valid) CSRF token travels.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Token {
    Header,
    HeaderHtmx,
    /// As the `_csrf` field of a url-encoded body, or the first field of a
    /// multipart one (as the upload form sends it); other bodies have no
    /// place for it and send the header.
    Inline,
}

struct Outcome {
    status: StatusCode,
    content_type: String,
    body: String,
    hx_redirect: Option<String>,
}

async fn send(
    client: &Client,
    path: &str,
    case: &Case,
    how: Token,
) -> Result<Outcome, reqwest::Error> {
    let token = client.csrf.clone().unwrap_or_default();
    let url = client.url(path);
    let mut body = case.body.clone();
    let mut in_header = how != Token::Inline;
    if how == Token::Inline {
        if case.is_urlencoded() {
            let mut b = format!("_csrf={token}&").into_bytes();
            b.extend(body);
            body = b;
        } else if let Some(boundary) = case.multipart_boundary() {
            let mut b = format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n{token}\r\n"
            )
            .into_bytes();
            b.extend(body);
            body = b;
        } else {
            // No place in such a body: the header is the only way.
            in_header = true;
        }
    }
    let mut req = client.http.post(url).body(body);
    if let Some(t) = &case.content_type {
        req = req.header("content-type", t);
    }
    if in_header {
        req = req.header("X-CSRF-Token", token);
    }
    if how == Token::HeaderHtmx {
        req = req.header("HX-Request", "true");
    }
    let res = req.send().await?;
    let header = |name: &str| {
        res.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let content_type = header("content-type").unwrap_or_default();
    let hx_redirect = header("hx-redirect");
    let status = res.status();
    let body = res.text().await.unwrap_or_default();
    Ok(Outcome {
        status,
        content_type,
        body,
        hx_redirect,
    })
}

/// Refusals are pages a person can read: HTML with an error box, or the form
/// again with its messages.
fn is_friendly(o: &Outcome) -> bool {
    o.content_type.starts_with("text/html")
        && (o.body.contains("error-box") || o.body.contains("<form"))
}

/// A client able to post to public routes: a fresh anonymous session.
async fn anonymous(app: &TestApp) -> Client {
    let mut c = app.client();
    c.refresh_csrf("/login").await;
    if c.csrf.is_none() {
        c.refresh_csrf("/setup").await;
    }
    assert!(c.csrf.is_some(), "an anonymous session gets a CSRF token");
    c
}

/// Sends every malformed case to one route, each with the token in the
/// header, in the header with htmx, and inline. Staff routes use `admin`;
/// public ones a fresh anonymous session per request (logout and login
/// change the session).
async fn barrage(
    app: &TestApp,
    mut admin: Option<&mut Client>,
    route: &RouteDef,
    path: &str,
    failures: &mut Vec<String>,
) {
    // (case label, expectation, token placement, description, status)
    let mut outcomes: Vec<(String, Expect, Token, String, StatusCode)> = Vec::new();
    for case in cases() {
        for how in [Token::Header, Token::HeaderHtmx, Token::Inline] {
            let what = format!("POST {path} with {} (token {how:?})", case.label);
            let anon;
            let client: &Client = match (route.access, admin.as_deref()) {
                (Access::Staff(_), Some(a)) => a,
                _ => {
                    anon = anonymous(app).await;
                    &anon
                }
            };
            let o = match send(client, path, &case, how).await {
                Ok(o) => o,
                Err(e) => {
                    failures.push(format!("{what}: no response: {e}"));
                    continue;
                }
            };
            if o.status.is_server_error() {
                failures.push(format!("{what}: {} {}", o.status, excerpt(&o.body)));
            } else if o.status == StatusCode::FORBIDDEN {
                failures.push(format!("{what}: 403 although the token was valid"));
            } else if o.status.is_client_error() && !is_friendly(&o) {
                failures.push(format!(
                    "{what}: {} is not a friendly HTML page ({}): {}",
                    o.status,
                    o.content_type,
                    excerpt(&o.body)
                ));
            }
            if o.hx_redirect
                .as_deref()
                .is_some_and(|l| l.starts_with("/login"))
                && matches!(route.access, Access::Staff(_))
            {
                failures.push(format!("{what}: signed the admin out"));
            }
            outcomes.push((case.label.clone(), case.expect, how, what.clone(), o.status));
            // A success may have renewed the session and its token.
            if o.status.as_u16() < 400
                && let (Access::Staff(_), Some(a)) = (route.access, admin.as_deref_mut())
            {
                a.refresh_csrf("/account").await;
                if a.csrf.is_none() {
                    failures.push(format!("{what}: signed the admin out"));
                    return;
                }
            }
        }
    }
    // A route that reads a form refuses JSON with 415; it must then refuse
    // every other wrong type, and bodies over the limit, the same way. A
    // route that reads no body answers every type as it answered JSON.
    let json = |token: Token| {
        outcomes
            .iter()
            .find(|(label, _, how, _, _)| label == "JSON" && *how == token)
            .map(|o| o.4)
    };
    let reads_form = json(Token::Header) == Some(StatusCode::UNSUPPORTED_MEDIA_TYPE);
    for (_, expect, how, what, status) in &outcomes {
        match expect {
            Expect::Survive => {}
            Expect::Unsupported => {
                let like = if reads_form {
                    Some(StatusCode::UNSUPPORTED_MEDIA_TYPE)
                } else {
                    json(*how)
                };
                if Some(*status) != like {
                    failures.push(format!("{what}: {status}, expected {like:?} as for JSON"));
                }
            }
            Expect::TooLarge => {
                // Inline tokens make the CSRF layer read the body itself.
                let must = reads_form || *how == Token::Inline;
                if must && *status != StatusCode::PAYLOAD_TOO_LARGE {
                    failures.push(format!("{what}: {status}, expected 413"));
                }
            }
        }
    }
}

fn excerpt(body: &str) -> String {
    body.chars().take(300).collect()
}

// ---------------------------------------------------------------------------
// What the database holds.

type UserRow = (String, String, String, Option<i64>, bool, String);
type ContactRow = (
    String,
    String,
    Option<String>,
    Option<String>,
    Option<i64>,
    i64,
);

type AccountRow = (String, Option<String>, Option<String>, i64);

#[derive(Debug, Clone, PartialEq)]
struct Snapshot {
    users: BTreeMap<i64, UserRow>,
    contacts: BTreeMap<i64, ContactRow>,
    accounts: BTreeMap<i64, AccountRow>,
    teams: BTreeMap<i64, String>,
    activities: Vec<(i64, Option<i64>, String, String)>,
    roles: Vec<(String, String)>,
    /// id, action, entity, entity id
    audit: Vec<(i64, String, String, Option<i64>)>,
}

fn snapshot(app: &TestApp) -> Snapshot {
    let mut c = app.conn();
    let users = users::table
        .select((
            users::id,
            (
                users::email,
                users::name,
                users::role,
                users::team_id,
                users::active,
                users::password_hash,
            ),
        ))
        .load::<(i64, UserRow)>(&mut c)
        .expect("users")
        .into_iter()
        .collect();
    let contacts = contacts::table
        .select((
            contacts::id,
            (
                contacts::first_name,
                contacts::last_name,
                contacts::email,
                contacts::phone,
                contacts::account_id,
                contacts::owner_id,
            ),
        ))
        .load::<(i64, ContactRow)>(&mut c)
        .expect("contacts")
        .into_iter()
        .collect();
    let accounts = accounts::table
        .select((
            accounts::id,
            (
                accounts::name,
                accounts::domain,
                accounts::city,
                accounts::owner_id,
            ),
        ))
        .load::<(i64, AccountRow)>(&mut c)
        .expect("accounts")
        .into_iter()
        .collect();
    let teams = teams::table
        .select((teams::id, teams::name))
        .load::<(i64, String)>(&mut c)
        .expect("teams")
        .into_iter()
        .collect();
    let activities = activities::table
        .select((
            activities::id,
            activities::contact_id,
            activities::kind,
            activities::body,
        ))
        .order(activities::id)
        .load(&mut c)
        .expect("activities");
    let roles = roles::table
        .select((roles::name, roles::record_scope))
        .order(roles::name)
        .load(&mut c)
        .expect("roles");
    let audit = audit_log::table
        .select((
            audit_log::id,
            audit_log::action,
            audit_log::entity,
            audit_log::entity_id,
        ))
        .order(audit_log::id)
        .load(&mut c)
        .expect("audit");
    Snapshot {
        users,
        contacts,
        accounts,
        teams,
        activities,
        roles,
        audit,
    }
}

/// Text no form may store: what invalid UTF-8 decodes to when decoded lossily.
fn mangled(s: &Snapshot) -> Vec<String> {
    let mut texts: Vec<String> = Vec::new();
    for (id, u) in &s.users {
        texts.push(format!("user {id}: {} {}", u.0, u.1));
    }
    for (id, c) in &s.contacts {
        texts.push(format!("contact {id}: {c:?}"));
    }
    for (id, a) in &s.accounts {
        texts.push(format!("account {id}: {a:?}"));
    }
    for (id, t) in &s.teams {
        texts.push(format!("team {id}: {t}"));
    }
    for a in &s.activities {
        texts.push(format!("activity {}: {}", a.0, a.3));
    }
    texts
        .into_iter()
        .filter(|t| t.contains('\u{FFFD}'))
        .collect()
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Kind {
    Contact,
    Account,
    User,
    Team,
    Task,
    Import,
    View,
    Job,
    Deal,
    Pipeline,
    Stage,
    Reason,
    Product,
    Order,
    Ticket,
    Queue,
    Calendar,
    Policy,
    Canned,
    Segment,
    Campaign,
}

/// A route's path with its signed-token segment filled (a well-formed
/// token no ticket has).
fn filled(path: &str) -> String {
    path.replace("{token:[A-Za-z0-9_-]+}", "c2lnbmVkLXRva2Vu")
}

/// Which record an `{id}` in a route path names.
fn kind_of(path: &str) -> Kind {
    if path.starts_with("/contacts/import/") {
        Kind::Import
    } else if path.starts_with("/contacts/") {
        Kind::Contact
    } else if path.starts_with("/accounts/") {
        Kind::Account
    } else if path.starts_with("/admin/users/") {
        Kind::User
    } else if path.starts_with("/admin/teams/") {
        Kind::Team
    } else if path.starts_with("/tasks/") {
        Kind::Task
    } else if path.starts_with("/views/") {
        Kind::View
    } else if path.starts_with("/admin/jobs/") {
        Kind::Job
    } else if path.starts_with("/leads/stages/") {
        Kind::Stage
    } else if path.starts_with("/leads/") {
        Kind::Deal
    } else if path.starts_with("/admin/pipelines/") {
        Kind::Pipeline
    } else if path.starts_with("/admin/stages/") {
        Kind::Stage
    } else if path.starts_with("/admin/lost-reasons/") {
        Kind::Reason
    } else if path.starts_with("/products/") {
        Kind::Product
    } else if path.starts_with("/orders/") {
        Kind::Order
    } else if path.starts_with("/tickets/queues/") {
        Kind::Queue
    } else if path.starts_with("/tickets/calendars/") {
        Kind::Calendar
    } else if path.starts_with("/tickets/policies/") {
        Kind::Policy
    } else if path.starts_with("/tickets/canned/") {
        Kind::Canned
    } else if path.starts_with("/tickets/") || path.starts_with("/t/") {
        Kind::Ticket
    } else if path.starts_with("/segments/") {
        Kind::Segment
    } else if path.starts_with("/campaigns/") || path.starts_with("/archive/") {
        Kind::Campaign
    } else {
        panic!("{path}: an {{id}} route of a new kind; teach this test which record it names")
    }
}

fn diff_records<R: std::fmt::Debug + PartialEq>(
    what: &str,
    before: &BTreeMap<i64, R>,
    after: &BTreeMap<i64, R>,
    removable: &BTreeSet<i64>,
    out: &mut Vec<String>,
) {
    for (id, row) in after {
        match before.get(id) {
            None => out.push(format!("{what} {id} was created: {row:?}")),
            Some(old) if old != row => {
                out.push(format!("{what} {id} was changed: {old:?} → {row:?}"))
            }
            Some(_) => {}
        }
    }
    for id in before.keys() {
        if !after.contains_key(id) && !removable.contains(id) {
            out.push(format!("{what} {id} disappeared"));
        }
    }
}

/// Everything that differs, except whole records in `removable` (targets of
/// delete routes) and audit entries of `allowed_actions`.
fn half_written(
    before: &Snapshot,
    after: &Snapshot,
    removable: &BTreeSet<(Kind, i64)>,
    allowed_actions: &[&str],
) -> Vec<String> {
    let ids = |k: Kind| -> BTreeSet<i64> {
        removable
            .iter()
            .filter(|(kind, _)| *kind == k)
            .map(|(_, id)| *id)
            .collect()
    };
    let mut out = Vec::new();
    diff_records(
        "user",
        &before.users,
        &after.users,
        &ids(Kind::User),
        &mut out,
    );
    diff_records(
        "contact",
        &before.contacts,
        &after.contacts,
        &ids(Kind::Contact),
        &mut out,
    );
    diff_records(
        "account",
        &before.accounts,
        &after.accounts,
        &ids(Kind::Account),
        &mut out,
    );
    diff_records(
        "team",
        &before.teams,
        &after.teams,
        &ids(Kind::Team),
        &mut out,
    );
    if after.activities != before.activities {
        out.push(format!(
            "activities changed: {:?} → {:?}",
            before.activities, after.activities
        ));
    }
    if after.roles != before.roles {
        out.push(format!(
            "roles changed: {:?} → {:?}",
            before.roles, after.roles
        ));
    }
    let last = before.audit.last().map(|a| a.0).unwrap_or(0);
    for entry in after.audit.iter().filter(|a| a.0 > last) {
        if !allowed_actions.contains(&entry.1.as_str()) {
            out.push(format!("audit entry written: {entry:?}"));
        }
    }
    out.extend(
        mangled(after)
            .into_iter()
            .map(|m| format!("mangled text stored: {m}")),
    );
    out
}

fn report(what: &str, failures: &[String]) {
    assert!(
        failures.is_empty(),
        "{what}: {} problem(s):\n{}",
        failures.len(),
        failures
            .iter()
            .take(60)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

// ---------------------------------------------------------------------------
// The tests.

#[tokio::test]
async fn malformed_input_on_every_post_route_is_refused_gracefully_and_writes_nothing() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let admin_id = app.user_id(ADMIN_EMAIL);

    // Records nothing targets, and one fresh record per `{id}` route.
    let team = app.create_team(&mut admin, "Bystander team").await;
    app.create_user(&mut admin, "bystander@test.example", "support", Some(team))
        .await;
    app.create_contact(&mut admin, "Bystander", "Contact", "by@test.example")
        .await;
    let (acting, routes): (Vec<RouteDef>, Vec<RouteDef>) = rapport::startup::all_routes()
        .into_iter()
        .filter(|r| r.method == "POST")
        .partition(|r| ACTS_WITHOUT_INPUT.contains(&r.path));
    let mut paths = Vec::new();
    let mut removable = BTreeSet::new();
    for (n, route) in routes.iter().enumerate() {
        let path = if route.path.contains("{id}") {
            let kind = kind_of(route.path);
            let id = match kind {
                Kind::Contact => {
                    app.create_contact(
                        &mut admin,
                        &format!("Target{n}"),
                        "Contact",
                        &format!("target{n}@test.example"),
                    )
                    .await
                }
                Kind::Account => {
                    app.create_account(&mut admin, &format!("Target{n} Ltd"), &[])
                        .await
                }
                Kind::User => {
                    app.create_user(
                        &mut admin,
                        &format!("target{n}@test.example"),
                        "sales",
                        None,
                    )
                    .await
                }
                Kind::Team => {
                    app.create_team(&mut admin, &format!("Target team {n}"))
                        .await
                }
                Kind::Task => crate::tasks::insert_task(
                    &app,
                    crate::tasks::Seed::new(&format!("Target task {n}"), admin_id),
                ),
                Kind::Import => crate::import_export::sample_import(&admin).await,
                Kind::View => crate::lists::saved_view(&app, admin_id),
                Kind::Job => crate::jobs::failed_job(&app),
                Kind::Deal => crate::deals::insert_deal(
                    &app,
                    &format!("Target deal {n}"),
                    admin_id,
                    1,
                    100,
                    None,
                ),
                Kind::Product => crate::orders::insert_product(&app, &format!("TARGET-{n}")),
                Kind::Ticket => crate::tickets::insert_ticket(&app, &format!("target{n}")),
                // The migration's default queue, and the policy and
                // calendar it uses (still in use: deletes are refused).
                Kind::Queue | Kind::Policy | Kind::Calendar => 1,
                Kind::Canned => crate::tickets_setup::insert_canned(&app, &format!("Target {n}")),
                Kind::Order => {
                    let contact = app
                        .create_contact(&mut admin, &format!("Buyer{n}"), "Contact", "")
                        .await;
                    crate::orders::insert_order(&app, admin_id, contact)
                }
                Kind::Pipeline => rapport::pipelines::repo::insert(
                    &mut app.conn(),
                    &format!("Target pipeline {n}"),
                    n as i32,
                    "First",
                )
                .expect("pipeline")
                .get(),
                Kind::Stage => {
                    use rapport::pipelines::{domain::DealStatus, repo};
                    repo::insert_stage(
                        &mut app.conn(),
                        &repo::NewStage {
                            pipeline_id: rapport::domain::ids::PipelineId::new(1),
                            name: format!("Target stage {n}"),
                            position: 50 + n as i32,
                            probability: 10,
                            rot_after_days: None,
                            outcome: DealStatus::Open,
                        },
                    )
                    .expect("stage")
                    .get()
                }
                Kind::Segment => crate::campaigns::insert_segment(&app, admin_id),
                Kind::Campaign => crate::campaigns::insert_campaign(&app, admin_id),
                Kind::Reason => rapport::pipelines::repo::insert_reason(
                    &mut app.conn(),
                    &format!("Target reason {n}"),
                    50 + n as i32,
                )
                .expect("reason")
                .get(),
            };
            // A route named for deleting may delete its own target, whole.
            if route.path.ends_with("/delete") {
                removable.insert((kind, id));
            }
            filled(&route.path.replace("{id}", &id.to_string()))
        } else {
            any_token(route.path)
        };
        paths.push(path);
    }
    let before = snapshot(&app);

    let mut failures = Vec::new();
    for (route, path) in routes.iter().zip(&paths) {
        barrage(&app, Some(&mut admin), route, path, &mut failures).await;
    }
    assert!(
        routes.len() >= 15,
        "all POST routes found ({})",
        routes.len()
    );

    let after = snapshot(&app);
    failures.extend(half_written(
        &before,
        &after,
        &removable,
        &["delete", "sessions_revoked"],
    ));
    // Buttons without fields act whatever the body says; they still answer
    // every malformed body without a server error or a raw page.
    for route in &acting {
        barrage(&app, Some(&mut admin), route, route.path, &mut failures).await;
    }
    assert!(!acting.is_empty(), "the input-less actions still exist");
    admin.refresh_csrf("/account").await;
    if admin.get("/contacts").await.status() != StatusCode::OK {
        failures.push("the admin is no longer signed in".into());
    }
    report("malformed POSTs", &failures);

    // The same, counted: the admin, the bystander and the targets.
    let user_targets = routes
        .iter()
        .filter(|r| r.path.contains("{id}") && kind_of(r.path) == Kind::User)
        .count() as i64;
    let users = rapport::staff::repo::count_users(&mut app.conn()).expect("count");
    assert_eq!(users, 2 + user_targets);
    assert_eq!(app.user_id(ADMIN_EMAIL), admin_id);
}

/// POST routes of a button without fields: their body is never read, so a
/// malformed one is just a press of the button (Take next assigns a ticket
/// and notes it on the ticket's timeline). Checked for their answers, not
/// for writing nothing.
const ACTS_WITHOUT_INPUT: &[&str] = &["/tickets/take"];

#[tokio::test]
async fn malformed_input_to_the_public_forms_of_a_fresh_install_creates_nobody() {
    let app = spawn().await;
    let before = snapshot(&app);
    let mut failures = Vec::new();
    let mut routes = 0;
    for route in rapport::startup::all_routes() {
        if route.method != "POST" || route.access != Access::Public {
            continue;
        }
        // Signed-link routes: a token that is no token.
        let path = any_token(route.path);
        assert!(!path.contains('{'), "public routes name no records");
        routes += 1;
        barrage(&app, None, &route, &path, &mut failures).await;
    }
    assert!(routes >= 3, "setup, login and logout at least ({routes})");
    let after = snapshot(&app);
    failures.extend(half_written(&before, &after, &BTreeSet::new(), &[]));
    let users = rapport::staff::repo::count_users(&mut app.conn()).expect("count");
    if users != 0 {
        failures.push(format!("{users} user(s) exist after malformed setups"));
    }
    report("malformed public POSTs", &failures);

    // Setup still works afterwards.
    let admin = app.setup_admin().await;
    assert_eq!(admin.get("/contacts").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn ids_that_are_not_ids_find_nothing_and_change_nothing() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let admin_id = app.user_id(ADMIN_EMAIL);
    let team = app.create_team(&mut admin, "Real team").await;
    let user = app
        .create_user(&mut admin, "real@test.example", "sales", Some(team))
        .await;
    let contact = app
        .create_contact(&mut admin, "Real", "Contact", "real@test.example")
        .await;
    let before = snapshot(&app);

    // In the path: every `{id}` route, GET and POST, answers 404.
    let not_ids = [
        "abc",
        "-1",
        "0",
        "99999999999999999999",
        "9223372036854775807",
        "-9223372036854775808",
        "1.5",
        "1e3",
        "0x1",
        "%ff%fe",
        "1%00",
        "%20",
    ];
    let mut failures = Vec::new();
    let mut tried = 0;
    for route in rapport::startup::all_routes() {
        if !route.path.contains("{id}") {
            continue;
        }
        for bad in not_ids {
            let path = filled(&route.path.replace("{id}", bad));
            let res = if route.method == "GET" {
                admin.get(&path).await
            } else {
                admin.post(&path, &plausible()).await
            };
            tried += 1;
            let status = res.status();
            let ct = res
                .headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_string();
            let body = res.text().await.unwrap_or_default();
            if status != StatusCode::NOT_FOUND
                || !ct.starts_with("text/html")
                || !body.contains("error-box")
            {
                failures.push(format!(
                    "{} {path}: {status} {ct} {}",
                    route.method,
                    excerpt(&body)
                ));
            }
        }
    }
    assert!(
        tried >= 10 * not_ids.len(),
        "all id routes were tried ({tried})"
    );
    failures.extend(half_written(
        &before,
        &snapshot(&app),
        &BTreeSet::new(),
        &[],
    ));
    report("ids in paths", &failures);

    // In the fields: a team or owner that is not an id is refused beside the
    // field, or (an owner) ignored; never stored, never a 5xx.
    let user_form = |email: &'static str, team_id: &'static str| {
        vec![
            ("name", "Idless User"),
            ("email", email),
            ("role", "sales"),
            ("team_id", team_id),
            ("active", "on"),
            ("password", "plausible-Secret-9"),
            ("password_confirm", "plausible-Secret-9"),
        ]
    };
    for bad in NOT_IDS
        .into_iter()
        .chain(["0", "9223372036854775807", "1.0"])
    {
        let res = admin
            .post("/admin/users", &user_form("idless@test.example", bad))
            .await;
        assert_eq!(
            res.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "new user with team_id={bad}"
        );
        let doc = html(res).await;
        assert_eq!(
            texts(&doc, "p.field-error#team_id-error").len(),
            1,
            "team_id={bad}"
        );
        assert!(
            rapport::staff::repo::find_by_email(&mut app.conn(), "idless@test.example")
                .expect("query")
                .is_none(),
            "no user created with team_id={bad}"
        );

        let res = admin
            .post(
                &format!("/admin/users/{user}"),
                &user_form("real@test.example", bad),
            )
            .await;
        assert_eq!(
            res.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "edited user with team_id={bad}"
        );
        let doc = html(res).await;
        assert_eq!(
            texts(&doc, "p.field-error#team_id-error").len(),
            1,
            "team_id={bad}"
        );

        for path in ["/contacts".to_string(), format!("/contacts/{contact}")] {
            let res = admin
                .post(
                    &path,
                    &[
                        ("first_name", "Real"),
                        ("last_name", "Contact"),
                        ("owner_id", bad),
                    ],
                )
                .await;
            let status = res.status();
            let loc = location(&res);
            match status {
                StatusCode::SEE_OTHER => {
                    let id: i64 = loc
                        .trim_start_matches("/contacts/")
                        .parse()
                        .expect("contact id");
                    let owner: i64 = contacts::table
                        .find(id)
                        .select(contacts::owner_id)
                        .first(&mut app.conn())
                        .expect("contact");
                    assert_eq!(
                        owner, admin_id,
                        "POST {path} owner_id={bad}: the owner falls back to the admin"
                    );
                }
                StatusCode::UNPROCESSABLE_ENTITY => {
                    let doc = html(res).await;
                    assert_eq!(
                        texts(&doc, "p.field-error#owner_id-error").len(),
                        1,
                        "POST {path} owner_id={bad}"
                    );
                }
                other => panic!("POST {path} with owner_id={bad}: {other}"),
            }
        }
    }
    let after = snapshot(&app);
    assert_eq!(after.users, before.users, "users unchanged");
    assert_eq!(after.teams, before.teams, "teams unchanged");
    assert!(
        after
            .contacts
            .values()
            .all(|c| after.users.contains_key(&c.5)),
        "every contact's owner exists"
    );
}

#[tokio::test]
async fn malformed_query_strings_on_every_get_route_never_fail_the_server() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let team = app.create_team(&mut admin, "Query team").await;
    let user = app
        .create_user(&mut admin, "query@test.example", "sales", Some(team))
        .await;
    let contact = app
        .create_contact(&mut admin, "Query", "Contact", "query@test.example")
        .await;
    let account = app.create_account(&mut admin, "Query Ltd", &[]).await;
    // Close to the 64 KiB the client's URI type allows.
    let long = "q".repeat(60_000);
    let terms = (0..500)
        .map(|i| format!("t{i}"))
        .collect::<Vec<_>>()
        .join("+");
    let queries = [
        format!("?page=abc&sort=%ff&q={long}"),
        "?page=-5".into(),
        "?page=0&dir=sideways".into(),
        "?page=99999999999999999999".into(),
        "?page=9223372036854775807&sort=name&dir=desc".into(),
        "?page=-9223372036854775808".into(),
        "?page=1e9&page=2".into(),
        "?q=%ff%fe&sort=%fe&dir=%ff".into(),
        "?q=%zz&next=%zz".into(),
        "?q=%25%5F%5C&sort=email".into(),
        "?q=%5C".into(),
        "?q=a%5C".into(),
        "?q=%27%22%3B--".into(),
        "?q=a%00b".into(),
        format!("?q={terms}"),
        "?next=%ff%fe".into(),
        "?next=//evil.example&next=/x".into(),
        format!("?next=/{long}"),
        "?&&==&a[]=1&a[b]=2&=".into(),
        "?v=%ff".into(),
        format!("?q={}", "é".repeat(3000)),
    ];
    let mut failures = Vec::new();
    let mut tried = 0;
    for route in rapport::startup::all_routes() {
        if route.method != "GET" {
            continue;
        }
        let id = if route.path.contains("{id}") {
            match kind_of(route.path) {
                Kind::Contact => contact,
                Kind::Account => account,
                Kind::User => user,
                Kind::Team => team,
                Kind::Task => crate::tasks::insert_task(
                    &app,
                    crate::tasks::Seed::new("Query task", app.user_id(ADMIN_EMAIL)),
                ),
                Kind::Import => crate::import_export::sample_import(&admin).await,
                Kind::View => crate::lists::saved_view(&app, app.user_id(ADMIN_EMAIL)),
                Kind::Job => crate::jobs::failed_job(&app),
                Kind::Deal => crate::deals::insert_deal(
                    &app,
                    "Query deal",
                    app.user_id(ADMIN_EMAIL),
                    1,
                    100,
                    None,
                ),
                Kind::Product => crate::orders::insert_product(&app, "QUERY-1"),
                Kind::Ticket => crate::tickets::insert_ticket(&app, "query"),
                Kind::Queue | Kind::Policy | Kind::Calendar => 1,
                Kind::Canned => crate::tickets_setup::insert_canned(&app, "Query canned"),
                Kind::Order => crate::orders::insert_order(&app, app.user_id(ADMIN_EMAIL), contact),
                Kind::Segment => crate::campaigns::insert_segment(&app, app.user_id(ADMIN_EMAIL)),
                Kind::Campaign => crate::campaigns::insert_campaign(&app, app.user_id(ADMIN_EMAIL)),
                // The default pipeline, its first stage and lost reason.
                Kind::Pipeline | Kind::Stage | Kind::Reason => 1,
            }
        } else {
            0
        };
        let path = route
            .path
            .replace("{path:.*}", "css/app.css")
            .replace("{id}", &id.to_string());
        let path = filled(&path);
        let anon = app.client();
        for q in &queries {
            for (who, client) in [("admin", &admin), ("anonymous", &anon)] {
                for htmx in [false, true] {
                    let url = format!("{path}{q}");
                    let res = if htmx {
                        client.get_htmx(&url).await
                    } else {
                        client.get(&url).await
                    };
                    tried += 1;
                    let status = res.status();
                    let ct = res
                        .headers()
                        .get("content-type")
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or_default()
                        .to_string();
                    let body = res.text().await.unwrap_or_default();
                    let shown = format!(
                        "GET {path}{} as {who}{}",
                        excerpt(q),
                        if htmx { " (htmx)" } else { "" }
                    );
                    if status.is_server_error() {
                        failures.push(format!("{shown}: {status} {}", excerpt(&body)));
                    } else if status.is_client_error()
                        && !(ct.starts_with("text/html") && body.contains("error-box"))
                    {
                        failures.push(format!("{shown}: {status} is not a friendly page ({ct})"));
                    }
                }
            }
        }
    }
    assert!(
        tried >= 15 * queries.len() * 4,
        "all GET routes were tried ({tried})"
    );
    report("malformed queries", &failures);

    // The lenient ones still show the list.
    let (status, doc) = admin.get_html("/contacts?page=-5").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(texts(&doc, "table.list tbody tr").len(), 1);
    let (status, doc) = admin.get_html("/contacts?q=%25%5F%5C").await;
    assert_eq!(
        status,
        StatusCode::OK,
        "LIKE wildcards are searched for literally"
    );
    assert_eq!(texts(&doc, "table.list tbody tr").len(), 0);
}

/// The error element for `field`, and whether it sits right after the field.
fn error_beside(doc: &scraper::Html, field: &str) -> Option<String> {
    let input = Selector::parse(&format!("#{field}")).expect("selector");
    let input = doc.select(&input).next()?;
    let next = input
        .next_siblings()
        .filter_map(scraper::ElementRef::wrap)
        .next()?;
    let ok = next.value().name() == "p"
        && next.value().classes().any(|c| c == "field-error")
        && next.value().id() == Some(&format!("{field}-error"))
        && input.value().attr("aria-describedby") == Some(&format!("{field}-error"))
        && input.value().attr("aria-invalid") == Some("true");
    ok.then(|| next.text().collect::<String>().trim().to_string())
}

fn value_of(doc: &scraper::Html, field: &str) -> Option<String> {
    let sel = Selector::parse(&format!("#{field}")).expect("selector");
    doc.select(&sel)
        .next()
        .and_then(|e| e.value().attr("value"))
        .map(str::to_string)
}

#[tokio::test]
async fn contact_form_errors_come_back_as_422_beside_the_fields_with_the_values_kept() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let contact = app
        .create_contact(&mut admin, "Grace", "Hopper", "grace@test.example")
        .await;
    let before = snapshot(&app);

    let long_company = "C".repeat(201);
    let form = [
        ("first_name", "  "),
        ("last_name", ""),
        ("email", "not-an-email"),
        ("phone", "call me maybe"),
        ("account_name", long_company.as_str()),
    ];
    for path in ["/contacts".to_string(), format!("/contacts/{contact}")] {
        for htmx in [false, true] {
            let res = if htmx {
                admin.post_htmx(&path, &form).await
            } else {
                admin.post(&path, &form).await
            };
            assert_eq!(
                res.status(),
                StatusCode::UNPROCESSABLE_ENTITY,
                "POST {path}"
            );
            assert!(
                res.headers()["content-type"]
                    .to_str()
                    .expect("ct")
                    .starts_with("text/html")
            );
            let doc = html(res).await;
            let msg = |f: &str| {
                error_beside(&doc, f).unwrap_or_else(|| panic!("POST {path}: no error beside #{f}"))
            };
            assert!(msg("first_name").contains("first or last name"));
            assert!(msg("email").contains("valid email"));
            assert!(msg("phone").contains("digits"));
            assert!(msg("account_name").contains("200"));
            assert!(
                error_beside(&doc, "last_name").is_none(),
                "no error on a field that is fine"
            );
            assert_eq!(
                texts(&doc, "p.field-error").len(),
                4,
                "one message per failing field"
            );
            assert_eq!(
                value_of(&doc, "email").as_deref(),
                Some("not-an-email"),
                "values kept"
            );
            assert_eq!(value_of(&doc, "phone").as_deref(), Some("call me maybe"));
            assert_eq!(
                value_of(&doc, "account_name").as_deref(),
                Some(long_company.as_str())
            );
            assert_eq!(value_of(&doc, "first_name").as_deref(), Some("  "));
            assert!(csrf_in(&doc).is_some(), "the form can be sent again");
        }
    }

    // Over-long names and control characters, counted in characters.
    let long_name = "😀".repeat(101);
    let res = admin
        .post(
            "/contacts",
            &[
                ("first_name", long_name.as_str()),
                ("last_name", "Line\nBreak"),
                ("email", "ok@test.example"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let doc = html(res).await;
    assert!(
        error_beside(&doc, "first_name")
            .expect("first name error")
            .contains("100")
    );
    assert!(
        error_beside(&doc, "last_name")
            .expect("last name error")
            .contains("line breaks")
    );
    assert!(error_beside(&doc, "email").is_none());
    assert_eq!(
        value_of(&doc, "first_name").as_deref(),
        Some(long_name.as_str())
    );
    assert_eq!(value_of(&doc, "email").as_deref(), Some("ok@test.example"));
    assert_eq!(snapshot(&app), before, "nothing saved by invalid forms");

    // Exactly at the limits, in four-byte characters, it saves on both backends.
    let first = "😀".repeat(100);
    let company = "𝔵".repeat(200);
    let res = admin
        .post(
            "/contacts",
            &[
                ("first_name", first.as_str()),
                ("account_name", company.as_str()),
                ("phone", "+44 (20) 7946-0958"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let id: i64 = location(&res)
        .trim_start_matches("/contacts/")
        .parse()
        .expect("id");
    let saved = snapshot(&app).contacts[&id].clone();
    assert_eq!(saved.0.as_str(), first.as_str());
    let account = saved.4.expect("linked to an account");
    let mut c = app.conn();
    let name: String = rapport::db::schema::accounts::table
        .find(account)
        .select(rapport::db::schema::accounts::name)
        .first(&mut c)
        .expect("account");
    assert_eq!(name, company, "the company became an account, exactly");

    // A note that is too long comes back beside the note box, kept.
    let note = "n".repeat(10_001);
    let res = admin
        .post(
            &format!("/contacts/{contact}/activities"),
            &[("body", note.as_str())],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let doc = html(res).await;
    assert!(texts(&doc, "p.field-error#note-error")[0].contains("10000"));
    assert_eq!(texts(&doc, "textarea#note-body"), vec![note.clone()]);
    let res = admin
        .post_htmx(
            &format!("/contacts/{contact}/activities"),
            &[("body", "   ")],
        )
        .await;
    assert_eq!(
        res.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "htmx swaps the 422 timeline in"
    );
    let doc = html(res).await;
    assert_eq!(texts(&doc, "p.field-error#note-error").len(), 1);
    assert!(snapshot(&app).activities.is_empty(), "no note saved");
}

#[tokio::test]
async fn invalid_utf8_in_an_otherwise_valid_form_is_refused_not_stored_mangled() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let contact = app
        .create_contact(&mut admin, "Ada", "Lovelace", "ada@test.example")
        .await;
    let before = snapshot(&app);
    let token = admin.csrf.clone().expect("token");
    let notes = format!("/contacts/{contact}/activities");
    let edit = format!("/contacts/{contact}");
    let attempts: [(&str, &str, &[u8]); 6] = [
        ("/admin/teams", "name", b"Team A%ff%fe"),
        ("/admin/teams", "name", b"Team B\xff\xfe"),
        ("/contacts", "first_name=Ada&last_name", b"Love%ff"),
        ("/contacts", "first_name=Ada&last_name", b"Love\xc3\x28"),
        (&notes, "body", b"note %fe%ff"),
        (
            &edit,
            "first_name=Ada&email=ada%40test.example&last_name",
            b"%ed%a0%80",
        ),
    ];
    let mut failures = Vec::new();
    for (path, prefix, value) in attempts {
        let mut body = format!("_csrf={token}&{prefix}=").into_bytes();
        body.extend_from_slice(value);
        let res = admin.post_raw(path, FORM, body).await;
        let status = res.status();
        let ct = res
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        let text = res.text().await.unwrap_or_default();
        if status != StatusCode::BAD_REQUEST
            || !ct.starts_with("text/html")
            || !text.contains("error-box")
        {
            failures.push(format!(
                "POST {path} with {prefix}={}: {status}, expected a 400 page",
                String::from_utf8_lossy(value)
            ));
        }
    }
    failures.extend(half_written(
        &before,
        &snapshot(&app),
        &BTreeSet::new(),
        &[],
    ));
    report("invalid UTF-8 in valid forms", &failures);
}
