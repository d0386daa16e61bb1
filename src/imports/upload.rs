//! Step 1: the upload form, receiving the file (multipart, size-limited),
//! checking it is a CSV with a header and rows, and keeping it on disk.

use std::collections::HashSet;
use std::path::Path;
use std::time::Duration;

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use futures_util::StreamExt;

use super::csvsafe::{self, Rows};
use super::mapping;
use super::repo::{self, NewImport, OnMatch};
use super::views::UploadPage;
use super::worker::file_path;
use crate::db::DbConn;
use crate::error::{AppError, AppResult};
use crate::i18n::{Arg, Message, key};
use crate::private_files;
use crate::web::render::{after_post, html, page};
use crate::web::state::AppState;
use crate::web::{CurrentUser, Htmx};

type State = web::Data<AppState>;

pub const LIMIT_MIB: usize = 20;
/// The largest file accepted.
pub const LIMIT: usize = LIMIT_MIB * 1024 * 1024;
/// Room for the multipart framing and the other fields.
const ENVELOPE: u64 = 64 * 1024;
/// Past the limit, up to this much more is read and discarded so the
/// browser gets the 413 page instead of a reset connection.
const DRAIN_MAX: u64 = 256 * 1024 * 1024;
const MAX_COLUMNS: usize = 200;
const RECENT: i64 = 20;

pub async fn form(user: CurrentUser, state: State) -> AppResult<HttpResponse> {
    let id = user.id;
    let recent = state
        .db(move |c| Ok(repo::recent_for_user(c, id, RECENT)?))
        .await?;
    page(&UploadPage::new(&user, recent))
}

/// The upload page again, with what went wrong.
async fn refuse(
    state: &State,
    user: &CurrentUser,
    status: StatusCode,
    message: Message,
    on_match: &str,
) -> AppResult<HttpResponse> {
    let id = user.id;
    let recent = state
        .db(move |c| Ok(repo::recent_for_user(c, id, RECENT)?))
        .await?;
    let mut view = UploadPage::new(user, recent);
    view.error = Some(user.locale.message(&message));
    view.on_match = on_match.to_string();
    html(status, &view)
}

const CHOOSE_FILE: Message = Message::Key(key("error-import-choose-file"), Vec::new());
const UNREADABLE: Message = Message::Key(key("error-import-unreadable-upload"), Vec::new());

struct Upload {
    file_name: String,
    bytes: Vec<u8>,
    on_match: String,
}

enum Received {
    Upload(Upload),
    TooLarge,
    Unreadable(Message),
}

async fn drain(payload: &mut web::Payload) {
    let mut seen = 0u64;
    while let Some(Ok(chunk)) = payload.next().await {
        seen += chunk.len() as u64;
        if seen > DRAIN_MAX {
            break;
        }
    }
}

async fn receive(req: &HttpRequest, mut payload: web::Payload) -> Received {
    let multipart = req
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.to_ascii_lowercase().starts_with("multipart/form-data"));
    if !multipart {
        return Received::Unreadable(CHOOSE_FILE);
    }
    let declared = req
        .headers()
        .get("content-length")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > LIMIT as u64 + ENVELOPE) {
        drain(&mut payload).await;
        return Received::TooLarge;
    }
    let mut parts = Multipart::new(req.headers(), payload);
    let mut file: Option<(String, Vec<u8>)> = None;
    let mut on_match = String::from("update");
    let mut too_large = false;
    let mut discarded = 0u64;
    while let Some(part) = parts.next().await {
        let mut part = match part {
            Ok(p) => p,
            Err(_) => {
                return Received::Unreadable(UNREADABLE);
            }
        };
        let name = part.name().unwrap_or_default().to_string();
        let file_name = part
            .content_disposition()
            .and_then(|d| d.get_filename())
            .map(str::to_string);
        let mut data = Vec::new();
        while let Some(chunk) = part.next().await {
            let Ok(chunk) = chunk else {
                return Received::Unreadable(UNREADABLE);
            };
            let room = if name == "file" { LIMIT } else { 64 };
            if too_large || data.len() + chunk.len() > room {
                too_large |= name == "file";
                discarded += chunk.len() as u64;
                if discarded > DRAIN_MAX {
                    return Received::TooLarge;
                }
                continue;
            }
            data.extend_from_slice(&chunk);
        }
        match name.as_str() {
            "file" if file.is_none() => file = Some((file_name.unwrap_or_default(), data)),
            "on_match" => on_match = String::from_utf8_lossy(&data).trim().to_string(),
            _ => {}
        }
    }
    if too_large {
        return Received::TooLarge;
    }
    match file {
        Some((file_name, bytes)) if !(file_name.is_empty() && bytes.is_empty()) => {
            Received::Upload(Upload {
                file_name,
                bytes,
                on_match,
            })
        }
        _ => Received::Unreadable(CHOOSE_FILE),
    }
}

