/**
 * npm run bench:api — the API under load, beside a bare Fastify + driver handler that runs the
 * same SQL (the floor). PostgreSQL: 1,000,000 follow-ups over 100,000 contacts, 20 agents, 50
 * campaigns; PGlite: 100,000. autocannon, 10 connections, one route at a time.
 *
 * Reproducible: VACUUM ANALYZE after loading, a warm-up of each case (ours and the floor) before
 * measuring, then each case `--runs` times (default 3), ours and the floor alternated; the median
 * and the spread (largest − smallest) of each figure; the machine's load before and after; a
 * target is printed as met only when the spread is inside the margin (bench/lib.ts `verdict`).
 * Everything the run writes is removed at its end: the database is left as it was found.
 *
 *   npm run bench:api -- [--db postgres|pglite|both] [--seconds 10] [--runs 3]
 *                        [--only card|filter|date|create]
 */
import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import { eq, sql } from 'drizzle-orm';
import Fastify from 'fastify';
import { systemClock } from '../src/server/clock.ts';
import type { DatabaseHandle } from '../src/server/db/client.ts';
import { workspaces } from '../src/server/db/schema.ts';
import { rowsOf } from '../src/server/db/sql.ts';
import { seedVolume } from '../src/server/demo/volume.ts';
import { buildApp } from '../src/server/http/app.ts';
import { progressBar } from '../src/server/progress.ts';
import { createApiKey } from '../src/server/services/auth.service.ts';
import {
  arg,
  isKeyCheck,
  loadNote,
  median,
  openBenchDatabase,
  removeBenchWrites,
  saveResult,
  spread,
  table,
  verdict,
} from './lib.ts';

const WORKSPACE = 'API Bench';
const SECONDS = Number(arg('seconds', '10'));
const RUNS = Number(arg('runs', '3'));
const WARM_UP_SECONDS = 2;
const CONNECTIONS = 10;

/** The API's targets on PostgreSQL (1 M follow-ups): p95 at most, ratio to the floor at least. */
const TARGETS: Record<string, { p95?: number; ratio?: number }> = {
  'contact card': { p95: 10, ratio: 0.9 },
  'status + agent filter': { p95: 25 },
  create: { ratio: 0.9 },
};

interface Captured {
  text: string;
  params: unknown[];
  /** The prepared statement's name, when the API names it (parsed and planned once). */
  name?: string;
}

async function ensureVolume(handle: DatabaseHandle, followUps: number): Promise<string> {
  const [ws] = await handle.db.select().from(workspaces).where(eq(workspaces.name, WORKSPACE));
  if (ws) {
    const [row] = rowsOf<{ n: number }>(
      await handle.db.execute(
        sql`select count(*)::int as n from follow_ups where workspace_id = ${ws.id}`,
      ),
    );
    if ((row?.n ?? 0) >= followUps) return ws.id;
  }
  const bar = progressBar();
  const result = await seedVolume(handle.db, {
    workspace: WORKSPACE,
    contacts: followUps / 10,
    followUps,
    agents: 20,
    campaigns: 50,
    now: new Date(),
    onProgress: bar.update,
  });
  bar.stop();
  console.log(`  loaded ${followUps} follow-ups in ${result.seconds.toFixed(0)} s`);
  return result.workspaceId;
}

/**
 * autocannon in a worker thread, so that the load generator does not share the event loop of
 * the server it measures. Each connection cycles through `requests` (no per-request functions:
 * they cannot cross into the worker).
 */
async function measure(
  url: string,
  requests: { method?: 'GET' | 'POST'; path: string; body?: string }[],
  headers: Record<string, string>,
  seconds = SECONDS,
) {
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    workers: 1,
    duration: seconds,
    requests: requests.map((r) => ({
      method: r.method ?? 'GET',
      path: r.path,
      headers,
      body: r.body,
    })),
  });
  const bad = result.non2xx + result.errors + result.timeouts;
  if (bad > 0) console.warn(`  ! ${bad} failed requests on ${requests[0]?.path}`);
  return {
    p50: result.latency.p50,
    p95: result.latency.p97_5 !== undefined ? percentileFrom(result, 95) : result.latency.p99,
    p99: result.latency.p99,
    rps: result.requests.average,
    failed: bad,
  };
}

