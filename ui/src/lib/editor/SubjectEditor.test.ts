import { fireEvent, render, screen, within } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import SubjectEditor from "./SubjectEditor.svelte";

const FIELDS = ["氏名", "会社名", "顧客ID"];

// jsdom lays nothing out, while ProseMirror measures the caret to keep it in view.
Range.prototype.getClientRects = () => [] as unknown as DOMRectList;
Range.prototype.getBoundingClientRect = () => new DOMRect();

type Options = { accepted?: string[]; disabled?: boolean };

/** Renders the editor with `value` bound to `subject.value`, as `bind:value` in a parent would. */
function renderSubject(value: string, options: Options = {}) {
  const subject = { value };
  const { rerender } = render(SubjectEditor, {
    props: {
      get value() {
        return subject.value;
      },
      set value(next: string) {
        subject.value = next;
      },
      fields: FIELDS,
      label: "件名",
      testid: "subject",
      ...options,
    },
  });
  return { subject, rerender, line: screen.getByTestId("subject") };
}

/** jsdom has no DataTransfer; ProseMirror only calls getData on the event's clipboardData. */
function pasteEvent(data: Record<string, string>): Event {
  const event = new Event("paste", { bubbles: true, cancelable: true });
  Object.defineProperty(event, "clipboardData", {
    value: { getData: (type: string) => data[type] ?? "", types: Object.keys(data) },
  });
  return event;
}

/**
 * Puts the caret where a click would; ProseMirror reads it from the document's selection. (Just
 * after focusing, it takes a caret at the very start for one the browser reset.)
 */
async function placeCaret(line: HTMLElement, text: Node, offset: number) {
  line.focus();
  document.getSelection()!.collapse(text, offset);
  await fireEvent(document, new Event("selectionchange"));
}

