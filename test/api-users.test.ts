/**
 * Users (SPEC §1, §9): invite with a one-time password that signs in, change role, deactivate
 * (sessions stop at once, sign-in refused) and reactivate; emails unique whatever their case;
 * the last active admin can be neither demoted nor deactivated, even by two admins at once.
 */
import { and, eq, isNull } from 'drizzle-orm';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as s from '../src/server/db/schema.ts';
import { buildApp } from '../src/server/http/app.ts';
import { anonymous, type Client, signIn, signInFirstTime, withKey } from './helpers/client.ts';
import { testDatabases, useDatabase } from './helpers/databases.ts';
import { createTestWorkspace, type TestWorkspace } from './helpers/workspace.ts';

function expectProblem(res: LightMyRequestResponse, status: number, path?: string) {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toContain('application/problem+json');
  if (path) expect(res.json().errors.map((e: { path: string }) => e.path)).toContain(path);
}

let serial = 0;
const email = (name: string) => `${name}.${Date.now().toString(36)}${serial++}@example.com`;

for (const target of testDatabases()) {
  describe(`users API [${target.name}]`, () => {
    const ctx = useDatabase(target);
    let app: FastifyInstance;
    let ws: TestWorkspace;
    let admin: Client;

    beforeAll(async () => {
      app = await buildApp({ handle: ctx.handle, logger: false });
      ws = await createTestWorkspace(ctx.handle.db, 'Users Co');
      admin = await signIn(app, ws.users.admin.email);
    });
    afterAll(() => app.close());

    const activeAdmins = async (workspaceId: string) =>
      ctx.handle.db
        .select({ id: s.users.id })
        .from(s.users)
        .where(
          and(
            eq(s.users.workspaceId, workspaceId),
            eq(s.users.role, 'admin'),
            isNull(s.users.deactivatedAt),
          ),
        );

    it('lists the users of the workspace only, without password hashes', async () => {
      await createTestWorkspace(ctx.handle.db, 'Users Elsewhere Co');
      const res = await admin.get('/api/users');
      expect(res.statusCode).toBe(200);
      const items = res.json().items as { email: string; role: string; active: boolean }[];
      expect(items.map((u) => u.email).sort()).toEqual(
        [ws.users.admin.email, ws.users.operator.email, ws.users.viewer.email].sort(),
      );
      expect(items.every((u) => u.active)).toBe(true);
      expect(res.body).not.toContain('argon2');
      expectProblem(await (await signIn(app, ws.users.operator.email)).get('/api/users'), 403);
    });

    it('invites a user whose one-time password signs in, shown in the create answer only', async () => {
      const address = email('Maria.Lopez');
      const res = await admin.post('/api/users', {
        name: ' Maria Lopez ',
        email: address,
        role: 'operator',
      });
      expect(res.statusCode, res.body).toBe(201);
      const created = res.json();
      expect(created).toMatchObject({
        name: 'Maria Lopez',
        email: address,
        role: 'operator',
        active: true,
        deactivatedAt: null,
      });
      expect(created.oneTimePassword).toMatch(/^[A-Za-z0-9_-]{24}$/);
      const [row] = await ctx.handle.db.select().from(s.users).where(eq(s.users.id, created.id));
      expect(row!.passwordHash).toMatch(/^\$argon2id\$/);
      expect(row!.passwordHash).not.toContain(created.oneTimePassword);
      const list = await admin.get('/api/users');
      expect(list.body).not.toContain(created.oneTimePassword);

      const maria = await signIn(app, address.toUpperCase(), created.oneTimePassword);
      const me = (await maria.get('/api/me')).json();
      expect(me.user).toMatchObject({ id: created.id, role: 'operator', mustChangePassword: true });
      expectProblem(await maria.get('/api/users'), 403);
    });

    it('refuses a second user with the same email, whatever its case', async () => {
      const address = email('dup');
      expect(
        (await admin.post('/api/users', { name: 'A', email: address, role: 'viewer' })).statusCode,
      ).toBe(201);
      const again = await admin.post('/api/users', {
        name: 'B',
        email: address.toUpperCase(),
        role: 'viewer',
      });
      expectProblem(again, 409, 'email');
      expect(again.json().detail).toMatch(/already exists/);
      // An existing user of another workspace counts too: emails sign in, so they are global.
      const taken = await admin.post('/api/users', {
        name: 'C',
        email: ws.users.viewer.email,
        role: 'viewer',
      });
      expectProblem(taken, 409, 'email');
    });

    it('says which field is wrong, and writes nothing', async () => {
      const before = (await admin.get('/api/users')).json().items.length;
      expectProblem(
        await admin.post('/api/users', { name: '', email: email('x'), role: 'viewer' }),
        400,
        'name',
      );
      expectProblem(
        await admin.post('/api/users', { name: 'X', email: 'not-an-email', role: 'viewer' }),
        400,
        'email',
      );
      expectProblem(
        await admin.post('/api/users', { name: 'X', email: email('x'), role: 'owner' }),
        400,
        'role',
      );
      expectProblem(await admin.post('/api/users', { name: 'X', email: email('x') }), 400, 'role');
      expectProblem(
        await admin.post('/api/users', {
          name: 'X',
          email: email('x'),
          role: 'viewer',
          password: 'mine',
        }),
        400,
      );
      expectProblem(
        await admin.patch(`/api/users/${ws.users.viewer.id}`, { role: 'root' }),
        400,
        'role',
      );
      expect((await admin.get('/api/users')).json().items).toHaveLength(before);
    });

    it('changes a role, which applies to the open session at once', async () => {
      const address = email('promoted');
      const created = (
        await admin.post('/api/users', { name: 'P', email: address, role: 'viewer' })
      ).json();
      const person = await signInFirstTime(app, address, created.oneTimePassword);
      expectProblem(await person.get('/api/users'), 403);
      const res = await admin.patch(`/api/users/${created.id}`, { role: 'admin', name: 'Pat' });
      expect(res.json()).toMatchObject({ role: 'admin', name: 'Pat', active: true });
      expect((await person.get('/api/users')).statusCode).toBe(200);
    });

    it("stops a deactivated user's session and sign-in at once; reactivation lets them back", async () => {
      const address = email('leaver');
      const created = (
        await admin.post('/api/users', { name: 'L', email: address, role: 'operator' })
      ).json();
      const leaver = await signIn(app, address, created.oneTimePassword);
      expect((await leaver.get('/api/me')).statusCode).toBe(200); // cached as signed in

      const res = await admin.patch(`/api/users/${created.id}`, { active: false });
      expect(res.statusCode).toBe(200);
      expect(res.json().active).toBe(false);
      expect(res.json().deactivatedAt).toEqual(expect.any(String));
      expectProblem(await leaver.get('/api/me'), 401);
      expectProblem(await leaver.post('/api/contacts', { phone: '+12125550177' }), 401);
      const sessions = await ctx.handle.db
        .select()
        .from(s.sessions)
        .where(eq(s.sessions.userId, created.id));
      expect(sessions).toEqual([]);
      const login = await anonymous(app).post('/api/auth/login', {
        email: address,
        password: created.oneTimePassword,
      });
      expectProblem(login, 401);

      expect(
        (await admin.patch(`/api/users/${created.id}`, { active: true })).json(),
      ).toMatchObject({
        active: true,
        deactivatedAt: null,
      });
      const back = await signIn(app, address, created.oneTimePassword);
      expect((await back.get('/api/me')).statusCode).toBe(200);
    });

    it('keeps the last active admin: no demotion, no deactivation', async () => {
      const solo = await createTestWorkspace(ctx.handle.db, 'Solo Admin Co');
      const client = withKey(app, solo.keys.admin);
      const demote = await client.patch(`/api/users/${solo.users.admin.id}`, { role: 'operator' });
      expectProblem(demote, 409, 'role');
      expect(demote.json().detail).toMatch(/at least one active admin/);
      const deactivate = await client.patch(`/api/users/${solo.users.admin.id}`, { active: false });
      expectProblem(deactivate, 409, 'active');
      expect(await activeAdmins(solo.id)).toEqual([{ id: solo.users.admin.id }]);
      // A deactivated admin does not count: with a second admin gone, the first is still last.
      const second = (
        await client.post('/api/users', { name: 'Second', email: email('second'), role: 'admin' })
      ).json();
      expect((await client.patch(`/api/users/${second.id}`, { active: false })).statusCode).toBe(
        200,
      );
      expectProblem(
        await client.patch(`/api/users/${solo.users.admin.id}`, { role: 'viewer' }),
        409,
      );
      // Renaming the last admin is fine.
      expect(
        (await client.patch(`/api/users/${solo.users.admin.id}`, { name: 'Boss' })).statusCode,
      ).toBe(200);
    });

    it('lets only one of two concurrent demotions of the last two admins through', async () => {
      const pair = await createTestWorkspace(ctx.handle.db, 'Two Admins Co');
      const client = withKey(app, pair.keys.admin);
      const other = (
        await client.post('/api/users', { name: 'Other', email: email('other'), role: 'admin' })
      ).json();
      const [a, b] = await Promise.all([
        client.patch(`/api/users/${pair.users.admin.id}`, { role: 'operator' }),
        client.patch(`/api/users/${other.id}`, { active: false }),
      ]);
      expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
      expect(await activeAdmins(pair.id)).toHaveLength(1);
    });

    it("answers 404 for another workspace's user and changes nothing", async () => {
      const elsewhere = await createTestWorkspace(ctx.handle.db, 'Users Foreign Co');
      const res = await admin.patch(`/api/users/${elsewhere.users.admin.id}`, { role: 'viewer' });
      expectProblem(res, 404);
      const [row] = await ctx.handle.db
        .select()
        .from(s.users)
        .where(eq(s.users.id, elsewhere.users.admin.id));
      expect(row!.role).toBe('admin');
    });
  });
}
