use shisa::compose::NewCampaign;
use shisa::store::campaigns::{self, CampaignSummary};
use tauri::State;

use crate::error::IpcResult;
use crate::state::{AppState, blocking};

/// Checks the campaign against its list, stores it with its files, and says what it found.
#[tauri::command]
pub async fn create_campaign(
    state: State<'_, AppState>,
    draft: NewCampaign,
) -> IpcResult<CampaignSummary> {
    let db = state.db.clone();
    blocking(move || campaigns::create(&db, draft)).await
}
