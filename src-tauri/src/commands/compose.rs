use shisa::compose::NewCampaign;
use shisa::store::campaigns;
use tauri::State;

use crate::error::IpcResult;
use crate::state::{AppState, blocking};

/// Checks and stores the campaign; returns its id.
#[tauri::command]
pub async fn create_campaign(state: State<'_, AppState>, draft: NewCampaign) -> IpcResult<i64> {
    let db = state.db.clone();
    blocking(move || campaigns::create(&db, &draft.validate()?)).await
}
