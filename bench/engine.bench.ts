/**
 * npm run bench:engine — follow-ups carried from due to completed per second by 1, 2 and 4
 * `followthrough worker` processes on PostgreSQL (channels `instant`: the engine's own cost),
 * and by the engine embedded on PGlite; dispatch lag at a steady arrival rate; and, as the
 * anchor, graphile-worker 0.17 running as many no-op jobs with as many processes, in its default
 * configuration and with its batching options (local queue, batched completion).
 *
 *   npm run bench:engine -- [--n 20000] [--workers 1,2,4] [--rate 500] [--seconds 20]
 *                           [--only ours|graphile] [--skip-pglite] [--skip-lag]
 *                           [--skip-throughput]
 *
 * The same file is the graphile-worker child process (`--graphile-child`).
 */
import { type ChildProcess, fork, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import type { FollowUpType } from '../src/core/follow-up.ts';
import { systemClock } from '../src/server/clock.ts';
import { type DatabaseHandle, openDatabase } from '../src/server/db/client.ts';
import { rowsOf } from '../src/server/db/sql.ts';
import { instantChannel } from '../src/server/engine/channels/instant.ts';
import { createEngine } from '../src/server/engine/engine.ts';
import { createLogger } from '../src/server/logger.ts';
import {
  createLoadWorkspace,
  insertDueFollowUps,
  type LoadWorkspace,
} from '../test/helpers/engine-load.ts';
import { arg, percentile, saveResult, table } from './lib.ts';

const SELF = fileURLToPath(import.meta.url);
const BIN = path.resolve('bin/followthrough.js');
/** Calls (over agents with room to spare), SMS and webhooks, all with the `instant` provider. */
const TYPES: FollowUpType[] = ['call', 'call', 'call', 'sms', 'webhook'];
const GRAPHILE_CONCURRENCY = 10;
const GRAPHILE_BATCHED = {
  localQueue: { size: 500 },
  completeJobBatchDelay: 50,
  failJobBatchDelay: 50,
} as const;

type GraphileConfig = 'default' | 'batched';

// ---------------------------------------------------------------------------------------------
// graphile-worker child: runs no-op jobs until told to stop, then reports when each started.

if (process.argv.includes('--graphile-child')) {
  const { run, Logger } = await import('graphile-worker');
  const config = arg('graphile-child') as GraphileConfig;
  const latencies: number[] = [];
  let lastEnd = 0;
  const runner = await run({
    connectionString: process.env.DATABASE_URL!,
    concurrency: GRAPHILE_CONCURRENCY,
    noHandleSignals: true,
    logger: new Logger(() => () => {}),
    ...(config === 'batched' ? { preset: { worker: { ...GRAPHILE_BATCHED } } } : {}),
    taskList: {
      noop: async (_payload, helpers) => {
        latencies.push(Date.now() - helpers.job.run_at.getTime());
        lastEnd = Date.now();
      },
    },
  });
  process.send!({ type: 'ready' });
  process.on('message', async (message: { type: string }) => {
    if (message.type !== 'stop') return;
    await runner.stop();
    process.send!({ type: 'result', latencies, lastEnd }, () => process.exit(0));
  });
} else {
  await main();
}

// ---------------------------------------------------------------------------------------------

interface Row {
  system: string;
  database: string;
  processes: number;
  items: number;
  seconds: number;
  perSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
}

async function main(): Promise<void> {
  const n = Number(arg('n', '20000'));
  const counts = arg('workers', '1,2,4')!.split(',').map(Number);
  const rate = Number(arg('rate', '500'));
  const seconds = Number(arg('seconds', '20'));
  const only = arg('only');
  const url = await ensureDatabase(
    process.env.BENCH_DATABASE_URL ??
      'postgres://postgres@127.0.0.1:5432/followthrough_bench_engine',
  );
  console.log(`Engine benchmark: ${n} items per run, processes ${counts.join(', ')}`);
  console.log(`PostgreSQL: ${url}\n`);
  const rows: Row[] = [];
  let lag: Record<string, unknown>[] = [];

  const handle = await openDatabase({ databaseUrl: url, dataDir: '' });
  await handle.migrate();
  try {
    const throughput = !process.argv.includes('--skip-throughput');
    if (throughput && only !== 'graphile') {
      for (const w of counts) rows.push(await ours(handle, url, w, n));
      if (!process.argv.includes('--skip-pglite')) rows.push(await embedded(n));
    }
    if (throughput && only !== 'ours') {
      const { runMigrations, Logger } = await import('graphile-worker');
      await runMigrations({ connectionString: url, logger: new Logger(() => () => {}) });
      for (const config of ['default', 'batched'] as const) {
        for (const w of counts) rows.push(await graphile(url, config, w, n));
      }
    }
    if (!process.argv.includes('--skip-lag')) {
      lag = [
        ...(only !== 'graphile' ? [await oursLag(handle, url, 4, rate, seconds)] : []),
        ...(only !== 'ours'
          ? [
              await graphileLag(url, 'default', 4, rate, seconds),
              await graphileLag(url, 'batched', 4, rate, seconds),
            ]
          : []),
      ];
    }
  } finally {
    await handle.close();
  }

  if (rows.length > 0) {
    console.log('\nThroughput (items from due to done, per second):\n');
    console.log(table(rows.map((r) => ({ ...r, perSecond: Math.round(r.perSecond) }))));
  }
  const ratios = ratiosOf(rows);
  if (ratios.length > 0) {
    console.log('\nFollowthrough ÷ graphile-worker (same processes, same PostgreSQL):\n');
    console.log(table(ratios));
  }
  if (lag.length > 0) {
    console.log(`\nDispatch lag at ${rate}/s for ${seconds} s, 4 processes:\n`);
    console.log(table(lag as Record<string, string | number>[]));
  }
  const file = saveResult('engine', {
    at: new Date().toISOString(),
    command: `npm run bench:engine -- ${process.argv.slice(2).join(' ')}`.trim(),
    machine: machineNote(),
    items: n,
    types: TYPES,
    graphile: { version: '0.17.3', concurrency: GRAPHILE_CONCURRENCY, batched: GRAPHILE_BATCHED },
    throughput: rows,
    ratios,
    lag,
  });
  console.log(`\nSaved ${path.relative(process.cwd(), file)}`);
}

function ratiosOf(rows: Row[]) {
  const out: Record<string, string | number>[] = [];
  for (const r of rows.filter((x) => x.system === 'followthrough' && x.database === 'postgres')) {
    const def = rows.find((x) => x.system === 'graphile default' && x.processes === r.processes);
    const bat = rows.find((x) => x.system === 'graphile batched' && x.processes === r.processes);
    if (!def && !bat) continue;
    out.push({
      processes: r.processes,
      'vs default': def ? Number((r.perSecond / def.perSecond).toFixed(2)) : '',
      'vs batched': bat ? Number((r.perSecond / bat.perSecond).toFixed(2)) : '',
    });
  }
  return out;
}

function machineNote(): string {
  return `${process.platform} ${process.arch}, ${availableParallelism()} cores, Node ${process.version}`;
}

async function ensureDatabase(url: string): Promise<string> {
  const name = new URL(url).pathname.slice(1);
  const admin = new pg.Client({ connectionString: url.replace(/\/[^/]+$/, '/postgres') });
  await admin.connect();
  const found = await admin.query('select 1 from pg_database where datname = $1', [name]);
  if (found.rowCount === 0) await admin.query(`create database "${name}"`);
  await admin.end();
  return url;
}

// ---------------------------------------------------------------------------------------------
// Followthrough

async function freshWorkspace(handle: DatabaseHandle): Promise<LoadWorkspace> {
  await handle.db.execute(sql`truncate workspaces cascade`);
  const ws = await createLoadWorkspace(handle.db, {
    name: 'Engine Bench',
    // Calls are limited by agent capacity: plenty of room, so that the engine's cost is measured.
    agents: 20,
    capacity: () => 1000,
    contacts: 5000,
  });
  // Statistics as a database in use has them (the contacts were loaded a moment ago).
  await handle.db.execute(sql`analyze`);
  return ws;
}

interface WorkerProcess {
  child: ChildProcess;
  ready: Promise<void>;
  exit: Promise<void>;
}

function startWorker(url: string): WorkerProcess {
  const child = spawn(process.execPath, [BIN, 'worker'], {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DATABASE_URL: url,
      LOG_LEVEL: 'info',
      FOLLOWTHROUGH_CALL_PROVIDER: 'instant',
      FOLLOWTHROUGH_SMS_PROVIDER: 'instant',
      FOLLOWTHROUGH_WEBHOOK_PROVIDER: 'instant',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const ready = new Promise<void>((resolve, reject) => {
    let seen = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      seen = (seen + chunk.toString()).slice(-4000);
      if (seen.includes('"msg":"engine started"')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`worker exited with ${code} before starting`)));
  });
  const exit = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { child, ready, exit };
}

async function stopAll(workers: WorkerProcess[]): Promise<void> {
  for (const w of workers) w.child.kill('SIGTERM');
  await Promise.race([Promise.all(workers.map((w) => w.exit)), sleep(20_000)]);
  for (const w of workers) if (w.child.exitCode === null) w.child.kill('SIGKILL');
}

/** Waits until every follow-up of the workspace is completed (or failed). */
async function untilDone(handle: DatabaseHandle, ws: LoadWorkspace, limitMs = 600_000) {
  const deadline = Date.now() + limitMs;
  for (;;) {
    // One index probe (the poll runs beside the workers on the same two cores).
    const [row] = rowsOf<{ open: boolean }>(
      await handle.db.execute(sql`
        select exists (select 1 from follow_ups where workspace_id = ${ws.id}
          and status in ('scheduled', 'queued', 'in_progress')) as open`),
    );
    if (!row!.open) return;
    if (Date.now() > deadline) throw new Error('follow-ups still open at the deadline');
    await sleep(20);
  }
}

/** From due (scheduled_at) to the attempt's start; and when the last one completed. */
async function oursTimes(handle: DatabaseHandle, ws: LoadWorkspace) {
  const lags = rowsOf<{ ms: number }>(
    await handle.db.execute(sql`
      select extract(epoch from (a.started_at - f.scheduled_at)) * 1000 as ms
      from follow_up_attempts a join follow_ups f on f.id = a.follow_up_id
      where a.workspace_id = ${ws.id}`),
  )
    .map((r) => Number(r.ms))
    .sort((a, b) => a - b);
  const [last] = rowsOf<{ at: Date | string }>(
    await handle.db.execute(
      sql`select max(completed_at) as at from follow_ups where workspace_id = ${ws.id}`,
    ),
  );
  const [bad] = rowsOf<{ n: number }>(
    await handle.db.execute(sql`
      select count(*)::int as n from follow_ups
      where workspace_id = ${ws.id} and (status <> 'completed' or attempts <> 1)`),
  );
  if (bad!.n > 0) throw new Error(`${bad!.n} follow-ups did not complete in one attempt`);
  return { lags, lastDone: new Date(last!.at).getTime() };
}

async function ours(handle: DatabaseHandle, url: string, processes: number, n: number) {
  const ws = await freshWorkspace(handle);
  const workers = Array.from({ length: processes }, () => startWorker(url));
  try {
    await Promise.all(workers.map((w) => w.ready));
    await sleep(500);
    const inserted = await insertTimed(() =>
      insertDueFollowUps(handle.db, ws, { count: n, types: TYPES }),
    );
    await untilDone(handle, ws);
    const { lags, lastDone } = await oursTimes(handle, ws);
    return report('followthrough', 'postgres', processes, n, lastDone - inserted, lags);
  } finally {
    await stopAll(workers);
  }
}

/** Runs the insert and answers when it committed (the measured period starts there). */
async function insertTimed(insert: () => Promise<void>): Promise<number> {
  await insert();
  return Date.now();
}

function report(
  system: string,
  database: string,
  processes: number,
  items: number,
  ms: number,
  lags: number[],
): Row {
  const row: Row = {
    system,
    database,
    processes,
    items,
    seconds: Number((ms / 1000).toFixed(2)),
    perSecond: items / (ms / 1000),
    latencyP50Ms: Math.round(percentile(lags, 50)),
    latencyP99Ms: Math.round(percentile(lags, 99)),
  };
  console.log(
    `  ${system} on ${database}, ${processes} process(es): ${Math.round(row.perSecond)}/s ` +
      `(${row.seconds} s; latency p50 ${row.latencyP50Ms} ms, p99 ${row.latencyP99Ms} ms)`,
  );
  return row;
}

/** The engine in this process on PGlite (the embedded default: one process owns the data). */
async function embedded(n: number): Promise<Row> {
  const dir = path.resolve('bench/.data/engine-pglite');
  rmSync(dir, { recursive: true, force: true });
  const handle = await openDatabase({ dataDir: dir });
  try {
    await handle.migrate();
    const ws = await freshWorkspace(handle);
    const engine = createEngine({
      handle,
      clock: systemClock,
      logger: createLogger('silent'),
      channels: {
        call: instantChannel('call'),
        sms: instantChannel('sms'),
        webhook: instantChannel('webhook'),
      },
    });
    engine.start();
    const inserted = await insertTimed(() =>
      insertDueFollowUps(handle.db, ws, { count: n, types: TYPES }),
    );
    await untilDone(handle, ws);
    await engine.stop();
    const { lags, lastDone } = await oursTimes(handle, ws);
    return report('followthrough', 'pglite', 1, n, lastDone - inserted, lags);
  } finally {
    await handle.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Inserts `rate` follow-ups a second (in 50 small batches) for `seconds`, due at insertion. */
async function steadyArrivals(
  seconds: number,
  rate: number,
  insert: (count: number) => Promise<void>,
): Promise<number> {
  const tick = 20;
  const perTick = Math.max(1, Math.round((rate * tick) / 1000));
  const start = performance.now();
  let sent = 0;
  for (let i = 0; performance.now() - start < seconds * 1000; i++) {
    await insert(perTick);
    sent += perTick;
    const wait = start + (i + 1) * tick - performance.now();
    if (wait > 0) await sleep(wait);
  }
  return sent;
}

async function oursLag(
  handle: DatabaseHandle,
  url: string,
  processes: number,
  rate: number,
  seconds: number,
) {
  const ws = await freshWorkspace(handle);
  const workers = Array.from({ length: processes }, () => startWorker(url));
  try {
    await Promise.all(workers.map((w) => w.ready));
    await sleep(500);
    const sent = await steadyArrivals(seconds, rate, (count) =>
      insertDueFollowUps(handle.db, ws, { count, types: TYPES }),
    );
    await untilDone(handle, ws);
    const { lags } = await oursTimes(handle, ws);
    return lagRow('followthrough', sent, lags);
  } finally {
    await stopAll(workers);
  }
}

function lagRow(system: string, items: number, lags: number[]) {
  const row = {
    system,
    items,
    p50Ms: Math.round(percentile(lags, 50)),
    p90Ms: Math.round(percentile(lags, 90)),
    p99Ms: Math.round(percentile(lags, 99)),
    maxMs: Math.round(lags[lags.length - 1] ?? Number.NaN),
  };
  console.log(
    `  lag ${system}: p50 ${row.p50Ms} ms, p99 ${row.p99Ms} ms, max ${row.maxMs} ms (${items})`,
  );
  return row;
}

// ---------------------------------------------------------------------------------------------
// graphile-worker

interface GraphileChild {
  child: ChildProcess;
  ready: Promise<void>;
  result: Promise<{ latencies: number[]; lastEnd: number }>;
}

function startGraphile(url: string, config: GraphileConfig): GraphileChild {
  const child = fork(SELF, ['--graphile-child', config], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_URL: url },
    execArgv: process.execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let ready!: () => void;
  let result!: (r: { latencies: number[]; lastEnd: number }) => void;
  const out: GraphileChild = {
    child,
    ready: new Promise((resolve) => {
      ready = resolve;
    }),
    result: new Promise((resolve) => {
      result = resolve;
    }),
  };
  child.on('message', (m: { type: string; latencies: number[]; lastEnd: number }) => {
    if (m.type === 'ready') ready();
    if (m.type === 'result') result(m);
  });
  return out;
}

async function withGraphile<T>(
  url: string,
  config: GraphileConfig,
  processes: number,
  body: (db: pg.Pool) => Promise<T>,
): Promise<{ value: T; latencies: number[]; lastEnd: number }> {
  const db = new pg.Pool({ connectionString: url, max: 2 });
  await db.query('truncate graphile_worker._private_jobs cascade');
  const children = Array.from({ length: processes }, () => startGraphile(url, config));
  try {
    await Promise.all(children.map((c) => c.ready));
    await sleep(500);
    const value = await body(db);
    for (const c of children) c.child.send({ type: 'stop' });
    const results = await Promise.all(children.map((c) => c.result));
    return {
      value,
      latencies: results.flatMap((r) => r.latencies).sort((a, b) => a - b),
      lastEnd: Math.max(...results.map((r) => r.lastEnd)),
    };
  } finally {
    for (const c of children) if (c.child.exitCode === null) c.child.kill('SIGKILL');
    await db.end();
  }
}

async function addJobs(db: pg.Pool, count: number): Promise<void> {
  await db.query(
    `select count(*) from graphile_worker.add_jobs(array(
      select ('noop', '{}'::json, null, null, null, null, null, null)::graphile_worker.job_spec
      from generate_series(1, $1::int)))`,
    [count],
  );
}

/** Waits until graphile-worker has completed (deleted) every job; answers when it saw that. */
async function untilNoJobs(db: pg.Pool, limitMs = 600_000): Promise<number> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const { rows } = await db.query<{ open: boolean }>(
      'select exists (select 1 from graphile_worker._private_jobs) as open',
    );
    if (!rows[0]!.open) return Date.now();
    if (Date.now() > deadline) throw new Error('graphile-worker jobs left at the deadline');
    await sleep(10);
  }
}

async function graphile(url: string, config: GraphileConfig, processes: number, n: number) {
  const { value, latencies, lastEnd } = await withGraphile(url, config, processes, async (db) => {
    const inserted = await insertTimed(() => addJobs(db, n));
    return { inserted, empty: await untilNoJobs(db) };
  });
  if (latencies.length !== n) throw new Error(`graphile-worker ran ${latencies.length} of ${n}`);
  // Done = completed in the database. With batched completion that comes after the task ran:
  // the first poll (every 10 ms) that found no job left; at least the end of the last task.
  const done = Math.max(lastEnd, value.empty);
  return report(`graphile ${config}`, 'postgres', processes, n, done - value.inserted, latencies);
}

async function graphileLag(
  url: string,
  config: GraphileConfig,
  processes: number,
  rate: number,
  seconds: number,
) {
  const { value: sent, latencies } = await withGraphile(url, config, processes, async (db) => {
    const count = await steadyArrivals(seconds, rate, (k) => addJobs(db, k));
    await untilNoJobs(db);
    return count;
  });
  return lagRow(`graphile ${config}`, sent, latencies);
}
