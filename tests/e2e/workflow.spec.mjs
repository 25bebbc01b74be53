// The whole user workflow through the real app's UI, twice in one session. The hold after
// confirming (送信保留) is set to none first, so that each send starts at once. Then, in practice
// mode, the default: import a CSV, compose in the editor (a merge field, bold text) and
// preview it as two recipients, confirm, send, history, then the mail as written to the
// practice mailbox, with nothing sent to the SMTP peer. Then the same with SMTP settings,
// each recipient's own invoice found by 顧客ID and a test send to the user's own address,
// and the mail as the SMTP peer received it. Each review shows the recipients' domains and the
// files, and sends only once each of them is ticked by itself and the count is typed. Then a
// third campaign with a hold, taken back within it with one click: nothing reaches the peer,
// not even after the hold's end. Then a fourth campaign, reviewed but not sent, whose address at
// gmial.com is flagged on the review screen as a typo of gmail.com. Last, an office workbook through the
// import wizard (a cover sheet, a title block, a header the app cannot guess and a column
// mapped by hand); then the contacts list: a search, an edit in place, a tag, and the mark of
// an address put on the suppression list. Started by run.mjs, which provides the driver, the
// peer and the app's data folder through SHISA_E2E.
//
// The data-testid attributes this spec relies on:
//   step-import step-compose nav-settings           step bar and settings button
//   tab-import tab-contacts tab-suppressions        the views of the first step (宛先)
//   import-path import-list import-check            wizard, choosing the file and the list
//   import-counts import-format import-sheet        wizard, the check screen
//   import-header-row import-header-names
//   import-field-<column letter> import-preview
//   import-problem import-warning (data-kind)
//   import-commit import-result import-again        wizard, importing and its result
//   import-to-contacts
//   contacts-total contacts-search contacts-row     the contacts table
//   (data-address) contacts-list-filter contacts-tag-filter contacts-status-filter
//   contacts-cell-company(-input, -error)
//   contacts-select contacts-selected contacts-tag-name contacts-tag-add
//   contacts-status (data-status)
//   suppression-addresses                           the suppression list
//   suppression-reason suppression-add suppression-entry
//   editor-body editor-fields editor-field-<n>     the mail editor
//   editor-bold
//   compose-* review-* send-* settings-* history-*  the later steps
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import ExcelJS from 'exceljs';
import { simpleParser } from 'mailparser';
import { remote } from 'webdriverio';
import { driving } from './harness.mjs';

const { app, dataDir, driverPort, runDir, smtp } = JSON.parse(process.env.SHISA_E2E ?? 'null') ??
  assert.fail('run this through tests/e2e/run.mjs');

// Where practice mode writes each mail as an .eml (Settings.practice_mailbox).
const PRACTICE_MAILBOX = path.join(dataDir, 'practice-mailbox');

// One campaign per mode, each with its own list. `label` prefixes its step names.
const PRACTICE = {
  label: 'practice ',
  practice: true,
  csv: 'practice-contacts.csv',
  list: '練習リスト',
  subject: '練習のお知らせ',
  from: 'info@example.jp',
  recipients: [
    { email: 'takahashi@example.jp', name: '高橋 美咲' },
    { email: 'tanaka@example.ne.jp', name: '田中 健太' },
  ],
};
const SMTP = {
  label: '',
  practice: false,
  csv: 'contacts.csv',
  list: '顧客リスト',
  subject: 'ご案内',
  // The SMTP user is not an address, so the campaign must name its sender.
  from: 'office@example.jp',
  recipients: [
    { email: 'yamada@example.jp', name: '山田 太郎', id: 'C-001' },
    { email: 'suzuki@example.jp', name: '鈴木 花子', id: 'C-002' },
    { email: 'sato@example.co.jp', name: '佐藤 一郎', id: 'C-003' },
  ],
  // Each recipient's own invoice, found by 顧客ID; none is there for the last one.
  invoices: ['C-001', 'C-002'],
  // A test send to the user's own address comes before the campaign.
  testTo: 'me@example.jp',
};
// An office's customer workbook: a cover sheet, then the list under a title block. The title
// block names the office's own company under 会社名, which makes that row look like a header;
// the real header names the address column 連絡先 and the name column ご担当, neither of
// which the app recognises.
const WORKBOOK = {
  file: 'exhibition.xlsx',
  list: '展示会リスト',
  headerRow: 4,
  headers: ['連絡先', 'ご担当', '会社名', '部署'],
  contacts: [
    ['kimura@example.jp', '木村 さくら', '木村工業', '営業部'],
    ['hayashi@example.co.jp', '林 大輔', '林商店', '総務部'],
    ['mori@gmial.com', '森 あかり', '森製作所', '企画部'],
    ['ikeda.example.jp', '池田 誠', '池田建設', '経理部'],
    ['ogawa@example.ne.jp', '小川 直人', '小川物産', '営業部'],
  ],
};
// Sent through the SMTP peer too, but with a hold after confirming, and cancelled within it.
// One of its domains was mailed by the SMTP campaign; the other is new to the account.
const HELD = {
  label: 'hold ',
  practice: false,
  csv: 'held-contacts.csv',
  list: '取り消すリスト',
  subject: '取り消すご案内',
  from: 'office@example.jp',
  recipients: [
    { email: 'kobayashi@example.jp', name: '小林 恵' },
    { email: 'ito@example.org', name: '伊藤 翔' },
  ],
  newDomains: ['example.org'],
  hold: 30,
  // Renamed after the review was confirmed: the send is refused and the review starts over.
  edited: { email: 'ito@example.org', name: '伊藤 翔太' },
};
// Reviewed only, never sent: one address at a typo of gmail.com, which the review flags. Not
// mori@gmial.com, which the workbook below imports as a new contact.
const TYPO = {
  label: 'typo ',
  practice: false,
  csv: 'typo-contacts.csv',
  list: '打ち間違いリスト',
  subject: '打ち間違いの確認',
  from: 'office@example.jp',
  recipients: [
    { email: 'kato@example.jp', name: '加藤 大樹', id: 'T-001' },
    { email: 'nishi@gmial.com', name: '西 結衣', id: '' },
  ],
  newDomains: ['gmial.com'],
  typo: { domain: 'gmial.com', intended: 'gmail.com' },
  // Each recipient's file by 顧客ID, and 共通.pdf for whoever has none: a file whose name says
  // nothing of its recipient, which the review points out.
  fallback: { dir: '打ち間違い請求書', pattern: '{{顧客ID|共通}}.pdf', files: ['T-001', '共通'] },
};
// Many recipients over many domains, each with their own invoice: how long the review screen
// takes to show the plan with its checks is logged (benches/review holds it to its target).
const SCALE = {
  label: 'scale ',
  csv: 'scale-contacts.csv',
  list: '大量リスト',
  subject: '大量のご請求書',
  from: 'office@example.jp',
  count: 10_000,
  domains: 300,
};
// In the order they are sent: History lists every campaign sent before too.
const CAMPAIGNS = [PRACTICE, SMTP];
const STEP_TIMEOUT_MS = 60_000;
const SEND_TIMEOUT_MS = 45_000;

