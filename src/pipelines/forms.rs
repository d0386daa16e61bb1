//! The admin's pipeline, stage and lost-reason forms: strings in, checked
//! values out, errors in the admin's language beside the fields.

use serde::Deserialize;

use super::domain::{DealStatus, NAME_MAX, PROBABILITY_MAX, ROT_DAYS_MAX, parse_bounded};
use crate::i18n::Locale;
use crate::web::forms::FieldErrors;

/// Positions order rows; any whole number up to this.
const POSITION_MAX: i32 = 10_000;

fn name(errors: &mut FieldErrors, raw: &str, l: &Locale) -> String {
    let n = raw.trim().to_string();
    if n.is_empty() {
        errors.add("name", l.t("pipelines-error-name"));
    } else if n.chars().count() > NAME_MAX {
        errors.add(
            "name",
            l.t_num("pipelines-error-name-long", "max", NAME_MAX as i64),
        );
    } else if n.chars().any(char::is_control) {
        errors.add("name", l.t("records-error-control"));
    }
    n
}

fn position(errors: &mut FieldErrors, raw: &str, l: &Locale) -> i32 {
    match parse_bounded(raw, POSITION_MAX) {
        Ok(Some(p)) => p,
        Ok(None) => 1,
        Err(_) => {
            errors.add("position", l.t("pipelines-error-position"));
            1
        }
    }
}

#[derive(Deserialize, Default, Debug, Clone)]
#[serde(default)]
pub struct PipelineForm {
    pub name: String,
    pub position: String,
    /// Checkbox: present when ticked.
    pub is_default: Option<String>,
}

pub struct ValidPipeline {
    pub name: String,
    pub position: i32,
    pub is_default: bool,
}

impl PipelineForm {
    pub fn validate(&self, l: &Locale) -> Result<ValidPipeline, FieldErrors> {
        let mut e = FieldErrors::new();
        let name = name(&mut e, &self.name, l);
        let position = position(&mut e, &self.position, l);
        e.into_result().map(|_| ValidPipeline {
            name,
            position,
            is_default: self.is_default.is_some(),
        })
    }
}

#[derive(Deserialize, Default, Debug, Clone)]
#[serde(default)]
pub struct StageForm {
    pub name: String,
    pub position: String,
    pub probability: String,
    pub rot_after_days: String,
    pub outcome: String,
}

pub struct ValidStage {
    pub name: String,
    pub position: i32,
    pub probability: i32,
    pub rot_after_days: Option<i32>,
    pub outcome: DealStatus,
}

impl StageForm {
    pub fn validate(&self, l: &Locale) -> Result<ValidStage, FieldErrors> {
        let mut e = FieldErrors::new();
        let name = name(&mut e, &self.name, l);
        let position = position(&mut e, &self.position, l);
        let probability = match parse_bounded(&self.probability, PROBABILITY_MAX) {
            Ok(Some(p)) => p,
            _ => {
                e.add("probability", l.t("pipelines-error-probability"));
                0
            }
        };
        let rot_after_days = match parse_bounded(&self.rot_after_days, ROT_DAYS_MAX) {
            Ok(Some(0)) | Err(_) => {
                e.add(
                    "rot_after_days",
                    l.t_num("pipelines-error-rot", "max", ROT_DAYS_MAX as i64),
                );
                None
            }
            Ok(days) => days,
        };
        let outcome = DealStatus::parse(self.outcome.trim()).unwrap_or_else(|| {
            e.add("outcome", l.t("pipelines-error-outcome"));
            DealStatus::Open
        });
        e.into_result().map(|_| ValidStage {
            name,
            position,
            probability,
            rot_after_days,
            outcome,
        })
    }
}

#[derive(Deserialize, Default, Debug, Clone)]
#[serde(default)]
pub struct ReasonForm {
    pub name: String,
    pub position: String,
    /// Checkbox: present when ticked.
    pub active: Option<String>,
}

pub struct ValidReason {
    pub name: String,
    pub position: i32,
    pub active: bool,
}

impl ReasonForm {
    pub fn validate(&self, l: &Locale) -> Result<ValidReason, FieldErrors> {
        let mut e = FieldErrors::new();
        let name = name(&mut e, &self.name, l);
        let position = position(&mut e, &self.position, l);
        e.into_result().map(|_| ValidReason {
            name,
            position,
            active: self.active.is_some(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stage_forms_check_every_field() {
        let l = Locale::default();
        let bad = StageForm {
            name: " ".into(),
            position: "x".into(),
            probability: "140".into(),
            rot_after_days: "0".into(),
            outcome: "maybe".into(),
        };
        let e = bad.validate(&l).err().expect("invalid");
        for f in [
            "name",
            "position",
            "probability",
            "rot_after_days",
            "outcome",
        ] {
            assert!(e.get(f).is_some(), "{f}");
        }
        let good = StageForm {
            name: "Demo".into(),
            position: "3".into(),
            probability: "40".into(),
            rot_after_days: "".into(),
            outcome: "open".into(),
        };
        let v = good.validate(&l).expect("valid");
        assert_eq!((v.position, v.probability, v.rot_after_days), (3, 40, None));
    }
}
