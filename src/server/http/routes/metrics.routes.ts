/**
 * GET /metrics: this process's metrics in Prometheus' text format, for a scraper. Public, like
 * /api/health; follow-ups are counted by status only, never named.
 */
import type { FastifyInstance } from 'fastify';
import { METRICS_CONTENT_TYPE, renderMetrics } from '../../metrics.ts';
import type { RouteDeps } from '../app.ts';

export function metricsRoutes(app: FastifyInstance, { ctx }: RouteDeps): void {
  app.get(
    '/metrics',
    {
      config: { access: 'public' },
      schema: { hide: true },
    },
    async (request, reply) => {
      const text = await renderMetrics(ctx.db, ctx.clock.now().getTime(), (error) =>
        request.log.warn({ err: error }, 'metrics: cannot count follow-ups by status'),
      );
      return reply.header('cache-control', 'no-store').type(METRICS_CONTENT_TYPE).send(text);
    },
  );
}
