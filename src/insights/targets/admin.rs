//! `/admin/targets`: a month's targets per team and rep, and commission
//! plans (the workspace default and each rep's own), in one currency.
//! Every row is its own small form, so a save touches one row; a stale
//! row is a conflict (409) shown beside that row with the saved values.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::{Months, NaiveDate};
use diesel::prelude::*;
use serde::Deserialize;

use super::plan::{MAX_TIERS, Subject, Tiers};
use super::repo::{self, PlanRow, Saved};
use super::report::{month_param, workspace};
use crate::db::schema::{teams, users};
use crate::db::{DbConn, write_tx};
use crate::error::{AppError, AppResult};
use crate::i18n::format::{is_currency, parse_minor, plain_amount};
use crate::i18n::{Locale, key, set_flash};
use crate::insights::admin::parse_percent;
use crate::insights::domain::month_of;
use crate::insights::page::encode;
use crate::products::domain::percent_text;
use crate::web::forms::FieldErrors;
use crate::web::list::Params;
use crate::web::nav::Section;
use crate::web::render::{html, page, see_other};
use crate::web::state::AppState;
use crate::web::{Chrome, CurrentUser};

type State = web::Data<AppState>;

/// The month and currency a page or form is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sheet {
    pub month: NaiveDate,
    pub currency: String,
}

impl Sheet {
    fn href(&self) -> String {
        format!(
            "/admin/targets?{}",
            encode(&[
                ("month", self.month.format("%Y-%m").to_string()),
                ("currency", self.currency.clone()),
            ])
        )
    }

    fn previous(&self) -> NaiveDate {
        self.month
            .checked_sub_months(Months::new(1))
            .unwrap_or(self.month)
    }

    /// From the address or a form; bad or missing values fall back to
    /// this month (workspace zone) and the workspace currency.
    fn read(c: &mut DbConn, month: &str, currency: &str) -> AppResult<Sheet> {
        let (zone, default_currency) = workspace(c)?;
        let today = chrono::Utc::now().with_timezone(&zone).date_naive();
        let currency = currency.trim().to_ascii_uppercase();
        Ok(Sheet {
            month: month_param(month).unwrap_or_else(|| month_of(today)),
            currency: if is_currency(&currency) {
                currency
            } else {
                default_currency
            },
        })
    }

    /// From a posted form: a damaged month or currency is refused rather
    /// than read as this month (a save must land where the form said).
    fn posted(month: &str, currency: &str) -> AppResult<Sheet> {
        let currency = currency.trim().to_ascii_uppercase();
        match month_param(month) {
            Some(month) if is_currency(&currency) => Ok(Sheet { month, currency }),
            _ => Err(AppError::refused(key("targets-error-sheet"))),
        }
    }
}

#[derive(Deserialize, Default, Debug, Clone)]
#[serde(default)]
pub struct TargetForm {
    pub subject: String,
    pub month: String,
    pub currency: String,
    pub amount: String,
    pub version: String,
}

#[derive(Deserialize, Default, Debug, Clone)]
#[serde(default)]
pub struct PlanForm {
    pub subject: String,
    pub month: String,
    pub currency: String,
    pub rate: String,
    pub above2: String,
    pub rate2: String,
    pub above3: String,
    pub rate3: String,
    /// The plan the form showed: its first month ("" for none) and version.
    pub seen_from: String,
    pub seen_version: String,
}

impl PlanForm {
    fn of(row: Option<&PlanRow>, currency: &str) -> PlanForm {
        let mut f = PlanForm::default();
        if let Some(p) = row {
            let t = p.tiers.tiers();
            let rate = |i: usize| t.get(i).map(|x| percent_text(x.1)).unwrap_or_default();
            let above = |i: usize| {
                t.get(i)
                    .map(|x| plain_amount(x.0, currency))
                    .unwrap_or_default()
            };
            f.rate = rate(0);
            (f.above2, f.rate2) = (above(1), rate(1));
            (f.above3, f.rate3) = (above(2), rate(2));
            f.seen_from = p.from_month.format("%Y-%m").to_string();
            f.seen_version = p.version.to_string();
        }
        f
    }

