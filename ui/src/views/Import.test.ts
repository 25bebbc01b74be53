import { fireEvent, render, screen, within } from "@testing-library/svelte";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { ImportOptions } from "../lib/bindings/ImportOptions";
import type { ImportProgress } from "../lib/bindings/ImportProgress";
import type { ImportReport } from "../lib/bindings/ImportReport";

vi.mock("@tauri-apps/api/core", async () => (await import("../test/fakeCore")).fakeCore);
vi.mock("@tauri-apps/plugin-dialog", () => ({ open: vi.fn(), save: vi.fn() }));
const { fakeCore: core } = await import("../test/fakeCore");
const dialog = await import("@tauri-apps/plugin-dialog");

const { default: Import } = await import("./Import.svelte");
const { ImportWizard } = await import("./import/wizard.svelte");

type ImportArgs = {
  path: string;
  options: ImportOptions;
  onProgress: { onmessage: (p: ImportProgress) => void };
};

/** A workbook with a cover sheet, a title row and a 担当 column the backend did not recognise. */
function report(options: ImportOptions): ImportReport {
  const byHand = options.mapping.find((m) => m.column === "B")?.field ?? null;
  return {
    list: options.list,
    format: "xlsx",
    encoding: null,
    sheet: "名簿",
    sheets: ["表紙", "名簿"],
    header_row: options.header_row ?? 3,
    columns: [
      { index: 0, letter: "A", header: "メールアドレス", field: "email" },
      { index: 1, letter: "B", header: "ご担当", field: byHand },
      { index: 2, letter: "C", header: "会社名", field: "company" },
    ],
    head: [
      { row: 1, cells: ["顧客名簿 2026年11月現在"] },
      { row: 3, cells: ["メールアドレス", "ご担当", "会社名"] },
      { row: 4, cells: ["yamada@example.jp", "山田 太郎", "山田商事"] },
    ],
    preview: [
      {
        row: 4,
        address: "yamada@example.jp",
        contact: {
          name: byHand === "name" ? "山田 太郎" : null,
          last_name: null,
          first_name: null,
          kana: null,
          company: "山田商事",
          department: null,
          job_title: null,
          phone: null,
          fields: byHand === "name" ? {} : { ご担当: "山田 太郎" },
        },
      },
    ],
    rows: 6,
    imported: 3,
    updated: 1,
    unchanged: 0,
    skipped: 0,
    duplicates: 1,
    invalid: [{ row: 8, value: "suzuki.example.jp", reason: "no_at", cells: [] }],
    warnings: [
      { row: 5, value: "sato@gmial.com", kind: "typo_domain", suggestion: "sato@gmail.com" },
      { row: 6, value: "info@example.jp", kind: "role", suggestion: null },
    ],
    mode: options.mode,
    dry_run: options.dry_run,
  };
}

/** Answers dry runs with `report`; `commit` decides how the real import goes. */
function backend(
  commit: (args: ImportArgs) => Promise<ImportReport> = async (a) => report(a.options),
) {
  core.invoke.mockImplementation(async (command: string, args: ImportArgs) => {
    if (command === "list_lists") return [{ id: 1, name: "顧客リスト", contacts: 12 }];
    if (command === "import_contacts") {
      return args.options.dry_run ? report(args.options) : commit(args);
    }
    if (command === "cancel_import" || command === "save_problem_rows") return null;
    throw { code: "internal", message: `unexpected ${command}` };
  });
}

function importCalls(): ImportArgs[] {
  return core.invoke.mock.calls.filter(([c]) => c === "import_contacts").map(([, a]) => a);
}

async function checkFile() {
  const wizard = new ImportWizard("顧客リスト");
  const props = { wizard, onnext: vi.fn(), oncontacts: vi.fn() };
  render(Import, props);
  await fireEvent.input(screen.getByTestId("import-path"), {
    target: { value: "/home/u/名簿.xlsx" },
  });
  await fireEvent.click(screen.getByTestId("import-check"));
  await screen.findByTestId("import-counts");
  return props;
}

