use shisa::compose::NewCampaign;
use shisa::history::{self, DeliveryRow};
use shisa::review::{Confirmation, plan};
use shisa::send::runs::{self, Request, Run, RunState};
use shisa::send::test_send::{self, TestResult, TestSend};
use shisa::send::{SendProgress, runner};
use shisa::store::preferences;
use std::time::Duration;
use tauri::{AppHandle, State};

use crate::error::IpcResult;
use crate::sending;
use crate::state::{AppState, blocking};

/// The UI's only way to send: a plan id, the user's confirmation of it and the start shown to
/// them (`at`, RFC 3339; none: now), which must be the plan's. The server is tried first
/// (nothing is recorded if it cannot be reached or refuses the login); then the plan is started
/// — at once, after the hold (送信保留) of the settings, or at `at` — and sent in the
/// background through the selected account, its progress streamed as `send-progress` events.
#[tauri::command]
pub async fn send_plan(
    app: AppHandle,
    state: State<'_, AppState>,
    plan_id: i64,
    confirmation: Confirmation,
    at: Option<String>,
) -> IpcResult<SendProgress> {
    let account = state.selected_account()?;
    let (outbox, options) = state.route(account.as_deref())?;
    outbox.check().await?;
    let at = at.as_deref().map(shisa::clock::parse_time).transpose()?;
    let db = state.db.clone();
    let (campaign, now) = blocking(move || {
        let hold = Duration::from_secs(preferences::load(&db)?.hold_seconds.into());
        let plan = plan::load(&*db.conn()?, plan_id)?;
        runner::start(&db, &plan, &confirmation, &outbox, &options, at, hold)?;
        Ok((plan.snapshot.campaign_id, at.is_none() && hold.is_zero()))
    })
    .await?;
    if now {
        sending::launch(app, state.inner().clone(), plan_id);
    }
    Ok(runner::status(&state.db, campaign)?)
}

/// Where a campaign's sending stands.
#[tauri::command]
pub async fn send_status(state: State<'_, AppState>, campaign: i64) -> IpcResult<SendProgress> {
    let db = state.db.clone();
    blocking(move || runner::status(&db, campaign)).await
}

/// Continues a paused or interrupted campaign, or starts a scheduled one now.
#[tauri::command]
pub async fn resume_campaign(
    app: AppHandle,
    state: State<'_, AppState>,
    campaign: i64,
) -> IpcResult<SendProgress> {
    let db = state.db.clone();
    let run =
        blocking(move || runs::of_campaign(&db, campaign)?.ok_or(shisa::Error::NotSent(campaign)))
            .await?;
    if run.state.is_over() {
        return Err(shisa::Error::RunOver(campaign).into());
    }
    if run.state == RunState::Scheduled {
        runs::set_state(&state.db, run.plan_id, RunState::Sending, None)?;
    }
    state.decided(run.plan_id);
    sending::launch(app, state.inner().clone(), run.plan_id);
    Ok(runner::status(&state.db, campaign)?)
}

#[tauri::command]
pub async fn pause_campaign(state: State<'_, AppState>, campaign: i64) -> IpcResult<Run> {
    let run = runs::request(&state.db, campaign, Request::Pause)?;
    state.decided(run.plan_id);
    Ok(run)
}

#[tauri::command]
pub async fn cancel_campaign(state: State<'_, AppState>, campaign: i64) -> IpcResult<Run> {
    let run = runs::request(&state.db, campaign, Request::Cancel)?;
    state.decided(run.plan_id);
    Ok(run)
}

/// Sends again to the failed and deferred recipients only — and to the unknown ones when the
/// user has decided their mail did not arrive.
#[tauri::command]
pub async fn retry_campaign(
    app: AppHandle,
    state: State<'_, AppState>,
    campaign: i64,
    unknown: bool,
) -> IpcResult<SendProgress> {
    runner::retry(&state.db, campaign, unknown)?;
    let run = runs::of_campaign(&state.db, campaign)?.ok_or(shisa::Error::NotSent(campaign))?;
    sending::launch(app, state.inner().clone(), run.plan_id);
    Ok(runner::status(&state.db, campaign)?)
}

/// The recipients that need the user's eyes: failed, deferred and unknown, with the server's
/// words.
#[tauri::command]
pub async fn problem_recipients(
    state: State<'_, AppState>,
    campaign: i64,
) -> IpcResult<Vec<DeliveryRow>> {
    let db = state.db.clone();
    blocking(move || history::problems(&db, campaign)).await
}

/// Runs the app found waiting for a decision when it started: due while it was closed, or
/// stopped in the middle.
#[tauri::command]
pub async fn undecided_runs(state: State<'_, AppState>) -> IpcResult<Vec<Run>> {
    let db = state.db.clone();
    let runs = blocking(move || runs::open_runs(&db)).await?;
    Ok(runs
        .into_iter()
        .filter(|r| state.is_undecided(r.plan_id))
        .collect())
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

/// Sends the confirmed test to the user's own addresses, through the selected account or the
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
    let (outbox, _) = state.route(state.selected_account()?.as_deref())?;
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