    /// The tiers typed in (all empty: no plan of its own), or the
    /// messages beside the fields.
    pub fn validate(&self, loc: &Locale, currency: &str) -> Result<Tiers, FieldErrors> {
        let mut e = FieldErrors::new();
        let rate = |e: &mut FieldErrors, field: &str, raw: &str| match parse_percent(raw) {
            Some(bp) if bp <= 10_000 => Some(bp),
            _ => {
                e.add(field, loc.t("insights-error-percent"));
                None
            }
        };
        let mut tiers = Vec::new();
        let rows = [
            ("", self.rate.as_str(), "rate", ""),
            ("above2", self.rate2.as_str(), "rate2", self.above2.as_str()),
            ("above3", self.rate3.as_str(), "rate3", self.above3.as_str()),
        ];
        for (i, (above_field, raw_rate, rate_field, raw_above)) in rows.into_iter().enumerate() {
            let (raw_rate, raw_above) = (raw_rate.trim(), raw_above.trim());
            if raw_rate.is_empty() && raw_above.is_empty() {
                continue;
            }
            if i > 0 && tiers.is_empty() && e.is_empty() {
                e.add("rate", loc.t("targets-error-first-rate"));
            }
            let from = if i == 0 {
                Some(0)
            } else {
                match parse_minor(raw_above, currency) {
                    Some(v) if v > 0 => Some(v),
                    _ => {
                        e.add(above_field, loc.t("targets-error-above"));
                        None
                    }
                }
            };
            let r = rate(&mut e, rate_field, raw_rate);
            if let (Some(from), Some(r)) = (from, r) {
                if tiers.last().is_some_and(|(prev, _)| *prev >= from) {
                    e.add(above_field, loc.t("targets-error-increasing"));
                }
                tiers.push((from, r));
            }
        }
        if !e.is_empty() {
            return Err(e);
        }
        debug_assert!(tiers.len() <= MAX_TIERS);
        Tiers::new(tiers).ok_or_else(|| {
            let mut e = FieldErrors::new();
            e.add("rate", loc.t("targets-error-increasing"));
            e
        })
    }

    fn seen(&self) -> Option<(NaiveDate, i64)> {
        let from = month_param(&self.seen_from)?;
        Some((from, self.seen_version.trim().parse().ok()?))
    }
}

/// A row's plan cell.
pub struct PlanCell {
    pub form: PlanForm,
    pub errors: FieldErrors,
    pub conflict: bool,
    /// The month the plan in force began, when it is not this month's own.
    pub since: Option<String>,
}

/// One row of the sheet: a team or a rep (or the default plan).
pub struct Row {
    pub subject: String,
    /// Safe for an element id: "user-12".
    pub dom: String,
    pub name: String,
    pub detail: String,
    pub target: Option<(TargetForm, FieldErrors, bool)>,
    pub plan: Option<PlanCell>,
}

#[derive(Template)]
#[template(path = "insights/targets.html")]
pub struct TargetsPage {
    pub chrome: Chrome,
    pub month_value: String,
    pub month_label: String,
    pub currency: String,
    pub currencies: Vec<&'static str>,
    /// The default plan, the teams, the reps: a heading and rows each.
    pub groups: Vec<(String, Vec<Row>)>,
}

/// What failed on a POST, shown on its row.
enum Failure {
    Target(TargetForm, FieldErrors, bool),
    Plan(PlanForm, FieldErrors, bool),
}

