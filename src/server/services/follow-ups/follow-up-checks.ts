/**
 * The checks a follow-up's references and times must pass before it is scheduled, edited or
 * previewed. Every query is scoped by the workspace; a reference to another workspace's row
 * reads as unknown (422 at the field: the request is well-formed, the reference is not usable).
 */
import { and, eq, sql } from 'drizzle-orm';
import type { AppliedRule } from '../../../core/calling-rules.ts';
import type { CallingWindowPolicy } from '../../../core/calling-window.ts';
import type { FollowUpType } from '../../../core/follow-up.ts';
import { contactRules, contactZone, liftedByOverride } from '../../../core/scheduling.ts';
import type { DbOrTx } from '../../db/client.ts';
import { preparedPer } from '../../db/prepared.ts';
import { findWorkspace } from '../../db/repositories/workspaces.ts';
import {
  agents,
  campaigns,
  contacts,
  dncEntries,
  webhookEndpoints,
  workspaces,
} from '../../db/schema.ts';
import { invalid, unprocessable } from '../../errors.ts';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
/** How far in the past a new time may be (clock skew, a dialog left open). */
export const PAST_TOLERANCE_MS = 5 * MINUTE;
export const MAX_AHEAD_DAYS = 365;

export const addHours = (at: Date, hours: number) => new Date(at.getTime() + hours * HOUR);

/** 400 at `path` unless `at` is from 5 minutes ago to 365 days ahead of `now`. */
export function checkScheduledTime(now: Date, at: Date, path = 'scheduledAt'): void {
  if (at.getTime() < now.getTime() - PAST_TOLERANCE_MS) {
    throw invalid(`${path} is in the past: choose a time from now on.`, [
      { path, message: 'This time is more than 5 minutes in the past.' },
    ]);
  }
  if (at.getTime() > now.getTime() + MAX_AHEAD_DAYS * DAY) {
    throw invalid(`${path} is too far ahead: choose a time within 365 days.`, [
      { path, message: 'This time is more than 365 days ahead.' },
    ]);
  }
}

/** 400 at `path` unless `at` is after `now` and at most 365 days ahead (snooze). */
export function checkFutureTime(now: Date, at: Date, path: string): void {
  if (at.getTime() <= now.getTime()) {
    throw invalid(`${path} must be in the future.`, [
      { path, message: 'Choose a time in the future.' },
    ]);
  }
  if (at.getTime() > now.getTime() + MAX_AHEAD_DAYS * DAY) {
    throw invalid(`${path} is too far ahead: choose a time within 365 days.`, [
      { path, message: 'This time is more than 365 days ahead.' },
    ]);
  }
}

export async function loadWorkspace(db: DbOrTx, workspaceId: string) {
  const workspace = await findWorkspace(db, workspaceId);
  if (!workspace) throw new Error(`workspace ${workspaceId} is missing`);
  return workspace;
}

export interface SchedulingContact {
  id: string;
  firstName: string | null;
  lastName: string | null;
  phone: string;
  timezone: string | null;
  region: string | null;
  archivedAt: Date | null;
  doNotCall: boolean;
  workspaceTimezone: string;
  defaultExpiryHours: number;
}

const p = (name: string) => sql.placeholder(name);

const contactQuery = preparedPer((db, _shape: 'one') =>
  db
    .select({
      id: contacts.id,
      firstName: contacts.firstName,
      lastName: contacts.lastName,
      phone: contacts.phone,
      timezone: contacts.timezone,
      region: contacts.region,
      archivedAt: contacts.archivedAt,
      dncId: dncEntries.id,
      workspaceTimezone: sql<string>`(select w.timezone from ${workspaces} w where w.id = ${contacts.workspaceId})`,
      defaultExpiryHours: sql<number>`(select w.default_expiry_hours from ${workspaces} w where w.id = ${contacts.workspaceId})`,
    })
    .from(contacts)
    .leftJoin(
      dncEntries,
      and(eq(dncEntries.workspaceId, contacts.workspaceId), eq(dncEntries.phone, contacts.phone)),
    )
    .where(and(eq(contacts.workspaceId, p('workspaceId')), eq(contacts.id, p('contactId'))))
    .prepare('find_contact'),
);

/**
 * The contact with its Do Not Call flag and its workspace's time zone and default expiry; 422
 * at contactId when not in the workspace.
 */
