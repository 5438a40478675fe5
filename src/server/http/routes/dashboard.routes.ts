import { errors } from '../../../contracts/common.ts';
import { DashboardSchema } from '../../../contracts/dashboard.contract.ts';
import { getDashboard } from '../../services/dashboard.service.ts';
import type { App, RouteDeps } from '../app.ts';
import { actorOf } from '../plugins/auth.ts';

export function dashboardRoutes(app: App, { ctx }: RouteDeps): void {
  app.get(
    '/dashboard',
    {
      schema: {
        tags: ['Dashboard'],
        summary:
          'Follow-ups per status, what needs attention, the next 24 hours, call outcomes per day',
        response: { 200: DashboardSchema, ...errors() },
      },
    },
    async (request) => getDashboard(ctx, actorOf(request)),
  );
}
