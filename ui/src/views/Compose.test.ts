import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { CreatedCampaign } from "../lib/bindings/CreatedCampaign";
import type { MailPreview } from "../lib/bindings/MailPreview";
import type { MailTemplate } from "../lib/bindings/MailTemplate";
import type { NewCampaign } from "../lib/bindings/NewCampaign";
import type { OwnFile } from "../lib/bindings/OwnFile";
import type { Draft } from "./draft";

vi.mock("@tauri-apps/api/core", async () => (await import("../test/fakeCore")).fakeCore);
vi.mock("@tauri-apps/plugin-dialog", () => ({ open: vi.fn(), save: vi.fn() }));
const { fakeCore: core } = await import("../test/fakeCore");
const dialog = await import("@tauri-apps/plugin-dialog");
const open = vi.mocked(dialog.open);

// jsdom lays nothing out, while ProseMirror measures the caret to keep it in view.
Range.prototype.getClientRects = () => [] as unknown as DOMRectList;
Range.prototype.getBoundingClientRect = () => new DOMRect();

const { default: Compose } = await import("./Compose.svelte");

const STANDARD = [
  "氏名",
  "姓",
  "名",
  "フリガナ",
  "会社名",
  "部署",
  "役職",
  "電話",
  "メールアドレス",
];
const RECIPIENTS = ["aoki@example.jp", "chiba@example.jp", "endo@example.jp"];
const NAMES: Record<string, string> = {
  "aoki@example.jp": "青木",
  "chiba@example.jp": "千葉",
  "endo@example.jp": "遠藤",
};

const STARTER: MailTemplate = {
  name: "お知らせ",
  subject: "【お知らせ】{{氏名}}様へ",
  html: "<p>いつもお世話になっております。</p>",
  text: null,
  attach_each: null,
  images: [],
  starter: true,
};
const OWN: MailTemplate = {
  name: "月次のご案内",
  subject: "今月のご案内",
  html: "<p>今月の予定です。</p>",
  text: null,
  attach_each: "{{顧客ID}}.pdf",
  images: [],
  starter: false,
};

/** The draft as the form sends it before anything but the list was chosen. */
const EMPTY: NewCampaign = {
  list: "顧客",
  subject: "",
  html: "",
  text: null,
  from: null,
  reply_to: null,
  unsubscribe: null,
  charset: "utf-8",
  attachments: [],
  images: [],
  attach_each: null,
};

const SUMMARY: CreatedCampaign = {
  id: 5,
  recipients: 3,
  attachments: [],
  with_own_file: 0,
  without_own_file: [],
  honorifics: [],
  largest_message: 20_000,
  too_large: false,
  warn_above: 10_485_760,
};

/** The mail as the backend would build it: the subject merged with the recipient's name. */
function mailFor(draft: NewCampaign, address: string | null): MailPreview {
  const to = address ?? RECIPIENTS[0];
  return {
    recipients: RECIPIENTS,
    address: to,
    subject: draft.subject.replace("{{氏名}}", NAMES[to]),
    html: `<!DOCTYPE html><html><head></head><body>${draft.html}</body></html>`,
    text: `${NAMES[to]} 様\n\n本文`,
    attachments: draft.attachments.map((p) => p.split(/[\\/]/).pop() ?? p),
    honorifics: [],
    unencodable: [],
  };
}

type Handler = (args: Record<string, unknown>) => unknown;

