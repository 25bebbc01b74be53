// Starts the peer as the tests do (a child process, JSON line on stdout) and checks its
// contract: STARTTLS with cert.pem trusted, AUTH required, one .eml + .json per message.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { after, before, test } from 'node:test';
import nodemailer from 'nodemailer';

const server = path.join(import.meta.dirname, 'server.mjs');
let dir;
let peer;
let info;

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shisa-smtp-'));
  peer = spawn(process.execPath, [server, '--dir', dir, '--user', 'alice', '--pass', 's3cret'], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const line = await new Promise((resolve, reject) => {
    readline.createInterface({ input: peer.stdout }).once('line', resolve);
    peer.once('exit', () => reject(new Error('peer exited before listening')));
  });
  info = JSON.parse(line);
}, { timeout: 10_000 });

after(() => {
  peer.kill('SIGTERM');
  fs.rmSync(dir, { recursive: true, force: true });
});

function transport(auth) {
  return nodemailer.createTransport({
    host: '127.0.0.1',
    port: info.port,
    secure: false,
    requireTLS: true,
    tls: { ca: fs.readFileSync(info.cert) },
    auth,
  });
}

test('announces its port and certificate', () => {
  assert.equal(typeof info.port, 'number');
  assert.equal(info.cert, path.join(dir, 'cert.pem'));
  assert.ok(fs.existsSync(path.join(dir, 'key.pem')));
});

test('stores each message with its envelope', async () => {
  const mailer = transport({ user: 'alice', pass: 's3cret' });
  for (const to of ['taro@example.jp', 'hanako@example.jp']) {
    await mailer.sendMail({
      from: 'office@example.jp',
      to,
      subject: 'こんにちは',
      text: `Dear ${to}\n.\nA line that is only a dot must arrive intact.`,
    });
  }
  mailer.close();

  for (const [n, to] of [[1, 'taro@example.jp'], [2, 'hanako@example.jp']]) {
    const base = path.join(dir, String(n).padStart(6, '0'));
    const envelope = JSON.parse(fs.readFileSync(`${base}.json`, 'utf8'));
    assert.deepEqual(envelope, { from: 'office@example.jp', to: [to], user: 'alice', tls: true });
    const eml = fs.readFileSync(`${base}.eml`, 'utf8');
    assert.match(eml, new RegExp(`^To: ${to}\\r$`, 'm'));
    assert.match(eml, /\r\n\.\r\n/);
  }
});

test('wrong credentials get 535 and store nothing', async () => {
  const mailer = transport({ user: 'alice', pass: 'wrong' });
  await assert.rejects(
    mailer.sendMail({ from: 'office@example.jp', to: 'x@example.jp', text: 'x' }),
    (err) => err.responseCode === 535,
  );
  mailer.close();
  assert.ok(!fs.existsSync(path.join(dir, '000003.json')));
});

test('exits when its parent closes stdin', { timeout: 10_000 }, async () => {
  const other = fs.mkdtempSync(path.join(os.tmpdir(), 'shisa-smtp-'));
  const child = spawn(process.execPath, [server, '--dir', other], { stdio: 'pipe' });
  await new Promise((resolve) => child.stdout.once('data', resolve));
  child.stdin.end();
  const code = await new Promise((resolve) => child.once('exit', resolve));
  assert.equal(code, 0);
  fs.rmSync(other, { recursive: true, force: true });
});
