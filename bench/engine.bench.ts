/**
 * npm run bench:engine — follow-ups carried from due to completed per second by 1, 2 and 4
 * `followthrough worker` processes on PostgreSQL (channels `instant`: the engine's own cost),
 * and by the engine embedded on PGlite; dispatch lag at a steady arrival rate; and, as the
 * anchor, graphile-worker 0.17 running as many no-op jobs with as many processes, in its default
 * configuration and with its batching options (local queue, batched completion).
 *
 *   npm run bench:engine -- [--n 20000] [--workers 1,2,4] [--rate 500] [--seconds 20]
 *                           [--runs 3] [--only ours|graphile] [--skip-pglite] [--skip-lag]
 *                           [--skip-throughput] [--profile]
 *
 * Each case runs `--runs` times (runs interleaved: ours, then the anchors, then ours again), each
 * after a warm-up that is not measured; figures are the median and the spread (largest −
 * smallest) of the runs. Loaded tables are VACUUM ANALYZEd before measuring. The load average is
 * printed before and after. A target is printed as met only when the spreads are within the
 * margin. The database is left as found: created and dropped when it did not exist, else only
 * the benchmark's workspaces (and graphile-worker's schema when it added it) are removed.
 *
 * `--profile`: the workers' per-stage timings (followthrough_engine_stage_seconds, scraped from
 * their /metrics), PostgreSQL's wait events sampled from pg_stat_activity, and EXPLAIN ANALYZE of
 * the engine's hot statements, run beside the workers under the lag load.
 *
 * The same file is the graphile-worker child process (`--graphile-child`).
 */
