//! The address book's commands: the contacts table (query, inline edit, trash, tags), lists,
//! the suppression list and exports, each a thin adapter over `shisa::contacts`.

use std::path::PathBuf;

use shisa::contacts::{
    self, Contact, ContactEdit, ContactPage, ContactQuery, ContactRow, ExportOptions, ListSummary,
    Suppression, SuppressionReason, TagSummary,
};
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

/// One page of the contacts table.
#[tauri::command]
pub async fn query_contacts(
    state: State<'_, AppState>,
    query: ContactQuery,
) -> IpcResult<ContactPage> {
    let db = state.db.clone();
    blocking(move || contacts::query(&db, &query)).await
}

/// Saves an inline edit; returns the contact as stored.
#[tauri::command]
pub async fn update_contact(
    state: State<'_, AppState>,
    id: i64,
    edit: ContactEdit,
) -> IpcResult<Contact> {
    let db = state.db.clone();
    blocking(move || contacts::update(&db, id, &edit)).await
}

#[tauri::command]
pub async fn trash_contacts(state: State<'_, AppState>, ids: Vec<i64>) -> IpcResult<u32> {
    let db = state.db.clone();
    blocking(move || contacts::trash(&db, &ids)).await
}

#[tauri::command]
pub async fn restore_contacts(state: State<'_, AppState>, ids: Vec<i64>) -> IpcResult<u32> {
    let db = state.db.clone();
    blocking(move || contacts::restore(&db, &ids)).await
}

#[tauri::command]
pub async fn empty_trash(state: State<'_, AppState>) -> IpcResult<u32> {
    let db = state.db.clone();
    blocking(move || contacts::empty_trash(&db)).await
}

#[tauri::command]
pub async fn tag_contacts(
    state: State<'_, AppState>,
    ids: Vec<i64>,
    tag: String,
) -> IpcResult<u32> {
    let db = state.db.clone();
    blocking(move || contacts::tag(&db, &ids, &tag)).await
}

#[tauri::command]
pub async fn untag_contacts(
    state: State<'_, AppState>,
    ids: Vec<i64>,
    tag: String,
) -> IpcResult<u32> {
    let db = state.db.clone();
    blocking(move || contacts::untag(&db, &ids, &tag)).await
}

#[tauri::command]
pub async fn list_tags(state: State<'_, AppState>) -> IpcResult<Vec<TagSummary>> {
    let db = state.db.clone();
    blocking(move || contacts::tags(&db)).await
}

#[tauri::command]
pub async fn create_list(state: State<'_, AppState>, name: String) -> IpcResult<ListSummary> {
    let db = state.db.clone();
    blocking(move || contacts::create_list(&db, &name)).await
}

#[tauri::command]
pub async fn rename_list(
    state: State<'_, AppState>,
    name: String,
    new_name: String,
) -> IpcResult<ListSummary> {
    let db = state.db.clone();
    blocking(move || contacts::rename_list(&db, &name, &new_name)).await
}

#[tauri::command]
pub async fn delete_list(state: State<'_, AppState>, name: String) -> IpcResult<()> {
    let db = state.db.clone();
    blocking(move || contacts::delete_list(&db, &name)).await
}

#[tauri::command]
pub async fn add_list_members(
    state: State<'_, AppState>,
    list: String,
    ids: Vec<i64>,
) -> IpcResult<u32> {
    let db = state.db.clone();
    blocking(move || contacts::add_members(&db, &list, &ids)).await
}

#[tauri::command]
pub async fn remove_list_members(
    state: State<'_, AppState>,
    list: String,
    ids: Vec<i64>,
) -> IpcResult<u32> {
    let db = state.db.clone();
    blocking(move || contacts::remove_members(&db, &list, &ids)).await
}

#[tauri::command]
pub async fn suppress_addresses(
    state: State<'_, AppState>,
    addresses: Vec<String>,
    reason: SuppressionReason,
    note: Option<String>,
) -> IpcResult<u32> {
    let db = state.db.clone();
    blocking(move || contacts::suppress(&db, &addresses, reason, note.as_deref())).await
}

#[tauri::command]
pub async fn unsuppress_addresses(
    state: State<'_, AppState>,
    addresses: Vec<String>,
) -> IpcResult<u32> {
    let db = state.db.clone();
    blocking(move || contacts::unsuppress(&db, &addresses)).await
}

#[tauri::command]
pub async fn list_suppressions(state: State<'_, AppState>) -> IpcResult<Vec<Suppression>> {
    let db = state.db.clone();
    blocking(move || contacts::suppressions(&db)).await
}

/// Writes what the query matches (a list is a query with `list` set) to `path`; returns how
/// many contacts were written.
#[tauri::command]
pub async fn export_contacts(
    state: State<'_, AppState>,
    path: PathBuf,
    query: ContactQuery,
    options: ExportOptions,
) -> IpcResult<u32> {
    let db = state.db.clone();
    blocking(move || contacts::export(&db, &query, &path, &options)).await
}
