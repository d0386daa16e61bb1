//! CSV out: the filtered contact list (record scope applied) and the
//! report of an import. UTF-8 with a BOM so spreadsheets read accents, and
//! every cell neutralised against formula injection.

use std::collections::BTreeMap;
use std::path::Path;

use actix_web::{HttpResponse, web};

use super::csvsafe::{self, Rows, neutralise};
use crate::audit::{self, AuditAction, AuditEntity, Entry};
use crate::contacts::domain::ListOptions;
use crate::contacts::repo;
use crate::error::{AppError, AppResult};
use crate::i18n::{StoredMessage, key};
use crate::web::CurrentUser;
use crate::web::list::Params;
use crate::web::state::AppState;

/// At most this many contacts per export.
pub const EXPORT_MAX: i64 = 100_000;

/// The columns' headers, in the exporting user's language (`first_name`,
/// `email`, … / `名`, `电子邮箱`, …); the import's header guesses read both.
const HEADERS: [&str; 15] = [
    key("contacts-csv-first-name"),
    key("contacts-csv-last-name"),
    key("contacts-csv-email"),
    key("contacts-csv-phone"),
    key("contacts-csv-title"),
    key("contacts-csv-company"),
    key("contacts-csv-address"),
    key("contacts-csv-city"),
    key("contacts-csv-country"),
    key("contacts-csv-lifecycle"),
    key("contacts-csv-consent"),
    key("contacts-csv-tags"),
    key("contacts-csv-source"),
    key("contacts-csv-owner"),
    key("contacts-csv-created-at"),
];

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// A CSV writer into memory, BOM first.
fn writer() -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new()
        .flexible(true)
        .terminator(csv::Terminator::CRLF)
        .from_writer(BOM.to_vec())
}

fn write_row<'a>(
    w: &mut csv::Writer<Vec<u8>>,
    cells: impl IntoIterator<Item = &'a str>,
) -> csv::Result<()> {
    w.write_record(cells.into_iter().map(|c| neutralise(c).into_owned()))
}

fn finish(w: csv::Writer<Vec<u8>>) -> Result<Vec<u8>, AppError> {
    w.into_inner()
        .map_err(|e| AppError::unexpected(e.to_string()))
}

/// A whole CSV file (BOM, CRLF, every cell neutralised) of `headers` and
/// `rows`: what every list export writes.
pub fn csv_bytes<R: AsRef<[String]>>(headers: &[String], rows: &[R]) -> Result<Vec<u8>, AppError> {
    let mut w = writer();
    let bad = |e: csv::Error| AppError::unexpected(e);
    write_row(&mut w, headers.iter().map(String::as_str)).map_err(bad)?;
    for r in rows {
        write_row(&mut w, r.as_ref().iter().map(String::as_str)).map_err(bad)?;
    }
    finish(w)
}

/// An attachment download; the name is reduced to safe ASCII.
pub fn csv_response(file_name: &str, body: Vec<u8>) -> HttpResponse {
    let safe: String = file_name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "._-".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"{safe}\""),
        ))
        .body(body)
}

pub async fn contacts(
    user: CurrentUser,
    state: web::Data<AppState>,
    query: web::Query<Params>,
) -> AppResult<HttpResponse> {
    let opts = ListOptions::parse(&query)?;
    let (viewer, actor, loc) = (user.viewer(), user.id, user.locale);
    let body = state
        .db(move |c| {
            let rows = repo::all_matching(c, &viewer, &opts, EXPORT_MAX)?;
            let mut tags: BTreeMap<i64, Vec<String>> = BTreeMap::new();
            let ids: Vec<i64> = rows.iter().map(|r| r.id.get()).collect();
            for chunk in ids.chunks(1_000) {
                tags.extend(crate::tags::by_id(
                    c,
                    crate::records::RecordKind::Contact,
                    chunk,
                )?);
            }
            let mut w = writer();
            let bad = |e: csv::Error| AppError::unexpected(e);
            let headers = HEADERS.map(|k| loc.t(k));
            write_row(&mut w, headers.iter().map(String::as_str)).map_err(bad)?;
            for r in &rows {
                let opt = |o: &Option<String>| o.clone().unwrap_or_default();
                let tag_list = tags
                    .get(&r.id.get())
                    .map(|t| t.join(", "))
                    .unwrap_or_default();
                let created = r.created_at.format("%Y-%m-%d %H:%M:%S").to_string();
                let cells = [
                    r.first_name.clone(),
                    r.last_name.clone(),
                    opt(&r.email),
                    opt(&r.phone),
                    opt(&r.title),
                    opt(&r.account_name),
                    opt(&r.address),
                    opt(&r.city),
                    opt(&r.country),
                    r.lifecycle.to_string(),
                    r.consent.to_string(),
                    tag_list,
                    opt(&r.source),
                    r.owner().to_string(),
                    created,
                ];
                write_row(&mut w, cells.iter().map(String::as_str)).map_err(bad)?;
            }
            audit::record(
                c,
                Entry {
                    actor: Some(actor),
                    action: AuditAction::Export,
                    entity: AuditEntity::Contact,
                    entity_id: None,
                    summary: StoredMessage::new(key("audit-contacts-exported"))
                        .num("count", i64::try_from(rows.len()).unwrap_or(i64::MAX)),
                },
            )?;
            finish(w)
        })
        .await?;
    let name = format!("contacts-{}.csv", chrono::Utc::now().format("%Y-%m-%d"));
    Ok(csv_response(&name, body))
}

/// line, problem, then the row's cells as they were in the file (when it
/// is still there), so the rows can be fixed and imported again.
pub fn report_csv(file: &Path, errors: &[(i64, String)]) -> Result<Vec<u8>, AppError> {
    let bad = |e: csv::Error| AppError::unexpected(e);
    let mut by_line: BTreeMap<i64, Vec<&str>> = BTreeMap::new();
    for (line, message) in errors {
        by_line.entry(*line).or_default().push(message);
    }
    let text = std::fs::read_to_string(file).ok();
    let mut header: Vec<String> = Vec::new();
    let mut cells: BTreeMap<i64, Vec<String>> = BTreeMap::new();
    if let Some(text) = &text {
        let mut rows = Rows::new(text);
        if let Ok(Some(h)) = rows.next_row() {
            header = csvsafe::header_names(&h);
        }
        while let Ok(Some(row)) = rows.next_row() {
            if by_line.contains_key(&row.line) {
                cells.insert(row.line, row.cells);
            }
        }
    }
    let mut w = writer();
    let mut head = vec!["line".to_string(), "problem".to_string()];
    head.extend(header);
    write_row(&mut w, head.iter().map(String::as_str)).map_err(bad)?;
    for (line, messages) in &by_line {
        let mut out = vec![
            if *line > 0 {
                line.to_string()
            } else {
                String::new()
            },
            messages.join("; "),
        ];
        out.extend(cells.remove(line).unwrap_or_default());
        write_row(&mut w, out.iter().map(String::as_str)).map_err(bad)?;
    }
    finish(w)
}