import { type ChildProcess, fork, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { type SQL, sql } from 'drizzle-orm';
import pg from 'pg';
import type { FollowUpType } from '../src/core/follow-up.ts';
import { systemClock } from '../src/server/clock.ts';
import { type DatabaseHandle, openDatabase } from '../src/server/db/client.ts';
import { rowsOf } from '../src/server/db/sql.ts';
import { instantChannel } from '../src/server/engine/channels/instant.ts';
import { claimDueSql, claimQueuedSql } from '../src/server/engine/claim.ts';
import { createEngine, dueWorkSql } from '../src/server/engine/engine.ts';
import { createLogger } from '../src/server/logger.ts';
import { registry } from '../src/server/metrics.ts';
import {
  createLoadWorkspace,
  insertDueFollowUps,
  type LoadWorkspace,
} from '../test/helpers/engine-load.ts';
import { arg, loadNote, median, percentile, saveResult, spread, table, verdict } from './lib.ts';

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
const WORKSPACE = 'Engine Bench';
const WARM_WORKSPACE = 'Engine Bench warm-up';
/** Targets (same run, same machine): lag p99 ≤ graphile default's, p50 ≤ 15 ms, ≥ 0.3× batched. */
const TARGET_P50_MS = 15;
const TARGET_BATCHED_RATIO = 0.3;

type GraphileConfig = 'default' | 'batched';

/** Thrown to roll back the EXPLAIN ANALYZE of a claim (its row locks, nothing else). */
class Rollback extends Error {}

// ---------------------------------------------------------------------------------------------
// graphile-worker child: runs no-op jobs until told to stop, then reports when each started.
// `warm` jobs warm it up and are not counted.

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
      warm: async () => {},
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

interface LagRow {
  system: string;
  items: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
}

interface Options {
  n: number;
  rate: number;
  seconds: number;
  profile: boolean;
}

async function main(): Promise<void> {
  const o: Options = {
    n: Number(arg('n', '20000')),
    rate: Number(arg('rate', '500')),
    seconds: Number(arg('seconds', '20')),
    profile: process.argv.includes('--profile'),
  };
  const counts = arg('workers', '1,2,4')!.split(',').map(Number);
  const runs = Number(arg('runs', '3'));
  const only = arg('only');
  const pglite = !process.argv.includes('--skip-pglite');
  const loadBefore = loadNote();
  console.log(
    `Engine benchmark: ${o.n} items per run, processes ${counts.join(', ')}, ${runs} runs`,
  );
  console.log(`Before: ${loadBefore}`);
  const { url, created } = await ensureDatabase(
    process.env.BENCH_DATABASE_URL ??
      'postgres://postgres@127.0.0.1:5432/followthrough_bench_engine',
  );
  console.log(`PostgreSQL: ${url}${created ? ' (created for this run)' : ''}\n`);
  const throughput: Row[][] = [];
  const lag: LagRow[][] = [];
  const profiles: Record<string, unknown>[] = [];

  const handle = await openDatabase({ databaseUrl: url, dataDir: '' });
  let graphileAdded = false;
  try {
    await handle.migrate();
    if (only !== 'ours') graphileAdded = await graphileSchema(handle, url);
    for (let run = 1; run <= runs; run++) {
      const rows: Row[] = [];
      if (!process.argv.includes('--skip-throughput')) {
        console.log(`Throughput, run ${run} of ${runs}:`);
        for (const w of counts) {
          if (only !== 'graphile') rows.push(await ours(handle, url, w, o.n));
          if (only !== 'ours') {
            for (const config of ['default', 'batched'] as const) {
              rows.push(await graphile(url, config, w, o.n));
            }
          }
        }
        if (pglite && only !== 'graphile') rows.push(await embedded(o.n));
      }
      throughput.push(rows);
      const lags: LagRow[] = [];
      if (!process.argv.includes('--skip-lag')) {
        console.log(`Dispatch lag, run ${run} of ${runs}:`);
        if (only !== 'graphile') {
          const { row, profile } = await oursLag(handle, url, 4, o);
          lags.push(row);
          if (profile) profiles.push(profile);
        }
        if (only !== 'ours') {
          lags.push(await graphileLag(url, 'default', 4, o));
          lags.push(await graphileLag(url, 'batched', 4, o));
        }
        if (pglite && only !== 'graphile') lags.push(await embeddedLag(o));
      }
      lag.push(lags);
    }
  } finally {
    await leaveAsFound(handle, url, created, graphileAdded);
  }
  const loadAfter = loadNote();

  const throughputSummary = summarize(
    throughput,
    (r) => `${r.system}|${r.database}|${r.processes}`,
    ['perSecond', 'latencyP50Ms', 'latencyP99Ms'],
  );
  const lagSummary = summarize(lag, (r) => r.system, ['p50Ms', 'p99Ms', 'maxMs']);
  if (throughputSummary.length > 0) {
    console.log(`\nThroughput (items from due to done, per second), median of ${runs} [spread]:\n`);
    console.log(table(throughputSummary.map(printable)));
  }
  const ratios = ratiosOf(throughput, counts);
  if (ratios.length > 0) {
    console.log('\nFollowthrough ÷ graphile-worker (same processes, same run), median [spread]:\n');
    console.log(table(ratios.map(printable)));
  }
  if (lagSummary.length > 0) {
    console.log(
      `\nDispatch lag at ${o.rate}/s for ${o.seconds} s, 4 processes (PGlite: 1), median of ${runs} [spread]:\n`,
    );
    console.log(table(lagSummary.map(printable)));
  }
  for (const p of profiles) printProfile(p);
  const targets = targetsOf(lag, throughput, counts);
  if (targets.length > 0) {
    console.log('\nTargets (met only when the spreads are within the margin):\n');
    console.log(table(targets));
  }
  console.log(`\nBefore: ${loadBefore}\nAfter:  ${loadAfter}`);
  const file = saveResult('engine', {
    at: new Date().toISOString(),
    command: `npm run bench:engine -- ${process.argv.slice(2).join(' ')}`.trim(),
    machine: machineNote(),
    load: { before: loadBefore, after: loadAfter },
    items: o.n,
    runs,
    types: TYPES,
    graphile: { version: '0.17.3', concurrency: GRAPHILE_CONCURRENCY, batched: GRAPHILE_BATCHED },
    throughput,
    throughputSummary,
    ratios,
    lag,
    lagSummary,
    targets,
    profiles,
  });
  console.log(`\nSaved ${path.relative(process.cwd(), file)}`);
}

type Summary = Record<string, string | number | number[]>;

/** For each case (by `key`): the runs' values of `fields`, their median and spread. */
function summarize<R extends object>(
  runs: R[][],
  key: (r: R) => string,
  fields: (keyof R & string)[],
): Summary[] {
  const byKey = new Map<string, R[]>();
  for (const rows of runs)
    for (const r of rows) byKey.set(key(r), [...(byKey.get(key(r)) ?? []), r]);
  return [...byKey.entries()].map(([k, rows]) => {
    const out: Summary = { case: k.replaceAll('|', ' ') };
    for (const f of fields) {
      const values = rows.map((r) => Number(r[f]));
      out[f] = values;
      out[`${f}Median`] = Number(median(values).toFixed(2));
      out[`${f}Spread`] = Number(spread(values).toFixed(2));
    }
    return out;
  });
}

/** "median [spread] (runs)" cells for the console. */
function printable(s: Summary): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(s)) {
    if (k.endsWith('Median') || k.endsWith('Spread')) continue;
    if (Array.isArray(v)) {
      const m = s[`${k}Median`] as number;
      const sp = s[`${k}Spread`] as number;
      const f = (x: number) => (Math.abs(x) >= 100 ? String(Math.round(x)) : String(x));
      out[k] = `${f(m)} [${f(sp)}] (${v.map((x) => f(Number(x.toFixed(2)))).join(', ')})`;
    } else out[k] = v as string | number;
  }
  return out;
}

