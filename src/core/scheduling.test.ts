import { describe, expect, it } from 'vitest';
import type { AppliedRule } from './calling-rules.ts';
import { liftedByOverride, rulesWithOverride } from './scheduling.ts';

const rules: AppliedRule[] = [
  { code: 'federal', message: 'Federal: 08:00–21:00', source: '47 CFR 64.1200(c)(1)' },
  { code: 'state_hours', message: 'Florida: 08:00–20:00 every day', source: 'Fla. Stat.' },
  { code: 'public_holidays', message: 'Closed on public holidays', source: null },
  { code: 'frequency_cap', message: 'Frequency cap: 3 calls in 24 h', source: 'Fla. Stat.' },
];

describe('liftedByOverride', () => {
  it('lifts every hour rule and never a frequency cap', () => {
    expect(liftedByOverride(rules, 'call', true).map((r) => r.code)).toEqual([
      'federal',
      'state_hours',
      'public_holidays',
    ]);
  });
  it('lifts nothing without the override, or for a webhook', () => {
    expect(liftedByOverride(rules, 'call', false)).toEqual([]);
    expect(liftedByOverride(rules, 'webhook', true)).toEqual([]);
  });
  it('agrees with what the preview says the override lifted', () => {
    const shown = rulesWithOverride(rules, 'sms', true);
    const override = shown.find((r) => r.code === 'override')!;
    for (const rule of liftedByOverride(rules, 'sms', true)) {
      expect(override.message).toContain(rule.message.split(':')[0]!);
    }
    expect(shown.filter((r) => r.code === 'frequency_cap')).toHaveLength(1);
  });
});
