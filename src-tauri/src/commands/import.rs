use std::path::PathBuf;

use shisa::import::{self, ImportReport};
use tauri::State;

use crate::error::IpcResult;
use crate::state::{AppState, blocking};

#[tauri::command]
pub async fn import_contacts(
    state: State<'_, AppState>,
    path: PathBuf,
    list: String,
) -> IpcResult<ImportReport> {
    let db = state.db.clone();
    blocking(move || import::import_file(&db, &path, &list)).await
}
