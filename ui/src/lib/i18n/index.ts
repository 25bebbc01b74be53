import { addMessages, init, locale } from "svelte-i18n";
import { en } from "./en";
import { ja } from "./ja";

export { _, locale, number } from "svelte-i18n";

export const LOCALES = ["ja", "en"] as const;
export type Locale = (typeof LOCALES)[number];

/** Language names are shown in their own language, whatever the current one is. */
export const LOCALE_NAMES: Record<Locale, string> = { ja: "日本語", en: "English" };

const STORAGE_KEY = "shisa.locale";

function isLocale(value: unknown): value is Locale {
  return LOCALES.includes(value as Locale);
}

function storedLocale(): Locale {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return isLocale(value) ? value : "ja";
  } catch {
    // Storage can be unavailable (private mode, tests); Japanese is the default anyway.
    return "ja";
  }
}

export function setLocale(value: Locale): void {
  locale.set(value);
  try {
    localStorage.setItem(STORAGE_KEY, value);
  } catch {
    // Not remembering the choice is acceptable; the switch itself still works.
  }
}

// Dictionaries are bundled (no loaders), so formatting works synchronously from the start.
addMessages("ja", ja);
addMessages("en", en);
void init({ fallbackLocale: "ja", initialLocale: storedLocale() });

locale.subscribe((value) => {
  if (value && typeof document !== "undefined") document.documentElement.lang = value;
});
