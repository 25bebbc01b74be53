import type { CampaignSummary } from "../bindings/CampaignSummary";
import type { DeliveryRow } from "../bindings/DeliveryRow";
import { call } from "./ipc";

export function listCampaigns(): Promise<CampaignSummary[]> {
  return call("list_campaigns");
}

export function campaignDeliveries(campaign: number): Promise<DeliveryRow[]> {
  return call("campaign_deliveries", { campaign });
}
