import { fireEvent, render, screen, within } from "@testing-library/svelte";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { Confirmation } from "../lib/bindings/Confirmation";
import type { Finding } from "../lib/bindings/Finding";
import type { Plan } from "../lib/bindings/Plan";
import type { Preflight } from "../lib/bindings/Preflight";
import type { MailPreview } from "../lib/bindings/MailPreview";
import type { Settings } from "../lib/bindings/Settings";
import type { Estimate } from "../lib/bindings/Estimate";
import { PRACTICE_SETTINGS } from "../test/settings";

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
  route: {
    account: null,
    server: null,
    sender: "practice@shisa.invalid",
    limits: { windows: [], connections: 4 },
    at: null,
  },
};

/** The plan as the backend freezes it again for another start: another digest, same mails. */
function frozenAt(reviewed: Plan, at: string | null): Plan {
  if (at === null) return reviewed;
  const stamp = new Date(at).toISOString().replace(".000Z", "Z");
  return {
    ...reviewed,
    id: reviewed.id + 100,
    digest: `at-${stamp}`,
    route: { ...reviewed.route, at: stamp },
  };
}

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

const PRACTICE = PRACTICE_SETTINGS;

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

/** The plan's checks when nothing about it is unusual: the office's own domain and another. */
const CHECKS: Preflight = {
  groups: [
    {
      domain: "other.example",
      count: 1,
      external: true,
      new: false,
      kind: "business",
      flagged: false,
    },
    {
      domain: "example.jp",
      count: 2,
      external: false,
      new: false,
      kind: "business",
      flagged: false,
    },
  ],
  attachments: [],
  warnings: [],
  blockers: [],
  eta_seconds: 3,
  finish_at: "2026-11-20T09:00:03Z",
};

/** The same, with a file for everyone and one recipient's own file. */
const FILES: Preflight = {
  ...CHECKS,
  attachments: [
    { name: "ご案内.pdf", size: 120_000, sha256: "sha-shared", recipients: 3, own: false },
    { name: "請求書_C001.pdf", size: 80_000, sha256: "sha-own", recipients: 1, own: true },
  ],
};

/** What a send of `plan` carries once everything of CHECKS is ticked and the count typed. */
const CONFIRMED: Confirmation = {
  digest: plan.digest,
  domains: ["other.example", "example.jp"],
  attachments: [],
  count: 3,
};

const MINUTE = 60_000;

