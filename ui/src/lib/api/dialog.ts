import { save } from "@tauri-apps/plugin-dialog";

/** One kind of file offered by a save dialog, e.g. "CSV" with ["csv"]. */
export type FileKind = { name: string; extensions: string[] };

/** Asks the user where to save a file; `null` when the dialog was cancelled. */
export function pickSavePath(defaultPath: string, kind: FileKind): Promise<string | null> {
  return save({ defaultPath, filters: [kind] });
}
