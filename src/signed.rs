//! Signed public links: the unguessable addresses Rapport mails to people
//! without an account — a quote to accept, a ticket page, a CSAT rating,
//! unsubscribe, preference and view-in-browser links, sign-up
//! confirmations, tracked opens and clicks, NPS surveys.
//!
//! A token carries a record id and an optional expiry, authenticated with
//! HMAC-SHA-256 under a key derived from the workspace secret (never the
//! session key itself), and bound to what it is for (`Purpose`): a token
//! made for one purpose does not open another. A caller may also bind it to
//! a value kept on the record (a per-record random "link key"): changing
//! that value revokes every link issued before. Links are stateless, so a
//! campaign's hundred thousand unsubscribe links need no table.
//!
//! Format: base64url of `id (8 bytes) ‖ expiry (8 bytes, Unix seconds, 0 =
//! none) ‖ first 16 bytes of the MAC` — 43 characters.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

const MAC_LEN: usize = 16;
const TOKEN_LEN: usize = 8 + 8 + MAC_LEN;

/// What a link is for; part of what is signed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    QuoteView,
    TicketPage,
    Csat,
    Unsubscribe,
    WebVersion,
    Click,
    /// A campaign message's open pixel.
    Open,
    Nps,
    SignupConfirm,
    Preferences,
    /// A campaign sender's address confirmation.
    SenderVerify,
}

impl Purpose {
    fn label(self) -> &'static [u8] {
        match self {
            Purpose::QuoteView => b"quote-view",
            Purpose::TicketPage => b"ticket-page",
            Purpose::Csat => b"csat",
            Purpose::Unsubscribe => b"unsubscribe",
            Purpose::WebVersion => b"web-version",
            Purpose::Click => b"click",
            Purpose::Open => b"open",
            Purpose::Nps => b"nps",
            Purpose::SignupConfirm => b"signup-confirm",
            Purpose::Preferences => b"preferences",
            Purpose::SenderVerify => b"sender-verify",
        }
    }
}

/// Why a token was refused. Pages answer every one of them the same way
/// (404), so a prober learns nothing; the kinds are for logs and tests.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LinkError {
    #[error("not a link token")]
    Malformed,
    #[error("signature does not match")]
    Forged,
    #[error("link expired")]
    Expired,
}

/// Makes and checks links; one per process, from `Config::secret_key`.
#[derive(Clone)]
pub struct Signer {
    key: [u8; 32],
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Signer(<hidden>)")
    }
}

impl Signer {
    /// Derives the link key from the workspace secret.
    pub fn new(secret: &[u8]) -> Signer {
        let mut mac = HmacSha256::new_from_slice(secret).expect("HMAC takes keys of any length");
        mac.update(b"rapport signed links v1");
        Signer {
            key: mac.finalize().into_bytes().into(),
        }
    }

    /// A token for record `id`, valid until `expires` (Unix seconds) if
    /// given, bound to `binding` (empty when the record keeps no link key).
    pub fn sign(&self, purpose: Purpose, id: i64, expires: Option<i64>, binding: &[u8]) -> String {
        let expiry = expires.unwrap_or(0);
        let mut raw = Vec::with_capacity(TOKEN_LEN);
        raw.extend_from_slice(&id.to_be_bytes());
        raw.extend_from_slice(&expiry.to_be_bytes());
        raw.extend_from_slice(
            &self
                .mac(purpose, id, expiry, binding)
                .finalize()
                .into_bytes()[..MAC_LEN],
        );
        URL_SAFE_NO_PAD.encode(raw)
    }

    /// The record id of a valid token at `now` (Unix seconds).
    pub fn verify(
        &self,
        purpose: Purpose,
        token: &str,
        binding: &[u8],
        now: i64,
    ) -> Result<i64, LinkError> {
        let claim = Unverified::parse(token)?;
        claim.verify(self, purpose, binding, now)
    }

    fn mac(&self, purpose: Purpose, id: i64, expiry: i64, binding: &[u8]) -> HmacSha256 {
        let mut mac = HmacSha256::new_from_slice(&self.key).expect("HMAC takes keys of any length");
        // Length-prefixed parts, so no two inputs run together alike.
        for part in [
            purpose.label(),
            &id.to_be_bytes(),
            &expiry.to_be_bytes(),
            binding,
        ] {
            mac.update(&(part.len() as u64).to_be_bytes());
            mac.update(part);
        }
        mac
    }
}

/// How routes spell a token path segment (`/u/{token:…}`).
pub const TOKEN_PARAM: &str = "{token:[A-Za-z0-9_-]+}";

/// Absolute signed links under the app's public address, for messages
/// written away from a request (campaign workers): `{base}{path}{token}`.
#[derive(Clone, Debug)]
pub struct PublicLinks {
    pub signer: Signer,
    /// `RAPPORT_BASE_URL`, without a trailing slash.
    pub base_url: String,
}

impl PublicLinks {
    pub fn new(secret: &[u8], base_url: &str) -> PublicLinks {
        PublicLinks {
            signer: Signer::new(secret),
            base_url: base_url.trim_end_matches('/').to_string(),
        }
    }

    /// `{base}{path}{token}` for record `id` (no expiry, no binding).
    pub fn url(&self, path: &str, purpose: Purpose, id: i64) -> String {
        format!(
            "{}{path}{}",
            self.base_url,
            self.signer.sign(purpose, id, None, b"")
        )
    }

