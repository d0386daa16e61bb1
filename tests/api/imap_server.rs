//! A real IMAP server process for the incoming-mail tests: Debian's Dovecot
//! (`dovecot-imapd`), run in the foreground with its own configuration,
//! state and Maildir under a temporary directory, on a free loopback port,
//! with one mailbox user `support`.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::outbox_smtp::free_port;

pub const USER: &str = "support";
pub const PASSWORD: &str = "imap-test-password";

pub struct ImapServer {
    pub port: u16,
    dir: PathBuf,
    child: Option<Child>,
}

impl ImapServer {
    pub fn start() -> ImapServer {
        let dir = std::env::temp_dir().join(format!("rapport-imap-{}", rand_suffix()));
        let home = dir.join("home");
        std::fs::create_dir_all(dir.join("run")).expect("run dir");
        std::fs::create_dir_all(&home).expect("home dir");
        // Dovecot refuses to run mail processes as root: the mailbox belongs to nobody.
        let owned = Command::new("chown")
            .args(["-R", "nobody:nogroup"])
            .arg(&home)
            .status()
            .expect("chown");
        assert!(owned.success(), "chown of the Maildir home failed");
        std::fs::write(dir.join("passwd"), format!("{USER}:{{PLAIN}}{PASSWORD}\n"))
            .expect("passwd file");
        let port = free_port();
        let d = dir.display();
        let config = format!(
            "base_dir = {d}/run\nstate_dir = {d}/run\nlog_path = {d}/dovecot.log\n\
             protocols = imap\nlisten = 127.0.0.1\nssl = no\n\
             disable_plaintext_auth = no\nauth_mechanisms = plain login\n\
             passdb {{\n  driver = passwd-file\n  args = scheme=PLAIN username_format=%u {d}/passwd\n}}\n\
             userdb {{\n  driver = static\n  args = uid=nobody gid=nogroup home={d}/home/%u\n}}\n\
             mail_location = maildir:~/Maildir\nfirst_valid_uid = 1\n\
             service anvil {{\n  chroot =\n}}\n\
             service imap-login {{\n  chroot =\n  inet_listener imap {{\n    address = 127.0.0.1\n    port = {port}\n  }}\n  inet_listener imaps {{\n    port = 0\n  }}\n}}\n"
        );
        let conf = dir.join("dovecot.conf");
        std::fs::write(&conf, config).expect("dovecot.conf");
        let child = Command::new("/usr/sbin/dovecot")
            .arg("-F")
            .arg("-c")
            .arg(&conf)
            .stdout(Stdio::null())
            .spawn()
            .expect("/usr/sbin/dovecot (Debian package dovecot-imapd)");
        let deadline = Instant::now() + Duration::from_secs(15);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "dovecot did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        ImapServer {
            port,
            dir,
            child: Some(child),
        }
    }

    /// The app's `RAPPORT_IMAP_URL` for this server.
    pub fn url(&self) -> String {
        format!("imap://{USER}:{PASSWORD}@127.0.0.1:{}/INBOX", self.port)
    }

    fn session(&self) -> imap::Session<std::net::TcpStream> {
        let tcp = std::net::TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        let mut client = imap::Client::new(tcp);
        client.read_greeting().expect("greeting");
        let mut session = client
            .login(USER, PASSWORD)
            .map_err(|(e, _)| e)
            .expect("login");
        session.select("INBOX").expect("select");
        session
    }

    /// Puts a message into the mailbox as a mail server would (unseen).
    pub fn deliver(&self, raw: &[u8]) {
        let mut s = self.session();
        s.append("INBOX", raw).finish().expect("append");
        let _ = s.logout();
    }

    /// The flags of every message, in mailbox order.
    pub fn flags(&self) -> Vec<String> {
        let mut s = self.session();
        let fetched = s.fetch("1:*", "FLAGS").expect("fetch flags");
        let flags = fetched
            .iter()
            .map(|f| {
                let mut names: Vec<String> = f.flags().iter().map(|x| format!("{x:?}")).collect();
                names.sort();
                names.join(" ")
            })
            .collect();
        let _ = s.logout();
        flags
    }
}

fn rand_suffix() -> String {
    use rand::Rng;
    format!("{:016x}", rand::thread_rng().r#gen::<u64>())
}

impl Drop for ImapServer {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            // SIGTERM lets the master stop its children.
            let _ = Command::new("kill").arg(child.id().to_string()).status();
            let _ = child.wait();
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
