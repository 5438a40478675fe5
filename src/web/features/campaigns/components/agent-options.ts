import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { z } from 'zod';
import type { SelectOption } from '../../../components/ui/select.tsx';
import { agentsQuery } from '../../../lib/shared-queries.ts';

/** The Select's value for "no agent" (radix forbids ''). */
export const NO_AGENT = 'none';

/** The agent Select's value as the contracts take it: an agent's id, or null for none. */
export const AgentChoice = z.string().transform((id) => (id === NO_AGENT ? null : id));

/** The time zone picker's value as the contracts take it: a zone, or null for none. */
export const ZoneChoice = z.string().transform((zone) => zone || null);

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
