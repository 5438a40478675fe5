import { describe, expect, it } from 'vitest';
import { buildApp } from '../src/server/http/app.ts';
import { testDatabases, useDatabase } from './helpers/databases.ts';

for (const target of testDatabases()) {
  describe(`GET /api/health [${target.name}]`, () => {
    const ctx = useDatabase(target);

    it('reports the database as reachable', async () => {
      const app = await buildApp({ handle: ctx.handle, logger: false, webRoot: '/nonexistent' });
      const res = await app.inject({ method: 'GET', url: '/api/health' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({
        status: 'ok',
        database: { kind: target.name, reachable: true },
      });
      await app.close();
    });

    it('answers 503 when the database is gone', async () => {
      const handle = { ...ctx.handle, ping: async () => false };
      const app = await buildApp({ handle, logger: false, webRoot: '/nonexistent' });
      const res = await app.inject({ method: 'GET', url: '/api/health' });
      expect(res.statusCode).toBe(503);
      expect(res.json().database.reachable).toBe(false);
      await app.close();
    });

    it('serves a page at / and problem+json for unknown API paths', async () => {
      const app = await buildApp({ handle: ctx.handle, logger: false, webRoot: '/nonexistent' });
      const page = await app.inject({ method: 'GET', url: '/' });
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('Followthrough');
      const missing = await app.inject({ method: 'GET', url: '/api/nothing-here' });
      expect(missing.statusCode).toBe(404);
      expect(missing.headers['content-type']).toContain('application/problem+json');
      expect(missing.json()).toMatchObject({ status: 404, title: 'Not found' });
      await app.close();
    });
  });
}
