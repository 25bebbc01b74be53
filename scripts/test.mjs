// `npm test`: installs what is missing and runs every check CI runs — lint, core and UI tests,
// the test SMTP peer's own tests, and the end-to-end test of the real app.

import { spawnSync } from "node:child_process";
import { root, run, setup, tauriDriver } from "./setup.mjs";

const steps = [];

function step(name, command, args, options) {
  console.log(`\n=== ${name}`);
  run(command, args, options);
  steps.push(name);
}

setup({ tests: true });

step("rustfmt", "cargo", ["fmt", "--all", "--check"]);
step("ui build", "npm", ["run", "build", "-w", "ui"]);
step("clippy", "cargo", ["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"]);
step("rust tests", "cargo", ["test", "--workspace"]);

// The tests above regenerate the TypeScript bindings; committed ones must match.
console.log("\n=== bindings drift");
const drift = spawnSync("git", ["status", "--porcelain", "--", "ui/src/lib/bindings"], {
  cwd: root,
  encoding: "utf8",
});
if (drift.status !== 0 || drift.stdout.trim() !== "") {
  console.error(
    `The generated bindings differ from the committed ones; commit them:\n${drift.stdout}`,
  );
  process.exit(1);
}
steps.push("bindings drift");

step("svelte-check", "npm", ["run", "check", "-w", "ui"]);
step("ui lint", "npm", ["run", "lint", "-w", "ui"]);
step("ui tests", "npm", ["run", "test", "-w", "ui"]);
step("smtp peer tests", "npm", ["test", "-w", "tests/smtp"]);
step("desktop build", "cargo", ["build", "-p", "shisa-desktop"]);
tauriDriver();
step("end-to-end", "node", ["tests/e2e/run.mjs"]);

console.log(`\nchecks: ${steps.length} passed, 0 failed`);
