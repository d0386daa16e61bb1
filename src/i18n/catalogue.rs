//! The embedded Fluent catalogues and lookups.

use std::borrow::Cow;
use std::collections::HashMap;

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader, langid};

use super::Lang;

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "en",
        // No Unicode isolation marks around arguments: they would land in
        // HTML attributes and tests as invisible characters.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// A message argument.
#[derive(Clone, Debug)]
pub enum Arg {
    Num(i64),
    Text(String),
}

impl From<i64> for Arg {
    fn from(n: i64) -> Arg {
        Arg::Num(n)
    }
}

impl From<&str> for Arg {
    fn from(s: &str) -> Arg {
        Arg::Text(s.to_string())
    }
}

static EN: LanguageIdentifier = langid!("en");
static ZH_CN: LanguageIdentifier = langid!("zh-CN");

fn id(lang: Lang) -> &'static LanguageIdentifier {
    match lang {
        Lang::En => &EN,
        Lang::ZhCn => &ZH_CN,
    }
}

pub fn lookup(lang: Lang, key: &str, args: &[(&str, Arg)]) -> String {
    let found = if args.is_empty() {
        LOCALES.try_lookup(id(lang), key)
    } else {
        let map: HashMap<Cow<'static, str>, FluentValue> = args
            .iter()
            .map(|(name, value)| {
                let v = match value {
                    Arg::Num(n) => FluentValue::from(*n),
                    Arg::Text(s) => FluentValue::from(s.clone()),
                };
                (Cow::Owned(name.to_string()), v)
            })
            .collect();
        LOCALES.try_lookup_with_args(id(lang), key, &map)
    };
    found.unwrap_or_else(|| {
        // The catalogue check keeps this from happening; never fail a page for it.
        tracing::warn!(key, "message key missing from the catalogue");
        key.to_string()
    })
}

/// The catalogue defines `key` (in English, hence in every language).
pub fn has(key: &str) -> bool {
    LOCALES.try_lookup(&EN, key).is_some()
}

#[cfg(test)]
/// Message ids defined in a Fluent file: `id = …` at the start of a line
/// (terms start with `-`, comments with `#`, continuations with a space).
pub fn keys_in(ftl: &str) -> impl Iterator<Item = &str> {
    ftl.lines().filter_map(|line| {
        let (id, _) = line.split_once('=')?;
        let id = id.trim_end();
        let ok = id.starts_with(|c: char| c.is_ascii_alphabetic())
            && id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        ok.then_some(id)
    })
}
