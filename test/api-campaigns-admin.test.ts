/**
 * Admins manage campaigns through the API (SPEC §1, §3, §6, §9): create, edit all or nothing
 * with the settings' checks, move between statuses (anything else is 409 with nothing
 * changed), and read why each open follow-up of a campaign waits.
 */
import { eq } from 'drizzle-orm';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CALLING_WINDOW } from '../src/core/calling-window.ts';
import { FakeClock } from '../src/server/clock.ts';
import * as s from '../src/server/db/schema.ts';
import { buildApp } from '../src/server/http/app.ts';
import { newId } from '../src/server/ids.ts';
import { type Client, signIn } from './helpers/client.ts';
import { testDatabases, useDatabase } from './helpers/databases.ts';
import { insertFollowUp } from './helpers/fixtures.ts';
import { createTestWorkspace, type TestWorkspace } from './helpers/workspace.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;

function expectProblem(res: LightMyRequestResponse, status: number, path?: string) {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toContain('application/problem+json');
  if (path) expect(res.json().errors.map((e: { path: string }) => e.path)).toContain(path);
}

const EVENINGS = {
  weekly: { ...DEFAULT_CALLING_WINDOW.weekly, monday: [{ start: '17:00', end: '20:00' }] },
  closedDates: ['2026-12-25'],
};

