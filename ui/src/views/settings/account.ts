import type { Account } from "../../lib/bindings/Account";
import type { AccountForm } from "../../lib/bindings/AccountForm";
import type { ConnectStep } from "../../lib/bindings/ConnectStep";
import type { LimitWindow } from "../../lib/bindings/LimitWindow";
import type { Preset } from "../../lib/bindings/Preset";
import type { SmtpSecurity } from "../../lib/bindings/SmtpSecurity";

/** The steps of a connection test, in the order the backend runs them. */
export const CONNECT_STEPS: ConnectStep[] = ["dns", "tcp", "tls", "auth"];

const MINUTE = 60;
const HOUR = 3600;
const DAY = 86_400;

/** Units a limit window is told in, largest first: 86,400 s is "1 day", 900 s "15 minutes". */
export const WINDOW_UNITS = [
  { unit: "days", seconds: DAY },
  { unit: "hours", seconds: HOUR },
  { unit: "minutes", seconds: MINUTE },
  { unit: "seconds", seconds: 1 },
] as const;

export type WindowUnit = (typeof WINDOW_UNITS)[number]["unit"];

/** A window as "`count` `unit`", in the largest unit that divides it evenly. */
export function windowSpan(seconds: number): { unit: WindowUnit; count: number } {
  const { unit, seconds: size } = WINDOW_UNITS.find((u) => seconds % u.seconds === 0)!;
  return { unit, count: seconds / size };
}

export const DEFAULT_PORT: Record<SmtpSecurity, number> = { starttls: 587, tls: 465, insecure: 25 };

/** Limits.default() in the backend: no windows, four connections. */
const DEFAULT_CONNECTIONS = 4;
export const MAX_CONNECTIONS = 32;
/** A window's `max` is a u32 in the backend. */
const MAX_U32 = 4_294_967_295;

/**
 * The account form as the user fills it in: text fields as typed, numbers `null` while empty.
 * The form edits the per-minute, per-hour and per-day limits; a preset's other windows (per 15
 * minutes, per second) are kept in `otherWindows` as they came.
 */
export type Draft = {
  preset: string | null;
  name: string;
  host: string;
  port: number | null;
  security: SmtpSecurity;
  user: string;
  password: string;
  from: string;
  perMinute: number | null;
  perHour: number | null;
  perDay: number | null;
  otherWindows: LimitWindow[];
  connections: number | null;
};

type LimitFields = Pick<Draft, "perMinute" | "perHour" | "perDay" | "otherWindows">;

type LimitField = keyof Omit<LimitFields, "otherWindows">;

const EDITED: [LimitField, number][] = [
  ["perMinute", MINUTE],
  ["perHour", HOUR],
  ["perDay", DAY],
];

/** The windows the form has a field of its own for, shortest first. */
export const LIMIT_FIELDS: LimitField[] = EDITED.map(([field]) => field);

function limitFields(windows: LimitWindow[]): LimitFields {
  const per = (seconds: number) => windows.find((w) => w.seconds === seconds)?.max ?? null;
  return {
    perMinute: per(MINUTE),
    perHour: per(HOUR),
    perDay: per(DAY),
    otherWindows: windows.filter((w) => !EDITED.some(([, seconds]) => seconds === w.seconds)),
  };
}

export function newDraft(): Draft {
  return {
    preset: null,
    name: "",
    host: "",
    port: DEFAULT_PORT.starttls,
    security: "starttls",
    user: "",
    password: "",
    from: "",
    ...limitFields([]),
    connections: DEFAULT_CONNECTIONS,
  };
}

/** A saved account to edit; its password stays in the keychain unless a new one is typed. */
export function draftOf(account: Account): Draft {
  return {
    preset: account.preset,
    name: account.name,
    host: account.host,
    port: account.port,
    security: account.security,
    user: account.user ?? "",
    password: "",
    from: account.from ?? "",
    ...limitFields(account.limits.windows),
    connections: account.limits.connections,
  };
}

/**
 * Starts from a provider's preset: its limits, and its server where the provider has one for
 * everybody. Port 465 is implicit TLS everywhere; the providers' other ports use STARTTLS.
 * `null` ("other") leaves everything as it is, for the user to fill in.
 */
export function withPreset(draft: Draft, preset: Preset | null): Draft {
  if (!preset) return { ...draft, preset: null };
  const server =
    preset.host !== null && preset.port !== null
      ? {
          host: preset.host,
          port: preset.port,
          security: preset.port === DEFAULT_PORT.tls ? ("tls" as const) : ("starttls" as const),
        }
      : {};
  return {
    ...draft,
    ...server,
    ...limitFields(preset.limits.windows),
    preset: preset.key,
    name: draft.name.trim() === "" ? preset.name : draft.name,
    connections: preset.limits.connections,
  };
}

/** Follows the encryption with its usual port, unless the user typed another port. */
export function withSecurity(draft: Draft, security: SmtpSecurity): Draft {
  const port = draft.port === DEFAULT_PORT[draft.security] ? DEFAULT_PORT[security] : draft.port;
  return { ...draft, security, port };
}

function optional(text: string): string | null {
  const trimmed = text.trim();
  return trimmed === "" ? null : trimmed;
}

/** What is sent to the backend; an empty password keeps the saved one. */
export function formOf(draft: Draft): AccountForm {
  const windows = [
    ...draft.otherWindows,
    ...EDITED.flatMap(([field, seconds]) => {
      const max = draft[field];
      return max ? [{ seconds, max }] : [];
    }),
  ].sort((a, b) => a.seconds - b.seconds);
  return {
    name: draft.name.trim(),
    host: draft.host.trim(),
    port: draft.port ?? 0,
    security: draft.security,
    user: optional(draft.user),
    password: draft.password === "" ? null : draft.password,
    from: optional(draft.from),
    preset: draft.preset,
    limits: { windows, connections: draft.connections ?? 0 },
  };
}

/** Each has a message under `settings.problems`. */
export const PROBLEMS = ["name", "nameTaken", "host", "port", "limits", "connections"] as const;
export type Problem = (typeof PROBLEMS)[number];

function inRange(value: number | null, min: number, max: number): boolean {
  return value !== null && Number.isInteger(value) && value >= min && value <= max;
}

function failing(checks: [Problem, boolean][]): Problem[] {
  return checks.filter(([, failed]) => failed).map(([problem]) => problem);
}

/** What keeps the server from being reached at all: all a connection test needs. */
export function connectionProblems(draft: Draft): Problem[] {
  return failing([
    ["host", draft.host.trim() === ""],
    ["port", !inRange(draft.port, 1, 65_535)],
  ]);
}

/**
 * What the backend would refuse, or what would silently replace another account: `taken` are
 * the names of the other saved accounts. An empty limit is no limit.
 */
export function problems(draft: Draft, taken: string[]): Problem[] {
  const name = draft.name.trim();
  const badLimit = EDITED.some(([field]) => {
    const max = draft[field];
    return max !== null && !inRange(max, 1, MAX_U32);
  });
  return [
    ...failing([
      ["name", name === ""],
      ["nameTaken", taken.includes(name)],
    ]),
    ...connectionProblems(draft),
    ...failing([
      ["limits", badLimit],
      ["connections", !inRange(draft.connections, 1, MAX_CONNECTIONS)],
    ]),
  ];
}
