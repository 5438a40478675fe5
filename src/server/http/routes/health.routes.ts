import { z } from 'zod';
import type { App, RouteDeps } from '../app.ts';

export function healthRoutes(app: App, { handle }: RouteDeps): void {
  app.get(
    '/health',
    {
      config: { access: 'public' },
      schema: {
        tags: ['Health'],
        summary: 'Liveness and database reachability',
        security: [],
        response: {
          200: HealthSchema,
          503: HealthSchema,
        },
      },
    },
    async (_request, reply) => {
      const reachable = await handle.ping();
      return reply.code(reachable ? 200 : 503).send({
        status: reachable ? 'ok' : 'unavailable',
        database: { kind: handle.kind, reachable },
      });
    },
  );
}

const HealthSchema = z.object({
  status: z.enum(['ok', 'unavailable']),
  database: z.object({ kind: z.enum(['pglite', 'postgres']), reachable: z.boolean() }),
});
