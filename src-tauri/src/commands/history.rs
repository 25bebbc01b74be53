use shisa::history::{self, CampaignSummary, DeliveryRow};
use tauri::State;

use crate::error::IpcResult;
use crate::state::{AppState, blocking};

#[tauri::command]
pub async fn list_campaigns(state: State<'_, AppState>) -> IpcResult<Vec<CampaignSummary>> {
    let db = state.db.clone();
    blocking(move || history::campaigns(&db)).await
}

#[tauri::command]
pub async fn campaign_deliveries(
    state: State<'_, AppState>,
    campaign: i64,
) -> IpcResult<Vec<DeliveryRow>> {
    let db = state.db.clone();
    blocking(move || history::deliveries(&db, campaign)).await
}
