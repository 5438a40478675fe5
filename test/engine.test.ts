/**
 * The engine's rules with a fake clock (SPEC §2–§4): calling windows in several zones, the
 * override, Do Not Call, expiry, snooze, priority order, agent capacity, backoff, max attempts,
 * routing ("Inherit from source"), lease timeout. Rounds are run by hand; nothing sleeps.
 */
import { and, asc, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FollowUpType } from '../src/core/follow-up.ts';
import type { AttemptResult } from '../src/core/results.ts';
import { FakeClock } from '../src/server/clock.ts';
import * as s from '../src/server/db/schema.ts';
import type {
  AttemptJob,
  Channel,
  ChannelOutcome,
  Channels,
} from '../src/server/engine/channels/channel.ts';
import { createEngine, type Engine } from '../src/server/engine/engine.ts';
import { newId } from '../src/server/ids.ts';
import { createLogger } from '../src/server/logger.ts';
import { testDatabases, useOwnDatabase } from './helpers/databases.ts';
import { deleteWorkspaces, insertFollowUp } from './helpers/fixtures.ts';
import { createTestWorkspace, type TestWorkspace } from './helpers/workspace.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const logger = createLogger('silent');

/** A channel that answers what the test says, and remembers what it was asked. */
function scripted(
  type: FollowUpType,
  answer: (job: AttemptJob) => ChannelOutcome = () => ({
    status: 'done',
    result: type === 'call' ? 'answered' : type === 'sms' ? 'delivered' : 'success',
  }),
) {
  const calls: { followUpId: string; agentId: string | null; key: string }[] = [];
  const channel: Channel = {
    type,
    provider: 'test',
    async start(job) {
      calls.push({ followUpId: job.followUpId, agentId: job.agentId, key: job.idempotencyKey });
      return answer(job);
    },
  };
  return { channel, calls };
}