    /// The record id of a token made by `url` (no expiry, no binding).
    pub fn verify(&self, purpose: Purpose, token: &str) -> Result<i64, LinkError> {
        self.signer.verify(purpose, token, b"", 0)
    }
}

/// A token read but not yet checked: for the record types that bind links
/// to a per-record key, the id says which record's key to load before
/// [`Unverified::verify`]. Nothing else may be done with the id.
#[derive(Clone, Debug)]
pub struct Unverified {
    id: i64,
    expiry: i64,
    tag: [u8; MAC_LEN],
}

impl Unverified {
    pub fn parse(token: &str) -> Result<Unverified, LinkError> {
        if token.len() > 64 {
            return Err(LinkError::Malformed);
        }
        let raw = URL_SAFE_NO_PAD
            .decode(token)
            .map_err(|_| LinkError::Malformed)?;
        if raw.len() != TOKEN_LEN {
            return Err(LinkError::Malformed);
        }
        let field = |at: usize| {
            let mut b = [0u8; 8];
            b.copy_from_slice(&raw[at..at + 8]);
            i64::from_be_bytes(b)
        };
        let mut tag = [0u8; MAC_LEN];
        tag.copy_from_slice(&raw[16..]);
        Ok(Unverified {
            id: field(0),
            expiry: field(8),
            tag,
        })
    }

    /// The id whose link key to load (unauthenticated until verified).
    pub fn id_to_look_up(&self) -> i64 {
        self.id
    }

    pub fn verify(
        self,
        signer: &Signer,
        purpose: Purpose,
        binding: &[u8],
        now: i64,
    ) -> Result<i64, LinkError> {
        signer
            .mac(purpose, self.id, self.expiry, binding)
            .verify_truncated_left(&self.tag)
            .map_err(|_| LinkError::Forged)?;
        if self.expiry != 0 && now >= self.expiry {
            return Err(LinkError::Expired);
        }
        Ok(self.id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signer() -> Signer {
        Signer::new(b"a workspace secret of some length")
    }

    #[test]
    fn a_link_opens_its_record_for_its_purpose() {
        let s = signer();
        let t = s.sign(Purpose::TicketPage, 42, None, b"");
        assert_eq!(t.len(), 43);
        assert!(
            t.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        );
        assert_eq!(
            s.verify(Purpose::TicketPage, &t, b"", 1_800_000_000),
            Ok(42)
        );
        assert_eq!(s.verify(Purpose::Csat, &t, b"", 0), Err(LinkError::Forged));
    }

    #[test]
    fn an_altered_token_is_refused() {
        let s = signer();
        let t = s.sign(Purpose::Unsubscribe, 7, None, b"");
        // Every single-character change, including one that names another id.
        for i in 0..t.len() {
            let mut chars: Vec<char> = t.chars().collect();
            chars[i] = if chars[i] == 'A' { 'B' } else { 'A' };
            let altered: String = chars.into_iter().collect();
            assert!(
                s.verify(Purpose::Unsubscribe, &altered, b"", 0).is_err(),
                "{altered}"
            );
        }
        let other = s.sign(Purpose::Unsubscribe, 8, None, b"");
        let spliced = format!("{}{}", &other[..11], &t[11..]);
        assert_eq!(
            s.verify(Purpose::Unsubscribe, &spliced, b"", 0),
            Err(LinkError::Forged)
        );
        for junk in [
            "",
            "abc",
            "not base64 !!",
            &"A".repeat(500),
            &format!("{t}A"),
        ] {
            assert!(
                s.verify(Purpose::Unsubscribe, junk, b"", 0).is_err(),
                "{junk}"
            );
        }
    }

    #[test]
    fn another_workspace_secret_does_not_open_it() {
        let t = signer().sign(Purpose::Click, 1, None, b"");
        let other = Signer::new(b"another secret");
        assert_eq!(
            other.verify(Purpose::Click, &t, b"", 0),
            Err(LinkError::Forged)
        );
    }

    #[test]
    fn links_expire_and_cannot_be_extended() {
        let s = signer();
        let t = s.sign(Purpose::QuoteView, 9, Some(1_000), b"");
        assert_eq!(s.verify(Purpose::QuoteView, &t, b"", 999), Ok(9));
        assert_eq!(
            s.verify(Purpose::QuoteView, &t, b"", 1_000),
            Err(LinkError::Expired)
        );
        // Pushing the expiry out in the token breaks the signature.
        let mut raw = URL_SAFE_NO_PAD.decode(&t).expect("decodes");
        raw[8..16].copy_from_slice(&0i64.to_be_bytes());
        let forged = URL_SAFE_NO_PAD.encode(raw);
        assert_eq!(
            s.verify(Purpose::QuoteView, &forged, b"", 5_000),
            Err(LinkError::Forged)
        );
    }

    #[test]
    fn a_new_link_key_revokes_old_links() {
        let s = signer();
        let t = s.sign(Purpose::TicketPage, 3, None, b"key-1");
        let claim = Unverified::parse(&t).expect("parses");
        assert_eq!(claim.id_to_look_up(), 3);
        assert_eq!(
            claim.clone().verify(&s, Purpose::TicketPage, b"key-1", 0),
            Ok(3)
        );
        assert_eq!(
            claim.verify(&s, Purpose::TicketPage, b"key-2", 0),
            Err(LinkError::Forged)
        );
    }

    #[test]
    fn the_debug_form_hides_the_key() {
        assert_eq!(format!("{:?}", signer()), "Signer(<hidden>)");
    }
}
