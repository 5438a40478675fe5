/**
 * Every screen the operator uses, on the demo workspace: no serious or critical axe-core
 * violations, and screenshots at 1280 px and 390 px wide (test-results/screenshots/).
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, apiClient } from './helpers/api.ts';
import {
  type Browser,
  browserAvailable,
  launch,
  screenshot,
  seriousA11yViolations,
  signIn,
} from './helpers/browser.ts';
import { ADMIN_EMAIL, ADMIN_PASSWORD, type RunningServer, startServer } from './helpers/server.ts';

interface CallLog {
  id: string;
  contact: { id: string };
  followUpId: string | null;
}

describe.skipIf(!browserAvailable())('screens: accessibility and screenshots', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let api: ApiClient;
  let base: string;
  let contactId: string;
  let followUpId: string;

  beforeAll(async () => {
    server = await startServer();
    base = server.url;
    api = await apiClient(base, ADMIN_EMAIL, ADMIN_PASSWORD);
    // A contact whose call came from a follow-up: its page has calls, follow-ups and attempts.
    const calls = await api.get<{ items: CallLog[] }>('/call-logs?limit=200');
    const call = calls.items.find((c) => c.followUpId) ?? calls.items[0];
    if (!call) throw new Error('The demo workspace has no calls.');
    contactId = call.contact.id;
    followUpId =
      call.followUpId ??
      (await api.get<{ items: { id: string }[] }>(`/follow-ups?contactId=${contactId}`)).items[0]!
        .id;
    browser = await launch({ width: 1280 });
    page = browser.page;
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function expectAccessible(what: string) {
    const problems = await seriousA11yViolations(page);
    expect(problems, `${what}: ${JSON.stringify(problems, null, 2)}`).toEqual([]);
  }

  async function atBothWidths(name: string, ready: () => Promise<void>) {
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: width > 800 ? 900 : 844 });
      await ready();
      await screenshot(page, name);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  }

  it('the sign-in page', async () => {
    await page.goto(`${base}/login`);
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await expectAccessible('sign-in');
    await atBothWidths('login', async () => {});
    await signIn(page, base, ADMIN_EMAIL, ADMIN_PASSWORD);
  });

  it('the contacts list', async () => {
    await page.goto(`${base}/contacts`);
    await page.locator('tbody tr').first().waitFor();
    await expectAccessible('contacts');
    await atBothWidths('contacts', async () => {});
  });

  it('the contact page', async () => {
    await page.goto(`${base}/contacts/${contactId}`);
    await page.getByTestId('follow-ups-card').locator('tbody tr').first().waitFor();
    await page.getByTestId('call-logs-card').locator('tbody tr').first().waitFor();
    await expectAccessible('contact page');
    await atBothWidths('contact', async () => {});
  });

  it('the open "Schedule follow-up" dialog', async () => {
    await page.goto(`${base}/contacts/${contactId}`);
    await page.getByRole('button', { name: 'Schedule follow-up' }).click();
    const dialog = page.getByRole('dialog', { name: 'Schedule follow-up' });
    await dialog.getByTestId('schedule-hint').waitFor();
    await expect.poll(() => dialog.getByTestId('schedule-hint').textContent()).toMatch(/window/);
    await expectAccessible('schedule dialog');
    // Focus stays inside the dialog.
    for (let i = 0; i < 15; i++) await page.keyboard.press('Tab');
    expect(await dialog.evaluate((el) => el.contains(document.activeElement))).toBe(true);
    await atBothWidths('dialog-schedule', async () => {});
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
  });

  it('the follow-ups list', async () => {
    await page.goto(`${base}/follow-ups`);
    await page.locator('tbody tr').first().waitFor();
    await expectAccessible('follow-ups list');
    await atBothWidths('follow-ups', async () => {});
    await page.goto(`${base}/follow-ups?contactId=${contactId}`);
    await page.locator('tbody tr').first().waitFor();
    await atBothWidths('follow-ups-of-contact', async () => {});
  });

  it('the follow-up page', async () => {
    await page.goto(`${base}/follow-ups/${followUpId}`);
    await page.getByRole('list', { name: 'Timeline' }).waitFor();
    await expectAccessible('follow-up page');
    await atBothWidths('follow-up', async () => {});
  });

  it('the other screens', async () => {
    for (const [name, path] of [
      ['dashboard', '/'],
      ['call-logs', `/call-logs?contactId=${contactId}`],
      ['campaigns', '/campaigns'],
      ['agents', '/agents'],
      ['not-found', '/no-such-page'],
    ] as const) {
      await page.goto(`${base}${path}`);
      await page.getByRole('heading', { level: 1 }).waitFor();
      await expectAccessible(name);
      await atBothWidths(name, async () => {});
    }
  });

  it('dark mode keeps the badges and tables readable', async () => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto(`${base}/contacts/${contactId}`);
    await page.getByTestId('follow-ups-card').locator('tbody tr').first().waitFor();
    await expectAccessible('contact page, dark');
    await screenshot(page, 'contact-dark');
    await page.goto(`${base}/follow-ups`);
    await page.locator('tbody tr').first().waitFor();
    await expectAccessible('follow-ups list, dark');
    await screenshot(page, 'follow-ups-dark');
    await page.emulateMedia({ colorScheme: 'light' });
  });
});
