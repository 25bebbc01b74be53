import js from "@eslint/js";
import { defineConfig } from "eslint/config";
import svelte from "eslint-plugin-svelte";
import globals from "globals";
import ts from "typescript-eslint";
import svelteConfig from "./svelte.config.js";

export default defineConfig(
  // Bindings are regenerated from the Rust types and must stay byte-identical.
  { ignores: ["dist/", "src/lib/bindings/"] },
  js.configs.recommended,
  ts.configs.recommended,
  svelte.configs.recommended,
  { languageOptions: { globals: globals.browser } },
  // Config files and tests run under Node.
  { files: ["*.js", "*.ts", "src/**/*.test.ts"], languageOptions: { globals: globals.node } },
  {
    files: ["**/*.svelte", "**/*.svelte.ts"],
    languageOptions: {
      parserOptions: {
        projectService: true,
        extraFileExtensions: [".svelte"],
        parser: ts.parser,
        svelteConfig,
      },
    },
  },
  {
    // Only the api/ layer may talk to the backend.
    files: ["src/**/*.{ts,svelte}"],
    ignores: ["src/lib/api/**", "src/**/*.test.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [
            {
              name: "@tauri-apps/api/core",
              message: "Call the backend through src/lib/api/ only.",
            },
          ],
        },
      ],
    },
  },
);
