import { Channel } from "@tauri-apps/api/core";
import { open } from "@tauri-apps/plugin-dialog";
import type { ImportOptions } from "../bindings/ImportOptions";
import type { ImportProgress } from "../bindings/ImportProgress";
import type { ImportReport } from "../bindings/ImportReport";
import { call } from "./ipc";

/** The files Shisa reads: workbooks and delimited text. */
export const CONTACT_FILE_EXTENSIONS = ["xlsx", "xlsm", "xlsb", "xls", "ods", "csv", "tsv", "txt"];

/** Asks the user for a contact file; `null` when the dialog was cancelled. */
export function pickContactFile(filterName: string): Promise<string | null> {
  return open({
    multiple: false,
    directory: false,
    filters: [{ name: filterName, extensions: CONTACT_FILE_EXTENSIONS }],
  });
}

/** The choices of an import, every one left to detection. */
export function defaultImportOptions(list: string | null): ImportOptions {
  return {
    list,
    sheet: null,
    header_row: null,
    mapping: [],
    encoding: null,
    mode: "upsert",
    dry_run: false,
  };
}

/**
 * Checks (`options.dry_run`) or imports a contact file. Progress arrives on a channel while
 * the command runs; the handler is attached before the call so no early message is lost.
 */
export function importContacts(
  path: string,
  options: ImportOptions,
  onProgress: (progress: ImportProgress) => void = () => {},
): Promise<ImportReport> {
  const channel = new Channel<ImportProgress>(onProgress);
  return call("import_contacts", { path, options, onProgress: channel });
}

/** Stops the running import; it rolls back and rejects with code "cancelled". */
export async function cancelImport(): Promise<void> {
  await call<null>("cancel_import");
}

/** Writes the report's invalid rows as a CSV the user can fix and import again. */
export async function saveProblemRows(report: ImportReport, path: string): Promise<void> {
  await call<null>("save_problem_rows", { report, path });
}
