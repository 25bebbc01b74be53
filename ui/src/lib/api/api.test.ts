import { beforeEach, describe, expect, it, vi } from "vitest";

vi.mock("@tauri-apps/api/core", async () => (await import("../../test/fakeCore")).fakeCore);
const { fakeCore: core } = await import("../../test/fakeCore");

const { campaignDeliveries, listCampaigns } = await import("./history");
const { createCampaign } = await import("./compose");
const { importContacts } = await import("./import");
const { listContacts, listLists } = await import("./contacts");
const { reviewCampaign } = await import("./review");
const { sendPlan } = await import("./send");
const { getSettings, openPracticeMailbox, setSmtp } = await import("./settings");
const { toIpcError } = await import("./ipc");

describe("api wrappers", () => {
  beforeEach(() => {
    core.invoke.mockReset();
    core.invoke.mockResolvedValue(null);
  });

  it.each([
    [
      "import_contacts",
      () => importContacts("/tmp/a.csv", "顧客"),
      { path: "/tmp/a.csv", list: "顧客" },
    ],
    ["list_lists", () => listLists(), undefined],
    ["list_contacts", () => listContacts("顧客"), { list: "顧客" }],
    [
      "create_campaign",
      () => createCampaign({ list: "顧客", subject: "s", html: "<p>h</p>", from: null }),
      { draft: { list: "顧客", subject: "s", html: "<p>h</p>", from: null } },
    ],
    ["review_campaign", () => reviewCampaign(3), { campaign: 3 }],
    ["list_campaigns", () => listCampaigns(), undefined],
    ["campaign_deliveries", () => campaignDeliveries(4), { campaign: 4 }],
    ["get_settings", () => getSettings(), undefined],
    ["set_smtp", () => setSmtp(null), { smtp: null }],
    ["open_practice_mailbox", () => openPracticeMailbox(), undefined],
  ])("%s is invoked with its argument keys", async (command, run, args) => {
    await run();
    expect(core.invoke).toHaveBeenCalledExactlyOnceWith(command, args);
  });

  it("send_plan passes a channel that delivers progress to the caller", async () => {
    const seen: unknown[] = [];
    core.invoke.mockImplementation(async (_command, args) => {
      args.onProgress.onmessage({ total: 2, done: 1 });
      return { campaign_id: 9 };
    });
    const summary = await sendPlan(5, { digest: "abc" }, (p) => seen.push(p));
    const [command, args] = core.invoke.mock.calls[0];
    expect(command).toBe("send_plan");
    expect(Object.keys(args).sort()).toEqual(["confirmation", "onProgress", "planId"]);
    expect(args.planId).toBe(5);
    expect(args.confirmation).toEqual({ digest: "abc" });
    expect(args.onProgress).toBeInstanceOf(core.Channel);
    expect(seen).toEqual([{ total: 2, done: 1 }]);
    expect(summary).toEqual({ campaign_id: 9 });
  });

  it("rejects with a normalised IpcError", async () => {
    core.invoke.mockRejectedValue({ code: "plan_changed", message: "digest mismatch" });
    await expect(reviewCampaign(1)).rejects.toEqual({
      code: "plan_changed",
      message: "digest mismatch",
    });
  });
});

describe("toIpcError", () => {
  it("keeps a known code and its message", () => {
    expect(toIpcError({ code: "smtp", message: "530 auth" })).toEqual({
      code: "smtp",
      message: "530 auth",
    });
  });

  it("maps unknown codes, plain strings and Errors to internal", () => {
    expect(toIpcError({ code: "weird", message: "m" })).toEqual({ code: "internal", message: "m" });
    expect(toIpcError("invalid args `planId`")).toEqual({
      code: "internal",
      message: "invalid args `planId`",
    });
    expect(toIpcError(new Error("boom"))).toEqual({ code: "internal", message: "boom" });
  });
});
