/**
 * The dashboard, the Do Not Call list and "New contact", in Chromium against a real server
 * with the demo workspace: what an operator sees and does there, no serious or critical axe-core
 * violations, and screenshots at 1280 px and 390 px (test-results/screenshots/).
 */
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

const GROUPS = ['Not started yet', 'In progress', 'Done', 'Needs attention'];

interface FollowUp {
  id: string;
  status: string;
}

describe.skipIf(!browserAvailable())('dashboard, Do Not Call and new contacts', () => {
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

  async function atBothWidths(name: string, ready: () => Promise<void> = async () => {}) {
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: width > 800 ? 900 : 844 });
      await ready();
      await screenshot(page, name);
      // Nothing is wider than the screen (tables scroll inside their own box).
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow, `${name} at ${width} px scrolls sideways`).toBeLessThanOrEqual(0);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  }

  it('the dashboard shows the four status groups, the lists and the outcome chart', async () => {
    await page.goto(`${base}/`);
    await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
    const groups = page.getByTestId('status-group');
    await groups.first().waitFor();
    expect(await page.getByTestId('status-group-name').allTextContents()).toEqual(GROUPS);
    const counts = (await page.getByTestId('status-group-count').allTextContents()).map((t) =>
      Number(t.replace(/\D/g, '')),
    );
    expect(counts).toHaveLength(4);
    // Every count is a number. The demo has follow-ups waiting, done and needing attention; its
    // calls in progress are live and end within seconds, so that group may already be empty.
    for (const n of counts) expect(Number.isInteger(n) && n >= 0).toBe(true);
    const [notStarted, , done, needsAttention] = counts;
    expect([notStarted, done, needsAttention].every((n) => n! > 0)).toBe(true);
    // Each group opens the global list filtered to its statuses.
    expect(await groups.nth(3).getAttribute('href')).toMatch(
      /^\/follow-ups\?status=failed(,|%2C)expired$/,
    );

    // "Needs attention": failed and expired ones, each linking to its page.
    const attention = page.getByTestId('needs-attention');
    const items = attention.getByRole('listitem');
    await items.first().waitFor();
    for (const text of await items.locator('[data-status]').allTextContents()) {
      expect(['Failed', 'Expired']).toContain(text);
    }
    const first = items.first().getByRole('link', { name: /follow-up$/ });
    expect(await first.getAttribute('href')).toMatch(/^\/follow-ups\/[0-9a-f-]{36}$/);

    // The next 24 hours: open ones only.
    const next = page.getByTestId('next-24h');
    for (const text of await next.locator('[data-status]').allTextContents()) {
      expect(['Scheduled', 'Queued', 'Snoozed']).toContain(text);
    }

    // The chart draws bars, and says the same in words and in a table for screen readers.
    const chart = page.getByTestId('outcomes-chart');
    await chart.locator('.recharts-bar-rectangle').first().waitFor();
    expect(await chart.getByTestId('outcomes-summary').textContent()).toMatch(
      /^[\d,]+ calls from \w+ \d+ to \w+ \d+: answered [\d,]+/,
    );
    const table = chart.getByRole('table', { name: 'Calls per outcome per day' });
    expect(await table.locator('tbody tr').count()).toBe(14);
    expect(await table.getByRole('columnheader').allTextContents()).toEqual([
      'Day',
      'Answered',
      'No answer',
      'Busy',
      'Voicemail',
      'Failed',
      'Callback requested',
      'Not interested',
      'Do not call',
      'Total',
    ]);

    await expectAccessible('dashboard');
    await atBothWidths('dashboard-2', async () => {
      await chart.locator('.recharts-bar-rectangle').first().waitFor();
    });
  });

  it('adds a number to the Do Not Call list, failing its open call, and removes it', async () => {
    const contact = await createContact(api, {
      firstName: 'Dorian',
      lastName: 'Quietly',
      timezone: 'America/Chicago',
    });
    const followUp = await api.post<FollowUp>('/follow-ups', {
      contactId: contact.id,
      type: 'call',
      scheduledAt: new Date(Date.now() + 3 * 3_600_000).toISOString(),
    });

    await page.goto(`${base}/dnc`);
    await page.getByRole('heading', { name: 'Do Not Call', level: 1 }).waitFor();
    await page.locator('tbody tr').first().waitFor();
    await expectAccessible('dnc page');

    // Refused input: the reason next to the field, what was typed kept.
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Add to the Do Not Call list' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Add to the list' }).click();
    await dialog.getByText('Enter a phone number.').waitFor();
    await dialog.getByLabel('Phone').fill('not a phone');
    await dialog.getByLabel('Reason (optional)').fill('Asked by email');
    await dialog.getByRole('button', { name: 'Add to the list' }).click();
    await dialog.getByText('Enter a valid phone number, e.g. +1 212 555 0100.').waitFor();
    expect(await dialog.getByLabel('Phone').getAttribute('aria-invalid')).toBe('true');
    expect(await dialog.getByLabel('Reason (optional)').inputValue()).toBe('Asked by email');
    await expectAccessible('dnc add dialog with an error');
    await atBothWidths('dnc-add-dialog');

    // A national number is read in the workspace's country.
    const national = contact.phone.replace(/^\+1(\d{3})(\d{3})(\d{4})$/, '($1) $2-$3');
    await dialog.getByLabel('Phone').fill(national);
    await dialog.getByRole('button', { name: 'Add to the list' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const added = page.getByTestId('dnc-added');
    await added.waitFor();
    expect(await added.textContent()).toContain(`(${contact.name}) is on the Do Not Call list.`);
    expect(await added.textContent()).toContain('1 open call or SMS follow-up was failed.');
    const row = page.locator('tbody tr', { hasText: contact.name });
    await row.waitFor();
    expect(await row.locator('td').nth(2).textContent()).toBe('Asked by email');

    // The same number again: refused, at the field.
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await dialog.getByLabel('Phone').fill(contact.phone);
    await dialog.getByRole('button', { name: 'Add to the list' }).click();
    await dialog.getByText('Already on the list.').waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });

    // The open call failed, with the reason, and the follow-up page says why.
    expect((await api.get<FollowUp>(`/follow-ups/${followUp.id}`)).status).toBe('failed');
    await added.getByRole('link', { name: 'See them' }).click();
    await page.waitForURL(`${base}/follow-ups?contactId=${contact.id}&status=failed`);
    await page.locator(`tr[data-follow-up-id="${followUp.id}"]`).waitFor();
    await page.goto(`${base}/follow-ups/${followUp.id}`);
    await page.getByRole('heading', { name: `Call for ${contact.name}` }).waitFor();
    expect(await page.locator('main header [data-status]').first().textContent()).toBe('Failed');
    await page.getByText('The contact is on the Do Not Call list.').first().waitFor();
    expect(await page.getByTestId('dnc-badge').textContent()).toBe('Do Not Call');

    // Search finds it by name; "Remove" asks first.
    await page.goto(`${base}/dnc?q=Quietly`);
    await expect.poll(() => page.locator('tbody tr').count()).toBe(1);
    await page
      .locator('tbody tr')
      .getByRole('button', { name: /^Remove/ })
      .click();
    const confirm = page.getByRole('dialog', { name: 'Remove from the Do Not Call list?' });
    await confirm.waitFor();
    expect(await confirm.textContent()).toContain(contact.name);
    await expectAccessible('dnc remove dialog');
    await confirm.getByRole('button', { name: 'Remove', exact: true }).click();
    await confirm.waitFor({ state: 'hidden' });
    await page.getByText('No listed number matches “Quietly”').waitFor();

    // The contact can be called again; the failed follow-up stays failed.
    await page.goto(`${base}/contacts/${contact.id}`);
    await page.getByRole('button', { name: 'Add to DNC' }).waitFor();
    expect(await page.getByTestId('dnc-badge').count()).toBe(0);
    expect((await api.get<FollowUp>(`/follow-ups/${followUp.id}`)).status).toBe('failed');

    await page.goto(`${base}/dnc`);
    await page.locator('tbody tr').first().waitFor();
    await atBothWidths('dnc');
  });

  it('creates a contact and opens its page', async () => {
    await page.goto(`${base}/contacts`);
    await page.getByRole('button', { name: 'New contact' }).click();
    const dialog = page.getByRole('dialog', { name: 'New contact' });
    await dialog.waitFor();
    const labels = await dialog.locator('label').allTextContents();
    expect(labels).toEqual([
      'First name',
      'Last name',
      'Phone',
      'Email',
      'Company',
      'Time zone',
      'Region',
    ]);

    // Checked here first: a phone is required, an email must look like one.
    await dialog.getByLabel('First name').fill('Marisol');
    await dialog.getByLabel('Last name').fill('Okonkwo-Reyes');
    await dialog.getByLabel('Email').fill('marisol@');
    await dialog.getByRole('button', { name: 'Create contact' }).click();
    await dialog.getByText('Give a phone number.').waitFor();
    await dialog.getByText('Not a valid email address.').waitFor();

    // Then by the server: a number that is not one.
    await dialog.getByLabel('Phone').fill('12345');
    await dialog.getByLabel('Email').fill('marisol@example.com');
    await dialog.getByRole('button', { name: 'Create contact' }).click();
    await dialog.getByText(/^Not a valid phone number\./).waitFor();
    expect(await dialog.getByLabel('First name').inputValue()).toBe('Marisol');

    // The time zone: search the list and pick one.
    await dialog.getByLabel('Time zone').click();
    await page.getByRole('searchbox', { name: 'Search time zones' }).fill('chicago');
    await page.getByRole('button', { name: /^America\/Chicago/ }).click();
    expect(await dialog.getByLabel('Time zone').textContent()).toBe('America/Chicago');
    await expectAccessible('new contact dialog');
    await atBothWidths('new-contact-dialog');

    const digits = String(Date.now()).slice(-6);
    const phone = `+1773${2 + (Number(digits) % 8)}${digits}`;
    await dialog.getByLabel('Phone').fill(phone);
    await dialog.getByLabel('Company').fill('Reyes Logistics');
    await dialog.getByRole('button', { name: 'Create contact' }).click();
    await page.waitForURL(/\/contacts\/[0-9a-f-]{36}$/);
    await page.getByRole('heading', { name: 'Marisol Okonkwo-Reyes', level: 1 }).waitFor();
    expect(await page.getByTestId('contact-local-time').textContent()).toMatch(/America\/Chicago$/);
    await page.getByText('Reyes Logistics').waitFor();
    const id = page.url().split('/').at(-1)!;

    // The same number again: refused at the field, with a way to the contact who has it.
    await page.goto(`${base}/contacts`);
    await page.getByRole('button', { name: 'New contact' }).click();
    await dialog.getByLabel('Phone').fill(phone);
    await dialog.getByRole('button', { name: 'Create contact' }).click();
    await dialog.getByText(/already belongs to/).waitFor();
    await dialog.getByRole('link', { name: 'Open the contact with this number' }).click();
    await page.waitForURL(`${base}/contacts/${id}`);
    await dialog.waitFor({ state: 'hidden' });
  });

  it('the campaign page shows its settings and its follow-ups', async () => {
    const campaigns = await api.get<{ items: { id: string; name: string }[] }>('/campaigns');
    const campaign = campaigns.items[0]!;
    await page.goto(`${base}/campaigns/${campaign.id}`);
    await page.getByRole('heading', { name: campaign.name, level: 1 }).waitFor();
    // An admin sees the settings as a form: one row per weekday in the windows editor.
    const window = page.getByRole('list', { name: 'Calling windows per weekday' });
    expect(await window.getByRole('checkbox').count()).toBe(7);
    expect(await window.locator('label').allTextContents()).toEqual([
      'Monday',
      'Tuesday',
      'Wednesday',
      'Thursday',
      'Friday',
      'Saturday',
      'Sunday',
    ]);
    await page.getByRole('heading', { name: 'Outcome rules' }).waitFor();
    const followUps = page.getByTestId('campaign-follow-ups');
    await followUps.locator('tbody tr').first().waitFor();
    expect(await followUps.getByRole('columnheader').allTextContents()).toContain('Waiting');
    await expectAccessible('campaign page');
    await atBothWidths('campaign');
  });
});
