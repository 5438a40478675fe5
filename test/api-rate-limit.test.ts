/**
 * The API's rate limit (FOLLOWTHROUGH_API_RATE_LIMIT, @fastify/rate-limit): counted per API key
 * and per session; beyond it a 429 problem with Retry-After, while other keys and sessions go on.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/server/config.ts';
import { buildApp } from '../src/server/http/app.ts';
import { signIn, withKey } from './helpers/client.ts';
import { testDatabases, useDatabase } from './helpers/databases.ts';
import { createTestWorkspace, type TestWorkspace } from './helpers/workspace.ts';

describe('FOLLOWTHROUGH_API_RATE_LIMIT', () => {
  it('defaults to 1200 a minute; 0 turns it off', () => {
    expect(loadConfig({}).apiRateLimit).toBe(1200);
    expect(loadConfig({ FOLLOWTHROUGH_API_RATE_LIMIT: '0' }).apiRateLimit).toBe(0);
    expect(() => loadConfig({ FOLLOWTHROUGH_API_RATE_LIMIT: '-1' })).toThrow(
      /FOLLOWTHROUGH_API_RATE_LIMIT/,
    );
  });
});

for (const target of testDatabases()) {
  describe(`API rate limit [${target.name}]`, () => {
    const ctx = useDatabase(target);
    let app: FastifyInstance;
    let ws: TestWorkspace;

    beforeAll(async () => {
      app = await buildApp({ handle: ctx.handle, logger: false, apiRateLimit: { perMinute: 3 } });
      ws = await createTestWorkspace(ctx.handle.db, 'Rate Co');
    });
    afterAll(() => app.close());

    it('answers 429 with Retry-After per API key, and other keys go on', async () => {
      const viewer = withKey(app, ws.keys.viewer);
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push((await viewer.get('/api/agents')).statusCode);
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
      const limited = await viewer.get('/api/agents');
      expect(limited.headers['content-type']).toContain('application/problem+json');
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      expect(limited.json()).toMatchObject({
        status: 429,
        title: 'Too many requests',
        detail: expect.stringMatching(
          /^Too many requests for this API key or session \(at most 3 a minute\)\. Try again in /,
        ),
      });
      expect((await withKey(app, ws.keys.operator).get('/api/agents')).statusCode).toBe(200);
    });

    it('counts each session on its own, and leaves requests without one to their own limits', async () => {
      const first = await signIn(app, ws.users.viewer.email);
      const second = await signIn(app, ws.users.viewer.email);
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await first.get('/api/agents')).statusCode);
      expect(statuses).toEqual([200, 200, 200, 429]);
      expect((await second.get('/api/agents')).statusCode).toBe(200);
      for (let i = 0; i < 5; i++) {
        expect((await app.inject({ method: 'GET', url: '/api/health' })).statusCode).toBe(200);
      }
    });
  });
}
