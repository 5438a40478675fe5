/**
 * Names of the API's schemas in the OpenAPI document (components/schemas), so that clients
 * generated from it get named types (FollowUp, CreateFollowUpBody, Problem …) instead of
 * anonymous ones. The contracts stay as they are; this file only gives their shapes a name in
 * zod's registry, which the OpenAPI transform turns into `$ref`s. Imported by the OpenAPI
 * plugin only (the web app never needs it).
 */
import { z } from 'zod';
import * as agents from './agents.contract.ts';
import * as auth from './auth.contract.ts';
import * as callLogs from './call-logs.contract.ts';
import * as campaigns from './campaigns.contract.ts';
import * as common from './common.ts';
import * as contacts from './contacts.contract.ts';
import * as dashboard from './dashboard.contract.ts';
import * as dnc from './dnc.contract.ts';
import * as followUps from './follow-ups.contract.ts';
import * as imports from './imports.contract.ts';
import * as settings from './settings.contract.ts';
import * as users from './users.contract.ts';
import * as deliveries from './webhook-deliveries.contract.ts';
import * as endpoints from './webhook-endpoints.contract.ts';

const NAMES: [z.ZodType, string][] = [
  [common.ProblemSchema, 'Problem'],
  [common.Summary, 'Summary'],
  [followUps.FollowUpSchema, 'FollowUp'],
  [followUps.FollowUpListItemSchema, 'FollowUpListItem'],
  [followUps.FollowUpDetailSchema, 'FollowUpDetail'],
  [followUps.FollowUpEventSchema, 'FollowUpEvent'],
  [followUps.FollowUpAttemptSchema, 'FollowUpAttempt'],
  [followUps.WaitingSchema, 'Waiting'],
  [followUps.ContactLocalSchema, 'ContactLocal'],
  [followUps.FollowUpStatusSchema, 'FollowUpStatus'],
  [followUps.CreateFollowUpBody, 'CreateFollowUpBody'],
  [followUps.UpdateFollowUpBody, 'UpdateFollowUpBody'],
  [followUps.SnoozeBody, 'SnoozeBody'],
  [followUps.PreviewBody, 'PreviewBody'],
  [followUps.PreviewResponse, 'PreviewResponse'],
  [contacts.ContactSchema, 'Contact'],
  [contacts.ContactDetailSchema, 'ContactDetail'],
  [contacts.CreateContactBody, 'CreateContactBody'],
  [contacts.PatchContactBody, 'PatchContactBody'],
  [agents.AgentSchema, 'Agent'],
  [agents.AgentDetailSchema, 'AgentDetail'],
  [agents.CreateAgentBody, 'CreateAgentBody'],
  [agents.UpdateAgentBody, 'UpdateAgentBody'],
  [auth.MeResponse, 'Me'],
  [auth.ApiKeySchema, 'ApiKey'],
  [auth.CreateApiKeyBody, 'CreateApiKeyBody'],
  [callLogs.CallLogSchema, 'CallLog'],
  [campaigns.CampaignSchema, 'Campaign'],
  [campaigns.CampaignDetailSchema, 'CampaignDetail'],
  [campaigns.CreateCampaignBody, 'CreateCampaignBody'],
  [campaigns.UpdateCampaignBody, 'UpdateCampaignBody'],
  [dashboard.DashboardSchema, 'Dashboard'],
  [dnc.DncEntrySchema, 'DncEntry'],
  [dnc.AddDncBody, 'AddDncBody'],
  [imports.ImportJobSchema, 'ImportJob'],
  [settings.SettingsSchema, 'Settings'],
  [settings.PatchSettingsBody, 'PatchSettingsBody'],
  [settings.CallingWindowSchema, 'CallingWindow'],
  [settings.OutcomeRuleSchema, 'OutcomeRule'],
  [users.UserSchema, 'User'],
  [users.CreateUserBody, 'CreateUserBody'],
  [users.PatchUserBody, 'PatchUserBody'],
  [deliveries.WebhookDeliverySchema, 'WebhookDelivery'],
  [endpoints.WebhookEndpointSchema, 'WebhookEndpoint'],
  [endpoints.CreateWebhookEndpointBody, 'CreateWebhookEndpointBody'],
  [endpoints.PatchWebhookEndpointBody, 'PatchWebhookEndpointBody'],
];

let named = false;

/** Gives each schema its name (once per process), keeping what the registry already says. */
export function nameApiSchemas(): void {
  if (named) return;
  named = true;
  for (const [schema, id] of NAMES) {
    const known = z.globalRegistry.get(schema);
    // Two names for one schema (an alias such as CampaignFollowUpSchema) would leave one unused.
    if (known?.id && known.id !== id) throw new Error(`${id} is already named ${known.id}.`);
    z.globalRegistry.add(schema, { ...known, id });
  }
}
