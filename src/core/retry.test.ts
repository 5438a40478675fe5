import { describe, expect, it } from 'vitest';
import { backoffMinutes, DEFAULT_RETRY_SCHEDULE_MINUTES, validateRetrySchedule } from './retry.ts';

describe('backoffMinutes', () => {
  it('follows the default schedule and repeats its last value', () => {
    const s = DEFAULT_RETRY_SCHEDULE_MINUTES;
    expect([1, 2, 3, 4, 9].map((n) => backoffMinutes(s, n))).toEqual([15, 60, 240, 240, 240]);
  });

  it('uses a custom schedule', () => {
    expect(backoffMinutes([5], 1)).toBe(5);
    expect(backoffMinutes([5], 7)).toBe(5);
    expect(backoffMinutes([1, 2], 2)).toBe(2);
  });

  it('refuses an empty schedule', () => {
    expect(() => backoffMinutes([], 1)).toThrow(/empty/);
  });
});

describe('validateRetrySchedule', () => {
  it('accepts the default and explains bad entries', () => {
    expect(validateRetrySchedule(DEFAULT_RETRY_SCHEDULE_MINUTES)).toEqual([]);
    expect(validateRetrySchedule([])).toEqual(['Give at least one delay.']);
    expect(validateRetrySchedule([15, 0, 1.5])).toHaveLength(2);
  });
});
