/**
 * Volume for benchmarks: contacts, call logs and follow-ups (with their `created` event and, for
 * finished ones, the terminal event) streamed into a workspace in batches, each batch one
 * `INSERT … SELECT … FROM unnest(array parameters)` statement. Memory stays bounded by the
 * batch size whatever the totals; 1,000,000 follow-ups load in minutes on PostgreSQL.
 *
 * Rows are plausible, not a replay of the engine: follow-ups carry no attempts (attempts = 0).
 * Phones are `+4477` + a 9-digit running number, unique per workspace; a second run into the
 * same workspace continues after the highest one.
 */
import { and, eq, like, type SQL, sql } from 'drizzle-orm';
import { DEFAULT_CALLING_WINDOW } from '../../core/calling-window.ts';
import type { FollowUpStatus } from '../../core/follow-up.ts';
import { DEFAULT_OUTCOME_RULES } from '../../core/outcome-rules.ts';
import type { CallOutcome } from '../../core/results.ts';
import { DEFAULT_RETRY_SCHEDULE_MINUTES } from '../../core/retry.ts';
import type { Database } from '../db/client.ts';
import { agents, campaigns, contacts, workspaces } from '../db/schema.ts';
import { COMPANIES, FIRST_NAMES, LAST_NAMES } from './names.ts';
import { PHONE_PLANS } from './phone-plans.ts';
import { createRng, type Rng, seededId } from './random.ts';
import { SUMMARIES } from './summaries.ts';

export interface SeedVolumeOptions {
  workspace: string;
  contacts: number;
  followUps: number;
  /** Agents of a new workspace (default 20). */
  agents?: number;
  /** Campaigns of a new workspace (default 50). */
  campaigns?: number;
  /** Default: contacts × 2. */
  callLogs?: number;
  seed?: number;
  now: Date;
  /** Rows per statement (default 10,000). */
  batchSize?: number;
  /** Statements in flight at once (default 2; PGlite runs them one after the other). */
  parallel?: number;
  onProgress?: (done: number, total: number, label: string) => void;
}

export interface SeedVolumeResult {
  workspaceId: string;
  contacts: number;
  followUps: number;
  seconds: number;
}

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const EXPIRY_HOURS = 72;
const PHONE_PREFIX = '+4477';
const PHONE_DIGITS = 9;

type Weights<K extends string> = Readonly<Partial<Record<K, number>>>;

const STATUS: Weights<FollowUpStatus> = {
  completed: 45,
  failed: 8,
  cancelled: 7,
  expired: 7,
  scheduled: 25,
  queued: 2,
  snoozed: 3,
};
const TYPES = { call: 70, sms: 20, webhook: 10 } as const;
const PRIORITY = { urgent: 8, high: 20, normal: 57, low: 15 } as const;
const SOURCE = { manual: 30, api: 15, campaign: 25, call_outcome: 20, automation: 10 } as const;
const OUTCOME: Weights<CallOutcome> = {
  answered: 35,
  no_answer: 25,
  voicemail: 15,
  busy: 7,
  callback_requested: 8,
  not_interested: 6,
  failed: 2,
  do_not_call: 2,
};
const ZONES = PHONE_PLANS.map((p) => p.zone);
const FIRST = Object.values(FIRST_NAMES).flat();
const LAST = Object.values(LAST_NAMES).flat();
const CAMPAIGN_STATUSES = ['running', 'paused', 'completed', 'scheduled', 'draft'] as const;

