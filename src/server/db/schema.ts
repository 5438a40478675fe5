/**
 * The database schema (PostgreSQL dialect; one schema for PGlite and PostgreSQL).
 *
 * Tenancy is enforced by the database too: every child row references its parent by
 * (workspace_id, id), so a follow-up can never point at another workspace's contact, agent or
 * campaign whatever the code above does.
 */
import { type SQL, sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  boolean,
  check,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import type { CallingWindowPolicy } from '../../core/calling-window.ts';
import {
  EVENT_KINDS,
  FOLLOW_UP_STATUSES,
  FOLLOW_UP_TYPES,
  PRIORITIES,
  SOURCES,
} from '../../core/follow-up.ts';
import type { FrequencyCap } from '../../core/frequency-caps.ts';
import type { OutcomeRule } from '../../core/outcome-rules.ts';
import { ATTEMPT_RESULTS, CALL_DIRECTIONS, CALL_OUTCOMES } from '../../core/results.ts';
import { ACTOR_TYPES, AGENT_STATUSES, CAMPAIGN_STATUSES, ROLES } from '../../core/roles.ts';

/** `column IN ('a', 'b')` for a CHECK constraint, from the one list in core/. */
function oneOf(column: AnyPgColumn, values: readonly string[]): SQL {
  return sql`${column} in (${sql.raw(values.map((v) => `'${v}'`).join(', '))})`;
}

const E164 = sql.raw(`'^\\+[1-9][0-9]{6,14}$'`);

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const createdAt = () => ts('created_at').notNull().defaultNow();
const updatedAt = () => ts('updated_at').notNull().defaultNow();

export const workspaces = pgTable(
  'workspaces',
  {
    id: uuid('id').primaryKey(),
    name: text('name').notNull(),
    timezone: text('timezone').notNull(),
    callingWindow: jsonb('calling_window').$type<CallingWindowPolicy>().notNull(),
    retryScheduleMinutes: jsonb('retry_schedule_minutes').$type<number[]>().notNull(),
    defaultExpiryHours: integer('default_expiry_hours').notNull().default(72),
    defaultAgentId: uuid('default_agent_id'),
    outcomeRules: jsonb('outcome_rules').$type<OutcomeRule[]>().notNull().default([]),
    /** Calls and SMS run only when it is calling time in the area code's zone too. */
    everyZone: boolean('every_zone').notNull().default(false),
    closedOnPublicHolidays: boolean('closed_on_public_holidays').notNull().default(false),
    /** Per contact, over every attempt of the workspace (core/frequency-caps.ts). */
    frequencyCaps: jsonb('frequency_caps').$type<FrequencyCap[]>().notNull().default([]),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check('workspaces_name_present', sql`length(trim(${t.name})) > 0`),
    check('workspaces_expiry_range', sql`${t.defaultExpiryHours} between 1 and 8760`),
    foreignKey({
      name: 'workspaces_default_agent_fk',
      columns: [t.id, t.defaultAgentId],
      foreignColumns: [agents.workspaceId, agents.id],
    }),
  ],
);

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    name: text('name').notNull(),
    passwordHash: text('password_hash').notNull(),
    role: text('role').notNull(),
    deactivatedAt: ts('deactivated_at'),
    /** A one-time password (invited, reset): every route but the change refuses until changed. */
    mustChangePassword: boolean('must_change_password').notNull().default(false),
    passwordChangedAt: ts('password_changed_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    // One account per email in a workspace; the same person may have one in other workspaces.
    uniqueIndex('users_workspace_email_unique').on(t.workspaceId, sql`lower(${t.email})`),
    index('users_email_idx').on(sql`lower(${t.email})`),
    check('users_role_check', oneOf(t.role, ROLES)),
  ],
);

