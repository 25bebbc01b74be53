import { describe, expect, it } from "vitest";
import { mergeFields } from "./preview";

describe("mergeFields", () => {
  it("fills name and email, with or without inner spaces", () => {
    expect(
      mergeFields("<p>{{name}} 様 / {{ email }}</p>", { name: "山田", email: "y@example.jp" }),
    ).toBe("<p>山田 様 / y@example.jp</p>");
  });

  it("inserts contact values as text, never as markup", () => {
    expect(
      mergeFields("<p>{{name}}</p>", { name: '<img src=x onerror="alert(1)">', email: "" }),
    ).toBe("<p>&lt;img src=x onerror=&quot;alert(1)&quot;&gt;</p>");
  });

  it("leaves an unknown field visible so the typo can be seen", () => {
    expect(mergeFields("{{会社}} {{name}}", { name: "A", email: "" })).toBe("{{会社}} A");
  });
});
