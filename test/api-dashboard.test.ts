/**
 * GET /api/dashboard (SPEC §7, route /): counts per status, "Needs attention", the next 24 hours
 * and call outcomes per day in the workspace's time zone, for any role, never counting another
 * workspace's rows.
 */
import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CALL_OUTCOMES, type CallOutcome } from '../src/core/results.ts';
import { FakeClock } from '../src/server/clock.ts';
import type { Database } from '../src/server/db/client.ts';
import * as s from '../src/server/db/schema.ts';
import { buildApp } from '../src/server/http/app.ts';
import { newId } from '../src/server/ids.ts';
import { lastDays } from '../src/server/services/dashboard.service.ts';
import { anonymous, signIn, withKey } from './helpers/client.ts';
import { testDatabases, useDatabase } from './helpers/databases.ts';
import { insertFollowUp } from './helpers/fixtures.ts';
import { createTestWorkspace, type TestWorkspace } from './helpers/workspace.ts';

// Sunday 8 March 2026, 10:00 in New York: clocks went forward at 02:00 that night.
const NOW = '2026-03-08T14:00:00.000Z';
const HOUR = 3_600_000;
const at = (ms: number) => new Date(Date.parse(NOW) + ms);

async function insertCall(
  db: Database,
  ws: TestWorkspace,
  startedAt: string,
  outcome: CallOutcome,
) {
  await db.insert(s.callLogs).values({
    id: newId(),
    workspaceId: ws.id,
    contactId: ws.contacts.london,
    agentId: ws.agents.default,
    direction: 'outbound',
    outcome,
    startedAt: new Date(startedAt),
    durationSeconds: 30,
  });
}

const noOutcomes = () =>
  Object.fromEntries(CALL_OUTCOMES.map((o) => [o, 0])) as Record<CallOutcome, number>;

describe('lastDays', () => {
  it('gives calendar days in the zone, across a daylight-saving change', () => {
    const { days, from, to } = lastDays(new Date(NOW), 'America/New_York', 14);
    expect(days).toHaveLength(14);
    expect(days[0]).toBe('2026-02-23');
    expect(days[13]).toBe('2026-03-08');
    expect(from.toISOString()).toBe('2026-02-23T05:00:00.000Z'); // midnight EST
    expect(to.toISOString()).toBe('2026-03-09T04:00:00.000Z'); // midnight EDT
  });
});