fn load_page(
    c: &mut DbConn,
    user: &CurrentUser,
    sheet: &Sheet,
    failed: Option<(Subject, Failure)>,
) -> AppResult<TargetsPage> {
    let loc = &user.locale;
    let targets = repo::targets(c, sheet.month, &sheet.currency)?;
    let plans = repo::plans(c, sheet.month, &sheet.currency)?;
    let mut failed = failed;
    let mut row = |who: Subject, name: String, detail: String, target: bool, plan: bool| {
        let mine = failed.as_ref().is_some_and(|(s, _)| *s == who);
        let failure = if mine {
            failed.take().map(|f| f.1)
        } else {
            None
        };
        let target_cell = target.then(|| match failure {
            Some(Failure::Target(ref f, ref e, conflict)) if !conflict => {
                (f.clone(), e.clone(), false)
            }
            _ => {
                let t = targets.get(&who);
                let form = TargetForm {
                    subject: who.key(),
                    month: sheet.month.format("%Y-%m").to_string(),
                    currency: sheet.currency.clone(),
                    amount: t
                        .map(|t| plain_amount(t.value, &sheet.currency))
                        .unwrap_or_default(),
                    version: t.map_or(0, |t| t.version).to_string(),
                };
                let conflict = matches!(failure, Some(Failure::Target(_, _, true)));
                (form, FieldErrors::new(), conflict)
            }
        });
        let plan_cell = plan.then(|| {
            let current = plans.get(&who);
            let since = current
                .filter(|p| p.from_month != sheet.month)
                .map(|p| loc.month(p.from_month));
            match failure {
                Some(Failure::Plan(ref f, ref e, false)) => PlanCell {
                    form: f.clone(),
                    errors: e.clone(),
                    conflict: false,
                    since,
                },
                _ => {
                    let mut form = PlanForm::of(current, &sheet.currency);
                    form.subject = who.key();
                    form.month = sheet.month.format("%Y-%m").to_string();
                    form.currency = sheet.currency.clone();
                    PlanCell {
                        form,
                        errors: FieldErrors::new(),
                        conflict: matches!(failure, Some(Failure::Plan(_, _, true))),
                        since,
                    }
                }
            }
        });
        Row {
            subject: who.key(),
            dom: who.key().replace(':', "-"),
            name,
            detail,
            target: target_cell,
            plan: plan_cell,
        }
    };
    let default_plan = row(
        Subject::Default,
        loc.t("targets-default-plan-name"),
        String::new(),
        false,
        true,
    );
    let team_rows: Vec<(i64, String)> = teams::table
        .order((teams::name.asc(), teams::id.asc()))
        .select((teams::id, teams::name))
        .load(c)?;
    let team_names: std::collections::HashMap<i64, String> = team_rows.iter().cloned().collect();
    let teams = team_rows
        .into_iter()
        .map(|(id, name)| row(Subject::Team(id), name, String::new(), true, false))
        .collect();
    let people: Vec<(i64, String, Option<i64>)> = users::table
        .filter(users::active.eq(true))
        .order((users::name.asc(), users::id.asc()))
        .select((users::id, users::name, users::team_id))
        .load(c)?;
    let reps = people
        .into_iter()
        .map(|(id, name, team)| {
            let detail = team
                .and_then(|t| team_names.get(&t).cloned())
                .unwrap_or_default();
            row(Subject::User(id), name, detail, true, true)
        })
        .collect();
    Ok(TargetsPage {
        chrome: Chrome::new(user, Section::Admin),
        month_value: sheet.month.format("%Y-%m").to_string(),
        month_label: loc.month(sheet.month),
        currency: sheet.currency.clone(),
        currencies: crate::i18n::format::CURRENCIES
            .iter()
            .map(|(c, _, _)| *c)
            .collect(),
        groups: vec![
            (loc.t("targets-default-plan"), vec![default_plan]),
            (loc.t("targets-teams"), teams),
            (loc.t("targets-reps"), reps),
        ],
    })
}

