//! Polling an IMAP mailbox (`RAPPORT_IMAP_URL`): every few seconds the
//! unseen messages are fetched without marking them (`BODY.PEEK[]`), each is
//! received (`super::receive_raw`), and only then flagged `\Seen`. A crash
//! between the two fetches the message again next time, and its id's row in
//! `inbound_mail` makes that a no-op; several instances polling one mailbox
//! likewise create each ticket once.

use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::sync::Arc;
use std::time::Duration;

use super::{Limits, ReceiveError, Sink, receive};
use crate::db::Pool as DbPool;

/// Messages taken per poll; the rest wait for the next one.
const PER_POLL: usize = 200;
/// How long the server may stall a read or write.
const IO_TIMEOUT: Duration = Duration::from_secs(30);

/// Where to read mail: `imaps://user:password@host[:993][/folder]`, or
/// `imap://…[:143]` to a server on this machine only (no TLS).
#[derive(Clone)]
pub struct Mailbox {
    host: String,
    port: u16,
    tls: bool,
    user: String,
    password: String,
    folder: String,
}

impl std::fmt::Debug for Mailbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}://{}:<hidden>@{}:{}/{}",
            if self.tls { "imaps" } else { "imap" },
            self.user,
            self.host,
            self.port,
            self.folder
        )
    }
}

impl Mailbox {
    pub fn parse(text: &str) -> Result<Mailbox, String> {
        let url = url::Url::parse(text).map_err(|e| format!("not a URL: {e}"))?;
        let tls = match url.scheme() {
            "imaps" => true,
            "imap" => false,
            other => {
                return Err(format!(
                    "scheme {other:?}: use imaps:// (or imap:// to this machine)"
                ));
            }
        };
        let host = url.host_str().ok_or("no host")?.to_string();
        if !tls && !is_loopback(&host) {
            return Err(
                "imap:// sends the password in clear: use imaps:// for another machine".into(),
            );
        }
        let decode = |s: &str| {
            percent_encoding::percent_decode_str(s)
                .decode_utf8()
                .map(|c| c.into_owned())
                .map_err(|_| "user or password is not UTF-8".to_string())
        };
        let user = decode(url.username())?;
        let password = decode(url.password().unwrap_or(""))?;
        if user.is_empty() {
            return Err("no user name".into());
        }
        let folder = decode(url.path().trim_start_matches('/'))?;
        Ok(Mailbox {
            port: url.port().unwrap_or(if tls { 993 } else { 143 }),
            host,
            tls,
            user,
            password,
            folder: if folder.is_empty() {
                "INBOX".into()
            } else {
                folder
            },
        })
    }
}

fn is_loopback(host: &str) -> bool {
    host == "localhost"
        || host
            .trim_matches(['[', ']'])
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

#[derive(Debug, thiserror::Error)]
pub enum PollError {
    #[error("could not reach the mailbox: {0}")]
    Connect(#[from] std::io::Error),
    #[error("TLS: {0}")]
    Tls(String),
    #[error("IMAP: {0}")]
    Imap(#[from] imap::error::Error),
}

/// What one poll did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Polled {
    /// Messages received (including ignored automatic mail and duplicates).
    pub received: usize,
    /// Messages that could not be read; flagged `\Seen` and `\Flagged` so
    /// a person can look at them in the mailbox.
    pub unreadable: usize,
    /// Messages left for the next poll after the database failed.
    pub deferred: usize,
}

/// Fetches and receives the unseen messages once.
pub fn poll_once(
    mailbox: &Mailbox,
    pool: &DbPool,
    limits: &Limits,
    sink: &Sink,
) -> Result<Polled, PollError> {
    let tcp = connect(mailbox)?;
    if mailbox.tls {
        let config = tls_config().map_err(PollError::Tls)?;
        let name = rustls::pki_types::ServerName::try_from(mailbox.host.clone())
            .map_err(|e| PollError::Tls(e.to_string()))?;
        let conn = rustls::ClientConnection::new(config, name)
            .map_err(|e| PollError::Tls(e.to_string()))?;
        session(
            rustls::StreamOwned::new(conn, tcp),
            mailbox,
            pool,
            limits,
            sink,
        )
    } else {
        session(tcp, mailbox, pool, limits, sink)
    }
}

fn connect(mailbox: &Mailbox) -> std::io::Result<TcpStream> {
    let mut last = std::io::Error::other("no address");
    for addr in (mailbox.host.as_str(), mailbox.port).to_socket_addrs()? {
        match TcpStream::connect_timeout(&addr, IO_TIMEOUT) {
            Ok(s) => {
                s.set_read_timeout(Some(IO_TIMEOUT))?;
                s.set_write_timeout(Some(IO_TIMEOUT))?;
                return Ok(s);
            }
            Err(e) => last = e,
        }
    }
    Err(last)
}

fn tls_config() -> Result<Arc<rustls::ClientConfig>, String> {
    use rustls_platform_verifier::BuilderVerifierExt;
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_platform_verifier()
        .map_err(|e| e.to_string())?
        .with_no_client_auth();
    Ok(Arc::new(config))
}

fn session<S: Read + Write>(
    stream: S,
    mailbox: &Mailbox,
    pool: &DbPool,
    limits: &Limits,
    sink: &Sink,
) -> Result<Polled, PollError> {
    let mut client = imap::Client::new(stream);
    client.read_greeting()?;
    let mut session = client
        .login(&mailbox.user, &mailbox.password)
        .map_err(|(e, _)| e)?;
    session.select(&mailbox.folder)?;
    let mut uids: Vec<u32> = session.uid_search("UNSEEN")?.into_iter().collect();
    uids.sort_unstable();
    let mut polled = Polled::default();
    for (n, uid) in uids.iter().enumerate() {
        if n >= PER_POLL {
            polled.deferred += uids.len() - n;
            break;
        }
        let fetched = session.uid_fetch(uid.to_string(), "BODY.PEEK[]")?;
        let Some(raw) = fetched.iter().find_map(|f| f.body()) else {
            continue;
        };
        let result = pool
            .get()
            .map_err(|e| ReceiveError::Failed(e.into()))
            .and_then(|mut conn| receive(&mut conn, raw, limits, sink));
        match result {
            Ok(_) => {
                polled.received += 1;
                session.uid_store(uid.to_string(), "+FLAGS (\\Seen)")?;
            }
            Err(ReceiveError::Unreadable(e)) => {
                tracing::warn!(uid, error = %e, "unreadable message left flagged in the mailbox");
                polled.unreadable += 1;
                session.uid_store(uid.to_string(), "+FLAGS (\\Seen \\Flagged)")?;
            }
            Err(ReceiveError::Failed(e)) => {
                // Unflagged: the next poll tries again.
                tracing::warn!(uid, error = %e, "could not store incoming mail; will retry");
                polled.deferred += uids.len() - n;
                break;
            }
        }
    }
    let _ = session.logout();
    Ok(polled)
}

/// Polls `mailbox` every `every` on a thread of the job workers, when this
/// instance runs jobs at all.
pub fn start_polling(
    workers: &mut crate::jobs::Workers,
    mailbox: Mailbox,
    every: Duration,
    pool: DbPool,
    sink: Sink,
) {
    tracing::info!(?mailbox, "polling the support mailbox");
    let limits = Limits::default();
    workers.spawn_periodic("mail-in", every, move || {
        match poll_once(&mailbox, &pool, &limits, &sink) {
            Ok(p) if p == Polled::default() => {}
            Ok(p) => tracing::info!(?p, "support mailbox polled"),
            Err(e) => tracing::warn!(error = %e, "could not poll the support mailbox; will retry"),
        }
    });
}
