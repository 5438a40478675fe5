/**
 * Settings in Chromium against a real server with the demo workspace: the retry schedule kept
 * after a reload, inviting a user whose one-time password signs in and must be changed, an API key created and
 * revoked, and a webhook endpoint on a local receiver with a test event, its delivery and a
 * redelivery. No serious or critical axe-core violations; screenshots at 1280 px and 390 px.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Browser,
  browserAvailable,
  launch,
  screenshot,
  seriousA11yViolations,
  signIn,
} from './helpers/browser.ts';
import { ADMIN_EMAIL, ADMIN_PASSWORD, type RunningServer, startServer } from './helpers/server.ts';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

async function startReceiver() {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/e2e`,
    received,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe.skipIf(!browserAvailable())('settings', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let base: string;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;

  beforeAll(async () => {
    receiver = await startReceiver();
    server = await startServer({ env: { FOLLOWTHROUGH_ALLOW_PRIVATE_WEBHOOKS: '1' } });
    base = server.url;
    browser = await launch({ width: 1280 });
    page = browser.page;
    await signIn(page, base, ADMIN_EMAIL, ADMIN_PASSWORD);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await receiver?.close();
  });

  async function expectAccessible(what: string) {
    // Toasts fade in and out: checked once they are gone, like the rest of the page.
    await page
      .locator('[data-sonner-toast]')
      .first()
      .waitFor({ state: 'detached', timeout: 15_000 });
    const problems = await seriousA11yViolations(page);
    expect(problems, `${what}: ${JSON.stringify(problems, null, 2)}`).toEqual([]);
  }

  async function atBothWidths(name: string) {
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: width > 800 ? 900 : 844 });
      await screenshot(page, name);
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow, `${name} at ${width} px scrolls sideways`).toBeLessThanOrEqual(0);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  }

  const delayInputs = () => page.getByLabel(/^Delay before retry \d+, in minutes$/);

  it('changes the retry schedule, shows it humanly, and keeps it after a reload', async () => {
    await page.goto(`${base}/settings`);
    await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
    const nav = page.getByRole('navigation', { name: 'Settings sections' });
    expect(await nav.getByRole('link').allTextContents()).toEqual([
      'General',
      'Calling windows',
      'Compliance',
      'Users',
      'API keys',
      'Webhook endpoints',
      'Voice platform',
    ]);
    await delayInputs().first().waitFor();
    const before = await delayInputs().count();
    await page.getByRole('button', { name: 'Add a delay' }).click();
    await delayInputs().nth(before).fill('720');
    await expect
      .poll(() => page.getByTestId('retry-schedule-readable').textContent())
      .toMatch(/, 12 h$/);

    // A refused value stays in its field, with the reason beside it.
    const expiry = page.getByLabel('Default expiry (hours)');
    await expiry.fill('0');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Give a whole number of hours from 1 to 8760.').waitFor();
    expect(await expiry.inputValue()).toBe('0');
    expect(await delayInputs().nth(before).inputValue()).toBe('720');

    await expiry.fill('48');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Settings saved').waitFor();
    await page.reload();
    await delayInputs().first().waitFor();
    expect(await delayInputs().count()).toBe(before + 1);
    expect(await delayInputs().nth(before).inputValue()).toBe('720');
    expect(await page.getByLabel('Default expiry (hours)').inputValue()).toBe('48');
    expect(await page.getByTestId('retry-schedule-readable').textContent()).toMatch(/, 12 h$/);
    await expectAccessible('general settings');
    await atBothWidths('settings-general');
  });

  it('changes a calling window in Settings and keeps it after a reload', async () => {
    await page.goto(`${base}/settings?section=calling-windows`);
    const card = page.locator('[aria-labelledby="settings-calling-windows"]');
    const from = card.getByLabel('Monday from');
    const until = card.getByLabel('Monday until');
    await until.waitFor();
    await from.fill('09:00');
    await until.fill('18:30');
    await card.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Changes saved').waitFor();
    await page.reload();
    await until.waitFor();
    expect(await until.inputValue()).toBe('18:30');
    expect(await from.inputValue()).toBe('09:00');
    await atBothWidths('settings-calling-windows');
  });

  it('invites a user, shows the one-time password once, and that user signs in', async () => {
    await page.goto(`${base}/settings?section=users`);
    await page.locator('tr[data-user-email]').first().waitFor();
    await page.getByRole('button', { name: 'Invite user' }).click();
    const dialog = page.getByRole('dialog');
    const email = `maria.${Date.now()}@example.com`;
    await dialog.getByLabel('Name').fill('Maria Lopez');
    await dialog.getByLabel('Email').fill(email);
    await dialog.getByRole('combobox', { name: 'Role' }).click();
    await page.getByRole('option', { name: 'Viewer' }).click();
    await dialog.getByRole('button', { name: 'Invite' }).click();
    const secret = dialog.getByLabel('One-time password');
    await secret.waitFor();
    const password = await secret.inputValue();
    expect(password.length).toBeGreaterThanOrEqual(20);
    await expectAccessible('one-time password');
    await screenshot(page, 'settings-user-invited');
    await dialog.getByRole('button', { name: 'Done' }).click();
    await dialog.waitFor({ state: 'detached' });
    const row = page.locator(`tr[data-user-email="${email}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain('Maria Lopez');
    // Shown once: nowhere on the page any more, nor after a reload.
    expect(await page.content()).not.toContain(password);
    await page.reload();
    await row.waitFor();
    expect(await page.content()).not.toContain(password);
    await expectAccessible('users');
    await atBothWidths('settings-users');

    // The demo's only admin cannot deactivate themselves: the dialog says why.
    const me = page.locator(`tr[data-user-email="${ADMIN_EMAIL}"]`);
    await me.getByRole('button', { name: /^Deactivate/ }).click();
    const confirm = page.getByRole('dialog');
    await confirm.getByRole('button', { name: 'Deactivate' }).click();
    await confirm.getByText(/at least one active admin/).waitFor();
    await screenshot(page, 'settings-last-admin');
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    expect(await me.textContent()).toContain('Active');

    const fresh = await launch({ width: 1280 });
    try {
      // The one-time password leads to choosing a password of their own, before anything else.
      await signIn(fresh.page, base, email, password);
      await fresh.page.waitForURL((url) => url.pathname === '/password');
      await fresh.page.getByRole('heading', { name: 'Choose your password' }).waitFor();
      await fresh.page.getByLabel('One-time password').fill(password);
      await fresh.page.getByLabel('New password', { exact: true }).fill('qwertyuiop');
      await fresh.page.getByLabel('New password again').fill('qwertyuiop');
      await fresh.page.getByRole('button', { name: 'Save password' }).click();
      await fresh.page
        .getByText(/most common passwords/)
        .first()
        .waitFor();
      await screenshot(fresh.page, 'password-forced');
      const own = 'maria keeps her own password';
      await fresh.page.getByLabel('New password', { exact: true }).fill(own);
      await fresh.page.getByLabel('New password again').fill(own);
      await fresh.page.getByRole('button', { name: 'Save password' }).click();
      await fresh.page.waitForURL((url) => url.pathname === '/');
      await fresh.page.goto(`${base}/settings?section=users`);
      await fresh.page.getByTestId('admins-only').waitFor();
      expect(await fresh.page.getByTestId('admins-only').textContent()).toContain(
        'Only admins can change settings.',
      );
      expect(await fresh.page.locator('tr[data-user-email]').count()).toBe(0);
      await fresh.page.goto(`${base}/settings`);
      await fresh.page.getByLabel('Workspace name').waitFor();
      expect(await fresh.page.getByLabel('Workspace name').isDisabled()).toBe(true);
      expect(await fresh.page.getByRole('button', { name: 'Save changes' }).count()).toBe(0);
    } finally {
      await fresh.close();
    }
  });

  it('creates an API key, shows it once, and revokes it', async () => {
    await page.goto(`${base}/settings?section=api-keys`);
    await page.getByRole('button', { name: 'Create API key' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name').fill('E2E script');
    await dialog.getByRole('button', { name: 'Create key' }).click();
    const secret = dialog.getByLabel('API key');
    await secret.waitFor();
    const key = await secret.inputValue();
    expect(key).toMatch(/^ft_[a-z0-9]{8}_/);
    const me = await fetch(`${base}/api/me`, { headers: { authorization: `Bearer ${key}` } });
    expect(me.status).toBe(200);
    await dialog.getByRole('button', { name: 'Done' }).click();
    const row = page.locator('tr[data-api-key="E2E script"]');
    await row.waitFor();
    expect(await row.textContent()).toContain(key.slice(0, 11));
    expect(await page.content()).not.toContain(key);
    await expectAccessible('API keys');
    await atBothWidths('settings-api-keys');

    await row.getByRole('button', { name: /^Revoke/ }).click();
    const confirm = page.getByRole('dialog');
    await confirm
      .getByText('Requests with this key are refused from now on.', { exact: false })
      .waitFor();
    await confirm.getByRole('button', { name: 'Revoke' }).click();
    await row.getByText(/^Revoked/).waitFor();
    const after = await fetch(`${base}/api/me`, { headers: { authorization: `Bearer ${key}` } });
    expect(after.status).toBe(401);
  });

  it('adds a webhook endpoint, sends a test event, sees the delivery and redelivers it', async () => {
    await page.goto(`${base}/settings?section=webhooks`);
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('URL').fill('http://example.com/hook');
    await dialog.getByLabel('Description (optional)').fill('E2E receiver');
    await dialog.getByRole('button', { name: 'Add endpoint' }).click();
    // Refused by the field, and what was typed is kept.
    await dialog.getByText(/Use https/).waitFor();
    expect(await dialog.getByLabel('Description (optional)').inputValue()).toBe('E2E receiver');
    await dialog.getByLabel('URL').fill(receiver.url);
    await dialog.getByLabel(/^Default/).check();
    await dialog.getByRole('button', { name: 'Add endpoint' }).click();
    const secretField = dialog.getByLabel('Signing secret');
    await secretField.waitFor();
    const secret = await secretField.inputValue();
    expect(secret).toMatch(/^whsec_/);
    await expectAccessible('new endpoint secret');
    await dialog.getByRole('button', { name: 'Done' }).click();

    const item = page.locator(`li[data-endpoint-url="${receiver.url}"]`);
    await item.waitFor();
    expect(await item.textContent()).toContain('Default');
    await item.getByRole('button', { name: 'Send test event' }).click();
    await page.getByText('Test event delivered').waitFor();
    expect(receiver.received).toHaveLength(1);
    const first = receiver.received[0]!;
    new Webhook(secret).verify(first.body, first.headers as Record<string, string>);
    expect(JSON.parse(first.body).type).toBe('test');
    await expectAccessible('webhook endpoints');
    await atBothWidths('settings-webhooks');

    await item.getByRole('link', { name: 'Deliveries' }).click();
    await page.getByRole('heading', { name: 'Deliveries', level: 1 }).waitFor();
    const rows = page.locator('tr[data-delivery-id]');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(1);
    const cells = await rows.first().locator('td').allTextContents();
    expect(cells[1]).toBe('test');
    expect(cells[3]).toBe('1');
    expect(cells[4]).toBe('200');

    await rows.first().getByRole('button', { name: 'Redeliver' }).click();
    await page.getByText('Redelivered').waitFor();
    await expect.poll(() => rows.count()).toBe(2);
    const newest = await rows.first().locator('td').allTextContents();
    expect(newest[3]).toBe('2');
    expect(newest[4]).toBe('200');
    expect(receiver.received).toHaveLength(2);
    const second = receiver.received[1]!;
    expect(second.headers['webhook-id']).toBe(first.headers['webhook-id']);
    expect(second.body).toBe(first.body);
    new Webhook(secret).verify(second.body, second.headers as Record<string, string>);
    await expectAccessible('deliveries');
    await atBothWidths('settings-deliveries');

    // "Rotate secret": the new secret is shown once and signs from now on; the old one no longer.
    await page.getByRole('link', { name: 'Webhook endpoints' }).click();
    await item.getByRole('button', { name: 'Rotate secret' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Rotate secret' }).click();
    const rotatedField = page.getByRole('dialog').getByLabel('Signing secret');
    await rotatedField.waitFor();
    const rotated = await rotatedField.inputValue();
    expect(rotated).toMatch(/^whsec_/);
    expect(rotated).not.toBe(secret);
    await expectAccessible('rotated secret');
    await page.getByRole('dialog').getByRole('button', { name: 'Done' }).click();
    await item.getByRole('button', { name: 'Send test event' }).click();
    await expect.poll(() => receiver.received.length).toBe(3);
    const third = receiver.received[2]!;
    new Webhook(rotated).verify(third.body, third.headers as Record<string, string>);
    expect(() =>
      new Webhook(secret).verify(third.body, third.headers as Record<string, string>),
    ).toThrow();
  });
});