function ratiosOf(runs: Row[][], counts: number[]): Summary[] {
  const out: Summary[] = [];
  for (const processes of counts) {
    const def: number[] = [];
    const bat: number[] = [];
    for (const rows of runs) {
      const r = rows.find(
        (x) =>
          x.system === 'followthrough' && x.database === 'postgres' && x.processes === processes,
      );
      if (!r) continue;
      const d = rows.find((x) => x.system === 'graphile default' && x.processes === processes);
      const b = rows.find((x) => x.system === 'graphile batched' && x.processes === processes);
      if (d) def.push(Number((r.perSecond / d.perSecond).toFixed(3)));
      if (b) bat.push(Number((r.perSecond / b.perSecond).toFixed(3)));
    }
    if (def.length + bat.length === 0) continue;
    out.push({
      case: `${processes} processes`,
      ...(def.length > 0
        ? {
            vsDefault: def,
            vsDefaultMedian: Number(median(def).toFixed(3)),
            vsDefaultSpread: Number(spread(def).toFixed(3)),
          }
        : {}),
      ...(bat.length > 0
        ? {
            vsBatched: bat,
            vsBatchedMedian: Number(median(bat).toFixed(3)),
            vsBatchedSpread: Number(spread(bat).toFixed(3)),
          }
        : {}),
    });
  }
  return out;
}

/** The targets, each with its margin and whether the runs agree enough to call it. */
function targetsOf(lag: LagRow[][], throughput: Row[][], counts: number[]) {
  const out: Record<string, string | number>[] = [];
  const of = (system: string, f: keyof LagRow) =>
    lag.flatMap((rows) => rows.filter((r) => r.system === system).map((r) => Number(r[f])));
  const ours99 = of('followthrough', 'p99Ms');
  const gw99 = of('graphile default', 'p99Ms');
  const line = (
    target: string,
    value: number,
    bound: number,
    direction: 'atMost' | 'atLeast',
    spreads: number[],
  ) => {
    const v = verdict(value, bound, direction, spreads);
    out.push({
      target,
      median: Number(value.toFixed(3)),
      bound: Number(bound.toFixed(3)),
      margin: Number(v.margin.toFixed(3)),
      spreads: spreads.map((x) => Number(x.toFixed(3))).join(' / '),
      verdict: v.verdict,
    });
  };
  if (ours99.length > 0 && gw99.length > 0) {
    line('lag p99 ≤ graphile default p99 (ms)', median(ours99), median(gw99), 'atMost', [
      spread(ours99),
      spread(gw99),
    ]);
  }
  const ours50 = of('followthrough', 'p50Ms');
  if (ours50.length > 0) {
    line(`lag p50 ≤ ${TARGET_P50_MS} ms`, median(ours50), TARGET_P50_MS, 'atMost', [
      spread(ours50),
    ]);
  }
  const most = Math.max(...counts);
  const ratio = ratiosOf(throughput, [most])[0];
  if (ratio?.vsBatched) {
    const values = ratio.vsBatched as number[];
    line(
      `throughput ≥ ${TARGET_BATCHED_RATIO}× graphile batched, ${most} processes`,
      median(values),
      TARGET_BATCHED_RATIO,
      'atLeast',
      [spread(values)],
    );
  }
  return out;
}

function machineNote(): string {
  return `${process.platform} ${process.arch}, ${availableParallelism()} cores, Node ${process.version}`;
}

