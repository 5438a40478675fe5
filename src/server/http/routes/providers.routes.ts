/**
 * Signed provider callbacks (SPEC §5.2): POST /api/providers/voice/callback. The signature covers
 * the raw body, so this plugin keeps JSON bodies as text, verifies the Standard Webhooks
 * signature (FOLLOWTHROUGH_VOICE_SECRET, at most 5 minutes old) before anything else, and only
 * then parses and validates (both in services/calls/voice-callback.ts, which records the call). Unsigned,
 * mis-signed or stale callbacks get 401 and change nothing.
 */
import type { FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { errors } from '../../../contracts/common.ts';
import { VoiceCallbackBody, VoiceCallbackResponse } from '../../../contracts/providers.contract.ts';
import { receiveVoiceCallback, verifyVoiceCallback } from '../../services/calls/voice-callback.ts';
import type { ServiceContext } from '../../services/context.ts';
import type { App, RouteDeps } from '../app.ts';

export interface ProvidersRouteOptions {
  /** FOLLOWTHROUGH_VOICE_SECRET (whsec_…); without it every callback is refused. */
  voiceSecret: string | undefined;
}

/** Verifies the signature over the raw text, then hands the parsed JSON to validation. */
function verifySigned(ctx: ServiceContext, secret: string | undefined) {
  return async (request: FastifyRequest) => {
    const raw = typeof request.body === 'string' ? request.body : '';
    request.body = verifyVoiceCallback(ctx, secret, raw, request.headers);
  };
}

export function providersRoutes(
  app: App,
  { ctx }: RouteDeps,
  options: ProvidersRouteOptions,
): void {
  // Its own plugin: the raw-text JSON parser and the signature check apply to these routes only.
  app.register(async (plugin) => {
    plugin.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) =>
      done(null, body),
    );
    plugin.addHook('preValidation', verifySigned(ctx, options.voiceSecret));
    plugin.withTypeProvider<ZodTypeProvider>().post(
      '/providers/voice/callback',
      {
        config: { access: 'public' },
        schema: {
          tags: ['Providers'],
          summary:
            'A voice platform reports a call (signed with Standard Webhooks): an outbound ' +
            'call by its idempotency key, or an inbound call by workspace and phone',
          body: VoiceCallbackBody,
          response: { 200: VoiceCallbackResponse, ...errors(404) },
        },
      },
      async (request) => receiveVoiceCallback(ctx, request.body),
    );
  });
}
