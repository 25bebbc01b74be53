import { beforeEach, describe, expect, it, vi } from "vitest";
import type { ContactEdit } from "../bindings/ContactEdit";
import type { AccountForm } from "../bindings/AccountForm";
import type { ContactQuery } from "../bindings/ContactQuery";
import type { ImportReport } from "../bindings/ImportReport";
import type { MailTemplate } from "../bindings/MailTemplate";
import type { NewCampaign } from "../bindings/NewCampaign";
import type { StoredFile } from "../bindings/StoredFile";

vi.mock("@tauri-apps/api/core", async () => (await import("../../test/fakeCore")).fakeCore);
const { fakeCore: core } = await import("../../test/fakeCore");
vi.mock("@tauri-apps/api/event", async () => (await import("../../test/fakeEvent")).fakeEvent);
const { emit } = await import("../../test/fakeEvent");

const { campaignDeliveries, listCampaigns } = await import("./history");
const compose = await import("./compose");
const { createCampaign } = compose;
const { cancelImport, defaultImportOptions, importContacts, saveProblemRows } =
  await import("./import");
const contacts = await import("./contacts");
const { listContacts, listLists } = contacts;
const { checkPlan, previewPlan, reviewCampaign } = await import("./review");
const send = await import("./send");
const settings = await import("./settings");
const { toIpcError } = await import("./ipc");

const query: ContactQuery = {
  search: "山田",
  list: null,
  tag: null,
  status: "all",
  sort: "name",
  descending: false,
  offset: 0,
  limit: 100,
};
const edit: ContactEdit = {
  address: "a@example.jp",
  name: "山田",
  last_name: null,
  first_name: null,
  kana: null,
  company: null,
  department: null,
  job_title: null,
  phone: null,
  fields: {},
};
const problemReport = { invalid: [] } as unknown as ImportReport;

