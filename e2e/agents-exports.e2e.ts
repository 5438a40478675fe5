/**
 * The agents page (create an agent, change its capacity, see its calls) and "Export CSV" on
 * the follow-ups list, in Chromium against a real server with the demo workspace; no serious
 * or critical axe-core violations, screenshots at 1280 px and 390 px.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
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

describe.skipIf(!browserAvailable())('agents and CSV exports in the browser', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let api: ApiClient;
  let base: string;

  beforeAll(async () => {
    // Simulated calls last ten minutes here, so a call this file starts stays in progress
    // while it is looked at (the demo's own calls end within seconds of the start).
    server = await startServer({ env: { FOLLOWTHROUGH_SIMULATED_CALL_MS: '600000' } });
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

  const agentRow = (name: string) =>
    page.getByRole('region', { name: 'Agents' }).getByRole('row').filter({ hasText: name });

  it('creates an agent, refuses a bad capacity by the field, and changes the capacity', async () => {
    await page.goto(`${base}/agents`);
    await page.getByRole('heading', { name: 'Agents', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'New agent' }).click();
    const dialog = page.getByRole('dialog', { name: 'New agent' });
    await dialog.getByLabel('Name').fill('Quinn');
    await dialog.getByLabel('Description').fill('Evening renewals');
    await dialog.getByLabel('Max concurrent calls').fill('0');
    await dialog.getByRole('button', { name: 'Create agent' }).click();
    await dialog.getByText('Give a whole number from 1 to 100.').waitFor();
    // What was typed is still there.
    expect(await dialog.getByLabel('Name').inputValue()).toBe('Quinn');
    await dialog.getByLabel('Max concurrent calls').fill('3');
    await screenshot(page, 'agents-new-dialog');
    await expectAccessible('the New agent dialog');
    await dialog.getByRole('button', { name: 'Create agent' }).click();
    await dialog.waitFor({ state: 'detached' });
    const row = agentRow('Quinn');
    await row.getByText('0 / 3').waitFor();
    await row.getByText('Active', { exact: true }).waitFor();
    await row.getByText('Evening renewals').waitFor();

    // The same name, whatever the case, is refused by the server: the reason is by the name.
    await page.getByRole('button', { name: 'New agent' }).click();
    const again = page.getByRole('dialog', { name: 'New agent' });
    await again.getByLabel('Name').fill('quinn');
    await again.getByRole('button', { name: 'Create agent' }).click();
    await again.getByText('Choose a name no other agent has.').waitFor();
    await again.getByRole('button', { name: 'Cancel' }).click();

    await row.getByRole('button', { name: 'Edit Quinn' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit agent' });
    expect(await edit.getByLabel('Max concurrent calls').inputValue()).toBe('3');
    await edit.getByLabel('Max concurrent calls').fill('7');
    await edit.getByRole('button', { name: 'Save agent' }).click();
    await edit.waitFor({ state: 'detached' });
    await row.getByText('0 / 7').waitFor();
    const saved = await api.get<{ items: { name: string; maxConcurrentCalls: number }[] }>(
      '/agents',
    );
    expect(saved.items.find((a) => a.name === 'Quinn')?.maxConcurrentCalls).toBe(7);
  });

  it('opens an agent to show its calls in progress, and passes axe at both widths', async () => {
    await page.goto(`${base}/agents`);
    const row = agentRow('Quinn');
    await row.getByRole('button', { name: /Show calls of Quinn/ }).click();
    await page
      .getByRole('region', { name: 'Agents' })
      .getByText('No calls in progress right now.', { exact: false })
      .waitFor();
    await row.getByRole('button', { name: /Hide calls of Quinn/ }).waitFor();
    // An agent of its own with a call due now: its calls list who is on the line, and since when.
    const agent = await api.post<{ id: string; name: string }>('/agents', {
      name: 'Rowan',
      maxConcurrentCalls: 2,
    });
    const busy = agent.name;
    const contact = await createContact(api, { firstName: 'Busy', lastName: 'Line' });
    await api.post('/follow-ups', {
      contactId: contact.id,
      type: 'call',
      agentId: agent.id,
      scheduledAt: new Date().toISOString(),
      allowOutOfWindow: true,
    });
    await expect
      .poll(
        async () =>
          (
            await api.get<{ items: unknown[] }>(
              `/follow-ups?status=in_progress&agentId=${agent.id}&limit=1`,
            )
          ).items.length,
        { timeout: 60_000 },
      )
      .toBe(1);
    await page.reload();
    await agentRow(busy)
      .getByRole('button', { name: `Show calls of ${busy}` })
      .click();
    const calls = page.getByRole('region', { name: 'Agents' }).getByRole('list', {
      name: `Calls of ${busy} in progress`,
    });
    await calls.getByRole('link', { name: 'View follow-up' }).first().waitFor();
    expect(await calls.getByRole('link').first().getAttribute('href')).toMatch(/^\/contacts\//);
    expect(await calls.getByRole('listitem').first().textContent()).toMatch(/for \d+/);
    await expectAccessible('the agents page');
    await screenshot(page, 'agents');
    await page.setViewportSize({ width: 390, height: 844 });
    await page
      .getByRole('list', { name: 'Agents' })
      .getByText('Quinn', { exact: true })
      .first()
      .waitFor();
    await expectAccessible('the agents page at 390 px');
    await screenshot(page, 'agents');
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow, 'the agents page scrolls sideways at 390 px').toBeLessThanOrEqual(0);
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('shows no New agent or Edit to people who are not admins', async () => {
    // The server refuses their changes anyway (see the API tests); here: the page offers none.
    await page.route('**/api/me', async (route) => {
      const response = await route.fetch();
      const me = await response.json();
      await route.fulfill({ response, json: { ...me, user: { ...me.user, role: 'operator' } } });
    });
    try {
      await page.goto(`${base}/agents`);
      await agentRow('Quinn')
        .getByRole('button', { name: /Show calls of Quinn/ })
        .waitFor();
      expect(await page.getByRole('button', { name: 'New agent' }).count()).toBe(0);
      expect(await page.getByRole('button', { name: /^Edit/ }).count()).toBe(0);
    } finally {
      await page.unroute('**/api/me');
    }
  });

  it('exports the filtered follow-ups list as CSV', async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${base}/follow-ups?view=all`);
    await page.getByRole('heading', { name: 'Follow-ups', level: 1 }).waitFor();
    await page.getByLabel('Type').click();
    await page.getByRole('option', { name: 'Webhook' }).click();
    await page.waitForURL(/type=webhook/);
    const link = page.getByRole('link', { name: 'Export CSV' });
    // The "All" view: every status, latest first, as on screen.
    expect(await link.getAttribute('href')).toBe(
      '/api/follow-ups/export.csv?type=webhook&sort=-scheduledAt',
    );
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toMatch(/^follow-ups-\d{4}-\d{2}-\d{2}\.csv$/);
    const file = readFileSync((await download.path())!, 'utf8');
    const rows: Record<string, string>[] = parse(file, { bom: true, columns: true });
    expect(rows.length).toBeGreaterThan(0);
    expect(new Set(rows.map((r) => r.Type))).toEqual(new Set(['Webhook']));
    const listed: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { id: string }[]; nextCursor: string | null } = await api.get(
        `/follow-ups?type=webhook&sort=-scheduledAt&limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      listed.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(rows.map((r) => r.ID)).toEqual(listed);
    // The rows on screen are the first ones of the file.
    const shown = await page
      .locator('a[href^="/follow-ups/"]')
      .evaluateAll((links) =>
        links.map((a) => a.getAttribute('href')!.slice('/follow-ups/'.length)),
      );
    expect(shown.length).toBeGreaterThan(0);
    expect(rows.slice(0, shown.length).map((r) => r.ID)).toEqual([...new Set(shown)]);
    await screenshot(page, 'follow-ups-export');
  });

  it('offers the filtered call logs as CSV too', async () => {
    await page.goto(`${base}/call-logs?outcome=answered`);
    await page.getByRole('heading', { name: 'Call logs', level: 1 }).waitFor();
    const link = page.getByRole('link', { name: 'Export CSV' });
    expect(await link.getAttribute('href')).toBe('/api/call-logs/export.csv?outcome=answered');
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toMatch(/^call-logs-\d{4}-\d{2}-\d{2}\.csv$/);
    const file = readFileSync((await download.path())!, 'utf8');
    const rows: Record<string, string>[] = parse(file, { bom: true, columns: true });
    expect(rows.length).toBeGreaterThan(0);
    expect(new Set(rows.map((r) => r.Outcome))).toEqual(new Set(['Answered']));
    await page.setViewportSize({ width: 390, height: 844 });
    await expectAccessible('the call logs page at 390 px');
    await screenshot(page, 'call-logs-export');
    await page.setViewportSize({ width: 1280, height: 900 });
  });
});
