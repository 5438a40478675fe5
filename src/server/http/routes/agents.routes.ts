import {
  AgentDetailSchema,
  AgentSchema,
  CreateAgentBody,
  UpdateAgentBody,
} from '../../../contracts/agents.contract.ts';
import { errors, IdParams, listOf } from '../../../contracts/common.ts';
import { createAgent, getAgent, listAgents, updateAgent } from '../../services/agents.service.ts';
import type { App, RouteDeps } from '../app.ts';
import { actorOf } from '../plugins/auth.ts';

const tags = ['Agents'];

export function agentsRoutes(app: App, { ctx }: RouteDeps): void {
  app.get(
    '/agents',
    {
      schema: {
        tags,
        summary: 'Agents of the workspace, with the calls each has in progress',
        response: { 200: listOf(AgentSchema), ...errors() },
      },
    },
    async (request) => listAgents(ctx, actorOf(request)),
  );

  app.post(
    '/agents',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        summary:
          'Add an agent (admin). Names are unique in the workspace, case aside (409); ' +
          'isDefault true makes it the default agent, which must be active (422)',
        body: CreateAgentBody,
        response: { 201: AgentDetailSchema, ...errors(403, 409, 422) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await createAgent(ctx, actorOf(request), request.body)),
  );

  app.get(
    '/agents/:id',
    {
      schema: {
        tags,
        summary: 'One agent, with the calls it is on right now (follow-up, contact, started at)',
        params: IdParams,
        response: { 200: AgentDetailSchema, ...errors(404) },
      },
    },
    async (request) => getAgent(ctx, actorOf(request), request.params.id),
  );

  app.patch(
    '/agents/:id',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        summary:
          'Change an agent (admin). The default agent cannot be made inactive (422: choose ' +
          'another default first). Deactivating an agent that open call follow-ups would ' +
          'still use (chosen for them, or inherited from their campaign or source call) is ' +
          'refused with a 422 that says how many: they do not fall back to another agent',
        params: IdParams,
        body: UpdateAgentBody,
        response: { 200: AgentDetailSchema, ...errors(403, 404, 409, 422) },
      },
    },
    async (request) => updateAgent(ctx, actorOf(request), request.params.id, request.body),
  );
}
