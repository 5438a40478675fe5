/**
 * The Content-Security-Policy in a real browser: the web app's pages (dashboard, follow-ups,
 * settings) and the API reference at /docs work under their policies, with no violation reported,
 * and an inline script injected into the app's page is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, browserAvailable, launch, signIn } from './helpers/browser.ts';
import { ADMIN_EMAIL, ADMIN_PASSWORD, type RunningServer, startServer } from './helpers/server.ts';

describe.skipIf(!browserAvailable())('Content-Security-Policy', () => {
  let server: RunningServer;
  let browser: Browser;
  const violations: string[] = [];

  beforeAll(async () => {
    server = await startServer();
    browser = await launch();
    browser.page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    browser.page.on('pageerror', (error) => violations.push(`page error: ${error.message}`));
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('sends script-src self to the app, and a policy of its own to /docs', async () => {
    const app = await fetch(`${server.url}/`);
    const policy = app.headers.get('content-security-policy') ?? '';
    expect(policy).toContain("script-src 'self'");
    expect(policy).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(policy).toContain("frame-ancestors 'none'");
    const docs = await fetch(`${server.url}/docs`);
    expect(docs.headers.get('content-security-policy')).toContain(
      "script-src 'self' 'unsafe-inline'",
    );
  });

  it('runs the web app and the API reference without a policy violation', async () => {
    const { page } = browser;
    await signIn(page, server.url, ADMIN_EMAIL, ADMIN_PASSWORD);
    for (const path of ['/', '/follow-ups', '/settings']) {
      await page.goto(`${server.url}${path}`);
      await page.getByRole('main').waitFor();
    }
    await page.goto(`${server.url}/docs`);
    await page.locator('.scalar-app').first().waitFor();
    expect(violations).toEqual([]);
  });

  it('refuses an inline script in the app', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/`);
    await page.getByRole('main').waitFor();
    const ran = await page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'window.__inlineRan = true;';
      document.body.appendChild(script);
      return (window as unknown as { __inlineRan?: boolean }).__inlineRan === true;
    });
    expect(ran).toBe(false);
  });
});
