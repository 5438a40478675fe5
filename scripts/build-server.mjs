#!/usr/bin/env node
/**
 * Builds the server (src/server, with src/core and src/contracts) into dist/server as
 * JavaScript: one small entry (the command line) and a chunk per command, loaded when that
 * command runs. Packages stay in node_modules. Runs on `npm ci` (the `prepare` script) and,
 * from bin/followthrough.js, whenever a source is newer than the build — so a checkout always
 * runs what its sources say. See docs/decisions/0006-compiled-server.md.
 */
import {
  existsSync,
  mkdirSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT = path.join(ROOT, 'dist/server');
export const ENTRY = path.join(OUT, 'cli.js');
const SOURCES = ['src/server', 'src/core', 'src/contracts'].map((d) => path.join(ROOT, d));

function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) latest = Math.max(latest, newest(full));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
      latest = Math.max(latest, statSync(full).mtimeMs);
    }
  }
  return latest;
}

/** True when there is no build, or a source (or this script) changed after it. */
export function isStale() {
  if (!existsSync(ENTRY)) return true;
  const sources = SOURCES.filter((d) => existsSync(d));
  if (sources.length === 0) return false; // a copy without sources runs what it has
  const built = statSync(ENTRY).mtimeMs;
  return Math.max(statSync(fileURLToPath(import.meta.url)).mtimeMs, ...sources.map(newest)) > built;
}

/**
 * Each file is written beside its place and renamed into it, the entry last: a process that
 * starts during a build runs either the old build or the new one, never half of each.
 */
export async function buildServer({ clean = false } = {}) {
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: { cli: 'src/server/cli.ts' },
    outdir: OUT,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20.19',
    packages: 'external',
    chunkNames: 'chunks/[name]-[hash]',
    sourcemap: 'linked',
    sourcesContent: false,
    write: false,
    logLevel: 'warning',
  });
  if (clean) rmSync(OUT, { recursive: true, force: true });
  const files = [...result.outputFiles].sort(
    (a, b) => Number(a.path.startsWith(ENTRY)) - Number(b.path.startsWith(ENTRY)),
  );
  for (const file of files) {
    mkdirSync(path.dirname(file.path), { recursive: true });
    const temporary = `${file.path}.${process.pid}.tmp`;
    writeFileSync(temporary, file.contents);
    renameSync(temporary, file.path);
  }
  // Chunks of earlier builds: removed once no process can still be loading them. Processes that
  // start together may build together: another's file can vanish between the listing and the
  // stat (renamed into place, or removed by its own sweep).
  const current = new Set(files.map((f) => f.path));
  const chunks = path.join(OUT, 'chunks');
  for (const name of existsSync(chunks) ? readdirSync(chunks) : []) {
    const full = path.join(chunks, name);
    if (current.has(full) || name.endsWith('.tmp')) continue;
    const stat = statSync(full, { throwIfNoEntry: false });
    if (stat && Date.now() - stat.mtimeMs > 60_000) rmSync(full, { force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  await buildServer({ clean: true });
  console.log(`Built the server into dist/server in ${Date.now() - started} ms.`);
}
