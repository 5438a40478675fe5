/**
 * GET /metrics: this process's metrics in Prometheus' text format, for a scraper. Not public on
 * the web port: it answers only with `Authorization: Bearer <FOLLOWTHROUGH_METRICS_TOKEN>`, and
 * not at all without a token (serve them on METRICS_PORT instead). Follow-ups are counted by
 * status only, never named.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { ProblemError, unauthenticated } from '../../errors.ts';
import { METRICS_CONTENT_TYPE, renderMetrics } from '../../metrics.ts';
import type { RouteDeps } from '../app.ts';

const digest = (text: string) => createHash('sha256').update(text).digest();

/** Whether the request carries the metrics token (compared in constant time). */
export function hasMetricsToken(authorization: string | undefined, token: string): boolean {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  return match !== null && timingSafeEqual(digest(match[1]!), digest(token));
}

export function metricsRoutes(
  app: FastifyInstance,
  { ctx }: RouteDeps,
  options: { token?: string | undefined } = {},
): void {
  app.get(
    '/metrics',
    {
      config: { access: 'public' },
      schema: { hide: true },
    },
    async (request, reply) => {
      const { token } = options;
      // Without a token, the web port has no metrics at all (METRICS_PORT serves them).
      if (!token) {
        throw new ProblemError(404, 'not-found', 'Not found', 'Nothing is at GET /metrics.');
      }
      if (!hasMetricsToken(request.headers.authorization, token)) {
        reply.header('www-authenticate', 'Bearer realm="metrics"');
        throw unauthenticated('Send the metrics token as a Bearer token.');
      }
      const text = await renderMetrics(ctx.db, ctx.clock.now().getTime(), (error) =>
        request.log.warn({ err: error }, 'metrics: cannot count follow-ups by status'),
      );
      return reply.header('cache-control', 'no-store').type(METRICS_CONTENT_TYPE).send(text);
    },
  );
}
