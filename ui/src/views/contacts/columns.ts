import type { Contact } from "../../lib/bindings/Contact";
import type { ContactEdit } from "../../lib/bindings/ContactEdit";
import type { ContactSort } from "../../lib/bindings/ContactSort";

/** The fields the table shows and edits in place. */
export type EditableField = "address" | "name" | "kana" | "company";

/** One column of the contacts table: what it shows, what it sorts by, and its share of width. */
export type Column = {
  key: EditableField | "lists" | "status" | "updated_at";
  sort: ContactSort | null;
  width: string;
};

export const COLUMNS: Column[] = [
  { key: "address", sort: "address", width: "minmax(10.5rem, 1.5fr)" },
  { key: "name", sort: "name", width: "minmax(6.5rem, 1fr)" },
  { key: "kana", sort: "kana", width: "minmax(6.5rem, 1fr)" },
  { key: "company", sort: "company", width: "minmax(7rem, 1.2fr)" },
  { key: "lists", sort: null, width: "minmax(7.5rem, 1.3fr)" },
  { key: "status", sort: null, width: "9.5rem" },
  { key: "updated_at", sort: "updated_at", width: "6.5rem" },
];

/** The whole contact as an edit with one field changed: the backend replaces every field. */
export function editWith(contact: Contact, field: EditableField, value: string): ContactEdit {
  const edit: ContactEdit = {
    address: contact.address,
    name: contact.name,
    last_name: contact.last_name,
    first_name: contact.first_name,
    kana: contact.kana,
    company: contact.company,
    department: contact.department,
    job_title: contact.job_title,
    phone: contact.phone,
    fields: contact.fields,
  };
  if (field === "address") edit.address = value.trim();
  else edit[field] = value.trim() === "" ? null : value.trim();
  return edit;
}
