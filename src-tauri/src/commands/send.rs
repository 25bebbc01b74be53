use shisa::review::Confirmation;
use shisa::send::{SendProgress, SendSummary};
use tauri::State;
use tauri::ipc::Channel;

use crate::error::IpcResult;
use crate::state::AppState;

/// The UI's only way to send: a plan id and the user's confirmation of it. Progress streams
/// back over the channel after every recipient.
#[tauri::command]
pub async fn send_plan(
    state: State<'_, AppState>,
    plan_id: i64,
    confirmation: Confirmation,
    on_progress: Channel<SendProgress>,
) -> IpcResult<SendSummary> {
    let outbox = state.outbox()?;
    let summary = shisa::send::send(&state.db, plan_id, &confirmation, &outbox, |progress| {
        // A closed window only stops the progress display, never the run.
        let _ = on_progress.send(progress.clone());
    })
    .await?;
    Ok(summary)
}