async function ensureDatabase(url: string): Promise<{ url: string; created: boolean }> {
  const name = new URL(url).pathname.slice(1);
  const admin = new pg.Client({ connectionString: url.replace(/\/[^/]+$/, '/postgres') });
  await admin.connect();
  const found = await admin.query('select 1 from pg_database where datname = $1', [name]);
  if (found.rowCount === 0) await admin.query(`create database "${name}"`);
  await admin.end();
  return { url, created: found.rowCount === 0 };
}

/** graphile-worker's schema (answers whether this run added it). */
async function graphileSchema(handle: DatabaseHandle, url: string): Promise<boolean> {
  const [row] = rowsOf<{ found: boolean }>(
    await handle.db.execute(
      sql`select exists (select 1 from pg_namespace where nspname = 'graphile_worker') as found`,
    ),
  );
  const { runMigrations, Logger } = await import('graphile-worker');
  await runMigrations({ connectionString: url, logger: new Logger(() => () => {}) });
  return !row!.found;
}

/** Drops the database when this run created it; else removes only what the run added. */
async function leaveAsFound(
  handle: DatabaseHandle,
  url: string,
  created: boolean,
  graphileAdded: boolean,
): Promise<void> {
  if (!created) {
    await handle.db.execute(
      sql`delete from workspaces where name in (${WORKSPACE}, ${WARM_WORKSPACE})`,
    );
    if (graphileAdded) await handle.db.execute(sql`drop schema graphile_worker cascade`);
    else
      await handle.db.execute(sql`truncate graphile_worker._private_jobs cascade`).catch(() => {});
  }
  await handle.close();
  if (created) {
    const name = new URL(url).pathname.slice(1);
    const admin = new pg.Client({ connectionString: url.replace(/\/[^/]+$/, '/postgres') });
    await admin.connect();
    await admin.query(`drop database if exists "${name}" with (force)`);
    await admin.end();
  }
}

// ---------------------------------------------------------------------------------------------
// Followthrough

/** The benchmark's workspace (its earlier one removed) and a small one for warm-ups. */
async function freshWorkspaces(
  handle: DatabaseHandle,
): Promise<{ ws: LoadWorkspace; warm: LoadWorkspace }> {
  await handle.db.execute(
    sql`delete from workspaces where name in (${WORKSPACE}, ${WARM_WORKSPACE})`,
  );
  const load = (name: string, contacts: number) =>
    createLoadWorkspace(handle.db, {
      name,
      // Calls are limited by agent capacity: plenty of room, so that the engine's cost is measured.
      agents: 20,
      capacity: () => 1000,
      contacts,
    });
  const ws = await load(WORKSPACE, 5000);
  const warm = await load(WARM_WORKSPACE, 500);
  return { ws, warm };
}

/** Statistics and visibility maps as a database in use has them, after loading or churning. */
async function vacuumAnalyze(handle: DatabaseHandle): Promise<void> {
  await handle.db.execute(sql`vacuum analyze`);
}

interface WorkerProcess {
  child: ChildProcess;
  ready: Promise<void>;
  /** The port of its GET /metrics (with --profile). */
  metricsPort: Promise<number | null>;
  exit: Promise<void>;
}

function startWorker(url: string, metrics: boolean): WorkerProcess {
  const child = spawn(process.execPath, [BIN, 'worker'], {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DATABASE_URL: url,
      LOG_LEVEL: 'info',
      FOLLOWTHROUGH_CALL_PROVIDER: 'instant',
      FOLLOWTHROUGH_SMS_PROVIDER: 'instant',
      FOLLOWTHROUGH_WEBHOOK_PROVIDER: 'instant',
      ...(metrics ? { METRICS_PORT: '0' } : {}),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let seen = '';
  let port: (p: number | null) => void = () => {};
  const metricsPort = new Promise<number | null>((resolve) => {
    port = resolve;
  });
  if (!metrics) port(null);
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      seen = (seen + chunk.toString()).slice(-4000);
      const m = /"port":(\d+)[^\n]*"msg":"metrics on GET \/metrics"/.exec(seen);
      if (m) port(Number(m[1]));
      if (seen.includes('"msg":"engine started"')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`worker exited with ${code} before starting`)));
  });
  const exit = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { child, ready, metricsPort, exit };
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

