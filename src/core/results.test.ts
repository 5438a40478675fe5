import { describe, expect, it } from 'vitest';
import { classifyResult } from './results.ts';

describe('classifyResult (SPEC §5)', () => {
  it('treats answered calls and callbacks as success', () => {
    expect(classifyResult('answered')).toBe('success');
    expect(classifyResult('callback_requested')).toBe('success');
  });
  it('retries no answer, busy, voicemail, timeouts and provider trouble', () => {
    for (const r of ['no_answer', 'busy', 'voicemail', 'timeout', 'network_error'] as const) {
      expect(classifyResult(r)).toBe('retryable');
    }
  });
  it('does not retry invalid numbers, do not call and opt-outs', () => {
    for (const r of ['invalid_number', 'do_not_call', 'opted_out'] as const) {
      expect(classifyResult(r)).toBe('final');
    }
  });
  it('retries webhook 408, 429 and 5xx but not other 4xx', () => {
    expect(classifyResult('http_error', 408)).toBe('retryable');
    expect(classifyResult('http_error', 429)).toBe('retryable');
    expect(classifyResult('http_error', 503)).toBe('retryable');
    expect(classifyResult('http_error', 404)).toBe('final');
    expect(classifyResult('http_error', 400)).toBe('final');
  });
});
