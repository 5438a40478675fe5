/**
 * Frequency caps (docs/compliance.md): set on the workspace and on campaigns through the API,
 * enforced by the engine (the attempt that would break a cap is held, `scheduled`, until the
 * cap and the calling time allow, with a `deferred` event naming the cap), not lifted by the
 * customer override, applied to contacts who may be in a state that limits calls, and
 * explained in the preview and as the follow-up's `waiting` reason. Rounds are run by hand
 * with a fake clock.
 */
import { and, asc, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../src/server/clock.ts';
import * as s from '../src/server/db/schema.ts';
import type { Channel } from '../src/server/engine/channels/channel.ts';
import { createEngine, type Engine } from '../src/server/engine/engine.ts';
import { buildApp } from '../src/server/http/app.ts';
import { newId } from '../src/server/ids.ts';
import { createLogger } from '../src/server/logger.ts';
import { type Client, signIn } from './helpers/client.ts';
import { testDatabases, useOwnDatabase } from './helpers/databases.ts';
import { deleteWorkspaces, insertFollowUp } from './helpers/fixtures.ts';
import { createTestWorkspace, type TestWorkspace, uniquePhone } from './helpers/workspace.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;

const answering = (type: 'call' | 'sms' | 'webhook'): Channel => ({
  type,
  provider: 'test',
  async start() {
    return {
      status: 'done',
      result: type === 'call' ? 'answered' : type === 'sms' ? 'delivered' : 'success',
    };
  },
});

for (const target of testDatabases()) {
  describe(`frequency caps [${target.name}]`, () => {
    const ctx = useOwnDatabase(target);
    // Monday 2 March 2026, 10:00 in New York: inside the default window.
    const clock = new FakeClock('2026-03-02T15:00:00Z');
    let app: FastifyInstance;
    let ws: TestWorkspace;
    let admin: Client;
    let viewer: Client;
    let engine: Engine;

    beforeAll(async () => {
      await deleteWorkspaces(ctx.handle.db, ['Caps Co']);
      ws = await createTestWorkspace(ctx.handle.db, 'Caps Co');
      app = await buildApp({ handle: ctx.handle, logger: false, clock });
      admin = await signIn(app, ws.users.admin.email);
      viewer = await signIn(app, ws.users.viewer.email);
      engine = createEngine({
        handle: ctx.handle,
        clock,
        logger: createLogger('silent'),
        workerId: 'caps-test',
        channels: { call: answering('call'), sms: answering('sms'), webhook: answering('webhook') },
      });
    });
    afterAll(async () => {
      await app?.close();
    });

    async function round() {
      await engine.runOnce();
      await engine.idle();
    }
    async function row(id: string) {
      const [r] = await ctx.handle.db.select().from(s.followUps).where(eq(s.followUps.id, id));
      return r!;
    }
    async function lastEvent(id: string) {
      const rows = await ctx.handle.db
        .select()
        .from(s.followUpEvents)
        .where(eq(s.followUpEvents.followUpId, id))
        .orderBy(asc(s.followUpEvents.at), asc(s.followUpEvents.id));
      return rows.at(-1)!;
    }
    async function attemptsOf(contactId: string) {
      const rows = await ctx.handle.db
        .select({ id: s.followUpAttempts.id })
        .from(s.followUpAttempts)
        .innerJoin(s.followUps, eq(s.followUps.id, s.followUpAttempts.followUpId))
        .where(and(eq(s.followUps.workspaceId, ws.id), eq(s.followUps.contactId, contactId)));
      return rows.length;
    }

    it('sets caps on the workspace and on campaigns (admins), in plain words when wrong', async () => {
      const bad = await admin.patch('/api/settings', {
        frequencyCaps: [{ channel: 'call', max: 0, periodHours: 721 }],
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.body).toContain('Give a whole number of attempts from 1 to 1000.');
      expect(bad.body).toContain('Give the period as a whole number of hours from 1 to 720.');
      expect((await viewer.patch('/api/settings', { frequencyCaps: [] })).statusCode).toBe(403);
      const ok = await admin.patch('/api/settings', {
        frequencyCaps: [{ channel: 'call', max: 2, periodHours: 24 }],
      });
      expect(ok.statusCode).toBe(200);
      expect(ok.json().frequencyCaps).toEqual([{ channel: 'call', max: 2, periodHours: 24 }]);
      expect((await viewer.get('/api/settings')).json().frequencyCaps).toEqual([
        { channel: 'call', max: 2, periodHours: 24 },
      ]);

      const campaign = await admin.patch(`/api/campaigns/${ws.campaign}`, {
        frequencyCaps: [{ channel: 'sms', max: 1, periodHours: 48 }],
        closedOnPublicHolidays: true,
      });
      expect(campaign.statusCode).toBe(200);
      expect(campaign.json()).toMatchObject({
        frequencyCaps: [{ channel: 'sms', max: 1, periodHours: 48 }],
        closedOnPublicHolidays: true,
      });
      const created = await admin.post('/api/campaigns', { name: 'Capped launch' });
      expect(created.json()).toMatchObject({ frequencyCaps: [], closedOnPublicHolidays: null });
    });

    it('holds the third call of the day, override or not, and says which cap and until when', async () => {
      const db = ctx.handle.db;
      const now = clock.now();
      const due = { scheduledAt: new Date(now.getTime() - MIN), agentId: ws.agents.active };
      const first = await insertFollowUp(db, ws, due, now);
      const second = await insertFollowUp(db, ws, due, now);
      const third = await insertFollowUp(db, ws, { ...due, allowOutOfWindow: true }, now);
      await round();
      expect(await attemptsOf(ws.contacts.ny)).toBe(2);
      expect((await row(first)).status).toBe('completed');
      expect((await row(second)).status).toBe('completed');
      const held = await row(third);
      expect(held.status).toBe('scheduled');
      // Both calls started at 10:00: the cap allows a third at 10:00 the next day.
      expect(held.nextAttemptAt?.toISOString()).toBe('2026-03-03T15:00:00.000Z');
      const event = await lastEvent(third);
      expect(event.kind).toBe('deferred');
      expect(event.data).toMatchObject({
        reason: 'frequency_cap',
        until: '2026-03-03T15:00:00.000Z',
        cap: { scope: 'workspace', max: 2, periodHours: 24 },
        message: 'Frequency cap (Workspace cap): 2 calls in 24 h; next at Tue 3 Mar, 10:00 EST',
      });

      // Its page says why it waits.
      const detail = (await viewer.get(`/api/follow-ups/${third}`)).json();
      expect(detail.waiting).toEqual({
        code: 'frequency_cap',
        message: 'Frequency cap (Workspace cap): 2 calls in 24 h; next at Tue 3 Mar, 10:00 EST',
        until: '2026-03-03T15:00:00.000Z',
      });
      // The preview of another call now names the cap and moves runsAt to when it allows.
      const preview = (
        await viewer.post('/api/follow-ups/preview', {
          contactId: ws.contacts.ny,
          type: 'call',
          scheduledAt: now.toISOString(),
          allowOutOfWindow: true,
        })
      ).json();
      expect(preview.runsAt).toBe('2026-03-03T15:00:00.000Z');
      expect(preview.rules).toContainEqual({
        code: 'frequency_cap',
        message:
          'Frequency cap (Workspace cap): 2 calls in 24 h: 2 already; next at Tue 3 Mar, 10:00 EST',
        source: null,
      });
      // SMS are not counted by a cap on calls.
      const sms = (
        await viewer.post('/api/follow-ups/preview', {
          contactId: ws.contacts.ny,
          type: 'sms',
          scheduledAt: now.toISOString(),
        })
      ).json();
      expect(sms.runsAt).toBe(now.toISOString());
      expect(sms.rules.some((r: { code: string }) => r.code === 'frequency_cap')).toBe(false);

      // Nothing starts before the cap allows; at 10:00 the next day it runs.
      clock.set('2026-03-03T14:59:00Z');
      await round();
      expect((await row(third)).status).toBe('scheduled');
      clock.set('2026-03-03T15:00:00Z');
      await round();
      expect((await row(third)).status).toBe('completed');
      expect(await attemptsOf(ws.contacts.ny)).toBe(3);
    });

    it('caps a contact who may be in Florida at 3 calls in 24 hours (Fla. Stat. 501.616(6))', async () => {
      const db = ctx.handle.db;
      await admin.patch('/api/settings', { frequencyCaps: [] });
      clock.set('2026-03-04T15:00:00Z'); // Wednesday 10:00 in Florida
      const now = clock.now();
      const contact = newId();
      await db.insert(s.contacts).values({
        id: contact,
        workspaceId: ws.id,
        firstName: 'Flora',
        phone: uniquePhone(),
        timezone: 'America/New_York',
        region: 'US-FL',
      });
      const ids: string[] = [];
      for (let i = 0; i < 4; i++) {
        ids.push(
          await insertFollowUp(
            db,
            ws,
            {
              contactId: contact,
              scheduledAt: new Date(now.getTime() - MIN),
              agentId: ws.agents.active,
            },
            now,
          ),
        );
      }
      await round();
      await round();
      expect(await attemptsOf(contact)).toBe(3);
      const statuses = await Promise.all(ids.map(async (id) => (await row(id)).status));
      expect(statuses.filter((st) => st === 'completed')).toHaveLength(3);
      const heldId = ids[statuses.indexOf('scheduled')]!;
      const detail = (await viewer.get(`/api/follow-ups/${heldId}`)).json();
      expect(detail.waiting.code).toBe('frequency_cap');
      expect(detail.waiting.message).toBe(
        'Frequency cap (Florida): 3 calls in 24 h (Fla. Stat. 501.616(6)(a)–(b)); next at Thu 5 Mar, 10:00 EST',
      );
      clock.advance(24 * HOUR);
      await round();
      expect((await row(heldId)).status).toBe('completed');
    });

    it('records on the created event which hour rules the customer override lifted, never a cap', async () => {
      const db = ctx.handle.db;
      clock.set('2026-03-04T15:00:00Z');
      const contact = newId();
      await db.insert(s.contacts).values({
        id: contact,
        workspaceId: ws.id,
        firstName: 'Florian',
        phone: uniquePhone(),
        timezone: 'America/New_York',
        region: 'US-FL',
      });
      // Wednesday 21:30 in Florida: outside its 08:00–20:00, asked for by the customer.
      const late = await admin.post('/api/follow-ups', {
        contactId: contact,
        type: 'call',
        scheduledAt: '2026-03-05T02:30:00Z',
        allowOutOfWindow: true,
      });
      expect(late.statusCode).toBe(201);
      const detail = (await viewer.get(`/api/follow-ups/${late.json().id}`)).json();
      const created = detail.events.find((e: { kind: string }) => e.kind === 'created');
      const lifted = created.data.liftedRules as {
        code: string;
        message: string;
        source: string;
      }[];
      expect(lifted.map((r) => r.code)).toEqual(expect.arrayContaining(['federal', 'state_hours']));
      expect(lifted.some((r) => r.code === 'frequency_cap')).toBe(false);
      expect(lifted.find((r) => r.code === 'state_hours')).toMatchObject({
        message: expect.stringContaining('Florida'),
        source: 'Fla. Stat. 501.616(6)(a)–(b)',
      });
      // Without the override nothing is lifted, and nothing is recorded.
      const plain = await admin.post('/api/follow-ups', {
        contactId: contact,
        type: 'call',
        scheduledAt: '2026-03-05T02:30:00Z',
      });
      const plainDetail = (await viewer.get(`/api/follow-ups/${plain.json().id}`)).json();
      expect(
        plainDetail.events.find((e: { kind: string }) => e.kind === 'created').data.liftedRules,
      ).toBeUndefined();
    });

    it('records on the edit event which hour rules the override lifted when PATCH turns it on or moves the time with it', async () => {
      const db = ctx.handle.db;
      clock.set('2026-03-04T15:00:00Z');
      const contact = newId();
      await db.insert(s.contacts).values({
        id: contact,
        workspaceId: ws.id,
        firstName: 'Flora',
        phone: uniquePhone(),
        timezone: 'America/New_York',
        region: 'US-FL',
      });
      type Rule = { code: string; message: string; source: string | null };
      const eventsOf = async (id: string) =>
        (await viewer.get(`/api/follow-ups/${id}`)).json().events as {
          kind: string;
          data: { liftedRules?: Rule[]; changes?: Record<string, unknown> };
        }[];
      // Planned without the override, Wednesday 21:30 in Florida (outside 08:00–20:00).
      const created = await admin.post('/api/follow-ups', {
        contactId: contact,
        type: 'call',
        scheduledAt: '2026-03-05T02:30:00Z',
      });
      expect(created.statusCode).toBe(201);
      const id = created.json().id as string;

      // The customer asks for that time: the override is turned on.
      const on = await admin.patch(`/api/follow-ups/${id}`, { allowOutOfWindow: true });
      expect(on.statusCode, on.body).toBe(200);
      const updated = (await eventsOf(id)).at(-1)!;
      expect(updated.kind).toBe('updated');
      expect(updated.data.changes).toHaveProperty('allowOutOfWindow');
      const lifted = updated.data.liftedRules ?? [];
      expect(lifted.map((r) => r.code)).toEqual(expect.arrayContaining(['federal', 'state_hours']));
      expect(lifted.some((r) => r.code === 'frequency_cap')).toBe(false);
      expect(lifted.find((r) => r.code === 'state_hours')).toMatchObject({
        message: expect.stringContaining('Florida'),
        source: 'Fla. Stat. 501.616(6)(a)–(b)',
      });

      // Moved with the override on, to Sunday 07:30 in Florida: recorded again, for the new time.
      const moved = await admin.patch(`/api/follow-ups/${id}`, {
        scheduledAt: '2026-03-08T11:30:00Z',
      });
      expect(moved.statusCode, moved.body).toBe(200);
      const rescheduled = (await eventsOf(id)).at(-1)!;
      expect(rescheduled.kind).toBe('rescheduled');
      expect((rescheduled.data.liftedRules ?? []).map((r) => r.code)).toEqual(
        expect.arrayContaining(['federal', 'state_hours']),
      );

      // An edit that does not touch the time or the override records nothing lifted; nor does
      // turning the override off while moving it.
      await admin.patch(`/api/follow-ups/${id}`, { notes: 'Asked for early morning.' });
      expect((await eventsOf(id)).at(-1)!.data.liftedRules).toBeUndefined();
      await admin.patch(`/api/follow-ups/${id}`, {
        scheduledAt: '2026-03-09T11:30:00Z',
        allowOutOfWindow: false,
      });
      expect((await eventsOf(id)).at(-1)!.data.liftedRules).toBeUndefined();
    });
  });
}