describe("SubjectEditor", () => {
  it("shows placeholders as chips and writes the text back unchanged", () => {
    const { subject, line } = renderSubject("{{氏名|ご担当者}}様 ご案内");
    const chip = line.querySelector<HTMLElement>(".merge-chip");
    expect(chip).toHaveAttribute("contenteditable", "false");
    expect(chip!.querySelector(".merge-chip-name")).toHaveTextContent("氏名");
    expect(chip!.querySelector(".merge-chip-fallback")).toHaveTextContent("ご担当者");
    expect(line).toHaveTextContent("様 ご案内");
    expect(subject.value).toBe("{{氏名|ご担当者}}様 ご案内");
  });

  it("is a labelled one-line text box", () => {
    renderSubject("ご案内");
    const line = screen.getByRole("textbox", { name: "件名" });
    expect(line).toHaveAttribute("data-testid", "subject");
    expect(line).toHaveAttribute("aria-multiline", "false");
    expect(line).toHaveAttribute("contenteditable", "true");
  });

  it("inserts a field from the menu where the caret is", async () => {
    const { subject, line } = renderSubject("【ご案内】様");
    await placeCaret(line, line.querySelector("p")!.firstChild!, "【ご案内】".length);
    await fireEvent.click(screen.getByTestId("subject-fields"));
    expect(
      within(screen.getByRole("menu"))
        .getAllByRole("menuitem")
        .map((item) => item.textContent),
    ).toEqual(FIELDS);
    await fireEvent.click(screen.getByRole("menuitem", { name: "会社名" }));
    expect(subject.value).toBe("【ご案内】{{会社名}}様");
    expect(screen.queryByRole("menu")).not.toBeInTheDocument();

    // The caret stays after the new chip, so the next field follows it.
    await fireEvent.click(screen.getByTestId("subject-fields"));
    await fireEvent.click(screen.getByRole("menuitem", { name: "氏名" }));
    expect(subject.value).toBe("【ご案内】{{会社名}}{{氏名}}様");
    expect(line.querySelectorAll(".merge-chip")).toHaveLength(2);
  });

  it("adds no line on Enter", async () => {
    const { subject, line } = renderSubject("ご案内");
    await placeCaret(line, line.querySelector("p")!.firstChild!, 1);
    for (const modifiers of [{}, { shiftKey: true }, { ctrlKey: true }]) {
      const handled = !(await fireEvent.keyDown(line, { key: "Enter", ...modifiers }));
      expect(handled).toBe(true);
    }
    expect(line.querySelectorAll("p")).toHaveLength(1);
    expect(subject.value).toBe("ご案内");
  });

  it("takes pasted HTML as plain text on one line, fields as chips", async () => {
    const { subject, line } = renderSubject("");
    const html =
      "<h1>見出し</h1><ul><li><b>太字</b>と<a href='https://example.jp'>リンク</a></li>" +
      "<li>{{会社名}} 御中</li></ul>";
    await fireEvent(line, pasteEvent({ "text/html": html, "text/plain": "見出し" }));
    expect(subject.value).toBe("見出し 太字とリンク {{会社名}} 御中");
    expect(line.querySelectorAll("p")).toHaveLength(1);
    expect(line.querySelector("h1, ul, li, strong, b, a")).toBeNull();
    expect(line.querySelectorAll(".merge-chip")).toHaveLength(1);
  });

  it("joins pasted lines of text into one", async () => {
    const { subject, line } = renderSubject("【ご案内】");
    await fireEvent.keyDown(line, { key: "a", ctrlKey: true });
    await fireEvent(
      line,
      pasteEvent({ "text/plain": "一行目\r\n\n二行目\n{{ 氏名 | ご担当者 }}様" }),
    );
    expect(subject.value).toBe("一行目 二行目 {{氏名|ご担当者}}様");
    expect(line.querySelectorAll("p")).toHaveLength(1);
    expect(line.querySelectorAll(".merge-chip")).toHaveLength(1);
  });

  it("marks chips for fields the list does not have", () => {
    const { line } = renderSubject("{{部署}} {{氏名}}", { accepted: ["氏名", "name"] });
    const [unknown, known] = line.querySelectorAll(".merge-chip");
    expect(unknown).toHaveClass("unknown");
    expect(unknown).toHaveAttribute("title", "「部署」は宛先リストにない項目です。");
    expect(known).not.toHaveClass("unknown");
  });

  it("shows a value set from outside", async () => {
    const { subject, line, rerender } = renderSubject("前回の件名");
    await rerender({ value: "{{ 会社名 }} 御中" });
    expect(line.querySelector(".merge-chip")).toHaveAttribute("data-merge-field", "会社名");
    expect(line).not.toHaveTextContent("前回の件名");
    expect(subject.value).toBe("{{会社名}} 御中");
  });

  it("sets a chip's fallback from the popover opened by clicking it", async () => {
    const { subject, line } = renderSubject("{{氏名}} 様");
    await fireEvent.click(line.querySelector(".merge-chip")!);
    const popover = screen.getByTestId("subject-chip-popover");
    expect(within(popover).getByText("値が空のとき")).toBeInTheDocument();
    await fireEvent.input(screen.getByTestId("subject-fallback"), {
      target: { value: " ご担当者 " },
    });
    await fireEvent.click(screen.getByTestId("subject-fallback-apply"));
    expect(subject.value).toBe("{{氏名|ご担当者}} 様");
    expect(screen.queryByTestId("subject-chip-popover")).not.toBeInTheDocument();

    await fireEvent.click(line.querySelector(".merge-chip")!);
    await fireEvent.click(screen.getByTestId("subject-chip-remove"));
    expect(subject.value).toBe(" 様");
  });

  it("locks the text and the field menu while disabled", async () => {
    const { line, rerender } = renderSubject("{{氏名}} 様", { disabled: true });
    expect(line).toHaveAttribute("contenteditable", "false");
    expect(line).toHaveAttribute("aria-disabled", "true");
    expect(screen.getByTestId("subject-fields")).toBeDisabled();
    await fireEvent.click(line.querySelector(".merge-chip")!);
    expect(screen.queryByTestId("subject-chip-popover")).not.toBeInTheDocument();

    await rerender({ disabled: false });
    expect(line).toHaveAttribute("contenteditable", "true");
    expect(line).toHaveAttribute("aria-disabled", "false");
    expect(screen.getByTestId("subject-fields")).toBeEnabled();
  });
});
