/**
 * Every screen the operator uses, on the demo workspace: each shows its heading and its data, has
 * no serious or critical axe-core violations, and nothing scrolls sideways at 1280 px or 390 px.
 * The screenshots (test-results/screenshots/) are artefacts of those checks, not compared
 * against approved images. Each case opens its own screen and needs no other case to run first.
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
  contact: { id: string; name: string };
  followUpId: string | null;
}

describe.skipIf(!browserAvailable())('screens: what each shows, accessibility, both widths', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let api: ApiClient;
  let base: string;
  let contactId: string;
  let contactName: string;
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
    contactName = call.contact.name;
    followUpId =
      call.followUpId ??
      (await api.get<{ items: { id: string }[] }>(`/follow-ups?contactId=${contactId}`)).items[0]!
        .id;
    // Every case but the sign-in page's starts signed in, whatever ran before it.
    browser = await launch({ width: 1280 });
    page = browser.page;
    await signIn(page, base, ADMIN_EMAIL, ADMIN_PASSWORD);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function expectAccessible(on: Page, what: string) {
    const problems = await seriousA11yViolations(on);
    expect(problems, `${what}: ${JSON.stringify(problems, null, 2)}`).toEqual([]);
  }

  /**
   * At 1280 px and 390 px: what the screen must show is visible, nothing is wider than the
   * screen, then the screenshot of what was checked.
   */
  async function atBothWidths(on: Page, name: string, shows: () => Promise<void>) {
    for (const width of [1280, 390]) {
      await on.setViewportSize({ width, height: width > 800 ? 900 : 844 });
      await shows();
      const overflow = await on.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow, `${name} at ${width} px scrolls sideways`).toBeLessThanOrEqual(0);
      await screenshot(on, name);
    }
    await on.setViewportSize({ width: 1280, height: 900 });
  }

  const heading = (on: Page, name: string | RegExp) =>
    on.getByRole('heading', { level: 1, name }).waitFor();

  it('the sign-in page asks for an email and a password', async () => {
    // Signed out: a browser of its own.
    const signedOut = await launch({ width: 1280 });
    try {
      const p = signedOut.page;
      await p.goto(`${base}/login`);
      await p.getByRole('button', { name: 'Sign in' }).waitFor();
      await expectAccessible(p, 'sign-in');
      await atBothWidths(p, 'login', async () => {
        expect(await p.getByLabel('Email').isVisible()).toBe(true);
        expect(await p.getByLabel('Password').isVisible()).toBe(true);
        expect(await p.getByRole('button', { name: 'Sign in' }).isVisible()).toBe(true);
      });
    } finally {
      await signedOut.close();
    }
  });

  it('the contacts list shows contacts', async () => {
    await page.goto(`${base}/contacts`);
    await heading(page, 'Contacts');
    await page.locator('tbody tr').first().waitFor();
    await expectAccessible(page, 'contacts');
    await atBothWidths(page, 'contacts', async () => {
      expect(await page.locator('tbody tr').count()).toBeGreaterThan(0);
    });
  });

  it('the contact page shows the contact, its follow-ups and its calls', async () => {
    await page.goto(`${base}/contacts/${contactId}`);
    await heading(page, contactName);
    const followUps = page.getByTestId('follow-ups-card').locator('tbody tr');
    const calls = page.getByTestId('call-logs-card').locator('tbody tr');
    await followUps.first().waitFor();
    await calls.first().waitFor();
    await expectAccessible(page, 'contact page');
    await atBothWidths(page, 'contact', async () => {
      expect(await followUps.count()).toBeGreaterThan(0);
      expect(await calls.count()).toBeGreaterThan(0);
    });
  });

  it('the "Schedule follow-up" dialog keeps focus and explains the calling window', async () => {
    await page.goto(`${base}/contacts/${contactId}`);
    await page.getByRole('button', { name: 'Schedule follow-up' }).click();
    const dialog = page.getByRole('dialog', { name: 'Schedule follow-up' });
    const hint = dialog.getByTestId('schedule-hint');
    await hint.waitFor();
    await expect.poll(() => hint.textContent()).toMatch(/window/);
    await expectAccessible(page, 'schedule dialog');
    // Focus stays inside the dialog.
    for (let i = 0; i < 15; i++) await page.keyboard.press('Tab');
    expect(await dialog.evaluate((el) => el.contains(document.activeElement))).toBe(true);
    await atBothWidths(page, 'dialog-schedule', async () => {
      expect(await dialog.isVisible()).toBe(true);
      expect(await hint.textContent()).toMatch(/window/);
    });
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
  });

  it('the follow-ups list shows follow-ups, all of them or one contact’s', async () => {
    const rows = page.locator('tbody tr');
    await page.goto(`${base}/follow-ups`);
    await heading(page, /follow-ups/i);
    await rows.first().waitFor();
    await expectAccessible(page, 'follow-ups list');
    await atBothWidths(page, 'follow-ups', async () => {
      expect(await rows.count()).toBeGreaterThan(0);
    });
    await page.goto(`${base}/follow-ups?contactId=${contactId}`);
    const onlyTheContacts = async () => {
      const texts = await rows.allTextContents();
      return texts.length > 0 && texts.every((text) => text.includes(contactName));
    };
    await expect.poll(onlyTheContacts).toBe(true);
    await atBothWidths(page, 'follow-ups-of-contact', async () => {
      expect(await onlyTheContacts()).toBe(true);
    });
  });

  it('the follow-up page shows its timeline', async () => {
    await page.goto(`${base}/follow-ups/${followUpId}`);
    await heading(page, new RegExp(`for ${contactName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    const timeline = page.getByRole('list', { name: 'Timeline' });
    await timeline.waitFor();
    await expectAccessible(page, 'follow-up page');
    await atBothWidths(page, 'follow-up', async () => {
      expect(await timeline.getByRole('listitem').count()).toBeGreaterThan(0);
    });
  });

  for (const [name, path, title] of [
    ['dashboard', '/', 'Dashboard'],
    ['call-logs', '/call-logs', 'Call logs'],
    ['campaigns', '/campaigns', 'Campaigns'],
    ['agents', '/agents', 'Agents'],
    ['not-found', '/no-such-page', 'Page not found'],
  ] as const) {
    it(`the ${name} screen shows its heading`, async () => {
      await page.goto(`${base}${path}`);
      await heading(page, title);
      await expectAccessible(page, name);
      await atBothWidths(page, name, async () => {
        expect(await page.getByRole('heading', { level: 1, name: title }).isVisible()).toBe(true);
      });
    });
  }

  it('dark mode keeps the badges and tables readable', async () => {
    const dark = await launch({ width: 1280, colorScheme: 'dark' });
    try {
      const p = dark.page;
      await signIn(p, base, ADMIN_EMAIL, ADMIN_PASSWORD);
      await p.goto(`${base}/contacts/${contactId}`);
      await p.getByTestId('follow-ups-card').locator('tbody tr').first().waitFor();
      expect(await p.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches)).toBe(true);
      // axe-core checks the colour contrast of what is on screen.
      await expectAccessible(p, 'contact page, dark');
      await screenshot(p, 'contact-dark');
      await p.goto(`${base}/follow-ups`);
      await p.locator('tbody tr').first().waitFor();
      await expectAccessible(p, 'follow-ups list, dark');
      await screenshot(p, 'follow-ups-dark');
    } finally {
      await dark.close();
    }
  });
});
