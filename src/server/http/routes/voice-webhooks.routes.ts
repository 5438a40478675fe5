/**
 * The voice platforms' webhooks (signed, idempotent):
 * - POST /api/providers/retell/webhook: `x-retell-signature`, verified with retell-sdk's own
 *   verification and the Retell API key.
 * - POST /api/providers/vapi/webhook: the server-URL secret in `x-vapi-secret`, compared in
 *   constant time with VAPI_WEBHOOK_SECRET.
 * - POST /api/providers/twilio/voice-status: `X-Twilio-Signature`, checked with the twilio SDK's
 *   validateRequest and the auth token against the public URL (FOLLOWTHROUGH_PUBLIC_URL).
 * A workspace with a voice platform of its own has its reports verified with its own key, token
 * or secret (and such a report touches that workspace only); the environment's verify the
 * others'. A missing or bad signature is a 401 and writes nothing. Events about calls Followthrough does
 * not know are acknowledged (200, status `unknown`) and logged.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createRequire } from 'node:module';
import type { FastifyBaseLogger } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errors } from '../../../contracts/common.ts';
import type { VoiceCredentialName } from '../../../contracts/voice-platform.contract.ts';
import { invalid, unauthenticated } from '../../errors.ts';
import { SecretBox } from '../../secret-box.ts';
import type { ServiceContext } from '../../services/context.ts';
import {
  candidateWorkspaces,
  recordVoiceEvent,
  type VoiceCallEvent,
  type VoiceEventScope,
} from '../../services/voice-events.service.ts';
import { workspaceWebhookSecrets } from '../../services/voice-platform.service.ts';
import type { App, RouteDeps } from '../app.ts';
import {
  RetellWebhookBody,
  retellEvent,
  TwilioVoiceStatusBody,
  twilioEvent,
  VapiWebhookBody,
  vapiEvent,
} from '../voice-payloads.ts';

export interface VoiceWebhookOptions {
  /** RETELL_API_KEY: Retell signs its webhooks with it. */
  retellApiKey?: string | undefined;
  /** VAPI_WEBHOOK_SECRET: the server-URL secret Vapi sends in x-vapi-secret. */
  vapiSecret?: string | undefined;
  /** TWILIO_AUTH_TOKEN: Twilio signs its status callbacks with it. */
  twilioAuthToken?: string | undefined;
  /** FOLLOWTHROUGH_PUBLIC_URL: the address Twilio called, which its signature covers. */
  publicUrl?: string | undefined;
  /** Opens the workspaces' own credentials (FOLLOWTHROUGH_SECRET_KEY or the data folder's). */
  secretKey?: Buffer | null | undefined;
}

export const VoiceWebhookResponse = z.object({
  status: z
    .enum(['recorded', 'updated', 'noted', 'duplicate', 'unknown', 'ignored'])
    .describe(
      'recorded: the call was written; updated: the analysis was added; noted: the call started; ' +
        'duplicate: seen before, nothing changed; unknown: no call of Followthrough; ignored: not a call event',
    ),
  callLogId: z.string().nullable(),
});
type VoiceWebhookResponse = z.infer<typeof VoiceWebhookResponse>;

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch (error) {
    throw invalid(`The body is not valid JSON: ${(error as Error).message}`);
  }
}

function validate<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw invalid(
      'The webhook payload is not one this route reads.',
      parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    );
  }
  return parsed.data;
}

async function record(
  ctx: ServiceContext,
  log: FastifyBaseLogger,
  event: VoiceCallEvent | null,
  scope: VoiceEventScope,
): Promise<VoiceWebhookResponse> {
  if (!event) return { status: 'ignored', callLogId: null };
  const result = await recordVoiceEvent(ctx, event, scope);
  if (result.status === 'unknown') {
    log.info(
      { platform: event.platform, callId: event.callId, direction: event.direction },
      'voice platform reported a call Followthrough does not know; acknowledged, nothing written',
    );
  }
  return { status: result.status, callLogId: 'callLogId' in result ? result.callLogId : null };
}

const rawText = (body: unknown) => (typeof body === 'string' ? body : '');

function tryJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return null;
  }
}

/**
 * Whose secret verifies the report: the workspaces it may be about (their own secret for this
 * platform, when they saved one), then the environment's. Null: none does.
 */
async function verifiedScope(
  ctx: ServiceContext,
  box: SecretBox | null,
  name: VoiceCredentialName,
  event: VoiceCallEvent | null,
  environmentSecret: string | undefined,
  check: (secret: string) => boolean | Promise<boolean>,
): Promise<VoiceEventScope | null> {
  const candidates = event ? await candidateWorkspaces(ctx, event) : [];
  for (const { workspaceId, secret } of await workspaceWebhookSecrets(
    ctx.db,
    box,
    name,
    candidates,
  )) {
    if (secret && (await check(secret))) return { workspaceId };
  }
  if (environmentSecret && (await check(environmentSecret))) return 'environment';
  return null;
}

