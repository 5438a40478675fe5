/**
 * Session lifetimes (issue 13 §8): a session unused for FOLLOWTHROUGH_SESSION_IDLE_MINUTES
 * ends, use keeps it going, and none outlives FOLLOWTHROUGH_SESSION_LIFETIME_MINUTES from
 * sign-in. Here 30 minutes idle and 2 hours at most, on a clock the test moves.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../src/server/clock.ts';
import { loadConfig } from '../src/server/config.ts';
import { buildApp } from '../src/server/http/app.ts';
import { signIn } from './helpers/client.ts';
import { testDatabases, useDatabase } from './helpers/databases.ts';
import { createTestWorkspace, type TestWorkspace } from './helpers/workspace.ts';

const MINUTE = 60_000;

describe('session settings', () => {
  it('default to 7 days idle and 30 days at most, and take minutes', () => {
    expect(loadConfig({}).sessions).toEqual({ idleMinutes: 10_080, lifetimeMinutes: 43_200 });
    expect(
      loadConfig({
        FOLLOWTHROUGH_SESSION_IDLE_MINUTES: '15',
        FOLLOWTHROUGH_SESSION_LIFETIME_MINUTES: '720',
      }).sessions,
    ).toEqual({ idleMinutes: 15, lifetimeMinutes: 720 });
    expect(() => loadConfig({ FOLLOWTHROUGH_SESSION_IDLE_MINUTES: '0' })).toThrow(
      /FOLLOWTHROUGH_SESSION_IDLE_MINUTES/,
    );
  });
});

for (const target of testDatabases()) {
  describe(`sessions end when idle and at their lifetime [${target.name}]`, () => {
    const ctx = useDatabase(target);
    const clock = new FakeClock('2026-03-02T14:00:00Z');
    let app: FastifyInstance;
    let ws: TestWorkspace;

    beforeAll(async () => {
      app = await buildApp({
        handle: ctx.handle,
        logger: false,
        clock,
        sessions: { idleMinutes: 30, lifetimeMinutes: 120 },
      });
      ws = await createTestWorkspace(ctx.handle.db, 'Sessions Co');
    });
    afterAll(() => app.close());

    it('a session used every 20 minutes goes on; 31 minutes without use ends it', async () => {
      const client = await signIn(app, ws.users.viewer.email);
      for (let i = 0; i < 3; i++) {
        clock.advance(20 * MINUTE);
        expect((await client.get('/api/me')).statusCode).toBe(200);
      }
      clock.advance(31 * MINUTE);
      expect((await client.get('/api/me')).statusCode).toBe(401);
    });

    it('no session outlives its lifetime, however much it is used', async () => {
      const res = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        headers: { host: 'localhost:80', origin: 'http://localhost:80' },
        payload: { email: ws.users.operator.email, password: 'correct horse battery staple' },
      });
      const cookie = res.cookies.find((c) => c.name === 'ft_session')!;
      // The browser keeps the cookie for the lifetime; the server ends it when idle.
      expect(new Date(cookie.expires!).getTime()).toBe(clock.now().getTime() + 120 * MINUTE);
      const client = await signIn(app, ws.users.operator.email);
      for (let minutes = 20; minutes < 120; minutes += 20) {
        clock.advance(20 * MINUTE);
        expect((await client.get('/api/me')).statusCode, `after ${minutes} min`).toBe(200);
      }
      clock.advance(21 * MINUTE); // 121 minutes after sign-in, 21 after the last use
      expect((await client.get('/api/me')).statusCode).toBe(401);
    });
  });
}
