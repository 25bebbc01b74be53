// What a run against the real desktop app starts and stops: an X server (when there is no
// DISPLAY), the test SMTP peer and tauri-driver, which launches the app with a data folder of
// the run's own. Shared by the end-to-end suite (run.mjs) and the contacts benchmark
// (benches/contacts/run.mjs). Every process a run starts is stopped again whatever happens,
// and the whole run is bounded in time so a stuck webview can never hang it.
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';

const START_LIMIT_MS = 20_000;

const here = import.meta.dirname;

/**
 * One run: `name` prefixes what it reports, its logs go to `runDir` (which the caller
 * creates), and after `limitMs` it stops, failed. Call it once per process, before starting
 * anything: it takes over the process's exit and its SIGINT and SIGTERM.
 */
export function createRun({ name, runDir, limitMs }) {
  const started = new Set();
  let finishing = false;

  // Last resort if this process dies unexpectedly: no child may outlive it.
  process.on('exit', () => {
    for (const child of started) killGroup(child, 'SIGKILL');
  });
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => finish(1, `stopped by ${signal}`));
  }
  setTimeout(() => finish(1, `the run took longer than ${limitMs / 1000} s`), limitMs).unref();

  /** Xvfb on the first free display; -displayfd makes it report which one it took. */
  async function startXvfb() {
    const xvfb = start('Xvfb', ['-displayfd', '3', '-screen', '0', '1280x900x24', '-nolisten', 'tcp'], {
      stdio: ['ignore', 'ignore', logFile('xvfb.log'), 'pipe'],
    });
    const number = await firstLine(xvfb.stdio[3], xvfb, 'Xvfb');
    return `:${number.trim()}`;
  }

  async function startSmtpPeer() {
    const user = 'shisa';
    const pass = crypto.randomBytes(9).toString('base64url');
    const dir = path.join(runDir, 'smtp');
    // The peer once exited before it was ready in a CI run and never again in 40 tries:
    // its log is shown, and a second start is tried, so the cause is recorded without
    // failing a run on a start-up fault that is not the app's.
    for (let attempt = 1; ; attempt++) {
      const peer = start(process.execPath, [
        path.join(here, '../smtp/server.mjs'), '--dir', dir, '--user', user, '--pass', pass,
      ], { stdio: ['pipe', 'pipe', logFile('smtp.log')] });
      try {
        const { port } = JSON.parse(await firstLine(peer.stdout, peer, 'the SMTP peer'));
        return { port, dir, user, pass };
      } catch (err) {
        showLogTail('smtp.log');
        if (attempt === 2) throw err;
        process.stderr.write(`${err.message}; starting it again\n`);
      }
    }
  }

  /**
   * tauri-driver launches WebKitWebDriver, which launches the app with this environment:
   * that is how the app gets its data folder (made here if it is not there yet) and the
   * display.
   */
  async function startTauriDriver(display, dataDir) {
    const [port, nativePort] = [await freePort(), await freePort()];
    fs.mkdirSync(dataDir, { recursive: true });
    const log = logFile('driver.log');
    const driver = start('tauri-driver', ['--port', port, '--native-port', nativePort], {
      stdio: ['ignore', log, log],
      env: {
        ...process.env,
        DISPLAY: display,
        SHISA_DATA_DIR: dataDir,
        // The readiness probe below is refused until WebKitWebDriver listens; keep each
        // refusal to one line in driver.log instead of a backtrace.
        RUST_LIB_BACKTRACE: '0',
        // `cargo install` puts tauri-driver here, and CI shells may not have it on PATH.
        PATH: `${path.join(os.homedir(), '.cargo/bin')}${path.delimiter}${process.env.PATH}`,
      },
    });
    let gone = false;
    exited(driver).then(() => { gone = true; });
    const deadline = Date.now() + START_LIMIT_MS;
    while (!gone && Date.now() < deadline) {
      const ok = await fetch(`http://127.0.0.1:${port}/status`).then((r) => r.ok, () => false);
      if (ok) return port;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    showLogTail('driver.log');
    throw new Error('tauri-driver did not become ready (is it installed, and WebKitWebDriver?)');
  }

  /** Spawns in a new process group so that stopping it also stops what it started. */
  function start(command, args, options) {
    const child = spawn(command, args.map(String), { ...options, detached: true });
    // Kept after it exits: what it started may still be alive in its group.
    started.add(child);
    return child;
  }

  async function finish(code, reason) {
    if (finishing) return;
    finishing = true;
    if (reason) process.stderr.write(`${name}: ${reason}\n`);
    // Newest first: the spec, then the driver and its app, then the peer and the display.
    // Each group gets a moment to stop by itself; whatever is left of it is then killed.
    for (const child of [...started].reverse()) {
      killGroup(child, 'SIGTERM');
      await Promise.race([exited(child), sleep(3000)]);
      killGroup(child, 'SIGKILL');
    }
    process.exit(code);
  }

  function logFile(file) {
    return fs.openSync(path.join(runDir, file), 'a');
  }

  function showLogTail(file, lines = 40) {
    const full = path.join(runDir, file);
    if (!fs.existsSync(full)) return;
    const tail = fs.readFileSync(full, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    if (tail) process.stderr.write(`--- last lines of ${full}\n${tail}\n---\n`);
  }

  return { start, startXvfb, startSmtpPeer, startTauriDriver, finish, logFile, showLogTail };
}

/**
 * How the tests and the benchmarks act on the app's page: elements by their data-testid,
 * clicked once clickable, filled once displayed — on whichever session `current()` returns.
 */
export function driving(current) {
  const $id = (id) => current().$(`[data-testid="${id}"]`);
  async function click(id) {
    const el = await $id(id);
    await el.waitForClickable();
    await el.click();
  }
  async function fill(id, value) {
    const el = await $id(id);
    await el.waitForDisplayed();
    await el.setValue(String(value));
  }
  return { $id, click, fill };
}

function killGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

export function exited(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode ?? 1);
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code ?? 1));
    child.once('error', () => resolve(1));
  });
}

function firstLine(stream, child, what) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not start`)), START_LIMIT_MS);
    readline.createInterface({ input: stream }).once('line', (line) => {
      clearTimeout(timer);
      resolve(line);
    });
    child.once('error', (err) => reject(new Error(`${what} could not start: ${err.message}`)));
    child.once('exit', (code) => reject(new Error(`${what} exited (${code}) before it was ready`)));
  });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
