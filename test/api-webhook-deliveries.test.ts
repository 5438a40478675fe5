/**
 * Webhook deliveries (SPEC §5, §5.2): every signed request is recorded — the engine's follow-up
 * deliveries, "Send test event" and "Redeliver" — and listed per endpoint, newest first.
 * Signatures verify with the endpoint's secret, and with the new one after "Rotate secret".
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../src/server/clock.ts';
import { instantChannel } from '../src/server/engine/channels/instant.ts';
import { webhookChannel } from '../src/server/engine/channels/webhook.ts';
import { createEngine } from '../src/server/engine/engine.ts';
import { buildApp } from '../src/server/http/app.ts';
import { createLogger } from '../src/server/logger.ts';
import { type Client, withKey } from './helpers/client.ts';
import { testDatabases, useOwnDatabase } from './helpers/databases.ts';
import { insertFollowUp } from './helpers/fixtures.ts';
import { createTestWorkspace, type TestWorkspace } from './helpers/workspace.ts';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A receiver on 127.0.0.1: answers 200, or the statuses queued in `answers`. */
async function startReceiver() {
  const received: Received[] = [];
  const answers: number[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(answers.shift() ?? 200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    answers,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

function verifies(secret: string, request: Received): boolean {
  try {
    new Webhook(secret).verify(request.body, request.headers as Record<string, string>);
    return true;
  } catch {
    return false;
  }
}

function expectProblem(res: LightMyRequestResponse, status: number) {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toContain('application/problem+json');
}

for (const target of testDatabases()) {
  describe(`webhook deliveries [${target.name}]`, () => {
    const ctx = useOwnDatabase(target);
    let app: FastifyInstance;
    let strictApp: FastifyInstance;
    let ws: TestWorkspace;
    let admin: Client;
    let receiver: Awaited<ReturnType<typeof startReceiver>>;
    let endpoint: { id: string; secret: string };

    beforeAll(async () => {
      app = await buildApp({ handle: ctx.handle, logger: false, allowPrivateWebhooks: true });
      strictApp = await buildApp({ handle: ctx.handle, logger: false });
      ws = await createTestWorkspace(ctx.handle.db, 'Deliveries Co');
      admin = withKey(app, ws.keys.admin);
      receiver = await startReceiver();
      const res = await admin.post('/api/webhook-endpoints', {
        url: receiver.url,
        description: 'Receiver',
        isDefault: true,
      });
      endpoint = res.json();
    });
    afterAll(async () => {
      await receiver?.close();
      await app?.close();
      await strictApp?.close();
    });

    const deliveries = async (query = '') =>
      (await admin.get(`/api/webhook-endpoints/${endpoint.id}/deliveries${query}`)).json();

    let engineDelivery: { id: string; webhookId: string; payload: unknown };

    it('records the delivery of a webhook follow-up run by the engine', async () => {
      const clock = new FakeClock('2026-03-02T15:00:00Z');
      const id = await insertFollowUp(
        ctx.handle.db,
        ws,
        { type: 'webhook', scheduledAt: clock.now(), maxAttempts: 3 },
        clock.now(),
      );
      const engine = createEngine({
        handle: ctx.handle,
        clock,
        logger: createLogger('silent'),
        workerId: 'deliveries-test',
        channels: {
          call: instantChannel('call'),
          sms: instantChannel('sms'),
          webhook: webhookChannel({ db: ctx.handle.db, allowPrivate: true }),
        },
      });
      await engine.runOnce();
      await engine.idle();
      expect(receiver.received).toHaveLength(1);
      expect(verifies(endpoint.secret, receiver.received[0]!)).toBe(true);

      const list = await deliveries();
      expect(list.items).toHaveLength(1);
      const [delivery] = list.items;
      expect(delivery).toMatchObject({
        endpointId: endpoint.id,
        followUpId: id,
        eventType: 'follow_up.due',
        webhookId: `${id}:1`,
        attempt: 1,
        redeliveryOf: null,
        url: receiver.url,
        statusCode: 200,
        error: null,
      });
      expect(delivery.durationMs).toBeGreaterThanOrEqual(0);
      expect(delivery.payload).toEqual(JSON.parse(receiver.received[0]!.body));
      engineDelivery = delivery;
    });

    it('sends a signed test event now and answers its delivery', async () => {
      const res = await admin.post(`/api/webhook-endpoints/${endpoint.id}/test`);
      expect(res.statusCode, res.body).toBe(201);
      const delivery = res.json();
      expect(delivery).toMatchObject({
        eventType: 'test',
        followUpId: null,
        attempt: 1,
        statusCode: 200,
        error: null,
      });
      const request = receiver.received.at(-1)!;
      expect(request.headers['webhook-id']).toBe(delivery.webhookId);
      expect(JSON.parse(request.body)).toMatchObject({ type: 'test' });
      expect(verifies(endpoint.secret, request)).toBe(true);
      expect((await deliveries()).items[0].id).toBe(delivery.id);
    });

    it('records what the receiver answered when it is not a success', async () => {
      receiver.answers.push(503);
      const delivery = (await admin.post(`/api/webhook-endpoints/${endpoint.id}/test`)).json();
      expect(delivery).toMatchObject({
        statusCode: 503,
        error: 'The webhook endpoint answered HTTP 503.',
      });
    });

    it('rotates the secret: the new one signs from now on, the old one no longer', async () => {
      const res = await admin.post(`/api/webhook-endpoints/${endpoint.id}/rotate-secret`);
      expect(res.statusCode, res.body).toBe(200);
      const rotated = res.json();
      expect(rotated).toMatchObject({ id: endpoint.id, url: receiver.url, isDefault: true });
      expect(rotated.secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
      expect(rotated.secret).not.toBe(endpoint.secret);
      expect((await admin.get('/api/webhook-endpoints')).body).not.toContain('whsec_');

      await admin.post(`/api/webhook-endpoints/${endpoint.id}/test`);
      const request = receiver.received.at(-1)!;
      expect(verifies(rotated.secret, request)).toBe(true);
      expect(verifies(endpoint.secret, request)).toBe(false);
      endpoint = { ...endpoint, secret: rotated.secret };
    });

    it('redelivers with the same payload and webhook-id, the next attempt, the current secret', async () => {
      const first = await admin.post(`/api/webhook-deliveries/${engineDelivery.id}/redeliver`);
      expect(first.statusCode, first.body).toBe(201);
      expect(first.json()).toMatchObject({
        eventType: 'follow_up.due',
        webhookId: engineDelivery.webhookId,
        attempt: 2,
        redeliveryOf: engineDelivery.id,
        payload: engineDelivery.payload,
        statusCode: 200,
      });
      const request = receiver.received.at(-1)!;
      expect(request.headers['webhook-id']).toBe(engineDelivery.webhookId);
      expect(JSON.parse(request.body)).toEqual(engineDelivery.payload);
      // The very same bytes as the first delivery (the receiver may compare them).
      expect(request.body).toBe(receiver.received[0]!.body);
      expect(verifies(endpoint.secret, request)).toBe(true);
      // Redelivering the original again counts on from the latest attempt.
      const second = await admin.post(`/api/webhook-deliveries/${engineDelivery.id}/redeliver`);
      expect(second.json().attempt).toBe(3);
    });

    it('pages through deliveries newest first', async () => {
      const all = (await deliveries('?limit=200')).items as { id: string; createdAt: string }[];
      expect(all.length).toBe(6);
      const times = all.map((d) => d.createdAt);
      expect([...times].sort().reverse()).toEqual(times);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { items: { id: string }[]; nextCursor: string | null } = await deliveries(
          `?limit=3${cursor ? `&cursor=${cursor}` : ''}`,
        );
        seen.push(...page.items.map((d) => d.id));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).toEqual(all.map((d) => d.id));
      expectProblem(
        await admin.get(`/api/webhook-endpoints/${endpoint.id}/deliveries?cursor=nope`),
        400,
      );
      expectProblem(
        await admin.get(`/api/webhook-endpoints/${endpoint.id}/deliveries?limit=500`),
        400,
      );
    });

    it('refuses a private target unless allowed, and records why', async () => {
      const before = receiver.received.length;
      const res = await withKey(strictApp, ws.keys.admin).post(
        `/api/webhook-endpoints/${endpoint.id}/test`,
      );
      expect(res.statusCode).toBe(201);
      expect(res.json()).toMatchObject({ statusCode: null, eventType: 'test' });
      expect(res.json().error).toBe(
        'The address 127.0.0.1 is not allowed (private or reserved network).',
      );
      expect(receiver.received).toHaveLength(before);
    });

    it("answers 404 for another workspace's endpoints and deliveries", async () => {
      const other = await createTestWorkspace(ctx.handle.db, 'Deliveries Other Co');
      const client = withKey(app, other.keys.admin);
      expectProblem(await client.get(`/api/webhook-endpoints/${endpoint.id}/deliveries`), 404);
      expectProblem(await client.post(`/api/webhook-endpoints/${endpoint.id}/test`), 404);
      expectProblem(await client.post(`/api/webhook-endpoints/${endpoint.id}/rotate-secret`), 404);
      expectProblem(
        await client.post(`/api/webhook-deliveries/${engineDelivery.id}/redeliver`),
        404,
      );
      expectProblem(
        await withKey(app, ws.keys.operator).post(`/api/webhook-endpoints/${endpoint.id}/test`),
        403,
      );
    });
  });
}
