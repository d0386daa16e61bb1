//! The catalogue check: both catalogues define the same messages, every
//! message resolves, and every key that code or a template names exists.
//! Keys are found where they are written as literals: `t("…")`,
//! `t_args("…"`, `t_num("…"`, `t_str("…"` and `key("…")`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::catalogue::{Arg, keys_in, lookup};
use super::{Lang, Locale};

const CALLS: &[&str] = &["t(\"", "t_args(\"", "t_num(\"", "t_str(\"", "key(\""];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            files(&p, out);
        } else {
            out.push(p);
        }
    }
}

fn catalogue_keys(lang: Lang) -> BTreeSet<String> {
    let mut paths = Vec::new();
    files(&root().join("locales").join(lang.code()), &mut paths);
    let mut keys = BTreeSet::new();
    for p in paths
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "ftl"))
    {
        let text = std::fs::read_to_string(p).expect("read catalogue");
        for k in keys_in(&text) {
            assert!(
                keys.insert(k.to_string()),
                "{k} defined twice in {}",
                lang.code()
            );
        }
    }
    keys
}

/// Every message key written as a literal in `text`.
fn used_keys(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for call in CALLS {
        for (at, _) in text.match_indices(call) {
            let before = text[..at].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue; // print(", sort_key(" …
            }
            let rest = &text[at + call.len()..];
            if let Some(end) = rest.find('"') {
                out.push(rest[..end].to_string());
            }
        }
    }
    out
}

#[test]
fn both_catalogues_define_the_same_messages() {
    let en = catalogue_keys(Lang::En);
    let zh = catalogue_keys(Lang::ZhCn);
    assert!(en.len() > 50, "the English catalogue was found");
    let only_en: Vec<_> = en.difference(&zh).collect();
    let only_zh: Vec<_> = zh.difference(&en).collect();
    assert!(only_en.is_empty(), "missing in zh-CN: {only_en:?}");
    assert!(only_zh.is_empty(), "missing in en: {only_zh:?}");
    for lang in Lang::ALL {
        for k in &en {
            let args = [
                ("minutes", Arg::Num(2)),
                ("status", Arg::Num(404)),
                ("zone", Arg::from("UTC")),
                ("folder", Arg::from("/var/lib/rapport/mail")),
                ("value", Arg::from("x")),
                ("when", Arg::from("y")),
                // Records and lists.
                ("max", Arg::Num(50)),
                ("id", Arg::Num(7)),
                ("count", Arg::Num(3)),
                ("name", Arg::from("Ada")),
                ("q", Arg::from("acme")),
                ("total", Arg::from("1,000+")),
                ("first", Arg::from("1")),
                ("last", Arg::from("25")),
                ("page", Arg::from("2")),
                ("pages", Arg::from("3")),
                ("before", Arg::from("a")),
                ("after", Arg::from("b")),
                ("days", Arg::Num(7)),
                ("attempts", Arg::Num(1)),
                ("mib", Arg::Num(20)),
                ("percent", Arg::Num(40)),
                ("processed", Arg::Num(4)),
                ("line", Arg::Num(12)),
                ("columns", Arg::Num(300)),
                ("title", Arg::from("t")),
                ("role", Arg::from("r")),
                ("worker", Arg::from("w")),
                ("file", Arg::from("f.csv")),
                ("list", Arg::from("contacts")),
                ("reason", Arg::from("why")),
                ("field", Arg::from("Email")),
                ("column", Arg::from("E-mail")),
                ("rows", Arg::Num(4)),
                ("url", Arg::from("http://localhost")),
                // Stored messages (audit summaries, import problems).
                ("email", Arg::from("a@b.c")),
                ("changes", Arg::from("c")),
                ("rest", Arg::from("2")),
                ("from", Arg::from("B")),
                ("from_id", Arg::Num(8)),
                ("into", Arg::from("A")),
                ("into_id", Arg::Num(7)),
                ("language", Arg::from("en")),
                ("currency", Arg::from("CNY")),
                ("created", Arg::Num(1)),
                ("updated", Arg::Num(2)),
                ("skipped", Arg::Num(3)),
                ("errors", Arg::Num(4)),
                ("message", Arg::from("m")),
                ("why", Arg::from("w")),
                ("detail", Arg::from("d")),
                ("text", Arg::from("t")),
                ("to", Arg::from("Won")),
                // Lead scores.
                ("score", Arg::Num(72)),
                ("band", Arg::from("high")),
                ("auc", Arg::from("0.84")),
                ("won", Arg::Num(3)),
                ("lost", Arg::Num(1)),
                ("sku", Arg::from("WID-1")),
                ("number", Arg::from("SO-2026-000001")),
                ("product", Arg::from("Widget (WID-1)")),
                // Tickets.
                ("subject", Arg::from("Printer on fire")),
                ("time", Arg::from("28 Nov 2026, 05:00")),
                ("hours", Arg::Num(3)),
                ("weeks", Arg::Num(12)),
                ("queue", Arg::from("Support")),
                ("priority", Arg::from("High")),
                // Quotes by email.
                ("ip", Arg::from("192.0.2.7")),
                ("company", Arg::from("Acme")),
                ("date", Arg::from("1 Dec 2026")),
                // Campaigns.
                ("error", Arg::from("unexpected end of template")),
                ("address", Arg::from("not-an-address")),
                // Targets and commission.
                ("month", Arg::from("Nov 2026")),
                ("rate", Arg::from("5")),
                ("amount", Arg::from("€10,000.00")),
            ];
            let text = lookup(lang, k, &args);
            assert!(
                text != *k && !text.is_empty(),
                "{k} does not resolve in {}",
                lang.code()
            );
        }
    }
}

