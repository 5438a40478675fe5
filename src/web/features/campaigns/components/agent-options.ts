import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import type { SelectOption } from '../../../components/ui/select.tsx';
import { agentsQuery } from '../../../lib/shared-queries.ts';

/** The Select's value for "no agent" (radix forbids ''). */
export const NO_AGENT = 'none';

/**
 * "None (Inherit from source)" and the active agents, plus the current one when it is no
 * longer active (shown, not choosable again).
 */
export function useAgentOptions(current?: { id: string; name: string } | null): SelectOption[] {
  const agents = useQuery(agentsQuery);
  return useMemo(() => {
    const items = agents.data?.items ?? [];
    const options: SelectOption[] = [{ value: NO_AGENT, label: 'None (Inherit from source)' }];
    for (const agent of items) {
      if (agent.status === 'active') options.push({ value: agent.id, label: agent.name });
    }
    if (current && !options.some((o) => o.value === current.id)) {
      options.push({ value: current.id, label: `${current.name} (inactive)`, disabled: true });
    }
    return options;
  }, [agents.data, current]);
}