export async function seedVolume(db: Database, opts: SeedVolumeOptions): Promise<SeedVolumeResult> {
  const started = performance.now();
  const now = Math.floor(opts.now.getTime() / MIN) * MIN;
  const seed = opts.seed ?? 1;
  const ws = await prepareWorkspace(db, opts, now, createRng(mix(seed, opts.workspace, -1)));
  // Another run into the same workspace continues the numbering (and the random stream).
  const rng = createRng(mix(seed, opts.workspace, ws.firstIndex));
  const batch = Math.max(100, opts.batchSize ?? 10_000);
  const contactBatch = batch;
  const callTotal = opts.callLogs ?? opts.contacts * 2;
  const total = opts.contacts + callTotal + opts.followUps;
  let done = 0;
  // One statement runs while the next batch is being built.
  // Up to `parallel` statements run while the next batch is being built; a barrier waits for
  // them where later rows reference earlier ones (contacts → call logs → follow-ups).
  const parallel = Math.max(1, opts.parallel ?? 2);
  const running = new Set<Promise<void>>();
  let failure: Error | null = null;
  const barrier = async () => {
    await Promise.all(running);
    if (failure) throw failure;
  };
  const submit = async (query: SQL, rows: number, label: string) => {
    while (running.size >= parallel) await Promise.race(running);
    if (failure) throw failure;
    const statement: Promise<void> = db
      .execute(query)
      .then(
        () => {
          done += rows;
          opts.onProgress?.(done, total, label);
        },
        (error: unknown) => {
          // Not the query error itself: its message carries every array parameter.
          const cause = (error as { cause?: unknown }).cause ?? error;
          const reason = cause instanceof Error ? cause.message : String(cause);
          failure ??= new Error(`Loading ${label} into "${opts.workspace}" failed: ${reason}`, {
            cause,
          });
        },
      )
      .finally(() => running.delete(statement));
    running.add(statement);
  };
  const share = (n: number, from: number, to: number) =>
    Math.floor((n * to) / opts.contacts) - Math.floor((n * from) / opts.contacts);

  for (let from = 0; from < opts.contacts; from += contactBatch) {
    const to = Math.min(opts.contacts, from + contactBatch);
    const people = makeContacts(rng, ws.id, ws.firstIndex + from, to - from, now);
    await submit(people.query, to - from, 'contacts');
    await barrier();
    const lastCall: (string | null)[] = new Array(people.ids.length).fill(null);
    const calls = share(callTotal, from, to);
    for (let c = 0; c < calls; c += batch) {
      const n = Math.min(batch, calls - c);
      await submit(makeCalls(rng, ws, people.ids, lastCall, n, now), n, 'call logs');
    }
    await barrier();
    const followUps = share(opts.followUps, from, to);
    for (let f = 0; f < followUps; f += batch) {
      const n = Math.min(batch, followUps - f);
      await submit(makeFollowUps(rng, ws, people.ids, lastCall, n, now), n, 'follow-ups');
    }
  }
  await barrier();
  // A bulk load leaves the planner's statistics describing the tables as they were before:
  // refresh them, so that the first queries on the new rows are planned for their real size.
  await db.execute(sql`analyze contacts, call_logs, follow_ups`);
  return {
    workspaceId: ws.id,
    contacts: opts.contacts,
    followUps: opts.followUps,
    seconds: (performance.now() - started) / 1000,
  };
}

interface VolumeWorkspace {
  id: string;
  agents: string[];
  campaigns: string[];
  /** The running number of the first new contact's phone. */
  firstIndex: number;
}

async function prepareWorkspace(
  db: Database,
  opts: SeedVolumeOptions,
  now: number,
  rng: Rng,
): Promise<VolumeWorkspace> {
  let [row] = await db
    .select({ id: workspaces.id, defaultAgentId: workspaces.defaultAgentId })
    .from(workspaces)
    .where(eq(workspaces.name, opts.workspace))
    .orderBy(workspaces.createdAt)
    .limit(1);
  if (!row) {
    row = { id: seededId(now - 90 * DAY, rng), defaultAgentId: null };
    await db.insert(workspaces).values({
      id: row.id,
      name: opts.workspace,
      timezone: 'America/New_York',
      callingWindow: DEFAULT_CALLING_WINDOW,
      retryScheduleMinutes: [...DEFAULT_RETRY_SCHEDULE_MINUTES],
      defaultExpiryHours: EXPIRY_HOURS,
      outcomeRules: DEFAULT_OUTCOME_RULES,
    });
  }
  const id = row.id;
  const active = and(eq(agents.workspaceId, id), eq(agents.status, 'active'));
  let agentIds = (await db.select({ id: agents.id }).from(agents).where(active)).map((a) => a.id);
  if (agentIds.length === 0) {
    const count = Math.max(1, opts.agents ?? 20);
    const hasDefault = row.defaultAgentId !== null;
    const rows = Array.from({ length: count }, (_, i) => ({
      id: seededId(now - 80 * DAY + i * MIN, rng),
      workspaceId: id,
      name: `Agent ${String(i + 1).padStart(2, '0')}`,
      description: 'Benchmark agent',
      maxConcurrentCalls: rng.int(5, 20),
      isDefault: i === 0 && !hasDefault,
    }));
    await db.insert(agents).values(rows);
    agentIds = rows.map((a) => a.id);
    if (!hasDefault) {
      await db
        .update(workspaces)
        .set({ defaultAgentId: agentIds[0]! })
        .where(eq(workspaces.id, id));
    }
  }
  let campaignIds = (
    await db.select({ id: campaigns.id }).from(campaigns).where(eq(campaigns.workspaceId, id))
  ).map((c) => c.id);
  const campaignCount = opts.campaigns ?? 50;
  if (campaignIds.length === 0 && campaignCount > 0) {
    const rows = Array.from({ length: campaignCount }, (_, i) => ({
      id: seededId(now - 70 * DAY + i * MIN, rng),
      workspaceId: id,
      name: `Campaign ${String(i + 1).padStart(3, '0')}`,
      agentId: agentIds[i % agentIds.length]!,
      status: CAMPAIGN_STATUSES[i % CAMPAIGN_STATUSES.length]!,
      outcomeRules: DEFAULT_OUTCOME_RULES,
    }));
    await db.insert(campaigns).values(rows);
    campaignIds = rows.map((c) => c.id);
  }
  const [highest] = await db
    .select({ phone: sql<string | null>`max(${contacts.phone})` })
    .from(contacts)
    .where(
      and(
        eq(contacts.workspaceId, id),
        like(contacts.phone, `${PHONE_PREFIX}%`),
        sql`length(${contacts.phone}) = ${PHONE_PREFIX.length + PHONE_DIGITS}`,
      ),
    );
  const phone = highest?.phone;
  const firstIndex = phone ? Number(phone.slice(PHONE_PREFIX.length)) + 1 : 0;
  return { id, agents: agentIds, campaigns: campaignIds, firstIndex };
}

