//! The desktop shell: a window over the core. Each command is a thin adapter — take the DTO,
//! call one core function, map the error.

mod commands;
mod error;
mod sending;
mod state;

use tauri::Manager;

pub fn run() {
    let state = match state::AppState::open() {
        Ok(state) => state,
        Err(e) => {
            eprintln!("Shisa could not open its data: {e}");
            std::process::exit(1);
        }
    };
    tauri::Builder::default()
        // A second launch focuses the open window instead of opening a second database writer.
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            if let Some(window) = app.get_webview_window("main") {
                let _ = window.unminimize();
                let _ = window.set_focus();
            }
        }))
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_notification::init())
        .setup({
            let state = state.clone();
            move |app| {
                sending::schedule(app.handle().clone(), state);
                Ok(())
            }
        })
        .manage(state)
        .invoke_handler(tauri::generate_handler![
            commands::import::import_contacts,
            commands::import::cancel_import,
            commands::import::save_problem_rows,
            commands::contacts::list_lists,
            commands::contacts::list_contacts,
            commands::contacts::query_contacts,
            commands::contacts::update_contact,
            commands::contacts::trash_contacts,
            commands::contacts::restore_contacts,
            commands::contacts::empty_trash,
            commands::contacts::tag_contacts,
            commands::contacts::untag_contacts,
            commands::contacts::list_tags,
            commands::contacts::create_list,
            commands::contacts::rename_list,
            commands::contacts::delete_list,
            commands::contacts::add_list_members,
            commands::contacts::remove_list_members,
            commands::contacts::suppress_addresses,
            commands::contacts::unsuppress_addresses,
            commands::contacts::list_suppressions,
            commands::contacts::export_contacts,
            commands::compose::create_campaign,
            commands::compose::survey_campaign,
            commands::compose::merge_fields,
            commands::compose::preview_mail,
            commands::compose::own_files,
            commands::compose::store_image,
            commands::compose::image_urls,
            commands::compose::sanitize_html,
            commands::compose::list_templates,
            commands::compose::save_template,
            commands::compose::duplicate_template,
            commands::compose::delete_template,
            commands::compose::save_draft,
            commands::compose::load_draft,
            commands::compose::discard_draft,
            commands::review::review_campaign,
            commands::review::preview_plan,
            commands::review::check_plan,
            commands::send::send_plan,
            commands::send::send_status,
            commands::send::resume_campaign,
            commands::send::pause_campaign,
            commands::send::cancel_campaign,
            commands::send::retry_campaign,
            commands::send::problem_recipients,
            commands::send::undecided_runs,
            commands::send::prepare_test_send,
            commands::send::test_send,
            commands::history::list_campaigns,
            commands::history::campaign_deliveries,
            commands::settings::get_settings,
            commands::settings::save_account,
            commands::settings::delete_account,
            commands::settings::test_account,
            commands::settings::list_presets,
            commands::settings::estimate_send,
            commands::settings::set_preferences,
            commands::settings::open_practice_mailbox,
        ])
        .run(tauri::generate_context!())
        .expect("the Shisa window opens");
}
