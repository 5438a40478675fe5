/**
 * Users (SPEC §1, §9): invite with a one-time password that signs in, change role, deactivate
 * (sessions stop at once, sign-in refused) and reactivate; emails unique in a workspace whatever
 * their case, and an invite of someone with an account in another workspace answered like any;
 * the last active admin can be neither demoted nor deactivated, even by two admins at once.
 */
import { and, eq, isNull } from 'drizzle-orm';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as s from '../src/server/db/schema.ts';
import { buildApp } from '../src/server/http/app.ts';
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
      expect(again.json().detail).toMatch(/A user of this workspace already has the email/);
      const taken = await admin.post('/api/users', {
        name: 'C',
        email: ws.users.viewer.email,
        role: 'viewer',
      });
      expectProblem(taken, 409, 'email');
    });

    it('invites a person who has an account in another workspace exactly like anyone else', async () => {
      const other = await createTestWorkspace(ctx.handle.db, 'Elsewhere Co');
      const known = other.users.operator.email;
      const fresh = await admin.post('/api/users', {
        name: 'New',
        email: email('new'),
        role: 'viewer',
      });
      const invited = await admin.post('/api/users', {
        name: 'Known',
        email: known,
        role: 'viewer',
      });
      // Same status, same headers that matter, same body shape: nothing says the email is in use.
      expect(invited.statusCode, invited.body).toBe(201);
      expect(invited.statusCode).toBe(fresh.statusCode);
      expect(invited.headers['content-type']).toBe(fresh.headers['content-type']);
      const shape = (body: Record<string, unknown>) =>
        Object.fromEntries(
          Object.entries(body).map(([k, v]) => [k, v === null ? 'null' : typeof v]),
        );
      expect(shape(invited.json())).toEqual(shape(fresh.json()));
      const account = invited.json();
      expect(account).toMatchObject({
        email: known,
        role: 'viewer',
        active: true,
        mustChangePassword: true,
      });
      expect(account.id).not.toBe(other.users.operator.id);
      expect(account.oneTimePassword).toMatch(/^[A-Za-z0-9_-]{24}$/);

      // Two separate accounts: each password opens its own workspace only.
      const here = await signIn(app, known, account.oneTimePassword);
      expect((await here.get('/api/me')).json()).toMatchObject({
        user: { id: account.id, role: 'viewer', mustChangePassword: true },
        workspace: { id: ws.id },
      });
      const there = await signIn(app, known, PASSWORD);
      expect((await there.get('/api/me')).json()).toMatchObject({
        user: { id: other.users.operator.id, role: 'operator', mustChangePassword: false },
        workspace: { id: other.id },
      });
      // The other workspace sees nothing of the invite.
      const otherAdmin = await signIn(app, other.users.admin.email);
      const theirs = (await otherAdmin.get('/api/users')).json().items as { id: string }[];
      expect(theirs.map((u) => u.id)).not.toContain(account.id);
      expect(theirs).toHaveLength(3);

      // The person chooses the same password here: sign-in then asks which workspace, listing
      // only those the password opens.
      await signInFirstTime(app, known, account.oneTimePassword);
      const login = (payload: Record<string, string>) =>
        app.inject({ method: 'POST', url: '/api/auth/login', payload });
      const ask = await login({ email: known, password: PASSWORD });
      expectProblem(ask, 409, 'workspaceId');
      expect(ask.json()).toMatchObject({
        type: '/problems/choose-workspace',
        workspaces: [
          { id: other.id, name: 'Elsewhere Co' },
          { id: ws.id, name: 'Users Co' },
        ],
      });
      expect(ask.cookies.find((c) => c.name === 'ft_session')).toBeUndefined();
      const chosen = await login({ email: known, password: PASSWORD, workspaceId: ws.id });
      expect(chosen.statusCode, chosen.body).toBe(200);
      expect(chosen.json()).toMatchObject({ user: { id: account.id }, workspace: { id: ws.id } });
      const third = await createTestWorkspace(ctx.handle.db, 'Third Co');
      expect(
        (await login({ email: known, password: PASSWORD, workspaceId: third.id })).statusCode,
      ).toBe(401);
      expect((await login({ email: known, password: 'a wrong password' })).json().type).toBe(
        '/problems/unauthenticated',
      );

      // Deactivated here, the account elsewhere goes on, and no choice is asked any more.
      expect((await admin.patch(`/api/users/${account.id}`, { active: false })).statusCode).toBe(
        200,
      );
      const only = await login({ email: known, password: PASSWORD });
      expect(only.statusCode, only.body).toBe(200);
      expect(only.json().workspace.id).toBe(other.id);
    });

    it("counts a sign-in that another account's password check refused as a failure on the email", async () => {
      // Whoever controls one account (the admin who invited the email) cannot try passwords of
      // the account in another workspace through it beyond the limit on failures.
      const guarded = await buildApp({
        handle: ctx.handle,
        logger: false,
        loginLimits: { perEmail: 2, perIp: 1000 },
      });
      try {
        const other = await createTestWorkspace(ctx.handle.db, 'Guarded Co');
        const known = other.users.viewer.email;
        const invited = await admin.post('/api/users', { name: 'V', email: known, role: 'viewer' });
        const mine = await signInFirstTime(guarded, known, invited.json().oneTimePassword);
        expect((await mine.get('/api/me')).json().workspace.id).toBe(ws.id);
        const login = () =>
          guarded.inject({
            method: 'POST',
            url: '/api/auth/login',
            payload: { email: known, password: PASSWORD },
          });
        // PASSWORD opens both: a choice, not a failure, however often.
        for (let i = 0; i < 3; i++) expect((await login()).statusCode).toBe(409);
        const own = 'only this workspace knows it';
        expect(
          (await mine.post('/api/auth/password', { currentPassword: PASSWORD, newPassword: own }))
            .statusCode,
        ).toBe(204);
        const ownLogin = () =>
          guarded.inject({
            method: 'POST',
            url: '/api/auth/login',
            payload: { email: known, password: own },
          });
        // Each sign-in with a password the other account refuses counts as one guess at it: the
        // first one, with the one-time password, and this one reach the limit of 2.
        expect((await ownLogin()).statusCode).toBe(200);
        const limited = await ownLogin();
        expect(limited.statusCode).toBe(429);
        expect(limited.headers['retry-after']).toBeDefined();
      } finally {
        await guarded.close();
      }
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
