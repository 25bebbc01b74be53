use serde::Serialize;
use shisa::send::accounts::{self, Account, AccountForm};
use shisa::send::connection::StepReport;
use shisa::send::limits::{self, Preset};
use shisa::send::secrets::Keychain;
use shisa::send::{Outbox, runner};
use shisa::store::preferences::{self, Preferences};
use tauri::{AppHandle, State};
use tauri_plugin_opener::OpenerExt;
use ts_rs::TS;

use crate::error::{IpcError, IpcResult};
use crate::state::{AppState, blocking};

#[derive(Serialize, TS)]
#[ts(export)]
pub struct Settings {
    /// The saved SMTP accounts; `preferences.account` names the one in use (none: practice
    /// mode, mail is written to the practice mailbox).
    pub accounts: Vec<Account>,
    pub practice_mailbox: String,
    pub preferences: Preferences,
}

fn settings(state: &AppState) -> IpcResult<Settings> {
    Ok(Settings {
        accounts: accounts::list(&state.db)?,
        practice_mailbox: state.practice_mailbox().display().to_string(),
        preferences: preferences::load(&state.db)?,
    })
}

#[tauri::command]
pub async fn get_settings(state: State<'_, AppState>) -> IpcResult<Settings> {
    settings(&state)
}

/// Stores the user's preferences with their data.
#[tauri::command]
pub async fn set_preferences(
    state: State<'_, AppState>,
    preferences: Preferences,
) -> IpcResult<Settings> {
    if let Some(name) = &preferences.account {
        accounts::get(&state.db, name)?;
    }
    preferences::save(&state.db, &preferences)?;
    settings(&state)
}

/// Saves an account (its password into the system keychain) and uses it from now on.
#[tauri::command]
pub async fn save_account(state: State<'_, AppState>, form: AccountForm) -> IpcResult<Settings> {
    let db = state.db.clone();
    blocking(move || {
        let account = accounts::save(&db, &Keychain, form)?;
        let mut preferences = preferences::load(&db)?;
        preferences.account = Some(account.name);
        preferences::save(&db, &preferences)
    })
    .await?;
    settings(&state)
}

/// Deletes an account and its password; practice mode if it was the one in use.
#[tauri::command]
pub async fn delete_account(state: State<'_, AppState>, name: String) -> IpcResult<Settings> {
    let db = state.db.clone();
    blocking(move || {
        accounts::delete(&db, &Keychain, &name)?;
        let mut preferences = preferences::load(&db)?;
        if preferences.account.as_deref() == Some(name.as_str()) {
            preferences.account = None;
            preferences::save(&db, &preferences)?;
        }
        Ok(())
    })
    .await?;
    settings(&state)
}

/// Connects and logs in with the account as written in the form, step by step: DNS, TCP,
/// TLS, AUTH. Without a password in the form, the saved one is used.
#[tauri::command]
pub async fn test_account(
    state: State<'_, AppState>,
    form: AccountForm,
) -> IpcResult<Vec<StepReport>> {
    let saved = match &form.password {
        Some(password) if !password.is_empty() => Some(password.clone()),
        _ => accounts::open(&state.db, &Keychain, &form.account.name)
            .ok()
            .and_then(|(_, smtp)| smtp.password),
    };
    let outbox = Outbox::smtp(&form.account.smtp(saved))?;
    let mut steps = Vec::new();
    if let Ok(courier) = outbox.open(|step| steps.push(step)).await {
        courier.close().await;
    }
    Ok(steps)
}

/// The providers' published limits to start an account from.
#[tauri::command]
pub async fn list_presets() -> IpcResult<Vec<Preset>> {
    Ok(limits::presets())
}

/// How long sending `count` mails takes through the account in use, and when it would end.
#[tauri::command]
pub async fn estimate_send(state: State<'_, AppState>, count: u32) -> IpcResult<Estimate> {
    let limits = match state.selected_account()? {
        Some(name) => accounts::get(&state.db, &name)?.limits,
        None => shisa::send::Limits::default(),
    };
    let (seconds, finish_at) = runner::estimate(&limits, count, state.db.clock().now());
    Ok(Estimate { seconds, finish_at })
}

#[derive(Serialize, TS)]
#[ts(export)]
pub struct Estimate {
    #[ts(type = "number")]
    pub seconds: u64,
    pub finish_at: String,
}

/// Opens the practice mailbox folder in the system's file manager.
#[tauri::command]
pub async fn open_practice_mailbox(app: AppHandle, state: State<'_, AppState>) -> IpcResult<()> {
    let dir = state.practice_mailbox();
    std::fs::create_dir_all(&dir).map_err(shisa::Error::io(&dir))?;
    app.opener()
        .open_path(dir.display().to_string(), None::<&str>)
        .map_err(IpcError::internal)
}
