import type { CampaignSummary } from "../bindings/CampaignSummary";
import type { NewCampaign } from "../bindings/NewCampaign";
import { call } from "./ipc";

/** Checks the draft against its list and saves it as a campaign; says what it found. */
export function createCampaign(draft: NewCampaign): Promise<CampaignSummary> {
  return call("create_campaign", { draft });
}
