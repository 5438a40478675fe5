#!/usr/bin/env node
/**
 * Start-up figures (docs/BENCHMARKS.md, "Start-up"), each command three times under
 * /usr/bin/time -v, side by side in one run:
 *   - `followthrough --help` and graphile-worker's `--help` as the anchor (GW_BIN, installed
 *     outside the repository); with BEFORE=<an earlier checkout>, that version's too;
 *   - `serve` on an existing embedded data directory: from spawn to the first 200 of
 *     /api/health, and its resident memory once idle (10 s after that);
 *   - what that memory is made of: Node alone, Node with PGlite open on the same directory.
 *
 *   [BEFORE=DIR] [GW_BIN=…] node bench/startup.mjs DATA_DIR
 *   (DATA_DIR: made by one `followthrough serve`, stopped; each run uses a copy of it)
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const RUNS = 3;
const source = process.argv[2];
if (!source) throw new Error('usage: node bench/startup.mjs DATA_DIR');
const GW = process.env.GW_BIN ?? '/tmp/gw/node_modules/.bin/graphile-worker';
/** A checkout of the version before (with node_modules), to run its own bin side by side. */
const BEFORE = process.env.BEFORE;

function timed(argv) {
  const r = spawnSync('/usr/bin/time', ['-v', ...argv], { encoding: 'utf8', env: process.env });
  if (r.status !== 0) throw new Error(`${argv.join(' ')} failed:\n${r.stderr}`);
  const wall = /Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+(?:\.\d+)?)$/m.exec(r.stderr);
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr);
  return { s: Number(wall[1] ?? 0) * 60 + Number(wall[2]), mb: Number(rss[1]) / 1024 };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
function summary(name, runs, key, unit, digits) {
  const xs = runs.map((r) => r[key]);
  const f = (v) => v.toFixed(digits);
  return `${name}: median ${f(median(xs))} ${unit} (runs ${xs.map(f).join(', ')}; spread ${f(Math.max(...xs) - Math.min(...xs))})`;
}

function help(label, argv) {
  const runs = Array.from({ length: RUNS }, () => timed(argv));
  console.log(summary(`${label} wall`, runs, 's', 's', 2));
  console.log(summary(`${label} max RSS`, runs, 'mb', 'MB', 0));
  return runs;
}

const rssOf = (pid) =>
  Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;

/** Spawns `argv` under /usr/bin/time on a copy of the data directory; ready = first 200. */
async function serveOnce(argv, port) {
  const dir = mkdtempSync(path.join(tmpdir(), 'ft-startup-'));
  cpSync(source, dir, { recursive: true });
  rmSync(path.join(dir, 'followthrough.lock'), { force: true });
  const started = performance.now();
  const child = spawn('/usr/bin/time', ['-v', ...argv], {
    env: { ...process.env, FOLLOWTHROUGH_DATA_DIR: dir, PORT: String(port), LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  let ready;
  while (ready === undefined) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/api/health`);
      if (res.status === 200) ready = (performance.now() - started) / 1000;
    } catch {
      await new Promise((r) => setTimeout(r, 25));
    }
    if (child.exitCode !== null) throw new Error(`serve exited:\n${stderr}`);
  }
  await new Promise((r) => setTimeout(r, 10_000));
  const node = spawnSync('pgrep', ['-P', String(child.pid)], { encoding: 'utf8' }).stdout.trim();
  const idle = rssOf(Number(node.split('\n')[0]));
  const exited = new Promise((r) => child.on('exit', r));
  process.kill(Number(node.split('\n')[0]), 'SIGTERM');
  await exited;
  rmSync(dir, { recursive: true, force: true });
  const max = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(stderr)[1]) / 1024;
  return { s: ready, mb: idle, max };
}

async function serve(label, argv, port) {
  const runs = [];
  for (let i = 0; i < RUNS; i++) runs.push(await serveOnce(argv, port));
  console.log(summary(`${label} spawn → /api/health 200`, runs, 's', 's', 2));
  console.log(summary(`${label} idle RSS (10 s after ready)`, runs, 'mb', 'MB', 0));
  console.log(summary(`${label} max RSS`, runs, 'max', 'MB', 0));
}

console.log(`node ${process.version}, ${RUNS} runs each\n`);
const gw = help('graphile-worker --help', [GW, '--help']);
const built = help('followthrough --help (dist)', [
  process.execPath,
  'bin/followthrough.js',
  '--help',
]);
if (BEFORE)
  help('followthrough --help (before)', [
    process.execPath,
    `${BEFORE}/bin/followthrough.js`,
    '--help',
  ]);
console.log(
  `ratio dist/graphile-worker (median wall): ${(median(built.map((r) => r.s)) / median(gw.map((r) => r.s))).toFixed(2)}×\n`,
);
await serve('serve (dist)', [process.execPath, 'bin/followthrough.js', 'serve'], 3931);
if (BEFORE) {
  await serve(
    'serve (before)',
    [process.execPath, `${BEFORE}/bin/followthrough.js`, 'serve'],
    3932,
  );
}
help('node -e "" (Node alone)', [process.execPath, '-e', '']);
const pgliteProbe = `
  const { PGlite } = await import('@electric-sql/pglite');
  const db = await PGlite.create(process.env.FOLLOWTHROUGH_DATA_DIR);
  await db.query('select 1');
  await new Promise((r) => setTimeout(r, 3000));
  console.log(Math.round(process.memoryUsage().rss / 1048576));
  await db.close();`;
const dir = mkdtempSync(path.join(tmpdir(), 'ft-startup-'));
cpSync(source, dir, { recursive: true });
rmSync(path.join(dir, 'followthrough.lock'), { force: true });
const pglite = [];
for (let i = 0; i < RUNS; i++) {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', pgliteProbe], {
    encoding: 'utf8',
    env: { ...process.env, FOLLOWTHROUGH_DATA_DIR: dir },
  });
  pglite.push({ mb: Number(r.stdout.trim()) });
}
rmSync(dir, { recursive: true, force: true });
console.log(summary('Node + PGlite open on the data directory, RSS', pglite, 'mb', 'MB', 0));
