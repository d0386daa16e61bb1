//! The migrated database of this backend matches the one hand-kept
//! `schema.rs`, and both backends' migration folders carry the same names.

use std::collections::BTreeMap;

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};

use crate::helpers::*;
use rapport::db::DbConn;

/// (table, column) -> (diesel type, nullable), read from src/db/schema.rs.
fn declared() -> BTreeMap<(String, String), (String, bool)> {
    let src = include_str!("../../src/db/schema.rs");
    let mut out = BTreeMap::new();
    let mut table: Option<String> = None;
    for line in src.lines().map(str::trim) {
        if let Some(rest) = line.strip_suffix('{').map(str::trim)
            && let Some((name, _)) = rest.split_once(" (")
        {
            table = Some(name.trim().to_string());
            continue;
        }
        if line == "}" {
            table = None;
            continue;
        }
        if let (Some(t), Some((col, ty))) = (&table, line.trim_end_matches(',').split_once(" -> "))
        {
            let ty = ty.trim();
            let (ty, nullable) = match ty
                .strip_prefix("Nullable<")
                .and_then(|x| x.strip_suffix('>'))
            {
                Some(inner) => (inner.to_string(), true),
                None => (ty.to_string(), false),
            };
            out.insert((t.clone(), col.trim().to_string()), (ty, nullable));
        }
    }
    out
}

#[derive(QueryableByName, Debug)]
struct Column {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
    #[diesel(sql_type = Text)]
    data_type: String,
    #[diesel(sql_type = BigInt)]
    nullable: i64,
}

fn kind(backend_type: &str) -> Vec<&'static str> {
    let t = backend_type.to_lowercase();
    let base = t.split('(').next().unwrap_or("").trim().to_string();
    match base.as_str() {
        "bigint" => vec!["BigInt"],
        "int" => vec!["Integer"],
        // SQLite's INTEGER PRIMARY KEY is a 64-bit rowid.
        "integer" => vec!["BigInt", "Integer"],
        "varchar" | "text" | "mediumtext" | "char" => vec!["Text"],
        "tinyint" | "boolean" => vec!["Bool"],
        "datetime" | "timestamp" => vec!["Timestamp"],
        "date" => vec!["Date"],
        _ => vec![],
    }
}

fn migrated(conn: &mut DbConn) -> Vec<Column> {
    let sql = match conn {
        DbConn::Mysql(_) => {
            "SELECT CAST(table_name AS CHAR) AS table_name, CAST(column_name AS CHAR) AS column_name, \
             CAST(column_type AS CHAR) AS data_type, CAST(is_nullable = 'YES' AS SIGNED) AS nullable \
             FROM information_schema.columns WHERE table_schema = DATABASE() \
             AND table_name <> '__diesel_schema_migrations'"
        }
        DbConn::Sqlite(_) => {
            "SELECT m.name AS table_name, p.name AS column_name, p.type AS data_type, \
             CAST(p.\"notnull\" = 0 AND p.pk = 0 AS BIGINT) AS nullable \
             FROM sqlite_master m JOIN pragma_table_xinfo(m.name) p \
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> '__diesel_schema_migrations'"
        }
    };
    diesel::sql_query(sql).load(conn).expect("introspection")
}

