/**
 * A graceful stop (SIGTERM on `followthrough worker` and `serve`): the engine starts nothing
 * new, waits a grace period for running attempts and records their answers, then ends what is
 * still open as `timeout` so that it is retried at once instead of after its lease.
 */
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../src/server/clock.ts';
import * as s from '../src/server/db/schema.ts';
import type { AttemptJob, Channel, ChannelOutcome } from '../src/server/engine/channels/channel.ts';
import { instantChannel } from '../src/server/engine/channels/instant.ts';
import { createEngine, type Engine } from '../src/server/engine/engine.ts';
import { createLogger } from '../src/server/logger.ts';
import { testDatabases, useOwnDatabase } from './helpers/databases.ts';
import { insertFollowUp } from './helpers/fixtures.ts';
import { createTestWorkspace, type TestWorkspace } from './helpers/workspace.ts';

const MIN = 60_000;
const STOPPED = 'The worker stopped before the attempt reported back.';
const logger = createLogger('silent');

/** A call channel that answers `answer(job)` (a promise that may never settle). */
function callChannel(answer: (job: AttemptJob) => Promise<ChannelOutcome>) {
  const started: string[] = [];
  const channel: Channel = {
    type: 'call',
    provider: 'test',
    start(job) {
      started.push(job.followUpId);
      return answer(job);
    },
  };
  return { channel, started };
}

const never = () => new Promise<ChannelOutcome>(() => {});
const answeredAfter = (ms: number) => () =>
  new Promise<ChannelOutcome>((resolve) =>
    setTimeout(() => resolve({ status: 'done', result: 'answered' }), ms),
  );

for (const target of testDatabases()) {
  describe(`engine graceful stop [${target.name}]`, () => {
    const ctx = useOwnDatabase(target);
    let ws: TestWorkspace;
    // A Monday, 10:00 in New York: calls may run.
    const START = '2025-01-06T15:00:00Z';

    beforeAll(async () => {
      ws = await createTestWorkspace(ctx.handle.db, 'Shutdown Co');
    });

    function engine(clock: FakeClock, call: Channel, o: Partial<{ grace: number }> = {}): Engine {
      return createEngine({
        handle: ctx.handle,
        clock,
        logger,
        workerId: `shutdown-test-${Math.random().toString(36).slice(2)}`,
        stopGraceMs: o.grace ?? 100,
        channels: { call, sms: instantChannel('sms'), webhook: instantChannel('webhook') },
      });
    }

    async function followUp(id: string) {
      const [row] = await ctx.handle.db.select().from(s.followUps).where(eq(s.followUps.id, id));
      return row!;
    }
    async function attempts(id: string) {
      return ctx.handle.db
        .select()
        .from(s.followUpAttempts)
        .where(eq(s.followUpAttempts.followUpId, id));
    }
    async function eventKinds(id: string) {
      const rows = await ctx.handle.db
        .select({ kind: s.followUpEvents.kind })
        .from(s.followUpEvents)
        .where(eq(s.followUpEvents.followUpId, id))
        .orderBy(s.followUpEvents.at, s.followUpEvents.id);
      return rows.map((r) => r.kind);
    }
    const due = (clock: FakeClock, o: Partial<typeof s.followUps.$inferInsert> = {}) =>
      insertFollowUp(ctx.handle.db, ws, { scheduledAt: clock.now(), ...o }, clock.now());

    it('ends an attempt that does not answer within the grace as timeout, and retries it', async () => {
      const clock = new FakeClock(START);
      const id = await due(clock);
      const silent = callChannel(never);
      const e = engine(clock, silent.channel, { grace: 100 });
      await e.runOnce();
      expect(silent.started).toContain(id);
      expect((await followUp(id)).status).toBe('in_progress');

      await e.stop();
      const [attempt] = await attempts(id);
      expect(attempt).toMatchObject({ result: 'timeout', error: STOPPED, leaseExpiresAt: null });
      expect(attempt!.endedAt).not.toBeNull();
      const row = await followUp(id);
      expect(row).toMatchObject({ status: 'scheduled', attempts: 1, lastError: STOPPED });
      // The workspace's first backoff: 15 minutes.
      expect(row.nextAttemptAt?.getTime()).toBe(clock.now().getTime() + 15 * MIN);
      expect(await eventKinds(id)).toEqual([
        'queued',
        'attempt_started',
        'attempt_failed',
        'retry_scheduled',
      ]);
    });

    it('records an attempt that answers within the grace, without waiting out the grace', async () => {
      const clock = new FakeClock(START);
      const id = await due(clock);
      const slow = callChannel(answeredAfter(150));
      const e = engine(clock, slow.channel, { grace: 20_000 });
      await e.runOnce();
      expect((await followUp(id)).status).toBe('in_progress');

      const t0 = performance.now();
      await e.stop();
      expect(performance.now() - t0).toBeLessThan(10_000);
      expect(await followUp(id)).toMatchObject({ status: 'completed', lastError: null });
      const [attempt] = await attempts(id);
      expect(attempt).toMatchObject({ result: 'answered', error: null });
    });

    it('records the answers of a batch that came, and releases the rest', async () => {
      const clock = new FakeClock(START);
      const quick = await due(clock);
      const stuck = await due(clock, { contactId: ws.contacts.london });
      const mixed = callChannel((job) =>
        job.followUpId === stuck
          ? never()
          : Promise.resolve({ status: 'done', result: 'answered' }),
      );
      const e = engine(clock, mixed.channel, { grace: 100 });
      await e.runOnce();
      expect(mixed.started).toEqual(expect.arrayContaining([quick, stuck]));
      await e.stop();
      expect((await followUp(quick)).status).toBe('completed');
      expect(await followUp(stuck)).toMatchObject({ status: 'scheduled', lastError: STOPPED });
    });

    it('stops while a round waits for room for another batch', async () => {
      const clock = new FakeClock(START);
      const ids = [await due(clock), await due(clock, { contactId: ws.contacts.london })];
      const silent = callChannel(never);
      const e = createEngine({
        handle: ctx.handle,
        clock,
        logger,
        workerId: 'shutdown-test-room',
        stopGraceMs: 50,
        batchSize: 1,
        maxBatchesInFlight: 1,
        channels: {
          call: silent.channel,
          sms: instantChannel('sms'),
          webhook: instantChannel('webhook'),
        },
      });
      e.start();
      const deadline = Date.now() + 10_000;
      while (silent.started.length === 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      expect(silent.started).toHaveLength(1);
      await e.stop();
      // The one batch that started was released; nothing else started.
      expect(silent.started).toHaveLength(1);
      expect(ids).toContain(silent.started[0]);
      const rows = await Promise.all(ids.map((id) => followUp(id)));
      // One released for a retry, one not started (still due, for the next worker).
      expect(rows.map((r) => `${r.status}:${r.attempts}`).sort()).toEqual([
        'scheduled:0',
        'scheduled:1',
      ]);
      const open = await ctx.handle.db
        .select()
        .from(s.followUpAttempts)
        .where(eq(s.followUpAttempts.workerId, 'shutdown-test-room'));
      expect(open).toHaveLength(1);
      expect(open[0]).toMatchObject({ result: 'timeout', error: STOPPED });
    });
  });
}
