//! `AppState`: what every command shares. Cloneable handles only; the database pool needs no
//! lock, and the set of campaigns this window sends sits behind a short-lived one.

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};

use shisa::Db;
use shisa::send::accounts;
use shisa::send::secrets::Keychain;
use shisa::send::{Outbox, RunOptions};

use crate::error::{IpcError, IpcResult};

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub data_dir: PathBuf,
    /// Set to stop the import that is running; it then rolls back.
    pub import_cancel: Arc<AtomicBool>,
    /// Plans this app is sending now.
    pub sending: Arc<Mutex<HashSet<i64>>>,
    /// Runs that were due while the app was closed, or stopped with it: the user decides about
    /// them, so the scheduler leaves them alone.
    pub undecided: Arc<Mutex<HashSet<i64>>>,
}

impl AppState {
    pub fn open() -> shisa::Result<AppState> {
        let data_dir = shisa::store::data_dir()?;
        let db = Db::open(&shisa::store::db_path(&data_dir))?;
        // A recipient still `sending` belongs to a run that stopped with the app (or the CLI),
        // and may or may not have got the mail.
        shisa::send::ledger::recover(&db)?;
        let undecided = shisa::send::runs::open_runs(&db)?
            .into_iter()
            .filter(|run| needs_decision(&db, run))
            .map(|run| run.plan_id)
            .collect();
        Ok(AppState {
            db,
            data_dir,
            import_cancel: Arc::default(),
            sending: Arc::default(),
            undecided: Arc::new(Mutex::new(undecided)),
        })
    }

    pub fn practice_mailbox(&self) -> PathBuf {
        shisa::send::practice_mailbox(&self.data_dir)
    }

    /// Where a run's mail goes: its account (password from the keychain), or the practice
    /// mailbox for a run without one.
    pub fn route(&self, account: Option<&str>) -> IpcResult<(Outbox, RunOptions)> {
        match account {
            Some(name) => {
                let (account, smtp) = accounts::open(&self.db, &Keychain, name)?;
                Ok((Outbox::smtp(&smtp)?, account.run_options()))
            }
            None => Ok((
                Outbox::practice(&self.practice_mailbox())?,
                RunOptions::default(),
            )),
        }
    }

    /// The account new campaigns go out through (a preference); none: practice mode.
    pub fn selected_account(&self) -> IpcResult<Option<String>> {
        Ok(shisa::store::preferences::load(&self.db)?.account)
    }

    pub fn is_undecided(&self, plan_id: i64) -> bool {
        self.undecided
            .lock()
            .map(|u| u.contains(&plan_id))
            .unwrap_or(false)
    }

    pub fn decided(&self, plan_id: i64) {
        if let Ok(mut undecided) = self.undecided.lock() {
            undecided.remove(&plan_id);
        }
    }
}

/// A run the app must not just carry on with at start: one whose time came while the app was
/// closed, or one that was sending when the app stopped.
fn needs_decision(db: &Db, run: &shisa::send::Run) -> bool {
    use shisa::send::RunState;
    match run.state {
        RunState::Sending => run.interrupted,
        RunState::Scheduled => run
            .scheduled_at
            .as_deref()
            .is_some_and(|at| at <= db.now().as_str()),
        _ => false,
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
