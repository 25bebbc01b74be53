#!/usr/bin/env node
// The SMTP peer that Shisa's tests send to: a real server on loopback with STARTTLS
// (a self-signed certificate made at start), optional AUTH, and one pair of files per
// received message so a test can assert exactly what went over the wire.
//
//   node server.mjs --dir OUTDIR [--user U --pass P] [--host 127.0.0.1]
//                   [--faults JSON|@FILE] [--verbose]
//
// stdout carries exactly one line, {"port":N,"cert":"/abs/OUTDIR/cert.pem"}, once it
// listens. Each message becomes OUTDIR/NNNNNN.eml (the bytes received) and then
// OUTDIR/NNNNNN.json (envelope: from, to, user, tls, receivedAt = ms since the epoch
// when the data was complete, session = the connection's number from 1), renamed into
// place in that order: a reader that sees the .json may trust the .eml is complete.
//
// Two more records let a test see what the client went through:
//   OUTDIR/attempts.jsonl    one line per DATA and per scripted fault, on disk before the
//     reply goes out: {"at":ms,"session":n,"to":[...],"stage":"connect"|"mail"|"rcpt"|
//     "data","result":"stored"|"refused"|"disconnected"|"delayed","code":n|null}, code
//     being the reply sent (or held back by a delay), null when there is none.
//   OUTDIR/connections.json  {"open":n,"maxOpen":n,"total":n}, replaced atomically when
//     smtp-server takes a connection up (just before the greeting) and when it closes.
//
// --faults takes a JSON array of rules (or @FILE holding one); the first rule that
// matches wins:
//   {"to": regex on the lower-cased recipient, "at": "connect"|"mail"|"rcpt"|"data",
//    "do": "reply"|"disconnect"|"delay", "code": 4xx|5xx, "message": "...",
//    "delayMs": n, "times": n}
// "to" applies at rcpt and data (any recipient of the message); connect and mail know
// none yet and ignore it. "times" makes a rule fire that often in all, then never again,
// so a retry can succeed. reply answers with code and message instead of going on (at
// data: the message is read whole and not stored); disconnect closes the socket without
// a word (at data: after storing the message, which the server may have taken); delay
// holds the normal answer for delayMs (at data: the message is stored first, and a
// client that gave up meanwhile gets nothing). A bad rule ends the peer with status 2.
//
// How the server answers is decided by `handlers()` alone; `scripted()` wraps those
// handlers with the faults and writes the records.
import fs from 'node:fs';
import path from 'node:path';
import { finished, pipeline } from 'node:stream/promises';
import { format, parseArgs } from 'node:util';
import selfsigned from 'selfsigned';
import { SMTPServer } from 'smtp-server';

const MAX_MESSAGE_BYTES = 100 * 1024 * 1024;
// The reply each stage gives when no fault intervenes: what a delayed answer carries.
const NORMAL_CODE = { connect: 220, mail: 250, rcpt: 250, data: 250 };
// The fields a rule may have besides to, at, do and times, by what it does.
const RULE_FIELDS = { reply: ['code', 'message'], disconnect: [], delay: ['delayMs'] };

const { values: opts } = parseArgs({
  options: {
    dir: { type: 'string' },
    user: { type: 'string' },
    pass: { type: 'string' },
    host: { type: 'string', default: '127.0.0.1' },
    faults: { type: 'string' },
    // Leave PIPELINING out of the EHLO reply, as older servers do.
    'no-pipelining': { type: 'boolean', default: false },
    verbose: { type: 'boolean', default: false },
  },
});
if (!opts.dir || (opts.user === undefined) !== (opts.pass === undefined)) {
  process.stderr.write(
    'usage: server.mjs --dir OUTDIR [--user U --pass P] [--host H] [--faults JSON|@FILE]\n',
  );
  process.exit(2);
}
const rules = loadFaults(opts.faults);
const dir = path.resolve(opts.dir);
fs.mkdirSync(dir, { recursive: true });

