import type { Preferences } from "../bindings/Preferences";
import type { Settings } from "../bindings/Settings";
import type { SmtpSettings } from "../bindings/SmtpSettings";
import { call } from "./ipc";

export function getSettings(): Promise<Settings> {
  return call("get_settings");
}

/** `null` switches to practice mode: mail is written to the practice mailbox only. */
export function setSmtp(smtp: SmtpSettings | null): Promise<Settings> {
  return call("set_smtp", { smtp });
}

/** Stores the user's preferences with their data. */
export function setPreferences(preferences: Preferences): Promise<Settings> {
  return call("set_preferences", { preferences });
}

/** Opens the practice mailbox folder in the system file manager. */
export async function openPracticeMailbox(): Promise<void> {
  await call<null>("open_practice_mailbox");
}
