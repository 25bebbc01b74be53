use std::path::PathBuf;
use std::sync::atomic::Ordering;

use shisa::import::{self, ImportOptions, ImportProgress, ImportReport};
use tauri::State;
use tauri::ipc::Channel;

use crate::error::IpcResult;
use crate::state::{AppState, blocking};

/// Checks (with `options.dry_run`) or imports a contact file, streaming progress. A second
/// import started while one runs shares its cancel switch, so `cancel_import` stops both.
#[tauri::command]
pub async fn import_contacts(
    state: State<'_, AppState>,
    path: PathBuf,
    options: ImportOptions,
    on_progress: Channel<ImportProgress>,
) -> IpcResult<ImportReport> {
    let db = state.db.clone();
    let cancel = state.import_cancel.clone();
    cancel.store(false, Ordering::Relaxed);
    blocking(move || {
        let report = |p: &ImportProgress| {
            let _ = on_progress.send(p.clone());
        };
        import::import_file(&db, &path, &options, report, &cancel)
    })
    .await
}

/// Stops the import that is running; it rolls back and rejects with code `cancelled`.
#[tauri::command]
pub async fn cancel_import(state: State<'_, AppState>) -> IpcResult<()> {
    state.import_cancel.store(true, Ordering::Relaxed);
    Ok(())
}

/// Saves the rows a check or an import could not take, as a CSV to fix and import again.
#[tauri::command]
pub async fn save_problem_rows(report: ImportReport, path: PathBuf) -> IpcResult<()> {
    blocking(move || import::save_problem_rows(&report, &path)).await
}
