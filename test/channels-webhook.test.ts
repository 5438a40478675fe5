/**
 * The webhook channel (SPEC §5, §5.2) against a local receiver, driven by the real engine with a
 * fake clock: signed deliveries (verified by the `standardwebhooks` library), retries on the
 * workspace's backoff after a 503 and a timeout, a final 404, and refused private targets.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { asc, eq } from 'drizzle-orm';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../src/server/clock.ts';
import * as s from '../src/server/db/schema.ts';
import type { Channel } from '../src/server/engine/channels/channel.ts';
import { instantChannel } from '../src/server/engine/channels/instant.ts';
import { webhookChannel } from '../src/server/engine/channels/webhook.ts';
import { createEngine } from '../src/server/engine/engine.ts';
import { newId } from '../src/server/ids.ts';
import { createLogger } from '../src/server/logger.ts';
import { isRefusedAddress } from '../src/server/outbound/address-policy.ts';
import { testDatabases, useOwnDatabase } from './helpers/databases.ts';
import { deleteWorkspaces, insertFollowUp } from './helpers/fixtures.ts';
import { createTestWorkspace, type TestWorkspace } from './helpers/workspace.ts';

const MIN = 60_000;
const logger = createLogger('silent');
const secret = `whsec_${randomBytes(24).toString('base64')}`;

type Answer = 'ok' | 'unavailable' | 'slow' | 'not_found';
interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  verified: boolean;
}

/** A webhook receiver on 127.0.0.1 that answers what the test says and checks signatures. */
async function startReceiver() {
  const received: Received[] = [];
  const answers: Answer[] = [];
  const held = new Set<NodeJS.Timeout>();
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      let verified = false;
      try {
        new Webhook(secret).verify(body, req.headers as Record<string, string>);
        verified = true;
      } catch {
        verified = false;
      }
      received.push({ headers: req.headers, body, verified });
      const answer = answers.shift() ?? 'ok';
      if (answer === 'slow') {
        // Never answers: the channel gives up after its timeout and closes the request.
        const timer = setTimeout(() => res.writeHead(200).end('late'), 60_000);
        held.add(timer);
        res.on('close', () => clearTimeout(timer));
        return;
      }
      const status = { ok: 200, unavailable: 503, not_found: 404 }[answer];
      res.writeHead(status, { 'content-type': 'text/plain' }).end(answer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/followthrough`,
    received,
    answers,
    close: async () => {
      for (const t of held) clearTimeout(t);
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe('private address check', () => {
  it('refuses loopback, private, link-local and unspecified addresses', () => {
    for (const address of [
      '127.0.0.1',
      '127.8.9.10',
      '10.1.2.3',
      '172.16.0.1',
      '172.31.255.255',
      '192.168.1.1',
      '169.254.169.254',
      '0.0.0.0',
      '::1',
      '::',
      'fd12:3456::1',
      'fe80::1',
      '::ffff:10.0.0.1',
    ]) {
      expect(isRefusedAddress(address), address).toBe(true);
    }
    for (const address of ['8.8.8.8', '172.32.0.1', '172.15.255.255', '2606:4700::1111']) {
      expect(isRefusedAddress(address), address).toBe(false);
    }
  });
});

for (const target of testDatabases()) {
  describe(`webhook channel [${target.name}]`, () => {
    const ctx = useOwnDatabase(target);
    let ws: TestWorkspace;
    let receiver: Awaited<ReturnType<typeof startReceiver>>;

    beforeAll(async () => {
      const db = ctx.handle.db;
      await deleteWorkspaces(db, ['Webhook Channel Co', 'Webhook Nowhere Co']);
      ws = await createTestWorkspace(db, 'Webhook Channel Co');
      receiver = await startReceiver();
      await db.insert(s.webhookEndpoints).values({
        id: newId(),
        workspaceId: ws.id,
        url: receiver.url,
        secret,
        isDefault: true,
      });
    });
    afterAll(async () => {
      await receiver?.close();
      // The engine claims across workspaces: leave nothing due for other files' engines.
      await deleteWorkspaces(ctx.handle.db, ['Webhook Channel Co', 'Webhook Nowhere Co']);
    });

    function engineWith(clock: FakeClock, webhook: Channel) {
      return createEngine({
        handle: ctx.handle,
        clock,
        logger,
        workerId: 'webhook-test',
        channels: { call: instantChannel('call'), sms: instantChannel('sms'), webhook },
      });
    }
    const channel = (allowPrivate = true) =>
      // Long enough that a busy machine's answers arrive in time, short enough for the timeout case.
      webhookChannel({ db: ctx.handle.db, allowPrivate, timeoutMs: 3_000 });

    async function round(engine: ReturnType<typeof engineWith>) {
      await engine.runOnce();
      await engine.idle();
    }
    async function followUp(id: string) {
      const [row] = await ctx.handle.db.select().from(s.followUps).where(eq(s.followUps.id, id));
      return row!;
    }
    const mine = (id: string) =>
      receiver.received.filter((r) => JSON.parse(r.body).followUp.id === id);

    it('retries a 503 and a timeout on the workspace backoff, then succeeds', async () => {
      const clock = new FakeClock('2026-03-02T15:00:00Z');
      const db = ctx.handle.db;
      const id = await insertFollowUp(
        db,
        ws,
        { type: 'webhook', scheduledAt: clock.now(), maxAttempts: 3, notes: 'Send the quote' },
        clock.now(),
      );
      const engine = engineWith(clock, channel());
      receiver.answers.push('unavailable', 'slow', 'ok');

      await round(engine);
      let row = await followUp(id);
      expect(row).toMatchObject({ status: 'scheduled', attempts: 1 });
      expect(row.lastError).toMatch(/HTTP 503/);
      expect(row.nextAttemptAt?.toISOString()).toBe('2026-03-02T15:15:00.000Z');

      clock.advance(14 * MIN);
      await round(engine);
      expect(mine(id)).toHaveLength(1);

      clock.advance(MIN);
      await round(engine);
      row = await followUp(id);
      expect(row).toMatchObject({ status: 'scheduled', attempts: 2 });
      expect(row.lastError).toMatch(/did not answer within 3 s/);
      expect(row.nextAttemptAt?.toISOString()).toBe('2026-03-02T16:15:00.000Z');

      clock.set('2026-03-02T16:15:00Z');
      await round(engine);
      row = await followUp(id);
      expect(row).toMatchObject({ status: 'completed', attempts: 3, lastError: null });

      const deliveries = mine(id);
      expect(deliveries.map((d) => d.verified)).toEqual([true, true, true]);
      expect(deliveries.map((d) => d.headers['webhook-id'])).toEqual([
        `${id}:1`,
        `${id}:2`,
        `${id}:3`,
      ]);
      const payload = JSON.parse(deliveries[2]!.body);
      expect(payload).toMatchObject({
        type: 'follow_up.due',
        followUp: {
          id,
          type: 'webhook',
          scheduledAt: '2026-03-02T15:00:00.000Z',
          priority: 'normal',
          notes: 'Send the quote',
          attempt: 3,
          idempotencyKey: `${id}:3`,
        },
        contact: { id: ws.contacts.ny, name: 'Nora York', email: 'nora@example.com' },
      });
      const attempts = await db
        .select()
        .from(s.followUpAttempts)
        .where(eq(s.followUpAttempts.followUpId, id))
        .orderBy(asc(s.followUpAttempts.number));
      expect(attempts.map((a) => [a.provider, a.result])).toEqual([
        ['webhook', 'http_error'],
        ['webhook', 'timeout'],
        ['webhook', 'success'],
      ]);
      const events = await db
        .select({ kind: s.followUpEvents.kind })
        .from(s.followUpEvents)
        .where(eq(s.followUpEvents.followUpId, id))
        .orderBy(asc(s.followUpEvents.at), asc(s.followUpEvents.id));
      expect(events.filter((e) => e.kind === 'retry_scheduled')).toHaveLength(2);
      expect(events.at(-1)?.kind).toBe('completed');
    });

    it('fails at once when the endpoint answers 404 (not retryable)', async () => {
      const clock = new FakeClock('2026-03-02T15:00:00Z');
      const id = await insertFollowUp(
        ctx.handle.db,
        ws,
        { type: 'webhook', scheduledAt: clock.now(), maxAttempts: 3 },
        clock.now(),
      );
      receiver.answers.push('not_found');
      await round(engineWith(clock, channel()));
      const row = await followUp(id);
      expect(row).toMatchObject({ status: 'failed', attempts: 1 });
      expect(row.lastError).toBe('The webhook endpoint answered HTTP 404.');
      expect(mine(id)).toHaveLength(1);
      expect(mine(id)[0]!.verified).toBe(true);
    });

    it('refuses a private address unless FOLLOWTHROUGH_ALLOW_PRIVATE_WEBHOOKS is set', async () => {
      const clock = new FakeClock('2026-03-02T15:00:00Z');
      const id = await insertFollowUp(
        ctx.handle.db,
        ws,
        { type: 'webhook', scheduledAt: clock.now(), maxAttempts: 3 },
        clock.now(),
      );
      await round(engineWith(clock, channel(false)));
      const row = await followUp(id);
      expect(row).toMatchObject({ status: 'failed', attempts: 1 });
      expect(row.lastError).toBe(
        'The address 127.0.0.1 is not allowed (private or reserved network).',
      );
      expect(mine(id)).toHaveLength(0);
    });

    it('refuses a host name that resolves to a private address', async () => {
      const hook = webhookChannel({
        db: ctx.handle.db,
        allowPrivate: false,
        resolve: async () => ['93.184.216.34', '10.0.0.8'],
      });
      const id = await insertFollowUp(ctx.handle.db, ws, { type: 'webhook' });
      await ctx.handle.db
        .update(s.webhookEndpoints)
        .set({ url: 'https://hooks.internal.example/x' })
        .where(eq(s.webhookEndpoints.workspaceId, ws.id));
      try {
        const outcome = await hook.start(job(ws, id));
        expect(outcome).toMatchObject({ status: 'done', result: 'http_error' });
        expect(outcome.status === 'done' && outcome.error).toBe(
          'The address 10.0.0.8 is not allowed (private or reserved network).',
        );
      } finally {
        await ctx.handle.db
          .update(s.webhookEndpoints)
          .set({ url: receiver.url })
          .where(eq(s.webhookEndpoints.workspaceId, ws.id));
      }
    });

    it('fails with a clear error when the workspace has no active endpoint', async () => {
      const nowhere = await createTestWorkspace(ctx.handle.db, 'Webhook Nowhere Co');
      const id = await insertFollowUp(ctx.handle.db, nowhere, { type: 'webhook' });
      const outcome = await channel().start(job(nowhere, id));
      expect(outcome).toMatchObject({ status: 'done', result: 'http_error' });
      expect(outcome.status === 'done' && outcome.error).toMatch(/no active webhook endpoint/);
    });
  });
}

function job(ws: TestWorkspace, followUpId: string) {
  return {
    attemptId: newId(),
    followUpId,
    workspaceId: ws.id,
    number: 1,
    type: 'webhook' as const,
    idempotencyKey: `${followUpId}:1`,
    agentId: null,
    campaignId: null,
    notes: null,
    contact: {
      id: ws.contacts.ny,
      name: 'Nora York',
      phone: '+12125550100',
      email: null,
      timezone: 'America/New_York',
    },
  };
}
