//! Steps 2 and 3: choosing columns with a preview, then progress and the
//! report. An import is seen only by its importer (and admins); anyone
//! else gets 404, as for a record outside their scope.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};

use super::batch::{self, Match};
use super::csvsafe::{self, Rows};
use super::mapping::{self, Target};
use super::repo::{self, Import, OnMatch};
use super::row::{self, Values};
use super::views::{Column, MappingPage, PreviewRow, ProgressPage};
use super::worker::{self, file_path};
use crate::auth::policy::{Role, Viewer};
use crate::db::{DbConn, write_tx};
use crate::error::{AppError, AppResult};
use crate::i18n::{Locale, key};
use crate::web::Section;
use crate::web::render::{after_post, html, page};
use crate::web::state::AppState;
use crate::web::{CurrentUser, Htmx};

type State = web::Data<AppState>;

const PREVIEW_ROWS: usize = 5;
/// Problems listed on the page; the report has them all.
const ERRORS_SHOWN: i64 = 200;

/// The import, if this user may see it.
pub fn load(c: &mut DbConn, user: &CurrentUser, id: i64) -> AppResult<Import> {
    repo::get(c, id)?
        .filter(|i| i.user_id == user.id || user.role == Role::Admin)
        .ok_or(AppError::NotFound)
}

/// The header and first rows of an import's file.
fn head(data_dir: &Path, id: i64, rows: usize) -> AppResult<(Vec<String>, Vec<csvsafe::Row>)> {
    let gone = || AppError::conflict(key("error-import-file-gone"));
    let text = std::fs::read_to_string(file_path(data_dir, id)).map_err(|_| gone())?;
    let mut reader = Rows::new(&text);
    let header = reader.next_row().map_err(|_| gone())?.ok_or_else(gone)?;
    let mut out = Vec::new();
    while out.len() < rows {
        match reader.next_row().map_err(|_| gone())? {
            Some(r) => out.push(r),
            None => break,
        }
    }
    Ok((csvsafe::header_names(&header), out))
}

/// The mapping step for `columns` (the stored mapping when None).
fn mapping_page(
    c: &mut DbConn,
    user: &CurrentUser,
    data_dir: &Path,
    import: Import,
    columns: Option<Vec<Target>>,
    problems: Vec<String>,
) -> AppResult<MappingPage> {
    let (headers, rows) = head(data_dir, import.id, PREVIEW_ROWS)?;
    let mut chosen = columns.unwrap_or_else(|| mapping::from_json(&import.mapping));
    chosen.resize(headers.len(), Target::Ignore);
    let columns = headers
        .into_iter()
        .enumerate()
        .map(|(index, name)| Column {
            index,
            name,
            chosen: chosen[index],
            examples: rows
                .iter()
                .filter_map(|r| r.cells.get(index).filter(|v| !v.is_empty()))
                .take(3)
                .map(|v| v.chars().take(40).collect::<String>())
                .collect::<Vec<_>>()
                .join(" · "),
        })
        .collect();
    let preview = preview(
        c,
        (&user.viewer(), &user.locale),
        &chosen,
        &rows,
        import.on_match == OnMatch::Skip,
    )?;
    Ok(MappingPage {
        chrome: crate::web::Chrome::new(user, Section::Contacts),
        import,
        columns,
        preview,
        problems,
    })
}

/// The first rows as they would be imported, checked like the real thing.
fn preview(
    c: &mut DbConn,
    (viewer, l): (&Viewer, &Locale),
    columns: &[Target],
    rows: &[csvsafe::Row],
    skip: bool,
) -> AppResult<Vec<PreviewRow>> {
    let values: Vec<Values> = rows.iter().map(|r| Values::of(columns, r)).collect();
    let emails: Vec<String> = values.iter().filter_map(batch::email_of).collect();
    let known = batch::existing(c, viewer, &emails)?;
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for (row, v) in rows.iter().zip(values) {
        let email = batch::email_of(&v);
        let form = v.new_contact();
        let checked = form.validate(&crate::i18n::Locale::default());
        let (outcome, mut problem) = match email.as_ref().and_then(|e| known.matches.get(e)) {
            Some(Match::Hidden) => (
                l.t("mapping-outcome-not-imported"),
                Some(l.t("error-import-outside-scope")),
            ),
            Some(Match::Visible(id)) if skip => {
                (l.t_num("mapping-outcome-skipped-existing", "id", *id), None)
            }
            Some(Match::Visible(id)) => (l.t_num("mapping-outcome-updates", "id", *id), None),
            None if email.as_ref().is_some_and(|e| seen.contains(e)) => (
                l.t(if skip {
                    "mapping-outcome-skipped-above"
                } else {
                    "mapping-outcome-updates-above"
                }),
                None,
            ),
            None => match &checked {
                Ok(_) => (l.t("mapping-outcome-new"), None),
                Err(e) => (
                    l.t("mapping-outcome-not-imported"),
                    Some(row::problem(e).text_in(l)),
                ),
            },
        };
        if v.overflow && problem.is_none() {
            problem = Some(l.t("mapping-overflow"));
        }
        if let Some(e) = email {
            seen.insert(e);
        }
        let mut other = Vec::new();
        let mut add = |label: &str, value: &Option<String>| {
            if let Some(v) = value {
                other.push(format!("{label}: {v}"));
            }
        };
        add(&l.t("mapping-other-title"), &v.title);
        add(&l.t("mapping-other-address"), &v.address);
        add(&l.t("mapping-other-city"), &v.city);
        add(&l.t("mapping-other-country"), &v.country);
        add(&l.t("mapping-other-stage"), &v.lifecycle);
        add(&l.t("mapping-other-consent"), &v.consent);
        add(&l.t("mapping-other-tags"), &v.tags);
        add(&l.t("mapping-other-source"), &v.source);
        let text = |o: &Option<String>| o.clone().unwrap_or_default();
        out.push(PreviewRow {
            line: row.line,
            first_name: text(&v.first_name),
            last_name: text(&v.last_name),
            email: match &checked {
                Ok(input) => input
                    .email
                    .as_ref()
                    .map(|e| e.as_str().to_string())
                    .unwrap_or_default(),
                Err(_) => text(&v.email),
            },
            phone: text(&v.phone),
            company: text(&v.company),
            other: other.join(" · "),
            outcome: if problem.is_some() {
                l.t("mapping-outcome-not-imported")
            } else {
                outcome
            },
            problem,
        });
    }
    Ok(out)
}

