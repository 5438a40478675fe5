/**
 * Calls through Vapi (@vapi-ai/server-sdk pointed at a local stand-in of Vapi's API) and Vapi's
 * server messages back with the server-URL secret: the create request, end reasons, the
 * end-of-call report's analysis (a requested callback, also when the report comes before the
 * end), a wrong secret, duplicates, an unknown call, a 429 that spends no attempt, a 5xx, a
 * call that never reports (its lease) and an inbound call.
 */
import { and, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_SCHEDULE_MINUTES } from '../src/core/retry.ts';
import { FakeClock } from '../src/server/clock.ts';
import * as s from '../src/server/db/schema.ts';
import { vapiCallChannel } from '../src/server/engine/channels/call-vapi.ts';
import { instantChannel } from '../src/server/engine/channels/instant.ts';
import { createEngine, type Engine } from '../src/server/engine/engine.ts';
import { buildApp } from '../src/server/http/app.ts';
import { createLogger } from '../src/server/logger.ts';
import { testDatabases, useOwnDatabase } from './helpers/databases.ts';
import { insertFollowUp } from './helpers/fixtures.ts';
import {
  createKeys,
  type StandIn,
  sendVapiWebhook,
  startVapiStandIn,
} from './helpers/voice-stand-ins.ts';
import { createTestWorkspace, type TestWorkspace } from './helpers/workspace.ts';

const MIN = 60_000;
const API_KEY = 'vapi-private-key-test';
const SECRET = 'vapi-server-url-secret-0123456789';
const PHONE_NUMBER_ID = 'pn_3b7c';
const logger = createLogger('silent');

