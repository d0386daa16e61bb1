//! Password policy (ASVS: 8–128 characters, any Unicode, common ones refused)
//! and argon2id hashing with OWASP's parameters (m = 19 MiB, t = 2, p = 1).

use std::collections::HashSet;
use std::sync::{LazyLock, OnceLock};

use crate::i18n::{Invalid, key};
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
/// The error is a message key (English through `String::from`).
pub fn check_policy(password: &str) -> Result<(), Invalid> {
    let chars = password.chars().count();
    if chars < MIN_CHARS {
        return Err(Invalid(key("error-password-short")));
    }
    if chars > MAX_CHARS {
        return Err(Invalid(key("error-password-long")));
    }
    if COMMON.contains(password.to_lowercase().as_str()) {
        return Err(Invalid(key("error-password-common")));
    }
    Ok(())
}

pub fn hash(password: &str) -> Result<String, argon2::password_hash::Error> {
    let salt = SaltString::generate(&mut OsRng);
    Ok(hasher()
        .hash_password(password.as_bytes(), &salt)?
        .to_string())
}

const DUMMY_PASSWORD: &str = "dummy password for timing";

/// Constant work whether or not the account exists: an unknown email is
/// checked against this dummy hash, so timing does not reveal accounts.
static DUMMY_HASH: OnceLock<String> = OnceLock::new();

/// Computes the dummy hash. Start-up calls this and refuses to serve if it
/// fails: without it, a sign-in for an unknown account would answer faster
/// than one for a real account and so reveal which accounts exist.
pub fn prepare() -> Result<(), argon2::password_hash::Error> {
    dummy().map(|_| ())
}

fn dummy() -> Result<&'static str, argon2::password_hash::Error> {
    match DUMMY_HASH.get() {
        Some(h) => Ok(h),
        None => install(&DUMMY_HASH, hash(DUMMY_PASSWORD)),
    }
}

/// Keeps a computed dummy hash, if it is one argon2 can verify against.
fn install(
    slot: &OnceLock<String>,
    computed: Result<String, argon2::password_hash::Error>,
) -> Result<&str, argon2::password_hash::Error> {
    let h = computed?;
    PasswordHash::new(&h)?;
    Ok(slot.get_or_init(|| h))
}

pub fn verify(password: &str, stored: Option<&str>) -> bool {
    let Some(stored) = stored else {
        // Same work as a real check. Outside the server (which prepared the
        // dummy hash at start) it is computed here; if that fails, hashing
        // the attempt costs the same.
        match dummy() {
            Ok(dummy) => {
                check(password, dummy);
            }
            Err(_) => {
                let _ = hash(password);
            }
        }
        return false;
    };
    check(password, stored)
}

fn check(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|parsed| {
            hasher()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
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

    #[test]
    fn a_dummy_hash_that_cannot_be_computed_or_used_is_an_error() {
        let slot = OnceLock::new();
        let failed = Err(argon2::password_hash::Error::Password);
        assert!(install(&slot, failed).is_err());
        assert!(
            install(&slot, Ok(String::new())).is_err(),
            "an empty hash is no protection"
        );
        assert!(slot.get().is_none());
        prepare().expect("the real dummy hash");
        assert!(
            DUMMY_HASH
                .get()
                .is_some_and(|h| h.starts_with("$argon2id$"))
        );
        assert!(
            !verify(DUMMY_PASSWORD, None),
            "the dummy never signs anyone in"
        );
    }
}
