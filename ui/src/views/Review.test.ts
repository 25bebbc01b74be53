import { fireEvent, render, screen } from "@testing-library/svelte";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Plan } from "../lib/bindings/Plan";
import type { MailPreview } from "../lib/bindings/MailPreview";
import type { Settings } from "../lib/bindings/Settings";
import type { Estimate } from "../lib/bindings/Estimate";

const core = vi.hoisted(() => ({ invoke: vi.fn(), Channel: class {} }));
vi.mock("@tauri-apps/api/core", () => core);

const { default: Review } = await import("./Review.svelte");

const plan: Plan = {
  id: 11,
  excluded: 0,
  campaign_id: 7,
  digest: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
  list: "顧客リスト",
  subject: "年末のご挨拶",
  html: "<p>{{name}} 様</p>",
  from: "office@example.jp",
  text: null,
  reply_to: null,
  unsubscribe: null,
  charset: "utf-8",
  custom_fields: [],
  files: [],
  recipients: [
    { address: "a@example.jp", name: "青木", values: {}, file: null },
    { address: "b@example.jp", name: null, values: {}, file: null },
    { address: "c@other.example", name: "千葉", values: {}, file: null },
  ],
};

/** The first recipient's mail as the backend builds it. */
const MAIL: MailPreview = {
  recipients: plan.recipients.map((r) => r.address),
  address: "a@example.jp",
  subject: "年末のご挨拶",
  html: "<!DOCTYPE html><html><body><p>青木 様</p></body></html>",
  text: "青木 様",
  attachments: [],
  honorifics: [],
  unencodable: [],
};

const PRACTICE: Settings = {
  accounts: [],
  practice_mailbox: "/home/u/practice",
  preferences: { large_message_mb: 10, account: null, own_domains: [], blocked: [] },
};

const OFFICE: Settings = {
  ...PRACTICE,
  accounts: [
    {
      name: "事務所",
      host: "smtp.example.jp",
      port: 587,
      security: "starttls",
      user: "u",
      from: null,
      preset: null,
      limits: { windows: [], connections: 1 },
    },
  ],
  preferences: { ...PRACTICE.preferences, account: "事務所" },
};

const MINUTE = 60_000;

function backend(
  settings: Settings,
  reviewed: Plan = plan,
  estimate: Estimate = { seconds: 150, finish_at: new Date(Date.now() + 150_000).toISOString() },
) {
  core.invoke.mockImplementation(async (command: string) => {
    if (command === "review_campaign") return reviewed;
    if (command === "preview_plan") return MAIL;
    if (command === "get_settings") return settings;
    if (command === "estimate_send") return estimate;
    throw { code: "internal", message: `unexpected ${command}` };
  });
}

/** A datetime-local value, as the input writes it: local time, to the minute. */
function local(time: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return (
    `${time.getFullYear()}-${pad(time.getMonth() + 1)}-${pad(time.getDate())}` +
    `T${pad(time.getHours())}:${pad(time.getMinutes())}`
  );
}

