/**
 * Passwords (issue 13 §3): a signed-in person changes theirs (their other sessions end); an
 * invited or reset user must choose their own before anything else answers; admins reset a
 * user's password (a one-time password shown once); the policy refuses short and common
 * passwords; API keys made by a user stop working while that user is deactivated.
 */
import { eq } from 'drizzle-orm';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../src/server/clock.ts';
import * as s from '../src/server/db/schema.ts';
import { buildApp } from '../src/server/http/app.ts';
import { createApiKey } from '../src/server/services/auth.service.ts';
import { anonymous, type Client, signIn, signInFirstTime, withKey } from './helpers/client.ts';
import { testDatabases, useDatabase } from './helpers/databases.ts';
import { createTestWorkspace, PASSWORD, type TestWorkspace } from './helpers/workspace.ts';

function expectProblem(res: LightMyRequestResponse, status: number, path?: string) {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toContain('application/problem+json');
  if (path) expect(res.json().errors.map((e: { path: string }) => e.path)).toContain(path);
}

let serial = 0;
const email = (name: string) => `${name}.${Date.now().toString(36)}${serial++}@example.com`;
const NEW_PASSWORD = 'a walk along the quiet river';

for (const target of testDatabases()) {
  describe(`passwords [${target.name}]`, () => {
    const ctx = useDatabase(target);
    let app: FastifyInstance;
    let ws: TestWorkspace;
    let admin: Client;

    beforeAll(async () => {
      app = await buildApp({ handle: ctx.handle, logger: false });
      ws = await createTestWorkspace(ctx.handle.db, 'Passwords Co');
      admin = await signIn(app, ws.users.admin.email);
    });
    afterAll(() => app.close());

    const invite = async (role = 'operator') => {
      const address = email('person');
      const res = await admin.post('/api/users', { name: 'Person', email: address, role });
      expect(res.statusCode, res.body).toBe(201);
      return { ...(res.json() as { id: string; oneTimePassword: string }), email: address };
    };

    it('an invited user must choose a password before any other route answers', async () => {
      const person = await invite();
      const listed = (await admin.get('/api/users'))
        .json()
        .items.find((u: { id: string }) => u.id === person.id);
      expect(listed.mustChangePassword).toBe(true);

      const client = await signIn(app, person.email, person.oneTimePassword);
      const me = await client.get('/api/me');
      expect(me.statusCode).toBe(200);
      expect(me.json().user.mustChangePassword).toBe(true);
      for (const res of [
        await client.get('/api/contacts'),
        await client.get('/api/follow-ups'),
        await client.get('/api/events'),
        await client.post('/api/contacts', { phone: '+12125550190' }),
      ]) {
        expectProblem(res, 403);
        expect(res.json().type).toBe('/problems/password-change-required');
      }

      const changed = await client.post('/api/auth/password', {
        currentPassword: person.oneTimePassword,
        newPassword: NEW_PASSWORD,
      });
      expect(changed.statusCode, changed.body).toBe(204);
      expect((await client.get('/api/me')).json().user.mustChangePassword).toBe(false);
      expect((await client.get('/api/contacts')).statusCode).toBe(200);
      const [row] = await ctx.handle.db.select().from(s.users).where(eq(s.users.id, person.id));
      expect(row!.mustChangePassword).toBe(false);
      expect(row!.passwordChangedAt).toBeInstanceOf(Date);

      // The one-time password no longer signs in; the new one does.
      const old = await anonymous(app).post('/api/auth/login', {
        email: person.email,
        password: person.oneTimePassword,
      });
      expectProblem(old, 401);
      expect(
        (await (await signIn(app, person.email, NEW_PASSWORD)).get('/api/contacts')).statusCode,
      ).toBe(200);
    });

    it('changes a password: the current one first; other sessions end, this one goes on', async () => {
      const person = await invite('viewer');
      const here = await signInFirstTime(app, person.email, person.oneTimePassword);
      const elsewhere = await signIn(app, person.email, PASSWORD);
      expect((await elsewhere.get('/api/me')).statusCode).toBe(200); // cached as signed in

      const wrong = await here.post('/api/auth/password', {
        currentPassword: 'not my password at all',
        newPassword: NEW_PASSWORD,
      });
      expectProblem(wrong, 400, 'currentPassword');

      const res = await here.post('/api/auth/password', {
        currentPassword: PASSWORD,
        newPassword: NEW_PASSWORD,
      });
      expect(res.statusCode, res.body).toBe(204);
      expect((await here.get('/api/me')).statusCode).toBe(200);
      expectProblem(await elsewhere.get('/api/me'), 401);
      const sessions = await ctx.handle.db
        .select()
        .from(s.sessions)
        .where(eq(s.sessions.userId, person.id));
      expect(sessions).toHaveLength(1);
    });

    it('refuses short, common and unchanged passwords, saying why, and changes nothing', async () => {
      const person = await invite('viewer');
      const client = await signInFirstTime(app, person.email, person.oneTimePassword);
      const [before] = await ctx.handle.db.select().from(s.users).where(eq(s.users.id, person.id));
      const attempt = (newPassword: unknown) =>
        client.post('/api/auth/password', { currentPassword: PASSWORD, newPassword });

      const short = await attempt('short');
      expectProblem(short, 400, 'newPassword');
      expect(short.json().detail).toMatch(/at least 10 characters/);
      for (const common of ['1234567890', 'qwertyuiop', 'Password123', '1q2w3e4r5t6y']) {
        const res = await attempt(common);
        expectProblem(res, 400, 'newPassword');
        expect(res.json().detail).toMatch(/most common passwords/);
      }
      const same = await attempt(PASSWORD);
      expectProblem(same, 400, 'newPassword');
      expect(same.json().detail).toMatch(/differ from the current/);
      expectProblem(await attempt(person.email), 400, 'newPassword');
      expectProblem(await attempt(12345678901), 400, 'newPassword');
      expectProblem(
        await client.post('/api/auth/password', { newPassword: NEW_PASSWORD }),
        400,
        'currentPassword',
      );

      const [after] = await ctx.handle.db.select().from(s.users).where(eq(s.users.id, person.id));
      expect(after!.passwordHash).toBe(before!.passwordHash);
      expect(after!.passwordChangedAt).toEqual(before!.passwordChangedAt);
    });

    it('an API key has no password to change', async () => {
      const res = await withKey(app, ws.keys.admin).post('/api/auth/password', {
        currentPassword: PASSWORD,
        newPassword: NEW_PASSWORD,
      });
      expectProblem(res, 403);
      expectProblem(
        await anonymous(app).post('/api/auth/password', {
          currentPassword: PASSWORD,
          newPassword: NEW_PASSWORD,
        }),
        401,
      );
    });

    it('an admin resets a password: shown once, sessions end, a change is required', async () => {
      const person = await invite('operator');
      const client = await signInFirstTime(app, person.email, person.oneTimePassword);
      expect((await client.get('/api/contacts')).statusCode).toBe(200);

      const res = await admin.post(`/api/users/${person.id}/reset-password`);
      expect(res.statusCode, res.body).toBe(200);
      const reset = res.json();
      expect(reset).toMatchObject({ id: person.id, mustChangePassword: true });
      expect(reset.oneTimePassword).toMatch(/^[A-Za-z0-9_-]{24}$/);
      expect(reset.oneTimePassword).not.toBe(person.oneTimePassword);
      expect((await admin.get('/api/users')).body).not.toContain(reset.oneTimePassword);

      expectProblem(await client.get('/api/me'), 401);
      expectProblem(
        await anonymous(app).post('/api/auth/login', { email: person.email, password: PASSWORD }),
        401,
      );
      const again = await signIn(app, person.email, reset.oneTimePassword);
      expect((await again.get('/api/contacts')).json().type).toBe(
        '/problems/password-change-required',
      );
    });

    it('only an admin resets, and only in their own workspace', async () => {
      const other = await createTestWorkspace(ctx.handle.db, 'Passwords Elsewhere Co');
      expectProblem(await admin.post(`/api/users/${other.users.viewer.id}/reset-password`), 404);
      const [row] = await ctx.handle.db
        .select()
        .from(s.users)
        .where(eq(s.users.id, other.users.viewer.id));
      expect(row!.mustChangePassword).toBe(false);
      const operator = await signIn(app, ws.users.operator.email);
      expectProblem(await operator.post(`/api/users/${ws.users.viewer.id}/reset-password`), 403);
      expectProblem(
        await withKey(app, ws.keys.operator).post(
          `/api/users/${ws.users.viewer.id}/reset-password`,
        ),
        403,
      );
    });

    it('stops the API keys a user made while the user is deactivated', async () => {
      const person = await invite('admin');
      const actor = {
        workspaceId: ws.id,
        kind: 'user' as const,
        id: person.id,
        role: 'admin' as const,
      };
      const { key } = await createApiKey({ db: ctx.handle.db, clock: systemClock }, actor, {
        name: 'script',
        role: 'operator',
      });
      const script = withKey(app, key);
      expect((await script.get('/api/contacts')).statusCode).toBe(200); // cached as valid

      expect((await admin.patch(`/api/users/${person.id}`, { active: false })).statusCode).toBe(
        200,
      );
      const refused = await script.get('/api/contacts');
      expectProblem(refused, 401);
      // The workspace's other keys go on.
      expect((await withKey(app, ws.keys.operator).get('/api/contacts')).statusCode).toBe(200);

      expect((await admin.patch(`/api/users/${person.id}`, { active: true })).statusCode).toBe(200);
      expect((await script.get('/api/contacts')).statusCode).toBe(200);
    });
  });
}
