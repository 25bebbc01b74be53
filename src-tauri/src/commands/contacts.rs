use shisa::contacts::{self, ContactRow, ListSummary};
use tauri::State;

use crate::error::IpcResult;
use crate::state::{AppState, blocking};

#[tauri::command]
pub async fn list_lists(state: State<'_, AppState>) -> IpcResult<Vec<ListSummary>> {
    let db = state.db.clone();
    blocking(move || contacts::lists(&db)).await
}

#[tauri::command]
pub async fn list_contacts(state: State<'_, AppState>, list: String) -> IpcResult<Vec<ContactRow>> {
    let db = state.db.clone();
    blocking(move || contacts::contacts_of(&db, &list)).await
}
