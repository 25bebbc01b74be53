import type { ContactRow } from "../bindings/ContactRow";
import type { ListSummary } from "../bindings/ListSummary";
import { call } from "./ipc";

export function listLists(): Promise<ListSummary[]> {
  return call("list_lists");
}

export function listContacts(list: string): Promise<ContactRow[]> {
  return call("list_contacts", { list });
}
