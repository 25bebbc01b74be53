import { describe, expect, it } from "vitest";
import { typedCount } from "./acknowledgement.svelte";

describe("typedCount", () => {
  it("reads digits as an input method types them, with or without thousands separators", () => {
    expect(typedCount("3")).toBe(3);
    expect(typedCount(" 1200 ")).toBe(1200);
    expect(typedCount("1,200")).toBe(1200);
    expect(typedCount("１，２００")).toBe(1200);
    expect(typedCount("１２００")).toBe(1200);
    expect(typedCount("12,345,678")).toBe(12345678);
  });

  it("takes nothing else for a number", () => {
    for (const text of ["", " ", "12,00", "1,2000", ",120", "3件", "three", "-3", "3.0", "1 200"]) {
      expect(typedCount(text), text).toBeNull();
    }
  });
});