function backend(
  settings: Settings,
  reviewed: Plan = plan,
  estimate: Estimate = { seconds: 150, finish_at: new Date(Date.now() + 150_000).toISOString() },
  checks: Preflight = CHECKS,
) {
  core.invoke.mockImplementation(async (command: string, args?: { at?: string | null }) => {
    if (command === "review_campaign") return frozenAt(reviewed, args?.at ?? null);
    if (command === "preview_plan") return MAIL;
    if (command === "check_plan") return checks;
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

function finding(kind: Finding["kind"], detail: string, recipients: string[], count?: number) {
  return { kind, detail, recipients, count: count ?? recipients.length };
}

function show(onsend = vi.fn()) {
  render(Review, { campaign: 7, busy: false, onsend, oncompose: () => {} });
  return onsend;
}

/** The checkbox of every domain group and every file drawn, in the page's order. */
function ticks(): HTMLInputElement[] {
  return screen.queryAllByTestId(/^review-(group|file)-check-/) as HTMLInputElement[];
}

async function typeCount(value: string) {
  await fireEvent.input(screen.getByTestId("review-count"), { target: { value } });
}

/** Points at every domain and file one by one and types the count, once the checks are in. */
async function acknowledge() {
  await screen.findByTestId("review-groups");
  for (const box of ticks()) await fireEvent.click(box);
  await typeCount(String(plan.recipients.length));
}

// jsdom lays nothing out; the virtual lists need a size to know how many rows fit.
const sizes = ["offsetHeight", "offsetWidth"] as const;
beforeAll(() => {
  for (const size of sizes) {
    Object.defineProperty(HTMLElement.prototype, size, { configurable: true, get: () => 400 });
  }
});
afterAll(() => {
  for (const size of sizes) delete (HTMLElement.prototype as Partial<HTMLElement>)[size];
});

describe("Review", () => {
  beforeEach(() => {
    core.invoke.mockReset();
  });

  it("shows the plan: recipients, digest, mode and the first mail", async () => {
    backend(PRACTICE);
    show();

    expect(await screen.findAllByTestId("review-recipient")).toHaveLength(3);
    expect(core.invoke).toHaveBeenCalledWith("review_campaign", { campaign: 7, at: null });
    expect(screen.getByTestId("review-total")).toHaveTextContent("3");
    expect(screen.getByTestId("review-digest")).toHaveAttribute("title", plan.digest);
    expect(screen.getByText(/練習モード/)).toBeInTheDocument();
    const preview = await screen.findByTitle("メールのプレビュー");
    expect(preview).toHaveAttribute("sandbox", "");
    expect(preview).toHaveAttribute("srcdoc", MAIL.html);
    expect(core.invoke).toHaveBeenCalledWith("preview_plan", { planId: plan.id, address: null });
  });

  it("sends only once every domain and file is ticked and the count typed", async () => {
    backend(PRACTICE, plan, undefined, FILES);
    const onsend = show();
    await screen.findByTestId("review-groups");
    const send = screen.getByTestId("review-send");
    const acks = screen.getByTestId("review-acks");
    const missing = () => screen.getByTestId("review-missing");
    expect(acks).toHaveTextContent("ドメイン 0 / 2 ・ 添付ファイル 0 / 2 を確認しました");
    expect(missing()).toHaveTextContent("あと 2 つのドメインの確認が必要です。");
    expect(missing()).toHaveTextContent("あと 2 つの添付ファイルの確認が必要です。");
    expect(missing()).toHaveTextContent("宛先の数の入力が必要です。");
    expect(send).toHaveAttribute("aria-describedby", missing().id);
    expect(screen.getByText("送信する宛先の数を入力してください（3 件）")).toBeInTheDocument();

    // One checkbox per row and nothing else to tick: no way to tick them all at once.
    const boxes = ticks();
    expect(screen.getAllByRole("checkbox")).toEqual(boxes);
    expect(boxes.map((box) => box.dataset.testid)).toEqual([
      "review-group-check-other.example",
      "review-group-check-example.jp",
      "review-file-check-sha-shared",
      "review-file-check-sha-own",
    ]);
    expect(boxes[0]).toHaveAccessibleName("other.example を確認した");
    expect(boxes[2]).toHaveAccessibleName("ご案内.pdf を確認した");

    await typeCount("3");
    for (const box of boxes.slice(0, -1)) {
      await fireEvent.click(box);
      expect(send).toBeDisabled();
    }
    expect(acks).toHaveTextContent("ドメイン 2 / 2 ・ 添付ファイル 1 / 2 を確認しました");
    expect(missing()).toHaveTextContent(/^あと 1 つの添付ファイルの確認が必要です。$/);
    await fireEvent.click(send);
    expect(onsend).not.toHaveBeenCalled();

    await fireEvent.click(boxes[3]);
    expect(send).toBeEnabled();
    expect(screen.queryByTestId("review-missing")).toBeNull();
    expect(send).not.toHaveAttribute("aria-describedby");
    await fireEvent.click(send);
    expect(onsend).toHaveBeenCalledExactlyOnceWith(
      plan,
      { ...CONFIRMED, attachments: ["sha-shared", "sha-own"] },
      null,
      false,
    );

    // Unticking one takes it back.
    await fireEvent.click(boxes[1]);
    expect(send).toBeDisabled();
    expect(missing()).toHaveTextContent("あと 1 つのドメインの確認が必要です。");
  });

  it("takes the count in full-width digits, and no other number than the recipients'", async () => {
    backend(PRACTICE);
    const onsend = show();
    await screen.findByTestId("review-groups");
    for (const box of ticks()) await fireEvent.click(box);
    const send = screen.getByTestId("review-send");
    const count = screen.getByTestId("review-count");

    for (const wrong of ["4", "2", "3件", "three"]) {
      await typeCount(wrong);
      expect(send).toBeDisabled();
      expect(count).toHaveAttribute("aria-invalid", "true");
      expect(screen.getByTestId("review-missing")).toHaveTextContent(
        "入力した数が宛先の数と合いません。",
      );
    }
    await typeCount("３");
    expect(count).toHaveAttribute("aria-invalid", "false");
    expect(send).toBeEnabled();
    await fireEvent.click(send);
    expect(onsend).toHaveBeenCalledExactlyOnceWith(plan, CONFIRMED, null, false);
  });

  it("starts over, nothing ticked, when the plan is reviewed again", async () => {
    backend(PRACTICE);
    const first = render(Review, {
      campaign: 7,
      busy: false,
      onsend: vi.fn(),
      oncompose: () => {},
    });
    await acknowledge();
    expect(screen.getByTestId("review-send")).toBeEnabled();
    first.unmount();

    // As after a send refused because the list changed: a new plan, everything to check anew.
    const again = { ...plan, id: 12, digest: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934c" };
    backend(PRACTICE, again);
    const onsend = show();
    await screen.findByTestId("review-groups");
    expect(ticks()).toHaveLength(2);
    for (const box of ticks()) expect(box).not.toBeChecked();
    expect(screen.getByTestId("review-count")).toHaveValue("");
    expect(screen.getByTestId("review-acks")).toHaveTextContent("ドメイン 0 / 2 を確認しました");
    expect(screen.getByTestId("review-send")).toBeDisabled();

    await acknowledge();
    await fireEvent.click(screen.getByTestId("review-send"));
    expect(onsend).toHaveBeenCalledExactlyOnceWith(
      again,
      { ...CONFIRMED, digest: again.digest },
      null,
      false,
    );
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
    const onsend = show();
    await acknowledge();
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
    // The start is part of the plan: it is frozen again for it, and Send waits till it is.
    expect(screen.getByTestId("review-refreezing")).toBeInTheDocument();
    expect(send).toBeDisabled();
    const scheduled = frozenAt(plan, later.toISOString());
    await vi.waitFor(() => expect(send).toBeEnabled());
    expect(core.invoke).toHaveBeenCalledWith("review_campaign", {
      campaign: 7,
      at: later.toISOString(),
    });
    expect(screen.getByTestId("review-digest")).toHaveAttribute("title", scheduled.digest);
    // The same mails to the same recipients: what was ticked and typed stands.
    for (const box of ticks()) expect(box).toBeChecked();
    await fireEvent.click(send);
    expect(onsend).toHaveBeenCalledExactlyOnceWith(
      scheduled,
      { ...CONFIRMED, digest: scheduled.digest },
      scheduled.route.at,
      false,
    );

    await fireEvent.click(screen.getByTestId("review-when-now"));
    await vi.waitFor(() => expect(send).toBeEnabled());
    await fireEvent.click(send);
    expect(onsend).toHaveBeenLastCalledWith(plan, CONFIRMED, null, false);
  });

  it("shows the plan for the time chosen last, whatever order the answers come in", async () => {
    const first = new Date(Date.now() + 60 * MINUTE);
    const last = new Date(Date.now() + 120 * MINUTE);
    backend(PRACTICE);
    const answer = core.invoke.getMockImplementation()!;
    // The plan for the first time chosen is slow to come; the second's is quick.
    core.invoke.mockImplementation(async (command: string, args?: { at?: string | null }) => {
      if (command === "review_campaign" && args?.at === first.toISOString()) {
        await new Promise((resolve) => setTimeout(resolve, 800));
      }
      return answer(command, args);
    });
    const onsend = show();
    await acknowledge();
    await fireEvent.click(screen.getByTestId("review-when-later"));
    const at = screen.getByTestId("review-at");
    first.setSeconds(0, 0);
    last.setSeconds(0, 0);
    await fireEvent.input(at, { target: { value: local(first) } });
    await new Promise((resolve) => setTimeout(resolve, 400));
    await fireEvent.input(at, { target: { value: local(last) } });
    const send = screen.getByTestId("review-send");
    await vi.waitFor(() => expect(send).toBeEnabled(), { timeout: 2000 });
    // Past the slow answer too: it does not replace the plan shown.
    await new Promise((resolve) => setTimeout(resolve, 800));
    const scheduled = frozenAt(plan, last.toISOString());
    expect(screen.getByTestId("review-digest")).toHaveAttribute("title", scheduled.digest);
    await fireEvent.click(send);
    expect(onsend).toHaveBeenCalledExactlyOnceWith(
      scheduled,
      { ...CONFIRMED, digest: scheduled.digest },
      scheduled.route.at,
      false,
    );
  });

  it("checks everything anew when the mails changed while the plan was frozen again", async () => {
    backend(PRACTICE);
    show();
    await acknowledge();
    // Meanwhile someone added a recipient: the plan for the new time has other mails.
    const grown: Plan = {
      ...plan,
      recipients: [
        ...plan.recipients,
        { address: "d@example.jp", name: null, values: {}, file: null },
      ],
    };
    backend(PRACTICE, grown);
    await fireEvent.click(screen.getByTestId("review-when-later"));
    const later = new Date(Date.now() + 60 * MINUTE);
    await fireEvent.input(screen.getByTestId("review-at"), { target: { value: local(later) } });
    await vi.waitFor(() => expect(screen.getByTestId("review-total")).toHaveTextContent("4"));
    for (const box of ticks()) expect(box).not.toBeChecked();
    expect(screen.getByTestId("review-count")).toHaveValue("");
    expect(screen.getByTestId("review-send")).toBeDisabled();
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
    await acknowledge();
    expect(screen.getByTestId("review-send")).toBeDisabled();
  });
});

describe("Review checks", () => {
  beforeEach(() => {
    core.invoke.mockReset();
  });

  it("lists the domains with their marks, and a typo under its domain", async () => {
    const typo = finding("typo_domain", "gmial.com → gmail.com", ["mori@gmial.com"]);
    const lookalike = finding("lookalike_domain", "examp1e.co.jp ~ example.co.jp", [
      "odd@examp1e.co.jp",
    ]);
    backend(PRACTICE, plan, undefined, {
      ...CHECKS,
      groups: [
        {
          domain: "gmial.com",
          count: 1,
          external: true,
          new: true,
          kind: "business",
          flagged: true,
        },
        {
          domain: "examp1e.co.jp",
          count: 1,
          external: true,
          new: false,
          kind: "business",
          flagged: true,
        },
        {
          domain: "docomo.ne.jp",
          count: 1,
          external: true,
          new: false,
          kind: "mobile",
          flagged: false,
        },
        {
          domain: "gmail.com",
          count: 1200,
          external: true,
          new: false,
          kind: "free_mail",
          flagged: false,
        },
        ...CHECKS.groups,
      ],
      warnings: [typo, lookalike],
    });
    show();

    const list = await screen.findByTestId("review-groups");
    expect(core.invoke).toHaveBeenCalledWith("check_plan", { planId: plan.id });
    const rows = within(list).getAllByTestId("review-group");
    // In the backend's order: the unusual first.
    expect(rows.map((r) => r.dataset.domain)).toEqual([
      "gmial.com",
      "examp1e.co.jp",
      "docomo.ne.jp",
      "gmail.com",
      "other.example",
      "example.jp",
    ]);
    const [typoRow, lookalikeRow, mobile, free, other, own] = rows;
    expect(typoRow).toHaveAttribute("data-flagged", "true");
    for (const badge of ["要確認", "社外", "初めての送信先"])
      expect(typoRow).toHaveTextContent(badge);
    expect(within(typoRow).getByTestId("review-group-note")).toHaveTextContent(
      "gmail.com の打ち間違いではありませんか？",
    );
    expect(within(lookalikeRow).getByTestId("review-group-note")).toHaveTextContent(
      "example.co.jp に似ています",
    );
    expect(mobile).toHaveTextContent("携帯");
    expect(free).toHaveTextContent("フリーメール");
    expect(free).toHaveTextContent("1,200 件");
    expect(other).toHaveTextContent("社外");
    expect(other).not.toHaveTextContent("要確認");
    expect(within(other).queryByTestId("review-group-note")).toBeNull();
    expect(own).not.toHaveTextContent("社外");
    expect(own).toHaveTextContent("2 件");

    // Each warning in words once more among the things to check, whom it concerns with it.
    const findings = screen.getAllByTestId("review-finding");
    expect(findings.map((f) => f.dataset.kind)).toEqual(["typo_domain", "lookalike_domain"]);
    expect(findings[0]).toHaveTextContent(
      "ドメインの打ち間違いかもしれません: gmial.com → gmail.com（1 件）",
    );
    expect(findings[0]).toHaveTextContent("mori@gmial.com");
    // A warning asks for a look; it does not stop the send. A typo's domain is ticked like any.
    expect(within(typoRow).getByTestId("review-group-check-gmial.com")).not.toBeChecked();
    await acknowledge();
    expect(screen.getByTestId("review-send")).toBeEnabled();
  });

  it("draws only the domains in view of thousands", async () => {
    const groups = Array.from({ length: 5000 }, (_, i) => ({
      ...CHECKS.groups[0],
      domain: `d${i}.example`,
    }));
    backend(PRACTICE, plan, undefined, { ...CHECKS, groups });
    show();
    const list = await screen.findByTestId("review-groups");
    const drawn = within(list).getAllByTestId("review-group");
    expect(drawn.length).toBeGreaterThan(0);
    expect(drawn.length).toBeLessThan(50);
    expect(list).toHaveTextContent("d0.example");
    // Each drawn row has its own checkbox, and the count covers those not drawn too.
    await fireEvent.click(within(drawn[0]).getByTestId("review-group-check-d0.example"));
    expect(screen.getByTestId("review-acks")).toHaveTextContent(
      "ドメイン 1 / 5,000 を確認しました",
    );
  });

  it("draws only the recipients in view of ten thousand, with the file each gets", async () => {
    const recipients = Array.from({ length: 10_000 }, (_, i) => ({
      address: `u${i}@example.jp`,
      name: `宛先${i}`,
      values: {},
      file: { name: `請求書_${i}.pdf`, size: 100, sha256: `sha-${i}` },
    }));
    backend(PRACTICE, { ...plan, recipients });
    show();
    const list = await screen.findByTestId("review-recipients");
    const drawn = within(list).getAllByTestId("review-recipient");
    expect(drawn.length).toBeGreaterThan(0);
    expect(drawn.length).toBeLessThan(50);
    expect(drawn[0]).toHaveTextContent("u0@example.jp 宛先0 請求書_0.pdf");
    expect(screen.getByTestId("review-total")).toHaveTextContent("10,000");
  });

  it("shows the first few recipients of a warning, and the others on request", async () => {
    const empty = Array.from({ length: 5 }, (_, i) => `u${i}@example.jp`);
    backend(PRACTICE, plan, undefined, {
      ...CHECKS,
      warnings: [finding("empty_field", "会社名", empty, 250)],
    });
    show();

    const item = await screen.findByTestId("review-finding");
    expect(item).toHaveTextContent("差し込み項目「会社名」が空の宛先が 250 件あります。");
    expect(within(item).getAllByRole("listitem")).toHaveLength(3);
    const more = within(item).getByRole("button", { name: "ほか 247 件" });
    expect(more).toHaveAttribute("aria-expanded", "false");

    await fireEvent.click(more);
    expect(within(item).getAllByRole("listitem")).toHaveLength(5);
    expect(item).toHaveTextContent("ほか 245 件（表示は先頭の 5 件までです）");
    await fireEvent.click(within(item).getByRole("button", { name: "たたむ" }));
    expect(within(item).getAllByRole("listitem")).toHaveLength(3);
  });

  it("cannot send while a blocker stands, and says why at the top", async () => {
    const blocked = finding("blocked", "", ["c@other.example"]);
    backend(PRACTICE, plan, undefined, {
      ...CHECKS,
      groups: CHECKS.groups.map((g) => ({ ...g, flagged: g.domain === "other.example" })),
      blockers: [blocked],
    });
    show();

    const blockers = await screen.findByTestId("review-blockers");
    expect(blockers).toHaveTextContent("送信できません");
    expect(blockers).toHaveTextContent("送信禁止のドメイン・アドレスにあたる宛先が 1 件あります。");
    expect(blockers).toHaveTextContent("c@other.example");
    const [other] = screen.getAllByTestId("review-group");
    expect(within(other).getByTestId("review-group-note")).toHaveTextContent(
      "送信禁止に指定された宛先が含まれています。",
    );

    await acknowledge();
    expect(screen.getByTestId("review-send")).toBeDisabled();
    expect(screen.getByTestId("review-blocked-note")).toHaveTextContent("送信できません");
    // Nothing to tick or type lifts a blocker: the note says what does.
    expect(screen.queryByTestId("review-missing")).toBeNull();
  });

  it("lists each attachment with its size, who gets it, and a risky one marked", async () => {
    backend(PRACTICE, plan, undefined, {
      ...CHECKS,
      attachments: [
        {
          name: "価格表_社外秘.xlsx",
          size: 2.5 * 1024 * 1024,
          sha256: "a",
          recipients: 3,
          own: false,
        },
        { name: "請求書_C001.pdf", size: 120_000, sha256: "b", recipients: 1, own: true },
      ],
      warnings: [
        finding(
          "risky_attachment",
          "価格表_社外秘.xlsx",
          plan.recipients.map((r) => r.address),
        ),
      ],
    });
    show();

    const files = await screen.findAllByTestId("review-attachment");
    expect(files).toHaveLength(2);
    expect(files[0]).toHaveTextContent("価格表_社外秘.xlsx");
    expect(files[0]).toHaveTextContent("2.5 MB");
    expect(files[0]).toHaveTextContent("全員（3 人）");
    expect(within(files[0]).getByTestId("review-attachment-risky")).toHaveTextContent(
      "取り扱いに注意が必要なファイルです",
    );
    expect(files[1]).toHaveTextContent("118 KB");
    expect(files[1]).toHaveTextContent("1 人");
    expect(within(files[1]).queryByTestId("review-attachment-risky")).toBeNull();
    // Each file is ticked by itself, named after its sha256 as the confirmation carries it.
    expect(within(files[0]).getByTestId("review-file-check-a")).not.toBeChecked();
    expect(within(files[1]).getByTestId("review-file-check-b")).not.toBeChecked();
  });

  it("says so when nothing is attached", async () => {
    backend(PRACTICE);
    show();
    expect(await screen.findByTestId("review-no-attachments")).toHaveTextContent(
      "添付ファイルはありません。",
    );
    expect(screen.queryByTestId("review-findings")).toBeNull();
    expect(screen.queryByTestId("review-blockers")).toBeNull();
  });

  it("holds a send now for the seconds set, but not a send at a chosen time", async () => {
    backend({ ...PRACTICE, preferences: { ...PRACTICE.preferences, hold_seconds: 60 } });
    const onsend = show();
    await acknowledge();
    expect(screen.getByTestId("review-hold")).toHaveTextContent(
      "「送信する」を押してから 60 秒間は、すべて取り消せます（送信保留）。",
    );

    const before = Date.now();
    await fireEvent.click(screen.getByTestId("review-send"));
    const [sent, confirmation, at, held] = onsend.mock.calls[0];
    expect(sent).toEqual(plan);
    expect(confirmation).toEqual(CONFIRMED);
    expect(held).toBe(true);
    const wait = Date.parse(at) - before;
    expect(wait).toBeGreaterThanOrEqual(60_000);
    expect(wait).toBeLessThan(62_000);

    await fireEvent.click(screen.getByTestId("review-when-later"));
    expect(screen.queryByTestId("review-hold")).toBeNull();
    const later = new Date(Date.now() + 2 * 60 * MINUTE);
    later.setSeconds(0, 0);
    await fireEvent.input(screen.getByTestId("review-at"), { target: { value: local(later) } });
    const scheduled = frozenAt(plan, later.toISOString());
    await vi.waitFor(() => expect(screen.getByTestId("review-send")).toBeEnabled());
    await fireEvent.click(screen.getByTestId("review-send"));
    expect(onsend).toHaveBeenLastCalledWith(
      scheduled,
      { ...CONFIRMED, digest: scheduled.digest },
      scheduled.route.at,
      false,
    );
  });
});

describe("Review samples", () => {
  beforeEach(() => {
    core.invoke.mockReset();
  });

  const many: Plan = {
    ...plan,
    recipients: Array.from({ length: 8 }, (_, i) => ({
      address: `r${i}@example.jp`,
      name: `宛先${i}`,
      values: {},
      file: null,
    })),
  };
  const addresses = many.recipients.map((r) => r.address);

  it("lists first, last, three at random and the warned, and previews the one clicked", async () => {
    backend(PRACTICE, many, undefined, {
      ...CHECKS,
      warnings: [
        finding("empty_field", "会社名", ["r2@example.jp", "r5@example.jp"]),
        finding("typo_domain", "gmial.com → gmail.com", ["r5@example.jp", "r6@example.jp"]),
      ],
    });
    show();

    await screen.findByTestId("review-sample-warned-0");
    // The first recipient's mail to begin with.
    expect(screen.getByTestId("review-sample-address")).toHaveTextContent("r0@example.jp");
    expect(screen.getByTestId("review-sample-first")).toHaveTextContent("最初");
    expect(screen.getByTestId("review-sample-first")).toHaveAttribute("aria-pressed", "true");
    expect(screen.getByTestId("review-sample-last")).toHaveTextContent("最後");
    expect(screen.getByText("無作為に 3 件")).toBeInTheDocument();

    const random = [0, 1, 2].map((i) =>
      screen.getByTestId(`review-sample-random-${i}`).textContent?.trim(),
    );
    expect(screen.queryByTestId("review-sample-random-3")).toBeNull();
    expect(new Set(random).size).toBe(3);
    for (const address of random) expect(addresses.slice(1, -1)).toContain(address);

    // Each named once, in the warnings' order.
    const warned = screen
      .getAllByTestId(/^review-sample-warned-\d+$/)
      .map((b) => b.textContent?.trim());
    expect(warned).toEqual(["r2@example.jp", "r5@example.jp", "r6@example.jp"]);
    expect(screen.queryByTestId("review-sample-warned-rest")).toBeNull();

    await fireEvent.click(screen.getByTestId("review-sample-last"));
    expect(core.invoke).toHaveBeenCalledWith("preview_plan", {
      planId: many.id,
      address: "r7@example.jp",
    });
    expect(screen.getByTestId("review-sample-address")).toHaveTextContent("r7@example.jp");
    expect(screen.getByTestId("review-sample-last")).toHaveAttribute("aria-pressed", "true");

    await fireEvent.click(screen.getByTestId("review-sample-random-1"));
    expect(core.invoke).toHaveBeenLastCalledWith("preview_plan", {
      planId: many.id,
      address: random[1],
    });

    await fireEvent.click(screen.getByTestId("review-sample-warned-2"));
    expect(core.invoke).toHaveBeenLastCalledWith("preview_plan", {
      planId: many.id,
      address: "r6@example.jp",
    });
    expect(screen.getByTestId("review-sample-address")).toHaveTextContent("r6@example.jp");
    expect(screen.getByText("宛先6 さんに届く内容です。")).toBeInTheDocument();

    await fireEvent.click(screen.getByTestId("review-sample-first"));
    expect(core.invoke).toHaveBeenLastCalledWith("preview_plan", {
      planId: many.id,
      address: "r0@example.jp",
    });
  });

  it("shows at most 20 of the warned, and says where the others are", async () => {
    const warned = Array.from({ length: 25 }, (_, i) => `w${i}@example.jp`);
    backend(PRACTICE, plan, undefined, {
      ...CHECKS,
      warnings: [finding("empty_field", "会社名", warned)],
    });
    show();

    expect(await screen.findByTestId("review-sample-warned-rest")).toHaveTextContent(
      "ほか 5 件は一覧で確認できます",
    );
    expect(screen.getAllByTestId(/^review-sample-warned-\d+$/)).toHaveLength(20);
    // Three recipients: only one between the first and the last to pick at random.
    expect(screen.getByText("無作為に 1 件")).toBeInTheDocument();
    expect(screen.getByTestId("review-sample-random-0")).toHaveTextContent("b@example.jp");
  });
});
