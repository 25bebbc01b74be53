use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Serialize;
use shisa::compose::NewCampaign;
use shisa::compose::draft::image_cid;
use shisa::compose::merge::Known;
use shisa::compose::sanitize::sanitize;
use shisa::contacts;
use shisa::store::campaigns::{self, CreatedCampaign, MailPreview, OwnFile};
use shisa::store::drafts;
use shisa::store::files::StoredFile;
use shisa::store::templates::{self, MailTemplate};
use tauri::State;
use ts_rs::TS;

use crate::error::IpcResult;
use crate::state::{AppState, blocking};

/// Checks the campaign against its list, stores it with its files, and says what it found.
#[tauri::command]
pub async fn create_campaign(
    state: State<'_, AppState>,
    draft: NewCampaign,
) -> IpcResult<CreatedCampaign> {
    let db = state.db.clone();
    blocking(move || {
        let summary = campaigns::create(&db, draft)?;
        drafts::discard(&db)?;
        Ok(summary)
    })
    .await
}

/// What `create_campaign` would find, without writing the campaign: shown before going on.
#[tauri::command]
pub async fn survey_campaign(
    state: State<'_, AppState>,
    draft: NewCampaign,
) -> IpcResult<CreatedCampaign> {
    let db = state.db.clone();
    blocking(move || campaigns::survey(&db, draft)).await
}

/// The merge fields of a list: those the editor offers (in the user's language: 氏名 or name),
/// and every name a mail may use.
#[derive(Debug, Serialize, TS)]
#[ts(export)]
pub struct MergeFields {
    pub offered: Vec<String>,
    pub accepted: Vec<String>,
}

#[tauri::command]
pub async fn merge_fields(
    state: State<'_, AppState>,
    list: String,
    locale: String,
) -> IpcResult<MergeFields> {
    let db = state.db.clone();
    blocking(move || {
        let conn = db.conn()?;
        let list_id = contacts::list_id(&conn, &list)?;
        let known = Known::new(contacts::custom_fields(&conn, list_id)?);
        Ok(MergeFields {
            offered: known.offered(locale.starts_with("ja")),
            accepted: known.names(),
        })
    })
    .await
}

/// One recipient's mail as it would be sent (default: the first recipient).
#[tauri::command]
pub async fn preview_mail(
    state: State<'_, AppState>,
    draft: NewCampaign,
    address: Option<String>,
) -> IpcResult<MailPreview> {
    let db = state.db.clone();
    blocking(move || campaigns::preview(&db, draft, address.as_deref())).await
}

/// Which file the per-recipient pattern finds for each recipient of the list.
#[tauri::command]
pub async fn own_files(
    state: State<'_, AppState>,
    list: String,
    pattern: String,
) -> IpcResult<Vec<OwnFile>> {
    let db = state.db.clone();
    blocking(move || campaigns::own_files(&db, &list, &pattern)).await
}

/// An image copied into the store for the mail to show: how the HTML refers to it and how the
/// editor displays it.
#[derive(Debug, Serialize, TS)]
#[ts(export)]
pub struct StoredImage {
    pub file: StoredFile,
    pub cid: String,
    pub url: String,
}

#[tauri::command]
pub async fn store_image(state: State<'_, AppState>, path: PathBuf) -> IpcResult<StoredImage> {
    let db = state.db.clone();
    blocking(move || {
        let file = db.files().add(&path)?;
        let url = campaigns::data_url(&file.name, &db.files().read(&file)?);
        Ok(StoredImage {
            cid: image_cid(&file),
            file,
            url,
        })
    })
    .await
}

/// Display URLs of stored images, by the content id the HTML shows them by.
#[tauri::command]
pub async fn image_urls(
    state: State<'_, AppState>,
    images: Vec<StoredFile>,
) -> IpcResult<BTreeMap<String, String>> {
    let db = state.db.clone();
    blocking(move || {
        images
            .iter()
            .map(|f| {
                Ok((
                    image_cid(f),
                    campaigns::data_url(&f.name, &db.files().read(f)?),
                ))
            })
            .collect()
    })
    .await
}

/// The HTML as a mail may carry it: what the source view hands back to the editor.
#[tauri::command]
pub fn sanitize_html(html: String) -> String {
    sanitize(&html)
}

#[tauri::command]
pub async fn list_templates(state: State<'_, AppState>) -> IpcResult<Vec<MailTemplate>> {
    let db = state.db.clone();
    blocking(move || templates::list(&db)).await
}

#[tauri::command]
pub async fn save_template(state: State<'_, AppState>, template: MailTemplate) -> IpcResult<()> {
    let db = state.db.clone();
    blocking(move || templates::save(&db, &template)).await
}

#[tauri::command]
pub async fn duplicate_template(
    state: State<'_, AppState>,
    name: String,
    new_name: String,
) -> IpcResult<MailTemplate> {
    let db = state.db.clone();
    blocking(move || templates::duplicate(&db, &name, &new_name)).await
}

#[tauri::command]
pub async fn delete_template(state: State<'_, AppState>, name: String) -> IpcResult<()> {
    let db = state.db.clone();
    blocking(move || templates::delete(&db, &name)).await
}

/// Saves the mail being written, so nothing is lost if the app closes.
#[tauri::command]
pub async fn save_draft(state: State<'_, AppState>, draft: NewCampaign) -> IpcResult<()> {
    let db = state.db.clone();
    blocking(move || drafts::save(&db, &draft)).await
}

#[tauri::command]
pub async fn load_draft(state: State<'_, AppState>) -> IpcResult<Option<NewCampaign>> {
    let db = state.db.clone();
    blocking(move || drafts::load(&db)).await
}

#[tauri::command]
pub async fn discard_draft(state: State<'_, AppState>) -> IpcResult<()> {
    let db = state.db.clone();
    blocking(move || drafts::discard(&db)).await
}