describe("Import wizard", () => {
  beforeEach(() => {
    core.invoke.mockReset();
  });

  it("checks the file with a dry run and shows counts, problem rows and warnings", async () => {
    backend();
    await checkFile();

    const [check] = importCalls();
    expect(check.path).toBe("/home/u/名簿.xlsx");
    expect(check.options).toMatchObject({ list: "顧客リスト", dry_run: true, mapping: [] });

    const counts = screen.getByTestId("import-counts");
    const stat = (label: string) => within(counts).getByText(label).nextElementSibling;
    expect(stat("ファイルの行数")).toHaveTextContent("6");
    expect(stat("新しく登録")).toHaveTextContent("3");
    expect(stat("内容を更新")).toHaveTextContent("1");
    expect(stat("重複（1 件にまとめます）")).toHaveTextContent("1");
    expect(stat("取り込めない行")).toHaveTextContent("1");

    const [problem] = screen.getAllByTestId("import-problem");
    expect(problem).toHaveTextContent("8");
    expect(problem).toHaveTextContent("suzuki.example.jp");
    expect(problem).toHaveTextContent("「@」がありません");

    const warnings = screen.getAllByTestId("import-warning");
    expect(warnings.map((w) => w.dataset.kind)).toEqual(["typo_domain", "role"]);
    expect(warnings[0]).toHaveTextContent("正しくは sato@gmail.com ではありませんか？");

    expect(screen.getByTestId("import-sheet")).toHaveValue("名簿");
    expect(screen.getByTestId("import-header-row")).toHaveValue(3);
    expect(screen.getByTestId("import-header-names")).toHaveTextContent(
      "メールアドレス / ご担当 / 会社名",
    );
    expect(screen.getByTestId("import-preview")).toHaveTextContent("yamada@example.jp");
    // Nothing is stored by a check.
    expect(importCalls().every((a) => a.options.dry_run)).toBe(true);
  });

  it("re-runs the dry run with the mapping when a column's field changes", async () => {
    backend();
    await checkFile();

    await fireEvent.change(screen.getByTestId("import-field-B"), { target: { value: "name" } });
    await vi.waitFor(() => expect(importCalls()).toHaveLength(2));
    expect(importCalls()[1].options).toMatchObject({
      dry_run: true,
      mapping: [{ field: "name", column: "B" }],
    });
    await vi.waitFor(() => expect(screen.getByTestId("import-field-B")).toHaveValue("name"));
    expect(screen.getByTestId("import-preview")).toHaveTextContent("山田 太郎");

    // A new header row keeps the column chosen by hand.
    const headerRow = screen.getByTestId("import-header-row");
    await fireEvent.change(headerRow, { target: { value: "2" } });
    await vi.waitFor(() => expect(importCalls()).toHaveLength(3));
    expect(importCalls()[2].options).toMatchObject({
      header_row: 2,
      mapping: [{ field: "name", column: "B" }],
    });
  });

  it("keeps a suggested column as a custom field and picks the header from the file's rows", async () => {
    backend();
    await checkFile();

    await fireEvent.change(screen.getByTestId("import-field-C"), { target: { value: "" } });
    await vi.waitFor(() => expect(importCalls()).toHaveLength(2));
    expect(importCalls()[1].options.mapping).toEqual([{ field: null, column: "C" }]);

    const rows = await screen.findAllByTestId("import-head-row");
    expect(rows.map((r) => r.dataset.row)).toEqual(["1", "3", "4"]);
    await fireEvent.click(within(rows[0]).getByTestId("import-head-pick"));
    await vi.waitFor(() => expect(importCalls()).toHaveLength(3));
    expect(importCalls()[2].options.header_row).toBe(1);
  });

  it("shows the progress the channel reports and cancels through cancel_import", async () => {
    let fail: (error: unknown) => void = () => {};
    backend(
      (args) =>
        new Promise((_, reject) => {
          args.onProgress.onmessage({
            done: 2000,
            total: 5000,
            rows_per_second: 1250.4,
            eta_seconds: 2.4,
          });
          fail = reject;
        }),
    );
    await checkFile();
    await fireEvent.click(screen.getByTestId("import-commit"));

    const bar = await screen.findByTestId("import-progress-bar");
    expect(importCalls().at(-1)?.options.dry_run).toBe(false);
    expect(bar).toHaveAttribute("value", "2000");
    expect(bar).toHaveAttribute("max", "5000");
    const progress = screen.getByTestId("import-progress");
    expect(progress).toHaveTextContent("2,000 / 5,000");
    expect(progress).toHaveTextContent("1 秒あたり 1,250 行");
    expect(progress).toHaveTextContent("残り約 3 秒");

    await fireEvent.click(screen.getByTestId("import-cancel"));
    expect(core.invoke).toHaveBeenCalledWith("cancel_import", undefined);
    fail({ code: "cancelled", message: "the import was cancelled" });

    expect(await screen.findByText(/取り込みを中止しました/)).toBeInTheDocument();
    expect(screen.getByTestId("import-commit")).toBeEnabled();
    expect(screen.queryByTestId("import-result")).not.toBeInTheDocument();
  });

  it("reports the import and hands its list on", async () => {
    backend();
    const { oncontacts, onnext } = await checkFile();
    await fireEvent.click(screen.getByTestId("import-commit"));

    const result = await screen.findByTestId("import-result");
    expect(result).toHaveTextContent(
      "「顧客リスト」に取り込みました。新しく登録 3 件、内容を更新 1 件です。",
    );
    await fireEvent.click(screen.getByTestId("import-to-contacts"));
    expect(oncontacts).toHaveBeenCalledWith("顧客リスト");
    await fireEvent.click(screen.getByTestId("import-to-compose"));
    expect(onnext).toHaveBeenCalledWith("顧客リスト");
  });

  it("saves the problem rows where the user chose", async () => {
    backend();
    await checkFile();
    vi.mocked(dialog.save).mockResolvedValue("/home/u/直す行.csv");
    await fireEvent.click(screen.getByTestId("import-save-problems"));

    expect(await screen.findByText("保存しました: /home/u/直す行.csv")).toBeInTheDocument();
    const [, args] = core.invoke.mock.calls.find(([c]) => c === "save_problem_rows")!;
    expect(args.path).toBe("/home/u/直す行.csv");
    expect(args.report.invalid).toHaveLength(1);
  });
});
