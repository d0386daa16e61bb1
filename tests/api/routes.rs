//! The route table: numeric segments are typed, so no route can shadow
//! another and registration order does not matter.

use actix_web::dev::ResourceDef;
use rapport::web::routing::RouteDef;
use reqwest::StatusCode;

use crate::helpers::*;

/// A concrete address for a route (`{id}` → 7, `{path:.*}` → a file).
fn sample(route: &RouteDef) -> String {
    route
        .path
        .replace("{path:.*}", "css/app.css")
        .replace("{token:[A-Za-z0-9_-]+}", "a-link-token")
        .replace("{id}", "7")
        .replace("{other}", "8")
        .replace("{link}", "9")
        .replace("{file:[A-Za-z0-9_-]+}", "a-mail-file")
        .replace(rapport::signed::TOKEN_PARAM, &"A".repeat(43))
        .replace("{slug:[a-z0-9-]+}", "a-form")
}

#[test]
fn no_route_matches_another_routes_address() {
    let routes = rapport::startup::all_routes();
    let mut clashes = Vec::new();
    for a in &routes {
        let own = ResourceDef::new(a.pattern());
        assert!(own.is_match(&sample(a)), "{} does not match itself", a.path);
        for b in &routes {
            if std::ptr::eq(a, b) || a.method != b.method {
                continue;
            }
            if ResourceDef::new(b.pattern()).is_match(&sample(a)) {
                clashes.push(format!(
                    "{} {} is also matched by {}",
                    a.method,
                    sample(a),
                    b.path
                ));
            }
        }
    }
    assert!(clashes.is_empty(), "{clashes:#?}");
}

#[test]
fn one_list_registers_every_route_once() {
    let routes = rapport::startup::all_routes();
    let count: usize = rapport::startup::MODULES.iter().map(|m| m.len()).sum();
    assert_eq!(routes.len(), count);
    let mut seen = std::collections::BTreeSet::new();
    for r in &routes {
        assert!(
            seen.insert((r.method, r.path)),
            "{} {} twice",
            r.method,
            r.path
        );
    }
}

#[tokio::test]
async fn fixed_paths_reach_their_pages_and_non_numeric_ids_are_404() {
    let app = spawn().await;
    let admin = app.setup_admin().await;
    for (path, heading) in [
        ("/contacts/import", "Import contacts"),
        ("/contacts/duplicates", "Possible duplicates"),
        ("/contacts/new", "New contact"),
    ] {
        let (status, doc) = admin.get_html(path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert_eq!(
            texts(&doc, "h1").first().map(String::as_str),
            Some(heading),
            "{path}"
        );
    }
    let res = admin.get("/contacts/export.csv").await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .expect("type")
            .starts_with("text/csv")
    );
    for path in [
        "/contacts/abc",
        "/contacts/12abc",
        "/contacts/-1",
        "/contacts/import/abc",
        "/contacts/7/merge/x",
        "/accounts/new-ish",
    ] {
        let res = admin.get(path).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{path}");
        let body = res.text().await.expect("body");
        assert!(body.contains("error-box"), "{path}: a friendly page");
    }
}