/// `GET /admin/targets?month=YYYY-MM&currency=EUR`
pub async fn show(
    user: CurrentUser,
    state: State,
    query: web::Query<Params>,
) -> AppResult<HttpResponse> {
    let u = user.clone();
    let view = state
        .db(move |c| {
            let sheet = Sheet::read(c, query.get("month"), query.get("currency"))?;
            load_page(c, &u, &sheet, None)
        })
        .await?;
    page(&view)
}

/// Only a real team or an active user can have a target or plan.
fn subject_exists(c: &mut DbConn, who: Subject) -> QueryResult<bool> {
    match who {
        Subject::Default => Ok(true),
        Subject::User(id) => users::table
            .find(id)
            .filter(users::active.eq(true))
            .select(users::id)
            .first::<i64>(c)
            .optional()
            .map(|r| r.is_some()),
        Subject::Team(id) => teams::table
            .find(id)
            .select(teams::id)
            .first::<i64>(c)
            .optional()
            .map(|r| r.is_some()),
    }
}

/// The row a failed save re-renders, with the right status.
fn failed_page(
    c: &mut DbConn,
    user: &CurrentUser,
    sheet: &Sheet,
    who: Subject,
    failure: Failure,
) -> AppResult<(StatusCode, TargetsPage)> {
    let status = match &failure {
        Failure::Target(_, _, true) | Failure::Plan(_, _, true) => StatusCode::CONFLICT,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    };
    Ok((status, load_page(c, user, sheet, Some((who, failure)))?))
}

/// A row's save: the subject and sheet it names are checked, `attempt`
/// validates and writes (a `Failure` re-renders the page with that row's
/// errors, 422, or its saved values, 409), success redirects to the row.
async fn save_row<F>(
    user: CurrentUser,
    state: State,
    session: Session,
    who: Subject,
    (month, currency): (String, String),
    flash: &'static str,
    attempt: F,
) -> AppResult<HttpResponse>
where
    F: FnOnce(&mut DbConn, &Locale, &Sheet) -> AppResult<Result<(), Failure>> + Send + 'static,
{
    let u = user.clone();
    let outcome = state
        .db(move |c| {
            let sheet = Sheet::posted(&month, &currency)?;
            if !subject_exists(c, who)? {
                return Err(AppError::NotFound);
            }
            match attempt(c, &u.locale, &sheet)? {
                Ok(()) => Ok(Ok(sheet)),
                Err(f) => Ok(Err(failed_page(c, &u, &sheet, who, f)?)),
            }
        })
        .await?;
    match outcome {
        Ok(sheet) => {
            set_flash(&session, key(flash));
            let row = who.key().replace(':', "-");
            Ok(see_other(&format!("{}#row-{row}", sheet.href())))
        }
        Err((status, view)) => html(status, &view),
    }
}

/// `POST /admin/targets`: one row's target (an empty amount removes it).
pub async fn save_target(
    user: CurrentUser,
    state: State,
    session: Session,
    form: web::Form<TargetForm>,
) -> AppResult<HttpResponse> {
    let form = form.into_inner();
    let who = Subject::parse(&form.subject)
        .filter(|s| *s != Subject::Default)
        .ok_or_else(|| AppError::refused(key("targets-error-subject")))?;
    let sheet = (form.month.clone(), form.currency.clone());
    save_row(
        user,
        state,
        session,
        who,
        sheet,
        "targets-saved",
        move |c, loc, sheet| {
            let raw = form.amount.trim();
            let amount = match (raw.is_empty(), parse_minor(raw, &sheet.currency)) {
                (true, _) => None,
                (false, Some(v)) => Some(v),
                (false, None) => {
                    let mut e = FieldErrors::new();
                    e.add("amount", loc.t("targets-error-amount"));
                    return Ok(Err(Failure::Target(form, e, false)));
                }
            };
            let version = form.version.trim().parse::<i64>().unwrap_or(-1);
            let r = write_tx(c, |tx| {
                repo::save_target(tx, who, sheet.month, &sheet.currency, amount, version)
            })?;
            Ok(match r {
                Saved::Done => Ok(()),
                Saved::Conflict => Err(Failure::Target(form, FieldErrors::new(), true)),
            })
        },
    )
    .await
}

