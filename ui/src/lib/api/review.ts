import type { MailPreview } from "../bindings/MailPreview";
import type { Plan } from "../bindings/Plan";
import type { Preflight } from "../bindings/Preflight";
import { call } from "./ipc";

/**
 * Freezes the campaign into the send plan the user then confirms: through the account in use,
 * now (`at` null) or at `at` (RFC 3339).
 */
export function reviewCampaign(campaign: number, at: string | null): Promise<Plan> {
  return call("review_campaign", { campaign, at });
}

/** One recipient's mail of the plan exactly as it will be sent; `null`: the first recipient. */
export function previewPlan(planId: number, address: string | null): Promise<MailPreview> {
  return call("preview_plan", { planId, address });
}

/**
 * What is unusual about a reviewed plan: its recipients by domain (unusual ones first), its
 * files and who gets each, the warnings, and the blockers that make it impossible to send.
 */
export function checkPlan(planId: number): Promise<Preflight> {
  return call("check_plan", { planId });
}
