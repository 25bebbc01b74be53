/**
 * Seconds left, extrapolated from the average time per finished item so far.
 * `null` while there is nothing to extrapolate from, or nothing left.
 */
export function etaSeconds(
  startedAt: number,
  now: number,
  done: number,
  total: number,
): number | null {
  if (done <= 0 || done >= total) return null;
  const perItem = (now - startedAt) / done;
  return Math.max(1, Math.ceil((perItem * (total - done)) / 1000));
}

/** Shows a backend timestamp in the user's language; unknown formats are shown as they are. */
export function formatDateTime(value: string, locale: string): string {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return date.toLocaleString(locale, { dateStyle: "medium", timeStyle: "short" });
}

/** A backend timestamp as a date only, where the time of day would be noise. */
export function formatDate(value: string, locale: string): string {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return date.toLocaleDateString(locale, { dateStyle: "medium" });
}

export function domainOf(address: string): string {
  const at = address.lastIndexOf("@");
  return at < 0 ? address : address.slice(at + 1).toLowerCase();
}