/** Runs `count` follow-ups through the engines, unmeasured (connections, caches, JIT). */
async function warmUp(handle: DatabaseHandle, warm: LoadWorkspace, count: number) {
  await insertDueFollowUps(handle.db, warm, { count, types: TYPES });
  await untilDone(handle, warm);
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
  // Every follow-up ran once, and every row of its life was written.
  const [check] = rowsOf<{ bad: number; events: number; attempts: number; n: number }>(
    await handle.db.execute(sql`
      select
        (select count(*)::int from follow_ups
          where workspace_id = ${ws.id} and (status <> 'completed' or attempts <> 1)) as bad,
        (select count(*)::int from follow_up_events where workspace_id = ${ws.id}) as events,
        (select count(*)::int from follow_up_attempts
          where workspace_id = ${ws.id} and ended_at is not null) as attempts,
        (select count(*)::int from follow_ups where workspace_id = ${ws.id}) as n`),
  );
  if (check!.bad > 0) throw new Error(`${check!.bad} follow-ups did not complete in one attempt`);
  if (check!.attempts !== check!.n || check!.events !== 4 * check!.n) {
    throw new Error(
      `rows missing: ${check!.n} follow-ups, ${check!.attempts} ended attempts, ${check!.events} events (4 each expected)`,
    );
  }
  return { lags, lastDone: new Date(last!.at).getTime() };
}

async function withWorkers<T>(
  handle: DatabaseHandle,
  url: string,
  processes: number,
  metrics: boolean,
  body: (ws: LoadWorkspace, workers: WorkerProcess[]) => Promise<T>,
): Promise<T> {
  const { ws, warm } = await freshWorkspaces(handle);
  const workers = Array.from({ length: processes }, () => startWorker(url, metrics));
  try {
    await Promise.all(workers.map((w) => w.ready));
    await warmUp(handle, warm, 1000);
    await vacuumAnalyze(handle);
    return await body(ws, workers);
  } finally {
    await stopAll(workers);
  }
}

async function ours(handle: DatabaseHandle, url: string, processes: number, n: number) {
  return withWorkers(handle, url, processes, false, async (ws) => {
    const inserted = await insertTimed(() =>
      insertDueFollowUps(handle.db, ws, { count: n, types: TYPES }),
    );
    await untilDone(handle, ws);
    const { lags, lastDone } = await oursTimes(handle, ws);
    return report('followthrough', 'postgres', processes, n, lastDone - inserted, lags);
  });
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
    perSecond: Math.round(items / (ms / 1000)),
    latencyP50Ms: Math.round(percentile(lags, 50)),
    latencyP99Ms: Math.round(percentile(lags, 99)),
  };
  console.log(
    `  ${system} on ${database}, ${processes} process(es): ${row.perSecond}/s ` +
      `(${row.seconds} s; latency p50 ${row.latencyP50Ms} ms, p99 ${row.latencyP99Ms} ms)`,
  );
  return row;
}

