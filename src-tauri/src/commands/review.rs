use shisa::review::{Plan, plan};
use tauri::State;

use crate::error::IpcResult;
use crate::state::{AppState, blocking};

#[tauri::command]
pub async fn review_campaign(state: State<'_, AppState>, campaign: i64) -> IpcResult<Plan> {
    let db = state.db.clone();
    blocking(move || plan::build(&db, campaign)).await
}