function makeContacts(rng: Rng, workspaceId: string, first: number, n: number, now: number) {
  if (first + n > 10 ** PHONE_DIGITS) throw new RangeError('Phone numbering exhausted.');
  const ids: string[] = [];
  const cols = { first: [] as string[], last: [] as string[], phone: [] as string[] };
  const email: (string | null)[] = [];
  const company: (string | null)[] = [];
  const zone: (string | null)[] = [];
  const created: number[] = [];
  for (let i = 0; i < n; i++) {
    const at = now - rng.int(61, 400) * DAY + rng.int(0, DAY);
    const fn = rng.pick(FIRST);
    const ln = rng.pick(LAST);
    ids.push(seededId(at, rng));
    cols.first.push(fn);
    cols.last.push(ln);
    cols.phone.push(PHONE_PREFIX + String(first + i).padStart(PHONE_DIGITS, '0'));
    email.push(rng.chance(0.8) ? `contact${first + i}@example.com` : null);
    company.push(rng.chance(0.7) ? rng.pick(COMPANIES) : null);
    zone.push(rng.chance(0.9) ? rng.pick(ZONES) : null);
    created.push(at / 1000);
  }
  const query = sql`insert into contacts (id, workspace_id, first_name, last_name, phone, email,
      company, timezone, created_at, updated_at)
    select u.id, ${workspaceId}::uuid, u.fn, u.ln, u.phone, u.email, u.company, u.tz,
      to_timestamp(u.c), to_timestamp(u.c)
    from unnest(${pgArray(ids)}::uuid[], ${pgArray(cols.first)}::text[],
      ${pgArray(cols.last)}::text[], ${pgArray(cols.phone)}::text[], ${pgArray(email)}::text[],
      ${pgArray(company)}::text[], ${pgArray(zone)}::text[], ${pgArray(created)}::float8[])
      as u(id, fn, ln, phone, email, company, tz, c)`;
  return { ids, query };
}

