/**
 * Call outcomes and attempt results (SPEC §5.1), and how the engine treats each result.
 */

export const CALL_OUTCOMES = [
  'answered',
  'no_answer',
  'busy',
  'voicemail',
  'failed',
  'callback_requested',
  'not_interested',
  'do_not_call',
] as const;
export type CallOutcome = (typeof CALL_OUTCOMES)[number];

export const CALL_OUTCOME_LABELS: Record<CallOutcome, string> = {
  answered: 'Answered',
  no_answer: 'No answer',
  busy: 'Busy',
  voicemail: 'Voicemail',
  failed: 'Failed',
  callback_requested: 'Callback requested',
  not_interested: 'Not interested',
  do_not_call: 'Do not call',
};

export const CALL_DIRECTIONS = ['outbound', 'inbound'] as const;
export type CallDirection = (typeof CALL_DIRECTIONS)[number];

/** Every result an attempt can end with, across the three channels. */
export const ATTEMPT_RESULTS = [
  // calls
  ...CALL_OUTCOMES,
  'invalid_number',
  // sms
  'delivered',
  'accepted',
  'opted_out',
  // webhooks
  'success',
  'http_error',
  // any channel
  'network_error',
  'provider_error',
  'timeout',
  // a voice platform that cannot place the call as configured (no platform agent id)
  'not_configured',
] as const;
export type AttemptResult = (typeof ATTEMPT_RESULTS)[number];

export type ResultClass = 'success' | 'retryable' | 'final';

const RESULT_CLASS: Record<AttemptResult, ResultClass> = {
  answered: 'success',
  callback_requested: 'success',
  not_interested: 'success',
  no_answer: 'retryable',
  busy: 'retryable',
  voicemail: 'retryable',
  failed: 'retryable',
  do_not_call: 'final',
  invalid_number: 'final',
  delivered: 'success',
  accepted: 'success',
  opted_out: 'final',
  success: 'success',
  http_error: 'final',
  network_error: 'retryable',
  provider_error: 'retryable',
  timeout: 'retryable',
  not_configured: 'final',
};

/**
 * How the engine treats a result. For webhooks an HTTP status decides: 408, 429 and 5xx are
 * retryable, other 4xx are not (SPEC §5).
 */
export function classifyResult(result: AttemptResult, httpStatus?: number): ResultClass {
  if (result === 'http_error' && httpStatus !== undefined) {
    return httpStatus === 408 || httpStatus === 429 || httpStatus >= 500 ? 'retryable' : 'final';
  }
  return RESULT_CLASS[result];
}

export const PROVIDERS = {
  call: ['simulator', 'http', 'retell', 'vapi', 'twilio'],
  sms: ['simulator', 'twilio'],
  webhook: ['webhook'],
} as const;
