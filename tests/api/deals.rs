//! The lead pipeline over HTTP: the board's totals, moves with their
//! history and conflicts, won/lost rules, rotting, record scope, and the
//! admin's pipeline forms. Shared fixtures are here; the tests in `deals/`.

mod admin;
mod board;
mod delete;
mod forecast;
mod funnel;
mod lead;
mod months;
mod moves;
mod quick_add;
mod scope;
mod scoring;

use diesel::prelude::*;
pub use reqwest::StatusCode;
pub use scraper::{Html, Selector};

pub use crate::helpers::*;
use rapport::db::schema::{deals, pipeline_stages};

/// The default pipeline's stages (from the migration), in order.
pub fn stages(app: &TestApp) -> Vec<(i64, String, i32, String)> {
    pipeline_stages::table
        .filter(pipeline_stages::pipeline_id.eq(1))
        .order(pipeline_stages::position.asc())
        .select((
            pipeline_stages::id,
            pipeline_stages::name,
            pipeline_stages::probability,
            pipeline_stages::outcome,
        ))
        .load(&mut app.conn())
        .expect("stages")
}

/// The id of the default pipeline's stage stored under this name.
pub fn stage_id(app: &TestApp, name: &str) -> i64 {
    stages(app)
        .into_iter()
        .find(|s| s.1 == name)
        .unwrap_or_else(|| panic!("stage {name}"))
        .0
}

/// A deal written straight to the database (through the app's repo), in
/// `stage` of the default pipeline, owned by `owner`.
pub fn insert_deal(
    app: &TestApp,
    title: &str,
    owner: i64,
    stage: i64,
    value_minor: i64,
    probability: Option<i32>,
) -> i64 {
    insert_deal_in(app, (1, stage), title, owner, value_minor, probability)
}

/// A deal in `stage` of `pipeline`.
pub fn insert_deal_in(
    app: &TestApp,
    (pipeline, stage): (i64, i64),
    title: &str,
    owner: i64,
    value_minor: i64,
    probability: Option<i32>,
) -> i64 {
    use rapport::deals::domain::DealSource;
    use rapport::deals::repo::{self, DealInput};
    use rapport::domain::ids::{PipelineId, StageId, UserId};
    let mut conn = app.conn();
    let input = DealInput {
        title: title.into(),
        contact_id: None,
        account_id: None,
        value_minor,
        currency: "USD".into(),
        expected_close: None,
        source: DealSource::Referral,
        probability,
        tags: Vec::new(),
    };
    repo::insert(
        &mut conn,
        &input,
        UserId::new(owner),
        (PipelineId::new(pipeline), StageId::new(stage)),
        UserId::new(owner),
    )
    .expect("deal")
    .get()
}

/// A deal's (stage, status, version).
pub fn deal_state(app: &TestApp, id: i64) -> (i64, String, i32) {
    deals::table
        .find(id)
        .select((deals::stage_id, deals::status, deals::version))
        .first(&mut app.conn())
        .expect("deal")
}

/// A fresh app with its admin and two sales reps, Ann and Bob (own scope,
/// no team): (app, admin, ann's id, bob's id, the Lead stage).
pub async fn two_reps() -> (TestApp, Client, i64, i64, i64) {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let ann = app
        .create_user(&mut admin, "ann@test.example", "sales", None)
        .await;
    let bob = app
        .create_user(&mut admin, "bob@test.example", "sales", None)
        .await;
    let lead = stage_id(&app, "pipeline-default-stage-lead");
    (app, admin, ann, bob, lead)
}

/// The text of the first element matching `css`.
pub fn text_of(doc: &Html, css: &str) -> String {
    texts(doc, css).into_iter().next().unwrap_or_default()
}

/// Sets a deal's expected close date straight in the database.
pub fn close_on(app: &TestApp, deal: i64, day: chrono::NaiveDate) {
    diesel::update(deals::table.find(deal))
        .set(deals::expected_close.eq(Some(day)))
        .execute(&mut app.conn())
        .expect("set the close date");
}

/// The first day of this month (UTC, the test users' zone).
pub fn this_month() -> chrono::NaiveDate {
    use chrono::Datelike;
    let today = chrono::Utc::now().date_naive();
    today.with_day(1).expect("first of the month")
}
