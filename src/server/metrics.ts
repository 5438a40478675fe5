/**
 * Prometheus metrics of this process (GET /metrics): follow-ups by status (counted in the
 * database when scraped, shared by every process), the engine's dispatch lag, attempts by
 * channel and result, channel latency, live-event subscribers, and Node's process metrics.
 *
 * One registry per process. The engine's metrics count what this process did: scrape every
 * process that runs the engine (in the embedded mode that is the one `serve`).
 */
import { createServer } from 'node:http';
import { sql } from 'drizzle-orm';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { FOLLOW_UP_STATUSES } from '../core/follow-up.ts';
import type { Database } from './db/client.ts';
import { rowsOf } from './db/sql.ts';

export const registry = new Registry();
collectDefaultMetrics({ register: registry });

/** The content type of the text `renderMetrics` answers. */
export const METRICS_CONTENT_TYPE = registry.contentType;

const followUps = new Gauge({
  name: 'followthrough_follow_ups',
  help: 'Follow-ups by status, in every workspace (counted at most every 5 s)',
  labelNames: ['status'] as const,
  registers: [registry],
});

export const dispatchLag = new Histogram({
  name: 'followthrough_dispatch_lag_seconds',
  help: 'Time from when a follow-up was due (its run time when it was queued) to its attempt start',
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600],
  registers: [registry],
});

export const attemptsTotal = new Counter({
  name: 'followthrough_attempts_total',
  help: 'Attempts ended, by channel and result (timeout: the lease ran out or the worker stopped)',
  labelNames: ['channel', 'result'] as const,
  registers: [registry],
});

export const channelLatency = new Histogram({
  name: 'followthrough_channel_latency_seconds',
  help: 'How long a channel took to start an attempt (to answer, or to accept it for later)',
  labelNames: ['channel', 'provider'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  registers: [registry],
});

/**
 * Where an engine's time goes, per batch (a wake-up: per round), stage by stage:
 * wake (a wake-up asked for a round → the round began), look (which steps have work),
 * claim (the FOR UPDATE SKIP LOCKED select), queue (placement in time, agents' room),
 * start (status update, timeline events, attempt rows, commit), channel (until every channel of
 * the batch answered), record (the answers written) and its parts: record_connect (a pooled
 * connection and BEGIN), record_statements, record_commit.
 */
export const engineStage = new Histogram({
  name: 'followthrough_engine_stage_seconds',
  help: 'Time an engine spent in each stage: wake, look, claim, queue, start, channel, record (record_connect, record_statements, record_commit)',
  labelNames: ['stage'] as const,
  buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [registry],
});

export const liveSubscribers = new Gauge({
  name: 'followthrough_live_subscribers',
  help: 'Open live-event streams (GET /api/events) in this process',
  registers: [registry],
});

/** How long one count of follow-ups by status serves scrapes. */
export const FOLLOW_UPS_CACHE_MS = 5_000;

interface CachedCounts {
  at: number;
  counts: Promise<Map<string, number>>;
}
const cache = new WeakMap<Database, CachedCounts>();

/** One grouped count, shared by the scrapes of the next 5 s (and by concurrent ones). */
function countsByStatus(db: Database, nowMs: number): Promise<Map<string, number>> {
  const cached = cache.get(db);
  if (cached && nowMs - cached.at < FOLLOW_UPS_CACHE_MS && nowMs >= cached.at) {
    return cached.counts;
  }
  const counts = db
    .execute(sql`select status, count(*)::int as n from follow_ups group by status`)
    .then((result) => {
      const rows = rowsOf<{ status: string; n: number }>(result);
      return new Map(rows.map((r) => [r.status, Number(r.n)]));
    });
  cache.set(db, { at: nowMs, counts });
  // A failed count is not kept: the next scrape asks again.
  counts.catch(() => {
    if (cache.get(db)?.counts === counts) cache.delete(db);
  });
  return counts;
}

/**
 * The metrics in Prometheus' text format. When the database cannot be counted, the follow-up
 * gauge is left out (rather than showing stale numbers) and `onError` hears why.
 */
export async function renderMetrics(
  db: Database,
  nowMs: number = Date.now(),
  onError?: (error: unknown) => void,
): Promise<string> {
  try {
    const counts = await countsByStatus(db, nowMs);
    for (const status of FOLLOW_UP_STATUSES) followUps.set({ status }, counts.get(status) ?? 0);
  } catch (error) {
    followUps.reset();
    onError?.(error);
  }
  return registry.metrics();
}

/**
 * A bare HTTP server answering GET /metrics, for processes without the web app (`worker`),
 * whose engine metrics would otherwise never be scraped. Resolves with its address.
 */
export async function startMetricsServer(options: {
  db: Database;
  port: number;
  host?: string;
  onError?: (error: unknown) => void;
}): Promise<{ port: number; close(): Promise<void> }> {
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method !== 'GET' || path !== '/metrics') {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      response.end('Only GET /metrics is here.\n');
      return;
    }
    renderMetrics(options.db, Date.now(), options.onError).then(
      (text) => {
        response.writeHead(200, { 'content-type': METRICS_CONTENT_TYPE });
        response.end(text);
      },
      (error) => {
        options.onError?.(error);
        response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
        response.end('The metrics could not be collected.\n');
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : options.port,
    close: () =>
      new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      ),
  };
}
