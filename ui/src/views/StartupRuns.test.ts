import { fireEvent, render, screen } from "@testing-library/svelte";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { CampaignSummary } from "../lib/bindings/CampaignSummary";
import type { Run } from "../lib/bindings/Run";

vi.mock("@tauri-apps/api/core", async () => (await import("../test/fakeCore")).fakeCore);
const { fakeCore: core } = await import("../test/fakeCore");

const { default: StartupRuns } = await import("./StartupRuns.svelte");

function run(campaign: number, state: Run["state"], scheduledAt: string | null): Run {
  return {
    plan_id: campaign + 100,
    campaign_id: campaign,
    account: "事務所",
    state,
    reason: null,
    scheduled_at: scheduledAt,
    started_at: null,
    updated_at: "2026-11-20T00:00:00Z",
    interrupted: state === "sending",
  };
}

function campaign(id: number, subject: string, sent: number): CampaignSummary {
  return {
    id,
    subject,
    list: "顧客リスト",
    created_at: "2026-11-19T00:00:00Z",
    total: 10,
    queued: 10 - sent,
    sending: 0,
    sent,
    deferred: 0,
    failed: 0,
    unknown: 0,
  };
}

const MISSED = run(7, "scheduled", new Date(2026, 10, 20, 9, 5).toISOString());
const INTERRUPTED = run(8, "sending", null);

function backend(runs: Run[], answers: Record<string, () => unknown> = {}) {
  core.invoke.mockImplementation(async (command: string) => {
    if (command === "undecided_runs") return runs;
    if (command === "list_campaigns")
      return [campaign(7, "年末のご挨拶", 0), campaign(8, "請求書", 4)];
    if (command in answers) return answers[command]();
    throw { code: "internal", message: `unexpected ${command}` };
  });
}

describe("StartupRuns", () => {
  beforeEach(() => {
    core.invoke.mockReset();
  });

  it("asks about each waiting run in turn, and does what the user chose", async () => {
    backend([MISSED, INTERRUPTED], {
      pause_campaign: () => ({ ...MISSED, state: "paused" }),
      resume_campaign: () => ({}),
    });
    const onresumed = vi.fn();
    render(StartupRuns, { onresumed });

    const dialog = await screen.findByTestId("startup-runs");
    expect(dialog).toHaveAttribute("open");
    expect(dialog).toHaveTextContent("1 / 2 件目");
    expect(dialog).toHaveTextContent("予約していた送信の時刻を過ぎていました（11月20日 9:05）");
    expect(dialog).toHaveTextContent("件名「年末のご挨拶」・宛先リスト「顧客リスト」");
    expect(dialog).toHaveTextContent("選ぶまで、このメールは送信しません");

    await fireEvent.click(screen.getByTestId("startup-later-7"));
    expect(core.invoke).toHaveBeenCalledWith("pause_campaign", { campaign: 7 });
    expect(onresumed).not.toHaveBeenCalled();

    expect(await screen.findByText("前回、送信の途中でアプリが終了しました")).toBeInTheDocument();
    expect(dialog).toHaveTextContent("2 / 2 件目");
    expect(dialog).toHaveTextContent("4 / 10 件を処理済みです。");
    await fireEvent.click(screen.getByTestId("startup-resume-8"));
    expect(core.invoke).toHaveBeenCalledWith("resume_campaign", { campaign: 8 });
    await vi.waitFor(() => expect(screen.queryByTestId("startup-runs")).toBeNull());
    expect(onresumed).toHaveBeenCalledExactlyOnceWith(8);
  });

  it("cancels a run, and keeps asking when a choice fails", async () => {
    let refuse = true;
    backend([INTERRUPTED], {
      cancel_campaign: () => {
        if (refuse) throw { code: "io", message: "disk full" };
        return { ...INTERRUPTED, state: "cancelled" };
      },
    });
    render(StartupRuns, { onresumed: () => {} });

    await fireEvent.click(await screen.findByTestId("startup-cancel-8"));
    expect(await screen.findByRole("alert")).toHaveTextContent(
      "ファイルの読み書きができませんでした",
    );
    expect(screen.getByTestId("startup-runs")).toBeInTheDocument();

    refuse = false;
    await fireEvent.click(screen.getByTestId("startup-cancel-8"));
    await vi.waitFor(() => expect(screen.queryByTestId("startup-runs")).toBeNull());
    expect(core.invoke.mock.calls.filter(([c]) => c === "cancel_campaign")).toHaveLength(2);
  });

  it("shows nothing when no run is waiting", async () => {
    backend([]);
    render(StartupRuns, { onresumed: () => {} });
    await vi.waitFor(() => expect(core.invoke).toHaveBeenCalledWith("undecided_runs", undefined));
    expect(screen.queryByTestId("startup-runs")).toBeNull();
    expect(core.invoke).not.toHaveBeenCalledWith("list_campaigns", undefined);
  });
});
