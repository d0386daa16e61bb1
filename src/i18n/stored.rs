//! Messages kept in the database: a catalogue key and its arguments, as
//! JSON, put into words when shown, in the language of whoever looks.
//! System timeline entries, audit summaries and import row errors are
//! stored this way (docs/i18n.md).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{Arg, Locale, Message};

/// A message to store: `{"key": "…", "args": {"name": "Ada", "id": 3}}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredMessage {
    pub key: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub args: BTreeMap<String, StoredArg>,
}

/// An argument: a number, text shown as it is (a name), or a message of
/// its own, worded in the viewer's language too (a consent's label).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum StoredArg {
    Num(i64),
    Text(String),
    Message(Box<StoredMessage>),
}

impl StoredMessage {
    /// The message `key`; write it as a `key(…)` call with a literal so the
    /// catalogue check sees it.
    pub fn new(key: &'static str) -> StoredMessage {
        StoredMessage {
            key: key.to_string(),
            args: BTreeMap::new(),
        }
    }

    pub fn num(mut self, name: &str, n: i64) -> StoredMessage {
        self.args.insert(name.to_string(), StoredArg::Num(n));
        self
    }

    pub fn text(mut self, name: &str, s: impl Into<String>) -> StoredMessage {
        self.args
            .insert(name.to_string(), StoredArg::Text(s.into()));
        self
    }

    /// An argument that is itself a message key without arguments (a label).
    pub fn label(self, name: &str, key: &'static str) -> StoredMessage {
        self.message(name, StoredMessage::new(key))
    }

    pub fn message(mut self, name: &str, m: StoredMessage) -> StoredMessage {
        self.args
            .insert(name.to_string(), StoredArg::Message(Box::new(m)));
        self
    }

    /// Several messages as one: `joiner` (with `$first` and `$rest`)
    /// nested from the right; None when there are none.
    pub fn list(joiner: &'static str, items: Vec<StoredMessage>) -> Option<StoredMessage> {
        items.into_iter().rev().reduce(|rest, first| {
            StoredMessage::new(joiner)
                .message("first", first)
                .message("rest", rest)
        })
    }

    /// The JSON kept in the column.
    pub fn to_json(&self) -> String {
        // A map of strings and numbers always serialises.
        serde_json::to_string(self).unwrap_or_default()
    }

    pub fn from_json(json: &str) -> Option<StoredMessage> {
        serde_json::from_str(json).ok()
    }

    /// The message in the viewer's words.
    pub fn text_in(&self, locale: &Locale) -> String {
        let args: Vec<(&str, Arg)> = self
            .args
            .iter()
            .map(|(name, a)| {
                let v = match a {
                    StoredArg::Num(n) => Arg::Num(*n),
                    StoredArg::Text(s) => Arg::Text(s.clone()),
                    StoredArg::Message(m) => Arg::Text(m.text_in(locale)),
                };
                (name.as_str(), v)
            })
            .collect();
        super::catalogue::lookup(locale.lang, &self.key, &args)
    }
}

impl From<&Message> for StoredMessage {
    fn from(m: &Message) -> StoredMessage {
        let Message::Key(k, args) = m;
        let mut s = StoredMessage::new(k);
        for (name, a) in args {
            s = match a {
                Arg::Num(n) => s.num(name, *n),
                Arg::Text(t) => s.text(name, t.clone()),
            };
        }
        s
    }
}

impl Locale {
    /// A stored text: the message in `json` when there is one (and it
    /// reads), else `fallback`, the text stored before messages were keys.
    pub fn stored(&self, json: Option<&str>, fallback: &str) -> String {
        match json.and_then(StoredMessage::from_json) {
            Some(m) => m.text_in(self),
            None => fallback.to_string(),
        }
    }
}

impl Locale {
    /// A column that holds either a stored message (JSON) or, from before
    /// messages were keys, text: the message worded, or the text as it is.
    pub fn stored_text(&self, value: &str) -> String {
        let json = value.starts_with('{').then_some(value);
        self.stored(json, value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{Lang, key};

    #[test]
    fn round_trips_and_words_nested_labels_per_language() {
        let m = StoredMessage::new(key("contacts-consent-changed"))
            .label("before", key("contacts-consent-never-asked"))
            .label("after", key("contacts-consent-subscribed"));
        let back = StoredMessage::from_json(&m.to_json()).expect("reads back");
        assert_eq!(back, m);
        let zh = Locale::new(Lang::ZhCn, chrono_tz::Tz::UTC);
        assert_eq!(
            back.text_in(&Locale::default()),
            "Marketing consent: Never asked → Subscribed"
        );
        assert_eq!(back.text_in(&zh), "营销许可：从未询问 → 已订阅");
    }

    #[test]
    fn reads_what_the_migrations_write_and_keeps_old_text() {
        // MariaDB's JSON_OBJECT puts spaces after colons and commas.
        let json = r#"{"key": "contacts-merge-note", "args": {"name": "Ada", "id": 7}}"#;
        let zh = Locale::new(Lang::ZhCn, chrono_tz::Tz::UTC);
        assert_eq!(
            zh.stored(Some(json), "old"),
            "已与 Ada（#7）合并；其时间线、任务和标签已移到这里。"
        );
        assert_eq!(zh.stored(None, "old text"), "old text");
        assert_eq!(zh.stored(Some("not json"), "old text"), "old text");
    }
}
