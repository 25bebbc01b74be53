import "@testing-library/jest-dom/vitest";
import { cleanup } from "@testing-library/svelte";
import { afterEach } from "vitest";
import "../lib/i18n";

// jsdom knows <dialog> but cannot show it as a modal; open is what the tests look at.
HTMLDialogElement.prototype.showModal = function (this: HTMLDialogElement) {
  this.open = true;
};
HTMLDialogElement.prototype.close = function (this: HTMLDialogElement) {
  this.open = false;
};

// Each test starts from an empty document.
afterEach(() => cleanup());
