/**
 * A workspace's own voice platform (Settings › Voice platform, admins): saved with its
 * credentials sealed at rest (AES-256-GCM; not in the database in clear), never returned (only
 * set / last four), replaceable one by one; refused without a server key. It wins over the
 * environment: "Test connection" and the calls use its key (the Retell stand-in sees it), its
 * webhooks are verified with it, and a report signed with the environment's key cannot touch it.
 */
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../src/server/clock.ts';
import * as s from '../src/server/db/schema.ts';
import { workspaceCallChannel } from '../src/server/engine/channels/call-workspace.ts';
import { instantChannel } from '../src/server/engine/channels/instant.ts';
import { createEngine, type Engine } from '../src/server/engine/engine.ts';
import { buildApp } from '../src/server/http/app.ts';
import { createLogger } from '../src/server/logger.ts';
import { SecretBox } from '../src/server/secret-box.ts';
import { type Client, signIn } from './helpers/client.ts';
import { testDatabases, useOwnDatabase } from './helpers/databases.ts';
import { insertFollowUp } from './helpers/fixtures.ts';
import { type StandIn, sendRetellWebhook, startRetellStandIn } from './helpers/voice-stand-ins.ts';
import { createTestWorkspace, type TestWorkspace } from './helpers/workspace.ts';

const ENV_KEY = 'key_environment_retell_0000';
const OWN_KEY = 'key_workspace_retell_secret_7Q9z';
const OWN_FROM = '+12125550177';
const logger = createLogger('silent');

