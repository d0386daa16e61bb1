//! Static assets compiled into the binary, so Rapport starts from any
//! directory with nothing beside it. Served with an ETag; the layout links
//! them with `?v=<etag>` so a new release is fetched at once.

use std::sync::LazyLock;

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};

use crate::error::AppError;

struct Asset {
    name: &'static str,
    content_type: &'static str,
    bytes: &'static [u8],
}

const ASSETS: &[Asset] = &[
    Asset {
        name: "css/app.css",
        content_type: "text/css; charset=utf-8",
        bytes: include_bytes!("../../static/css/app.css"),
    },
    Asset {
        name: "css/print.css",
        content_type: "text/css; charset=utf-8",
        bytes: include_bytes!("../../static/css/print.css"),
    },
    Asset {
        name: "js/app.js",
        content_type: "text/javascript; charset=utf-8",
        bytes: include_bytes!("../../static/js/app.js"),
    },
    Asset {
        name: "js/board.js",
        content_type: "text/javascript; charset=utf-8",
        bytes: include_bytes!("../../static/js/board.js"),
    },
    Asset {
        name: "vendor/htmx/htmx.min.js",
        content_type: "text/javascript; charset=utf-8",
        bytes: include_bytes!("../../static/vendor/htmx/htmx.min.js"),
    },
    Asset {
        name: "vendor/htmx/LICENSE",
        content_type: "text/plain; charset=utf-8",
        bytes: include_bytes!("../../static/vendor/htmx/LICENSE"),
    },
];

/// FNV-1a: a stable content fingerprint, not a security measure.
fn fingerprint(bytes: &[u8]) -> String {
    let hash = bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    });
    format!("{hash:016x}")
}

static ETAGS: LazyLock<Vec<String>> =
    LazyLock::new(|| ASSETS.iter().map(|a| fingerprint(a.bytes)).collect());

/// The version tag the layout appends to asset URLs.
pub fn version(name: &str) -> &'static str {
    ASSETS
        .iter()
        .position(|a| a.name == name)
        .map(|i| ETAGS[i].as_str())
        .unwrap_or("0")
}

pub async fn serve(req: HttpRequest, path: web::Path<String>) -> Result<HttpResponse, AppError> {
    let name = path.into_inner();
    let i = ASSETS
        .iter()
        .position(|a| a.name == name)
        .ok_or(AppError::NotFound)?;
    let asset = &ASSETS[i];
    let etag = format!("\"{}\"", ETAGS[i]);
    let cache = if req.query_string().starts_with("v=") {
        "public, max-age=31536000, immutable"
    } else {
        "public, max-age=3600"
    };
    let matches = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .is_some_and(|v| v.as_bytes() == etag.as_bytes());
    let mut res = if matches {
        HttpResponse::NotModified()
    } else {
        HttpResponse::Ok()
    };
    res.insert_header((header::ETAG, etag))
        .insert_header((header::CACHE_CONTROL, cache));
    if matches {
        return Ok(res.finish());
    }
    Ok(res.content_type(asset.content_type).body(asset.bytes))
}