/// A file name fit to show and store: no path, no control characters.
fn clean_name(raw: &str) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    let name: String = base.chars().filter(|c| !c.is_control()).take(200).collect();
    match name.trim() {
        "" => "upload.csv".into(),
        n => n.to_string(),
    }
}

/// What the upload holds: its column names and number of rows.
pub struct Checked {
    pub headers: Vec<String>,
    pub rows: i64,
}

/// The error is a message for the viewer's language.
pub fn check_csv(text: &str) -> Result<Checked, Message> {
    let unreadable = |e: csv::Error| match e.position() {
        Some(p) => Message::Key(
            key("error-import-unreadable-csv-at"),
            vec![("line", Arg::Num(p.line() as i64))],
        ),
        None => Message::Key(key("error-import-unreadable-csv"), vec![]),
    };
    let mut rows = Rows::new(text);
    let header = rows
        .next_row()
        .map_err(unreadable)?
        .ok_or(Message::Key(key("error-import-empty"), vec![]))?;
    if header.cells.len() > MAX_COLUMNS {
        return Err(Message::Key(
            key("error-import-too-many-columns"),
            vec![
                ("columns", Arg::Num(header.cells.len() as i64)),
                ("max", Arg::Num(MAX_COLUMNS as i64)),
            ],
        ));
    }
    let mut count = 0;
    while rows.next_row().map_err(unreadable)?.is_some() {
        count += 1;
    }
    if count == 0 {
        return Err(Message::Key(key("error-import-no-rows"), vec![]));
    }
    Ok(Checked {
        headers: csvsafe::header_names(&header),
        rows: count,
    })
}

pub async fn upload(
    user: CurrentUser,
    state: State,
    htmx: Htmx,
    req: HttpRequest,
    payload: web::Payload,
) -> AppResult<HttpResponse> {
    let upload = match receive(&req, payload).await {
        Received::Upload(u) => u,
        Received::TooLarge => {
            let message = Message::Key(
                key("error-import-too-large"),
                vec![("mib", Arg::Num(LIMIT_MIB as i64))],
            );
            return refuse(
                &state,
                &user,
                StatusCode::PAYLOAD_TOO_LARGE,
                message,
                "update",
            )
            .await;
        }
        Received::Unreadable(message) => {
            return refuse(
                &state,
                &user,
                StatusCode::UNPROCESSABLE_ENTITY,
                message,
                "update",
            )
            .await;
        }
    };
    let on_match = match OnMatch::parse(upload.on_match.as_str()) {
        Some(m) => m,
        None => {
            let message = Message::Key(key("error-import-on-match"), vec![]);
            return refuse(
                &state,
                &user,
                StatusCode::UNPROCESSABLE_ENTITY,
                message,
                "update",
            )
            .await;
        }
    };
    let file_name = clean_name(&upload.file_name);
    let (user_id, data_dir) = (user.id, state.config.data_dir.clone());
    let om = on_match;
    let stored = state
        .db(move |c| {
            let text = match csvsafe::decode(&upload.bytes) {
                Ok(t) => t,
                Err(m) => return Ok(Err(Message::Key(m.0, vec![]))),
            };
            let checked = match check_csv(&text) {
                Ok(ch) => ch,
                Err(m) => return Ok(Err(m)),
            };
            let guessed = mapping::to_json(&mapping::guess_all(&checked.headers));
            crate::db::write_tx(c, |c| {
                let id = repo::insert(
                    c,
                    &NewImport {
                        user_id,
                        file_name: &file_name,
                        mapping: &guessed,
                        on_match: om,
                        total_rows: checked.rows,
                    },
                )?;
                let path = file_path(&data_dir, id);
                let written = path
                    .parent()
                    .map_or(Ok(()), private_files::dir)
                    .and_then(|()| private_files::write(&path, text.as_bytes()));
                written.map_err(AppError::unexpected)?;
                Ok(Ok(id))
            })
        })
        .await?;
    match stored {
        Ok(id) => Ok(after_post(htmx, &format!("/contacts/import/{id}"))),
        Err(message) => {
            refuse(
                &state,
                &user,
                StatusCode::UNPROCESSABLE_ENTITY,
                message,
                on_match.as_str(),
            )
            .await
        }
    }
}

