import { fireEvent, render, screen } from "@testing-library/svelte";
import { tick } from "svelte";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Plan } from "../lib/bindings/Plan";
import type { SendProgress } from "../lib/bindings/SendProgress";
import type { SendSummary } from "../lib/bindings/SendSummary";

vi.mock("@tauri-apps/api/core", async () => (await import("../test/fakeCore")).fakeCore);
const { fakeCore: core } = await import("../test/fakeCore");

const { default: Send } = await import("./Send.svelte");
const { SendRun } = await import("./sendRun.svelte");

const plan: Plan = {
  id: 11,
  excluded: 0,
  campaign_id: 7,
  digest: "d1",
  list: "顧客リスト",
  subject: "s",
  html: "<p>{{name}} 様</p>",
  from: null,
  text: null,
  reply_to: null,
  unsubscribe: null,
  charset: "utf-8",
  custom_fields: [],
  files: [],
  recipients: Array.from({ length: 4 }, (_, i) => ({
    address: `r${i}@example.jp`,
    name: null,
    values: {},
    file: null,
  })),
};

/** Stands in for the backend: the test pushes progress and then settles the command. */
function fakeSend() {
  let channel!: { onmessage: (p: SendProgress) => void };
  let settle!: { resolve: (s: SendSummary) => void; reject: (e: unknown) => void };
  core.invoke.mockImplementation(
    (_command: string, args: { onProgress: typeof channel }) =>
      new Promise((resolve, reject) => {
        channel = args.onProgress;
        settle = { resolve, reject };
      }),
  );
  return {
    push: async (p: Partial<SendProgress>) => {
      channel.onmessage({
        total: 4,
        done: 0,
        sent: 0,
        failed: 0,
        deferred: 0,
        unknown: 0,
        current: null,
        ...p,
      });
      await tick();
    },
    settle: () => settle,
  };
}

describe("Send", () => {
  beforeEach(() => {
    core.invoke.mockReset();
  });

  it("renders progress from the channel and a summary at the end", async () => {
    const backend = fakeSend();
    const run = new SendRun(plan);
    const onhistory = vi.fn();
    render(Send, { run, onhistory, onreview: () => {} });

    expect(core.invoke).toHaveBeenCalledWith("send_plan", {
      planId: 11,
      confirmation: { digest: "d1" },
      onProgress: expect.any(core.Channel),
    });
    const bar = screen.getByTestId("send-progress");
    expect(bar).toHaveAttribute("max", "4");
    expect(bar).toHaveAttribute("value", "0");

    await backend.push({ done: 1, sent: 1, current: "r1@example.jp" });
    expect(bar).toHaveAttribute("value", "1");
    expect(screen.getByTestId("send-status")).toHaveTextContent("1 / 4 件を処理しました。");
    expect(screen.getByTestId("send-status")).toHaveTextContent("r1@example.jp");
    expect(screen.queryByTestId("send-done")).toBeNull();

    await backend.push({ done: 3, sent: 2, failed: 1, current: "r3@example.jp" });
    expect(bar).toHaveAttribute("value", "3");
    expect(screen.getByText("3 / 4")).toBeInTheDocument();

    backend.settle().resolve({
      campaign_id: 7,
      total: 4,
      sent: 3,
      failed: 1,
      deferred: 0,
      unknown: 0,
      practice: true,
    });
    const done = await screen.findByTestId("send-done");
    expect(done).toHaveTextContent("3 件を送信しました");
    expect(done).toHaveTextContent("練習用メールボックス");
    expect(bar).toHaveAttribute("value", "4");

    await fireEvent.click(screen.getByTestId("send-to-history"));
    expect(onhistory).toHaveBeenCalledWith(7);
  });

  it("explains a changed plan and leads back to Review", async () => {
    const backend = fakeSend();
    const run = new SendRun(plan);
    const onreview = vi.fn();
    render(Send, { run, onhistory: () => {}, onreview });

    backend.settle().reject({ code: "plan_changed", message: "digest mismatch" });
    expect(
      await screen.findByText("宛先リストが確認後に変更されました。もう一度確認してください。"),
    ).toBeInTheDocument();
    expect(screen.queryByTestId("send-done")).toBeNull();
    await fireEvent.click(screen.getByRole("button", { name: "確認画面に戻る" }));
    expect(onreview).toHaveBeenCalled();
  });
});
