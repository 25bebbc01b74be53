// The whole user workflow through the real app's UI: SMTP settings, import a CSV, compose,
// confirm, send, history; then the mail as the SMTP peer received it. Started by run.mjs,
// which provides the driver, the peer and the app's data folder through SHISA_E2E.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { simpleParser } from 'mailparser';
import { remote } from 'webdriverio';

const { app, driverPort, runDir, smtp } = JSON.parse(process.env.SHISA_E2E ?? 'null') ??
  assert.fail('run this through tests/e2e/run.mjs');

const LIST = '顧客リスト';
const SUBJECT = 'ご案内';
// The SMTP user is not an address, so the campaign must name its sender.
const FROM = 'office@example.jp';
const RECIPIENTS = [
  { email: 'yamada@example.jp', name: '山田 太郎' },
  { email: 'suzuki@example.jp', name: '鈴木 花子' },
  { email: 'sato@example.co.jp', name: '佐藤 一郎' },
];
const STEP_TIMEOUT_MS = 60_000;
const SEND_TIMEOUT_MS = 45_000;

let browser;
let broken = false;
let shots = 0;

before(async () => {
  browser = await remote({
    hostname: '127.0.0.1',
    port: driverPort,
    logLevel: 'error',
    connectionRetryCount: 0,
    connectionRetryTimeout: 90_000,
    waitforTimeout: 15_000,
    capabilities: {
      'tauri:options': { application: app },
      // tauri-driver does not carry WebDriver BiDi, and a session that asks for it fails.
      'wdio:enforceWebDriverClassic': true,
    },
  });
  await $id('step-import').waitForDisplayed({ timeout: 30_000 });
}, { timeout: 120_000 });

after(async () => {
  await browser?.deleteSession().catch(() => {});
});

/**
 * One step of the workflow: skipped once an earlier step failed (it could only fail
 * too, slowly), and photographed either way so a person can see where it stopped. A
 * failing step also keeps the page's text, which includes folded error details that a
 * screenshot does not show.
 */
function step(name, fn) {
  test(name, { timeout: STEP_TIMEOUT_MS }, async (t) => {
    if (broken) return t.skip('an earlier step failed');
    const base = path.join(runDir, `${String(++shots).padStart(2, '0')}-${name.split(':')[0]}`);
    try {
      await fn();
    } catch (err) {
      broken = true;
      await keepPageText(`${base}.txt`);
      throw err;
    } finally {
      await browser.saveScreenshot(`${base}.png`).catch((err) => {
        process.stderr.write(`screenshot ${base}.png failed: ${err.message}\n`);
      });
    }
  });
}

step('settings: use the SMTP peer', async () => {
  await click('nav-settings');
  await click('settings-mode-smtp');
  await fill('settings-host', '127.0.0.1');
  await fill('settings-port', smtp.port);
  await choose('settings-security', 'insecure');
  await fill('settings-user', smtp.user);
  await fill('settings-password', smtp.pass);
  await click('settings-save');
  // The button is disabled while saving; leaving the view earlier could lose the save.
  await $id('settings-save').waitForEnabled();
});

step('import: a UTF-8 CSV of three contacts', async () => {
  const csv = path.join(runDir, 'contacts.csv');
  const rows = RECIPIENTS.map((r) => `${r.email},${r.name}`);
  fs.writeFileSync(csv, ['email,name', ...rows, ''].join('\r\n'));

  await click('step-import');
  await fill('import-path', csv);
  await fill('import-list', LIST);
  await click('import-submit');
  await waitForText('import-result', /\b3\b/);
});

step('compose: a merged HTML mail to the list', async () => {
  await click('step-compose');
  await choose('compose-list', LIST);
  await fill('compose-subject', SUBJECT);
  await fill('compose-from', FROM);
  await fill('compose-html', '<p>{{name}} 様</p><p>本文</p>');
  await click('compose-submit');
});

step('review: every recipient listed, sending only after confirming', async () => {
  await waitForText('review-count', /\b3\b/);
  assert.equal(await browser.$$(byId('review-recipient')).length, RECIPIENTS.length);
  const send = await $id('review-send');
  assert.equal(await send.isEnabled(), false, 'review-send must wait for the confirmation');
  await click('review-confirm');
  await send.waitForEnabled();
});

