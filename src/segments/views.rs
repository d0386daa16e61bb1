use askama::Template;

use super::domain::SegmentForm;
use super::repo::{SampleRow, Segment};
use crate::contacts::domain::{Consent, Lifecycle};
use crate::web::forms::FieldErrors;
use crate::web::{Chrome, CurrentUser, Section};

#[derive(Template)]
#[template(path = "segments/list.html")]
pub struct ListPage {
    pub chrome: Chrome,
    pub segments: Vec<Segment>,
}

impl ListPage {
    pub fn new(user: &CurrentUser, segments: Vec<Segment>) -> Self {
        ListPage {
            chrome: Chrome::new(user, Section::Campaigns),
            segments,
        }
    }

    pub fn kind(&self, s: &Segment) -> String {
        self.chrome.locale.t(if s.parsed().is_static() {
            "segments-kind-static"
        } else {
            "segments-kind-rules"
        })
    }
}

/// The live count and sample beside the form (the block htmx swaps).
#[derive(Clone, Debug, Default)]
pub struct Preview {
    pub count: i64,
    pub mailable: i64,
    pub sample: Vec<SampleRow>,
}

#[derive(Template)]
#[template(path = "segments/form.html", blocks = ["preview"])]
pub struct FormPage {
    pub chrome: Chrome,
    pub segment_id: Option<i64>,
    pub form: SegmentForm,
    pub errors: FieldErrors,
    pub tags: Vec<String>,
    pub owners: Vec<(i64, String)>,
    pub preview: Option<Preview>,
}

impl FormPage {
    pub fn new(user: &CurrentUser, segment_id: Option<i64>, form: SegmentForm) -> Self {
        FormPage {
            chrome: Chrome::new(user, Section::Campaigns),
            segment_id,
            form,
            errors: FieldErrors::new(),
            tags: Vec::new(),
            owners: Vec::new(),
            preview: None,
        }
    }

    pub fn action(&self) -> String {
        match self.segment_id {
            Some(id) => format!("/segments/{id}"),
            None => "/segments".into(),
        }
    }

    pub fn preview_url(&self) -> String {
        match self.segment_id {
            Some(id) => format!("/segments/{id}"),
            None => "/segments/new".into(),
        }
    }

    pub fn lifecycles(&self) -> Vec<(&'static str, String)> {
        Lifecycle::ALL
            .iter()
            .map(|l| (l.as_str(), self.chrome.locale.t(l.label_key())))
            .collect()
    }

    pub fn consents(&self) -> Vec<(&'static str, String)> {
        Consent::ALL
            .iter()
            .map(|c| (c.as_str(), self.chrome.locale.t(c.label_key())))
            .collect()
    }

    pub fn consent_label(&self, raw: &str) -> String {
        Consent::parse(raw)
            .map(|c| self.chrome.locale.t(c.label_key()))
            .unwrap_or_default()
    }

    pub fn owner_selected(&self, id: &i64) -> bool {
        self.form.owner_id == id.to_string()
    }

    /// "N contacts match" and "M of them are subscribed …".
    pub fn counts(&self, p: &Preview) -> (String, String) {
        let l = &self.chrome.locale;
        (
            l.t_num("segments-count", "count", p.count),
            l.t_num("segments-mailable", "count", p.mailable),
        )
    }

    pub fn is_static(&self) -> bool {
        self.form.kind == "static"
    }
}
