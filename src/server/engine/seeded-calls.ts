/**
 * The demo's calls in progress are real simulated calls: the demo seeds them as started by
 * DEMO_CALL_WORKER, and a process whose call provider is the simulator takes them over when it
 * starts, ending each a few seconds later through the same report as any simulated call
 * (call log, attempt ended, outcome rules). So the demo's agents have free seats within
 * seconds of the first start instead of holding them until the leases run out. Reports are
 * idempotent: two processes taking them over end each call once; a process that stops first
 * leaves them to the reaper.
 */
import { and, eq, isNull } from 'drizzle-orm';
import type { Clock } from '../clock.ts';
import type { Database } from '../db/client.ts';
import { followUpAttempts } from '../db/schema.ts';
import { DEMO_CALL_WORKER } from '../demo/demo-model.ts';
import type { Logger } from '../logger.ts';
import { reportSimulatedCall, simulatedOutcome } from './channels/call-simulator.ts';

export interface SeededCalls {
  /** How many calls were taken over. */
  count: number;
  /** Settles when every taken-over call has reported. */
  done: Promise<void>;
  /** Stops the calls that have not reported yet (they are left to the reaper). */
  stop(): void;
}

export async function runSeededCalls(
  deps: { db: Database; clock: Clock; logger: Logger },
  options: { endWithinMs?: number; random?: () => number } = {},
): Promise<SeededCalls> {
  const random = options.random ?? Math.random;
  const endWithinMs = options.endWithinMs ?? 8000;
  const open = await deps.db
    .select({
      id: followUpAttempts.id,
      followUpId: followUpAttempts.followUpId,
      idempotencyKey: followUpAttempts.idempotencyKey,
      startedAt: followUpAttempts.startedAt,
    })
    .from(followUpAttempts)
    .where(
      and(
        eq(followUpAttempts.workerId, DEMO_CALL_WORKER),
        eq(followUpAttempts.channel, 'call'),
        isNull(followUpAttempts.endedAt),
      ),
    );
  const timers = new Set<NodeJS.Timeout>();
  const reports = open.map(
    (attempt) =>
      new Promise<void>((resolve) => {
        const ms = 500 + Math.floor(random() * Math.max(0, endWithinMs - 500));
        const timer = setTimeout(() => {
          timers.delete(timer);
          reportSimulatedCall(
            deps,
            {
              idempotencyKey: attempt.idempotencyKey,
              attemptId: attempt.id,
              followUpId: attempt.followUpId,
              outcome: simulatedOutcome(random),
              startedAt: attempt.startedAt,
              endedAt: deps.clock.now(),
            },
            random,
          ).then(resolve);
        }, ms);
        // Waiting calls do not hold the process open.
        timer.unref();
        timers.add(timer);
      }),
  );
  if (open.length > 0) {
    deps.logger.info({ calls: open.length }, 'demo: simulating the calls in progress');
  }
  return {
    count: open.length,
    done: Promise.all(reports).then(() => undefined),
    stop() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
    },
  };
}
