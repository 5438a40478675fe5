/**
 * Calls through Retell (retell-sdk pointed at a local stand-in of Retell's API) and Retell's
 * signed webhooks back: the create request, each end reason's outcome, the post-call analysis
 * (summary, sentiment, a requested callback), bad signatures, duplicates, analysis before the
 * end, unknown calls, a 429 that spends no attempt, a 5xx, a call that never reports (lease),
 * an inbound call, and an agent without a Retell agent id.
 */
import { and, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_SCHEDULE_MINUTES } from '../src/core/retry.ts';
import { FakeClock } from '../src/server/clock.ts';
import * as s from '../src/server/db/schema.ts';
import { retellCallChannel } from '../src/server/engine/channels/call-retell.ts';
import { instantChannel } from '../src/server/engine/channels/instant.ts';
import { createEngine, type Engine } from '../src/server/engine/engine.ts';
import { buildApp } from '../src/server/http/app.ts';
import { createLogger } from '../src/server/logger.ts';
import { testDatabases, useOwnDatabase } from './helpers/databases.ts';
import { insertFollowUp } from './helpers/fixtures.ts';
import {
  createKeys,
  type StandIn,
  sendRetellWebhook,
  startRetellStandIn,
} from './helpers/voice-stand-ins.ts';
import { createTestWorkspace, type TestWorkspace } from './helpers/workspace.ts';

const MIN = 60_000;
const API_KEY = 'key_retell_test_0123456789';
const FROM = '+12125550100';
const logger = createLogger('silent');

