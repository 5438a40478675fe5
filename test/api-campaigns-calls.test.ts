import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CALLING_WINDOW } from '../src/core/calling-window.ts';
import * as s from '../src/server/db/schema.ts';
import { buildApp } from '../src/server/http/app.ts';
import { newId } from '../src/server/ids.ts';
import { anonymous, type Client, signIn, withKey } from './helpers/client.ts';
import { testDatabases, useDatabase } from './helpers/databases.ts';
import { createTestWorkspace, type TestWorkspace } from './helpers/workspace.ts';

const WEEKEND_WINDOW = {
  weekly: {
    ...DEFAULT_CALLING_WINDOW.weekly,
    saturday: [{ start: '10:00', end: '14:00' }],
  },
  closedDates: ['2026-12-25'],
};

const ids = (res: LightMyRequestResponse) => res.json().items.map((r: { id: string }) => r.id);

function expectProblem(res: LightMyRequestResponse, status: number, path?: string) {
  expect(res.statusCode).toBe(status);
  expect(res.headers['content-type']).toContain('application/problem+json');
  if (path) expect(res.json().errors.map((e: { path: string }) => e.path)).toContain(path);
}

/** Follows nextCursor to the end; returns every id in order. */
async function walk(client: Client, url: string): Promise<string[]> {
  const seen: string[] = [];
  let cursor: string | null = null;
  do {
    const res = await client.get(`${url}${cursor ? `&cursor=${cursor}` : ''}`);
    expect(res.statusCode).toBe(200);
    seen.push(...ids(res));
    cursor = res.json().nextCursor;
  } while (cursor);
  return seen;
}

