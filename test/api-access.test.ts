/**
 * Every route, every role (SPEC §9), signed in and with an API key: allowed or 403. And every
 * route called with another workspace's ids: 404, with nothing changed there. The routes the app
 * registers are read from the app itself: a new route is either in the matrix below or one of the
 * exceptions, each with its reason.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../src/core/roles.ts';
import { systemClock } from '../src/server/clock.ts';
import type { Database } from '../src/server/db/client.ts';
import * as s from '../src/server/db/schema.ts';
import { buildApp } from '../src/server/http/app.ts';
import { createApiKey } from '../src/server/services/auth.service.ts';
import { anonymous, type Client, signIn, withKey } from './helpers/client.ts';
import { testDatabases, useDatabase } from './helpers/databases.ts';
import {
  insertCampaign,
  insertDncEntry,
  insertFollowUp,
  insertUser,
  insertWebhookDelivery,
  insertWebhookEndpoint,
  snapshotWorkspace,
} from './helpers/fixtures.ts';
import { insertImportJob } from './helpers/imports.ts';
import { createTestWorkspace, type TestWorkspace } from './helpers/workspace.ts';

const HOUR = 3_600_000;
let serial = 1000 + Math.floor(Math.random() * 8000);
/** A valid New York number, new on every call. */
const newPhone = () => `+1212736${String(serial++ % 10_000).padStart(4, '0')}`;
const soon = () => new Date(Date.now() + 2 * HOUR).toISOString();

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
interface Route {
  method: Method;
  path: string;
  access: Role;
  /** A valid request against `ws`, made fresh for every call. */
  make: (
    db: Database,
    ws: TestWorkspace,
  ) => Promise<{ url: string; body?: unknown; headers?: Record<string, string> }>;
}

const plain = (url: string) => async () => ({ url });
const adminOf = (ws: TestWorkspace) => ({
  workspaceId: ws.id,
  kind: 'user' as const,
  id: ws.users.admin.id,
  role: 'admin' as const,
});

