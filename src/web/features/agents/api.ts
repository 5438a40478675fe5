import { queryOptions } from '@tanstack/react-query';
import type { Agent } from '../../../contracts/agents.contract.ts';
import { api, type Page } from '../../lib/api.ts';

export type { Agent };

export const agentsQuery = queryOptions({
  queryKey: ['agents'],
  queryFn: ({ signal }) => api<Page<Agent>>('/agents', { signal }),
  staleTime: 60_000,
});
