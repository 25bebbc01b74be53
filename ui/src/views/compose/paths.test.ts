import { describe, expect, it } from "vitest";
import { fileName, insertAt, isAbsolute, joinPattern, splitPattern } from "./paths";

describe("per-recipient file patterns", () => {
  it.each([
    ["C:\\請求書\\{{顧客ID}}.pdf", "C:\\請求書", "{{顧客ID}}.pdf"],
    ["/home/u/請求書/{{顧客ID}}.pdf", "/home/u/請求書", "{{顧客ID}}.pdf"],
    ["C:\\{{顧客ID}}.pdf", "C:\\", "{{顧客ID}}.pdf"],
    ["/{{顧客ID}}.pdf", "/", "{{顧客ID}}.pdf"],
    ["{{顧客ID}}.pdf", "", "{{顧客ID}}.pdf"],
  ])("splits %s into its folder and file name, and joins them back", (pattern, folder, name) => {
    expect(splitPattern(pattern)).toEqual({ folder, name });
    expect(joinPattern(folder, name)).toBe(folder === "" ? null : pattern);
  });

  it("tells a path from a root from one below a folder", () => {
    expect(["/home", "\\\\server\\share", "C:\\請求書", "d:"].map(isAbsolute)).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(["請求書", "home/u", ""].map(isAbsolute)).toEqual([false, false, false]);
  });

  it("joins with the separator the folder uses", () => {
    expect(joinPattern("C:\\Users\\事務\\請求書", "{{顧客ID}}.pdf")).toBe(
      "C:\\Users\\事務\\請求書\\{{顧客ID}}.pdf",
    );
    expect(joinPattern("D:", "{{顧客ID}}.pdf")).toBe("D:\\{{顧客ID}}.pdf");
    expect(joinPattern("/Users/jimu/請求書", " {{顧客ID}}.pdf ")).toBe(
      "/Users/jimu/請求書/{{顧客ID}}.pdf",
    );
  });

  it("has no pattern without a folder or without a file name", () => {
    expect(joinPattern("", "{{顧客ID}}.pdf")).toBeNull();
    expect(joinPattern("C:\\請求書", "  ")).toBeNull();
  });
});

describe("fileName", () => {
  it("takes the last part of Windows and Unix paths", () => {
    expect(fileName("C:\\資料\\地図.png")).toBe("地図.png");
    expect(fileName("/home/u/案内.pdf")).toBe("案内.pdf");
    expect(fileName("案内.pdf")).toBe("案内.pdf");
  });
});

describe("insertAt", () => {
  it("replaces the selection and puts the caret after the insert", () => {
    expect(insertAt("様 ご案内", 0, 0, "{{氏名}}")).toEqual({
      text: "{{氏名}}様 ご案内",
      caret: 6,
    });
    expect(insertAt("〇〇様", 0, 2, "{{氏名}}")).toEqual({ text: "{{氏名}}様", caret: 6 });
  });
});
