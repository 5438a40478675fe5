/**
 * The demo's development inbox: a delivery to it stays in the process (no name is resolved, no
 * connection made), is answered 200 when its signature verifies and 401 when not, and is
 * recorded like any delivery. Its reserved address cannot be given to another endpoint.
 */
import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_INBOX_URL } from '../src/contracts/webhook-endpoints.contract.ts';
import * as s from '../src/server/db/schema.ts';
import { buildApp } from '../src/server/http/app.ts';
import { newId } from '../src/server/ids.ts';
import { receiveInDevInbox } from '../src/server/outbound/dev-inbox.ts';
import { signRequest } from '../src/server/outbound/signing.ts';
import { sendWebhook } from '../src/server/outbound/webhook-send.ts';
import { type Client, signIn } from './helpers/client.ts';
import { testDatabases, useDatabase } from './helpers/databases.ts';
import { insertWebhookEndpoint } from './helpers/fixtures.ts';
import { createTestWorkspace, type TestWorkspace } from './helpers/workspace.ts';

const SECRET = 'whsec_dGVzdHNlY3JldHRlc3RzZWNyZXQ=';
const OTHER = 'whsec_b3RoZXJzZWNyZXRvdGhlcnNlY3JldA==';

describe('the development inbox receiver', () => {
  it('answers 200 to a request signed with its secret, 401 otherwise', () => {
    const now = new Date();
    const body = '{"type":"test"}';
    const signed = {
      'content-type': 'application/json',
      ...signRequest(SECRET, 'msg_1', now, body),
    };
    expect(receiveInDevInbox(SECRET, body, signed, now)).toEqual({
      status: 'done',
      result: 'success',
      httpStatus: 200,
    });
    const refused = receiveInDevInbox(OTHER, body, signed, now);
    expect(refused).toMatchObject({ status: 'done', result: 'http_error', httpStatus: 401 });
    expect(refused.status === 'done' && refused.error).toMatch(/signature does not match/);
    expect(receiveInDevInbox(SECRET, `${body} `, signed, now)).toMatchObject({ httpStatus: 401 });
  });
});

for (const target of testDatabases()) {
  describe(`the development inbox [${target.name}]`, () => {
    const ctx = useDatabase(target);
    let app: FastifyInstance;
    let ws: TestWorkspace;
    let admin: Client;

    beforeAll(async () => {
      app = await buildApp({ handle: ctx.handle, logger: false });
      ws = await createTestWorkspace(ctx.handle.db, 'Dev Inbox Co');
      admin = await signIn(app, ws.users.admin.email);
    });
    afterAll(async () => {
      await app?.close();
    });

    it('receives a delivery in process and records it, without the network', async () => {
      const id = await insertWebhookEndpoint(ctx.handle.db, ws);
      await ctx.handle.db
        .update(s.webhookEndpoints)
        .set({ url: DEV_INBOX_URL })
        .where(eq(s.webhookEndpoints.id, id));
      const resolved: string[] = [];
      const send = (secret: string) =>
        sendWebhook(
          {
            workspaceId: ws.id,
            endpoint: { id, url: DEV_INBOX_URL, secret },
            eventType: 'test',
            followUpId: null,
            webhookId: `msg_${newId()}`,
            attempt: 1,
            redeliveryOf: null,
            payload: { type: 'test', hello: 'inbox' },
          },
          {
            db: ctx.handle.db,
            allowPrivate: false,
            resolve: async (host) => {
              resolved.push(host);
              return [];
            },
          },
        );
      const ok = await send(SECRET);
      expect(ok.outcome).toEqual({ status: 'done', result: 'success', httpStatus: 200 });
      expect(ok.delivery).toMatchObject({ url: DEV_INBOX_URL, statusCode: 200, error: null });
      expect(resolved).toEqual([]);
    });

    it('keeps its reserved address for the demo: refused for any other endpoint', async () => {
      const created = await admin.post('/api/webhook-endpoints', { url: DEV_INBOX_URL });
      expect(created.statusCode, created.body).toBe(400);
      expect(created.json().errors[0].path).toBe('url');
      const other = await admin.post('/api/webhook-endpoints', {
        url: 'https://hooks.followthrough.invalid/x',
      });
      expect(other.statusCode).toBe(400);
      const mine = await admin.post('/api/webhook-endpoints', { url: 'https://ok.example.com/' });
      expect(mine.statusCode, mine.body).toBe(201);
      const moved = await admin.patch(`/api/webhook-endpoints/${mine.json().id}`, {
        url: DEV_INBOX_URL,
      });
      expect(moved.statusCode).toBe(400);
      expect(moved.json().errors[0].path).toBe('url');
      // The demo's own inbox endpoint keeps its address when edited (the form sends it back).
      const inbox = await insertWebhookEndpoint(ctx.handle.db, ws);
      await ctx.handle.db
        .update(s.webhookEndpoints)
        .set({ url: DEV_INBOX_URL })
        .where(eq(s.webhookEndpoints.id, inbox));
      const edited = await admin.patch(`/api/webhook-endpoints/${inbox}`, {
        url: DEV_INBOX_URL,
        description: 'Inbox',
      });
      expect(edited.statusCode, edited.body).toBe(200);
      expect(edited.json()).toMatchObject({ url: DEV_INBOX_URL, description: 'Inbox' });
    });
  });
}