export const sessions = pgTable(
  'sessions',
  {
    id: uuid('id').primaryKey(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull().unique(),
    expiresAt: ts('expires_at').notNull(),
    createdAt: createdAt(),
    lastSeenAt: ts('last_seen_at').notNull().defaultNow(),
  },
  (t) => [index('sessions_user_idx').on(t.userId), index('sessions_expiry_idx').on(t.expiresAt)],
);

export const apiKeys = pgTable(
  'api_keys',
  {
    id: uuid('id').primaryKey(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    role: text('role').notNull(),
    /** The first characters of the key, shown in lists so people can tell keys apart. */
    prefix: text('prefix').notNull(),
    secretHash: text('secret_hash').notNull().unique(),
    createdByUserId: uuid('created_by_user_id').references(() => users.id, {
      onDelete: 'set null',
    }),
    lastUsedAt: ts('last_used_at'),
    revokedAt: ts('revoked_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('api_keys_workspace_idx').on(t.workspaceId),
    check('api_keys_role_check', oneOf(t.role, ROLES)),
  ],
);

export const agents = pgTable(
  'agents',
  {
    id: uuid('id').primaryKey(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references((): AnyPgColumn => workspaces.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    description: text('description'),
    status: text('status').notNull().default('active'),
    maxConcurrentCalls: integer('max_concurrent_calls').notNull().default(5),
    isDefault: boolean('is_default').notNull().default(false),
    /** The voice platform's id for this agent: Retell agent id, Vapi assistant id. */
    externalAgentId: text('external_agent_id'),
    /** The number this agent calls from (E.164); else the workspace's default caller number. */
    fromNumber: text('from_number'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique('agents_workspace_id_unique').on(t.workspaceId, t.id),
    uniqueIndex('agents_one_default').on(t.workspaceId).where(sql`${t.isDefault}`),
    check('agents_status_check', oneOf(t.status, AGENT_STATUSES)),
    check('agents_capacity_range', sql`${t.maxConcurrentCalls} between 1 and 1000`),
    check('agents_name_present', sql`length(trim(${t.name})) > 0`),
  ],
);

export const contacts = pgTable(
  'contacts',
  {
    id: uuid('id').primaryKey(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    firstName: text('first_name'),
    lastName: text('last_name'),
    phone: text('phone').notNull(),
    email: text('email'),
    company: text('company'),
    timezone: text('timezone'),
    /** ISO 3166-2 subdivision ('US-FL') where the contact is, as stated. */
    region: text('region'),
    customFields: jsonb('custom_fields').$type<Record<string, unknown>>().notNull().default({}),
    archivedAt: ts('archived_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique('contacts_workspace_id_unique').on(t.workspaceId, t.id),
    unique('contacts_phone_unique').on(t.workspaceId, t.phone),
    index('contacts_list_idx').on(t.workspaceId, t.createdAt, t.id),
    index('contacts_name_idx').on(
      t.workspaceId,
      sql`lower(${t.lastName})`,
      sql`lower(${t.firstName})`,
    ),
    check('contacts_phone_e164', sql`${t.phone} ~ ${E164}`),
    check('contacts_region_iso', sql`${t.region} ~ '^[A-Z]{2}-[A-Z0-9]{1,3}$'`),
  ],
);

export const dncEntries = pgTable(
  'dnc_entries',
  {
    id: uuid('id').primaryKey(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    phone: text('phone').notNull(),
    reason: text('reason'),
    createdByUserId: uuid('created_by_user_id').references(() => users.id, {
      onDelete: 'set null',
    }),
    createdAt: createdAt(),
  },
  (t) => [
    unique('dnc_phone_unique').on(t.workspaceId, t.phone),
    index('dnc_list_idx').on(t.workspaceId, t.createdAt, t.id),
    check('dnc_phone_e164', sql`${t.phone} ~ ${E164}`),
  ],
);

export const campaigns = pgTable(
  'campaigns',
  {
    id: uuid('id').primaryKey(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    agentId: uuid('agent_id'),
    status: text('status').notNull().default('draft'),
    timezone: text('timezone'),
    /** null = the workspace's calling window. */
    callingWindow: jsonb('calling_window').$type<CallingWindowPolicy>(),
    outcomeRules: jsonb('outcome_rules').$type<OutcomeRule[]>().notNull().default([]),
    /** null = the workspace's setting. */
    closedOnPublicHolidays: boolean('closed_on_public_holidays'),
    /** Per contact, over this campaign's attempts (the workspace's apply too). */
    frequencyCaps: jsonb('frequency_caps').$type<FrequencyCap[]>().notNull().default([]),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique('campaigns_workspace_id_unique').on(t.workspaceId, t.id),
    index('campaigns_list_idx').on(t.workspaceId, t.createdAt, t.id),
    foreignKey({
      name: 'campaigns_agent_fk',
      columns: [t.workspaceId, t.agentId],
      foreignColumns: [agents.workspaceId, agents.id],
    }),
    check('campaigns_status_check', oneOf(t.status, CAMPAIGN_STATUSES)),
    check('campaigns_name_present', sql`length(trim(${t.name})) > 0`),
  ],
);

export const callLogs = pgTable(
  'call_logs',
  {
    id: uuid('id').primaryKey(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    contactId: uuid('contact_id').notNull(),
    agentId: uuid('agent_id'),
    campaignId: uuid('campaign_id'),
    followUpId: uuid('follow_up_id'),
    direction: text('direction').notNull(),
    outcome: text('outcome').notNull(),
    startedAt: ts('started_at').notNull(),
    endedAt: ts('ended_at'),
    durationSeconds: integer('duration_seconds').notNull().default(0),
    summary: text('summary'),
    requestedCallbackAt: ts('requested_callback_at'),
    /** The voice platform that placed or took the call, and its id for it. */
    provider: text('provider'),
    providerCallId: text('provider_call_id'),
    sentiment: text('sentiment'),
    recordingUrl: text('recording_url'),
    transcriptUrl: text('transcript_url'),
    createdAt: createdAt(),
  },
  (t) => [
    unique('call_logs_workspace_id_unique').on(t.workspaceId, t.id),
    index('call_logs_contact_idx').on(t.workspaceId, t.contactId, t.startedAt.desc(), t.id),
    index('call_logs_list_idx').on(t.workspaceId, t.startedAt.desc(), t.id),
    index('call_logs_follow_up_idx').on(t.followUpId),
    index('call_logs_agent_idx').on(t.workspaceId, t.agentId),
    index('call_logs_campaign_idx').on(t.workspaceId, t.campaignId),
    foreignKey({
      name: 'call_logs_contact_fk',
      columns: [t.workspaceId, t.contactId],
      foreignColumns: [contacts.workspaceId, contacts.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'call_logs_agent_fk',
      columns: [t.workspaceId, t.agentId],
      foreignColumns: [agents.workspaceId, agents.id],
    }),
    foreignKey({
      name: 'call_logs_campaign_fk',
      columns: [t.workspaceId, t.campaignId],
      foreignColumns: [campaigns.workspaceId, campaigns.id],
    }),
    check('call_logs_direction_check', oneOf(t.direction, CALL_DIRECTIONS)),
    check('call_logs_outcome_check', oneOf(t.outcome, CALL_OUTCOMES)),
    check('call_logs_duration_positive', sql`${t.durationSeconds} >= 0`),
    check(
      'call_logs_ended_after_start',
      sql`${t.endedAt} is null or ${t.endedAt} >= ${t.startedAt}`,
    ),
  ],
);

export const followUps = pgTable(
  'follow_ups',
  {
    id: uuid('id').primaryKey(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    contactId: uuid('contact_id').notNull(),
    type: text('type').notNull().default('call'),
    scheduledAt: ts('scheduled_at').notNull(),
    agentId: uuid('agent_id'),
    priority: text('priority').notNull().default('normal'),
    /** 0 urgent … 3 low: `ORDER BY priority_rank` is the dispatch order. */
    priorityRank: smallint('priority_rank')
      .notNull()
      .generatedAlwaysAs(
        sql`case priority when 'urgent' then 0 when 'high' then 1 when 'normal' then 2 else 3 end`,
      ),
    maxAttempts: smallint('max_attempts').notNull().default(3),
    attempts: smallint('attempts').notNull().default(0),
    allowOutOfWindow: boolean('allow_out_of_window').notNull().default(false),
    notes: text('notes'),
    campaignId: uuid('campaign_id'),
    source: text('source').notNull(),
    /** The call whose outcome created this follow-up (routing "Inherit from source"). */
    sourceCallLogId: uuid('source_call_log_id'),
    status: text('status').notNull().default('scheduled'),
    nextAttemptAt: ts('next_attempt_at'),
    /** When the engine next looks at it: nextAttemptAt, else scheduledAt. */
    runAt: ts('run_at').notNull().generatedAlwaysAs(sql`coalesce(next_attempt_at, scheduled_at)`),
    snoozedUntil: ts('snoozed_until'),
    expiresAt: ts('expires_at').notNull(),
    lastError: text('last_error'),
    completedAt: ts('completed_at'),
    resolvedAgentId: uuid('resolved_agent_id'),
    createdByUserId: uuid('created_by_user_id').references(() => users.id, {
      onDelete: 'set null',
    }),
    createdByApiKeyId: uuid('created_by_api_key_id').references(() => apiKeys.id, {
      onDelete: 'set null',
    }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique('follow_ups_workspace_id_unique').on(t.workspaceId, t.id),
    // The contact card: one contact's follow-ups (a few hundred at most), sorted in memory.
    index('follow_ups_contact_idx').on(t.workspaceId, t.contactId, t.scheduledAt, t.id),
    // The global list: keyset on (scheduled_at, id) under the workspace and each filter.
    index('follow_ups_list_idx').on(t.workspaceId, t.scheduledAt, t.id),
    index('follow_ups_status_idx').on(t.workspaceId, t.status, t.scheduledAt, t.id),
    index('follow_ups_agent_idx').on(t.workspaceId, t.agentId, t.scheduledAt, t.id),
    index('follow_ups_campaign_idx').on(t.workspaceId, t.campaignId, t.scheduledAt, t.id),
    index('follow_ups_type_idx').on(t.workspaceId, t.type, t.scheduledAt, t.id),
    index('follow_ups_priority_idx').on(t.workspaceId, t.priority, t.scheduledAt, t.id),
    index('follow_ups_source_idx').on(t.workspaceId, t.source, t.scheduledAt, t.id),
    // Operators mostly look at open follow-ups: these keep those lists in order without
    // walking past the finished ones.
    index('follow_ups_open_list_idx')
      .on(t.workspaceId, t.scheduledAt, t.id)
      .where(sql`${t.status} in ('scheduled', 'queued', 'in_progress', 'snoozed')`),
    index('follow_ups_open_agent_idx')
      .on(t.workspaceId, t.agentId, t.scheduledAt, t.id)
      .where(sql`${t.status} in ('scheduled', 'queued', 'in_progress', 'snoozed')`),
    // The engine: what is due, what is queued in dispatch order, what wakes up, what expires.
    index('follow_ups_due_idx').on(t.runAt).where(sql`${t.status} = 'scheduled'`),
    index('follow_ups_queue_idx')
      .on(t.priorityRank, t.scheduledAt, t.id)
      .where(sql`${t.status} = 'queued'`),
    // Foreign keys that deletes of call logs and agents check.
    index('follow_ups_source_call_idx').on(t.workspaceId, t.sourceCallLogId),
    index('follow_ups_resolved_agent_idx').on(t.workspaceId, t.resolvedAgentId),
    index('follow_ups_snoozed_idx').on(t.snoozedUntil).where(sql`${t.status} = 'snoozed'`),
    // Agent capacity: calls in progress per agent.
    index('follow_ups_calls_in_progress_idx')
      .on(t.resolvedAgentId)
      .where(sql`${t.status} = 'in_progress' and ${t.type} = 'call'`),
    index('follow_ups_expiry_idx')
      .on(t.expiresAt)
      .where(sql`${t.status} in ('scheduled', 'queued', 'snoozed')`),
    foreignKey({
      name: 'follow_ups_contact_fk',
      columns: [t.workspaceId, t.contactId],
      foreignColumns: [contacts.workspaceId, contacts.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'follow_ups_agent_fk',
      columns: [t.workspaceId, t.agentId],
      foreignColumns: [agents.workspaceId, agents.id],
    }),
    foreignKey({
      name: 'follow_ups_resolved_agent_fk',
      columns: [t.workspaceId, t.resolvedAgentId],
      foreignColumns: [agents.workspaceId, agents.id],
    }),
    foreignKey({
      name: 'follow_ups_campaign_fk',
      columns: [t.workspaceId, t.campaignId],
      foreignColumns: [campaigns.workspaceId, campaigns.id],
    }),
    foreignKey({
      name: 'follow_ups_source_call_fk',
      columns: [t.workspaceId, t.sourceCallLogId],
      foreignColumns: [callLogs.workspaceId, callLogs.id],
    }),
    check('follow_ups_type_check', oneOf(t.type, FOLLOW_UP_TYPES)),
    check('follow_ups_priority_check', oneOf(t.priority, PRIORITIES)),
    check('follow_ups_source_check', oneOf(t.source, SOURCES)),
    check('follow_ups_status_check', oneOf(t.status, FOLLOW_UP_STATUSES)),
    check('follow_ups_max_attempts_range', sql`${t.maxAttempts} between 1 and 10`),
    check('follow_ups_attempts_range', sql`${t.attempts} between 0 and ${t.maxAttempts}`),
    check('follow_ups_notes_length', sql`${t.notes} is null or length(${t.notes}) <= 2000`),
    check(
      'follow_ups_snoozed_has_until',
      sql`${t.status} <> 'snoozed' or ${t.snoozedUntil} is not null`,
    ),
    check(
      'follow_ups_terminal_has_completed_at',
      sql`(${t.status} in ('completed', 'failed', 'cancelled', 'expired')) = (${t.completedAt} is not null)`,
    ),
  ],
);

export const followUpEvents = pgTable(
  'follow_up_events',
  {
    id: uuid('id').primaryKey(),
    // Deleting a workspace must reach events and attempts directly: through follow-ups the
    // cascade may arrive after the agents' foreign-key checks.
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    followUpId: uuid('follow_up_id').notNull(),
    at: ts('at').notNull(),
    kind: text('kind').notNull(),
    actorType: text('actor_type').notNull(),
    /** The user or API key that acted; null for the system. */
    actorId: uuid('actor_id'),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [
    index('follow_up_events_follow_up_idx').on(t.followUpId, t.at, t.id),
    foreignKey({
      name: 'follow_up_events_follow_up_fk',
      columns: [t.workspaceId, t.followUpId],
      foreignColumns: [followUps.workspaceId, followUps.id],
    }).onDelete('cascade'),
    check('follow_up_events_kind_check', oneOf(t.kind, EVENT_KINDS)),
    check('follow_up_events_actor_check', oneOf(t.actorType, ACTOR_TYPES)),
    check('follow_up_events_actor_id', sql`(${t.actorType} = 'system') = (${t.actorId} is null)`),
  ],
);

export const followUpAttempts = pgTable(
  'follow_up_attempts',
  {
    id: uuid('id').primaryKey(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    followUpId: uuid('follow_up_id').notNull(),
    number: smallint('number').notNull(),
    channel: text('channel').notNull(),
    provider: text('provider').notNull(),
    agentId: uuid('agent_id'),
    /** `<followUpId>:<attemptNumber>`, sent to the provider. */
    idempotencyKey: text('idempotency_key').notNull().unique(),
    startedAt: ts('started_at').notNull(),
    endedAt: ts('ended_at'),
    leaseExpiresAt: ts('lease_expires_at'),
    workerId: text('worker_id'),
    result: text('result'),
    error: text('error'),
    providerRef: text('provider_ref'),
    callLogId: uuid('call_log_id'),
  },
  (t) => [
    unique('follow_up_attempts_number_unique').on(t.followUpId, t.number),
    index('follow_up_attempts_call_log_idx').on(t.workspaceId, t.callLogId),
    index('follow_up_attempts_lease_idx').on(t.leaseExpiresAt).where(sql`${t.endedAt} is null`),
    foreignKey({
      name: 'follow_up_attempts_follow_up_fk',
      columns: [t.workspaceId, t.followUpId],
      foreignColumns: [followUps.workspaceId, followUps.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'follow_up_attempts_agent_fk',
      columns: [t.workspaceId, t.agentId],
      foreignColumns: [agents.workspaceId, agents.id],
    }),
    foreignKey({
      name: 'follow_up_attempts_call_log_fk',
      columns: [t.workspaceId, t.callLogId],
      foreignColumns: [callLogs.workspaceId, callLogs.id],
    }),
    check('follow_up_attempts_number_range', sql`${t.number} between 1 and 10`),
    check('follow_up_attempts_channel_check', oneOf(t.channel, FOLLOW_UP_TYPES)),
    check(
      'follow_up_attempts_result_check',
      sql`${t.result} is null or ${oneOf(t.result, ATTEMPT_RESULTS)}`,
    ),
    check(
      'follow_up_attempts_ended_has_result',
      sql`(${t.endedAt} is null) = (${t.result} is null)`,
    ),
  ],
);

export const webhookEndpoints = pgTable(
  'webhook_endpoints',
  {
    id: uuid('id').primaryKey(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    url: text('url').notNull(),
    /** `whsec_…`, needed in clear to sign deliveries. */
    secret: text('secret').notNull(),
    description: text('description'),
    active: boolean('active').notNull().default(true),
    isDefault: boolean('is_default').notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique('webhook_endpoints_workspace_id_unique').on(t.workspaceId, t.id),
    index('webhook_endpoints_workspace_idx').on(t.workspaceId),
    uniqueIndex('webhook_endpoints_one_default').on(t.workspaceId).where(sql`${t.isDefault}`),
    check('webhook_endpoints_url_http', sql`${t.url} ~ '^https?://'`),
    check('webhook_endpoints_secret_format', sql`${t.secret} like 'whsec_%'`),
  ],
);

export const WORKSPACE_VOICE_PROVIDERS = ['retell', 'vapi', 'twilio'] as const;

/**
 * A workspace's own voice platform (Settings › Voice platform), which wins over the server's
 * environment: the platform, the default caller (an E.164 number; for Vapi its phone number
 * id), Twilio's TwiML endpoint, and the credentials, encrypted (AES-256-GCM, bound to the
 * workspace) with only their last four characters in clear, to show that they are set.
 */
export const workspaceVoicePlatforms = pgTable(
  'workspace_voice_platforms',
  {
    workspaceId: uuid('workspace_id')
      .primaryKey()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    provider: text('provider').notNull(),
    caller: text('caller'),
    voiceUrl: text('voice_url'),
    /** `v1.<iv>.<tag>.<ciphertext>` (base64url) of the credentials' JSON. */
    credentials: text('credentials').notNull(),
    /** The last four characters of each credential that is set, by name. */
    hints: jsonb('hints').$type<Record<string, string>>().notNull().default({}),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check('workspace_voice_platforms_provider_check', oneOf(t.provider, WORKSPACE_VOICE_PROVIDERS)),
    check('workspace_voice_platforms_credentials_format', sql`${t.credentials} like 'v1.%'`),
  ],
);

export const WEBHOOK_DELIVERY_EVENTS = ['follow_up.due', 'test'] as const;

/**
 * Every request made to a webhook endpoint: follow-up deliveries, test events and redeliveries,
 * with what was sent (to redeliver it) and what came back.
 */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: uuid('id').primaryKey(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    endpointId: uuid('endpoint_id').notNull(),
    /** The follow-up delivered (null for test events). */
    followUpId: uuid('follow_up_id'),
    eventType: text('event_type').notNull(),
    /** The webhook-id header: the attempt's idempotency key, kept by redeliveries. */
    webhookId: text('webhook_id').notNull(),
    /** 1 for the first request with this webhook-id, then 2, 3… for redeliveries. */
    attempt: integer('attempt').notNull().default(1),
    redeliveryOf: uuid('redelivery_of'),
    url: text('url').notNull(),
    payload: jsonb('payload').notNull(),
    /** The HTTP status the receiver answered, null when there was no answer. */
    statusCode: integer('status_code'),
    durationMs: integer('duration_ms'),
    error: text('error'),
    createdAt: createdAt(),
  },
  (t) => [
    index('webhook_deliveries_endpoint_idx').on(t.workspaceId, t.endpointId, t.createdAt, t.id),
    index('webhook_deliveries_follow_up_idx')
      .on(t.workspaceId, t.followUpId)
      .where(sql`${t.followUpId} is not null`),
    foreignKey({
      name: 'webhook_deliveries_endpoint_fk',
      columns: [t.workspaceId, t.endpointId],
      foreignColumns: [webhookEndpoints.workspaceId, webhookEndpoints.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'webhook_deliveries_follow_up_fk',
      columns: [t.workspaceId, t.followUpId],
      foreignColumns: [followUps.workspaceId, followUps.id],
    }).onDelete('cascade'),
    check('webhook_deliveries_event_check', oneOf(t.eventType, WEBHOOK_DELIVERY_EVENTS)),
    check('webhook_deliveries_attempt_positive', sql`${t.attempt} >= 1`),
  ],
);

export const IMPORT_KINDS = ['contacts', 'dnc'] as const;
export const IMPORT_STATUSES = ['uploaded', 'running', 'completed', 'failed'] as const;

/**
 * A CSV import (contacts or Do Not Call): uploaded, mapped, then run in the background with its
 * progress and result kept here. The file itself waits on disk while the job runs.
 */
export const importJobs = pgTable(
  'import_jobs',
  {
    id: uuid('id').primaryKey(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    status: text('status').notNull().default('uploaded'),
    fileName: text('file_name').notNull(),
    /** Where the uploaded file is kept until the import has run. */
    filePath: text('file_path'),
    fileBytes: integer('file_bytes').notNull().default(0),
    /** The CSV's header row, and which column feeds which field. */
    headers: jsonb('headers').$type<string[]>().notNull().default([]),
    mapping: jsonb('mapping').$type<Record<string, string>>(),
    totalRows: integer('total_rows'),
    processedRows: integer('processed_rows').notNull().default(0),
    createdCount: integer('created_count').notNull().default(0),
    updatedCount: integer('updated_count').notNull().default(0),
    skippedCount: integer('skipped_count').notNull().default(0),
    /** Rows that could not be imported: [{ line, reason }] (the first 10,000). */
    rowErrors: jsonb('row_errors')
      .$type<{ line: number; reason: string }[]>()
      .notNull()
      .default([]),
    errorCount: integer('error_count').notNull().default(0),
    /** Why the whole job failed, if it did. */
    failure: text('failure'),
    createdByUserId: uuid('created_by_user_id').references(() => users.id, {
      onDelete: 'set null',
    }),
    startedAt: ts('started_at'),
    /** Written while it runs: a job whose heartbeat stops was lost with its process. */
    heartbeatAt: ts('heartbeat_at'),
    finishedAt: ts('finished_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('import_jobs_workspace_idx').on(t.workspaceId, t.createdAt),
    check('import_jobs_kind_check', oneOf(t.kind, IMPORT_KINDS)),
    check('import_jobs_status_check', oneOf(t.status, IMPORT_STATUSES)),
    check('import_jobs_counts', sql`${t.processedRows} >= 0 and ${t.errorCount} >= 0`),
  ],
);

export const idempotencyRecords = pgTable(
  'idempotency_records',
  {
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    /** The user or API key that sent the request: keys are private to their sender. */
    actorId: uuid('actor_id').notNull(),
    key: text('key').notNull(),
    requestHash: text('request_hash').notNull(),
    responseStatus: integer('response_status'),
    responseBody: jsonb('response_body'),
    createdAt: createdAt(),
    expiresAt: ts('expires_at').notNull(),
  },
  (t) => [
    primaryKey({ name: 'idempotency_records_pk', columns: [t.workspaceId, t.actorId, t.key] }),
    index('idempotency_records_expiry_idx').on(t.expiresAt),
    check('idempotency_key_length', sql`length(${t.key}) between 1 and 255`),
  ],
);
