// Starts the peer as the tests do (a child process, JSON line on stdout) and checks its
// contract: STARTTLS with cert.pem trusted, AUTH required, one .eml + .json per message,
// the records (attempts.jsonl, connections.json) and the scripted faults of --faults.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { after, before, test } from 'node:test';
import nodemailer from 'nodemailer';

const server = path.join(import.meta.dirname, 'server.mjs');
const peers = [];
let main;
let envelopePeer;
let connectPeer;
let mailPeer;

// One rule per recipient, so each test below owns its faults on the shared peer.
const ENVELOPE_FAULTS = [
  { to: '^refused@', at: 'rcpt', do: 'reply', code: 550, message: '5.1.1 No such user' },
  { to: '^lost-at-rcpt@', at: 'rcpt', do: 'disconnect' },
  { to: '^slow-rcpt@', at: 'rcpt', do: 'delay', delayMs: 300 },
  { to: '^quota@', at: 'data', do: 'reply', code: 550, message: '5.4.5 Daily sending quota exceeded' },
  { to: '^lost-after-data@', at: 'data', do: 'disconnect' },
  { to: '^slow-data@', at: 'data', do: 'delay', delayMs: 600 },
  { to: '^twice@', at: 'data', do: 'reply', code: 451, message: '4.3.0 Try again later', times: 2 },
];
// Without recipients these fire in turn, one connection or MAIL FROM each.
const CONNECT_FAULTS = [
  { at: 'connect', do: 'reply', code: 421, message: '4.7.0 Too many connections', times: 1 },
  { at: 'connect', do: 'disconnect', times: 1 },
  { at: 'connect', do: 'delay', delayMs: 300, times: 1 },
];
const MAIL_FAULTS = [
  { at: 'mail', do: 'reply', code: 451, message: '4.7.1 Try again later', times: 1 },
  // No recipient is known at MAIL FROM, so "to" cannot keep this rule from firing.
  { at: 'mail', to: '^nobody$', do: 'disconnect', times: 1 },
  { at: 'mail', do: 'delay', delayMs: 300, times: 1 },
];

before(async () => {
  const faultsFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'shisa-faults-')), 'f.json');
  fs.writeFileSync(faultsFile, JSON.stringify(CONNECT_FAULTS));
  [main, envelopePeer, connectPeer, mailPeer] = await Promise.all([
    startPeer('--user', 'alice', '--pass', 's3cret'),
    startPeer('--faults', JSON.stringify(ENVELOPE_FAULTS)),
    startPeer('--faults', `@${faultsFile}`),
    startPeer('--faults', JSON.stringify(MAIL_FAULTS)),
  ]);
  fs.rmSync(path.dirname(faultsFile), { recursive: true });
}, { timeout: 10_000 });

after(() => {
  for (const peer of peers) {
    peer.child.kill('SIGTERM');
    fs.rmSync(peer.dir, { recursive: true, force: true });
  }
});

async function startPeer(...args) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shisa-smtp-'));
  const child = spawn(process.execPath, [server, '--dir', dir, ...args], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const peer = { dir, child };
  peers.push(peer);
  const line = await new Promise((resolve, reject) => {
    readline.createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', () => reject(new Error('peer exited before listening')));
  });
  return Object.assign(peer, JSON.parse(line));
}

function transport(peer, options) {
  return nodemailer.createTransport({
    host: '127.0.0.1',
    port: peer.port,
    secure: false,
    requireTLS: true,
    tls: { ca: fs.readFileSync(peer.cert) },
    ...options,
  });
}

/** Sends one message over a connection of its own, the way the app sends. */
async function send(peer, to, options = {}) {
  const mailer = transport(peer, options);
  try {
    return await mailer.sendMail({ from: 'office@example.jp', to, text: `Dear ${to}` });
  } finally {
    mailer.close();
  }
}

/**
 * A plaintext SMTP dialogue on a raw socket, for what nodemailer does not show: whether
 * a reply came at all. A reply is its last line, or null once the peer closed instead.
 */