let browser;
let broken = false;
const { $id, click, fill } = driving(() => browser);
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
  // The smallest window the app is made for: every screenshot shows what such a screen shows.
  await browser.setWindowSize(1024, 720);
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
    const title = name.split(':')[0].replace(/\s+/g, '-');
    const base = path.join(runDir, `${String(++shots).padStart(2, '0')}-${title}`);
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

// The default hold would keep every send below waiting; the held campaign sets its own.
step('settings: no hold for these tests', async () => {
  await setHold(0);
  await click('step-import');
  await $id('tab-import').waitForDisplayed();
});

// Practice mode first: it is the default, before any SMTP server is set.
campaignSteps(PRACTICE);

step('practice mailbox: one .eml per recipient, each to that recipient alone', async () => {
  const files = fs.readdirSync(PRACTICE_MAILBOX).filter((f) => f.endsWith('.eml'));
  await checkMails(files.map((f) => path.join(PRACTICE_MAILBOX, f)), PRACTICE);
});

step('practice peer: nothing was sent to the SMTP server', async () => {
  assert.deepEqual(peerFiles(), []);
});

historyStep(PRACTICE);

step('settings: use the SMTP peer', async () => {
  const account = 'テストサーバー';
  await click('nav-settings');
  await click('settings-add-account');
  await fill('settings-name', account);
  await fill('settings-host', '127.0.0.1');
  await fill('settings-port', smtp.port);
  await choose('settings-security', 'insecure');
  await fill('settings-user', smtp.user);
  await fill('settings-password', smtp.pass);
  await click('settings-save');
  // A saved account becomes the one in use; leaving the view earlier could lose the save.
  await browser.waitUntil(async () => {
    const radio = await $id(`settings-account-${account}`);
    return (await radio.isExisting()) && radio.isSelected();
  }, { timeoutMsg: `${account} never became the account in use` });
});

campaignSteps(SMTP);

step('peer: one mail per recipient, each to that recipient alone', async () => {
  const envelopes = peerFiles().filter((f) => f.endsWith('.json'));
  assert.equal(envelopes.length, SMTP.recipients.length);
  const mailOf = (file) => path.join(smtp.dir, file.replace('.json', '.eml'));
  const to = await checkMails(envelopes.map(mailOf), SMTP);

  for (const file of envelopes) {
    const envelope = JSON.parse(fs.readFileSync(path.join(smtp.dir, file), 'utf8'));
    assert.equal(envelope.from, SMTP.from);
    assert.deepEqual(envelope.to, [to.get(mailOf(file))], `${file}: one RCPT per message, its To`);
    assert.equal(envelope.user, smtp.user, `${file}: sent with AUTH`);
  }
  // SMTP mode leaves the practice mailbox as the practice send left it.
  const practiceMails = fs.readdirSync(PRACTICE_MAILBOX).filter((f) => f.endsWith('.eml'));
  assert.equal(practiceMails.length, PRACTICE.recipients.length);
});

historyStep(SMTP);

campaignSteps(HELD);

campaignSteps(TYPO);

workbookSteps(WORKBOOK);

scaleSteps(SCALE);

/**
 * Import, compose, review and send one campaign, in whichever mode Settings has. One with a
 * `hold` sets that hold first, and is cancelled within it instead of sent.
 */
