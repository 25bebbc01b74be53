import { fireEvent, render, screen, within } from "@testing-library/svelte";
import { tick } from "svelte";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { Confirmation } from "../lib/bindings/Confirmation";
import type { DeliveryRow } from "../lib/bindings/DeliveryRow";
import type { Plan } from "../lib/bindings/Plan";
import type { Run } from "../lib/bindings/Run";
import type { SendProgress } from "../lib/bindings/SendProgress";
import type { SendSummary } from "../lib/bindings/SendSummary";

vi.mock("@tauri-apps/api/core", async () => (await import("../test/fakeCore")).fakeCore);
vi.mock("@tauri-apps/api/event", async () => (await import("../test/fakeEvent")).fakeEvent);
const { fakeCore: core } = await import("../test/fakeCore");
const { emit, listeners } = await import("../test/fakeEvent");

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
  route: { account: null, server: null, sender: null, limits: null, at: null },
};

/** Everything of the plan acknowledged, as the Review view hands it on. */
const confirmation: Confirmation = {
  digest: "d1",
  domains: ["example.jp"],
  attachments: [],
  count: 4,
};

function progress(p: Partial<SendProgress> = {}): SendProgress {
  return {
    campaign_id: 7,
    plan_id: 11,
    state: "sending",
    reason: null,
    per_minute: 0,
    eta_seconds: null,
    waiting_until: null,
    retrying_at: null,
    scheduled_at: null,
    interrupted: false,
    practice: true,
    total: 4,
    queued: 4,
    sending: 0,
    sent: 0,
    deferred: 0,
    failed: 0,
    unknown: 0,
    ...p,
  };
}

function summary(s: Partial<SendSummary>): SendSummary {
  const { campaign_id, reason, practice, total, queued, sending, sent, deferred, failed, unknown } =
    progress();
  const counts = { total, queued, sending, sent, deferred, failed, unknown };
  return { campaign_id, state: "finished", reason, practice, ...counts, ...s };
}

function runOf(state: Run["state"], reason: string | null = null): Run {
  return {
    plan_id: 11,
    campaign_id: 7,
    account: null,
    state,
    reason,
    scheduled_at: null,
    started_at: null,
    updated_at: "2026-11-20T09:00:00Z",
    interrupted: false,
  };
}

const problems: DeliveryRow[] = [
  ["a@example.jp", "failed", "5.1.1", "550 5.1.1 User unknown", 1],
  ["b@example.jp", "deferred", "4.2.2", "452 4.2.2 Mailbox full", 3],
  ["c@example.jp", "unknown", null, null, 1],
  ["d@example.jp", "unknown", null, null, 1],
].map(([address, state, status, reply, attempts]) => ({
  address,
  name: null,
  state,
  status,
  reply,
  attempts,
  message_id: null,
  updated_at: "2026-11-20T09:00:00Z",
})) as DeliveryRow[];

/** Stands in for the backend: each command answers as the test says, or as a quiet default. */
function backend(answers: Record<string, (args: Record<string, unknown>) => unknown> = {}) {
  core.invoke.mockImplementation(async (command: string, args: Record<string, unknown>) => {
    if (command in answers) return answers[command](args);
    if (command === "problem_recipients") return [];
    throw { code: "internal", message: `unexpected ${command}` };
  });
}

function calls(command: string): unknown[] {
  return core.invoke.mock.calls.filter(([c]) => c === command).map(([, args]) => args);
}

const following: { dispose(): void }[] = [];

/** A run of the plan, started now or at `at` (the end of a hold if `held`), followed until the test ends. */
function start(at: string | null, held = false) {
  const run = SendRun.start(plan, confirmation, at, held);
  following.push(run);
  return run;
}

/** A run following campaign 7, started before, until the test ends. */
function attach() {
  const run = SendRun.attach(7);
  following.push(run);
  return run;
}

async function play(event: string, payload: unknown) {
  emit(event, payload);
  await tick();
}

// jsdom lays nothing out; the problem list needs a size to know how many rows fit.
const sizes = ["offsetHeight", "offsetWidth"] as const;
beforeAll(() => {
  for (const size of sizes) {
    Object.defineProperty(HTMLElement.prototype, size, { configurable: true, get: () => 400 });
  }
});
afterAll(() => {
  for (const size of sizes) delete (HTMLElement.prototype as Partial<HTMLElement>)[size];
});

