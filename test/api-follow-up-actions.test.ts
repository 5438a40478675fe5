import { asc, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../src/server/clock.ts';
import type { Database } from '../src/server/db/client.ts';
import * as s from '../src/server/db/schema.ts';
import { buildApp } from '../src/server/http/app.ts';
import { newId } from '../src/server/ids.ts';
import { anonymous, type Client, signIn, withKey } from './helpers/client.ts';
import { testDatabases, useDatabase } from './helpers/databases.ts';
import { createTestWorkspace, type TestWorkspace } from './helpers/workspace.ts';

const NOW = '2026-03-02T14:00:00.000Z';
const HOUR = 3_600_000;
const later = (ms: number) => new Date(Date.parse(NOW) + ms);
const TERMINAL = ['completed', 'failed', 'cancelled', 'expired'];
const STATUSES = [
  'scheduled',
  'queued',
  'in_progress',
  'completed',
  'failed',
  'cancelled',
  'expired',
  'snoozed',
] as const;
type Status = (typeof STATUSES)[number];

async function seed(db: Database, ws: TestWorkspace, o: Partial<typeof s.followUps.$inferInsert>) {
  const id = newId();
  const status = o.status ?? 'scheduled';
  const scheduledAt = o.scheduledAt ?? later(HOUR);
  await db.insert(s.followUps).values({
    id,
    workspaceId: ws.id,
    contactId: ws.contacts.ny,
    type: 'call',
    scheduledAt,
    source: 'manual',
    status,
    expiresAt: new Date(scheduledAt.getTime() + 72 * HOUR),
    completedAt: TERMINAL.includes(status) ? later(-HOUR) : null,
    snoozedUntil: status === 'snoozed' ? later(5 * HOUR) : null,
    ...o,
  });
  return id;
}

/** The row and its events, to prove that a refused action changed nothing. */
async function snapshot(db: Database, id: string) {
  const [row] = await db.select().from(s.followUps).where(eq(s.followUps.id, id));
  const events = await db
    .select()
    .from(s.followUpEvents)
    .where(eq(s.followUpEvents.followUpId, id))
    .orderBy(asc(s.followUpEvents.at), asc(s.followUpEvents.id));
  return { row, events };
}

for (const target of testDatabases()) {
  describe(`follow-up actions [${target.name}]`, () => {
    const ctx = useDatabase(target);
    const clock = new FakeClock(NOW);
    let app: FastifyInstance;
    let ws: TestWorkspace;
    let other: TestWorkspace;
    let operator: Client;
    const db = () => ctx.handle.db;
    const make = (status: Status, o: Partial<typeof s.followUps.$inferInsert> = {}) =>
      seed(db(), ws, { status, ...o });
    const lastEvent = async (id: string) => (await snapshot(db(), id)).events.at(-1)!;

    beforeAll(async () => {
      app = await buildApp({ handle: ctx.handle, logger: false, clock });
      ws = await createTestWorkspace(db());
      other = await createTestWorkspace(db(), 'Other Co');
      operator = await signIn(app, ws.users.operator.email);
    });
    afterAll(() => app.close());

    /** Every action from every status it does not allow: 409 naming the status, no change. */
    const refusals: [string, readonly Status[], unknown][] = [
      ['cancel', ['in_progress', 'completed', 'failed', 'cancelled', 'expired'], {}],
      [
        'snooze',
        ['in_progress', 'completed', 'failed', 'cancelled', 'expired', 'snoozed'],
        { until: later(2 * HOUR).toISOString() },
      ],
      ['resume', ['scheduled', 'queued', 'in_progress', 'completed', 'failed', 'expired'], {}],
      ['retry', ['scheduled', 'queued', 'in_progress', 'completed', 'cancelled', 'snoozed'], {}],
    ];
    for (const [action, statuses, body] of refusals) {
      it(`refuses ${action} from ${statuses.join(', ')} with 409 and changes nothing`, async () => {
        for (const status of statuses) {
          const id = await make(status);
          const before = await snapshot(db(), id);
          const res = await operator.post(`/api/follow-ups/${id}/${action}`, body);
          expect(res.statusCode, `${action} from ${status}`).toBe(409);
          expect(res.headers['content-type']).toContain('application/problem+json');
          const label = status === 'in_progress' ? 'in progress' : status;
          expect(res.json().detail).toContain(`This follow-up is ${label}:`);
          expect(await snapshot(db(), id)).toEqual(before);
        }
      });
    }

    it('refuses PATCH outside scheduled and snoozed with 409 and changes nothing', async () => {
      for (const status of ['queued', 'in_progress', 'completed', 'failed'] as const) {
        const id = await make(status);
        const before = await snapshot(db(), id);
        const res = await operator.patch(`/api/follow-ups/${id}`, { notes: 'Too late.' });
        expect(res.statusCode).toBe(409);
        expect(res.json().detail).toMatch(
          new RegExp(
            `^This follow-up is ${status.replace('_', ' ')}: it cannot be edited\\. ` +
              'Only scheduled or snoozed follow-ups can be edited\\.$',
          ),
        );
        expect(await snapshot(db(), id)).toEqual(before);
      }
    });

    it('cancels scheduled, queued and snoozed follow-ups', async () => {
      for (const status of ['scheduled', 'queued', 'snoozed'] as const) {
        const id = await make(status);
        const res = await operator.post(`/api/follow-ups/${id}/cancel`, {
          reason: 'Customer replied by email.',
        });
        expect(res.statusCode).toBe(200);
        expect(res.json()).toMatchObject({
          status: 'cancelled',
          completedAt: NOW,
          updatedAt: NOW,
          snoozedUntil: null,
        });
        expect(await lastEvent(id)).toMatchObject({
          kind: 'cancelled',
          actorType: 'user',
          actorId: ws.users.operator.id,
          data: { from: status, to: 'cancelled', reason: 'Customer replied by email.' },
        });
      }
      const id = await make('scheduled');
      const bare = await operator.request('POST', `/api/follow-ups/${id}/cancel`);
      expect(bare.statusCode).toBe(200);
    });

    it('snoozes scheduled and queued follow-ups, and resumes them', async () => {
      const until = later(6 * HOUR).toISOString();
      for (const status of ['scheduled', 'queued'] as const) {
        const id = await make(status);
        const res = await operator.post(`/api/follow-ups/${id}/snooze`, { until });
        expect(res.statusCode).toBe(200);
        expect(res.json()).toMatchObject({ status: 'snoozed', snoozedUntil: until });
        expect(await lastEvent(id)).toMatchObject({
          kind: 'snoozed',
          data: { from: status, to: 'snoozed', until },
        });
        const resumed = await operator.post(`/api/follow-ups/${id}/resume`);
        expect(resumed.statusCode).toBe(200);
        expect(resumed.json()).toMatchObject({ status: 'scheduled', snoozedUntil: null });
        expect(await lastEvent(id)).toMatchObject({
          kind: 'resumed',
          data: { from: 'snoozed', to: 'scheduled' },
        });
      }
    });

    it('checks the snooze time and keeps a long snooze from expiring the follow-up', async () => {
      const id = await make('scheduled');
      for (const until of [later(-60_000), later(0), later(366 * 24 * HOUR)]) {
        const res = await operator.post(`/api/follow-ups/${id}/snooze`, {
          until: until.toISOString(),
        });
        expect(res.statusCode).toBe(400);
        expect(res.json().errors[0].path).toBe('until');
      }
      expect((await operator.post(`/api/follow-ups/${id}/snooze`, {})).statusCode).toBe(400);
      // Expires 73 hours from now; snoozed for 5 days, it gets a new expiry 72 hours after.
      const until = later(5 * 24 * HOUR);
      const res = await operator.post(`/api/follow-ups/${id}/snooze`, {
        until: until.toISOString(),
      });
      expect(res.statusCode).toBe(200);
      expect(res.json().expiresAt).toBe(new Date(until.getTime() + 72 * HOUR).toISOString());
    });

    it('retries a failed follow-up whose attempts are used up with one more attempt', async () => {
      const id = await make('failed', {
        attempts: 3,
        maxAttempts: 3,
        lastError: 'No answer.',
        scheduledAt: later(-26 * HOUR),
        nextAttemptAt: later(-2 * HOUR),
      });
      const res = await operator.post(`/api/follow-ups/${id}/retry`);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({
        status: 'scheduled',
        attempts: 3,
        maxAttempts: 4,
        scheduledAt: NOW,
        nextAttemptAt: null,
        expiresAt: later(72 * HOUR).toISOString(),
        lastError: null,
        completedAt: null,
      });
      expect(await lastEvent(id)).toMatchObject({
        kind: 'retried',
        data: { from: 'failed', to: 'scheduled', maxAttempts: 4, previousError: 'No answer.' },
      });
    });

    it('retries an expired follow-up with attempts left without raising max attempts', async () => {
      const id = await make('expired', { attempts: 1, maxAttempts: 3 });
      const res = await operator.post(`/api/follow-ups/${id}/retry`);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ status: 'scheduled', attempts: 1, maxAttempts: 3 });
    });

    it('refuses to retry past 10 attempts or a Do Not Call contact’s call (422)', async () => {
      const spent = await make('failed', { attempts: 10, maxAttempts: 10 });
      const blocked = await make('failed', { contactId: ws.contacts.dnc, type: 'sms' });
      for (const id of [spent, blocked]) {
        const before = await snapshot(db(), id);
        const res = await operator.post(`/api/follow-ups/${id}/retry`);
        expect(res.statusCode).toBe(422);
        expect(await snapshot(db(), id)).toEqual(before);
      }
      const webhook = await make('failed', { contactId: ws.contacts.dnc, type: 'webhook' });
      expect((await operator.post(`/api/follow-ups/${webhook}/retry`)).statusCode).toBe(200);
    });

    it('reschedules: a new time clears the deferral and renews the expiry', async () => {
      const id = await make('scheduled', {
        scheduledAt: later(HOUR),
        nextAttemptAt: later(20 * HOUR),
      });
      const at = later(30 * HOUR).toISOString();
      const res = await operator.patch(`/api/follow-ups/${id}`, {
        scheduledAt: at,
        priority: 'high',
      });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({
        status: 'scheduled',
        scheduledAt: at,
        priority: 'high',
        nextAttemptAt: null,
        expiresAt: later(102 * HOUR).toISOString(),
      });
      expect(await lastEvent(id)).toMatchObject({
        kind: 'rescheduled',
        data: {
          from: 'scheduled',
          to: 'scheduled',
          changes: {
            scheduledAt: { from: later(HOUR).toISOString(), to: at },
            priority: { from: 'normal', to: 'high' },
          },
        },
      });
    });

    it('edits without a new time as `updated`, and a snoozed one becomes scheduled', async () => {
      const id = await make('snoozed', { nextAttemptAt: later(20 * HOUR) });
      const res = await operator.patch(`/api/follow-ups/${id}`, {
        agentId: ws.agents.active,
        maxAttempts: 5,
        notes: 'Ask for Nora.',
        scheduledAt: later(HOUR).toISOString(), // unchanged
      });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({
        status: 'scheduled',
        snoozedUntil: null,
        agent: { id: ws.agents.active, name: 'Ben' },
        maxAttempts: 5,
        notes: 'Ask for Nora.',
        nextAttemptAt: later(20 * HOUR).toISOString(),
      });
      const event = await lastEvent(id);
      expect(event).toMatchObject({ kind: 'updated', data: { from: 'snoozed', to: 'scheduled' } });
      expect(Object.keys(event.data.changes as object).sort()).toEqual([
        'agentId',
        'maxAttempts',
        'notes',
      ]);
      const inherit = await operator.patch(`/api/follow-ups/${id}`, { agentId: null, notes: null });
      expect(inherit.json()).toMatchObject({ agentId: null, agent: null, notes: null });
    });

    it('lifts a window deferral when the override is checked before any attempt', async () => {
      const id = await make('scheduled', { nextAttemptAt: later(20 * HOUR) });
      const res = await operator.patch(`/api/follow-ups/${id}`, { allowOutOfWindow: true });
      expect(res.json()).toMatchObject({ allowOutOfWindow: true, nextAttemptAt: null });
    });

    it('refuses bad edits and changes nothing', async () => {
      const id = await make('scheduled', { attempts: 2, maxAttempts: 3 });
      const before = await snapshot(db(), id);
      const cases: [unknown, number, string][] = [
        [{}, 400, ''],
        [{ type: 'sms' }, 400, 'type'],
        [{ status: 'completed' }, 400, 'status'],
        [{ maxAttempts: 11 }, 400, 'maxAttempts'],
        [{ scheduledAt: later(-HOUR).toISOString() }, 400, 'scheduledAt'],
        [{ maxAttempts: 2 }, 422, 'maxAttempts'],
        [{ agentId: ws.agents.inactive }, 422, 'agentId'],
        [{ agentId: other.agents.active }, 422, 'agentId'],
      ];
      for (const [body, status, path] of cases) {
        const res = await operator.patch(`/api/follow-ups/${id}`, body);
        expect(res.statusCode, JSON.stringify(body)).toBe(status);
        expect(res.json().errors.map((e: { path: string }) => e.path)).toContain(path);
      }
      expect(await snapshot(db(), id)).toEqual(before);
      // The count and its noun agree, in the words the operator reads.
      const used = await operator.patch(`/api/follow-ups/${id}`, { maxAttempts: 2 });
      expect(used.json().detail).toContain('has already used 2 attempts:');
      const once = await make('scheduled', { attempts: 1, maxAttempts: 3 });
      const one = await operator.patch(`/api/follow-ups/${once}`, { maxAttempts: 1 });
      expect(one.json().detail).toContain('has already used 1 attempt:');
    });

    it('answers 404 for a foreign follow-up on every route, changing nothing', async () => {
      const theirs = await seed(db(), other, { status: 'snoozed' });
      const failed = await seed(db(), other, { status: 'failed' });
      const before = [await snapshot(db(), theirs), await snapshot(db(), failed)];
      const calls: [string, string, unknown][] = [
        ['GET', `/api/follow-ups/${theirs}`, undefined],
        ['PATCH', `/api/follow-ups/${theirs}`, { notes: 'Mine now.' }],
        ['POST', `/api/follow-ups/${theirs}/cancel`, {}],
        ['POST', `/api/follow-ups/${theirs}/snooze`, { until: later(HOUR).toISOString() }],
        ['POST', `/api/follow-ups/${theirs}/resume`, {}],
        ['POST', `/api/follow-ups/${failed}/retry`, {}],
        ['POST', `/api/follow-ups/${newId()}/cancel`, {}],
      ];
      for (const [method, url, body] of calls) {
        const res = await operator.request(method as 'GET', url, body);
        expect(res.statusCode, `${method} ${url}`).toBe(404);
        expect(res.json().detail).toBe('No follow-up with this id in your workspace.');
      }
      expect([await snapshot(db(), theirs), await snapshot(db(), failed)]).toEqual(before);
    });

    it('lets viewers read but not act; anonymous callers get 401', async () => {
      const id = await make('scheduled');
      const before = await snapshot(db(), id);
      const viewer = await signIn(app, ws.users.viewer.email);
      const viewerKey = withKey(app, ws.keys.viewer);
      for (const client of [viewer, viewerKey]) {
        expect((await client.get(`/api/follow-ups/${id}`)).statusCode).toBe(200);
        expect((await client.patch(`/api/follow-ups/${id}`, { notes: 'x' })).statusCode).toBe(403);
        for (const action of ['cancel', 'resume', 'retry']) {
          expect((await client.post(`/api/follow-ups/${id}/${action}`)).statusCode).toBe(403);
        }
        const snooze = await client.post(`/api/follow-ups/${id}/snooze`, {
          until: later(HOUR).toISOString(),
        });
        expect(snooze.statusCode).toBe(403);
      }
      const anon = anonymous(app);
      expect((await anon.get(`/api/follow-ups/${id}`)).statusCode).toBe(401);
      expect((await anon.post(`/api/follow-ups/${id}/cancel`)).statusCode).toBe(401);
      expect(await snapshot(db(), id)).toEqual(before);
      const key = withKey(app, ws.keys.operator);
      const cancelled = await key.post(`/api/follow-ups/${id}/cancel`);
      expect(cancelled.statusCode).toBe(200);
      expect(await lastEvent(id)).toMatchObject({ actorType: 'api_key', kind: 'cancelled' });
    });
  });
}
