import { Channel } from "@tauri-apps/api/core";
import type { Confirmation } from "../bindings/Confirmation";
import type { SendProgress } from "../bindings/SendProgress";
import type { SendSummary } from "../bindings/SendSummary";
import { call } from "./ipc";

/**
 * Sends a confirmed plan. Progress arrives on a channel while the command runs;
 * the handler is attached before the call so no early message is lost.
 */
export function sendPlan(
  planId: number,
  confirmation: Confirmation,
  onProgress: (progress: SendProgress) => void,
): Promise<SendSummary> {
  const channel = new Channel<SendProgress>(onProgress);
  return call("send_plan", { planId, confirmation, onProgress: channel });
}