const ROUTES: Route[] = [
  { method: 'GET', path: '/api/me', access: 'viewer', make: plain('/api/me') },
  { method: 'GET', path: '/api/agents', access: 'viewer', make: plain('/api/agents') },
  {
    method: 'POST',
    path: '/api/agents',
    access: 'admin',
    make: async () => ({ url: '/api/agents', body: { name: `Agent ${serial++}` } }),
  },
  {
    method: 'GET',
    path: '/api/agents/:id',
    access: 'viewer',
    make: async (_db, ws) => ({ url: `/api/agents/${ws.agents.active}` }),
  },
  {
    method: 'PATCH',
    path: '/api/agents/:id',
    access: 'admin',
    make: async (_db, ws) => ({
      url: `/api/agents/${ws.agents.active}`,
      body: { maxConcurrentCalls: 6 },
    }),
  },
  { method: 'GET', path: '/api/contacts', access: 'viewer', make: plain('/api/contacts?q=nora') },
  {
    method: 'POST',
    path: '/api/contacts',
    access: 'operator',
    make: async () => ({ url: '/api/contacts', body: { firstName: 'New', phone: newPhone() } }),
  },
  {
    method: 'GET',
    path: '/api/contacts/:id',
    access: 'viewer',
    make: async (_db, ws) => ({ url: `/api/contacts/${ws.contacts.ny}` }),
  },
  {
    method: 'PATCH',
    path: '/api/contacts/:id',
    access: 'operator',
    make: async (_db, ws) => ({
      url: `/api/contacts/${ws.contacts.ny}`,
      body: { company: 'Acme' },
    }),
  },
  {
    method: 'GET',
    path: '/api/contacts/:id/call-logs',
    access: 'viewer',
    make: async (_db, ws) => ({ url: `/api/contacts/${ws.contacts.ny}/call-logs` }),
  },
  { method: 'GET', path: '/api/campaigns', access: 'viewer', make: plain('/api/campaigns') },
  {
    method: 'GET',
    path: '/api/campaigns/:id',
    access: 'viewer',
    make: async (_db, ws) => ({ url: `/api/campaigns/${ws.campaign}` }),
  },
  {
    method: 'POST',
    path: '/api/campaigns',
    access: 'admin',
    make: async () => ({ url: '/api/campaigns', body: { name: 'New campaign' } }),
  },
  {
    method: 'PATCH',
    path: '/api/campaigns/:id',
    access: 'admin',
    make: async (db, ws) => ({
      url: `/api/campaigns/${await insertCampaign(db, ws)}`,
      body: { name: 'Renamed' },
    }),
  },
  {
    method: 'POST',
    path: '/api/campaigns/:id/status',
    access: 'admin',
    make: async (db, ws) => ({
      url: `/api/campaigns/${await insertCampaign(db, ws)}/status`,
      body: { status: 'running' },
    }),
  },
  {
    method: 'GET',
    path: '/api/campaigns/:id/follow-ups',
    access: 'viewer',
    make: async (_db, ws) => ({ url: `/api/campaigns/${ws.campaign}/follow-ups` }),
  },
  { method: 'GET', path: '/api/call-logs', access: 'viewer', make: plain('/api/call-logs') },
  {
    method: 'GET',
    path: '/api/call-logs/:id',
    access: 'viewer',
    make: async (_db, ws) => ({ url: `/api/call-logs/${ws.callLog}` }),
  },
  { method: 'GET', path: '/api/dashboard', access: 'viewer', make: plain('/api/dashboard') },
  { method: 'GET', path: '/api/dnc', access: 'viewer', make: plain('/api/dnc') },
  {
    method: 'POST',
    path: '/api/dnc',
    access: 'operator',
    make: async () => ({ url: '/api/dnc', body: { phone: newPhone(), reason: 'Asked' } }),
  },
  {
    method: 'DELETE',
    path: '/api/dnc/:id',
    access: 'operator',
    make: async (db, ws) => ({ url: `/api/dnc/${await insertDncEntry(db, ws, newPhone())}` }),
  },
  {
    method: 'POST',
    path: '/api/imports',
    access: 'operator',
    make: async () => ({
      url: '/api/imports?kind=contacts&fileName=people.csv',
      body: `Phone,Name\n${newPhone()},Ada\n`,
      headers: { 'content-type': 'text/csv' },
    }),
  },
  { method: 'GET', path: '/api/imports', access: 'viewer', make: plain('/api/imports') },
  {
    method: 'GET',
    path: '/api/imports/:id',
    access: 'viewer',
    make: async (db, ws) => ({ url: `/api/imports/${await insertImportJob(db, ws)}` }),
  },
  {
    method: 'GET',
    path: '/api/imports/:id/errors.csv',
    access: 'viewer',
    make: async (db, ws) => ({ url: `/api/imports/${await insertImportJob(db, ws)}/errors.csv` }),
  },
  {
    method: 'POST',
    path: '/api/imports/:id/review',
    access: 'operator',
    make: async (db, ws) => ({
      url: `/api/imports/${await insertImportJob(db, ws)}/review`,
      body: { mapping: { Phone: 'phone', Name: 'firstName' } },
    }),
  },
  {
    method: 'DELETE',
    path: '/api/imports/:id',
    access: 'operator',
    make: async (db, ws) => ({ url: `/api/imports/${await insertImportJob(db, ws)}` }),
  },
  {
    method: 'POST',
    path: '/api/imports/:id/start',
    access: 'operator',
    make: async (db, ws) => ({
      url: `/api/imports/${await insertImportJob(db, ws, `Phone,Name\n${newPhone()},Ada\n`)}/start`,
      body: { mapping: { Phone: 'phone', Name: 'firstName' } },
    }),
  },
  { method: 'GET', path: '/api/follow-ups', access: 'viewer', make: plain('/api/follow-ups') },
  {
    method: 'GET',
    path: '/api/follow-ups/export.csv',
    access: 'viewer',
    make: plain('/api/follow-ups/export.csv?status=scheduled'),
  },
  {
    method: 'GET',
    path: '/api/call-logs/export.csv',
    access: 'viewer',
    make: plain('/api/call-logs/export.csv'),
  },
  {
    method: 'POST',
    path: '/api/follow-ups',
    access: 'operator',
    make: async (_db, ws) => ({
      url: '/api/follow-ups',
      body: { contactId: ws.contacts.ny, type: 'call', scheduledAt: soon() },
    }),
  },
  {
    method: 'POST',
    path: '/api/follow-ups/preview',
    access: 'viewer',
    make: async (_db, ws) => ({
      url: '/api/follow-ups/preview',
      body: { contactId: ws.contacts.london, type: 'call', scheduledAt: soon() },
    }),
  },
  {
    method: 'GET',
    path: '/api/follow-ups/:id',
    access: 'viewer',
    make: async (db, ws) => ({ url: `/api/follow-ups/${await insertFollowUp(db, ws)}` }),
  },
  {
    method: 'PATCH',
    path: '/api/follow-ups/:id',
    access: 'operator',
    make: async (db, ws) => ({
      url: `/api/follow-ups/${await insertFollowUp(db, ws)}`,
      body: { priority: 'high' },
    }),
  },
  {
    method: 'POST',
    path: '/api/follow-ups/:id/cancel',
    access: 'operator',
    make: async (db, ws) => ({ url: `/api/follow-ups/${await insertFollowUp(db, ws)}/cancel` }),
  },
  {
    method: 'POST',
    path: '/api/follow-ups/:id/snooze',
    access: 'operator',
    make: async (db, ws) => ({
      url: `/api/follow-ups/${await insertFollowUp(db, ws)}/snooze`,
      body: { until: new Date(Date.now() + 5 * HOUR).toISOString() },
    }),
  },
  {
    method: 'POST',
    path: '/api/follow-ups/:id/resume',
    access: 'operator',
    make: async (db, ws) => ({
      url: `/api/follow-ups/${await insertFollowUp(db, ws, { status: 'snoozed' })}/resume`,
    }),
  },
  {
    method: 'POST',
    path: '/api/follow-ups/:id/retry',
    access: 'operator',
    make: async (db, ws) => ({
      url: `/api/follow-ups/${await insertFollowUp(db, ws, { status: 'failed' })}/retry`,
    }),
  },
  {
    method: 'GET',
    path: '/api/webhook-endpoints',
    access: 'admin',
    make: plain('/api/webhook-endpoints'),
  },
  {
    method: 'POST',
    path: '/api/webhook-endpoints',
    access: 'admin',
    make: async () => ({
      url: '/api/webhook-endpoints',
      body: { url: 'https://hooks.example.com/in', description: 'CRM' },
    }),
  },
  {
    method: 'PATCH',
    path: '/api/webhook-endpoints/:id',
    access: 'admin',
    make: async (db, ws) => ({
      url: `/api/webhook-endpoints/${await insertWebhookEndpoint(db, ws)}`,
      body: { description: 'Renamed' },
    }),
  },
  {
    method: 'DELETE',
    path: '/api/webhook-endpoints/:id',
    access: 'admin',
    make: async (db, ws) => ({
      url: `/api/webhook-endpoints/${await insertWebhookEndpoint(db, ws)}`,
    }),
  },
  { method: 'GET', path: '/api/api-keys', access: 'admin', make: plain('/api/api-keys') },
  {
    method: 'POST',
    path: '/api/api-keys',
    access: 'admin',
    make: async () => ({ url: '/api/api-keys', body: { name: 'Zapier', role: 'viewer' } }),
  },
  {
    method: 'GET',
    path: '/api/webhook-endpoints/:id/deliveries',
    access: 'admin',
    make: async (db, ws) => ({
      url: `/api/webhook-endpoints/${(await insertWebhookDelivery(db, ws)).endpointId}/deliveries`,
    }),
  },
  {
    method: 'POST',
    path: '/api/webhook-endpoints/:id/test',
    access: 'admin',
    make: async (db, ws) => ({
      url: `/api/webhook-endpoints/${(await insertWebhookDelivery(db, ws)).endpointId}/test`,
    }),
  },
  {
    method: 'POST',
    path: '/api/webhook-endpoints/:id/rotate-secret',
    access: 'admin',
    make: async (db, ws) => ({
      url: `/api/webhook-endpoints/${await insertWebhookEndpoint(db, ws)}/rotate-secret`,
    }),
  },
  {
    method: 'POST',
    path: '/api/webhook-deliveries/:id/redeliver',
    access: 'admin',
    make: async (db, ws) => ({
      url: `/api/webhook-deliveries/${(await insertWebhookDelivery(db, ws)).deliveryId}/redeliver`,
    }),
  },
  {
    method: 'DELETE',
    path: '/api/api-keys/:id',
    access: 'admin',
    make: async (db, ws) => ({
      url: `/api/api-keys/${(await createApiKey({ db, clock: systemClock }, adminOf(ws), { name: 'Old', role: 'viewer' })).id}`,
    }),
  },
  { method: 'GET', path: '/api/users', access: 'admin', make: plain('/api/users') },
  {
    method: 'POST',
    path: '/api/users',
    access: 'admin',
    make: async () => ({
      url: '/api/users',
      body: { name: 'New Person', email: `new.${newPhone().slice(1)}@example.com`, role: 'viewer' },
    }),
  },
  {
    method: 'PATCH',
    path: '/api/users/:id',
    access: 'admin',
    make: async (db, ws) => ({
      url: `/api/users/${await insertUser(db, ws)}`,
      body: { name: 'Renamed', role: 'operator', active: false },
    }),
  },
  {
    method: 'POST',
    path: '/api/users/:id/reset-password',
    access: 'admin',
    make: async (db, ws) => ({ url: `/api/users/${await insertUser(db, ws)}/reset-password` }),
  },
  { method: 'GET', path: '/api/settings', access: 'viewer', make: plain('/api/settings') },
  {
    method: 'GET',
    path: '/api/settings/voice-platform',
    access: 'viewer',
    make: plain('/api/settings/voice-platform'),
  },
  {
    method: 'PUT',
    path: '/api/settings/voice-platform',
    access: 'admin',
    make: async () => ({
      url: '/api/settings/voice-platform',
      body: {
        provider: 'retell',
        caller: '+12125550199',
        credentials: { retellApiKey: 'key_own' },
      },
    }),
  },
  {
    method: 'DELETE',
    path: '/api/settings/voice-platform',
    access: 'admin',
    make: plain('/api/settings/voice-platform'),
  },
  {
    method: 'POST',
    path: '/api/settings/voice-platform/test',
    access: 'admin',
    // Tests the server's simulator: the workspace's own platform (saved above) is removed first.
    make: async (db, ws) => {
      await db
        .delete(s.workspaceVoicePlatforms)
        .where(eq(s.workspaceVoicePlatforms.workspaceId, ws.id));
      return { url: '/api/settings/voice-platform/test', body: {} };
    },
  },
  {
    method: 'PATCH',
    path: '/api/settings',
    access: 'admin',
    make: async () => ({ url: '/api/settings', body: { defaultExpiryHours: 48 } }),
  },
];

