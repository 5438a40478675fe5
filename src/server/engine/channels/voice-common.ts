/**
 * What the voice platform channels (Retell, Vapi, Twilio voice) share: the agent's platform id
 * and caller number, the contact's details for the agent's prompt, the metadata that brings the
 * platform's report back to its attempt, and the hold a platform's 429 puts on a workspace.
 */
import { and, eq } from 'drizzle-orm';
import type { VoicePlatform } from '../../../core/voice-outcomes.ts';
import type { Clock } from '../../clock.ts';
import type { Database } from '../../db/client.ts';
import { agents, contacts } from '../../db/schema.ts';
import type { AttemptJob, ChannelOutcome } from './channel.ts';

export interface CallContext {
  agent: { id: string; name: string; externalAgentId: string | null; fromNumber: string | null };
  company: string | null;
  customFields: Record<string, unknown>;
}

/** The agent and the contact details a platform call needs, read in one statement. */
export async function loadCallContext(db: Database, job: AttemptJob): Promise<CallContext | null> {
  if (!job.agentId) return null;
  const [row] = await db
    .select({
      id: agents.id,
      name: agents.name,
      externalAgentId: agents.externalAgentId,
      fromNumber: agents.fromNumber,
      company: contacts.company,
      customFields: contacts.customFields,
    })
    .from(agents)
    .leftJoin(
      contacts,
      and(eq(contacts.workspaceId, agents.workspaceId), eq(contacts.id, job.contact.id)),
    )
    .where(and(eq(agents.workspaceId, job.workspaceId), eq(agents.id, job.agentId)));
  if (!row) return null;
  return {
    agent: {
      id: row.id,
      name: row.name,
      externalAgentId: row.externalAgentId,
      fromNumber: row.fromNumber,
    },
    company: row.company,
    customFields: row.customFields ?? {},
  };
}

const PLATFORM_NAMES: Record<VoicePlatform, string> = {
  retell: 'Retell',
  vapi: 'Vapi',
  twilio: 'Twilio',
};
const AGENT_ID_NAMES: Record<VoicePlatform, string> = {
  retell: 'Retell agent id',
  vapi: 'Vapi assistant id',
  twilio: 'platform agent id',
};

/** A call the platform cannot place as configured: failed at once, not retried. */
export function notConfigured(
  platform: VoicePlatform,
  call: CallContext | null,
  what: 'agent' | 'from',
): ChannelOutcome {
  const name = PLATFORM_NAMES[platform];
  const error = !call
    ? `No agent was resolved for this call: ${name} needs an agent with a ${AGENT_ID_NAMES[platform]}.`
    : what === 'agent'
      ? `Agent "${call.agent.name}" has no ${AGENT_ID_NAMES[platform]}: set "Platform agent id" on the agent (Agents › Edit) to place calls through ${name}.`
      : `No caller number for agent "${call.agent.name}": set "Calls from" on the agent, or the workspace's caller number.`;
  return { status: 'done', result: 'not_configured', error };
}

/** Metadata every platform call carries; the platform sends it back with its reports. */
export function callMetadata(job: AttemptJob) {
  return {
    followthrough_follow_up_id: job.followUpId,
    followthrough_workspace_id: job.workspaceId,
    followthrough_attempt: String(job.number),
    followthrough_idempotency_key: job.idempotencyKey,
  };
}

/** Text variables for the agent's prompt: strings only (the platforms' rule). */
export function promptVariables(job: AttemptJob, call: CallContext): Record<string, string> {
  const vars: Record<string, string> = {
    contact_name: job.contact.name,
    contact_phone: job.contact.phone,
    contact_company: call.company ?? '',
    follow_up_notes: job.notes ?? '',
  };
  for (const [key, value] of Object.entries(call.customFields)) {
    if (value === null || value === undefined) continue;
    vars[`custom_${key}`] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  return vars;
}

/** A platform's 429 or concurrency refusal: no calls for that workspace until it passes. */
export class PlatformHolds {
  private readonly until = new Map<string, number>();
  constructor(private readonly clock: Clock) {}

  /** The hold on `workspaceId`, if one is running. */
  current(workspaceId: string): Date | null {
    const until = this.until.get(workspaceId);
    if (until === undefined) return null;
    if (until <= this.clock.now().getTime()) {
      this.until.delete(workspaceId);
      return null;
    }
    return new Date(until);
  }

  hold(workspaceId: string, retryAfter: string | null | undefined): Date {
    const at = this.clock.now().getTime() + retryAfterMs(retryAfter, this.clock.now());
    this.until.set(workspaceId, Math.max(at, this.until.get(workspaceId) ?? 0));
    return new Date(this.until.get(workspaceId)!);
  }
}

const DEFAULT_HOLD_MS = 30_000;
const MAX_HOLD_MS = 15 * 60_000;

/** Retry-After in seconds or as an HTTP date; 30 s when absent, at most 15 minutes. */
export function retryAfterMs(value: string | null | undefined, now: Date): number {
  if (!value) return DEFAULT_HOLD_MS;
  const trimmed = value.trim();
  let ms: number;
  if (/^\d+(\.\d+)?$/.test(trimmed)) ms = Number(trimmed) * 1000;
  else {
    const at = Date.parse(trimmed);
    ms = Number.isNaN(at) ? DEFAULT_HOLD_MS : at - now.getTime();
  }
  return Math.min(MAX_HOLD_MS, Math.max(1000, ms));
}

export function heldOutcome(platform: VoicePlatform, until: Date): ChannelOutcome {
  return {
    status: 'held',
    until,
    reason: `${PLATFORM_NAMES[platform]} refused new calls for now (rate or concurrency limit); trying again after ${until.toISOString()}.`,
  };
}
