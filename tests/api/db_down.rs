//! Database down → a clear 503 within seconds → recovery without a restart.
//! MariaDB is cut off through a small TCP proxy of our own (no toxiproxy
//! here); SQLite is an embedded file, so it has no server to lose and this
//! test exercises the MySQL backend only.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use tokio::io::copy_bidirectional;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Mutex;
use tokio::task::JoinHandle;

use crate::helpers::*;

/// Forwards to MariaDB while `up`; when cut, drops every open connection and
/// closes new ones at once, as a crashed server would.
struct FaultProxy {
    port: u16,
    up: Arc<AtomicBool>,
    links: Arc<Mutex<Vec<JoinHandle<()>>>>,
}

impl FaultProxy {
    async fn start(upstream: String) -> FaultProxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind proxy");
        let port = listener.local_addr().expect("addr").port();
        let up = Arc::new(AtomicBool::new(true));
        let links: Arc<Mutex<Vec<JoinHandle<()>>>> = Arc::default();
        let (flag, tasks) = (up.clone(), links.clone());
        tokio::spawn(async move {
            while let Ok((mut client, _)) = listener.accept().await {
                if !flag.load(Ordering::SeqCst) {
                    drop(client);
                    continue;
                }
                let upstream = upstream.clone();
                let link = tokio::spawn(async move {
                    if let Ok(mut server) = TcpStream::connect(upstream).await {
                        let _ = copy_bidirectional(&mut client, &mut server).await;
                    }
                });
                tasks.lock().await.push(link);
            }
        });
        FaultProxy { port, up, links }
    }

    async fn cut(&self) {
        self.up.store(false, Ordering::SeqCst);
        for link in self.links.lock().await.drain(..) {
            link.abort();
        }
    }

    fn restore(&self) {
        self.up.store(true, Ordering::SeqCst);
    }
}

// Multi-threaded: the proxy must run while the app's start-up blocks on it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn database_down_gives_503_quickly_and_recovers_by_itself() {
    if backend() != Backend::Mysql {
        eprintln!("db_down: runs on the MySQL backend (RAPPORT_TEST_BACKEND=mysql)");
        return;
    }
    let server = url::Url::parse(&mysql_server_url()).expect("url");
    let upstream = format!(
        "{}:{}",
        server.host_str().unwrap_or("127.0.0.1"),
        server.port().unwrap_or(3306)
    );
    let proxy = FaultProxy::start(upstream).await;
    let db = TestDb::new();
    let via_proxy = db.mysql_url_via(proxy.port);
    let app = spawn_on(db, |c| c.database = via_proxy).await;
    let admin = app.setup_admin().await;
    assert_eq!(admin.get("/contacts").await.status(), StatusCode::OK);

    proxy.cut().await;
    for path in ["/contacts", "/readyz"] {
        let started = Instant::now();
        let res = admin.get(path).await;
        let took = started.elapsed();
        assert_eq!(
            res.status(),
            StatusCode::SERVICE_UNAVAILABLE,
            "{path} while the database is down"
        );
        assert!(took < Duration::from_secs(3), "{path} answered in {took:?}");
        if path == "/contacts" {
            let doc = html(res).await;
            assert_eq!(texts(&doc, "h1"), vec!["Temporarily unavailable"]);
        }
    }
    assert_eq!(
        admin.get("/healthz").await.status(),
        StatusCode::OK,
        "the process itself is up"
    );

    proxy.restore();
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let status = admin.get("/contacts").await.status();
        if status == StatusCode::OK {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "no recovery after the database returned (last {status})"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(admin.get("/readyz").await.status(), StatusCode::OK);
}
