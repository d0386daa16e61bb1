//! Every route is declared in a table with the access it requires, so
//! authorisation is deny-by-default and decided before any handler runs.
//! Each row also carries its own registration, and `startup::MODULES` is
//! the one list of tables: what is registered and what the test suite walks
//! (`startup::all_routes`) are the same rows.
//!
//! Path parameters are typed: a bare `{name}` segment is a numeric id and is
//! matched as `{name:\d+}`; anything else names its pattern (`{path:.*}`).
//! So `/contacts/import` can never reach `/contacts/{id}`, and the order in
//! which routes are registered does not matter.

use super::access::Access;

#[derive(Clone, Copy, Debug)]
pub struct RouteDef {
    pub method: &'static str,
    /// As written in the table (`/contacts/{id}`); see `pattern` for what
    /// is matched.
    pub path: &'static str,
    pub access: Access,
    /// Adds this route (handler behind its access check) to an app.
    pub register: fn(&mut actix_web::web::ServiceConfig),
}

impl RouteDef {
    /// The pattern actix matches: bare `{name}` segments become `{name:\d+}`.
    pub fn pattern(&self) -> String {
        typed(self.path)
    }
}

/// `/a/{id}/b/{path:.*}` → `/a/{id:\d+}/b/{path:.*}`.
pub fn typed(path: &str) -> String {
    let mut out = String::with_capacity(path.len() + 8);
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|c| open + c) else {
            break;
        };
        out.push_str(&rest[..open]);
        let name = &rest[open + 1..close];
        if name.contains(':') {
            out.push_str(&rest[open..=close]);
        } else {
            out.push_str(&format!("{{{name}:\\d+}}"));
        }
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out
}

/// `route_table! { GET "/path" => Access::…, handler; … }` defines `ROUTES`,
/// one row per route holding its method, path, access and registration.
#[macro_export]
macro_rules! route_table {
    ($( $method:ident $path:literal => $access:expr, $handler:path; )*) => {
        pub const ROUTES: &[$crate::web::routing::RouteDef] = &[
            $( $crate::web::routing::RouteDef {
                method: stringify!($method),
                path: $path,
                access: $access,
                register: |cfg: &mut actix_web::web::ServiceConfig| {
                    cfg.route(
                        &$crate::web::routing::typed($path),
                        $crate::web::routing::method(stringify!($method))
                            .to($handler)
                            .wrap(actix_web::middleware::from_fn(
                                move |req: actix_web::dev::ServiceRequest,
                                      next: actix_web::middleware::Next<actix_web::body::BoxBody>| {
                                    $crate::web::access::enforce($access, req, next)
                                },
                            )),
                    );
                },
            }, )*
        ];
    };
}

pub fn method(name: &str) -> actix_web::Route {
    match name {
        "GET" => actix_web::web::get(),
        "POST" => actix_web::web::post(),
        "PUT" => actix_web::web::put(),
        "PATCH" => actix_web::web::patch(),
        "DELETE" => actix_web::web::delete(),
        other => panic!("route table names an unknown method {other}"),
    }
}

#[cfg(test)]
mod tests {
    use super::typed;

    #[test]
    fn bare_parameters_become_numeric() {
        assert_eq!(typed("/contacts"), "/contacts");
        assert_eq!(typed("/contacts/{id}/edit"), r"/contacts/{id:\d+}/edit");
        assert_eq!(
            typed("/contacts/{id}/merge/{other}"),
            r"/contacts/{id:\d+}/merge/{other:\d+}"
        );
        assert_eq!(typed("/static/{path:.*}"), "/static/{path:.*}");
    }
}
