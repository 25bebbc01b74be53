#!/usr/bin/env node
// Runs the end-to-end suite against the real desktop app: starts an X server (when there
// is no DISPLAY), the test SMTP peer and tauri-driver, then runs workflow.spec.mjs under
// node:test. Every process it starts is stopped again whatever happens, and the whole run
// is bounded in time so a stuck webview can never hang CI (see harness.mjs).
//
//   SHISA_APP=/path/to/shisa-desktop node tests/e2e/run.mjs
//
// Screenshots, received mail, the app's data folder and the driver's log are left in
// tests/e2e/.run/ for a person to look at; the folder is emptied at the start of a run.
import fs from 'node:fs';
import path from 'node:path';
import { createRun, exited } from './harness.mjs';

const RUN_LIMIT_MS = 5 * 60_000;

const here = import.meta.dirname;
const runDir = path.join(here, '.run');
const app = path.resolve(process.env.SHISA_APP ?? path.join(here, '../../target/debug/shisa-desktop'));
const run = createRun({ name: 'e2e', runDir, limitMs: RUN_LIMIT_MS });

await main().then((code) => run.finish(code), (err) => run.finish(1, err.message));

async function main() {
  if (!fs.existsSync(app)) {
    throw new Error(`no app binary at ${app}: build it first (npm run build) or set SHISA_APP`);
  }
  fs.rmSync(runDir, { recursive: true, force: true });
  fs.mkdirSync(runDir, { recursive: true });

  const display = process.env.DISPLAY || (await run.startXvfb());
  const smtp = await run.startSmtpPeer();
  const dataDir = path.join(runDir, 'data');
  const driverPort = await run.startTauriDriver(display, dataDir);

  const spec = run.start(process.execPath, ['--test', path.join(here, 'workflow.spec.mjs')], {
    stdio: 'inherit',
    env: {
      ...process.env,
      SHISA_E2E: JSON.stringify({ app, dataDir, driverPort, runDir, smtp }),
    },
  });
  const code = await exited(spec);
  if (code !== 0) run.showLogTail('driver.log');
  return code;
}
