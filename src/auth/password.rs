//! Password policy (ASVS: 8–128 characters, any Unicode, common ones refused)
//! and argon2id hashing with OWASP's parameters (m = 19 MiB, t = 2, p = 1).

use std::collections::HashSet;
use std::sync::LazyLock;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use rand::rngs::OsRng;

pub const MIN_CHARS: usize = 8;
pub const MAX_CHARS: usize = 128;

/// The 5,000 most common passwords of 8+ characters, lower-cased: the head of
/// the breach-corpus frequency list shipped by zxcvbn 4.5 (MIT licence).
static COMMON: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    include_str!("common_passwords.txt")
        .lines()
        .map(str::trim)
        .collect()
});

fn hasher() -> Argon2<'static> {
    // These parameters are constants that argon2 accepts.
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Why a new password is refused, as shown beside the field.
pub fn check_policy(password: &str) -> Result<(), &'static str> {
    let chars = password.chars().count();
    if chars < MIN_CHARS {
        return Err("Use at least 8 characters.");
    }
    if chars > MAX_CHARS {
        return Err("Use at most 128 characters.");
    }
    if COMMON.contains(password.to_lowercase().as_str()) {
        return Err("This password is too common. Choose one that is harder to guess.");
    }
    Ok(())
}

pub fn hash(password: &str) -> Result<String, argon2::password_hash::Error> {
    let salt = SaltString::generate(&mut OsRng);
    Ok(hasher()
        .hash_password(password.as_bytes(), &salt)?
        .to_string())
}

/// Constant work whether or not the account exists: an unknown email is
/// checked against this dummy hash, so timing does not reveal accounts.
static DUMMY_HASH: LazyLock<String> =
    LazyLock::new(|| hash("dummy password for timing").unwrap_or_default());

pub fn verify(password: &str, stored: Option<&str>) -> bool {
    let stored = stored.unwrap_or(DUMMY_HASH.as_str());
    let ok = PasswordHash::new(stored)
        .map(|parsed| {
            hasher()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false);
    ok && stored != DUMMY_HASH.as_str()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy() {
        assert!(check_policy("short").is_err());
        assert!(check_policy("password").is_err());
        assert!(
            check_policy("Password1").is_err(),
            "compared case-insensitively"
        );
        assert!(check_policy("12345678").is_err());
        assert!(check_policy("ÜnïcødeSecret✓").is_ok());
        assert!(check_policy(&"x".repeat(129)).is_err());
        // 8 characters but more bytes: counted as characters.
        assert!(check_policy("ééééééé").is_err());
        assert!(check_policy("éé ßß ∂∂").is_ok());
    }

    #[test]
    fn hash_and_verify() {
        let h = hash("correct horse battery").expect("hash");
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(verify("correct horse battery", Some(&h)));
        assert!(!verify("wrong horse battery", Some(&h)));
        assert!(!verify("anything", None));
        assert!(!verify("x", Some("not a hash")));
    }
}
