#!/usr/bin/env node
// The SMTP peer that Shisa's tests send to: a real server on loopback with STARTTLS
// (a self-signed certificate made at start), optional AUTH, and one pair of files per
// received message so a test can assert exactly what went over the wire.
//
//   node server.mjs --dir OUTDIR [--user U --pass P] [--host 127.0.0.1] [--verbose]
//
// stdout carries exactly one line, {"port":N,"cert":"/abs/OUTDIR/cert.pem"}, once it
// listens. Each message becomes OUTDIR/NNNNNN.eml (the bytes received) and then
// OUTDIR/NNNNNN.json (envelope), renamed into place in that order: a reader that sees
// the .json may trust the .eml is complete.
//
// How the server answers is decided by `handlers()` alone; scripted faults (4xx/5xx
// replies, disconnects, slow replies) belong in a layer that wraps those handlers.
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { format, parseArgs } from 'node:util';
import selfsigned from 'selfsigned';
import { SMTPServer } from 'smtp-server';

const MAX_MESSAGE_BYTES = 100 * 1024 * 1024;

const { values: opts } = parseArgs({
  options: {
    dir: { type: 'string' },
    user: { type: 'string' },
    pass: { type: 'string' },
    host: { type: 'string', default: '127.0.0.1' },
    verbose: { type: 'boolean', default: false },
  },
});
if (!opts.dir || (opts.user === undefined) !== (opts.pass === undefined)) {
  process.stderr.write('usage: server.mjs --dir OUTDIR [--user U --pass P] [--host H]\n');
  process.exit(2);
}
const dir = path.resolve(opts.dir);
fs.mkdirSync(dir, { recursive: true });

const tls = await makeCertificate(dir);
const mailbox = openMailbox(dir);
const credentials = opts.user === undefined ? null : { user: opts.user, pass: opts.pass };

const server = new SMTPServer({
  secure: false,
  key: tls.key,
  cert: tls.cert,
  size: MAX_MESSAGE_BYTES,
  rejectOversized: true,
  // Plain AUTH is acceptable here only because the peer listens on loopback; the app's
  // rule "no AUTH without TLS except to a loopback test server" is what this exercises.
  allowInsecureAuth: true,
  authMethods: ['PLAIN', 'LOGIN'],
  authOptional: credentials === null,
  disabledCommands: credentials === null ? ['AUTH'] : [],
  // No DNS on the test machine; a reverse lookup would only add a timeout.
  disableReverseLookup: true,
  logger: opts.verbose ? stderrLogger() : false,
  ...handlers(mailbox, credentials),
});
// A client that drops its connection surfaces here; it must not bring the peer down.
server.on('error', (err) => log(`smtp: ${err.message}`));

server.listen(0, opts.host, () => {
  const { port } = server.server.address();
  process.stdout.write(`${JSON.stringify({ port, cert: tls.certPath })}\n`);
});

let stopping = false;
function stop() {
  if (stopping) return;
  stopping = true;
  // close() waits for open sessions; a test tearing down should not wait on them.
  setTimeout(() => process.exit(0), 1000).unref();
  server.close(() => process.exit(0));
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
// A parent that holds our stdin as a pipe and dies (a crashed test) closes it: stop
// then, so no peer outlives its test. A terminal or /dev/null stdin is not a parent.
if (stdinIsPipe()) {
  process.stdin.on('end', stop);
  process.stdin.on('error', stop);
  process.stdin.resume();
}

/** The SMTP behaviour: accept every envelope, check credentials, store every message. */
function handlers(mailbox, credentials) {
  return {
    onAuth(auth, session, callback) {
      const ok = credentials && auth.username === credentials.user &&
        auth.password === credentials.pass;
      if (!ok) return callback(Object.assign(new Error('Invalid credentials'), { responseCode: 535 }));
      callback(null, { user: auth.username });
    },
    onData(stream, session, callback) {
      mailbox.store(stream, session).then(
        (name) => callback(null, name ? `queued as ${name}` : 'discarded'),
        (err) => {
          log(`store: ${err.message}`);
          callback(Object.assign(new Error('Cannot store message'), { responseCode: 451 }));
        },
      );
    },
  };
}

function openMailbox(dir) {
  // Continue after what is already there so a reused folder never loses earlier mail.
  let last = Math.max(0, ...fs.readdirSync(dir)
    .map((f) => /^(\d{6})\.json$/.exec(f)?.[1])
    .filter(Boolean)
    .map(Number));
  let temp = 0;
  return {
    async store(stream, session) {
      const partial = path.join(dir, `.partial-${process.pid}-${++temp}`);
      await pipeline(stream, fs.createWriteStream(partial));
      if (stream.sizeExceeded) {
        // rejectOversized answers 552 itself; just do not keep the bytes.
        await fs.promises.rm(partial, { force: true });
        return null;
      }
      // Numbered on completion, synchronously, so numbers follow the order of the
      // final replies even with several sessions at once.
      const name = String(++last).padStart(6, '0');
      const envelope = {
        from: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
        to: session.envelope.rcptTo.map((r) => r.address),
        user: session.user ?? null,
        tls: Boolean(session.secure),
      };
      await fs.promises.rename(partial, path.join(dir, `${name}.eml`));
      await fs.promises.writeFile(`${partial}.json`, `${JSON.stringify(envelope)}\n`);
      await fs.promises.rename(`${partial}.json`, path.join(dir, `${name}.json`));
      return name;
    },
  };
}

async function makeCertificate(dir) {
  // rustls refuses SHA-1 signatures, CA certificates used as a server's own, and names
  // not in subjectAltName; this certificate satisfies all three so Rust tests can trust
  // cert.pem as their only root.
  const pems = await selfsigned.generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  });
  const certPath = path.join(dir, 'cert.pem');
  fs.writeFileSync(path.join(dir, 'key.pem'), pems.private, { mode: 0o600 });
  fs.writeFileSync(certPath, pems.cert);
  return { key: pems.private, cert: pems.cert, certPath };
}

function stdinIsPipe() {
  try {
    const st = fs.fstatSync(0);
    return st.isFIFO() || st.isSocket();
  } catch {
    return false;
  }
}

function log(line) {
  process.stderr.write(`shisa-test-smtp: ${line}\n`);
}

function stderrLogger() {
  // smtp-server logs bunyan-style: (fields, format, ...args).
  const write = (level) => (fields, ...args) => log(`${level} ${format(...args)}`);
  return Object.fromEntries(
    ['trace', 'debug', 'info', 'warn', 'error', 'fatal'].map((l) => [l, write(l)]),
  );
}
