import { z } from 'zod';
import { AGENT_STATUSES } from '../core/roles.ts';

export const AgentSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  status: z.enum(AGENT_STATUSES),
  maxConcurrentCalls: z.number().int(),
  isDefault: z.boolean(),
  callsInProgress: z.number().int().describe('Call follow-ups running with this agent now'),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Agent = z.infer<typeof AgentSchema>;
