/** Agents (SPEC §1, §7 /agents): the AI voice agents that place the calls, and their load. */
import { z } from 'zod';
import { AGENT_STATUSES } from '../core/roles.ts';
import { InstantOut, Summary } from './common.ts';

export const AGENT_CAPACITY_RANGE = { min: 1, max: 100 } as const;
export const AGENT_NAME_MAX_LENGTH = 100;
export const AGENT_DESCRIPTION_MAX_LENGTH = 500;

export const AgentSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  status: z.enum(AGENT_STATUSES),
  maxConcurrentCalls: z.number().int(),
  isDefault: z.boolean(),
  externalAgentId: z
    .string()
    .nullable()
    .describe("The voice platform's id for this agent: the Retell agent id or Vapi assistant id"),
  fromNumber: z
    .string()
    .nullable()
    .describe("The number this agent calls from (E.164); null uses the workspace's caller number"),
  callsInProgress: z.number().int().describe('Call follow-ups running with this agent now'),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Agent = z.infer<typeof AgentSchema>;

export const CallNowSchema = z.object({
  followUpId: z.string(),
  contact: Summary,
  attempt: z.number().int().describe('Which attempt of the follow-up this call is'),
  startedAt: InstantOut.describe('When the call started'),
});
export type CallNow = z.infer<typeof CallNowSchema>;

export const AgentDetailSchema = AgentSchema.extend({
  callsNow: z.array(CallNowSchema).describe('The calls in progress now, longest-running first'),
});
export type AgentDetail = z.infer<typeof AgentDetailSchema>;

const Name = z
  .string({ message: 'Give the agent a name.' })
  .trim()
  .min(1, 'Give the agent a name.')
  .max(AGENT_NAME_MAX_LENGTH, `The name can be at most ${AGENT_NAME_MAX_LENGTH} characters.`);

const Description = z
  .string()
  .trim()
  .max(
    AGENT_DESCRIPTION_MAX_LENGTH,
    `The description can be at most ${AGENT_DESCRIPTION_MAX_LENGTH} characters.`,
  )
  .nullable()
  .transform((v) => (v === '' ? null : v));

const capacityMessage = `Give a whole number from ${AGENT_CAPACITY_RANGE.min} to ${AGENT_CAPACITY_RANGE.max}.`;
const MaxConcurrentCalls = z
  .number({ message: capacityMessage })
  .int(capacityMessage)
  .min(AGENT_CAPACITY_RANGE.min, capacityMessage)
  .max(AGENT_CAPACITY_RANGE.max, capacityMessage)
  .describe('Calls this agent may have in progress at once');

export const EXTERNAL_AGENT_ID_MAX_LENGTH = 200;
const ExternalAgentId = z
  .string()
  .trim()
  .max(
    EXTERNAL_AGENT_ID_MAX_LENGTH,
    `The platform agent id can be at most ${EXTERNAL_AGENT_ID_MAX_LENGTH} characters.`,
  )
  .regex(/^[^\s]*$/, 'The platform agent id has no spaces.')
  .nullable()
  .transform((v) => (v === '' ? null : v))
  .describe("The voice platform's id for this agent: the Retell agent id or Vapi assistant id");

const FromNumber = z
  .string()
  .trim()
  .regex(/^(\+[1-9]\d{6,14})?$/, 'Give the number in E.164 form, like +12125550100.')
  .nullable()
  .transform((v) => (v === '' ? null : v))
  .describe("The number this agent calls from (E.164); empty uses the workspace's caller number");

const Status = z.enum(AGENT_STATUSES, { message: `Choose one of: ${AGENT_STATUSES.join(', ')}.` });

export const CreateAgentBody = z.strictObject({
  name: Name,
  description: Description.optional(),
  status: Status.default('active'),
  maxConcurrentCalls: MaxConcurrentCalls.default(5),
  externalAgentId: ExternalAgentId.optional(),
  fromNumber: FromNumber.optional(),
  isDefault: z
    .boolean()
    .default(false)
    .describe('true makes it the workspace default agent (the previous one stops being it)'),
});
export type CreateAgentBody = z.infer<typeof CreateAgentBody>;

export const UpdateAgentBody = z.strictObject({
  name: Name.optional(),
  description: Description.optional(),
  status: Status.optional(),
  maxConcurrentCalls: MaxConcurrentCalls.optional(),
  externalAgentId: ExternalAgentId.optional(),
  fromNumber: FromNumber.optional(),
  isDefault: z
    .boolean()
    .optional()
    .describe('true makes it the default agent; false leaves the workspace without one'),
});
export type UpdateAgentBody = z.infer<typeof UpdateAgentBody>;
