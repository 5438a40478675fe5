/**
 * Live streams end with access (issue 13 §6): GET /api/events checks its session or API key
 * again at every ping and closes when the key is revoked, the session signed out, or the user
 * deactivated; a stream whose access holds stays open. The ping is 15 s in production; here
 * it is 100 ms so that the tests wait on the stream ending, not on the clock.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/server/http/app.ts';
import { HEARTBEAT_MS } from '../src/server/http/routes/events.routes.ts';
import { type Client, signIn, withKey } from './helpers/client.ts';
import { testDatabases, useDatabase } from './helpers/databases.ts';
import { createTestWorkspace, PASSWORD, type TestWorkspace } from './helpers/workspace.ts';

interface OpenStream {
  status: number;
  /** Resolves when the server ends the stream. */
  ended: Promise<'ended'>;
  isOpen(): boolean;
  close(): void;
}

async function openStream(url: string, headers: Record<string, string>): Promise<OpenStream> {
  const controller = new AbortController();
  const res = await fetch(url, { headers, signal: controller.signal });
  let open = true;
  const ended = (async () => {
    try {
      for await (const _ of res.body!) {
        // pings and events: only the end matters here
      }
    } catch {
      // aborted by the test
    }
    open = false;
    return 'ended' as const;
  })();
  return { status: res.status, ended, isOpen: () => open, close: () => controller.abort() };
}

const within = <T>(promise: Promise<T>, ms: number, what: string) =>
  Promise.race([
    promise,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`${what} did not happen in ${ms} ms`)), ms),
    ),
  ]);

for (const target of testDatabases()) {
  describe(`live streams end with access [${target.name}]`, () => {
    const ctx = useDatabase(target);
    let app: FastifyInstance;
    let base: string;
    let ws: TestWorkspace;
    let admin: Client;
    const streams: OpenStream[] = [];

    beforeAll(async () => {
      app = await buildApp({ handle: ctx.handle, logger: false, liveHeartbeatMs: 100 });
      base = await app.listen({ port: 0, host: '127.0.0.1' });
      ws = await createTestWorkspace(ctx.handle.db, 'Live Access Co');
      admin = await signIn(app, ws.users.admin.email);
    });
    afterAll(async () => {
      for (const s of streams) s.close();
      await app.close();
    });

    const stream = async (headers: Record<string, string>) => {
      const s = await openStream(`${base}/api/events`, headers);
      streams.push(s);
      expect(s.status).toBe(200);
      return s;
    };
    const cookieOf = async (email: string) => {
      const res = await fetch(`${base}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: base },
        body: JSON.stringify({ email, password: PASSWORD }),
      });
      expect(res.status).toBe(200);
      return res.headers.getSetCookie()[0]!.split(';')[0]!;
    };

    it('pings often enough in production to end within 30 s', () => {
      expect(HEARTBEAT_MS).toBeLessThanOrEqual(30_000);
    });

    it('closes the stream of a revoked API key; the others stay open', async () => {
      const made = await admin.post('/api/api-keys', { name: 'live', role: 'viewer' });
      const { id, key } = made.json();
      const revoked = await stream({ authorization: `Bearer ${key}` });
      const kept = await stream({ authorization: `Bearer ${ws.keys.viewer}` });
      expect((await admin.delete(`/api/api-keys/${id}`)).statusCode).toBe(200);
      await within(revoked.ended, 10_000, 'the revoked key’s stream ending');
      expect(kept.isOpen()).toBe(true);
      // Reconnecting is refused.
      expect(
        (await openStream(`${base}/api/events`, { authorization: `Bearer ${key}` })).status,
      ).toBe(401);
      kept.close();
    });

    it('closes the stream of a session that signed out', async () => {
      const cookie = await cookieOf(ws.users.operator.email);
      const other = await cookieOf(ws.users.operator.email);
      const signedOut = await stream({ cookie });
      const kept = await stream({ cookie: other });
      const res = await fetch(`${base}/api/auth/logout`, {
        method: 'POST',
        headers: { cookie, origin: base },
      });
      expect(res.status).toBe(204);
      await within(signedOut.ended, 10_000, 'the signed-out session’s stream ending');
      expect(kept.isOpen()).toBe(true);
      kept.close();
    });

    it('closes the streams of a deactivated user and of the API keys they made', async () => {
      const person = await createTestWorkspace(ctx.handle.db, 'Live Access Leaver Co');
      const leaverAdmin = withKey(app, person.keys.admin);
      // A second admin, so that the first can be deactivated; the key is made by the first.
      const keyRes = await (await signIn(app, person.users.admin.email)).post('/api/api-keys', {
        name: 'mine',
        role: 'viewer',
      });
      const userKey = keyRes.json().key as string;
      expect(
        (await leaverAdmin.patch(`/api/users/${person.users.operator.id}`, { role: 'admin' }))
          .statusCode,
      ).toBe(200);
      const bySession = await stream({ cookie: await cookieOf(person.users.admin.email) });
      const byKey = await stream({ authorization: `Bearer ${userKey}` });
      const kept = await stream({ authorization: `Bearer ${person.keys.viewer}` });
      const res = await leaverAdmin.patch(`/api/users/${person.users.admin.id}`, { active: false });
      expect(res.statusCode, res.body).toBe(200);
      await within(bySession.ended, 10_000, 'the deactivated user’s stream ending');
      await within(byKey.ended, 10_000, 'the deactivated user’s key’s stream ending');
      expect(kept.isOpen()).toBe(true);
      kept.close();
    });
  });
}
