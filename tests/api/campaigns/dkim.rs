//! With a DKIM key configured, a campaign message that reached a real SMTP
//! server carries a signature that an independent verifier (dkimpy)
//! accepts, covering the one-click unsubscribe headers (RFC 8058 §4).

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use rapport::jobs::Runner;
use rapport::mail::Mailer;
use rapport::mail::dkim::DkimSettings;

use super::*;
use crate::helpers::*;
use crate::jobs::{job_env, spawn_without_workers};

/// An RSA key in PKCS#1 PEM and its public half as DNS would publish it.
fn rsa_key(dir: &Path) -> (std::path::PathBuf, String) {
    let key = dir.join("dkim.pem");
    let ok = Command::new("openssl")
        .args(["genrsa", "-traditional", "-out"])
        .arg(&key)
        .arg("2048")
        .stderr(Stdio::null())
        .status()
        .expect("openssl");
    assert!(ok.success());
    let der = Command::new("openssl")
        .args(["rsa", "-pubout", "-outform", "DER", "-in"])
        .arg(&key)
        .stderr(Stdio::null())
        .output()
        .expect("openssl rsa");
    use base64::Engine;
    let public = base64::engine::general_purpose::STANDARD.encode(der.stdout);
    (key, public)
}

/// dkimpy's verdict on `message`, with DNS answered from `public`.
fn verifies(message: &str, public: &str) -> bool {
    const VERIFY: &str = "import sys, dkim\n\
        key = sys.argv[1].encode()\n\
        msg = sys.stdin.buffer.read()\n\
        ok = dkim.verify(msg, dnsfunc=lambda name, timeout=5: b'v=DKIM1; k=rsa; p=' + key)\n\
        sys.exit(0 if ok else 1)\n";
    let mut child = Command::new("/usr/bin/python3")
        .args(["-c", VERIFY, public])
        .stdin(Stdio::piped())
        .spawn()
        .expect("python3 with dkimpy (python3-dkim)");
    use std::io::Write;
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(message.as_bytes())
        .expect("write");
    child.wait().expect("wait").success()
}

#[tokio::test]
async fn campaign_mail_is_dkim_signed_and_the_signature_verifies() {
    let dir = tempdir();
    let (key, public) = rsa_key(&dir);
    let sink = Sink::start(&dir);
    let app = spawn_without_workers(Some(sink.url())).await;
    let mut admin = app.setup_admin().await;
    add_contacts(&app, "signed", 2, "Oslo", "subscribed");
    let seg = segment(&mut admin, "Oslo", "Oslo").await;
    let id = campaign(&mut admin, "Signed", seg, &[]).await;
    launch(&mut admin, id).await;

    let mut config = test_config(&app.db);
    config.smtp_url = Some(sink.url());
    config.dkim = Some(DkimSettings {
        key_file: key,
        selector: "mail2026".into(),
        domain: None,
    });
    let mut env = job_env(&app, Some(sink.url()), Duration::from_secs(30));
    env.mailer = Mailer::from_config(&config).expect("mailer with DKIM");
    let runner = Runner::new(env);
    let mut c = app.conn();
    drive(&runner, &mut c, id, Duration::from_secs(60));

    let messages = sink.messages();
    assert_eq!(messages.len(), 2);
    for m in &messages {
        let sig = header(m, "DKIM-Signature").expect("signed");
        assert!(sig.contains("d=test.example"), "{sig}");
        assert!(sig.contains("s=mail2026"), "{sig}");
        assert!(
            sig.contains("list-unsubscribe:list-unsubscribe-post"),
            "{sig}"
        );
        assert!(verifies(m, &public), "dkimpy accepts {m}");
        // A changed body no longer verifies: the check can fail.
        let tampered = m.replacen("News.", "Nevs.", 1);
        assert_ne!(&tampered, m);
        assert!(!verifies(&tampered, &public), "tampering is caught");
    }

    // A key that cannot be read stops the mailer with the reason.
    config.dkim = Some(DkimSettings {
        key_file: "/nonexistent/dkim.pem".into(),
        selector: "s".into(),
        domain: None,
    });
    let err = Mailer::from_config(&config).err().expect("refused");
    assert!(err.to_string().contains("RAPPORT_DKIM_KEY"), "{err}");
}
