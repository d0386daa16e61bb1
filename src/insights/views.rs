//! The Insights page: the filter form and the sections.

use askama::Template;

use super::page::{Block, Ctx, Query, Section};
use crate::web::{Chrome, CurrentUser, Section as Nav};

/// Ids with names for a filter menu.
pub type Choices = Vec<(i64, String)>;

#[derive(Template)]
#[template(path = "insights/index.html")]
pub struct InsightsPage {
    pub chrome: Chrome,
    pub from: String,
    pub to: String,
    pub owners: Vec<(i64, String)>,
    pub owner: Option<i64>,
    pub teams: Vec<(i64, String)>,
    pub team: Option<i64>,
    pub pipelines: Vec<(i64, String)>,
    pub pipeline: Option<i64>,
    pub currencies: Vec<String>,
    pub currency: String,
    /// The query string of this view (for the CSV links).
    pub query: String,
    pub sections: std::sync::Arc<Vec<Section>>,
}

impl InsightsPage {
    pub fn new(
        user: &CurrentUser,
        ctx: &Ctx,
        (owners, teams): (Choices, Choices),
        sections: std::sync::Arc<Vec<Section>>,
    ) -> InsightsPage {
        let q: &Query = &ctx.q;
        InsightsPage {
            chrome: Chrome::new(user, Nav::Insights),
            from: q.from.format("%Y-%m").to_string(),
            to: q.to.format("%Y-%m").to_string(),
            owners,
            owner: q.owner,
            teams,
            team: q.team,
            pipelines: ctx
                .pipelines
                .iter()
                .map(|p| (p.id.get(), p.label(&ctx.loc)))
                .collect(),
            pipeline: ctx.pipeline.as_ref().map(|p| p.id.get()),
            currencies: ctx.currencies.clone(),
            currency: ctx.currency.clone(),
            query: q.encoded(),
            sections,
        }
    }

    pub fn is_owner(&self, id: &i64) -> bool {
        self.owner == Some(*id)
    }

    pub fn is_team(&self, id: &i64) -> bool {
        self.team == Some(*id)
    }

    pub fn is_pipeline(&self, id: &i64) -> bool {
        self.pipeline == Some(*id)
    }

    pub fn export_href(&self, chart: &str) -> String {
        format!("/insights/export?chart={chart}&{}", self.query)
    }

    pub fn blocks<'a>(&self, s: &'a Section) -> &'a [Block] {
        &s.blocks
    }
}
