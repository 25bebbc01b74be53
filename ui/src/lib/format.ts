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

/** Month, day and time of day, without the year: when a schedule starts, for example. */
export function formatMoment(value: string | Date, locale: string): string {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return String(value);
  return date.toLocaleString(locale, {
    month: "long",
    day: "numeric",
    hour: "numeric",
    minute: "2-digit",
  });
}

/** A time soon to come: the time of day alone when it falls today, else with its date. */
export function formatSoon(value: string | Date, locale: string, now = new Date()): string {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return String(value);
  if (date.toDateString() !== now.toDateString()) return formatMoment(date, locale);
  return date.toLocaleTimeString(locale, { hour: "numeric", minute: "2-digit" });
}

export function domainOf(address: string): string {
  const at = address.lastIndexOf("@");
  return at < 0 ? address : address.slice(at + 1).toLowerCase();
}

const KB = 1024;
const MB = 1024 * KB;

/**
 * A file's size as Explorer shows it: whole KB, rounded up so that only an empty file reads
 * "0 KB", or MB to one decimal from 1 MB on.
 */
export function formatSize(bytes: number, locale: string): string {
  if (bytes < MB) {
    const kb = Math.ceil(bytes / KB);
    return `${kb.toLocaleString(locale)} KB`;
  }
  const mb = (bytes / MB).toLocaleString(locale, { maximumFractionDigits: 1 });
  return `${mb} MB`;
}
