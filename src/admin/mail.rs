//! `/admin/mail`: the messages of the file transport (`mail::files`), the
//! newest first, and one message read back — headers, the plain-text
//! part, the HTML part sanitised, and the raw `.eml` to download. With
//! `RAPPORT_SMTP_URL` set the page says where mail goes instead.

use actix_web::{HttpResponse, web};
use askama::Template;

use crate::error::{AppError, AppResult};
use crate::mail::files::{self, MailFile, Opened};
use crate::web::list::Params;
use crate::web::render::page;
use crate::web::state::AppState;
use crate::web::{Chrome, CurrentUser, Section};

const PER_PAGE: usize = 50;

#[derive(Template)]
#[template(path = "admin/mail.html")]
pub struct MailPage {
    pub chrome: Chrome,
    /// None when mail goes through SMTP.
    pub folder: Option<String>,
    pub files: Vec<MailFile>,
    pub total: usize,
    pub page: usize,
    pub pages: usize,
}

impl MailPage {
    pub fn count_label(&self) -> String {
        self.chrome
            .locale
            .t_num("mail-files-count", "count", self.total as i64)
    }

    /// A file's size in kB, rounded up.
    pub fn kb(&self, f: &MailFile) -> String {
        self.chrome.locale.number(f.bytes.div_ceil(1024) as i64)
    }
}

#[derive(Template)]
#[template(path = "admin/mail_message.html")]
pub struct MessagePage {
    pub chrome: Chrome,
    pub name: String,
    pub message: Opened,
    /// The HTML part, sanitised.
    pub html: Option<String>,
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> std::io::Result<T> + Send + 'static,
) -> AppResult<T> {
    web::block(f)
        .await?
        .map_err(|e| AppError::unexpected(e.to_string()))
}

/// `GET /admin/mail?page=N`.
pub async fn list(
    user: CurrentUser,
    state: web::Data<AppState>,
    query: web::Query<Params>,
) -> AppResult<HttpResponse> {
    let chrome = Chrome::new(&user, Section::Admin);
    // Past the last page is an empty page, not an overflow.
    let page_no = query
        .get("page")
        .parse::<usize>()
        .unwrap_or(1)
        .clamp(1, 1_000_000);
    let Some(dir) = files::folder(&state.config) else {
        return page(&MailPage {
            chrome,
            folder: None,
            files: Vec::new(),
            total: 0,
            page: 1,
            pages: 1,
        });
    };
    let shown = dir.display().to_string();
    let (files, total) =
        blocking(move || files::list(&dir, (page_no - 1) * PER_PAGE, PER_PAGE)).await?;
    page(&MailPage {
        chrome,
        folder: Some(shown),
        files,
        total,
        page: page_no,
        pages: total.div_ceil(PER_PAGE).max(1),
    })
}

async fn raw(state: &AppState, name: String) -> AppResult<Vec<u8>> {
    let dir = files::folder(&state.config).ok_or(AppError::NotFound)?;
    blocking(move || files::read(&dir, &name))
        .await?
        .ok_or(AppError::NotFound)
}

/// `GET /admin/mail/{file}`: one message.
pub async fn show(
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> AppResult<HttpResponse> {
    let name = path.into_inner();
    let bytes = raw(&state, name.clone()).await?;
    let message = Opened::parse(&bytes);
    let html = message
        .html
        .as_deref()
        .map(|h| crate::campaigns::render::sanitizer().clean(h).to_string());
    page(&MessagePage {
        chrome: Chrome::new(&user, Section::Admin),
        name,
        message,
        html,
    })
}

/// `GET /admin/mail/{file}/raw`: the `.eml` file itself, to open in a mail
/// client.
pub async fn download(
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> AppResult<HttpResponse> {
    let name = path.into_inner();
    let bytes = raw(&state, name.clone()).await?;
    Ok(HttpResponse::Ok()
        .content_type("message/rfc822")
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"{name}.eml\""),
        ))
        .body(bytes))
}
