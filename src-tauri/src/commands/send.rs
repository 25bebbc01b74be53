use shisa::compose::NewCampaign;
use shisa::review::Confirmation;
use shisa::send::test_send::{self, TestResult, TestSend};
use shisa::send::{SendProgress, SendSummary};
use tauri::State;
use tauri::ipc::Channel;

use crate::error::IpcResult;
use crate::state::{AppState, blocking};

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

/// What a test send of the mail being written would do: its addresses, its marked subject and
/// the digest that confirms exactly that.
#[tauri::command]
pub async fn prepare_test_send(
    state: State<'_, AppState>,
    draft: NewCampaign,
    to: Vec<String>,
    sample: Option<String>,
    locale: String,
) -> IpcResult<TestSend> {
    let db = state.db.clone();
    blocking(move || {
        test_send::prepare(&db, draft, &to, sample.as_deref(), test_send::mark(&locale))
    })
    .await
}

/// Sends the confirmed test to the user's own addresses, through the current server or the
/// practice mailbox.
#[tauri::command]
pub async fn test_send(
    state: State<'_, AppState>,
    draft: NewCampaign,
    to: Vec<String>,
    sample: Option<String>,
    locale: String,
    confirmation: Confirmation,
) -> IpcResult<Vec<TestResult>> {
    let outbox = state.outbox()?;
    let mark = test_send::mark(&locale);
    let results = test_send::send(
        &state.db,
        draft,
        &to,
        sample.as_deref(),
        mark,
        &confirmation,
        &outbox,
    )
    .await?;
    Ok(results)
}