#[tokio::test]
async fn migrated_schema_matches_schema_rs() {
    let app = spawn().await;
    let declared = declared();
    assert!(
        declared.len() > 20,
        "parsed schema.rs ({} columns)",
        declared.len()
    );
    let mut conn = app.conn();
    let actual = migrated(&mut conn);
    let mut problems = Vec::new();
    let mut seen = 0;
    for col in &actual {
        let key = (col.table_name.clone(), col.column_name.clone());
        match declared.get(&key) {
            None => problems.push(format!("{key:?} is in the database but not in schema.rs")),
            Some((ty, nullable)) => {
                seen += 1;
                if !kind(&col.data_type).contains(&ty.as_str()) {
                    problems.push(format!(
                        "{key:?}: database type {} vs schema.rs {ty}",
                        col.data_type
                    ));
                }
                if (col.nullable == 1) != *nullable {
                    problems.push(format!(
                        "{key:?}: nullable {} vs schema.rs {nullable}",
                        col.nullable == 1
                    ));
                }
            }
        }
    }
    if seen != declared.len() {
        for key in declared.keys() {
            if !actual
                .iter()
                .any(|c| c.table_name == key.0 && c.column_name == key.1)
            {
                problems.push(format!("{key:?} is in schema.rs but not in the database"));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{:?} schema drift:\n{}",
        backend(),
        problems.join("\n")
    );
}

#[test]
fn both_backends_have_the_same_migration_names() {
    let names = |dir: &str| {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .expect("migrations dir")
            .filter_map(|e| e.ok())
            .filter(|e| e.path().is_dir())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    };
    let mysql = names(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/mysql"));
    let sqlite = names(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/sqlite"));
    assert!(!mysql.is_empty());
    assert_eq!(mysql, sqlite);
}

#[derive(QueryableByName)]
struct Setting {
    #[diesel(sql_type = Text)]
    value: String,
}

fn setting(conn: &mut DbConn, sql: &str) -> String {
    diesel::sql_query(sql)
        .get_result::<Setting>(conn)
        .expect(sql)
        .value
        .to_lowercase()
}

#[tokio::test]
async fn connections_use_utc_strict_mode_wal_and_foreign_keys() {
    let app = spawn().await;
    let mut conn = app.conn();
    match &mut conn {
        DbConn::Mysql(_) => {
            assert_eq!(
                setting(
                    &mut conn,
                    "SELECT CAST(@@session.time_zone AS CHAR) AS value"
                ),
                "+00:00"
            );
            assert!(
                setting(
                    &mut conn,
                    "SELECT CAST(@@session.sql_mode AS CHAR) AS value"
                )
                .contains("strict_all_tables")
            );
        }
        DbConn::Sqlite(_) => {
            assert_eq!(
                setting(
                    &mut conn,
                    "SELECT CAST(foreign_keys AS TEXT) AS value FROM pragma_foreign_keys"
                ),
                "1"
            );
            assert_eq!(
                setting(
                    &mut conn,
                    "SELECT journal_mode AS value FROM pragma_journal_mode"
                ),
                "wal"
            );
        }
    }
}

#[derive(QueryableByName, Debug)]
struct TableFacts {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    engine: String,
    #[diesel(sql_type = BigInt)]
    primary_key_columns: i64,
}

/// Galera hygiene (docs/scale-out.md): Galera replicates row events by
/// primary key and only InnoDB tables at all, so every table has a primary
/// key and, on MariaDB, is InnoDB. Lists every migrated table (more than
/// twenty) and names each one that breaks the rule.
#[tokio::test]
async fn every_table_has_a_primary_key_and_is_innodb() {
    let app = spawn().await;
    let mut conn = app.conn();
    let sql = match conn {
        DbConn::Mysql(_) => {
            "SELECT CAST(t.table_name AS CHAR) AS table_name, CAST(t.engine AS CHAR) AS engine, \
             CAST((SELECT COUNT(*) FROM information_schema.key_column_usage k \
                   WHERE k.table_schema = t.table_schema AND k.table_name = t.table_name \
                     AND k.constraint_name = 'PRIMARY') AS SIGNED) AS primary_key_columns \
             FROM information_schema.tables t \
             WHERE t.table_schema = DATABASE() AND t.table_type = 'BASE TABLE'"
        }
        DbConn::Sqlite(_) => {
            "SELECT m.name AS table_name, 'sqlite' AS engine, \
             CAST((SELECT COUNT(*) FROM pragma_table_info(m.name) p WHERE p.pk > 0) AS BIGINT) \
               AS primary_key_columns \
             FROM sqlite_master m WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'"
        }
    };
    let tables: Vec<TableFacts> = diesel::sql_query(sql).load(&mut conn).expect("tables");
    assert!(tables.len() > 20, "listed {} tables", tables.len());
    let mysql = matches!(conn, DbConn::Mysql(_));
    let problems: Vec<String> = tables
        .iter()
        .flat_map(|t| {
            let mut p = Vec::new();
            if t.primary_key_columns == 0 {
                p.push(format!("{} has no primary key", t.table_name));
            }
            if mysql && !t.engine.eq_ignore_ascii_case("innodb") {
                p.push(format!("{} is {}, not InnoDB", t.table_name, t.engine));
            }
            p
        })
        .collect();
    assert!(
        problems.is_empty(),
        "{:?}: tables Galera cannot replicate safely:\n{}",
        backend(),
        problems.join("\n")
    );
}

/// No statement Galera does not replicate or lock cluster-wide is in the
/// code: table locks, named locks, or row locks that could be held across
/// a lease (docs/concurrency.md rule 4).
#[test]
fn no_cluster_unsafe_locks_in_the_code() {
    fn walk(dir: &std::path::Path, out: &mut Vec<String>) {
        for e in std::fs::read_dir(dir).expect("src dir").flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs" || x == "sql") {
                let text = std::fs::read_to_string(&p)
                    .expect("source file")
                    .to_uppercase();
                for banned in ["LOCK TABLES", "GET_LOCK(", "FOR UPDATE", ".FOR_UPDATE()"] {
                    if text.contains(banned) {
                        out.push(format!("{}: {banned}", p.display()));
                    }
                }
            }
        }
    }
    let mut found = Vec::new();
    for dir in ["src", "migrations"] {
        walk(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir),
            &mut found,
        );
    }
    assert!(
        found.is_empty(),
        "cluster-unsafe locks:\n{}",
        found.join("\n")
    );
}
