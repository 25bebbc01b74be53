import { defineConfig } from "vitest/config";
import { svelte } from "@sveltejs/vite-plugin-svelte";
import { svelteTesting } from "@testing-library/svelte/vite";

// Set by the Tauri CLI when the dev server must be reachable from a device.
const host = process.env.TAURI_DEV_HOST;

export default defineConfig({
  base: "./",
  plugins: [svelte(), svelteTesting({ autoCleanup: false })],
  // Keep the Rust compiler's output visible in the same terminal.
  clearScreen: false,
  // Tauri's devUrl expects exactly this port; release builds embed dist/ instead.
  server: {
    port: 1420,
    strictPort: true,
    host: host || false,
    hmr: host ? { protocol: "ws", host, port: 1421 } : undefined,
    watch: { ignored: ["**/src-tauri/**"] },
  },
  envPrefix: ["VITE_", "TAURI_ENV_"],
  build: {
    outDir: "dist",
    emptyOutDir: true,
  },
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.ts"],
    setupFiles: ["./src/test/setup.ts"],
  },
});
