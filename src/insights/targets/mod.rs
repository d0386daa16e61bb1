//! Performance management (issue 12): monthly revenue targets per rep and
//! team, commission plans (a flat rate or marginal tiers, per rep or the
//! workspace default, each from a month on), attainment, and the
//! commission report. docs/insights.md "Targets and commission".

pub mod admin;
pub mod plan;
pub mod repo;
pub mod report;
pub mod report_page;
pub mod section;