pub async fn show(
    user: CurrentUser,
    state: State,
    htmx: Htmx,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let (u, data_dir) = (user.clone(), state.config.data_dir.clone());
    let view = state
        .db(move |c| {
            let import = load(c, &u, id)?;
            if import.status == repo::MAPPING {
                return Ok(Err(mapping_page(
                    c,
                    &u,
                    &data_dir,
                    import,
                    None,
                    Vec::new(),
                )?));
            }
            worker::resume_if_stalled(c, &import);
            let errors = worded(&u.locale, repo::errors(c, id, ERRORS_SHOWN)?);
            Ok(Ok(ProgressPage {
                chrome: crate::web::Chrome::new(&u, Section::Contacts),
                import,
                errors,
            }))
        })
        .await?;
    match view {
        Ok(p) if htmx.fragment() => page(&p.as_progress()),
        Ok(p) => page(&p),
        Err(m) if htmx.fragment() => page(&m.as_mapping()),
        Err(m) => page(&m),
    }
}

pub async fn choose(
    user: CurrentUser,
    state: State,
    htmx: Htmx,
    path: web::Path<i64>,
    form: web::Form<Vec<(String, String)>>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let fields: BTreeMap<String, String> = form.into_inner().into_iter().rev().collect();
    let (u, data_dir) = (user.clone(), state.config.data_dir.clone());
    let started = state
        .db(move |c| {
            let mut import = load(c, &u, id)?;
            if import.status != repo::MAPPING {
                return Ok(Ok(false));
            }
            let (headers, _) = head(&data_dir, id, 0)?;
            let mut problems = Vec::new();
            let columns: Vec<Target> = (0..headers.len())
                .map(|i| match fields.get(&format!("col_{i}")) {
                    None => Target::Ignore,
                    Some(v) => Target::parse(v).unwrap_or_else(|| {
                        problems.push(u.locale.t_str(
                            "error-mapping-unknown",
                            "column",
                            &headers[i],
                        ));
                        Target::Ignore
                    }),
                })
                .collect();
            problems.extend(mapping::check(&columns, &u.locale));
            let on_match = match fields.get("on_match").map(|m| OnMatch::parse(m)) {
                None => import.on_match,
                Some(Some(m)) => m,
                Some(None) => {
                    problems.push(u.locale.t("error-mapping-on-match"));
                    import.on_match
                }
            };
            let preview_only = fields.contains_key("preview") && !fields.contains_key("start");
            let start = problems.is_empty() && !preview_only;
            if problems.is_empty() {
                let json = mapping::to_json(&columns);
                write_tx(c, |c| {
                    // Started and queued together, or neither.
                    if repo::save_mapping(c, id, &json, on_match, start)? == 1 && start {
                        worker::enqueue(c, id)?;
                    }
                    Ok::<_, AppError>(())
                })?;
            }
            if start {
                return Ok(Ok(true));
            }
            import.on_match = on_match;
            let status = if problems.is_empty() {
                StatusCode::OK
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            let view = mapping_page(c, &u, &data_dir, import, Some(columns), problems)?;
            Ok(Err((status, view)))
        })
        .await?;
    match started {
        Ok(_) => Ok(after_post(htmx, &format!("/contacts/import/{id}"))),
        Err((status, view)) if htmx.fragment() => html(status, &view.as_mapping()),
        Err((status, view)) => html(status, &view),
    }
}

/// Every row that was not imported: line, problem, and the row as it was
/// in the file, so it can be fixed and imported again.
pub async fn report(
    user: CurrentUser,
    state: State,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let (u, data_dir) = (user.clone(), state.config.data_dir.clone());
    let (import, body) = state
        .db(move |c| {
            let import = load(c, &u, id)?;
            let errors = worded(&u.locale, repo::errors(c, id, i64::MAX)?);
            let body = super::export::report_csv(&file_path(&data_dir, id), &errors)
                .map_err(AppError::unexpected)?;
            Ok((import, body))
        })
        .await?;
    let stem = import
        .file_name
        .trim_end_matches(".csv")
        .trim_end_matches(".CSV");
    Ok(super::export::csv_response(
        &format!("{stem}-report.csv"),
        body,
    ))
}

/// Recorded problems in the reader's words (old rows: their English text).
fn worded(l: &Locale, errors: Vec<repo::StoredError>) -> Vec<(i64, String)> {
    errors
        .into_iter()
        .map(|(line, message, old)| (line, l.stored(message.as_deref(), &old)))
        .collect()
}
