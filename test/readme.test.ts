/**
 * What a newcomer reads first works on a clean clone after `npm ci` (CI's checkout): the
 * README's commands exist and run, every `followthrough` command answers --help, and the
 * README and docs/ link only to files that are in the repository.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve('.');
const BIN = path.join(ROOT, 'bin/followthrough.js');
const README = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
};

function followthrough(args: string[]) {
  return spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, DATABASE_URL: '' },
    timeout: 60_000,
  });
}

/** The commands `followthrough --help` lists. */
function commands(): string[] {
  const help = followthrough(['--help']);
  expect(help.status, help.stderr).toBe(0);
  const section = help.stdout.split(/^Commands:$/m)[1] ?? '';
  return [...section.matchAll(/^ {2}([a-z][a-z-]*)\b/gm)]
    .map((m) => m[1]!)
    .filter((c) => c !== 'help');
}

describe('the README’s commands', () => {
  it('names npm scripts that exist', () => {
    const blocks = [...README.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
    const used = blocks.flatMap((b) => [...b.matchAll(/\bnpm (start|test|run [\w:-]+)/g)]);
    expect(used.length).toBeGreaterThan(0);
    for (const [, script] of used) {
      expect(pkg.scripts, script).toHaveProperty(script!.replace(/^run /, ''));
    }
  });

  it('every followthrough command answers --help, and the README lists each of them', () => {
    const listed = commands();
    expect(listed).toEqual(
      expect.arrayContaining(['serve', 'worker', 'migrate', 'seed', 'import-contacts']),
    );
    for (const command of listed) {
      const help = followthrough([command, '--help']);
      expect(help.status, `${command} --help: ${help.stderr}`).toBe(0);
      expect(help.stdout).toContain(`Usage: followthrough ${command}`);
      expect(README).toContain(`followthrough ${command}`);
    }
  });

  it('the options the README shows are the commands’ own', () => {
    for (const [, command, rest] of README.matchAll(/`followthrough ([a-z-]+) ([^`]*)`/g)) {
      const help = followthrough([command!, '--help']).stdout;
      for (const [option] of rest!.matchAll(/--[a-z-]+/g)) expect(help, command).toContain(option);
    }
  });

  describe('npm start', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'followthrough-readme-'));
    let child: ChildProcess | undefined;
    afterAll(() => {
      child?.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    });

    it('serves the app and prints the sign-in on a fresh data directory', async () => {
      const [program, ...args] = pkg.scripts.start!.split(' ');
      expect(program).toBe('node');
      child = spawn(process.execPath, args, {
        cwd: ROOT,
        env: {
          ...process.env,
          DATABASE_URL: '',
          FOLLOWTHROUGH_DATA_DIR: dir,
          PORT: '0',
          LOG_LEVEL: 'warn',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout?.on('data', (d) => {
        out += d;
      });
      child.stderr?.on('data', (d) => {
        out += d;
      });
      const url = await new Promise<string>((resolve, reject) => {
        const onData = () => {
          const m = /running at (http:\/\/\S+)[\s\S]*Password: (\S+)/.exec(out);
          if (m) resolve(m[1]!);
        };
        child!.stdout?.on('data', onData);
        child!.on('exit', (code) => reject(new Error(`npm start exited (${code}):\n${out}`)));
      });
      const health = await fetch(`${url}/api/health`);
      expect(health.status).toBe(200);
      const page = await fetch(`${url}/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<div id="root">');
      const stopped = new Promise((resolve) => child!.on('exit', resolve));
      child.kill('SIGTERM');
      await stopped;
    }, 240_000);
  });
});

describe('links', () => {
  const docs = readdirSync(path.join(ROOT, 'docs'), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.md'))
    .map((f) => path.join('docs', f));

  it.each(['README.md', ...docs])('%s links only to files in the repository', (file) => {
    const text = readFileSync(path.join(ROOT, file), 'utf8');
    expect(text).not.toMatch(/\.\.\/shared|SPEC\.md|ARCHITECTURE\.md/);
    const targets = [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!);
    for (const target of targets) {
      if (/^(https?:|mailto:|#)/.test(target)) continue;
      const resolved = path.resolve(path.dirname(path.join(ROOT, file)), target.split('#')[0]!);
      expect(resolved.startsWith(ROOT + path.sep), `${file} → ${target}`).toBe(true);
      expect(existsSync(resolved), `${file} → ${target}`).toBe(true);
    }
  });
});