describe("Review", () => {
  beforeEach(() => {
    core.invoke.mockReset();
  });

  it("keeps the send button disabled until every recipient is confirmed", async () => {
    backend(PRACTICE);
    const onsend = vi.fn();
    render(Review, { campaign: 7, busy: false, onsend, oncompose: () => {} });

    expect(await screen.findAllByTestId("review-recipient")).toHaveLength(3);
    expect(core.invoke).toHaveBeenCalledWith("review_campaign", { campaign: 7 });
    expect(screen.getByTestId("review-count")).toHaveTextContent("3");
    expect(screen.getByTestId("review-digest")).toHaveAttribute("title", plan.digest);
    expect(screen.getByText(/練習モード/)).toBeInTheDocument();
    const preview = await screen.findByTitle("メールのプレビュー");
    expect(preview).toHaveAttribute("sandbox", "");
    expect(preview).toHaveAttribute("srcdoc", MAIL.html);
    expect(core.invoke).toHaveBeenCalledWith("preview_plan", { planId: plan.id, address: null });

    const send = screen.getByTestId("review-send");
    expect(send).toBeDisabled();
    await fireEvent.click(send);
    expect(onsend).not.toHaveBeenCalled();

    await fireEvent.click(screen.getByTestId("review-confirm"));
    expect(send).toBeEnabled();
    await fireEvent.click(send);
    expect(onsend).toHaveBeenCalledExactlyOnceWith(plan, null);

    await fireEvent.click(screen.getByTestId("review-confirm"));
    expect(send).toBeDisabled();
  });

  it("says how many suppressed members the plan leaves out", async () => {
    backend(PRACTICE, { ...plan, excluded: 2 });
    render(Review, { campaign: 7, busy: false, onsend: () => {}, oncompose: () => {} });
    expect(await screen.findByTestId("review-excluded")).toHaveTextContent(
      "配信停止のアドレス 2 件は宛先から除いています。",
    );
  });

  it("sends at a chosen time, and only at one still to come", async () => {
    backend(PRACTICE);
    const onsend = vi.fn();
    render(Review, { campaign: 7, busy: false, onsend, oncompose: () => {} });
    await fireEvent.click(await screen.findByTestId("review-confirm"));
    const send = screen.getByTestId("review-send");
    expect(send).toHaveTextContent("送信する");

    await fireEvent.click(screen.getByTestId("review-when-later"));
    expect(send).toHaveTextContent("この日時で予約する");
    expect(send).toBeDisabled();
    expect(screen.getByTestId("review-at-problem")).toHaveTextContent("送信する日時を入力");

    const at = screen.getByTestId("review-at");
    await fireEvent.input(at, { target: { value: local(new Date(Date.now() - 5 * MINUTE)) } });
    expect(screen.getByTestId("review-at-problem")).toHaveTextContent("もう過ぎています");
    expect(send).toBeDisabled();

    const later = new Date(Date.now() + 2 * 24 * 60 * MINUTE);
    later.setSeconds(0, 0);
    await fireEvent.input(at, { target: { value: local(later) } });
    expect(screen.queryByTestId("review-at-problem")).toBeNull();
    await fireEvent.click(send);
    expect(onsend).toHaveBeenCalledExactlyOnceWith(plan, later.toISOString());

    await fireEvent.click(screen.getByTestId("review-when-now"));
    await fireEvent.click(send);
    expect(onsend).toHaveBeenLastCalledWith(plan, null);
  });

  it("estimates how long sending takes and when it ends", async () => {
    const end = new Date(Date.now() + 150_000);
    backend(PRACTICE, plan, { seconds: 150, finish_at: end.toISOString() });
    render(Review, { campaign: 7, busy: false, onsend: () => {}, oncompose: () => {} });

    const estimate = await screen.findByTestId("review-estimate");
    expect(core.invoke).toHaveBeenCalledWith("estimate_send", { count: 3 });
    expect(estimate).toHaveTextContent(/^送信にかかる時間の目安: 約 3 分（.+ごろ終了）$/);
    expect(estimate).not.toHaveTextContent("日にわたります");
  });

  it("says when the account's limits spread a large send over days", async () => {
    const seconds = 2 * 24 * 3600 + 5 * 3600;
    const start = new Date(2030, 0, 10, 9, 0);
    backend(PRACTICE, plan, { seconds, finish_at: new Date().toISOString() });
    render(Review, { campaign: 7, busy: false, onsend: () => {}, oncompose: () => {} });
    await fireEvent.click(await screen.findByTestId("review-when-later"));
    await fireEvent.input(screen.getByTestId("review-at"), { target: { value: local(start) } });

    // Scheduled: it ends that long after its own start, not after now.
    const estimate = screen.getByTestId("review-estimate");
    expect(estimate).toHaveTextContent("約 2 日 5 時間（1月12日 14:00ごろ終了）");
    expect(estimate).toHaveTextContent("アカウントの上限により 3 日にわたります。");
  });

  it("names the mail server when one is configured", async () => {
    backend(OFFICE);
    render(Review, { campaign: 7, busy: false, onsend: () => {}, oncompose: () => {} });
    expect(await screen.findByText(/「事務所」（smtp\.example\.jp）/)).toBeInTheDocument();
    expect(screen.getByTestId("review-mode")).toHaveAttribute("data-practice", "false");
  });

  it("does not allow a second send while one is running", async () => {
    backend(PRACTICE);
    render(Review, { campaign: 7, busy: true, onsend: () => {}, oncompose: () => {} });
    await fireEvent.click(await screen.findByTestId("review-confirm"));
    expect(screen.getByTestId("review-send")).toBeDisabled();
  });
});
