//! The database: opening, connection settings, migrations and transactions. Every other module
//! reaches SQLite through `Db`; this module knows nothing of contacts or mail.

pub mod campaigns;
pub mod drafts;
pub mod files;
pub mod preferences;
pub mod templates;

use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock};

use include_dir::{Dir, include_dir};
use r2d2::{Pool, PooledConnection};
use r2d2_sqlite::SqliteConnectionManager;
use rusqlite::Transaction;
use rusqlite_migration::Migrations;

use crate::clock::{Clock, SystemClock};
use crate::error::{Error, Result};

static MIGRATIONS_DIR: Dir = include_dir!("$CARGO_MANIFEST_DIR/src/store/migrations");

static MIGRATIONS: LazyLock<Migrations<'static>> = LazyLock::new(|| {
    Migrations::from_directory(&MIGRATIONS_DIR).expect("migrations folder is well formed")
});

/// Where the desktop app keeps its data unless `SHISA_DATA_DIR` says otherwise; the CLI uses the
/// same folder so both see one database.
pub fn data_dir() -> Result<PathBuf> {
    if let Some(dir) = std::env::var_os("SHISA_DATA_DIR") {
        return Ok(PathBuf::from(dir));
    }
    dirs::data_dir()
        .map(|d| d.join(crate::APP_IDENTIFIER))
        .ok_or(Error::NoDataDir)
}

/// The database file inside a data folder.
pub fn db_path(data_dir: &Path) -> PathBuf {
    data_dir.join("shisa.sqlite3")
}

/// A cheap, cloneable handle: a connection pool plus the clock every timestamp comes from.
#[derive(Clone)]
pub struct Db {
    pool: Pool<SqliteConnectionManager>,
    clock: Arc<dyn Clock>,
    files: files::Files,
    /// The folder holding the database, its files and its locks.
    dir: PathBuf,
}

pub type Conn = PooledConnection<SqliteConnectionManager>;

impl Db {
    pub fn open(path: &Path) -> Result<Db> {
        Db::open_with_clock(path, Arc::new(SystemClock))
    }

    /// Opens (creating if needed) and migrates the database. WAL with synchronous=FULL makes
    /// each committed delivery state survive a crash or power loss.
    pub fn open_with_clock(path: &Path, clock: Arc<dyn Clock>) -> Result<Db> {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(Error::io(parent))?;
        }
        // 8 KiB pages rather than SQLite's 4 KiB: a large import writes fewer pages and WAL
        // frames (about 15% faster at a million rows). It takes effect when the file is made.
        let manager = SqliteConnectionManager::file(path).with_init(|c| {
            c.execute_batch(
                "PRAGMA page_size = 8192;
                 PRAGMA journal_mode = WAL;
                 PRAGMA synchronous = FULL;
                 PRAGMA foreign_keys = ON;
                 PRAGMA busy_timeout = 10000;",
            )
        });
        let pool = Pool::builder().max_size(4).build(manager)?;
        let mut conn = pool.get()?;
        MIGRATIONS.to_latest(&mut conn)?;
        // Stored files live beside the database, so one folder holds all of the app's data.
        let files = files::Files::new(path.with_file_name("files"));
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        Ok(Db {
            pool,
            clock,
            files,
            dir,
        })
    }

    pub fn conn(&self) -> Result<Conn> {
        Ok(self.pool.get()?)
    }

    /// Runs `f` in one IMMEDIATE transaction: all of it is committed, or none of it.
    pub fn with_tx<T>(&self, f: impl FnOnce(&Transaction) -> Result<T>) -> Result<T> {
        self.in_tx(true, f)
    }

    /// Runs `f` in a transaction that is always rolled back: a dry run sees exactly what the
    /// real run would do and changes nothing.
    pub fn trial<T>(&self, f: impl FnOnce(&Transaction) -> Result<T>) -> Result<T> {
        self.in_tx(false, f)
    }

    fn in_tx<T>(&self, commit: bool, f: impl FnOnce(&Transaction) -> Result<T>) -> Result<T> {
        let mut conn = self.conn()?;
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let value = f(&tx)?;
        if commit {
            tx.commit()?;
        }
        Ok(value)
    }

    /// Now, as stored in the database.
    /// The content-addressed store of the files mails carry.
    pub fn files(&self) -> &files::Files {
        &self.files
    }

    /// The folder holding the database and the app's other data.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Now, as the clock says, for a mail's Date header.
    pub fn instant(&self) -> std::time::SystemTime {
        self.clock.now().into()
    }

    pub fn now(&self) -> String {
        self.clock.stamp()
    }

    /// The clock behind every timestamp, for work that waits on time (send limits, schedules).
    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.clock
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid() {
        MIGRATIONS.validate().unwrap();
    }

    #[test]
    fn upgrades_a_database_of_every_earlier_version_keeping_its_contacts() {
        let versions = MIGRATIONS_DIR.dirs().count();
        for version in 1..versions {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("old.sqlite3");
            let mut conn = rusqlite::Connection::open(&path).unwrap();
            MIGRATIONS.to_version(&mut conn, version).unwrap();
            conn.execute(
                "INSERT INTO contacts (address, name, created_at, updated_at)
                 VALUES ('a@example.jp', '青木', 'then', 'then')",
                [],
            )
            .unwrap();
            drop(conn);
            let db = Db::open(&path).unwrap();
            let page = crate::contacts::query(&db, &Default::default()).unwrap();
            assert_eq!(page.total, 1, "from version {version}");
            assert_eq!(page.rows[0].fields.name.as_deref(), Some("青木"));
        }
    }

    #[test]
    fn opens_with_wal_foreign_keys_and_full_sync() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("a/b.sqlite3")).unwrap();
        let conn = db.conn().unwrap();
        let mode: String = conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        let fk: i64 = conn
            .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
            .unwrap();
        let sync: i64 = conn
            .query_row("PRAGMA synchronous", [], |r| r.get(0))
            .unwrap();
        assert_eq!((mode.as_str(), fk, sync), ("wal", 1, 2));
    }

    #[test]
    fn reopening_keeps_data_and_does_not_remigrate() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db.sqlite3");
        let db = Db::open(&path).unwrap();
        db.with_tx(|tx| {
            tx.execute(
                "INSERT INTO lists (name, created_at) VALUES ('a', 'now')",
                [],
            )?;
            Ok(())
        })
        .unwrap();
        drop(db);
        let db = Db::open(&path).unwrap();
        let n: i64 = db
            .conn()
            .unwrap()
            .query_row("SELECT count(*) FROM lists", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 1);
    }

    #[test]
    fn a_failed_transaction_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("db.sqlite3")).unwrap();
        let result: Result<()> = db.with_tx(|tx| {
            tx.execute(
                "INSERT INTO lists (name, created_at) VALUES ('a', 'now')",
                [],
            )?;
            Err(Error::EmptyListName)
        });
        assert!(result.is_err());
        let n: i64 = db
            .conn()
            .unwrap()
            .query_row("SELECT count(*) FROM lists", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 0);
    }
}
