//! `/admin/insights`: the workspace's Insights settings (CLV discount rate
//! and horizon, inactivity threshold, margin, lifecycle rules, co-purchase
//! support) and "recompute now" (queues the insights job). A stale form is
//! a conflict (409) with the saved values, never a lost update.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::domain::Settings;
use crate::db::write_tx;
use crate::error::{AppError, AppResult};
use crate::i18n::{Locale, key, set_flash};
use crate::web::forms::FieldErrors;
use crate::web::nav::Section;
use crate::web::render::{html, invalid, page, see_other};
use crate::web::state::AppState;
use crate::web::{Chrome, CurrentUser};

#[derive(Deserialize, Default, Debug, Clone)]
#[serde(default)]
pub struct SettingsForm {
    pub discount: String,
    pub horizon: String,
    pub churn_days: String,
    pub margin: String,
    pub growing: String,
    pub loyal: String,
    pub support: String,
    pub version: String,
}

/// "10", "7.5", "7,25" (percent) → basis points; at most two decimals.
pub(super) fn parse_percent(raw: &str) -> Option<i64> {
    let s = raw.trim().trim_end_matches('%').trim().replace(',', ".");
    let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
    if int.is_empty() || int.len() > 3 || frac.len() > 2 {
        return None;
    }
    if !int.chars().chain(frac.chars()).all(|c| c.is_ascii_digit()) {
        return None;
    }
    let int: i64 = int.parse().ok()?;
    let frac: i64 = format!("{frac:0<2}").parse().ok()?;
    Some(int * 100 + frac)
}

fn percent_text(bp: i64) -> String {
    if bp % 100 == 0 {
        (bp / 100).to_string()
    } else {
        format!("{}.{:02}", bp / 100, bp % 100)
    }
}

impl SettingsForm {
    fn of(s: &Settings, version: i64) -> SettingsForm {
        SettingsForm {
            discount: percent_text(s.discount_bp),
            horizon: s.horizon_years.to_string(),
            churn_days: s.churn_days.to_string(),
            margin: percent_text(s.margin_bp),
            growing: s.growing_orders.to_string(),
            loyal: s.loyal_orders.to_string(),
            support: s.min_support.to_string(),
            version: version.to_string(),
        }
    }

    pub fn validate(&self, loc: &Locale) -> Result<(Settings, i64), FieldErrors> {
        let mut e = FieldErrors::new();
        let mut pct = |field: &str, raw: &str| match parse_percent(raw) {
            Some(bp) if bp <= 10_000 => bp,
            _ => {
                e.add(field, loc.t("insights-error-percent"));
                0
            }
        };
        let discount_bp = pct("discount", &self.discount);
        let margin_bp = pct("margin", &self.margin);
        let mut whole = |field: &str, raw: &str, max: i64| match raw.trim().parse::<i64>() {
            Ok(n) if (1..=max).contains(&n) => n,
            _ => {
                e.add(field, loc.t_num("insights-error-whole", "max", max));
                1
            }
        };
        let horizon = whole("horizon", &self.horizon, 50);
        let churn_days = whole("churn_days", &self.churn_days, 3_650);
        let growing = whole("growing", &self.growing, 1_000);
        let loyal = whole("loyal", &self.loyal, 1_000);
        let support = whole("support", &self.support, 1_000_000);
        if loyal <= growing {
            e.add("loyal", loc.t("insights-error-loyal"));
        }
        let version = self.version.trim().parse::<i64>().unwrap_or(-1);
        if !e.is_empty() {
            return Err(e);
        }
        Ok((
            Settings {
                discount_bp,
                horizon_years: u32::try_from(horizon).unwrap_or(1),
                churn_days,
                margin_bp,
                growing_orders: growing,
                loyal_orders: loyal,
                min_support: support,
            },
            version,
        ))
    }
}

#[derive(Template)]
#[template(path = "insights/settings.html")]
pub struct SettingsPage {
    pub chrome: Chrome,
    pub form: SettingsForm,
    pub errors: FieldErrors,
    pub conflict: bool,
}

type State = web::Data<AppState>;

pub async fn show(user: CurrentUser, state: State) -> AppResult<HttpResponse> {
    let (s, v) = state.db(|c| Ok(super::settings::get_versioned(c)?)).await?;
    page(&SettingsPage {
        chrome: Chrome::new(&user, Section::Admin),
        form: SettingsForm::of(&s, v),
        errors: FieldErrors::new(),
        conflict: false,
    })
}

pub async fn save(
    user: CurrentUser,
    state: State,
    session: Session,
    form: web::Form<SettingsForm>,
) -> AppResult<HttpResponse> {
    let form = form.into_inner();
    let (valid, version) = match form.validate(&user.locale) {
        Ok(v) => v,
        Err(errors) => {
            return invalid(&SettingsPage {
                chrome: Chrome::new(&user, Section::Admin),
                form,
                errors,
                conflict: false,
            });
        }
    };
    let saved = state
        .db(move |c| {
            write_tx(c, |c| {
                let ok = super::settings::update(c, &valid, version)?;
                if ok {
                    super::job::queue(c)?;
                }
                Ok::<_, AppError>(ok)
            })
        })
        .await?;
    if !saved {
        let (s, v) = state.db(|c| Ok(super::settings::get_versioned(c)?)).await?;
        return html(
            StatusCode::CONFLICT,
            &SettingsPage {
                chrome: Chrome::new(&user, Section::Admin),
                form: SettingsForm::of(&s, v),
                errors: FieldErrors::new(),
                conflict: true,
            },
        );
    }
    set_flash(&session, key("insights-settings-saved"));
    Ok(see_other("/admin/insights"))
}

/// `POST /admin/insights/run`: queue the insights job now.
pub async fn run(user: CurrentUser, state: State, session: Session) -> AppResult<HttpResponse> {
    let _ = user;
    state.db(|c| Ok(write_tx(c, super::job::queue)?)).await?;
    set_flash(&session, key("insights-run-queued"));
    Ok(see_other("/admin/insights"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_parse_to_basis_points() {
        assert_eq!(parse_percent("10"), Some(1_000));
        assert_eq!(parse_percent(" 7.5 % "), Some(750));
        assert_eq!(parse_percent("7,25"), Some(725));
        assert_eq!(parse_percent("0.01"), Some(1));
        for bad in ["", "x", "1.234", "-1", "1e3", "1000"] {
            assert_eq!(parse_percent(bad), None, "{bad}");
        }
        assert_eq!(percent_text(750), "7.50");
        assert_eq!(percent_text(1_000), "10");
    }
}
