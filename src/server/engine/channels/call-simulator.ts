/**
 * The default call provider: no account needed. A simulated call "rings and talks" for a few
 * seconds, then reports a realistic outcome through the same code path as a real provider's
 * callback (reportCall): a call log is written, the attempt ends, outcome rules apply.
 */
import type { CallOutcome } from '../../../core/results.ts';
import type { Clock } from '../../clock.ts';
import type { Database } from '../../db/client.ts';
import type { Logger } from '../../logger.ts';
import { reportCall } from '../../services/calls/call-reports.ts';
import type { Channel, ChannelOutcome } from './channel.ts';

const MIX: [CallOutcome, number][] = [
  ['answered', 40],
  ['no_answer', 22],
  ['voicemail', 14],
  ['busy', 7],
  ['callback_requested', 9],
  ['not_interested', 6],
  ['do_not_call', 2],
];

const SUMMARIES: Partial<Record<CallOutcome, string>> = {
  answered: 'Spoke with the contact; they confirmed the details and the next step.',
  callback_requested: 'The contact asked to be called back later.',
  not_interested: 'The contact is not interested at this time.',
  do_not_call: 'The contact asked not to be called again.',
  voicemail: 'Left a voicemail.',
};

export interface CallSimulatorOptions {
  db: Database;
  clock: Clock;
  logger: Logger;
  /** How long a simulated call takes, in milliseconds (default 2–6 s). */
  durationMs?: () => number;
  /** Which outcome a call gets (default: the realistic mix above). */
  outcome?: () => CallOutcome;
  random?: () => number;
}

/** An outcome of the realistic mix. */
export function simulatedOutcome(random: () => number = Math.random): CallOutcome {
  let r = random() * MIX.reduce((sum, [, w]) => sum + w, 0);
  for (const [outcome, weight] of MIX) {
    r -= weight;
    if (r < 0) return outcome;
  }
  return 'answered';
}

/** Reports a simulated call's end, as a provider's callback would (reportCall). */
export function reportSimulatedCall(
  options: Pick<CallSimulatorOptions, 'db' | 'clock' | 'logger'>,
  call: {
    idempotencyKey: string;
    attemptId: string;
    followUpId: string;
    outcome: CallOutcome;
    startedAt: Date;
    endedAt: Date;
  },
  random: () => number = Math.random,
): Promise<void> {
  const { outcome, endedAt } = call;
  return reportCall(options, {
    idempotencyKey: call.idempotencyKey,
    outcome,
    startedAt: call.startedAt,
    endedAt,
    summary: SUMMARIES[outcome] ?? null,
    requestedCallbackAt:
      outcome === 'callback_requested'
        ? new Date(endedAt.getTime() + (1 + Math.floor(random() * 48)) * 3_600_000)
        : null,
    providerRef: `sim-${call.attemptId}`,
  }).then(
    () => undefined,
    (error) =>
      options.logger.error(
        { err: error, followUpId: call.followUpId, attemptId: call.attemptId },
        'simulated call report failed',
      ),
  );
}

export function callSimulator(options: CallSimulatorOptions): Channel {
  const random = options.random ?? Math.random;
  const pending = new Set<NodeJS.Timeout>();
  return {
    type: 'call',
    provider: 'simulator',
    async start(job): Promise<ChannelOutcome> {
      const startedAt = options.clock.now();
      const ms = options.durationMs?.() ?? 2000 + Math.floor(random() * 4000);
      const outcome = options.outcome?.() ?? simulatedOutcome(random);
      const timer = setTimeout(() => {
        pending.delete(timer);
        void reportSimulatedCall(
          options,
          {
            idempotencyKey: job.idempotencyKey,
            attemptId: job.attemptId,
            followUpId: job.followUpId,
            outcome,
            startedAt,
            endedAt: new Date(startedAt.getTime() + ms),
          },
          random,
        );
      }, ms);
      pending.add(timer);
      return { status: 'pending', providerRef: `sim-${job.attemptId}` };
    },
    async close() {
      for (const t of pending) clearTimeout(t);
      pending.clear();
    },
  };
}
