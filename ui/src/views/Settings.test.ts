import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Settings as SettingsData } from "../lib/bindings/Settings";

vi.mock("@tauri-apps/api/core", async () => (await import("../test/fakeCore")).fakeCore);
const { fakeCore: core } = await import("../test/fakeCore");

const { default: Settings } = await import("./Settings.svelte");

function settings(largeMessageMb: number): SettingsData {
  return {
    smtp: null,
    practice_mailbox: "/home/u/practice",
    preferences: { large_message_mb: largeMessageMb },
  };
}

describe("Settings", () => {
  beforeEach(() => {
    core.invoke.mockReset();
  });

  it("keeps the size above which a mail is pointed out", async () => {
    core.invoke.mockImplementation(async (command: string, args: Record<string, unknown>) => {
      if (command === "get_settings") return settings(10);
      if (command === "set_preferences") {
        const { large_message_mb } = args.preferences as SettingsData["preferences"];
        return settings(large_message_mb);
      }
      throw { code: "internal", message: `unexpected ${command}` };
    });
    render(Settings);
    const size = screen.getByTestId("settings-large-message");
    await waitFor(() => expect(size).toHaveValue(10));
    expect(core.invoke).toHaveBeenCalledWith("get_settings", undefined);

    await fireEvent.input(size, { target: { value: "0" } });
    await waitFor(() => expect(screen.getByTestId("settings-save-preferences")).toBeDisabled());
    await fireEvent.input(size, { target: { value: "25" } });
    await fireEvent.click(screen.getByTestId("settings-save-preferences"));

    await waitFor(() =>
      expect(core.invoke).toHaveBeenCalledWith("set_preferences", {
        preferences: { large_message_mb: 25 },
      }),
    );
    expect(await screen.findByText("設定を保存しました。")).toBeInTheDocument();
  });
});
