//! Every route is declared in a table with the access it requires, so
//! authorisation is deny-by-default and decided before any handler runs, and
//! the test suite can walk the complete list (`startup::all_routes`).

use super::access::Access;

#[derive(Clone, Copy, Debug)]
pub struct RouteDef {
    pub method: &'static str,
    pub path: &'static str,
    pub access: Access,
}

/// `route_table! { GET "/path" => Access::…, handler; … }` defines `ROUTES`
/// (for tests and docs) and `routes(cfg)` (registration), which cannot drift apart.
#[macro_export]
macro_rules! route_table {
    ($( $method:ident $path:literal => $access:expr, $handler:path; )*) => {
        pub const ROUTES: &[$crate::web::routing::RouteDef] = &[
            $( $crate::web::routing::RouteDef {
                method: stringify!($method),
                path: $path,
                access: $access,
            }, )*
        ];

        #[allow(unused_variables)] // a module may declare no routes yet
        pub fn routes(cfg: &mut actix_web::web::ServiceConfig) {
            $(
                cfg.route(
                    $path,
                    $crate::web::routing::method(stringify!($method))
                        .to($handler)
                        .wrap(actix_web::middleware::from_fn(
                            move |req: actix_web::dev::ServiceRequest,
                                  next: actix_web::middleware::Next<actix_web::body::BoxBody>| {
                                $crate::web::access::enforce($access, req, next)
                            },
                        )),
                );
            )*
        }
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
