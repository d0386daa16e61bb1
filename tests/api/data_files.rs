//! Data files are the owner's only, and uploaded imports expire while their
//! reports stay.

use std::time::{Duration, SystemTime};

use diesel::dsl::count_star;
use diesel::prelude::*;
use rapport::db::schema::{import_errors, imports};

use crate::helpers::*;
use crate::import_export::{import, report, uploaded};

#[cfg(unix)]
fn mode(path: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .permissions()
        .mode()
        & 0o777
}

fn age_forty_days(path: &std::path::Path) {
    let forty_days_ago = SystemTime::now() - Duration::from_secs(40 * 24 * 3600);
    std::fs::File::options()
        .write(true)
        .open(path)
        .and_then(|f| f.set_modified(forty_days_ago))
        .expect("age the file");
}

#[cfg(unix)]
#[tokio::test]
async fn data_files_are_private_and_uploads_expire() {
    use std::os::unix::fs::PermissionsExt;
    let db = TestDb::new();
    // As an older version left it: readable by everyone.
    std::fs::set_permissions(db.dir(), std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let app = spawn_on(db, |_| {}).await;
    let mut admin = app.setup_admin().await;
    let dir = app.db.dir().to_path_buf();
    for folder in [dir.clone(), dir.join("imports"), dir.join("mail")] {
        assert_eq!(mode(&folder), 0o700, "{}", folder.display());
    }
    if backend() == Backend::Sqlite {
        for file in ["test.db", "test.db-wal", "test.db-shm"] {
            assert_eq!(mode(&dir.join(file)), 0o600, "{file}");
        }
    }
    let (old, counts) = import(
        &mut admin,
        "old.csv",
        b"Name,Email\nOld One,old1@test.example\nBad Row,not-an-email\n",
        "update",
    )
    .await;
    assert_eq!((counts.created, counts.errors), (1, 1));
    let recent = uploaded(
        &admin,
        "recent.csv",
        b"Name,Email\nNew,new@test.example\n",
        "update",
    )
    .await;
    let file = |id: i64| dir.join("imports").join(format!("{id}.csv"));
    assert_eq!(mode(&file(old)), 0o600, "uploaded file");
    assert_eq!(mode(&file(recent)), 0o600, "uploaded file");

    // Forty days pass for the first upload; a restart cleans up.
    age_forty_days(&file(old));
    let restarted =
        rapport::startup::Application::build(test_config(&app.db)).expect("second start");
    drop(restarted);
    assert!(!file(old).exists(), "expired upload removed at start");
    assert!(file(recent).exists(), "recent upload kept");

    // The import and its report stay.
    let mut c = app.conn();
    let rows: i64 = imports::table
        .filter(imports::id.eq(old))
        .select(count_star())
        .get_result(&mut c)
        .expect("count");
    let errors: i64 = import_errors::table
        .filter(import_errors::import_id.eq(old))
        .select(count_star())
        .get_result(&mut c)
        .expect("count");
    assert_eq!((rows, errors), (1, 1));
    let report = report(&admin, old).await;
    assert_eq!(report.len(), 2, "header and the bad row: {report:?}");
    assert_eq!(report[1][0], "3");

    // The clean-up is a plain function the jobs runner can call.
    age_forty_days(&file(recent));
    let removed =
        rapport::imports::remove_expired_uploads(&mut c, &dir, Duration::from_secs(30 * 24 * 3600))
            .expect("clean-up");
    assert_eq!(removed, 1);
    assert!(!file(recent).exists());
}
