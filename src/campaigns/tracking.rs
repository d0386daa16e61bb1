//! Open and click tracking. A message carries an open pixel
//! (`/o/<token>`, the recipient's ledger row signed for `Purpose::Open`)
//! and its links go through `/c/<token>/<link>`: the link is a row of
//! `campaign_links` (each distinct URL of the campaign, registered when the
//! first message with it is rendered) and the token is the recipient's row
//! signed for `Purpose::Click` *bound to the link id*, so nobody can make
//! Rapport redirect anywhere the campaign did not link to, nor count a
//! click for another link or recipient. Each open and click is one
//! `campaign_events` row (the charts over time, clicks per link); the first
//! open and click of a recipient are also set on the ledger row with one
//! conditional UPDATE (unique counts). When the workspace turns individual
//! tracking off, events are kept without the recipient and the ledger row
//! is left alone. A campaign can turn the pixel and the link rewriting off.

use std::collections::HashMap;
use std::sync::Mutex;

use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error::DatabaseError};
use sha2::{Digest, Sha256};

use crate::db::schema::{campaign_events as ev, campaign_links as cl, campaign_recipients as cr};
use crate::db::{DbConn, Pool, now, write_tx};
use crate::signed::{PublicLinks, Purpose};

/// Longer URLs are left as written (and untracked).
const URL_MAX: usize = 2000;

/// A transparent 1×1 GIF.
pub const PIXEL: &[u8] = &[
    0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00,
    0xff, 0xff, 0xff, 0x21, 0xf9, 0x04, 0x01, 0x00, 0x00, 0x00, 0x00, 0x2c, 0x00, 0x00, 0x00, 0x00,
    0x01, 0x00, 0x01, 0x00, 0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3b,
];

/// What a tracking event was.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventKind {
    Open,
    Click,
    Unsubscribe,
}

