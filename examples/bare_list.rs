//! The reference the benchmark measures Rapport's contact list against: a
//! bare actix-web + askama + diesel page of the same rows (contacts with
//! owner and company, newest first) and a count, with none of Rapport's
//! sessions, scopes, filters, tags or layout. `bench/bare.sh` drives both.
//!
//!   cargo run --release --example bare_list -- <database url> <bind> <rows>

use actix_web::{App, HttpResponse, HttpServer, web};
use askama::Template;
use diesel::prelude::*;
use rapport::db::schema::{accounts, contacts, users};
use rapport::db::{DbUrl, Pool, build_pool};

#[derive(Queryable)]
struct Row {
    id: i64,
    first_name: String,
    last_name: String,
    email: Option<String>,
    phone: Option<String>,
    lifecycle: String,
    updated_at: chrono::NaiveDateTime,
    owner: Option<String>,
    company: Option<String>,
}

#[derive(Template)]
#[template(
    ext = "html",
    source = r#"<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Contacts</title>
<link rel="stylesheet" href="/static/css/app.css"></head><body><main><h1>Contacts</h1>
<p>{{ total }} contacts</p><table class="list"><thead><tr><th>Name</th><th>Company</th><th>Email</th>
<th>Phone</th><th>Stage</th><th>Owner</th><th>Updated</th></tr></thead><tbody>
{% for r in rows %}<tr><td><a href="/contacts/{{ r.id }}">{{ r.first_name }} {{ r.last_name }}</a></td>
<td>{{ r.company.as_deref().unwrap_or("") }}</td><td>{{ r.email.as_deref().unwrap_or("") }}</td>
<td>{{ r.phone.as_deref().unwrap_or("") }}</td><td>{{ r.lifecycle }}</td>
<td>{{ r.owner.as_deref().unwrap_or("") }}</td><td>{{ r.updated_at.format("%Y-%m-%d") }}</td></tr>
{% endfor %}</tbody></table></main></body></html>"#
)]
struct Page {
    total: i64,
    rows: Vec<Row>,
}

struct State {
    pool: Pool,
    rows: i64,
}

async fn list(state: web::Data<State>) -> HttpResponse {
    let (pool, limit) = (state.pool.clone(), state.rows);
    let result = web::block(move || -> Result<Page, String> {
        let mut pooled = pool.get().map_err(|e| e.to_string())?;
        let c: &mut rapport::db::DbConn = &mut pooled;
        let total: i64 = contacts::table
            .count()
            .get_result(c)
            .map_err(|e| e.to_string())?;
        let rows = contacts::table
            .left_join(users::table)
            .left_join(accounts::table)
            .order((contacts::updated_at.desc(), contacts::id.desc()))
            .select((
                contacts::id,
                contacts::first_name,
                contacts::last_name,
                contacts::email,
                contacts::phone,
                contacts::lifecycle,
                contacts::updated_at,
                users::name.nullable(),
                accounts::name.nullable(),
            ))
            .limit(limit)
            .load(c)
            .map_err(|e| e.to_string())?;
        Ok(Page { total, rows })
    })
    .await;
    match result.map_err(|e| e.to_string()).and_then(|r| r) {
        Ok(page) => match page.render() {
            Ok(html) => HttpResponse::Ok()
                .content_type("text/html; charset=utf-8")
                .body(html),
            Err(e) => HttpResponse::InternalServerError().body(e.to_string()),
        },
        Err(e) => HttpResponse::ServiceUnavailable().body(e),
    }
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let usage = "usage: bare_list <database url> <bind address> <rows>";
    let url = args.next().ok_or_else(|| std::io::Error::other(usage))?;
    let bind = args.next().ok_or_else(|| std::io::Error::other(usage))?;
    let rows = args.next().and_then(|r| r.parse().ok()).unwrap_or(100);
    let url = DbUrl::parse(&url).map_err(std::io::Error::other)?;
    let pool = build_pool(&url, 16, std::time::Duration::from_secs(2));
    let state = web::Data::new(State { pool, rows });
    HttpServer::new(move || {
        App::new()
            .app_data(state.clone())
            .route("/contacts", web::get().to(list))
    })
    .bind(bind)?
    .run()
    .await
}