function campaignSteps(c) {
  const count = new RegExp(`\\b${c.recipients.length}\\b`);

  if (c.hold) {
    step(`${c.label}settings: ${c.hold} s to take a send back`, () => setHold(c.hold));
  }

  step(`${c.label}import: a UTF-8 CSV of ${c.recipients.length} contacts`, async () => {
    const csv = path.join(runDir, c.csv);
    const ids = c.recipients.some((r) => 'id' in r);
    const header = ids ? 'email,name,顧客ID' : 'email,name';
    const rows = c.recipients.map((r) => [r.email, r.name, ...(ids ? [r.id] : [])].join(','));
    fs.writeFileSync(csv, [header, ...rows, ''].join('\r\n'));

    await startImport(csv, c.list);
    await click('import-commit');
    await waitForText('import-result', count);
  });

  step(`${c.label}compose: a formatted mail with a merge field, written in the editor`, () => writeMail(c));

  if (c.invoices) {
    step('compose files: each recipient gets their own invoice, and who has none is shown', async () => {
      const folder = path.join(runDir, '請求書');
      fs.mkdirSync(folder, { recursive: true });
      for (const { file, content } of ownFilesOf(c)) fs.writeFileSync(file, content);
      // A whole path typed as the file name sets the folder too.
      await fill('compose-each-pattern', path.join(folder, '{{顧客ID}}.pdf'));
      await browser.waitUntil(async () => (await browser.$$(byId('compose-own-file')).length) === 3, {
        timeoutMsg: 'the table of own files did not show every recipient',
      });
      const missing = [];
      for (const row of await browser.$$(byId('compose-own-file'))) {
        if ((await row.getAttribute('data-missing')) === 'true') missing.push(await row.getText());
      }
      assert.equal(missing.length, 1);
      assert.match(missing[0], /sato@example\.co\.jp/);
    });
  }

  if (c.fallback) {
    step(`${c.label}compose files: by 顧客ID, and a shared one for whoever has none`, async () => {
      for (const { file, content } of ownFilesOf(c)) {
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, content);
      }
      await fill('compose-each-pattern', path.join(runDir, c.fallback.dir, c.fallback.pattern));
      await browser.waitUntil(async () => (await browser.$$(byId('compose-own-file')).length) === c.recipients.length, {
        timeoutMsg: 'the table of own files did not show every recipient',
      });
      for (const row of await browser.$$(byId('compose-own-file'))) {
        assert.equal(await row.getAttribute('data-missing'), 'false', await row.getText());
      }
    });
  }

  step(`${c.label}compose preview: two recipients, each with their own name`, async () => {
    const sorted = [...c.recipients].sort((a, b) => a.email.localeCompare(b.email));
    for (const [i, recipient] of sorted.slice(0, 2).entries()) {
      if (i > 0) await click('compose-preview-next');
      await browser.waitUntil(
        async () => textOf(await $id('compose-preview-frame').getAttribute('srcdoc')).includes(`${recipient.name} 様`),
        { timeoutMsg: `the preview did not show ${recipient.name}'s mail` },
      );
      assert.equal(await $id('compose-preview-recipient').getValue(), recipient.email);
    }
  });

  if (c.testTo) {
    step('compose test send: to the own address only, its subject marked', async () => {
      const before = peerFiles().filter((f) => f.endsWith('.json')).length;
      await fill('compose-test-to', c.testTo);
      await click('compose-test-prepare');
      await waitForText('compose-test-subject', /^\[テスト\]/);
      await click('compose-test-send');
      await waitForText('compose-test-results', /送りました/);
      const envelopes = peerFiles().filter((f) => f.endsWith('.json'));
      assert.equal(envelopes.length, before + 1, 'one test mail');
      const file = envelopes[envelopes.length - 1];
      const envelope = JSON.parse(fs.readFileSync(path.join(smtp.dir, file), 'utf8'));
      assert.deepEqual(envelope.to, [c.testTo]);
      const mail = await simpleParser(fs.readFileSync(path.join(smtp.dir, file.replace('.json', '.eml'))));
      assert.match(mail.subject, /^\[テスト\] /);
      // Filled in with the previewed recipient's values, own invoice included.
      assert.ok(textOf(mail.html).includes('鈴木 花子 様'), 'the previewed recipient merged');
      assert.deepEqual(mail.attachments.map((a) => a.filename), ['C-002.pdf']);
      // Kept apart from the campaign's own mails, which the peer step counts.
      for (const f of [file, file.replace('.json', '.eml')]) fs.renameSync(path.join(smtp.dir, f), path.join(runDir, `test-${f}`));
    });
  }

  step(`${c.label}compose: goes on to the review`, async () => {
    await click('compose-submit');
    // Mails that lack a file of their own are pointed out first.
    if (c.invoices) {
      await waitForText('compose-warnings', /sato@example\.co\.jp/);
      await click('compose-continue');
    }
  });

  const mode = c.practice ? 'practice mode' : 'the mail server';
  step(`${c.label}review: ${mode}, every recipient listed, sending only after confirming`, async () => {
    await waitForText('review-total', count);
    assert.equal(await browser.$$(byId('review-recipient')).length, c.recipients.length);
    const practice = await $id('review-mode').getAttribute('data-practice');
    assert.equal(practice, String(c.practice), `review-mode must announce ${mode}`);
    const send = await $id('review-send');
    assert.equal(await send.isEnabled(), false, 'review-send must wait for the confirmation');

    // Every recipient domain is listed for the user to point at; those the account never
    // mailed before are marked as new.
    await $id('review-group').waitForExist();
    const groups = await browser.$$(byId('review-group')).map(async (row) => ({
      domain: await row.getAttribute('data-domain'),
      text: await renderedText(row),
    }));
    const domains = [...new Set(c.recipients.map((r) => r.email.split('@')[1]))].sort();
    assert.deepEqual(groups.map((g) => g.domain).sort(), domains, 'review-groups: one row per domain');
    for (const { domain, text } of groups) {
      const fresh = (c.newDomains ?? []).includes(domain);
      assert.equal(text.includes('初めての送信先'), fresh, `${domain} marked new: ${text}`);
    }

    await pointAndCall(c, domains);

    // The recipient without an invoice is named among the findings, with what it means.
    if (c.invoices) {
      const finding = await $id('review-findings').$('[data-kind="no_file"]');
      await finding.scrollIntoView({ block: 'center' });
      const text = await renderedText(finding);
      assert.match(text, /1 件の宛先には、宛先ごとのファイルが見つかりませんでした/, text);
      assert.match(text, /sato@example\.co\.jp/, text);
    }
  });

  if (c.typo) {
    step('review: a typo domain is flagged on screen', async () => {
      const { domain, intended } = c.typo;
      const [typoed] = c.recipients.filter((r) => r.email.endsWith(`@${domain}`));
      const finding = await $id('review-findings').$('[data-kind="typo_domain"]');
      await finding.waitForExist();
      const text = await renderedText(finding);
      assert.match(text, /ドメインの打ち間違いかもしれません/, text);
      assert.ok(text.includes(`${domain} → ${intended}`), `the finding names ${intended}: ${text}`);
      assert.ok(text.includes(typoed.email), `the finding names ${typoed.email}: ${text}`);

      const group = await browser.$(`[data-testid="review-group"][data-domain="${domain}"]`);
      assert.equal(await group.getAttribute('data-flagged'), 'true', `${domain} flagged`);
      const row = await renderedText(group);
      assert.ok(row.includes('要確認'), `${domain} marked 要確認: ${row}`);
      assert.ok(row.includes(`${intended} の打ち間違いではありませんか`), `the note under ${domain}: ${row}`);

      // The warned recipient's own mail, one click away above the preview.
      let chip;
      for (const button of await browser.$$('[data-testid^="review-sample-warned-"]')) {
        if ((await renderedText(button)).includes(typoed.email)) chip = button;
      }
      assert.ok(chip, `a sample of ${typoed.email} among the warned`);
      await chip.click();
      await waitForText('review-sample-address', new RegExp(typoed.email.replace(/\./g, '\\.')));
      await browser.waitUntil(
        async () => textOf(await browser.$('iframe[title="メールのプレビュー"]').getAttribute('srcdoc')).includes(`${typoed.name} 様`),
        { timeoutMsg: `the preview did not show ${typoed.name}'s mail` },
      );
      await group.scrollIntoView({ block: 'center' });
    });

    step('review: a file whose name says nothing of its recipient is flagged on screen', async () => {
      const finding = await $id('review-findings').$('[data-kind="file_name_mismatch"]');
      await finding.waitForExist();
      await finding.scrollIntoView({ block: 'center' });
      const text = await renderedText(finding);
      assert.match(text, /1 件は、ファイル名に宛先の情報が見当たりません。別の方のファイルではないか/, text);
      const [without] = c.recipients.filter((r) => r.id === '');
      assert.ok(text.includes(without.email), `the finding names ${without.email}: ${text}`);
      // Not sent: the review is left as it is.
    });
    return;
  }

  if (c.edited) {
    step(`${c.label}review: the list edited after confirming refuses the send, and the review starts over`, async () => {
      const before = peerFiles();
      const { email, name } = c.edited;
      // Changed behind the confirmed screen, as another window or a colleague would: the
      // name the mail merges, through the app's own command.
      const stored = await browser.executeAsync((address, renamed, done) => {
        const { invoke } = window.__TAURI_INTERNALS__;
        const query = { search: address, list: null, tag: null, status: 'all', sort: 'address', descending: false, offset: 0, limit: 5 };
        invoke('query_contacts', { query })
          .then((page) => {
            const contact = page.rows.find((x) => x.address === address);
            return invoke('update_contact', { id: contact.id, edit: { ...contact, name: renamed } });
          })
          .then((x) => done(x.name), (e) => done(`error: ${JSON.stringify(e)}`));
      }, email, name);
      assert.equal(stored, name);
      await click('review-send');
      const alert = await browser.$('[role="alert"]');
      await alert.waitForExist();
      assert.match(await renderedText(alert), /確認したあとで、宛先・内容・送信アカウント・送信日時のどれかが変わりました/);
      assert.deepEqual(peerFiles(), before, 'nothing was sent');
      await click('send-back-to-review');
      // A new plan: the edited name in it, and everything to point at anew.
      await waitForText('review-total', count);
      await browser.waitUntil(
        async () => (await browser.$$(byId('review-recipient')).map((row) => renderedText(row))).some((t) => t.includes(name)),
        { timeoutMsg: `the new plan does not show ${name}` },
      );
      const domains = [...new Set(c.recipients.map((r) => r.email.split('@')[1]))].sort();
      await pointAndCall(c, domains);
    });
  }

  if (c.hold) {
    step('hold: cancelling during the hold sends nothing', async () => {
      const before = peerFiles();
      await click('review-send');
      const pressed = Date.now();
      await waitForText('send-hold-countdown', /あと \d+ 秒で送信を始めます/);
      await click('send-hold-cancel');
      await waitForText('send-hold-cancelled', /メールは 1 通も送信されていません/);
      assert.ok(Date.now() - pressed < c.hold * 1000, 'cancelled within the hold');
      // Past the hold's end and the scheduler's next look at due runs (every 2 s): a cancelled
      // run must stay unsent, not just not have started yet.
      await sleep(pressed + c.hold * 1000 + 5000 - Date.now());
      assert.deepEqual(peerFiles(), before, 'the peer received nothing');
      assert.match(await $id('send-hold-cancelled').getText(), /1 通も送信されていません/);
    });
    return;
  }

  step(`${c.label}send: finishes with every mail sent`, async () => {
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
    assert.match(await $id('send-done').getText(), count);
  });
}