/** The engine in this process on PGlite (the embedded default: one process owns the data). */
async function withEmbedded<T>(body: (handle: DatabaseHandle, ws: LoadWorkspace) => Promise<T>) {
  const dir = path.resolve('bench/.data/engine-pglite');
  rmSync(dir, { recursive: true, force: true });
  const handle = await openDatabase({ dataDir: dir });
  try {
    await handle.migrate();
    const { ws, warm } = await freshWorkspaces(handle);
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
    try {
      await warmUp(handle, warm, 1000);
      await vacuumAnalyze(handle);
      return await body(handle, ws);
    } finally {
      await engine.stop();
    }
  } finally {
    await handle.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function embedded(n: number): Promise<Row> {
  return withEmbedded(async (handle, ws) => {
    const inserted = await insertTimed(() =>
      insertDueFollowUps(handle.db, ws, { count: n, types: TYPES }),
    );
    await untilDone(handle, ws);
    const { lags, lastDone } = await oursTimes(handle, ws);
    return report('followthrough', 'pglite', 1, n, lastDone - inserted, lags);
  });
}

async function embeddedLag(o: Options): Promise<LagRow> {
  return withEmbedded(async (handle, ws) => {
    const sent = await steadyArrivals(o.seconds, o.rate, (count) =>
      insertDueFollowUps(handle.db, ws, { count, types: TYPES }),
    );
    await untilDone(handle, ws);
    const { lags } = await oursTimes(handle, ws);
    return lagRow('followthrough pglite (1 process)', sent, lags);
  });
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
  o: Options,
): Promise<{ row: LagRow; profile: Record<string, unknown> | null }> {
  return withWorkers(handle, url, processes, o.profile, async (ws, workers) => {
    const ports = (await Promise.all(workers.map((w) => w.metricsPort))).filter(
      (p): p is number => p !== null,
    );
    const before = o.profile ? await scrapeStages(ports) : null;
    const sampler = o.profile ? sampleWaits(handle, url) : null;
    const explained = o.profile
      ? explainLater(handle, (o.seconds * 1000) / 2).catch((e: Error) => [
          { statement: 'all', plan: `failed: ${e.message}` },
        ])
      : null;
    const sent = await steadyArrivals(o.seconds, o.rate, (count) =>
      insertDueFollowUps(handle.db, ws, { count, types: TYPES }),
    );
    await untilDone(handle, ws);
    const waits = await sampler?.stop();
    const plans = await explained;
    const after = o.profile ? await scrapeStages(ports) : null;
    const { lags } = await oursTimes(handle, ws);
    const row = lagRow('followthrough', sent, lags);
    const profile =
      before && after ? { stages: stageDeltas(before, after), waits, plans: plans ?? [] } : null;
    return { row, profile };
  });
}

function lagRow(system: string, items: number, lags: number[]): LagRow {
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
// --profile

/** stage → { count, sum (s), buckets (le → cumulative count) }, summed over the processes. */
type Stages = Map<string, { count: number; sum: number; buckets: Map<number, number> }>;

function parseStages(text: string, into: Stages): void {
  const re =
    /^followthrough_engine_stage_seconds_(bucket|sum|count)\{([^}]*)\} ([0-9.e+-]+|\+Inf|NaN)$/gm;
  for (const m of text.matchAll(re)) {
    const labels = Object.fromEntries(
      [...m[2]!.matchAll(/(\w+)="([^"]*)"/g)].map((l) => [l[1]!, l[2]!]),
    );
    const stage = labels.stage!;
    const s = into.get(stage) ?? { count: 0, sum: 0, buckets: new Map() };
    const v = Number(m[3]);
    if (m[1] === 'count') s.count += v;
    else if (m[1] === 'sum') s.sum += v;
    else {
      const le = labels.le === '+Inf' ? Number.POSITIVE_INFINITY : Number(labels.le);
      s.buckets.set(le, (s.buckets.get(le) ?? 0) + v);
    }
    into.set(stage, s);
  }
}

async function scrapeStages(ports: number[]): Promise<Stages> {
  const stages: Stages = new Map();
  if (ports.length === 0) parseStages(await registry.metrics(), stages);
  for (const port of ports) {
    const response = await fetch(`http://127.0.0.1:${port}/metrics`);
    parseStages(await response.text(), stages);
  }
  return stages;
}

/** Per stage over the measured period: count, mean, and p50/p99 as bucket upper bounds. */
function stageDeltas(before: Stages, after: Stages) {
  const order = [
    'wake',
    'look',
    'claim',
    'queue',
    'start',
    'channel',
    'record',
    'record_connect',
    'record_statements',
    'record_commit',
  ];
  return order
    .filter((stage) => after.has(stage))
    .map((stage) => {
      const a = after.get(stage)!;
      const b = before.get(stage) ?? { count: 0, sum: 0, buckets: new Map<number, number>() };
      const count = a.count - b.count;
      const upper = (p: number) => {
        const need = (p / 100) * count;
        for (const le of [...a.buckets.keys()].sort((x, y) => x - y)) {
          if (a.buckets.get(le)! - (b.buckets.get(le) ?? 0) >= need) return le * 1000;
        }
        return Number.NaN;
      };
      return {
        stage,
        count,
        meanMs: count > 0 ? Number((((a.sum - b.sum) / count) * 1000).toFixed(2)) : 0,
        totalS: Number((a.sum - b.sum).toFixed(2)),
        p50AtMostMs: upper(50),
        p99AtMostMs: upper(99),
      };
    });
}

/**
 * Samples what the database's sessions wait on (every 25 ms) until stopped: by wait, and by
 * wait and statement (its first words), which splits a stage's time into lock waits and work.
 */
function sampleWaits(handle: DatabaseHandle, url: string) {
  const name = new URL(url).pathname.slice(1);
  const counts = new Map<string, number>();
  const byStatement = new Map<string, number>();
  let samples = 0;
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const rows = rowsOf<{ wait: string; statement: string; n: number }>(
        await handle.db.execute(sql`
          select coalesce(wait_event_type || ':' || wait_event, 'on CPU') as wait,
            case when state = 'idle in transaction' then '(idle in transaction)'
              else left(regexp_replace(query, '\\s+', ' ', 'g'), 70) end as statement,
            count(*)::int as n
          from pg_stat_activity
          where datname = ${name} and pid <> pg_backend_pid()
            and state in ('active', 'idle in transaction')
          group by 1, 2`),
      );
      samples++;
      for (const r of rows) {
        counts.set(r.wait, (counts.get(r.wait) ?? 0) + Number(r.n));
        const key = `${r.wait}\u0000${r.statement}`;
        byStatement.set(key, (byStatement.get(key) ?? 0) + Number(r.n));
      }
      await sleep(25);
    }
  })();
  const perSample = (m: Map<string, number>) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([k, n]) => ({ k, perSample: Number((n / samples).toFixed(3)) }));
  return {
    async stop() {
      stopped = true;
      await loop;
      return {
        byWait: perSample(counts).map(({ k, perSample }) => ({ wait: k, perSample })),
        byStatement: perSample(byStatement).map(({ k, perSample }) => {
          const [wait, statement] = k.split('\u0000');
          return { wait: wait!, statement: statement!, perSample };
        }),
      };
    },
  };
}