function rawSession(peer) {
  const socket = net.connect(peer.port, '127.0.0.1');
  const closed = new Promise((resolve) => socket.once('close', resolve));
  const lines = readline.createInterface({ input: socket })[Symbol.asyncIterator]();
  const reply = async () => {
    for (let next = await lines.next(); !next.done; next = await lines.next()) {
      if (/^\d{3} /.test(next.value)) return next.value;
    }
    return null;
  };
  return {
    reply,
    closed,
    command(line) {
      socket.write(`${line}\r\n`);
      return reply();
    },
    quit() {
      socket.end('QUIT\r\n');
      return closed;
    },
  };
}

/** Greets and opens a transaction for `to`, up to the DATA command's 354. */
async function beginData(session, to) {
  assert.match(await session.reply(), /^220 /);
  assert.match(await session.command('EHLO client.example.jp'), /^250 /);
  assert.match(await session.command('MAIL FROM:<office@example.jp>'), /^250 /);
  assert.match(await session.command(`RCPT TO:<${to}>`), /^250 /);
  assert.match(await session.command('DATA'), /^354 /);
}

const message = (to) => `From: office@example.jp\r\nTo: ${to}\r\n\r\nDear ${to}\r\n.`;

/** The envelopes of the messages stored for `to`. */
function storedFor(peer, to) {
  return fs.readdirSync(peer.dir)
    .filter((f) => /^\d{6}\.json$/.test(f))
    .map((f) => JSON.parse(fs.readFileSync(path.join(peer.dir, f), 'utf8')))
    .filter((envelope) => envelope.to.includes(to));
}

function attempts(peer, to) {
  const file = path.join(peer.dir, 'attempts.jsonl');
  if (!fs.existsSync(file)) return [];
  const all = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  return to === undefined ? all : all.filter((a) => a.to.includes(to));
}

const connections = (peer) =>
  JSON.parse(fs.readFileSync(path.join(peer.dir, 'connections.json'), 'utf8'));

