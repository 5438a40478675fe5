/**
 * Request logs that say something (Fastify's LogController, which writes its request lines):
 * a finished request is logged at `info` when it failed (4xx at info, 5xx at error) or was slow,
 * every other one — and every "incoming request" line — at `debug`. Event streams stay open by
 * design and are never "slow".
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { LogController } from 'fastify';

export const SLOW_REQUEST_MS = 1000;

export class RequestLog extends LogController {
  override incomingRequest(request: FastifyRequest): void {
    request.log.debug({ req: request }, 'incoming request');
  }

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    const status = reply.statusCode;
    const entry = { req: request, res: reply, responseTime: Math.round(reply.elapsedTime) };
    const stream = String(reply.getHeader('content-type') ?? '').startsWith('text/event-stream');
    if (error || status >= 500) reply.log.error({ ...entry, err: error }, 'request failed');
    else if (status >= 400) reply.log.info(entry, 'request refused');
    else if (!stream && reply.elapsedTime >= SLOW_REQUEST_MS) reply.log.info(entry, 'slow request');
    else reply.log.debug(entry, 'request completed');
  }
}
