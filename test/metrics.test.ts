/**
 * GET /metrics as a Prometheus scraper reads it: follow-ups by status from the database
 * (counted at most every 5 s), and what an engine round did — attempts by channel and result,
 * how late the attempts started after their follow-ups were due, channel latency.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../src/server/clock.ts';
import { instantChannel } from '../src/server/engine/channels/instant.ts';
import { createEngine, type Engine } from '../src/server/engine/engine.ts';
import { buildApp } from '../src/server/http/app.ts';
import { createLogger } from '../src/server/logger.ts';
import { startMetricsServer } from '../src/server/metrics.ts';
import { testDatabases, useOwnDatabase } from './helpers/databases.ts';
import { insertFollowUp } from './helpers/fixtures.ts';

const METRICS_TOKEN = 'metrics-token-for-tests-0123456789';

import { createTestWorkspace, type TestWorkspace } from './helpers/workspace.ts';

const SECOND = 1_000;
const HOUR = 3_600 * SECOND;
const STATUSES = [
  'scheduled',
  'queued',
  'in_progress',
  'completed',
  'failed',
  'cancelled',
  'expired',
  'snoozed',
] as const;

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The samples of a Prometheus text exposition. */
function parse(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)$/.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const [, k, v] of (m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[k!] = v!;
    samples.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return samples;
}

/** The value of one series (0 when it is not there yet, as for a counter never incremented). */
function value(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  const found = samples.find(
    (s) =>
      s.name === name &&
      Object.keys(labels).length === Object.keys(s.labels).length &&
      Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  );
  return found?.value ?? 0;
}

