#!/usr/bin/env node
/**
 * `npm start`: builds the web app when its build is missing or older than its sources, then
 * runs `followthrough serve` (migrations, the demo on first start, the engine).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(full) : statSync(full).mtimeMs);
  }
  return latest;
}

const built = 'dist/web/index.html';
const sources = ['src/web', 'src/core', 'src/contracts'].filter((d) => existsSync(d));
const stale =
  existsSync('src/web') &&
  (!existsSync(built) || Math.max(...sources.map(newest)) > statSync(built).mtimeMs);
if (stale) {
  console.log('Building the web app…');
  const build = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const child = spawn(process.execPath, ['bin/followthrough.js', 'serve', ...process.argv.slice(2)], {
  stdio: 'inherit',
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
