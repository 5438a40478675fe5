/**
 * Voice calls through Twilio (the twilio SDK pointed at a local stand-in of Twilio's REST API)
 * and Twilio's signed status callbacks: the create request (numbers, TwiML URL with the call's
 * context, status callback, answering-machine detection), CallStatus / AnsweredBy → outcome,
 * a bad signature, a duplicate, a call Followthrough does not know, a 429, an inbound call, a
 * 5xx on create and a call that never reports (its lease).
 */
import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_SCHEDULE_MINUTES } from '../src/core/retry.ts';
import { FakeClock } from '../src/server/clock.ts';
import * as s from '../src/server/db/schema.ts';
import { twilioVoiceChannel } from '../src/server/engine/channels/call-twilio.ts';
import { instantChannel } from '../src/server/engine/channels/instant.ts';
import { createEngine, type Engine } from '../src/server/engine/engine.ts';
import { buildApp } from '../src/server/http/app.ts';
import { createLogger } from '../src/server/logger.ts';
import { testDatabases, useOwnDatabase } from './helpers/databases.ts';
import { insertFollowUp } from './helpers/fixtures.ts';
import { type StandIn, sendTwilioStatus, startTwilioStandIn } from './helpers/voice-stand-ins.ts';
import { createTestWorkspace, type TestWorkspace } from './helpers/workspace.ts';

const SID = 'AC00000000000000000000000000000001';
const TOKEN = 'twilio-auth-token-test';
const FROM = '+12125550155';
const PUBLIC = 'https://followthrough.example.com';
const VOICE_URL = 'https://agents.example.com/twiml';
const MIN = 60_000;
const logger = createLogger('silent');