/**
 * A list of `c.count` recipients, each with an invoice of their own, imported and written to;
 * then the review screen is entered afresh and timed until the plan and its domain groups are
 * painted. The time goes to the log and to timings.json, not into an assertion.
 */
function scaleSteps(c) {
  const folder = path.join(runDir, '大量請求書');
  const total = new RegExp(c.count.toLocaleString('en'));

  step(`${c.label}import: ${c.count} contacts, each with their own invoice`, async () => {
    fs.mkdirSync(folder, { recursive: true });
    const rows = ['email,name,顧客ID'];
    for (let i = 1; i <= c.count; i++) {
      const id = `S-${String(i).padStart(5, '0')}`;
      rows.push(`user${i}@example${i % c.domains}.co.jp,宛先 ${i},${id}`);
      fs.writeFileSync(path.join(folder, `${id}.pdf`), invoice(id));
    }
    const csv = path.join(runDir, c.csv);
    fs.writeFileSync(csv, [...rows, ''].join('\r\n'));
    await startImport(csv, c.list);
    await click('import-commit');
    await waitForText('import-result', total);
  });

  step(`${c.label}compose: every recipient's own file found, on to the review`, async () => {
    await writeMail(c);
    await fill('compose-each-pattern', path.join(folder, '{{顧客ID}}.pdf'));
    await $id('compose-own-file').waitForExist({ timeout: 30_000 });
    await click('compose-submit');
    await $id('review-group').waitForExist({ timeout: 30_000 });
    await waitForText('review-total', total);
  });

  step(`${c.label}review: the plan and its checks on screen, timed`, async () => {
    await click('step-compose');
    await $id('compose-submit').waitForExist();
    // Clocked in the page: from the click on 確認 to the frame that shows the recipients'
    // count and the first domain group.
    const ms = await browser.executeAsync((count, done) => {
      const shown = () => {
        const text = document.querySelector('[data-testid="review-total"]')?.textContent ?? '';
        return text.replace(/[^0-9]/g, '') === String(count) && document.querySelector('[data-testid="review-group"]');
      };
      const start = performance.now();
      const observer = new MutationObserver(() => {
        if (!shown()) return;
        observer.disconnect();
        requestAnimationFrame(() => setTimeout(() => done(performance.now() - start), 0));
      });
      observer.observe(document.body, { subtree: true, childList: true, characterData: true });
      document.querySelector('[data-testid="step-review"]').click();
    }, c.count);
    const timing = { what: 'review first paint with its checks', recipients: c.count, ownFiles: c.count, ms: Math.round(ms) };
    fs.writeFileSync(path.join(runDir, 'timings.json'), `${JSON.stringify([timing], null, 2)}\n`);
    process.stderr.write(`timing: ${timing.what}, ${c.count} recipients with their own files: ${timing.ms} ms\n`);
  });
}

