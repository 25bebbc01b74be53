//! Campaigns this app sends in the background: a run per plan, its progress emitted to the
//! window, the computer kept awake while it sends, a notification when it ends or pauses; and
//! the scheduler that starts scheduled campaigns when their time comes.

use std::time::Duration;

use shisa::send::runs::{self, RunState};
use shisa::send::{SendSummary, runner};
use tauri::{AppHandle, Emitter};
use tauri_plugin_notification::NotificationExt;

use crate::error::IpcError;
use crate::state::AppState;

/// Sends a started plan in the background, unless this app already does.
pub fn launch(app: AppHandle, state: AppState, plan_id: i64) {
    let fresh = state
        .sending
        .lock()
        .map(|mut s| s.insert(plan_id))
        .unwrap_or(false);
    if !fresh {
        return;
    }
    tauri::async_runtime::spawn(async move {
        let ended = drive(&app, &state, plan_id).await;
        if let Ok(mut sending) = state.sending.lock() {
            sending.remove(&plan_id);
        }
        match ended {
            Ok(summary) => {
                let _ = app.emit("send-ended", &summary);
                notify(&app, &summary);
            }
            Err(e) => {
                let _ = app.emit("send-failed", (plan_id, &e));
                let _ = app
                    .notification()
                    .builder()
                    .title("Shisa")
                    .body(&e.message)
                    .show();
            }
        }
    });
}

async fn drive(app: &AppHandle, state: &AppState, plan_id: i64) -> Result<SendSummary, IpcError> {
    let run = runs::get(&state.db, plan_id)?;
    // An account deleted or a keychain refusing: the run waits, paused with the reason — left
    // scheduled, the scheduler would try (and notify) again every few seconds.
    let (outbox, options) = match state.route(run.account.as_deref()) {
        Ok(route) => route,
        Err(e) => {
            runs::set_state(&state.db, plan_id, RunState::Paused, Some(&e.message))?;
            return Err(e);
        }
    };
    if !runner::wait_for_start(&state.db, plan_id).await? {
        return Ok(runner::summary(&state.db, run.campaign_id)?);
    }
    let _awake = keep_awake();
    let progress = app.clone();
    let summary = runner::run(&state.db, plan_id, &outbox, &options, move |p| {
        let _ = progress.emit("send-progress", p);
    })
    .await?;
    Ok(summary)
}

/// Keeps the computer from sleeping while a campaign sends. Where the system offers no way to
/// (a Linux desktop without a session bus), sending goes on regardless.
fn keep_awake() -> Option<keepawake::KeepAwake> {
    keepawake::Builder::default()
        .idle(true)
        .sleep(true)
        .reason("Sending a campaign")
        .app_name("Shisa")
        .app_reverse_domain("jp.shisa.app")
        .create()
        .ok()
}

fn notify(app: &AppHandle, summary: &SendSummary) {
    let c = &summary.counts;
    let (title, body) = match summary.state {
        RunState::Finished => (
            "送信が終わりました / Sending finished",
            format!(
                "送信 {} 件・失敗 {} 件・保留 {} 件・不明 {} 件",
                c.sent, c.failed, c.deferred, c.unknown
            ),
        ),
        RunState::Paused => (
            "送信を一時停止しました / Sending paused",
            summary.reason.clone().unwrap_or_default(),
        ),
        RunState::Cancelled => ("送信を中止しました / Sending cancelled", String::new()),
        _ => return,
    };
    let _ = app.notification().builder().title(title).body(body).show();
}

/// Starts scheduled campaigns when their time comes — except those the user has yet to decide
/// about (their time came while the app was closed).
pub fn schedule(app: AppHandle, state: AppState) {
    tauri::async_runtime::spawn(async move {
        loop {
            if let Ok(open) = runs::open_runs(&state.db) {
                let now = state.db.now();
                for run in open {
                    let due = run.state == RunState::Scheduled
                        && run
                            .scheduled_at
                            .as_deref()
                            .is_some_and(|at| at <= now.as_str());
                    if due && !state.is_undecided(run.plan_id) {
                        launch(app.clone(), state.clone(), run.plan_id);
                    }
                }
            }
            tokio::time::sleep(Duration::from_secs(2)).await;
        }
    });
}
