//! Dates, times and money for a language and time zone. Stored times are
//! UTC `NaiveDateTime`s; they are converted to the viewer's zone only here.

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;

use super::Lang;

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