/// `POST /admin/targets/plan`: one row's plan from the month on.
pub async fn save_plan(
    user: CurrentUser,
    state: State,
    session: Session,
    form: web::Form<PlanForm>,
) -> AppResult<HttpResponse> {
    let form = form.into_inner();
    let who = Subject::parse(&form.subject)
        .filter(|s| !matches!(s, Subject::Team(_)))
        .ok_or_else(|| AppError::refused(key("targets-error-subject")))?;
    let sheet = (form.month.clone(), form.currency.clone());
    save_row(
        user,
        state,
        session,
        who,
        sheet,
        "targets-plan-saved",
        move |c, loc, sheet| {
            let tiers = match form.validate(loc, &sheet.currency) {
                Ok(t) => t,
                Err(e) => return Ok(Err(Failure::Plan(form, e, false))),
            };
            let seen = form.seen();
            let r = write_tx(c, |tx| {
                repo::save_plan(tx, who, sheet.month, &sheet.currency, &tiers, seen)
            })?;
            Ok(match r {
                Saved::Done => Ok(()),
                Saved::Conflict => Err(Failure::Plan(form, FieldErrors::new(), true)),
            })
        },
    )
    .await
}

#[derive(Deserialize, Default, Debug, Clone)]
#[serde(default)]
pub struct SheetForm {
    pub month: String,
    pub currency: String,
}

/// `POST /admin/targets/copy`: last month's targets into this month
/// where this month has none.
pub async fn copy_previous(
    user: CurrentUser,
    state: State,
    session: Session,
    form: web::Form<SheetForm>,
) -> AppResult<HttpResponse> {
    let _ = user;
    let form = form.into_inner();
    let sheet = Sheet::posted(&form.month, &form.currency)?;
    let (month, prev, currency) = (sheet.month, sheet.previous(), sheet.currency.clone());
    state
        .db(move |c| {
            write_tx(c, |tx| repo::copy_targets(tx, month, prev, &currency))?;
            Ok(())
        })
        .await?;
    set_flash(&session, key("targets-copied"));
    Ok(see_other(&sheet.href()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(rate: &str, a2: &str, r2: &str, a3: &str, r3: &str) -> PlanForm {
        PlanForm {
            rate: rate.into(),
            above2: a2.into(),
            rate2: r2.into(),
            above3: a3.into(),
            rate3: r3.into(),
            ..PlanForm::default()
        }
    }

    #[test]
    fn plan_forms_read_into_tiers_or_errors_beside_the_fields() {
        let loc = Locale::default();
        let t = form("5", "10,000", "10", "", "")
            .validate(&loc, "EUR")
            .expect("valid");
        assert_eq!(t.tiers(), &[(0, 500), (1_000_000, 1_000)]);
        assert!(
            form("", "", "", "", "")
                .validate(&loc, "EUR")
                .expect("empty")
                .is_empty()
        );
        let e = form("5", "x", "10", "", "")
            .validate(&loc, "EUR")
            .expect_err("bad");
        assert!(e.get("above2").is_some());
        let e = form("5", "100", "10", "50", "12")
            .validate(&loc, "EUR")
            .expect_err("order");
        assert!(e.get("above3").is_some());
        let e = form("101", "", "", "", "")
            .validate(&loc, "EUR")
            .expect_err("rate");
        assert!(e.get("rate").is_some());
        let e = form("", "100", "10", "", "")
            .validate(&loc, "EUR")
            .expect_err("first");
        assert!(e.get("rate").is_some());
        let e = form("5", "100", "", "", "")
            .validate(&loc, "EUR")
            .expect_err("rate2");
        assert!(e.get("rate2").is_some());
    }
}
