import { AgentSchema } from '../../../contracts/agents.contract.ts';
import { errors, listOf } from '../../../contracts/common.ts';
import { listAgents } from '../../services/agents.service.ts';
import type { App, RouteDeps } from '../app.ts';
import { actorOf } from '../plugins/auth.ts';

export function agentsRoutes(app: App, { ctx }: RouteDeps): void {
  app.get(
    '/agents',
    {
      schema: {
        tags: ['Agents'],
        summary: 'Agents of the workspace, with the calls each has in progress',
        response: { 200: listOf(AgentSchema), ...errors() },
      },
    },
    async (request) => listAgents(ctx, actorOf(request)),
  );
}