/** EXPLAIN (ANALYZE, BUFFERS) of the engine's hot statements, `delayMs` into the load. */
async function explainLater(handle: DatabaseHandle, delayMs: number) {
  await sleep(delayMs);
  const statements: [string, SQL][] = [
    ['look (which steps have work)', dueWorkSql(new Date())],
    ['claim due', claimDueSql(new Date(), 500)],
    ['claim queued', claimQueuedSql(500)],
  ];
  const out: { statement: string; plan: string }[] = [];
  for (const [statement, query] of statements) {
    // In a transaction that rolls back: the claims lock rows (SKIP LOCKED) and nothing else.
    const plan = await handle.db
      .transaction(async (tx) => {
        const rows = rowsOf<{ 'QUERY PLAN': string }>(
          await tx.execute(sql`explain (analyze, buffers) ${query}`),
        );
        throw new Rollback(rows.map((r) => r['QUERY PLAN']).join('\n'));
      })
      .catch((e) => (e instanceof Rollback ? e.message : `failed: ${(e as Error).message}`));
    out.push({ statement, plan });
  }
  return out;
}

function printProfile(p: Record<string, unknown>): void {
  console.log(
    '\nProfile (4 workers under the lag load): time per stage, summed over the workers\n',
  );
  console.log(table(p.stages as Record<string, string | number>[]));
  const waits = p.waits as Record<'byWait' | 'byStatement', Record<string, string | number>[]>;
  console.log('\nPostgreSQL sessions of the benchmark database, by wait (average per sample):\n');
  console.log(table(waits.byWait.slice(0, 12)));
  console.log('\nThe same by wait and statement (lock waits and work, statement by statement):\n');
  console.log(table(waits.byStatement.slice(0, 20)));
  for (const { statement, plan } of p.plans as { statement: string; plan: string }[]) {
    console.log(`\nEXPLAIN ANALYZE under load — ${statement}:\n${plan}`);
  }
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
    // The same warm-up as ours: 1,000 jobs, unmeasured, then VACUUM ANALYZE.
    await addJobs(db, 1000, 'warm');
    await untilNoJobs(db);
    await db.query('vacuum analyze');
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

async function addJobs(db: pg.Pool, count: number, task = 'noop'): Promise<void> {
  await db.query(
    `select count(*) from graphile_worker.add_jobs(array(
      select ($2::text, '{}'::json, null, null, null, null, null, null)::graphile_worker.job_spec
      from generate_series(1, $1::int)))`,
    [count, task],
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

async function graphileLag(url: string, config: GraphileConfig, processes: number, o: Options) {
  const { value: sent, latencies } = await withGraphile(url, config, processes, async (db) => {
    const count = await steadyArrivals(o.seconds, o.rate, (k) => addJobs(db, k));
    await untilNoJobs(db);
    return count;
  });
  return lagRow(`graphile ${config}`, sent, latencies);
}
