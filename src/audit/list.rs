//! The audit log list: newest first, filtered by record type and action.

use crate::web::list::{Col, FilterSet, Params, SortKey};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuditSort {
    When,
}

impl SortKey for AuditSort {
    const ALL: &'static [AuditSort] = &[AuditSort::When];
    const DEFAULT: AuditSort = AuditSort::When;
    const ID: &'static str = "audit_log.id";

    fn key(self) -> &'static str {
        "when"
    }

    fn default_desc(self) -> bool {
        true
    }

    /// `ix_audit_created`.
    fn columns(self) -> &'static [Col] {
        const WHEN: [Col; 1] = [Col::time("audit_log.created_at")];
        &WHEN
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AuditFilters {
    pub entity: Option<String>,
    pub action: Option<String>,
}

impl FilterSet for AuditFilters {
    fn parse(p: &Params) -> AuditFilters {
        AuditFilters {
            entity: p.text("entity", 30),
            action: p.text("action", 30),
        }
    }

    fn pairs(&self) -> Vec<(&'static str, String)> {
        [("entity", &self.entity), ("action", &self.action)]
            .into_iter()
            .filter_map(|(k, v)| v.as_ref().map(|v| (k, v.clone())))
            .collect()
    }
}

pub type AuditListOptions = crate::web::list::ListOptions<AuditSort, AuditFilters>;
