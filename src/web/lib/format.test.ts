import { describe, expect, it } from 'vitest';
import {
  defaultScheduledAt,
  formatDuration,
  formatPhone,
  fromLocalInputValue,
  toLocalInputValue,
} from './format.ts';

describe('datetime-local values', () => {
  it('round-trip a wall time in the viewer zone', () => {
    const date = new Date(2026, 2, 14, 9, 35);
    expect(toLocalInputValue(date)).toBe('2026-03-14T09:35');
    expect(fromLocalInputValue('2026-03-14T09:35')).toBe(date.toISOString());
  });

  it('refuse what is not a date and time', () => {
    expect(fromLocalInputValue('')).toBeNull();
    expect(fromLocalInputValue('2026-03-14')).toBeNull();
    expect(fromLocalInputValue('2026-13-45T99:99')).toBeNull();
  });
});

describe('defaultScheduledAt', () => {
  it('is about one hour ahead, on a 5-minute mark', () => {
    const now = new Date('2026-05-01T10:02:31Z');
    expect(defaultScheduledAt(now).toISOString()).toBe('2026-05-01T11:05:00.000Z');
    const onTheMark = new Date('2026-05-01T10:05:00Z');
    expect(defaultScheduledAt(onTheMark).toISOString()).toBe('2026-05-01T11:05:00.000Z');
  });
});

describe('formatPhone', () => {
  it('groups North American numbers and leaves others as they are', () => {
    expect(formatPhone('+17135486896')).toBe('+1 (713) 548-6896');
    expect(formatPhone('+442079460958')).toBe('+442079460958');
  });
});

describe('formatDuration', () => {
  it('names hours, minutes and seconds', () => {
    const text = formatDuration(3_747);
    expect(text).toMatch(/1\s?hr/);
    expect(text).toMatch(/2\s?min/);
    expect(text).toMatch(/27\s?sec/);
    expect(formatDuration(0)).toMatch(/0\s?sec/);
    expect(formatDuration(null)).toBe('—');
  });
});
