use askama::Template;

use super::mapping::Target;
use super::repo::{self, Import, ImportStatus, OnMatch};
use super::upload::LIMIT_MIB;
use crate::i18n::{Arg, Locale};
use crate::web::Section;
use crate::web::{Chrome, CurrentUser};

/// "Finished", "Importing (40%)"… for lists, in `l`'s language.
pub fn status_label(l: &Locale, i: &Import) -> String {
    match i.status {
        ImportStatus::Mapping => l.t("imports-status-mapping"),
        ImportStatus::Running => l.t_num("imports-status-running", "percent", percent(i)),
        ImportStatus::Finished => l.t("imports-status-finished"),
        ImportStatus::Failed => l.t("imports-status-failed"),
    }
}

pub fn percent(i: &Import) -> i64 {
    (i.processed_rows * 100)
        .checked_div(i.total_rows)
        .unwrap_or(100)
        .clamp(0, 100)
}

#[derive(Template)]
#[template(path = "imports/upload.html")]
pub struct UploadPage {
    pub chrome: Chrome,
    pub recent: Vec<Import>,
    pub error: Option<String>,
    pub on_match: String,
}

impl UploadPage {
    pub fn new(user: &CurrentUser, recent: Vec<Import>) -> UploadPage {
        UploadPage {
            chrome: Chrome::new(user, Section::Contacts),
            recent,
            error: None,
            on_match: "update".into(),
        }
    }

    /// The size limit and what the first row is for.
    pub fn file_help(&self) -> String {
        self.chrome
            .locale
            .t_num("imports-file-help", "mib", LIMIT_MIB as i64)
    }

    pub fn status(&self, i: &Import) -> String {
        status_label(&self.chrome.locale, i)
    }
}

/// One column of the file on the mapping step.
pub struct Column {
    pub index: usize,
    pub name: String,
    pub chosen: Target,
    pub examples: String,
}

/// A row of the preview, as it would be imported.
pub struct PreviewRow {
    pub line: i64,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: String,
    pub company: String,
    pub other: String,
    pub outcome: String,
    pub problem: Option<String>,
}

#[derive(Template)]
#[template(path = "imports/mapping.html", blocks = ["mapping"])]
pub struct MappingPage {
    pub chrome: Chrome,
    pub import: Import,
    pub columns: Vec<Column>,
    pub preview: Vec<PreviewRow>,
    pub problems: Vec<String>,
}

impl MappingPage {
    pub fn targets(&self) -> [Target; 15] {
        Target::ALL
    }

    pub fn is_chosen(&self, c: &Column, t: &Target) -> bool {
        c.chosen == *t
    }

    /// A message about the file's number of rows.
    pub fn rows_text(&self, key: &str) -> String {
        self.chrome
            .locale
            .t_num(key, "rows", self.import.total_rows)
    }

    pub fn skip(&self) -> bool {
        self.import.on_match == OnMatch::Skip
    }
}

#[derive(Template)]
#[template(path = "imports/show.html", blocks = ["progress"])]
pub struct ProgressPage {
    pub chrome: Chrome,
    pub import: Import,
    /// The first problems (line, message); line 0 is about the whole import.
    pub errors: Vec<(i64, String)>,
}

impl ProgressPage {
    pub fn running(&self) -> bool {
        self.import.status == repo::RUNNING
    }

    pub fn failed(&self) -> bool {
        self.import.status == repo::FAILED
    }

    pub fn percent(&self) -> i64 {
        percent(&self.import)
    }

    pub fn status(&self) -> String {
        status_label(&self.chrome.locale, &self.import)
    }

    /// "12 of 40 rows (30%)", in the viewer's language.
    pub fn progress(&self) -> String {
        self.chrome.locale.t_args(
            "import-progress",
            &[
                ("processed", Arg::Num(self.import.processed_rows)),
                ("total", Arg::Num(self.import.total_rows)),
                ("percent", Arg::Num(self.percent())),
            ],
        )
    }

    pub fn more_errors_text(&self) -> String {
        self.chrome
            .locale
            .t_num("import-more-errors", "count", self.more_errors())
    }

    pub fn more_errors(&self) -> i64 {
        let shown = self.errors.iter().filter(|(line, _)| *line > 0).count() as i64;
        (self.import.error_count - shown).max(0)
    }
}
