import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/server/http/app.ts';
import { anonymous, ORIGIN, signIn, withKey } from './helpers/client.ts';
import { testDatabases, useDatabase } from './helpers/databases.ts';
import { createTestWorkspace, PASSWORD, type TestWorkspace } from './helpers/workspace.ts';

for (const target of testDatabases()) {
  describe(`sign-in, sessions and API keys [${target.name}]`, () => {
    const ctx = useDatabase(target);
    let app: FastifyInstance;
    let ws: TestWorkspace;

    beforeAll(async () => {
      app = await buildApp({
        handle: ctx.handle,
        logger: false,
        loginLimits: { perEmail: 5, perIp: 1000 },
      });
      ws = await createTestWorkspace(ctx.handle.db);
    });
    afterAll(() => app.close());

    const login = (email: string, password: string, headers: Record<string, string> = {}) =>
      app.inject({
        method: 'POST',
        url: '/api/auth/login',
        headers: { host: 'localhost:80', ...headers },
        payload: { email, password },
      });

    it('signs in with a hardened session cookie and tells who is signed in', async () => {
      const res = await login(ws.users.operator.email.toUpperCase(), PASSWORD, { origin: ORIGIN });
      expect(res.statusCode).toBe(200);
      const cookie = res.cookies.find((c) => c.name === 'ft_session')!;
      expect(cookie.httpOnly).toBe(true);
      expect(cookie.sameSite).toBe('Lax');
      expect(cookie.value.length).toBeGreaterThanOrEqual(40);
      expect(res.json()).toMatchObject({
        kind: 'user',
        user: { email: ws.users.operator.email, role: 'operator' },
        workspace: { id: ws.id, name: 'Test Co' },
      });
      const me = await app.inject({
        method: 'GET',
        url: '/api/me',
        cookies: { ft_session: cookie.value },
      });
      expect(me.json().user.role).toBe('operator');
    });

    it('refuses a wrong password or an unknown email with the same 401', async () => {
      const wrong = await login(ws.users.viewer.email, 'nope');
      const unknown = await login('nobody@example.com', 'nope');
      for (const res of [wrong, unknown]) {
        expect(res.statusCode).toBe(401);
        expect(res.headers['content-type']).toContain('application/problem+json');
        expect(res.json().detail).toBe('The email or the password is wrong.');
      }
    });

    it('slows down password guessing per email', async () => {
      const email = (await createTestWorkspace(ctx.handle.db, 'Guessed Co')).users.admin.email;
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++) statuses.push((await login(email, `guess-${i}`)).statusCode);
      expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
      expect(statuses.slice(5)).toEqual([429, 429]);
      const blocked = await login(email, PASSWORD);
      expect(blocked.statusCode).toBe(429);
      expect(blocked.headers['retry-after']).toBeDefined();
    });

    it('answers 401 without a session and after sign-out', async () => {
      expect((await anonymous(app).get('/api/me')).statusCode).toBe(401);
      const client = await signIn(app, ws.users.viewer.email);
      expect((await client.get('/api/me')).statusCode).toBe(200);
      expect((await client.post('/api/auth/logout')).statusCode).toBe(204);
      expect((await client.get('/api/me')).statusCode).toBe(401);
    });

    it('refuses cookie requests that change something from another origin', async () => {
      const res = await login(ws.users.operator.email, PASSWORD);
      const cookie = res.cookies.find((c) => c.name === 'ft_session')!.value;
      const attempt = (headers: Record<string, string>) =>
        app.inject({
          method: 'POST',
          url: '/api/auth/logout',
          headers: { host: 'localhost:80', cookie: `ft_session=${cookie}`, ...headers },
        });
      expect((await attempt({ origin: 'https://evil.example' })).statusCode).toBe(403);
      expect((await attempt({ 'sec-fetch-site': 'cross-site' })).statusCode).toBe(403);
      expect((await attempt({})).statusCode).toBe(403);
      // Still signed in: nothing above ended the session.
      const me = await app.inject({
        method: 'GET',
        url: '/api/me',
        cookies: { ft_session: cookie },
      });
      expect(me.statusCode).toBe(200);
      expect((await attempt({ 'sec-fetch-site': 'same-origin' })).statusCode).toBe(204);
    });

    it('lets admins create, list and revoke API keys; the secret is shown once', async () => {
      const admin = await signIn(app, ws.users.admin.email);
      const created = await admin.post('/api/api-keys', { name: 'CRM sync', role: 'operator' });
      expect(created.statusCode).toBe(201);
      const { key, id, prefix } = created.json();
      expect(key.startsWith(prefix)).toBe(true);
      const list = await admin.get('/api/api-keys');
      const listed = list.json().items.find((k: { id: string }) => k.id === id);
      expect(listed).toMatchObject({ name: 'CRM sync', role: 'operator', revokedAt: null });
      expect(JSON.stringify(list.json())).not.toContain(key);

      const me = await withKey(app, key).get('/api/me');
      expect(me.json()).toMatchObject({
        kind: 'api_key',
        apiKey: { name: 'CRM sync', role: 'operator' },
      });

      expect((await admin.delete(`/api/api-keys/${id}`)).json().revokedAt).not.toBeNull();
      const after = await withKey(app, key).get('/api/me');
      expect(after.statusCode).toBe(401);
      expect(after.json().detail).toContain('revoked');
    });

    it('refuses a made-up API key', async () => {
      const res = await withKey(app, 'ft_abcdefgh_notarealkeynotarealkeynotarealkey12').get(
        '/api/me',
      );
      expect(res.statusCode).toBe(401);
    });

    it('publishes the OpenAPI document and the reference page', async () => {
      const doc = await app.inject({ method: 'GET', url: '/api/openapi.json' });
      expect(doc.statusCode).toBe(200);
      expect(doc.json().openapi).toBe('3.1.0');
      expect(Object.keys(doc.json().paths)).toContain('/api/me');
      const docs = await app.inject({ method: 'GET', url: '/docs/' });
      expect(docs.statusCode).toBe(200);
      expect(docs.body).toContain('/api/openapi.json');
    });
  });
}