/// A CSV file as an import form sends it (multipart, the CSRF token first,
/// the file in `file`), decoded to UTF-8 and checked to have a header and
/// rows: what every import reads before doing its own work with the rows.
pub enum CsvUpload {
    File {
        file_name: String,
        text: String,
        headers: Vec<String>,
        rows: i64,
    },
    /// Over `LIMIT` (answer 413).
    TooLarge,
    /// Not a usable CSV (answer 422 with the message).
    Refused(Message),
}

pub async fn read_csv_upload(req: &HttpRequest, payload: web::Payload) -> CsvUpload {
    let upload = match receive(req, payload).await {
        Received::Upload(u) => u,
        Received::TooLarge => return CsvUpload::TooLarge,
        Received::Unreadable(m) => return CsvUpload::Refused(m),
    };
    let text = match csvsafe::decode(&upload.bytes) {
        Ok(t) => t,
        Err(m) => return CsvUpload::Refused(Message::Key(m.0, vec![])),
    };
    match check_csv(&text) {
        Ok(checked) => CsvUpload::File {
            file_name: clean_name(&upload.file_name),
            text,
            headers: checked.headers,
            rows: checked.rows,
        },
        Err(m) => CsvUpload::Refused(m),
    }
}

/// Deletes uploaded files older than `retention` (by modification time),
/// except those of imports still running; returns how many went. The
/// import rows and their error reports stay. Start-up and the hourly
/// housekeeping call this (and a jobs runner can).
pub fn remove_expired_uploads(
    c: &mut DbConn,
    data_dir: &Path,
    retention: Duration,
) -> AppResult<usize> {
    let dir = data_dir.join("imports");
    let entries = match std::fs::read_dir(&dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(AppError::unexpected(e)),
    };
    let running: HashSet<i64> = repo::running_ids(c)?.into_iter().collect();
    let mut removed = 0;
    for entry in entries.flatten() {
        let path = entry.path();
        let id = path
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.strip_suffix(".csv"))
            .and_then(|n| n.parse::<i64>().ok());
        let Some(id) = id else { continue };
        let age = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok());
        if running.contains(&id) || age.is_none_or(|a| a < retention) {
            continue;
        }
        match std::fs::remove_file(&path) {
            Ok(()) => removed += 1,
            Err(e) => {
                tracing::warn!(path = %path.display(), error = %e, "could not remove an old import file")
            }
        }
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_lose_paths_and_controls() {
        assert_eq!(clean_name("C:\\Users\\ada\\list.csv"), "list.csv");
        assert_eq!(clean_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_name("a\u{0}b\r\n.csv"), "ab.csv");
        assert_eq!(clean_name(""), "upload.csv");
    }

    #[test]
    fn a_csv_needs_a_header_and_rows() {
        let ok = check_csv("Name;E-mail\n\nAda;ada@example.com\n").expect("ok");
        assert_eq!((ok.headers.len(), ok.rows), (2, 1));
        assert!(check_csv("Name,Email\n").is_err());
    }
}
