use askama::Template;

use super::domain::{DelayUnit, SeriesStatus, Trigger};
use super::forms::{SeriesForm, StepForm};
use super::repo::{Series, SeriesRow, StepCounts};
use crate::campaigns::repo::Campaign;
use crate::web::Chrome;
use crate::web::forms::FieldErrors;

fn status_label(chrome: &Chrome, s: SeriesStatus) -> String {
    chrome.locale.t(s.label_key())
}

#[derive(Template)]
#[template(path = "campaigns/series/list.html")]
pub struct ListPage {
    pub chrome: Chrome,
    pub rows: Vec<SeriesRow>,
}

impl ListPage {
    pub fn status(&self, s: &Series) -> String {
        status_label(&self.chrome, s.status)
    }

    pub fn trigger(&self, s: &Series) -> String {
        self.chrome.locale.t(s.trigger_kind.label_key())
    }
}

#[derive(Template)]
#[template(path = "campaigns/series/form.html")]
pub struct FormPage {
    pub chrome: Chrome,
    pub series_id: Option<i64>,
    pub form: SeriesForm,
    pub errors: FieldErrors,
    pub forms: Vec<(i64, String)>,
    pub segments: Vec<(i64, String)>,
    pub senders: Vec<String>,
    /// Activated once: the trigger can no longer change.
    pub locked: bool,
}

impl FormPage {
    pub fn action(&self) -> String {
        match self.series_id {
            Some(id) => format!("/campaigns/series/{id}"),
            None => "/campaigns/series".into(),
        }
    }

    pub fn triggers(&self) -> Vec<(&'static str, String)> {
        Trigger::ALL
            .iter()
            .map(|t| (t.as_str(), self.chrome.locale.t(t.label_key())))
            .collect()
    }
}

/// One step on the series page.
pub struct StepRow {
    pub step: Campaign,
    pub counts: StepCounts,
    pub delay: String,
}

#[derive(Template)]
#[template(path = "campaigns/series/show.html")]
pub struct ShowPage {
    pub chrome: Chrome,
    pub series: Series,
    /// The sign-up form's title or the segment's name.
    pub trigger_name: String,
    pub trigger_link: String,
    pub steps: Vec<StepRow>,
    pub enrolled: i64,
}

impl ShowPage {
    pub fn status(&self) -> String {
        status_label(&self.chrome, self.series.status)
    }

    pub fn trigger(&self) -> String {
        self.chrome.locale.t(self.series.trigger_kind.label_key())
    }

    pub fn can_activate(&self) -> bool {
        self.series.status != SeriesStatus::Active && !self.steps.is_empty()
    }

    pub fn can_pause(&self) -> bool {
        self.series.status == SeriesStatus::Active
    }

    pub fn is_segment(&self) -> bool {
        self.series.trigger_kind == Trigger::Segment
    }

    pub fn last(&self) -> usize {
        self.steps.len()
    }
}

/// "2 days", "3 hours", "0 minutes" in the viewer's language.
pub fn delay_text(chrome: &Chrome, minutes: i32) -> String {
    let (n, unit) = DelayUnit::of(minutes);
    let key = match unit {
        DelayUnit::Minutes => "campaigns-series-delay-minutes",
        DelayUnit::Hours => "campaigns-series-delay-hours",
        DelayUnit::Days => "campaigns-series-delay-days",
    };
    chrome.locale.t_num(key, "count", i64::from(n))
}

#[derive(Template)]
#[template(path = "campaigns/series/step.html")]
pub struct StepPage {
    pub chrome: Chrome,
    pub series: Series,
    pub step_id: Option<i64>,
    pub step_no: i32,
    pub form: StepForm,
    pub errors: FieldErrors,
}

impl StepPage {
    pub fn title(&self) -> String {
        match self.step_id {
            Some(_) => self.chrome.locale.t_num(
                "campaigns-series-step-n",
                "count",
                i64::from(self.step_no),
            ),
            None => self.chrome.locale.t("campaigns-series-add-step"),
        }
    }

    pub fn action(&self) -> String {
        match self.step_id {
            Some(id) => format!("/campaigns/series/{}/steps/{id}", self.series.id),
            None => format!("/campaigns/series/{}/steps", self.series.id),
        }
    }

    pub fn units(&self) -> Vec<(&'static str, String)> {
        DelayUnit::ALL
            .iter()
            .map(|u| (u.as_str(), self.chrome.locale.t(u.label_key())))
            .collect()
    }

    pub fn formats(&self) -> Vec<(&'static str, String)> {
        crate::campaigns::views::format_options(&self.chrome.locale)
    }
}
