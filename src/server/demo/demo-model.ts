/**
 * What the demo planner's steps share: time units and workspace defaults, the rows it fills
 * (DemoRows), its working records (people, campaigns, calls, follow-up drafts and their
 * attempt steps), and DemoState, the state every step reads and adds to. Types and constants
 * only, plus three time converters.
 */
import type { PgTable } from 'drizzle-orm/pg-core';
import { Temporal } from 'temporal-polyfill';
import type { CallingWindowPolicy } from '../../core/calling-window.ts';
import type {
  FollowUpSource,
  FollowUpStatus,
  FollowUpType,
  Priority,
} from '../../core/follow-up.ts';
import type { OutcomeRule } from '../../core/outcome-rules.ts';
import type { AttemptResult, CallDirection, CallOutcome } from '../../core/results.ts';
import { DEFAULT_RETRY_SCHEDULE_MINUTES } from '../../core/retry.ts';
import type { ActorType } from '../../core/roles.ts';
import type * as s from '../db/schema.ts';
import type { Continent } from './phone-plans.ts';
import type { Rng } from './random.ts';

export const MIN = 60_000;
export const HOUR = 60 * MIN;
export const DAY = 24 * HOUR;
export const EXPIRY_HOURS = 72;
export const WORKSPACE_ZONE = 'America/New_York';
export const RETRY_SCHEDULE = DEFAULT_RETRY_SCHEDULE_MINUTES;

export type Row<T extends PgTable> = T['$inferInsert'];

export interface DemoRows {
  workspace: Row<typeof s.workspaces> & { id: string; defaultAgentId: string };
  users: (Row<typeof s.users> & { email: string })[];
  apiKeys: Row<typeof s.apiKeys>[];
  webhookEndpoints: Row<typeof s.webhookEndpoints>[];
  agents: Row<typeof s.agents>[];
  campaigns: Row<typeof s.campaigns>[];
  contacts: Row<typeof s.contacts>[];
  dncEntries: Row<typeof s.dncEntries>[];
  callLogs: Row<typeof s.callLogs>[];
  followUps: Row<typeof s.followUps>[];
  events: Row<typeof s.followUpEvents>[];
  attempts: Row<typeof s.followUpAttempts>[];
}

export interface PlanDemoInput {
  seed: number;
  now: Date;
  adminEmail: string;
  passwordHash: string;
  workspaceName: string;
}

export interface Actor {
  type: ActorType;
  id: string | null;
}
export const SYSTEM: Actor = { type: 'system', id: null };

export interface Person {
  id: string;
  phone: string;
  zone: string;
  continent: Continent;
  weight: number;
  /** On the Do Not Call list (from this instant): no open call/sms follow-ups, no calls after. */
  dncAt: number | null;
}

export interface Campaign {
  id: string;
  agentId: string;
  policy: CallingWindowPolicy;
  rules: OutcomeRule[];
  /** May still have open follow-ups (running or paused). */
  open: boolean;
  continents: readonly Continent[] | null;
}

export interface Call {
  id: string;
  person: Person;
  agentId: string | null;
  campaignId: string | null;
  followUpId: string | null;
  direction: CallDirection;
  outcome: CallOutcome;
  startedAt: number;
  endedAt: number;
  talk: number;
  summary: string;
  requestedCallbackAt: number | null;
}

export interface Outcome {
  result: AttemptResult;
  http: number | null;
}

export interface Step extends Outcome {
  n: number;
  /** When the engine found it outside its window and deferred it to runAt. */
  deferredFrom: number | null;
  runAt: number;
  queuedAt: number;
  startedAt: number;
  /** null: still running (in_progress). */
  endedAt: number | null;
  ring: number;
  talk: number;
  retryAt: number | null;
}

export interface Draft {
  id: string;
  person: Person;
  type: FollowUpType;
  source: FollowUpSource;
  campaign: Campaign | null;
  rule: OutcomeRule | null;
  sourceCall: Call | null;
  agentId: string | null;
  priority: Priority;
  maxAttempts: number;
  attempts: number;
  allowOutOfWindow: boolean;
  notes: string | null;
  status: FollowUpStatus;
  scheduledAt: number;
  nextAttemptAt: number | null;
  snoozedUntil: number | null;
  expiresAt: number;
  lastError: string | null;
  completedAt: number | null;
  resolvedAgentId: string | null;
  creator: Actor;
  createdAt: number;
  lastAt: number;
  events: Row<typeof s.followUpEvents>[];
  attemptRows: Row<typeof s.followUpAttempts>[];
  calls: Call[];
}

export type When =
  | { kind: 'past'; minDays: number; maxDays: number }
  | { kind: 'future' }
  | { kind: 'at'; at: number };

export type Weights<K extends string> = Readonly<Partial<Record<K, number>>>;

/** What every planning step reads and adds to. The seed's generator makes every choice. */
export interface DemoState {
  readonly rng: Rng;
  /** `now` rounded down to the minute, in epoch milliseconds. */
  readonly now: number;
  readonly wsId: string;
  readonly rows: DemoRows;
  readonly people: Person[];
  readonly campaigns: Campaign[];
  /** Active agents with their share of calls. */
  readonly activeAgents: (readonly [string, number])[];
  readonly agentCapacity: Map<string, number>;
  /** In-progress calls per agent, kept within its capacity. */
  readonly agentLoad: Map<string, number>;
  /** `contact:type:campaign` of open follow-ups: at most one each. */
  readonly openKeys: Set<string>;
  readonly calls: Call[];
  readonly users: { admin: Actor; operator: Actor };
  readonly apiKey: Actor;
  readonly defaultAgentId: string;
}

export const iso = (ms: number) => new Date(ms).toISOString();
export const toDate = (ms: number | null) => (ms === null ? null : new Date(ms));
export const instant = (ms: number) => Temporal.Instant.fromEpochMilliseconds(ms);

/** The worker id of the demo's calls in progress: the simulator takes them over at start. */
export const DEMO_CALL_WORKER = 'demo-simulator';