/** Answers every command the view sends; a test replaces the ones it is about. */
function backend(handlers: Record<string, Handler> = {}) {
  const defaults: Record<string, Handler> = {
    list_lists: () => [
      { id: 1, name: "顧客", contacts: 3 },
      { id: 2, name: "セミナー", contacts: 1 },
    ],
    merge_fields: ({ list }) => {
      const offered = list === "顧客" ? [...STANDARD, "顧客ID"] : STANDARD;
      return { offered, accepted: [...offered, "name", "email"] };
    },
    load_draft: () => null,
    save_draft: () => null,
    discard_draft: () => null,
    image_urls: () => ({}),
    sanitize_html: ({ html }) => html,
    list_templates: () => [OWN, STARTER],
    save_template: () => null,
    preview_mail: ({ draft, address }) => mailFor(draft as NewCampaign, address as string | null),
    own_files: () => [],
    survey_campaign: () => ({ ...SUMMARY, id: 0 }),
    create_campaign: () => SUMMARY,
  };
  const all = { ...defaults, ...handlers };
  core.invoke.mockImplementation(async (command: string, args: Record<string, unknown>) => {
    const handler = all[command];
    if (!handler) throw { code: "internal", message: `unexpected ${command}` };
    return handler(args);
  });
}

function calls(command: string): Record<string, unknown>[] {
  return core.invoke.mock.calls.filter(([c]) => c === command).map(([, args]) => args);
}

function lastCall(command: string): Record<string, unknown> {
  const all = calls(command);
  expect(all.length, command).toBeGreaterThan(0);
  return all[all.length - 1];
}

/** Renders the view as App does, and waits until it has looked for a saved draft. */
async function renderCompose(draft: Partial<Draft> = {}) {
  const props = {
    draft: { list: "", subject: "", from: "", html: "", ...draft },
    onsaved: vi.fn(),
    onimport: vi.fn(),
  };
  render(Compose, props);
  await screen.findByRole("option", { name: "顧客（3 件）" });
  await screen.findByTestId("editor-body");
  await waitFor(() => expect(calls("merge_fields")).not.toHaveLength(0));
  return props;
}

async function type(testId: string, value: string) {
  await fireEvent.input(screen.getByTestId(testId), { target: { value } });
}

/** jsdom has no DataTransfer; ProseMirror only calls getData on the event's clipboardData. */
function pasteEvent(data: Record<string, string>): Event {
  const event = new Event("paste", { bubbles: true, cancelable: true });
  Object.defineProperty(event, "clipboardData", {
    value: { getData: (type: string) => data[type] ?? "", types: Object.keys(data) },
  });
  return event;
}

function subjectLine(): HTMLElement {
  return screen.getByTestId("compose-subject");
}

/**
 * Puts the caret in the subject where a click would; ProseMirror reads it from the document's
 * selection. (Just after focusing, it takes a caret at the very start for one the browser reset.)
 */
async function placeCaret(text: Node, offset: number) {
  subjectLine().focus();
  document.getSelection()!.collapse(text, offset);
  await fireEvent(document, new Event("selectionchange"));
}

/** Replaces the subject as a user can: selecting all of it and pasting the new text. */
async function typeSubject(text: string) {
  await fireEvent.keyDown(subjectLine(), { key: "a", ctrlKey: true });
  await fireEvent(subjectLine(), pasteEvent({ "text/plain": text }));
}

/** Writes the body through the editor's HTML source view, as a user pasting HTML would. */
async function typeBody(html: string) {
  await fireEvent.click(screen.getByTestId("editor-source"));
  await type("editor-source-text", html);
}

async function writeMail(subject = "{{氏名}}様 ご案内", html = "<p>本文</p>") {
  await typeSubject(subject);
  await typeBody(html);
}

async function shownPreview() {
  return waitFor(() => {
    expect(screen.getByTestId("compose-preview-subject")).toBeInTheDocument();
    return screen.getByTestId("compose-preview-subject");
  });
}

function frame(): HTMLIFrameElement {
  return screen.getByTestId("compose-preview-frame") as HTMLIFrameElement;
}

