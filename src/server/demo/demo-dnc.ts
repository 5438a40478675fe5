/**
 * The demo's Do Not Call stories: five contacts on the list, how they got there, and the
 * follow-ups the listing blocked. No calls reach them afterwards (Person.dncAt).
 */
import { applySteps, failures, forward } from './demo-attempts.ts';
import { begin, commit, draft, finish, setTimes } from './demo-drafts.ts';
import {
  DAY,
  type DemoState,
  EXPIRY_HOURS,
  HOUR,
  iso,
  MIN,
  type Outcome,
  SYSTEM,
} from './demo-model.ts';
import { businessTime } from './demo-time.ts';
import { seededId } from './random.ts';

/**
 * Five listed contacts: four asked during a call (the follow-up that called them fails with
 * `do_not_call`), one by email (an admin listed them). Their open call/SMS follow-ups failed
 * with `blocked_dnc` at that moment.
 */
export function planDncStories(demo: DemoState): void {
  const r = demo.rng;
  const candidates = demo.people.filter((p) => p.continent !== 'asia');
  const chosen = r.shuffle(candidates).slice(0, 5);
  chosen.forEach((person, i) => {
    let listedAt: number | null = null;
    const byCall = i < 4;
    if (byCall) {
      for (let tries = 0; tries < 40 && listedAt === null; tries++) {
        const d = draft(demo, {
          open: false,
          type: 'call',
          person,
          sources: { manual: 1, campaign: 1 },
        });
        if (!setTimes(demo, d, { kind: 'past', minDays: 3, maxDays: 25 })) continue;
        begin(demo, d);
        const k = Math.min(d.maxAttempts, r.int(1, 2));
        const results = [...failures(demo, 'call', k - 1), { result: 'do_not_call', http: null }];
        const steps = forward(demo, d, results as Outcome[], d.scheduledAt, demo.now - DAY);
        if (!steps) continue;
        applySteps(demo, d, steps);
        const at = steps[steps.length - 1]!.endedAt!;
        finish(demo, d, 'failed', 'failed', at, SYSTEM, { reason: 'do_not_call' });
        commit(demo, d);
        listedAt = at;
      }
    }
    listedAt ??= businessTime(demo, person.zone, -20, -2, demo.now - 25 * DAY, demo.now - DAY)!;
    person.dncAt = listedAt;
    demo.rows.dncEntries.push({
      id: seededId(listedAt, r),
      workspaceId: demo.wsId,
      phone: person.phone,
      reason: byCall
        ? `Asked not to be called again during a call on ${iso(listedAt).slice(0, 10)}.`
        : 'Emailed support asking to be removed from all call lists.',
      createdByUserId: byCall ? null : demo.users.admin.id,
      createdAt: new Date(listedAt),
    });
    const blocked = byCall ? r.int(0, 2) : r.int(1, 2);
    for (let j = 0; j < blocked; j++) {
      const d = draft(demo, {
        open: false,
        type: r.pick(['call', 'sms'] as const),
        person,
        sources: { manual: 2, api: 1, automation: 1 },
      });
      d.scheduledAt = listedAt + r.int(2, 72) * HOUR;
      d.createdAt = listedAt - r.int(60, 6 * 24 * 60) * MIN;
      d.expiresAt = d.scheduledAt + EXPIRY_HOURS * HOUR;
      begin(demo, d);
      const actor = byCall ? SYSTEM : demo.users.admin;
      finish(demo, d, 'blocked_dnc', 'failed', listedAt, actor, { reason: 'do_not_call' });
      d.lastError = 'The contact is on the Do Not Call list.';
      commit(demo, d);
    }
  });
}