#[test]
fn every_key_in_code_and_templates_exists() {
    let en = catalogue_keys(Lang::En);
    let mut paths = Vec::new();
    files(&root().join("src"), &mut paths);
    files(&root().join("templates"), &mut paths);
    let mut missing = Vec::new();
    let mut seen = 0;
    for p in &paths {
        if p.ends_with("i18n/check.rs") {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(p) else {
            continue;
        };
        for k in used_keys(&text) {
            seen += 1;
            if !en.contains(&k) {
                missing.push(format!("{}: {k}", p.display()));
            }
        }
    }
    assert!(seen > 50, "keys were found in code and templates ({seen})");
    assert!(
        missing.is_empty(),
        "keys not in the English catalogue: {missing:#?}"
    );
}

#[test]
fn plural_rules_and_arguments() {
    let en = Locale::default();
    let zh = Locale::new(Lang::ZhCn, chrono_tz::Tz::UTC);
    assert_eq!(
        en.t_num("login-throttled", "minutes", 1),
        "Too many failed attempts. Try again in 1 minute."
    );
    assert_eq!(
        en.t_num("login-throttled", "minutes", 5),
        "Too many failed attempts. Try again in 5 minutes."
    );
    assert_eq!(
        zh.t_num("login-throttled", "minutes", 5),
        "失败次数过多，请 5 分钟后再试。"
    );
}

#[test]
fn the_scanner_finds_keys_only_in_calls() {
    let text = format!(
        "{}{}",
        "loc.t(\"a-b\") print(\"no\") ", "key(\"c\") sort_key(\"d\")"
    );
    assert_eq!(used_keys(&text), vec!["a-b".to_string(), "c".to_string()]);
}

/// The shared validators return message keys, and every one of them is in
/// the catalogues (worded differently in Chinese, so not left in English).
#[test]
fn shared_validator_keys_are_in_the_catalogue() {
    use crate::web::forms::FieldErrors;
    let zh = Locale::new(Lang::ZhCn, chrono_tz::Tz::UTC);
    let en = Locale::default();
    let mut keys: Vec<&'static str> = Vec::new();
    for p in ["short", "password", &"x".repeat(129)] {
        keys.extend(crate::auth::password::check_policy(p).err().map(|i| i.0));
    }
    for e in [
        "",
        "not-an-email",
        &format!("{}@example.com", "a".repeat(250)),
    ] {
        keys.extend(crate::domain::EmailAddress::parse(e).err().map(|i| i.0));
    }
    assert_eq!(keys.len(), 6, "every case produced a message: {keys:?}");
    for k in keys {
        assert!(super::catalogue::has(k), "{k} is not in the catalogue");
        assert_ne!(zh.t(k), en.t(k), "{k} is not translated");
    }
    // Validators that word their message for the viewer do so in Chinese.
    let mut texts = Vec::new();
    for name in ["", &"n".repeat(101), "a\u{7}b"] {
        let mut errors = FieldErrors::new();
        crate::auth::forms::check_name(name, &mut errors, &zh);
        texts.extend(errors.get("name").cloned());
    }
    let mut errors = FieldErrors::new();
    crate::auth::forms::check_new_password("long-enough-1", "other-one-2", ("p", &mut errors), &zh);
    texts.extend(errors.get("p_confirm").cloned());
    assert_eq!(texts.len(), 4, "every case produced a message: {texts:?}");
    for text in texts {
        assert!(!text.is_ascii(), "“{text}” is not in Chinese");
    }
}