for (const target of testDatabases()) {
  describe(`campaigns admin API [${target.name}]`, () => {
    const ctx = useDatabase(target);
    // Monday 2 March 2026, 08:00 in New York: one hour before the default window opens.
    const clock = new FakeClock('2026-03-02T13:00:00Z');
    let app: FastifyInstance;
    let ws: TestWorkspace;
    let other: TestWorkspace;
    let admin: Client;
    let operator: Client;
    let viewer: Client;

    beforeAll(async () => {
      app = await buildApp({ handle: ctx.handle, logger: false, clock });
      ws = await createTestWorkspace(ctx.handle.db, 'Campaign Admin Co');
      other = await createTestWorkspace(ctx.handle.db, 'Other Campaign Co');
      admin = await signIn(app, ws.users.admin.email);
      operator = await signIn(app, ws.users.operator.email);
      viewer = await signIn(app, ws.users.viewer.email);
    });
    afterAll(async () => {
      await app?.close();
    });

    async function campaignCount() {
      return (
        await ctx.handle.db
          .select({ id: s.campaigns.id })
          .from(s.campaigns)
          .where(eq(s.campaigns.workspaceId, ws.id))
      ).length;
    }
    async function create(body: Record<string, unknown>) {
      const res = await admin.post('/api/campaigns', body);
      expect(res.statusCode, res.body).toBe(201);
      return res.json();
    }

    it('creates a draft campaign that inherits the workspace window', async () => {
      const res = await admin.post('/api/campaigns', {
        name: '  Spring renewals ',
        agentId: ws.agents.active,
        timezone: 'europe/london',
      });
      expect(res.statusCode).toBe(201);
      const body = res.json();
      expect(body).toMatchObject({
        name: 'Spring renewals',
        status: 'draft',
        agent: { id: ws.agents.active, name: 'Ben' },
        timezone: 'Europe/London',
        callingWindow: null,
        effectiveCallingWindow: DEFAULT_CALLING_WINDOW,
        outcomeRules: [],
        followUpCounts: { total: 0 },
      });
      const read = await viewer.get(`/api/campaigns/${body.id}`);
      expect(read.json().name).toBe('Spring renewals');
    });

    it('creates one with its own window and rules', async () => {
      const rules = [
        { outcome: 'no_answer', type: 'sms', delayMinutes: 30, maxAttempts: 2, priority: 'high' },
        {
          outcome: 'callback_requested',
          type: 'call',
          delayMinutes: null,
          maxAttempts: 3,
          priority: 'urgent',
        },
      ];
      const body = await create({ name: 'Evenings', callingWindow: EVENINGS, outcomeRules: rules });
      expect(body.callingWindow).toEqual(EVENINGS);
      expect(body.effectiveCallingWindow).toEqual(EVENINGS);
      expect(body.outcomeRules).toEqual(rules);
      expect(body.agent).toBeNull();
    });

    it('refuses bad input with the field path, and writes nothing', async () => {
      const before = await campaignCount();
      expectProblem(await admin.post('/api/campaigns', { name: '  ' }), 400, 'name');
      expectProblem(await admin.post('/api/campaigns', { name: 'Nul\u0000name' }), 400, 'name');
      expectProblem(await admin.post('/api/campaigns', { name: 'x'.repeat(101) }), 400, 'name');
      expectProblem(await admin.post('/api/campaigns', { name: 'X', status: 'running' }), 400);
      expectProblem(
        await admin.post('/api/campaigns', { name: 'X', timezone: 'Mars/Olympus' }),
        400,
        'timezone',
      );
      const window = {
        weekly: { ...DEFAULT_CALLING_WINDOW.weekly, tuesday: [{ start: '25:00', end: '18:00' }] },
        closedDates: ['2026-02-30'],
      };
      const res = await admin.post('/api/campaigns', { name: 'X', callingWindow: window });
      expectProblem(res, 400, 'callingWindow.weekly.tuesday.0.start');
      expectProblem(res, 400, 'callingWindow.closedDates.0');
      expectProblem(
        await admin.post('/api/campaigns', {
          name: 'X',
          outcomeRules: [
            { outcome: 'busy', type: 'call', delayMinutes: 5, maxAttempts: 11, priority: 'x' },
          ],
        }),
        400,
        'outcomeRules.0.maxAttempts',
      );
      expectProblem(
        await admin.post('/api/campaigns', {
          name: 'X',
          outcomeRules: [
            { outcome: 'busy', type: 'call', delayMinutes: null, maxAttempts: 1, priority: 'low' },
          ],
        }),
        400,
        'outcomeRules.0.delayMinutes',
      );
      const inactive = await admin.post('/api/campaigns', {
        name: 'X',
        agentId: ws.agents.inactive,
      });
      expectProblem(inactive, 422, 'agentId');
      expect(inactive.json().detail).toContain('Cleo is inactive');
      // Another workspace's agent is unknown here.
      expectProblem(
        await admin.post('/api/campaigns', { name: 'X', agentId: other.agents.active }),
        422,
        'agentId',
      );
      expectProblem(await operator.post('/api/campaigns', { name: 'Not mine' }), 403);
      expect(await campaignCount()).toBe(before);
    });

    it('edits every setting, all or nothing', async () => {
      const { id } = await create({ name: 'Editable' });
      const res = await admin.patch(`/api/campaigns/${id}`, {
        name: 'Edited',
        agentId: ws.agents.default,
        timezone: 'America/Chicago',
        callingWindow: EVENINGS,
        outcomeRules: [
          { outcome: 'busy', type: 'call', delayMinutes: 10, maxAttempts: 2, priority: 'low' },
        ],
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({
        name: 'Edited',
        agent: { id: ws.agents.default },
        timezone: 'America/Chicago',
        callingWindow: EVENINGS,
        outcomeRules: [{ outcome: 'busy', delayMinutes: 10 }],
      });

      // A valid name with an invalid window: nothing changes.
      const bad = await admin.patch(`/api/campaigns/${id}`, {
        name: 'Half-done',
        callingWindow: { weekly: { monday: [] }, closedDates: [] },
      });
      expectProblem(bad, 400);
      expect(bad.json().errors.some((e: { path: string }) => e.path.startsWith('callingWindow')));
      const inactive = await admin.patch(`/api/campaigns/${id}`, {
        name: 'Half-done',
        agentId: ws.agents.inactive,
      });
      expectProblem(inactive, 422, 'agentId');
      expectProblem(await admin.patch(`/api/campaigns/${id}`, {}), 400);
      const after = (await viewer.get(`/api/campaigns/${id}`)).json();
      expect(after.name).toBe('Edited');
      expect(after.agent.id).toBe(ws.agents.default);

      // Back to the workspace's window, no agent, no time zone.
      const reset = await admin.patch(`/api/campaigns/${id}`, {
        callingWindow: null,
        agentId: null,
        timezone: null,
      });
      expect(reset.json()).toMatchObject({
        callingWindow: null,
        agent: null,
        timezone: null,
        effectiveCallingWindow: DEFAULT_CALLING_WINDOW,
      });
      expectProblem(await operator.patch(`/api/campaigns/${id}`, { name: 'Mine' }), 403);
    });

    it('moves between statuses as allowed, and refuses the rest with 409 naming the status', async () => {
      const { id } = await create({ name: 'Lifecycle' });
      const move = (status: string) => admin.post(`/api/campaigns/${id}/status`, { status });
      expect((await move('scheduled')).json().status).toBe('scheduled');
      expect((await move('running')).json().status).toBe('running');
      expect((await move('paused')).json().status).toBe('paused');
      expect((await move('running')).json().status).toBe('running');

      const [before] = await ctx.handle.db.select().from(s.campaigns).where(eq(s.campaigns.id, id));
      const refused = await move('draft');
      expectProblem(refused, 409, 'status');
      expect(refused.json().detail).toBe(
        'This campaign is running: it cannot become draft. It can become paused or completed.',
      );
      const [after] = await ctx.handle.db.select().from(s.campaigns).where(eq(s.campaigns.id, id));
      expect(after).toEqual(before);

      expect((await move('completed')).json().status).toBe('completed');
      const done = await move('running');
      expectProblem(done, 409);
      expect(done.json().detail).toContain('completed');
      expectProblem(await move('finished'), 400, 'status');
      expectProblem(await operator.post(`/api/campaigns/${id}/status`, { status: 'paused' }), 403);
    });

    it('says why each open follow-up of the campaign waits', async () => {
      const db = ctx.handle.db;
      const now = clock.now();
      const { id: campaignId } = await create({ name: 'Reasons', agentId: ws.agents.default });
      await admin.post(`/api/campaigns/${campaignId}/status`, { status: 'running' });
      const at = (ms: number) => new Date(now.getTime() + ms);
      const make = (o: Partial<typeof s.followUps.$inferInsert>) =>
        insertFollowUp(db, ws, { campaignId, scheduledAt: at(-MIN), ...o }, now);
      const ids = {
        outside: await make({}),
        deferred: await make({ nextAttemptAt: at(HOUR) }),
        retry: await make({ attempts: 1, nextAttemptAt: at(15 * MIN) }),
        capacity: await make({ status: 'queued', resolvedAgentId: ws.agents.default }),
        sms: await make({ status: 'queued', type: 'sms', resolvedAgentId: ws.agents.default }),
        snoozed: await make({ status: 'snoozed', snoozedUntil: at(26 * HOUR) }),
        later: await make({ scheduledAt: at(5 * HOUR) }),
        done: await make({ status: 'completed', attempts: 1 }),
      };
      // Ava (max 2 calls) is on two calls.
      for (let i = 0; i < 2; i++) {
        await insertFollowUp(
          db,
          ws,
          { status: 'in_progress', attempts: 1, resolvedAgentId: ws.agents.default },
          now,
        );
      }
      const read = async () => {
        const res = await viewer.get(`/api/campaigns/${campaignId}/follow-ups?limit=100`);
        expect(res.statusCode, res.body).toBe(200);
        return new Map(
          res.json().items.map((f: { id: string; waiting: unknown }) => [f.id, f.waiting]),
        );
      };
      let waiting = await read();
      expect(waiting.size).toBe(8);
      expect(waiting.get(ids.outside)).toEqual({
        code: 'outside_window',
        message: 'Outside calling window until Mon 2 Mar, 09:00 EST',
        until: '2026-03-02T14:00:00.000Z',
      });
      expect(waiting.get(ids.deferred)).toMatchObject({
        code: 'outside_window',
        until: at(HOUR).toISOString(),
      });
      // Its retry time is before the window opens: it waits for the window.
      expect(waiting.get(ids.retry)).toEqual({
        code: 'retry_backoff',
        message: 'Retry at Mon 2 Mar, 09:00 EST',
        until: '2026-03-02T14:00:00.000Z',
      });
      expect(waiting.get(ids.capacity)).toEqual({
        code: 'agent_at_capacity',
        message: 'Agent at capacity (2 of 2 calls)',
        until: null,
      });
      expect(waiting.get(ids.sms)).toMatchObject({ message: 'Waiting for dispatch' });
      expect(waiting.get(ids.snoozed)).toMatchObject({
        message: 'Snoozed until Tue 3 Mar, 10:00 EST',
      });
      expect(waiting.get(ids.later)).toBeNull();
      expect(waiting.get(ids.done)).toBeNull();

      // Its own window, open now: the due one just waits for dispatch.
      const open = {
        ...DEFAULT_CALLING_WINDOW,
        weekly: { ...DEFAULT_CALLING_WINDOW.weekly, monday: [{ start: '08:00', end: '12:00' }] },
      };
      await admin.patch(`/api/campaigns/${campaignId}`, { callingWindow: open });
      waiting = await read();
      expect(waiting.get(ids.outside)).toMatchObject({ code: 'waiting_for_dispatch' });

      // Paused: every scheduled one says so; queued and snoozed keep their reasons.
      await admin.post(`/api/campaigns/${campaignId}/status`, { status: 'paused' });
      waiting = await read();
      for (const id of [ids.outside, ids.retry, ids.later]) {
        expect(waiting.get(id)).toEqual({
          code: 'campaign_paused',
          message: 'Campaign paused',
          until: null,
        });
      }
      expect(waiting.get(ids.capacity)).toMatchObject({ code: 'agent_at_capacity' });
      expect(waiting.get(ids.snoozed)).toMatchObject({ code: 'snoozed' });
    });

    it('pages the campaign follow-ups with the list filters and cursor', async () => {
      const { id: campaignId } = await create({ name: 'Paged' });
      const made: string[] = [];
      for (let i = 0; i < 5; i++) {
        made.push(
          await insertFollowUp(
            ctx.handle.db,
            ws,
            { campaignId, scheduledAt: new Date(clock.now().getTime() + (i + 1) * HOUR) },
            clock.now(),
          ),
        );
      }
      await insertFollowUp(ctx.handle.db, ws, { type: 'sms', campaignId }, clock.now());
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const res = await viewer.get(
          `/api/campaigns/${campaignId}/follow-ups?type=call&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        );
        expect(res.statusCode).toBe(200);
        seen.push(...res.json().items.map((f: { id: string }) => f.id));
        cursor = res.json().nextCursor;
      } while (cursor);
      expect(seen).toEqual(made);
      expectProblem(
        await viewer.get(`/api/campaigns/${campaignId}/follow-ups?campaignId=${campaignId}`),
        400,
      );
      expectProblem(await viewer.get(`/api/campaigns/${campaignId}/follow-ups?status=nope`), 400);
    });

    it("answers 404 for another workspace's campaign and changes nothing there", async () => {
      const theirs = other.campaign;
      const [before] = await ctx.handle.db
        .select()
        .from(s.campaigns)
        .where(eq(s.campaigns.id, theirs));
      expectProblem(await viewer.get(`/api/campaigns/${theirs}/follow-ups`), 404);
      expectProblem(await admin.patch(`/api/campaigns/${theirs}`, { name: 'Mine now' }), 404);
      expectProblem(await admin.post(`/api/campaigns/${theirs}/status`, { status: 'paused' }), 404);
      expectProblem(await viewer.get(`/api/campaigns/${newId()}/follow-ups`), 404);
      const [after] = await ctx.handle.db
        .select()
        .from(s.campaigns)
        .where(eq(s.campaigns.id, theirs));
      expect(after).toEqual(before);
    });
  });
}
