/**
 * Starts a real `followthrough serve` (the built web app and the API) on a free port with a
 * fresh data directory, waits until it says where it listens, and stops it afterwards.
 * Nothing is built here: run `npm run build:web` first.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');
export const ADMIN_EMAIL = 'admin@demo.followthrough.local';
export const ADMIN_PASSWORD = 'e2e-password-1234';

export interface RunningServer {
  url: string;
  /** Everything the server printed so far (for failure messages). */
  output: () => string;
  stop: () => Promise<void>;
}

export function webAppBuilt(): boolean {
  return existsSync(join(ROOT, 'dist/web/index.html'));
}

export async function startServer(
  options: { demo?: boolean; env?: Record<string, string> } = {},
): Promise<RunningServer> {
  if (!webAppBuilt()) {
    throw new Error(
      'dist/web/index.html is missing: run `npm run build:web` before the e2e tests.',
    );
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'ft-e2e-data-'));
  const child: ChildProcess = spawn(
    process.execPath,
    [resolve(ROOT, process.env.E2E_SERVE_BIN ?? 'bin/followthrough.js'), 'serve'],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        PORT: '0',
        HOST: '127.0.0.1',
        FOLLOWTHROUGH_DATA_DIR: dataDir,
        FOLLOWTHROUGH_DEMO: options.demo === false ? '0' : '1',
        FOLLOWTHROUGH_ADMIN_EMAIL: ADMIN_EMAIL,
        FOLLOWTHROUGH_ADMIN_PASSWORD: ADMIN_PASSWORD,
        LOG_LEVEL: 'warn',
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));

  const url = await new Promise<string>((done, fail) => {
    const timer = setTimeout(() => {
      fail(new Error(`The server did not start within 150 s. Its output:\n${output}`));
    }, 150_000);
    const check = () => {
      const match = /running at (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        done(match[1]!);
      }
    };
    child.stdout?.on('data', check);
    exited.then((code) => {
      clearTimeout(timer);
      fail(new Error(`The server exited (code ${code}) before it started. Its output:\n${output}`));
    });
  });

  return {
    url,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
