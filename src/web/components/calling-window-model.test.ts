import { describe, expect, it } from 'vitest';
import { DEFAULT_CALLING_WINDOW } from '../../core/calling-window.ts';
import {
  draftFromPolicy,
  draftWarnings,
  policyFromDraft,
  rangeMinutes,
} from './calling-window-model.ts';

describe('calling-window editor model', () => {
  it('gives back the policy it was made from, extra ranges included', () => {
    const policy = {
      weekly: {
        ...DEFAULT_CALLING_WINDOW.weekly,
        monday: [
          { start: '09:00', end: '12:00' },
          { start: '13:00', end: '17:00' },
        ],
      },
      closedDates: ['2026-12-25'],
    };
    const draft = draftFromPolicy(policy, DEFAULT_CALLING_WINDOW);
    expect(draft.inherit).toBe(false);
    expect(policyFromDraft(draft)).toEqual(policy);
  });

  it('inherits when there is no policy of its own, showing the fallback', () => {
    const draft = draftFromPolicy(null, DEFAULT_CALLING_WINDOW);
    expect(draft.inherit).toBe(true);
    expect(policyFromDraft(draft)).toEqual(DEFAULT_CALLING_WINDOW);
  });

  it('keeps the hours of a day switched off, and closes it in the policy', () => {
    const draft = draftFromPolicy(DEFAULT_CALLING_WINDOW, DEFAULT_CALLING_WINDOW);
    draft.days.tuesday = { ...draft.days.tuesday, enabled: false, start: '10:30' };
    expect(policyFromDraft(draft).weekly.tuesday).toEqual([]);
    draft.days.tuesday.enabled = true;
    expect(policyFromDraft(draft).weekly.tuesday).toEqual([{ start: '10:30', end: '18:00' }]);
  });

  it('warns when no day is open and when a window is shorter than an hour', () => {
    const draft = draftFromPolicy(DEFAULT_CALLING_WINDOW, DEFAULT_CALLING_WINDOW);
    expect(draftWarnings(draft)).toEqual([]);
    draft.days.friday = { ...draft.days.friday, start: '17:30', end: '18:00' };
    expect(draftWarnings(draft)).toEqual(['Shorter than an hour on Friday: few calls will fit.']);
    for (const day of Object.values(draft.days)) day.enabled = false;
    expect(draftWarnings(draft)).toEqual([
      'No day is open: no call or SMS will go out until you open one.',
    ]);
    expect(draftWarnings({ ...draft, inherit: true })).toEqual([]);
  });

  it('measures ranges across midnight', () => {
    expect(rangeMinutes('09:00', '18:00')).toBe(540);
    expect(rangeMinutes('22:00', '02:00')).toBe(240);
    expect(rangeMinutes('00:00', '24:00')).toBe(1440);
    expect(rangeMinutes('9', '18:00')).toBeNull();
  });
});
