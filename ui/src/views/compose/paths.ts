/** Where the last separator of a path is, whichever separator the system uses; -1 if none. */
function lastSeparator(path: string): number {
  return Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\"));
}

/** The file name at the end of a path. */
export function fileName(path: string): string {
  return path.slice(lastSeparator(path) + 1);
}

/** Whether a path starts at a root (`/`, `\\server`, `C:`) rather than below some folder. */
export function isAbsolute(path: string): boolean {
  return /^([\\/]|[A-Za-z]:)/.test(path);
}

/** A folder that is a root keeps its separator: `C:` alone would mean another folder. */
const ROOT = /^([A-Za-z]:)?$/;

/**
 * Splits a per-recipient pattern such as `C:\請求書\{{顧客ID}}.pdf` into its folder and the
 * file name that holds the merge fields.
 */
export function splitPattern(pattern: string): { folder: string; name: string } {
  const cut = lastSeparator(pattern);
  if (cut < 0) return { folder: "", name: pattern };
  const folder = pattern.slice(0, cut);
  return {
    folder: ROOT.test(folder) ? pattern.slice(0, cut + 1) : folder,
    name: pattern.slice(cut + 1),
  };
}

/** The pattern the backend reads, joined with the folder's own separator; `null` if incomplete. */
export function joinPattern(folder: string, name: string): string | null {
  const file = name.trim();
  if (folder === "" || file === "") return null;
  if (/[\\/]$/.test(folder)) return folder + file;
  const windows = /^[A-Za-z]:/.test(folder) || (folder.includes("\\") && !folder.includes("/"));
  return `${folder}${windows ? "\\" : "/"}${file}`;
}

/** The text with `insert` in place of the selection, and where the caret goes after it. */
export function insertAt(
  text: string,
  start: number,
  end: number,
  insert: string,
): { text: string; caret: number } {
  return { text: text.slice(0, start) + insert + text.slice(end), caret: start + insert.length };
}
