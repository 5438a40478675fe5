/**
 * A signed provider callback (POST /api/providers/voice/callback, SPEC §5.2): its Standard
 * Webhooks signature (FOLLOWTHROUGH_VOICE_SECRET, at most 5 minutes old) is verified over the
 * raw body before anything else; once the route has validated the parsed body, an outbound call is recorded by its attempt's
 * idempotency key (reportCall), an inbound call by workspace and phone (reportInboundCall). A
 * call nobody knows is a 404; the same report again is a `duplicate` and changes nothing.
 */
import type {
  VoiceCallbackBody,
  VoiceCallbackResponse,
} from '../../../contracts/providers.contract.ts';
import { invalid, ProblemError, unauthenticated } from '../../errors.ts';
import { type HeaderBag, verifyRequest } from '../../outbound/signing.ts';
import type { ServiceContext } from '../context.ts';
import { reportCall } from './call-reports.ts';
import { reportInboundCall } from './inbound.ts';

const unknown = (detail: string) => new ProblemError(404, 'not-found', 'Not found', detail);

/**
 * The callback's JSON, once its signature is verified: 401 without a secret to verify with or
 * with a missing, wrong or stale signature; 400 when the signed body is not JSON.
 */
export function verifyVoiceCallback(
  ctx: ServiceContext,
  secret: string | undefined,
  raw: string,
  headers: HeaderBag,
): unknown {
  if (!secret) {
    throw unauthenticated(
      'This server has no FOLLOWTHROUGH_VOICE_SECRET: it cannot verify voice callbacks.',
    );
  }
  const verified = verifyRequest(secret, raw, headers, ctx.clock.now());
  if (!verified.ok) throw unauthenticated(verified.reason);
  try {
    return JSON.parse(raw);
  } catch (error) {
    throw invalid(`The body is not valid JSON: ${(error as Error).message}`);
  }
}

export async function receiveVoiceCallback(
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
