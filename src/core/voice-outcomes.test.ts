import { describe, expect, it } from 'vitest';
import {
  callbackAtOf,
  RETELL_END_REASONS,
  retellOutcome,
  TWILIO_ANSWERED_BY,
  TWILIO_CALL_STATUSES,
  twilioOutcome,
  VAPI_END_REASONS,
  vapiOutcome,
  withCallback,
} from './voice-outcomes.ts';

describe('Retell end reasons', () => {
  it.each([
    ['dial_no_answer', 'no_answer'],
    ['dial_busy', 'busy'],
    ['voicemail_reached', 'voicemail'],
    ['dial_failed', 'failed'],
    ['error_llm_websocket_open', 'failed'],
    ['error_unknown', 'failed'],
    ['user_hangup', 'answered'],
    ['agent_hangup', 'answered'],
    ['call_transfer', 'answered'],
    ['inactivity', 'answered'],
    ['max_duration_reached', 'answered'],
    ['a_reason_added_later', 'failed'],
  ])('%s → %s', (reason, outcome) => {
    expect(retellOutcome(reason)).toBe(outcome);
  });
  it('every row of the table maps as written', () => {
    for (const [reason, outcome] of Object.entries(RETELL_END_REASONS)) {
      expect(retellOutcome(reason)).toBe(outcome);
    }
    expect(retellOutcome(undefined)).toBe('failed');
  });
});

describe('Vapi ended reasons', () => {
  it.each([
    ['customer-did-not-answer', 'no_answer'],
    ['customer-busy', 'busy'],
    ['voicemail', 'voicemail'],
    ['customer-ended-call', 'answered'],
    ['assistant-ended-call', 'answered'],
    ['silence-timed-out', 'answered'],
    ['exceeded-max-duration', 'answered'],
    ['twilio-failed-to-connect-call', 'failed'],
    ['pipeline-error-openai-llm-failed', 'failed'],
    ['call.in-progress.error-vapifault-transport-never-connected', 'failed'],
  ])('%s → %s', (reason, outcome) => {
    expect(vapiOutcome(reason)).toBe(outcome);
  });
  it('every row of the table maps as written', () => {
    for (const [reason, outcome] of Object.entries(VAPI_END_REASONS)) {
      expect(vapiOutcome(reason)).toBe(outcome);
    }
  });
});

describe('Twilio call status and answering-machine detection', () => {
  it.each([
    ['completed', undefined, 'answered'],
    ['completed', 'human', 'answered'],
    ['completed', 'unknown', 'answered'],
    ['completed', 'machine_start', 'voicemail'],
    ['completed', 'machine_end_beep', 'voicemail'],
    ['completed', 'machine_end_silence', 'voicemail'],
    ['completed', 'machine_end_other', 'voicemail'],
    ['completed', 'fax', 'failed'],
    ['busy', undefined, 'busy'],
    ['no-answer', undefined, 'no_answer'],
    ['failed', undefined, 'failed'],
    ['canceled', undefined, 'failed'],
    ['ringing', undefined, null],
    ['in-progress', 'human', null],
    ['queued', undefined, null],
  ])('%s / %s → %s', (status, answeredBy, outcome) => {
    expect(twilioOutcome(status, answeredBy)).toBe(outcome);
  });
  it('every row of the tables maps as written', () => {
    for (const [status, outcome] of Object.entries(TWILIO_CALL_STATUSES)) {
      expect(twilioOutcome(status)).toBe(outcome);
    }
    for (const [by, outcome] of Object.entries(TWILIO_ANSWERED_BY)) {
      expect(twilioOutcome('completed', by)).toBe(outcome);
    }
  });
});

describe('callback_at', () => {
  it('reads an ISO 8601 instant with an offset', () => {
    expect(callbackAtOf({ callback_at: '2026-03-03T14:30:00-05:00' })?.toISOString()).toBe(
      '2026-03-03T19:30:00.000Z',
    );
    expect(callbackAtOf({ callback_at: '2026-03-03T19:30:00Z' })?.toISOString()).toBe(
      '2026-03-03T19:30:00.000Z',
    );
  });
  it('ignores times without an offset, non-dates and missing fields', () => {
    expect(callbackAtOf({ callback_at: '2026-03-03T14:30:00' })).toBeNull();
    expect(callbackAtOf({ callback_at: 'tomorrow at 3' })).toBeNull();
    expect(callbackAtOf({ callback_at: '2026-02-30T14:30:00Z' })).toBeNull();
    expect(callbackAtOf({})).toBeNull();
    expect(callbackAtOf(null)).toBeNull();
    expect(callbackAtOf('2026-03-03T14:30:00Z')).toBeNull();
  });
  it('turns a connected call into a callback request, nothing else', () => {
    const at = new Date('2026-03-03T19:30:00Z');
    expect(withCallback('answered', at)).toBe('callback_requested');
    expect(withCallback('answered', null)).toBe('answered');
    expect(withCallback('voicemail', at)).toBe('voicemail');
  });
});
