/**
 * A voice platform's webhook, once its route has read the request (raw body, signature header):
 * verified, read into one VoiceCallEvent and recorded (voice-events.service.ts).
 * - Retell: `x-retell-signature`, verified with retell-sdk's own verification and the API key.
 * - Vapi: the server-URL secret in `x-vapi-secret`, compared in constant time.
 * - Twilio: `X-Twilio-Signature`, checked with the twilio SDK's validateRequest and the auth
 *   token against the public URL the request was sent to.
 * A workspace with a voice platform of its own has its reports verified with its own key, token
 * or secret (and such a report touches that workspace only); the environment's verify the
 * others'. A missing or bad signature is a 401 and writes nothing; a payload the platform's
 * schema does not read is a 400. Events about calls Followthrough does not know are
 * acknowledged (status `unknown`) and logged.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createRequire } from 'node:module';
import type { z } from 'zod';
import type { VoiceWebhookResponse } from '../../../contracts/providers.contract.ts';
import type { VoiceCredentialName } from '../../../contracts/voice-platform.contract.ts';
import { invalid, unauthenticated } from '../../errors.ts';
import type { Logger } from '../../logger.ts';
import type { SecretBox } from '../../secret-box.ts';
import type { ServiceContext } from '../context.ts';
import {
  candidateWorkspaces,
  recordVoiceEvent,
  type VoiceCallEvent,
  type VoiceEventScope,
} from '../voice-events.service.ts';
import { workspaceWebhookSecrets } from '../voice-platform.service.ts';
import {
  RetellWebhookBody,
  retellEvent,
  TwilioVoiceStatusBody,
  twilioEvent,
  VapiWebhookBody,
  vapiEvent,
} from './voice-payloads.ts';

/** The environment's secrets, and the key that opens the workspaces' own. */
export interface VoiceWebhookSecrets {
  /** RETELL_API_KEY: Retell signs its webhooks with it. */
  retellApiKey?: string | undefined;
  /** VAPI_WEBHOOK_SECRET: the server-URL secret Vapi sends in x-vapi-secret. */
  vapiSecret?: string | undefined;
  /** TWILIO_AUTH_TOKEN: Twilio signs its status callbacks with it. */
  twilioAuthToken?: string | undefined;
  /** Opens the workspaces' own credentials; null: only the environment's verify. */
  box: SecretBox | null;
}

/** A webhook as its route read it. */
export type VoiceWebhook =
  | { platform: 'retell'; raw: string; signature: string | undefined }
  | { platform: 'vapi'; raw: string; secret: string | undefined }
  | {
      platform: 'twilio';
      /** The form fields posted. */
      params: Record<string, string>;
      /** The public URL the request was sent to (its signature covers it). */
      url: string;
      signature: string | undefined;
    };

export async function receiveVoiceWebhook(
  ctx: ServiceContext,
  secrets: VoiceWebhookSecrets,
  webhook: VoiceWebhook,
  log: Pick<Logger, 'info'>,
): Promise<VoiceWebhookResponse> {
  switch (webhook.platform) {
    case 'retell':
      return receive(ctx, secrets.box, log, {
        credential: 'retellApiKey',
        environmentSecret: secrets.retellApiKey,
        given: webhook.signature,
        check: (key, signature) => verifyRetell(webhook.raw, key, signature),
        refused: 'The x-retell-signature header is missing or does not match the body.',
        schema: RetellWebhookBody,
        peeked: tryJson(webhook.raw),
        read: () => parseJson(webhook.raw),
        toEvent: retellEvent,
      });
    case 'vapi':
      return receive(ctx, secrets.box, log, {
        credential: 'vapiWebhookSecret',
        environmentSecret: secrets.vapiSecret,
        given: webhook.secret,
        check: (secret, given) => sameSecret(given, secret),
        refused: 'The x-vapi-secret header is missing or wrong.',
        schema: VapiWebhookBody,
        peeked: tryJson(webhook.raw),
        read: () => parseJson(webhook.raw),
        toEvent: vapiEvent,
      });
    case 'twilio': {
      const { params, url } = webhook;
      const key = new URL(url).searchParams.get('key');
      return receive(ctx, secrets.box, log, {
        credential: 'twilioAuthToken',
        environmentSecret: secrets.twilioAuthToken,
        given: webhook.signature,
        check: (token, signature) => twilioSdk().validateRequest(token, signature, url, params),
        refused: 'The X-Twilio-Signature header is missing or does not match.',
        schema: TwilioVoiceStatusBody,
        peeked: params,
        read: () => params,
        toEvent: (body) => twilioEvent(body, key, ctx.clock.now()),
      });
    }
  }
}

/** How one platform's webhook is verified and read. */
interface Reading<T> {
  /** The workspace credential that verifies it. */
  credential: VoiceCredentialName;
  environmentSecret: string | undefined;
  /** The signature or secret the request came with. */
  given: string | undefined;
  check: (secret: string, given: string) => boolean | Promise<boolean>;
  /** The 401's detail when nobody's secret verifies it. */
  refused: string;
  schema: z.ZodType<T>;
  /** The body as far as it reads without complaint (to find whose secret to check). */
  peeked: unknown;
  /** The body, or a 400 when it is not JSON. */
  read: () => unknown;
  toEvent: (body: T) => VoiceCallEvent | null;
}

/** Verified first (401 and nothing written), then validated (400), then recorded. */
async function receive<T>(
  ctx: ServiceContext,
  box: SecretBox | null,
  log: Pick<Logger, 'info'>,
  reading: Reading<T>,
): Promise<VoiceWebhookResponse> {
  const { given } = reading;
  const scope =
    given === undefined
      ? null
      : await verifiedScope(
          ctx,
          box,
          reading.credential,
          peek(reading.schema, reading.peeked, reading.toEvent),
          reading.environmentSecret,
          (secret) => reading.check(secret, given),
        );
  if (!scope) throw unauthenticated(reading.refused);
  const body = validate(reading.schema, reading.read());
  return record(ctx, log, reading.toEvent(body), scope);
}

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch (error) {
    throw invalid(`The body is not valid JSON: ${(error as Error).message}`);
  }
}

function tryJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return null;
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

/** The event a body would be, read without complaint (to find whose secret to check). */
function peek<T>(
  schema: z.ZodType<T>,
  value: unknown,
  toEvent: (body: T) => VoiceCallEvent | null,
): VoiceCallEvent | null {
  const parsed = schema.safeParse(value);
  return parsed.success ? toEvent(parsed.data) : null;
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

async function record(
  ctx: ServiceContext,
  log: Pick<Logger, 'info'>,
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