step('send: finishes with every mail sent', async () => {
  await click('review-send');
  // Stop at the first error the app shows rather than waiting out the timeout.
  await browser.waitUntil(
    async () => (await $id('send-done').isExisting()) || (await browser.$('[role="alert"]').isExisting()),
    { timeout: SEND_TIMEOUT_MS, timeoutMsg: 'the send neither finished nor failed' },
  );
  const alert = await browser.$('[role="alert"]');
  if (await alert.isExisting()) {
    assert.fail(`the app reported an error: ${await alert.getHTML()}`);
  }
  assert.match(await $id('send-done').getText(), /\b3\b/);
});

step('peer: one mail per recipient, each to that recipient alone', async () => {
  const received = fs.readdirSync(smtp.dir).filter((f) => /^\d{6}\.json$/.test(f)).sort();
  assert.equal(received.length, RECIPIENTS.length);

  const addressed = [];
  for (const file of received) {
    const envelope = JSON.parse(fs.readFileSync(path.join(smtp.dir, file), 'utf8'));
    assert.equal(envelope.from, FROM);
    assert.equal(envelope.to.length, 1, `${file}: one RCPT per message`);
    assert.equal(envelope.user, smtp.user, `${file}: sent with AUTH`);
    const [rcpt] = envelope.to;
    const recipient = RECIPIENTS.find((r) => r.email === rcpt);
    assert.ok(recipient, `${file}: RCPT ${rcpt} is not on the list`);
    addressed.push(rcpt);

    const mail = await simpleParser(fs.readFileSync(path.join(smtp.dir, file.replace('.json', '.eml'))));
    assert.deepEqual([mail.to].flat().flatMap((a) => a.value.map((v) => v.address)), [rcpt]);
    assert.ok(!mail.headers.has('cc'), `${file}: no Cc`);
    assert.ok(!mail.headers.has('bcc'), `${file}: no Bcc`);
    assert.equal(mail.subject, SUBJECT);
    assert.ok(mail.html, `${file}: has an HTML part`);
    assert.ok(mail.html.includes(`${recipient.name} 様`), `${file}: name merged into the body`);
    assert.ok(mail.html.includes('本文'), `${file}: body kept`);
  }
  assert.deepEqual(addressed.sort(), RECIPIENTS.map((r) => r.email).sort());
});

step('history: the campaign shows every delivery as sent', async () => {
  await click('send-to-history');
  await click('history-campaign');
  await browser.waitUntil(
    async () => (await browser.$$(byId('history-delivery')).length) === RECIPIENTS.length,
    { timeoutMsg: `expected ${RECIPIENTS.length} history-delivery rows` },
  );
  const rows = await browser.$$(byId('history-delivery')).map(async (row) => ({
    state: await row.getAttribute('data-state'),
    text: await row.getText(),
  }));
  for (const { email } of RECIPIENTS) {
    const row = rows.find((r) => r.text.includes(email));
    assert.ok(row, `no history row for ${email}`);
    assert.equal(row.state, 'sent', `${email} is ${row.state}`);
  }
});

function byId(id) {
  return `[data-testid="${id}"]`;
}

function $id(id) {
  return browser.$(byId(id));
}

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

/** Picks an option of a <select>, waiting for options that load asynchronously. */
async function choose(id, value) {
  const el = await $id(id);
  await el.$(`option[value="${value}"]`).waitForExist();
  await el.selectByAttribute('value', value);
}

async function waitForText(id, pattern) {
  // Looked up afresh each time: the UI may replace the element while it updates.
  await browser.waitUntil(async () => {
    const el = await $id(id);
    return (await el.isExisting()) && pattern.test(await el.getText());
  }, { timeoutMsg: `${id} never showed ${pattern}` });
}

async function keepPageText(file) {
  const text = await browser.execute(() => document.body.textContent).catch((err) => err.message);
  fs.writeFileSync(file, text.replace(/\s*\n\s*/g, '\n'));
  process.stderr.write(`page text kept in ${file}\n`);
}
