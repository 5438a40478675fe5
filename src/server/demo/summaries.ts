/**
 * What people wrote: operators' notes on follow-ups, and call summaries as an AI voice agent
 * writes them after a call, with placeholders filled per call. Pure data plus one filler.
 */
import type { CallOutcome } from '../../core/results.ts';
import type { Rng } from './random.ts';

export const NOTES: readonly string[] = [
  'Prefers mornings; ask for the operations lead.',
  'Renewal due end of month. Mention the annual discount.',
  'Spoke to the assistant last time; decision maker is back Monday.',
  'Wants the updated quote before the call.',
  'Customer asked to be reached after work hours.',
  'Send the onboarding checklist if no answer.',
  'Follow up on the unpaid invoice politely.',
  'Interested in the enterprise tier; loop in sales if they agree.',
  'Check whether the integration issue is resolved.',
  'Confirm the appointment and the address.',
];

const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'] as const;
const TOPICS = [
  'pricing',
  'the renewal',
  'the onboarding session',
  'the invoice',
  'the contract terms',
  'the integration',
  'the delivery date',
  'the upgrade',
  'the demo',
] as const;

/** Summaries per outcome; {n} is a number, {day} a weekday, {topic} a subject. */
export const SUMMARIES: Record<CallOutcome, readonly string[]> = {
  answered: [
    'Asked about pricing for {n} seats; sending a quote by email.',
    'Confirmed the renewal for another year; no changes to the plan.',
    'Walked through {topic}; customer satisfied, no further action.',
    'Booked the onboarding session for {day} morning.',
    'Customer confirmed the appointment and updated their billing address.',
    'Discussed {topic}; wants a written summary before deciding.',
    'Resolved the question about {topic}; customer will upgrade to {n} seats.',
    'Payment promised by {day}; reminder agreed.',
    'Customer reported the integration works now; closed the open ticket.',
    'Gave a short product update; customer asked for the new brochure.',
  ],
  no_answer: [
    'No answer after {n} rings.',
    'Rang out; no voicemail box configured.',
    'No answer; line rang until timeout.',
  ],
  busy: ['Line busy.', 'Busy signal on both tries.', 'Line engaged; will retry.'],
  voicemail: [
    'Reached voicemail; left a short message about {topic}.',
    'Voicemail greeting; left callback number and reference.',
    'Went to voicemail; no message left per policy.',
  ],
  failed: [
    'Call dropped before connecting (carrier error).',
    'Network error while connecting; no audio.',
    'Carrier rejected the call setup.',
  ],
  callback_requested: [
    'Asked about pricing for {n} seats; wants a callback {day}.',
    'Busy in a meeting; asked us to call back {day} afternoon.',
    'Interested in {topic}; requested a callback with the account manager.',
    'Driving; asked for a callback later today.',
    'Needs to check with their finance team; callback {day}.',
  ],
  not_interested: [
    'Not interested at this time; already using another provider.',
    'Declined the offer politely; budget frozen until next year.',
    'Not the right contact and not interested; no referral given.',
    'Said the product does not fit their needs.',
  ],
  do_not_call: [
    'Customer asked not to be called again; added to the Do Not Call list.',
    'Requested removal from all call lists.',
    'Asked to stop calling; complaint noted.',
  ],
};

export const INBOUND_SUMMARIES: readonly string[] = [
  'Inbound: customer returned our call about {topic}.',
  'Inbound: asked about their invoice; resolved on the call.',
  'Inbound: customer called back after the voicemail; discussed {topic}.',
  'Inbound: wanted to change the appointment to {day}.',
];

/** A template with its placeholders filled. */
export function fillTemplate(template: string, rng: Rng): string {
  return template
    .replaceAll('{n}', () => String(rng.pick([5, 10, 12, 15, 20, 25, 40, 50, 100])))
    .replaceAll('{day}', () => rng.pick(DAYS))
    .replaceAll('{topic}', () => rng.pick(TOPICS));
}
