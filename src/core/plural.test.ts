import { describe, expect, it } from 'vitest';
import { countOf, nounFor } from './plural.ts';

describe('countOf', () => {
  it('says one noun for one and the plural for every other count', () => {
    expect(countOf(1, 'call')).toBe('1 call');
    expect(countOf(0, 'call')).toBe('0 calls');
    expect(countOf(3, 'attempt')).toBe('3 attempts');
    expect(countOf(1, 'minute')).toBe('1 minute');
    expect(countOf(15, 'minute')).toBe('15 minutes');
    expect(countOf(2, 'SMS', 'SMS')).toBe('2 SMS');
    expect(nounFor(1, 'day')).toBe('day');
    expect(nounFor(7, 'day')).toBe('days');
  });
});
