//! The CSRF token of a multipart form (a file upload) travels as its first
//! field, so it is checked before the file is read: only the head of the
//! body is read here, then put back in front of the rest for the handler.

use actix_http::BoxedPayloadStream;
use actix_web::HttpMessage;
use actix_web::dev::{Payload, ServiceRequest};
use actix_web::error::PayloadError;
use actix_web::web::BytesMut;
use futures_util::StreamExt;

/// The first field must be complete within this many bytes of the body.
const HEAD_LIMIT: usize = 8 * 1024;

/// The value of the first field if it is `_csrf`; None otherwise.
pub async fn first_field(
    req: &mut ServiceRequest,
    boundary: &str,
) -> Result<Option<String>, PayloadError> {
    let mut payload = req.take_payload();
    let mut head = BytesMut::new();
    let token = loop {
        if let Some(found) = parse(&head, boundary) {
            break found;
        }
        if head.len() >= HEAD_LIMIT {
            break None;
        }
        match payload.next().await {
            Some(chunk) => {
                let chunk = chunk?;
                head.extend_from_slice(&chunk);
            }
            None => break None,
        }
    };
    let head = head.freeze();
    let whole: BoxedPayloadStream =
        Box::pin(futures_util::stream::once(async move { Ok(head) }).chain(payload));
    req.set_payload(Payload::from(whole));
    Ok(token)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

/// `Some(token or None)` once `head` shows the first part (or that it is not
/// `_csrf`); `None` while more bytes are needed.
fn parse(head: &[u8], boundary: &str) -> Option<Option<String>> {
    let delimiter = format!("--{boundary}");
    let start = find(head, delimiter.as_bytes())? + delimiter.len();
    let part = &head[start..];
    let headers_end = find(part, b"\r\n\r\n")?;
    let headers = String::from_utf8_lossy(&part[..headers_end]).to_ascii_lowercase();
    let is_token = headers.lines().any(|line| {
        line.trim_start().starts_with("content-disposition:")
            && line
                .split(';')
                .any(|param| param.trim() == format!("name=\"{}\"", super::csrf::FIELD))
    });
    if !is_token {
        return Some(None);
    }
    let value = &part[headers_end + 4..];
    let end = find(value, format!("\r\n{delimiter}").as_bytes())?;
    Some(
        std::str::from_utf8(&value[..end])
            .ok()
            .map(|v| v.trim().to_string()),
    )
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn reads_the_token_only_from_a_complete_first_field() {
        let body = b"--XyZ\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\nabc123\r\n--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\r\nName\r\n--XyZ--\r\n";
        assert_eq!(parse(body, "XyZ"), Some(Some("abc123".into())));
        assert_eq!(parse(&body[..40], "XyZ"), None, "needs more bytes");
        let file_first = b"--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"_csrf\"\r\n\r\nabc123\r\n--XyZ--\r\n";
        assert_eq!(parse(file_first, "XyZ"), Some(None));
    }
}
