/**
 * Signed provider callbacks (SPEC §5.2): POST /api/providers/voice/callback. The signature covers
 * the raw body, so this plugin keeps JSON bodies as text, verifies the Standard Webhooks
 * signature (FOLLOWTHROUGH_VOICE_SECRET, at most 5 minutes old) before anything else, and only
 * then parses and validates. Unsigned, mis-signed or stale callbacks get 401 and change nothing.
 */
import type { FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { errors } from '../../../contracts/common.ts';
import { VoiceCallbackBody, VoiceCallbackResponse } from '../../../contracts/providers.contract.ts';
import { invalid, ProblemError, unauthenticated } from '../../errors.ts';
import { verifyRequest } from '../../outbound/signing.ts';
import { reportCall } from '../../services/calls/call-reports.ts';
import { reportInboundCall } from '../../services/calls/inbound.ts';
import type { ServiceContext } from '../../services/context.ts';
import type { App, RouteDeps } from '../app.ts';

export interface ProvidersRouteOptions {
  /** FOLLOWTHROUGH_VOICE_SECRET (whsec_…); without it every callback is refused. */
  voiceSecret: string | undefined;
}

const unknown = (detail: string) => new ProblemError(404, 'not-found', 'Not found', detail);

/** Verifies the signature over the raw text, then hands the parsed JSON to validation. */
function verifySigned(ctx: ServiceContext, secret: string | undefined) {
  return async (request: FastifyRequest) => {
    if (!secret) {
      throw unauthenticated(
        'This server has no FOLLOWTHROUGH_VOICE_SECRET: it cannot verify voice callbacks.',
      );
    }
    const raw = typeof request.body === 'string' ? request.body : '';
    const verified = verifyRequest(secret, raw, request.headers, ctx.clock.now());
    if (!verified.ok) throw unauthenticated(verified.reason);
    try {
      request.body = JSON.parse(raw);
    } catch (error) {
      throw invalid(`The body is not valid JSON: ${(error as Error).message}`);
    }
  };
}

async function handle(
  ctx: ServiceContext,
  body: VoiceCallbackBody,
): Promise<VoiceCallbackResponse> {
  if (body.direction === 'inbound') {
    const result = await reportInboundCall(ctx, {
      workspaceId: body.workspaceId,
      phone: body.phone,
      outcome: body.outcome,
      startedAt: new Date(body.startedAt),
      endedAt: new Date(body.endedAt),
      summary: body.summary ?? null,
    });
    if (result.status === 'unknown') {
      throw unknown(`No contact of this workspace has the phone number ${body.phone}.`);
    }
    const recorded = result.status === 'recorded';
    return {
      status: result.status,
      callLogId: result.callLogId,
      createdFollowUps: 0,
      completedFollowUps: recorded ? result.completedFollowUpIds.length : 0,
      blockedFollowUps: recorded ? result.blockedFollowUpIds.length : 0,
    };
  }
  const result = await reportCall(ctx, {
    idempotencyKey: body.idempotencyKey,
    outcome: body.outcome,
    startedAt: new Date(body.startedAt),
    endedAt: new Date(body.endedAt),
    summary: body.summary ?? null,
    requestedCallbackAt: body.requestedCallbackAt ? new Date(body.requestedCallbackAt) : null,
    providerRef: body.providerRef ?? null,
  });
  if (result.status === 'unknown') {
    throw unknown(`No call attempt has the idempotency key "${body.idempotencyKey}".`);
  }
  if (result.status === 'duplicate') {
    return {
      status: 'duplicate',
      callLogId: null,
      createdFollowUps: 0,
      completedFollowUps: 0,
      blockedFollowUps: 0,
    };
  }
  return {
    status: 'recorded',
    callLogId: result.callLogId,
    createdFollowUps: result.createdFollowUpIds.length,
    completedFollowUps: 0,
    blockedFollowUps: result.blockedFollowUpIds.length,
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
      async (request) => handle(ctx, request.body),
    );
  });
}
