import "@testing-library/jest-dom/vitest";
import { cleanup } from "@testing-library/svelte";
import { afterEach } from "vitest";
import "../lib/i18n";

// Each test starts from an empty document.
afterEach(() => cleanup());
