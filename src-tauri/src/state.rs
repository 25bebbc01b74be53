//! `AppState`: what every command shares. Cloneable handles only; the database pool needs no
//! lock, and the SMTP settings sit behind a short-lived one.

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, RwLock};

use shisa::Db;
use shisa::send::{Outbox, SmtpAccount};

use crate::commands::settings::SmtpSettings;
use crate::error::{IpcError, IpcResult};

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub data_dir: PathBuf,
    /// `None` is practice mode. Kept in memory only, so the password never touches disk.
    pub smtp: Arc<RwLock<Option<SmtpSettings>>>,
    /// Set to stop the import that is running; it then rolls back.
    pub import_cancel: Arc<AtomicBool>,
}

impl AppState {
    pub fn open() -> shisa::Result<AppState> {
        let data_dir = shisa::store::data_dir()?;
        let db = Db::open(&shisa::store::db_path(&data_dir))?;
        // The app runs once per user: a recipient still `sending` belongs to a run that
        // stopped with the app, and may or may not have got the mail.
        shisa::send::ledger::recover(&db)?;
        Ok(AppState {
            db,
            data_dir,
            smtp: Arc::default(),
            import_cancel: Arc::default(),
        })
    }

    pub fn practice_mailbox(&self) -> PathBuf {
        shisa::send::practice_mailbox(&self.data_dir)
    }

    pub fn smtp(&self) -> Option<SmtpSettings> {
        self.smtp.read().map(|s| s.clone()).unwrap_or_default()
    }

    /// Where mail goes now: the configured server, or the practice mailbox.
    pub fn outbox(&self) -> IpcResult<Outbox> {
        let outbox = match self.smtp() {
            Some(smtp) => Outbox::smtp(&SmtpAccount::from(smtp)),
            None => Outbox::practice(&self.practice_mailbox()),
        };
        Ok(outbox?)
    }
}

/// Runs blocking core work (SQLite, file reading) off the async workers and the main thread.
pub async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> shisa::Result<T> + Send + 'static,
) -> IpcResult<T> {
    tauri::async_runtime::spawn_blocking(work)
        .await
        .map_err(IpcError::internal)?
        .map_err(IpcError::from)
}
