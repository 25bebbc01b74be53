import { SvelteSet } from "svelte/reactivity";
import type { AttachmentSummary } from "../../lib/bindings/AttachmentSummary";
import type { Confirmation } from "../../lib/bindings/Confirmation";
import type { DomainGroup } from "../../lib/bindings/DomainGroup";
import type { Plan } from "../../lib/bindings/Plan";
import type { Preflight } from "../../lib/bindings/Preflight";

/**
 * The rows of one list, each ticked by itself as the user points at it (指差喚呼). There is
 * no way to tick them all at once: ticking one is looking at that one. Rows are held as the
 * very objects of the list, so ticks never match the rows of a list loaded again.
 */
export class Ticks<T> {
  readonly items: readonly T[];
  readonly #ticked = new SvelteSet<T>();

  constructor(items: readonly T[]) {
    this.items = items;
  }

  has(item: T): boolean {
    return this.#ticked.has(item);
  }

  set(item: T, ticked: boolean): void {
    if (ticked) this.#ticked.add(item);
    else this.#ticked.delete(item);
  }

  get count(): number {
    return this.#ticked.size;
  }

  /** How many are still to tick. */
  get left(): number {
    return this.items.length - this.count;
  }

  /** In the list's order. */
  get ticked(): T[] {
    return this.items.filter((item) => this.#ticked.has(item));
  }

  /** Ticks the rows that were ticked in `earlier`, matched by `key`. */
  keep(earlier: Ticks<T>, key: (item: T) => string): void {
    // A lookup for this call only, not state.
    // eslint-disable-next-line svelte/prefer-svelte-reactivity
    const ticked = new Set(earlier.ticked.map(key));
    for (const item of this.items) if (ticked.has(key(item))) this.#ticked.add(item);
  }
}

/** The parts of a plan that say how and when it goes out, not what goes out to whom. */
const ROUTE = new Set(["id", "digest", "route"]);

/** The mails of a plan, in a form to compare: everything but its route and its names. */
function mailsOf(plan: Plan): string {
  return JSON.stringify(plan, function (this: unknown, key: string, value: unknown) {
    return this === plan && ROUTE.has(key) ? undefined : value;
  });
}

/**
 * Whether two plans send the very same mails to the very same recipients, and differ at most
 * in how or when they go out.
 */
export function sameMails(a: Plan, b: Plan): boolean {
  return mailsOf(a) === mailsOf(b);
}

/**
 * A count as typed. A Japanese input method easily types full-width digits and commas: NFKC
 * makes them plain. Commas are taken only as thousands separators, so that "12,00" is a typo
 * to fix rather than a number to guess.
 */
export function typedCount(text: string): number | null {
  const typed = text.normalize("NFKC").trim();
  if (!/^(\d+|\d{1,3}(,\d{3})+)$/.test(typed)) return null;
  return Number(typed.replaceAll(",", ""));
}

/** What still stands before the send, in the order the page asks for it. */
export type Missing =
  | { kind: "domains"; count: number }
  | { kind: "files"; count: number }
  | { kind: "count" }
  | { kind: "wrongCount" };

/**
 * The user's point and call over one plan and its checks: every domain group and every file
 * ticked one by one, and the number of recipients typed. One is made for each plan and checks
 * loaded, so nothing ticked or typed for an earlier one carries over.
 */
export class Acknowledgement {
  readonly domains: Ticks<DomainGroup>;
  readonly files: Ticks<AttachmentSummary>;
  /** The number of recipients, as typed. */
  typed = $state("");
  readonly recipients: number;
  readonly #digest: string;

  constructor(plan: Plan, preflight: Preflight) {
    this.domains = new Ticks(preflight.groups);
    this.files = new Ticks(preflight.attachments);
    this.recipients = plan.recipients.length;
    this.#digest = plan.digest;
  }

  /**
   * For a plan frozen again with another start time: what was ticked and typed for `earlier`
   * stands, as long as the mails and their recipients are the very same (`sameMails`) — else
   * everything is to be checked anew.
   */
  static after(
    earlier: Acknowledgement | null,
    before: Plan | null,
    plan: Plan,
    preflight: Preflight,
  ): Acknowledgement {
    const next = new Acknowledgement(plan, preflight);
    if (earlier && before && sameMails(before, plan)) {
      next.domains.keep(earlier.domains, (group) => `${group.domain}\n${group.count}`);
      next.files.keep(earlier.files, (file) => `${file.sha256}\n${file.recipients}`);
      next.typed = earlier.typed;
    }
    return next;
  }

  get missing(): Missing[] {
    const missing: Missing[] = [];
    if (this.domains.left > 0) missing.push({ kind: "domains", count: this.domains.left });
    if (this.files.left > 0) missing.push({ kind: "files", count: this.files.left });
    if (this.typed.trim() === "") missing.push({ kind: "count" });
    else if (typedCount(this.typed) !== this.recipients) missing.push({ kind: "wrongCount" });
    return missing;
  }

  /**
   * What the backend checks before it sends, once nothing is missing: the plan's digest, each
   * domain and each file's sha256 as ticked, and the count as typed.
   */
  get confirmation(): Confirmation | null {
    const count = typedCount(this.typed);
    if (count === null || this.missing.length > 0) return null;
    return {
      digest: this.#digest,
      domains: this.domains.ticked.map((group) => group.domain),
      attachments: this.files.ticked.map((file) => file.sha256),
      count,
    };
  }
}
