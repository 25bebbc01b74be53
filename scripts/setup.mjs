// Installs what Shisa needs and is missing: Debian/Ubuntu system packages, npm packages and,
// for the end-to-end tests, tauri-driver. On macOS and Windows only Rust and Node are needed.

import { spawnSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

export const root = new URL("..", import.meta.url).pathname;

// Packages to build the desktop app on Debian/Ubuntu.
const BUILD_PACKAGES = [
  "libwebkit2gtk-4.1-dev",
  "build-essential",
  "file",
  "libxdo-dev",
  "libssl-dev",
  "libayatana-appindicator3-dev",
  "librsvg2-dev",
  "pkg-config",
];

// Packages the tests add: a virtual display, the WebKit WebDriver and fonts for Japanese.
const TEST_PACKAGES = ["xvfb", "xauth", "webkit2gtk-driver", "fonts-noto-cjk"];

// Runs a command with inherited output; exits the script when it fails.
export function run(command, args, options = {}) {
  console.log(`\n$ ${[command, ...args].join(" ")}`);
  const result = spawnSync(command, args, { stdio: "inherit", cwd: root, ...options });
  if (result.error) {
    console.error(`${command}: ${result.error.message}`);
    process.exit(1);
  }
  if (result.status !== 0) {
    process.exit(result.status ?? 1);
  }
}

function succeeds(command, args) {
  const result = spawnSync(command, args, { stdio: "ignore" });
  return !result.error && result.status === 0;
}

function ensureSystemPackages(packages) {
  if (process.platform !== "linux" || !succeeds("which", ["apt-get"])) {
    return;
  }
  const missing = packages.filter(
    (p) =>
      spawnSync("dpkg-query", ["-W", "-f=${Status}", p], { encoding: "utf8" }).stdout !==
      "install ok installed",
  );
  if (missing.length === 0) {
    return;
  }
  const sudo = process.getuid?.() === 0 ? [] : ["sudo"];
  const apt = (...args) =>
    run(sudo[0] ?? "apt-get", [...sudo.slice(1), ...(sudo.length ? ["apt-get"] : []), ...args], {
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    });
  apt("update", "-qq");
  apt("install", "-y", "-qq", "--no-install-recommends", ...missing);
}

function ensureNodeModules() {
  const marker = join(root, "node_modules", ".package-lock.json");
  const lock = join(root, "package-lock.json");
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) {
    return;
  }
  run("npm", ["ci", "--no-audit", "--no-fund"]);
}

// tauri-driver bridges WebDriver to the app's webview (Linux and Windows).
export function tauriDriver() {
  const installed = join(homedir(), ".cargo", "bin", "tauri-driver");
  if (!existsSync(installed) && !succeeds("tauri-driver", ["--help"])) {
    run("cargo", ["install", "tauri-driver", "--locked"]);
  }
}

export function setup({ tests = false } = {}) {
  ensureSystemPackages(tests ? [...BUILD_PACKAGES, ...TEST_PACKAGES] : BUILD_PACKAGES);
  ensureNodeModules();
}
