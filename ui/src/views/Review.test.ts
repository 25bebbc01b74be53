import { fireEvent, render, screen } from "@testing-library/svelte";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Plan } from "../lib/bindings/Plan";
import type { MailPreview } from "../lib/bindings/MailPreview";
import type { Settings } from "../lib/bindings/Settings";

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

function backend(settings: Settings, reviewed: Plan = plan) {
  core.invoke.mockImplementation(async (command: string) => {
    if (command === "review_campaign") return reviewed;
    if (command === "preview_plan") return MAIL;
    if (command === "get_settings") return settings;
    throw { code: "internal", message: `unexpected ${command}` };
  });
}

describe("Review", () => {
  beforeEach(() => {
    core.invoke.mockReset();
  });

  it("keeps the send button disabled until every recipient is confirmed", async () => {
    backend({
      smtp: null,
      practice_mailbox: "/home/u/practice",
      preferences: { large_message_mb: 10 },
    });
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
    expect(onsend).toHaveBeenCalledExactlyOnceWith(plan);

    await fireEvent.click(screen.getByTestId("review-confirm"));
    expect(send).toBeDisabled();
  });

  it("says how many suppressed members the plan leaves out", async () => {
    backend(
      { smtp: null, practice_mailbox: "/p", preferences: { large_message_mb: 10 } },
      { ...plan, excluded: 2 },
    );
    render(Review, { campaign: 7, busy: false, onsend: () => {}, oncompose: () => {} });
    expect(await screen.findByTestId("review-excluded")).toHaveTextContent(
      "配信停止のアドレス 2 件は宛先から除いています。",
    );
  });

  it("names the mail server when one is configured", async () => {
    backend({
      smtp: { host: "smtp.example.jp", port: 587, security: "starttls", user: "u", password: "" },
      practice_mailbox: "/home/u/practice",
      preferences: { large_message_mb: 10 },
    });
    render(Review, { campaign: 7, busy: false, onsend: () => {}, oncompose: () => {} });
    expect(await screen.findByText(/smtp\.example\.jp/)).toBeInTheDocument();
  });

  it("does not allow a second send while one is running", async () => {
    backend({ smtp: null, practice_mailbox: "/p", preferences: { large_message_mb: 10 } });
    render(Review, { campaign: 7, busy: true, onsend: () => {}, oncompose: () => {} });
    await fireEvent.click(await screen.findByTestId("review-confirm"));
    expect(screen.getByTestId("review-send")).toBeDisabled();
  });
});
