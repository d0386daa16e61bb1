//! Dates, times and money for a language and time zone. Stored times are
//! UTC `NaiveDateTime`s; they are converted to the viewer's zone only here.

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;

use super::Lang;

/// The first instant of `day` in `tz`, in UTC (the earliest, across a
/// DST change).
pub fn day_start_utc(tz: Tz, day: NaiveDate) -> NaiveDateTime {
    let midnight = day.and_time(chrono::NaiveTime::MIN);
    tz.from_local_datetime(&midnight)
        .earliest()
        .map(|t| t.naive_utc())
        .unwrap_or(midnight)
}

fn local(tz: Tz, utc: NaiveDateTime) -> DateTime<Tz> {
    tz.from_utc_datetime(&utc)
}

/// `27 Nov 2026, 14:05` / `2026年11月27日 14:05`.
pub fn datetime(lang: Lang, tz: Tz, utc: NaiveDateTime) -> String {
    let t = local(tz, utc);
    match lang {
        Lang::En => t.format("%-d %b %Y, %H:%M").to_string(),
        Lang::ZhCn => t.format("%Y年%-m月%-d日 %H:%M").to_string(),
    }
}

/// The date a stored UTC time falls on in `tz`.
pub fn date(lang: Lang, tz: Tz, utc: NaiveDateTime) -> String {
    day(lang, local(tz, utc).date_naive())
}

/// `27 Nov 2026` / `2026年11月27日`.
pub fn day(lang: Lang, d: NaiveDate) -> String {
    match lang {
        Lang::En => d.format("%-d %b %Y").to_string(),
        Lang::ZhCn => d.format("%Y年%-m月%-d日").to_string(),
    }
}

/// A month as its language writes it: `Nov 2026`, `2026年11月`.
pub fn month(lang: Lang, d: NaiveDate) -> String {
    match lang {
        Lang::En => d.format("%b %Y").to_string(),
        Lang::ZhCn => d.format("%Y年%-m月").to_string(),
    }
}

/// `2026-11-27T14:05:00+08:00`, for `<time datetime>`.
pub fn iso(tz: Tz, utc: NaiveDateTime) -> String {
    local(tz, utc).format("%Y-%m-%dT%H:%M:%S%:z").to_string()
}

/// The calendar date in `tz` at the instant `now`: "today" for someone
/// there (tasks use the assignee's zone to decide due today / overdue).
pub fn today_in(tz: Tz, now: DateTime<Utc>) -> NaiveDate {
    now.with_timezone(&tz).date_naive()
}

/// Currencies Rapport formats: ISO code, symbol, digits after the point.
pub const CURRENCIES: &[(&str, &str, u32)] = &[
    ("CNY", "¥", 2),
    ("USD", "$", 2),
    ("EUR", "€", 2),
    ("GBP", "£", 2),
    ("JPY", "JP¥", 0),
    ("HKD", "HK$", 2),
    ("TWD", "NT$", 2),
    ("SGD", "S$", 2),
    ("AUD", "A$", 2),
    ("CAD", "CA$", 2),
    ("CHF", "CHF ", 2),
    ("KRW", "₩", 0),
];

pub fn is_currency(code: &str) -> bool {
    CURRENCIES.iter().any(|(c, _, _)| *c == code)
}

/// `¥1,234.50`, `€1,234.50`, `-$0.05`, `JP¥1,235`. Both languages group by
/// thousands with `,` and use `.` for the decimal point; an unknown code is
/// written in front (`XYZ 12.00`).
pub fn money(_lang: Lang, minor: i64, currency: &str) -> String {
    let (symbol, digits) = CURRENCIES
        .iter()
        .find(|(c, _, _)| *c == currency)
        .map(|(_, s, d)| (s.to_string(), *d))
        .unwrap_or_else(|| (format!("{currency} "), 2));
    let sign = if minor < 0 { "-" } else { "" };
    let abs = minor.unsigned_abs();
    let unit = 10u64.pow(digits);
    let whole = group(abs / unit);
    if digits == 0 {
        format!("{sign}{symbol}{whole}")
    } else {
        let frac = abs % unit;
        format!(
            "{sign}{symbol}{whole}.{frac:0width$}",
            width = digits as usize
        )
    }
}

/// Digits after the point in `currency` (2 for an unknown code).
pub fn minor_digits(currency: &str) -> u32 {
    CURRENCIES
        .iter()
        .find(|(c, _, _)| *c == currency)
        .map_or(2, |(_, _, d)| *d)
}

/// An amount typed into a form ("1234.5", "1,234.50", "12") in minor units
/// of `currency`, exactly (no floating point); None when it is not a
/// non-negative amount with at most the currency's digits after the point.
pub fn parse_minor(raw: &str, currency: &str) -> Option<i64> {
    let digits = minor_digits(currency);
    let t: String = raw.trim().chars().filter(|c| *c != ',').collect();
    let (whole, frac) = t.split_once('.').unwrap_or((&t, ""));
    let all_digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if whole.is_empty() && frac.is_empty()
        || !all_digits(whole)
        || !all_digits(frac)
        || frac.len() > digits as usize
        || whole.len() > 13
    {
        return None;
    }
    let whole: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let frac_value: i64 = format!("{frac:0<width$}", width = digits as usize)
        .parse()
        .unwrap_or(0);
    whole
        .checked_mul(10i64.pow(digits))?
        .checked_add(frac_value)
}

