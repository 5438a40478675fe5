/**
 * Settings › Compliance in Chromium against a real server with the demo workspace: a viewer
 * reads the rules in force (the state table with its sources, the caps, every zone, holidays,
 * the not-legal-advice note) and cannot change them; an admin adds a frequency cap and turns on
 * every zone, kept after a reload. No serious or critical axe-core violations; screenshots at 1280 and 390 px.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STATE_CALLING_RULES } from '../src/core/state-calling-rules.ts';
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

describe.skipIf(!browserAvailable())('compliance', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let base: string;
  let api: ApiClient;

  beforeAll(async () => {
    server = await startServer();
    base = server.url;
    api = await apiClient(base, ADMIN_EMAIL, ADMIN_PASSWORD);
    browser = await launch({ width: 1280 });
    page = browser.page;
    // The machine is shared: the first paint may take a while.
    page.setDefaultTimeout(45_000);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function expectAccessible(on: Page, what: string) {
    await on.locator('[data-sonner-toast]').first().waitFor({ state: 'detached', timeout: 15_000 });
    const problems = await seriousA11yViolations(on);
    expect(problems, `${what}: ${JSON.stringify(problems, null, 2)}`).toEqual([]);
  }

  async function atBothWidths(on: Page, name: string) {
    for (const width of [1280, 390]) {
      await on.setViewportSize({ width, height: width > 800 ? 900 : 844 });
      await screenshot(on, name);
      const overflow = await on.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow, `${name} at ${width} px scrolls sideways`).toBeLessThanOrEqual(0);
    }
    await on.setViewportSize({ width: 1280, height: 900 });
  }

  it('shows a viewer the rules in force, with their sources, and lets them change nothing', async () => {
    const email = `vera.${Date.now()}@example.com`;
    const created = await api.post<{ oneTimePassword: string }>('/users', {
      name: 'Vera Viewer',
      email,
      role: 'viewer',
    });
    const viewer = await launch({ width: 1280 });
    try {
      const v = viewer.page;
      v.setDefaultTimeout(45_000);
      await signIn(v, base, email, created.oneTimePassword);
      await v.waitForURL((url) => url.pathname === '/password');
      await v.getByLabel('One-time password').fill(created.oneTimePassword);
      const own = 'vera reads the compliance rules';
      await v.getByLabel('New password', { exact: true }).fill(own);
      await v.getByLabel('New password again').fill(own);
      await v.getByRole('button', { name: 'Save password' }).click();
      await v.waitForURL((url) => url.pathname === '/');

      await v.goto(`${base}/settings`);
      await v
        .getByRole('navigation', { name: 'Settings sections' })
        .getByRole('link', { name: 'Compliance' })
        .click();
      await v.waitForURL(/section=compliance/);
      expect(await v.getByTestId('not-legal-advice').textContent()).toContain(
        'This is not legal advice.',
      );
      const table = v.getByRole('table', { name: 'State calling rules' });
      await table.waitFor();
      // Every row of the one table in src/core, with its citation linked.
      expect(await table.locator('tbody tr').count()).toBe(STATE_CALLING_RULES.length);
      const florida = table.locator('tr[data-region="US-FL"]');
      expect(await florida.textContent()).toContain('Florida');
      expect(await florida.textContent()).toContain('Sun08:00–20:00');
      expect(await florida.textContent()).toContain('3 calls in 24 h');
      const maryland = table.locator('tr[data-region="US-MD"]');
      expect(await maryland.textContent()).toContain('3 calls or SMS in 24 h');
      const floridaRule = STATE_CALLING_RULES.find((r) => r.region === 'US-FL')!;
      expect(
        await florida.getByRole('link', { name: floridaRule.citation }).getAttribute('href'),
      ).toBe(floridaRule.link);
      const texas = table.locator('tr[data-region="US-TX"]');
      expect(await texas.textContent()).toContain('Sun12:00–21:00');
      const alabama = table.locator('tr[data-region="US-AL"]');
      expect(await alabama.textContent()).toContain(
        'No calls on Sundays; no calls on legal holidays',
      );

      // Read, not changed.
      expect(await v.getByTestId('admins-only').textContent()).toContain(
        'Only admins can change settings.',
      );
      expect(await v.getByRole('checkbox', { name: /Every zone/ }).isDisabled()).toBe(true);
      expect(
        await v.getByRole('checkbox', { name: 'Closed on public holidays' }).isDisabled(),
      ).toBe(true);
      expect(await v.getByRole('button', { name: 'Save changes' }).count()).toBe(0);
      expect(await v.getByRole('button', { name: 'Add a cap' }).count()).toBe(0);
      await expectAccessible(v, 'compliance (viewer)');
      await atBothWidths(v, 'settings-compliance-viewer');
    } finally {
      await viewer.close();
    }
  });

  it('lets an admin add a frequency cap and turn on every zone, kept after a reload', async () => {
    await signIn(page, base, ADMIN_EMAIL, ADMIN_PASSWORD);
    await page.goto(`${base}/settings?section=compliance`);
    const everyZone = page.getByRole('checkbox', { name: /Every zone/ });
    await everyZone.waitFor();
    expect(await page.getByText('(recommended)').count()).toBe(1);
    const caps = page.getByTestId('frequency-cap');
    const before = await caps.count();

    // A refused cap stays in its field with the reason beside it, and nothing is saved.
    await page.getByRole('button', { name: 'Add a cap' }).click();
    const period = page.getByLabel(`Cap ${before + 1}: period in hours`);
    await period.fill('1000');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText(/Give the period as a whole number of hours from 1 to 720/).waitFor();
    expect(await period.inputValue()).toBe('1000');
    expect((await api.get<{ frequencyCaps: unknown[] }>('/settings')).frequencyCaps).toHaveLength(
      before,
    );

    await period.fill('24');
    await page.getByLabel(`Cap ${before + 1}: most attempts`).fill('2');
    if (!(await everyZone.isChecked())) await everyZone.click();
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Compliance settings saved').waitFor();
    const saved = await api.get<{
      everyZone: boolean;
      frequencyCaps: { channel: string; max: number; periodHours: number }[];
    }>('/settings');
    expect(saved.everyZone).toBe(true);
    expect(saved.frequencyCaps.at(-1)).toEqual({ channel: 'call', max: 2, periodHours: 24 });

    await page.reload();
    await everyZone.waitFor();
    expect(await everyZone.isChecked()).toBe(true);
    expect(await caps.count()).toBe(before + 1);
    expect(await page.getByLabel(`Cap ${before + 1}: most attempts`).inputValue()).toBe('2');
    await expectAccessible(page, 'compliance (admin)');
    await atBothWidths(page, 'settings-compliance-admin');
  });
});