for (const target of testDatabases()) {
  describe(`a workspace's own voice platform [${target.name}]`, () => {
    const ctx = useOwnDatabase(target);
    const clock = new FakeClock('2026-03-02T15:00:00Z');
    const secretKey = randomBytes(32);
    let ws: TestWorkspace;
    let other: TestWorkspace;
    let app: FastifyInstance;
    let noKeyApp: FastifyInstance;
    let retell: StandIn;
    let engine: Engine;
    let admin: Client;

    beforeAll(async () => {
      ws = await createTestWorkspace(ctx.handle.db, 'Own Platform Co');
      other = await createTestWorkspace(ctx.handle.db, 'Environment Co');
      await ctx.handle.db
        .update(s.agents)
        .set({ externalAgentId: 'agent_own_1', maxConcurrentCalls: 100 })
        .where(eq(s.agents.id, ws.agents.default));
      retell = await startRetellStandIn();
      app = await buildApp({
        handle: ctx.handle,
        logger: false,
        clock,
        voicePlatforms: { retellApiKey: ENV_KEY, secretKey },
        voicePlatform: {
          provider: 'simulator',
          publicUrl: 'https://calls.example.com',
          retell: { baseUrl: retell.url },
          secretKey,
        },
        webRoot: '/nonexistent',
      });
      noKeyApp = await buildApp({
        handle: ctx.handle,
        logger: false,
        clock,
        voicePlatform: { provider: 'simulator', secretKey: null },
        webRoot: '/nonexistent',
      });
      admin = await signIn(app, ws.users.admin.email);
      engine = createEngine({
        handle: ctx.handle,
        clock,
        logger,
        workerId: 'own-platform-test',
        channels: {
          call: workspaceCallChannel({
            db: ctx.handle.db,
            clock,
            logger,
            box: new SecretBox(secretKey),
            fallback: instantChannel('call'),
            environment: {
              provider: 'instant',
              retell: { baseUrl: retell.url },
              vapi: {},
              twilio: {},
            },
            statusCallbackUrl: 'https://calls.example.com/api/providers/twilio/voice-status',
          }),
          sms: instantChannel('sms'),
          webhook: instantChannel('webhook'),
        },
      });
    });
    afterAll(async () => {
      await engine?.stop();
      await app?.close();
      await noKeyApp?.close();
      await retell?.close();
    });

    const creates = () => retell.requests.filter((r) => r.path.startsWith('/v2/create-phone-call'));

    it('shows the environment until the workspace saves its own', async () => {
      const res = await admin.get('/api/settings/voice-platform');
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({
        provider: 'simulator',
        source: 'environment',
        environmentProvider: 'simulator',
        workspace: null,
        canSaveCredentials: true,
      });
    });

    it('refuses to save credentials when the server has no key to seal them', async () => {
      const noKeyAdmin = await signIn(noKeyApp, ws.users.admin.email);
      const res = await noKeyAdmin.request('PUT', '/api/settings/voice-platform', {
        provider: 'retell',
        credentials: { retellApiKey: OWN_KEY },
      });
      expect(res.statusCode, res.body).toBe(409);
      expect(res.json().detail).toMatch(/FOLLOWTHROUGH_SECRET_KEY/);
      expect((await noKeyAdmin.get('/api/settings/voice-platform')).json()).toMatchObject({
        canSaveCredentials: false,
        workspace: null,
      });
    });

    it('refuses what is incomplete or malformed, and operators', async () => {
      const incomplete = await admin.request('PUT', '/api/settings/voice-platform', {
        provider: 'vapi',
        credentials: { vapiApiKey: 'vapi_k' },
      });
      expect(incomplete.statusCode, incomplete.body).toBe(422);
      expect(
        incomplete
          .json()
          .errors.map((e: { path: string }) => e.path)
          .sort(),
      ).toEqual(['caller', 'credentials.vapiWebhookSecret']);
      const badNumber = await admin.request('PUT', '/api/settings/voice-platform', {
        provider: 'retell',
        caller: '212 555',
        credentials: { retellApiKey: OWN_KEY },
      });
      expect(badNumber.statusCode).toBe(400);
      expect(badNumber.body).not.toContain(OWN_KEY);
      const operator = await signIn(app, ws.users.operator.email);
      const refused = await operator.request('PUT', '/api/settings/voice-platform', {
        provider: 'retell',
        credentials: { retellApiKey: OWN_KEY },
      });
      expect(refused.statusCode).toBe(403);
      const [row] = await ctx.handle.db
        .select()
        .from(s.workspaceVoicePlatforms)
        .where(eq(s.workspaceVoicePlatforms.workspaceId, ws.id));
      expect(row).toBeUndefined();
    });

    it('saves them sealed, shows them only as set with the last four, never again', async () => {
      const res = await admin.request('PUT', '/api/settings/voice-platform', {
        provider: 'retell',
        caller: OWN_FROM,
        credentials: { retellApiKey: OWN_KEY },
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.body).not.toContain(OWN_KEY);
      expect(res.json()).toMatchObject({
        provider: 'retell',
        source: 'workspace',
        environmentProvider: 'simulator',
        configured: true,
        workspace: {
          provider: 'retell',
          caller: OWN_FROM,
          credentials: {
            retellApiKey: { set: true, last4: '7Q9z' },
            vapiApiKey: { set: false, last4: null },
          },
        },
      });
      const again = await admin.get('/api/settings/voice-platform');
      expect(again.body).not.toContain(OWN_KEY);
      expect(again.json().workspace.credentials.retellApiKey).toEqual({ set: true, last4: '7Q9z' });
      // Operators and viewers read the same, no secret either.
      for (const role of ['operator', 'viewer'] as const) {
        const read = await (await signIn(app, ws.users[role].email)).get(
          '/api/settings/voice-platform',
        );
        expect(read.statusCode, read.body).toBe(200);
        expect(read.body).not.toContain(OWN_KEY);
        expect(read.json()).toEqual(again.json());
      }
      // At rest: sealed, not in clear anywhere in the row.
      const [row] = await ctx.handle.db
        .select()
        .from(s.workspaceVoicePlatforms)
        .where(eq(s.workspaceVoicePlatforms.workspaceId, ws.id));
      expect(JSON.stringify(row)).not.toContain(OWN_KEY);
      expect(row!.credentials).toMatch(/^v1\./);
      expect(JSON.parse(new SecretBox(secretKey).open(row!.credentials, ws.id))).toEqual({
        retellApiKey: OWN_KEY,
      });
      // Bound to its workspace: copied to another, it does not open.
      expect(() => new SecretBox(secretKey).open(row!.credentials, other.id)).toThrow();
    });

    it('keeps a credential left out and replaces one given', async () => {
      const kept = await admin.request('PUT', '/api/settings/voice-platform', {
        provider: 'retell',
        caller: OWN_FROM,
      });
      expect(kept.statusCode, kept.body).toBe(200);
      expect(kept.json().workspace.credentials.retellApiKey).toEqual({
        set: true,
        last4: '7Q9z',
      });
      const replaced = await admin.request('PUT', '/api/settings/voice-platform', {
        provider: 'retell',
        caller: OWN_FROM,
        credentials: { retellApiKey: 'key_replaced_AB12' },
      });
      expect(replaced.json().workspace.credentials.retellApiKey).toEqual({
        set: true,
        last4: 'AB12',
      });
      // Back to the first key for what follows.
      await admin.request('PUT', '/api/settings/voice-platform', {
        provider: 'retell',
        caller: OWN_FROM,
        credentials: { retellApiKey: OWN_KEY },
      });
    });

    it('tests the connection with the workspace’s key: the stand-in’s agents', async () => {
      const res = await admin.post('/api/settings/voice-platform/test', {});
      expect(res.json()).toEqual({
        ok: true,
        error: null,
        agents: [{ id: 'agent_stand_in_1', name: 'Stand-in Renewals' }],
        numbers: [{ id: '+12125550123', number: '+12125550123', name: 'Main line' }],
      });
      expect(retell.requests.at(-1)!.headers.authorization).toBe(`Bearer ${OWN_KEY}`);
    });

    it('places the workspace’s calls through its own platform, over the environment’s', async () => {
      const id = await insertFollowUp(ctx.handle.db, ws, { scheduledAt: clock.now() }, clock.now());
      const otherId = await insertFollowUp(
        ctx.handle.db,
        other,
        { scheduledAt: clock.now() },
        clock.now(),
      );
      await engine.runOnce();
      await engine.idle();
      const sent = creates();
      expect(sent).toHaveLength(1);
      expect(sent[0]!.headers.authorization).toBe(`Bearer ${OWN_KEY}`);
      expect(sent[0]!.body).toMatchObject({
        from_number: OWN_FROM,
        override_agent_id: 'agent_own_1',
        metadata: { followthrough_idempotency_key: `${id}:1` },
      });
      const [attempt] = await ctx.handle.db
        .select()
        .from(s.followUpAttempts)
        .where(eq(s.followUpAttempts.followUpId, id));
      expect(attempt).toMatchObject({ provider: 'retell', endedAt: null });
      expect(attempt!.providerRef).toMatch(/^call_\d+$/);
      // The other workspace has none of its own: the environment's channel (instant) ran it.
      const [otherRow] = await ctx.handle.db
        .select()
        .from(s.followUps)
        .where(eq(s.followUps.id, otherId));
      expect(otherRow!.status).toBe('completed');
    });

    it('verifies the workspace’s webhooks with its own key; the environment’s key cannot touch it', async () => {
      const [attempt] = await ctx.handle.db
        .select()
        .from(s.followUpAttempts)
        .where(eq(s.followUpAttempts.workspaceId, ws.id));
      const body = {
        event: 'call_ended',
        call: {
          call_id: attempt!.providerRef,
          direction: 'outbound',
          agent_id: 'agent_own_1',
          metadata: { followthrough_idempotency_key: attempt!.idempotencyKey },
          start_timestamp: clock.now().getTime() - 60_000,
          end_timestamp: clock.now().getTime(),
          disconnection_reason: 'user_hangup',
        },
      };
      const unsigned = await sendRetellWebhook(app, body, 'key_nobody_has');
      expect(unsigned.statusCode).toBe(401);
      // Signed with the environment's key: acknowledged, nothing written for this workspace.
      const byEnvironment = await sendRetellWebhook(app, body, ENV_KEY);
      expect(byEnvironment.json()).toEqual({ status: 'unknown', callLogId: null });
      const calls = () =>
        ctx.handle.db
          .select()
          .from(s.callLogs)
          .where(eq(s.callLogs.followUpId, attempt!.followUpId));
      expect(await calls()).toHaveLength(0);
      const signed = await sendRetellWebhook(app, body, OWN_KEY);
      expect(signed.statusCode, signed.body).toBe(200);
      expect(signed.json().status).toBe('recorded');
      expect(await calls()).toHaveLength(1);
    });

    it('goes back to the environment when the workspace forgets its own', async () => {
      const res = await admin.delete('/api/settings/voice-platform');
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ source: 'environment', workspace: null });
      const before = creates().length;
      const id = await insertFollowUp(ctx.handle.db, ws, { scheduledAt: clock.now() }, clock.now());
      await engine.runOnce();
      await engine.idle();
      expect(creates()).toHaveLength(before);
      const [row] = await ctx.handle.db.select().from(s.followUps).where(eq(s.followUps.id, id));
      expect(row!.status).toBe('completed');
    });
  });
}
