//! DKIM signing of every outgoing message when a key is configured
//! (`RAPPORT_DKIM_KEY`: a file holding an RSA private key in PKCS#1 PEM —
//! `-----BEGIN RSA PRIVATE KEY-----` — or an Ed25519 key as the base64 of
//! its 32-byte seed; `RAPPORT_DKIM_SELECTOR`, default `rapport`;
//! `RAPPORT_DKIM_DOMAIN`, default the domain of `RAPPORT_MAIL_FROM`).
//! Signing is lettre's; the signed headers include `List-Unsubscribe` and
//! `List-Unsubscribe-Post`, which RFC 8058 requires a valid signature to
//! cover for one-click unsubscribe. A header a message lacks is signed as
//! absent (RFC 6376 §5.4).

use std::path::PathBuf;

use lettre::message::dkim::{
    DkimCanonicalization, DkimCanonicalizationType, DkimConfig, DkimSigningAlgorithm,
    DkimSigningKey,
};
use lettre::message::header::HeaderName;

/// Where the key is and what it signs for, as configured.
#[derive(Clone, Debug)]
pub struct DkimSettings {
    pub key_file: PathBuf,
    pub selector: String,
    /// None: the domain of the From address.
    pub domain: Option<String>,
}

/// `Content-Type` is left out: for a multipart message lettre writes it
/// with the body, after signing, so signing it "as absent" would break the
/// signature (the body hash covers the parts anyway).
const SIGNED: [&str; 10] = [
    "From",
    "Reply-To",
    "Subject",
    "Date",
    "To",
    "Cc",
    "Message-ID",
    "MIME-Version",
    "List-Unsubscribe",
    "List-Unsubscribe-Post",
];

/// The signing configuration, or why the key cannot be used.
pub fn load(s: &DkimSettings, mail_from: &str) -> Result<DkimConfig, String> {
    let pem = std::fs::read_to_string(&s.key_file)
        .map_err(|e| format!("RAPPORT_DKIM_KEY {}: {e}", s.key_file.display()))?;
    let algorithm = if pem.contains("BEGIN RSA PRIVATE KEY") {
        DkimSigningAlgorithm::Rsa
    } else {
        DkimSigningAlgorithm::Ed25519
    };
    let key = DkimSigningKey::new(pem.trim(), algorithm).map_err(|e| {
        format!(
            "RAPPORT_DKIM_KEY {}: not an RSA (PKCS#1 PEM) or Ed25519 (base64) private key: {e}",
            s.key_file.display()
        )
    })?;
    let domain = match &s.domain {
        Some(d) => d.clone(),
        None => super::mailbox(mail_from)
            .map_err(|e| e.to_string())?
            .email
            .domain()
            .to_string(),
    };
    Ok(DkimConfig::new(
        s.selector.clone(),
        domain,
        key,
        SIGNED
            .iter()
            .map(|h| HeaderName::new_from_ascii_str(h))
            .collect(),
        DkimCanonicalization {
            header: DkimCanonicalizationType::Relaxed,
            body: DkimCanonicalizationType::Relaxed,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use lettre::Message;

    fn settings(key: &str) -> DkimSettings {
        let file =
            std::env::temp_dir().join(format!("rapport-dkim-{}-{}", std::process::id(), key.len()));
        std::fs::write(&file, key).unwrap();
        DkimSettings {
            key_file: file,
            selector: "s1".into(),
            domain: None,
        }
    }

    #[test]
    fn an_ed25519_key_signs_the_unsubscribe_headers_for_the_senders_domain() {
        // A fixed test seed (32 bytes, base64).
        let cfg = load(
            &settings("nWGxne/9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A="),
            "News <news@shop.example>",
        )
        .expect("key");
        let mut m = Message::builder()
            .from("news@shop.example".parse().unwrap())
            .to("ada@x.example".parse().unwrap())
            .subject("Hi")
            .body(String::from("Hello"))
            .unwrap();
        m.sign(&cfg);
        let text = String::from_utf8(m.formatted()).unwrap();
        let sig = text
            .lines()
            .skip_while(|l| !l.starts_with("DKIM-Signature"))
            .take_while(|l| l.starts_with("DKIM-Signature") || l.starts_with(' '))
            .collect::<String>();
        assert!(sig.contains("d=shop.example"), "{sig}");
        assert!(sig.contains("s=s1"), "{sig}");
        assert!(sig.contains("a=ed25519-sha256"), "{sig}");
        assert!(
            sig.contains("list-unsubscribe:list-unsubscribe-post"),
            "{sig}"
        );
    }

    #[test]
    fn a_bad_key_is_refused_with_the_reason() {
        let e = load(&settings("not a key"), "news@shop.example").unwrap_err();
        assert!(e.contains("RAPPORT_DKIM_KEY"), "{e}");
        let missing = DkimSettings {
            key_file: "/nonexistent/dkim.pem".into(),
            selector: "s".into(),
            domain: None,
        };
        assert!(load(&missing, "news@shop.example").is_err());
    }
}
