/**
 * Outcomes create follow-ups (SPEC §5.1, §6), through reportCall's one transaction: campaign
 * rules, the customer's callback time (and the out-of-window override it implies), no second
 * open follow-up, Do Not Call, and inbound calls completing due call follow-ups.
 */
import { and, asc, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FollowUpStatus } from '../src/core/follow-up.ts';
import type { OutcomeRule } from '../src/core/outcome-rules.ts';
import type { CallOutcome } from '../src/core/results.ts';
import { FakeClock } from '../src/server/clock.ts';
import type { Database } from '../src/server/db/client.ts';
import * as s from '../src/server/db/schema.ts';
import { newId } from '../src/server/ids.ts';
import { reportCall } from '../src/server/services/calls/call-reports.ts';
import { reportInboundCall } from '../src/server/services/calls/inbound.ts';
import { DNC_OUTCOME_REASON } from '../src/server/services/calls/outcomes.ts';
import { testDatabases, useDatabase } from './helpers/databases.ts';
import { deleteWorkspaces, insertFollowUp } from './helpers/fixtures.ts';
import { createTestWorkspace, type TestWorkspace, uniquePhone } from './helpers/workspace.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;

for (const target of testDatabases()) {
  describe(`outcome rules [${target.name}]`, () => {
    const ctx = useDatabase(target);
    let ws: TestWorkspace;
    // Monday 2 March 2026, 10:00 in New York.
    const clock = new FakeClock('2026-03-02T15:00:00Z');
    const db = () => ctx.handle.db;

    beforeAll(async () => {
      await deleteWorkspaces(ctx.handle.db, ['Outcome Rules Co']);
      ws = await createTestWorkspace(ctx.handle.db, 'Outcome Rules Co');
    });
    afterAll(async () => {
      // Engines of other files claim across workspaces: leave nothing due for them.
      await deleteWorkspaces(ctx.handle.db, ['Outcome Rules Co']);
    });

    async function newContact() {
      const id = newId();
      const phone = uniquePhone();
      await db().insert(s.contacts).values({
        id,
        workspaceId: ws.id,
        phone,
        firstName: 'Olive',
        timezone: 'America/New_York',
      });
      return { id, phone };
    }

    async function newCampaign(rules: OutcomeRule[]) {
      const id = newId();
      await db().insert(s.campaigns).values({
        id,
        workspaceId: ws.id,
        name: 'Win-back',
        agentId: ws.agents.active,
        status: 'running',
        outcomeRules: rules,
      });
      return id;
    }

    /** A call follow-up whose first attempt is running, as the dispatcher leaves it. */
    async function runningCall(
      contactId: string,
      o: { campaignId?: string; maxAttempts?: number },
    ) {
      const id = await insertFollowUp(
        db(),
        ws,
        {
          contactId,
          campaignId: o.campaignId ?? null,
          scheduledAt: new Date(clock.now().getTime() - 10 * MIN),
          status: 'in_progress',
          attempts: 1,
          maxAttempts: o.maxAttempts ?? 1,
          resolvedAgentId: ws.agents.default,
        },
        clock.now(),
      );
      await db()
        .insert(s.followUpAttempts)
        .values({
          id: newId(),
          workspaceId: ws.id,
          followUpId: id,
          number: 1,
          channel: 'call',
          provider: 'test',
          agentId: ws.agents.default,
          idempotencyKey: `${id}:1`,
          startedAt: new Date(clock.now().getTime() - 5 * MIN),
          leaseExpiresAt: new Date(clock.now().getTime() + 10 * MIN),
        });
      return id;
    }

    function report(id: string, outcome: CallOutcome, requestedCallbackAt: Date | null = null) {
      return reportCall(
        { db: db(), clock },
        {
          idempotencyKey: `${id}:1`,
          outcome,
          startedAt: new Date(clock.now().getTime() - 4 * MIN),
          endedAt: clock.now(),
          requestedCallbackAt,
        },
      );
    }

    async function recorded(id: string, outcome: CallOutcome, at: Date | null = null) {
      const result = await report(id, outcome, at);
      if (result.status !== 'recorded') throw new Error(`not recorded: ${result.status}`);
      return result;
    }

    const rowsOf = (database: Database, ids: string[]) =>
      database.select().from(s.followUps).where(inArray(s.followUps.id, ids));
    const statusOf = async (id: string) => (await rowsOf(db(), [id]))[0]!.status;

    it('a campaign rule on no_answer creates the follow-up after its delay', async () => {
      const contact = await newContact();
      const campaignId = await newCampaign([
        { outcome: 'no_answer', type: 'sms', delayMinutes: 45, maxAttempts: 2, priority: 'high' },
      ]);
      const call = await runningCall(contact.id, { campaignId });
      const result = await recorded(call, 'no_answer');
      expect(await statusOf(call)).toBe('failed');
      expect(result.createdFollowUpIds).toHaveLength(1);
      const [created] = await rowsOf(db(), result.createdFollowUpIds);
      expect(created).toMatchObject({
        type: 'sms',
        source: 'campaign',
        status: 'scheduled',
        contactId: contact.id,
        campaignId,
        sourceCallLogId: result.callLogId,
        maxAttempts: 2,
        priority: 'high',
        allowOutOfWindow: false,
        agentId: null,
      });
      expect(created!.scheduledAt.toISOString()).toBe('2026-03-02T15:45:00.000Z');
      expect(created!.expiresAt.toISOString()).toBe('2026-03-05T15:45:00.000Z');
      const events = await db()
        .select()
        .from(s.followUpEvents)
        .where(eq(s.followUpEvents.followUpId, created!.id));
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ kind: 'created', actorType: 'system', actorId: null });
      expect(events[0]!.data).toMatchObject({
        reason: 'outcome_rule',
        outcome: 'no_answer',
        callLogId: result.callLogId,
        fromFollowUpId: call,
      });
    });

    it('never creates a second open follow-up of the same type for a contact and campaign', async () => {
      const contact = await newContact();
      const campaignId = await newCampaign([
        { outcome: 'no_answer', type: 'sms', delayMinutes: 45, maxAttempts: 2, priority: 'high' },
      ]);
      const first = await recorded(await runningCall(contact.id, { campaignId }), 'no_answer');
      const second = await recorded(await runningCall(contact.id, { campaignId }), 'no_answer');
      expect(first.createdFollowUpIds).toHaveLength(1);
      expect(second.createdFollowUpIds).toEqual([]);
      // Without the campaign the workspace's rule applies (no_answer → SMS after 30 minutes).
      const outside = await recorded(await runningCall(contact.id, {}), 'no_answer');
      const [fromWorkspace] = await rowsOf(db(), outside.createdFollowUpIds);
      expect(fromWorkspace).toMatchObject({
        type: 'sms',
        source: 'call_outcome',
        campaignId: null,
      });
      expect(fromWorkspace!.scheduledAt.toISOString()).toBe('2026-03-02T15:30:00.000Z');
      const open = await db()
        .select()
        .from(s.followUps)
        .where(and(eq(s.followUps.contactId, contact.id), eq(s.followUps.type, 'sms')));
      expect(open).toHaveLength(2);
    });

    it('a retry of the same call counts as the open follow-up', async () => {
      const contact = await newContact();
      const campaignId = await newCampaign([
        { outcome: 'busy', type: 'call', delayMinutes: 60, maxAttempts: 3, priority: 'normal' },
      ]);
      const call = await runningCall(contact.id, { campaignId, maxAttempts: 3 });
      const result = await recorded(call, 'busy');
      expect(await statusOf(call)).toBe('scheduled');
      expect(result.createdFollowUpIds).toEqual([]);
    });

    it('callback_requested outside the window: at that time, with the override', async () => {
      const contact = await newContact();
      const call = await runningCall(contact.id, {});
      // Saturday 7 March 2026, 12:00 in New York: the workspace window is closed on Saturdays.
      const saturday = new Date('2026-03-07T17:00:00Z');
      const result = await recorded(call, 'callback_requested', saturday);
      expect(await statusOf(call)).toBe('completed');
      const [created] = await rowsOf(db(), result.createdFollowUpIds);
      expect(created).toMatchObject({
        type: 'call',
        source: 'call_outcome',
        sourceCallLogId: result.callLogId,
        allowOutOfWindow: true,
        priority: 'high',
        maxAttempts: 3,
      });
      expect(created!.scheduledAt.toISOString()).toBe(saturday.toISOString());
    });

    it('callback_requested inside the window: at that time, without the override', async () => {
      const contact = await newContact();
      const call = await runningCall(contact.id, {});
      // Monday 9 March 2026, 11:00 EDT.
      const monday = new Date('2026-03-09T15:00:00Z');
      const result = await recorded(call, 'callback_requested', monday);
      const [created] = await rowsOf(db(), result.createdFollowUpIds);
      expect(created).toMatchObject({ type: 'call', allowOutOfWindow: false });
      expect(created!.scheduledAt.toISOString()).toBe(monday.toISOString());
    });

    it('do_not_call lists the phone and fails the contact’s open call and SMS follow-ups', async () => {
      const contact = await newContact();
      const call = await runningCall(contact.id, {});
      const other = async (type: 'call' | 'sms' | 'webhook', status: FollowUpStatus) =>
        insertFollowUp(db(), ws, { contactId: contact.id, type, status }, clock.now());
      const openCall = await other('call', 'scheduled');
      const queuedSms = await other('sms', 'queued');
      const snoozed = await other('call', 'snoozed');
      const hook = await other('webhook', 'scheduled');
      const result = await recorded(call, 'do_not_call');

      const [entry] = await db()
        .select()
        .from(s.dncEntries)
        .where(and(eq(s.dncEntries.workspaceId, ws.id), eq(s.dncEntries.phone, contact.phone)));
      expect(entry).toMatchObject({ reason: DNC_OUTCOME_REASON, createdByUserId: null });
      expect(await statusOf(call)).toBe('failed');
      expect([...result.blockedFollowUpIds].sort()).toEqual([openCall, queuedSms, snoozed].sort());
      for (const id of [openCall, queuedSms, snoozed]) {
        const [row] = await rowsOf(db(), [id]);
        expect(row).toMatchObject({ status: 'failed' });
        expect(row!.lastError).toMatch(/Do Not Call/);
        const [event] = await db()
          .select()
          .from(s.followUpEvents)
          .where(eq(s.followUpEvents.followUpId, id));
        expect(event).toMatchObject({ kind: 'blocked_dnc', actorType: 'system' });
        expect(event!.data).toMatchObject({ reason: 'do_not_call', callLogId: result.callLogId });
      }
      expect(await statusOf(hook)).toBe('scheduled');
    });

    it('an inbound call completes due call follow-ups and leaves later ones alone', async () => {
      const contact = await newContact();
      const at = (ms: number) => new Date(clock.now().getTime() + ms);
      const make = (o: Partial<typeof s.followUps.$inferInsert>) =>
        insertFollowUp(db(), ws, { contactId: contact.id, ...o }, clock.now());
      const due = await make({ scheduledAt: at(-10 * MIN) });
      const queued = await make({ scheduledAt: at(-5 * MIN), status: 'queued' });
      const later = await make({ scheduledAt: at(2 * HOUR) });
      const backingOff = await make({ scheduledAt: at(-HOUR), nextAttemptAt: at(HOUR) });
      const dueSms = await make({ scheduledAt: at(-10 * MIN), type: 'sms' });

      const result = await reportInboundCall(
        { db: db(), clock },
        {
          workspaceId: ws.id,
          phone: contact.phone,
          outcome: 'answered',
          startedAt: at(-3 * MIN),
          endedAt: clock.now(),
          summary: 'Called back about the renewal.',
        },
      );
      if (result.status !== 'recorded') throw new Error(result.status);
      expect([...result.completedFollowUpIds].sort()).toEqual([due, queued].sort());
      const rows = await rowsOf(db(), [due, queued, later, backingOff, dueSms]);
      const status = Object.fromEntries(rows.map((r) => [r.id, r.status]));
      expect(status).toEqual({
        [due]: 'completed',
        [queued]: 'completed',
        [later]: 'scheduled',
        [backingOff]: 'scheduled',
        [dueSms]: 'scheduled',
      });
      const events = await db()
        .select()
        .from(s.followUpEvents)
        .where(eq(s.followUpEvents.followUpId, due))
        .orderBy(asc(s.followUpEvents.at));
      expect(events.at(-1)).toMatchObject({ kind: 'completed', actorType: 'system' });
      expect(events.at(-1)!.data).toMatchObject({
        from: 'scheduled',
        to: 'completed',
        reason: 'contacted_inbound',
        callLogId: result.callLogId,
      });
      const [log] = await db().select().from(s.callLogs).where(eq(s.callLogs.id, result.callLogId));
      expect(log).toMatchObject({ direction: 'inbound', contactId: contact.id, followUpId: null });
    });
  });
}
