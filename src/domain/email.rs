use validator::ValidateEmail;

pub const MAX_LEN: usize = 254;

/// A syntactically valid email address, trimmed and lower-cased (so lookups
/// and duplicate checks are case-insensitive on every backend).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EmailAddress(String);

impl EmailAddress {
    pub fn parse(raw: &str) -> Result<EmailAddress, &'static str> {
        let s = raw.trim().to_lowercase();
        if s.is_empty() {
            return Err("Enter an email address.");
        }
        if s.chars().count() > MAX_LEN {
            return Err("An email address has at most 254 characters.");
        }
        if s.chars().any(char::is_control) || !s.validate_email() {
            return Err("Enter a valid email address, like name@example.com.");
        }
        Ok(EmailAddress(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::EmailAddress;

    #[test]
    fn parses_and_normalises() {
        assert_eq!(
            EmailAddress::parse("  Ada@Example.COM ").map(|e| e.0),
            Ok("ada@example.com".into())
        );
        assert!(EmailAddress::parse("").is_err());
        assert!(EmailAddress::parse("not-an-email").is_err());
        assert!(EmailAddress::parse("a@b.c\r\nBcc: x@y.z").is_err());
        assert!(EmailAddress::parse(&format!("{}@example.com", "a".repeat(250))).is_err());
    }
}