describe("Send", () => {
  beforeEach(() => {
    core.invoke.mockReset();
  });
  // Every run follows campaign 7: one left listening would hear the next test's events.
  afterEach(() => {
    for (const run of following.splice(0)) run.dispose();
  });

  it("follows the run's events and shows the end", async () => {
    backend({ send_plan: () => progress() });
    const run = start(null);
    const onhistory = vi.fn();
    render(Send, { run, onhistory, onreview: () => {} });
    await run.ready;

    expect(calls("send_plan")).toEqual([{ planId: 11, confirmation, at: null }]);
    const bar = screen.getByTestId("send-progress");
    expect(bar).toHaveAttribute("max", "4");
    expect(bar).toHaveAttribute("value", "0");

    await play(
      "send-progress",
      progress({ sent: 1, queued: 3, per_minute: 119.6, eta_seconds: 120 }),
    );
    expect(bar).toHaveAttribute("value", "1");
    expect(screen.getByTestId("send-state")).toHaveTextContent("送信中");
    expect(screen.getByTestId("send-status")).toHaveTextContent("1 / 4 件を処理しました。");
    expect(screen.getByTestId("send-rate")).toHaveTextContent("毎分 約 120 通");
    expect(screen.getByTestId("send-eta")).toHaveTextContent("残り約 2 分");
    expect(screen.queryByTestId("send-waiting")).toBeNull();

    // Another campaign's progress is not this one's.
    await play("send-progress", progress({ campaign_id: 8, sent: 4 }));
    expect(bar).toHaveAttribute("value", "1");

    const until = new Date(Date.now() + 30 * 60_000).toISOString();
    await play("send-progress", progress({ sent: 2, failed: 1, waiting_until: until }));
    expect(bar).toHaveAttribute("value", "3");
    expect(screen.getByTestId("send-waiting")).toHaveTextContent(
      /アカウントの送信上限のため .+ まで待機しています/,
    );
    expect(screen.queryByTestId("send-done")).toBeNull();

    // Only a deferred recipient is left: the wait is for its next try, not the account.
    await play(
      "send-progress",
      progress({ sent: 2, failed: 1, deferred: 1, queued: 0, retrying_at: until }),
    );
    expect(screen.queryByTestId("send-waiting")).toBeNull();
    expect(screen.getByTestId("send-retrying")).toHaveTextContent(
      /保留中の宛先に .+ ごろ送り直します/,
    );

    await play("send-ended", summary({ sent: 3, failed: 1, queued: 0 }));
    const done = await screen.findByTestId("send-done");
    expect(done).toHaveTextContent("3 件を送信しました");
    expect(done).toHaveTextContent("練習用メールボックス");
    expect(screen.getByTestId("send-state")).toHaveTextContent("完了");
    expect(screen.getByTestId("send-status")).toHaveTextContent("4 / 4 件を処理しました。");
    expect(bar).toHaveAttribute("value", "4");
    expect(screen.queryByTestId("send-rate")).toBeNull();
    // The run came to rest: the problem list is read again.
    expect(calls("problem_recipients")).toHaveLength(2);

    await fireEvent.click(screen.getByTestId("send-to-history"));
    expect(onhistory).toHaveBeenCalledWith(7);

    run.dispose();
    await vi.waitFor(() => expect(listeners("send-progress")).toBe(0));
  });

  it("shows a scheduled start and can start it now", async () => {
    const at = new Date(2026, 10, 20, 9, 5).toISOString();
    backend({
      send_plan: () => progress({ state: "scheduled" }),
      resume_campaign: () => progress({ state: "paused" }),
    });
    const run = start(at);
    render(Send, { run, onhistory: () => {}, onreview: () => {} });
    await run.ready;
    await tick();

    expect(calls("send_plan")).toEqual([{ planId: 11, confirmation, at }]);
    expect(screen.getByTestId("send-state")).toHaveTextContent("予約中: 11月20日 9:05に開始");
    expect(screen.queryByTestId("send-pause")).toBeNull();

    const now = screen.getByTestId("send-resume");
    expect(now).toHaveTextContent("今すぐ送信");
    await fireEvent.click(now);
    await vi.waitFor(() => expect(calls("resume_campaign")).toEqual([{ campaign: 7 }]));
    // Launched: its process may not have taken it up yet, but it is sending.
    expect(await screen.findByTestId("send-pause")).toBeInTheDocument();
    expect(screen.getByTestId("send-state")).toHaveTextContent("送信中");
  });

  describe("in the hold after a send now", () => {
    const START = new Date(2026, 10, 20, 9, 0, 0);
    const at = new Date(START.getTime() + 30_000).toISOString();

    // The countdown's clock; timeouts stay real for the waits of the tests.
    beforeEach(() => {
      vi.useFakeTimers({ toFake: ["Date", "setInterval", "clearInterval"] });
      vi.setSystemTime(START);
    });
    afterEach(() => {
      vi.useRealTimers();
    });

    it("counts down, and one click takes it all back with nothing sent", async () => {
      backend({
        send_plan: () => progress({ state: "scheduled", scheduled_at: at }),
        cancel_campaign: () => runOf("cancelled"),
      });
      const run = start(at, true);
      render(Send, { run, onhistory: () => {}, onreview: () => {} });
      await run.ready;
      await tick();

      // The backend adds the hold to a send now; the run shows when it ends.
      expect(calls("send_plan")).toEqual([{ planId: 11, confirmation, at: null }]);
      const countdown = screen.getByTestId("send-hold-countdown");
      expect(countdown).toHaveTextContent("送信保留中: あと 30 秒で送信を始めます");
      // Instead of the schedule's words and its controls: the one button that undoes it all.
      expect(screen.queryByTestId("send-state")).toBeNull();
      expect(screen.queryByTestId("send-cancel")).toBeNull();
      expect(screen.queryByTestId("send-resume")).toBeNull();

      vi.advanceTimersByTime(12_000);
      await tick();
      expect(countdown).toHaveTextContent("あと 18 秒");

      await fireEvent.click(screen.getByTestId("send-hold-cancel"));
      // No question first: undoing is one click.
      expect(screen.queryByRole("dialog")).toBeNull();
      expect(calls("cancel_campaign")).toEqual([{ campaign: 7 }]);
      await vi.waitFor(() =>
        expect(screen.getByTestId("send-hold-cancelled")).toHaveTextContent(
          "取り消しました。メールは 1 通も送信されていません。",
        ),
      );
      expect(screen.queryByTestId("send-hold-cancel")).toBeNull();
    });

    it("cancels a send still being started as soon as it is", async () => {
      let started: (p: SendProgress) => void = () => {};
      backend({
        send_plan: () => new Promise((resolve) => (started = resolve)),
        cancel_campaign: () => runOf("cancelled"),
      });
      const run = start(at, true);
      render(Send, { run, onhistory: () => {}, onreview: () => {} });
      await vi.waitFor(() => expect(calls("send_plan")).toHaveLength(1));

      await fireEvent.click(screen.getByTestId("send-hold-cancel"));
      expect(screen.getByTestId("send-hold-cancel")).toHaveTextContent("取り消しています…");
      expect(calls("cancel_campaign")).toEqual([]);
      started(progress({ state: "scheduled", scheduled_at: at }));
      await vi.waitFor(() => expect(calls("cancel_campaign")).toEqual([{ campaign: 7 }]));
      expect(await screen.findByTestId("send-hold-cancelled")).toBeInTheDocument();
    });

    it("starts by itself when the countdown ends", async () => {
      backend({ send_plan: () => progress({ state: "scheduled", scheduled_at: at }) });
      const run = start(at, true);
      render(Send, { run, onhistory: () => {}, onreview: () => {} });
      await run.ready;

      vi.advanceTimersByTime(31_000);
      await tick();
      expect(screen.getByTestId("send-hold-countdown")).toHaveTextContent(
        "まもなく送信を始めます…",
      );
      await play("send-progress", progress({ sent: 1, queued: 3 }));
      expect(screen.queryByTestId("send-hold")).toBeNull();
      expect(screen.getByTestId("send-state")).toHaveTextContent("送信中");
      expect(screen.getByTestId("send-progress")).toHaveAttribute("value", "1");
    });
  });

  it("pauses, resumes, and cancels only after saying nothing more will be sent", async () => {
    backend({
      send_status: () => progress({ sent: 1, queued: 3 }),
      pause_campaign: () => runOf("sending"),
      resume_campaign: () => progress({ state: "sending" }),
      cancel_campaign: () => runOf("cancelled"),
    });
    const run = attach();
    render(Send, { run, onhistory: () => {}, onreview: () => {} });
    await run.ready;
    await tick();
    expect(calls("send_status")).toEqual([{ campaign: 7 }]);

    await fireEvent.click(screen.getByTestId("send-pause"));
    expect(calls("pause_campaign")).toEqual([{ campaign: 7 }]);
    expect(await screen.findByText("一時停止しています…")).toBeInTheDocument();
    expect(screen.getByTestId("send-pause")).toBeDisabled();

    await play(
      "send-ended",
      summary({ state: "paused", reason: "421 4.7.0 Try again later", sent: 1, queued: 3 }),
    );
    expect(screen.getByTestId("send-state")).toHaveTextContent("一時停止中");
    expect(screen.getByText("理由: 421 4.7.0 Try again later")).toBeInTheDocument();
    expect(screen.queryByTestId("send-pause")).toBeNull();

    await fireEvent.click(screen.getByTestId("send-resume"));
    expect(calls("resume_campaign")).toEqual([{ campaign: 7 }]);
    await vi.waitFor(() => expect(screen.getByTestId("send-state")).toHaveTextContent("送信中"));

    await play("send-ended", summary({ state: "paused", reason: null, sent: 1, queued: 3 }));
    await fireEvent.click(screen.getByTestId("send-cancel"));
    const dialog = screen.getByRole("dialog");
    expect(dialog).toHaveTextContent("これ以上 1 通も送信しません");
    await fireEvent.click(within(dialog).getByRole("button", { name: "中止しない" }));
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(calls("cancel_campaign")).toEqual([]);

    await fireEvent.click(screen.getByTestId("send-cancel"));
    await fireEvent.click(screen.getByTestId("send-cancel-confirm"));
    expect(calls("cancel_campaign")).toEqual([{ campaign: 7 }]);
    await vi.waitFor(() =>
      expect(screen.getByTestId("send-state")).toHaveTextContent("中止しました"),
    );
    expect(screen.queryByTestId("send-cancel")).toBeNull();
    expect(screen.queryByTestId("send-resume")).toBeNull();
  });

  it("lists the problems and resends to unknown recipients only after a warning", async () => {
    const retried = progress({ state: "paused" });
    backend({
      send_status: () =>
        progress({ state: "finished", sent: 0, failed: 1, deferred: 1, unknown: 2, queued: 0 }),
      problem_recipients: () => problems,
      retry_campaign: () => retried,
    });
    const run = attach();
    render(Send, { run, onhistory: () => {}, onreview: () => {} });
    await run.ready;

    const list = await screen.findByTestId("send-problems");
    expect(list).toHaveTextContent("確かめてほしい宛先（4 件）");
    const rows = within(list).getAllByTestId("send-problem");
    expect(rows.map((r) => r.dataset.state)).toEqual(["failed", "deferred", "unknown", "unknown"]);
    expect(rows[0]).toHaveTextContent("a@example.jp");
    expect(rows[0]).toHaveTextContent("失敗");
    expect(rows[0]).toHaveTextContent("5.1.1");
    expect(rows[0]).toHaveTextContent("550 5.1.1 User unknown");
    expect(rows[1]).toHaveTextContent("3");
    expect(screen.getByText(/届いたかどうかが分かりません/)).toBeInTheDocument();

    await fireEvent.click(screen.getByTestId("send-retry"));
    expect(calls("retry_campaign")).toEqual([{ campaign: 7, unknown: false }]);
    await play("send-ended", summary({ failed: 1, deferred: 1, unknown: 2, sent: 0, queued: 0 }));

    await fireEvent.click(screen.getByTestId("send-retry-unknown"));
    const dialog = screen.getByRole("dialog");
    expect(dialog).toHaveTextContent("「不明」の 2 件");
    expect(dialog).toHaveTextContent("同じメールが 2 通届くことがあります");
    await fireEvent.click(within(dialog).getByRole("button", { name: "再送しない" }));
    expect(calls("retry_campaign")).toHaveLength(1);

    await fireEvent.click(screen.getByTestId("send-retry-unknown"));
    await fireEvent.click(screen.getByTestId("send-retry-unknown-confirm"));
    expect(calls("retry_campaign")).toEqual([
      { campaign: 7, unknown: false },
      { campaign: 7, unknown: true },
    ]);
  });

  it("offers to resume a send that stopped on an error", async () => {
    backend({ send_plan: () => progress(), resume_campaign: () => progress() });
    const run = start(null);
    render(Send, { run, onhistory: () => {}, onreview: () => {} });
    await run.ready;

    await play("send-failed", [12, { code: "io", message: "another plan" }]);
    expect(screen.queryByRole("alert")).toBeNull();

    await play("send-failed", [11, { code: "smtp", message: "connection refused" }]);
    expect(screen.getByRole("alert")).toHaveTextContent("メールサーバーとのやり取りでエラー");
    expect(screen.getByTestId("send-state")).toHaveTextContent("送信が止まっています");
    await fireEvent.click(screen.getByTestId("send-resume"));
    expect(calls("resume_campaign")).toEqual([{ campaign: 7 }]);
    await vi.waitFor(() => expect(screen.queryByRole("alert")).toBeNull());
  });

  it("explains a changed plan and leads back to Review", async () => {
    backend({
      send_plan: () => {
        throw { code: "plan_changed", message: "digest mismatch" };
      },
    });
    const run = start(null);
    const onreview = vi.fn();
    render(Send, { run, onhistory: () => {}, onreview });

    expect(
      await screen.findByText(
        "確認したあとで、宛先・内容・送信アカウント・送信日時のどれかが変わりました。もう一度確認してください。",
      ),
    ).toBeInTheDocument();
    expect(screen.queryByTestId("send-done")).toBeNull();
    expect(run.active).toBe(false);
    await fireEvent.click(screen.getByRole("button", { name: "確認画面に戻る" }));
    expect(onreview).toHaveBeenCalled();
  });
});
