import type { AttemptResult } from '../../core/results.ts';

/**
 * What one delivery decided: the result of the attempt (the engine's webhook channel answers
 * with it as is) and the HTTP status it was read from.
 */
export interface DeliveryOutcome {
  status: 'done';
  result: AttemptResult;
  error?: string | null;
  httpStatus?: number;
}
