import type { Plan } from "../bindings/Plan";
import { call } from "./ipc";

/** Freezes the campaign into a send plan that the user then confirms. */
export function reviewCampaign(campaign: number): Promise<Plan> {
  return call("review_campaign", { campaign });
}