export async function findContact(
  db: DbOrTx,
  workspaceId: string,
  contactId: string,
): Promise<SchedulingContact> {
  const [row] = await contactQuery(db, 'one').execute({ workspaceId, contactId });
  if (!row) {
    throw unprocessable('No contact with this id in your workspace.', [
      { path: 'contactId', message: 'Unknown contact.' },
    ]);
  }
  const { dncId, ...contact } = row;
  return { ...contact, doNotCall: dncId !== null };
}

/** Call and SMS follow-ups cannot be scheduled for a contact on the Do Not Call list. */
export function checkDoNotCall(contact: SchedulingContact, type: FollowUpType, name: string): void {
  if (contact.doNotCall && type !== 'webhook') {
    throw unprocessable(
      `${name} (${contact.phone}) is on the Do Not Call list: ` +
        `${type === 'call' ? 'a call' : 'an SMS'} cannot be scheduled.`,
      [{ path: 'type', message: 'The contact is on the Do Not Call list.' }],
    );
  }
}

/** The agent's name; 422 at agentId unless it is an active agent of the workspace. */
export async function checkAgent(
  db: DbOrTx,
  workspaceId: string,
  agentId: string,
): Promise<string> {
  const [agent] = await db
    .select({ name: agents.name, status: agents.status })
    .from(agents)
    .where(and(eq(agents.workspaceId, workspaceId), eq(agents.id, agentId)));
  if (!agent) {
    throw unprocessable('No agent with this id in your workspace.', [
      { path: 'agentId', message: 'Unknown agent.' },
    ]);
  }
  if (agent.status !== 'active') {
    throw unprocessable(
      `${agent.name} is inactive: choose an active agent, or "Inherit from source".`,
      [{ path: 'agentId', message: `${agent.name} is inactive.` }],
    );
  }
  return agent.name;
}

/** The workspace's campaign; 422 at campaignId when unknown. */
export async function findCampaign(db: DbOrTx, workspaceId: string, campaignId: string) {
  const [campaign] = await db
    .select({
      id: campaigns.id,
      name: campaigns.name,
      callingWindow: campaigns.callingWindow,
      closedOnPublicHolidays: campaigns.closedOnPublicHolidays,
      frequencyCaps: campaigns.frequencyCaps,
    })
    .from(campaigns)
    .where(and(eq(campaigns.workspaceId, workspaceId), eq(campaigns.id, campaignId)));
  if (!campaign) {
    throw unprocessable('No campaign with this id in your workspace.', [
      { path: 'campaignId', message: 'Unknown campaign.' },
    ]);
  }
  return campaign;
}

/** Webhook follow-ups need an active webhook endpoint in the workspace. */
export async function checkWebhookEndpoint(db: DbOrTx, workspaceId: string): Promise<void> {
  const [endpoint] = await db
    .select({ id: webhookEndpoints.id })
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.workspaceId, workspaceId), eq(webhookEndpoints.active, true)))
    .limit(1);
  if (!endpoint) {
    throw unprocessable(
      'The workspace has no active webhook endpoint: ' +
        'add one in Settings before scheduling a webhook.',
      [{ path: 'type', message: 'No active webhook endpoint.' }],
    );
  }
}

/** 422 when the contact is archived: archived contacts get no new follow-ups. */
export function checkNotArchived(contact: SchedulingContact, name: string): void {
  if (contact.archivedAt) {
    throw unprocessable(`${name} is archived: restore the contact before scheduling.`, [
      { path: 'contactId', message: 'The contact is archived.' },
    ]);
  }
}

/**
 * With the customer override, the hour rules it lifts at `at` (recorded on the event that plans
 * the follow-up, for the timeline); [] without it or for a webhook. Frequency caps are never
 * lifted.
 */
export async function overrideLifts(
  db: DbOrTx,
  workspaceId: string,
  input: {
    type: FollowUpType;
    allowOutOfWindow: boolean;
    contact: { timezone: string | null; phone: string; region: string | null };
    campaign: {
      callingWindow: CallingWindowPolicy | null;
      closedOnPublicHolidays: boolean | null;
    } | null;
    at: Date;
  },
): Promise<AppliedRule[]> {
  if (!input.allowOutOfWindow || input.type === 'webhook') return [];
  const workspace = await loadWorkspace(db, workspaceId);
  const { contact, campaign } = input;
  const rules = contactRules({
    policy: campaign?.callingWindow ?? workspace.callingWindow,
    zone: contactZone(contact, workspace.timezone).timezone,
    contact,
    settings: {
      everyZone: workspace.everyZone,
      closedOnPublicHolidays: campaign?.closedOnPublicHolidays ?? workspace.closedOnPublicHolidays,
    },
    at: input.at,
  });
  return liftedByOverride(rules.rules, input.type, true);
}
