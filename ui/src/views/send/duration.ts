import type { Readable } from "svelte/store";
import type { _ } from "../../lib/i18n";

type Translate = typeof _ extends Readable<infer F> ? F : never;

/**
 * A duration the way people say it — "3 時間 20 分" rather than "200 分", "2 日 5 時間" for a
 * campaign the account's limits spread over days. Rounded up: an estimate that ends early is
 * a pleasant surprise, one that overruns is not.
 */
export function durationText(t: Translate, seconds: number): string {
  if (seconds < 60) {
    return t("send.duration.seconds", { values: { n: Math.max(1, Math.ceil(seconds)) } });
  }
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 60) return t("send.duration.minutes", { values: { n: minutes } });
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return t("send.duration.hours", { values: { h: hours, m: minutes % 60 } });
  return t("send.duration.days", { values: { d: Math.floor(hours / 24), h: hours % 24 } });
}