for (const target of testDatabases()) {
  describe(`Twilio voice calls [${target.name}]`, () => {
    const ctx = useOwnDatabase(target);
    const clock = new FakeClock('2026-03-02T15:00:00Z');
    let ws: TestWorkspace;
    let app: FastifyInstance;
    let twilioApi: StandIn;
    let engine: Engine;

    beforeAll(async () => {
      ws = await createTestWorkspace(ctx.handle.db, 'Twilio Voice Co');
      await ctx.handle.db
        .update(s.agents)
        .set({ maxConcurrentCalls: 100 })
        .where(eq(s.agents.id, ws.agents.default));
      twilioApi = await startTwilioStandIn();
      app = await buildApp({
        handle: ctx.handle,
        logger: false,
        clock,
        voicePlatforms: { twilioAuthToken: TOKEN, publicUrl: PUBLIC },
        webRoot: '/nonexistent',
      });
      engine = createEngine({
        handle: ctx.handle,
        clock,
        logger,
        workerId: 'twilio-voice-test',
        channels: {
          call: twilioVoiceChannel({
            db: ctx.handle.db,
            clock,
            logger,
            account: async () => ({
              accountSid: SID,
              authToken: TOKEN,
              from: FROM,
              voiceUrl: VOICE_URL,
              apiBase: twilioApi.url,
            }),
            statusCallbackUrl: `${PUBLIC}/api/providers/twilio/voice-status`,
          }),
          sms: instantChannel('sms'),
          webhook: instantChannel('webhook'),
        },
      });
    });
    afterAll(async () => {
      await engine?.stop();
      await app?.close();
      await twilioApi?.close();
    });

    async function dispatched(o: Partial<typeof s.followUps.$inferInsert> = {}) {
      const id = await insertFollowUp(
        ctx.handle.db,
        ws,
        { scheduledAt: clock.now(), ...o },
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

    /** The status callback path Twilio was given for `id`'s first attempt, and its fields. */
    async function status(id: string, fields: Record<string, string>) {
      const { attempts } = await state(id);
      const path = `/api/providers/twilio/voice-status?key=${encodeURIComponent(`${id}:1`)}`;
      const params = {
        AccountSid: SID,
        CallSid: attempts[0]!.providerRef!,
        From: FROM,
        To: '+447700900001',
        Direction: 'outbound-api',
        ApiVersion: '2010-04-01',
        ...fields,
      };
      return { path, params };
    }

    it('places the call with the numbers, the TwiML URL, the status callback and AMD', async () => {
      const id = await dispatched();
      const [contact] = await ctx.handle.db
        .select()
        .from(s.contacts)
        .where(eq(s.contacts.id, ws.contacts.ny));
      const sent = twilioApi.requests.filter((r) => r.path.endsWith('/Calls.json'));
      expect(sent).toHaveLength(1);
      expect(sent[0]!.path).toBe(`/2010-04-01/Accounts/${SID}/Calls.json`);
      const body = sent[0]!.body as Record<string, string>;
      expect(body).toMatchObject({
        To: contact!.phone,
        From: FROM,
        Method: 'POST',
        StatusCallbackMethod: 'POST',
        MachineDetection: 'Enable',
      });
      expect(body.StatusCallback).toBe(
        `${PUBLIC}/api/providers/twilio/voice-status?key=${encodeURIComponent(`${id}:1`)}`,
      );
      const url = new URL(body.Url!);
      expect(`${url.origin}${url.pathname}`).toBe(VOICE_URL);
      expect(url.searchParams.get('followthrough_idempotency_key')).toBe(`${id}:1`);
      expect(url.searchParams.get('contact_name')).toBe('Nora York');

      const { attempts } = await state(id);
      expect(attempts[0]).toMatchObject({ provider: 'twilio', endedAt: null });
      const ringing = await status(id, { CallStatus: 'ringing' });
      expect(
        (await sendTwilioStatus(app, PUBLIC, ringing.path, ringing.params, TOKEN)).json(),
      ).toEqual({
        status: 'noted',
        callLogId: null,
      });
      const done = await status(id, {
        CallStatus: 'completed',
        AnsweredBy: 'human',
        CallDuration: '95',
      });
      const res = await sendTwilioStatus(app, PUBLIC, done.path, done.params, TOKEN);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().status).toBe('recorded');
      expect(
        (await sendTwilioStatus(app, PUBLIC, done.path, done.params, TOKEN)).json().status,
      ).toBe('duplicate');
      const after = await state(id);
      expect(after.row.status).toBe('completed');
      expect(after.calls[0]).toMatchObject({
        outcome: 'answered',
        durationSeconds: 95,
        provider: 'twilio',
        providerCallId: attempts[0]!.providerRef,
      });
    });

    it.each([
      [{ CallStatus: 'completed', AnsweredBy: 'machine_end_beep' }, 'voicemail'],
      [{ CallStatus: 'no-answer' }, 'no_answer'],
      [{ CallStatus: 'busy' }, 'busy'],
      [{ CallStatus: 'failed' }, 'failed'],
    ])('%o is %s, retried on the workspace schedule', async (fields, outcome) => {
      const id = await dispatched();
      const cb = await status(id, fields);
      expect((await sendTwilioStatus(app, PUBLIC, cb.path, cb.params, TOKEN)).json().status).toBe(
        'recorded',
      );
      const { row, attempts, calls } = await state(id);
      expect(calls[0]!.outcome).toBe(outcome);
      expect(attempts[0]!.result).toBe(outcome);
      // The first retry of the workspace's schedule.
      expect(row.status).toBe('scheduled');
      expect(row.nextAttemptAt?.toISOString()).toBe(
        new Date(clock.now().getTime() + DEFAULT_RETRY_SCHEDULE_MINUTES[0]! * MIN).toISOString(),
      );
    });

    it('refuses a missing or bad signature, or one for another URL, and writes nothing', async () => {
      const id = await dispatched();
      const cb = await status(id, { CallStatus: 'completed' });
      expect((await sendTwilioStatus(app, PUBLIC, cb.path, cb.params, null)).statusCode).toBe(401);
      expect(
        (await sendTwilioStatus(app, PUBLIC, cb.path, cb.params, 'other-token')).statusCode,
      ).toBe(401);
      const elsewhere = await sendTwilioStatus(
        app,
        'https://attacker.example',
        cb.path,
        cb.params,
        TOKEN,
      );
      expect(elsewhere.statusCode).toBe(401);
      expect(elsewhere.headers['content-type']).toMatch(/application\/problem\+json/);
      const { row, calls } = await state(id);
      expect(row.status).toBe('in_progress');
      expect(calls).toHaveLength(0);
      await sendTwilioStatus(app, PUBLIC, cb.path, cb.params, TOKEN);
    });

    it('acknowledges a call it does not know and writes nothing', async () => {
      const logsBefore = await ctx.handle.db.select().from(s.callLogs);
      const path = '/api/providers/twilio/voice-status';
      const res = await sendTwilioStatus(
        app,
        PUBLIC,
        path,
        { CallSid: 'CAnobody', CallStatus: 'completed', Direction: 'outbound-api' },
        TOKEN,
      );
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ status: 'unknown', callLogId: null });
      expect(await ctx.handle.db.select().from(s.callLogs)).toHaveLength(logsBefore.length);
    });

    it('a 429 spends no attempt', async () => {
      twilioApi.queue({
        status: 429,
        body: { code: 20429, message: 'Too Many Requests', status: 429 },
      });
      const id = await dispatched();
      const { row, attempts } = await state(id);
      expect(row).toMatchObject({ status: 'scheduled', attempts: 0 });
      expect(attempts).toHaveLength(0);
      expect(row.lastError).toMatch(/Twilio refused new calls/);
    });

    it('a 429 with Retry-After holds the workspace for that long, not the default 30 s', async () => {
      // Past the hold of the 429 before; the follow-up it held goes out first.
      clock.advance(31_000);
      await engine.runOnce();
      await engine.idle();
      twilioApi.queue({
        status: 429,
        body: { code: 20429, message: 'Too Many Requests', status: 429 },
        headers: { 'retry-after': '90' },
      });
      const id = await dispatched();
      const { row, attempts } = await state(id);
      expect(row).toMatchObject({ status: 'scheduled', attempts: 0 });
      expect(attempts).toHaveLength(0);
      expect(row.nextAttemptAt?.toISOString()).toBe(
        new Date(clock.now().getTime() + 90_000).toISOString(),
      );
      // Still held after 30 s: nothing is sent to Twilio.
      const calls = () => twilioApi.requests.filter((r) => r.path.endsWith('/Calls.json')).length;
      const before = calls();
      clock.advance(31_000);
      await engine.runOnce();
      await engine.idle();
      expect(calls()).toBe(before);
      // After the 90 s, the call goes out as the first attempt.
      clock.advance(60_000);
      await engine.runOnce();
      await engine.idle();
      expect(calls()).toBe(before + 1);
      expect((await state(id)).attempts).toHaveLength(1);
    });

    it('an inbound call to an agent’s number completes the caller’s due call follow-up', async () => {
      const db = ctx.handle.db;
      await db.update(s.agents).set({ fromNumber: FROM }).where(eq(s.agents.id, ws.agents.default));
      const due = await insertFollowUp(
        db,
        ws,
        { contactId: ws.contacts.london, scheduledAt: new Date(clock.now().getTime() + 60_000) },
        clock.now(),
      );
      clock.advance(120_000);
      const [contact] = await db
        .select({ phone: s.contacts.phone })
        .from(s.contacts)
        .where(eq(s.contacts.id, ws.contacts.london));
      const params = {
        CallSid: 'CAinbound1',
        CallStatus: 'completed',
        CallDuration: '40',
        Direction: 'inbound',
        From: contact!.phone,
        To: FROM,
      };
      const path = '/api/providers/twilio/voice-status';
      expect((await sendTwilioStatus(app, PUBLIC, path, params, TOKEN)).json().status).toBe(
        'recorded',
      );
      const [row] = await db.select().from(s.followUps).where(eq(s.followUps.id, due));
      expect(row?.status).toBe('completed');
    });
    it('a 5xx on create is a failed attempt, retried', async () => {
      // What is already due goes out first, so that the 5xx below answers this follow-up.
      await engine.runOnce();
      await engine.idle();
      twilioApi.queue({
        status: 503,
        body: { code: 20503, message: 'Service Unavailable', status: 503 },
      });
      const id = await dispatched();
      const { row, attempts, calls } = await state(id);
      expect(attempts).toHaveLength(1);
      expect(attempts[0]).toMatchObject({ number: 1, result: 'provider_error' });
      expect(attempts[0]!.error).toMatch(/Twilio refused the call \(HTTP 503, code 20503\)/);
      expect(row).toMatchObject({ status: 'scheduled', attempts: 1 });
      expect(row.nextAttemptAt!.getTime()).toBeGreaterThan(clock.now().getTime());
      expect(calls).toHaveLength(0);
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
      const cb = await status(id, { CallStatus: 'completed', AnsweredBy: 'human' });
      const late = await sendTwilioStatus(app, PUBLIC, cb.path, cb.params, TOKEN);
      expect(late.json()).toEqual({ status: 'duplicate', callLogId: null });
      expect((await state(id)).calls).toHaveLength(0);
    });
  });
}