for (const target of testDatabases()) {
  describe(`campaigns and call logs API [${target.name}]`, () => {
    const ctx = useDatabase(target);
    let app: FastifyInstance;
    let ws: TestWorkspace;
    let other: TestWorkspace;
    let viewer: Client;
    const paused = newId();
    const logs = { inbound: newId(), busy: newId(), tieA: newId(), tieB: newId(), tieC: newId() };
    const t0 = new Date('2026-01-10T15:00:00.000Z');

    beforeAll(async () => {
      app = await buildApp({ handle: ctx.handle, logger: false });
      ws = await createTestWorkspace(ctx.handle.db);
      other = await createTestWorkspace(ctx.handle.db, 'Other Co');
      viewer = await signIn(app, ws.users.viewer.email);
      const db = ctx.handle.db;
      await db.insert(s.campaigns).values({
        id: paused,
        workspaceId: ws.id,
        name: 'Weekend winback',
        status: 'paused',
        timezone: 'Europe/London',
        callingWindow: WEEKEND_WINDOW,
        outcomeRules: [
          { outcome: 'busy', type: 'call', delayMinutes: 10, maxAttempts: 2, priority: 'high' },
        ],
      });
      const followUp = (status: string, done: boolean) => ({
        id: newId(),
        workspaceId: ws.id,
        contactId: ws.contacts.ny,
        campaignId: ws.campaign,
        scheduledAt: t0,
        expiresAt: new Date(t0.getTime() + 72 * 3_600_000),
        source: 'campaign',
        status,
        completedAt: done ? t0 : null,
      });
      await db
        .insert(s.followUps)
        .values([
          followUp('scheduled', false),
          followUp('scheduled', false),
          followUp('completed', true),
          followUp('failed', true),
        ]);
      const log = (
        id: string,
        startedAt: Date,
        extra: Partial<typeof s.callLogs.$inferInsert>,
      ) => ({
        id,
        workspaceId: ws.id,
        contactId: ws.contacts.london,
        direction: 'outbound',
        outcome: 'no_answer',
        startedAt,
        ...extra,
      });
      await db.insert(s.callLogs).values([
        log(logs.inbound, new Date(t0.getTime() + 60_000), {
          direction: 'inbound',
          outcome: 'callback_requested',
          agentId: ws.agents.active,
          endedAt: new Date(t0.getTime() + 120_000),
          durationSeconds: 60,
          summary: 'Asked for a call on Monday.',
          requestedCallbackAt: new Date('2026-01-12T14:00:00.000Z'),
        }),
        log(logs.busy, t0, { outcome: 'busy', campaignId: paused, agentId: ws.agents.default }),
        // Three calls that started at the same instant.
        log(logs.tieA, new Date(t0.getTime() - 60_000), {}),
        log(logs.tieB, new Date(t0.getTime() - 60_000), {}),
        log(logs.tieC, new Date(t0.getTime() - 60_000), {}),
      ]);
    });
    afterAll(() => app.close());

    it('lists campaigns newest first, filters by status and pages through them', async () => {
      const all = await viewer.get('/api/campaigns');
      expect(all.statusCode).toBe(200);
      expect(ids(all)).toEqual([paused, ws.campaign]);
      expect(all.json().items[0]).toMatchObject({
        name: 'Weekend winback',
        status: 'paused',
        agent: null,
        timezone: 'Europe/London',
        callingWindow: WEEKEND_WINDOW,
        effectiveCallingWindow: WEEKEND_WINDOW,
      });
      expect(ids(await viewer.get('/api/campaigns?status=running'))).toEqual([ws.campaign]);
      expect(ids(await viewer.get('/api/campaigns?status=draft'))).toEqual([]);
      expect(await walk(viewer, '/api/campaigns?limit=1')).toEqual([paused, ws.campaign]);
      expectProblem(await viewer.get('/api/campaigns?status=finished'), 400, 'query.status');
      expectProblem(await viewer.get('/api/campaigns?limit=0'), 400, 'query.limit');
      expectProblem(await viewer.get('/api/campaigns?cursor=zzz'), 400, 'query.cursor');
    });

    it('shows one campaign with its inherited window and its follow-ups per status', async () => {
      const res = await withKey(app, ws.keys.viewer).get(`/api/campaigns/${ws.campaign}`);
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body).toMatchObject({
        id: ws.campaign,
        name: 'Renewals',
        status: 'running',
        agent: { id: ws.agents.active, name: 'Ben' },
        callingWindow: null,
        effectiveCallingWindow: DEFAULT_CALLING_WINDOW,
        outcomeRules: [],
      });
      expect(body.followUpCounts).toEqual({
        scheduled: 2,
        queued: 0,
        in_progress: 0,
        completed: 1,
        failed: 1,
        cancelled: 0,
        expired: 0,
        snoozed: 0,
        total: 4,
      });
      const pausedBody = (await viewer.get(`/api/campaigns/${paused}`)).json();
      expect(pausedBody.outcomeRules).toEqual([
        { outcome: 'busy', type: 'call', delayMinutes: 10, maxAttempts: 2, priority: 'high' },
      ]);
      expect(pausedBody.followUpCounts.total).toBe(0);
    });

    it('keeps campaigns to their workspace and to signed-in people', async () => {
      const res = await viewer.get(`/api/campaigns/${other.campaign}`);
      expectProblem(res, 404);
      expect(res.json().detail).toBe('No campaign with this id in your workspace.');
      expect(ids(await withKey(app, other.keys.viewer).get('/api/campaigns'))).toEqual([
        other.campaign,
      ]);
      expectProblem(await viewer.get('/api/campaigns/42'), 400, 'params.id');
      expectProblem(await anonymous(app).get('/api/campaigns'), 401);
      expectProblem(await anonymous(app).get(`/api/campaigns/${ws.campaign}`), 401);
    });

    it('lists calls newest first with their contact, agent and campaign', async () => {
      const res = await viewer.get(`/api/call-logs?contactId=${ws.contacts.london}`);
      expect(res.statusCode).toBe(200);
      const items = res.json().items;
      expect(items.map((c: { id: string }) => c.id).slice(0, 2)).toEqual([logs.inbound, logs.busy]);
      expect(items).toHaveLength(5);
      expect(items[0]).toEqual({
        id: logs.inbound,
        contact: { id: ws.contacts.london, name: 'Liam Stone' },
        agent: { id: ws.agents.active, name: 'Ben' },
        campaign: null,
        followUpId: null,
        direction: 'inbound',
        outcome: 'callback_requested',
        startedAt: '2026-01-10T15:01:00.000Z',
        endedAt: '2026-01-10T15:02:00.000Z',
        durationSeconds: 60,
        summary: 'Asked for a call on Monday.',
        requestedCallbackAt: '2026-01-12T14:00:00.000Z',
        provider: null,
        sentiment: null,
        recordingUrl: null,
        transcriptUrl: null,
      });
      expect(items[1]).toMatchObject({
        campaign: { id: paused, name: 'Weekend winback' },
        agent: { id: ws.agents.default, name: 'Ava' },
        endedAt: null,
      });
      const one = await viewer.get(`/api/call-logs/${logs.inbound}`);
      expect(one.json()).toEqual(items[0]);
    });

    it('filters calls by agent, campaign, outcome, direction and time', async () => {
      const q = (query: string) => viewer.get(`/api/call-logs?${query}`);
      expect(ids(await q(`agentId=${ws.agents.active}`))).toEqual([logs.inbound]);
      expect(ids(await q(`campaignId=${paused}`))).toEqual([logs.busy]);
      expect(ids(await q(`campaignId=${ws.campaign}`))).toEqual([ws.callLog]);
      expect(ids(await q('outcome=busy'))).toEqual([logs.busy]);
      expect(ids(await q('direction=inbound'))).toEqual([logs.inbound]);
      const from = encodeURIComponent('2026-01-10T10:00:00-05:00'); // = 15:00Z, inclusive
      const to = encodeURIComponent('2026-01-10T15:01:00Z'); // exclusive
      expect(ids(await q(`from=${from}&to=${to}`))).toEqual([logs.busy]);
      expect(ids(await q(`contactId=${ws.contacts.ny}`))).toEqual([ws.callLog]);
      expect(ids(await q(`contactId=${other.contacts.ny}`))).toEqual([]);
      expectProblem(await q('outcome=hung_up'), 400, 'query.outcome');
      expectProblem(await q('from=yesterday'), 400, 'query.from');
      expectProblem(await q(`from=${to}&to=${from}`), 400, 'query.to');
      expectProblem(await q('agentId=ben'), 400, 'query.agentId');
      expectProblem(await q('limit=201'), 400, 'query.limit');
      expectProblem(await q('cursor=bogus'), 400, 'query.cursor');
      expectProblem(await q('page=2'), 400, 'query.page');
    });

    it('pages through calls that started at the same instant without gaps', async () => {
      const url = `/api/call-logs?contactId=${ws.contacts.london}&limit=2`;
      const seen = await walk(viewer, url);
      expect(seen).toHaveLength(5);
      expect(new Set(seen)).toEqual(
        new Set([logs.inbound, logs.busy, logs.tieA, logs.tieB, logs.tieC]),
      );
      expect(seen.slice(0, 2)).toEqual([logs.inbound, logs.busy]);
    });

    it('keeps calls to their workspace and to signed-in people', async () => {
      const res = await viewer.get(`/api/call-logs/${other.callLog}`);
      expectProblem(res, 404);
      expect(res.json().detail).toBe('No call log with this id in your workspace.');
      expect(ids(await viewer.get('/api/call-logs?limit=200'))).not.toContain(other.callLog);
      expectProblem(await viewer.get('/api/call-logs/nope'), 400, 'params.id');
      expectProblem(await anonymous(app).get('/api/call-logs'), 401);
      expectProblem(await anonymous(app).get(`/api/call-logs/${ws.callLog}`), 401);
    });
  });
}
