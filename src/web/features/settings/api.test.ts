import { describe, expect, it } from 'vitest';
import { formatDelay, formatRetrySchedule } from './api.ts';

describe('retry schedule wording', () => {
  it('says delays the way people do', () => {
    expect(formatRetrySchedule([15, 60, 240])).toBe('15 min, 1 h, 4 h');
    expect(formatDelay(90)).toBe('1 h 30 min');
    expect(formatDelay(1440)).toBe('1 d');
    expect(formatDelay(1440 + 240)).toBe('1 d 4 h');
    expect(formatDelay(1)).toBe('1 min');
  });
});
