//! The page cursor: where a page starts, as an opaque, URL-safe token.
//!
//! It carries the sort it was made for, the page number it leads to (for
//! "Page 3" only: the rows come from the keys), the id and the sort values
//! of the row to continue after (or before). Decoding checks everything; a
//! token that does not fit the list is refused, never half-used.

use chrono::{NaiveDate, NaiveDateTime};

use super::keyset::{Col, Key, Kind};

const VERSION: &str = "k1";
const TIME: &str = "%Y-%m-%dT%H:%M:%S%.6f";
/// Longer sort values than this are not ours (columns hold at most 300).
const VALUE_MAX: usize = 400;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cursor {
    pub sort: String,
    pub desc: bool,
    /// The page the link leads to (1-based).
    pub page: i64,
    pub id: i64,
    pub keys: Vec<Key>,
}

fn put(out: &mut Vec<String>, s: &str) {
    out.push(url::form_urlencoded::byte_serialize(s.as_bytes()).collect());
}

impl Cursor {
    pub fn encode(&self) -> String {
        let mut parts = Vec::new();
        for s in [VERSION, &self.sort, if self.desc { "d" } else { "a" }] {
            put(&mut parts, s);
        }
        put(&mut parts, &self.page.to_string());
        put(&mut parts, &self.id.to_string());
        for k in &self.keys {
            let v = match k {
                Key::Null => "~".to_string(),
                Key::Text(s) => format!("={s}"),
                Key::Time(t) => format!("={}", t.format(TIME)),
                Key::Date(d) => format!("={}", d.format("%Y-%m-%d")),
                Key::Int(i) => format!("={i}"),
            };
            put(&mut parts, &v);
        }
        hex::encode(parts.join("|"))
    }

    /// The cursor in `token`, if it is well formed and made for a list
    /// sorted by `sort` over `cols`.
    pub fn decode(token: &str, sort: &str, desc: bool, cols: &[Col]) -> Option<Cursor> {
        let bytes = hex::decode(token.trim()).ok()?;
        let text = String::from_utf8(bytes).ok()?;
        let parts: Vec<String> = text
            .split('|')
            .map(|p| {
                url::form_urlencoded::parse(format!("v={p}").as_bytes())
                    .next()
                    .map(|(_, v)| v.into_owned())
                    .unwrap_or_default()
            })
            .collect();
        let [version, s, dir, page, id, values @ ..] = parts.as_slice() else {
            return None;
        };
        if version != VERSION || s != sort || dir != if desc { "d" } else { "a" } {
            return None;
        }
        let page: i64 = page.parse().ok().filter(|p| *p >= 1)?;
        let id: i64 = id.parse().ok().filter(|i| *i >= 1)?;
        if values.len() != cols.len() {
            return None;
        }
        let keys = cols
            .iter()
            .zip(values)
            .map(|(col, v)| parse_key(col, v))
            .collect::<Option<Vec<Key>>>()?;
        Some(Cursor {
            sort: sort.to_string(),
            desc,
            page: page.min(super::MAX_PAGE),
            id,
            keys,
        })
    }
}

fn parse_key(col: &Col, v: &str) -> Option<Key> {
    if v == "~" {
        return col.nullable.then_some(Key::Null);
    }
    let v = v.strip_prefix('=')?;
    if v.chars().count() > VALUE_MAX {
        return None;
    }
    match col.kind {
        Kind::Text => Some(Key::Text(v.to_string())),
        Kind::Time => NaiveDateTime::parse_from_str(v, TIME).ok().map(Key::Time),
        Kind::Date => NaiveDate::parse_from_str(v, "%Y-%m-%d").ok().map(Key::Date),
        Kind::Int => v.parse().ok().map(Key::Int),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const COLS: [Col; 2] = [Col::text("c.name").nullable(), Col::time("c.at")];

    fn cursor() -> Cursor {
        Cursor {
            sort: "name".into(),
            desc: true,
            page: 3,
            id: 42,
            keys: vec![
                Key::Text("Ada | Lovelace=~ ü".into()),
                Key::Time(
                    NaiveDateTime::parse_from_str("2026-01-02T03:04:05.123456", TIME)
                        .expect("time"),
                ),
            ],
        }
    }

    #[test]
    fn round_trips_and_is_url_safe() {
        let c = cursor();
        let token = c.encode();
        assert!(token.bytes().all(|b| b.is_ascii_hexdigit()));
        assert_eq!(Cursor::decode(&token, "name", true, &COLS), Some(c.clone()));
        let null = Cursor {
            keys: vec![Key::Null, c.keys[1].clone()],
            ..c
        };
        assert_eq!(
            Cursor::decode(&null.encode(), "name", true, &COLS),
            Some(null)
        );
    }

    #[test]
    fn refuses_what_does_not_fit() {
        let token = cursor().encode();
        assert!(
            Cursor::decode(&token, "email", true, &COLS).is_none(),
            "other sort"
        );
        assert!(
            Cursor::decode(&token, "name", false, &COLS).is_none(),
            "other direction"
        );
        assert!(
            Cursor::decode(&token, "name", true, &COLS[..1]).is_none(),
            "other columns"
        );
        assert!(Cursor::decode("zz", "name", true, &COLS).is_none());
        assert!(Cursor::decode(&token[..token.len() - 2], "name", true, &COLS).is_none());
        let not_null = [Col::text("c.name"), COLS[1]];
        let null = Cursor {
            keys: vec![Key::Null, cursor().keys[1].clone()],
            ..cursor()
        };
        assert!(Cursor::decode(&null.encode(), "name", true, &not_null).is_none());
        let bad_time = hex::encode("k1|name|d|3|42|%3Dx|%3Dnot-a-time");
        assert!(Cursor::decode(&bad_time, "name", true, &COLS).is_none());
        let bad_id = hex::encode("k1|name|d|3|-1|%3Dx|%3D2026-01-02T03%3A04%3A05.000000");
        assert!(Cursor::decode(&bad_id, "name", true, &COLS).is_none());
    }
}
