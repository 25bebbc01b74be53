// `npm run build`: installers for this platform (Tauri bundler) and the release CLI.

import { run, setup } from "./setup.mjs";

setup();
run("npx", ["tauri", "build"]);
run("cargo", ["build", "--release", "--bin", "shisa"]);
