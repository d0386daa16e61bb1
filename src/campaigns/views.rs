use askama::Template;

use super::domain::{BodyFormat, EmailLayout, Status};
use super::forms::CampaignForm;
use super::repo::{Campaign, Progress};
use crate::i18n::Locale;
use crate::web::forms::FieldErrors;
use crate::web::{Chrome, CurrentUser, Section};

#[derive(Template)]
#[template(path = "campaigns/list.html")]
pub struct ListPage {
    pub chrome: Chrome,
    pub campaigns: Vec<Campaign>,
}

impl ListPage {
    pub fn new(user: &CurrentUser, campaigns: Vec<Campaign>) -> Self {
        ListPage {
            chrome: Chrome::new(user, Section::Campaigns),
            campaigns,
        }
    }

    pub fn status(&self, c: &Campaign) -> String {
        self.chrome.locale.t(c.state().label_key())
    }
}

#[derive(Template)]
#[template(path = "campaigns/form.html")]
pub struct FormPage {
    pub chrome: Chrome,
    pub campaign_id: Option<i64>,
    pub form: CampaignForm,
    pub errors: FieldErrors,
    pub segments: Vec<(i64, String)>,
    pub senders: Vec<String>,
}

impl FormPage {
    pub fn action(&self) -> String {
        match self.campaign_id {
            Some(id) => format!("/campaigns/{id}"),
            None => "/campaigns".into(),
        }
    }

    pub fn segment_selected(&self, id: &i64) -> bool {
        self.form.segment_id == id.to_string()
    }

    pub fn formats(&self) -> Vec<(&'static str, String)> {
        format_options(&self.chrome.locale)
    }

    pub fn kinds(&self) -> Vec<(&'static str, String)> {
        crate::campaigns::domain::CampaignKind::ALL
            .iter()
            .map(|k| (k.as_str(), self.chrome.locale.t(k.label_key())))
            .collect()
    }

    pub fn layouts(&self) -> Vec<(&'static str, String)> {
        EmailLayout::ALL
            .iter()
            .map(|l| (l.as_str(), self.chrome.locale.t(l.label_key())))
            .collect()
    }
}

/// The body formats as (value, label) for a select.
pub fn format_options(locale: &Locale) -> Vec<(&'static str, String)> {
    BodyFormat::ALL
        .iter()
        .map(|f| {
            (
                f.as_str(),
                locale.t(&format!("campaigns-format-{}", f.as_str())),
            )
        })
        .collect()
}

/// The campaign's page; its `progress` block is what htmx polls while the
/// campaign sends.
#[derive(Template)]
#[template(path = "campaigns/show.html", blocks = ["progress"])]
pub struct ShowPage {
    pub chrome: Chrome,
    pub campaign: Campaign,
    pub segment_name: Option<String>,
    pub audience: Option<i64>,
    pub progress: Progress,
    pub failures: Vec<(String, Option<String>)>,
    pub contacts: Vec<(i64, String)>,
}

impl ShowPage {
    pub fn status(&self) -> Status {
        self.campaign.state()
    }

    pub fn status_label(&self) -> String {
        self.chrome.locale.t(self.status().label_key())
    }

    pub fn is_live(&self) -> bool {
        matches!(self.status(), Status::Sending | Status::Scheduled)
    }

    pub fn can_edit(&self) -> bool {
        self.status().is_editable()
    }

    pub fn can_launch(&self) -> bool {
        self.status().is_editable() && self.campaign.segment_id.is_some()
    }

    pub fn can_pause(&self) -> bool {
        self.status() == Status::Sending
    }

    pub fn can_resume(&self) -> bool {
        self.status() == Status::Paused
    }

    pub fn can_cancel(&self) -> bool {
        matches!(
            self.status(),
            Status::Scheduled | Status::Sending | Status::Paused
        )
    }
}

#[derive(Template)]
#[template(path = "campaigns/preview.html")]
pub struct PreviewPage {
    pub chrome: Chrome,
    pub campaign: Campaign,
    pub contacts: Vec<(i64, String)>,
    pub contact_id: i64,
    pub subject: String,
    /// Sanitised by ammonia.
    pub html: String,
    pub text: String,
    pub error: Option<String>,
}

impl PreviewPage {
    pub fn selected(&self, id: &i64) -> bool {
        *id == self.contact_id
    }
}

/// The public page behind an unsubscribe link (GET: asks; POST: done).
#[derive(Template)]
#[template(path = "campaigns/unsubscribe.html")]
pub struct UnsubscribePage {
    pub locale: Locale,
    pub token: String,
    pub email: String,
    pub subscribed: bool,
    pub done: bool,
}

/// The thank-you page of an NPS answer, with the comment form.
#[derive(Template)]
#[template(path = "campaigns/nps.html")]
pub struct NpsPage {
    pub locale: Locale,
    pub token: String,
    pub score: i64,
    pub commented: bool,
}

/// View in browser.
#[derive(Template)]
#[template(path = "campaigns/web_version.html")]
pub struct WebVersionPage {
    pub locale: Locale,
    pub subject: String,
    /// Sanitised by ammonia.
    pub html: String,
    pub unsubscribe: String,
}