for (const target of testDatabases()) {
  describe(`engine rules [${target.name}]`, () => {
    const ctx = useOwnDatabase(target);
    let ws: TestWorkspace;

    beforeAll(async () => {
      // The engine claims across workspaces: on a shared PostgreSQL, clear earlier runs' rows.
      await deleteWorkspaces(ctx.handle.db, ['Engine Co', 'Capacity Co', 'Lease Co']);
      ws = await createTestWorkspace(ctx.handle.db, 'Engine Co');
    });

    function engineWith(clock: FakeClock, channels: Partial<Channels> = {}): Engine {
      return createEngine({
        handle: ctx.handle,
        clock,
        logger,
        workerId: 'test-worker',
        channels: {
          call: channels.call ?? scripted('call').channel,
          sms: channels.sms ?? scripted('sms').channel,
          webhook: channels.webhook ?? scripted('webhook').channel,
        },
      });
    }

    async function followUp(id: string) {
      const [row] = await ctx.handle.db.select().from(s.followUps).where(eq(s.followUps.id, id));
      return row!;
    }
    async function events(id: string) {
      const rows = await ctx.handle.db
        .select()
        .from(s.followUpEvents)
        .where(eq(s.followUpEvents.followUpId, id))
        .orderBy(asc(s.followUpEvents.at), asc(s.followUpEvents.id));
      return rows.map((e) => e.kind);
    }
    async function round(engine: Engine) {
      await engine.runOnce();
      await engine.idle();
    }

    it('runs a due call inside the window to completion with its timeline', async () => {
      // Monday 2 March 2026, 10:00 in New York.
      const clock = new FakeClock('2026-03-02T15:00:00Z');
      const id = await insertFollowUp(ctx.handle.db, ws, { scheduledAt: clock.now() }, clock.now());
      await round(engineWith(clock));
      const row = await followUp(id);
      expect(row.status).toBe('completed');
      expect(row.attempts).toBe(1);
      expect(row.resolvedAgentId).toBe(ws.agents.default);
      expect(await events(id)).toEqual([
        'queued',
        'attempt_started',
        'attempt_succeeded',
        'completed',
      ]);
      const attempts = await ctx.handle.db
        .select()
        .from(s.followUpAttempts)
        .where(eq(s.followUpAttempts.followUpId, id));
      expect(attempts).toHaveLength(1);
      expect(attempts[0]).toMatchObject({
        number: 1,
        result: 'answered',
        idempotencyKey: `${id}:1`,
      });
    });

    it('defers a call outside the window to the next opening in the contact zone', async () => {
      // Saturday 7 March 2026, 12:00 in New York → Monday 9 March 09:00 EDT (DST began 8 March).
      const clock = new FakeClock('2026-03-07T17:00:00Z');
      const ny = await insertFollowUp(ctx.handle.db, ws, { scheduledAt: clock.now() }, clock.now());
      // The same moment is Saturday 17:00 in London → Monday 9 March 09:00 GMT.
      const london = await insertFollowUp(
        ctx.handle.db,
        ws,
        { scheduledAt: clock.now(), contactId: ws.contacts.london },
        clock.now(),
      );
      const calls = scripted('call');
      await round(engineWith(clock, { call: calls.channel }));
      expect(calls.calls).toEqual([]);
      const nyRow = await followUp(ny);
      expect(nyRow.status).toBe('scheduled');
      expect(nyRow.nextAttemptAt?.toISOString()).toBe('2026-03-09T13:00:00.000Z');
      expect((await followUp(london)).nextAttemptAt?.toISOString()).toBe(
        '2026-03-09T09:00:00.000Z',
      );
      const [deferred] = await ctx.handle.db
        .select()
        .from(s.followUpEvents)
        .where(and(eq(s.followUpEvents.followUpId, ny), eq(s.followUpEvents.kind, 'deferred')));
      expect(deferred?.data).toMatchObject({
        reason: 'outside_calling_window',
        until: '2026-03-09T13:00:00.000Z',
        timezone: 'America/New_York',
      });
      // Monday 09:00 in London: only the London follow-up runs.
      clock.set('2026-03-09T09:00:00Z');
      await round(engineWith(clock, { call: calls.channel }));
      expect(calls.calls.map((c) => c.followUpId)).toEqual([london]);
      expect((await followUp(ny)).status).toBe('scheduled');
    });

    it('runs an out-of-window override and a webhook at once, but never a Do Not Call contact', async () => {
      const clock = new FakeClock('2026-03-07T17:00:00Z'); // Saturday
      const db = ctx.handle.db;
      const override = await insertFollowUp(
        db,
        ws,
        { scheduledAt: clock.now(), allowOutOfWindow: true },
        clock.now(),
      );
      const hook = await insertFollowUp(
        db,
        ws,
        { scheduledAt: clock.now(), type: 'webhook' },
        clock.now(),
      );
      const dnc = await insertFollowUp(
        db,
        ws,
        { scheduledAt: clock.now(), contactId: ws.contacts.dnc, allowOutOfWindow: true },
        clock.now(),
      );
      await round(engineWith(clock));
      expect((await followUp(override)).status).toBe('completed');
      expect((await followUp(hook)).status).toBe('completed');
      const blocked = await followUp(dnc);
      expect(blocked.status).toBe('failed');
      expect(blocked.lastError).toMatch(/Do Not Call/);
      expect(await events(dnc)).toEqual(['blocked_dnc']);
    });

    it('expires what cannot run before its expiry, and resumes ended snoozes', async () => {
      const clock = new FakeClock('2026-03-07T17:00:00Z'); // Saturday: next window Monday
      const db = ctx.handle.db;
      const tooLate = await insertFollowUp(
        db,
        ws,
        { scheduledAt: clock.now(), expiresAt: new Date(clock.now().getTime() + 10 * HOUR) },
        clock.now(),
      );
      const snoozed = await insertFollowUp(
        db,
        ws,
        {
          status: 'snoozed',
          snoozedUntil: new Date(clock.now().getTime() + HOUR),
          type: 'webhook',
        },
        clock.now(),
      );
      const engine = engineWith(clock);
      await round(engine);
      expect((await followUp(tooLate)).status).toBe('expired');
      expect((await followUp(snoozed)).status).toBe('snoozed');
      clock.advance(HOUR);
      await round(engine);
      expect((await followUp(snoozed)).status).toBe('completed');
      expect(await events(snoozed)).toEqual([
        'resumed',
        'queued',
        'attempt_started',
        'attempt_succeeded',
        'completed',
      ]);
    });

    it('dispatches urgent → high → normal → low within an agent capacity', async () => {
      const clock = new FakeClock('2026-03-02T15:00:00Z');
      const db = ctx.handle.db;
      const capWs = await createTestWorkspace(db, 'Capacity Co'); // default agent: capacity 2
      const ids: Record<string, string> = {};
      for (const [i, priority] of (
        ['low', 'normal', 'urgent', 'high', 'normal'] as const
      ).entries()) {
        ids[`${priority}${i}`] = await insertFollowUp(
          db,
          capWs,
          { scheduledAt: new Date(clock.now().getTime() - (10 - i) * MIN), priority },
          clock.now(),
        );
      }
      const calls = scripted('call', () => ({ status: 'pending' }));
      await round(engineWith(clock, { call: calls.channel }));
      expect(calls.calls.map((c) => c.followUpId)).toEqual([ids.urgent2, ids.high3]);
      await round(engineWith(clock, { call: calls.channel }));
      expect(calls.calls).toHaveLength(2);
      const statuses = await Promise.all(
        Object.values(ids).map(async (id) => (await followUp(id)).status),
      );
      expect(statuses.filter((st) => st === 'in_progress')).toHaveLength(2);
      expect(statuses.filter((st) => st === 'queued')).toHaveLength(3);
    });

    it('retries after the backoff and fails after the last attempt', async () => {
      const clock = new FakeClock('2026-03-02T15:00:00Z');
      const db = ctx.handle.db;
      const id = await insertFollowUp(
        db,
        ws,
        { scheduledAt: clock.now(), maxAttempts: 3 },
        clock.now(),
      );
      const results: AttemptResult[] = ['no_answer', 'busy', 'voicemail'];
      // Other tests' follow-ups may come due too: they simply succeed.
      const calls = scripted('call', (job) =>
        job.followUpId === id
          ? { status: 'done', result: results.shift()! }
          : { status: 'done', result: 'answered' },
      );
      const engine = engineWith(clock, { call: calls.channel });
      await round(engine);
      let row = await followUp(id);
      expect(row).toMatchObject({ status: 'scheduled', attempts: 1 });
      expect(row.nextAttemptAt?.toISOString()).toBe('2026-03-02T15:15:00.000Z');
      clock.advance(14 * MIN);
      await round(engine);
      expect(calls.calls.filter((c) => c.followUpId === id)).toHaveLength(1);
      clock.advance(MIN);
      await round(engine);
      row = await followUp(id);
      expect(row).toMatchObject({ status: 'scheduled', attempts: 2 });
      expect(row.nextAttemptAt?.toISOString()).toBe('2026-03-02T16:15:00.000Z');
      clock.set('2026-03-02T16:15:00Z');
      await round(engine);
      row = await followUp(id);
      expect(row).toMatchObject({ status: 'failed', attempts: 3, lastError: 'Reached voicemail.' });
      expect(calls.calls.filter((c) => c.followUpId === id).map((c) => c.key)).toEqual([
        `${id}:1`,
        `${id}:2`,
        `${id}:3`,
      ]);
    });

    it('routes "Inherit from source": campaign agent, then the source call agent, then the default', async () => {
      const clock = new FakeClock('2026-03-02T15:00:00Z');
      const db = ctx.handle.db;
      const viaCampaign = await insertFollowUp(
        db,
        ws,
        { scheduledAt: clock.now(), campaignId: ws.campaign },
        clock.now(),
      );
      const callId = newId();
      await db.insert(s.callLogs).values({
        id: callId,
        workspaceId: ws.id,
        contactId: ws.contacts.ny,
        agentId: ws.agents.active,
        direction: 'outbound',
        outcome: 'callback_requested',
        startedAt: new Date(clock.now().getTime() - HOUR),
      });
      const viaCall = await insertFollowUp(
        db,
        ws,
        { scheduledAt: clock.now(), source: 'call_outcome', sourceCallLogId: callId },
        clock.now(),
      );
      const viaDefault = await insertFollowUp(db, ws, { scheduledAt: clock.now() }, clock.now());
      const calls = scripted('call');
      await round(engineWith(clock, { call: calls.channel }));
      const agentOf = (fid: string) => calls.calls.find((c) => c.followUpId === fid)?.agentId;
      expect(agentOf(viaCampaign)).toBe(ws.agents.active);
      expect(agentOf(viaCall)).toBe(ws.agents.active);
      expect(agentOf(viaDefault)).toBe(ws.agents.default);
      expect((await followUp(viaCampaign)).resolvedAgentId).toBe(ws.agents.active);
    });

    it('ends an attempt whose lease ran out as a timeout, and retries it', async () => {
      const clock = new FakeClock('2026-03-02T15:00:00Z');
      const db = ctx.handle.db;
      const leaseWs = await createTestWorkspace(db, 'Lease Co');
      const id = await insertFollowUp(db, leaseWs, { scheduledAt: clock.now() }, clock.now());
      const silent = scripted('call', () => ({ status: 'pending' }));
      const engine = engineWith(clock, { call: silent.channel });
      await round(engine);
      expect((await followUp(id)).status).toBe('in_progress');
      clock.advance(14 * MIN);
      await round(engine);
      expect((await followUp(id)).status).toBe('in_progress');
      clock.advance(MIN + 1000);
      await round(engine);
      const row = await followUp(id);
      expect(row.status).toBe('scheduled');
      expect(row.lastError).toMatch(/lease/);
      const [attempt] = await db
        .select()
        .from(s.followUpAttempts)
        .where(eq(s.followUpAttempts.followUpId, id));
      expect(attempt?.result).toBe('timeout');
    });
  });
}
