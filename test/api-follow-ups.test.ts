import { asc, count, eq, sql } from 'drizzle-orm';
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

const NOW = '2026-03-02T14:00:00.000Z'; // Monday 09:00 in New York
const HOUR = 3_600_000;
const later = (ms: number) => new Date(Date.parse(NOW) + ms);
const TERMINAL = ['completed', 'failed', 'cancelled', 'expired'];

type FollowUpInsert = typeof s.followUps.$inferInsert;

/** A follow-up written straight to the database, in any status. */
async function seed(db: Database, ws: TestWorkspace, o: Partial<FollowUpInsert> = {}) {
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
    completedAt: TERMINAL.includes(status) ? (o.completedAt ?? later(0)) : null,
    snoozedUntil: status === 'snoozed' ? later(5 * HOUR) : null,
    ...o,
  });
  return id;
}

for (const target of testDatabases()) {
  describe(`follow-ups: create, list, detail [${target.name}]`, () => {
    const ctx = useDatabase(target);
    const clock = new FakeClock(NOW);
    let app: FastifyInstance;
    let ws: TestWorkspace;
    let other: TestWorkspace;
    let operator: Client;
    let viewer: Client;
    const db = () => ctx.handle.db;
    const countFor = async (contactId: string) =>
      (
        await db()
          .select({ n: count() })
          .from(s.followUps)
          .where(eq(s.followUps.contactId, contactId))
      )[0]!.n;

    beforeAll(async () => {
      app = await buildApp({ handle: ctx.handle, logger: false, clock });
      ws = await createTestWorkspace(db());
      other = await createTestWorkspace(db(), 'Other Co');
      operator = await signIn(app, ws.users.operator.email);
      viewer = await signIn(app, ws.users.viewer.email);
    });
    afterAll(() => app.close());

    describe('POST /api/follow-ups', () => {
      const at = later(HOUR).toISOString();

      it('fills the defaults, sets source manual and writes a created event', async () => {
        const res = await operator.post('/api/follow-ups', {
          contactId: ws.contacts.ny,
          scheduledAt: '2026-03-02T10:00:00-05:00',
        });
        expect(res.statusCode).toBe(201);
        const body = res.json();
        expect(body).toMatchObject({
          contactId: ws.contacts.ny,
          type: 'call',
          scheduledAt: '2026-03-02T15:00:00.000Z',
          agentId: null,
          priority: 'normal',
          maxAttempts: 3,
          attempts: 0,
          allowOutOfWindow: false,
          notes: null,
          campaignId: null,
          source: 'manual',
          status: 'scheduled',
          nextAttemptAt: null,
          snoozedUntil: null,
          expiresAt: '2026-03-05T15:00:00.000Z',
          lastError: null,
          completedAt: null,
          createdAt: NOW,
          contact: { id: ws.contacts.ny, name: 'Nora York' },
          agent: null,
          campaign: null,
          resolvedAgent: null,
          createdBy: { type: 'user', id: ws.users.operator.id, name: 'Operator User' },
          contactLocal: {
            timezone: 'America/New_York',
            timezoneSource: 'contact',
            scheduledAt: '2026-03-02T10:00:00-05:00',
            nextAttemptAt: null,
          },
        });
        const detail = (await viewer.get(`/api/follow-ups/${body.id}`)).json();
        expect(body).toEqual(asAnswered(detail));
        expect(detail.events).toHaveLength(1);
        expect(detail.events[0]).toMatchObject({
          kind: 'created',
          at: NOW,
          actor: { type: 'user', id: ws.users.operator.id, name: 'Operator User' },
          data: { to: 'scheduled', source: 'manual' },
        });
        expect(detail.attemptHistory).toEqual([]);
        expect(detail.allowedActions).toEqual(['edit', 'snooze', 'cancel']);
        expect(detail.contact).toEqual({ id: ws.contacts.ny, name: 'Nora York', doNotCall: false });
      });

      it('sets source api for an API key, and takes every field', async () => {
        const res = await withKey(app, ws.keys.operator).post('/api/follow-ups', {
          contactId: ws.contacts.london,
          type: 'sms',
          scheduledAt: at,
          agentId: ws.agents.active,
          priority: 'urgent',
          maxAttempts: 10,
          allowOutOfWindow: true,
          notes: '  Call about the renewal.  ',
          campaignId: ws.campaign,
        });
        expect(res.statusCode).toBe(201);
        expect(res.json()).toMatchObject({
          type: 'sms',
          source: 'api',
          priority: 'urgent',
          maxAttempts: 10,
          allowOutOfWindow: true,
          notes: 'Call about the renewal.',
          agent: { id: ws.agents.active, name: 'Ben' },
          campaign: { id: ws.campaign, name: 'Renewals' },
          createdBy: { type: 'api_key', name: 'operator' },
          contactLocal: { timezone: 'Europe/London', scheduledAt: '2026-03-02T15:00:00+00:00' },
        });
        // The answer is the follow-up exactly as it reads back.
        const { contact, ...created } = res.json();
        const detail = (await viewer.get(`/api/follow-ups/${created.id}`)).json();
        expect(detail.contact).toMatchObject(contact);
        expect(detail).toMatchObject(created);
      });

      const create = (patch: Record<string, unknown>, client = operator) =>
        client.post('/api/follow-ups', { contactId: ws.contacts.ny, scheduledAt: at, ...patch });
      const paths = (res: { json(): { errors: { path: string }[] } }) =>
        res.json().errors.map((e) => e.path);

      it('refuses invalid fields with 400 at the field, and creates nothing', async () => {
        const before = await countFor(ws.contacts.ny);
        const cases: [Record<string, unknown>, string][] = [
          [{ source: 'campaign' }, 'source'], // set by the server, never by the client
          [{ maxAttempts: 0 }, 'maxAttempts'],
          [{ maxAttempts: 11 }, 'maxAttempts'],
          [{ maxAttempts: 2.5 }, 'maxAttempts'],
          [{ priority: 'asap' }, 'priority'],
          [{ type: 'email' }, 'type'],
          [{ notes: 'x'.repeat(2001) }, 'notes'],
          [{ contactId: 'nope' }, 'contactId'],
          [{ scheduledAt: '2026-03-02T15:00:00' }, 'scheduledAt'], // no offset
        ];
        for (const [patch, path] of cases) {
          const res = await create(patch);
          expect(res.statusCode, JSON.stringify(patch)).toBe(400);
          expect(paths(res)).toContain(path);
        }
        expect((await create({ source: 'api' })).json().errors).toContainEqual({
          path: 'source',
          message: 'Unknown field: remove it.',
        });
        expect(await countFor(ws.contacts.ny)).toBe(before);
      });

      it('refuses times more than 5 minutes past or 365 days ahead, saying which', async () => {
        const past = await create({ scheduledAt: later(-10 * 60_000).toISOString() });
        expect(past.statusCode).toBe(400);
        expect(past.json().errors).toEqual([
          { path: 'scheduledAt', message: 'This time is more than 5 minutes in the past.' },
        ]);
        const ahead = await create({ scheduledAt: later(400 * 24 * HOUR).toISOString() });
        expect(ahead.statusCode).toBe(400);
        expect(ahead.json().errors).toEqual([
          { path: 'scheduledAt', message: 'This time is more than 365 days ahead.' },
        ]);
        const slightlyPast = await create({ scheduledAt: later(-4 * 60_000).toISOString() });
        expect(slightlyPast.statusCode).toBe(201);
      });

      it('answers 422 for what cannot be scheduled, and creates nothing', async () => {
        const before = await countFor(ws.contacts.ny);
        const archived = newId();
        await db()
          .insert(s.contacts)
          .values({
            id: archived,
            workspaceId: ws.id,
            firstName: 'Old',
            phone: '+12125550166',
            archivedAt: later(-HOUR),
          });
        const cases: [Record<string, unknown>, string, string][] = [
          [{ contactId: ws.contacts.dnc }, 'type', 'is on the Do Not Call list'],
          [{ contactId: ws.contacts.dnc, type: 'sms' }, 'type', 'is on the Do Not Call list'],
          [{ agentId: ws.agents.inactive }, 'agentId', 'Cleo is inactive'],
          [{ agentId: newId() }, 'agentId', 'No agent'],
          [{ agentId: other.agents.active }, 'agentId', 'No agent'],
          [{ contactId: newId() }, 'contactId', 'No contact'],
          [{ contactId: other.contacts.ny }, 'contactId', 'No contact'],
          [{ contactId: archived }, 'contactId', 'Old is archived'],
          [{ campaignId: newId() }, 'campaignId', 'No campaign'],
          [{ campaignId: other.campaign }, 'campaignId', 'No campaign'],
        ];
        for (const [patch, path, detail] of cases) {
          const res = await create(patch);
          expect(res.statusCode, JSON.stringify(patch)).toBe(422);
          expect(paths(res)).toEqual([path]);
          expect(res.json().detail).toContain(detail);
        }
        expect(await countFor(ws.contacts.ny)).toBe(before);
        expect(await countFor(ws.contacts.dnc)).toBe(0);
        expect(await countFor(other.contacts.ny)).toBe(0);
      });

      it('needs an active webhook endpoint for a webhook follow-up', async () => {
        const hooks = await createTestWorkspace(db(), 'Hooks Co');
        const op = await signIn(app, hooks.users.operator.email);
        const body = { contactId: hooks.contacts.dnc, type: 'webhook', scheduledAt: at };
        const none = await op.post('/api/follow-ups', body);
        expect(none.statusCode).toBe(422);
        expect(none.json().detail).toContain('webhook endpoint');
        const endpoint = {
          workspaceId: hooks.id,
          url: 'https://example.com/hook',
          secret: 'whsec_test',
        };
        await db()
          .insert(s.webhookEndpoints)
          .values({ id: newId(), ...endpoint, active: false });
        expect((await op.post('/api/follow-ups', body)).statusCode).toBe(422);
        await db()
          .insert(s.webhookEndpoints)
          .values({ id: newId(), ...endpoint });
        // Do Not Call stops calls and SMS, not webhooks.
        const ok = await op.post('/api/follow-ups', body);
        expect(ok.statusCode).toBe(201);
        expect(ok.json().type).toBe('webhook');
      });

      it('needs the operator role', async () => {
        expect((await create({}, viewer)).statusCode).toBe(403);
        expect((await create({}, withKey(app, ws.keys.viewer))).statusCode).toBe(403);
        expect((await create({}, anonymous(app))).statusCode).toBe(401);
        expect((await create({}, await signIn(app, ws.users.admin.email))).statusCode).toBe(201);
      });
    });

    describe('GET /api/follow-ups', () => {
      let list: TestWorkspace;
      let client: Client;
      const ids: Record<string, string> = {};

      beforeAll(async () => {
        list = await createTestWorkspace(db(), 'List Co');
        client = await signIn(app, list.users.viewer.email);
        const d = db();
        ids.a = await seed(d, list, { scheduledAt: later(1 * HOUR), type: 'call' });
        ids.b = await seed(d, list, {
          scheduledAt: later(2 * HOUR),
          type: 'sms',
          status: 'queued',
          priority: 'high',
          agentId: list.agents.active,
        });
        ids.c = await seed(d, list, {
          scheduledAt: later(3 * HOUR),
          type: 'webhook',
          status: 'failed',
          campaignId: list.campaign,
          source: 'campaign',
          contactId: list.contacts.london,
        });
        ids.d = await seed(d, list, {
          scheduledAt: later(4 * HOUR),
          status: 'snoozed',
          priority: 'urgent',
          source: 'api',
        });
        ids.e = await seed(d, list, { scheduledAt: later(5 * HOUR), status: 'completed' });
      });

      const get = async (query: string) => {
        const res = await client.get(`/api/follow-ups?${query}`);
        expect(res.statusCode, res.body).toBe(200);
        return res.json().items.map((f: { id: string }) => f.id) as string[];
      };

      it('lists by scheduledAt and applies every filter', async () => {
        const { a, b, c, d, e } = ids as Record<'a' | 'b' | 'c' | 'd' | 'e', string>;
        expect(await get('')).toEqual([a, b, c, d, e]);
        expect(await get(`contactId=${list.contacts.london}`)).toEqual([c]);
        expect(await get('status=queued')).toEqual([b]);
        expect(await get('status=scheduled,snoozed, failed')).toEqual([a, c, d]);
        expect(await get('type=sms')).toEqual([b]);
        expect(await get(`agentId=${list.agents.active}`)).toEqual([b]);
        expect(await get(`campaignId=${list.campaign}`)).toEqual([c]);
        expect(await get('priority=urgent')).toEqual([d]);
        expect(await get('priority=normal')).toEqual([a, c, e]);
        expect(await get('source=api')).toEqual([d]);
        expect(await get('source=campaign&type=webhook')).toEqual([c]);
        const from = encodeURIComponent(later(2 * HOUR).toISOString());
        const to = encodeURIComponent(later(4 * HOUR).toISOString());
        expect(await get(`scheduledFrom=${from}&scheduledTo=${to}`)).toEqual([b, c]);
        expect(await get(`scheduledFrom=${to}`)).toEqual([d, e]);
        expect(await get(`contactId=${newId()}`)).toEqual([]);
      });

      it('answers the list JSON with summaries', async () => {
        const res = await client.get(`/api/follow-ups?campaignId=${list.campaign}`);
        expect(res.json()).toEqual({
          items: [
            expect.objectContaining({
              id: ids.c,
              contact: { id: list.contacts.london, name: 'Liam Stone' },
              campaign: { id: list.campaign, name: 'Renewals' },
              agent: null,
              status: 'failed',
            }),
          ],
          nextCursor: null,
        });
      });

      it('refuses bad filters with 400 naming the parameter', async () => {
        const cases: [string, string][] = [
          ['status=scheduled,bogus', 'query.status'],
          ['status=', 'query.status'],
          ['type=fax', 'query.type'],
          ['priority=asap', 'query.priority'],
          ['source=web', 'query.source'],
          ['limit=0', 'query.limit'],
          ['limit=201', 'query.limit'],
          ['agentId=12', 'query.agentId'],
          ['scheduledFrom=yesterday', 'query.scheduledFrom'],
          ['scheduledFrom=0000-01-01T00:00:00Z', 'query.scheduledFrom'],
          [`scheduledFrom=${later(HOUR).toISOString()}&scheduledTo=${NOW}`, 'query.scheduledTo'],
          ['colour=blue', 'query.colour'],
          ['cursor=not-a-cursor', 'query.cursor'],
        ];
        for (const [query, path] of cases) {
          const res = await client.get(`/api/follow-ups?${query}`);
          expect(res.statusCode, query).toBe(400);
          expect(res.json().errors.map((e: { path: string }) => e.path)).toContain(path);
        }
        const bad = await client.get('/api/follow-ups?status=scheduled,bogus');
        expect(bad.json().detail).toContain('"bogus"');
      });

      it('walks 30 rows with limit 7 without gaps or duplicates', async () => {
        const walk = await createTestWorkspace(db(), 'Walk Co');
        const c = await signIn(app, walk.users.viewer.email);
        for (let i = 0; i < 30; i++) {
          await seed(db(), walk, { scheduledAt: later(HOUR + Math.floor(i / 6) * 60_000) });
        }
        // Rows share times, and differ below the millisecond (as rows written by SQL can).
        await db().execute(
          sql`update follow_ups set scheduled_at = scheduled_at
            + interval '1 microsecond' * (ascii(right(id::text, 1)) % 3)
            where workspace_id = ${walk.id}`,
        );
        const expected = await db()
          .select({ id: s.followUps.id })
          .from(s.followUps)
          .where(eq(s.followUps.workspaceId, walk.id))
          .orderBy(asc(s.followUps.scheduledAt), asc(s.followUps.id));
        const seen: string[] = [];
        let cursor: string | null = null;
        let pages = 0;
        do {
          const res = await c.get(
            `/api/follow-ups?limit=7${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
          );
          expect(res.statusCode).toBe(200);
          const body = res.json();
          expect(body.items.length).toBeLessThanOrEqual(7);
          seen.push(...body.items.map((f: { id: string }) => f.id));
          cursor = body.nextCursor;
          pages++;
        } while (cursor && pages < 10);
        expect(pages).toBe(5);
        expect(seen).toEqual(expected.map((e) => e.id));
      });

      it('orders one contact: open ones soonest first, then finished latest first', async () => {
        const card = await createTestWorkspace(db(), 'Card Co');
        const c = await signIn(app, card.users.viewer.email);
        const d = db();
        const day = 24 * HOUR;
        const f = {
          inProgress: await seed(d, card, { status: 'in_progress', scheduledAt: later(-HOUR) }),
          scheduled: await seed(d, card, { scheduledAt: later(2 * HOUR) }),
          queued: await seed(d, card, { status: 'queued', scheduledAt: later(HOUR) }),
          snoozed: await seed(d, card, { status: 'snoozed', scheduledAt: later(3 * HOUR) }),
          completed: await seed(d, card, {
            status: 'completed',
            scheduledAt: later(-3 * day),
            completedAt: later(-day),
          }),
          failed: await seed(d, card, {
            status: 'failed',
            scheduledAt: later(-4 * day),
            completedAt: later(-2 * HOUR),
          }),
          cancelled: await seed(d, card, {
            status: 'cancelled',
            scheduledAt: later(5 * day),
            completedAt: later(-3 * day),
          }),
          expired: await seed(d, card, {
            status: 'expired',
            scheduledAt: later(-5 * day),
            completedAt: later(-10 * 60_000),
          }),
        };
        await seed(d, card, { contactId: card.contacts.london }); // another contact
        const expected = [
          f.inProgress,
          f.queued,
          f.scheduled,
          f.snoozed,
          f.expired,
          f.failed,
          f.completed,
          f.cancelled,
        ];
        const all = await c.get(`/api/follow-ups?contactId=${card.contacts.ny}`);
        expect(all.json().items.map((x: { id: string }) => x.id)).toEqual(expected);
        for (const limit of [1, 3, 4]) {
          const seen: string[] = [];
          let cursor: string | null = null;
          do {
            const res = await c.get(
              `/api/follow-ups?contactId=${card.contacts.ny}&limit=${limit}` +
                (cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''),
            );
            expect(res.statusCode).toBe(200);
            seen.push(...res.json().items.map((x: { id: string }) => x.id));
            cursor = res.json().nextCursor;
          } while (cursor && seen.length < 20);
          expect(seen, `limit ${limit}`).toEqual(expected);
        }
        const open = await c.get(
          `/api/follow-ups?contactId=${card.contacts.ny}&status=failed,queued,completed`,
        );
        expect(open.json().items.map((x: { id: string }) => x.id)).toEqual([
          f.queued,
          f.failed,
          f.completed,
        ]);
      });

      it('never shows another workspace’s follow-ups', async () => {
        const theirs = await seed(db(), other, { scheduledAt: later(HOUR) });
        const mine = await get('');
        expect(mine).not.toContain(theirs);
        expect(await get(`contactId=${other.contacts.ny}`)).toEqual([]);
      });
    });

    describe('GET /api/follow-ups/:id', () => {
      it('shows the timeline, the attempts and the allowed actions', async () => {
        const id = await seed(db(), ws, {
          status: 'failed',
          attempts: 1,
          maxAttempts: 1,
          resolvedAgentId: ws.agents.default,
          lastError: 'No answer.',
          nextAttemptAt: later(2 * HOUR),
        });
        await db()
          .insert(s.followUpEvents)
          .values([
            {
              id: newId(),
              workspaceId: ws.id,
              followUpId: id,
              at: later(HOUR),
              kind: 'attempt_failed',
              actorType: 'system',
              data: { result: 'no_answer' },
            },
          ]);
        await db()
          .insert(s.followUpAttempts)
          .values({
            id: newId(),
            workspaceId: ws.id,
            followUpId: id,
            number: 1,
            channel: 'call',
            provider: 'simulator',
            agentId: ws.agents.default,
            idempotencyKey: `${id}:1`,
            startedAt: later(HOUR),
            endedAt: later(HOUR + 60_000),
            result: 'no_answer',
            callLogId: ws.callLog,
          });
        const res = await viewer.get(`/api/follow-ups/${id}`);
        expect(res.statusCode).toBe(200);
        const body = res.json();
        expect(body).toMatchObject({
          id,
          status: 'failed',
          resolvedAgent: { id: ws.agents.default, name: 'Ava' },
          allowedActions: ['retry'],
          contactLocal: { nextAttemptAt: '2026-03-02T11:00:00-05:00' },
          events: [
            {
              kind: 'attempt_failed',
              actor: { type: 'system', id: null, name: 'System' },
              data: { result: 'no_answer' },
            },
          ],
          attemptHistory: [
            {
              number: 1,
              channel: 'call',
              provider: 'simulator',
              agent: { id: ws.agents.default, name: 'Ava' },
              idempotencyKey: `${id}:1`,
              startedAt: later(HOUR).toISOString(),
              endedAt: later(HOUR + 60_000).toISOString(),
              result: 'no_answer',
              error: null,
              providerRef: null,
              callLogId: ws.callLog,
            },
          ],
        });
      });

      it('answers 404 for an unknown or foreign id, 400 for a malformed one', async () => {
        const theirs = await seed(db(), other);
        for (const id of [theirs, newId()]) {
          const res = await operator.get(`/api/follow-ups/${id}`);
          expect(res.statusCode).toBe(404);
          expect(res.json().detail).toBe('No follow-up with this id in your workspace.');
        }
        expect((await operator.get('/api/follow-ups/42')).statusCode).toBe(400);
        expect((await anonymous(app).get(`/api/follow-ups/${theirs}`)).statusCode).toBe(401);
      });
    });
  });
}

/** A follow-up's detail as create answers it: the same fields, without the detail's extras. */
function asAnswered(detail: Record<string, unknown> & { contact: { doNotCall?: boolean } }) {
  const {
    events: _events,
    attemptHistory: _attempts,
    allowedActions: _actions,
    waiting: _waiting,
    ...rest
  } = detail;
  const { doNotCall: _dnc, ...contact } = detail.contact;
  return { ...rest, contact };
}