for (const target of testDatabases()) {
  describe(`GET /metrics [${target.name}]`, () => {
    const ctx = useOwnDatabase(target);
    // A Monday, 10:00 in New York.
    const clock = new FakeClock('2025-01-06T15:00:00Z');
    let app: FastifyInstance;
    let ws: TestWorkspace;

    beforeAll(async () => {
      ws = await createTestWorkspace(ctx.handle.db, 'Metrics Co');
      app = await buildApp({
        handle: ctx.handle,
        logger: false,
        clock,
        webRoot: '/nonexistent',
        metricsToken: METRICS_TOKEN,
      });
    });
    afterAll(() => app.close());

    async function scrape(): Promise<Sample[]> {
      const res = await app.inject({
        method: 'GET',
        url: '/metrics',
        headers: { authorization: `Bearer ${METRICS_TOKEN}` },
      });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
      return parse(res.body);
    }

    it('is not public on the web port: the token, or nothing without one', async () => {
      const ask = (target: FastifyInstance, authorization?: string) =>
        target.inject({
          method: 'GET',
          url: '/metrics',
          headers: authorization ? { authorization } : {},
        });
      for (const wrong of [undefined, 'Bearer nope', `Bearer ${METRICS_TOKEN}x`, METRICS_TOKEN]) {
        const res = await ask(app, wrong);
        expect(res.statusCode, String(wrong)).toBe(401);
        expect(res.body).not.toContain('followthrough_');
      }
      const closed = await buildApp({ handle: ctx.handle, logger: false, webRoot: '/nonexistent' });
      try {
        for (const any of [undefined, `Bearer ${METRICS_TOKEN}`]) {
          const res = await ask(closed, any);
          expect(res.statusCode).toBe(404);
          expect(res.body).not.toContain('followthrough_');
        }
      } finally {
        await closed.close();
      }
    });

    it('shows follow-ups by status, counted at most every 5 seconds', async () => {
      clock.advance(10 * SECOND);
      const before = await scrape();
      for (const status of STATUSES) {
        expect(
          before.some((s) => s.name === 'followthrough_follow_ups' && s.labels.status === status),
        ).toBe(true);
      }
      expect(value(before, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
      expect(before.some((s) => s.name === 'nodejs_eventloop_lag_seconds')).toBe(true);

      const seeded = { scheduled: 3, completed: 2, snoozed: 1, failed: 1 } as const;
      const db = ctx.handle.db;
      const at = clock.now();
      for (const [status, n] of Object.entries(seeded)) {
        for (let i = 0; i < n; i++) {
          // Far ahead, so that the engine round below leaves them alone.
          await insertFollowUp(
            db,
            ws,
            { status, scheduledAt: new Date(at.getTime() + 9_000 * HOUR) },
            at,
          );
        }
      }
      // Within 5 s: the same count.
      clock.advance(4 * SECOND);
      const cached = await scrape();
      for (const status of STATUSES) {
        expect(value(cached, 'followthrough_follow_ups', { status })).toBe(
          value(before, 'followthrough_follow_ups', { status }),
        );
      }
      clock.advance(SECOND);
      const after = await scrape();
      for (const status of STATUSES) {
        const added = (seeded as Record<string, number>)[status] ?? 0;
        expect(value(after, 'followthrough_follow_ups', { status }), status).toBe(
          value(before, 'followthrough_follow_ups', { status }) + added,
        );
      }
    });

    it('counts attempts, dispatch lag and channel latency of an engine round', async () => {
      const engine: Engine = createEngine({
        handle: ctx.handle,
        clock,
        logger: createLogger('silent'),
        workerId: 'metrics-test',
        channels: {
          call: instantChannel('call'),
          sms: instantChannel('sms'),
          webhook: instantChannel('webhook'),
        },
      });
      const now = clock.now().getTime();
      const db = ctx.handle.db;
      // Due 30 s ago.
      const onTime = await insertFollowUp(db, ws, { scheduledAt: new Date(now - 30 * SECOND) });
      // A retry due 10 s ago: its lag counts from the retry time, not from scheduledAt.
      const retry = await insertFollowUp(db, ws, {
        scheduledAt: new Date(now - 2 * HOUR),
        nextAttemptAt: new Date(now - 10 * SECOND),
        attempts: 1,
      });
      // A webhook due 90 s ago.
      const hook = await insertFollowUp(db, ws, {
        type: 'webhook',
        scheduledAt: new Date(now - 90 * SECOND),
      });
      expect(new Set([onTime, retry, hook]).size).toBe(3);

      clock.advance(5 * SECOND); // past the follow-up count's cache
      const before = await scrape();
      await engine.runOnce();
      await engine.idle();
      await engine.stop();
      clock.advance(5 * SECOND);
      const after = await scrape();
      const delta = (name: string, labels: Record<string, string> = {}) =>
        value(after, name, labels) - value(before, name, labels);

      // The round ran 5 s after the rows were made: lags of 35 s, 15 s (the retry) and 95 s.
      expect(delta('followthrough_dispatch_lag_seconds_count')).toBe(3);
      expect(delta('followthrough_dispatch_lag_seconds_sum')).toBeCloseTo(145, 6);
      expect(delta('followthrough_dispatch_lag_seconds_bucket', { le: '10' })).toBe(0);
      expect(delta('followthrough_dispatch_lag_seconds_bucket', { le: '30' })).toBe(1);
      expect(delta('followthrough_dispatch_lag_seconds_bucket', { le: '60' })).toBe(2);
      expect(delta('followthrough_dispatch_lag_seconds_bucket', { le: '300' })).toBe(3);

      expect(delta('followthrough_attempts_total', { channel: 'call', result: 'answered' })).toBe(
        2,
      );
      expect(delta('followthrough_attempts_total', { channel: 'webhook', result: 'success' })).toBe(
        1,
      );
      expect(
        delta('followthrough_channel_latency_seconds_count', {
          channel: 'call',
          provider: 'instant',
        }),
      ).toBe(2);
      expect(
        delta('followthrough_channel_latency_seconds_count', {
          channel: 'webhook',
          provider: 'instant',
        }),
      ).toBe(1);
      expect(delta('followthrough_follow_ups', { status: 'completed' })).toBe(3);

      // Where the round's time went: one look, one batch claimed, placed, started, run, recorded
      // (no wake-up stage: runOnce was called, nothing woke the engine).
      const stage = (name: string) =>
        delta('followthrough_engine_stage_seconds_count', { stage: name });
      expect(
        ['wake', 'look', 'claim', 'queue', 'start', 'channel', 'record'].map((s) => [s, stage(s)]),
      ).toEqual([
        ['wake', 0],
        ['look', 1],
        ['claim', 1],
        ['queue', 1],
        ['start', 1],
        ['channel', 1],
        ['record', 1],
      ]);
      expect(delta('followthrough_engine_stage_seconds_sum', { stage: 'start' })).toBeGreaterThan(
        0,
      );
    });

    it('serves the same metrics alone, for worker processes', async () => {
      const server = await startMetricsServer({ db: ctx.handle.db, port: 0 });
      try {
        const res = await fetch(`http://127.0.0.1:${server.port}/metrics`);
        expect(res.status).toBe(200);
        const samples = parse(await res.text());
        expect(samples.some((s) => s.name === 'followthrough_follow_ups')).toBe(true);
        expect((await fetch(`http://127.0.0.1:${server.port}/other`)).status).toBe(404);
      } finally {
        await server.close();
      }
    });
  });
}
