/**
 * POST /api/providers/voice/callback (SPEC §5.2): a call handed to the `http` voice provider by
 * the engine is reported back through the signed callback. Unsigned, mis-signed and stale
 * callbacks get 401 and change nothing; a valid one records the call once; a repeat is a
 * duplicate; an inbound call completes the contact's due call follow-ups.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { and, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../src/server/clock.ts';
import * as s from '../src/server/db/schema.ts';
import { httpCallChannel } from '../src/server/engine/channels/call-http.ts';
import { instantChannel } from '../src/server/engine/channels/instant.ts';
import { createEngine } from '../src/server/engine/engine.ts';
import { buildApp } from '../src/server/http/app.ts';
import { newId } from '../src/server/ids.ts';
import { createLogger } from '../src/server/logger.ts';
import { testDatabases, useOwnDatabase } from './helpers/databases.ts';
import { deleteWorkspaces, insertFollowUp } from './helpers/fixtures.ts';
import { createTestWorkspace, type TestWorkspace } from './helpers/workspace.ts';

const MIN = 60_000;
const logger = createLogger('silent');
const secret = `whsec_${randomBytes(24).toString('base64')}`;
const CALLBACK = '/api/providers/voice/callback';

/** A voice platform that accepts every call request (after checking its signature). */
async function startPlatform() {
  const requests: { idempotencyKey: string; verified: boolean }[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      let verified = true;
      try {
        new Webhook(secret).verify(body, req.headers as Record<string, string>);
      } catch {
        verified = false;
      }
      requests.push({ idempotencyKey: JSON.parse(body).idempotencyKey, verified });
      res.writeHead(verified ? 202 : 401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ callId: `call-${requests.length}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/calls`,
    requests,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

for (const target of testDatabases()) {
  describe(`voice provider callback [${target.name}]`, () => {
    const ctx = useOwnDatabase(target);
    // Monday 2 March 2026, 10:00 in New York.
    const clock = new FakeClock('2026-03-02T15:00:00Z');
    let ws: TestWorkspace;
    let app: FastifyInstance;
    let platform: Awaited<ReturnType<typeof startPlatform>>;

    beforeAll(async () => {
      await deleteWorkspaces(ctx.handle.db, ['Voice Callback Co']);
      ws = await createTestWorkspace(ctx.handle.db, 'Voice Callback Co');
      app = await buildApp({
        handle: ctx.handle,
        logger: false,
        clock,
        voiceSecret: secret,
        webRoot: '/nonexistent',
      });
      platform = await startPlatform();
    });
    afterAll(async () => {
      await app?.close();
      await platform?.close();
      // The engine claims across workspaces: leave nothing due for other files' engines.
      await deleteWorkspaces(ctx.handle.db, ['Voice Callback Co']);
    });

    /** Sends `body` signed with `key` (default: the voice secret), `at` (default: now). */
    function send(body: unknown, opts: { key?: string | null; at?: Date } = {}) {
      const payload = JSON.stringify(body);
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (opts.key !== null) {
        const at = opts.at ?? clock.now();
        const id = `msg_${newId()}`;
        headers['webhook-id'] = id;
        headers['webhook-timestamp'] = String(Math.floor(at.getTime() / 1000));
        headers['webhook-signature'] = new Webhook(opts.key ?? secret).sign(id, at, payload);
      }
      return app.inject({ method: 'POST', url: CALLBACK, headers, payload });
    }

    /** A call follow-up dispatched by the engine to the platform: in progress, attempt open. */
    async function dispatchedCall() {
      const id = await insertFollowUp(ctx.handle.db, ws, { scheduledAt: clock.now() }, clock.now());
      const engine = createEngine({
        handle: ctx.handle,
        clock,
        logger,
        workerId: 'callback-test',
        channels: {
          call: httpCallChannel({
            url: platform.url,
            secret,
            callbackUrl: `http://localhost${CALLBACK}`,
            allowPrivate: true,
          }),
          sms: instantChannel('sms'),
          webhook: instantChannel('webhook'),
        },
      });
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
      return { row: row!, attempt: attempts[0]!, calls };
    }

    const report = (id: string, extra: Record<string, unknown> = {}) => ({
      idempotencyKey: `${id}:1`,
      outcome: 'answered',
      startedAt: new Date(clock.now().getTime() - 3 * MIN).toISOString(),
      endedAt: clock.now().toISOString(),
      summary: 'Confirmed the renewal.',
      ...extra,
    });

    it('refuses unsigned, mis-signed and stale callbacks, and changes nothing', async () => {
      const id = await dispatchedCall();
      const before = await state(id);
      expect(before.row.status).toBe('in_progress');
      expect(before.attempt).toMatchObject({ provider: 'http', endedAt: null });
      expect(platform.requests.at(-1)).toEqual({ idempotencyKey: `${id}:1`, verified: true });

      const unsigned = await send(report(id), { key: null });
      expect(unsigned.statusCode).toBe(401);
      expect(unsigned.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(unsigned.json().detail).toMatch(/not signed/);

      const wrongKey = `whsec_${randomBytes(24).toString('base64')}`;
      const misSigned = await send(report(id), { key: wrongKey });
      expect(misSigned.statusCode).toBe(401);
      expect(misSigned.json().detail).toMatch(/does not match/);

      const stale = await send(report(id), { at: new Date(clock.now().getTime() - 6 * MIN) });
      expect(stale.statusCode).toBe(401);
      expect(stale.json().detail).toMatch(/more than 5 minutes old/);

      const after = await state(id);
      expect(after.row).toEqual(before.row);
      expect(after.attempt).toEqual(before.attempt);
      expect(after.calls).toHaveLength(0);
    });

    it('records a valid callback once; the same callback again is a duplicate', async () => {
      const id = await dispatchedCall();
      const first = await send(report(id, { providerRef: 'call-xyz' }));
      expect(first.statusCode).toBe(200);
      expect(first.json()).toMatchObject({ status: 'recorded', createdFollowUps: 0 });
      const { row, attempt, calls } = await state(id);
      expect(row).toMatchObject({ status: 'completed', lastError: null });
      expect(attempt).toMatchObject({ result: 'answered', providerRef: 'call-xyz' });
      expect(attempt.callLogId).toBe(first.json().callLogId);
      expect(calls).toHaveLength(1);
      expect(calls[0]).toMatchObject({
        direction: 'outbound',
        outcome: 'answered',
        contactId: ws.contacts.ny,
        agentId: ws.agents.default,
        durationSeconds: 180,
        summary: 'Confirmed the renewal.',
      });

      const again = await send(report(id, { providerRef: 'call-xyz' }));
      expect(again.statusCode).toBe(200);
      expect(again.json()).toMatchObject({ status: 'duplicate', callLogId: null });
      expect((await state(id)).calls).toHaveLength(1);
    });

    it('answers 404 for an unknown idempotency key and 400 for a bad body', async () => {
      const unknown = await send(report(newId()));
      expect(unknown.statusCode).toBe(404);
      expect(unknown.headers['content-type']).toMatch(/application\/problem\+json/);

      const bad = await send({ idempotencyKey: 'x:1', outcome: 'teleported' });
      expect(bad.statusCode).toBe(400);
      const paths = bad.json().errors.map((e: { path: string }) => e.path);
      expect(paths).toEqual(expect.arrayContaining(['outcome', 'startedAt', 'endedAt']));

      const backwards = await send(
        report(newId(), { endedAt: new Date(clock.now().getTime() - 10 * MIN).toISOString() }),
      );
      expect(backwards.statusCode).toBe(400);
    });

    it('records an inbound call that completes the contact’s due call follow-ups', async () => {
      const db = ctx.handle.db;
      const due = await insertFollowUp(
        db,
        ws,
        { contactId: ws.contacts.london, scheduledAt: new Date(clock.now().getTime() - MIN) },
        clock.now(),
      );
      const [contact] = await db
        .select({ phone: s.contacts.phone })
        .from(s.contacts)
        .where(eq(s.contacts.id, ws.contacts.london));
      const inbound = {
        direction: 'inbound',
        workspaceId: ws.id,
        phone: contact!.phone,
        outcome: 'answered',
        startedAt: new Date(clock.now().getTime() - 2 * MIN).toISOString(),
        endedAt: clock.now().toISOString(),
      };
      const res = await send(inbound);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ status: 'recorded', completedFollowUps: 1 });
      const [row] = await db.select().from(s.followUps).where(eq(s.followUps.id, due));
      expect(row?.status).toBe('completed');
      const logs = await db
        .select()
        .from(s.callLogs)
        .where(
          and(eq(s.callLogs.contactId, ws.contacts.london), eq(s.callLogs.direction, 'inbound')),
        );
      expect(logs).toHaveLength(1);

      expect((await send(inbound)).json()).toMatchObject({ status: 'duplicate' });
      const unknownPhone = await send({ ...inbound, phone: '+14155550199' });
      expect(unknownPhone.statusCode).toBe(404);
    });
  });
}
