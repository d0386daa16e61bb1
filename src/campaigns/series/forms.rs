//! The series editor's and the step editor's forms: strings in, a draft
//! out, or the errors beside their fields. The sender and the message are
//! checked by the campaign editor's rules (`campaigns::forms`).

use super::domain::{DELAY_MAX_MINUTES, DelayUnit, Trigger};
use super::repo::{Series, SeriesDraft, StepDraft};
use crate::campaigns::forms::{check_message, check_sender};
use crate::campaigns::repo::Campaign;
use crate::i18n::Locale;
use crate::web::forms::FieldErrors;
use crate::web::list::Params;

#[derive(Clone, Debug, Default)]
pub struct SeriesForm {
    pub name: String,
    pub trigger: String,
    pub signup_form_id: String,
    pub segment_id: String,
    pub from_name: String,
    pub from_addr: String,
    pub reply_to: String,
    pub version: String,
}

fn take(p: &Params, k: &str, max: usize) -> String {
    p.get(k).chars().take(max).collect()
}

fn id_field(e: &mut FieldErrors, l: &Locale, field: &str, raw: &str) -> Option<i64> {
    match raw.trim() {
        "" => None,
        s => match s.parse::<i64>() {
            Ok(n) if n > 0 => Some(n),
            _ => {
                e.add(field, l.t("campaigns-bad-choice"));
                None
            }
        },
    }
}

impl SeriesForm {
    pub fn from_params(p: &Params) -> SeriesForm {
        SeriesForm {
            name: take(p, "name", 300),
            trigger: take(p, "trigger", 20),
            signup_form_id: take(p, "signup_form_id", 20),
            segment_id: take(p, "segment_id", 20),
            from_name: take(p, "from_name", 300),
            from_addr: take(p, "from_addr", 500),
            reply_to: take(p, "reply_to", 500),
            version: take(p, "version", 12),
        }
    }

    pub fn of(s: &Series) -> SeriesForm {
        SeriesForm {
            name: s.name.clone(),
            trigger: s.trigger_kind.as_str().into(),
            signup_form_id: s.signup_form_id.map(|i| i.to_string()).unwrap_or_default(),
            segment_id: s.segment_id.map(|i| i.to_string()).unwrap_or_default(),
            from_name: s.from_name.clone(),
            from_addr: s.from_addr.clone(),
            reply_to: s.reply_to.clone().unwrap_or_default(),
            version: s.version.to_string(),
        }
    }

    /// The draft, if every field holds (that the chosen form or segment
    /// exists is the handler's check).
    pub fn draft(&self, senders: &[String], l: &Locale) -> Result<SeriesDraft, FieldErrors> {
        let mut e = FieldErrors::new();
        let name = self.name.trim().to_string();
        if name.is_empty() || name.chars().count() > 200 || name.contains(['\r', '\n']) {
            e.add("name", l.t("campaigns-name-required"));
        }
        let trigger = Trigger::parse(self.trigger.trim());
        let signup_form_id = id_field(&mut e, l, "signup_form_id", &self.signup_form_id);
        let segment_id = id_field(&mut e, l, "segment_id", &self.segment_id);
        match trigger {
            None => e.add("trigger", l.t("campaigns-bad-choice")),
            Some(Trigger::Signup) if signup_form_id.is_none() => {
                if e.get("signup_form_id").is_none() {
                    e.add("signup_form_id", l.t("campaigns-series-error-form"));
                }
            }
            Some(Trigger::Segment) if segment_id.is_none() => {
                if e.get("segment_id").is_none() {
                    e.add("segment_id", l.t("campaigns-series-error-segment"));
                }
            }
            Some(_) => {}
        }
        let sender = check_sender(
            &mut e,
            l,
            senders,
            [&self.from_name, &self.from_addr, &self.reply_to],
        );
        e.into_result()?;
        let trigger = trigger.unwrap_or(Trigger::Signup);
        Ok(SeriesDraft {
            name,
            trigger,
            signup_form_id: signup_form_id.filter(|_| trigger == Trigger::Signup),
            segment_id: segment_id.filter(|_| trigger == Trigger::Segment),
            from_name: sender.from_name,
            from_addr: sender.from_addr,
            reply_to: sender.reply_to,
        })
    }

    pub fn version(&self) -> Option<i32> {
        self.version.trim().parse().ok()
    }
}

