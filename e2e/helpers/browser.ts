/**
 * Debian's Chromium driven by playwright-core (never a downloaded browser), one persistent
 * context in a fresh profile directory per launch.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { ROOT } from './server.ts';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Whether the browser tier can run; with REQUIRE_BROWSER=1 a missing Chromium is a failure. */
export function browserAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.REQUIRE_BROWSER === '1') {
    throw new Error(`REQUIRE_BROWSER=1 but Chromium is not at ${CHROMIUM}.`);
  }
  return false;
}

export interface Browser {
  context: BrowserContext;
  page: Page;
  close: () => Promise<void>;
}

export async function launch(
  options: {
    width?: number;
    height?: number;
    colorScheme?: 'light' | 'dark';
    timezoneId?: string;
    locale?: string;
  } = {},
): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'ft-e2e-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: options.width ?? 1280, height: options.height ?? 900 },
    colorScheme: options.colorScheme ?? 'light',
    // The viewer is on the US West Coast; the demo's contacts live in many other zones.
    timezoneId: options.timezoneId ?? 'America/Los_Angeles',
    locale: options.locale ?? 'en-US',
  });
  context.setDefaultTimeout(15_000);
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export async function signIn(page: Page, baseUrl: string, email: string, password: string) {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

/** Waits until the page's live updates (Server-Sent Events) are connected: `<html data-live="open">`. */
export async function waitForLiveUpdates(page: Page): Promise<void> {
  await page.waitForFunction(() => document.documentElement.dataset.live === 'open', undefined, {
    timeout: 30_000,
  });
}

export const SCREENSHOTS = join(ROOT, 'test-results/screenshots');

/** A full-page PNG in test-results/screenshots/<name>-<width>.png. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const width = page.viewportSize()?.width ?? 0;
  const path = join(SCREENSHOTS, `${name}-${width}.png`);
  // Let animations and late data settle.
  await page.waitForLoadState('networkidle').catch(() => {});
  await page.screenshot({ path, fullPage: true, animations: 'disabled' });
  return path;
}

export interface AxeProblem {
  id: string;
  impact: string | null | undefined;
  help: string;
  targets: string[];
}

/** axe-core on the page (WCAG 2.x A and AA): the serious and critical violations. */
export async function seriousA11yViolations(page: Page, include?: string): Promise<AxeProblem[]> {
  let builder = new AxeBuilder({ page }).withTags([
    'wcag2a',
    'wcag2aa',
    'wcag21a',
    'wcag21aa',
    'wcag22aa',
  ]);
  if (include) builder = builder.include(include);
  const result = await builder.analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
    }));
}
