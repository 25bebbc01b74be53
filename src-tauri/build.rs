fn main() {
    // Declaring the app's commands makes each one a permission, so the capability file can
    // grant exactly the commands the UI uses and nothing else.
    let manifest = tauri_build::AppManifest::new().commands(&[
        "import_contacts",
        "cancel_import",
        "save_problem_rows",
        "list_lists",
        "list_contacts",
        "query_contacts",
        "update_contact",
        "trash_contacts",
        "restore_contacts",
        "empty_trash",
        "tag_contacts",
        "untag_contacts",
        "list_tags",
        "create_list",
        "rename_list",
        "delete_list",
        "add_list_members",
        "remove_list_members",
        "suppress_addresses",
        "unsuppress_addresses",
        "list_suppressions",
        "export_contacts",
        "create_campaign",
        "review_campaign",
        "send_plan",
        "list_campaigns",
        "campaign_deliveries",
        "get_settings",
        "set_smtp",
        "open_practice_mailbox",
    ]);
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest))
        .expect("the Tauri build step succeeds");
}
