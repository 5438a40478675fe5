/**
 * The engine seen from the contact page (SPEC §7.2, issue "the engine"): a call scheduled a few
 * seconds ahead moves through Queued / In progress to Completed on the Follow-ups card while
 * the operator watches — no reload. The embedded `serve` runs the engine with the call
 * simulator (calls of 5 s, all answered, for a deterministic end).
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, apiClient, createContact } from './helpers/api.ts';
import {
  type Browser,
  browserAvailable,
  launch,
  screenshot,
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

describe.skipIf(!browserAvailable())('the engine, live on the contact page', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let api: ApiClient;

  beforeAll(async () => {
    server = await startServer({
      env: {
        FOLLOWTHROUGH_SIMULATED_CALL_MS: '5000',
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

  it('shows a call move from Scheduled to Completed without a reload', async () => {
    const contact = await createContact(api, { firstName: 'Live', lastName: 'Caller' });
    // An agent with room now (the demo's own due calls may be using some).
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

    await page.goto(`${server.url}/contacts/${contact.id}`);
    const card = page.getByTestId('follow-ups-card');
    await card.getByText('No follow-ups scheduled for this contact.').waitFor();
    // The page's event stream is connected before anything changes.
    await waitForLiveUpdates(page);

    const created = await api.post<{ id: string }>('/follow-ups', {
      contactId: contact.id,
      type: 'call',
      scheduledAt: new Date(Date.now() + 10_000).toISOString(),
      agentId: agent!.id,
      allowOutOfWindow: true,
    });
    // Every text the row's status cell shows, recorded in the page as the DOM changes (no
    // sampling that a busy machine could make miss a short state).
    const seen = await page.evaluate(
      (id) =>
        new Promise<string[]>((resolve, reject) => {
          const texts: string[] = [];
          const read = () => {
            const cell = document.querySelector(
              `[data-testid="follow-ups-card"] tr[data-follow-up-id="${id}"] td`,
            );
            const text = (cell?.textContent ?? '').trim();
            if (text && texts[texts.length - 1] !== text) texts.push(text);
            if (text.startsWith('Completed')) {
              observer.disconnect();
              resolve(texts);
            }
          };
          const observer = new MutationObserver(read);
          observer.observe(document.body, { subtree: true, childList: true, characterData: true });
          read();
          setTimeout(() => reject(new Error(`not completed; seen: ${texts.join(' → ')}`)), 60_000);
        }),
      created.id,
    );
    await screenshot(page, 'contact-live-completed');
    expect(seen[0]).toMatch(/^Scheduled/);
    expect(seen.some((t) => /^(Queued|In progress)/.test(t))).toBe(true);
    expect(seen[seen.length - 1]).toMatch(/^Completed/);
    // The attempt shows on the card, and the call it made is in the call logs.
    const row = card.locator(`tr[data-follow-up-id="${created.id}"]`);
    await expect.poll(() => row.textContent()).toContain('1 / 3');
  }, 120_000);
});
