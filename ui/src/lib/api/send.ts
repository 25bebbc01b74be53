import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import type { Confirmation } from "../bindings/Confirmation";
import type { DeliveryRow } from "../bindings/DeliveryRow";
import type { Run } from "../bindings/Run";
import type { SendProgress } from "../bindings/SendProgress";
import type { SendSummary } from "../bindings/SendSummary";
import { call, toIpcError, type IpcError } from "./ipc";

export type { UnlistenFn };

/**
 * Starts a confirmed plan — now, or at `at` (RFC 3339) — and returns where it stands; the
 * sending itself goes on in the background and reports through the events below. The server
 * is tried first: when it cannot be reached or refuses the login, this rejects and nothing is
 * recorded.
 */
export function sendPlan(
  planId: number,
  confirmation: Confirmation,
  at: string | null,
): Promise<SendProgress> {
  return call("send_plan", { planId, confirmation, at });
}

/** Where a campaign's sending stands; rejects with `run_state` for a campaign never started. */
export function sendStatus(campaign: number): Promise<SendProgress> {
  return call("send_status", { campaign });
}

/** A run that is sending stops within a moment; the returned run may still say `sending`. */
export function pauseCampaign(campaign: number): Promise<Run> {
  return call("pause_campaign", { campaign });
}

/** Nothing more is sent; what was sent stays sent. */
export function cancelCampaign(campaign: number): Promise<Run> {
  return call("cancel_campaign", { campaign });
}

/** Continues a paused or interrupted campaign, or starts a scheduled one now. */
export function resumeCampaign(campaign: number): Promise<SendProgress> {
  return call("resume_campaign", { campaign });
}

/**
 * Sends again to the failed and deferred recipients; with `unknown`, also to those whose mail
 * may have arrived — only when the user is sure it did not.
 */
export function retryCampaign(campaign: number, unknown: boolean): Promise<SendProgress> {
  return call("retry_campaign", { campaign, unknown });
}

/** The failed, deferred and unknown recipients, with the server's words. */
export function problemRecipients(campaign: number): Promise<DeliveryRow[]> {
  return call("problem_recipients", { campaign });
}

/** Runs found waiting for the user's decision at start: missed schedules, interrupted sends. */
export function undecidedRuns(): Promise<Run[]> {
  return call("undecided_runs");
}

/** Progress of any campaign sending in the background, a few times a second. */
export function onSendProgress(handler: (progress: SendProgress) => void): Promise<UnlistenFn> {
  return listen<SendProgress>("send-progress", (event) => handler(event.payload));
}

/** A campaign finished, paused (asked to, or by its server) or was cancelled. */
export function onSendEnded(handler: (summary: SendSummary) => void): Promise<UnlistenFn> {
  return listen<SendSummary>("send-ended", (event) => handler(event.payload));
}

/** A background send stopped on an error; the plan id says whose. */
export function onSendFailed(
  handler: (planId: number, error: IpcError) => void,
): Promise<UnlistenFn> {
  return listen<[number, unknown]>("send-failed", (event) => {
    const [planId, error] = event.payload;
    handler(planId, toIpcError(error));
  });
}
