import { eq } from 'drizzle-orm';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CALLING_WINDOW } from '../src/core/calling-window.ts';
import * as s from '../src/server/db/schema.ts';
import { buildApp } from '../src/server/http/app.ts';
import { newId } from '../src/server/ids.ts';
import { anonymous, type Client, signIn, withKey } from './helpers/client.ts';
import { testDatabases, useDatabase } from './helpers/databases.ts';
import { createTestWorkspace, type TestWorkspace } from './helpers/workspace.ts';

function expectProblem(res: LightMyRequestResponse, status: number, path?: string) {
  expect(res.statusCode).toBe(status);
  expect(res.headers['content-type']).toContain('application/problem+json');
  if (path) expect(res.json().errors.map((e: { path: string }) => e.path)).toContain(path);
}

const SECRET = /^whsec_[A-Za-z0-9+/]{32}$/; // 24 random bytes in base64

for (const target of testDatabases()) {
  describe(`webhook endpoints and settings API [${target.name}]`, () => {
    const ctx = useDatabase(target);
    let app: FastifyInstance;
    let ws: TestWorkspace;
    let other: TestWorkspace;
    let admin: Client;

    beforeAll(async () => {
      app = await buildApp({ handle: ctx.handle, logger: false });
      ws = await createTestWorkspace(ctx.handle.db);
      other = await createTestWorkspace(ctx.handle.db, 'Other Co');
      admin = await signIn(app, ws.users.admin.email);
    });
    afterAll(() => app.close());

    const defaults = async (client: Client) =>
      (await client.get('/api/webhook-endpoints'))
        .json()
        .items.filter((e: { isDefault: boolean }) => e.isDefault);

    it('creates an endpoint and shows its secret in the create response only', async () => {
      const res = await admin.post('/api/webhook-endpoints', {
        url: 'https://hooks.example.com/followthrough',
        description: 'CRM sync',
      });
      expect(res.statusCode).toBe(201);
      const created = res.json();
      expect(created).toMatchObject({
        url: 'https://hooks.example.com/followthrough',
        description: 'CRM sync',
        active: true,
        isDefault: false,
      });
      expect(created.secret).toMatch(SECRET);
      const list = await admin.get('/api/webhook-endpoints');
      expect(list.json().items).toEqual([
        {
          id: created.id,
          url: created.url,
          description: 'CRM sync',
          active: true,
          isDefault: false,
          createdAt: created.createdAt,
          updatedAt: created.updatedAt,
        },
      ]);
      expect(list.body).not.toContain('whsec_');
      const patched = await admin.patch(`/api/webhook-endpoints/${created.id}`, { active: false });
      expect(patched.json()).toMatchObject({ active: false, description: 'CRM sync' });
      expect(patched.body).not.toContain('whsec_');
      const second = (
        await admin.post('/api/webhook-endpoints', { url: 'https://b.example.com/' })
      ).json();
      expect(second.secret).toMatch(SECRET);
      expect(second.secret).not.toBe(created.secret);
    });

    it('accepts https, and plain http only to this machine when private targets are allowed', async () => {
      const loopback = ['http://localhost:8080/hook', 'http://127.0.0.1/x', 'http://[::1]:9/'];
      const dev = await buildApp({ handle: ctx.handle, logger: false, allowPrivateWebhooks: true });
      try {
        const devAdmin = await signIn(dev, ws.users.admin.email);
        for (const url of loopback) {
          expect((await devAdmin.post('/api/webhook-endpoints', { url })).statusCode).toBe(201);
        }
      } finally {
        await dev.close();
      }
      for (const url of loopback) {
        const res = await admin.post('/api/webhook-endpoints', { url });
        expectProblem(res, 400, 'url');
        expect(res.json().detail).toMatch(
          /^The address .+ is not allowed \(private or reserved network\)\.$/,
        );
      }
      for (const url of [
        'http://example.com/hook',
        'http://10.0.0.1/hook',
        'ftp://example.com/',
        'example.com/hook',
        'https://user:pass@example.com/',
      ]) {
        const res = await admin.post('/api/webhook-endpoints', { url });
        expectProblem(res, 400, 'url');
      }
      // Addresses written into the URL are judged when the endpoint is saved, in any spelling.
      for (const url of [
        'https://10.0.0.1/hook',
        'https://100.64.0.1/',
        'https://198.18.0.1/',
        'https://169.254.169.254/latest',
        'https://2130706433/',
        'https://0x7f.1/',
        'https://0177.0.0.1/',
        'https://[::ffff:192.168.0.1]/',
        'https://[::10.0.0.1]/',
        'https://[64:ff9b::a00:1]/',
        'https://[2002:a00:1::]/',
        'https://[fd00::1]/',
      ]) {
        const res = await admin.post('/api/webhook-endpoints', { url });
        expectProblem(res, 400, 'url');
        expect(res.json().detail, url).toContain('is not allowed (private or reserved network)');
      }
      const first = (
        await admin.post('/api/webhook-endpoints', { url: 'https://hooks.example.com/p' })
      ).json();
      const moved = await admin.patch(`/api/webhook-endpoints/${first.id}`, {
        url: 'https://192.168.1.1/',
      });
      expectProblem(moved, 400, 'url');
      expect((await admin.get('/api/webhook-endpoints')).json().items).toContainEqual(
        expect.objectContaining({ id: first.id, url: 'https://hooks.example.com/p' }),
      );
      const http = await admin.post('/api/webhook-endpoints', { url: 'http://example.com/' });
      expect(http.json().errors[0].message).toContain('Use https');
      expectProblem(await admin.post('/api/webhook-endpoints', {}), 400, 'url');
      const unknown = await admin.post('/api/webhook-endpoints', {
        url: 'https://a.example.com/',
        secret: 'whsec_mine',
      });
      expectProblem(unknown, 400, 'secret');
    });

    it('keeps exactly one default endpoint', async () => {
      const scoped = await createTestWorkspace(ctx.handle.db, 'Defaults Co');
      const client = withKey(app, scoped.keys.admin);
      const a = (
        await client.post('/api/webhook-endpoints', {
          url: 'https://a.example.com/',
          isDefault: true,
        })
      ).json();
      const b = (
        await client.post('/api/webhook-endpoints', {
          url: 'https://b.example.com/',
          isDefault: true,
        })
      ).json();
      expect((await defaults(client)).map((e: { id: string }) => e.id)).toEqual([b.id]);
      const res = await client.patch(`/api/webhook-endpoints/${a.id}`, {
        isDefault: true,
        url: 'https://a2.example.com/',
        description: 'Primary',
      });
      expect(res.json()).toMatchObject({
        isDefault: true,
        url: 'https://a2.example.com/',
        description: 'Primary',
      });
      expect((await defaults(client)).map((e: { id: string }) => e.id)).toEqual([a.id]);
      const bad = await client.patch(`/api/webhook-endpoints/${b.id}`, {
        isDefault: true,
        url: 'http://example.com/',
      });
      expectProblem(bad, 400, 'url');
      expect((await defaults(client)).map((e: { id: string }) => e.id)).toEqual([a.id]);
      // Another workspace's default is untouched.
      const elsewhere = await withKey(app, other.keys.admin).post('/api/webhook-endpoints', {
        url: 'https://other.example.com/',
        isDefault: true,
      });
      expect(elsewhere.json().isDefault).toBe(true);
      expect((await defaults(client)).map((e: { id: string }) => e.id)).toEqual([a.id]);
    });

    it('deletes an endpoint, and never one of another workspace', async () => {
      const mine = (
        await admin.post('/api/webhook-endpoints', { url: 'https://gone.example.com/' })
      ).json();
      const theirs = (
        await withKey(app, other.keys.admin).post('/api/webhook-endpoints', {
          url: 'https://theirs.example.com/',
        })
      ).json();
      expectProblem(
        await admin.patch(`/api/webhook-endpoints/${theirs.id}`, { active: false }),
        404,
      );
      expectProblem(await admin.delete(`/api/webhook-endpoints/${theirs.id}`), 404);
      const [row] = await ctx.handle.db
        .select()
        .from(s.webhookEndpoints)
        .where(eq(s.webhookEndpoints.id, theirs.id));
      expect(row).toMatchObject({ active: true, url: 'https://theirs.example.com/' });
      const deleted = await admin.delete(`/api/webhook-endpoints/${mine.id}`);
      expect(deleted.statusCode).toBe(204);
      expect(deleted.body).toBe('');
      expectProblem(await admin.delete(`/api/webhook-endpoints/${mine.id}`), 404);
      expectProblem(await admin.delete('/api/webhook-endpoints/abc'), 400, 'params.id');
    });

    it('lets only admins near webhook endpoints', async () => {
      const id = newId();
      for (const client of [
        await signIn(app, ws.users.operator.email),
        await signIn(app, ws.users.viewer.email),
        withKey(app, ws.keys.operator),
      ]) {
        expectProblem(await client.get('/api/webhook-endpoints'), 403);
        expectProblem(
          await client.post('/api/webhook-endpoints', { url: 'https://x.example.com/' }),
          403,
        );
        expectProblem(await client.patch(`/api/webhook-endpoints/${id}`, { active: true }), 403);
        expectProblem(await client.delete(`/api/webhook-endpoints/${id}`), 403);
      }
      expectProblem(await anonymous(app).get('/api/webhook-endpoints'), 401);
      expectProblem(await anonymous(app).delete(`/api/webhook-endpoints/${id}`), 401);
    });

    it('shows the settings to every role', async () => {
      const res = await withKey(app, ws.keys.viewer).get('/api/settings');
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({
        name: 'Test Co',
        timezone: 'America/New_York',
        callingWindow: DEFAULT_CALLING_WINDOW,
        retryScheduleMinutes: [15, 60, 240],
        defaultExpiryHours: 72,
        defaultAgent: { id: ws.agents.default, name: 'Ava' },
      });
      expect(res.json().outcomeRules[0]).toMatchObject({ outcome: 'callback_requested' });
      expectProblem(await anonymous(app).get('/api/settings'), 401);
    });

    it('changes settings for admins only, and the default agent everywhere', async () => {
      const scoped = await createTestWorkspace(ctx.handle.db, 'Settings Co');
      const client = withKey(app, scoped.keys.admin);
      expectProblem(await withKey(app, scoped.keys.operator).patch('/api/settings', {}), 403);
      expectProblem(await withKey(app, scoped.keys.viewer).patch('/api/settings', {}), 403);
      const window = {
        weekly: { ...DEFAULT_CALLING_WINDOW.weekly, saturday: [{ start: '10:00', end: '13:00' }] },
        closedDates: ['2026-12-25'],
      };
      const rules = [
        { outcome: 'busy', type: 'call', delayMinutes: 20, maxAttempts: 2, priority: 'low' },
      ];
      const res = await client.patch('/api/settings', {
        name: 'Renamed Co',
        timezone: 'europe/london',
        callingWindow: window,
        retryScheduleMinutes: [5, 30],
        defaultExpiryHours: 24,
        defaultAgentId: scoped.agents.active,
        outcomeRules: rules,
      });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({
        name: 'Renamed Co',
        timezone: 'Europe/London',
        callingWindow: window,
        retryScheduleMinutes: [5, 30],
        defaultExpiryHours: 24,
        defaultAgent: { id: scoped.agents.active, name: 'Ben' },
        outcomeRules: rules,
      });
      expect((await client.get('/api/settings')).json()).toEqual(res.json());
      const agents = (await client.get('/api/agents')).json().items;
      const marked = agents.filter((a: { isDefault: boolean }) => a.isDefault);
      expect(marked.map((a: { id: string }) => a.id)).toEqual([scoped.agents.active]);
      // Only the given fields change.
      const partial = await client.patch('/api/settings', { defaultExpiryHours: 48 });
      expect(partial.json()).toMatchObject({ defaultExpiryHours: 48, timezone: 'Europe/London' });
      // Other workspaces keep theirs.
      const theirs = (await withKey(app, other.keys.viewer).get('/api/settings')).json();
      expect(theirs).toMatchObject({ name: 'Other Co', timezone: 'America/New_York' });
    });

    it('changes nothing when any one field is wrong', async () => {
      const scoped = await createTestWorkspace(ctx.handle.db, 'Careful Co');
      const client = withKey(app, scoped.keys.admin);
      const before = (await client.get('/api/settings')).json();
      const good = { name: 'Changed', timezone: 'Asia/Tokyo', defaultExpiryHours: 10 };
      const cases: [Record<string, unknown>, string, number][] = [
        [{ timezone: 'Mars/Olympus' }, 'timezone', 400],
        [{ defaultExpiryHours: 0 }, 'defaultExpiryHours', 400],
        [{ defaultExpiryHours: 8761 }, 'defaultExpiryHours', 400],
        [{ retryScheduleMinutes: [] }, 'retryScheduleMinutes', 400],
        [{ retryScheduleMinutes: [15, 0.5] }, 'retryScheduleMinutes', 400],
        [
          { callingWindow: { ...DEFAULT_CALLING_WINDOW, closedDates: ['2026-02-30'] } },
          'callingWindow.closedDates.0',
          400,
        ],
        [
          {
            callingWindow: {
              weekly: {
                ...DEFAULT_CALLING_WINDOW.weekly,
                monday: [
                  { start: '09:00', end: '12:00' },
                  { start: '11:00', end: '25:00' },
                ],
              },
              closedDates: [],
            },
          },
          'callingWindow.weekly.monday.1.end',
          400,
        ],
        [
          { callingWindow: { weekly: { monday: [] }, closedDates: [] } },
          'callingWindow.weekly.tuesday',
          400,
        ],
        [
          {
            outcomeRules: [
              {
                outcome: 'hung_up',
                type: 'call',
                delayMinutes: 5,
                maxAttempts: 1,
                priority: 'low',
              },
            ],
          },
          'outcomeRules.0.outcome',
          400,
        ],
        [
          {
            outcomeRules: [
              { outcome: 'busy', type: 'call', delayMinutes: -1, maxAttempts: 11, priority: 'low' },
            ],
          },
          'outcomeRules.0.maxAttempts',
          400,
        ],
        [{ colour: 'blue' }, 'colour', 400],
        [{ defaultAgentId: 'ava' }, 'defaultAgentId', 400],
        [{ defaultAgentId: scoped.agents.inactive }, 'defaultAgentId', 422],
        [{ defaultAgentId: other.agents.active }, 'defaultAgentId', 422],
        [{ defaultAgentId: newId() }, 'defaultAgentId', 422],
      ];
      for (const [bad, path, status] of cases) {
        const res = await client.patch('/api/settings', { ...good, ...bad });
        expectProblem(res, status, path);
      }
      expect((await client.get('/api/settings')).json()).toEqual(before);
      const agents = (await client.get('/api/agents')).json().items;
      const marked = agents.filter((a: { isDefault: boolean }) => a.isDefault);
      expect(marked.map((a: { id: string }) => a.id)).toEqual([scoped.agents.default]);
    });
  });
}
