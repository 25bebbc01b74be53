import { open } from "@tauri-apps/plugin-dialog";
import type { ImportReport } from "../bindings/ImportReport";
import { call } from "./ipc";

/** Asks the user for a contact file; `null` when the dialog was cancelled. */
export function pickContactFile(filterName: string): Promise<string | null> {
  return open({
    multiple: false,
    directory: false,
    filters: [{ name: filterName, extensions: ["csv", "txt"] }],
  });
}

/** Imports a CSV/text file into the named list, creating the list if needed. */
export function importContacts(path: string, list: string): Promise<ImportReport> {
  return call("import_contacts", { path, list });
}
