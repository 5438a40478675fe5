/**
 * A newcomer's first minutes on a fresh demo: the demo's calls in progress end by themselves
 * within seconds, so a follow-up scheduled for now from a contact's page (the defaults, the
 * customer override) reaches an attempt within 10 seconds, on screen, without a reload. And a
 * follow-up that waits says why on its page, on the contact's card and in the global list.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, apiClient } from './helpers/api.ts';
import {
  type Browser,
  browserAvailable,
  launch,
  screenshot,
  signIn,
  waitForLiveUpdates,
} from './helpers/browser.ts';
import { ADMIN_EMAIL, ADMIN_PASSWORD, type RunningServer, startServer } from './helpers/server.ts';

interface Row {
  id: string;
  status: string;
  contactId: string;
  type: string;
}
interface Page_<T> {
  items: T[];
  nextCursor: string | null;
}

describe.skipIf(!browserAvailable())('a fresh demo', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let api: ApiClient;
  let base: string;
  let seededCalls: string[] = [];

  beforeAll(async () => {
    server = await startServer();
    base = server.url;
    api = await apiClient(base, ADMIN_EMAIL, ADMIN_PASSWORD);
    const inProgress = await api.get<Page_<Row>>('/follow-ups?status=in_progress&limit=100');
    seededCalls = inProgress.items.filter((f) => f.type === 'call').map((f) => f.id);
    browser = await launch({ width: 1280 });
    page = browser.page;
    await signIn(page, base, ADMIN_EMAIL, ADMIN_PASSWORD);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** A demo contact a call may reach: not on the Do Not Call list, nothing open. */
  async function reachableContact(): Promise<string> {
    const contacts =
      await api.get<Page_<{ id: string; doNotCall: boolean }>>('/contacts?limit=100');
    const open = await api.get<Page_<Row>>(
      '/follow-ups?status=scheduled,queued,in_progress,snoozed&limit=200',
    );
    const busy = new Set(open.items.map((f) => f.contactId));
    const contact = contacts.items.find((c) => !c.doNotCall && !busy.has(c.id));
    if (!contact) throw new Error('No reachable demo contact without open follow-ups.');
    return contact.id;
  }

  it('starts a follow-up scheduled for now within 10 seconds, seen without a reload', async () => {
    const contactId = await reachableContact();
    await page.goto(`${base}/contacts/${contactId}`);
    await waitForLiveUpdates(page);
    const card = page.getByTestId('follow-ups-card');
    await card.getByRole('button', { name: 'Schedule follow-up' }).click();
    const dialog = page.getByRole('dialog', { name: 'Schedule follow-up' });
    await dialog.waitFor();
    // Now, in the browser's wall time (the field's format), keeping every other default.
    const now = await page.evaluate(() => {
      const d = new Date();
      const pad = (n: number) => String(n).padStart(2, '0');
      return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
    });
    await dialog.getByLabel('Scheduled at').fill(now);
    await dialog.getByRole('checkbox', { name: 'Allow out-of-window (customer override)' }).check();
    await dialog.getByRole('button', { name: 'Schedule' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const scheduledAt = Date.now();

    // The card's row reaches its first attempt by itself (live updates, no reload).
    const row = card.locator('tbody tr').first();
    await expect
      .poll(async () => (await row.locator('td').nth(5).textContent()) ?? '', {
        timeout: 10_000,
        interval: 100,
      })
      .toMatch(/^1 \/ \d+$/);
    const seconds = (Date.now() - scheduledAt) / 1000;
    expect(seconds).toBeLessThan(10);
    expect(await row.locator('td').first().textContent()).toMatch(
      /^(In progress|Completed|Scheduled|Failed)/,
    );
  });

  it('ends the calls the demo seeded in progress within seconds of the start', async () => {
    expect(seededCalls.length).toBeGreaterThan(0);
    await expect
      .poll(
        async () => {
          const rows = await api.get<Page_<Row>>('/follow-ups?status=in_progress&limit=100');
          return rows.items.filter((f) => seededCalls.includes(f.id)).length;
        },
        { timeout: 20_000, interval: 250 },
      )
      .toBe(0);
  });

  it('says why a follow-up waits on its page, the contact card and the list', async () => {
    const contactId = await reachableContact();
    const created = await api.post<{ id: string }>('/follow-ups', {
      contactId,
      scheduledAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    await api.post(`/follow-ups/${created.id}/snooze`, {
      until: new Date(Date.now() + 26 * 3_600_000).toISOString(),
    });

    await page.goto(`${base}/follow-ups/${created.id}`);
    const note = page.getByTestId('waiting');
    await expect.poll(() => note.textContent()).toMatch(/^Not running yet:\s*Snoozed until /);

    await page.goto(`${base}/contacts/${contactId}`);
    const cardRow = page
      .getByTestId('follow-ups-card')
      .locator(`tr[data-follow-up-id="${created.id}"]`);
    await expect
      .poll(() => cardRow.locator('[data-waiting]').getAttribute('data-waiting'))
      .toBe('snoozed');
    expect(await cardRow.locator('td').first().textContent()).toMatch(
      /^Snoozed\s*Snoozed until .+, \d\d:\d\d/,
    );

    // The list opens on what is coming: the snoozed one is there, with its reason.
    await page.goto(`${base}/follow-ups`);
    const tab = page.getByRole('navigation', { name: 'Views' }).getByRole('link', {
      name: 'Coming up',
    });
    await expect.poll(() => tab.getAttribute('aria-current')).toBe('page');
    await page.goto(`${base}/follow-ups?contactId=${contactId}`);
    const listRow = page.locator(`tr[data-follow-up-id="${created.id}"]`);
    await expect
      .poll(() => listRow.locator('[data-waiting]').textContent())
      .toMatch(/^Snoozed until /);
    await screenshot(page, 'follow-ups-waiting');
  });

  it('opens the list on the open follow-ups, soonest first, with the other views a click away', async () => {
    await page.goto(`${base}/follow-ups`);
    const rows = page.locator('tbody tr');
    await rows.first().waitFor();
    const statuses = await rows
      .locator('td:nth-child(2) [data-status]')
      .evaluateAll((els) => els.map((el) => el.getAttribute('data-status')));
    expect(statuses.length).toBeGreaterThan(0);
    for (const s of statuses)
      expect(['scheduled', 'queued', 'in_progress', 'snoozed']).toContain(s);

    await page.getByRole('link', { name: 'Needs attention' }).click();
    await page.waitForURL(/view=attention/);
    await expect
      .poll(async () =>
        (
          await rows
            .locator('td:nth-child(2) [data-status]')
            .evaluateAll((els) => els.map((el) => el.getAttribute('data-status')))
        ).every((s) => s === 'failed' || s === 'expired'),
      )
      .toBe(true);
    await page.reload();
    await expect
      .poll(() => page.getByRole('link', { name: 'Needs attention' }).getAttribute('aria-current'))
      .toBe('page');
  });
});
