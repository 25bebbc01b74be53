import { fireEvent, render, screen } from "@testing-library/svelte";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { CampaignSummary } from "../lib/bindings/CampaignSummary";
import type { DeliveryRow } from "../lib/bindings/DeliveryRow";
import type { RunState } from "../lib/bindings/RunState";
import { PRACTICE_SETTINGS } from "../test/settings";

vi.mock("@tauri-apps/api/core", async () => (await import("../test/fakeCore")).fakeCore);
const { fakeCore: core } = await import("../test/fakeCore");

const { default: History } = await import("./History.svelte");

function campaign(id: number): CampaignSummary {
  return {
    id,
    subject: `お知らせ ${id}`,
    list: "顧客リスト",
    created_at: "2026-11-19T00:00:00Z",
    total: 2,
    queued: 1,
    sending: 0,
    sent: 1,
    deferred: 0,
    failed: 0,
    unknown: 0,
  };
}

const DELIVERY: DeliveryRow = {
  address: "a@example.jp",
  name: "青木",
  state: "deferred",
  reply: "452 4.2.2 Mailbox full",
  status: "4.2.2",
  message_id: null,
  updated_at: "2026-11-20T00:00:00Z",
  attempts: 3,
  attempted_at: "2026-11-19T23:59:58Z",
};

/** Campaign 7 has a run in `state`; campaign 8 was never sent. */
function backend(state: RunState) {
  core.invoke.mockImplementation(async (command: string, args: { campaign: number }) => {
    if (command === "list_campaigns") return [campaign(8), campaign(7)];
    if (command === "get_settings") return PRACTICE_SETTINGS;
    if (command === "campaign_deliveries") return [DELIVERY];
    if (command === "send_status") {
      if (args.campaign === 8) throw { code: "run_state", message: "campaign 8 was not sent" };
      return { campaign_id: 7, state };
    }
    throw { code: "internal", message: `unexpected ${command}` };
  });
}

describe("History", () => {
  beforeEach(() => {
    core.invoke.mockReset();
  });

  it("offers to resume a paused campaign in the Send view", async () => {
    backend("paused");
    const onopen = vi.fn();
    render(History, { initial: 7, onopen });

    const resume = await screen.findByTestId("history-resume");
    expect(resume).toHaveTextContent("再開");
    expect(screen.getByTestId("history-run")).toHaveTextContent("一時停止しています");
    const row = screen.getByTestId("history-delivery");
    expect(row).toHaveTextContent("452 4.2.2 Mailbox full");
    expect(row).toHaveTextContent("3");
    await fireEvent.click(resume);
    expect(onopen).toHaveBeenCalledExactlyOnceWith(7);
  });

  it("offers nothing for a campaign that was never sent, and says no error", async () => {
    backend("paused");
    render(History, { initial: 8, onopen: () => {} });
    expect(await screen.findByTestId("history-delivery")).toBeInTheDocument();
    await vi.waitFor(() =>
      expect(core.invoke).toHaveBeenCalledWith("send_status", { campaign: 8 }),
    );
    expect(screen.queryByTestId("history-resume")).toBeNull();
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("lets the user watch a campaign being sent", async () => {
    backend("sending");
    render(History, { initial: 7, onopen: () => {} });
    expect(await screen.findByTestId("history-resume")).toHaveTextContent("送信の様子を見る");
  });
});
