import { describe, expect, it } from 'vitest';
import { type RoutingInput, resolveAgent } from './agent-routing.ts';

const base: RoutingInput = {
  agentId: null,
  campaignId: null,
  source: 'manual',
  campaignAgentId: null,
  sourceCallAgentId: null,
  workspaceDefaultAgentId: 'default',
};

describe('resolveAgent ("Inherit from source")', () => {
  it('uses the follow-up own agent first', () => {
    expect(
      resolveAgent({ ...base, agentId: 'own', campaignId: 'c', campaignAgentId: 'ca' }),
    ).toEqual({ agentId: 'own', reason: 'follow_up' });
  });

  it('then the campaign agent', () => {
    expect(
      resolveAgent({
        ...base,
        campaignId: 'c',
        campaignAgentId: 'ca',
        source: 'call_outcome',
        sourceCallAgentId: 'call',
      }),
    ).toEqual({ agentId: 'ca', reason: 'campaign' });
  });

  it('then the agent of the call that created it, for call outcomes only', () => {
    expect(resolveAgent({ ...base, source: 'call_outcome', sourceCallAgentId: 'call' })).toEqual({
      agentId: 'call',
      reason: 'source_call',
    });
    expect(resolveAgent({ ...base, source: 'manual', sourceCallAgentId: 'call' })).toEqual({
      agentId: 'default',
      reason: 'workspace_default',
    });
  });

  it('then the workspace default, else nothing', () => {
    expect(resolveAgent(base)).toEqual({ agentId: 'default', reason: 'workspace_default' });
    expect(resolveAgent({ ...base, workspaceDefaultAgentId: null })).toEqual({
      agentId: null,
      reason: null,
    });
  });
});
