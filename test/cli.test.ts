/**
 * The command a newcomer runs: `followthrough serve` on a fresh data directory, as a real
 * process. It migrates, loads the demo, prints the address and the sign-in, holds the
 * directory against a second process, and lets go of it on SIGTERM.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const BIN = path.resolve('bin/followthrough.js');

interface Run {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function run(args: string[], env: Record<string, string>): Run {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...process.env, LOG_LEVEL: 'warn', DATABASE_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d) => {
    out += d;
  });
  child.stderr?.on('data', (d) => {
    out += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

async function waitFor(r: Run, pattern: RegExp, ms = 90_000): Promise<RegExpMatchArray> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const m = r.output().match(pattern);
    if (m) return m;
    if (r.child.exitCode !== null) break;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error(`did not see ${pattern} in:\n${r.output()}`);
}

describe('followthrough serve on the embedded database', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'followthrough-cli-'));
  const env = { FOLLOWTHROUGH_DATA_DIR: dir, PORT: '0', HOST: '127.0.0.1' };
  const started: Run[] = [];
  afterAll(() => {
    for (const r of started) r.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts, loads the demo, prints the sign-in, refuses a second process, stops cleanly', async () => {
    const first = run(['serve'], env);
    started.push(first);
    const [, url] = await waitFor(first, /running at (http:\/\/\S+)/);
    const [, email] = await waitFor(first, /Sign in:\s+(\S+)/);
    const [, password] = await waitFor(first, /Password:\s+(\S+)/);

    const health = await fetch(`${url}/api/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({
      status: 'ok',
      database: { kind: 'pglite', reachable: true },
    });
    const login = await fetch(`${url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: url! },
      body: JSON.stringify({ email, password }),
    });
    expect(login.status).toBe(200);
    expect(((await login.json()) as { workspace: { name: string } }).workspace.name).toBe(
      'Demo Co',
    );

    const second = run(['serve'], env);
    started.push(second);
    expect(await second.exited).toBe(1);
    expect(second.output()).toContain('is in use by another Followthrough process');

    expect(existsSync(path.join(dir, 'followthrough.lock'))).toBe(true);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(existsSync(path.join(dir, 'followthrough.lock'))).toBe(false);

    // The data stays; the demo is not loaded twice; the password is not shown again.
    const again = run(['serve'], env);
    started.push(again);
    await waitFor(again, /running at/);
    expect(again.output()).toContain('the one printed on first start');
    again.child.kill('SIGINT');
    expect(await again.exited).toBe(0);
  }, 180_000);

  it('explains a bad setting instead of starting', async () => {
    const bad = run(['serve'], { ...env, PORT: 'eighty' });
    expect(await bad.exited).toBe(1);
    expect(bad.output()).toMatch(/PORT: /);
  });

  it('has help for each command', async () => {
    for (const command of ['serve', 'worker', 'migrate', 'seed']) {
      const help = run([command, '--help'], env);
      expect(await help.exited).toBe(0);
      expect(help.output()).toContain(`Usage: followthrough ${command}`);
    }
  }, 60_000);
});
