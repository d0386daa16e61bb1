//! The admin pages of pipelines, stages and lost reasons. Each row is its
//! own small form; a refused one comes back with its values and errors.

use askama::Template;

use super::domain::{DealStatus, LostReason, Pipeline, Stage};
use super::forms::{PipelineForm, ReasonForm, StageForm};
use crate::web::forms::FieldErrors;
use crate::web::{Chrome, CurrentUser, Section};

/// One editable row: the form's values and what was wrong with them.
pub struct Row<F> {
    pub id: i64,
    pub form: F,
    pub errors: FieldErrors,
}

/// A refused form: which row (None = the "add" form), its values and errors.
pub struct Refused<F> {
    pub id: Option<i64>,
    pub form: F,
    pub errors: FieldErrors,
}

/// The rows with the refused one's values in place, and the "add" form.
fn rows<F: Clone + Default>(
    saved: Vec<(i64, F)>,
    refused: Option<Refused<F>>,
) -> (Vec<Row<F>>, Row<F>) {
    let mut new = Row {
        id: 0,
        form: F::default(),
        errors: FieldErrors::new(),
    };
    let mut out: Vec<Row<F>> = saved
        .into_iter()
        .map(|(id, form)| Row {
            id,
            form,
            errors: FieldErrors::new(),
        })
        .collect();
    if let Some(r) = refused {
        match r.id {
            None => {
                new.form = r.form;
                new.errors = r.errors;
            }
            Some(id) => {
                if let Some(row) = out.iter_mut().find(|row| row.id == id) {
                    row.form = r.form;
                    row.errors = r.errors;
                }
            }
        }
    }
    (out, new)
}

#[derive(Template)]
#[template(path = "pipelines/pipelines.html")]
pub struct PipelinesPage {
    pub chrome: Chrome,
    pub rows: Vec<Row<PipelineForm>>,
    pub new: Row<PipelineForm>,
}

impl PipelinesPage {
    pub fn new(
        user: &CurrentUser,
        pipelines: &[Pipeline],
        refused: Option<Refused<PipelineForm>>,
    ) -> Self {
        let loc = &user.locale;
        let saved = pipelines
            .iter()
            .map(|p| {
                (
                    p.id.get(),
                    PipelineForm {
                        name: p.label(loc),
                        position: p.position.to_string(),
                        is_default: p.is_default.then(|| "on".to_string()),
                    },
                )
            })
            .collect();
        let (rows, new) = rows(saved, refused);
        PipelinesPage {
            chrome: Chrome::new(user, Section::Admin),
            rows,
            new,
        }
    }
}

#[derive(Template)]
#[template(path = "pipelines/stages.html")]
pub struct StagesPage {
    pub chrome: Chrome,
    pub pipeline_id: i64,
    pub pipeline_name: String,
    pub rows: Vec<Row<StageForm>>,
    pub new: Row<StageForm>,
    /// (id, name, outcome) of the pipeline's stages: where a deleted
    /// stage's deals may go.
    pub stages: Vec<(i64, String, DealStatus)>,
    /// A refused delete: the stage and the error beside its `move_to`.
    pub deleting: Option<(i64, FieldErrors)>,
}

fn stage_form(s: &Stage, loc: &crate::i18n::Locale) -> StageForm {
    StageForm {
        name: s.label(loc),
        position: s.position.to_string(),
        probability: s.probability.to_string(),
        rot_after_days: s.rot_after_days.map(|d| d.to_string()).unwrap_or_default(),
        outcome: s.outcome.as_str().to_string(),
    }
}

impl StagesPage {
    pub fn new(user: &CurrentUser, p: &Pipeline, refused: Option<Refused<StageForm>>) -> Self {
        let loc = &user.locale;
        let saved = p
            .stages
            .iter()
            .map(|s| (s.id.get(), stage_form(s, loc)))
            .collect();
        let (rows, mut new) = rows(saved, refused);
        if new.form.outcome.is_empty() {
            new.form.outcome = DealStatus::Open.as_str().into();
            new.form.position = (p.stages.len() + 1).to_string();
        }
        StagesPage {
            chrome: Chrome::new(user, Section::Admin),
            pipeline_id: p.id.get(),
            pipeline_name: p.label(loc),
            rows,
            new,
            stages: p
                .stages
                .iter()
                .map(|s| (s.id.get(), s.label(loc), s.outcome))
                .collect(),
            deleting: None,
        }
    }

    pub fn outcomes(&self) -> &'static [DealStatus] {
        DealStatus::ALL
    }

    /// The stages a stage's deals may move to when it is deleted: the
    /// others with its outcome.
    pub fn move_targets(&self, id: &i64) -> Vec<(i64, String)> {
        let Some(outcome) = self.stages.iter().find(|s| s.0 == *id).map(|s| s.2) else {
            return Vec::new();
        };
        self.stages
            .iter()
            .filter(|s| s.0 != *id && s.2 == outcome)
            .map(|s| (s.0, s.1.clone()))
            .collect()
    }

    /// The delete form's errors of a stage.
    pub fn delete_errors(&self, id: &i64) -> FieldErrors {
        match &self.deleting {
            Some((d, e)) if d == id => e.clone(),
            _ => FieldErrors::new(),
        }
    }
}

#[derive(Template)]
#[template(path = "pipelines/reasons.html")]
pub struct ReasonsPage {
    pub chrome: Chrome,
    pub rows: Vec<Row<ReasonForm>>,
    pub new: Row<ReasonForm>,
}

impl ReasonsPage {
    pub fn new(
        user: &CurrentUser,
        reasons: &[LostReason],
        refused: Option<Refused<ReasonForm>>,
    ) -> Self {
        let loc = &user.locale;
        let saved = reasons
            .iter()
            .map(|r| {
                (
                    r.id.get(),
                    ReasonForm {
                        name: r.label(loc),
                        position: r.position.to_string(),
                        active: r.active.then(|| "on".to_string()),
                    },
                )
            })
            .collect();
        let (rows, mut new) = rows(saved, refused);
        if new.form.position.is_empty() {
            new.form.position = (reasons.len() + 1).to_string();
        }
        ReasonsPage {
            chrome: Chrome::new(user, Section::Admin),
            rows,
            new,
        }
    }
}

/// "on" when ticked, for the form macro's checkbox.
pub fn ticked(v: &Option<String>) -> String {
    if v.is_some() {
        "on".into()
    } else {
        String::new()
    }
}
