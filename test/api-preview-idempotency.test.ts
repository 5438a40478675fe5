import { count, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { Temporal } from 'temporal-polyfill';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CALLING_WINDOW } from '../src/core/calling-window.ts';
import { computeRunAt } from '../src/core/scheduling.ts';
import { FakeClock } from '../src/server/clock.ts';
import * as s from '../src/server/db/schema.ts';
import { buildApp } from '../src/server/http/app.ts';
import { newId } from '../src/server/ids.ts';
import { anonymous, type Client, signIn, withKey } from './helpers/client.ts';
import { testDatabases, useDatabase } from './helpers/databases.ts';
import { createTestWorkspace, type TestWorkspace } from './helpers/workspace.ts';

const NOW = '2026-03-02T14:00:00.000Z'; // Monday 09:00 in New York
const SATURDAY_10AM_NY = '2026-03-07T15:00:00.000Z';
// US daylight saving starts on Sunday 8 March: Monday 09:00 is then 13:00Z, not 14:00Z.
const MONDAY_9AM_NY = '2026-03-09T13:00:00.000Z';

describe('computeRunAt', () => {
  const base = {
    constraints: [{ policy: DEFAULT_CALLING_WINDOW, zone: 'America/New_York' }],
    type: 'call' as const,
    scheduledAt: Temporal.Instant.from(SATURDAY_10AM_NY),
    allowOutOfWindow: false,
    expiresAt: Temporal.Instant.from('2026-03-10T15:00:00Z'),
    doNotCall: false,
  };

  it('waits for the next window opening, across the DST change', () => {
    const result = computeRunAt(base);
    expect(result.insideWindow).toBe(false);
    expect(result.runsAt?.toString()).toBe('2026-03-09T13:00:00Z');
  });

  it('says why it will not run', () => {
    const closed = { ...DEFAULT_CALLING_WINDOW, weekly: { ...DEFAULT_CALLING_WINDOW.weekly } };
    for (const day of Object.keys(closed.weekly) as (keyof typeof closed.weekly)[]) {
      closed.weekly[day] = [];
    }
    expect(
      computeRunAt({ ...base, constraints: [{ policy: closed, zone: 'America/New_York' }] })
        .notRunningBecause,
    ).toBe('no_window');
    const early = Temporal.Instant.from('2026-03-09T12:00:00Z');
    expect(computeRunAt({ ...base, expiresAt: early })).toMatchObject({
      runsAt: null,
      notRunningBecause: 'expires_first',
    });
    expect(computeRunAt({ ...base, doNotCall: true, allowOutOfWindow: true })).toMatchObject({
      runsAt: null,
      notRunningBecause: 'do_not_call',
    });
  });
});

