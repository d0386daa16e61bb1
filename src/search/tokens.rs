//! Turning text into search terms, the same way for what is stored and for
//! what is typed, so both backends match identically.
//!
//! Text is folded first (compatibility decomposition, combining marks
//! dropped, lower case: "Müller" → "muller", full-width "ＡＢＣ" → "abc").
//! Latin, Cyrillic … words become one term each and are matched by prefix.
//! Runs of CJK characters have no spaces between words, so they are cut
//! into overlapping pairs of characters (bigrams) plus the last character
//! alone: 北京星辰科技 → 北京, 京星, 星辰, 辰科, 科技, 技. A typed run of two or more
//! characters must match each of its bigrams; a single character matches
//! any term it starts. That finds a company by 星辰 or 科技 and 张伟 by 张 or 伟,
//! which neither MariaDB (no ngram parser) nor SQLite's trigram tokenizer
//! (three characters at least) can do for two-character words.

use std::collections::BTreeSet;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Longest term kept, in characters (longer words are cut; a prefix search
/// for a longer word then still finds them).
pub const MAX_TERM_CHARS: usize = 40;

/// Folded text: NFKD, no combining marks, lower case.
pub fn fold(text: &str) -> String {
    text.nfkd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Characters written without spaces between words: Han, kana, Hangul.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF        // Hiragana, Katakana
        | 0x3400..=0x4DBF      // CJK Extension A
        | 0x4E00..=0x9FFF      // CJK Unified Ideographs
        | 0xAC00..=0xD7AF      // Hangul syllables
        | 0xF900..=0xFAFF      // CJK Compatibility Ideographs
        | 0x20000..=0x2FA1F) // Extensions B–F, compatibility supplement
}

enum Run {
    Word(String),
    Cjk(Vec<char>),
}

fn runs(text: &str) -> Vec<Run> {
    let mut out = Vec::new();
    let (mut word, mut cjk) = (String::new(), Vec::new());
    for c in fold(text).chars() {
        if is_cjk(c) {
            if !word.is_empty() {
                out.push(Run::Word(std::mem::take(&mut word)));
            }
            cjk.push(c);
        } else if c.is_alphanumeric() {
            if !cjk.is_empty() {
                out.push(Run::Cjk(std::mem::take(&mut cjk)));
            }
            word.push(c);
        } else {
            if !word.is_empty() {
                out.push(Run::Word(std::mem::take(&mut word)));
            }
            if !cjk.is_empty() {
                out.push(Run::Cjk(std::mem::take(&mut cjk)));
            }
        }
    }
    if !word.is_empty() {
        out.push(Run::Word(word));
    }
    if !cjk.is_empty() {
        out.push(Run::Cjk(cjk));
    }
    out
}

fn cut(word: &str) -> String {
    word.chars().take(MAX_TERM_CHARS).collect()
}

fn bigrams(run: &[char]) -> impl Iterator<Item = String> + '_ {
    (0..run.len()).map(move |i| run[i..(i + 2).min(run.len())].iter().collect())
}

/// The terms stored for a record's texts.
pub fn index_terms<'a>(texts: impl IntoIterator<Item = &'a str>) -> BTreeSet<String> {
    let mut terms = BTreeSet::new();
    for text in texts {
        for run in runs(text) {
            match run {
                Run::Word(w) => {
                    terms.insert(cut(&w));
                }
                Run::Cjk(chars) => terms.extend(bigrams(&chars)),
            }
        }
    }
    terms
}

/// A phone number's digits as one term, so "4420" finds "+44 20 …".
pub fn phone_term(phone: &str) -> Option<String> {
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    (digits.len() >= 3).then(|| cut(&digits))
}

/// The prefixes a query must match, each one by some term of the record.
/// At most `max` of them (the rest are ignored).
pub fn query_prefixes(query: &str, max: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for run in runs(query) {
        match run {
            Run::Word(w) => out.push(cut(&w)),
            Run::Cjk(chars) if chars.len() == 1 => out.push(chars[0].to_string()),
            Run::Cjk(chars) => out.extend(bigrams(&chars).filter(|b| b.chars().count() == 2)),
        }
    }
    let mut seen = BTreeSet::new();
    out.retain(|p| seen.insert(p.clone()));
    out.truncate(max);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(texts: &[&str]) -> Vec<String> {
        index_terms(texts.iter().copied()).into_iter().collect()
    }

    #[test]
    fn latin_words_fold_case_and_accents() {
        assert_eq!(
            terms(&["Margaret Müller", "margaret.muller.22@Example.org"]),
            ["22", "example", "margaret", "muller", "org"]
        );
        assert_eq!(fold("ＡＢＣ Ｅｌéa"), "abc elea");
        assert_eq!(query_prefixes("  Ada   LOVELACE ", 5), ["ada", "lovelace"]);
    }

    #[test]
    fn cjk_runs_become_bigrams_and_a_last_character() {
        assert_eq!(
            terms(&["北京星辰科技有限公司"]),
            [
                "公司", "北京", "司", "有限", "星辰", "京星", "科技", "辰科", "技有", "限公"
            ]
            .iter()
            .map(|s| s.to_string())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect::<Vec<_>>()
        );
        assert_eq!(query_prefixes("星辰", 5), ["星辰"]);
        assert_eq!(query_prefixes("星辰科技", 5), ["星辰", "辰科", "科技"]);
        assert_eq!(query_prefixes("伟", 5), ["伟"]);
        // Mixed scripts split where the script changes.
        assert_eq!(query_prefixes("ACME中国", 5), ["acme", "中国"]);
    }

    #[test]
    fn every_cjk_query_part_is_found_in_the_stored_terms() {
        let stored = index_terms(["北京星辰科技有限公司", "张伟"]);
        for q in ["星辰", "科技", "北京星辰", "有限公司", "张", "伟", "张伟"] {
            for p in query_prefixes(q, 5) {
                assert!(
                    stored.iter().any(|t| t.starts_with(&p)),
                    "{q}: no term starts with {p}"
                );
            }
        }
        assert!(
            !query_prefixes("星科", 5)
                .iter()
                .all(|p| stored.iter().any(|t| t.starts_with(p)))
        );
    }

    #[test]
    fn long_words_are_cut_and_phones_keep_their_digits() {
        let long = "a".repeat(100);
        assert_eq!(terms(&[&long])[0].chars().count(), MAX_TERM_CHARS);
        assert_eq!(
            phone_term("+44 20 7946 0958").as_deref(),
            Some("442079460958")
        );
        assert_eq!(phone_term("12"), None);
        assert_eq!(query_prefixes("a b c d e f g", 5).len(), 5);
    }
}