#[derive(Clone, Debug, Default)]
pub struct StepForm {
    pub delay: String,
    pub delay_unit: String,
    pub subject: String,
    pub body_format: String,
    pub body: String,
    pub version: String,
}

/// The starting body of a new step.
pub const STARTER_BODY: &str =
    "Hello {{ contact.first_name }},\n\nWelcome! Write your message here.\n\n**Rapport**\n";

impl StepForm {
    pub fn from_params(p: &Params) -> StepForm {
        StepForm {
            delay: take(p, "delay", 12),
            delay_unit: take(p, "delay_unit", 20),
            subject: take(p, "subject", 600),
            body_format: take(p, "body_format", 20),
            body: take(p, "body", 200_000),
            version: take(p, "version", 12),
        }
    }

    pub fn of(c: &Campaign) -> StepForm {
        let (n, unit) = DelayUnit::of(c.delay_minutes.unwrap_or(0));
        StepForm {
            delay: n.to_string(),
            delay_unit: unit.as_str().into(),
            subject: c.subject.clone(),
            body_format: c.body_format.clone(),
            body: c.body.clone(),
            version: c.version.to_string(),
        }
    }

    pub fn draft(&self, l: &Locale) -> Result<StepDraft, FieldErrors> {
        let mut e = FieldErrors::new();
        let unit = DelayUnit::parse(self.delay_unit.trim());
        if unit.is_none() {
            e.add("delay_unit", l.t("campaigns-bad-choice"));
        }
        let delay_minutes = match (self.delay.trim().parse::<i64>(), unit) {
            (Ok(n), Some(unit)) if n >= 0 => {
                let m = n.saturating_mul(i64::from(unit.minutes()));
                if m <= i64::from(DELAY_MAX_MINUTES) {
                    m as i32
                } else {
                    e.add("delay", l.t("campaigns-series-error-delay"));
                    0
                }
            }
            (_, Some(_)) => {
                e.add("delay", l.t("campaigns-series-error-delay"));
                0
            }
            (_, None) => 0,
        };
        let message = check_message(&mut e, l, &self.subject, &self.body_format, &self.body);
        e.into_result()?;
        Ok(StepDraft {
            delay_minutes,
            subject: message.subject,
            body_format: message.body_format,
            body: message.body,
        })
    }

    pub fn version(&self) -> Option<i32> {
        self.version.trim().parse().ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> Params {
        Params(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
    }

    #[test]
    fn a_step_needs_a_delay_in_range_and_a_message_that_parses() {
        let l = Locale::default();
        let d = StepForm::from_params(&params(&[
            ("delay", "2"),
            ("delay_unit", "days"),
            ("subject", "Hi"),
            ("body", "Hello"),
        ]))
        .draft(&l)
        .unwrap();
        assert_eq!(d.delay_minutes, 2880);
        let e = StepForm::from_params(&params(&[
            ("delay", "-1"),
            ("delay_unit", "hours"),
            ("subject", "Hi\r\nBcc: x@y"),
            ("body", "{% for %}"),
        ]))
        .draft(&l)
        .unwrap_err();
        for field in ["delay", "subject"] {
            assert!(e.get(field).is_some(), "{field}");
        }
        let e = StepForm::from_params(&params(&[
            ("delay", "1"),
            ("delay_unit", "days"),
            ("subject", "Hi"),
            ("body", "{% for %}"),
        ]))
        .draft(&l)
        .unwrap_err();
        assert!(e.get("body").is_some());
    }

    #[test]
    fn a_series_needs_its_trigger_and_a_configured_sender() {
        let l = Locale::default();
        let senders = ["news@x.example".to_string()];
        let e = SeriesForm::from_params(&params(&[
            ("name", "Welcome"),
            ("trigger", "segment"),
            ("from_addr", "boss@evil.example"),
            ("from_name", "A\nB"),
        ]))
        .draft(&senders, &l)
        .unwrap_err();
        for field in ["segment_id", "from_addr", "from_name"] {
            assert!(e.get(field).is_some(), "{field}");
        }
        let d = SeriesForm::from_params(&params(&[
            ("name", "Welcome"),
            ("trigger", "signup"),
            ("signup_form_id", "3"),
            ("segment_id", "4"),
            ("from_addr", "news@x.example"),
        ]))
        .draft(&senders, &l)
        .unwrap();
        assert_eq!((d.signup_form_id, d.segment_id), (Some(3), None));
    }
}
