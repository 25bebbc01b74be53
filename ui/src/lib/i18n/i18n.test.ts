import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { getMessageFormatter } from "svelte-i18n";
import { describe, expect, it } from "vitest";
import { en } from "./en";
import { ja } from "./ja";
import { ERROR_CODES } from "../api/ipc";
import { COLUMNS } from "../../views/contacts/columns";
import { SUPPRESSION_REASONS } from "../../views/contacts/suppression";
import { FINDING_KINDS } from "../../views/review/findings";
import { IMPORT_FIELDS, REASON_KEYS } from "../../views/import/fields";
import { CONNECT_STEPS, LIMIT_FIELDS, PROBLEMS, WINDOW_UNITS } from "../../views/settings/account";

type Tree = { [key: string]: string | Tree };

function flatten(tree: Tree, prefix = ""): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === "string") out[path] = value;
    else Object.assign(out, flatten(value, path));
  }
  return out;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(svelte|ts)$/.test(name) && !name.endsWith(".test.ts") ? [path] : [];
  });
}

const jaFlat = flatten(ja);
const enFlat = flatten(en);

describe("dictionaries", () => {
  it("have identical key sets", () => {
    expect(Object.keys(enFlat).sort()).toEqual(Object.keys(jaFlat).sort());
  });

  it("have no empty messages", () => {
    for (const [key, text] of [...Object.entries(jaFlat), ...Object.entries(enFlat)]) {
      expect(text.trim(), key).not.toBe("");
    }
  });

  it("hold only valid ICU messages", () => {
    for (const [key, text] of Object.entries(jaFlat)) {
      expect(() => getMessageFormatter(text, "ja"), key).not.toThrow();
    }
    for (const [key, text] of Object.entries(enFlat)) {
      expect(() => getMessageFormatter(text, "en"), key).not.toThrow();
    }
  });

  it("write counts with thousands separators", () => {
    const total = (messages: Record<string, string>, locale: string) =>
      getMessageFormatter(messages["contacts.total"], locale).format({ count: 100000 });
    expect(total(jaFlat, "ja")).toBe("100,000 件");
    expect(total(enFlat, "en")).toBe("100,000 contacts");
  });

  it("contain every key the source code asks for literally", () => {
    const root = join(__dirname, "..", "..");
    const used = new Set<string>();
    for (const file of sourceFiles(root)) {
      for (const match of readFileSync(file, "utf8").matchAll(/\$_\(\s*"([\w.]+)"/g)) {
        used.add(match[1]);
      }
    }
    expect(used.size).toBeGreaterThan(50);
    const missing = [...used].filter((key) => !(key in jaFlat));
    expect(missing).toEqual([]);
  });

  it("cover every key built at run time", () => {
    const dynamic = [
      ...["import", "compose", "review", "send", "history"].map((s) => `steps.${s}`),
      ...["queued", "sending", "sent", "deferred", "failed", "unknown"].map((s) => `state.${s}`),
      ...ERROR_CODES.map((c) => `errors.${c}`),
      ...[...IMPORT_FIELDS, "custom"].map((f) => `import.fields.${f}`),
      ...["upsert", "add", "update"].flatMap((m) => [`import.modes.${m}`, `import.modeHints.${m}`]),
      ...["choose", "check", "importing"].map((s) => `import.stages.${s}`),
      ...["typo_domain", "legacy_carrier", "role"].map((k) => `import.warningKinds.${k}`),
      ...REASON_KEYS,
      ...COLUMNS.map((c) => `contacts.columns.${c.key}`),
      ...["all", "active", "suppressed", "trash"].map((s) => `contacts.statusFilters.${s}`),
      ...["active", "suppressed", "trash"].map((s) => `contacts.statuses.${s}`),
      ...["csv-utf8", "csv-cp932", "xlsx"].map((f) => `contacts.exportFormats.${f}`),
      ...SUPPRESSION_REASONS.map((r) => `suppression.reasons.${r}`),
      ...["trashed", "restored", "tagged", "untagged", "listed", "unlisted", "suppressed"].map(
        (k) => `contacts.${k}`,
      ),
      ...["emptied", "exported", "renamed", "listDeleted"].map((k) => `contacts.${k}`),
      ...["tag", "list"].flatMap((k) => ["Name", "Add", "Remove"].map((a) => `contacts.${k}${a}`)),
      ...["added", "removed"].map((k) => `suppression.${k}`),
      ...WINDOW_UNITS.map((u) => `settings.window.${u.unit}`),
      ...CONNECT_STEPS.flatMap((s) => [`settings.steps.${s}`, `settings.stepHints.${s}`]),
      ...PROBLEMS.map((p) => `settings.problems.${p}`),
      ...LIMIT_FIELDS.map((f) => `settings.${f}`),
      ...FINDING_KINDS.map((k) => `review.findings.${k}`),
    ];
    expect(dynamic.filter((key) => !(key in jaFlat))).toEqual([]);
  });
});
