/**
 * `followthrough reset-password EMAIL` (issue 13 §3): an admin locked out of the web app gets a
 * one-time password printed once; their sessions end and they must choose their own password
 * at the next sign-in. An email with an account in several workspaces needs --workspace. An
 * unknown email is a plain message and exit code 1.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/server/db/client.ts';
import * as s from '../src/server/db/schema.ts';
import { buildApp } from '../src/server/http/app.ts';
import { anonymous, signIn } from './helpers/client.ts';
import { createTestWorkspace, PASSWORD } from './helpers/workspace.ts';

const BIN = path.resolve('bin/followthrough.js');

function cli(args: string[], env: Record<string, string>) {
  return new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, LOG_LEVEL: 'warn', DATABASE_URL: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => {
      output += d;
    });
    child.stderr.on('data', (d) => {
      output += d;
    });
    child.on('exit', (code) => resolve({ code, output }));
  });
}

describe('followthrough reset-password', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'followthrough-reset-'));
  const env = { FOLLOWTHROUGH_DATA_DIR: dir };
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints a one-time password that signs in and must be changed; sessions end', async () => {
    let handle = await openDatabase({ dataDir: dir });
    await handle.migrate();
    const ws = await createTestWorkspace(handle.db, 'Locked Out Co');
    const before = await signIn(await buildApp({ handle, logger: false }), ws.users.admin.email);
    expect((await before.get('/api/me')).statusCode).toBe(200);
    await handle.close();

    const run = await cli(['reset-password', ws.users.admin.email.toUpperCase()], env);
    expect(run.code, run.output).toBe(0);
    const match = /New one-time password for (\S+): (\S+)/.exec(run.output);
    expect(match, run.output).not.toBeNull();
    expect(match![1]).toBe(ws.users.admin.email);
    const password = match![2]!;

    handle = await openDatabase({ dataDir: dir });
    try {
      const app = await buildApp({ handle, logger: false });
      const sessions = await handle.db
        .select()
        .from(s.sessions)
        .where(eq(s.sessions.userId, ws.users.admin.id));
      expect(sessions).toEqual([]);
      const old = await anonymous(app).post('/api/auth/login', {
        email: ws.users.admin.email,
        password: PASSWORD,
      });
      expect(old.statusCode).toBe(401);
      const client = await signIn(app, ws.users.admin.email, password);
      expect((await client.get('/api/me')).json().user.mustChangePassword).toBe(true);
      expect((await client.get('/api/users')).json().type).toBe(
        '/problems/password-change-required',
      );
      await app.close();
    } finally {
      await handle.close();
    }
  });

  it('asks which workspace when the email has an account in several, and resets that one only', async () => {
    let handle = await openDatabase({ dataDir: dir });
    await handle.migrate();
    const first = await createTestWorkspace(handle.db, 'First Co');
    const second = await createTestWorkspace(handle.db, 'Second Co');
    const email = first.users.admin.email;
    await handle.db.update(s.users).set({ email }).where(eq(s.users.id, second.users.viewer.id));
    await handle.close();

    const ask = await cli(['reset-password', email], env);
    expect(ask.code).toBe(1);
    expect(ask.output).toContain(
      `${email} has an account in 2 workspaces: say which with --workspace`,
    );
    expect(ask.output).toContain(`${first.id}  First Co`);
    expect(ask.output).toContain(`${second.id}  Second Co`);

    const run = await cli(['reset-password', email, '--workspace', 'Second Co'], env);
    expect(run.code, run.output).toBe(0);
    expect(run.output).toContain('Workspace: Second Co');
    const password = /New one-time password for \S+: (\S+)/.exec(run.output)![1]!;
    handle = await openDatabase({ dataDir: dir });
    try {
      const app = await buildApp({ handle, logger: false });
      const reset = await signIn(app, email, password);
      expect((await reset.get('/api/me')).json()).toMatchObject({
        user: { id: second.users.viewer.id, mustChangePassword: true },
        workspace: { id: second.id },
      });
      // The account in the other workspace keeps its password.
      const kept = await signIn(app, email, PASSWORD);
      expect((await kept.get('/api/me')).json().workspace.id).toBe(first.id);
      await app.close();
    } finally {
      await handle.close();
    }
    const none = await cli(['reset-password', email, '--workspace', 'Nowhere Co'], env);
    expect(none.code).toBe(1);
    expect(none.output).toContain(`${email} has no account in the workspace Nowhere Co.`);
  });

  it('says so when no user has the email', async () => {
    const run = await cli(['reset-password', 'nobody@example.com'], env);
    expect(run.code).toBe(1);
    expect(run.output).toContain('No user signs in with nobody@example.com.');
  });
});
