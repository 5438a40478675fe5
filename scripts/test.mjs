#!/usr/bin/env node
/**
 * `npm test`: every tier this machine can run, and loudly which it skipped and why.
 * REQUIRE_POSTGRES=1 (set by .ci/run) turns a missing PostgreSQL into a failure.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import pg from 'pg';

const DEFAULT_URL = 'postgres://postgres@127.0.0.1:5432/test';
const env = { ...process.env };
const skipped = [];

async function reachable(url) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

const url = env.TEST_DATABASE_URL || DEFAULT_URL;
if (await reachable(url)) {
  env.TEST_DATABASE_URL = url;
} else if (env.REQUIRE_POSTGRES === '1') {
  console.error(`\nREQUIRE_POSTGRES=1 but PostgreSQL is not reachable at ${url}. Failing.\n`);
  process.exit(1);
} else {
  delete env.TEST_DATABASE_URL;
  skipped.push(`PostgreSQL tier: nothing answers at ${url} (set TEST_DATABASE_URL)`);
}

// The browser tier: Debian's Chromium and a build of the web app.
const chromium = env.CHROMIUM_PATH || '/usr/bin/chromium';
const projects = [];
if (existsSync(chromium)) {
  console.log('Building the web app for the browser tests…');
  const build = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], {
    stdio: 'inherit',
    env,
  });
  if (build.status !== 0) process.exit(build.status ?? 1);
} else if (env.REQUIRE_BROWSER === '1') {
  console.error(`\nREQUIRE_BROWSER=1 but Chromium is not at ${chromium}. Failing.\n`);
  process.exit(1);
} else {
  skipped.push(`browser tier: no Chromium at ${chromium} (apt-get install chromium)`);
  projects.push('--project', 'unit', '--project', 'integration');
}

if (skipped.length > 0) {
  const bar = '!'.repeat(78);
  console.warn(`\n${bar}\n  SKIPPED TIERS\n${skipped.map((s) => `  - ${s}`).join('\n')}\n${bar}\n`);
}

mkdirSync('test-results', { recursive: true });
const result = spawnSync(
  'npx',
  [
    'vitest',
    'run',
    '--reporter=default',
    '--reporter=json',
    '--outputFile.json=test-results/vitest.json',
    ...projects,
    ...process.argv.slice(2),
  ],
  { stdio: 'inherit', env },
);

let summary = '';
if (existsSync('test-results/vitest.json')) {
  const report = JSON.parse(readFileSync('test-results/vitest.json', 'utf8'));
  const skippedCount = report.numPendingTests + report.numTodoTests;
  summary = `${report.numPassedTests} passed, ${report.numFailedTests} failed, ${skippedCount} skipped`;
}
console.log('');
console.log(
  `Databases: PGlite${env.TEST_DATABASE_URL ? ` and PostgreSQL (${env.TEST_DATABASE_URL})` : ' only'}`,
);
if (skipped.length > 0) console.log(`Skipped tiers: ${skipped.join('; ')}`);
if (summary) console.log(summary);
process.exit(result.status ?? 1);