const tls = await makeCertificate(dir);
const records = openRecords(dir);
const mailbox = openMailbox(dir, records.number);
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
  hidePIPELINING: opts['no-pipelining'],
  logger: opts.verbose ? stderrLogger() : false,
  ...scripted(handlers(mailbox, credentials), rules, records),
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
      if (!ok) return callback(smtpError(535, 'Invalid credentials'));
      callback(null, { user: auth.username });
    },
    onData(stream, session, callback) {
      mailbox.store(stream, session).then(
        (name) => (name
          ? callback(null, `queued as ${name}`)
          // rejectOversized answers 552 with its own text; the error tells the records.
          : callback(smtpError(552, 'Message too big'))),
        (err) => {
          log(`store: ${err.message}`);
          callback(smtpError(451, 'Cannot store message'));
        },
      );
    },
  };
}

/**
 * Wraps the SMTP behaviour `base` with the scripted fault `rules` and writes the records
 * of every connection, DATA and fault. With no rules it only records.
 */
function scripted(base, rules, records) {
  // Connections, senders and recipients are all welcome unless a fault says otherwise.
  const step = (event, callback) => {
    const rule = takeFault(rules, event.stage, event.to);
    if (!rule) return callback();
    act(rule, event, callback, () => callback());
  };
  // Carries out `rule` in place of the normal `answer`, which a delay only postpones.
  const act = (rule, event, callback, answer) => {
    if (rule.do === 'reply') {
      records.attempt(event, 'refused', rule.code);
      callback(smtpError(rule.code, rule.message));
    } else if (rule.do === 'disconnect') {
      records.attempt(event, 'disconnected', null);
      dropConnection(event.session);
    } else {
      records.attempt(event, 'delayed', NORMAL_CODE[event.stage]);
      // Should the client leave meanwhile, smtp-server writes nothing to the closed socket.
      setTimeout(answer, rule.delayMs);
    }
  };
  return {
    ...base,
    onConnect(session, callback) {
      records.opened(session);
      step({ stage: 'connect', session, to: [] }, callback);
    },
    onClose(session) {
      records.closed(session);
    },
    onMailFrom(address, session, callback) {
      step({ stage: 'mail', session, to: [] }, callback);
    },
    onRcptTo(address, session, callback) {
      step({ stage: 'rcpt', session, to: [address.address] }, callback);
    },
    onData(stream, session, callback) {
      const event = { stage: 'data', session, to: session.envelope.rcptTo.map((r) => r.address) };
      const rule = takeFault(rules, 'data', event.to);
      if (rule?.do === 'reply') {
        // Refused once the whole message is in, like a server that judged its content.
        stream.resume();
        finished(stream).then(() => act(rule, event, callback), (err) => log(`data: ${err.message}`));
        return;
      }
      base.onData(stream, session, (err, message) => {
        if (err) {
          records.attempt(event, 'refused', err.responseCode);
          return callback(err);
        }
        if (!rule) {
          records.attempt(event, 'stored', NORMAL_CODE.data);
          return callback(null, message);
        }
        // A disconnect or a delay strikes once the message is stored: the server may have
        // taken it whatever the client learns.
        act(rule, event, callback, () => callback(null, message));
      });
    },
  };
}

/** The first rule for `stage` that still fires and matches a recipient in `to`, used up once. */
function takeFault(rules, stage, to) {
  // Connect and mail pass no recipient, none being known yet: "to" does not apply there.
  const matches = (rule) => rule.to === null || to.length === 0 ||
    to.some((address) => rule.to.test(address.toLowerCase()));
  const rule = rules.find((r) => r.at === stage && r.left > 0 && matches(r));
  if (rule) rule.left -= 1;
  return rule;
}

/** Ends the connection of `session` without a word, as a crash or a lost network would. */
function dropConnection(session) {
  // Handlers see only the session; its connection holds the socket (the TLS one after
  // STARTTLS, so the client sees the connection go rather than a TLS alert).
  for (const connection of server.connections) {
    if (connection.session === session) connection._socket.destroy();
  }
}

