/**
 * Settings › Voice platform in Chromium against a real server calling through Retell (a local
 * stand-in of Retell's API): the three webhook URLs with copy buttons, no credential on the
 * page, "Test connection" listing the stand-in's agents and numbers, and the agent dialog
 * offering the platform's agent ids, one of them saved on a new agent. Screenshots at 1280 px
 * and 390 px; no serious axe-core violations.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StandIn, startRetellStandIn } from '../test/helpers/voice-stand-ins.ts';
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

  beforeAll(async () => {
    retell = await startRetellStandIn();
    server = await startServer({
      env: {
        FOLLOWTHROUGH_CALL_PROVIDER: 'retell',
        RETELL_API_KEY: API_KEY,
        RETELL_FROM_NUMBER: '+12125550100',
        RETELL_BASE_URL: retell.url,
        FOLLOWTHROUGH_PUBLIC_URL: 'https://calls.example.com',
      },
    });
    browser = await launch({ width: 1280 });
    page = browser.page;
    await signIn(page, server.url, ADMIN_EMAIL, ADMIN_PASSWORD);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await retell?.close();
  });

  it('shows the webhook URLs, tests the connection and offers the agents in the agent dialog', async () => {
    await page.goto(`${server.url}/settings?section=voice-platform`);
    await page.getByRole('heading', { name: 'Voice platform' }).waitFor();
    await page.getByText('Credentials set').waitFor();
    expect(await page.getByLabel('Retell webhook URL', { exact: true }).inputValue()).toBe(
      'https://calls.example.com/api/providers/retell/webhook',
    );
    expect(await page.getByLabel('Vapi server URL', { exact: true }).inputValue()).toBe(
      'https://calls.example.com/api/providers/vapi/webhook',
    );
    expect(await page.getByLabel('Twilio status callback URL', { exact: true }).inputValue()).toBe(
      'https://calls.example.com/api/providers/twilio/voice-status',
    );
    expect(await page.getByRole('button', { name: /^Copy the / }).count()).toBe(3);
    expect(await page.content()).not.toContain(API_KEY);

    await page.getByRole('button', { name: 'Test connection' }).click();
    const result = page.getByTestId('voice-test-result');
    await result.getByText('Stand-in Renewals').waitFor();
    await result.getByText('+12125550123').waitFor();
    const problems = await seriousA11yViolations(page);
    expect(problems, JSON.stringify(problems, null, 2)).toEqual([]);
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: width > 800 ? 900 : 844 });
      await screenshot(page, 'settings-voice-platform');
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow, `scrolls sideways at ${width} px`).toBeLessThanOrEqual(0);
    }
    await page.setViewportSize({ width: 1280, height: 900 });

    // In the same page session: the agent dialog suggests the platform's agent ids.
    await page.getByRole('link', { name: 'Agents' }).first().click();
    await page.getByRole('button', { name: 'New agent' }).click();
    const dialog = page.getByRole('dialog', { name: 'New agent' });
    const options = dialog.getByTestId('platform-agents').locator('option');
    await options.first().waitFor({ state: 'attached' });
    expect(await options.evaluateAll((o) => o.map((e) => (e as HTMLOptionElement).value))).toEqual([
      'agent_stand_in_1',
    ]);
    await dialog.getByLabel('Name').fill('Retta');
    await dialog.getByLabel('Platform agent id').fill('agent_stand_in_1');
    await dialog.getByLabel('Calls from').fill('+12125550123');
    await dialog.getByRole('button', { name: 'Create agent' }).click();
    await dialog.waitFor({ state: 'detached' });
    const agents = await page.evaluate(async () => (await fetch('/api/agents')).json());
    expect(
      (agents.items as { name: string; externalAgentId: string; fromNumber: string }[]).find(
        (a) => a.name === 'Retta',
      ),
    ).toMatchObject({ externalAgentId: 'agent_stand_in_1', fromNumber: '+12125550123' });
  });
});
