import { vi } from "vitest";

type Handler = (event: { event: string; id: number; payload: unknown }) => void;

const handlers = new Map<string, Set<Handler>>();

/**
 * A stand-in for `@tauri-apps/api/event` in unit tests: `listen` keeps its handlers, and
 * `emit` lets the test play the backend's events to them.
 */
export const fakeEvent = {
  listen: vi.fn(async (event: string, handler: Handler) => {
    const set = handlers.get(event) ?? new Set();
    handlers.set(event, set);
    set.add(handler);
    return () => set.delete(handler);
  }),
};

export function emit(event: string, payload: unknown): void {
  for (const handler of handlers.get(event) ?? []) handler({ event, id: 0, payload });
}

/** How many handlers listen to an event: 0 once every listener stopped. */
export function listeners(event: string): number {
  return handlers.get(event)?.size ?? 0;
}
