/** When to send, as the user chose it: now, or at a date and time of a datetime-local input. */
export type Schedule = { later: boolean; local: string };

export type Start = { ok: true; at: string | null } | { ok: false; problem: "missing" | "past" };

/** The start the backend is given: `null` for now, else an RFC 3339 time in the future. */
export function startOf(schedule: Schedule, now: number): Start {
  if (!schedule.later) return { ok: true, at: null };
  // A datetime-local value has no zone; Date reads it as local time, which is what was meant.
  const time = new Date(schedule.local).getTime();
  if (schedule.local === "" || Number.isNaN(time)) return { ok: false, problem: "missing" };
  if (time <= now) return { ok: false, problem: "past" };
  return { ok: true, at: new Date(time).toISOString() };
}

/** Whether two starts (RFC 3339, `null`: now) are the same moment, to the second. */
export function sameMoment(a: string | null, b: string | null): boolean {
  if (a === null || b === null) return a === b;
  return Math.floor(Date.parse(a) / 1000) === Math.floor(Date.parse(b) / 1000);
}

/** A time as a datetime-local input writes it: local, to the minute. */
export function localInput(time: number): string {
  const date = new Date(time);
  const pad = (n: number) => String(n).padStart(2, "0");
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}`
  );
}

/**
 * When a confirmed send starts: at the chosen time; or, sent now, after the hold (送信保留)
 * when there is one — a start a moment ahead, which one click can still cancel with nothing
 * sent. `held` tells the Send view which of the two a scheduled run is.
 */
export function launchOf(
  at: string | null,
  holdSeconds: number,
  now: number,
): { at: string | null; held: boolean } {
  if (at !== null || holdSeconds <= 0) return { at, held: false };
  return { at: new Date(now + holdSeconds * 1000).toISOString(), held: true };
}
