import { describe, expect, it } from "vitest";
import type { NewCampaign } from "../../lib/bindings/NewCampaign";
import { ComposeForm, formFor } from "./form.svelte";

const SAVED: NewCampaign = {
  list: "顧客",
  subject: "請求書のご送付",
  html: "<p>本文</p>",
  text: "本文",
  from: "office@example.jp",
  reply_to: null,
  unsubscribe: "stop@example.jp",
  charset: "iso-2022-jp",
  attachments: ["C:\\資料\\案内.pdf"],
  images: [{ name: "logo.png", size: 68, sha256: "ab12" }],
  attach_each: "C:\\請求書\\{{顧客ID}}.pdf",
};

describe("ComposeForm", () => {
  it("gives back a restored draft as it was saved", () => {
    const form = new ComposeForm();
    form.restore(SAVED);
    expect(form.folder).toBe("C:\\請求書");
    expect(form.pattern).toBe("{{顧客ID}}.pdf");
    expect(form.campaign()).toEqual(SAVED);
  });

  it("sends blank addresses as null", () => {
    const form = new ComposeForm();
    form.restore(SAVED);
    form.from = "  ";
    form.unsubscribe = "";
    expect(form.campaign()).toMatchObject({ from: null, unsubscribe: null });
  });

  it("takes a template's wording, images and file name, keeping the folder", () => {
    const form = new ComposeForm();
    form.restore(SAVED);
    const logo = { name: "logo.png", size: 3, sha256: "ab".repeat(32) };
    form.applyTemplate({
      name: "月次",
      subject: "今月のご案内",
      html: "<p>今月</p>",
      text: null,
      attach_each: "{{顧客ID}}_請求書.pdf",
      images: [logo],
      starter: false,
    });
    expect(form.campaign()).toEqual({
      ...SAVED,
      subject: "今月のご案内",
      html: "<p>今月</p>",
      text: null,
      images: [logo],
      attach_each: "C:\\請求書\\{{顧客ID}}_請求書.pdf",
    });
    expect(form.template("控え")).toEqual({
      name: "控え",
      subject: "今月のご案内",
      html: "<p>今月</p>",
      text: null,
      attach_each: "{{顧客ID}}_請求書.pdf",
      images: [logo],
      starter: false,
    });
  });

  it("clears everything but the list", () => {
    const form = new ComposeForm();
    form.restore(SAVED);
    form.clear();
    expect(form.blank).toBe(true);
    expect(form.campaign()).toEqual({
      ...SAVED,
      subject: "",
      html: "",
      text: null,
      from: null,
      unsubscribe: null,
      charset: "utf-8",
      attachments: [],
      images: [],
      attach_each: null,
    });
  });

  it("is the same form on every visit with the same draft", () => {
    const draft = { list: "顧客", subject: "", from: "", html: "" };
    const form = formFor(draft);
    form.attachments = ["/home/u/案内.pdf"];
    expect(formFor(draft).attachments).toEqual(["/home/u/案内.pdf"]);
    expect(formFor({ ...draft }).attachments).toEqual([]);
  });
});