/**
 * The workbook through every screen of the wizard: the table found on the second sheet, the
 * header row picked by hand, ご担当 mapped to 氏名, the problem rows and warnings shown, the
 * import committed; then the contacts list finds one of its contacts by search.
 */
function workbookSteps(w) {
  const [first] = w.contacts;
  const valid = w.contacts.filter(([email]) => email.includes('@'));

  step('workbook check: the table is found on the sheet after the cover', async () => {
    const file = path.join(runDir, w.file);
    await writeWorkbook(file, w);
    await startImport(file, w.list);
    assert.match(await $id('import-format').getText(), /XLSX/);
    assert.equal(await $id('import-sheet').getValue(), '名簿');
  });

  step('workbook header row: picked by hand, its names shown', async () => {
    await fill('import-header-row', w.headerRow);
    // The number is taken when the field is left, as a typed number is only then complete.
    await browser.keys('Tab');
    await waitForText('import-header-names', new RegExp(w.headers.join(' / ')));
    // 連絡先 is not a known header, but the column holding addresses is found all the same.
    assert.equal(await $id('import-field-A').getValue(), 'email');
    assert.equal(await $id('import-field-B').getValue(), '', 'ご担当 starts as a custom field');
  });

  step('workbook mapping: ご担当 into 氏名, with the problem rows and warnings', async () => {
    await choose('import-field-B', 'name');
    await waitForText('import-preview', new RegExp(first[1]));
    assert.equal(await $id('import-field-B').getValue(), 'name');

    const problems = await browser.$$(byId('import-problem')).map((row) => row.getText());
    assert.equal(problems.length, 1);
    assert.match(problems[0], /ikeda\.example\.jp/);
    const kinds = await browser.$$(byId('import-warning')).map((row) => row.getAttribute('data-kind'));
    assert.deepEqual(kinds, ['typo_domain']);
    const counts = await $id('import-counts');
    assert.match(await counts.getText(), new RegExp(`新しく登録\\s*${valid.length}\\b`));
    // The screenshot of this step shows the counts, the problem rows and the warnings.
    await counts.scrollIntoView();
  });

  step(`workbook import: ${valid.length} contacts into ${w.list}`, async () => {
    await click('import-commit');
    await waitForText('import-result', new RegExp(`新しく登録 ${valid.length} 件`));
  });

  step('contacts: the list opens, and a search finds one contact', async () => {
    await click('import-to-contacts');
    await waitForText('contacts-total', new RegExp(`\\b${valid.length}\\b`));
    assert.equal(await $id('contacts-list-filter').getValue(), w.list);

    await fill('contacts-search', '木村');
    await browser.waitUntil(async () => (await browser.$$(byId('contacts-row')).length) === 1, {
      timeoutMsg: 'the search did not narrow the table to one row',
    });
    const row = await $id('contacts-row');
    assert.equal(await row.getAttribute('data-address'), first[0]);
    const text = await renderedText(row);
    assert.ok(text.includes(first[1]), `the name mapped by hand is shown: ${text}`);
    assert.ok(text.includes(first[2]), `the company is shown: ${text}`);
    await waitForText('contacts-total', /\b1\b/);
  });

  step('contacts edit: a cell edited in place is stored', async () => {
    const company = `${first[2]}株式会社`;
    // By keyboard: focus the cell, Enter opens it for editing (a double-click does the same).
    await click('contacts-cell-company');
    await browser.keys('Enter');
    // Typed at the end of what is there: WebDriver's clear would leave the field, and leaving
    // a cell saves it, as in a spreadsheet.
    await browser.keys('End');
    await $id('contacts-cell-company-input').addValue('株式会社');
    await browser.keys('Enter');
    await $id('contacts-cell-company').waitForExist();
    await browser.waitUntil(async () => (await renderedText(await $id('contacts-row'))).includes(company), {
      timeoutMsg: `the edited company ${company} was not shown`,
    });
    assert.equal(await $id('contacts-cell-company-error').isExisting(), false);
  });

  step('contacts tag: a selected contact gets a tag, and the tag filters the table', async () => {
    await click('contacts-select');
    await waitForText('contacts-selected', /1/);
    await fill('contacts-tag-name', '展示会2026');
    await click('contacts-tag-add');
    await browser.waitUntil(async () => (await renderedText(await $id('contacts-row'))).includes('#展示会2026'), {
      timeoutMsg: 'the new tag was not shown on the row',
    });
    // Emptied by keyboard, as a person does: WebDriver's clear sends no input event.
    await click('contacts-search');
    await browser.keys(['Control', 'a']);
    await browser.keys('Backspace');
    await waitForText('contacts-total', new RegExp(`\\b${valid.length}\\b`));
    await choose('contacts-tag-filter', '展示会2026');
    await waitForText('contacts-total', /\b1\b/);
    assert.equal(await $id('contacts-row').getAttribute('data-address'), first[0]);
  });

  step('suppression list: an address is added with its reason', async () => {
    await click('tab-suppressions');
    await fill('suppression-addresses', first[0]);
    await choose('suppression-reason', 'unsubscribed');
    await click('suppression-add');
    await waitForText('suppression-entry', new RegExp(first[0].replace('.', '\\.')));
    assert.match(await renderedText(await $id('suppression-entry')), /本人の希望/);
  });

  step('contacts suppressed: the address is marked in the table with its reason', async () => {
    await click('tab-contacts');
    await choose('contacts-status-filter', 'suppressed');
    await waitForText('contacts-total', /\b1\b/);
    const status = await $id('contacts-status');
    assert.equal(await status.getAttribute('data-status'), 'suppressed');
    assert.match(await renderedText(status), /本人の希望/);
    assert.equal(await $id('contacts-row').getAttribute('data-address'), first[0]);
  });
}