for (const target of testDatabases()) {
  describe(`Retell calls [${target.name}]`, () => {
    const ctx = useOwnDatabase(target);
    // Monday 2 March 2026, 10:00 in New York.
    const clock = new FakeClock('2026-03-02T15:00:00Z');
    let ws: TestWorkspace;
    let app: FastifyInstance;
    let retell: StandIn;
    let engine: Engine;

    beforeAll(async () => {
      ws = await createTestWorkspace(ctx.handle.db, 'Retell Co');
      await ctx.handle.db
        .update(s.agents)
        .set({ externalAgentId: 'agent_ava_retell', maxConcurrentCalls: 100 })
        .where(eq(s.agents.id, ws.agents.default));
      retell = await startRetellStandIn();
      app = await buildApp({
        handle: ctx.handle,
        logger: false,
        clock,
        voicePlatforms: { retellApiKey: API_KEY },
        webRoot: '/nonexistent',
      });
      engine = createEngine({
        handle: ctx.handle,
        clock,
        logger,
        workerId: 'retell-test',
        channels: {
          call: retellCallChannel({
            db: ctx.handle.db,
            clock,
            logger,
            account: async () => ({ apiKey: API_KEY, fromNumber: FROM, baseUrl: retell.url }),
          }),
          sms: instantChannel('sms'),
          webhook: instantChannel('webhook'),
        },
      });
    });
    afterAll(async () => {
      await engine?.stop();
      await app?.close();
      await retell?.close();
    });

    async function run() {
      await engine.runOnce();
      await engine.idle();
    }

    /** A call follow-up due now, dispatched through Retell: in progress, attempt open. */
    async function dispatched(o: Partial<typeof s.followUps.$inferInsert> = {}) {
      const id = await insertFollowUp(
        ctx.handle.db,
        ws,
        { scheduledAt: clock.now(), notes: 'Ask about the renewal', ...o },
        clock.now(),
      );
      await run();
      return id;
    }

    async function state(id: string) {
      const db = ctx.handle.db;
      const [row] = await db.select().from(s.followUps).where(eq(s.followUps.id, id));
      const attempts = await db
        .select()
        .from(s.followUpAttempts)
        .where(eq(s.followUpAttempts.followUpId, id));
      const calls = await db.select().from(s.callLogs).where(eq(s.callLogs.followUpId, id));
      const created = await db
        .select()
        .from(s.followUps)
        .where(and(eq(s.followUps.workspaceId, ws.id), eq(s.followUps.source, 'call_outcome')));
      return { row: row!, attempts, calls, created };
    }

    /** Retell's webhook body for the call of `id`'s attempt `n`. */
    function callEvent(
      event: string,
      id: string,
      o: { reason?: string; analysis?: Record<string, unknown>; callId?: string; n?: number } = {},
    ) {
      const end = clock.now().getTime();
      return {
        event,
        call: {
          call_type: 'phone_call',
          call_id: o.callId ?? `call_for_${id}`,
          agent_id: 'agent_ava_retell',
          call_status: event === 'call_started' ? 'ongoing' : 'ended',
          direction: 'outbound',
          from_number: FROM,
          to_number: '+447700900000',
          metadata: { followthrough_idempotency_key: `${id}:${o.n ?? 1}` },
          start_timestamp: end - 3 * MIN,
          ...(event === 'call_started'
            ? {}
            : {
                end_timestamp: end,
                duration_ms: 3 * MIN,
                disconnection_reason: o.reason ?? 'user_hangup',
                recording_url: 'https://recordings.example/call.wav',
                public_log_url: 'https://logs.example/call.txt',
              }),
          ...(o.analysis ? { call_analysis: o.analysis } : {}),
        },
      };
    }

    it('places the call with the agent, the numbers, the metadata and the prompt variables', async () => {
      await ctx.handle.db
        .update(s.contacts)
        .set({ company: 'York & Co', customFields: { plan: 'Gold', seats: 12 } })
        .where(eq(s.contacts.id, ws.contacts.ny));
      const before = retell.requests.length;
      const id = await dispatched();
      const [contact] = await ctx.handle.db
        .select()
        .from(s.contacts)
        .where(eq(s.contacts.id, ws.contacts.ny));
      const sent = retell.requests.slice(before);
      expect(sent).toHaveLength(1);
      expect(sent[0]!.path).toBe('/v2/create-phone-call');
      expect(sent[0]!.headers.authorization).toBe(`Bearer ${API_KEY}`);
      expect(sent[0]!.body).toEqual({
        from_number: FROM,
        to_number: contact!.phone,
        override_agent_id: 'agent_ava_retell',
        metadata: {
          followthrough_follow_up_id: id,
          followthrough_workspace_id: ws.id,
          followthrough_attempt: '1',
          followthrough_idempotency_key: `${id}:1`,
        },
        retell_llm_dynamic_variables: {
          contact_name: 'Nora York',
          contact_phone: contact!.phone,
          contact_company: 'York & Co',
          follow_up_notes: 'Ask about the renewal',
          custom_plan: 'Gold',
          custom_seats: '12',
        },
      });
      const { row, attempts } = await state(id);
      expect(row.status).toBe('in_progress');
      expect(attempts[0]).toMatchObject({ provider: 'retell', endedAt: null });
      expect(attempts[0]!.providerRef).toMatch(/^call_\d+$/);

      // A full call: started (noted), ended (recorded), analysed (the summary is added).
      expect((await sendRetellWebhook(app, callEvent('call_started', id), API_KEY)).json()).toEqual(
        {
          status: 'noted',
          callLogId: null,
        },
      );
      const ended = await sendRetellWebhook(app, callEvent('call_ended', id), API_KEY);
      expect(ended.statusCode, ended.body).toBe(200);
      expect(ended.json().status).toBe('recorded');
      const analysed = await sendRetellWebhook(
        app,
        callEvent('call_analyzed', id, {
          analysis: { call_summary: 'Renewed for a year.', user_sentiment: 'Positive' },
        }),
        API_KEY,
      );
      expect(analysed.json()).toEqual({ status: 'updated', callLogId: ended.json().callLogId });
      const after = await state(id);
      expect(after.row).toMatchObject({ status: 'completed', lastError: null });
      expect(after.attempts[0]).toMatchObject({ result: 'answered' });
      expect(after.calls).toHaveLength(1);
      expect(after.calls[0]).toMatchObject({
        outcome: 'answered',
        durationSeconds: 180,
        agentId: ws.agents.default,
        provider: 'retell',
        providerCallId: `call_for_${id}`,
        summary: 'Renewed for a year.',
        sentiment: 'Positive',
        recordingUrl: 'https://recordings.example/call.wav',
        transcriptUrl: 'https://logs.example/call.txt',
      });
      // The call log is in the API with its details.
      expect(after.calls[0]!.requestedCallbackAt).toBeNull();
    });

    it.each([
      ['dial_no_answer', 'no_answer'],
      ['dial_busy', 'busy'],
      ['voicemail_reached', 'voicemail'],
      ['dial_failed', 'failed'],
      ['error_llm_websocket_open', 'failed'],
    ])('%s is %s, retried on the workspace schedule', async (reason, outcome) => {
      const id = await dispatched();
      const res = await sendRetellWebhook(app, callEvent('call_ended', id, { reason }), API_KEY);
      expect(res.json().status).toBe('recorded');
      const { row, attempts, calls } = await state(id);
      expect(calls[0]!.outcome).toBe(outcome);
      expect(attempts[0]!.result).toBe(outcome);
      // The first retry of the workspace's schedule.
      expect(row.status).toBe('scheduled');
      expect(row.nextAttemptAt?.toISOString()).toBe(
        new Date(clock.now().getTime() + DEFAULT_RETRY_SCHEDULE_MINUTES[0]! * MIN).toISOString(),
      );
    });

    it('a requested callback creates the follow-up at that time, outside the window too', async () => {
      const id = await dispatched({ contactId: ws.contacts.london });
      const before = (await state(id)).created.length;
      const ended = await sendRetellWebhook(app, callEvent('call_ended', id), API_KEY);
      expect(ended.json().status).toBe('recorded');
      // 22:30 in London: outside the calling window, asked for by the customer.
      const analysis = {
        call_summary: 'Call me back tonight.',
        custom_analysis_data: { callback_at: '2026-03-03T22:30:00+00:00' },
      };
      const analysed = await sendRetellWebhook(
        app,
        callEvent('call_analyzed', id, { analysis }),
        API_KEY,
      );
      expect(analysed.json().status).toBe('updated');
      const again = await sendRetellWebhook(
        app,
        callEvent('call_analyzed', id, { analysis }),
        API_KEY,
      );
      expect(again.json()).toEqual({ status: 'duplicate', callLogId: null });
      const { calls, attempts, created, row } = await state(id);
      expect(row.status).toBe('completed');
      expect(calls[0]).toMatchObject({ outcome: 'callback_requested' });
      expect(calls[0]!.requestedCallbackAt?.toISOString()).toBe('2026-03-03T22:30:00.000Z');
      expect(attempts[0]!.result).toBe('callback_requested');
      expect(created).toHaveLength(before + 1);
      const rule = created.find((f) => f.sourceCallLogId === calls[0]!.id)!;
      expect(rule).toMatchObject({ type: 'call', status: 'scheduled', allowOutOfWindow: true });
      expect(rule.scheduledAt.toISOString()).toBe('2026-03-03T22:30:00.000Z');
    });

    it('analysis before the end is applied; the end after it changes nothing', async () => {
      const id = await dispatched();
      const analysis = { custom_analysis_data: { callback_at: '2026-03-04T16:00:00-05:00' } };
      const first = await sendRetellWebhook(
        app,
        callEvent('call_analyzed', id, { analysis }),
        API_KEY,
      );
      expect(first.json().status).toBe('recorded');
      const late = await sendRetellWebhook(app, callEvent('call_ended', id), API_KEY);
      expect(late.json()).toEqual({ status: 'duplicate', callLogId: null });
      const { calls } = await state(id);
      expect(calls).toHaveLength(1);
      expect(calls[0]!.outcome).toBe('callback_requested');
      expect(calls[0]!.requestedCallbackAt?.toISOString()).toBe('2026-03-04T21:00:00.000Z');
    });

    it('refuses a missing or bad signature with 401 and writes nothing', async () => {
      const id = await dispatched();
      const before = await state(id);
      const body = callEvent('call_ended', id);
      const unsigned = await sendRetellWebhook(app, body, null);
      expect(unsigned.statusCode).toBe(401);
      expect(unsigned.headers['content-type']).toMatch(/application\/problem\+json/);
      const wrong = await sendRetellWebhook(app, body, 'key_somebody_else');
      expect(wrong.statusCode).toBe(401);
      // Signed for another body.
      const forged = await app.inject({
        method: 'POST',
        url: '/api/providers/retell/webhook',
        headers: {
          'content-type': 'application/json',
          'x-retell-signature': await sendRetellWebhookSignature(callEvent('call_ended', 'x')),
        },
        payload: JSON.stringify(body),
      });
      expect(forged.statusCode).toBe(401);
      const after = await state(id);
      expect(after.row).toEqual(before.row);
      expect(after.attempts).toEqual(before.attempts);
      expect(after.calls).toHaveLength(0);
      // Tidy: end the call.
      await sendRetellWebhook(app, body, API_KEY);
    });

    it('acknowledges a call it does not know and writes nothing; a bad body is a 400', async () => {
      const logsBefore = await ctx.handle.db.select().from(s.callLogs);
      const unknown = await sendRetellWebhook(
        app,
        callEvent('call_ended', '00000000-0000-4000-8000-000000000000', { callId: 'call_x' }),
        API_KEY,
      );
      expect(unknown.statusCode).toBe(200);
      expect(unknown.json()).toEqual({ status: 'unknown', callLogId: null });
      expect(await ctx.handle.db.select().from(s.callLogs)).toHaveLength(logsBefore.length);
      const bad = await sendRetellWebhook(app, { event: 'call_ended', call: {} }, API_KEY);
      expect(bad.statusCode).toBe(400);
      expect(bad.json().errors.map((e: { path: string }) => e.path)).toContain('call.call_id');
      const other = await sendRetellWebhook(
        app,
        { event: 'transcript_updated', call: { call_id: 'call_y' } },
        API_KEY,
      );
      expect(other.json()).toEqual({ status: 'ignored', callLogId: null });
    });

    it('a 429 returns the follow-up to the queue without spending an attempt and holds the platform', async () => {
      retell.queue({
        status: 429,
        body: { error_message: 'Concurrency limit reached' },
        headers: { 'retry-after': '120' },
      });
      const id = await dispatched();
      const sent = (key: string) => createKeys(retell, '/v2/create-phone-call').get(key) ?? 0;
      expect(sent(`${id}:1`)).toBe(1);
      const { row, attempts } = await state(id);
      expect(row).toMatchObject({ status: 'scheduled', attempts: 0 });
      expect(row.nextAttemptAt?.toISOString()).toBe(
        new Date(clock.now().getTime() + 120_000).toISOString(),
      );
      expect(row.lastError).toMatch(/Retell refused new calls/);
      expect(attempts).toHaveLength(0);
      // Held: another call of the workspace is not even sent to Retell.
      const other = await dispatched();
      expect(sent(`${other}:1`)).toBe(0);
      expect((await state(other)).row).toMatchObject({ status: 'scheduled', attempts: 0 });
      // After the hold, both are placed, as their first attempts.
      clock.advance(121_000);
      await run();
      expect(sent(`${id}:1`)).toBe(2);
      expect(sent(`${other}:1`)).toBe(1);
      for (const f of [id, other]) {
        const later = await state(f);
        expect(later.row).toMatchObject({ status: 'in_progress', attempts: 1 });
        expect(later.attempts.map((a) => a.number)).toEqual([1]);
        await sendRetellWebhook(app, callEvent('call_ended', f), API_KEY);
      }
    });

    it('a 5xx on create is a failed attempt, retried', async () => {
      retell.queue({ status: 503, body: { error_message: 'Service unavailable' } });
      const id = await dispatched();
      const { row, attempts } = await state(id);
      expect(attempts[0]).toMatchObject({ result: 'provider_error' });
      expect(attempts[0]!.error).toMatch(/Retell answered HTTP 503: Service unavailable/);
      expect(row).toMatchObject({ status: 'scheduled', attempts: 1 });
    });

    it('a call that never reports ends by its lease', async () => {
      const id = await dispatched();
      clock.advance(16 * MIN);
      await run();
      const { row, attempts } = await state(id);
      expect(attempts[0]).toMatchObject({ result: 'timeout' });
      expect(row.status).toBe('scheduled');
      // A report after the lease changes nothing.
      const late = await sendRetellWebhook(app, callEvent('call_ended', id), API_KEY);
      expect(late.json().status).toBe('duplicate');
    });

    it('an inbound call to the agent completes the contact’s due call follow-up', async () => {
      const db = ctx.handle.db;
      const due = await insertFollowUp(
        db,
        ws,
        { contactId: ws.contacts.london, scheduledAt: new Date(clock.now().getTime() + MIN) },
        clock.now(),
      );
      // Due (run time reached) but not yet run.
      clock.advance(2 * MIN);
      const [contact] = await db
        .select({ phone: s.contacts.phone })
        .from(s.contacts)
        .where(eq(s.contacts.id, ws.contacts.london));
      const end = clock.now().getTime();
      const body = {
        event: 'call_ended',
        call: {
          call_id: 'call_inbound_1',
          agent_id: 'agent_ava_retell',
          direction: 'inbound',
          from_number: contact!.phone,
          to_number: FROM,
          start_timestamp: end - 2 * MIN,
          end_timestamp: end,
          disconnection_reason: 'user_hangup',
        },
      };
      const res = await sendRetellWebhook(app, body, API_KEY);
      expect(res.json().status).toBe('recorded');
      const [row] = await db.select().from(s.followUps).where(eq(s.followUps.id, due));
      expect(row?.status).toBe('completed');
      const logs = await db
        .select()
        .from(s.callLogs)
        .where(eq(s.callLogs.providerCallId, 'call_inbound_1'));
      expect(logs).toHaveLength(1);
      expect(logs[0]).toMatchObject({ direction: 'inbound', provider: 'retell' });
      expect((await sendRetellWebhook(app, body, API_KEY)).json().status).toBe('duplicate');
    });

    it('an agent without a Retell agent id fails the attempt at once, naming the agent', async () => {
      const id = await dispatched({ agentId: ws.agents.active });
      expect(createKeys(retell, '/v2/create-phone-call').get(`${id}:1`)).toBeUndefined();
      const { row, attempts } = await state(id);
      expect(attempts[0]).toMatchObject({ result: 'not_configured' });
      expect(row.status).toBe('failed');
      expect(row.lastError).toMatch(/Agent "Ben" has no Retell agent id/);
    });
  });
}

async function sendRetellWebhookSignature(body: unknown): Promise<string> {
  const { default: Retell } = await import('retell-sdk');
  return Retell.sign(JSON.stringify(body), API_KEY);
}