/** The event a body would be, read without complaint (to find whose secret to check). */
function peek<T>(
  schema: z.ZodType<T>,
  value: unknown,
  toEvent: (body: T) => VoiceCallEvent | null,
): VoiceCallEvent | null {
  const parsed = schema.safeParse(value);
  return parsed.success ? toEvent(parsed.data) : null;
}

export function voiceWebhooksRoutes(app: App, { ctx }: RouteDeps, options: VoiceWebhookOptions) {
  const box = options.secretKey ? new SecretBox(options.secretKey) : null;
  app.register(async (plugin) => {
    // The signatures cover the raw body: keep it as text.
    plugin.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) =>
      done(null, body),
    );
    plugin.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string' },
      (_req, body, done) => done(null, body),
    );
    const route = plugin.withTypeProvider<ZodTypeProvider>();

    route.post(
      '/providers/retell/webhook',
      {
        config: { access: 'public' },
        schema: {
          tags: ['Providers'],
          summary: 'Retell reports a call (call_started, call_ended, call_analyzed), signed',
          response: { 200: VoiceWebhookResponse, ...errors(400, 401) },
        },
      },
      async (request) => {
        const raw = rawText(request.body);
        const signature = request.headers['x-retell-signature'];
        const scope =
          typeof signature === 'string'
            ? await verifiedScope(
                ctx,
                box,
                'retellApiKey',
                peek(RetellWebhookBody, tryJson(raw), retellEvent),
                options.retellApiKey,
                (key) => verifyRetell(raw, key, signature),
              )
            : null;
        if (!scope) {
          throw unauthenticated(
            'The x-retell-signature header is missing or does not match the body.',
          );
        }
        const body = validate(RetellWebhookBody, parseJson(raw));
        return record(ctx, request.log, retellEvent(body), scope);
      },
    );

    route.post(
      '/providers/vapi/webhook',
      {
        config: { access: 'public' },
        schema: {
          tags: ['Providers'],
          summary:
            'Vapi reports a call (status-update, end-of-call-report), with its server-URL secret',
          response: { 200: VoiceWebhookResponse, ...errors(400, 401) },
        },
      },
      async (request) => {
        const raw = rawText(request.body);
        const given = request.headers['x-vapi-secret'];
        const scope =
          typeof given === 'string'
            ? await verifiedScope(
                ctx,
                box,
                'vapiWebhookSecret',
                peek(VapiWebhookBody, tryJson(raw), vapiEvent),
                options.vapiSecret,
                (secret) => sameSecret(given, secret),
              )
            : null;
        if (!scope) throw unauthenticated('The x-vapi-secret header is missing or wrong.');
        const body = validate(VapiWebhookBody, parseJson(raw));
        return record(ctx, request.log, vapiEvent(body), scope);
      },
    );

    route.post(
      '/providers/twilio/voice-status',
      {
        config: { access: 'public' },
        schema: {
          tags: ['Providers'],
          summary:
            "Twilio reports a voice call's status (form fields), signed with X-Twilio-Signature",
          response: { 200: VoiceWebhookResponse, ...errors(400, 401) },
        },
      },
      async (request) => {
        const { twilioAuthToken, publicUrl } = options;
        if (!publicUrl) {
          throw unauthenticated(
            'This server has no FOLLOWTHROUGH_PUBLIC_URL: it cannot verify Twilio status callbacks.',
          );
        }
        const params = Object.fromEntries(new URLSearchParams(rawText(request.body)));
        const url = `${publicUrl.replace(/\/+$/, '')}${request.url}`;
        const key = new URL(url).searchParams.get('key');
        const signature = request.headers['x-twilio-signature'];
        const scope =
          typeof signature === 'string'
            ? await verifiedScope(
                ctx,
                box,
                'twilioAuthToken',
                peek(TwilioVoiceStatusBody, params, (b) => twilioEvent(b, key, ctx.clock.now())),
                twilioAuthToken,
                (token) => twilioSdk().validateRequest(token, signature, url, params),
              )
            : null;
        if (!scope) {
          throw unauthenticated('The X-Twilio-Signature header is missing or does not match.');
        }
        const body = validate(TwilioVoiceStatusBody, params);
        return record(ctx, request.log, twilioEvent(body, key, ctx.clock.now()), scope);
      },
    );
  });
}

/** Constant time whatever the lengths: both sides are hashed first. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (v: string) => createHash('sha256').update(v).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** The Twilio SDK is large: loaded at the first Twilio callback, not with the server. */
const twilioSdk = () => createRequire(import.meta.url)('twilio') as typeof import('twilio');

async function verifyRetell(raw: string, apiKey: string, signature: string): Promise<boolean> {
  try {
    const { default: Retell } = await import('retell-sdk');
    return await Retell.verify(raw, apiKey, signature);
  } catch {
    return false;
  }
}