function makeCalls(
  rng: Rng,
  ws: VolumeWorkspace,
  contacts: string[],
  lastCall: (string | null)[],
  n: number,
  now: number,
) {
  const c = {
    id: [] as string[],
    contact: [] as string[],
    agent: [] as string[],
    campaign: [] as (string | null)[],
    direction: [] as string[],
    outcome: [] as string[],
    start: [] as number[],
    end: [] as number[],
    talk: [] as number[],
    summary: [] as string[],
    callback: [] as (number | null)[],
  };
  for (let i = 0; i < n; i++) {
    const who = rng.int(0, contacts.length - 1);
    const outcome = rng.weightedKey(OUTCOME);
    const start = now - rng.int(10 * 60, 30 * 24 * 3600) * 1000;
    const talk =
      outcome === 'answered' ? rng.int(30, 600) : outcome === 'no_answer' ? 0 : rng.int(5, 90);
    const id = seededId(start, rng);
    lastCall[who] = id;
    c.id.push(id);
    c.contact.push(contacts[who]!);
    c.agent.push(rng.pick(ws.agents));
    c.campaign.push(ws.campaigns.length > 0 && rng.chance(0.5) ? rng.pick(ws.campaigns) : null);
    c.direction.push(rng.chance(0.92) ? 'outbound' : 'inbound');
    c.outcome.push(outcome);
    c.start.push(start / 1000);
    c.end.push((start + (talk + rng.int(3, 30)) * 1000) / 1000);
    c.talk.push(talk);
    c.summary.push(rng.pick(SUMMARIES[outcome]).replace(/\{\w+\}/g, 'the renewal'));
    c.callback.push(outcome === 'callback_requested' ? (start + rng.int(1, 5) * DAY) / 1000 : null);
  }
  return sql`insert into call_logs (id, workspace_id, contact_id, agent_id, campaign_id, direction,
      outcome, started_at, ended_at, duration_seconds, summary, requested_callback_at, created_at)
    select u.id, ${ws.id}::uuid, u.contact_id, u.agent_id, u.campaign_id, u.direction, u.outcome,
      to_timestamp(u.st), to_timestamp(u.en), u.talk, u.summary, to_timestamp(u.cb),
      to_timestamp(u.en)
    from unnest(${pgArray(c.id)}::uuid[], ${pgArray(c.contact)}::uuid[],
      ${pgArray(c.agent)}::uuid[], ${pgArray(c.campaign)}::uuid[], ${pgArray(c.direction)}::text[],
      ${pgArray(c.outcome)}::text[], ${pgArray(c.start)}::float8[], ${pgArray(c.end)}::float8[],
      ${pgArray(c.talk)}::int[], ${pgArray(c.summary)}::text[], ${pgArray(c.callback)}::float8[])
      as u(id, contact_id, agent_id, campaign_id, direction, outcome, st, en, talk, summary, cb)`;
}

function makeFollowUps(
  rng: Rng,
  ws: VolumeWorkspace,
  contacts: string[],
  lastCall: (string | null)[],
  n: number,
  now: number,
) {
  const f = {
    id: [] as string[],
    contact: [] as string[],
    type: [] as string[],
    at: [] as number[],
    agent: [] as (string | null)[],
    priority: [] as string[],
    max: [] as number[],
    oow: [] as boolean[],
    campaign: [] as (string | null)[],
    source: [] as string[],
    call: [] as (string | null)[],
    status: [] as string[],
    snoozed: [] as (number | null)[],
    created: [] as number[],
    done: [] as (number | null)[],
    createdEvent: [] as string[],
    doneEvent: [] as (string | null)[],
  };
  for (let i = 0; i < n; i++) {
    const who = rng.int(0, contacts.length - 1);
    const status = rng.weightedKey(STATUS);
    let source: string = rng.weightedKey(SOURCE);
    const call = source === 'call_outcome' ? lastCall[who]! : null;
    if (source === 'call_outcome' && !call) source = 'manual';
    if (source === 'campaign' && ws.campaigns.length === 0) source = 'automation';
    const { at, created, done, snoozed } = timesFor(rng, status, now);
    f.id.push(seededId(created, rng));
    f.contact.push(contacts[who]!);
    f.type.push(rng.weightedKey(TYPES));
    f.at.push(at / 1000);
    f.agent.push(rng.chance(0.5) ? rng.pick(ws.agents) : null);
    f.priority.push(rng.weightedKey(PRIORITY));
    f.max.push(Number(rng.weightedKey({ 1: 10, 2: 10, 3: 70, 5: 10 })));
    f.oow.push(rng.chance(0.03));
    f.campaign.push(source === 'campaign' ? rng.pick(ws.campaigns) : null);
    f.source.push(source);
    f.call.push(call);
    f.status.push(status);
    f.snoozed.push(snoozed === null ? null : snoozed / 1000);
    f.created.push(created / 1000);
    f.done.push(done === null ? null : done / 1000);
    f.createdEvent.push(seededId(created, rng));
    f.doneEvent.push(done === null ? null : seededId(done, rng));
  }
  return sql`with u as (
      select * from unnest(${pgArray(f.id)}::uuid[], ${pgArray(f.contact)}::uuid[],
        ${pgArray(f.type)}::text[], ${pgArray(f.at)}::float8[], ${pgArray(f.agent)}::uuid[],
        ${pgArray(f.priority)}::text[], ${pgArray(f.max)}::int[], ${pgArray(f.oow)}::bool[],
        ${pgArray(f.campaign)}::uuid[], ${pgArray(f.source)}::text[], ${pgArray(f.call)}::uuid[],
        ${pgArray(f.status)}::text[], ${pgArray(f.snoozed)}::float8[],
        ${pgArray(f.created)}::float8[], ${pgArray(f.done)}::float8[],
        ${pgArray(f.createdEvent)}::uuid[], ${pgArray(f.doneEvent)}::uuid[])
        as u(id, contact_id, type, s, agent_id, priority, max_attempts, oow, campaign_id, source,
          call_id, status, snoozed, c, done, e1, e2)
    ), f as (
      insert into follow_ups (id, workspace_id, contact_id, type, scheduled_at, agent_id, priority,
        max_attempts, attempts, allow_out_of_window, campaign_id, source, source_call_log_id,
        status, snoozed_until, expires_at, completed_at, created_at, updated_at)
      select id, ${ws.id}::uuid, contact_id, type, to_timestamp(s), agent_id, priority, max_attempts, 0,
        oow, campaign_id, source, call_id, status, to_timestamp(snoozed),
        to_timestamp(s + ${sql.raw(String(EXPIRY_HOURS * 3600))}), to_timestamp(done),
        to_timestamp(c), to_timestamp(coalesce(done, c))
      from u
    )
    insert into follow_up_events (id, workspace_id, follow_up_id, at, kind, actor_type, data)
    select e1, ${ws.id}::uuid, id, to_timestamp(c), 'created', 'system', '{}'::jsonb from u
    union all
    select e2, ${ws.id}::uuid, id, to_timestamp(done), status, 'system', jsonb_build_object('from',
        case when status in ('completed', 'failed') then 'in_progress' else 'scheduled' end,
        'to', status)
    from u where e2 is not null`;
}

