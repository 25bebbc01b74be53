use shisa::review::{Plan, plan};
use shisa::send::preflight::{self, Preflight};
use shisa::send::{mailing, runner};
use shisa::store::campaigns::MailPreview;
use tauri::State;

use crate::error::IpcResult;
use crate::state::{AppState, blocking};

/// Freezes the campaign into the plan it would be sent as: through the account in use, now
/// or `at` (RFC 3339).
#[tauri::command]
pub async fn review_campaign(
    state: State<'_, AppState>,
    campaign: i64,
    at: Option<String>,
) -> IpcResult<Plan> {
    let (outbox, options) = state.route(state.selected_account()?.as_deref())?;
    let at = at.as_deref().map(shisa::clock::parse_time).transpose()?;
    let db = state.db.clone();
    blocking(move || runner::freeze(&db, campaign, &outbox, &options, at)).await
}

/// One recipient's mail of a reviewed plan, exactly as it will be sent.
#[tauri::command]
pub async fn preview_plan(
    state: State<'_, AppState>,
    plan_id: i64,
    address: Option<String>,
) -> IpcResult<MailPreview> {
    let db = state.db.clone();
    blocking(move || {
        let plan = plan::load(&*db.conn()?, plan_id)?;
        mailing::preview(&db, &plan, address.as_deref())
    })
    .await
}

/// What is unusual about a reviewed plan — recipients by domain, files, warnings, blockers —
/// and how long it takes through the account in use.
#[tauri::command]
pub async fn check_plan(state: State<'_, AppState>, plan_id: i64) -> IpcResult<Preflight> {
    let (_, options) = state.route(state.selected_account()?.as_deref())?;
    let db = state.db.clone();
    blocking(move || {
        let plan = plan::load(&*db.conn()?, plan_id)?;
        preflight::preflight(&db, &plan, &options, db.clock().now())
    })
    .await
}
