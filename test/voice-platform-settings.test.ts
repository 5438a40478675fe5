/**
 * Settings › Voice platform over HTTP: the platform and the webhook URLs to paste into it
 * (read by every role, with no secret in the answer; changed and tested by admins only), and "Test connection" listing the agents and numbers of a local stand-in of
 * Retell or Vapi with the platforms' own SDKs; a refusing or unreachable platform says why.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/server/http/app.ts';
import type { VoicePlatformOptions } from '../src/server/http/routes/voice-platform.routes.ts';
import { signIn } from './helpers/client.ts';
import { testDatabases, useDatabase } from './helpers/databases.ts';
import { type StandIn, startRetellStandIn, startVapiStandIn } from './helpers/voice-stand-ins.ts';
import { createTestWorkspace, type TestWorkspace } from './helpers/workspace.ts';

for (const target of testDatabases()) {
  describe(`voice platform settings [${target.name}]`, () => {
    const ctx = useDatabase(target);
    let ws: TestWorkspace;
    let retell: StandIn;
    let vapi: StandIn;
    const apps: FastifyInstance[] = [];

    beforeAll(async () => {
      ws = await createTestWorkspace(ctx.handle.db, 'Voice Settings Co');
      retell = await startRetellStandIn();
      vapi = await startVapiStandIn();
    });
    afterAll(async () => {
      for (const app of apps) await app.close();
      await retell?.close();
      await vapi?.close();
    });

    async function adminOf(voicePlatform: VoicePlatformOptions) {
      const app = await buildApp({ handle: ctx.handle, logger: false, voicePlatform });
      apps.push(app);
      return signIn(app, ws.users.admin.email);
    }

    it('shows the platform and the three webhook URLs to every role; only admins change or test it', async () => {
      const options: VoicePlatformOptions = {
        provider: 'retell',
        publicUrl: 'https://calls.example.com/',
        retell: { apiKey: 'key_x' },
      };
      const admin = await adminOf(options);
      const res = await admin.get('/api/settings/voice-platform');
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toEqual({
        provider: 'retell',
        source: 'environment',
        environmentProvider: 'retell',
        configured: true,
        workspace: null,
        canSaveCredentials: false,
        webhookUrls: {
          retell: 'https://calls.example.com/api/providers/retell/webhook',
          vapi: 'https://calls.example.com/api/providers/vapi/webhook',
          twilio: 'https://calls.example.com/api/providers/twilio/voice-status',
        },
      });
      // No credential in the answer.
      expect(res.body).not.toContain('key_x');
      const app = apps.at(-1)!;
      for (const role of ['operator', 'viewer'] as const) {
        const reader = await signIn(app, ws.users[role].email);
        const read = await reader.get('/api/settings/voice-platform');
        expect(read.statusCode, read.body).toBe(200);
        expect(read.json()).toEqual(res.json());
        expect(read.body).not.toContain('key_x');
        expect((await reader.post('/api/settings/voice-platform/test', {})).statusCode).toBe(403);
        const put = await reader.request('PUT', '/api/settings/voice-platform', {
          provider: 'retell',
          credentials: { retellApiKey: 'key_y' },
        });
        expect(put.statusCode).toBe(403);
        expect((await reader.delete('/api/settings/voice-platform')).statusCode).toBe(403);
      }
    });

    it('tests the connection: the Retell stand-in’s agents and numbers', async () => {
      const admin = await adminOf({
        provider: 'retell',
        retell: { apiKey: 'key_retell', baseUrl: retell.url },
      });
      const res = await admin.post('/api/settings/voice-platform/test', {});
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toEqual({
        ok: true,
        error: null,
        agents: [{ id: 'agent_stand_in_1', name: 'Stand-in Renewals' }],
        numbers: [{ id: '+12125550123', number: '+12125550123', name: 'Main line' }],
      });
      expect(retell.requests.at(-1)!.headers.authorization).toBe('Bearer key_retell');
    });

    it('tests the connection: the Vapi stand-in’s assistants and numbers', async () => {
      const admin = await adminOf({
        provider: 'vapi',
        vapi: { apiKey: 'vapi_key', baseUrl: vapi.url },
      });
      const res = await admin.post('/api/settings/voice-platform/test', {});
      expect(res.json()).toEqual({
        ok: true,
        error: null,
        agents: [{ id: 'asst_stand_in_1', name: 'Stand-in Renewals' }],
        numbers: [{ id: 'pn_stand_in_1', number: '+12125550124', name: null }],
      });
    });

    it('says why when the platform refuses or cannot be reached, or nothing is set', async () => {
      retell.queue({ status: 401, body: { error_message: 'Invalid API key' } });
      const refused = await (
        await adminOf({ provider: 'retell', retell: { apiKey: 'bad', baseUrl: retell.url } })
      ).post('/api/settings/voice-platform/test', {});
      expect(refused.json()).toMatchObject({ ok: false, agents: [], numbers: [] });
      expect(refused.json().error).toMatch(/HTTP 401/);

      const closed = await startRetellStandIn();
      await closed.close();
      const unreachable = await (
        await adminOf({ provider: 'retell', retell: { apiKey: 'k', baseUrl: closed.url } })
      ).post('/api/settings/voice-platform/test', {});
      expect(unreachable.json().ok).toBe(false);
      expect(unreachable.json().error).toMatch(/could not be reached/);

      const unset = await (await adminOf({ provider: 'vapi' })).post(
        '/api/settings/voice-platform/test',
        {},
      );
      expect(unset.json()).toMatchObject({ ok: false, error: 'VAPI_API_KEY is not set.' });
      const simulator = await (await adminOf({ provider: 'simulator' })).get(
        '/api/settings/voice-platform',
      );
      expect(simulator.json()).toMatchObject({ provider: 'simulator', configured: true });
      expect(simulator.json().webhookUrls.retell).toMatch(
        /^http:\/\/.+\/api\/providers\/retell\/webhook$/,
      );
    });
  });
}
