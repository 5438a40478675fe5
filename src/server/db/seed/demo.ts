/**
 * The demo workspace "Demo Co" (SPEC §10): agents, campaigns, 300 contacts across time zones,
 * ~1,500 calls over the last 30 days and ~600 follow-ups in every status, each with the events,
 * attempts and call logs its status implies. Deterministic: the same seed and `now` give the
 * same rows and ids. The rows are planned in memory first, then inserted in bulk in one
 * transaction.
 */
import { randomBytes } from 'node:crypto';
import { eq, inArray, sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { Temporal } from 'temporal-polyfill';
import { resolveAgent } from '../../../core/agent-routing.ts';
import {
  type CallingWindowPolicy,
  DEFAULT_CALLING_WINDOW,
  isInsideWindow,
  nextWindowStart,
} from '../../../core/calling-window.ts';
import {
  type FollowUpEventKind,
  type FollowUpSource,
  type FollowUpStatus,
  type FollowUpType,
  isOpen,
  PRIORITIES,
  type Priority,
} from '../../../core/follow-up.ts';
import { DEFAULT_OUTCOME_RULES, type OutcomeRule } from '../../../core/outcome-rules.ts';
import {
  type AttemptResult,
  CALL_OUTCOMES,
  type CallDirection,
  type CallOutcome,
  classifyResult,
} from '../../../core/results.ts';
import {
  backoffMinutes,
  DEFAULT_RETRY_SCHEDULE_MINUTES,
  LEASE_SECONDS,
} from '../../../core/retry.ts';
import type { ActorType, Role } from '../../../core/roles.ts';
import { normalizePhone, resolveTimeZone } from '../../../core/time-zone.ts';
import { hashPassword } from '../../passwords.ts';
import type { DbOrTx, Tx } from '../client.ts';
import * as s from '../schema.ts';
import {
  COMPANIES,
  type Continent,
  EMAIL_DOMAINS,
  emailLocalPart,
  FIRST_NAMES,
  fillTemplate,
  INBOUND_SUMMARIES,
  LAST_NAMES,
  NOTES,
  PHONE_PLANS,
  SUMMARIES,
} from './names.ts';
import { createRng, type Rng, seededId } from './random.ts';

export const DEMO_WORKSPACE_NAME = 'Demo Co';
/** The seed `followthrough seed` and the first start use unless told otherwise. */
export const DEMO_SEED = 42;

export interface SeedDemoOptions {
  seed?: number;
  now: Date;
  adminEmail: string;
  adminPassword: string;
}

export interface SeedDemoResult {
  workspaceId: string;
  adminEmail: string;
  created: boolean;
}

export async function seedDemo(db: DbOrTx, opts: SeedDemoOptions): Promise<SeedDemoResult> {
  const existing = await findDemo(db);
  if (existing) return existing;
  // Hash before the transaction: on PGlite an open transaction blocks the whole database.
  const passwordHash = await hashPassword(opts.adminPassword);
  const rows = planDemo({
    seed: opts.seed ?? DEMO_SEED,
    now: opts.now,
    adminEmail: opts.adminEmail,
    passwordHash,
    workspaceName: DEMO_WORKSPACE_NAME,
  });
  return db.transaction(async (tx) => {
    // Two processes starting together: the second waits, then finds the workspace.
    await tx.execute(sql`select pg_advisory_xact_lock(7419003)`);
    const again = await findDemo(tx);
    if (again) return again;
    await freeEmails(tx, rows);
    await insertDemo(tx, rows);
    return { workspaceId: rows.workspace.id, adminEmail: rows.users[0]!.email, created: true };
  });
}

async function findDemo(db: DbOrTx): Promise<SeedDemoResult | null> {
  const [ws] = await db
    .select({ id: s.workspaces.id })
    .from(s.workspaces)
    .where(eq(s.workspaces.name, DEMO_WORKSPACE_NAME))
    .limit(1);
  if (!ws) return null;
  const [admin] = await db
    .select({ email: s.users.email })
    .from(s.users)
    .where(sql`${s.users.workspaceId} = ${ws.id} and ${s.users.role} = 'admin'`)
    .orderBy(s.users.createdAt)
    .limit(1);
  return { workspaceId: ws.id, adminEmail: admin?.email ?? '', created: false };
}

/**
 * Emails are unique across workspaces. The admin's must be free (it is the sign-in we print);
 * the operator's and viewer's get a `+demo` suffix when someone already uses them.
 */
async function freeEmails(tx: Tx, rows: DemoRows): Promise<void> {
  const lower = rows.users.map((u) => u.email.toLowerCase());
  const taken = new Set(
    (
      await tx
        .select({ email: s.users.email })
        .from(s.users)
        .where(inArray(sql`lower(${s.users.email})`, lower))
    ).map((r) => r.email.toLowerCase()),
  );
  const admin = rows.users[0]!;
  if (taken.has(admin.email.toLowerCase())) {
    throw new Error(
      `Cannot create the demo workspace: the email ${admin.email} already belongs to a user.`,
    );
  }
  for (const user of rows.users.slice(1)) {
    let n = 0;
    const [local, domain] = user.email.split('@') as [string, string];
    while (taken.has(user.email.toLowerCase())) {
      n += 1;
      user.email = `${local}+demo${n > 1 ? n : ''}@${domain}`;
    }
    taken.add(user.email.toLowerCase());
  }
}

async function insertDemo(tx: Tx, rows: DemoRows): Promise<void> {
  const { workspace } = rows;
  await tx.insert(s.workspaces).values({ ...workspace, defaultAgentId: null });
  await insertAll(tx, s.agents, rows.agents);
  await tx
    .update(s.workspaces)
    .set({ defaultAgentId: workspace.defaultAgentId })
    .where(eq(s.workspaces.id, workspace.id));
  await insertAll(tx, s.users, rows.users);
  // Secrets nobody can derive from the (public) seed.
  const apiKeys = rows.apiKeys.map((k) => ({ ...k, secretHash: randomBytes(32).toString('hex') }));
  await insertAll(tx, s.apiKeys, apiKeys);
  const hooks = rows.webhookEndpoints.map((w) => ({
    ...w,
    secret: `whsec_${randomBytes(24).toString('base64')}`,
  }));
  await insertAll(tx, s.webhookEndpoints, hooks);
  await insertAll(tx, s.campaigns, rows.campaigns);
  await insertAll(tx, s.contacts, rows.contacts);
  await insertAll(tx, s.dncEntries, rows.dncEntries);
  await insertAll(tx, s.callLogs, rows.callLogs);
  await insertAll(tx, s.followUps, rows.followUps);
  await insertAll(tx, s.followUpEvents, rows.events);
  await insertAll(tx, s.followUpAttempts, rows.attempts);
}

async function insertAll<T extends PgTable>(
  tx: Tx,
  table: T,
  rows: readonly T['$inferInsert'][],
  chunk = 500,
): Promise<void> {
  for (let i = 0; i < rows.length; i += chunk) {
    await tx.insert(table).values(rows.slice(i, i + chunk) as never);
  }
}

// ---------------------------------------------------------------------------------------------
// Planning: pure, the seed and `now` decide every row.

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const EXPIRY_HOURS = 72;
const WORKSPACE_ZONE = 'America/New_York';
const RETRY_SCHEDULE = DEFAULT_RETRY_SCHEDULE_MINUTES;

type Row<T extends PgTable> = T['$inferInsert'];

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

interface Actor {
  type: ActorType;
  id: string | null;
}
const SYSTEM: Actor = { type: 'system', id: null };

interface Person {
  id: string;
  phone: string;
  zone: string;
  continent: Continent;
  weight: number;
  /** On the Do Not Call list (from this instant): no open call/sms follow-ups, no calls after. */
  dncAt: number | null;
}

interface Campaign {
  id: string;
  agentId: string;
  policy: CallingWindowPolicy;
  rules: OutcomeRule[];
  /** May still have open follow-ups (running or paused). */
  open: boolean;
  continents: readonly Continent[] | null;
}

interface Call {
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

interface Outcome {
  result: AttemptResult;
  http: number | null;
}

interface Step extends Outcome {
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

interface Draft {
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

type When =
  | { kind: 'past'; minDays: number; maxDays: number }
  | { kind: 'future' }
  | { kind: 'at'; at: number };

type Weights<K extends string> = Readonly<Partial<Record<K, number>>>;

const SOURCE_WEIGHTS: Weights<FollowUpSource> = {
  manual: 34,
  api: 12,
  campaign: 20,
  call_outcome: 24,
  automation: 10,
};
const TYPE_WEIGHTS: Record<FollowUpSource, Weights<FollowUpType>> = {
  manual: { call: 75, sms: 18, webhook: 7 },
  api: { call: 45, sms: 30, webhook: 25 },
  campaign: { call: 85, sms: 15 },
  call_outcome: { call: 1 },
  automation: { call: 15, sms: 40, webhook: 45 },
};
const MAX_ATTEMPTS: Record<FollowUpType, Weights<string>> = {
  call: { 1: 5, 2: 15, 3: 60, 4: 10, 5: 10 },
  sms: { 1: 45, 2: 40, 3: 15 },
  webhook: { 3: 30, 5: 50, 8: 20 },
};
const PRIORITY_WEIGHTS: Weights<Priority> = { urgent: 10, high: 22, normal: 55, low: 13 };
const RETRYABLE: Record<FollowUpType, Weights<AttemptResult>> = {
  call: { no_answer: 50, voicemail: 25, busy: 15, failed: 10 },
  sms: { provider_error: 50, timeout: 30, network_error: 20 },
  webhook: { http_error: 40, timeout: 30, network_error: 30 },
};
const SUCCESS: Record<FollowUpType, Weights<AttemptResult>> = {
  call: { answered: 75, callback_requested: 12, not_interested: 13 },
  sms: { delivered: 80, accepted: 20 },
  webhook: { success: 1 },
};
const FINAL: Record<FollowUpType, Weights<AttemptResult>> = {
  call: { invalid_number: 1 },
  sms: { opted_out: 60, invalid_number: 40 },
  webhook: { http_error: 1 },
};
/** The share of each outcome over all call logs. */
const CALL_MIX: Record<CallOutcome, number> = {
  answered: 0.35,
  no_answer: 0.25,
  voicemail: 0.15,
  busy: 0.07,
  callback_requested: 0.08,
  not_interested: 0.06,
  failed: 0.02,
  do_not_call: 0.02,
};
const IS_CALL_OUTCOME = new Set<string>(CALL_OUTCOMES);

const ERRORS: Partial<Record<AttemptResult, string>> = {
  no_answer: 'No answer.',
  busy: 'The line was busy.',
  voicemail: 'Reached voicemail.',
  failed: 'The carrier dropped the call before it connected.',
  invalid_number: 'The number is not in service.',
  do_not_call: 'The contact asked not to be called again.',
  opted_out: 'The recipient replied STOP (opted out).',
  provider_error: 'The SMS provider answered 503 Service Unavailable.',
  network_error: 'Network error: connection reset (ECONNRESET).',
  timeout: 'No answer from the provider in time.',
};

function errorOf(o: Outcome): string | null {
  if (o.result === 'http_error') return `The webhook endpoint answered HTTP ${o.http}.`;
  return ERRORS[o.result] ?? null;
}

const iso = (ms: number) => new Date(ms).toISOString();
const toDate = (ms: number | null) => (ms === null ? null : new Date(ms));
const instant = (ms: number) => Temporal.Instant.fromEpochMilliseconds(ms);

export function planDemo(input: PlanDemoInput): DemoRows {
  return new DemoPlanner(input).plan();
}

class DemoPlanner {
  private readonly rng: Rng;
  private readonly now: number;
  private readonly wsId: string;
  private readonly rows: DemoRows;
  private readonly people: Person[] = [];
  private readonly campaigns: Campaign[] = [];
  private readonly activeAgents: (readonly [string, number])[] = [];
  private readonly agentCapacity = new Map<string, number>();
  private readonly agentLoad = new Map<string, number>();
  private readonly openKeys = new Set<string>();
  private readonly calls: Call[] = [];
  private readonly users: { admin: Actor; operator: Actor };
  private readonly apiKey: Actor;
  private readonly defaultAgentId: string;

  constructor(input: PlanDemoInput) {
    this.rng = createRng(input.seed);
    this.now = Math.floor(input.now.getTime() / MIN) * MIN;
    const r = this.rng;
    const born = this.now - 210 * DAY;
    this.wsId = seededId(born, r);
    const ids = { agents: [0, 1, 2, 3].map((i) => seededId(born + i * HOUR, r)) };
    this.defaultAgentId = ids.agents[0]!;
    const domain = input.adminEmail.split('@')[1] ?? 'example.com';
    const user = (i: number, name: string, email: string, role: Role) => ({
      id: seededId(born + DAY + i * MIN, r),
      workspaceId: this.wsId,
      email,
      name,
      passwordHash: input.passwordHash,
      role,
      createdAt: new Date(born + DAY + i * MIN),
    });
    const users = [
      user(0, 'Demo Admin', input.adminEmail, 'admin'),
      user(1, 'Demo Operator', `operator@${domain}`, 'operator'),
      user(2, 'Demo Viewer', `viewer@${domain}`, 'viewer'),
    ];
    this.users = {
      admin: { type: 'user', id: users[0]!.id },
      operator: { type: 'user', id: users[1]!.id },
    };
    const apiKeyId = seededId(this.now - 60 * DAY, r);
    this.apiKey = { type: 'api_key', id: apiKeyId };
    this.rows = {
      workspace: {
        id: this.wsId,
        name: input.workspaceName,
        timezone: WORKSPACE_ZONE,
        callingWindow: DEFAULT_CALLING_WINDOW,
        retryScheduleMinutes: [...RETRY_SCHEDULE],
        defaultExpiryHours: EXPIRY_HOURS,
        defaultAgentId: this.defaultAgentId,
        outcomeRules: DEFAULT_OUTCOME_RULES,
        createdAt: new Date(born),
        updatedAt: new Date(born),
      },
      users,
      apiKeys: [
        {
          id: apiKeyId,
          workspaceId: this.wsId,
          name: 'CRM sync',
          role: 'operator',
          prefix: `ft_${r.hex(8)}`,
          secretHash: '',
          createdByUserId: users[0]!.id,
          lastUsedAt: new Date(this.now - r.int(5, 300) * MIN),
          createdAt: new Date(this.now - 60 * DAY),
        },
      ],
      webhookEndpoints: [
        {
          id: seededId(this.now - 59 * DAY, r),
          workspaceId: this.wsId,
          url: 'https://hooks.example.com/followthrough/demo',
          secret: '',
          description: 'CRM automation (demo endpoint)',
          active: true,
          isDefault: true,
          createdAt: new Date(this.now - 59 * DAY),
        },
      ],
      agents: [],
      campaigns: [],
      contacts: [],
      dncEntries: [],
      callLogs: [],
      followUps: [],
      events: [],
      attempts: [],
    };
    this.planAgents(ids.agents, born);
  }

  plan(): DemoRows {
    this.planCampaigns();
    this.planContacts(300);
    this.planDncStories();
    this.planFollowUps(600);
    this.planBackgroundCalls(1500);
    this.rows.callLogs = this.calls.map((c) => this.callRow(c));
    return this.rows;
  }

  // --- workspace setup -------------------------------------------------------------------------

  private planAgents(ids: string[], born: number): void {
    const specs = [
      ['Ava – Renewals', 'Renewal reminders and upgrade offers for existing customers.', 5],
      ['Max – Onboarding', 'Welcome calls and onboarding check-ins in English, French, German.', 8],
      ['Leo – Collections', 'Friendly reminders about overdue invoices.', 3],
      ['Iris – Win-back', 'Win-back offers for former customers; retired after the spring.', 2],
    ] as const;
    specs.forEach(([name, description, capacity], i) => {
      const id = ids[i]!;
      const active = i < 3;
      this.rows.agents.push({
        id,
        workspaceId: this.wsId,
        name,
        description,
        status: active ? 'active' : 'inactive',
        maxConcurrentCalls: capacity,
        isDefault: i === 0,
        createdAt: new Date(born + i * HOUR),
        updatedAt: new Date(active ? born + i * HOUR : this.now - 20 * DAY),
      });
      this.agentCapacity.set(id, capacity);
      if (active) this.activeAgents.push([id, [45, 35, 20][i]!]);
    });
  }

  private planCampaigns(): void {
    const [ava, max, , iris] = this.rows.agents.map((a) => a.id!) as [string, ...string[]];
    const year = new Date(this.now).getUTCFullYear();
    const emeaWindow: CallingWindowPolicy = {
      weekly: {
        monday: [
          { start: '08:30', end: '12:00' },
          { start: '13:00', end: '17:30' },
        ],
        tuesday: [
          { start: '08:30', end: '12:00' },
          { start: '13:00', end: '17:30' },
        ],
        wednesday: [
          { start: '08:30', end: '12:00' },
          { start: '13:00', end: '17:30' },
        ],
        thursday: [
          { start: '08:30', end: '12:00' },
          { start: '13:00', end: '17:30' },
        ],
        friday: [{ start: '08:30', end: '13:00' }],
        saturday: [],
        sunday: [],
      },
      closedDates: [`${year}-12-25`, `${year}-12-26`, `${year + 1}-01-01`],
    };
    const callback: OutcomeRule = {
      outcome: 'callback_requested',
      type: 'call',
      delayMinutes: null,
      maxAttempts: 3,
      priority: 'high',
    };
    const specs = [
      {
        name: 'Q3 Renewals',
        agentId: ava,
        status: 'running',
        timezone: null,
        window: null,
        days: 45,
        continents: null,
        rules: [
          callback,
          {
            outcome: 'voicemail',
            type: 'call',
            delayMinutes: 1440,
            maxAttempts: 2,
            priority: 'normal',
          },
          {
            outcome: 'no_answer',
            type: 'call',
            delayMinutes: 240,
            maxAttempts: 3,
            priority: 'normal',
          },
        ],
      },
      {
        name: 'EMEA Onboarding',
        agentId: max!,
        status: 'paused',
        timezone: 'Europe/London',
        window: emeaWindow,
        days: 35,
        continents: ['europe'],
        rules: [
          { ...callback, priority: 'normal' },
          {
            outcome: 'no_answer',
            type: 'sms',
            delayMinutes: 30,
            maxAttempts: 1,
            priority: 'normal',
          },
        ],
      },
      {
        name: 'Spring Win-back',
        agentId: iris!,
        status: 'completed',
        timezone: null,
        window: null,
        days: 90,
        continents: ['north_america', 'oceania'],
        rules: [
          {
            outcome: 'not_interested',
            type: 'webhook',
            delayMinutes: 0,
            maxAttempts: 3,
            priority: 'low',
          },
          { outcome: 'voicemail', type: 'sms', delayMinutes: 60, maxAttempts: 1, priority: 'low' },
        ],
      },
    ] as const;
    for (const spec of specs) {
      const id = seededId(this.now - spec.days * DAY, this.rng);
      const rules = spec.rules.map((rule) => ({ ...rule })) as OutcomeRule[];
      this.rows.campaigns.push({
        id,
        workspaceId: this.wsId,
        name: spec.name,
        agentId: spec.agentId,
        status: spec.status,
        timezone: spec.timezone,
        callingWindow: spec.window,
        outcomeRules: rules,
        createdAt: new Date(this.now - spec.days * DAY),
        updatedAt: new Date(this.now - Math.floor(spec.days / 3) * DAY),
      });
      this.campaigns.push({
        id,
        agentId: spec.agentId,
        policy: spec.window ?? DEFAULT_CALLING_WINDOW,
        rules,
        open: spec.status !== 'completed',
        continents: spec.continents,
      });
    }
  }

  private planContacts(count: number): void {
    const r = this.rng;
    const phones = new Set<string>();
    const plans = PHONE_PLANS.map((p) => [p, p.weight] as const);
    for (let i = 0; i < count; i++) {
      // Every zone at least once, then by weight.
      const plan = PHONE_PLANS[i] ?? r.weighted(plans);
      let phone = '';
      do {
        phone = r.pick(plan.prefixes);
        for (let d = 0; d < plan.digits; d++) phone += String(r.int(0, 9));
      } while (phones.has(phone) || normalizePhone(phone) !== phone);
      phones.add(phone);
      const timezone = r.chance(plan.inferable ? 0.18 : 0.04) ? null : plan.zone;
      const zone = resolveTimeZone({
        contactTimezone: timezone,
        phone,
        workspaceTimezone: WORKSPACE_ZONE,
      }).timezone;
      const named = r.chance(0.98);
      const first = r.pick(FIRST_NAMES[plan.region]);
      const last = r.pick(LAST_NAMES[plan.region]);
      const company = r.chance(0.75) ? r.pick(COMPANIES) : null;
      const domain = company
        ? `${company.toLowerCase().replace(/[^a-z0-9]+/g, '')}.com`
        : r.pick(EMAIL_DOMAINS);
      const createdAt = this.now - r.int(35, 200) * DAY - r.int(0, DAY / 1000) * 1000;
      const id = seededId(createdAt, r);
      this.rows.contacts.push({
        id,
        workspaceId: this.wsId,
        firstName: named ? first : null,
        lastName: named ? last : null,
        phone,
        email: named && r.chance(0.85) ? `${emailLocalPart(first, last)}@${domain}` : null,
        company,
        timezone,
        customFields: this.customFields(plan.region),
        createdAt: new Date(createdAt),
        updatedAt: new Date(createdAt + r.int(0, 30) * DAY),
      });
      const weight = 0.15 + r.next() ** 2 * 3;
      this.people.push({ id, phone, zone, continent: plan.continent, weight, dncAt: null });
    }
  }

  private customFields(region: string): Record<string, unknown> {
    const r = this.rng;
    if (!r.chance(0.55)) return {};
    const fields: Record<string, unknown> = {};
    if (r.chance(0.8)) fields.plan = r.pick(['Starter', 'Pro', 'Business', 'Enterprise']);
    if (r.chance(0.5)) fields.seats = r.pick([3, 5, 10, 20, 25, 50, 120]);
    if (r.chance(0.6)) fields.accountId = `AC-${r.int(10000, 99999)}`;
    if (r.chance(0.4)) {
      fields.renewalDate = iso(this.now + r.int(5, 150) * DAY).slice(0, 10);
    }
    if (region !== 'en' && r.chance(0.7)) fields.language = region;
    if (r.chance(0.2)) fields.leadSource = r.pick(['Webinar', 'Referral', 'Trade show', 'Website']);
    return fields;
  }

  // --- Do Not Call ------------------------------------------------------------------------------

  /**
   * Five listed contacts: four asked during a call (the follow-up that called them fails with
   * `do_not_call`), one by email (an admin listed them). Their open call/SMS follow-ups failed
   * with `blocked_dnc` at that moment.
   */
  private planDncStories(): void {
    const r = this.rng;
    const candidates = this.people.filter((p) => p.continent !== 'asia');
    const chosen = r.shuffle(candidates).slice(0, 5);
    chosen.forEach((person, i) => {
      let listedAt: number | null = null;
      const byCall = i < 4;
      if (byCall) {
        for (let tries = 0; tries < 40 && listedAt === null; tries++) {
          const d = this.draft({
            open: false,
            type: 'call',
            person,
            sources: { manual: 1, campaign: 1 },
          });
          if (!this.times(d, { kind: 'past', minDays: 3, maxDays: 25 })) continue;
          this.begin(d);
          const k = Math.min(d.maxAttempts, r.int(1, 2));
          const results = [...this.fails('call', k - 1), { result: 'do_not_call', http: null }];
          const steps = this.forward(d, results as Outcome[], d.scheduledAt, this.now - DAY);
          if (!steps) continue;
          this.apply(d, steps);
          const at = steps[steps.length - 1]!.endedAt!;
          this.finish(d, 'failed', 'failed', at, SYSTEM, { reason: 'do_not_call' });
          this.commit(d);
          listedAt = at;
        }
      }
      listedAt ??= this.businessTime(person.zone, -20, -2, this.now - 25 * DAY, this.now - DAY)!;
      person.dncAt = listedAt;
      this.rows.dncEntries.push({
        id: seededId(listedAt, r),
        workspaceId: this.wsId,
        phone: person.phone,
        reason: byCall
          ? `Asked not to be called again during a call on ${iso(listedAt).slice(0, 10)}.`
          : 'Emailed support asking to be removed from all call lists.',
        createdByUserId: byCall ? null : this.users.admin.id,
        createdAt: new Date(listedAt),
      });
      const blocked = byCall ? r.int(0, 2) : r.int(1, 2);
      for (let j = 0; j < blocked; j++) {
        const d = this.draft({
          open: false,
          type: r.pick(['call', 'sms'] as const),
          person,
          sources: { manual: 2, api: 1, automation: 1 },
        });
        d.scheduledAt = listedAt + r.int(2, 72) * HOUR;
        d.createdAt = listedAt - r.int(60, 6 * 24 * 60) * MIN;
        d.expiresAt = d.scheduledAt + EXPIRY_HOURS * HOUR;
        this.begin(d);
        const actor = byCall ? SYSTEM : this.users.admin;
        this.finish(d, 'blocked_dnc', 'failed', listedAt, actor, { reason: 'do_not_call' });
        d.lastError = 'The contact is on the Do Not Call list.';
        this.commit(d);
      }
    });
  }

  // --- follow-ups -------------------------------------------------------------------------------

  private planFollowUps(total: number): void {
    const quotas: [string, number][] = [
      ['in_progress', 12],
      ['queued', 14],
      ['snoozed', 32],
      ['scheduled:retry', 30],
      ['scheduled:rescheduled', 14],
      ['scheduled:resumed', 6],
      ['scheduled:retried', 8],
      ['completed', 172],
      ['completed:inbound', 14],
      ['failed:exhausted', 30],
      ['failed:final', 14],
      ['cancelled', 46],
      ['expired', 38],
    ];
    const planned = quotas.reduce((sum, [, n]) => sum + n, 0) + this.rows.followUps.length;
    quotas.push(['scheduled', Math.max(0, total - planned)]);
    for (const [recipe, n] of quotas) {
      for (let i = 0; i < n; i++) {
        for (let tries = 0; tries < 40; tries++) {
          const d = this.recipe(recipe, tries);
          if (d) {
            this.commit(d);
            break;
          }
        }
      }
    }
  }

  /** One follow-up of the recipe's status and story, or null to try again. */
  private recipe(recipe: string, tries: number): Draft | null {
    const r = this.rng;
    const lenient = tries >= 20;
    switch (recipe) {
      case 'scheduled': {
        const d = this.draft({ open: true });
        return this.times(d, { kind: 'future' }) ? this.begin(d) : null;
      }
      case 'queued': {
        const d = this.draft({ open: true });
        if (!this.inWindow(d, this.now)) {
          if (!lenient) return null;
          d.allowOutOfWindow = true;
        }
        if (!this.times(d, { kind: 'at', at: this.now - r.int(1, 20) * MIN })) return null;
        this.begin(d);
        this.event(d, d.scheduledAt + r.int(1, 30) * 1000, 'queued', SYSTEM, {
          from: 'scheduled',
          to: 'queued',
        });
        d.status = 'queued';
        return d;
      }
      case 'in_progress':
        return this.inProgress(lenient);
      case 'snoozed':
        return this.snoozed();
      case 'scheduled:retry': {
        const d = this.draft({ open: true });
        d.maxAttempts = Math.max(d.maxAttempts, 2);
        const k = r.int(1, Math.min(3, d.maxAttempts - 1));
        const wait = backoffMinutes(RETRY_SCHEDULE, k);
        const next = this.now + r.int(2, wait - 2) * MIN;
        if (lenient) d.allowOutOfWindow = d.type !== 'webhook';
        const steps = this.backward(d, this.fails(d.type, k), next);
        if (!steps) return null;
        const at = steps[0]!.runAt - r.int(0, 60) * 1000;
        if (!this.times(d, { kind: 'at', at })) return null;
        this.begin(d);
        this.apply(d, steps);
        return d;
      }
      case 'scheduled:rescheduled':
        return this.rescheduled();
      case 'scheduled:resumed':
        return this.resumed();
      case 'scheduled:retried':
        return this.retried();
      case 'completed': {
        const d = this.draft({ open: false });
        if (!this.times(d, { kind: 'past', minDays: 1, maxDays: 29 })) return null;
        this.begin(d);
        const k = Math.min(d.maxAttempts, Number(r.weightedKey({ 1: 60, 2: 25, 3: 15 })));
        const results = [...this.fails(d.type, k - 1), this.pick(SUCCESS[d.type])];
        const steps = this.forward(d, results, d.scheduledAt, this.now - 2 * MIN);
        if (!steps) return null;
        this.apply(d, steps);
        this.finish(d, 'completed', 'completed', steps[k - 1]!.endedAt!, SYSTEM, {});
        d.lastError = null;
        return d;
      }
      case 'completed:inbound': {
        const d = this.draft({
          open: false,
          type: 'call',
          sources: { manual: 2, campaign: 1 },
        });
        if (!this.times(d, { kind: 'past', minDays: 1, maxDays: 29 })) return null;
        const start = d.scheduledAt + r.int(5, 240) * MIN;
        if (start > this.now - 10 * MIN) return null;
        this.begin(d);
        const call = this.call(d.person, start, 'answered', {
          direction: 'inbound',
          agentId: this.defaultAgentId,
        });
        d.calls.push(call);
        const data = { reason: 'contacted_inbound', callLogId: call.id };
        this.finish(d, 'completed', 'completed', call.endedAt, SYSTEM, data);
        return d;
      }
      case 'failed:exhausted':
      case 'failed:final': {
        const d = this.draft({ open: false });
        if (!this.times(d, { kind: 'past', minDays: 1, maxDays: 29 })) return null;
        this.begin(d);
        const exhausted = recipe === 'failed:exhausted';
        const k = exhausted ? d.maxAttempts : Math.min(d.maxAttempts, r.int(1, 2));
        const results = exhausted
          ? this.fails(d.type, k)
          : [...this.fails(d.type, k - 1), this.pick(FINAL[d.type])];
        const steps = this.forward(d, results, d.scheduledAt, this.now - 2 * MIN);
        if (!steps) return null;
        this.apply(d, steps);
        const reason = exhausted ? 'attempts_exhausted' : 'non_retryable';
        this.finish(d, 'failed', 'failed', steps[k - 1]!.endedAt!, SYSTEM, { reason });
        return d;
      }
      case 'cancelled':
        return this.cancelled();
      case 'expired':
        return this.expired(lenient);
      default:
        throw new Error(`unknown recipe ${recipe}`);
    }
  }

  private inProgress(lenient: boolean): Draft | null {
    const r = this.rng;
    const d = this.draft({ open: true, type: 'call' });
    const k = Math.min(d.maxAttempts, Number(r.weightedKey({ 1: 75, 2: 25 })));
    const runAt = this.now - r.int(15, 240) * 1000;
    const queuedAt = runAt + r.int(0, 5000);
    const startedAt = queuedAt + r.int(200, 5000);
    if (!this.inWindow(d, startedAt)) {
      if (!lenient) return null;
      d.allowOutOfWindow = true;
    }
    const prior = this.backward(d, this.fails('call', k - 1), runAt);
    if (!prior) return null;
    const at = (prior[0]?.runAt ?? runAt) - r.int(0, 60) * 1000;
    if (!this.times(d, { kind: 'at', at })) return null;
    // The dispatcher never starts more calls than the agent's capacity.
    let agent = this.resolve(d);
    const full = (id: string | null) =>
      !id || (this.agentLoad.get(id) ?? 0) >= (this.agentCapacity.get(id) ?? 0);
    if (full(agent)) {
      agent = this.activeAgents.map(([id]) => id).find((id) => !full(id)) ?? null;
      if (!agent) return null;
      d.agentId = agent;
    }
    this.begin(d);
    const open: Step = {
      n: k,
      deferredFrom: null,
      runAt,
      queuedAt,
      startedAt,
      endedAt: null,
      result: 'answered',
      http: null,
      ring: 0,
      talk: 0,
      retryAt: null,
    };
    this.apply(d, [...prior, open]);
    return d;
  }

  private snoozed(): Draft | null {
    const r = this.rng;
    const d = this.draft({ open: true });
    const wasDue = r.chance(0.4);
    const when: When = wasDue
      ? { kind: 'at', at: this.now - r.int(60, 20 * 60) * MIN }
      : { kind: 'future' };
    if (!this.times(d, when)) return null;
    this.begin(d);
    let from: FollowUpStatus = 'scheduled';
    if (wasDue) {
      this.event(d, d.scheduledAt + r.int(1, 60) * 1000, 'queued', SYSTEM, { from, to: 'queued' });
      from = 'queued';
    }
    const after = Math.max(d.lastAt, d.createdAt);
    if (after > this.now - 2 * MIN) return null;
    const at = after + r.next() * (this.now - MIN - after);
    const latest = Math.min(this.now + 4 * DAY, d.expiresAt - 6 * HOUR);
    if (latest < this.now + 45 * MIN) return null;
    const until = Math.floor(this.now + 30 * MIN + r.next() * (latest - this.now - 30 * MIN));
    this.event(d, at, 'snoozed', this.someone(), {
      from,
      to: 'snoozed',
      until: iso(until),
    });
    d.status = 'snoozed';
    d.snoozedUntil = until;
    return d;
  }

  private rescheduled(): Draft | null {
    const r = this.rng;
    const d = this.draft({
      open: true,
      sources: { manual: 7, api: 3 },
    });
    if (!this.times(d, { kind: 'future' }) || d.createdAt > this.now - 20 * MIN) return null;
    const target = d.scheduledAt;
    d.scheduledAt = Math.max(d.createdAt + HOUR, target - r.int(1, 48) * HOUR);
    this.begin(d);
    const at = d.createdAt + r.next() * (this.now - 10 * MIN - d.createdAt);
    this.event(d, at, 'rescheduled', this.someone(), {
      previousScheduledAt: iso(d.scheduledAt),
      scheduledAt: iso(target),
    });
    d.scheduledAt = target;
    d.expiresAt = target + EXPIRY_HOURS * HOUR;
    if (r.chance(0.3)) {
      const priority = r.pick(PRIORITIES.filter((p) => p !== d.priority));
      const when = d.lastAt + r.next() * (this.now - d.lastAt);
      this.event(d, when, 'updated', this.someone(), {
        changes: { priority: { from: d.priority, to: priority } },
      });
      d.priority = priority;
    }
    return d;
  }

  private resumed(): Draft | null {
    const r = this.rng;
    const d = this.draft({ open: true });
    if (!this.times(d, { kind: 'future' }) || d.createdAt > this.now - 3 * HOUR) return null;
    this.begin(d);
    const snoozedAt = d.createdAt + r.next() * (this.now - 2 * HOUR - d.createdAt);
    const until = this.now + r.int(1, 3) * DAY;
    this.event(d, snoozedAt, 'snoozed', this.someone(), {
      from: 'scheduled',
      to: 'snoozed',
      until: iso(until),
    });
    const resumedAt = d.lastAt + r.next() * (this.now - 10 * MIN - d.lastAt);
    this.event(d, resumedAt, 'resumed', this.someone(), {
      from: 'snoozed',
      to: 'scheduled',
    });
    return d;
  }

  /** Failed after all its attempts, then an operator pressed Retry: one more attempt. */
  private retried(): Draft | null {
    const r = this.rng;
    const d = this.draft({ open: true });
    if (d.maxAttempts >= 10) d.maxAttempts = 3;
    if (!this.times(d, { kind: 'past', minDays: 4, maxDays: 12 })) return null;
    this.begin(d);
    const steps = this.forward(d, this.fails(d.type, d.maxAttempts), d.scheduledAt, this.now - DAY);
    if (!steps) return null;
    this.apply(d, steps);
    const failedAt = steps[steps.length - 1]!.endedAt!;
    this.finish(d, 'failed', 'failed', failedAt, SYSTEM, { reason: 'attempts_exhausted' });
    const next = this.businessTime(d.person.zone, 0, 3, this.now + HOUR, this.now + 4 * DAY);
    if (next === null) return null;
    const at = failedAt + r.next() * (this.now - 10 * MIN - failedAt);
    d.maxAttempts += 1;
    this.event(d, at, 'retried', this.someone(), {
      from: 'failed',
      to: 'scheduled',
      maxAttempts: d.maxAttempts,
      scheduledAt: iso(next),
    });
    Object.assign(d, { status: 'scheduled', completedAt: null, nextAttemptAt: null });
    d.scheduledAt = next;
    d.expiresAt = next + EXPIRY_HOURS * HOUR;
    return d;
  }

  private cancelled(): Draft | null {
    const r = this.rng;
    const d = this.draft({ open: false });
    if (!this.times(d, { kind: 'past', minDays: 1, maxDays: 29 })) return null;
    this.begin(d);
    const k = Math.min(d.maxAttempts - 1, Number(r.weightedKey({ 0: 70, 1: 20, 2: 10 })));
    let from = Math.max(d.createdAt, this.now - 29 * DAY);
    let until = Math.min(d.scheduledAt + 2 * HOUR, this.now - 5 * MIN);
    if (k > 0) {
      const steps = this.forward(d, this.fails(d.type, k), d.scheduledAt, this.now - 10 * MIN);
      if (!steps) return null;
      this.apply(d, steps);
      const last = steps[k - 1]!;
      from = last.endedAt!;
      until = Math.min(last.retryAt ?? from + HOUR, this.now - 5 * MIN);
    }
    if (until <= from + MIN) return null;
    const at = from + r.next() * (until - from);
    this.finish(d, 'cancelled', 'cancelled', at, this.someone(), {});
    return d;
  }

  private expired(lenient: boolean): Draft | null {
    const r = this.rng;
    const d = this.draft({ open: false });
    if (!this.times(d, { kind: 'past', minDays: 4, maxDays: 29 })) return null;
    if (d.expiresAt > this.now - 10 * MIN) return null;
    this.begin(d);
    const k = Math.min(d.maxAttempts - 1, Number(r.weightedKey({ 0: 55, 1: 30, 2: 15 })));
    if (k > 0) {
      const steps = this.forward(d, this.fails(d.type, k), d.scheduledAt, d.expiresAt);
      // It expired because the next try could not start before the expiry.
      const retry = steps?.[k - 1]?.retryAt;
      if (!steps || !retry || this.runAt(d, retry) < d.expiresAt) {
        if (!lenient) return null;
      } else {
        this.apply(d, steps);
      }
    }
    if (d.attempts === 0) d.lastError = 'It could not run before it expired.';
    this.finish(d, 'expired', 'expired', d.expiresAt + r.int(0, 50) * 1000, SYSTEM, {});
    return d;
  }

  // --- drafting --------------------------------------------------------------------------------

  /** A follow-up's who, what and how (not yet when). */
  private draft(o: {
    open: boolean;
    type?: FollowUpType;
    person?: Person;
    sources?: Weights<FollowUpSource>;
  }): Draft {
    const r = this.rng;
    const source = r.weightedKey(o.sources ?? SOURCE_WEIGHTS);
    const fits = (c: Campaign, p?: Person) =>
      (c.open || !o.open) && (!p || !c.continents || c.continents.includes(p.continent));
    let campaign: Campaign | null = null;
    if (source === 'campaign' || (source === 'call_outcome' && r.chance(0.5))) {
      campaign = r.pick(this.campaigns.filter((c) => fits(c, o.person)));
    }
    let type = o.type ?? r.weightedKey(TYPE_WEIGHTS[source]);
    let rule: OutcomeRule | null = null;
    if (source === 'call_outcome') {
      // Open ones come from callbacks (a delay rule would have fired already).
      const usable = (x: OutcomeRule) =>
        (!o.open || x.delayMinutes === null) && (!o.type || x.type === o.type);
      if (!campaign?.rules.some(usable)) campaign = null;
      rule = r.pick((campaign?.rules ?? DEFAULT_OUTCOME_RULES).filter(usable));
      type = rule.type;
    }
    const person = o.person ?? this.person(campaign, type, o.open);
    const creator =
      source === 'manual'
        ? r.chance(0.65)
          ? this.users.operator
          : this.users.admin
        : source === 'api'
          ? this.apiKey
          : SYSTEM;
    let agentId: string | null = null;
    if (r.chance(type === 'call' ? 0.5 : 0.12)) agentId = r.weighted(this.activeAgents);
    const notes =
      source === 'manual' && r.chance(0.45)
        ? r.pick(NOTES)
        : source === 'api' && r.chance(0.3)
          ? 'Created by the CRM workflow "Stale deal follow-up".'
          : null;
    return {
      id: '',
      person,
      type,
      source,
      campaign,
      rule,
      sourceCall: null,
      agentId,
      priority: rule?.priority ?? r.weightedKey(PRIORITY_WEIGHTS),
      maxAttempts: rule?.maxAttempts ?? Number(r.weightedKey(MAX_ATTEMPTS[type])),
      attempts: 0,
      allowOutOfWindow: type !== 'webhook' && r.chance(0.03),
      notes,
      status: 'scheduled',
      scheduledAt: 0,
      nextAttemptAt: null,
      snoozedUntil: null,
      expiresAt: 0,
      lastError: null,
      completedAt: null,
      resolvedAgentId: null,
      creator,
      createdAt: 0,
      lastAt: 0,
      events: [],
      attemptRows: [],
      calls: [],
    };
  }

  /** A contact for a new follow-up: not on the DNC list, at most one open per type/campaign. */
  private person(campaign: Campaign | null, type: FollowUpType, open: boolean): Person {
    const list = this.people.filter(
      (p) =>
        p.dncAt === null &&
        (!campaign?.continents || campaign.continents.includes(p.continent)) &&
        !(open && this.openKeys.has(`${p.id}:${type}:${campaign?.id}`)),
    );
    return this.rng.weighted(list.map((p) => [p, p.weight] as const));
  }

  /**
   * Sets scheduledAt, createdAt and expiresAt. A `call_outcome` follow-up gets the call it
   * comes from: a callback request for that time, or a call whose outcome rule fired.
   */
  private times(d: Draft, when: When): boolean {
    const r = this.rng;
    const zone = d.person.zone;
    let at: number | null;
    let createdAt: number;
    if (d.rule && d.rule.delayMinutes !== null) {
      if (when.kind !== 'past') return false;
      const lo = this.now - 29 * DAY;
      const start = this.businessTime(zone, -when.maxDays, -when.minDays, lo, this.now - HOUR);
      if (start === null) return false;
      d.sourceCall = this.call(d.person, start, d.rule.outcome, { campaign: d.campaign });
      createdAt = d.sourceCall.endedAt + r.int(1, 20) * 1000;
      at = createdAt + d.rule.delayMinutes * MIN;
      if (at > this.now - when.minDays * DAY + DAY) return false;
    } else {
      // The customer may ask for a time outside the calling window (SPEC §6).
      const evening = d.type === 'call' && d.rule !== null && r.chance(0.12);
      if (evening) d.allowOutOfWindow = true;
      const outside = evening || (d.allowOutOfWindow && r.chance(0.6));
      at = this.target(zone, when, outside);
      if (at === null) return false;
      if (d.rule) {
        const hi = Math.min(at, this.now) - 30 * MIN;
        const start = this.businessTime(zone, -29, 0, this.now - 29 * DAY, hi);
        if (start === null) return false;
        d.sourceCall = this.call(d.person, start, 'callback_requested', {
          campaign: d.campaign,
          requestedCallbackAt: at,
        });
        createdAt = d.sourceCall.endedAt + r.int(1, 20) * 1000;
      } else if (when.kind === 'future') {
        createdAt = this.now - r.int(5, 4 * 24 * 60) * MIN;
      } else {
        createdAt = at - r.int(15, 3 * 24 * 60) * MIN;
      }
    }
    if (d.campaign && !d.campaign.open && at > this.now - 12 * DAY) return false;
    d.scheduledAt = at;
    d.createdAt = Math.min(createdAt, at, this.now - MIN);
    d.expiresAt = at + EXPIRY_HOURS * HOUR;
    return true;
  }

  private target(zone: string, when: When, outside: boolean): number | null {
    if (when.kind === 'at') return when.at;
    const minutes = outside ? ([19 * 60, 20 * 60 + 30] as const) : undefined;
    if (when.kind === 'past') {
      const hi = this.now - when.minDays * DAY;
      const lo = this.now - when.maxDays * DAY - DAY;
      return this.businessTime(zone, -when.maxDays, -when.minDays, lo, hi, minutes);
    }
    const days = () => Math.floor(this.rng.next() ** 1.6 * 10);
    return this.businessTime(zone, days, null, this.now + 30 * MIN, this.now + 11 * DAY, minutes);
  }

  /** Opens the timeline: the id (from createdAt) and the `created` event. */
  private begin(d: Draft): Draft {
    d.id = seededId(d.createdAt, this.rng);
    d.lastAt = d.createdAt - 1;
    this.event(d, d.createdAt, 'created', d.creator, {
      to: 'scheduled',
      scheduledAt: iso(d.scheduledAt),
    });
    return d;
  }

  private event(
    d: Draft,
    at: number,
    kind: FollowUpEventKind,
    actor: Actor,
    data: Record<string, unknown>,
  ): number {
    const t = Math.max(Math.floor(at), d.lastAt + 1);
    d.lastAt = t;
    d.events.push({
      id: seededId(t, this.rng),
      workspaceId: this.wsId,
      followUpId: d.id,
      at: new Date(t),
      kind,
      actorType: actor.type,
      actorId: actor.id,
      data,
    });
    return t;
  }

  private finish(
    d: Draft,
    kind: FollowUpEventKind,
    status: FollowUpStatus,
    at: number,
    actor: Actor,
    data: Record<string, unknown>,
  ): void {
    d.completedAt = this.event(d, at, kind, actor, { from: d.status, to: status, ...data });
    d.status = status;
  }

  private commit(d: Draft): void {
    if (d.sourceCall) this.calls.push(d.sourceCall);
    this.calls.push(...d.calls);
    this.rows.events.push(...d.events);
    this.rows.attempts.push(...d.attemptRows);
    if (isOpen(d.status)) this.openKeys.add(`${d.person.id}:${d.type}:${d.campaign?.id}`);
    if (d.status === 'in_progress' && d.resolvedAgentId) {
      const load = this.agentLoad.get(d.resolvedAgentId) ?? 0;
      this.agentLoad.set(d.resolvedAgentId, load + 1);
    }
    this.rows.followUps.push({
      id: d.id,
      workspaceId: this.wsId,
      contactId: d.person.id,
      type: d.type,
      scheduledAt: new Date(d.scheduledAt),
      agentId: d.agentId,
      priority: d.priority,
      maxAttempts: d.maxAttempts,
      attempts: d.attempts,
      allowOutOfWindow: d.allowOutOfWindow,
      notes: d.notes,
      campaignId: d.campaign?.id ?? null,
      source: d.source,
      sourceCallLogId: d.sourceCall?.id ?? null,
      status: d.status,
      nextAttemptAt: toDate(d.nextAttemptAt),
      snoozedUntil: toDate(d.snoozedUntil),
      expiresAt: new Date(d.expiresAt),
      lastError: d.lastError,
      completedAt: toDate(d.completedAt),
      resolvedAgentId: d.resolvedAgentId,
      createdByUserId: d.creator.type === 'user' ? d.creator.id : null,
      createdByApiKeyId: d.creator.type === 'api_key' ? d.creator.id : null,
      createdAt: new Date(d.createdAt),
      updatedAt: new Date(d.lastAt),
    });
  }

  // --- attempts ---------------------------------------------------------------------------------

  /** Attempts from `due` on, as the engine runs them (window deferrals, backoff), or null. */
  private forward(d: Draft, results: Outcome[], due: number, deadline: number): Step[] | null {
    const r = this.rng;
    const steps: Step[] = [];
    for (let i = 0; i < results.length; i++) {
      const outcome = results[i]!;
      const runAt = this.runAt(d, due);
      const queuedAt = runAt + r.int(0, 20_000);
      const startedAt = queuedAt + r.int(200, 15_000);
      const { ms, ring, talk } = this.attemptTime(d.type, outcome.result);
      const endedAt = startedAt + ms;
      if (endedAt >= deadline || startedAt >= d.expiresAt) return null;
      const retryAt = this.retryAt(d, outcome, i + 1, endedAt);
      const deferredFrom = runAt > due + MIN ? due : null;
      steps.push({
        ...outcome,
        n: i + 1,
        deferredFrom,
        runAt,
        queuedAt,
        startedAt,
        endedAt,
        ring,
        talk,
        retryAt,
      });
      if (retryAt !== null) due = retryAt;
    }
    return steps;
  }

  /** Failed attempts that end so that the last one's retry is due at `next`, or null. */
  private backward(d: Draft, results: Outcome[], next: number): Step[] | null {
    const r = this.rng;
    const steps: Step[] = [];
    let retryAt = next;
    for (let i = results.length - 1; i >= 0; i--) {
      const outcome = results[i]!;
      const { ms, ring, talk } = this.attemptTime(d.type, outcome.result);
      const endedAt = retryAt - backoffMinutes(RETRY_SCHEDULE, i + 1) * MIN;
      const startedAt = endedAt - ms;
      const queuedAt = startedAt - r.int(200, 15_000);
      const runAt = queuedAt - r.int(0, 20_000);
      if (!this.inWindow(d, startedAt)) return null;
      steps.unshift({
        ...outcome,
        n: i + 1,
        deferredFrom: null,
        runAt,
        queuedAt,
        startedAt,
        endedAt,
        ring,
        talk,
        retryAt,
      });
      retryAt = runAt;
    }
    return steps;
  }

  /** When the engine retries after this attempt, or null when it does not. */
  private retryAt(d: Draft, o: Outcome, n: number, endedAt: number): number | null {
    if (classifyResult(o.result, o.http ?? undefined) !== 'retryable' || n >= d.maxAttempts) {
      return null;
    }
    return endedAt + backoffMinutes(RETRY_SCHEDULE, n) * MIN;
  }

  /** Writes the steps' attempts, events and call logs onto the draft. */
  private apply(d: Draft, steps: Step[]): void {
    const r = this.rng;
    if (d.type === 'call') d.resolvedAgentId = this.resolve(d);
    const agentId = d.type === 'call' ? d.resolvedAgentId : null;
    for (const st of steps) {
      if (st.deferredFrom !== null) {
        d.nextAttemptAt = st.runAt;
        this.event(d, st.deferredFrom, 'deferred', SYSTEM, {
          reason: 'outside_calling_window',
          nextAttemptAt: iso(st.runAt),
        });
      }
      this.event(d, st.queuedAt, 'queued', SYSTEM, { from: 'scheduled', to: 'queued' });
      this.event(d, st.startedAt, 'attempt_started', SYSTEM, {
        attempt: st.n,
        ...(agentId ? { agentId } : {}),
      });
      d.attempts = st.n;
      const ended = st.endedAt !== null;
      let callLogId: string | null = null;
      if (ended && d.type === 'call' && IS_CALL_OUTCOME.has(st.result)) {
        const call = this.call(d.person, st.startedAt, st.result as CallOutcome, {
          campaign: d.campaign,
          agentId,
          followUpId: d.id,
          timing: { ring: st.ring, talk: st.talk },
        });
        d.calls.push(call);
        callLogId = call.id;
      }
      const error = ended ? errorOf(st) : null;
      const provider = d.type === 'webhook' ? 'webhook' : 'simulator';
      const reached = ended && !['network_error', 'timeout'].includes(st.result);
      d.attemptRows.push({
        id: seededId(st.startedAt, r),
        workspaceId: this.wsId,
        followUpId: d.id,
        number: st.n,
        channel: d.type,
        provider,
        agentId,
        idempotencyKey: `${d.id}:${st.n}`,
        startedAt: new Date(st.startedAt),
        endedAt: toDate(st.endedAt),
        leaseExpiresAt: new Date(st.startedAt + LEASE_SECONDS[d.type] * 1000),
        workerId: `worker-${r.int(1, 2)}`,
        result: ended ? st.result : null,
        error,
        providerRef:
          reached || !ended ? `${d.type === 'webhook' ? 'msg' : 'sim'}_${r.hex(20)}` : null,
        callLogId,
      });
      d.status = 'in_progress';
      if (st.endedAt === null) return;
      const success = classifyResult(st.result, st.http ?? undefined) === 'success';
      this.event(d, st.endedAt, success ? 'attempt_succeeded' : 'attempt_failed', SYSTEM, {
        attempt: st.n,
        result: st.result,
        ...(st.http ? { httpStatus: st.http } : {}),
        ...(callLogId ? { callLogId } : {}),
        ...(error ? { error } : {}),
      });
      if (!success) d.lastError = error;
      if (st.retryAt !== null) {
        d.nextAttemptAt = st.retryAt;
        this.event(d, st.endedAt, 'retry_scheduled', SYSTEM, {
          from: 'in_progress',
          to: 'scheduled',
          nextAttemptAt: iso(st.retryAt),
        });
        d.status = 'scheduled';
      }
    }
  }

  private fails(type: FollowUpType, n: number): Outcome[] {
    return Array.from({ length: Math.max(0, n) }, () => this.pick(RETRYABLE[type]));
  }

  private pick(entries: Weights<AttemptResult>): Outcome {
    const result = this.rng.weightedKey(entries);
    if (result !== 'http_error') return { result, http: null };
    const retryable = entries === RETRYABLE.webhook;
    return { result, http: this.rng.pick(retryable ? [500, 502, 503, 429] : [400, 404, 410]) };
  }

  private attemptTime(type: FollowUpType, result: AttemptResult) {
    const r = this.rng;
    if (type === 'call' && IS_CALL_OUTCOME.has(result)) {
      const { ring, talk } = this.callTiming(result as CallOutcome);
      return { ms: (ring + talk) * 1000 + r.int(0, 999), ring, talk };
    }
    if (result === 'timeout') return { ms: LEASE_SECONDS[type] * 1000, ring: 0, talk: 0 };
    const ms = type === 'webhook' ? r.int(80, 2500) : r.int(1000, 8000);
    return { ms, ring: 0, talk: 0 };
  }

  private resolve(d: Draft): string | null {
    return resolveAgent({
      agentId: d.agentId,
      campaignId: d.campaign?.id ?? null,
      source: d.source,
      campaignAgentId: d.campaign?.agentId ?? null,
      sourceCallAgentId: d.sourceCall?.agentId ?? null,
      workspaceDefaultAgentId: this.defaultAgentId,
    }).agentId;
  }

  private someone(): Actor {
    return this.rng.chance(0.7) ? this.users.operator : this.users.admin;
  }

  // --- calls ------------------------------------------------------------------------------------

  private call(
    person: Person,
    startedAt: number,
    outcome: CallOutcome,
    o: {
      campaign?: Campaign | null;
      agentId?: string | null;
      followUpId?: string | null;
      direction?: CallDirection;
      timing?: { ring: number; talk: number };
      requestedCallbackAt?: number;
    },
  ): Call {
    const r = this.rng;
    const { ring, talk } = o.timing ?? this.callTiming(outcome);
    const endedAt = startedAt + (ring + talk) * 1000;
    const direction = o.direction ?? 'outbound';
    let requestedCallbackAt: number | null = null;
    if (outcome === 'callback_requested') {
      requestedCallbackAt =
        o.requestedCallbackAt ??
        this.businessTime(
          person.zone,
          () => r.int(0, 4),
          null,
          endedAt + HOUR,
          endedAt + 6 * DAY,
          undefined,
          endedAt,
        ) ??
        endedAt + DAY;
    }
    const template =
      direction === 'inbound' ? r.pick(INBOUND_SUMMARIES) : r.pick(SUMMARIES[outcome]);
    return {
      id: seededId(startedAt, r),
      person,
      agentId:
        o.agentId !== undefined
          ? o.agentId
          : (o.campaign?.agentId ?? r.weighted(this.activeAgents)),
      campaignId: o.campaign?.id ?? null,
      followUpId: o.followUpId ?? null,
      direction,
      outcome,
      startedAt,
      endedAt,
      talk,
      summary: fillTemplate(template, r),
      requestedCallbackAt,
    };
  }

  /** Seconds ringing and talking for an outcome. */
  private callTiming(outcome: CallOutcome): { ring: number; talk: number } {
    const r = this.rng;
    const ring = r.int(4, 18);
    switch (outcome) {
      case 'answered':
        return { ring, talk: r.int(40, 70) + Math.round(r.next() ** 2 * 540) };
      case 'callback_requested':
        return { ring, talk: r.int(20, 150) };
      case 'not_interested':
        return { ring, talk: r.int(10, 90) };
      case 'do_not_call':
        return { ring, talk: r.int(8, 45) };
      case 'voicemail':
        return { ring: r.int(18, 30), talk: r.int(15, 40) };
      case 'no_answer':
        return { ring: r.int(25, 45), talk: 0 };
      case 'busy':
        return { ring: r.int(1, 4), talk: 0 };
      default:
        return { ring: r.int(0, 3), talk: 0 };
    }
  }

  /** Calls nobody scheduled a follow-up for, until there are `total`, steering the mix. */
  private planBackgroundCalls(total: number): void {
    const r = this.rng;
    const counts = new Map<CallOutcome, number>();
    for (const c of this.calls) counts.set(c.outcome, (counts.get(c.outcome) ?? 0) + 1);
    const people = this.people.map((p) => [p, p.weight] as const);
    const outcomes = CALL_OUTCOMES.filter((o) => o !== 'do_not_call');
    while (this.calls.length < total) {
      const person = r.weighted(people);
      const hi = Math.min(this.now, person.dncAt ?? this.now) - 10 * MIN;
      const lo = this.now - 30 * DAY;
      if (hi <= lo + DAY) continue;
      const inbound = r.chance(0.08);
      let call: Call;
      if (inbound) {
        const start = this.businessTime(
          person.zone,
          -29,
          0,
          lo,
          hi,
          [8 * 60, 20 * 60],
          this.now,
          0,
        );
        if (start === null) continue;
        const outcome = r.weightedKey({ answered: 85, not_interested: 8, callback_requested: 7 });
        call = this.call(person, start, outcome, {
          direction: 'inbound',
          agentId: this.defaultAgentId,
        });
      } else {
        const start = this.businessTime(person.zone, -29, 0, lo, hi);
        if (start === null) continue;
        const outcome = r.weighted(
          outcomes.map(
            (o) => [o, Math.max(0.5, total * CALL_MIX[o] - (counts.get(o) ?? 0))] as const,
          ),
        );
        const campaign = r.chance(0.55)
          ? (r.pick(
              this.campaigns.filter(
                (c) =>
                  (!c.continents || c.continents.includes(person.continent)) &&
                  (c.open || start < this.now - 12 * DAY),
              ),
            ) ?? null)
          : null;
        call = this.call(person, start, outcome, { campaign });
      }
      counts.set(call.outcome, (counts.get(call.outcome) ?? 0) + 1);
      this.calls.push(call);
    }
  }

  private callRow(c: Call): Row<typeof s.callLogs> {
    return {
      id: c.id,
      workspaceId: this.wsId,
      contactId: c.person.id,
      agentId: c.agentId,
      campaignId: c.campaignId,
      followUpId: c.followUpId,
      direction: c.direction,
      outcome: c.outcome,
      startedAt: new Date(c.startedAt),
      endedAt: new Date(c.endedAt),
      durationSeconds: c.talk,
      summary: c.summary,
      requestedCallbackAt: toDate(c.requestedCallbackAt),
      createdAt: new Date(c.endedAt),
    };
  }

  // --- time -------------------------------------------------------------------------------------

  /**
   * A local business time (weekday, 09:00–17:15 unless `minutes` says otherwise) on the local
   * date `days` days from `base` in `zone`, strictly between lo and hi; null after 16 tries.
   * `days` is a range [from, to] or a function; weekends move back (past) or forward (future).
   */
  private businessTime(
    zone: string,
    from: number | (() => number),
    to: number | null,
    lo: number,
    hi: number,
    minutes: readonly [number, number] = [9 * 60, 17 * 60 + 15],
    base = this.now,
    weekdays: 0 | 1 = 1,
  ): number | null {
    const r = this.rng;
    for (let i = 0; i < 16; i++) {
      const offset = typeof from === 'function' ? from() : r.int(from, to ?? from);
      let date = instant(base + offset * DAY)
        .toZonedDateTimeISO(zone)
        .toPlainDate();
      const step = offset < 0 ? -1 : 1;
      while (weekdays && date.dayOfWeek > 5) date = date.add({ days: step });
      const minute = r.int(minutes[0], minutes[1]);
      const time = new Temporal.PlainTime(Math.floor(minute / 60), minute % 60, r.int(0, 59));
      const t = date.toZonedDateTime({ timeZone: zone, plainTime: time }).epochMilliseconds;
      if (t > lo && t < hi) return t;
    }
    return null;
  }

  private windowed(d: Draft): boolean {
    return d.type !== 'webhook' && !d.allowOutOfWindow;
  }

  private policy(d: Draft): CallingWindowPolicy {
    return d.campaign?.policy ?? DEFAULT_CALLING_WINDOW;
  }

  private inWindow(d: Draft, at: number): boolean {
    return !this.windowed(d) || isInsideWindow(this.policy(d), d.person.zone, instant(at));
  }

  /** When the engine would start it, due at `due`: the next window opening if outside. */
  private runAt(d: Draft, due: number): number {
    if (!this.windowed(d)) return due;
    return nextWindowStart(this.policy(d), d.person.zone, instant(due))?.epochMilliseconds ?? due;
  }
}
