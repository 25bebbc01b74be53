// What the benchmarks that drive the real desktop app share (benches/contacts/run.mjs and
// benches/review/run.mjs): building the app when it is missing or stale, a run of
// tests/e2e/harness.mjs (Xvfb, tauri-driver and the app with a data folder of the run's own,
// all stopped whatever happens), the WebDriver session on the app, and the small helpers the
// measurements are written with. Each benchmark keeps its run in `.run/` beside its run.mjs.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { remote } from 'webdriverio';
import { createRun, driving } from '../tests/e2e/harness.mjs';

export const root = path.resolve(import.meta.dirname, '..');
export const cli = path.join(root, 'target/debug/shisa');
const app = path.join(root, 'target/debug/shisa-desktop');

/**
 * The run of the benchmark in `dir`: its files in `dir/.run`, the app's data folder (`db` its
 * database file) in `dir/.run/data`, stopped, failed, after `limitMs`. Call it once, at the top of the module,
 * before anything is started: it takes over the process's exit and signals.
 */
export function createBench({ dir, limitMs }) {
  const runDir = path.join(dir, '.run');
  const dataDir = path.join(runDir, 'data');
  const db = path.join(dataDir, 'shisa.sqlite3');
  const run = createRun({ name: 'bench', runDir, limitMs });
  let browser = null;

  /**
   * Runs the benchmark's `main` and exits with the code it resolves to, or 1 with its error;
   * on a failure the screen is kept as failed.png.
   */
  function finish(main) {
    return main().then(
      async (code) => {
        await browser?.deleteSession().catch(() => {});
        await run.finish(code);
      },
      async (err) => {
        // Bounded: a webview that is still busy answers no command.
        const quickly = (promise) => Promise.race([promise.catch(() => {}), sleep(10_000)]);
        if (browser) await quickly(browser.saveScreenshot(path.join(runDir, 'failed.png')));
        if (browser) await quickly(browser.deleteSession());
        await run.finish(1, err.stack ?? err.message);
      },
    );
  }

  /** The CLI, the UI and the app built when needed, and the run folder emptied. */
  function prepare() {
    build();
    fs.rmSync(runDir, { recursive: true, force: true });
    fs.mkdirSync(dataDir, { recursive: true });
  }

  /**
   * Starts the app on the data folder (under Xvfb when there is no DISPLAY), sized to `size`,
   * with `scriptMs` for one function run in the page; sends each of `install` to the page and
   * lets it settle. `install` must include the contacts benchmark's, which gives `__bench`.
   */
  async function open({ size, scriptMs, install }) {
    const display = process.env.DISPLAY || (await run.startXvfb());
    const driverPort = await run.startTauriDriver(display, dataDir);
    browser = await remote({
      hostname: '127.0.0.1',
      port: driverPort,
      logLevel: 'error',
      connectionRetryCount: 0,
      // Also how long one command may take: a measurement waits up to two minutes for the
      // screen.
      connectionRetryTimeout: 3 * 60_000,
      capabilities: {
        'tauri:options': { application: app },
        // tauri-driver does not carry WebDriver BiDi, and a session that asks for it fails.
        'wdio:enforceWebDriverClassic': true,
      },
    });
    await $id('step-import').waitForDisplayed({ timeout: 30_000 });
    await browser.setWindowSize(size.width, size.height);
    await browser.setTimeout({ script: scriptMs });
    for (const fn of install) await browser.execute(fn);
    // The window settles into its size before anything is timed.
    await page('__bench', 'settle', 1000);
  }

  /** Ends the session, which closes the app. */
  async function close() {
    await browser.deleteSession();
    browser = null;
  }

  /** Runs `window[object][fn]` in the page and returns what it resolves to. */
  function page(object, fn, ...args) {
    return browser.execute((o, f, list) => window[o][f](...list), object, fn, args);
  }

  const { $id, click, fill } = driving(() => browser);

  async function shot(name) {
    await browser.saveScreenshot(path.join(runDir, `${name}.png`));
  }

  return {
    runDir,
    dataDir,
    db,
    get browser() {
      return browser;
    },
    finish,
    prepare,
    open,
    close,
    page,
    $id,
    click,
    fill,
    shot,
  };
}

/**
 * The CLI if it is missing; the UI and then the app if they are missing or older than the UI's
 * sources (the app embeds ui/dist when it is compiled).
 */
function build() {
  if (!fs.existsSync(cli)) sh('cargo', ['build', '--bin', 'shisa']);
  const ui = path.join(root, 'ui');
  const sources = Math.max(
    newest(path.join(ui, 'src')),
    ...['index.html', 'package.json', 'vite.config.ts'].map((f) => newest(path.join(ui, f))),
  );
  const dist = path.join(ui, 'dist');
  if (newest(dist) < sources) sh('npm', ['run', 'build', '-w', 'ui']);
  if (!fs.existsSync(app) || fs.statSync(app).mtimeMs < Math.max(sources, newest(dist))) {
    sh('cargo', ['build', '-p', 'shisa-desktop']);
  }
}

/** The latest modification time under a path; 0 when there is nothing. */
function newest(file) {
  if (!fs.existsSync(file)) return 0;
  const stat = fs.statSync(file);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...fs.readdirSync(file).map((f) => newest(path.join(file, f))));
}

/** Runs a command in the repository, its output shown; throws when it fails. */
export function sh(command, args) {
  log(`${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed`);
}

/** Says how a run goes, on stderr so that stdout stays the table. */
export function log(line) {
  process.stderr.write(`bench: ${line}\n`);
}

export function fmt(ms) {
  return ms >= 100 ? Math.round(ms).toLocaleString('en') : ms.toFixed(1);
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
