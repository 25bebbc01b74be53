import type { Contact } from "../bindings/Contact";
import type { ContactEdit } from "../bindings/ContactEdit";
import type { ContactPage } from "../bindings/ContactPage";
import type { ContactQuery } from "../bindings/ContactQuery";
import type { ContactRow } from "../bindings/ContactRow";
import type { ExportOptions } from "../bindings/ExportOptions";
import type { ListSummary } from "../bindings/ListSummary";
import type { Suppression } from "../bindings/Suppression";
import type { SuppressionReason } from "../bindings/SuppressionReason";
import type { TagSummary } from "../bindings/TagSummary";
import { call } from "./ipc";

export function listLists(): Promise<ListSummary[]> {
  return call("list_lists");
}

export function listContacts(list: string): Promise<ContactRow[]> {
  return call("list_contacts", { list });
}

/** One page of the contacts table, with how many match in all. */
export function queryContacts(query: ContactQuery): Promise<ContactPage> {
  return call("query_contacts", { query });
}

/** Replaces every field of a contact; returns it as stored. */
export function updateContact(id: number, edit: ContactEdit): Promise<Contact> {
  return call("update_contact", { id, edit });
}

/** Moves contacts to the trash; returns how many moved. */
export function trashContacts(ids: number[]): Promise<number> {
  return call("trash_contacts", { ids });
}

export function restoreContacts(ids: number[]): Promise<number> {
  return call("restore_contacts", { ids });
}

/** Deletes every contact in the trash for good; returns how many. */
export function emptyTrash(): Promise<number> {
  return call("empty_trash");
}

export function tagContacts(ids: number[], tag: string): Promise<number> {
  return call("tag_contacts", { ids, tag });
}

export function untagContacts(ids: number[], tag: string): Promise<number> {
  return call("untag_contacts", { ids, tag });
}

export function listTags(): Promise<TagSummary[]> {
  return call("list_tags");
}

export function createList(name: string): Promise<ListSummary> {
  return call("create_list", { name });
}

export function renameList(name: string, newName: string): Promise<ListSummary> {
  return call("rename_list", { name, newName });
}

export async function deleteList(name: string): Promise<void> {
  await call<null>("delete_list", { name });
}

/** Adds contacts to an existing list; returns how many were not members yet. */
export function addListMembers(list: string, ids: number[]): Promise<number> {
  return call("add_list_members", { list, ids });
}

/** Takes contacts out of a list, not out of the address book; returns how many were members. */
export function removeListMembers(list: string, ids: number[]): Promise<number> {
  return call("remove_list_members", { list, ids });
}

/** Puts addresses on the suppression list; returns how many were not on it yet. */
export function suppressAddresses(
  addresses: string[],
  reason: SuppressionReason,
  note: string | null,
): Promise<number> {
  return call("suppress_addresses", { addresses, reason, note });
}

export function unsuppressAddresses(addresses: string[]): Promise<number> {
  return call("unsuppress_addresses", { addresses });
}

export function listSuppressions(): Promise<Suppression[]> {
  return call("list_suppressions");
}

/** Writes every contact the query matches to `path`; returns how many were written. */
export function exportContacts(
  query: ContactQuery,
  path: string,
  options: ExportOptions,
): Promise<number> {
  return call("export_contacts", { query, path, options });
}
