/**
 * The `twilio` SMS provider (official SDK) against a local stand-in of the Messages endpoint,
 * driven by the engine; and the `http` call provider against a stand-in voice platform (signed
 * requests, pending until the callback, provider and network errors).
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../src/server/clock.ts';
import * as s from '../src/server/db/schema.ts';
import { httpCallChannel } from '../src/server/engine/channels/call-http.ts';
import type { AttemptJob } from '../src/server/engine/channels/channel.ts';
import { instantChannel } from '../src/server/engine/channels/instant.ts';
import { DEFAULT_SMS_TEXT, twilioSms } from '../src/server/engine/channels/sms-twilio.ts';
import { createEngine } from '../src/server/engine/engine.ts';
import { newId } from '../src/server/ids.ts';
import { createLogger } from '../src/server/logger.ts';
import { testDatabases, useOwnDatabase } from './helpers/databases.ts';
import { deleteWorkspaces, insertFollowUp } from './helpers/fixtures.ts';
import { createTestWorkspace, type TestWorkspace } from './helpers/workspace.ts';

const logger = createLogger('silent');
const ACCOUNT_SID = `AC${randomBytes(16).toString('hex')}`;
const AUTH_TOKEN = randomBytes(16).toString('hex');
const FROM = '+15005550006';

interface Captured {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A local HTTP server; `reply` decides each answer. */
async function startServer(reply: (req: Captured) => { status: number; body?: unknown } | 'hang') {
  const received: Captured[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      const captured = { method: req.method!, url: req.url!, headers: req.headers, body };
      received.push(captured);
      const answer = reply(captured);
      if (answer === 'hang') return; // closed with the server
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    received,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

type TwilioMode = 'queued' | 'invalid_number' | 'opted_out' | 'unavailable';

/** Imitates POST /2010-04-01/Accounts/{sid}/Messages.json. */
function twilioAnswer(mode: TwilioMode, req: Captured) {
  const auth = `Basic ${Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64')}`;
  if (req.headers.authorization !== auth) {
    return { status: 401, body: { code: 20003, message: 'Authenticate', status: 401 } };
  }
  if (req.url !== `/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`) {
    return { status: 404, body: { code: 20404, message: 'Not found', status: 404 } };
  }
  const form = new URLSearchParams(req.body);
  const errors = {
    invalid_number: [400, 21211, `The 'To' number ${form.get('To')} is not a valid phone number.`],
    opted_out: [400, 21610, 'Attempt to send to unsubscribed recipient'],
    unavailable: [503, 20503, 'Service unavailable'],
  } as const;
  if (mode !== 'queued') {
    const [status, code, message] = errors[mode];
    return {
      status,
      body: { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status },
    };
  }
  return {
    status: 201,
    body: {
      sid: `SM${randomBytes(16).toString('hex')}`,
      account_sid: ACCOUNT_SID,
      to: form.get('To'),
      from: form.get('From'),
      body: form.get('Body'),
      status: 'queued',
      num_segments: '1',
      direction: 'outbound-api',
      date_created: new Date().toUTCString(),
      error_code: null,
      error_message: null,
    },
  };
}

for (const target of testDatabases()) {
  describe(`twilio SMS provider [${target.name}]`, () => {
    const ctx = useOwnDatabase(target);
    let ws: TestWorkspace;
    let mode: TwilioMode = 'queued';
    let standIn: Awaited<ReturnType<typeof startServer>>;

    beforeAll(async () => {
      await deleteWorkspaces(ctx.handle.db, ['Twilio SMS Co']);
      ws = await createTestWorkspace(ctx.handle.db, 'Twilio SMS Co');
      standIn = await startServer((req) => twilioAnswer(mode, req));
    });
    afterAll(async () => {
      await standIn?.close();
      // The engine claims across workspaces: leave nothing due for other files' engines.
      await deleteWorkspaces(ctx.handle.db, ['Twilio SMS Co']);
    });

    async function runSms(notes: string | null) {
      // Monday 2 March 2026, 10:00 in New York: inside the window.
      const clock = new FakeClock('2026-03-02T15:00:00Z');
      const id = await insertFollowUp(
        ctx.handle.db,
        ws,
        { type: 'sms', scheduledAt: clock.now(), maxAttempts: 3, notes },
        clock.now(),
      );
      const engine = createEngine({
        handle: ctx.handle,
        clock,
        logger,
        workerId: 'twilio-test',
        channels: {
          call: instantChannel('call'),
          webhook: instantChannel('webhook'),
          sms: twilioSms({
            accountSid: ACCOUNT_SID,
            authToken: AUTH_TOKEN,
            from: FROM,
            apiBase: standIn.base,
            timeoutMs: 2000,
          }),
        },
      });
      await engine.runOnce();
      await engine.idle();
      const [row] = await ctx.handle.db.select().from(s.followUps).where(eq(s.followUps.id, id));
      const [attempt] = await ctx.handle.db
        .select()
        .from(s.followUpAttempts)
        .where(eq(s.followUpAttempts.followUpId, id));
      const [contact] = await ctx.handle.db
        .select({ phone: s.contacts.phone })
        .from(s.contacts)
        .where(eq(s.contacts.id, ws.contacts.ny));
      const sent = standIn.received.filter(
        (r) => new URLSearchParams(r.body).get('To') === contact!.phone,
      );
      return { row: row!, attempt: attempt!, sent: sent.at(-1), phone: contact!.phone };
    }

    it('sends through the SDK to the stand-in: accepted counts as success', async () => {
      mode = 'queued';
      const { row, attempt, sent, phone } = await runSms('Your renewal quote is ready.');
      expect(row).toMatchObject({ status: 'completed', attempts: 1 });
      expect(attempt).toMatchObject({ provider: 'twilio', result: 'accepted' });
      expect(attempt.providerRef).toMatch(/^SM[0-9a-f]{32}$/);
      const form = new URLSearchParams(sent!.body);
      expect(Object.fromEntries(form)).toEqual({
        To: phone,
        From: FROM,
        Body: 'Your renewal quote is ready.',
      });
    });

    it('sends a short default text when the follow-up has no notes', async () => {
      mode = 'queued';
      const { row, sent } = await runSms(null);
      expect(row.status).toBe('completed');
      expect(new URLSearchParams(sent!.body).get('Body')).toBe(DEFAULT_SMS_TEXT);
    });

    it('fails at once on an invalid number (21211)', async () => {
      mode = 'invalid_number';
      const { row, attempt } = await runSms('Hello');
      expect(row).toMatchObject({ status: 'failed', attempts: 1 });
      expect(attempt.result).toBe('invalid_number');
      expect(row.lastError).toMatch(/HTTP 400, code 21211/);
    });

    it('fails at once when the recipient opted out (21610)', async () => {
      mode = 'opted_out';
      const { row, attempt } = await runSms('Hello');
      expect(row.status).toBe('failed');
      expect(attempt.result).toBe('opted_out');
    });

    it('retries a provider error (5xx) after the backoff', async () => {
      mode = 'unavailable';
      const { row, attempt } = await runSms('Hello');
      expect(row).toMatchObject({ status: 'scheduled', attempts: 1 });
      expect(row.nextAttemptAt?.toISOString()).toBe('2026-03-02T15:15:00.000Z');
      expect(attempt.result).toBe('provider_error');
      expect(row.lastError).toMatch(/HTTP 503, code 20503\): Service unavailable/);
    });
  });
}

describe('http call provider', () => {
  const secret = `whsec_${randomBytes(24).toString('base64')}`;
  let mode: 'accept' | 'error' | 'hang' = 'accept';
  let platform: Awaited<ReturnType<typeof startServer>>;
  const job: AttemptJob = {
    attemptId: newId(),
    followUpId: newId(),
    workspaceId: newId(),
    number: 2,
    type: 'call',
    idempotencyKey: 'f00d:2',
    agentId: newId(),
    campaignId: null,
    notes: 'Ask about the renewal',
    contact: {
      id: newId(),
      name: 'Nora York',
      phone: '+12125550100',
      email: null,
      timezone: 'America/New_York',
    },
  };
  job.idempotencyKey = `${job.followUpId}:2`;

  beforeAll(async () => {
    platform = await startServer(() =>
      mode === 'accept'
        ? { status: 202, body: { callId: 'call-123' } }
        : mode === 'error'
          ? { status: 500, body: { error: 'no trunks available' } }
          : 'hang',
    );
  });
  afterAll(async () => {
    await platform?.close();
  });

  const channel = (url = `${platform.base}/calls`) =>
    httpCallChannel({
      url,
      secret,
      callbackUrl: 'https://ft.example.com/api/providers/voice/callback',
      timeoutMs: 200,
      allowPrivate: true,
    });

  it('hands the call over, signed, and waits for the callback', async () => {
    mode = 'accept';
    const outcome = await channel().start(job);
    expect(outcome).toEqual({ status: 'pending', providerRef: 'call-123' });
    const request = platform.received.at(-1)!;
    const verified = new Webhook(secret).verify(
      request.body,
      request.headers as Record<string, string>,
    );
    expect(request.headers['webhook-id']).toBe(job.idempotencyKey);
    expect(verified).toMatchObject({
      idempotencyKey: job.idempotencyKey,
      agentId: job.agentId,
      notes: 'Ask about the renewal',
      contact: { phone: '+12125550100', name: 'Nora York', timezone: 'America/New_York' },
      callbackUrl: 'https://ft.example.com/api/providers/voice/callback',
    });
  });

  it('reports a platform error as a retryable provider_error', async () => {
    mode = 'error';
    const outcome = await channel().start(job);
    expect(outcome).toMatchObject({ status: 'done', result: 'provider_error' });
    expect(outcome.status === 'done' && outcome.error).toMatch(/HTTP 500.*no trunks/);
  });

  it('reports an unreachable platform as a network_error', async () => {
    const closed = await startServer(() => ({ status: 200 }));
    await closed.close();
    const outcome = await channel(`${closed.base}/calls`).start(job);
    expect(outcome).toMatchObject({ status: 'done', result: 'network_error' });
  });

  it('refuses a platform on a private address unless FOLLOWTHROUGH_ALLOW_PRIVATE_WEBHOOKS is set', async () => {
    const before = platform.received.length;
    const strict = httpCallChannel({
      url: `${platform.base}/calls`,
      secret,
      callbackUrl: 'https://ft.example.com/api/providers/voice/callback',
    });
    const outcome = await strict.start(job);
    expect(outcome).toEqual({
      status: 'done',
      result: 'network_error',
      error:
        'The voice platform could not be reached: The address 127.0.0.1 is not allowed (private or reserved network).',
    });
    expect(platform.received).toHaveLength(before);
  });

  it('waits for the callback or the lease when the platform does not answer in time', async () => {
    mode = 'hang';
    const outcome = await channel().start(job);
    expect(outcome).toEqual({ status: 'pending' });
  });
});