for (const target of testDatabases()) {
  describe(`GET /api/dashboard [${target.name}]`, () => {
    const ctx = useDatabase(target);
    const clock = new FakeClock(NOW);
    let app: FastifyInstance;
    let ws: TestWorkspace;
    let other: TestWorkspace;
    const ids = {} as Record<string, string>;

    beforeAll(async () => {
      const db = ctx.handle.db;
      app = await buildApp({ handle: ctx.handle, logger: false, clock });
      ws = await createTestWorkspace(db, 'Dashboard Co');
      other = await createTestWorkspace(db, 'Other Co');
      // The helper's call happened "an hour ago" on the real clock: start from no calls.
      await db.delete(s.callLogs).where(eq(s.callLogs.workspaceId, ws.id));
      const now = new Date(NOW);
      const add = (o: Parameters<typeof insertFollowUp>[2]) => insertFollowUp(db, ws, o, now);

      // Open: due in 2 h, due in 30 min, queued (due already), snoozed until 5 h from now,
      // in 30 h (too late), in progress (running: not "next").
      ids.in2h = await add({ scheduledAt: at(2 * HOUR) });
      ids.in30m = await add({ scheduledAt: at(HOUR / 2), type: 'sms' });
      ids.queued = await add({ status: 'queued', scheduledAt: at(-HOUR) });
      ids.snoozed = await add({ status: 'snoozed', scheduledAt: at(-2 * HOUR) });
      ids.deferred = await add({ scheduledAt: at(-3 * HOUR), nextAttemptAt: at(3 * HOUR) });
      ids.in30h = await add({ scheduledAt: at(30 * HOUR) });
      ids.running = await add({ status: 'in_progress', attempts: 1, scheduledAt: at(-HOUR) });
      // Finished: failed and expired at different times, completed, cancelled.
      ids.failedOld = await add({
        status: 'failed',
        scheduledAt: at(-50 * HOUR),
        completedAt: at(-48 * HOUR),
        lastError: 'No answer after 3 attempts.',
      });
      ids.expiredNew = await add({
        status: 'expired',
        scheduledAt: at(-80 * HOUR),
        completedAt: at(-HOUR),
      });
      ids.failedMid = await add({
        status: 'failed',
        scheduledAt: at(-10 * HOUR),
        completedAt: at(-5 * HOUR),
      });
      await add({ status: 'completed', attempts: 1, scheduledAt: at(-4 * HOUR) });
      await add({ status: 'cancelled', scheduledAt: at(-4 * HOUR) });
      await add({ status: 'cancelled', scheduledAt: at(-4 * HOUR) });

      // Calls, in New York time.
      await insertCall(db, ws, '2026-03-08T13:00:00Z', 'answered'); // Mar 8, 09:00 EDT
      await insertCall(db, ws, '2026-03-08T05:30:00Z', 'answered'); // Mar 8, 00:30 EST
      await insertCall(db, ws, '2026-03-08T04:30:00Z', 'no_answer'); // Mar 7, 23:30 EST
      await insertCall(db, ws, '2026-03-07T16:00:00Z', 'voicemail'); // Mar 7
      await insertCall(db, ws, '2026-03-07T17:00:00Z', 'voicemail'); // Mar 7
      await insertCall(db, ws, '2026-02-23T05:00:00Z', 'busy'); // Feb 23, 00:00 EST: first day
      await insertCall(db, ws, '2026-02-23T04:59:59Z', 'busy'); // Feb 22: too old
      await insertCall(db, ws, '2026-03-09T04:00:00Z', 'answered'); // Mar 9: not yet

      // Another workspace's rows: never counted.
      for (const status of ['failed', 'scheduled', 'queued', 'expired'] as const) {
        await insertFollowUp(db, other, { status, scheduledAt: at(HOUR) }, now);
      }
      await insertCall(db, other, '2026-03-08T13:00:00Z', 'answered');
      await insertCall(db, other, '2026-03-07T13:00:00Z', 'do_not_call');
    });
    afterAll(() => app.close());

    it('answers every role, signed in or with an API key, and nobody signed out', async () => {
      expect((await anonymous(app).get('/api/dashboard')).statusCode).toBe(401);
      const viewer = await signIn(app, ws.users.viewer.email);
      expect((await viewer.get('/api/dashboard')).statusCode).toBe(200);
      expect((await withKey(app, ws.keys.viewer).get('/api/dashboard')).statusCode).toBe(200);
    });

    it('counts follow-ups per status, only of the workspace', async () => {
      const body = (await withKey(app, ws.keys.viewer).get('/api/dashboard')).json();
      expect(body.timezone).toBe('America/New_York');
      expect(body.generatedAt).toBe(NOW);
      expect(body.countsByStatus).toEqual({
        scheduled: 4,
        queued: 1,
        in_progress: 1,
        completed: 1,
        failed: 2,
        cancelled: 2,
        expired: 1,
        snoozed: 1,
      });
    });

    it('lists failed and expired follow-ups, latest first, as follow-up JSON', async () => {
      const body = (await withKey(app, ws.keys.viewer).get('/api/dashboard')).json();
      expect(body.needsAttention.map((f: { id: string }) => f.id)).toEqual([
        ids.expiredNew,
        ids.failedMid,
        ids.failedOld,
      ]);
      // The same JSON as GET /api/follow-ups/:id (without the detail's extras).
      const detail = (
        await withKey(app, ws.keys.viewer).get(`/api/follow-ups/${ids.failedOld}`)
      ).json();
      const { events, attemptHistory, allowedActions, waiting, contact, ...fields } = detail;
      expect(body.needsAttention[2]).toEqual({
        ...fields,
        contact: { id: contact.id, name: contact.name },
      });
      expect(body.needsAttention[2]).toMatchObject({
        status: 'failed',
        lastError: 'No answer after 3 attempts.',
        contact: { id: ws.contacts.ny, name: 'Nora York' },
      });
    });

    it('lists what is due before now + 24 h, soonest first, due ones first', async () => {
      const body = (await withKey(app, ws.keys.viewer).get('/api/dashboard')).json();
      // queued (due 1 h ago), in 30 min, in 2 h, deferred to 3 h, snoozed until 5 h.
      expect(body.next24h.map((f: { id: string }) => f.id)).toEqual([
        ids.queued,
        ids.in30m,
        ids.in2h,
        ids.deferred,
        ids.snoozed,
      ]);
      expect(body.next24h[1]).toMatchObject({ type: 'sms', status: 'scheduled' });
    });

    it('counts call outcomes per local day for the last 14 days, zeros included', async () => {
      const body = (await withKey(app, ws.keys.viewer).get('/api/dashboard')).json();
      const days = body.outcomesByDay as { day: string; counts: Record<CallOutcome, number> }[];
      expect(days.map((d) => d.day)).toEqual(lastDays(new Date(NOW), 'America/New_York', 14).days);
      const byDay = Object.fromEntries(days.map((d) => [d.day, d.counts]));
      expect(byDay['2026-03-08']).toEqual({ ...noOutcomes(), answered: 2 });
      expect(byDay['2026-03-07']).toEqual({ ...noOutcomes(), no_answer: 1, voicemail: 2 });
      expect(byDay['2026-02-23']).toEqual({ ...noOutcomes(), busy: 1 });
      expect(byDay['2026-03-01']).toEqual(noOutcomes());
      const total = days.reduce(
        (n, d) => n + Object.values(d.counts).reduce((a, b) => a + b, 0),
        0,
      );
      expect(total).toBe(6);
    });

    it('shows an empty workspace as zeros and empty lists', async () => {
      const empty = await createTestWorkspace(ctx.handle.db, 'Empty Co');
      await ctx.handle.db.delete(s.callLogs).where(eq(s.callLogs.workspaceId, empty.id));
      const body = (await withKey(app, empty.keys.viewer).get('/api/dashboard')).json();
      expect(Object.values(body.countsByStatus)).toEqual(Array(8).fill(0));
      expect(body.needsAttention).toEqual([]);
      expect(body.next24h).toEqual([]);
      expect(body.outcomesByDay).toHaveLength(14);
      expect(
        body.outcomesByDay.every((d: { counts: object }) =>
          Object.values(d.counts).every((n) => n === 0),
        ),
      ).toBe(true);
    });
  });
}