describe("api wrappers", () => {
  beforeEach(() => {
    core.invoke.mockReset();
    core.invoke.mockResolvedValue(null);
  });

  const newCampaign: NewCampaign = {
    list: "顧客",
    subject: "s",
    html: "<p>h</p>",
    text: null,
    from: null,
    reply_to: null,
    unsubscribe: null,
    charset: "utf-8",
    attachments: [],
    images: [],
    attach_each: null,
  };
  const account: AccountForm = {
    name: "事務局",
    host: "smtp.example.jp",
    port: 587,
    security: "starttls",
    user: "office@example.jp",
    password: null,
    from: null,
    preset: null,
    limits: { windows: [{ seconds: 86400, max: 500 }], connections: 2 },
  };
  const image: StoredFile = { name: "logo.png", size: 68, sha256: "ab12" };
  const template: MailTemplate = {
    name: "月次",
    subject: "s",
    html: "<p>h</p>",
    text: null,
    attach_each: null,
    images: [],
    starter: false,
  };

  it.each([
    ["list_lists", () => listLists(), undefined],
    ["list_contacts", () => listContacts("顧客"), { list: "顧客" }],
    ["create_campaign", () => createCampaign(newCampaign), { draft: newCampaign }],
    ["merge_fields", () => compose.mergeFields("顧客", "ja"), { list: "顧客", locale: "ja" }],
    ["survey_campaign", () => compose.surveyCampaign(newCampaign), { draft: newCampaign }],
    [
      "prepare_test_send",
      () => compose.prepareTestSend(newCampaign, ["me@example.jp"], null, "ja"),
      { draft: newCampaign, to: ["me@example.jp"], sample: null, locale: "ja" },
    ],
    [
      "test_send",
      () => compose.testSend(newCampaign, ["me@example.jp"], null, "ja", { digest: "ab" }),
      {
        draft: newCampaign,
        to: ["me@example.jp"],
        sample: null,
        locale: "ja",
        confirmation: { digest: "ab" },
      },
    ],
    [
      "preview_mail",
      () => compose.previewMail(newCampaign, "a@example.jp"),
      { draft: newCampaign, address: "a@example.jp" },
    ],
    [
      "own_files",
      () => compose.ownFiles("顧客", "C:\\請求書\\{{顧客ID}}.pdf"),
      { list: "顧客", pattern: "C:\\請求書\\{{顧客ID}}.pdf" },
    ],
    ["store_image", () => compose.storeImage("/tmp/logo.png"), { path: "/tmp/logo.png" }],
    ["image_urls", () => compose.imageUrls([image]), { images: [image] }],
    ["sanitize_html", () => compose.sanitizeHtml("<p>x</p>"), { html: "<p>x</p>" }],
    ["list_templates", () => compose.listTemplates(), undefined],
    ["save_template", () => compose.saveTemplate(template), { template }],
    [
      "duplicate_template",
      () => compose.duplicateTemplate("お知らせ", "お知らせ 2"),
      { name: "お知らせ", newName: "お知らせ 2" },
    ],
    ["delete_template", () => compose.deleteTemplate("月次"), { name: "月次" }],
    ["save_draft", () => compose.saveDraft(newCampaign), { draft: newCampaign }],
    ["load_draft", () => compose.loadDraft(), undefined],
    ["discard_draft", () => compose.discardDraft(), undefined],
    ["review_campaign", () => reviewCampaign(3, null), { campaign: 3, at: null }],
    [
      "send_plan",
      () => send.sendPlan(5, { digest: "abc" }, "2026-12-01T00:00:00.000Z"),
      { planId: 5, confirmation: { digest: "abc" }, at: "2026-12-01T00:00:00.000Z" },
    ],
    ["send_status", () => send.sendStatus(4), { campaign: 4 }],
    ["pause_campaign", () => send.pauseCampaign(4), { campaign: 4 }],
    ["cancel_campaign", () => send.cancelCampaign(4), { campaign: 4 }],
    ["resume_campaign", () => send.resumeCampaign(4), { campaign: 4 }],
    ["retry_campaign", () => send.retryCampaign(4, true), { campaign: 4, unknown: true }],
    ["problem_recipients", () => send.problemRecipients(4), { campaign: 4 }],
    ["undecided_runs", () => send.undecidedRuns(), undefined],
    ["preview_plan", () => previewPlan(3, null), { planId: 3, address: null }],
    ["check_plan", () => checkPlan(3), { planId: 3 }],
    ["list_campaigns", () => listCampaigns(), undefined],
    ["campaign_deliveries", () => campaignDeliveries(4), { campaign: 4 }],
    ["get_settings", () => settings.getSettings(), undefined],
    ["open_practice_mailbox", () => settings.openPracticeMailbox(), undefined],
    [
      "set_preferences",
      () =>
        settings.setPreferences({
          large_message_mb: 20,
          account: null,
          own_domains: ["office.jp"],
          blocked: [],
          hold_seconds: 60,
        }),
      {
        preferences: {
          large_message_mb: 20,
          account: null,
          own_domains: ["office.jp"],
          blocked: [],
          hold_seconds: 60,
        },
      },
    ],
    ["save_account", () => settings.saveAccount(account), { form: account }],
    ["delete_account", () => settings.deleteAccount("事務局"), { name: "事務局" }],
    ["test_account", () => settings.testAccount(account), { form: account }],
    ["list_presets", () => settings.listPresets(), undefined],
    ["estimate_send", () => settings.estimateSend(120), { count: 120 }],
    ["cancel_import", () => cancelImport(), undefined],
    [
      "save_problem_rows",
      () => saveProblemRows(problemReport, "/tmp/直す.csv"),
      { report: problemReport, path: "/tmp/直す.csv" },
    ],
    ["query_contacts", () => contacts.queryContacts(query), { query }],
    ["update_contact", () => contacts.updateContact(3, edit), { id: 3, edit }],
    ["trash_contacts", () => contacts.trashContacts([1, 2]), { ids: [1, 2] }],
    ["restore_contacts", () => contacts.restoreContacts([1]), { ids: [1] }],
    ["empty_trash", () => contacts.emptyTrash(), undefined],
    ["tag_contacts", () => contacts.tagContacts([1], "VIP"), { ids: [1], tag: "VIP" }],
    ["untag_contacts", () => contacts.untagContacts([1], "VIP"), { ids: [1], tag: "VIP" }],
    ["list_tags", () => contacts.listTags(), undefined],
    ["create_list", () => contacts.createList("新規"), { name: "新規" }],
    ["rename_list", () => contacts.renameList("旧", "新"), { name: "旧", newName: "新" }],
    ["delete_list", () => contacts.deleteList("旧"), { name: "旧" }],
    ["add_list_members", () => contacts.addListMembers("顧客", [4]), { list: "顧客", ids: [4] }],
    [
      "remove_list_members",
      () => contacts.removeListMembers("顧客", [4]),
      { list: "顧客", ids: [4] },
    ],
    [
      "suppress_addresses",
      () => contacts.suppressAddresses(["a@example.jp"], "bounced", null),
      { addresses: ["a@example.jp"], reason: "bounced", note: null },
    ],
    [
      "unsuppress_addresses",
      () => contacts.unsuppressAddresses(["a@example.jp"]),
      { addresses: ["a@example.jp"] },
    ],
    ["list_suppressions", () => contacts.listSuppressions(), undefined],
    [
      "export_contacts",
      () => contacts.exportContacts(query, "/tmp/a.xlsx", { format: "xlsx", encoding: "utf-8" }),
      { query, path: "/tmp/a.xlsx", options: { format: "xlsx", encoding: "utf-8" } },
    ],
  ])("%s is invoked with its argument keys", async (command, run, args) => {
    await run();
    expect(core.invoke).toHaveBeenCalledExactlyOnceWith(command, args);
  });

  it("hands the send events' payloads to their handlers until they stop listening", async () => {
    const seen: unknown[] = [];
    const stops = await Promise.all([
      send.onSendProgress((p) => seen.push(["progress", p.campaign_id])),
      send.onSendEnded((s) => seen.push(["ended", s.state])),
      send.onSendFailed((plan, e) => seen.push(["failed", plan, e])),
    ]);
    emit("send-progress", { campaign_id: 7 });
    emit("send-ended", { campaign_id: 7, state: "paused" });
    emit("send-failed", [11, { code: "smtp", message: "421" }]);
    emit("send-failed", [12, "no route"]);
    expect(seen).toEqual([
      ["progress", 7],
      ["ended", "paused"],
      ["failed", 11, { code: "smtp", message: "421" }],
      ["failed", 12, { code: "internal", message: "no route" }],
    ]);

    for (const stop of stops) stop();
    emit("send-progress", { campaign_id: 7 });
    expect(seen).toHaveLength(4);
  });

  it("import_contacts passes the options and a progress channel", async () => {
    const seen: unknown[] = [];
    core.invoke.mockImplementation(async (_command, args) => {
      args.onProgress.onmessage({ done: 2000, total: 5000 });
      return { imported: 5000 };
    });
    const options = { ...defaultImportOptions("顧客"), dry_run: true };
    const report = await importContacts("/tmp/a.xlsx", options, (p) => seen.push(p));
    const [command, args] = core.invoke.mock.calls[0];
    expect(command).toBe("import_contacts");
    expect(Object.keys(args).sort()).toEqual(["onProgress", "options", "path"]);
    expect(args.path).toBe("/tmp/a.xlsx");
    expect(args.options).toEqual({
      list: "顧客",
      sheet: null,
      header_row: null,
      mapping: [],
      encoding: null,
      mode: "upsert",
      dry_run: true,
    });
    expect(seen).toEqual([{ done: 2000, total: 5000 }]);
    expect(report).toEqual({ imported: 5000 });
  });

  it("rejects with a normalised IpcError", async () => {
    core.invoke.mockRejectedValue({ code: "plan_changed", message: "digest mismatch" });
    await expect(reviewCampaign(1, null)).rejects.toEqual({
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
