use chrono_tz::Tz;
use serde::Deserialize;

use super::repo::Workspace;
use crate::i18n::{Lang, Locale, format::is_currency, parse_zone};
use crate::web::forms::FieldErrors;

#[derive(Deserialize, Default, Debug, Clone)]
#[serde(default)]
pub struct SettingsForm {
    pub company_name: String,
    pub company_address: String,
    pub language: String,
    pub time_zone: String,
    pub currency: String,
    pub quote_prefix: String,
    pub order_prefix: String,
    #[serde(default)]
    pub quote_valid_days: String,
    /// A checkbox: `on` when ticked, absent (empty) when not.
    pub track_individuals: String,
    pub version: String,
}

#[derive(Debug)]
pub struct ValidSettings {
    pub company_name: String,
    pub company_address: String,
    pub lang: Lang,
    pub tz: Tz,
    pub currency: String,
    pub quote_prefix: String,
    pub order_prefix: String,
    pub quote_valid_days: i32,
    pub track_individuals: bool,
    pub version: i64,
}

impl From<&Workspace> for SettingsForm {
    fn from(ws: &Workspace) -> Self {
        SettingsForm {
            company_name: ws.company_name.clone(),
            company_address: ws.company_address.clone(),
            language: ws.language.clone(),
            time_zone: ws.time_zone.clone(),
            currency: ws.currency.clone(),
            quote_prefix: ws.quote_prefix.clone(),
            order_prefix: ws.order_prefix.clone(),
            quote_valid_days: ws.quote_valid_days.to_string(),
            track_individuals: if ws.track_individuals {
                "on".into()
            } else {
                String::new()
            },
            version: ws.version.to_string(),
        }
    }
}

/// Trimmed text of at most `max` characters; line breaks only where `multiline`.
fn text(
    value: &str,
    field: &str,
    max: usize,
    too_long: &str,
    multiline: bool,
    loc: &Locale,
    errors: &mut FieldErrors,
) -> String {
    let v = value.trim().replace("\r\n", "\n");
    if v.chars().count() > max {
        errors.add(field, loc.t(too_long));
    } else if v
        .chars()
        .any(|c| c.is_control() && !(multiline && c == '\n'))
    {
        errors.add(field, loc.t("error-no-control-chars"));
    }
    v
}

impl SettingsForm {
    /// Messages come back in the viewer's language.
    pub fn validate(&self, loc: &Locale) -> Result<ValidSettings, FieldErrors> {
        let mut errors = FieldErrors::new();
        let company_name = text(
            &self.company_name,
            "company_name",
            200,
            "error-max-200",
            false,
            loc,
            &mut errors,
        );
        let company_address = text(
            &self.company_address,
            "company_address",
            1000,
            "error-max-1000",
            true,
            loc,
            &mut errors,
        );
        let lang = Lang::parse(self.language.trim());
        if lang.is_none() {
            errors.add("language", loc.t("error-choose-language"));
        }
        let tz = parse_zone(self.time_zone.trim());
        if tz.is_none() {
            errors.add("time_zone", loc.t("error-choose-time-zone"));
        }
        let currency = self.currency.trim().to_string();
        if !is_currency(&currency) {
            errors.add("currency", loc.t("error-choose-currency"));
        }
        // A document number prefix; empty is the default one.
        let mut prefix = |raw: &str, field: &str, default: &str| {
            let p = raw.trim();
            if p.is_empty() {
                default.to_string()
            } else {
                if !crate::orders::domain::valid_prefix(p) {
                    errors.add(field, loc.t("settings-error-prefix"));
                }
                p.to_string()
            }
        };
        let quote_prefix = prefix(&self.quote_prefix, "quote_prefix", "QT");
        let order_prefix = prefix(&self.order_prefix, "order_prefix", "SO");
        let quote_valid_days = match self.quote_valid_days.trim() {
            "" => crate::orders::domain::QUOTE_VALID_DAYS,
            raw => raw
                .parse::<i32>()
                .ok()
                .filter(|d| crate::orders::domain::QUOTE_VALIDITY.contains(d))
                .unwrap_or_else(|| {
                    errors.add("quote_valid_days", loc.t("settings-error-quote-days"));
                    crate::orders::domain::QUOTE_VALID_DAYS
                }),
        };
        let version = self.version.trim().parse::<i64>();
        if version.is_err() {
            errors.add("version", loc.t("error-value-invalid"));
        }
        errors.into_result()?;
        match (lang, tz, version) {
            (Some(lang), Some(tz), Ok(version)) => Ok(ValidSettings {
                company_name,
                company_address,
                lang,
                tz,
                currency,
                quote_prefix,
                order_prefix,
                quote_valid_days,
                track_individuals: !self.track_individuals.is_empty(),
                version,
            }),
            _ => Err(FieldErrors::new()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> SettingsForm {
        SettingsForm {
            company_name: "北京星辰科技有限公司".into(),
            company_address: "北京市朝阳区\r\n建国路 1 号".into(),
            language: "zh-CN".into(),
            time_zone: "Asia/Shanghai".into(),
            currency: "CNY".into(),
            quote_prefix: String::new(),
            order_prefix: "SO".into(),
            quote_valid_days: String::new(),
            track_individuals: "on".into(),
            version: "0".into(),
        }
    }

    #[test]
    fn accepts_known_values_and_keeps_address_lines() {
        let v = form().validate(&Locale::default()).expect("valid");
        assert_eq!(v.company_address, "北京市朝阳区\n建国路 1 号");
        assert_eq!((v.lang, v.tz.name()), (Lang::ZhCn, "Asia/Shanghai"));
        assert_eq!(
            (v.quote_prefix.as_str(), v.order_prefix.as_str()),
            ("QT", "SO")
        );
    }

    #[test]
    fn unknown_zone_language_and_currency_are_refused_in_the_viewers_language() {
        let bad = SettingsForm {
            language: "fr".into(),
            time_zone: "Mars/Olympus".into(),
            currency: "XYZ".into(),
            company_name: "x\ny".into(),
            order_prefix: "S O".into(),
            ..form()
        };
        let zh = Locale::new(Lang::ZhCn, Tz::UTC);
        let errors = bad.validate(&zh).expect_err("invalid");
        assert_eq!(
            errors.get("time_zone").map(String::as_str),
            Some("请从列表中选择一个时区。")
        );
        assert!(errors.get("language").is_some() && errors.get("currency").is_some());
        assert!(errors.get("company_name").is_some());
        assert!(errors.get("order_prefix").is_some());
    }
}
