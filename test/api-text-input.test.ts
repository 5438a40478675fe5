/**
 * The NUL character cannot be stored in PostgreSQL text: every route refuses it with a 400 at
 * the field that carries it (body or query string) and writes nothing, instead of failing in
 * the database with a 500.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/server/http/app.ts';
import { withKey } from './helpers/client.ts';
import { testDatabases, useDatabase } from './helpers/databases.ts';
import { snapshotWorkspace } from './helpers/fixtures.ts';
import { createTestWorkspace, type TestWorkspace } from './helpers/workspace.ts';

for (const target of testDatabases()) {
  describe(`text with a NUL character [${target.name}]`, () => {
    const ctx = useDatabase(target);
    let app: FastifyInstance;
    let ws: TestWorkspace;

    beforeAll(async () => {
      app = await buildApp({ handle: ctx.handle, logger: false, webRoot: '/nonexistent' });
      ws = await createTestWorkspace(ctx.handle.db, 'NUL Co');
    });
    afterAll(async () => {
      await app?.close();
    });

    it('is a 400 at the field in bodies and query strings, and changes nothing', async () => {
      const admin = withKey(app, ws.keys.admin);
      const before = await snapshotWorkspace(ctx.handle.db, ws.id);
      const cases: [Promise<{ statusCode: number; json(): unknown }>, string][] = [
        [admin.patch('/api/settings', { name: 'Acme\u0000' }), 'name'],
        [admin.post('/api/contacts', { firstName: 'A\u0000', phone: '+12125550177' }), 'firstName'],
        [
          admin.patch(`/api/contacts/${ws.contacts.ny}`, { customFields: { 'k\u0000': 'v' } }),
          'customFields.k\u0000',
        ],
        [admin.post('/api/agents', { name: 'Agent\u0000', maxConcurrentCalls: 2 }), 'name'],
        [admin.get('/api/contacts?q=%00'), 'query.q'],
      ];
      for (const [request, path] of cases) {
        const res = await request;
        expect(res.statusCode).toBe(400);
        expect(res.json()).toMatchObject({ status: 400, errors: [{ path }] });
      }
      expect(await snapshotWorkspace(ctx.handle.db, ws.id)).toEqual(before);
    });
  });
}
