//! `/insights/commission`: the commission report per rep and month, with
//! attainment of their targets and their teams', and its CSV.

use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::NaiveDate;

use super::plan::Tiers;
use super::report::{self, Report, month_param, workspace};
use crate::db::DbConn;
use crate::deals::domain::Filters;
use crate::deals::funnel_page::percent_of;
use crate::deals::repo::Reach;
use crate::error::AppResult;
use crate::i18n::Locale;
use crate::i18n::format::{is_currency, plain_amount};
use crate::insights::domain::month_of;
use crate::insights::page::encode;
use crate::products::domain::percent_text;
use crate::web::list::Params;
use crate::web::nav::Section;
use crate::web::render::page;
use crate::web::state::AppState;
use crate::web::{Chrome, CurrentUser};

/// The plan in words: "5 %; 10 % above €10,000.00" (no plan: "none").
pub fn describe(loc: &Locale, tiers: &Tiers, currency: &str) -> String {
    if tiers.is_empty() {
        return loc.t("targets-plan-none");
    }
    tiers
        .tiers()
        .iter()
        .map(|(from, rate)| {
            let rate = percent_text(*rate);
            if *from == 0 {
                loc.t_str("targets-plan-rate", "rate", &rate)
            } else {
                loc.t_args(
                    "targets-plan-tier",
                    &[
                        ("rate", crate::i18n::Arg::Text(rate)),
                        ("amount", crate::i18n::Arg::Text(loc.money(*from, currency))),
                    ],
                )
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The report's filters: month (workspace zone), currency, owner, team.
pub struct ReportQuery {
    pub month: NaiveDate,
    pub currency: String,
    pub owner: Option<i64>,
    pub team: Option<i64>,
}

impl ReportQuery {
    pub fn read(c: &mut DbConn, p: &Params) -> AppResult<ReportQuery> {
        let (zone, default_currency) = workspace(c)?;
        let today = chrono::Utc::now().with_timezone(&zone).date_naive();
        let currency = p.get("currency").trim().to_ascii_uppercase();
        Ok(ReportQuery {
            month: month_param(p.get("month")).unwrap_or_else(|| month_of(today)),
            currency: if is_currency(&currency) {
                currency
            } else {
                default_currency
            },
            owner: p.id("owner"),
            team: p.id("team"),
        })
    }

    pub fn encoded(&self) -> String {
        let mut p = vec![
            ("month", self.month.format("%Y-%m").to_string()),
            ("currency", self.currency.clone()),
        ];
        if let Some(o) = self.owner {
            p.push(("owner", o.to_string()));
        }
        if let Some(t) = self.team {
            p.push(("team", t.to_string()));
        }
        encode(&p)
    }

    /// The report within the viewer's record scope, narrowed by the
    /// owner/team filter (which can only narrow).
    pub fn report(&self, c: &mut DbConn, user: &CurrentUser) -> AppResult<Report> {
        let filters = Filters {
            owner: self.owner,
            team: self.team,
            ..Default::default()
        };
        let reach = Reach::filtered(c, &user.viewer(), &filters)?;
        Ok(report::build(
            c,
            reach.owners(),
            self.month,
            &self.currency,
        )?)
    }
}

/// A rep's row as shown.
pub struct RepView {
    pub user_id: i64,
    pub name: String,
    pub team: String,
    pub revenue: String,
    pub orders_href: String,
    pub target: String,
    pub attainment: String,
    pub plan: String,
    pub own_plan: bool,
    pub commission: String,
}

pub struct TeamView {
    pub name: String,
    pub revenue: String,
    pub target: String,
    pub attainment: String,
}

#[derive(Template)]
#[template(path = "insights/commission.html")]
pub struct CommissionPage {
    pub chrome: Chrome,
    pub month_value: String,
    pub month_label: String,
    pub zone: String,
    pub currency: String,
    pub currencies: Vec<String>,
    pub owner: Option<i64>,
    pub team: Option<i64>,
    pub owners: Vec<(i64, String)>,
    pub teams: Vec<(i64, String)>,
    pub reps: Vec<RepView>,
    pub team_rows: Vec<TeamView>,
    pub total_revenue: String,
    pub total_orders_href: String,
    pub total_commission: String,
    pub total_attainment: String,
    pub export_href: String,
}

impl CommissionPage {
    pub fn is_owner(&self, id: &i64) -> bool {
        self.owner == Some(*id)
    }

    pub fn is_team(&self, id: &i64) -> bool {
        self.team == Some(*id)
    }
}

fn money_or_dash(loc: &Locale, v: Option<i64>, currency: &str) -> String {
    v.map_or_else(|| "—".to_string(), |v| loc.money(v, currency))
}

/// `GET /insights/commission?month=YYYY-MM&currency=&owner=&team=`
pub async fn show(
    user: CurrentUser,
    state: web::Data<AppState>,
    query: web::Query<Params>,
) -> AppResult<HttpResponse> {
    let u = user.clone();
    let view = state
        .db(move |c| {
            let q = ReportQuery::read(c, &query)?;
            let r = q.report(c, &u)?;
            let owners = crate::staff::repo::assignable_users(c, &u.viewer())?;
            let teams = crate::staff::repo::list_teams(c)?
                .into_iter()
                .map(|t| (t.id.get(), t.name))
                .collect();
            let loc = &u.locale;
            let cur = &r.currency;
            let reps = r
                .reps
                .iter()
                .map(|l| RepView {
                    user_id: l.user_id,
                    name: l.name.clone(),
                    team: l.team.clone().unwrap_or_default(),
                    revenue: loc.money(l.revenue, cur),
                    orders_href: r.orders_href(Some(l.user_id)),
                    target: money_or_dash(loc, l.target, cur),
                    attainment: l
                        .target
                        .map_or_else(|| "—".into(), |t| percent_of(l.revenue, t)),
                    plan: describe(loc, &l.plan, cur),
                    own_plan: l.own_plan,
                    commission: loc.money(l.commission, cur),
                })
                .collect();
            let team_rows = r
                .teams
                .iter()
                .map(|t| TeamView {
                    name: t.name.clone(),
                    revenue: loc.money(t.revenue, cur),
                    target: money_or_dash(loc, t.target, cur),
                    attainment: t
                        .target
                        .map_or_else(|| "—".into(), |g| percent_of(t.revenue, g)),
                })
                .collect();
            let mut currencies: Vec<String> = crate::insights::repo::currencies(c, None)?;
            if !currencies.contains(&r.currency) {
                currencies.insert(0, r.currency.clone());
            }
            Ok(CommissionPage {
                chrome: Chrome::new(&u, Section::Insights),
                month_value: q.month.format("%Y-%m").to_string(),
                month_label: loc.month(q.month),
                zone: r.zone.name().to_string(),
                currency: r.currency.clone(),
                currencies,
                owner: q.owner,
                team: q.team,
                owners,
                teams,
                reps,
                team_rows,
                total_revenue: loc.money(r.revenue, cur),
                total_orders_href: r.orders_href(None),
                total_commission: loc.money(r.commission, cur),
                total_attainment: percent_of(r.targeted.0, r.targeted.1),
                export_href: format!("/insights/commission/export?{}", q.encoded()),
            })
        })
        .await?;
    page(&view)
}

/// `GET /insights/commission/export?…`: the report as CSV (plain
/// amounts, attainment as a percentage with two decimals).
pub async fn export(
    user: CurrentUser,
    state: web::Data<AppState>,
    query: web::Query<Params>,
) -> AppResult<HttpResponse> {
    let u = user.clone();
    let (name, body) = state
        .db(move |c| {
            let q = ReportQuery::read(c, &query)?;
            let r = q.report(c, &u)?;
            let loc = &u.locale;
            let cur = &r.currency;
            let head: Vec<String> = [
                "targets-col-rep",
                "targets-col-team",
                "targets-col-month",
                "targets-col-currency",
                "targets-col-revenue",
                "targets-col-target",
                "targets-col-attainment",
                "targets-col-plan",
                "targets-col-commission",
            ]
            .iter()
            .map(|k| loc.t(k))
            .collect();
            let month = q.month.format("%Y-%m").to_string();
            let rows: Vec<Vec<String>> = r
                .reps
                .iter()
                .map(|l| {
                    vec![
                        l.name.clone(),
                        l.team.clone().unwrap_or_default(),
                        month.clone(),
                        cur.clone(),
                        plain_amount(l.revenue, cur),
                        l.target.map(|t| plain_amount(t, cur)).unwrap_or_default(),
                        l.attainment_bp.map(percent_text).unwrap_or_default(),
                        describe(loc, &l.plan, cur),
                        plain_amount(l.commission, cur),
                    ]
                })
                .collect();
            let body = crate::imports::csv_bytes(&head, &rows)?;
            Ok((format!("commission-{month}-{cur}.csv"), body))
        })
        .await?;
    Ok(crate::imports::csv_response(&name, body))
}
