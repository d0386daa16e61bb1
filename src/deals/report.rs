//! What the pipeline's report pages (forecast, funnel) share: the chosen
//! pipeline, the viewer's reach narrowed by the board's filters, and the
//! filter form's choices (`templates/deals/_report_filters.html`).

use super::board::BoardQuery;
use super::repo::Reach;
use crate::db::DbConn;
use crate::error::{AppError, AppResult};
use crate::pipelines::domain::Pipeline;
use crate::pipelines::repo as pipelines;
use crate::web::CurrentUser;

/// The filter form of a report page.
pub struct ReportFilters {
    pub pipelines: Vec<(i64, String)>,
    pub pipeline_id: i64,
    pub pipeline_name: String,
    pub owners: Vec<(i64, String)>,
    pub owner: Option<i64>,
    pub mine: bool,
    /// The board with the same pipeline and filters.
    pub board_href: String,
}

impl ReportFilters {
    pub fn owner_selected(&self, id: &i64) -> bool {
        self.owner == Some(*id)
    }

    pub fn pipeline_selected(&self, id: &i64) -> bool {
        self.pipeline_id == *id
    }

    /// The pipeline asked for (else the default), the reach to read with,
    /// and the form.
    pub fn load(
        c: &mut DbConn,
        user: &CurrentUser,
        q: &BoardQuery,
    ) -> AppResult<(Pipeline, Reach, ReportFilters)> {
        let all = pipelines::all(c)?;
        let pipeline = pipelines::pick(&all, q.pipeline)
            .cloned()
            .ok_or(AppError::NotFound)?;
        let reach = Reach::filtered(c, &user.viewer(), &q.filters)?;
        let loc = &user.locale;
        let form = ReportFilters {
            pipelines: all.iter().map(|p| (p.id.get(), p.label(loc))).collect(),
            pipeline_id: pipeline.id.get(),
            pipeline_name: pipeline.label(loc),
            owners: crate::staff::repo::assignable_users(c, &user.viewer())?,
            owner: q.filters.owner,
            mine: q.filters.mine,
            board_href: format!("/leads?{}", q.query(pipeline.id)),
        };
        Ok((pipeline, reach, form))
    }
}