describe("Compose", () => {
  beforeEach(() => {
    core.invoke.mockReset();
    open.mockReset();
  });

  it("preselects the list handed over and offers that list's merge fields", async () => {
    backend();
    await renderCompose({ list: "セミナー" });

    expect(screen.getByTestId("compose-list")).toHaveValue("セミナー");
    expect(lastCall("merge_fields")).toEqual({ list: "セミナー", locale: "ja" });
    await fireEvent.click(screen.getByTestId("editor-fields"));
    const menu = () => within(screen.getByTestId("editor-panel")).getAllByRole("button");
    expect(menu().map((b) => b.textContent?.trim())).toEqual(STANDARD);

    await fireEvent.change(screen.getByTestId("compose-list"), { target: { value: "顧客" } });
    await waitFor(() => expect(lastCall("merge_fields")).toEqual({ list: "顧客", locale: "ja" }));
    await fireEvent.click(screen.getByTestId("editor-fields"));
    await fireEvent.click(screen.getByTestId("editor-fields"));
    await waitFor(() => expect(menu().map((b) => b.textContent?.trim())).toContain("顧客ID"));
  });

  it("inserts a merge field into the subject where the caret is", async () => {
    backend();
    const { draft } = await renderCompose();
    await typeSubject("【ご案内】様");
    await placeCaret(subjectLine().querySelector("p")!.firstChild!, "【ご案内】".length);

    await fireEvent.click(screen.getByTestId("compose-subject-fields"));
    await fireEvent.click(screen.getByRole("menuitem", { name: "会社名" }));

    expect(draft.subject).toBe("【ご案内】{{会社名}}様");
    expect(subjectLine().querySelector(".merge-chip")).toHaveAttribute(
      "data-merge-field",
      "会社名",
    );
    expect(screen.queryByRole("menu")).not.toBeInTheDocument();
    // The caret is left after the field, where the next words go.
    await fireEvent(subjectLine(), pasteEvent({ "text/plain": " 御中 " }));
    expect(draft.subject).toBe("【ご案内】{{会社名}} 御中 様");
  });

  it("previews the whole draft once typing pauses", async () => {
    backend();
    await renderCompose();
    await typeSubject("{{氏名}}");
    await typeSubject("{{氏名}}様");
    await writeMail();

    expect(await shownPreview()).toHaveTextContent("青木様 ご案内");
    expect(calls("preview_mail")).toEqual([
      {
        draft: { ...EMPTY, subject: "{{氏名}}様 ご案内", html: "<p>本文</p>" },
        address: null,
      },
    ]);
    expect(frame()).toHaveAttribute("sandbox", "");
    expect(frame().getAttribute("srcdoc")).toContain("<p>本文</p>");
  });

  it("steps through the recipients", async () => {
    backend();
    await renderCompose();
    await writeMail();
    await shownPreview();
    expect(screen.getByTestId("compose-preview-prev")).toBeDisabled();

    await fireEvent.click(screen.getByTestId("compose-preview-next"));
    await waitFor(() =>
      expect(screen.getByTestId("compose-preview-subject")).toHaveTextContent("千葉様"),
    );
    expect(lastCall("preview_mail").address).toBe("chiba@example.jp");
    expect(screen.getByTestId("compose-preview-recipient")).toHaveValue("chiba@example.jp");

    await fireEvent.change(screen.getByTestId("compose-preview-recipient"), {
      target: { value: "endo@example.jp" },
    });
    await waitFor(() => expect(screen.getByTestId("compose-preview-next")).toBeDisabled());
    expect(lastCall("preview_mail").address).toBe("endo@example.jp");

    await fireEvent.click(screen.getByTestId("compose-preview-prev"));
    await waitFor(() => expect(lastCall("preview_mail").address).toBe("chiba@example.jp"));

    // An edit keeps showing the recipient the user chose.
    await typeSubject("{{氏名}}様 再送");
    await waitFor(() =>
      expect(screen.getByTestId("compose-preview-subject")).toHaveTextContent("千葉様 再送"),
    );
    expect(lastCall("preview_mail").address).toBe("chiba@example.jp");
  });

  it("holds back remote images until asked, and shows the mail's own ones", async () => {
    backend();
    await renderCompose();
    const html =
      '<p><img src="https://tracker.example/open.gif" alt="logo">' +
      '<img src="data:image/png;base64,iVBORw0KGgo="></p>';
    await writeMail("ご案内", html);
    await shownPreview();

    const images = () =>
      [
        ...new DOMParser()
          .parseFromString(frame().getAttribute("srcdoc") ?? "", "text/html")
          .querySelectorAll("img"),
      ].map((img) => ({ src: img.getAttribute("src"), alt: img.getAttribute("alt") }));
    expect(images()).toEqual([
      { src: null, alt: "［外部の画像］" },
      { src: "data:image/png;base64,iVBORw0KGgo=", alt: null },
    ]);
    expect(screen.getByText("外部の画像 1 件を表示していません。")).toBeInTheDocument();

    await fireEvent.click(screen.getByTestId("compose-remote-images"));
    expect(images()[0]).toEqual({ src: "https://tracker.example/open.gif", alt: "logo" });
    expect(screen.queryByTestId("compose-remote-images")).not.toBeInTheDocument();
  });

  it("switches between computer and phone width, and to the text part", async () => {
    backend();
    await renderCompose();
    await writeMail();
    await shownPreview();
    const width = within(screen.getByTestId("compose-preview-width"));

    expect(frame().parentElement).toHaveStyle({ width: "640px" });
    await fireEvent.click(width.getByRole("button", { name: "スマートフォン" }));
    expect(frame().parentElement).toHaveStyle({ width: "375px" });

    await fireEvent.click(screen.getByTestId("compose-preview-text-toggle"));
    expect(screen.getByTestId("compose-preview-text")).toHaveTextContent("青木 様");
    expect(screen.queryByTestId("compose-preview-frame")).not.toBeInTheDocument();
  });

  it("says why a draft does not build and keeps the last good preview", async () => {
    let fail = false;
    backend({
      preview_mail: ({ draft, address }) => {
        if (fail) throw { code: "invalid_input", message: "unknown merge field {{部署名}}" };
        return mailFor(draft as NewCampaign, address as string | null);
      },
    });
    await renderCompose();
    await writeMail();
    expect(await shownPreview()).toHaveTextContent("青木様 ご案内");

    fail = true;
    await typeSubject("{{部署名}} ご案内");
    const error = await screen.findByTestId("compose-preview-error");
    expect(error).toHaveTextContent("このままでは送れない所があります");
    expect(error).toHaveTextContent("unknown merge field {{部署名}}");
    expect(screen.getByTestId("compose-preview-subject")).toHaveTextContent("青木様 ご案内");

    fail = false;
    await typeSubject("{{部署}} ご案内");
    await waitFor(() => expect(screen.queryByTestId("compose-preview-error")).toBeNull());
  });

  it("shows the honorifics left out and the characters ISO-2022-JP cannot carry", async () => {
    backend({
      preview_mail: ({ draft }) => ({
        ...mailFor(draft as NewCampaign, null),
        honorifics: [
          { address: "aoki@example.jp", field: "氏名", value: "山田様" },
          { address: "aoki@example.jp", field: "氏名", value: "山田様" },
        ],
        unencodable: ["①", "髙"],
      }),
    });
    await renderCompose();
    await fireEvent.click(screen.getByTestId("compose-charset-jis"));
    await writeMail();
    const warnings = await screen.findByTestId("compose-preview-warnings");

    expect(within(warnings).getAllByRole("listitem")).toHaveLength(2);
    expect(warnings).toHaveTextContent("「山田様」の後ろの「様」は付けずに送ります。");
    expect(warnings).toHaveTextContent("ISO-2022-JP では送れない文字があります: ① 髙");
    expect((lastCall("preview_mail").draft as NewCampaign).charset).toBe("iso-2022-jp");
  });

  it("adds attachments from the dialog and sends those left in the list", async () => {
    backend();
    const { onsaved } = await renderCompose();
    open.mockResolvedValueOnce(["/home/u/案内.pdf", "C:\\資料\\地図.png"]);
    await fireEvent.click(screen.getByTestId("compose-attach"));

    const listed = await screen.findAllByTestId("compose-attachment");
    expect(listed.map((item) => item.querySelector(".name")?.textContent)).toEqual([
      "案内.pdf",
      "地図.png",
    ]);
    expect(open).toHaveBeenCalledWith({ multiple: true, directory: false });

    await fireEvent.click(screen.getByRole("button", { name: "「地図.png」を外す" }));
    expect(screen.getAllByTestId("compose-attachment")).toHaveLength(1);

    await writeMail();
    await waitFor(() =>
      expect(screen.getByTestId("compose-preview-attachments")).toHaveTextContent("案内.pdf"),
    );
    await fireEvent.click(screen.getByTestId("compose-submit"));
    await waitFor(() => expect(onsaved).toHaveBeenCalledWith(5));
    expect(calls("create_campaign")).toEqual([
      {
        draft: {
          ...EMPTY,
          subject: "{{氏名}}様 ご案内",
          html: "<p>本文</p>",
          attachments: ["/home/u/案内.pdf"],
        },
      },
    ]);
  });

  it("finds each recipient's own file and marks who has none", async () => {
    const rows: OwnFile[] = [
      { address: "aoki@example.jp", file: "C001.pdf", size: 1200 },
      { address: "chiba@example.jp", file: null, size: null },
      { address: "endo@example.jp", file: "C003.pdf", size: 900 },
    ];
    backend({ own_files: () => rows });
    await renderCompose();
    open.mockResolvedValueOnce("C:\\請求書");
    await fireEvent.click(screen.getByTestId("compose-each-folder"));

    // The list has 顧客ID, so the usual name of an invoice file is suggested.
    await waitFor(() =>
      expect(screen.getByTestId("compose-each-pattern")).toHaveValue("{{顧客ID}}.pdf"),
    );
    expect(open).toHaveBeenCalledWith({ multiple: false, directory: true });
    const table = await screen.findAllByTestId("compose-own-file");
    expect(calls("own_files")).toEqual([{ list: "顧客", pattern: "C:\\請求書\\{{顧客ID}}.pdf" }]);
    expect(table.map((row) => row.dataset.missing)).toEqual(["false", "true", "false"]);
    expect(table[1]).toHaveTextContent("見つかりません");
    const summary = screen.getByTestId("compose-own-summary");
    expect(summary).toHaveTextContent("2 件の宛先にファイルがあります。");
    expect(summary).toHaveTextContent("1 件の宛先はファイルが見つかりません。");

    await fireEvent.click(screen.getByLabelText("見つからない宛先だけを表示"));
    expect(screen.getAllByTestId("compose-own-file")).toHaveLength(1);

    // Typing goes to the backend once the typing pauses, not at every key.
    await type("compose-each-pattern", "{{顧客ID}}");
    await type("compose-each-pattern", "{{顧客ID}}_請求書");
    await type("compose-each-pattern", "{{顧客ID}}_請求書.pdf");
    await waitFor(() => expect(calls("own_files")).toHaveLength(2));
    expect(lastCall("own_files").pattern).toBe("C:\\請求書\\{{顧客ID}}_請求書.pdf");
  });

  it("test-sends to the user's own addresses only after showing what goes where", async () => {
    backend({
      prepare_test_send: ({ to, sample }) => ({
        digest: "d1",
        to,
        subject: "[テスト] 青木様 ご案内",
        sample: sample ?? RECIPIENTS[0],
      }),
      test_send: ({ to }) =>
        (to as string[]).map((address) => ({ address, sent: true, reply: "250 OK" })),
    });
    await renderCompose();
    await writeMail();
    await waitFor(() =>
      expect(screen.getByTestId("compose-preview-subject")).toHaveTextContent("ご案内"),
    );
    await type("compose-test-to", "me@example.jp, boss@example.jp");
    await fireEvent.click(screen.getByTestId("compose-test-prepare"));

    const confirm = await screen.findByTestId("compose-test-confirm");
    expect(confirm).toHaveTextContent("2 件のアドレスに送ります");
    expect(screen.getByTestId("compose-test-subject")).toHaveTextContent("[テスト] 青木様 ご案内");
    expect(lastCall("prepare_test_send")).toMatchObject({
      to: ["me@example.jp", "boss@example.jp"],
      sample: RECIPIENTS[0],
      locale: "ja",
    });
    expect(calls("test_send")).toHaveLength(0);

    await fireEvent.click(screen.getByTestId("compose-test-send"));
    const results = await screen.findByTestId("compose-test-results");
    expect(results).toHaveTextContent("me@example.jp に送りました。");
    expect(lastCall("test_send")).toMatchObject({
      to: ["me@example.jp", "boss@example.jp"],
      confirmation: { digest: "d1" },
    });
    expect(screen.queryByTestId("compose-test-confirm")).toBeNull();
  });

  it("takes a path pasted or typed as the file name as its folder and name", async () => {
    backend();
    await renderCompose();
    // Typed key by key: each separator moves the folder typed so far out of the name.
    const path = "/home/u/請求書/{{顧客ID}}.pdf";
    const input = screen.getByTestId("compose-each-pattern") as HTMLInputElement;
    for (const key of path) await type("compose-each-pattern", input.value + key);
    await waitFor(() =>
      expect(screen.getByTestId("compose-each-pattern")).toHaveValue("{{顧客ID}}.pdf"),
    );
    expect(screen.getByTitle("/home/u/請求書")).toBeInTheDocument();
    await waitFor(() =>
      expect(lastCall("own_files")).toEqual({
        list: "顧客",
        pattern: "/home/u/請求書/{{顧客ID}}.pdf",
      }),
    );
  });

  it("restores the autosaved draft with its images, and discards it on request", async () => {
    const logo = { name: "logo.png", size: 68, sha256: "ab12" };
    const saved: NewCampaign = {
      list: "セミナー",
      subject: "前回の件名",
      html: '<p>前回の本文</p><p><img src="cid:ab12@shisa"></p>',
      text: null,
      from: "office@example.jp",
      reply_to: "reply@example.jp",
      unsubscribe: null,
      charset: "iso-2022-jp",
      attachments: ["/home/u/案内.pdf"],
      images: [logo],
      attach_each: "/home/u/請求書/{{顧客ID}}.pdf",
    };
    const url = "data:image/png;base64,iVBORw0KGgo=";
    backend({ load_draft: () => saved, image_urls: () => ({ "ab12@shisa": url }) });
    await renderCompose();

    expect(screen.getByTestId("compose-draft-restored")).toHaveTextContent(
      "前回の下書きを復元しました",
    );
    expect(screen.getByTestId("compose-list")).toHaveValue("セミナー");
    expect(subjectLine().textContent).toBe("前回の件名");
    expect(screen.getByTestId("compose-from")).toHaveValue("office@example.jp");
    expect(screen.getByTestId("compose-reply-to")).toHaveValue("reply@example.jp");
    expect(screen.getByTestId("compose-charset-jis")).toBeChecked();
    expect(screen.getByTestId("compose-each-pattern")).toHaveValue("{{顧客ID}}.pdf");
    expect(screen.getByText("/home/u/請求書")).toBeInTheDocument();
    expect(screen.getAllByTestId("compose-attachment")).toHaveLength(1);
    expect(calls("image_urls")).toEqual([{ images: [logo] }]);
    const body = screen.getByTestId("editor-body");
    expect(body).toHaveTextContent("前回の本文");
    await waitFor(() => expect(body.querySelector("img[data-src]")).toHaveAttribute("src", url));

    await fireEvent.click(screen.getByTestId("compose-draft-discard"));
    await waitFor(() => expect(screen.queryByTestId("compose-draft-restored")).toBeNull());
    expect(calls("discard_draft")).toHaveLength(1);
    expect(subjectLine().textContent).toBe("");
    expect(screen.getByTestId("compose-from")).toHaveValue("");
    expect(screen.getByTestId("editor-body")).not.toHaveTextContent("前回の本文");
    expect(screen.queryByTestId("compose-attachment")).toBeNull();
    expect(screen.getByTestId("compose-list")).toHaveValue("セミナー");
  });

  it("keeps the list handed over by an import when it restores a draft", async () => {
    backend({ load_draft: () => ({ ...EMPTY, list: "顧客", subject: "前回の件名" }) });
    await renderCompose({ list: "セミナー" });
    expect(subjectLine().textContent).toBe("前回の件名");
    expect(screen.getByTestId("compose-list")).toHaveValue("セミナー");
  });

  it("saves the draft a moment after the last edit", async () => {
    backend();
    await renderCompose();
    await typeSubject("年");
    await typeSubject("年末");
    await typeSubject("年末のご挨拶");

    await waitFor(() => expect(calls("save_draft")).toHaveLength(1), { timeout: 2500 });
    expect(calls("save_draft")).toEqual([{ draft: { ...EMPTY, subject: "年末のご挨拶" } }]);
  });

  it("stores an image picked for the body and sends it with the draft", async () => {
    backend({
      store_image: () => ({
        file: { name: "logo.png", size: 68, sha256: "ab12" },
        cid: "ab12@shisa",
        url: "data:image/png;base64,iVBORw0KGgo=",
      }),
    });
    await renderCompose();
    open.mockResolvedValueOnce("/home/u/logo.png");
    await typeSubject("ご案内");
    await fireEvent.click(screen.getByTestId("editor-image"));
    await fireEvent.click(screen.getByTestId("editor-image-file"));

    await waitFor(() => expect(calls("store_image")).toEqual([{ path: "/home/u/logo.png" }]));
    expect(open).toHaveBeenCalledWith({
      multiple: false,
      directory: false,
      filters: [{ name: "画像", extensions: ["png", "jpg", "jpeg", "gif"] }],
    });
    await waitFor(() => expect(calls("preview_mail")).not.toHaveLength(0));
    const draft = lastCall("preview_mail").draft as NewCampaign;
    expect(draft.html).toContain('src="cid:ab12@shisa"');
    expect(draft.images).toEqual([{ name: "logo.png", size: 68, sha256: "ab12" }]);
  });

  it("loads a template, asking before it replaces what was written", async () => {
    backend();
    const { draft } = await renderCompose();
    await typeSubject("書きかけの件名");
    await fireEvent.change(screen.getByTestId("compose-template-select"), {
      target: { value: "お知らせ" },
    });
    expect(screen.getByRole("option", { name: "お知らせ（ひな形）" })).toBeInTheDocument();
    expect(screen.queryByTestId("compose-template-delete")).toBeNull();

    await fireEvent.click(screen.getByTestId("compose-template-load"));
    expect(subjectLine().textContent).toBe("書きかけの件名");
    expect(screen.getByText(/テンプレート「お知らせ」の内容に置き換えます/)).toBeInTheDocument();

    await fireEvent.click(screen.getByTestId("compose-template-confirm"));
    expect(draft.subject).toBe(STARTER.subject);
    expect(subjectLine().textContent).toBe("【お知らせ】氏名様へ");
    expect(subjectLine().querySelector(".merge-chip")).toHaveAttribute("data-merge-field", "氏名");
    await waitFor(() =>
      expect(screen.getByTestId("editor-body")).toHaveTextContent("いつもお世話になっております。"),
    );
  });

  it("loads an empty mail's template at once, with its per-recipient file name", async () => {
    backend();
    await renderCompose();
    await fireEvent.change(screen.getByTestId("compose-template-select"), {
      target: { value: "月次のご案内" },
    });
    await fireEvent.click(screen.getByTestId("compose-template-load"));

    expect(subjectLine().textContent).toBe("今月のご案内");
    expect(screen.getByTestId("compose-each-pattern")).toHaveValue("{{顧客ID}}.pdf");
    expect(screen.getByText("テンプレート「月次のご案内」を読み込みました。")).toBeInTheDocument();
    // The template names the file but not the folder, which is the user's to choose.
    expect(screen.getByText(/フォルダが選ばれていないため/)).toBeInTheDocument();
  });

  it("saves the mail as a template under a new name", async () => {
    backend();
    await renderCompose();
    await writeMail("今月のお知らせ", "<p>お知らせです。</p>");
    await fireEvent.click(screen.getByTestId("compose-template-save"));
    await type("compose-template-name", "お知らせ");
    expect(screen.getByTestId("compose-template-confirm")).toBeDisabled();

    await type("compose-template-name", "  毎月のお知らせ ");
    await fireEvent.click(screen.getByTestId("compose-template-confirm"));
    await screen.findByText("テンプレート「毎月のお知らせ」を保存しました。");
    expect(calls("save_template")).toEqual([
      {
        template: {
          name: "毎月のお知らせ",
          subject: "今月のお知らせ",
          html: "<p>お知らせです。</p>",
          text: null,
          attach_each: null,
          images: [],
          starter: false,
        },
      },
    ]);
    expect(calls("list_templates")).toHaveLength(2);
  });

  it("shows what the campaign may get wrong and stores it only when asked", async () => {
    backend({
      survey_campaign: () => ({
        ...SUMMARY,
        id: 0,
        without_own_file: ["chiba@example.jp"],
        honorifics: [{ address: "aoki@example.jp", field: "氏名", value: "山田様" }],
      }),
      create_campaign: () => ({ ...SUMMARY, id: 7 }),
    });
    const { onsaved } = await renderCompose();
    await writeMail();
    await fireEvent.click(screen.getByTestId("compose-submit"));

    const warnings = await screen.findByTestId("compose-warnings");
    expect(warnings).toHaveTextContent("1 件の宛先には、宛先ごとのファイルが見つかりませんでした");
    expect(warnings).toHaveTextContent("chiba@example.jp");
    expect(warnings).toHaveTextContent("aoki@example.jp:「山田様」");
    expect(onsaved).not.toHaveBeenCalled();
    expect(calls("create_campaign")).toHaveLength(0);
    expect(subjectLine()).toHaveAttribute("contenteditable", "false");
    expect(screen.getByTestId("compose-subject-fields")).toBeDisabled();

    await fireEvent.click(screen.getByTestId("compose-continue"));
    await waitFor(() => expect(onsaved).toHaveBeenCalledExactlyOnceWith(7));
  });

  it("goes back to the form from the warnings with nothing stored", async () => {
    backend({
      survey_campaign: () => ({ ...SUMMARY, id: 0, too_large: true, largest_message: 15_728_640 }),
    });
    const { onsaved } = await renderCompose();
    await writeMail();
    await fireEvent.click(screen.getByTestId("compose-submit"));
    expect(await screen.findByTestId("compose-warnings")).toHaveTextContent("約 15.0 MB");

    await fireEvent.click(screen.getByTestId("compose-back"));
    expect(screen.queryByTestId("compose-warnings")).toBeNull();
    expect(subjectLine()).toHaveAttribute("contenteditable", "true");
    expect(screen.getByTestId("compose-subject-fields")).toBeEnabled();
    expect(calls("create_campaign")).toHaveLength(0);
    expect(onsaved).not.toHaveBeenCalled();
  });

  it("shows why the campaign could not be stored and stays on the form", async () => {
    backend({
      survey_campaign: () => {
        throw { code: "invalid_input", message: '"office" is not a valid email address' };
      },
    });
    const { onsaved } = await renderCompose();
    await writeMail();
    await type("compose-from", "office");
    await fireEvent.click(screen.getByTestId("compose-submit"));

    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("入力内容に誤りがあります");
    expect(alert).toHaveTextContent('"office" is not a valid email address');
    expect(screen.getByTestId("compose-submit")).toBeEnabled();
    expect(onsaved).not.toHaveBeenCalled();
  });

  it("offers to import when there is no list yet", async () => {
    backend({ list_lists: () => [] });
    const onimport = vi.fn();
    render(Compose, {
      draft: { list: "", subject: "", from: "", html: "" },
      onsaved: vi.fn(),
      onimport,
    });
    await fireEvent.click(await screen.findByRole("button", { name: "宛先を取り込む" }));
    expect(onimport).toHaveBeenCalledOnce();
    expect(screen.getByTestId("compose-submit")).toBeDisabled();
  });
});
