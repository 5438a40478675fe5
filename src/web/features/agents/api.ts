import { queryOptions } from '@tanstack/react-query';
import type {
  Agent,
  AgentDetail,
  CallNow,
  CreateAgentBody,
  UpdateAgentBody,
} from '../../../contracts/agents.contract.ts';
import { api } from '../../lib/api.ts';

export { agentsQuery } from '../../lib/shared-queries.ts';
export type { Agent, AgentDetail, CallNow };

/** One agent with the calls it is on now (['agents', id]: refreshed with the list). */
export const agentQuery = (id: string) =>
  queryOptions({
    queryKey: ['agents', id],
    queryFn: ({ signal }) => api<AgentDetail>(`/agents/${id}`, { signal }),
  });

export function createAgent(body: CreateAgentBody) {
  return api<AgentDetail>('/agents', { method: 'POST', body });
}

export function updateAgent(id: string, body: UpdateAgentBody) {
  return api<AgentDetail>(`/agents/${id}`, { method: 'PATCH', body });
}
