//! The audit log list: newest first, filtered by record type and action.

use crate::web::list::{Col, FilterSet, Params};

crate::sort_keys! {
    /// Newest first by default (`ix_audit_created`).
    pub enum AuditSort: "audit_log.id", default When {
        When: "when", desc, [Col::time("audit_log.created_at")];
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