/** A workbook as offices keep them: a cover sheet first, then the list under a title block. */
async function writeWorkbook(file, w) {
  const book = new ExcelJS.Workbook();
  const cover = book.addWorksheet('表紙');
  cover.addRow(['顧客名簿']);
  cover.addRow(['作成: 総務部']);
  const sheet = book.addWorksheet('名簿');
  sheet.addRow(['顧客名簿 2026年11月現在']);
  sheet.addRow(['会社名', '株式会社シーサー']);
  sheet.addRow([]);
  assert.equal(sheet.rowCount + 1, w.headerRow, 'the header goes on the row the test picks');
  sheet.addRow(w.headers);
  for (const contact of w.contacts) sheet.addRow(contact);
  await book.xlsx.writeFile(file);
}

/**
 * Writes the campaign's mail in the editor: its list, subject and sender, and a body of the
 * 氏名 chip, 様 and a bold word.
 */
async function writeMail(c) {
  await click('step-compose');
  await choose('compose-list', c.list);
  await click('compose-subject');
  await browser.keys(['Control', 'a']);
  await browser.keys('Backspace');
  await browser.keys(c.subject);
  await fill('compose-from', c.from);
  // The form keeps the last campaign's own files too; this list has nothing to find them by.
  if (!c.invoices && (await $id('compose-each-clear').isExisting())) await click('compose-each-clear');
  const body = await $id('editor-body');
  await body.waitForClickable();
  await body.click();
  // The form keeps the last mail written; this one starts from an empty body.
  await browser.keys(['Control', 'a']);
  await browser.keys('Backspace');
  await click('editor-fields');
  await click('editor-field-0'); // 氏名, the first field the list offers
  await browser.keys(' 様');
  await browser.keys('Enter');
  await click('editor-bold');
  await browser.keys('本文');
  await browser.waitUntil(async () => (await body.getHTML()).includes('<strong>本文</strong>'), {
    timeoutMsg: 'the editor did not take the bold text',
  });
  const html = await body.getHTML();
  assert.equal((html.match(/data-merge-field="氏名"/g) ?? []).length, 1, `one 氏名 chip in ${html}`);
  assert.equal((html.match(/<strong>本文<\/strong>/g) ?? []).length, 1, `the body once in ${html}`);
}

