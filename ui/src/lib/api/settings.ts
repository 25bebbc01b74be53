import type { AccountForm } from "../bindings/AccountForm";
import type { Estimate } from "../bindings/Estimate";
import type { Preferences } from "../bindings/Preferences";
import type { Preset } from "../bindings/Preset";
import type { Settings } from "../bindings/Settings";
import type { StepReport } from "../bindings/StepReport";
import { call } from "./ipc";

export function getSettings(): Promise<Settings> {
  return call("get_settings");
}

/**
 * Stores the user's preferences with their data, among them the account mail goes out
 * through: `account: null` is practice mode, mail is written to the practice mailbox only.
 */
export function setPreferences(preferences: Preferences): Promise<Settings> {
  return call("set_preferences", { preferences });
}

/**
 * Saves an account, its password into the system keychain, and uses it from now on.
 * `password: null` keeps the password saved before.
 */
export function saveAccount(form: AccountForm): Promise<Settings> {
  return call("save_account", { form });
}

/** Deletes an account and its password; practice mode if it was the one in use. */
export function deleteAccount(name: string): Promise<Settings> {
  return call("delete_account", { name });
}

/**
 * Connects and logs in with the account as written in the form (the saved password when the
 * form has none). The steps run in order and stop at the first one that fails.
 */
export function testAccount(form: AccountForm): Promise<StepReport[]> {
  return call("test_account", { form });
}

/** The providers' published limits to start an account from. */
export function listPresets(): Promise<Preset[]> {
  return call("list_presets");
}

/** How long sending `count` mails takes through the account in use, and when it ends. */
export function estimateSend(count: number): Promise<Estimate> {
  return call("estimate_send", { count });
}

/** Opens the practice mailbox folder in the system file manager. */
export async function openPracticeMailbox(): Promise<void> {
  await call<null>("open_practice_mailbox");
}
