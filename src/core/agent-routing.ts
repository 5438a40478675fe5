/**
 * "Inherit from source" (SPEC §4): which agent a follow-up uses at dispatch.
 * agentId null means: the campaign's agent (if campaignId), else the agent of the call that
 * created it (source `call_outcome`), else the workspace default agent.
 */
import type { FollowUpSource } from './follow-up.ts';

export type AgentRouteReason = 'follow_up' | 'campaign' | 'source_call' | 'workspace_default';

export interface RoutingInput {
  agentId: string | null;
  campaignId: string | null;
  source: FollowUpSource;
  /** The campaign's agent, when the follow-up has a campaign. */
  campaignAgentId: string | null;
  /** The agent of the call that created the follow-up (source `call_outcome`). */
  sourceCallAgentId: string | null;
  workspaceDefaultAgentId: string | null;
}

export interface AgentRoute {
  agentId: string | null;
  reason: AgentRouteReason | null;
}

export function resolveAgent(input: RoutingInput): AgentRoute {
  if (input.agentId) return { agentId: input.agentId, reason: 'follow_up' };
  if (input.campaignId && input.campaignAgentId) {
    return { agentId: input.campaignAgentId, reason: 'campaign' };
  }
  if (input.source === 'call_outcome' && input.sourceCallAgentId) {
    return { agentId: input.sourceCallAgentId, reason: 'source_call' };
  }
  if (input.workspaceDefaultAgentId) {
    return { agentId: input.workspaceDefaultAgentId, reason: 'workspace_default' };
  }
  return { agentId: null, reason: null };
}

export const INHERIT_LABEL = 'Inherit from source';
