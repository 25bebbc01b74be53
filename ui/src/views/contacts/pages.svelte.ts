import { untrack } from "svelte";
import { SvelteMap } from "svelte/reactivity";
import { queryContacts } from "../../lib/api/contacts";
import { toIpcError, type IpcError } from "../../lib/api/ipc";
import type { Contact } from "../../lib/bindings/Contact";
import type { ContactQuery } from "../../lib/bindings/ContactQuery";

/** What the table shows, without the paging that the table itself takes care of. */
export type ContactFilter = Omit<ContactQuery, "offset" | "limit">;

/** Rows fetched per request: a few screens' worth, so scrolling rarely waits. */
export const PAGE_SIZE = 100;

export function defaultFilter(list: string | null): ContactFilter {
  return {
    search: null,
    list,
    tag: null,
    status: "all",
    sort: "address",
    descending: false,
  };
}

/**
 * The contacts matching a filter, fetched a page at a time as the table scrolls to them, so
 * that 100,000 contacts cost no more than the few pages on screen.
 */
export class ContactPages {
  filter = $state<ContactFilter>(defaultFilter(null));
  /** How many contacts match; `null` until the first page arrives. */
  total = $state<number | null>(null);
  error = $state<IpcError | null>(null);
  // Pages hold plain rows: a deep proxy of every contact would cost more than it gives.
  #pages = new SvelteMap<number, Contact[]>();
  // Bookkeeping only, nothing renders from it, so it need not be reactive.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #pending = new Set<number>();
  // Bumped on every change of filter so that answers to an older filter are dropped.
  #generation = 0;

  constructor(filter: ContactFilter) {
    this.filter = filter;
    this.#reset();
  }

  /** Shows another filter, from the first page. */
  setFilter(change: Partial<ContactFilter>): void {
    this.filter = { ...this.filter, ...change };
    this.total = null;
    this.#reset();
  }

  /** Fetches again what is on screen, after a change made to the contacts. */
  refresh(): void {
    this.#reset();
  }

  /** The contact at a row, or `undefined` while its page is on its way. */
  rowAt(index: number): Contact | undefined {
    return this.#pages.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE];
  }

  /**
   * Makes sure the pages holding rows `first` to `last` are fetched or on their way. Called
   * from an effect: it re-runs when a page arrives or goes, not when the filter is read.
   */
  ensure(first: number, last: number): void {
    for (let page = Math.floor(first / PAGE_SIZE); page <= Math.floor(last / PAGE_SIZE); page++) {
      if (!this.#pages.has(page) && !this.#pending.has(page)) untrack(() => void this.#load(page));
    }
  }

  /** Puts an edited contact in place of the one with its id, wherever it is loaded. */
  replace(contact: Contact): void {
    for (const [page, rows] of this.#pages) {
      const index = rows.findIndex((c) => c.id === contact.id);
      if (index >= 0)
        this.#pages.set(
          page,
          rows.map((c) => (c.id === contact.id ? contact : c)),
        );
    }
  }

  #reset(): void {
    this.#generation++;
    this.#pending.clear();
    this.#pages.clear();
    this.error = null;
    void this.#load(0);
  }

  async #load(page: number): Promise<void> {
    const generation = this.#generation;
    this.#pending.add(page);
    try {
      const result = await queryContacts({
        ...this.filter,
        offset: page * PAGE_SIZE,
        limit: PAGE_SIZE,
      });
      if (generation !== this.#generation) return;
      this.total = result.total;
      this.#pages.set(page, result.rows);
    } catch (e) {
      if (generation === this.#generation) this.error = toIpcError(e);
    } finally {
      if (generation === this.#generation) this.#pending.delete(page);
    }
  }
}