/// Minor units as a plain amount for a form field ("1234.50"), the inverse
/// of `parse_minor`.
pub fn plain_amount(minor: i64, currency: &str) -> String {
    let digits = minor_digits(currency);
    if digits == 0 {
        return minor.to_string();
    }
    let unit = 10i64.pow(digits);
    let sign = if minor < 0 { "-" } else { "" };
    let abs = minor.unsigned_abs();
    format!(
        "{sign}{}.{:0width$}",
        abs / unit as u64,
        abs % unit as u64,
        width = digits as usize
    )
}

/// A whole number grouped by thousands (`,` in both languages).
pub fn number(_lang: Lang, n: i64) -> String {
    let sign = if n < 0 { "-" } else { "" };
    format!("{sign}{}", group(n.unsigned_abs()))
}

fn group(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::{America, Asia, Europe, Pacific};

    #[test]
    fn amounts_parse_exactly_into_minor_units() {
        assert_eq!(parse_minor("1,234.5", "EUR"), Some(123_450));
        assert_eq!(parse_minor(" 12 ", "USD"), Some(1_200));
        assert_eq!(parse_minor(".05", "USD"), Some(5));
        assert_eq!(parse_minor("1500", "JPY"), Some(1_500));
        for bad in [
            "",
            ".",
            "1.234",
            "-5",
            "1e3",
            "abc",
            "1.5.5",
            "99999999999999",
        ] {
            assert_eq!(parse_minor(bad, "USD"), None, "{bad}");
        }
        assert_eq!(parse_minor("1.5", "JPY"), None);
        assert_eq!(plain_amount(123_450, "EUR"), "1234.50");
        assert_eq!(plain_amount(1_500, "JPY"), "1500");
        assert_eq!(plain_amount(5, "USD"), "0.05");
    }

    fn utc(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").expect("test time")
    }

    #[test]
    fn date_times_in_both_languages_and_zones() {
        let t = utc("2026-11-27 06:05");
        assert_eq!(
            datetime(Lang::ZhCn, Asia::Shanghai, t),
            "2026年11月27日 14:05"
        );
        assert_eq!(datetime(Lang::En, Asia::Shanghai, t), "27 Nov 2026, 14:05");
        assert_eq!(datetime(Lang::En, Europe::Berlin, t), "27 Nov 2026, 07:05");
        assert_eq!(date(Lang::ZhCn, Asia::Shanghai, t), "2026年11月27日");
        assert_eq!(iso(Asia::Shanghai, t), "2026-11-27T14:05:00+08:00");
    }

    #[test]
    fn berlin_across_daylight_saving_time() {
        // Summer time (UTC+2) ends 25 Oct 2026 at 01:00 UTC.
        let before = utc("2026-10-25 00:30");
        let after = utc("2026-10-25 01:30");
        assert_eq!(
            datetime(Lang::En, Europe::Berlin, before),
            "25 Oct 2026, 02:30"
        );
        assert_eq!(
            datetime(Lang::En, Europe::Berlin, after),
            "25 Oct 2026, 02:30"
        );
        assert_eq!(iso(Europe::Berlin, before), "2026-10-25T02:30:00+02:00");
        assert_eq!(iso(Europe::Berlin, after), "2026-10-25T02:30:00+01:00");
        // Summer time starts 29 Mar 2026 at 01:00 UTC: 02:xx local never exists.
        let spring = utc("2026-03-29 01:00");
        assert_eq!(
            datetime(Lang::ZhCn, Europe::Berlin, spring),
            "2026年3月29日 03:00"
        );
        // Shanghai has no daylight saving time: always UTC+8.
        assert_eq!(
            datetime(Lang::ZhCn, Asia::Shanghai, before),
            "2026年10月25日 08:30"
        );
    }

    #[test]
    fn today_across_the_date_line() {
        // 2026-11-27 12:00 UTC: already the 28th in Auckland (UTC+13 in
        // summer), still the 27th in Los Angeles (UTC-8).
        let now = Utc.from_utc_datetime(&utc("2026-11-27 12:00"));
        let auckland = today_in(Pacific::Auckland, now);
        let los_angeles = today_in(America::Los_Angeles, now);
        assert_eq!(
            auckland,
            NaiveDate::from_ymd_opt(2026, 11, 28).expect("date")
        );
        assert_eq!(
            los_angeles,
            NaiveDate::from_ymd_opt(2026, 11, 27).expect("date")
        );
        assert_eq!(today_in(Tz::UTC, now), los_angeles);
    }

    #[test]
    fn money_per_currency() {
        assert_eq!(money(Lang::ZhCn, 123_450, "CNY"), "¥1,234.50");
        assert_eq!(money(Lang::En, 123_450, "EUR"), "€1,234.50");
        assert_eq!(money(Lang::En, -5, "USD"), "-$0.05");
        assert_eq!(money(Lang::En, 1_234_567, "JPY"), "JP¥1,234,567");
        assert_eq!(money(Lang::En, 0, "GBP"), "£0.00");
        assert_eq!(money(Lang::En, 10_000_000_000, "CNY"), "¥100,000,000.00");
        assert_eq!(
            money(Lang::En, i64::MIN, "USD"),
            "-$92,233,720,368,547,758.08"
        );
        assert_eq!(money(Lang::En, 1200, "XYZ"), "XYZ 12.00");
        assert!(is_currency("CNY") && !is_currency("cny") && !is_currency("ABC"));
    }
}
