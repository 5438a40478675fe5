/**
 * A newcomer's first minutes on a fresh demo: the demo's calls in progress end by themselves
 * within seconds, so a follow-up scheduled for now from a contact's page (the defaults, the
 * customer override) reaches an attempt within 10 seconds, on screen, without a reload. And a
 * follow-up that waits says why on its page, on the contact's card and in the global list.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_INBOX_URL } from '../src/contracts/webhook-endpoints.contract.ts';
import { type ApiClient, apiClient, createContact } from './helpers/api.ts';
import {
  type Browser,
  browserAvailable,
  launch,
  screenshot,
  signIn,
  waitForLiveUpdates,
} from './helpers/browser.ts';
import { ADMIN_EMAIL, ADMIN_PASSWORD, type RunningServer, startServer } from './helpers/server.ts';

/** Today's date in `zone`, as 'YYYY-MM-DD'. */
const todayIn = (zone: string) => new Intl.DateTimeFormat('en-CA', { timeZone: zone }).format();

const OPEN_ALL_WEEK = Object.fromEntries(
  ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'].map((d) => [
    d,
    [{ start: '08:00', end: '21:00' }],
  ]),
);

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

  it('delivers webhook follow-ups to the built-in inbox, listed in Settings', async () => {
    const contactId = await reachableContact();
    const created = await api.post<{ id: string }>('/follow-ups', {
      contactId,
      type: 'webhook',
      scheduledAt: new Date().toISOString(),
    });
    await expect
      .poll(async () => (await api.get<Row>(`/follow-ups/${created.id}`)).status, {
        timeout: 10_000,
        interval: 100,
      })
      .toBe('completed');

    await page.goto(`${base}/settings?section=webhooks`);
    const inbox = page.locator(`li[data-endpoint-url="${DEV_INBOX_URL}"]`);
    await expect.poll(async () => (await inbox.textContent()) ?? '').toContain('Default');
    await inbox.getByRole('link', { name: /Deliveries/ }).click();
    await expect
      .poll(async () => (await page.locator('tbody').textContent()) ?? '')
      .toContain('200');
  });

  /** The reason on the follow-up's page, on its contact's card and in the global list. */
  async function expectWaiting(followUpId: string, contactId: string, reason: RegExp) {
    await page.goto(`${base}/follow-ups/${followUpId}`);
    await expect
      .poll(async () => (await page.getByTestId('waiting').textContent()) ?? '')
      .toMatch(new RegExp(`^Not running yet:\\s*${reason.source}`));

    await page.goto(`${base}/contacts/${contactId}`);
    const cardRow = page
      .getByTestId('follow-ups-card')
      .locator(`tr[data-follow-up-id="${followUpId}"]`);
    await expect
      .poll(async () => (await cardRow.locator('td').first().textContent()) ?? '')
      .toMatch(new RegExp(`^\\w[\\w ]*?${reason.source}`));

    await page.goto(`${base}/follow-ups`);
    await expect
      .poll(() =>
        page
          .getByRole('navigation', { name: 'Views' })
          .getByRole('link', { name: 'Coming up' })
          .getAttribute('aria-current'),
      )
      .toBe('page');
    await page.goto(`${base}/follow-ups?contactId=${contactId}`);
    const listRow = page.locator(`tr[data-follow-up-id="${followUpId}"]`);
    await expect
      .poll(async () => (await listRow.locator('[data-waiting]').textContent()) ?? '')
      .toMatch(new RegExp(`^${reason.source}`));
  }

  it('says why a follow-up waits on its page, the contact card and the list', async () => {
    const zone = 'America/New_York';
    const contact = await createContact(api, {
      firstName: 'Wendy',
      lastName: 'Waits',
      timezone: zone,
    });
    const agents = await api.get<Page_<{ id: string; status: string }>>('/agents');
    const agentId = agents.items.find((a) => a.status === 'active')!.id;
    const soon = () => new Date(Date.now() + 60_000).toISOString();

    // Snoozed.
    const snoozed = await api.post<{ id: string }>('/follow-ups', {
      contactId: contact.id,
      scheduledAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    await api.post(`/follow-ups/${snoozed.id}/snooze`, {
      until: new Date(Date.now() + 26 * 3_600_000).toISOString(),
    });
    await expectWaiting(snoozed.id, contact.id, /Snoozed until \w{3} \d+ \w{3}, \d\d:\d\d/);

    // Its campaign has not started.
    const draft = await api.post<{ id: string }>('/campaigns', { name: 'Not yet', agentId });
    const held = await api.post<{ id: string }>('/follow-ups', {
      contactId: contact.id,
      type: 'sms',
      scheduledAt: soon(),
      campaignId: draft.id,
    });
    await expectWaiting(held.id, contact.id, /Campaign not started/);

    // Its campaign's calling window is closed today where the contact is.
    const closed = await api.post<{ id: string }>('/campaigns', {
      name: 'Closed today',
      agentId,
      callingWindow: { weekly: OPEN_ALL_WEEK, closedDates: [todayIn(zone)] },
    });
    await api.post(`/campaigns/${closed.id}/status`, { status: 'running' });
    const outside = await api.post<{ id: string }>('/follow-ups', {
      contactId: contact.id,
      type: 'call',
      scheduledAt: new Date().toISOString(),
      campaignId: closed.id,
    });
    await expectWaiting(
      outside.id,
      contact.id,
      /Outside calling window until \w{3} \d+ \w{3}, 08:00 E[SD]T/,
    );
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
    const times = await rows
      .locator('time[datetime]')
      .evaluateAll((els) => els.map((el) => Date.parse(el.getAttribute('datetime') ?? '')));
    expect(times.length).toBe(statuses.length);
    expect(times).toEqual([...times].sort((a, b) => a - b));

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