impl EventKind {
    pub const ALL: [EventKind; 3] = [EventKind::Open, EventKind::Click, EventKind::Unsubscribe];

    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Open => "open",
            EventKind::Click => "click",
            EventKind::Unsubscribe => "unsub",
        }
    }

    pub fn parse(s: &str) -> Option<EventKind> {
        EventKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// The open pixel's address for ledger row `recipient`.
pub fn open_url(links: &PublicLinks, recipient: i64) -> String {
    links.url("/o/", Purpose::Open, recipient)
}

/// The click address of `link` for ledger row `recipient`.
pub fn click_url(links: &PublicLinks, recipient: i64, link: i64) -> String {
    let token = links
        .signer
        .sign(Purpose::Click, recipient, None, &link.to_be_bytes());
    format!("{}/c/{token}/{link}", links.base_url)
}

/// The ledger row of a click token, if it was made for `link`.
pub fn verify_click(links: &PublicLinks, token: &str, link: i64) -> Option<i64> {
    links
        .signer
        .verify(Purpose::Click, token, &link.to_be_bytes(), 0)
        .ok()
}

fn url_hash(url: &str) -> String {
    Sha256::digest(url.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The id of `url` among campaign `campaign`'s links, registering it
/// first if it is new (an insert that may meet the unique hash, then a read: two
/// senders registering the same URL get the same row).
pub fn link_id(conn: &mut DbConn, campaign: i64, url: &str) -> QueryResult<i64> {
    let hash = url_hash(url);
    let find = |c: &mut DbConn| {
        cl::table
            .filter(cl::campaign_id.eq(campaign))
            .filter(cl::url_hash.eq(&hash))
            .select(cl::id)
            .first::<i64>(c)
            .optional()
    };
    if let Some(id) = find(conn)? {
        return Ok(id);
    }
    write_tx(conn, |c| {
        let inserted = diesel::insert_into(cl::table)
            .values((
                cl::campaign_id.eq(campaign),
                cl::url_hash.eq(&hash),
                cl::url.eq(url),
                cl::created_at.eq(now()),
            ))
            .execute(c);
        match inserted {
            // Another sender registered it first: theirs is the row.
            Ok(_) | Err(DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => {}
            Err(e) => return Err(e),
        }
        find(c)?.ok_or(diesel::result::Error::NotFound)
    })
}

/// (campaign, URL) of a link.
pub fn link(conn: &mut DbConn, id: i64) -> QueryResult<Option<(i64, String)>> {
    cl::table
        .find(id)
        .select((cl::campaign_id, cl::url))
        .first(conn)
        .optional()
}

/// What a lane needs to track its messages: the campaign's settings and
/// the link ids it has seen (registered once per URL and process).
pub struct Tracker {
    pool: Pool,
    links: PublicLinks,
    campaign: i64,
    opens: bool,
    clicks: bool,
    known: Mutex<HashMap<String, Option<i64>>>,
}

impl Tracker {
    pub fn new(pool: Pool, links: PublicLinks, campaign: i64, opens: bool, clicks: bool) -> Self {
        Tracker {
            pool,
            links,
            campaign,
            opens,
            clicks,
            known: Mutex::new(HashMap::new()),
        }
    }

    /// The open pixel's address for a recipient, when opens are tracked.
    pub fn pixel(&self, recipient: i64) -> Option<String> {
        self.opens.then(|| open_url(&self.links, recipient))
    }

    /// The body with its web links going through the click redirect.
    pub fn rewrite(&self, html: &str, recipient: i64) -> String {
        if !self.clicks {
            return html.to_string();
        }
        rewrite_hrefs(html, |url| {
            let id = self.id_of(url)?;
            Some(click_url(&self.links, recipient, id))
        })
    }

    fn id_of(&self, url: &str) -> Option<i64> {
        let trackable = (url.starts_with("https://") || url.starts_with("http://"))
            && url.len() <= URL_MAX
            // It becomes a Location header: nothing a header cannot carry.
            && !url.chars().any(char::is_control)
            // The recipient's own links (unsubscribe, web version) stay direct.
            && !url.starts_with(&format!("{}/", self.links.base_url));
        if !trackable {
            return None;
        }
        if let Some(known) = self.known.lock().ok()?.get(url) {
            return *known;
        }
        // Not registered: the link stays as written rather than failing the
        // message (the next message tries again).
        let id = self
            .pool
            .get()
            .ok()
            .and_then(|mut c| link_id(&mut c, self.campaign, url).ok())?;
        if let Ok(mut known) = self.known.lock() {
            known.insert(url.to_string(), Some(id));
        }
        Some(id)
    }
}

/// Rewrites the `href` of every `<a>` in `html` as serialised by the
/// sanitiser (html5ever: lower-case tags, every attribute value in double
/// quotes with `&` and `"` escaped, `<` escaped in text), where `f` gives a
/// new address; others are left alone.
pub fn rewrite_hrefs(html: &str, mut f: impl FnMut(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(html.len() + 256);
    let mut rest = html;
    while let Some(at) = rest.find("<a ") {
        out.push_str(&rest[..at + 3]);
        rest = &rest[at + 3..];
        // Attributes until the tag's end: name="value" pairs.
        loop {
            let trimmed = rest.trim_start();
            out.push_str(&rest[..rest.len() - trimmed.len()]);
            rest = trimmed;
            if rest.is_empty() || rest.starts_with('>') || rest.starts_with("/>") {
                break;
            }
            let name_end = rest
                .find(|c: char| c == '=' || c.is_whitespace() || c == '>')
                .unwrap_or(rest.len());
            let name = &rest[..name_end];
            out.push_str(name);
            rest = &rest[name_end..];
            let Some(after_eq) = rest.strip_prefix("=\"") else {
                continue;
            };
            let Some(close) = after_eq.find('"') else {
                out.push_str(rest);
                return out;
            };
            let raw = &after_eq[..close];
            let replaced = if name.eq_ignore_ascii_case("href") {
                f(&unescape_attr(raw))
            } else {
                None
            };
            out.push_str("=\"");
            match replaced {
                Some(new) => out.push_str(&escape_attr(&new)),
                None => out.push_str(raw),
            }
            out.push('"');
            rest = &after_eq[close + 1..];
        }
    }
    out.push_str(rest);
    out
}

fn unescape_attr(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&nbsp;", "\u{a0}")
        .replace("&amp;", "&")
}

fn escape_attr(s: &str) -> String {
    s.replace('&', "&amp;").replace('"', "&quot;")
}

/// Records an open, click or unsubscribe of ledger row `recipient`: one
/// event (without the recipient when `individual` is off) and, for opens
/// and clicks kept per recipient, the first open/click time on the row (a
/// click is an open too: the pixel may have been blocked).
pub fn record(
    conn: &mut DbConn,
    campaign: i64,
    recipient: i64,
    kind: EventKind,
    link: Option<i64>,
    individual: bool,
) -> QueryResult<()> {
    let t = now();
    write_tx(conn, |c| {
        diesel::insert_into(ev::table)
            .values((
                ev::campaign_id.eq(campaign),
                ev::recipient_id.eq(individual.then_some(recipient)),
                ev::link_id.eq(link),
                ev::kind.eq(kind.as_str()),
                ev::created_at.eq(t),
            ))
            .execute(c)?;
        if individual && kind != EventKind::Unsubscribe {
            // First times only: each is one conditional UPDATE.
            diesel::update(cr::table.find(recipient).filter(cr::opened_at.is_null()))
                .set(cr::opened_at.eq(Some(t)))
                .execute(c)?;
            if kind == EventKind::Click {
                diesel::update(cr::table.find(recipient).filter(cr::clicked_at.is_null()))
                    .set(cr::clicked_at.eq(Some(t)))
                    .execute(c)?;
            }
        }
        Ok(())
    })
}

/// Records an unsubscribe through ledger row `recipient` (kept with the
/// recipient only when individual tracking is on).
pub fn record_unsubscribe(conn: &mut DbConn, campaign: i64, recipient: i64) -> QueryResult<()> {
    let individual = crate::settings::repo::get(conn)?.track_individuals;
    record(
        conn,
        campaign,
        recipient,
        EventKind::Unsubscribe,
        None,
        individual,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewrites_only_hrefs_of_links_and_keeps_the_rest() {
        let html = r#"<p>Hi <a href="https://x.example/a?b=1&amp;c=2" rel="noopener noreferrer">A</a> and <a title="t" href="mailto:m@x.example">M</a> <img src="https://x.example/i.png"> &lt;a href="fake"&gt;</p>"#;
        let mut seen = Vec::new();
        let out = rewrite_hrefs(html, |u| {
            seen.push(u.to_string());
            u.starts_with("https://")
                .then(|| format!("https://t.example/c?x=\"{}\"&y", seen.len()))
        });
        assert_eq!(seen, ["https://x.example/a?b=1&c=2", "mailto:m@x.example"]);
        assert_eq!(
            out,
            r#"<p>Hi <a href="https://t.example/c?x=&quot;1&quot;&amp;y" rel="noopener noreferrer">A</a> and <a title="t" href="mailto:m@x.example">M</a> <img src="https://x.example/i.png"> &lt;a href="fake"&gt;</p>"#
        );
    }

    #[test]
    fn a_value_with_a_closing_angle_bracket_is_read_whole() {
        let out = rewrite_hrefs(r#"<a href="https://x.example/?q=a>b">x</a>"#, |u| {
            assert_eq!(u, "https://x.example/?q=a>b");
            Some("https://t.example/1".into())
        });
        assert_eq!(out, r#"<a href="https://t.example/1">x</a>"#);
    }

    #[test]
    fn click_tokens_are_bound_to_their_link() {
        let links = PublicLinks::new(b"secret", "https://crm.example");
        let url = click_url(&links, 42, 7);
        let rest = url.strip_prefix("https://crm.example/c/").unwrap();
        let (token, link) = rest.split_once('/').unwrap();
        assert_eq!(link, "7");
        assert_eq!(verify_click(&links, token, 7), Some(42));
        assert_eq!(verify_click(&links, token, 8), None);
        let open = open_url(&links, 42);
        let open_token = open.rsplit('/').next().unwrap();
        assert_eq!(verify_click(&links, open_token, 7), None);
    }

    #[test]
    fn event_kinds_round_trip() {
        for k in EventKind::ALL {
            assert_eq!(EventKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(EventKind::parse("view"), None);
    }
}
