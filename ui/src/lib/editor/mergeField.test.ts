import { describe, expect, it } from "vitest";
import { expandMergeFields, mergeFieldsIn, parseToken } from "./mergeField";

describe("mergeFieldsIn", () => {
  it("lists each field once, in order of first use, with or without a fallback", () => {
    const html =
      '<p><span data-merge-field="会社名">{{会社名}}</span> {{ 氏名 | ご担当者 }} 様</p>' +
      "<p>お客様番号: {{顧客ID}}、{{氏名}} 様</p>";
    expect(mergeFieldsIn(html)).toEqual(["会社名", "氏名", "顧客ID"]);
  });

  it("ignores braces that name no field", () => {
    expect(mergeFieldsIn("<p>{{}} {{ | 空 }} {単独}</p>")).toEqual([]);
  });
});

describe("parseToken", () => {
  it("trims the name and the fallback and drops braces from the fallback", () => {
    expect(parseToken(" 氏名 |ご担当者 ")).toEqual({ name: "氏名", fallback: "ご担当者" });
    expect(parseToken("氏名")).toEqual({ name: "氏名", fallback: "" });
    expect(parseToken("  ")).toBeNull();
  });
});

describe("expandMergeFields", () => {
  it("wraps placeholders written as text in the chip's span", () => {
    expect(expandMergeFields("<p>{{会社名}}<br>{{ 氏名|ご担当者 }} 様</p>")).toBe(
      '<p><span data-merge-field="会社名">{{会社名}}</span><br>' +
        '<span data-merge-field="氏名" data-fallback="ご担当者">{{氏名|ご担当者}}</span> 様</p>',
    );
  });

  it("leaves attributes and existing chips alone", () => {
    const html =
      '<p><a href="https://example.jp/?id={{顧客ID}}">マイページ</a>' +
      '<span data-merge-field="氏名">{{氏名}}</span></p>';
    expect(expandMergeFields(html)).toBe(html);
  });
});
