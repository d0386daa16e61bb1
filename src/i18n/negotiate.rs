//! Choosing a language before sign-in, from the browser's `Accept-Language`.

use actix_web::HttpRequest;
use actix_web::http::header::ACCEPT_LANGUAGE;

use super::{Lang, Locale};

/// The supported language the browser prefers most, if it names one.
/// Any Chinese (`zh`, `zh-CN`, `zh-Hans`, `zh-TW`) gets Simplified Chinese.
pub fn from_accept_language(header: &str) -> Option<Lang> {
    let mut best: Option<(f32, usize, Lang)> = None;
    for (i, part) in header.split(',').enumerate().take(32) {
        let mut bits = part.split(';');
        let tag = bits.next().unwrap_or("").trim().to_ascii_lowercase();
        let q = bits
            .find_map(|b| b.trim().strip_prefix("q=").map(str::to_string))
            .map(|q| q.parse::<f32>().unwrap_or(0.0))
            .unwrap_or(1.0);
        let primary = tag.split('-').next().unwrap_or("");
        let lang = match primary {
            "en" => Lang::En,
            "zh" => Lang::ZhCn,
            _ => continue,
        };
        if q <= 0.0 {
            continue;
        }
        // Highest q wins; on a tie the earlier entry.
        if best.is_none_or(|(bq, bi, _)| q > bq || (q == bq && i < bi)) {
            best = Some((q, i, lang));
        }
    }
    best.map(|(_, _, l)| l)
}

/// The locale of a page shown to someone not signed in: the browser's
/// language if Rapport speaks it, else the workspace's; the workspace's zone.
pub fn public_locale(req: &HttpRequest, workspace: Locale) -> Locale {
    let header = req
        .headers()
        .get(ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok());
    match header.and_then(from_accept_language) {
        Some(lang) => Locale::new(lang, workspace.tz),
        None => workspace,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_the_preferred_supported_language() {
        assert_eq!(
            from_accept_language("zh-CN,zh;q=0.9,en;q=0.8"),
            Some(Lang::ZhCn)
        );
        assert_eq!(
            from_accept_language("de-DE,en-US;q=0.7,zh;q=0.3"),
            Some(Lang::En)
        );
        assert_eq!(from_accept_language("en;q=0.5, zh-TW"), Some(Lang::ZhCn));
        assert_eq!(from_accept_language("fr, de"), None);
        assert_eq!(from_accept_language("zh;q=0, en;q=0.1"), Some(Lang::En));
        assert_eq!(from_accept_language(""), None);
    }
}
