use crate::i18n::{Invalid, key};

/// The longest address accepted (RFC 5321 path limit less the brackets).
pub const MAX_LEN: usize = 254;

/// A syntactically valid email address, trimmed and lower-cased (so lookups
/// and duplicate checks are case-insensitive on every backend).
///
/// Internationalised addresses are accepted (RFC 6531): the local part may
/// hold any non-ASCII letters (`margaret.müller@…`), the domain may be an IDN
/// and is kept in its Unicode form (`…@bücher.example`; typed as
/// `xn--bcher-kva.example` it is the same address). Quoted local parts and
/// IP-literal domains are not accepted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EmailAddress(String);

const INVALID: Invalid = Invalid(key("error-email-invalid"));
const TOO_LONG: Invalid = Invalid(key("error-email-long"));

/// RFC 5322 `atext` besides letters and digits.
const ATEXT_SYMBOLS: &str = "!#$%&'*+/=?^_`{|}~-";

impl EmailAddress {
    /// The error is a message key (English through `String::from`).
    pub fn parse(raw: &str) -> Result<EmailAddress, Invalid> {
        let s = raw.trim().to_lowercase();
        if s.is_empty() {
            return Err(Invalid(key("error-email-required")));
        }
        if s.chars().count() > MAX_LEN {
            return Err(TOO_LONG);
        }
        let (local, domain) = s.rsplit_once('@').ok_or(INVALID)?;
        if !valid_local(local) {
            return Err(INVALID);
        }
        let domain = unicode_domain(domain).ok_or(INVALID)?;
        let address = format!("{local}@{domain}");
        if address.chars().count() > MAX_LEN {
            return Err(TOO_LONG);
        }
        Ok(EmailAddress(address))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A dot-atom of ASCII `atext` and (RFC 6531) any non-ASCII character that
/// is not a space or control; at most 64 bytes.
fn valid_local(local: &str) -> bool {
    let atom_char = |c: char| {
        c.is_ascii_alphanumeric()
            || ATEXT_SYMBOLS.contains(c)
            || (!c.is_ascii() && !c.is_whitespace() && !c.is_control())
    };
    !local.is_empty()
        && local.len() <= 64
        && local
            .split('.')
            .all(|atom| !atom.is_empty() && atom.chars().all(atom_char))
}

/// The domain in Unicode if its ASCII (punycode) form is a host name: two
/// or more labels of letters, digits and inner hyphens, each 1–63 bytes,
/// and a top-level label that is not all digits.
fn unicode_domain(domain: &str) -> Option<String> {
    let ascii = idna::domain_to_ascii_strict(domain).ok()?;
    let labels: Vec<&str> = ascii.split('.').collect();
    let label_ok = |l: &&str| {
        (1..=63).contains(&l.len())
            && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && !l.starts_with('-')
            && !l.ends_with('-')
    };
    let tld_ok = labels
        .last()
        .is_some_and(|t| !t.bytes().all(|b| b.is_ascii_digit()));
    if ascii.len() > 253 || labels.len() < 2 || !labels.iter().all(label_ok) || !tld_ok {
        return None;
    }
    let (unicode, checked) = idna::domain_to_unicode(&ascii);
    checked.ok().map(|()| unicode)
}

#[cfg(test)]
mod tests {
    use super::EmailAddress;

    fn parsed(raw: &str) -> Result<String, crate::i18n::Invalid> {
        EmailAddress::parse(raw).map(|e| e.0)
    }

    #[test]
    fn parses_and_normalises() {
        assert_eq!(parsed("  Ada@Example.COM "), Ok("ada@example.com".into()));
        assert!(parsed("").is_err());
        assert!(parsed("not-an-email").is_err());
        assert!(parsed("a@b.c\r\nBcc: x@y.z").is_err());
        assert!(parsed(&format!("{}@example.com", "a".repeat(250))).is_err());
    }

    #[test]
    fn accepts_internationalised_addresses() {
        assert_eq!(
            parsed("Margaret.Müller.22@Example.com"),
            Ok("margaret.müller.22@example.com".into())
        );
        assert_eq!(parsed("李雷@例子.测试"), Ok("李雷@例子.测试".into()));
        assert_eq!(
            parsed("ana@bücher.example"),
            Ok("ana@bücher.example".into())
        );
        assert_eq!(
            parsed("ana@xn--bcher-kva.example"),
            Ok("ana@bücher.example".into()),
            "one form for one domain"
        );
        assert_eq!(
            parsed("o'brien+crm@example.ie"),
            Ok("o'brien+crm@example.ie".into())
        );
    }

    #[test]
    fn refuses_what_is_not_an_address() {
        for bad in [
            "ada@",
            "@example.com",
            "ada@example",
            "ada..lovelace@example.com",
            ".ada@example.com",
            "ada.@example.com",
            "ada lovelace@example.com",
            "\"ada\"@example.com",
            "ada@exa mple.com",
            "ada@-example.com",
            "ada@example-.com",
            "ada@example..com",
            "ada@[127.0.0.1]",
            "ada@127.0.0.1",
            "ada@under_score.com",
            "ada\u{200b}\u{0}@example.com",
            "a@b@example.com",
        ] {
            assert!(parsed(bad).is_err(), "{bad:?} must be refused");
        }
        assert!(
            parsed(&format!("{}@example.com", "ü".repeat(33))).is_err(),
            "64 bytes at most"
        );
    }
}
