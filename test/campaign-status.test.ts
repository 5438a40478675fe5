/**
 * The engine obeys a campaign's status (core/campaign-status.ts): only a running campaign's
 * due follow-ups are queued and started; a draft, scheduled, paused or completed campaign holds
 * them back, scheduled, and they run as soon as it runs again. The engine does not spin on the
 * rows it holds. Fake clock, rounds run by hand.
 */
import { asc, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../src/server/clock.ts';
import * as s from '../src/server/db/schema.ts';
import type { AttemptJob, Channel } from '../src/server/engine/channels/channel.ts';
import { createEngine, type Engine } from '../src/server/engine/engine.ts';
import { newId } from '../src/server/ids.ts';
import { createLogger } from '../src/server/logger.ts';
import { setCampaignStatus, updateCampaign } from '../src/server/services/campaigns.service.ts';
import type { Actor } from '../src/server/services/context.ts';
import { updateSettings } from '../src/server/services/settings.service.ts';
import { testDatabases, useOwnDatabase } from './helpers/databases.ts';
import { insertFollowUp } from './helpers/fixtures.ts';
import { createTestWorkspace, type TestWorkspace } from './helpers/workspace.ts';

const logger = createLogger('silent');
const CLOSED_WINDOW = {
  weekly: {
    monday: [],
    tuesday: [],
    wednesday: [],
    thursday: [],
    friday: [],
    saturday: [],
    sunday: [],
  },
  closedDates: [],
};

for (const target of testDatabases()) {
  describe(`campaign status in the engine [${target.name}]`, () => {
    const ctx = useOwnDatabase(target);
    let ws: TestWorkspace;
    let admin: Actor;
    const calls: string[] = [];
    const call: Channel = {
      type: 'call',
      provider: 'test',
      async start(job: AttemptJob) {
        calls.push(job.followUpId);
        return { status: 'done', result: 'answered' };
      },
    };

    beforeAll(async () => {
      ws = await createTestWorkspace(ctx.handle.db, 'Campaign Status Co');
      admin = { workspaceId: ws.id, kind: 'user', id: ws.users.admin.id, role: 'admin' };
    });

    function engineWith(clock: FakeClock): Engine {
      return createEngine({
        handle: ctx.handle,
        clock,
        logger,
        workerId: 'campaign-status-test',
        channels: { call, sms: { ...call, type: 'sms' }, webhook: { ...call, type: 'webhook' } },
      });
    }
    async function round(engine: Engine) {
      const stats = await engine.runOnce();
      await engine.idle();
      return stats;
    }
    async function campaign(status: string, callingWindow: unknown = null) {
      const id = newId();
      await ctx.handle.db.insert(s.campaigns).values({
        id,
        workspaceId: ws.id,
        name: `Campaign ${status}`,
        agentId: ws.agents.active,
        status,
        callingWindow: callingWindow as never,
      });
      return id;
    }
    async function row(id: string) {
      const [r] = await ctx.handle.db.select().from(s.followUps).where(eq(s.followUps.id, id));
      return r!;
    }
    async function eventKinds(id: string) {
      const rows = await ctx.handle.db
        .select({ kind: s.followUpEvents.kind })
        .from(s.followUpEvents)
        .where(eq(s.followUpEvents.followUpId, id))
        .orderBy(asc(s.followUpEvents.at), asc(s.followUpEvents.id));
      return rows.map((r) => r.kind);
    }

    it('holds the due follow-ups of draft, scheduled, paused and completed campaigns', async () => {
      // Monday 2 March 2026, 10:00 in New York: inside the default window.
      const clock = new FakeClock('2026-03-02T15:00:00Z');
      const held: string[] = [];
      for (const status of ['draft', 'scheduled', 'paused', 'completed']) {
        const campaignId = await campaign(status);
        held.push(
          await insertFollowUp(ctx.handle.db, ws, { scheduledAt: clock.now(), campaignId }),
        );
      }
      const free = await insertFollowUp(ctx.handle.db, ws, { scheduledAt: clock.now() });
      const engine = engineWith(clock);
      await round(engine);
      expect((await row(free)).status).toBe('completed');
      for (const id of held) {
        const r = await row(id);
        expect(r.status).toBe('scheduled');
        expect(r.attempts).toBe(0);
        expect(r.nextAttemptAt).toBeNull();
        expect(await eventKinds(id)).toEqual([]);
      }
      expect(calls).toEqual([free]);
      // Nothing is left to do: a second round does nothing and finds no work.
      const again = await round(engine);
      expect(again.promoted + again.started).toBe(0);
    });

    it('runs the held follow-ups once the campaign starts, and holds them again when paused', async () => {
      const clock = new FakeClock('2026-03-03T15:00:00Z');
      const campaignId = await campaign('draft');
      const first = await insertFollowUp(ctx.handle.db, ws, {
        scheduledAt: clock.now(),
        campaignId,
      });
      const engine = engineWith(clock);
      await round(engine);
      expect((await row(first)).status).toBe('scheduled');

      const ctxS = { db: ctx.handle.db, clock };
      await setCampaignStatus(ctxS, admin, campaignId, 'running');
      await round(engine);
      const started = await row(first);
      expect(started.status).toBe('completed');
      expect(started.resolvedAgentId).toBe(ws.agents.active);
      expect(await eventKinds(first)).toEqual([
        'queued',
        'attempt_started',
        'attempt_succeeded',
        'completed',
      ]);

      await setCampaignStatus(ctxS, admin, campaignId, 'paused');
      clock.advance(60_000);
      const second = await insertFollowUp(ctx.handle.db, ws, {
        scheduledAt: clock.now(),
        campaignId,
      });
      await round(engine);
      expect((await row(second)).status).toBe('scheduled');
      await setCampaignStatus(ctxS, admin, campaignId, 'running');
      await round(engine);
      expect((await row(second)).status).toBe('completed');
    });

    it('places deferred follow-ups again when the campaign gets a new window', async () => {
      // Wednesday 4 March 2026, 10:00 in New York, but the campaign's window is closed all week.
      const clock = new FakeClock('2026-03-04T15:00:00Z');
      const campaignId = await campaign('running', CLOSED_WINDOW);
      const id = await insertFollowUp(ctx.handle.db, ws, { scheduledAt: clock.now(), campaignId });
      const engine = engineWith(clock);
      await round(engine);
      // No window opens before it expires.
      expect((await row(id)).status).toBe('expired');

      // A window that opens at 14:00 today: deferred until then.
      const later = {
        ...CLOSED_WINDOW,
        weekly: { ...CLOSED_WINDOW.weekly, wednesday: [{ start: '14:00', end: '17:00' }] },
      };
      const ctxS = { db: ctx.handle.db, clock };
      await updateCampaign(ctxS, admin, campaignId, { callingWindow: later });
      const deferredId = await insertFollowUp(ctx.handle.db, ws, {
        scheduledAt: clock.now(),
        campaignId,
      });
      await round(engine);
      const deferred = await row(deferredId);
      expect(deferred.status).toBe('scheduled');
      expect(deferred.nextAttemptAt?.toISOString()).toBe('2026-03-04T19:00:00.000Z');

      // The admin opens the window now: it runs in the next round, not at 14:00.
      const now = {
        ...CLOSED_WINDOW,
        weekly: { ...CLOSED_WINDOW.weekly, wednesday: [{ start: '09:00', end: '17:00' }] },
      };
      await updateCampaign(ctxS, admin, campaignId, { callingWindow: now });
      expect((await row(deferredId)).nextAttemptAt).toBeNull();
      await round(engine);
      expect((await row(deferredId)).status).toBe('completed');
      expect(await eventKinds(deferredId)).toEqual([
        'deferred',
        'rescheduled',
        'queued',
        'attempt_started',
        'attempt_succeeded',
        'completed',
      ]);
    });

    it('places again what waits for the workspace window when it changes, not campaigns with their own', async () => {
      // Thursday 5 March 2026, 07:00 in New York: before the default 09:00 opening.
      const clock = new FakeClock('2026-03-05T12:00:00Z');
      const own = await campaign('running', {
        ...CLOSED_WINDOW,
        weekly: { ...CLOSED_WINDOW.weekly, thursday: [{ start: '09:00', end: '17:00' }] },
      });
      const plain = await insertFollowUp(ctx.handle.db, ws, { scheduledAt: clock.now() });
      const inCampaign = await insertFollowUp(ctx.handle.db, ws, {
        scheduledAt: clock.now(),
        campaignId: own,
      });
      const engine = engineWith(clock);
      await round(engine);
      expect((await row(plain)).nextAttemptAt?.toISOString()).toBe('2026-03-05T14:00:00.000Z');
      expect((await row(inCampaign)).nextAttemptAt?.toISOString()).toBe('2026-03-05T14:00:00.000Z');

      // The workspace opens Thursdays at 06:00 (the 08:00 legal bound still applies).
      clock.advance(70 * 60_000); // 08:10 in New York
      const early = {
        weekly: { ...CLOSED_WINDOW.weekly, thursday: [{ start: '06:00', end: '18:00' }] },
        closedDates: [],
      };
      await updateSettings({ db: ctx.handle.db, clock }, admin, { callingWindow: early });
      await round(engine);
      expect((await row(plain)).status).toBe('completed');
      const held = await row(inCampaign);
      expect(held.status).toBe('scheduled');
      expect(held.nextAttemptAt?.toISOString()).toBe('2026-03-05T14:00:00.000Z');
    });
  });
}
