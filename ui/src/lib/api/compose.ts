import type { NewCampaign } from "../bindings/NewCampaign";
import { call } from "./ipc";

/** Saves the draft as a campaign and returns its id. */
export function createCampaign(draft: NewCampaign): Promise<number> {
  return call("create_campaign", { draft });
}