/** Routes outside the role matrix, each with the reason and where it is tested instead. */
const EXCEPTIONS: Record<string, string> = {
  'GET /': 'the web app (or its placeholder page): public',
  'GET /docs': 'the API reference: public',
  'GET /docs/': 'the API reference: public',
  'GET /docs/js/scalar.js': "the API reference's script: public",
  'GET /api/openapi.json': 'the OpenAPI document: public (auth.test.ts)',
  'GET /metrics': 'its own Bearer token, FOLLOWTHROUGH_METRICS_TOKEN (metrics.test.ts)',
  'GET /api/health': 'public, for load balancers (health.test.ts)',
  'POST /api/auth/login': 'signing in: public, with limits of its own (auth.test.ts)',
  'POST /api/auth/logout': 'signing out: public, ends the session it is sent with (auth.test.ts)',
  'POST /api/auth/password':
    "the caller's own password, the same for every role (api-passwords.test.ts)",
  'GET /api/events':
    'a stream that stays open: its access, checked again at every ping, in live-access.test.ts',
  'POST /api/providers/voice/callback':
    'signed by the voice provider, no role (provider-callbacks.test.ts)',
  'POST /api/providers/retell/webhook': 'signed by Retell, no role (voice-retell.test.ts)',
  'POST /api/providers/vapi/webhook': "Vapi's server-URL secret, no role (voice-vapi.test.ts)",
  'POST /api/providers/twilio/voice-status': 'signed by Twilio, no role (voice-twilio.test.ts)',
};

