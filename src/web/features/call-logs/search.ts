import { CALL_OUTCOMES, type CallOutcome } from '../../../core/results.ts';
import { id, oneOf } from '../../lib/search.ts';

export interface CallLogsSearch {
  contactId?: string;
  agentId?: string;
  campaignId?: string;
  outcome?: CallOutcome;
}

export function validateCallLogsSearch(search: Record<string, unknown>): CallLogsSearch {
  return {
    contactId: id(search.contactId),
    agentId: id(search.agentId),
    campaignId: id(search.campaignId),
    outcome: oneOf(search.outcome, CALL_OUTCOMES),
  };
}
