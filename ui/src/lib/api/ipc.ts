import { invoke, type InvokeArgs } from "@tauri-apps/api/core";

import type { ErrorCode } from "../bindings/ErrorCode";
import type { IpcError } from "../bindings/IpcError";

export type { ErrorCode, IpcError };

/**
 * The closed set of error codes the backend rejects with; the UI branches on these only.
 * A record (not a list) so that a code added in Rust fails to compile here until handled.
 */
const KNOWN_CODES: Record<ErrorCode, true> = {
  invalid_input: true,
  not_found: true,
  import_failed: true,
  not_confirmed: true,
  plan_changed: true,
  already_sent: true,
  cancelled: true,
  smtp: true,
  run_state: true,
  keychain: true,
  io: true,
  internal: true,
};

export const ERROR_CODES = Object.keys(KNOWN_CODES) as ErrorCode[];

function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && Object.hasOwn(KNOWN_CODES, value);
}

/**
 * Normalises whatever a command rejected with. Besides `IpcError`, Tauri itself rejects
 * with plain strings (e.g. when arguments fail to deserialize), and those must not crash
 * the view that shows the error.
 */
export function toIpcError(error: unknown): IpcError {
  if (typeof error === "object" && error !== null && "code" in error) {
    const { code, message } = error as { code: unknown; message?: unknown };
    return {
      code: isErrorCode(code) ? code : "internal",
      message: typeof message === "string" ? message : String(code),
    };
  }
  if (error instanceof Error) return { code: "internal", message: error.message };
  return { code: "internal", message: String(error) };
}

/** Invokes a command and rejects with a normalised `IpcError`. */
export async function call<T>(command: string, args?: InvokeArgs): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (error) {
    throw toIpcError(error);
  }
}
