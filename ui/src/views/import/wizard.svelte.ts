import { cancelImport, importContacts } from "../../lib/api/import";
import { toIpcError, type IpcError } from "../../lib/api/ipc";
import type { ImportField } from "../../lib/bindings/ImportField";
import type { ImportMode } from "../../lib/bindings/ImportMode";
import type { ImportOptions } from "../../lib/bindings/ImportOptions";
import type { ImportProgress } from "../../lib/bindings/ImportProgress";
import type { ImportReport } from "../../lib/bindings/ImportReport";
import type { MapColumn } from "../../lib/bindings/MapColumn";

/** Where the user is: choosing a file, checking what it holds, importing, or done. */
export type Stage = "choose" | "check" | "importing" | "done";

/**
 * One import from file to result. Every choice on the check screen re-runs the dry run, so
 * what the user sees is always what the backend will do with exactly these options.
 */
export class ImportWizard {
  stage = $state<Stage>("choose");
  path = $state("");
  list = $state("");
  encoding = $state<string | null>(null);
  sheet = $state<string | null>(null);
  headerRow = $state<number | null>(null);
  /** Only the user's own choices, by column letter: letters stay put when the header row moves. */
  mapping = $state<MapColumn[]>([]);
  mode = $state<ImportMode>("upsert");
  /** The latest dry run, shown on the check screen. */
  report = $state<ImportReport | null>(null);
  /** The committed import. */
  result = $state<ImportReport | null>(null);
  progress = $state<ImportProgress | null>(null);
  checking = $state(false);
  cancelling = $state(false);
  /** The last import was cancelled and rolled back. */
  cancelled = $state(false);
  error = $state<IpcError | null>(null);

  // Each dry run is numbered so that a slow answer to an older choice cannot replace a newer one.
  #run = 0;
  // The file the choices below were made for.
  #checkedPath = "";

  constructor(list: string) {
    this.list = list;
  }

  get ready(): boolean {
    return this.path.trim() !== "" && this.list.trim() !== "" && !this.checking;
  }

  options(dryRun: boolean): ImportOptions {
    return {
      list: this.list.trim(),
      sheet: this.sheet,
      header_row: this.headerRow,
      mapping: this.mapping,
      encoding: this.encoding,
      mode: this.mode,
      dry_run: dryRun,
    };
  }

  /**
   * Checks the chosen file. Choices made for another file do not carry over; for the same
   * file (the user went back to change the list) they do.
   */
  async start(): Promise<void> {
    const path = this.path.trim();
    if (path !== this.#checkedPath) {
      this.encoding = null;
      this.sheet = null;
      this.headerRow = null;
      this.mapping = [];
      this.report = null;
      this.#checkedPath = path;
    }
    await this.check();
  }

  async check(): Promise<void> {
    const run = ++this.#run;
    this.checking = true;
    this.error = null;
    try {
      const report = await importContacts(this.path.trim(), this.options(true));
      if (run !== this.#run) return;
      this.report = report;
      this.stage = "check";
    } catch (e) {
      if (run === this.#run) this.error = toIpcError(e);
    } finally {
      if (run === this.#run) this.checking = false;
    }
  }

  setEncoding(encoding: string | null): Promise<void> {
    this.encoding = encoding;
    return this.check();
  }

  /** Another sheet has other columns, so the header row and the mapping start afresh. */
  setSheet(sheet: string): Promise<void> {
    this.sheet = sheet;
    this.headerRow = null;
    this.mapping = [];
    return this.check();
  }

  setHeaderRow(row: number): Promise<void> {
    this.headerRow = row;
    return this.check();
  }

  /**
   * Puts a column into a field; the field leaves any column it was in before, as the backend
   * does. `null` keeps the column as a custom field named by its header.
   */
  setField(letter: string, field: ImportField | null): Promise<void> {
    const others = this.mapping.filter(
      (m) => m.column !== letter && (field === null || m.field !== field),
    );
    this.mapping = [...others, { field, column: letter }];
    return this.check();
  }

  setMode(mode: ImportMode): Promise<void> {
    this.mode = mode;
    return this.check();
  }

  async commit(): Promise<void> {
    this.stage = "importing";
    this.progress = null;
    this.cancelled = false;
    this.error = null;
    try {
      this.result = await importContacts(this.path.trim(), this.options(false), (p) => {
        this.progress = p;
      });
      this.stage = "done";
    } catch (e) {
      const error = toIpcError(e);
      this.cancelled = error.code === "cancelled";
      if (!this.cancelled) this.error = error;
      this.stage = "check";
    } finally {
      this.cancelling = false;
    }
  }

  async cancel(): Promise<void> {
    this.cancelling = true;
    try {
      await cancelImport();
    } catch (e) {
      this.error = toIpcError(e);
      this.cancelling = false;
    }
  }

  /** Back to the first screen, keeping the file and list so either can be changed. */
  back(): void {
    this.stage = "choose";
    this.error = null;
    this.cancelled = false;
  }
}