/** The times (ms) of a follow-up in `status`: open ones ahead, finished ones in the past. */
function timesFor(rng: Rng, status: FollowUpStatus, now: number) {
  let done: number | null = null;
  let snoozed: number | null = null;
  let at: number;
  switch (status) {
    case 'scheduled':
      at = now + rng.int(1, 30 * 24 * 60) * MIN;
      break;
    case 'queued':
      at = now - rng.int(0, 30) * MIN;
      break;
    case 'snoozed':
      at = now + rng.int(1, 30 * 24 * 60) * MIN;
      snoozed = Math.min(at + EXPIRY_HOURS * HOUR - HOUR, now + rng.int(1, 7 * 24) * HOUR);
      break;
    case 'expired':
      at = now - rng.int(EXPIRY_HOURS * 60 + 5, 60 * 24 * 60) * MIN;
      done = at + EXPIRY_HOURS * HOUR;
      break;
    case 'cancelled':
      at = now - rng.int(10, 60 * 24 * 60) * MIN;
      break;
    default:
      at = now - rng.int(10, 60 * 24 * 60) * MIN;
      done = Math.min(now, at + rng.int(1, 8 * 60) * MIN);
  }
  const created = Math.min(at, now) - rng.int(2, 3 * 24 * 60) * MIN;
  // Cancelled before it was due.
  if (status === 'cancelled') done = created + Math.floor(rng.next() * (at - created));
  return { at, created, done, snoozed };
}

/** A PostgreSQL array literal ('{…}') for one text parameter: no per-element parameters. */
export function pgArray(values: readonly (string | number | boolean | null)[]): string {
  let out = '{';
  for (let i = 0; i < values.length; i++) {
    if (i > 0) out += ',';
    const v = values[i];
    if (v === null || v === undefined) out += 'NULL';
    else if (typeof v === 'number') out += String(v);
    else if (typeof v === 'boolean') out += v ? 't' : 'f';
    else out += `"${v.replace(/[\\"]/g, '\\$&')}"`;
  }
  return `${out}}`;
}

/** A 32-bit seed from the user's seed, the workspace and where the numbering starts. */
function mix(seed: number, name: string, index: number): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  for (const ch of `${name}\u0000${index}`) {
    h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  }
  return h;
}
