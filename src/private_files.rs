//! Files and folders that hold customer data are the owner's only: folders
//! 0700, files 0600 (the data directory, the SQLite file with its WAL and
//! SHM, uploaded imports, the mail folder, the secret key). Created that way,
//! and tightened at start when an older version left them readable by others.

use std::io::Write;
use std::path::Path;

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let current = std::fs::metadata(path)?.permissions().mode() & 0o777;
    if current != mode {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))?;
    }
    Ok(())
}

#[cfg(not(unix))]
fn set_mode(_path: &Path, _mode: u32) -> std::io::Result<()> {
    Ok(())
}

/// Creates `dir` (and missing parents) or tightens it, to mode 0700.
/// Only for Rapport's own folders: an existing folder is chmod-ed.
pub fn dir(dir: &Path) -> std::io::Result<()> {
    create_missing_dirs(dir)?;
    set_mode(dir, 0o700)
}

/// Creates whatever part of `dir` is missing with mode 0700, leaving
/// existing folders (which may be shared, like a parent) as they are.
pub fn create_missing_dirs(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
}

fn options() -> std::fs::OpenOptions {
    let mut options = std::fs::OpenOptions::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options
}

/// Writes `bytes` to a new file (or replaces one) of mode 0600.
pub fn write(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut file = options()
        .write(true)
        .create(true)
        .truncate(true)
        .open(path)?;
    // An existing file keeps its mode on open: tighten it too.
    set_mode(path, 0o600)?;
    file.write_all(bytes)
}

/// Writes `bytes` to a file that must not exist yet, of mode 0600.
pub fn create_new(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    options()
        .write(true)
        .create_new(true)
        .open(path)?
        .write_all(bytes)
}

/// Makes the SQLite database file exist with mode 0600 before SQLite opens
/// it (SQLite creates its `-wal` and `-shm` files with the database file's
/// mode), and tightens all three if they were left readable by others.
pub fn restrict_sqlite(path: &str) -> std::io::Result<()> {
    if path == ":memory:" || path.starts_with("file:") {
        return Ok(());
    }
    let db = Path::new(path);
    options()
        .write(true)
        .create(true)
        .truncate(false)
        .open(db)?;
    set_mode(db, 0o600)?;
    for suffix in ["-wal", "-shm", "-journal"] {
        let side = format!("{path}{suffix}");
        match set_mode(Path::new(&side), 0o600) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            other => other?,
        }
    }
    Ok(())
}
