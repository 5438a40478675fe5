/** Shared pieces of the benchmarks: databases, percentiles, tables, results on disk. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { type DatabaseHandle, openDatabase } from '../src/server/db/client.ts';

export const RESULTS_DIR = path.resolve('bench/results');

export function arg(name: string, fallback?: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

/** A PostgreSQL database of its own for benchmarks (created when missing). */
export async function benchPostgresUrl(): Promise<string> {
  const url =
    process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/followthrough_bench';
  const u = new URL(url);
  const name = u.pathname.slice(1);
  const admin = new pg.Client({ connectionString: url.replace(/\/[^/]+$/, '/postgres') });
  await admin.connect();
  const exists = await admin.query('select 1 from pg_database where datname = $1', [name]);
  if (exists.rowCount === 0) await admin.query(`create database "${name}"`);
  await admin.end();
  return url;
}

export async function openBenchDatabase(
  kind: 'postgres' | 'pglite',
  logQuery?: (q: string, p: unknown[]) => void,
): Promise<DatabaseHandle> {
  const handle =
    kind === 'postgres'
      ? await openDatabase({
          databaseUrl: await benchPostgresUrl(),
          dataDir: '',
          poolSize: 20,
          logQuery,
        })
      : await openDatabase({ dataDir: path.resolve('bench/.data/pglite'), logQuery });
  await handle.migrate();
  return handle;
}

/** The API key lookup and its "last used" stamp: authentication, which the floor leaves out. */
export function isKeyCheck(statement: string): boolean {
  return /"secret_hash"|^update "api_keys"/.test(statement);
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export function table(rows: Record<string, string | number>[]): string {
  const cols = Object.keys(rows[0] ?? {});
  const fmt = (v: string | number) =>
    typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(2)) : v;
  const lines = [
    `| ${cols.join(' | ')} |`,
    `|${cols.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${cols.map((c) => fmt(r[c] ?? '')).join(' | ')} |`),
  ];
  return lines.join('\n');
}

export function saveResult(name: string, data: unknown): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(
    RESULTS_DIR,
    `${name}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`,
  );
  writeFileSync(file, JSON.stringify(data, null, 2));
  return file;
}

/** Follow-ups created by the benchmark's keys (ours and the floor's), then the keys. */
export async function removeBenchWrites(handle: DatabaseHandle, workspaceId: string) {
  const keys = sql`select id from api_keys where workspace_id = ${workspaceId} and name like 'bench %'`;
  await handle.db.execute(
    sql`delete from follow_ups where workspace_id = ${workspaceId} and created_by_api_key_id in (${keys})`,
  );
  await handle.db.execute(
    sql`delete from api_keys where workspace_id = ${workspaceId} and name like 'bench %'`,
  );
}

// Reproducible figures: several runs, their median and spread, the machine's load, and targets
// that are not called met when the runs disagree by more than the margin.

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Largest minus smallest. */
export function spread(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : Math.max(...values) - Math.min(...values);
}

/** The load average (1, 5, 15 minutes) and the cores, as printed before and after a run. */
export function loadNote(): string {
  const [one, five, fifteen] = loadavg();
  return `load average ${one!.toFixed(2)} ${five!.toFixed(2)} ${fifteen!.toFixed(2)} on ${availableParallelism()} cores`;
}

/**
 * A target's verdict: `missed` when the median misses it; `met` only when every spread given
 * (ours, the anchor's) is within the margin (the distance from the median to the target);
 * otherwise `unsure`: the runs disagree by more than the margin.
 */
export function verdict(
  value: number,
  target: number,
  direction: 'atMost' | 'atLeast',
  spreads: readonly number[],
): { verdict: 'met' | 'missed' | 'unsure'; margin: number } {
  const margin = direction === 'atMost' ? target - value : value - target;
  if (!(margin >= 0)) return { verdict: 'missed', margin };
  return { verdict: spreads.every((s) => s <= margin) ? 'met' : 'unsure', margin };
}
