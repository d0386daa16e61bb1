//! The `.eml` files of the file transport (`<data>/mail`, used when no
//! `RAPPORT_SMTP_URL` is set), read back for the admin's mail page
//! (`/admin/mail`): a new user sees every message Rapport wrote —
//! campaigns, confirmations, password resets — without a mail server.
//! Only names lettre writes (`<uuid>.eml`) are ever opened, so a request
//! cannot reach another file.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use chrono::{DateTime, NaiveDateTime, Utc};
use mail_parser::MessageParser;

use crate::config::Config;

/// Longest file read for the page (a campaign message is a few kB).
const READ_MAX: u64 = 5 * 1024 * 1024;

/// The folder the file transport writes to, when it is the transport.
pub fn folder(config: &Config) -> Option<PathBuf> {
    config
        .smtp_url
        .is_none()
        .then(|| config.data_dir.join("mail"))
}

/// A file's name without `.eml`, if it is one lettre could have written.
pub fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 100
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// One message of the folder, as listed.
#[derive(Debug, Clone)]
pub struct MailFile {
    /// Without `.eml`.
    pub name: String,
    pub written: NaiveDateTime,
    pub bytes: u64,
    pub from: String,
    pub to: String,
    pub subject: String,
}

/// The newest files first: `(page of files, how many there are)`.
pub fn list(dir: &Path, offset: usize, limit: usize) -> std::io::Result<(Vec<MailFile>, usize)> {
    let mut all: Vec<(SystemTime, String, u64)> = Vec::new();
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok((Vec::new(), 0)),
        Err(e) => return Err(e),
    };
    for entry in entries.flatten() {
        let file = entry.file_name().to_string_lossy().to_string();
        let Some(name) = file.strip_suffix(".eml").filter(|n| valid_name(n)) else {
            continue;
        };
        let Ok(meta) = entry.metadata() else {
            continue;
        };
        let written = meta.modified().unwrap_or(SystemTime::UNIX_EPOCH);
        all.push((written, name.to_string(), meta.len()));
    }
    let total = all.len();
    all.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    let page = all
        .into_iter()
        .skip(offset)
        .take(limit)
        .map(|(written, name, bytes)| {
            let head = read(dir, &name).ok().flatten().unwrap_or_default();
            let m = Opened::parse(&head);
            MailFile {
                name,
                written: DateTime::<Utc>::from(written).naive_utc(),
                bytes,
                from: m.from,
                to: m.to,
                subject: m.subject,
            }
        })
        .collect();
    Ok((page, total))
}

/// The raw message `name`, if there is such a file.
pub fn read(dir: &Path, name: &str) -> std::io::Result<Option<Vec<u8>>> {
    if !valid_name(name) {
        return Ok(None);
    }
    let path = dir.join(format!("{name}.eml"));
    match std::fs::metadata(&path) {
        Ok(m) if m.is_file() && m.len() <= READ_MAX => std::fs::read(&path).map(Some),
        Ok(_) => Ok(None),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

/// A message taken apart for reading.
#[derive(Debug, Clone, Default)]
pub struct Opened {
    pub from: String,
    pub to: String,
    pub subject: String,
    /// Every header as written (names and decoded values), in order.
    pub headers: Vec<(String, String)>,
    pub text: Option<String>,
    /// The HTML part as sent (the page sanitises it before showing it).
    pub html: Option<String>,
}

impl Opened {
    pub fn parse(raw: &[u8]) -> Opened {
        let Some(m) = MessageParser::default().parse(raw) else {
            return Opened::default();
        };
        let addresses = |a: Option<&mail_parser::Address>| {
            a.map(|a| {
                a.iter()
                    .filter_map(|x| x.address())
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .unwrap_or_default()
        };
        Opened {
            from: addresses(m.from()),
            to: addresses(m.to()),
            subject: m.subject().unwrap_or_default().to_string(),
            headers: m
                .headers_raw()
                .map(|(n, v)| (n.to_string(), v.trim().to_string()))
                .collect(),
            text: m.body_text(0).map(|t| t.to_string()),
            html: (m.html_body_count() > 0)
                .then(|| m.body_html(0).map(|h| h.to_string()))
                .flatten(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_names_lettre_writes_are_opened() {
        assert!(valid_name("0b1c2d3e-aaaa-bbbb-cccc-0123456789ab"));
        for bad in ["", "../etc/passwd", "a.b", "a/b", "a b", &"x".repeat(101)] {
            assert!(!valid_name(bad), "{bad}");
        }
        let dir = std::env::temp_dir();
        assert!(read(&dir, "../passwd").unwrap().is_none());
    }

    #[test]
    fn a_message_is_taken_apart() {
        let raw = b"From: \"News\" <news@x.example>\r\nTo: ada@x.example\r\n\
Subject: =?utf-8?b?5L2g5aW9?=\r\nMIME-Version: 1.0\r\n\
Content-Type: multipart/alternative; boundary=\"b\"\r\n\r\n\
--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nHello\r\n\
--b\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>Hello</p>\r\n--b--\r\n";
        let m = Opened::parse(raw);
        assert_eq!(m.from, "news@x.example");
        assert_eq!(m.to, "ada@x.example");
        assert_eq!(m.subject, "你好");
        assert_eq!(m.text.as_deref().map(str::trim), Some("Hello"));
        assert!(m.html.unwrap_or_default().contains("<p>Hello</p>"));
        assert!(m.headers.iter().any(|(n, _)| n == "Content-Type"));
    }

    #[test]
    fn the_newest_come_first_and_other_files_are_ignored() {
        let dir = std::env::temp_dir().join(format!("rapport-eml-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        for (i, name) in ["a1", "b2", "c3"].iter().enumerate() {
            let body = format!("To: n{i}@x.example\r\nSubject: S{i}\r\n\r\nx\r\n");
            std::fs::write(dir.join(format!("{name}.eml")), body).unwrap();
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        std::fs::write(dir.join("notes.txt"), "x").unwrap();
        let (page, total) = list(&dir, 0, 2).unwrap();
        assert_eq!(total, 3);
        let names: Vec<_> = page.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["c3", "b2"]);
        assert_eq!(page[0].subject, "S2");
        assert_eq!(page[0].to, "n2@x.example");
        let (rest, _) = list(&dir, 2, 2).unwrap();
        assert_eq!(rest.len(), 1);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