for (const target of testDatabases()) {
  describe(`scheduling preview and Idempotency-Key [${target.name}]`, () => {
    const ctx = useDatabase(target);
    const clock = new FakeClock(NOW);
    let app: FastifyInstance;
    let ws: TestWorkspace;
    let operator: Client;
    let viewer: Client;
    const db = () => ctx.handle.db;

    beforeAll(async () => {
      app = await buildApp({ handle: ctx.handle, logger: false, clock });
      ws = await createTestWorkspace(db());
      operator = await signIn(app, ws.users.operator.email);
      viewer = await signIn(app, ws.users.viewer.email);
    });
    afterAll(() => app.close());

    describe('POST /api/follow-ups/preview', () => {
      const preview = async (body: Record<string, unknown>, client = viewer) => {
        const res = await client.post('/api/follow-ups/preview', body);
        expect(res.statusCode, res.body).toBe(200);
        return res.json();
      };

      it('inside the window: runs at its time, in the contact’s local time', async () => {
        const at = '2026-03-02T15:00:00.000Z';
        expect(await preview({ contactId: ws.contacts.ny, scheduledAt: at })).toEqual({
          timezone: 'America/New_York',
          timezoneSource: 'contact',
          localTime: '2026-03-02T10:00:00-05:00',
          insideWindow: true,
          runsAt: at,
          runsAtLocal: '2026-03-02T10:00:00-05:00',
          notRunningBecause: null,
          expiresAt: '2026-03-05T15:00:00.000Z',
          doNotCall: false,
          rules: [
            {
              code: 'federal',
              message: 'Federal: 08:00–21:00 at the called party’s location',
              source: '47 CFR 64.1200(c)(1)',
            },
          ],
        });
      });

      it('names the state rule of a Florida contact and waits for its hours', async () => {
        const florida = await operator.post('/api/contacts', {
          phone: '+13055550142',
          timezone: 'America/New_York',
        });
        expect(florida.statusCode, florida.body).toBe(201);
        expect(florida.json()).toMatchObject({
          region: null,
          phoneRegion: { areaCode: '305', region: 'US-FL', timezone: 'America/New_York' },
        });
        // Monday 19:30 in Miami: outside the window, and the rules say which apply.
        const result = await preview({
          contactId: florida.json().id,
          scheduledAt: '2026-03-03T00:30:00.000Z',
        });
        expect(result.insideWindow).toBe(false);
        expect(result.rules).toContainEqual({
          code: 'state_hours',
          message:
            'Florida: 08:00–20:00 every day (Fla. Stat. 501.616(6)(a)–(b)); applies by the phone’s area code 305',
          source: 'Fla. Stat. 501.616(6)(a)–(b)',
        });
        // Stated in Texas too: both states' rules apply; 07:30 waits for 09:00.
        const stated = await operator.patch(`/api/contacts/${florida.json().id}`, {
          region: 'us-tx',
        });
        expect(stated.json().region).toBe('US-TX');
        const both = await preview({
          contactId: florida.json().id,
          scheduledAt: '2026-03-03T12:30:00.000Z',
          allowOutOfWindow: false,
        });
        expect(both.runsAtLocal).toBe('2026-03-03T09:00:00-05:00');
        expect(both.rules.map((r: { code: string }) => r.code)).toEqual([
          'federal',
          'state_hours',
          'state_hours',
          'frequency_cap',
        ]);
        expect(both.rules[1].message).toMatch(/^Texas: .*applies by the contact’s region$/);
        // Florida's limit on calls applies to a contact who may be there.
        expect(both.rules[3]).toEqual({
          code: 'frequency_cap',
          message: 'Frequency cap (Florida): 3 calls in 24 h (Fla. Stat. 501.616(6)(a)–(b))',
          source: 'Fla. Stat. 501.616(6)(a)–(b)',
        });
        const override = await preview({
          contactId: florida.json().id,
          scheduledAt: '2026-03-03T12:30:00.000Z',
          allowOutOfWindow: true,
        });
        expect(override.runsAt).toBe('2026-03-03T12:30:00.000Z');
        expect(override.rules[0]).toMatchObject({ code: 'override' });
        expect(override.rules[0].message).toContain('Texas');
        // The override does not lift the cap.
        expect(override.rules.at(-1)).toMatchObject({ code: 'frequency_cap' });
      });

      it('with everyZone, waits for calling time in the area code’s zone too', async () => {
        const admin = await signIn(app, ws.users.admin.email);
        // In New York, with a Los Angeles phone: 09:00 in New York is 06:00 there.
        const la = await operator.post('/api/contacts', {
          phone: '+12135550144',
          timezone: 'America/New_York',
        });
        const body = { contactId: la.json().id, scheduledAt: '2026-03-03T14:00:00.000Z' };
        expect((await preview(body)).runsAt).toBe(body.scheduledAt);
        const on = await admin.patch('/api/settings', { everyZone: true });
        expect(on.statusCode, on.body).toBe(200);
        expect(on.json()).toMatchObject({ everyZone: true, closedOnPublicHolidays: false });
        const result = await preview(body);
        expect(result.insideWindow).toBe(false);
        expect(result.runsAtLocal).toBe('2026-03-03T12:00:00-05:00'); // 09:00 in Los Angeles
        expect(result.rules.at(-1)).toMatchObject({
          code: 'every_zone',
          message: 'Also calling time in the area code’s zone America/Los_Angeles',
        });
        expect((await operator.patch('/api/settings', { everyZone: false })).statusCode).toBe(403);
        expect((await admin.patch('/api/settings', { everyZone: 'yes' })).statusCode).toBe(400);
        await admin.patch('/api/settings', { everyZone: false, closedOnPublicHolidays: true });
        // Labor Day 2026 (Monday 7 September) is a public holiday in the area code's region.
        const holiday = await preview({ ...body, scheduledAt: '2026-09-07T14:00:00.000Z' });
        expect(holiday.runsAtLocal).toBe('2026-09-08T09:00:00-04:00');
        expect(holiday.rules.map((r: { code: string }) => r.code)).toContain('public_holidays');
        await admin.patch('/api/settings', { closedOnPublicHolidays: false });
      });

      it('refuses a region that is not ISO 3166-2', async () => {
        const res = await operator.post('/api/contacts', {
          phone: '+13055550143',
          region: 'Florida',
        });
        expect(res.statusCode).toBe(400);
        expect(res.json().errors).toEqual([
          { path: 'region', message: 'Give an ISO 3166-2 region such as US-FL or CA-ON.' },
        ]);
      });

      it('on a Saturday: runs on Monday at 09:00 New York time', async () => {
        const result = await preview({ contactId: ws.contacts.ny, scheduledAt: SATURDAY_10AM_NY });
        expect(result).toMatchObject({
          localTime: '2026-03-07T10:00:00-05:00',
          insideWindow: false,
          runsAt: MONDAY_9AM_NY,
          runsAtLocal: '2026-03-09T09:00:00-04:00',
        });
      });

      it('after hours on a weekday: runs the next morning', async () => {
        const result = await preview({
          contactId: ws.contacts.ny,
          type: 'sms',
          scheduledAt: '2026-03-02T23:30:00Z',
        });
        expect(result).toMatchObject({
          localTime: '2026-03-02T18:30:00-05:00',
          insideWindow: false,
          runsAt: '2026-03-03T14:00:00.000Z',
        });
      });

      it('uses the London contact’s zone', async () => {
        const result = await preview({
          contactId: ws.contacts.london,
          scheduledAt: '2026-03-02T08:30:00Z',
        });
        expect(result).toMatchObject({
          timezone: 'Europe/London',
          timezoneSource: 'contact',
          localTime: '2026-03-02T08:30:00+00:00',
          insideWindow: false,
          runsAt: '2026-03-02T09:00:00.000Z',
        });
      });

      it('infers the zone from the phone when the contact has none', async () => {
        const result = await preview({ contactId: ws.contacts.noZone, scheduledAt: NOW });
        expect(result).toMatchObject({
          timezone: 'America/New_York',
          timezoneSource: 'phone',
          localTime: '2026-03-02T09:00:00-05:00',
          insideWindow: true,
        });
      });

      it('runs webhooks and overridden calls at their time', async () => {
        for (const body of [{ type: 'webhook' }, { type: 'call', allowOutOfWindow: true }]) {
          const result = await preview({
            contactId: ws.contacts.ny,
            scheduledAt: SATURDAY_10AM_NY,
            ...body,
          });
          expect(result).toMatchObject({ insideWindow: false, runsAt: SATURDAY_10AM_NY });
        }
      });

      it('never runs calls and SMS to a Do Not Call contact', async () => {
        for (const type of ['call', 'sms']) {
          const result = await preview({
            contactId: ws.contacts.dnc,
            type,
            scheduledAt: '2026-03-02T16:00:00Z',
            allowOutOfWindow: true,
          });
          expect(result).toMatchObject({
            timezone: 'America/Chicago',
            doNotCall: true,
            runsAt: null,
            notRunningBecause: 'do_not_call',
          });
        }
        const webhook = await preview({
          contactId: ws.contacts.dnc,
          type: 'webhook',
          scheduledAt: '2026-03-02T16:00:00Z',
        });
        expect(webhook).toMatchObject({ doNotCall: true, runsAt: '2026-03-02T16:00:00.000Z' });
      });

      it('uses the campaign’s calling window when it has one', async () => {
        const open = {
          ...DEFAULT_CALLING_WINDOW,
          weekly: {
            ...DEFAULT_CALLING_WINDOW.weekly,
            saturday: [{ start: '10:00', end: '14:00' }],
          },
        };
        await db()
          .update(s.campaigns)
          .set({ callingWindow: open })
          .where(eq(s.campaigns.id, ws.campaign));
        const body = { contactId: ws.contacts.ny, scheduledAt: SATURDAY_10AM_NY };
        expect(await preview({ ...body, campaignId: ws.campaign })).toMatchObject({
          insideWindow: true,
          runsAt: SATURDAY_10AM_NY,
        });
        expect(await preview(body)).toMatchObject({ runsAt: MONDAY_9AM_NY });
      });

      it('answers runsAt null when it would expire before the window opens', async () => {
        const short = await createTestWorkspace(db(), 'Short Expiry Co');
        await db()
          .update(s.workspaces)
          .set({ defaultExpiryHours: 24 })
          .where(eq(s.workspaces.id, short.id));
        const client = await signIn(app, short.users.viewer.email);
        const result = await preview(
          { contactId: short.contacts.ny, scheduledAt: SATURDAY_10AM_NY },
          client,
        );
        expect(result).toMatchObject({
          runsAt: null,
          notRunningBecause: 'expires_first',
          expiresAt: '2026-03-08T15:00:00.000Z',
        });
      });

      it('answers 422 for an unknown contact or campaign, 401 when not signed in', async () => {
        const other = await createTestWorkspace(db(), 'Other Co');
        for (const body of [
          { contactId: other.contacts.ny },
          { contactId: ws.contacts.ny, campaignId: other.campaign },
        ]) {
          const res = await viewer.post('/api/follow-ups/preview', { scheduledAt: NOW, ...body });
          expect(res.statusCode).toBe(422);
        }
        const bad = await viewer.post('/api/follow-ups/preview', {
          contactId: ws.contacts.ny,
          scheduledAt: 'soon',
        });
        expect(bad.statusCode).toBe(400);
        const anon = await anonymous(app).post('/api/follow-ups/preview', {
          contactId: ws.contacts.ny,
          scheduledAt: NOW,
        });
        expect(anon.statusCode).toBe(401);
      });
    });

    describe('Idempotency-Key on POST /api/follow-ups', () => {
      const countNotes = async (notes: string) =>
        (
          await db().select({ n: count() }).from(s.followUps).where(eq(s.followUps.notes, notes))
        )[0]!.n;
      const body = (notes: string) => ({
        contactId: ws.contacts.ny,
        scheduledAt: '2026-03-03T15:00:00Z',
        notes,
      });

      it('replays the first response for the same key and body', async () => {
        const notes = `replay-${newId()}`;
        const key = { 'idempotency-key': `key-${newId()}` };
        const first = await operator.post('/api/follow-ups', body(notes), key);
        expect(first.statusCode).toBe(201);
        // The same body with its keys in another order is the same request.
        const { contactId, scheduledAt } = body(notes);
        const again = await operator.post(
          '/api/follow-ups',
          { notes, scheduledAt, contactId },
          key,
        );
        expect(again.statusCode).toBe(201);
        expect(again.headers['idempotent-replayed']).toBe('true');
        expect(again.json()).toEqual(first.json());
        expect(await countNotes(notes)).toBe(1);
      });

      it('answers 422 for the same key with another body, and creates nothing', async () => {
        const notes = `mismatch-${newId()}`;
        const key = { 'idempotency-key': `key-${newId()}` };
        expect((await operator.post('/api/follow-ups', body(notes), key)).statusCode).toBe(201);
        const other = await operator.post(
          '/api/follow-ups',
          { ...body(notes), priority: 'urgent' },
          key,
        );
        expect(other.statusCode).toBe(422);
        expect(other.json().detail).toContain('different request body');
        expect(await countNotes(notes)).toBe(1);
      });

      it('keeps keys private to their sender', async () => {
        const notes = `senders-${newId()}`;
        const key = { 'idempotency-key': `key-${newId()}` };
        const a = await operator.post('/api/follow-ups', body(notes), key);
        const b = await withKey(app, ws.keys.operator).post('/api/follow-ups', body(notes), key);
        expect(a.statusCode).toBe(201);
        expect(b.statusCode).toBe(201);
        expect(b.json().id).not.toBe(a.json().id);
        expect(await countNotes(notes)).toBe(2);
      });

      it('creates exactly one follow-up for 20 concurrent requests with one key', async () => {
        const notes = `concurrent-${newId()}`;
        const key = { 'idempotency-key': `key-${newId()}` };
        const client = withKey(app, ws.keys.operator);
        const responses = await Promise.all(
          Array.from({ length: 20 }, () => client.post('/api/follow-ups', body(notes), key)),
        );
        expect(responses.map((r) => r.statusCode)).toEqual(Array(20).fill(201));
        expect(new Set(responses.map((r) => r.json().id)).size).toBe(1);
        expect(await countNotes(notes)).toBe(1);
      });

      it('lets a key be used again after its request failed', async () => {
        const notes = `failed-${newId()}`;
        const key = { 'idempotency-key': `key-${newId()}` };
        const refused = await operator.post(
          '/api/follow-ups',
          { ...body(notes), contactId: ws.contacts.dnc },
          key,
        );
        expect(refused.statusCode).toBe(422);
        const ok = await operator.post('/api/follow-ups', body(notes), key);
        expect(ok.statusCode).toBe(201);
        expect(ok.headers['idempotent-replayed']).toBeUndefined();
      });

      it('refuses an empty or overlong key with 400', async () => {
        for (const value of ['', 'k'.repeat(256)]) {
          const res = await operator.post('/api/follow-ups', body('bad-key'), {
            'idempotency-key': value,
          });
          expect(res.statusCode).toBe(400);
        }
        expect(await countNotes('bad-key')).toBe(0);
      });

      it('forgets a key after 24 hours', async () => {
        const later = new FakeClock(NOW);
        const app2 = await buildApp({ handle: ctx.handle, logger: false, clock: later });
        try {
          const client = withKey(app2, ws.keys.operator);
          const notes = `expiry-${newId()}`;
          const key = { 'idempotency-key': `key-${newId()}` };
          const first = await client.post('/api/follow-ups', body(notes), key);
          later.advance(23 * 3_600_000);
          const replay = await client.post('/api/follow-ups', body(notes), key);
          expect(replay.json().id).toBe(first.json().id);
          later.advance(3_600_000 + 1000);
          const fresh = await client.post('/api/follow-ups', body(notes), key);
          expect(fresh.statusCode).toBe(201);
          expect(fresh.json().id).not.toBe(first.json().id);
          expect(await countNotes(notes)).toBe(2);
        } finally {
          await app2.close();
        }
      });
    });
  });
}
