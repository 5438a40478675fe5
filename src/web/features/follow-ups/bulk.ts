import { errorMessage } from '../../lib/api.ts';
import type { FollowUp } from './api.ts';

export interface BulkOutcome {
  action: 'cancel' | 'snooze';
  changed: FollowUp[];
  refused: { row: FollowUp; reason: string }[];
}

/**
 * Runs one action per follow-up (the API has no bulk endpoint), a few at a time, and keeps
 * each refusal's reason (usually the 409 detail: not allowed in its current status).
 */
export async function runBulk(
  action: BulkOutcome['action'],
  rows: FollowUp[],
  run: (row: FollowUp) => Promise<FollowUp>,
  concurrency = 4,
): Promise<BulkOutcome> {
  const outcome: BulkOutcome = { action, changed: [], refused: [] };
  let next = 0;
  async function worker() {
    while (next < rows.length) {
      const row = rows[next++]!;
      try {
        outcome.changed.push(await run(row));
      } catch (error) {
        outcome.refused.push({ row, reason: errorMessage(error) });
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, rows.length) }, worker));
  return outcome;
}
