/**
 * The operator's path through a contact's follow-ups (SPEC §7.1–§7.4), in Chromium against a
 * real server: schedule from the contact's page, see the row, follow "View all" to the global
 * list and "View" to the follow-up's page; refused submissions, empty and Do Not Call states,
 * bulk actions, and URLs that keep their state.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, apiClient, createContact } from './helpers/api.ts';
import {
  type Browser,
  browserAvailable,
  launch,
  screenshot,
  waitForLiveUpdates,
} from './helpers/browser.ts';
import { ADMIN_EMAIL, ADMIN_PASSWORD, type RunningServer, startServer } from './helpers/server.ts';

const CARD_HEADERS = [
  'Status',
  'Type',
  'Scheduled',
  'Agent',
  'Campaign',
  'Attempts',
  'Source',
  'Actions',
];

interface Contact {
  id: string;
  name: string;
  phone: string;
}

describe.skipIf(!browserAvailable())('follow-ups in the browser', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let api: ApiClient;
  let base: string;

  beforeAll(async () => {
    server = await startServer();
    base = server.url;
    api = await apiClient(base, ADMIN_EMAIL, ADMIN_PASSWORD);
    browser = await launch({ width: 1280 });
    page = browser.page;
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  function followUpsCard() {
    return page.getByTestId('follow-ups-card');
  }

  async function openScheduleDialog() {
    await followUpsCard().getByRole('button', { name: 'Schedule follow-up' }).click();
    const dialog = page.getByRole('dialog', { name: 'Schedule follow-up' });
    await dialog.waitFor();
    return dialog;
  }

  it('signs in and comes back to where the operator was going', async () => {
    await page.goto(`${base}/follow-ups?status=failed`);
    await page.waitForURL(/\/login\?redirect=/);
    await page.getByLabel('Password').fill('not the password');
    await page.getByLabel('Email').fill(ADMIN_EMAIL);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect
      .poll(() => page.getByRole('alert').first().textContent())
      .toMatch(/email or password|not valid|incorrect|wrong/i);
    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${base}/follow-ups?status=failed`);
    await page.getByRole('heading', { name: 'Follow-ups', level: 1 }).waitFor();
    expect(await page.locator('#filter-status').textContent()).toContain('Failed');
    await expect.poll(() => page.getByRole('button', { name: 'Sign out' }).isVisible()).toBe(true);
  });

  it('schedules a follow-up from the contact page and follows it to the list and its page', async () => {
    const contact: Contact = await createContact(api, {
      firstName: 'Avery',
      lastName: 'Quinlan',
      timezone: 'America/New_York',
    });

    // Find the contact in the contacts list.
    await page.goto(`${base}/contacts`);
    await page.getByRole('searchbox', { name: 'Search contacts' }).fill('Quinlan');
    await page.getByRole('link', { name: contact.name }).click();
    await page.waitForURL(`${base}/contacts/${contact.id}`);
    await page.getByRole('heading', { name: contact.name, level: 1 }).waitFor();
    // The zone is set on the contact: not "(inferred)".
    const localTime = await page.getByTestId('contact-local-time').textContent();
    expect(localTime).toMatch(/\d{1,2}:\d{2}\s?[AP]M (EST|EDT) · America\/New_York$/);

    // "Follow-ups" sits directly below "Call logs", in the same column.
    const calls = await page.getByTestId('call-logs-card').boundingBox();
    const followUps = await followUpsCard().boundingBox();
    expect(calls && followUps).toBeTruthy();
    expect(followUps!.y).toBeGreaterThanOrEqual(calls!.y + calls!.height);
    expect(followUps!.y - (calls!.y + calls!.height)).toBeLessThan(40);
    expect(Math.abs(followUps!.x - calls!.x)).toBeLessThan(2);

    await followUpsCard().getByText('No follow-ups scheduled for this contact.').waitFor();
    const viewAll = followUpsCard().getByRole('link', { name: 'View all' });
    expect(await viewAll.getAttribute('href')).toBe(`/follow-ups?contactId=${contact.id}`);

    // The dialog: its fields in order and their defaults.
    const dialog = await openScheduleDialog();
    const labels = await dialog.locator('label').allTextContents();
    expect(labels).toEqual([
      'Type',
      'Scheduled at',
      'Agent',
      'Priority',
      'Max attempts',
      'Allow out-of-window (customer override)',
      'Notes',
    ]);
    expect(await dialog.getByRole('combobox', { name: 'Type' }).textContent()).toBe('Call');
    expect(await dialog.getByRole('combobox', { name: 'Agent' }).textContent()).toBe(
      'Inherit from source',
    );
    expect(await dialog.getByRole('combobox', { name: 'Priority' }).textContent()).toBe('Normal');
    expect(await dialog.getByLabel('Max attempts').inputValue()).toBe('3');
    expect(await dialog.getByRole('checkbox', { name: /Allow out-of-window/ }).isChecked()).toBe(
      false,
    );
    const scheduled = await dialog.getByLabel('Scheduled at').inputValue();
    // The value is a wall time in the viewer's zone: let the browser read it.
    const minutesAhead = await page.evaluate(
      (value) => (new Date(value).getTime() - Date.now()) / 60_000,
      scheduled,
    );
    expect(minutesAhead).toBeGreaterThan(54);
    expect(minutesAhead).toBeLessThan(66);
    expect(Number(scheduled.slice(-2)) % 5).toBe(0);

    // The agents come from the API: active ones only.
    await dialog.getByRole('combobox', { name: 'Agent' }).click();
    const agentOptions = await page.getByRole('option').allTextContents();
    expect(agentOptions[0]).toBe('Inherit from source');
    expect(agentOptions.length).toBeGreaterThan(1);
    await page.keyboard.press('Escape');
    expect(await dialog.isVisible()).toBe(true);

    // The live hint speaks of the contact's local time and the calling window.
    const hint = dialog.getByTestId('schedule-hint');
    await expect
      .poll(() => hint.textContent())
      .toMatch(/Contact's local time: .+America\/New_York/);
    await expect.poll(() => hint.textContent()).toMatch(/calling window/);

    await dialog.getByRole('checkbox', { name: 'Allow out-of-window (customer override)' }).check();
    await expect.poll(() => hint.textContent()).toMatch(/Inside the calling window|override/);
    await dialog.getByLabel('Notes').fill('Customer asked for an evening call.');

    // Hold the request until the saving state has been seen.
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    await page.route('**/api/follow-ups', async (route) => {
      if (route.request().method() === 'POST') await held;
      await route.continue();
    });
    await dialog.getByRole('button', { name: 'Schedule' }).click();
    const saving = dialog.getByRole('button', { name: 'Scheduling…' });
    await saving.waitFor();
    expect(await saving.isDisabled()).toBe(true);
    release();
    await dialog.waitFor({ state: 'hidden' });
    await page.unroute('**/api/follow-ups');
    await page.getByText('Follow-up scheduled').first().waitFor();

    // The card lists the new row.
    const row = followUpsCard().locator('tbody tr');
    await expect.poll(() => row.count()).toBe(1);
    const cells = await row.first().locator('td').allInnerTexts();
    expect(cells[0]).toContain('Scheduled');
    expect(cells[0]).toContain('out-of-window');
    expect(cells[1]).toBe('Call');
    expect(cells[3]).toBe('Inherit from source');
    expect(cells[4]).toBe('—');
    expect(cells[5]).toBe('0 / 3');
    expect(cells[6]).toBe('Manual');
    expect(cells[7]).toBe('View');
    const headers = await followUpsCard().getByRole('columnheader').allTextContents();
    expect(headers).toEqual(CARD_HEADERS);

    // Hovering the time shows the contact's local time.
    await row.first().locator('td').nth(2).getByRole('button').hover();
    await expect
      .poll(() => page.getByRole('tooltip').first().textContent())
      .toMatch(/Contact's local time: .+(EST|EDT)/);
    await page.mouse.move(0, 0);
    await screenshot(page, 'contact-after-schedule');

    // "View all": the global list filtered to this contact, the contact chosen in the filter.
    await viewAll.click();
    await page.waitForURL(`${base}/follow-ups?contactId=${contact.id}`);
    await expect.poll(() => page.getByTestId('contact-filter').textContent()).toBe(contact.name);
    const listRows = page.locator('tbody tr');
    await expect.poll(() => listRows.count()).toBe(1);
    expect(await listRows.first().getByRole('link', { name: contact.name }).count()).toBe(1);

    // Reload keeps the filter.
    await page.reload();
    await expect.poll(() => page.getByTestId('contact-filter').textContent()).toBe(contact.name);
    await expect.poll(() => listRows.count()).toBe(1);

    // "View" opens the follow-up's page.
    await listRows.first().getByRole('link', { name: 'View' }).click();
    await page.waitForURL(/\/follow-ups\/[0-9a-f-]{36}$/);
    await page.getByRole('heading', { name: `Call for ${contact.name}`, level: 1 }).waitFor();
    const actions = page.getByTestId('follow-up-actions');
    expect(await actions.getByRole('button').allTextContents()).toEqual([
      'Reschedule',
      'Snooze',
      'Cancel',
    ]);
    await page.getByText('Customer asked for an evening call.').waitFor();
    await page.getByRole('list', { name: 'Timeline' }).getByText('Created').waitFor();
    expect(await page.getByTestId('detail-scheduled').textContent()).toMatch(
      /Contact's time: .+(EST|EDT)/,
    );

    // Back and forward keep each screen.
    await page.goBack();
    await page.waitForURL(`${base}/follow-ups?contactId=${contact.id}`);
    await page.goForward();
    await page.getByRole('heading', { name: `Call for ${contact.name}`, level: 1 }).waitFor();
  });

  it('names Florida’s rule in the schedule hint for a contact who may be in Florida', async () => {
    // One says it lives in Florida; the other has a Miami area code (305) and says nothing.
    const stated = await createContact(api, {
      firstName: 'Flora',
      lastName: 'Stated',
      timezone: 'America/New_York',
      region: 'US-FL',
    });
    const byPhone = await createContact(api, {
      firstName: 'Miles',
      lastName: 'Areacode',
      areaCode: '305',
    });
    for (const [contact, why] of [
      [stated, 'applies by the contact’s region'],
      [byPhone, 'applies by the phone’s area code 305'],
    ] as const) {
      await page.goto(`${base}/contacts/${contact.id}`);
      await page.getByRole('heading', { name: contact.name, level: 1 }).waitFor();
      const dialog = await openScheduleDialog();
      const florida = dialog
        .getByTestId('schedule-hint')
        .getByRole('list', { name: 'Calling rules' })
        .locator('li[data-code="state_hours"]');
      await expect
        .poll(() => florida.textContent())
        .toContain('Florida: 08:00–20:00 every day (Fla. Stat. 501.616(6)(a)–(b))');
      expect(await florida.textContent()).toContain(why);
      // The federal bound is named too, with its source.
      expect(
        await dialog.getByTestId('schedule-hint').locator('li[data-code="federal"]').textContent(),
      ).toContain('47 CFR 64.1200(c)(1)');
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'hidden' });
    }
  });

  it('keeps the dialog open with every value when a submission is refused', async () => {
    const contact = await createContact(api, { firstName: 'Rosa', lastName: 'Refused' });
    await page.goto(`${base}/contacts/${contact.id}`);
    const dialog = await openScheduleDialog();

    // Max attempts 11: the shared contract refuses it before anything is sent.
    await dialog.getByLabel('Max attempts').fill('11');
    await dialog.getByLabel('Notes').fill('Keep this note');
    await dialog.getByRole('button', { name: 'Schedule' }).click();
    await dialog.getByText('Max attempts can be at most 10.').waitFor();
    expect(await dialog.getByLabel('Max attempts').getAttribute('aria-invalid')).toBe('true');

    // More than a year ahead: the server refuses it (400) and says why, next to the field.
    await dialog.getByLabel('Max attempts').fill('5');
    const farAhead = new Date(Date.now() + 400 * 24 * 60 * 60_000);
    const pad = (n: number) => String(n).padStart(2, '0');
    const local = `${farAhead.getFullYear()}-${pad(farAhead.getMonth() + 1)}-${pad(farAhead.getDate())}T10:30`;
    await dialog.getByLabel('Scheduled at').fill(local);
    const responded = page.waitForResponse(
      (r) => r.url().endsWith('/api/follow-ups') && r.request().method() === 'POST',
    );
    await dialog.getByRole('button', { name: 'Schedule' }).click();
    expect((await responded).status()).toBe(400);
    await dialog.getByText(/more than 365 days ahead/).waitFor();
    await expect
      .poll(() => dialog.getByTestId('schedule-hint').textContent())
      .toContain(String(farAhead.getFullYear()));
    expect(await dialog.isVisible()).toBe(true);
    expect(await dialog.getByLabel('Scheduled at').inputValue()).toBe(local);
    expect(await dialog.getByLabel('Max attempts').inputValue()).toBe('5');
    expect(await dialog.getByLabel('Notes').inputValue()).toBe('Keep this note');
    expect(await dialog.getByRole('button', { name: 'Schedule' }).isEnabled()).toBe(true);
    await screenshot(page, 'dialog-refused');

    // Nothing was created; Escape closes the dialog.
    const list = await api.get<{ items: unknown[] }>(`/follow-ups?contactId=${contact.id}`);
    expect(list.items).toHaveLength(0);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await followUpsCard().getByText('No follow-ups scheduled for this contact.').waitFor();
  });

  it('warns about a Do Not Call contact and offers only a webhook', async () => {
    const contact = await createContact(api, { firstName: 'Dana', lastName: 'Nocall' });
    await api.post('/dnc', { phone: contact.phone, reason: 'Asked not to be called' });
    await page.goto(`${base}/contacts/${contact.id}`);
    await page.getByTestId('dnc-badge').waitFor();
    expect(await page.getByTestId('dnc-badge').textContent()).toBe('Do Not Call');
    await page.getByRole('button', { name: 'Remove from DNC' }).waitFor();

    const dialog = await openScheduleDialog();
    await dialog.getByTestId('dnc-warning').waitFor();
    expect(await dialog.getByTestId('dnc-warning').textContent()).toContain(
      'Calls and SMS cannot be scheduled',
    );
    expect(await dialog.getByRole('combobox', { name: 'Type' }).textContent()).toBe('Webhook');
    await dialog.getByRole('combobox', { name: 'Type' }).click();
    expect(await page.getByRole('option', { name: 'Call' }).getAttribute('aria-disabled')).toBe(
      'true',
    );
    expect(await page.getByRole('option', { name: 'SMS' }).getAttribute('aria-disabled')).toBe(
      'true',
    );
    await page.keyboard.press('Escape');
    await screenshot(page, 'dialog-do-not-call');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });

    // The zone comes from the phone number (Chicago area code): "(inferred)".
    expect(await page.getByTestId('contact-local-time').textContent()).toMatch(
      /America\/Chicago \(inferred\)$/,
    );

    // "Remove from DNC" asks first, then lifts the listing.
    await page.getByRole('button', { name: 'Remove from DNC' }).click();
    const confirm = page.getByRole('dialog', { name: 'Remove from the Do Not Call list?' });
    await confirm.getByRole('button', { name: 'Remove from DNC' }).click();
    await confirm.waitFor({ state: 'hidden' });
    await page.getByRole('button', { name: 'Add to DNC' }).waitFor();
    expect(await page.getByTestId('dnc-badge').count()).toBe(0);
  });

  it('cancels several follow-ups at once and says which could not be cancelled, and why', async () => {
    const contact = await createContact(api, { firstName: 'Bulk', lastName: 'Bergstrom' });
    const soon = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();
    const first = await api.post<{ id: string }>('/follow-ups', {
      contactId: contact.id,
      scheduledAt: soon(120),
      allowOutOfWindow: true,
    });
    const second = await api.post<{ id: string }>('/follow-ups', {
      contactId: contact.id,
      type: 'sms',
      scheduledAt: soon(180),
      allowOutOfWindow: true,
    });
    await api.post(`/follow-ups/${second.id}/cancel`, {});

    await page.goto(`${base}/follow-ups?contactId=${contact.id}`);
    const rows = page.locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(2);
    await page.getByRole('checkbox', { name: 'Select all shown follow-ups' }).check();
    await page
      .getByRole('toolbar', { name: 'Selected follow-ups' })
      .getByText('2 selected')
      .waitFor();
    await page
      .getByRole('toolbar', { name: 'Selected follow-ups' })
      .getByRole('button', { name: 'Cancel' })
      .click();
    const confirm = page.getByRole('dialog', { name: 'Cancel 2 follow-ups?' });
    await confirm.getByRole('button', { name: 'Cancel 2 follow-ups' }).click();
    const result = page.getByTestId('bulk-result');
    await result.waitFor();
    const text = await result.textContent();
    expect(text).toContain('1 follow-up cancelled. 1 could not be cancelled:');
    expect(text).toContain(`SMS for ${contact.name}`);
    const detail = await api.get<{ status: string }>(`/follow-ups/${first.id}`);
    expect(detail.status).toBe('cancelled');
    await screenshot(page, 'follow-ups-bulk-result');
  });

  it('updates the rows while they change on the server, without a reload', async () => {
    const contact = await createContact(api, { firstName: 'Lively', lastName: 'Lindqvist' });
    const created = await api.post<{ id: string }>('/follow-ups', {
      contactId: contact.id,
      scheduledAt: new Date(Date.now() + 3 * 60 * 60_000).toISOString(),
      allowOutOfWindow: true,
    });
    await page.goto(`${base}/follow-ups?contactId=${contact.id}`);
    const status = page.locator(`tr[data-follow-up-id="${created.id}"] td`).nth(1);
    await expect.poll(() => status.textContent()).toContain('Scheduled');
    // Once the event stream is connected, change the row elsewhere.
    await waitForLiveUpdates(page);
    await api.post(`/follow-ups/${created.id}/cancel`, { reason: 'Changed elsewhere' });
    await expect.poll(() => status.textContent(), { timeout: 12_000 }).toContain('Cancelled');
  });

  it('offers on the follow-up page only what its status allows: snooze, resume, reschedule, cancel', async () => {
    const contact = await createContact(api, { firstName: 'Paige', lastName: 'Actions' });
    const created = await api.post<{ id: string }>('/follow-ups', {
      contactId: contact.id,
      type: 'sms',
      scheduledAt: new Date(Date.now() + 2 * 60 * 60_000).toISOString(),
      allowOutOfWindow: true,
      notes: 'Send the renewal link',
    });
    await page.goto(`${base}/follow-ups/${created.id}`);
    const actions = page.getByTestId('follow-up-actions');
    const heading = page.getByRole('heading', { level: 1 });
    await heading.waitFor();
    const statusText = () => page.locator('main header').first().textContent();

    // Snooze: pick until when.
    await actions.getByRole('button', { name: 'Snooze' }).click();
    const snooze = page.getByRole('dialog', { name: 'Snooze follow-up' });
    expect(await snooze.getByLabel('Snooze until').inputValue()).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    await snooze.getByRole('button', { name: 'Snooze' }).click();
    await snooze.waitFor({ state: 'hidden' });
    await expect.poll(statusText).toContain('Snoozed');
    await expect
      .poll(() => actions.getByRole('button').allTextContents())
      .toEqual(['Reschedule', 'Resume', 'Cancel']);

    // Resume: scheduled again.
    await actions.getByRole('button', { name: 'Resume' }).click();
    await expect
      .poll(() => actions.getByRole('button').allTextContents())
      .toEqual(['Reschedule', 'Snooze', 'Cancel']);

    // Reschedule: the dialog starts from the follow-up's values; only changes are sent.
    await actions.getByRole('button', { name: 'Reschedule' }).click();
    const edit = page.getByRole('dialog', { name: 'Reschedule follow-up' });
    await edit.waitFor();
    expect(await edit.getByRole('combobox', { name: 'Type' }).textContent()).toBe('SMS');
    expect(await edit.getByLabel('Notes').inputValue()).toBe('Send the renewal link');
    expect(await edit.getByRole('checkbox', { name: /Allow out-of-window/ }).isChecked()).toBe(
      true,
    );
    await edit.getByRole('combobox', { name: 'Priority' }).click();
    await page.getByRole('option', { name: 'Urgent' }).click();
    await edit.getByLabel('Max attempts').fill('4');
    await screenshot(page, 'dialog-reschedule');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await edit.waitFor({ state: 'hidden' });
    const details = page.getByRole('definition');
    await expect.poll(() => details.allTextContents()).toContain('Urgent');
    await expect.poll(() => details.allTextContents()).toContain('0 / 4');
    const timeline = page.getByRole('list', { name: 'Timeline' });
    for (const kind of ['Created', 'Snoozed', 'Resumed', 'Edited']) {
      await timeline.getByText(kind, { exact: true }).first().waitFor();
    }

    // Cancel asks first; "Keep it" changes nothing.
    await actions.getByRole('button', { name: 'Cancel' }).click();
    const confirm = page.getByRole('dialog', { name: 'Cancel this follow-up?' });
    await confirm.getByRole('button', { name: 'Keep it' }).click();
    await confirm.waitFor({ state: 'hidden' });
    expect(await statusText()).toContain('Scheduled');
    await actions.getByRole('button', { name: 'Cancel' }).click();
    await confirm.getByLabel('Reason (optional)').fill('Reached by email');
    await confirm.getByRole('button', { name: 'Cancel follow-up' }).click();
    await confirm.waitFor({ state: 'hidden' });
    await expect.poll(statusText).toContain('Cancelled');
    await expect.poll(() => actions.count()).toBe(0);
    await screenshot(page, 'follow-up-cancelled');
  });

  it('shows a helpful page for unknown addresses and missing records', async () => {
    await page.goto(`${base}/no-such-screen`);
    await page.getByRole('heading', { name: 'Page not found' }).waitFor();
    await page.goto(`${base}/contacts/01900000-0000-7000-8000-000000000000`);
    await page.getByRole('heading', { name: 'This contact was not found' }).waitFor();
    await page.getByRole('link', { name: 'All contacts' }).waitFor();
    await page.goto(`${base}/follow-ups/01900000-0000-7000-8000-000000000000`);
    await page.getByRole('heading', { name: 'This follow-up was not found' }).waitFor();
  });

  it('leads every sidebar link to a screen with its own heading', async () => {
    const screens: [string, string][] = [
      ['Dashboard', 'Dashboard'],
      ['Contacts', 'Contacts'],
      ['Follow-ups', 'Follow-ups'],
      ['Campaigns', 'Campaigns'],
      ['Agents', 'Agents'],
      ['Call logs', 'Call logs'],
      ['Do Not Call', 'Do Not Call'],
      ['Settings', 'Settings'],
    ];
    await page.goto(`${base}/`);
    for (const [link, heading] of screens) {
      await page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: link })
        .click();
      await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
    }
  });
});
