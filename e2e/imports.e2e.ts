/**
 * CSV imports in Chromium against a real server with the demo workspace: a 1,000-row contacts
 * file with 20 bad rows goes through "Upload", "Map columns", "Review" and "Import"; the progress
 * bar ends on the right counts and the error report names the 20 lines. On the Do Not Call page,
 * "Add" and "Import CSV" fail the contact's open call follow-up with the reason.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, apiClient, createContact } from './helpers/api.ts';
import {
  type Browser,
  browserAvailable,
  launch,
  screenshot,
  seriousA11yViolations,
  signIn,
} from './helpers/browser.ts';
import { ADMIN_EMAIL, ADMIN_PASSWORD, type RunningServer, startServer } from './helpers/server.ts';

const ROWS = 1000;
/** Data rows (1-based) with a bad phone; the CSV line is the row + 1 (the header is line 1). */
const BAD_ROWS = Array.from({ length: 20 }, (_, i) => 7 + i * 49);
const DNC_REASON = 'The contact is on the Do Not Call list.';

function contactsCsv(): string {
  const lines = ['Phone,First name,Last name,Plan'];
  for (let row = 1; row <= ROWS; row++) {
    const phone = BAD_ROWS.includes(row)
      ? `555-${row}`
      : `(606) 3${String(Math.floor(row / 100)).padStart(2, '0')}-${String(row).padStart(4, '0')}`;
    lines.push(`${phone},Imported,Person ${row},${row % 2 ? 'gold' : 'silver'}`);
  }
  return `${lines.join('\n')}\n`;
}

