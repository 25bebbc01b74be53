// `npm run app`: installs what is missing, builds, and opens Shisa.

import { run, setup } from "./setup.mjs";

setup();
run("npm", ["run", "build", "-w", "ui"]);
run("cargo", ["run", "-p", "shisa-desktop"]);
