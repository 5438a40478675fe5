/**
 * Voice platforms' end reasons → call outcomes (SPEC §5.1). One table per platform, the same
 * rows as in docs/voice-platforms.md. A reason no table names is a failed call (retryable):
 * a platform that adds a reason never makes a follow-up look answered when it was not.
 */
import { Temporal } from 'temporal-polyfill';
import type { CallOutcome } from './results.ts';

export const VOICE_PLATFORMS = ['retell', 'vapi', 'twilio'] as const;
export type VoicePlatform = (typeof VOICE_PLATFORMS)[number];

/** Retell `call.disconnection_reason`. */
export const RETELL_END_REASONS: Readonly<Record<string, CallOutcome>> = {
  user_hangup: 'answered',
  agent_hangup: 'answered',
  call_transfer: 'answered',
  transfer_bridged: 'answered',
  transfer_cancelled: 'answered',
  inactivity: 'answered',
  max_duration_reached: 'answered',
  call_take_over: 'answered',
  dial_no_answer: 'no_answer',
  user_declined: 'no_answer',
  registered_call_timeout: 'no_answer',
  dial_busy: 'busy',
  voicemail_reached: 'voicemail',
  ivr_reached: 'voicemail',
  dial_failed: 'failed',
  invalid_destination: 'failed',
  telephony_provider_permission_denied: 'failed',
  telephony_provider_unavailable: 'failed',
  sip_routing_error: 'failed',
  marked_as_spam: 'failed',
  scam_detected: 'failed',
  concurrency_limit_reached: 'failed',
  no_concurrency_fallback: 'failed',
  no_valid_payment: 'failed',
  manual_stopped: 'failed',
};

/** Vapi `endedReason`. Reasons starting `call.`, `pipeline-error` or holding `error` fail. */
export const VAPI_END_REASONS: Readonly<Record<string, CallOutcome>> = {
  'customer-ended-call': 'answered',
  'customer-ended-call-after-warm-transfer-attempt': 'answered',
  'customer-ended-call-before-warm-transfer': 'answered',
  'customer-ended-call-during-transfer': 'answered',
  'assistant-ended-call': 'answered',
  'assistant-ended-call-after-message-spoken': 'answered',
  'assistant-ended-call-with-hangup-task': 'answered',
  'assistant-said-end-call-phrase': 'answered',
  'assistant-forwarded-call': 'answered',
  'silence-timed-out': 'answered',
  'exceeded-max-duration': 'answered',
  'vonage-completed': 'answered',
  'customer-did-not-answer': 'no_answer',
  'call.forwarding.no-answer': 'no_answer',
  'customer-busy': 'busy',
  'call.forwarding.operator-busy': 'busy',
  voicemail: 'voicemail',
  'twilio-failed-to-connect-call': 'failed',
  'twilio-reported-customer-misdialed': 'failed',
  'vonage-failed-to-connect-call': 'failed',
  'vonage-rejected': 'failed',
  'vonage-disconnected': 'failed',
  'phone-call-provider-closed-websocket': 'failed',
  'manually-canceled': 'failed',
  'assistant-not-found': 'failed',
  'assistant-join-timed-out': 'failed',
};

/** Twilio `CallStatus` (a final one); `completed` is read together with `AnsweredBy`. */
export const TWILIO_CALL_STATUSES: Readonly<Record<string, CallOutcome>> = {
  completed: 'answered',
  busy: 'busy',
  'no-answer': 'no_answer',
  failed: 'failed',
  canceled: 'failed',
};

/** Twilio `AnsweredBy` (answering-machine detection) on a completed call. */
export const TWILIO_ANSWERED_BY: Readonly<Record<string, CallOutcome>> = {
  human: 'answered',
  unknown: 'answered',
  machine_start: 'voicemail',
  machine_end_beep: 'voicemail',
  machine_end_silence: 'voicemail',
  machine_end_other: 'voicemail',
  fax: 'failed',
};

/** The outcome of a Retell call that ended with `reason`; `error_*` reasons fail. */
export function retellOutcome(reason: string | null | undefined): CallOutcome {
  if (!reason) return 'failed';
  return RETELL_END_REASONS[reason] ?? 'failed';
}

export function vapiOutcome(reason: string | null | undefined): CallOutcome {
  if (!reason) return 'failed';
  return VAPI_END_REASONS[reason] ?? 'failed';
}

/**
 * A Twilio call's outcome from its status callback; null while it is not over (queued,
 * initiated, ringing, in-progress).
 */
export function twilioOutcome(
  status: string | null | undefined,
  answeredBy?: string | null,
): CallOutcome | null {
  if (!status) return null;
  const outcome = TWILIO_CALL_STATUSES[status];
  if (!outcome) return null;
  if (status === 'completed' && answeredBy) return TWILIO_ANSWERED_BY[answeredBy] ?? 'answered';
  return outcome;
}

/**
 * The time the customer asked to be called back: `callback_at` of the platform's post-call
 * analysis, an ISO 8601 instant with an offset. Anything else (no offset, not a date) is none.
 */
export function callbackAtOf(data: unknown): Date | null {
  if (!data || typeof data !== 'object') return null;
  const value = (data as Record<string, unknown>).callback_at;
  if (typeof value !== 'string') return null;
  try {
    // Temporal.Instant.from refuses a time without an offset and a day the month lacks.
    return new Date(Temporal.Instant.from(value.trim()).epochMilliseconds);
  } catch {
    return null;
  }
}

/**
 * The call's outcome once the analysis is known: a connected call whose analysis asks for a
 * callback is `callback_requested`.
 */
export function withCallback(outcome: CallOutcome, callbackAt: Date | null): CallOutcome {
  return callbackAt && outcome === 'answered' ? 'callback_requested' : outcome;
}
