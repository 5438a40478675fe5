/**
 * The outcome-rules editor's state: each rule as typed (numbers stay text until saved), the
 * rules the API takes, and what is plainly wrong before asking the server.
 */
import type { FollowUpType, Priority } from '../../core/follow-up.ts';
import type { OutcomeRule } from '../../core/outcome-rules.ts';
import type { CallOutcome } from '../../core/results.ts';
import type { FieldProblem } from '../lib/api.ts';

export interface RuleDraft {
  key: string;
  outcome: CallOutcome;
  type: FollowUpType;
  delay: string;
  atRequestedTime: boolean;
  maxAttempts: string;
  priority: Priority;
}

let serial = 0;
export const nextKey = () => `rule-${++serial}`;

export function draftsFromRules(rules: readonly OutcomeRule[]): RuleDraft[] {
  return rules.map((rule) => ({
    key: nextKey(),
    outcome: rule.outcome,
    type: rule.type,
    delay: rule.delayMinutes === null ? '' : String(rule.delayMinutes),
    atRequestedTime: rule.delayMinutes === null,
    maxAttempts: String(rule.maxAttempts),
    priority: rule.priority,
  }));
}

/** A number when it reads as one; otherwise what was typed, so the server can say what is wrong. */
const numberOr = (text: string): number | string =>
  text.trim() !== '' && Number.isFinite(Number(text)) ? Number(text) : text;

/** The rules as the API takes them. */
export function rulesFromDrafts(drafts: readonly RuleDraft[]) {
  return drafts.map((d) => ({
    outcome: d.outcome,
    type: d.type,
    delayMinutes:
      d.atRequestedTime && d.outcome === 'callback_requested' ? null : numberOr(d.delay),
    maxAttempts: numberOr(d.maxAttempts),
    priority: d.priority,
  })) as OutcomeRule[];
}

const WHOLE = /^\s*\d+\s*$/;

/**
 * What is plainly wrong before asking the server (which checks the rest): a delay or a number
 * of attempts that is not a whole number. Paths as the server's, inside the list.
 */
export function checkRuleDrafts(drafts: readonly RuleDraft[]): FieldProblem[] {
  const problems: FieldProblem[] = [];
  drafts.forEach((d, i) => {
    const atRequested = d.atRequestedTime && d.outcome === 'callback_requested';
    if (!atRequested && !WHOLE.test(d.delay)) {
      problems.push({ path: `${i}.delayMinutes`, message: 'Give the delay as whole minutes.' });
    }
    if (!WHOLE.test(d.maxAttempts)) {
      problems.push({ path: `${i}.maxAttempts`, message: 'Give a whole number from 1 to 10.' });
    }
  });
  return problems;
}
