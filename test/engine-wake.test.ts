/**
 * The wake-up path: on an idle engine (running on its own, real clock, the safety poll a
 * minute away), a follow-up created due now starts at once, because its creation wakes the
 * engine (NOTIFY on PostgreSQL, PGlite's own notifications on the embedded database). The
 * median of 20 follow-ups, one at a time, from the insert to its channel's start, is within
 * 100 ms. This is a check of the path (a lost or late wake-up waits for the poll: 60 s), not a
 * benchmark: `npm run bench:engine` measures lag under load. A wake-up that names follow-ups due
 * now is answered by claiming them by id, without a round; with two engines, each once.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FollowUpType } from '../src/core/follow-up.ts';
import { systemClock } from '../src/server/clock.ts';
import { rowsOf } from '../src/server/db/sql.ts';
import type { Channel } from '../src/server/engine/channels/channel.ts';
import { createEngine, type Engine } from '../src/server/engine/engine.ts';
import { createLogger } from '../src/server/logger.ts';
import { engineStage } from '../src/server/metrics.ts';
import { testDatabases, useOwnDatabase } from './helpers/databases.ts';
import {
  createLoadWorkspace,
  insertDueFollowUps,
  type LoadWorkspace,
} from './helpers/engine-load.ts';

const ROUNDS = 20;

/** A channel that answers at once and says when each follow-up reached it. */
function timedChannel(type: FollowUpType, arrived: (followUpId: string) => void): Channel {
  return {
    type,
    provider: 'test',
    async start(job) {
      arrived(job.followUpId);
      return { status: 'done', result: type === 'call' ? 'answered' : 'delivered' };
    },
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

for (const target of testDatabases()) {
  describe(`wake-up path [${target.name}]`, () => {
    const ctx = useOwnDatabase(target);
    let ws: LoadWorkspace;
    let engine: Engine;
    let next: ((at: number) => void) | null = null;
    const arrived = () => next?.(performance.now());

    beforeAll(async () => {
      // A database of its own (the engine claims across workspaces): nothing else is due.
      ws = await createLoadWorkspace(ctx.handle.db, {
        name: 'Wake Co',
        agents: 1,
        capacity: () => 5,
        contacts: ROUNDS + 20,
      });
      engine = createEngine({
        handle: ctx.handle,
        clock: systemClock,
        logger: createLogger('silent'),
        workerId: 'wake-test',
        pollMs: 60_000,
        channels: {
          call: timedChannel('call', arrived),
          sms: timedChannel('sms', arrived),
          webhook: timedChannel('webhook', arrived),
        },
      });
      engine.start();
    });

    afterAll(async () => {
      await engine?.stop();
    });

    it(`starts a follow-up due now within 100 ms (median of ${ROUNDS})`, async () => {
      const lags: number[] = [];
      for (let i = 0; i < ROUNDS + 1; i++) {
        await engine.idle();
        const started = new Promise<number>((resolve) => {
          next = resolve;
        });
        const createdAt = performance.now();
        await insertDueFollowUps(ctx.handle.db, ws, {
          count: 1,
          types: [i % 2 ? 'sms' : 'call'],
        });
        const at = await started;
        next = null;
        // The first one warms up the statements; it is not counted.
        if (i > 0) lags.push(at - createdAt);
      }
      expect(lags).toHaveLength(ROUNDS);
      expect(median(lags), `lags in ms: ${lags.map((l) => l.toFixed(1)).join(', ')}`).toBeLessThan(
        100,
      );
    }, 30_000);

    it('claims the follow-ups a wake-up names at once, without a round, once with two engines', async () => {
      const second = createEngine({
        handle: ctx.handle,
        clock: systemClock,
        logger: createLogger('silent'),
        workerId: 'wake-test-2',
        pollMs: 60_000,
        channels: {
          call: timedChannel('call', arrived),
          sms: timedChannel('sms', arrived),
          webhook: timedChannel('webhook', arrived),
        },
      });
      second.start();
      try {
        await Promise.all([engine.idle(), second.idle()]);
        const rounds = await lookCount();
        for (let i = 0; i < 5; i++) {
          const started = new Promise<number>((resolve) => {
            next = resolve;
          });
          await insertDueFollowUps(ctx.handle.db, ws, { count: 3, types: ['call', 'sms'] });
          await started;
          next = null;
          await Promise.all([engine.idle(), second.idle()]);
        }
        const [row] = rowsOf<{ open: number; attempts: number; twice: number }>(
          await ctx.handle.db.execute(sql`
            select
              (select count(*)::int from follow_ups
                where workspace_id = ${ws.id} and status <> 'completed') as open,
              (select count(*)::int from follow_up_attempts where workspace_id = ${ws.id})
                as attempts,
              (select count(*)::int from (select follow_up_id from follow_up_attempts
                where workspace_id = ${ws.id} group by 1 having count(*) > 1) t) as twice`),
        );
        expect(row).toEqual({ open: 0, attempts: ROUNDS + 1 + 15, twice: 0 });
        // Claimed by id: neither engine ran a round (its first step, the look, was not taken).
        expect(await lookCount()).toBe(rounds);
      } finally {
        await second.stop();
      }
    }, 30_000);
  });
}

/** How many rounds the engines of this process have begun (the look each round takes first). */
async function lookCount(): Promise<number> {
  const { values } = await engineStage.get();
  return (
    values.find(
      (v) =>
        v.metricName === 'followthrough_engine_stage_seconds_count' && v.labels.stage === 'look',
    )?.value ?? 0
  );
}
