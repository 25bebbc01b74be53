use serde::{Deserialize, Serialize};
use shisa::send::{Security, SmtpAccount};
use shisa::store::preferences::{self, Preferences};
use tauri::{AppHandle, State};
use tauri_plugin_opener::OpenerExt;
use ts_rs::TS;

use crate::error::{IpcError, IpcResult};
use crate::state::AppState;

/// The SMTP server form. The password stays in memory until the app closes.
#[derive(Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    pub security: Security,
    pub user: String,
    pub password: String,
}

impl From<SmtpSettings> for SmtpAccount {
    fn from(s: SmtpSettings) -> SmtpAccount {
        let user = s.user.trim();
        SmtpAccount {
            host: s.host.trim().to_string(),
            port: s.port,
            security: s.security,
            user: (!user.is_empty()).then(|| user.to_string()),
            password: (!s.password.is_empty()).then_some(s.password),
            extra_roots: Vec::new(),
        }
    }
}

#[derive(Serialize, TS)]
#[ts(export)]
pub struct Settings {
    /// `None`: practice mode, mail is written to the practice mailbox.
    pub smtp: Option<SmtpSettings>,
    pub practice_mailbox: String,
    pub preferences: Preferences,
}

fn settings(state: &AppState) -> IpcResult<Settings> {
    Ok(Settings {
        smtp: state.smtp(),
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
    preferences::save(&state.db, &preferences)?;
    settings(&state)
}

/// Sets the server (checked first: a server without TLS must be this computer), or practice
/// mode with `None`.
#[tauri::command]
pub async fn set_smtp(
    state: State<'_, AppState>,
    smtp: Option<SmtpSettings>,
) -> IpcResult<Settings> {
    if let Some(smtp) = &smtp {
        SmtpAccount::from(smtp.clone()).check()?;
    }
    *state.smtp.write().map_err(IpcError::internal)? = smtp;
    settings(&state)
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
