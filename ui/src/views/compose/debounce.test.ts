import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Debounced } from "./debounce";

describe("Debounced", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("runs only the latest task, once calls pause", () => {
    const debounced = new Debounced(400);
    const seen: string[] = [];
    debounced.run(() => seen.push("a"));
    vi.advanceTimersByTime(300);
    debounced.run(() => seen.push("b"));
    vi.advanceTimersByTime(300);
    expect(seen).toEqual([]);
    vi.advanceTimersByTime(100);
    expect(seen).toEqual(["b"]);
  });

  it("runs a waiting task at once when flushed, and nothing after a cancel", () => {
    const debounced = new Debounced(1000);
    const seen: string[] = [];
    debounced.run(() => seen.push("saved"));
    debounced.flush();
    expect(seen).toEqual(["saved"]);
    debounced.flush();
    debounced.run(() => seen.push("dropped"));
    debounced.cancel();
    vi.runAllTimers();
    expect(seen).toEqual(["saved"]);
  });
});
