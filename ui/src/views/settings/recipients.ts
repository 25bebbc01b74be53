/** A list typed one entry per line, tidied for saving, and the lines that could not be read. */
export type TypedList = { entries: string[]; invalid: string[] };

// Dot-separated labels, at least two: "example.co.jp", not "localhost" or "example..jp".
const DOMAIN = /^[^\s@.]+(\.[^\s@.]+)+$/;
const ADDRESS = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;

/** The entry a line stands for, or null when it is neither a domain nor (if allowed) an address. */
function entryOf(line: string, addresses: boolean): string | null {
  // A Japanese input method easily types full-width letters, "＠" and "．": NFKC makes them
  // ASCII. The backend compares without regard to case, so lowercase also makes repeats equal.
  // "@example.jp" is written as a domain of addresses: it means the domain.
  const entry = line.normalize("NFKC").replace(/^@/, "").toLowerCase();
  if (DOMAIN.test(entry)) return entry;
  return addresses && ADDRESS.test(entry) ? entry : null;
}

/**
 * Reads domains, one per line, and with `addresses` also mail addresses (a line with "@").
 * Blank lines and repeats are dropped; invalid lines are given as typed, each once.
 */
export function readList(text: string, addresses: boolean): TypedList {
  const entries = new Set<string>();
  const invalid = new Set<string>();
  for (const line of text.split("\n").map((l) => l.trim())) {
    if (line === "") continue;
    const entry = entryOf(line, addresses);
    if (entry === null) invalid.add(line);
    else entries.add(entry);
  }
  return { entries: [...entries], invalid: [...invalid] };
}
