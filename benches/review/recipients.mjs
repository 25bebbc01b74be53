// The benchmark's campaign: an office's customers, each with an invoice of their own found by
// 顧客ID, the same on every run. Names come from the contacts benchmark's seeded address book;
// the addresses are spread over a few hundred company domains, as a customer list is.
import fs from 'node:fs';
import path from 'node:path';
import { NAME, makeContacts } from '../contacts/contacts.mjs';

export const DOMAINS = 300;
export const HEADER = ['email', 'name', '顧客ID'];

/** `count` recipients: `{ email, name, id }`, addresses and ids unique. */
export function makeRecipients(count) {
  return makeContacts(count).map((row, i) => {
    const n = String(i + 1).padStart(5, '0');
    return { email: `user${n}@example${i % DOMAINS}.co.jp`, name: row[NAME], id: `C-${n}` };
  });
}

/** The list as Excel's "CSV UTF-8" writes it; no value holds a comma, quote or newline. */
export function toCsv(recipients) {
  const rows = recipients.map((r) => [r.email, r.name, r.id]);
  return `\uFEFF${[HEADER, ...rows].map((row) => row.join(',')).join('\r\n')}\r\n`;
}

/** One `{顧客ID}.pdf` per recipient in `folder`, each with contents of its own. */
export function writeInvoices(folder, recipients) {
  fs.mkdirSync(folder, { recursive: true });
  for (const r of recipients) fs.writeFileSync(path.join(folder, `${r.id}.pdf`), invoice(r));
}

/**
 * A few hundred bytes shaped like a one-page PDF. Distinct contents matter: the plan names
 * each file by its hash, and identical files would be one attachment shared by many.
 */
function invoice({ id, email }) {
  const text = `(Invoice ${id} for ${email}) Tj`;
  return [
    '%PDF-1.4',
    '1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj',
    '2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj',
    '3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >> endobj',
    `4 0 obj << /Length ${text.length + 20} >> stream`,
    `BT /F1 12 Tf 72 770 Td ${text} ET`,
    'endstream endobj',
    'trailer << /Root 1 0 R >>',
    '%%EOF',
    '',
  ].join('\n');
}
