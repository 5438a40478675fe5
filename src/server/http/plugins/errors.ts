/**
 * Every failure leaves as application/problem+json: validation (400, with the fields), bad
 * JSON, bodies too large, unknown routes, problems thrown by services. Anything unexpected is
 * logged and becomes a 500 that reveals nothing.
 */
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyServerOptions } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { type FieldError, type Problem, ProblemError } from '../../errors.ts';

export function sendProblem(reply: FastifyReply, problem: Problem) {
  return reply.code(problem.status).type('application/problem+json').send(problem);
}

function fieldErrors(
  validation: { instancePath: string; message?: string; keyword: string; params: unknown }[],
  context: string | undefined,
): FieldError[] {
  const prefix = context === 'querystring' ? 'query' : context === 'params' ? 'params' : '';
  const join = (...parts: string[]) => parts.filter(Boolean).join('.');
  return validation.flatMap((v) => {
    const path = v.instancePath.split('/').filter(Boolean).join('.');
    const params = v.params as { keys?: string[] };
    if (v.keyword === 'unrecognized_keys' && params.keys) {
      return params.keys.map((key) => ({
        path: join(prefix, path, key),
        message: 'Unknown field: remove it.',
      }));
    }
    return [{ path: join(prefix, path), message: v.message ?? 'Invalid value.' }];
  });
}

const STATUS_TITLES: Record<number, string> = {
  400: 'Invalid request',
  404: 'Not found',
  405: 'Method not allowed',
  413: 'Request too large',
  414: 'Address too long',
  415: 'Unsupported media type',
  429: 'Too many requests',
};

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    if (error instanceof ProblemError) return sendProblem(reply, error.toProblem());
    if (hasZodFastifySchemaValidationErrors(error)) {
      const errors = fieldErrors(error.validation, error.validationContext);
      const where = error.validationContext === 'querystring' ? 'query string' : 'request';
      return sendProblem(reply, {
        type: '/problems/invalid-request',
        title: 'Invalid request',
        status: 400,
        detail: `The ${where} has ${errors.length === 1 ? 'a problem' : `${errors.length} problems`}: ${errors.map((e) => `${e.path || '(body)'}: ${e.message}`).join('; ')}`,
        errors,
      });
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      // A refused body may still be arriving: read it to the end before answering, so that the
      // client sees the problem (not a cut connection) and the connection stays usable.
      const raw = request.raw;
      if (!raw.complete && !raw.readableEnded && !raw.destroyed) {
        await drainBody(raw);
      }
      const detail =
        error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error.name === 'SyntaxError'
          ? `The body is not valid JSON: ${error.message}`
          : error.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
            ? 'The body is larger than the 1 MiB this API accepts.'
            : error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
              ? 'Send the body as application/json.'
              : error.message;
      return sendProblem(reply, {
        type: `/problems/http-${status}`,
        title: STATUS_TITLES[status] ?? 'Bad request',
        status,
        detail,
      });
    }
    request.log.error({ err: error }, 'unexpected error');
    return sendProblem(reply, {
      type: '/problems/internal',
      title: 'Something went wrong',
      status: 500,
      detail:
        'The server could not complete this request. Try again; if it keeps failing, the server log says why.',
    });
  });
}

/** Reads and discards the rest of a request body: at most 64 MiB, for at most 30 s. */
async function drainBody(raw: IncomingMessage): Promise<void> {
  const MAX_BYTES = 64 * 1024 * 1024;
  await new Promise<void>((resolve) => {
    let seen = 0;
    const done = () => {
      clearTimeout(timer);
      raw.off('data', count);
      resolve();
    };
    const count = (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > MAX_BYTES) done();
    };
    const timer = setTimeout(done, 30_000);
    raw.on('data', count);
    raw.once('end', done);
    raw.once('close', done);
    raw.once('error', done);
    raw.resume();
  });
}

/**
 * Errors the router answers before any route runs (a malformed or over-long address): problems
 * like every other refusal, instead of Fastify's own JSON with its internal codes.
 */
export const frameworkErrors: NonNullable<FastifyServerOptions['frameworkErrors']> = (
  error,
  _request,
  reply,
) => {
  const detail =
    error.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? 'A part of the address is too long: ids are at most 100 characters.'
      : error.code === 'FST_ERR_BAD_URL'
        ? 'The address is not valid: check its percent-encoding.'
        : 'The request could not be routed.';
  const status = error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 414 : 400;
  sendProblem(reply, {
    type: `/problems/http-${status}`,
    title: STATUS_TITLES[status] ?? 'Bad request',
    status,
    detail,
  });
};

/**
 * Requests Node refuses before Fastify sees them (headers over Node's 16 KiB, a malformed request
 * line, a request too slow to arrive): the same problem+json as every other refusal, instead of
 * Fastify's own JSON; then the connection closes, as Node's parser cannot go on.
 */
export function clientErrorHandler(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, reason, detail] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'Request Header Fields Too Large', "The request's headers are larger than 16 KiB."]
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'Request Timeout', 'The request took too long to arrive.']
        : [400, 'Bad Request', 'The request is not valid HTTP.'];
  const body = JSON.stringify({
    type: `/problems/http-${status}`,
    title: reason,
    status,
    detail,
  } satisfies Problem);
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/problem+json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}

export function notFoundProblem(method: string, url: string): Problem {
  return {
    type: '/problems/not-found',
    title: 'Not found',
    status: 404,
    detail: `Nothing is at ${method} ${url.split('?')[0]}.`,
  };
}
