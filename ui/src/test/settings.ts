import type { Settings } from "../lib/bindings/Settings";

/** Settings as a fresh install has them, with no hold: practice mode, nothing configured. */
export const PRACTICE_SETTINGS: Settings = {
  accounts: [],
  practice_mailbox: "/home/u/practice",
  preferences: {
    large_message_mb: 10,
    account: null,
    own_domains: [],
    blocked: [],
    hold_seconds: 0,
  },
};
