/**
 * Campaigns for admins (SPEC §1, §3, §7): "New campaign" opens the new campaign's page; the
 * status buttons follow the status; a save that the server refuses keeps what was typed and
 * says why by the field; and a follow-up held by a closed day runs, without a reload, once the
 * admin opens the day. The embedded `serve` runs the engine with 2.5 s answered calls.
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
  waitForLiveUpdates,
} from './helpers/browser.ts';
import { ADMIN_EMAIL, ADMIN_PASSWORD, type RunningServer, startServer } from './helpers/server.ts';

interface Agent {
  id: string;
  status: string;
  maxConcurrentCalls: number;
  callsInProgress: number;
}

/** A zone where it is between 09:00 and 19:00 now, so that a call may go out there today. */
function daytimeZone(): string {
  const zones = [
    'Asia/Tokyo',
    'Asia/Kolkata',
    'Europe/Berlin',
    'America/New_York',
    'America/Los_Angeles',
    'Pacific/Honolulu',
    'Pacific/Auckland',
  ];
  const hourIn = (zone: string) =>
    Number(
      new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', hourCycle: 'h23' })
        .formatToParts(new Date())
        .find((p) => p.type === 'hour')?.value,
    );
  return zones.find((z) => hourIn(z) >= 9 && hourIn(z) < 19) ?? 'Asia/Tokyo';
}

/** Today's date in `zone`, as 'YYYY-MM-DD'. */
const todayIn = (zone: string) => new Intl.DateTimeFormat('en-CA', { timeZone: zone }).format();

const OPEN_ALL_WEEK = Object.fromEntries(
  ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'].map((d) => [
    d,
    [{ start: '08:00', end: '21:00' }],
  ]),
);

describe.skipIf(!browserAvailable())('campaigns for admins', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let api: ApiClient;

  beforeAll(async () => {
    server = await startServer({
      env: {
        FOLLOWTHROUGH_SIMULATED_CALL_MS: '2500',
        FOLLOWTHROUGH_SIMULATED_CALL_OUTCOME: 'answered',
      },
    });
    api = await apiClient(server.url, ADMIN_EMAIL, ADMIN_PASSWORD);
    browser = await launch({ width: 1280 });
    page = browser.page;
    await signIn(page, server.url, ADMIN_EMAIL, ADMIN_PASSWORD);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('creates a campaign from the list and moves it through its statuses', async () => {
    await page.goto(`${server.url}/campaigns`);
    await page.getByRole('button', { name: 'New campaign' }).click();
    const dialog = page.getByRole('dialog', { name: 'New campaign' });
    // Nothing typed: the name is asked for, by the field.
    await dialog.getByRole('button', { name: 'Create campaign' }).click();
    await expect.poll(() => dialog.getByText('Give the campaign a name.').count()).toBe(1);
    await dialog.getByLabel('Name').fill('Autumn winback');
    await screenshot(page, 'campaigns-new-dialog');
    expect(await seriousA11yViolations(page, '[role="dialog"]')).toEqual([]);
    await dialog.getByRole('button', { name: 'Create campaign' }).click();
    await page.waitForURL(/\/campaigns\/[0-9a-f-]{36}$/);

    const status = page.getByTestId('campaign-status');
    await expect.poll(() => status.textContent()).toBe('Draft');
    const buttons = async () => {
      const shown: string[] = [];
      for (const label of ['Schedule', 'Start', 'Pause', 'Resume', 'Complete']) {
        if (await page.getByRole('button', { name: label, exact: true }).count()) shown.push(label);
      }
      return shown;
    };
    expect(await buttons()).toEqual(['Schedule', 'Start']);
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await expect.poll(() => status.textContent()).toBe('Running');
    expect(await buttons()).toEqual(['Pause', 'Complete']);
    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    await expect.poll(() => status.textContent()).toBe('Paused');
    expect(await buttons()).toEqual(['Resume', 'Complete']);
  }, 120_000);

  it('keeps what was typed when a save is refused, with the reason by the field', async () => {
    await page.getByRole('button', { name: 'Add rule' }).click();
    const attempts = page.locator('[data-rule="0"]').getByLabel('Max attempts');
    await attempts.fill('11');
    await page.getByLabel('Name', { exact: true }).fill('Autumn winback (EU)');
    await page.getByRole('button', { name: 'Save changes' }).click();
    const rule = page.locator('[data-rule="0"]');
    await expect.poll(() => rule.getByText('Give a whole number from 1 to 10.').count()).toBe(1);
    expect(await attempts.inputValue()).toBe('11');
    expect(await page.getByLabel('Name', { exact: true }).inputValue()).toBe('Autumn winback (EU)');
    await page.getByTestId('form-error').waitFor();
    // Nothing was saved.
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('Autumn winback');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).not.toContain('(EU)');
    await attempts.fill('2');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect
      .poll(() => page.getByRole('heading', { level: 1 }).textContent())
      .toContain('(EU)');
  }, 60_000);

  it('runs a follow-up held by a closed day once the admin opens the day, without a reload', async () => {
    const zone = daytimeZone();
    const today = todayIn(zone);
    let agent: Agent | undefined;
    await expect
      .poll(
        async () => {
          const { items } = await api.get<{ items: Agent[] }>('/agents');
          agent = items.find(
            (a) => a.status === 'active' && a.callsInProgress < a.maxConcurrentCalls,
          );
          return agent !== undefined;
        },
        { timeout: 30_000 },
      )
      .toBe(true);
    const contact = await createContact(api, {
      firstName: 'Closed',
      lastName: 'Today',
      timezone: zone,
    });
    const campaign = await api.post<{ id: string }>('/campaigns', {
      name: 'Closed today',
      agentId: agent!.id,
      callingWindow: { weekly: OPEN_ALL_WEEK, closedDates: [today] },
    });
    await api.post(`/campaigns/${campaign.id}/status`, { status: 'running' });
    const followUp = await api.post<{ id: string }>('/follow-ups', {
      contactId: contact.id,
      type: 'call',
      scheduledAt: new Date().toISOString(),
      campaignId: campaign.id,
    });

    await page.goto(`${server.url}/campaigns/${campaign.id}`);
    const row = page.locator(`tr[data-follow-up-id="${followUp.id}"]`);
    const waiting = row.getByTestId('waiting');
    await expect
      .poll(() => waiting.textContent(), { timeout: 30_000 })
      .toMatch(/^Outside calling window until .+, 08:00/);
    expect(await row.locator('td').first().textContent()).toMatch(/^Scheduled/);
    await waitForLiveUpdates(page);
    await screenshot(page, 'campaign-page-closed-today');
    expect(await seriousA11yViolations(page)).toEqual([]);

    await page.getByRole('button', { name: `Remove ${today}` }).click();
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect
      .poll(async () => (await row.locator('td').first().textContent()) ?? '', {
        timeout: 30_000,
      })
      .toMatch(/^(Queued|In progress|Completed)/);
    expect(await waiting.textContent()).not.toContain('Outside calling window');
    await expect
      .poll(async () => (await row.locator('td').first().textContent()) ?? '', {
        timeout: 30_000,
      })
      .toMatch(/^Completed/);
    await screenshot(page, 'campaign-page');

    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    await row.waitFor();
    await screenshot(page, 'campaign-page');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 1280, height: 900 });
  }, 150_000);
});
