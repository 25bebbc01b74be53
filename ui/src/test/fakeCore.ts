import { vi } from "vitest";

/**
 * A stand-in for `@tauri-apps/api/core` in unit tests: `invoke` is a mock the test scripts,
 * and a `Channel` keeps its handler so the test can deliver progress messages to it.
 */
export const fakeCore = {
  invoke: vi.fn(),
  Channel: class<T> {
    onmessage: (message: T) => void;
    constructor(handler: (message: T) => void) {
      this.onmessage = handler;
    }
  },
};