/**
 * Point and call on the review screen: every domain and every file has a checkbox of its own,
 * named after the domain or the file's sha256, and nothing ticks them all at once; Send arms
 * only once each is ticked and the number of recipients typed.
 */
async function pointAndCall(c, domains) {
  const send = await $id('review-send');
  const files = ownFilesOf(c).map((f) => sha256(f.content));
  const ticks = await browser
    .$$('[data-testid^="review-group-check-"], [data-testid^="review-file-check-"]')
    .map((box) => box.getAttribute('data-testid'));
  assert.deepEqual(
    [...ticks].sort(),
    [...domains.map((d) => `review-group-check-${d}`), ...files.map((f) => `review-file-check-${f}`)].sort(),
    'one checkbox per domain and per file',
  );
  for (const id of ticks) {
    assert.equal(await $id(id).isSelected(), false, `${id} starts unticked`);
    assert.equal(await send.isEnabled(), false, `review-send enabled before ${id} was ticked`);
    await click(id);
    assert.equal(await $id(id).isSelected(), true, `${id} ticked`);
  }
  const attached = files.length > 0 ? ` ・ 添付ファイル ${files.length} / ${files.length}` : '';
  await waitForText('review-acks', new RegExp(`^ドメイン ${domains.length} / ${domains.length}${attached} を確認しました$`));
  assert.equal(await send.isEnabled(), false, 'review-send must wait for the count typed');
  assert.equal(await $id('review-count').getValue(), '', 'the count starts empty');
  await fill('review-count', c.recipients.length);
  await send.waitForEnabled();
}

/** Sets the hold after a send now (送信保留) in Settings, in seconds, and saves it. */
async function setHold(seconds) {
  await click('nav-settings');
  const hold = await $id('settings-hold');
  // The field shows the saved hold once Settings has read it; typed earlier, it would be replaced.
  await browser.waitUntil(async () => (await hold.getValue()) !== '', {
    timeoutMsg: 'settings-hold never showed the saved hold',
  });
  await fill('settings-hold', seconds);
  await click('settings-save-preferences');
  await browser.$('p*=設定を保存しました').waitForDisplayed();
}

/**
 * Opens the import wizard afresh, whatever an earlier import left on it, and checks a file:
 * the dry run's counts are on screen when this returns.
 */
async function startImport(file, list) {
  await click('step-import');
  await click('tab-import');
  if (await $id('import-again').isExisting()) await click('import-again');
  await fill('import-path', file);
  await fill('import-list', list);
  await click('import-check');
  await $id('import-counts').waitForDisplayed();
}

/**
 * History, reached from the finished send: the campaign is listed after every earlier one,
 * and shows every delivery as sent; the practice mailbox can be opened in practice mode only.
 */
function historyStep(c) {
  step(`${c.label}history: the campaign shows every delivery as sent`, async () => {
    await click('send-to-history');
    const expected = CAMPAIGNS.indexOf(c) + 1;
    await browser.waitUntil(
      async () => (await browser.$$(byId('history-campaign')).length) === expected,
      { timeoutMsg: `expected ${expected} history-campaign rows` },
    );
    const campaigns = await browser.$$(byId('history-campaign'));
    const texts = await campaigns.map((row) => row.getText());
    const index = texts.findIndex((text) => text.includes(c.subject) && text.includes(c.list));
    assert.ok(index >= 0, `no history row for ${c.subject} to ${c.list}`);
    const total = c.recipients.length;
    assert.match(texts[index], new RegExp(`\\b${total} / ${total}\\b`), 'sent / total');
    await campaigns[index].click();

    // Also waits for the rows of a campaign selected before to be replaced.
    const emails = c.recipients.map((r) => r.email).sort();
    let rows = [];
    await browser.waitUntil(async () => {
      rows = await browser.$$(byId('history-delivery')).map(async (row) => ({
        state: await row.getAttribute('data-state'),
        text: await row.getText(),
      }));
      const shown = emails.filter((email) => rows.some((r) => r.text.includes(email)));
      return rows.length === emails.length && shown.length === emails.length;
    }, { timeoutMsg: `expected one history-delivery row for each of ${emails.join(', ')}` });
    for (const email of emails) {
      const row = rows.find((r) => r.text.includes(email));
      assert.equal(row.state, 'sent', `${email} is ${row.state}`);
    }

    // Settings load with the campaigns, so the button is settled once the rows are there.
    const open = await $id('history-open-mailbox');
    assert.equal(await open.isDisplayed(), c.practice, 'history-open-mailbox in practice mode only');
  });
}