/** The rules of --faults, from JSON or @FILE; a bad one ends the peer with status 2. */
function loadFaults(option) {
  if (option === undefined) return [];
  try {
    const text = option.startsWith('@') ? fs.readFileSync(option.slice(1), 'utf8') : option;
    const value = JSON.parse(text);
    if (!Array.isArray(value)) throw new Error('expected an array of rules');
    return value.map((rule, i) => {
      try {
        return parseRule(rule);
      } catch (err) {
        throw new Error(`rule ${i + 1} (${JSON.stringify(rule)}): ${err.message}`);
      }
    });
  } catch (err) {
    process.stderr.write(`server.mjs: --faults: ${err.message}\n`);
    process.exit(2);
  }
}

function parseRule(rule) {
  if (rule === null || typeof rule !== 'object' || Array.isArray(rule)) {
    throw new Error('a rule is an object');
  }
  if (!Object.hasOwn(NORMAL_CODE, rule.at)) {
    throw new Error(`"at" must be one of ${Object.keys(NORMAL_CODE).join(', ')}`);
  }
  if (!Object.hasOwn(RULE_FIELDS, rule.do)) {
    throw new Error(`"do" must be one of ${Object.keys(RULE_FIELDS).join(', ')}`);
  }
  // A misspelt field would otherwise be ignored and the fault silently not what was meant.
  const allowed = ['to', 'at', 'do', 'times', ...RULE_FIELDS[rule.do]];
  const unknown = Object.keys(rule).filter((key) => !allowed.includes(key));
  if (unknown.length) throw new Error(`"do": "${rule.do}" takes no ${unknown.join(', ')}`);
  if (rule.to !== undefined && typeof rule.to !== 'string') {
    throw new Error('"to" must be a regular expression in a string');
  }
  if (rule.do === 'reply' && !(Number.isInteger(rule.code) && rule.code >= 400 && rule.code <= 599)) {
    throw new Error('"code" must be a 4xx or 5xx reply code');
  }
  if (rule.message !== undefined && typeof rule.message !== 'string') {
    throw new Error('"message" must be a string');
  }
  if (rule.do === 'delay' && !(Number.isInteger(rule.delayMs) && rule.delayMs >= 0)) {
    throw new Error('"delayMs" must be a whole number of milliseconds');
  }
  if (rule.times !== undefined && !(Number.isInteger(rule.times) && rule.times > 0)) {
    throw new Error('"times" must be a whole number above 0');
  }
  return {
    ...rule,
    to: rule.to === undefined ? null : new RegExp(rule.to),
    message: rule.message ?? 'Scripted fault',
    left: rule.times ?? Infinity,
  };
}

/** attempts.jsonl and connections.json, see the top of this file. */
function openRecords(dir) {
  const attempts = path.join(dir, 'attempts.jsonl');
  const numbers = new WeakMap();
  const counts = { open: 0, maxOpen: 0, total: 0 };
  const saveCounts = () => {
    // Written aside and renamed, so a reader never sees half a file.
    const temp = path.join(dir, `.connections-${process.pid}.tmp`);
    fs.writeFileSync(temp, `${JSON.stringify(counts)}\n`);
    fs.renameSync(temp, path.join(dir, 'connections.json'));
  };
  return {
    opened(session) {
      numbers.set(session, ++counts.total);
      counts.open += 1;
      counts.maxOpen = Math.max(counts.maxOpen, counts.open);
      saveCounts();
    },
    closed(session) {
      // A client that leaves within smtp-server's early-talker pause is closed unopened.
      if (!numbers.has(session)) return;
      counts.open -= 1;
      saveCounts();
    },
    number: (session) => numbers.get(session),
    attempt({ stage, session, to }, result, code) {
      const line = { at: Date.now(), session: numbers.get(session), to, stage, result, code };
      // Synchronous, so the line is on disk before the reply it describes goes out.
      fs.appendFileSync(attempts, `${JSON.stringify(line)}\n`);
    },
  };
}

function openMailbox(dir, sessionNumber) {
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
      const receivedAt = Date.now();
      // Numbered on completion, synchronously, so numbers follow the order of the
      // final replies even with several sessions at once.
      const name = String(++last).padStart(6, '0');
      const envelope = {
        from: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
        to: session.envelope.rcptTo.map((r) => r.address),
        user: session.user ?? null,
        tls: Boolean(session.secure),
        receivedAt,
        session: sessionNumber(session),
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

function smtpError(code, message) {
  return Object.assign(new Error(message), { responseCode: code });
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