/**
 * The routes the app registers, as "METHOD /path" (HEAD, answered for every GET, left out), read
 * from Fastify's own route tree: each line is a node whose path continues its parent's.
 */
function registeredRoutes(app: FastifyInstance): string[] {
  const found: string[] = [];
  const prefixes: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const node = line.match(/^([\s│├└─]*)(\S.*?)(?: \(([A-Z, ]+)\))?$/u);
    if (!node) continue;
    const depth = Math.floor((node[1] as string).length / 4);
    const path = (prefixes[depth - 1] ?? '') + (node[2] as string);
    prefixes[depth] = path;
    prefixes.length = depth + 1;
    for (const method of node[3]?.split(', ') ?? []) {
      if (method !== 'HEAD') found.push(`${method} ${path}`);
    }
  }
  return found;
}

const RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

for (const target of testDatabases()) {
  describe(`access by role [${target.name}]`, () => {
    const ctx = useDatabase(target);
    let app: FastifyInstance;
    let ws: TestWorkspace;
    let other: TestWorkspace;
    const clients = {} as Record<`${Role}:${'session' | 'key'}`, Client>;

    beforeAll(async () => {
      const nowhere = 'http://127.0.0.1:9'; // never reached: the platform is tested as the simulator
      app = await buildApp({
        handle: ctx.handle,
        logger: false,
        // No web build here, whether or not dist/web exists: the route list is the API's and
        // the placeholder page's, not one route per built asset.
        webRoot: mkdtempSync(join(tmpdir(), 'ft-no-web-')),
        voicePlatform: {
          provider: 'simulator',
          secretKey: randomBytes(32),
          retell: { baseUrl: nowhere },
          vapi: { baseUrl: nowhere },
          twilio: { apiBase: nowhere },
        },
      });
      ws = await createTestWorkspace(ctx.handle.db, 'Access Co');
      other = await createTestWorkspace(ctx.handle.db, 'Other Co');
      for (const role of ['viewer', 'operator', 'admin'] as const) {
        clients[`${role}:session`] = await signIn(app, ws.users[role].email);
        clients[`${role}:key`] = withKey(app, ws.keys[role]);
      }
    });
    afterAll(() => app.close());

    it('has every registered route in the matrix or among the exceptions, and no other', () => {
      const registered = registeredRoutes(app);
      // The reading of the route tree works: known routes of every depth are found.
      expect(registered).toEqual(
        expect.arrayContaining(['GET /api/health', 'DELETE /api/imports/:id', 'GET /docs/']),
      );
      const listed = ROUTES.map((r) => `${r.method} ${r.path}`);
      const missing = registered.filter((r) => !listed.includes(r) && !(r in EXCEPTIONS));
      expect(missing, 'routes in neither the matrix nor the exceptions').toEqual([]);
      const gone = [...listed, ...Object.keys(EXCEPTIONS)].filter((r) => !registered.includes(r));
      expect(gone, 'listed routes the app does not register').toEqual([]);
      expect(new Set(listed).size, 'a route listed twice').toBe(listed.length);
    });

    for (const route of ROUTES) {
      it(`${route.method} ${route.path}: ${route.access} and above`, async () => {
        const db = ctx.handle.db;
        const anon = await route.make(db, ws);
        const res = await anonymous(app).request(route.method, anon.url, anon.body, anon.headers);
        expect(res.statusCode, 'anonymous').toBe(401);
        for (const role of ['viewer', 'operator', 'admin'] as const) {
          for (const via of ['session', 'key'] as const) {
            const { url, body, headers } = await route.make(db, ws);
            const res = await clients[`${role}:${via}`].request(route.method, url, body, headers);
            const label = `${role} (${via}): ${res.body.slice(0, 300)}`;
            if (RANK[role] >= RANK[route.access]) {
              expect(res.statusCode, label).toBeGreaterThanOrEqual(200);
              expect(res.statusCode, label).toBeLessThan(300);
            } else {
              expect(res.statusCode, label).toBe(403);
              expect(res.headers['content-type']).toContain('application/problem+json');
            }
          }
        }
      });
    }

    it("answers 404 for another workspace's ids on every route, and changes nothing there", async () => {
      const db = ctx.handle.db;
      const admin = clients['admin:session'];
      const foreign: { method: Method; url: string; body?: unknown }[] = [];
      for (const route of ROUTES.filter((r) => r.path.includes(':id'))) {
        const made = await route.make(db, other);
        foreign.push({ method: route.method, url: made.url, body: made.body });
      }
      const before = await snapshotWorkspace(db, other.id);
      for (const call of foreign) {
        const res = await admin.request(call.method, call.url, call.body);
        expect(res.statusCode, `${call.method} ${call.url}`).toBe(404);
        expect(res.json().detail).toMatch(/in your workspace/);
      }
      // Ids of the other workspace inside bodies and filters are not found either.
      const create = await admin.post('/api/follow-ups', {
        contactId: other.contacts.ny,
        type: 'call',
        scheduledAt: soon(),
      });
      expect(create.statusCode).toBe(422);
      const preview = await admin.post('/api/follow-ups/preview', {
        contactId: other.contacts.ny,
        type: 'call',
        scheduledAt: soon(),
      });
      expect([404, 422]).toContain(preview.statusCode);
      const listed = await admin.get(`/api/follow-ups?contactId=${other.contacts.ny}`);
      expect(listed.json().items).toEqual([]);
      const calls = await admin.get(`/api/call-logs?contactId=${other.contacts.ny}`);
      expect(calls.json().items).toEqual([]);
      expect(await snapshotWorkspace(db, other.id)).toEqual(before);
    });

    it('lists every route in the OpenAPI document, with its error responses', async () => {
      const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
      for (const route of ROUTES) {
        const path = route.path.replace(/:(\w+)/g, '{$1}');
        const op = doc.paths[path]?.[route.method.toLowerCase()];
        expect(op, `${route.method} ${path}`).toBeDefined();
        expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['400', '401']));
        if (route.access !== 'viewer') expect(Object.keys(op.responses)).toContain('403');
        if (route.path.includes(':id')) expect(Object.keys(op.responses)).toContain('404');
      }
    });
  });
}
