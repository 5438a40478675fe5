/**
 * Settings › Voice platform in Chromium against a real server (the simulator in its
 * environment, Retell's API address pointed at a local stand-in): an admin saves the
 * workspace's own Retell platform and sees its key only as "Set …" with its last four
 * characters, never the key; "Test connection" lists the stand-in's agents and numbers; the
 * three webhook URLs have copy buttons; in the agent dialog the admin picks the platform agent
 * id and the caller number from selects filled from the stand-in, or types them when the
 * platform refuses to list them. A viewer reads the same
 * settings and can change nothing. Screenshots at 1280 px and 390 px; no serious axe-core
 * violations.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StandIn, startRetellStandIn } from '../test/helpers/voice-stand-ins.ts';
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

const API_KEY = 'key_e2e_retell_secret_9f3a';

describe.skipIf(!browserAvailable())('Settings › Voice platform in the browser', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let retell: StandIn;
  let api: ApiClient;

  beforeAll(async () => {
    retell = await startRetellStandIn();
    server = await startServer({
      env: {
        FOLLOWTHROUGH_CALL_PROVIDER: 'simulator',
        RETELL_BASE_URL: retell.url,
        FOLLOWTHROUGH_PUBLIC_URL: 'https://calls.example.com',
      },
    });
    api = await apiClient(server.url, ADMIN_EMAIL, ADMIN_PASSWORD);
    browser = await launch({ width: 1280 });
    page = browser.page;
    // The machine is shared: the first paint may take a while.
    page.setDefaultTimeout(45_000);
    await signIn(page, server.url, ADMIN_EMAIL, ADMIN_PASSWORD);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await retell?.close();
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

  it('an admin saves the platform, sees its key only as set with the last four, and tests it', async () => {
    await page.goto(`${server.url}/settings?section=voice-platform`);
    await page.getByRole('heading', { name: 'Voice platform' }).waitFor();
    expect(await page.getByLabel('Retell webhook URL', { exact: true }).inputValue()).toBe(
      'https://calls.example.com/api/providers/retell/webhook',
    );
    expect(await page.getByLabel('Vapi server URL', { exact: true }).inputValue()).toBe(
      'https://calls.example.com/api/providers/vapi/webhook',
    );
    expect(await page.getByLabel('Twilio status callback URL', { exact: true }).inputValue()).toBe(
      'https://calls.example.com/api/providers/twilio/voice-status',
    );
    expect(await page.getByRole('button', { name: 'Copy', exact: true }).count()).toBe(3);

    // Nothing saved yet: the server's simulator; the workspace chooses Retell.
    await page.getByLabel('Platform', { exact: true }).click();
    await page.getByRole('option', { name: 'Retell' }).click();
    await page.getByTestId('credential-retellApiKey').getByText('Not set').waitFor();
    // The contract's own checks run before anything is sent.
    await page.getByLabel('Default caller number').fill('212 555');
    await page.getByRole('button', { name: 'Save voice platform' }).click();
    await page.getByText('Give the caller number in E.164 form, like +12125550100.').waitFor();
    await page.getByLabel('Default caller number').fill('+12125550123');
    await page.getByRole('button', { name: 'Save voice platform' }).click();
    await page.getByText('The Retell API key is required.').waitFor();
    await page.getByLabel('Retell API key').fill(API_KEY);
    await page.getByRole('button', { name: 'Save voice platform' }).click();
    await page.getByTestId('credential-retellApiKey').getByText('Set …9f3a').waitFor();
    expect(await page.getByLabel('Retell API key').inputValue()).toBe('');
    await page.getByText("with this workspace's own settings").waitFor();
    expect(await page.content()).not.toContain(API_KEY);
    await page.reload();
    await page.getByTestId('credential-retellApiKey').getByText('Set …9f3a').waitFor();
    expect(await page.content()).not.toContain(API_KEY);

    await page.getByRole('button', { name: 'Test connection' }).click();
    const result = page.getByTestId('voice-test-result');
    await result.getByText('Connected to Retell: it lists 1 agent and 1 phone number.').waitFor();
    await result.getByText('Stand-in Renewals').waitFor();
    await result.getByText('+12125550123').waitFor();
    // The stand-in was asked with the workspace's own key.
    expect(retell.requests.at(-1)!.headers.authorization).toBe(`Bearer ${API_KEY}`);
    await expectAccessible(page, 'voice platform (admin)');
    await atBothWidths(page, 'settings-voice-platform');
  });

  it('an admin picks the platform agent id and number in the agent dialog', async () => {
    await page.getByRole('link', { name: 'Agents' }).first().click();
    await page.getByRole('button', { name: 'New agent' }).click();
    const dialog = page.getByRole('dialog', { name: 'New agent' });
    await dialog.getByLabel('Name').fill('Retta');
    await dialog.getByLabel('Platform agent id').click();
    await page.getByRole('option', { name: 'Stand-in Renewals · agent_stand_in_1' }).click();
    await dialog.getByLabel('Calls from').click();
    await page.getByRole('option', { name: '+12125550123 · Main line' }).click();
    await expectAccessible(page, 'agent dialog with the platform selects');
    await atBothWidths(page, 'agent-dialog-platform-select');
    await dialog.getByRole('button', { name: 'Create agent' }).click();
    await dialog.waitFor({ state: 'detached' });
    const agents = await api.get<{
      items: { name: string; externalAgentId: string | null; fromNumber: string | null }[];
    }>('/agents');
    expect(agents.items.find((a) => a.name === 'Retta')).toMatchObject({
      externalAgentId: 'agent_stand_in_1',
      fromNumber: '+12125550123',
    });

    // "Another id (type it)" for an id the platform does not list.
    await page.getByRole('button', { name: 'New agent' }).click();
    await dialog.getByLabel('Name').fill('Tess');
    await dialog.getByLabel('Platform agent id').click();
    await page.getByRole('option', { name: 'Another id (type it)' }).click();
    await dialog.getByLabel('Platform agent id').fill('agent_not_listed_yet');
    await dialog.getByRole('button', { name: 'Create agent' }).click();
    await dialog.waitFor({ state: 'detached' });
    const after = await api.get<{ items: { name: string; externalAgentId: string | null }[] }>(
      '/agents',
    );
    expect(after.items.find((a) => a.name === 'Tess')?.externalAgentId).toBe(
      'agent_not_listed_yet',
    );

    // The platform refuses to list (both lists answered 401): plain text fields, and why.
    retell.queue(
      { status: 401, body: { error_message: 'Invalid API key' } },
      { status: 401, body: { error_message: 'Invalid API key' } },
    );
    await page.reload();
    await page.getByRole('button', { name: 'New agent' }).click();
    await dialog
      .getByText(/^Retell could not list its agents \(The platform answered HTTP 401/)
      .waitFor();
    await dialog.getByRole('textbox', { name: 'Platform agent id' }).fill('agent_typed_by_hand');
    await dialog.getByRole('textbox', { name: 'Calls from' }).fill('+12125550177');
    await dialog.getByLabel('Name').fill('Hana');
    await dialog.getByRole('button', { name: 'Create agent' }).click();
    await dialog.waitFor({ state: 'detached' });
    const typed = await api.get<{
      items: { name: string; externalAgentId: string | null; fromNumber: string | null }[];
    }>('/agents');
    expect(typed.items.find((a) => a.name === 'Hana')).toMatchObject({
      externalAgentId: 'agent_typed_by_hand',
      fromNumber: '+12125550177',
    });
  });

  it('a viewer reads the saved platform and can change nothing', async () => {
    const email = `vic.${Date.now()}@example.com`;
    const created = await api.post<{ oneTimePassword: string }>('/users', {
      name: 'Vic Viewer',
      email,
      role: 'viewer',
    });
    const viewer = await launch({ width: 1280 });
    try {
      const v = viewer.page;
      v.setDefaultTimeout(45_000);
      await signIn(v, server.url, email, created.oneTimePassword);
      await v.waitForURL((url) => url.pathname === '/password');
      await v.getByLabel('One-time password').fill(created.oneTimePassword);
      const own = 'vic reads the voice platform';
      await v.getByLabel('New password', { exact: true }).fill(own);
      await v.getByLabel('New password again').fill(own);
      await v.getByRole('button', { name: 'Save password' }).click();
      await v.waitForURL((url) => url.pathname === '/');
      await v.goto(`${server.url}/settings?section=voice-platform`);
      const read = v.getByTestId('voice-platform-read');
      await read.waitFor();
      await read.getByText('Retell', { exact: true }).waitFor();
      await read.getByText('+12125550123').waitFor();
      await v.getByTestId('credential-retellApiKey').getByText('Set …9f3a').waitFor();
      await v.getByTestId('admins-only').waitFor();
      expect(await v.content()).not.toContain(API_KEY);
      for (const name of ['Save voice platform', 'Test connection', "Use the server's settings"]) {
        expect(await v.getByRole('button', { name }).count(), name).toBe(0);
      }
      expect(await v.getByLabel('Retell API key').count()).toBe(0);
      // The webhook URLs are for everyone to copy.
      expect(await v.getByRole('button', { name: 'Copy', exact: true }).count()).toBe(3);
      await expectAccessible(v, 'voice platform (viewer)');
      await atBothWidths(v, 'settings-voice-platform-viewer');
    } finally {
      await viewer.close();
    }
  });
});
