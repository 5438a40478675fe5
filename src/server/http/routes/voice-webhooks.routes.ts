/**
 * The voice platforms' webhooks (signed, idempotent): POST /api/providers/retell/webhook
 * (`x-retell-signature`), /api/providers/vapi/webhook (`x-vapi-secret`) and
 * /api/providers/twilio/voice-status (`X-Twilio-Signature`, form fields). The signatures cover
 * the raw body, so these routes keep it as text and hand it, with the signature header, to
 * services/calls/voice-webhooks.ts, which verifies, reads and records the report.
 */
import type { FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { errors } from '../../../contracts/common.ts';
import { VoiceWebhookResponse } from '../../../contracts/providers.contract.ts';
import { unauthenticated } from '../../errors.ts';
import { SecretBox } from '../../secret-box.ts';
import {
  receiveVoiceWebhook,
  type VoiceWebhookSecrets,
} from '../../services/calls/voice-webhooks.ts';
import type { App, RouteDeps } from '../app.ts';

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

const rawText = (body: unknown) => (typeof body === 'string' ? body : '');

/** A header sent once, as text (else as if it were missing). */
function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' ? value : undefined;
}

export function voiceWebhooksRoutes(app: App, { ctx }: RouteDeps, options: VoiceWebhookOptions) {
  const secrets: VoiceWebhookSecrets = {
    retellApiKey: options.retellApiKey,
    vapiSecret: options.vapiSecret,
    twilioAuthToken: options.twilioAuthToken,
    box: options.secretKey ? new SecretBox(options.secretKey) : null,
  };
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
      async (request) =>
        receiveVoiceWebhook(
          ctx,
          secrets,
          {
            platform: 'retell',
            raw: rawText(request.body),
            signature: header(request, 'x-retell-signature'),
          },
          request.log,
        ),
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
      async (request) =>
        receiveVoiceWebhook(
          ctx,
          secrets,
          {
            platform: 'vapi',
            raw: rawText(request.body),
            secret: header(request, 'x-vapi-secret'),
          },
          request.log,
        ),
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
        const { publicUrl } = options;
        if (!publicUrl) {
          throw unauthenticated(
            'This server has no FOLLOWTHROUGH_PUBLIC_URL: it cannot verify Twilio status callbacks.',
          );
        }
        return receiveVoiceWebhook(
          ctx,
          secrets,
          {
            platform: 'twilio',
            params: Object.fromEntries(new URLSearchParams(rawText(request.body))),
            url: `${publicUrl.replace(/\/+$/, '')}${request.url}`,
            signature: header(request, 'x-twilio-signature'),
          },
          request.log,
        );
      },
    );
  });
}