/** Polls `check` until it stops throwing: the peer notes a closed connection a moment later. */
async function eventually(check) {
  const deadline = Date.now() + 3000;
  for (;;) {
    try {
      return check();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

const pick = (record, ...keys) => Object.fromEntries(keys.map((k) => [k, record[k]]));
/** What happened to `to`, attempt by attempt, without the times and sessions. */
const outcomes = (peer, to) => attempts(peer, to).map((a) => pick(a, 'stage', 'result', 'code'));

test('announces its port and certificate', () => {
  assert.equal(typeof main.port, 'number');
  assert.equal(main.cert, path.join(main.dir, 'cert.pem'));
  assert.ok(fs.existsSync(path.join(main.dir, 'key.pem')));
});

test('stores each message with its envelope and records it', async () => {
  const start = Date.now();
  const mailer = transport(main, { auth: { user: 'alice', pass: 's3cret' } });
  for (const to of ['taro@example.jp', 'hanako@example.jp']) {
    await mailer.sendMail({
      from: 'office@example.jp',
      to,
      subject: 'こんにちは',
      text: `Dear ${to}\n.\nA line that is only a dot must arrive intact.`,
    });
  }
  mailer.close();

  const sessions = [];
  for (const [n, to] of [[1, 'taro@example.jp'], [2, 'hanako@example.jp']]) {
    const base = path.join(main.dir, String(n).padStart(6, '0'));
    const { receivedAt, session, ...envelope } = JSON.parse(fs.readFileSync(`${base}.json`, 'utf8'));
    assert.deepEqual(envelope, { from: 'office@example.jp', to: [to], user: 'alice', tls: true });
    assert.ok(receivedAt >= start && receivedAt <= Date.now(), `receivedAt ${receivedAt}`);
    assert.ok(Number.isInteger(session) && session > 0);
    sessions.push(session);
    const eml = fs.readFileSync(`${base}.eml`, 'utf8');
    assert.match(eml, new RegExp(`^To: ${to}\\r$`, 'm'));
    assert.match(eml, /\r\n\.\r\n/);
  }
  // nodemailer without a pool opens a connection per message.
  assert.notEqual(sessions[0], sessions[1]);
  assert.deepEqual(attempts(main).map((a) => pick(a, 'session', 'to', 'stage', 'result', 'code')), [
    { session: sessions[0], to: ['taro@example.jp'], stage: 'data', result: 'stored', code: 250 },
    { session: sessions[1], to: ['hanako@example.jp'], stage: 'data', result: 'stored', code: 250 },
  ]);
});

test('wrong credentials get 535 and store nothing', async () => {
  await assert.rejects(
    send(main, 'x@example.jp', { auth: { user: 'alice', pass: 'wrong' } }),
    (err) => err.responseCode === 535,
  );
  assert.ok(!fs.existsSync(path.join(main.dir, '000003.json')));
});

test('counts open connections in connections.json', async () => {
  const before = await eventually(() => {
    const counts = connections(main);
    assert.equal(counts.open, 0);
    return counts;
  });
  const sessions = [rawSession(main), rawSession(main), rawSession(main)];
  for (const session of sessions) assert.match(await session.reply(), /^220 /);
  assert.deepEqual(connections(main), { open: 3, maxOpen: 3, total: before.total + 3 });
  await Promise.all(sessions.map((s) => s.quit()));
  await eventually(() =>
    assert.deepEqual(connections(main), { open: 0, maxOpen: 3, total: before.total + 3 }));
});

test('a reply fault at RCPT refuses the recipient, matched lower-cased', async () => {
  // nodemailer lower-cases the domain itself; the local part arrives as written.
  const to = 'Refused@example.jp';
  await assert.rejects(send(envelopePeer, to), (err) => {
    assert.equal(err.responseCode, 550);
    assert.match(err.response, /5\.1\.1 No such user/);
    return true;
  });
  assert.deepEqual(outcomes(envelopePeer, to), [
    { stage: 'rcpt', result: 'refused', code: 550 },
  ]);
  assert.equal(storedFor(envelopePeer, to).length, 0);
});

test('a disconnect at RCPT drops the TLS session before DATA', async () => {
  await assert.rejects(send(envelopePeer, 'lost-at-rcpt@example.jp'), { code: 'ECONNECTION' });
  assert.deepEqual(outcomes(envelopePeer, 'lost-at-rcpt@example.jp'), [
    { stage: 'rcpt', result: 'disconnected', code: null },
  ]);
  assert.equal(storedFor(envelopePeer, 'lost-at-rcpt@example.jp').length, 0);
});

test('a delay at RCPT holds the answer, then the message goes through', async () => {
  const start = Date.now();
  await send(envelopePeer, 'slow-rcpt@example.jp');
  assert.ok(Date.now() - start >= 300);
  assert.deepEqual(outcomes(envelopePeer, 'slow-rcpt@example.jp'), [
    { stage: 'rcpt', result: 'delayed', code: 250 },
    { stage: 'data', result: 'stored', code: 250 },
  ]);
});

test('a reply fault at DATA refuses the message after reading it, storing nothing', async () => {
  const session = rawSession(envelopePeer);
  await beginData(session, 'quota@example.jp');
  // The refusal answers the end of the data, not the DATA command.
  assert.equal(await session.command(message('quota@example.jp')),
    '550 5.4.5 Daily sending quota exceeded');
  await session.quit();
  await assert.rejects(send(envelopePeer, 'quota@example.jp'), { responseCode: 550 });
  assert.deepEqual(outcomes(envelopePeer, 'quota@example.jp'), [
    { stage: 'data', result: 'refused', code: 550 },
    { stage: 'data', result: 'refused', code: 550 },
  ]);
  assert.equal(storedFor(envelopePeer, 'quota@example.jp').length, 0);
});

test('a disconnect at DATA stores the message and closes without a reply', async () => {
  const session = rawSession(envelopePeer);
  await beginData(session, 'lost-after-data@example.jp');
  assert.equal(await session.command(message('lost-after-data@example.jp')), null);
  await session.closed;
  const [record] = attempts(envelopePeer, 'lost-after-data@example.jp');
  assert.deepEqual(pick(record, 'stage', 'result', 'code'), { stage: 'data', result: 'disconnected', code: null });
  const [stored] = storedFor(envelopePeer, 'lost-after-data@example.jp');
  assert.equal(stored.session, record.session);
});

test('a delay at DATA stores the message and answers late, or not at all to a client gone', async () => {
  const to = 'slow-data@example.jp';
  await assert.rejects(send(envelopePeer, to, { socketTimeout: 200 }), { code: 'ETIMEDOUT' });
  // This reply comes after the one due to the client that gave up: that one went nowhere
  // and the peer goes on serving.
  const session = rawSession(envelopePeer);
  await beginData(session, to);
  const start = Date.now();
  assert.match(await session.command(message(to)), /^250 /);
  assert.ok(Date.now() - start >= 600);
  await session.quit();
  assert.deepEqual(outcomes(envelopePeer, to), [
    { stage: 'data', result: 'delayed', code: 250 },
    { stage: 'data', result: 'delayed', code: 250 },
  ]);
  assert.equal(storedFor(envelopePeer, to).length, 2);
});

test('a rule with times fires that often, then a retry succeeds', async () => {
  const to = 'twice@example.jp';
  for (let i = 0; i < 2; i++) {
    await assert.rejects(send(envelopePeer, to), { responseCode: 451 });
  }
  await send(envelopePeer, to);
  assert.deepEqual(outcomes(envelopePeer, to), [
    { stage: 'data', result: 'refused', code: 451 },
    { stage: 'data', result: 'refused', code: 451 },
    { stage: 'data', result: 'stored', code: 250 },
  ]);
  assert.equal(storedFor(envelopePeer, to).length, 1);
});

test('connect faults from a file: 421 greeting, silent close, late greeting', async () => {
  const refused = rawSession(connectPeer);
  assert.equal(await refused.reply(), '421 4.7.0 Too many connections');
  await refused.closed;
  const dropped = rawSession(connectPeer);
  assert.equal(await dropped.reply(), null);
  const start = Date.now();
  const late = rawSession(connectPeer);
  assert.match(await late.reply(), /^220 /);
  assert.ok(Date.now() - start >= 300);
  await late.quit();
  const normal = rawSession(connectPeer);
  assert.match(await normal.reply(), /^220 /);
  await normal.quit();
  assert.deepEqual(attempts(connectPeer).map((a) => pick(a, 'session', 'to', 'stage', 'result', 'code')), [
    { session: 1, to: [], stage: 'connect', result: 'refused', code: 421 },
    { session: 2, to: [], stage: 'connect', result: 'disconnected', code: null },
    { session: 3, to: [], stage: 'connect', result: 'delayed', code: 220 },
  ]);
});

test('MAIL FROM faults: reply, disconnect whatever "to" says, delay', async () => {
  const answerTo = async (session) => {
    assert.match(await session.reply(), /^220 /);
    assert.match(await session.command('EHLO client.example.jp'), /^250 /);
    return session.command('MAIL FROM:<office@example.jp>');
  };
  const refused = rawSession(mailPeer);
  assert.equal(await answerTo(refused), '451 4.7.1 Try again later');
  await refused.quit();
  assert.equal(await answerTo(rawSession(mailPeer)), null);
  const delayed = rawSession(mailPeer);
  const start = Date.now();
  assert.match(await answerTo(delayed), /^250 /);
  assert.ok(Date.now() - start >= 300);
  await delayed.quit();
  assert.deepEqual(attempts(mailPeer).map((a) => pick(a, 'to', 'stage', 'result', 'code')), [
    { to: [], stage: 'mail', result: 'refused', code: 451 },
    { to: [], stage: 'mail', result: 'disconnected', code: null },
    { to: [], stage: 'mail', result: 'delayed', code: 250 },
  ]);
});

test('a bad rule stops the peer with status 2 and says why', async () => {
  const cases = [
    ['[{"at":"later","do":"reply","code":451}]', /rule 1 .*"at" must be one of/],
    ['[{"at":"rcpt","do":"reply"}]', /rule 1 .*"code" must be a 4xx or 5xx/],
    ['[{"at":"data","do":"delay","delay_ms":5}]', /"do": "delay" takes no delay_ms/],
    ['{"at":"data"}', /expected an array of rules/],
    ['not json', /--faults: .*JSON/],
  ];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shisa-smtp-'));
  await Promise.all(cases.map(async ([faults, why]) => {
    const child = spawn(process.execPath, [server, '--dir', dir, '--faults', faults]);
    let stderr = '';
    let stdout = '';
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    child.stdout.on('data', (chunk) => { stdout += chunk; });
    const code = await new Promise((resolve) => child.once('exit', resolve));
    assert.equal(code, 2, faults);
    assert.match(stderr, why);
    assert.equal(stdout, '');
  }));
  assert.deepEqual(fs.readdirSync(dir), [], 'a bad rule is caught before anything is written');
  fs.rmSync(dir, { recursive: true });
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
