//! Form errors keyed by field name, shown beside the field in templates.

use std::collections::BTreeMap;

use validator::ValidationErrors;

#[derive(Clone, Debug, Default)]
pub struct FieldErrors(BTreeMap<String, String>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    /// Keeps the first message per field.
    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0
            .entry(field.to_string())
            .or_insert_with(|| message.into());
    }

    pub fn get(&self, field: &str) -> Option<&String> {
        self.0.get(field)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Fails with these errors unless there are none.
    pub fn into_result(self) -> Result<(), FieldErrors> {
        if self.is_empty() { Ok(()) } else { Err(self) }
    }
}

impl From<ValidationErrors> for FieldErrors {
    fn from(errors: ValidationErrors) -> Self {
        let mut out = FieldErrors::new();
        for (field, errs) in errors.field_errors() {
            if let Some(e) = errs.first() {
                let msg = e
                    .message
                    .as_ref()
                    .map(|m| m.to_string())
                    .unwrap_or_else(|| "This value is not valid.".into());
                out.add(&field, msg);
            }
        }
        out
    }
}

/// Trims a form value; empty becomes None.
pub fn optional(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}
