import { fireEvent, render, screen } from "@testing-library/svelte";
import { afterEach, describe, expect, it, vi } from "vitest";
import { setLocale } from "../i18n";
import StepBar from "./StepBar.svelte";

describe("StepBar", () => {
  afterEach(() => setLocale("ja"));

  it("shows the workflow in Japanese and marks the current step", () => {
    render(StepBar, { current: "review", onselect: () => {} });
    const labels = screen
      .getAllByRole("button")
      .map((b) => b.textContent?.replace(/\d/g, "").trim());
    expect(labels).toEqual(["宛先", "作成", "確認", "送信", "履歴"]);
    expect(screen.getByTestId("step-review")).toHaveAttribute("aria-current", "step");
    expect(screen.getByTestId("step-import")).not.toHaveAttribute("aria-current");
  });

  it("shows the workflow in English after switching the language", async () => {
    setLocale("en");
    render(StepBar, { current: "import", onselect: () => {} });
    expect(screen.getByTestId("step-import")).toHaveTextContent("Import");
    expect(screen.getByTestId("step-compose")).toHaveTextContent("Compose");
    expect(screen.getByTestId("step-history")).toHaveTextContent("History");
    expect(screen.getByTestId("step-import")).toHaveAttribute("aria-current", "step");
    expect(localStorage.getItem("shisa.locale")).toBe("en");
  });

  it("reports the chosen step", async () => {
    const onselect = vi.fn();
    render(StepBar, { current: "import", onselect });
    await fireEvent.click(screen.getByTestId("step-history"));
    expect(onselect).toHaveBeenCalledWith("history");
  });
});
