/**
 * Local stand-ins of the voice platforms' APIs (HTTP servers on loopback that record every
 * request and answer like the platforms' documented responses), and senders of their signed
 * webhooks. The official SDKs are pointed at the stand-ins through their base-URL options.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import Retell from 'retell-sdk';
import twilio from 'twilio';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}

export interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface StandIn {
  url: string;
  requests: RecordedRequest[];
  /** The next answers to give, in order, before the default ones. */
  queue(...replies: Reply[]): void;
  close(): Promise<void>;
}

async function startStandIn(answer: (req: RecordedRequest, n: number) => Reply): Promise<StandIn> {
  const requests: RecordedRequest[] = [];
  const queued: Reply[] = [];
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => {
      raw += chunk;
    });
    req.on('end', () => {
      let body: Record<string, unknown> = {};
      try {
        body = raw ? JSON.parse(raw) : {};
      } catch {
        body = Object.fromEntries(new URLSearchParams(raw));
      }
      const recorded = {
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        headers: req.headers,
        body,
      };
      requests.push(recorded);
      const reply = queued.shift() ?? answer(recorded, requests.length);
      res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
      res.end(JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    queue: (...replies) => queued.push(...replies),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Retell: POST /v2/create-phone-call answers 201 with the registered call (call_id
 * `call_<n>`); GET /v2/list-phone-numbers and POST /v2/list-agents list one of each.
 */
export function startRetellStandIn() {
  return startStandIn((req, n) => {
    if (req.path.startsWith('/v2/create-phone-call')) {
      return {
        status: 201,
        body: {
          call_type: 'phone_call',
          call_id: `call_${n}`,
          agent_id: req.body.override_agent_id ?? 'agent_default',
          agent_version: 1,
          call_status: 'registered',
          from_number: req.body.from_number,
          to_number: req.body.to_number,
          direction: 'outbound',
          metadata: req.body.metadata,
          retell_llm_dynamic_variables: req.body.retell_llm_dynamic_variables,
        },
      };
    }
    if (req.path.startsWith('/v2/list-agents')) {
      return {
        status: 200,
        body: {
          has_more: false,
          items: [{ agent_id: 'agent_stand_in_1', agent_name: 'Stand-in Renewals', version: 1 }],
        },
      };
    }
    if (req.path.startsWith('/v2/list-phone-numbers')) {
      return {
        status: 200,
        body: { has_more: false, items: [{ phone_number: '+12125550123', nickname: 'Main line' }] },
      };
    }
    return { status: 404, body: { error_message: 'Not found' } };
  });
}

/**
 * Vapi: POST /call answers 201 with the queued call (id `vapi-call-<n>`); GET /assistant and
 * GET /phone-number list one of each.
 */
export function startVapiStandIn() {
  return startStandIn((req, n) => {
    if (req.method === 'POST' && req.path.startsWith('/call')) {
      return {
        status: 201,
        body: {
          id: `vapi-call-${n}`,
          orgId: 'org_stand_in',
          type: 'outboundPhoneCall',
          status: 'queued',
          assistantId: req.body.assistantId,
          phoneNumberId: req.body.phoneNumberId,
          customer: req.body.customer,
          createdAt: new Date().toISOString(),
          updatedAt: new Date().toISOString(),
        },
      };
    }
    if (req.path.startsWith('/assistant')) {
      return { status: 200, body: [{ id: 'asst_stand_in_1', name: 'Stand-in Renewals' }] };
    }
    if (req.path.startsWith('/phone-number')) {
      return { status: 200, body: [{ id: 'pn_stand_in_1', number: '+12125550124' }] };
    }
    return { status: 404, body: { message: 'Not found' } };
  });
}

/** Sends a Vapi server message with its server-URL secret (`x-vapi-secret`). */
export function sendVapiWebhook(app: FastifyInstance, body: unknown, secret: string | null) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (secret !== null) headers['x-vapi-secret'] = secret;
  return app.inject({
    method: 'POST',
    url: '/api/providers/vapi/webhook',
    headers,
    payload: JSON.stringify(body),
  });
}

/**
 * Twilio: POST /2010-04-01/Accounts/<sid>/Calls.json answers 201 with the queued call
 * (sid `CA<n>`), as Twilio's REST API does.
 */
export function startTwilioStandIn() {
  return startStandIn((req, n) => {
    const match = /^\/2010-04-01\/Accounts\/([^/]+)\/Calls\.json/.exec(req.path);
    if (req.method === 'POST' && match) {
      return {
        status: 201,
        body: {
          sid: `CA${String(n).padStart(32, '0')}`,
          account_sid: match[1],
          to: req.body.To,
          from: req.body.From,
          status: 'queued',
          direction: 'outbound-api',
          api_version: '2010-04-01',
          uri: `/2010-04-01/Accounts/${match[1]}/Calls/CA${n}.json`,
        },
      };
    }
    return { status: 404, body: { code: 20404, message: 'Not found', status: 404 } };
  });
}

/**
 * Sends a Twilio voice status callback to `path` (with its query string), signed as Twilio
 * signs: X-Twilio-Signature over the public URL and the form fields.
 */
export function sendTwilioStatus(
  app: FastifyInstance,
  publicUrl: string,
  path: string,
  params: Record<string, string>,
  authToken: string | null,
) {
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded',
  };
  if (authToken !== null) {
    headers['x-twilio-signature'] = twilio.getExpectedTwilioSignature(
      authToken,
      `${publicUrl}${path}`,
      params,
    );
  }
  return app.inject({
    method: 'POST',
    url: path,
    headers,
    payload: new URLSearchParams(params).toString(),
  });
}

/** The idempotency keys of the create requests a stand-in received, with their counts. */
export function createKeys(standIn: StandIn, path: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of standIn.requests) {
    if (!r.path.startsWith(path)) continue;
    const overrides = (r.body.assistantOverrides ?? {}) as Record<string, unknown>;
    const metadata = (r.body.metadata ?? overrides.metadata ?? {}) as Record<string, unknown>;
    const key = String(metadata.followthrough_idempotency_key ?? '');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** Sends a Retell webhook signed the way Retell signs (retell-sdk's own `sign`). */
export async function sendRetellWebhook(
  app: FastifyInstance,
  body: unknown,
  apiKey: string | null,
) {
  const payload = JSON.stringify(body);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (apiKey !== null) headers['x-retell-signature'] = await Retell.sign(payload, apiKey);
  return app.inject({ method: 'POST', url: '/api/providers/retell/webhook', headers, payload });
}
