import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { afterEach, describe, expect, it, vi } from "vitest";
import { setLocale } from "../i18n";
import { en } from "../i18n/en";
import { ja } from "../i18n/ja";
import MailEditor from "./MailEditor.svelte";
import { FONT_SIZES, HIGHLIGHTS, TEXT_COLORS } from "./palette";

const FIELDS = ["氏名", "会社名", "メールアドレス", "顧客ID"];

type Options = {
  onpickimage?: () => Promise<{ cid: string; url: string } | null>;
  sanitize?: (html: string) => Promise<string>;
  disabled?: boolean;
};

/** Renders the editor with `html` bound to `body.html`, as `bind:html` in a parent would. */
function renderEditor(html: string, options: Options = {}) {
  const body = { html };
  const sanitize = vi.fn(options.sanitize ?? (async (text: string) => text));
  render(MailEditor, {
    props: {
      get html() {
        return body.html;
      },
      set html(value: string) {
        body.html = value;
      },
      fields: FIELDS,
      sanitize,
      onpickimage: options.onpickimage,
      disabled: options.disabled,
    },
  });
  return { body, sanitize, surface: screen.getByTestId("editor-body") };
}

/** Ctrl+A goes through ProseMirror's own key handling, as when the user types it. */
async function selectAll(surface: HTMLElement) {
  await fireEvent.keyDown(surface, { key: "a", ctrlKey: true });
}

/** jsdom has no DataTransfer; ProseMirror only calls getData on the event's clipboardData. */
function pasteEvent(data: Record<string, string>): Event {
  const event = new Event("paste", { bubbles: true, cancelable: true });
  Object.defineProperty(event, "clipboardData", {
    value: { getData: (type: string) => data[type] ?? "", types: Object.keys(data) },
  });
  return event;
}

async function type(testId: string, value: string) {
  await fireEvent.input(screen.getByTestId(testId), { target: { value } });
}

