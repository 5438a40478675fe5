/**
 * The wake-up path: on an idle engine (running on its own, real clock, the safety poll a
 * minute away), a follow-up created due now starts at once, because its creation wakes the
 * engine (NOTIFY on PostgreSQL, PGlite's own notifications on the embedded database). The
 * median of 20 follow-ups, one at a time, from the insert to its channel's start, is within
 * 100 ms. This is a check of the path (a lost or late wake-up waits for the poll: 60 s), not a
 * benchmark: `npm run bench:engine` measures lag under load.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FollowUpType } from '../src/core/follow-up.ts';
import { systemClock } from '../src/server/clock.ts';
import type { Channel } from '../src/server/engine/channels/channel.ts';
import { createEngine, type Engine } from '../src/server/engine/engine.ts';
import { createLogger } from '../src/server/logger.ts';
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

    beforeAll(async () => {
      // A database of its own (the engine claims across workspaces): nothing else is due.
      ws = await createLoadWorkspace(ctx.handle.db, {
        name: 'Wake Co',
        agents: 1,
        capacity: () => 5,
        contacts: ROUNDS,
      });
      const arrived = () => next?.(performance.now());
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
  });
}