/**
 * The mails of one send as files, from the SMTP peer or the practice mailbox: one per
 * recipient, each addressed to that recipient alone, with their name merged into the HTML.
 * Returns each file's recipient address.
 */
async function checkMails(files, c) {
  assert.equal(files.length, c.recipients.length, `one mail per recipient in ${files.join(', ')}`);
  const to = new Map();
  for (const file of files) {
    const name = path.basename(file);
    const mail = await simpleParser(fs.readFileSync(file));
    const addresses = [mail.to].flat().flatMap((a) => a?.value.map((v) => v.address) ?? []);
    assert.equal(addresses.length, 1, `${name}: one To, got ${addresses.join(', ')}`);
    const [address] = addresses;
    const recipient = c.recipients.find((r) => r.email === address);
    assert.ok(recipient, `${name}: To ${address} is not on the list`);
    to.set(file, address);

    assert.ok(!mail.headers.has('cc'), `${name}: no Cc`);
    assert.ok(!mail.headers.has('bcc'), `${name}: no Bcc`);
    assert.equal(mail.from?.value[0]?.address, c.from, `${name}: From`);
    assert.equal(mail.subject, c.subject);
    assert.ok(mail.html, `${name}: has an HTML part`);
    assert.ok(textOf(mail.html).includes(`${recipient.name} 様`), `${name}: name merged into the HTML`);
    assert.ok(mail.html.includes('<strong>本文</strong>'), `${name}: the bold body kept`);
    assert.ok(mail.text?.includes(`${recipient.name} 様`), `${name}: a text part, merged too`);
    const files = mail.attachments.map((a) => [a.filename, a.content.toString()]);
    const own = c.invoices?.includes(recipient.id) ? [[`${recipient.id}.pdf`, invoice(recipient.id)]] : [];
    assert.deepEqual(files, own, `${name}: exactly the recipient's own file`);
  }
  assert.deepEqual([...to.values()].sort(), c.recipients.map((r) => r.email).sort());
  return to;
}

/** The bytes of a recipient's own invoice, by 顧客ID. */
/** The own files a campaign's recipients get: where each is written, and what it holds. */
function ownFilesOf(c) {
  if (c.invoices) {
    return c.invoices.map((id) => ({ file: path.join(runDir, '請求書', `${id}.pdf`), content: invoice(id) }));
  }
  if (c.fallback) {
    return c.fallback.files.map((name) => ({ file: path.join(runDir, c.fallback.dir, `${name}.pdf`), content: invoice(name) }));
  }
  return [];
}

function invoice(id) {
  return `%PDF-1.7 ${id}`;
}

function sha256(text) {
  return crypto.createHash('sha256').update(text).digest('hex');
}

/** What the SMTP peer received: NNNNNN.eml and .json per mail, and any mail still arriving. */
function peerFiles() {
  return fs.readdirSync(smtp.dir).filter((f) => /^(\d{6}\.(eml|json)|\.partial-.*)$/.test(f)).sort();
}

/** The text of some HTML, its tags left out (a merged field sits in a span of its own). */
function textOf(html) {
  return (html ?? '').replace(/<[^>]*>/g, '');
}

function byId(id) {
  return `[data-testid="${id}"]`;
}

/** Picks an option of a <select>, waiting for options that load asynchronously. */
async function choose(id, value) {
  const el = await $id(id);
  await el.$(`option[value="${value}"]`).waitForExist();
  // Centred, so that no bar kept at the bottom of the view covers it.
  await el.scrollIntoView({ block: 'center' });
  await el.selectByAttribute('value', value);
}

/**
 * The text an element shows. WebKitWebDriver's element text comes back empty for the contacts
 * table's cells (they clip long values with an ellipsis), though they are displayed; innerText
 * is what the webview lays out.
 */
function renderedText(el) {
  return browser.execute((node) => node.innerText, el);
}

async function waitForText(id, pattern) {
  // Looked up afresh each time: the UI may replace the element while it updates.
  await browser.waitUntil(async () => {
    const el = await $id(id);
    return (await el.isExisting()) && pattern.test(await el.getText());
  }, { timeoutMsg: `${id} never showed ${pattern}` });
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

async function keepPageText(file) {
  const text = await browser.execute(() => document.body.textContent).catch((err) => err.message);
  fs.writeFileSync(file, text.replace(/\s*\n\s*/g, '\n'));
  process.stderr.write(`page text kept in ${file}\n`);
}