describe.skipIf(!browserAvailable())('CSV imports', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let api: ApiClient;
  let base: string;

  beforeAll(async () => {
    server = await startServer();
    base = server.url;
    api = await apiClient(base, ADMIN_EMAIL, ADMIN_PASSWORD);
    browser = await launch({ width: 1280 });
    page = browser.page;
    await signIn(page, base, ADMIN_EMAIL, ADMIN_PASSWORD);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function expectAccessible(what: string) {
    const problems = await seriousA11yViolations(page);
    expect(problems, `${what}: ${JSON.stringify(problems, null, 2)}`).toEqual([]);
  }

  async function atBothWidths(name: string) {
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: width > 800 ? 900 : 844 });
      await screenshot(page, name);
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow, `${name} at ${width} px scrolls sideways`).toBeLessThanOrEqual(0);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  }

  it('imports 1,000 contacts with 20 bad rows and reports those lines', async () => {
    await page.goto(`${base}/contacts`);
    await page.getByRole('link', { name: 'Import CSV' }).click();
    await page.waitForURL(/\/contacts\/import$/);
    await page.getByRole('heading', { name: 'Import contacts', level: 1 }).waitFor();
    await expectAccessible('upload step');
    await atBothWidths('contacts-import-upload');

    const file = join(tmpdir(), `ft-e2e-contacts-${Date.now()}.csv`);
    writeFileSync(file, contactsCsv());
    await page.locator('input[type=file]').setInputFiles(file);
    await page.waitForURL(/\?job=/);
    await page.getByRole('region', { name: 'Column mapping' }).waitFor();
    // The usual header names are mapped already; "Plan" becomes a custom field.
    await expect
      .poll(() => page.locator('tr[data-column="Phone"] button[role=combobox]').textContent())
      .toContain('Phone');
    await page.getByRole('combobox', { name: 'Plan' }).click();
    await page.getByRole('option', { name: 'Custom field' }).click();
    await expect
      .poll(() => page.getByLabel('Custom field name for Plan').inputValue())
      .toBe('Plan');
    await expectAccessible('mapping step');
    await atBothWidths('contacts-import-mapping');

    await page.getByRole('button', { name: 'Review' }).click();
    const review = page.getByTestId('import-review');
    await review.waitFor();
    expect(await review.textContent()).toContain('Rows without a valid phone20');
    expect(await review.textContent()).toContain(
      `Line ${BAD_ROWS[0]! + 1}: phone "555-${BAD_ROWS[0]}"`,
    );
    await expectAccessible('review step');
    await atBothWidths('contacts-import-review');

    await page.getByRole('button', { name: 'Import' }).click();
    await page.getByRole('progressbar', { name: 'Import progress' }).waitFor();
    const result = page.getByTestId('import-result');
    await result.waitFor({ timeout: 60_000 });
    const count = async (key: string) =>
      Number((await result.locator(`[data-count="${key}"]`).textContent())?.replace(/\D/g, ''));
    expect(await count('created')).toBe(980);
    expect(await count('updated')).toBe(0);
    expect(await count('skipped')).toBe(0);
    expect(await count('errorCount')).toBe(20);
    expect(await page.getByTestId('import-rows').textContent()).toContain('1,000 / 1,000 rows');
    await expectAccessible('result');
    await atBothWidths('contacts-import-result');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download error report' }).click(),
    ]);
    const report = readFileSync((await download.path())!, 'utf8')
      .trim()
      .split('\n');
    expect(report[0]).toBe('line,reason');
    expect(report.slice(1).map((l) => Number(l.split(',')[0]))).toEqual(
      BAD_ROWS.map((row) => row + 1),
    );

    // A reload shows the same result from the job in the URL.
    await page.reload();
    await page.getByTestId('import-result').waitFor();
    const contacts = await api.get<{
      items: { name: string; customFields: Record<string, unknown> }[];
    }>('/contacts?q=Imported%20Person%201000');
    expect(contacts.items[0]).toMatchObject({ customFields: { Plan: 'silver' } });
  }, 180_000);

  it('"Add" on the Do Not Call page fails the contact’s open call follow-up with the reason', async () => {
    const contact = await createContact(api, { firstName: 'Dina', lastName: 'Listed' });
    const followUp = await api.post<{ id: string }>('/follow-ups', {
      contactId: contact.id,
      type: 'call',
      scheduledAt: new Date(Date.now() + 3 * 3_600_000).toISOString(),
    });
    await page.goto(`${base}/dnc`);
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await page.getByLabel('Phone').fill(contact.phone);
    await page.getByLabel('Reason (optional)').fill('Asked on the phone');
    await page.getByRole('button', { name: 'Add to the list' }).click();
    await page.getByTestId('dnc-added').waitFor();

    await page.goto(`${base}/follow-ups/${followUp.id}`);
    await page.getByText(DNC_REASON).first().waitFor();
    expect(await page.getByText('Failed', { exact: true }).count()).toBeGreaterThan(0);
  });

  it('"Import CSV" on the Do Not Call page lists numbers and fails their follow-ups', async () => {
    const contact = await createContact(api, { firstName: 'Ivo', lastName: 'Imported' });
    const followUp = await api.post<{ id: string }>('/follow-ups', {
      contactId: contact.id,
      type: 'call',
      scheduledAt: new Date(Date.now() + 3 * 3_600_000).toISOString(),
    });
    const file = join(tmpdir(), `ft-e2e-dnc-${Date.now()}.csv`);
    writeFileSync(file, `Number,Why\n${contact.phone},Complained\n(606) 399-0001,\n`);
    await page.goto(`${base}/dnc`);
    await page.getByRole('button', { name: 'Import CSV' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import numbers from CSV' });
    await dialog.locator('input[type=file]').setInputFiles(file);
    await dialog.getByLabel('Phone column').waitFor();
    await expect.poll(() => dialog.getByLabel('Phone column').textContent()).toBe('Number');
    await expectAccessible('DNC import columns');
    await screenshot(page, 'dnc-import-columns');
    await dialog.getByRole('button', { name: 'Import' }).click();
    const result = dialog.getByTestId('import-result');
    await result.waitFor({ timeout: 30_000 });
    expect(await result.locator('[data-count="created"]').textContent()).toBe('2');
    await expectAccessible('DNC import result');
    await screenshot(page, 'dnc-import-result');
    await dialog.getByRole('button', { name: 'Done' }).click();

    await page.goto(`${base}/contacts/${contact.id}`);
    await page.getByText('Do Not Call').first().waitFor();
    await page.goto(`${base}/follow-ups/${followUp.id}`);
    await page.getByText(DNC_REASON).first().waitFor();
  });
});