describe("MailEditor", () => {
  afterEach(() => setLocale("ja"));

  it("shows placeholders as chips and writes them back in the span form", () => {
    const { body, surface } = renderEditor("<p>{{ 氏名 | ご担当者 }} 様</p>");
    const chip = surface.querySelector<HTMLElement>(".merge-chip");
    expect(chip).not.toBeNull();
    expect(chip).toHaveAttribute("contenteditable", "false");
    expect(chip!.querySelector(".merge-chip-name")).toHaveTextContent("氏名");
    expect(chip!.querySelector(".merge-chip-fallback")).toHaveTextContent("ご担当者");
    expect(body.html).toBe(
      '<p><span data-merge-field="氏名" data-fallback="ご担当者">{{氏名|ご担当者}}</span> 様</p>',
    );
  });

  it("reads the span form back into the same chip", () => {
    const html = '<p><span data-merge-field="会社名">{{会社名}}</span> 御中</p>';
    const { body, surface } = renderEditor(html);
    expect(surface.querySelectorAll(".merge-chip")).toHaveLength(1);
    expect(body.html).toBe(html);
  });

  it("inserts a field chosen from the menu", async () => {
    const { body } = renderEditor("<p>様</p>");
    await fireEvent.click(screen.getByTestId("editor-fields"));
    const menu = screen.getByTestId("editor-panel");
    expect(
      within(menu)
        .getAllByRole("button")
        .map((b) => b.textContent?.trim()),
    ).toEqual(FIELDS);
    await fireEvent.click(screen.getByTestId("editor-field-0"));
    expect(body.html).toBe('<p><span data-merge-field="氏名">{{氏名}}</span>様</p>');
    expect(screen.queryByTestId("editor-panel")).not.toBeInTheDocument();
  });

  it("sets a chip's fallback from the popover opened by clicking it", async () => {
    const { body, surface } = renderEditor("<p>{{氏名}} 様</p>");
    await fireEvent.click(surface.querySelector(".merge-chip")!);
    const popover = screen.getByTestId("editor-chip-popover");
    expect(within(popover).getByText("値が空のとき")).toBeInTheDocument();
    await type("editor-fallback", " ご担当者 ");
    await fireEvent.click(screen.getByTestId("editor-fallback-apply"));
    expect(body.html).toBe(
      '<p><span data-merge-field="氏名" data-fallback="ご担当者">{{氏名|ご担当者}}</span> 様</p>',
    );
    expect(screen.queryByTestId("editor-chip-popover")).not.toBeInTheDocument();
  });

  it("marks chips for fields the list does not have", () => {
    const { surface } = renderEditor("<p>{{部署}}</p>");
    const chip = surface.querySelector(".merge-chip");
    expect(chip).toHaveClass("unknown");
    expect(chip).toHaveAttribute("title", "「部署」は宛先リストにない項目です。");
  });

  it("makes the selection bold from the toolbar", async () => {
    const { body, surface } = renderEditor("<p>本日のご案内</p>");
    await selectAll(surface);
    await fireEvent.click(screen.getByTestId("editor-bold"));
    expect(body.html).toBe("<p><strong>本日のご案内</strong></p>");
    expect(screen.getByTestId("editor-bold")).toHaveAttribute("aria-pressed", "true");
  });

  it("applies colour, highlight and size as inline styles", async () => {
    const { body, surface } = renderEditor("<p>重要</p>");
    await selectAll(surface);
    await fireEvent.click(screen.getByTestId("editor-color"));
    await fireEvent.click(screen.getByTestId("editor-color-2"));
    await fireEvent.click(screen.getByTestId("editor-highlight"));
    await fireEvent.click(screen.getByTestId("editor-highlight-0"));
    await fireEvent.change(screen.getByTestId("editor-size"), { target: { value: "18px" } });
    // The DOM serialiser writes styles through CSSOM, which spells colours as rgb().
    expect(body.html).toBe(
      '<p><span style="color: rgb(198, 40, 40); background-color: rgb(255, 245, 157); font-size: 18px;">重要</span></p>',
    );
  });

  it("refuses a javascript: link and accepts an https one", async () => {
    const { body, surface } = renderEditor("<p>詳しくはこちら</p>");
    await selectAll(surface);
    await fireEvent.click(screen.getByTestId("editor-link"));
    await type("editor-link-url", "javascript:alert(1)");
    await fireEvent.click(screen.getByTestId("editor-link-apply"));
    expect(screen.getByRole("alert")).toHaveTextContent("https://");
    expect(body.html).toBe("<p>詳しくはこちら</p>");

    await type("editor-link-url", "https://example.jp");
    await fireEvent.click(screen.getByTestId("editor-link-apply"));
    expect(body.html).toBe('<p><a href="https://example.jp">詳しくはこちら</a></p>');
    expect(screen.queryByTestId("editor-panel")).not.toBeInTheDocument();
  });

  it("inserts a bare web address as an https link at the cursor", async () => {
    const { body } = renderEditor("");
    await fireEvent.click(screen.getByTestId("editor-link"));
    await type("editor-link-url", "www.example.jp");
    await fireEvent.click(screen.getByTestId("editor-link-apply"));
    expect(body.html).toBe('<p><a href="https://www.example.jp">www.example.jp</a></p>');
  });

  it("inserts a button-style link only for a safe address", async () => {
    const { body } = renderEditor("");
    await fireEvent.click(screen.getByTestId("editor-button"));
    await type("editor-button-label", "お申し込み");
    await type("editor-button-url", "data:text/html,x");
    await fireEvent.click(screen.getByTestId("editor-button-apply"));
    expect(screen.getByTestId("editor-button-error")).toBeInTheDocument();
    expect(body.html).toBe("");

    await type("editor-button-url", "https://example.jp/apply");
    await fireEvent.click(screen.getByTestId("editor-button-apply"));
    expect(body.html).toBe(
      '<p><a class="shisa-button" href="https://example.jp/apply">お申し込み</a></p>',
    );
  });

  it("stores a picked image by content id and shows it through its data URL", async () => {
    const url = "data:image/png;base64,iVBORw0KGgo=";
    const onpickimage = vi.fn(async () => ({ cid: "logo-1", url }));
    const { body, surface } = renderEditor("<p>ロゴ</p>", { onpickimage });
    await fireEvent.click(screen.getByTestId("editor-image"));
    await fireEvent.click(screen.getByTestId("editor-image-file"));
    await waitFor(() => expect(body.html).toContain("<img"));
    expect(onpickimage).toHaveBeenCalledOnce();
    expect(body.html).toBe('<p><img src="cid:logo-1">ロゴ</p>');
    expect(surface.querySelector("img[data-src]")).toHaveAttribute("src", url);
  });

  it("accepts images by address only over https", async () => {
    const { body } = renderEditor("");
    await fireEvent.click(screen.getByTestId("editor-image"));
    await type("editor-image-url", "http://example.jp/a.png");
    await fireEvent.click(screen.getByTestId("editor-image-apply"));
    expect(screen.getByTestId("editor-image-error")).toBeInTheDocument();
    await type("editor-image-url", "https://example.jp/a.png");
    await fireEvent.click(screen.getByTestId("editor-image-apply"));
    expect(body.html).toBe('<p><img src="https://example.jp/a.png"></p>');
  });

  it("inserts a 3×3 table with a header row and edits its rows and columns", async () => {
    const { body } = renderEditor("");
    await fireEvent.click(screen.getByTestId("editor-table"));
    expect(screen.getByTestId("editor-table-row-add")).toBeDisabled();
    await fireEvent.click(screen.getByTestId("editor-table-insert"));
    const cells = (html: string) => [html.match(/<th>/g)?.length ?? 0, html.match(/<td>/g)?.length];
    expect(body.html.startsWith("<table><tbody><tr><th><p></p></th>")).toBe(true);
    expect(cells(body.html)).toEqual([3, 6]);

    await fireEvent.click(screen.getByTestId("editor-table"));
    await fireEvent.click(screen.getByTestId("editor-table-row-add"));
    await fireEvent.click(screen.getByTestId("editor-table"));
    await fireEvent.click(screen.getByTestId("editor-table-column-add"));
    expect(cells(body.html)).toEqual([4, 12]);

    await fireEvent.click(screen.getByTestId("editor-table"));
    await fireEvent.click(screen.getByTestId("editor-table-delete"));
    expect(body.html).not.toContain("<table");
  });

  it("round-trips the HTML source view through the sanitiser", async () => {
    const typed = '<p onclick="steal()">新しい本文 {{氏名}} 様</p><script>steal()</script>';
    const { body, sanitize } = renderEditor("<p>古い本文</p><p>二行目</p>", {
      sanitize: async () => "<p>新しい本文 {{氏名}} 様</p>",
    });
    await fireEvent.click(screen.getByTestId("editor-source"));
    const textarea = screen.getByTestId("editor-source-text");
    expect(textarea).toHaveValue("<p>古い本文</p>\n<p>二行目</p>");
    expect(screen.getByTestId("editor-bold")).toBeDisabled();
    expect(screen.getByTestId("editor-fields")).toBeDisabled();

    await type("editor-source-text", typed);
    expect(body.html).toBe(typed);
    await fireEvent.click(screen.getByTestId("editor-source"));
    await waitFor(() => expect(screen.queryByTestId("editor-source-text")).not.toBeInTheDocument());
    expect(sanitize).toHaveBeenCalledWith(typed);
    expect(body.html).toBe('<p>新しい本文 <span data-merge-field="氏名">{{氏名}}</span> 様</p>');
    expect(screen.getByTestId("editor-bold")).toBeEnabled();
  });

  it("stays in the source view when the sanitiser fails", async () => {
    renderEditor("<p>本文</p>", {
      sanitize: async () => {
        throw new Error("backend unavailable");
      },
    });
    await fireEvent.click(screen.getByTestId("editor-source"));
    await fireEvent.click(screen.getByTestId("editor-source"));
    expect(await screen.findByTestId("editor-source-error")).toBeInTheDocument();
    expect(screen.getByTestId("editor-source-text")).toBeInTheDocument();
  });

  it("cleans Word HTML when it is pasted", async () => {
    const { body, surface } = renderEditor("");
    const word =
      "<html><head><style>p.MsoNormal{margin:0}</style></head><body><!--StartFragment-->" +
      "<p class=MsoNormal><b><span style='color:#C00000;mso-bidi-font-weight:normal;font-family:\"ＭＳ 明朝\"'>" +
      "重要<o:p></o:p></span></b></p><!--EndFragment--></body></html>";
    await fireEvent(surface, pasteEvent({ "text/html": word, "text/plain": "重要" }));
    expect(body.html).toBe(
      '<p><span style="color: rgb(192, 0, 0);"><strong>重要</strong></span></p>',
    );
  });

  it("turns placeholders in pasted plain text into chips", async () => {
    const { body, surface } = renderEditor("");
    await fireEvent(surface, pasteEvent({ "text/plain": "{{会社名}} {{氏名|ご担当者}} 様" }));
    expect(surface.querySelectorAll(".merge-chip")).toHaveLength(2);
    expect(body.html).toBe(
      '<p><span data-merge-field="会社名">{{会社名}}</span> ' +
        '<span data-merge-field="氏名" data-fallback="ご担当者">{{氏名|ご担当者}}</span> 様</p>',
    );
  });

  it("locks the toolbar and the text while disabled", () => {
    const { surface } = renderEditor("<p>本文</p>", { disabled: true });
    expect(surface).toHaveAttribute("contenteditable", "false");
    expect(screen.getByTestId("editor-bold")).toBeDisabled();
    expect(screen.getByTestId("editor-source")).toBeDisabled();
  });

  it("labels its controls in English after switching the language", () => {
    setLocale("en");
    renderEditor("");
    expect(screen.getByTestId("editor-bold")).toHaveAttribute("aria-label", "Bold");
    expect(screen.getByTestId("editor-fields")).toHaveTextContent("Merge field");
    expect(screen.getByTestId("editor-body")).toHaveAttribute("aria-label", "Mail body");
  });

  it("has a name in both languages for every colour and size it offers", () => {
    const lookup = (tree: object, key: string) =>
      key
        .split(".")
        .reduce<unknown>((node, part) => (node as Record<string, unknown>)?.[part], tree);
    for (const { label } of [...TEXT_COLORS, ...HIGHLIGHTS, ...FONT_SIZES]) {
      expect(typeof lookup(ja, label), label).toBe("string");
      expect(typeof lookup(en, label), label).toBe("string");
    }
  });
});