for (const target of testDatabases()) {
  describe(`Vapi calls [${target.name}]`, () => {
    const ctx = useOwnDatabase(target);
    const clock = new FakeClock('2026-03-02T15:00:00Z');
    let ws: TestWorkspace;
    let app: FastifyInstance;
    let vapi: StandIn;
    let engine: Engine;

    beforeAll(async () => {
      ws = await createTestWorkspace(ctx.handle.db, 'Vapi Co');
      await ctx.handle.db
        .update(s.agents)
        .set({ externalAgentId: 'asst_ava', maxConcurrentCalls: 100 })
        .where(eq(s.agents.id, ws.agents.default));
      vapi = await startVapiStandIn();
      app = await buildApp({
        handle: ctx.handle,
        logger: false,
        clock,
        voicePlatforms: { vapiSecret: SECRET },
        webRoot: '/nonexistent',
      });
      engine = createEngine({
        handle: ctx.handle,
        clock,
        logger,
        workerId: 'vapi-test',
        channels: {
          call: vapiCallChannel({
            db: ctx.handle.db,
            clock,
            logger,
            account: async () => ({
              apiKey: API_KEY,
              phoneNumberId: PHONE_NUMBER_ID,
              baseUrl: vapi.url,
            }),
          }),
          sms: instantChannel('sms'),
          webhook: instantChannel('webhook'),
        },
      });
    });
    afterAll(async () => {
      await engine?.stop();
      await app?.close();
      await vapi?.close();
    });

    async function dispatched(o: Partial<typeof s.followUps.$inferInsert> = {}) {
      const id = await insertFollowUp(
        ctx.handle.db,
        ws,
        { scheduledAt: clock.now(), notes: 'Renewal', ...o },
        clock.now(),
      );
      await engine.runOnce();
      await engine.idle();
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
      return { row: row!, attempts, calls };
    }

    /** A Vapi server message about the call of `id` (found by the call id Vapi gave). */
    async function message(
      id: string,
      type: string,
      o: { endedReason?: string; status?: string; structuredData?: unknown } = {},
    ) {
      const { attempts } = await state(id);
      const end = clock.now().getTime();
      return {
        message: {
          type,
          ...(o.status ? { status: o.status } : {}),
          ...(type === 'end-of-call-report' || o.status === 'ended'
            ? {
                endedReason: o.endedReason ?? 'customer-ended-call',
                startedAt: new Date(end - 2 * MIN).toISOString(),
                endedAt: new Date(end).toISOString(),
              }
            : {}),
          call: {
            id: attempts[0]!.providerRef,
            type: 'outboundPhoneCall',
            assistantId: 'asst_ava',
          },
          ...(type === 'end-of-call-report'
            ? {
                analysis: {
                  summary: 'Talked about the renewal.',
                  ...(o.structuredData ? { structuredData: o.structuredData } : {}),
                },
                artifact: { recordingUrl: 'https://storage.example/vapi.wav' },
              }
            : {}),
        },
      };
    }

    it('places the call with the assistant, the number id, the customer and the metadata', async () => {
      const id = await dispatched();
      const [contact] = await ctx.handle.db
        .select()
        .from(s.contacts)
        .where(eq(s.contacts.id, ws.contacts.ny));
      const sent = vapi.requests.filter((r) => r.path === '/call');
      expect(sent).toHaveLength(1);
      expect(sent[0]!.headers.authorization).toBe(`Bearer ${API_KEY}`);
      expect(sent[0]!.body).toEqual({
        assistantId: 'asst_ava',
        phoneNumberId: PHONE_NUMBER_ID,
        customer: { number: contact!.phone, name: 'Nora York' },
        assistantOverrides: {
          metadata: {
            followthrough_follow_up_id: id,
            followthrough_workspace_id: ws.id,
            followthrough_attempt: '1',
            followthrough_idempotency_key: `${id}:1`,
          },
          variableValues: {
            contact_name: 'Nora York',
            contact_phone: contact!.phone,
            contact_company: '',
            follow_up_notes: 'Renewal',
          },
        },
      });
      const { attempts } = await state(id);
      expect(attempts[0]).toMatchObject({ provider: 'vapi', providerRef: 'vapi-call-1' });

      const started = await sendVapiWebhook(
        app,
        await message(id, 'status-update', { status: 'in-progress' }),
        SECRET,
      );
      expect(started.json()).toEqual({ status: 'noted', callLogId: null });
      const report = await message(id, 'end-of-call-report');
      const ended = await sendVapiWebhook(app, report, SECRET);
      expect(ended.statusCode, ended.body).toBe(200);
      expect(ended.json().status).toBe('recorded');
      expect((await sendVapiWebhook(app, report, SECRET)).json().status).toBe('duplicate');
      const after = await state(id);
      expect(after.row.status).toBe('completed');
      expect(after.calls).toHaveLength(1);
      expect(after.calls[0]).toMatchObject({
        outcome: 'answered',
        provider: 'vapi',
        providerCallId: 'vapi-call-1',
        durationSeconds: 120,
        summary: 'Talked about the renewal.',
        recordingUrl: 'https://storage.example/vapi.wav',
      });
    });

    it.each([
      ['customer-did-not-answer', 'no_answer'],
      ['customer-busy', 'busy'],
      ['voicemail', 'voicemail'],
      ['twilio-failed-to-connect-call', 'failed'],
    ])('%s is %s, retried on the workspace schedule', async (endedReason, outcome) => {
      const id = await dispatched();
      const res = await sendVapiWebhook(
        app,
        await message(id, 'end-of-call-report', { endedReason }),
        SECRET,
      );
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

    it('the status update that ends the call records it; the report adds the callback', async () => {
      const id = await dispatched({ contactId: ws.contacts.london });
      const ended = await sendVapiWebhook(
        app,
        await message(id, 'status-update', { status: 'ended' }),
        SECRET,
      );
      expect(ended.json().status).toBe('recorded');
      const report = await sendVapiWebhook(
        app,
        await message(id, 'end-of-call-report', {
          structuredData: { callback_at: '2026-03-03T09:15:00+00:00' },
        }),
        SECRET,
      );
      expect(report.json().status).toBe('updated');
      const { calls } = await state(id);
      expect(calls[0]).toMatchObject({ outcome: 'callback_requested' });
      const created = await ctx.handle.db
        .select()
        .from(s.followUps)
        .where(
          and(eq(s.followUps.workspaceId, ws.id), eq(s.followUps.sourceCallLogId, calls[0]!.id)),
        );
      expect(created).toHaveLength(1);
      expect(created[0]!.scheduledAt.toISOString()).toBe('2026-03-03T09:15:00.000Z');
    });

    it('refuses a missing or wrong secret with 401 and writes nothing', async () => {
      const id = await dispatched();
      const body = await message(id, 'end-of-call-report');
      expect((await sendVapiWebhook(app, body, null)).statusCode).toBe(401);
      const wrong = await sendVapiWebhook(app, body, `${SECRET}x`);
      expect(wrong.statusCode).toBe(401);
      expect(wrong.headers['content-type']).toMatch(/application\/problem\+json/);
      const { row, calls } = await state(id);
      expect(row.status).toBe('in_progress');
      expect(calls).toHaveLength(0);
      await sendVapiWebhook(app, body, SECRET);
    });

    it('acknowledges an unknown call and ignores other server messages, writing nothing', async () => {
      const logsBefore = await ctx.handle.db.select().from(s.callLogs);
      const unknown = await sendVapiWebhook(
        app,
        {
          message: {
            type: 'end-of-call-report',
            endedReason: 'customer-ended-call',
            call: { id: 'vapi-call-nobody', type: 'outboundPhoneCall' },
          },
        },
        SECRET,
      );
      expect(unknown.json()).toEqual({ status: 'unknown', callLogId: null });
      const other = await sendVapiWebhook(
        app,
        { message: { type: 'transcript', call: { id: 'vapi-call-nobody' } } },
        SECRET,
      );
      expect(other.json()).toEqual({ status: 'ignored', callLogId: null });
      expect(await ctx.handle.db.select().from(s.callLogs)).toHaveLength(logsBefore.length);
    });

    it('a 429 spends no attempt; a 5xx is a failed attempt', async () => {
      vapi.queue({
        status: 429,
        body: { message: 'Over concurrency limit' },
        headers: { 'retry-after': '60' },
      });
      const held = await dispatched();
      expect((await state(held)).row).toMatchObject({ status: 'scheduled', attempts: 0 });
      expect((await state(held)).attempts).toHaveLength(0);
      clock.advance(61_000);
      vapi.queue({ status: 502, body: { message: 'Bad gateway' } });
      await engine.runOnce();
      await engine.idle();
      const { row, attempts } = await state(held);
      expect(attempts).toHaveLength(1);
      expect(attempts[0]).toMatchObject({ number: 1, result: 'provider_error' });
      expect(attempts[0]!.error).toMatch(/Vapi answered HTTP 502: Bad gateway/);
      expect(row).toMatchObject({ status: 'scheduled', attempts: 1 });
      expect(createKeys(vapi, '/call').get(`${held}:1`)).toBe(2);
    });

    it('an inbound call completes the caller’s due call follow-up', async () => {
      const db = ctx.handle.db;
      const due = await insertFollowUp(
        db,
        ws,
        { contactId: ws.contacts.london, scheduledAt: new Date(clock.now().getTime() + MIN) },
        clock.now(),
      );
      clock.advance(2 * MIN);
      const [contact] = await db
        .select({ phone: s.contacts.phone })
        .from(s.contacts)
        .where(eq(s.contacts.id, ws.contacts.london));
      const end = clock.now().getTime();
      const body = {
        message: {
          type: 'end-of-call-report',
          endedReason: 'customer-ended-call',
          startedAt: new Date(end - MIN).toISOString(),
          endedAt: new Date(end).toISOString(),
          call: {
            id: 'vapi-inbound-1',
            type: 'inboundPhoneCall',
            assistantId: 'asst_ava',
            customer: { number: contact!.phone },
          },
        },
      };
      expect((await sendVapiWebhook(app, body, SECRET)).json().status).toBe('recorded');
      const [row] = await db.select().from(s.followUps).where(eq(s.followUps.id, due));
      expect(row?.status).toBe('completed');
      expect((await sendVapiWebhook(app, body, SECRET)).json().status).toBe('duplicate');
    });
    it('a report with the callback before the end is applied; the end after it changes nothing', async () => {
      // A contact with no open call follow-up, so that the outcome rule may create one.
      const id = await dispatched({ contactId: ws.contacts.noZone });
      const report = await sendVapiWebhook(
        app,
        await message(id, 'end-of-call-report', {
          structuredData: { callback_at: '2026-03-04T16:00:00-05:00' },
        }),
        SECRET,
      );
      expect(report.json().status).toBe('recorded');
      const late = await sendVapiWebhook(
        app,
        await message(id, 'status-update', { status: 'ended' }),
        SECRET,
      );
      expect(late.json()).toEqual({ status: 'duplicate', callLogId: null });
      const { row, attempts, calls } = await state(id);
      expect(row.status).toBe('completed');
      expect(attempts).toHaveLength(1);
      expect(attempts[0]!.result).toBe('callback_requested');
      expect(calls).toHaveLength(1);
      expect(calls[0]!.outcome).toBe('callback_requested');
      expect(calls[0]!.requestedCallbackAt?.toISOString()).toBe('2026-03-04T21:00:00.000Z');
      const created = await ctx.handle.db
        .select()
        .from(s.followUps)
        .where(
          and(eq(s.followUps.workspaceId, ws.id), eq(s.followUps.sourceCallLogId, calls[0]!.id)),
        );
      expect(created.map((f) => f.scheduledAt.toISOString())).toEqual(['2026-03-04T21:00:00.000Z']);
    });

    it('a call that never reports ends by its lease; a report after it changes nothing', async () => {
      const id = await dispatched();
      expect((await state(id)).row.status).toBe('in_progress');
      clock.advance(16 * MIN);
      await engine.runOnce();
      await engine.idle();
      const { row, attempts, calls } = await state(id);
      expect(attempts).toHaveLength(1);
      expect(attempts[0]).toMatchObject({ result: 'timeout' });
      expect(row).toMatchObject({ status: 'scheduled', attempts: 1 });
      expect(calls).toHaveLength(0);
      const late = await sendVapiWebhook(app, await message(id, 'end-of-call-report'), SECRET);
      expect(late.json()).toEqual({ status: 'duplicate', callLogId: null });
      expect((await state(id)).calls).toHaveLength(0);
    });
    it('an agent without a Vapi assistant id fails the attempt at once, naming the agent', async () => {
      const id = await dispatched({ agentId: ws.agents.active });
      expect(createKeys(vapi, '/call').get(`${id}:1`)).toBeUndefined();
      const { row, attempts, calls } = await state(id);
      expect(attempts).toHaveLength(1);
      expect(attempts[0]).toMatchObject({ result: 'not_configured' });
      expect(row.status).toBe('failed');
      expect(row.lastError).toMatch(/Agent "Ben" has no Vapi assistant id/);
      expect(calls).toHaveLength(0);
    });
  });
}
