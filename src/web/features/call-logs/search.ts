import { CallLogListQuery } from '../../../contracts/call-logs.contract.ts';
import { searchValidator } from '../../lib/search.ts';

const { contactId, agentId, campaignId, outcome } = CallLogListQuery.shape;

/** The filters of /call-logs, as they stand in the URL: the API list's own. */
export const validateCallLogsSearch = searchValidator({ contactId, agentId, campaignId, outcome });
export type CallLogsSearch = ReturnType<typeof validateCallLogsSearch>;
