/**
 * Agents over HTTP: create and edit (admin), validation, unique names, one default agent kept
 * in sync with the settings, the default and agents still in use cannot be deactivated, and
 * one agent's calls in progress now.
 */
import { and, eq } from 'drizzle-orm';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as s from '../src/server/db/schema.ts';
import { buildApp } from '../src/server/http/app.ts';
import { newId } from '../src/server/ids.ts';
import { type Client, signIn } from './helpers/client.ts';
import { testDatabases, useDatabase } from './helpers/databases.ts';
import { insertFollowUp, snapshotWorkspace } from './helpers/fixtures.ts';
import { createTestWorkspace, type TestWorkspace } from './helpers/workspace.ts';

function expectProblem(res: LightMyRequestResponse, status: number, path?: string) {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toContain('application/problem+json');
  if (path) expect(res.json().errors.map((e: { path: string }) => e.path)).toContain(path);
}

interface AgentJson {
  id: string;
  name: string;
  isDefault: boolean;
  status: string;
  maxConcurrentCalls: number;
}

for (const target of testDatabases()) {
  describe(`agents API [${target.name}]`, () => {
    const ctx = useDatabase(target);
    let app: FastifyInstance;
    let ws: TestWorkspace;
    let other: TestWorkspace;
    let admin: Client;

    beforeAll(async () => {
      app = await buildApp({ handle: ctx.handle, logger: false });
      ws = await createTestWorkspace(ctx.handle.db, 'Agents Co');
      other = await createTestWorkspace(ctx.handle.db, 'Other Agents Co');
      admin = await signIn(app, ws.users.admin.email);
    });
    afterAll(() => app.close());

    const list = async (): Promise<AgentJson[]> => (await admin.get('/api/agents')).json().items;
    const defaults = async () => (await list()).filter((a) => a.isDefault).map((a) => a.name);
    const settingsDefault = async () => (await admin.get('/api/settings')).json().defaultAgent;

    it('creates an agent with the documented defaults and lists it', async () => {
      const res = await admin.post('/api/agents', { name: '  Dora  ', description: 'Renewals' });
      expect(res.statusCode, res.body).toBe(201);
      const created = res.json();
      expect(created).toMatchObject({
        name: 'Dora',
        description: 'Renewals',
        status: 'active',
        maxConcurrentCalls: 5,
        isDefault: false,
        callsInProgress: 0,
        callsNow: [],
      });
      expect((await list()).map((a) => a.name)).toEqual(['Ava', 'Ben', 'Cleo', 'Dora']);
      const one = await admin.get(`/api/agents/${created.id}`);
      expect(one.json()).toEqual(created);
    });

    it('keeps the voice platform agent id and caller number, and clears them', async () => {
      const res = await admin.post('/api/agents', {
        name: 'Retta',
        externalAgentId: ' agent_3f1c9d ',
        fromNumber: '+12125550199',
      });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json()).toMatchObject({
        externalAgentId: 'agent_3f1c9d',
        fromNumber: '+12125550199',
      });
      const cleared = await admin.patch(`/api/agents/${res.json().id}`, {
        externalAgentId: '',
        fromNumber: null,
      });
      expect(cleared.statusCode, cleared.body).toBe(200);
      expect(cleared.json()).toMatchObject({ externalAgentId: null, fromNumber: null });
      await admin.patch(`/api/agents/${res.json().id}`, { status: 'inactive' });
    });

    it('refuses invalid input with the field and the reason, and writes nothing', async () => {
      const before = await list();
      const cases: [unknown, string][] = [
        [{ name: '   ' }, 'name'],
        [{ name: 'Eve', maxConcurrentCalls: 0 }, 'maxConcurrentCalls'],
        [{ name: 'Eve', maxConcurrentCalls: 101 }, 'maxConcurrentCalls'],
        [{ name: 'Eve', maxConcurrentCalls: 2.5 }, 'maxConcurrentCalls'],
        [{ name: 'Eve', status: 'paused' }, 'status'],
        [{ name: 'x'.repeat(101) }, 'name'],
        [{ name: 'Eve', fromNumber: '212 555 0100' }, 'fromNumber'],
        [{ name: 'Eve', externalAgentId: 'agent with spaces' }, 'externalAgentId'],
      ];
      for (const [body, path] of cases) {
        const res = await admin.post('/api/agents', body);
        expectProblem(res, 400, path);
      }
      expect(
        res400Message(await admin.post('/api/agents', { name: 'Eve', maxConcurrentCalls: 0 })),
      ).toContain('from 1 to 100');
      expectProblem(await admin.post('/api/agents', { name: 'Eve', color: 'red' }), 400);
      expectProblem(
        await admin.patch(`/api/agents/${ws.agents.active}`, { name: '' }),
        400,
        'name',
      );
      expect(await list()).toEqual(before);
    });

    it('keeps names unique in the workspace, whatever the case', async () => {
      expectProblem(await admin.post('/api/agents', { name: 'ava' }), 409, 'name');
      expectProblem(
        await admin.patch(`/api/agents/${ws.agents.active}`, { name: 'AVA' }),
        409,
        'name',
      );
      // A different case of its own name is fine, and another workspace's names are free.
      const renamed = await admin.patch(`/api/agents/${ws.agents.active}`, { name: 'BEN' });
      expect(renamed.statusCode, renamed.body).toBe(200);
      expect(renamed.json().name).toBe('BEN');
      await admin.patch(`/api/agents/${ws.agents.active}`, { name: 'Ben' });
      const otherAdmin = await signIn(app, other.users.admin.email);
      expect((await otherAdmin.post('/api/agents', { name: 'Dora' })).statusCode).toBe(201);
    });

    it('keeps one default agent, the same on the agents and in the settings', async () => {
      expect(await defaults()).toEqual(['Ava']);
      const created = await admin.post('/api/agents', { name: 'Finn', isDefault: true });
      expect(created.statusCode, created.body).toBe(201);
      expect(created.json().isDefault).toBe(true);
      expect(await defaults()).toEqual(['Finn']);
      expect(await settingsDefault()).toEqual({ id: created.json().id, name: 'Finn' });

      const back = await admin.patch(`/api/agents/${ws.agents.default}`, { isDefault: true });
      expect(back.statusCode, back.body).toBe(200);
      expect(await defaults()).toEqual(['Ava']);
      expect(await settingsDefault()).toEqual({ id: ws.agents.default, name: 'Ava' });

      // The settings move it the same way.
      await admin.patch('/api/settings', { defaultAgentId: ws.agents.active });
      expect(await defaults()).toEqual(['Ben']);
      await admin.patch('/api/settings', { defaultAgentId: ws.agents.default });
      expect(await defaults()).toEqual(['Ava']);
    });

    it('refuses to make the default agent inactive, and changes nothing', async () => {
      const before = await list();
      const res = await admin.patch(`/api/agents/${ws.agents.default}`, { status: 'inactive' });
      expectProblem(res, 422, 'status');
      expect(res.json().detail).toMatch(/Choose another default agent first/);
      expectProblem(
        await admin.patch(`/api/agents/${ws.agents.inactive}`, { isDefault: true }),
        422,
        'status',
      );
      expectProblem(
        await admin.post('/api/agents', { name: 'Gus', status: 'inactive', isDefault: true }),
        422,
      );
      expect(await list()).toEqual(before);
      expect(await settingsDefault()).toEqual({ id: ws.agents.default, name: 'Ava' });
    });

    it('refuses to deactivate an agent that open call follow-ups use, and says how many', async () => {
      const db = ctx.handle.db;
      const agent = (await admin.post('/api/agents', { name: 'Hal' })).json();
      const campaign = newId();
      await db
        .insert(s.campaigns)
        .values({ id: campaign, workspaceId: ws.id, name: 'Hal calls', agentId: agent.id });
      const chosen = await insertFollowUp(db, ws, { agentId: agent.id });
      const inherited = await insertFollowUp(db, ws, { campaignId: campaign, status: 'snoozed' });
      // Finished ones and SMS do not count.
      await insertFollowUp(db, ws, { agentId: agent.id, status: 'completed' });
      await insertFollowUp(db, ws, { agentId: agent.id, type: 'sms' });

      const res = await admin.patch(`/api/agents/${agent.id}`, { status: 'inactive' });
      expectProblem(res, 422, 'status');
      expect(res.json().detail).toMatch(/^2 open call follow-ups use Hal/);
      expect((await admin.get(`/api/agents/${agent.id}`)).json().status).toBe('active');

      await db
        .update(s.followUps)
        .set({ agentId: ws.agents.active })
        .where(eq(s.followUps.id, chosen));
      const one = await admin.patch(`/api/agents/${agent.id}`, { status: 'inactive' });
      expect(one.json().detail).toMatch(/^1 open call follow-up uses Hal/);

      await db
        .update(s.followUps)
        .set({ status: 'cancelled', completedAt: new Date(), snoozedUntil: null })
        .where(eq(s.followUps.id, inherited));
      const ok = await admin.patch(`/api/agents/${agent.id}`, {
        status: 'inactive',
        maxConcurrentCalls: 3,
      });
      expect(ok.statusCode, ok.body).toBe(200);
      expect(ok.json()).toMatchObject({ status: 'inactive', maxConcurrentCalls: 3 });
      // Back to active is always allowed.
      const again = await admin.patch(`/api/agents/${agent.id}`, { status: 'active' });
      expect(again.json().status).toBe('active');
    });

    it("shows one agent's calls in progress now, with contact and start time", async () => {
      const db = ctx.handle.db;
      const startedAt = new Date(Date.now() - 90_000);
      const running = await insertFollowUp(db, ws, {
        status: 'in_progress',
        attempts: 2,
        resolvedAgentId: ws.agents.active,
        contactId: ws.contacts.london,
      });
      await db.insert(s.followUpAttempts).values(
        [1, 2].map((number) => ({
          id: newId(),
          workspaceId: ws.id,
          followUpId: running,
          number,
          channel: 'call',
          provider: 'simulator',
          agentId: ws.agents.active,
          idempotencyKey: `${running}:${number}`,
          startedAt: number === 1 ? new Date(Date.now() - 3_600_000) : startedAt,
          endedAt: number === 1 ? new Date(Date.now() - 3_500_000) : null,
          result: number === 1 ? 'no_answer' : null,
        })),
      );
      const res = await admin.get(`/api/agents/${ws.agents.active}`);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ name: 'Ben', callsInProgress: 1 });
      expect(res.json().callsNow).toEqual([
        {
          followUpId: running,
          contact: { id: ws.contacts.london, name: 'Liam Stone' },
          attempt: 2,
          startedAt: startedAt.toISOString(),
        },
      ]);
      const listed = (await list()).find((a) => a.id === ws.agents.active);
      expect(listed).toMatchObject({ callsInProgress: 1 });
      const viewer = await signIn(app, ws.users.viewer.email);
      expect((await viewer.get(`/api/agents/${ws.agents.active}`)).json().callsNow).toHaveLength(1);
      await db
        .update(s.followUps)
        .set({ status: 'completed', completedAt: new Date() })
        .where(and(eq(s.followUps.id, running)));
    });

    it("answers 404 for another workspace's agent and changes nothing there", async () => {
      const before = await snapshotWorkspace(ctx.handle.db, other.id);
      expectProblem(await admin.get(`/api/agents/${other.agents.active}`), 404);
      expectProblem(
        await admin.patch(`/api/agents/${other.agents.active}`, { maxConcurrentCalls: 9 }),
        404,
      );
      expectProblem(
        await admin.patch(`/api/agents/${other.agents.default}`, { isDefault: false }),
        404,
      );
      expect(await snapshotWorkspace(ctx.handle.db, other.id)).toEqual(before);
    });

    it('lets only admins create and edit agents', async () => {
      for (const role of ['operator', 'viewer'] as const) {
        const client = await signIn(app, ws.users[role].email);
        expectProblem(await client.post('/api/agents', { name: `By ${role}` }), 403);
        expectProblem(
          await client.patch(`/api/agents/${ws.agents.active}`, { maxConcurrentCalls: 9 }),
          403,
        );
      }
      expect((await list()).find((a) => a.id === ws.agents.active)?.maxConcurrentCalls).toBe(5);
    });
  });
}

function res400Message(res: LightMyRequestResponse): string {
  return JSON.stringify(res.json().errors);
}