/** autocannon reports p90 and p97.5; p95 lies between: take the histogram's value. */
function percentileFrom(result: autocannon.Result, p: number): number {
  const l = result.latency as unknown as Record<string, number>;
  return l[`p${p}`] ?? (l.p90! + l.p97_5!) / 2;
}

async function run(kind: 'postgres' | 'pglite') {
  const followUps = kind === 'postgres' ? 1_000_000 : 100_000;
  const capture: { on: boolean; list: Captured[] } = { on: false, list: [] };
  const handle = await openBenchDatabase(kind, (text, params) => {
    if (capture.on) capture.list.push({ text, params });
  });
  // The names the API gives its statements, so that the floor sends them the same way.
  const statementNames = new Map<string, string>();
  const pool = (handle.db as unknown as { $client: { query: (...a: unknown[]) => unknown } })
    .$client;
  const query = pool.query.bind(pool);
  pool.query = (config: unknown, ...rest: unknown[]) => {
    const c = config as { name?: string; text?: string };
    if (capture.on && c?.name && c.text) statementNames.set(c.text, c.name);
    return query(config, ...rest);
  };
  console.log(`\n== ${kind}: ${followUps.toLocaleString('en-US')} follow-ups`);
  const workspaceId = await ensureVolume(handle, followUps);
  // What earlier runs created (an interrupted run leaves its key and rows behind).
  await removeBenchWrites(handle, workspaceId);
  const created = await createApiKey(
    { db: handle.db, clock: systemClock },
    { workspaceId, kind: 'api_key', id: randomUUID(), role: 'admin' },
    { name: `bench ${Date.now()}`, role: 'operator' },
  );
  const key = created.key;
  const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };

  const app = await buildApp({ handle, logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const appUrl = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;

  // The requests: contact cards (typical and busy), status + agent filter, date range page 2,
  // creates.
  const contactsWith = rowsOf<{ contact_id: string }>(
    await handle.db.execute(sql`select contact_id from follow_ups where workspace_id = ${workspaceId}
      group by contact_id order by md5(contact_id::text) limit 200`),
  ).map((r) => r.contact_id);
  const agentIds = rowsOf<{ id: string }>(
    await handle.db.execute(sql`select id from agents where workspace_id = ${workspaceId}`),
  ).map((r) => r.id);
  const card = contactsWith.map((c) => `/api/follow-ups?contactId=${c}`);
  // Busy contacts: 200 others get 100 follow-ups more each for this run (a third finished),
  // so that their card is a full page of 50 out of ~110 sorted rows. Removed at the end.
  const busyIds = rowsOf<{ id: string }>(
    await handle.db.execute(sql`select id from contacts where workspace_id = ${workspaceId}
      order by md5(id::text) desc limit 200`),
  ).map((r) => r.id);
  await handle.db.execute(sql`insert into follow_ups (id, workspace_id, contact_id, type,
      scheduled_at, priority, max_attempts, source, status, expires_at, completed_at,
      created_by_api_key_id)
    select gen_random_uuid(), ${workspaceId}, c, 'call', now() + (g - 60) * interval '1 day',
      'normal', 3, 'api', case when g % 3 = 0 then 'completed' else 'scheduled' end,
      now() + (g - 57) * interval '1 day',
      case when g % 3 = 0 then now() + (g - 60) * interval '1 day' end, ${created.id}
    from unnest(${`{${busyIds.join(',')}}`}::uuid[]) as c, generate_series(1, 100) as g`);
  const busy = busyIds.map((c) => `/api/follow-ups?contactId=${c}`);
  // Fresh statistics and visibility maps for what was loaded and added (plans as in production).
  await handle.db.execute(sql`vacuum analyze follow_ups, contacts, follow_up_events`);
  const filtered = agentIds.map(
    (a) => `/api/follow-ups?status=scheduled,queued&agentId=${a}&limit=50`,
  );
  const dated: string[] = [];
  for (let d = 0; d < 40; d++) {
    const from = new Date(Date.now() - (50 - d) * 86_400_000);
    const to = new Date(from.getTime() + 7 * 86_400_000);
    const first = await app.inject({
      method: 'GET',
      url: `/api/follow-ups?scheduledFrom=${from.toISOString()}&scheduledTo=${to.toISOString()}&limit=50`,
      headers,
    });
    const next = first.json().nextCursor;
    if (next) {
      dated.push(
        `/api/follow-ups?scheduledFrom=${from.toISOString()}&scheduledTo=${to.toISOString()}&limit=50&cursor=${encodeURIComponent(next)}`,
      );
    }
  }

  // The SQL each read request runs (without the API key check), for the bare handler.
  const sqlOf = async (path: string): Promise<Captured[]> => {
    capture.list = [];
    capture.on = true;
    const res = await app.inject({ method: 'GET', url: path, headers });
    capture.on = false;
    if (res.statusCode !== 200) throw new Error(`${path}: ${res.statusCode} ${res.body}`);
    return capture.list.filter((q) => !isKeyCheck(q.text));
  };
  const routes = { card, busy, filtered, dated };
  const captured: Record<string, Captured[][]> = {};
  for (const [name, paths] of Object.entries(routes)) {
    captured[name] = [];
    for (const p of paths) captured[name].push(await sqlOf(p));
  }

  // The floor: Fastify + the driver running the same statements, nothing else.
  const client = (
    handle.db as unknown as {
      $client: {
        query: (
          t: string | { name: string; text: string; values: unknown[] },
          p: unknown[],
        ) => Promise<{ rows: unknown[] }>;
      };
    }
  ).$client;
  const bare = Fastify({ logger: false });
  bare.get('/:route/:i', async (request) => {
    const { route, i } = request.params as { route: string; i: string };
    const statements = captured[route]![Number(i)]!;
    const results: unknown[][] = [];
    for (const s of statements) {
      const name = statementNames.get(s.text);
      const config = name ? { name, text: s.text, values: s.params } : s.text;
      results.push((await client.query(config, s.params)).rows);
    }
    return { results };
  });
  const contactIds = contactsWith;
  bare.post('/create', async () => {
    const id = randomUUID();
    const at = new Date();
    const contact = contactIds[Math.floor(Math.random() * contactIds.length)];
    await handle.db.transaction(async (tx) => {
      await tx.execute(sql`insert into follow_ups (id, workspace_id, contact_id, type, scheduled_at,
        priority, max_attempts, source, status, expires_at, created_by_api_key_id)
        values (${id}, ${workspaceId}, ${contact}, 'call', ${new Date(at.getTime() + 3_600_000).toISOString()}::timestamptz,
        'normal', 3, 'api', 'scheduled', ${new Date(at.getTime() + 75 * 3_600_000).toISOString()}::timestamptz,
        ${created.id})`);
      await tx.execute(sql`insert into follow_up_events (id, workspace_id, follow_up_id, at, kind, actor_type)
        values (${randomUUID()}, ${workspaceId}, ${id}, now(), 'created', 'system')`);
    });
    return { id };
  });
  await bare.listen({ port: 0, host: '127.0.0.1' });
  const bareUrl = `http://127.0.0.1:${(bare.server.address() as { port: number }).port}`;

  // 200 create bodies, cycled: each a new follow-up for another contact, an hour from the start.
  const at = new Date(Date.now() + 3_600_000).toISOString();
  const creates = contactIds.map((contactId) => ({
    method: 'POST' as const,
    path: '/api/follow-ups',
    body: JSON.stringify({ contactId, type: 'call', scheduledAt: at }),
  }));
  const paths = (list: string[]) => list.map((path) => ({ path }));
  const floorPaths = (route: string, list: string[]) =>
    list.map((_, i) => ({ path: `/${route}/${i}` }));
  const rows: Record<string, string | number>[] = [];
  type Measure = (seconds?: number) => ReturnType<typeof measure>;
  const cases: [string, Measure, Measure][] = [
    [
      'contact card',
      (t) => measure(appUrl, paths(card), headers, t),
      (t) => measure(bareUrl, floorPaths('card', card), headers, t),
    ],
    [
      'contact card, busy contact',
      (t) => measure(appUrl, paths(busy), headers, t),
      (t) => measure(bareUrl, floorPaths('busy', busy), headers, t),
    ],
    [
      'status + agent filter',
      (t) => measure(appUrl, paths(filtered), headers, t),
      (t) => measure(bareUrl, floorPaths('filtered', filtered), headers, t),
    ],
    [
      'date range, page 2',
      (t) => measure(appUrl, paths(dated), headers, t),
      (t) => measure(bareUrl, floorPaths('dated', dated), headers, t),
    ],
    [
      'create',
      (t) => measure(appUrl, creates, headers, t),
      (t) => measure(bareUrl, [{ method: 'POST', path: '/create', body: '{}' }], headers, t),
    ],
  ];
  const only = arg('only');
  for (const [name, ours, floor] of cases) {
    if (only && !name.includes(only)) continue;
    // Warm-up: connections, prepared statements, caches; not counted.
    await ours(WARM_UP_SECONDS);
    await floor(WARM_UP_SECONDS);
    const a: Awaited<ReturnType<Measure>>[] = [];
    const b: Awaited<ReturnType<Measure>>[] = [];
    for (let r = 0; r < RUNS; r++) {
      a.push(await ours());
      b.push(await floor());
    }
    const p95s = a.map((x) => x.p95);
    const ratios = a.map((x, i) => x.rps / b[i]!.rps);
    const target = kind === 'postgres' ? TARGETS[name] : undefined;
    const verdicts: string[] = [];
    if (target?.p95 !== undefined) {
      const v = verdict(median(p95s), target.p95, 'atMost', [spread(p95s)]);
      verdicts.push(`p95 ≤ ${target.p95} ms: ${v.verdict}`);
    }
    if (target?.ratio !== undefined) {
      const v = verdict(median(ratios), target.ratio, 'atLeast', [spread(ratios)]);
      verdicts.push(`ratio ≥ ${target.ratio}: ${v.verdict}`);
    }
    rows.push({
      database: kind,
      request: name,
      'p50 ms': median(a.map((x) => x.p50)),
      'p95 ms (median)': median(p95s),
      'p95 spread': spread(p95s),
      'p99 ms': median(a.map((x) => x.p99)),
      'req/s': Math.round(median(a.map((x) => x.rps))),
      'bare p95 ms': median(b.map((x) => x.p95)),
      'bare req/s': Math.round(median(b.map((x) => x.rps))),
      'ratio (median)': median(ratios),
      'ratio spread': spread(ratios),
      target: verdicts.join('; ') || '—',
    });
    console.log(
      `  runs: p95 ${p95s.join(' / ')} ms; ratio ${ratios.map((x) => x.toFixed(2)).join(' / ')}`,
    );
    console.log(table([rows[rows.length - 1]!]));
  }
  await app.close();
  await bare.close();
  // The creates go: the next run reads the volume as it was loaded.
  await removeBenchWrites(handle, workspaceId);
  await handle.close();
  return rows;
}

const which = arg('db', 'both');
const all: Record<string, string | number>[] = [];
const loadBefore = loadNote();
console.log(`before: ${loadBefore}`);
for (const kind of ['postgres', 'pglite'] as const) {
  if (which === 'both' || which === kind) all.push(...(await run(kind)));
}
const loadAfter = loadNote();
console.log(`\n${table(all)}`);
console.log(`\nbefore: ${loadBefore}\nafter:  ${loadAfter}`);
console.log(
  `Saved ${saveResult('api', {
    seconds: SECONDS,
    runs: RUNS,
    connections: CONNECTIONS,
    loadBefore,
    loadAfter,
    rows: all,
  })}`,
);
