import type { ImportColumn } from "../../lib/bindings/ImportColumn";
import type { ImportField } from "../../lib/bindings/ImportField";
import type { InvalidAddress } from "../../lib/bindings/InvalidAddress";
import type { PreviewRow } from "../../lib/bindings/PreviewRow";

/** The standard fields in the order the mapping select offers them. */
export const IMPORT_FIELDS: ImportField[] = [
  "email",
  "name",
  "last_name",
  "first_name",
  "kana",
  "company",
  "department",
  "job_title",
  "phone",
];

type StandardField = Exclude<ImportField, "email">;

/** A column of the preview: a standard field, or a custom field named by its header. */
export type PreviewColumn =
  { kind: "email" } | { kind: "field"; field: StandardField } | { kind: "custom"; header: string };

/** What a column puts into one previewed contact. */
export function valueOf(column: PreviewColumn, row: PreviewRow): string {
  if (column.kind === "email") return row.address;
  if (column.kind === "custom") return row.contact.fields[column.header] ?? "";
  return row.contact[column.field] ?? "";
}

/** The preview column a file column fills. */
export function previewColumnOf(column: ImportColumn): PreviewColumn {
  if (column.field === "email") return { kind: "email" };
  if (column.field) return { kind: "field", field: column.field };
  return { kind: "custom", header: column.header };
}

/**
 * The preview's columns: the address first, then the file's columns in their order. A name
 * the backend joins from 姓 and 名 gets a column of its own, since no file column holds it.
 */
export function previewColumns(columns: ImportColumn[], rows: PreviewRow[]): PreviewColumn[] {
  const mapped = columns.filter((c) => c.field !== "email").map(previewColumnOf);
  const joinedName =
    !columns.some((c) => c.field === "name") && rows.some((r) => r.contact.name !== null);
  return [
    { kind: "email" },
    ...(joinedName ? [{ kind: "field", field: "name" } as const] : []),
    ...mapped,
  ];
}

/** The translated message for each reason the backend gives for an invalid row. */
const REASONS: Record<InvalidAddress, string> = {
  empty: "empty",
  no_at: "noAt",
  no_local: "noLocal",
  no_domain: "noDomain",
  space: "space",
  no_dot: "noDot",
  malformed: "invalid",
};

/** The i18n key for why a row's address is invalid. */
export function reasonKey(reason: InvalidAddress): string {
  return `import.reasons.${REASONS[reason]}`;
}

export const REASON_KEYS = Object.values(REASONS).map((k) => `import.reasons.${k}`);
