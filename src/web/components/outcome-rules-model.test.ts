import { describe, expect, it } from 'vitest';
import { DEFAULT_OUTCOME_RULES } from '../../core/outcome-rules.ts';
import { checkRuleDrafts, draftsFromRules, rulesFromDrafts } from './outcome-rules-model.ts';

describe('outcome-rules editor model', () => {
  it('gives back the rules it was made from', () => {
    expect(rulesFromDrafts(draftsFromRules(DEFAULT_OUTCOME_RULES))).toEqual(DEFAULT_OUTCOME_RULES);
  });

  it('waits for the requested time only on a callback rule', () => {
    const [callback] = draftsFromRules(DEFAULT_OUTCOME_RULES);
    expect(callback).toMatchObject({ atRequestedTime: true, delay: '' });
    const busy = { ...callback!, outcome: 'busy' as const, delay: '15' };
    expect(rulesFromDrafts([busy])[0]?.delayMinutes).toBe(15);
  });

  it('flags what is not a whole number, by the field, and sends what was typed', () => {
    const [, sms] = draftsFromRules(DEFAULT_OUTCOME_RULES);
    const typed = { ...sms!, delay: 'abc', maxAttempts: '2.5' };
    expect(checkRuleDrafts([typed])).toEqual([
      { path: '0.delayMinutes', message: 'Give the delay as whole minutes.' },
      { path: '0.maxAttempts', message: 'Give a whole number from 1 to 10.' },
    ]);
    expect(checkRuleDrafts(draftsFromRules(DEFAULT_OUTCOME_RULES))).toEqual([]);
    expect(rulesFromDrafts([typed])[0]).toMatchObject({ delayMinutes: 'abc', maxAttempts: 2.5 });
  });
});
