import type { Finding } from "../../lib/bindings/Finding";

/** How many of the recipients the warnings name get a sample of their own. */
export const WARNED_SHOWN = 20;

/**
 * Up to `count` recipients picked at random from between the first and the last, each at most
 * once: those two have samples of their own. `random` as Math.random, for tests.
 */
export function randomSample(
  addresses: string[],
  count: number,
  random: () => number = Math.random,
): string[] {
  const middle = addresses.slice(1, -1);
  const picked: string[] = [];
  while (picked.length < count && middle.length > 0) {
    const [address] = middle.splice(Math.floor(random() * middle.length), 1);
    picked.push(address);
  }
  return picked;
}

/**
 * Every recipient some warning names, each once, in the warnings' order: the first
 * `WARNED_SHOWN`, and how many more there are (the recipients list shows them all).
 */
export function warnedSample(warnings: Finding[]): { shown: string[]; rest: number } {
  const all = [...new Set(warnings.flatMap((w) => w.recipients))];
  return { shown: all.slice(0, WARNED_SHOWN), rest: Math.max(0, all.length - WARNED_SHOWN) };
}
