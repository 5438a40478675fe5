/**
 * The demo workspace a newcomer sees on first start, and the volume loader benchmarks use:
 * what they contain, that every follow-up's timeline matches its status, that the demo is
 * the same for the same seed and loads once, and that volume can be added again and again.
 */
import { createHash, randomUUID } from 'node:crypto';
import { type SQL, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_INBOX_URL } from '../src/contracts/webhook-endpoints.contract.ts';
import { DEFAULT_CALLING_WINDOW } from '../src/core/calling-window.ts';
import {
  EVENT_KINDS,
  FOLLOW_UP_STATUSES,
  FOLLOW_UP_TYPES,
  PRIORITIES,
  SOURCES,
} from '../src/core/follow-up.ts';
import { DEFAULT_RETRY_SCHEDULE_MINUTES } from '../src/core/retry.ts';
import { normalizePhone, resolveTimeZone } from '../src/core/time-zone.ts';
import { type DbOrTx, openDatabase } from '../src/server/db/client.ts';
import { DEMO_WORKSPACE_NAME, planDemo, seedDemo } from '../src/server/demo/demo.ts';
import { DEMO_CALL_WORKER } from '../src/server/demo/demo-model.ts';
import { seedVolume } from '../src/server/demo/volume.ts';
import { verifyPassword } from '../src/server/passwords.ts';
import { testDatabases, useDatabase } from './helpers/databases.ts';

// A Wednesday afternoon in New York; the demo rounds it down to 14:37.
const NOW = new Date('2025-06-11T14:37:42Z');
const NOW_SQL = sql`${'2025-06-11T14:37:00Z'}::timestamptz`;
const PASSWORD = 'demo-password-1';

async function rows<T>(db: DbOrTx, query: SQL): Promise<T[]> {
  return ((await db.execute(query)) as unknown as { rows: T[] }).rows;
}

async function one<T>(db: DbOrTx, query: SQL): Promise<T> {
  const [row] = await rows<T>(db, query);
  return row!;
}

/** What must come out the same for the same seed: phones and every id, in order. */
async function digest(db: DbOrTx, ws: string): Promise<string> {
  const parts = await rows<{ v: string }>(
    db,
    sql`select string_agg(v, ',' order by v) as v from (
          select phone as v from contacts where workspace_id = ${ws}
          union all select id::text from follow_ups where workspace_id = ${ws}
          union all select id::text from follow_up_events where workspace_id = ${ws}
          union all select id::text from call_logs where workspace_id = ${ws}
        ) x`,
  );
  return createHash('sha256').update(parts[0]!.v).digest('hex');
}

/**
 * Deletes workspaces with everything in them. Follow-ups go first: deleting the workspace
 * alone trips follow_up_attempts_agent_fk on PostgreSQL (the agents' check runs before the
 * cascade through follow-ups reaches the attempts).
 */
async function deleteWorkspaces(db: DbOrTx, where: SQL): Promise<void> {
  await db.execute(
    sql`delete from follow_ups where workspace_id in (select id from workspaces where ${where})`,
  );
  await db.execute(sql`delete from workspaces where ${where}`);
}

const TERMINAL_EVENT: Record<string, string[]> = {
  completed: ['completed'],
  failed: ['failed', 'blocked_dnc'],
  cancelled: ['cancelled'],
  expired: ['expired'],
};

for (const target of testDatabases()) {
  describe(`demo workspace (${target.name})`, () => {
    const database = useDatabase(target);
    const adminEmail = `admin-${randomUUID().slice(0, 8)}@demo-seed.test`;
    let ws = '';
    const db = () => database.handle.db;

    beforeAll(async () => {
      // PostgreSQL is shared: start from no demo (deleting it cascades to all its rows).
      await deleteWorkspaces(db(), sql`name = ${DEMO_WORKSPACE_NAME}`);
      const result = await seedDemo(db(), {
        seed: 42,
        now: NOW,
        adminEmail,
        adminPassword: PASSWORD,
      });
      expect(result).toMatchObject({ created: true, adminEmail });
      ws = result.workspaceId;
    });

    afterAll(async () => {
      if (target.name === 'postgres' && ws) await deleteWorkspaces(db(), sql`id = ${ws}`);
    });

    it('has the workspace settings, three users who can sign in, agents and campaigns', async () => {
      const w = await one<Record<string, unknown>>(
        db(),
        sql`select * from workspaces where id = ${ws}`,
      );
      expect(w).toMatchObject({
        name: 'Demo Co',
        timezone: 'America/New_York',
        default_expiry_hours: 72,
        calling_window: DEFAULT_CALLING_WINDOW,
        retry_schedule_minutes: [...DEFAULT_RETRY_SCHEDULE_MINUTES],
      });
      expect((w.outcome_rules as unknown[]).length).toBeGreaterThan(0);

      const users = await rows<{ email: string; role: string; password_hash: string }>(
        db(),
        sql`select email, role, password_hash from users where workspace_id = ${ws} order by role`,
      );
      const domain = adminEmail.split('@')[1];
      expect(users.map((u) => [u.role, u.email])).toEqual([
        ['admin', adminEmail],
        ['operator', `operator@${domain}`],
        ['viewer', `viewer@${domain}`],
      ]);
      for (const u of users) expect(await verifyPassword(u.password_hash, PASSWORD)).toBe(true);

      const agents = await rows<{ id: string; status: string; max: number; is_default: boolean }>(
        db(),
        sql`select id, status, max_concurrent_calls as max, is_default from agents
            where workspace_id = ${ws}`,
      );
      expect(agents).toHaveLength(4);
      expect(agents.filter((a) => a.is_default).map((a) => a.id)).toEqual([w.default_agent_id]);
      expect(agents.filter((a) => a.status === 'inactive')).toHaveLength(1);
      for (const a of agents) expect(a.max).toBeGreaterThanOrEqual(2);
      for (const a of agents) expect(a.max).toBeLessThanOrEqual(8);

      const campaigns = await rows<{ status: string; tz: string | null; own: boolean; n: number }>(
        db(),
        sql`select status, timezone as tz, calling_window is not null as own,
              jsonb_array_length(outcome_rules)::int as n
            from campaigns where workspace_id = ${ws} and agent_id is not null`,
      );
      expect(campaigns).toHaveLength(3);
      expect(new Set(campaigns.map((c) => c.status)).size).toBe(3);
      expect(campaigns.filter((c) => c.own && c.tz)).toHaveLength(1);
      for (const c of campaigns) expect(c.n).toBeGreaterThan(0);
    });

    it('has 300 valid, unique contacts across time zones and continents', async () => {
      const contacts = await rows<{ phone: string; timezone: string | null }>(
        db(),
        sql`select phone, timezone from contacts where workspace_id = ${ws}`,
      );
      expect(contacts).toHaveLength(300);
      expect(new Set(contacts.map((c) => c.phone)).size).toBe(300);
      for (const c of contacts) expect(normalizePhone(c.phone)).toBe(c.phone);
      const resolved = contacts.map((c) =>
        resolveTimeZone({
          contactTimezone: c.timezone,
          phone: c.phone,
          workspaceTimezone: 'America/New_York',
        }),
      );
      const zones = new Set(resolved.map((r) => r.timezone));
      expect(zones.size).toBeGreaterThanOrEqual(8);
      expect(new Set([...zones].map((z) => z.split('/')[0])).size).toBeGreaterThanOrEqual(4);
      const withoutZone = contacts.filter((c) => c.timezone === null).length;
      expect(withoutZone).toBeGreaterThanOrEqual(25);
      expect(withoutZone).toBeLessThanOrEqual(75);
      // Some of those get their zone from the phone number, as the UI will say.
      expect(resolved.filter((r) => r.source === 'phone').length).toBeGreaterThanOrEqual(10);
    });

    it('has five Do Not Call contacts, called never again after they were listed', async () => {
      const dnc = await rows<{ reason: string | null; contact: string | null }>(
        db(),
        sql`select d.reason, c.id as contact from dnc_entries d
            left join contacts c on c.workspace_id = d.workspace_id and c.phone = d.phone
            where d.workspace_id = ${ws}`,
      );
      expect(dnc).toHaveLength(5);
      for (const d of dnc) {
        expect(d.contact).not.toBeNull();
        expect(d.reason).toBeTruthy();
      }
      const after = await one<{ calls: number; open: number; dnc_calls_elsewhere: number }>(
        db(),
        sql`select
          (select count(*)::int from call_logs l join contacts c on c.id = l.contact_id
            join dnc_entries d on d.workspace_id = c.workspace_id and d.phone = c.phone
            where l.workspace_id = ${ws} and l.started_at > d.created_at) as calls,
          (select count(*)::int from follow_ups f join contacts c on c.id = f.contact_id
            join dnc_entries d on d.workspace_id = c.workspace_id and d.phone = c.phone
            where f.workspace_id = ${ws} and f.type <> 'webhook'
              and f.status in ('scheduled', 'queued', 'in_progress', 'snoozed')) as open,
          (select count(*)::int from call_logs l join contacts c on c.id = l.contact_id
            where l.workspace_id = ${ws} and l.outcome = 'do_not_call' and not exists (
              select 1 from dnc_entries d where d.workspace_id = c.workspace_id
                and d.phone = c.phone)) as dnc_calls_elsewhere`,
      );
      expect(after).toEqual({ calls: 0, open: 0, dnc_calls_elsewhere: 0 });
    });

    it('has about 1,500 calls over the last 30 days with a realistic outcome mix', async () => {
      const byOutcome = await rows<{ outcome: string; n: number }>(
        db(),
        sql`select outcome, count(*)::int as n from call_logs where workspace_id = ${ws}
            group by outcome`,
      );
      const count = (o: string) => byOutcome.find((r) => r.outcome === o)?.n ?? 0;
      const total = byOutcome.reduce((sum, r) => sum + r.n, 0);
      expect(total).toBeGreaterThanOrEqual(1400);
      expect(total).toBeLessThanOrEqual(1600);
      const share = (o: string) => count(o) / total;
      expect(share('answered')).toBeGreaterThan(0.3);
      expect(share('answered')).toBeLessThan(0.4);
      expect(share('no_answer')).toBeGreaterThan(0.2);
      expect(share('no_answer')).toBeLessThan(0.3);
      expect(share('voicemail')).toBeGreaterThan(0.1);
      for (const o of ['busy', 'callback_requested', 'not_interested', 'failed', 'do_not_call']) {
        expect(count(o), o).toBeGreaterThan(0);
      }
      const checks = await one<Record<string, number>>(
        db(),
        sql`select
          count(*) filter (where started_at < ${NOW_SQL} - interval '30 days'
            or ended_at > ${NOW_SQL})::int as out_of_range,
          count(*) filter (where outcome = 'callback_requested'
            and requested_callback_at is null)::int as callback_without_time,
          count(*) filter (where outcome in ('no_answer', 'busy', 'failed')
            and duration_seconds <> 0)::int as silent_with_talk,
          count(*) filter (where outcome = 'answered' and duration_seconds < 30)::int as short,
          count(*) filter (where direction = 'inbound')::int as inbound,
          count(*) filter (where summary is null)::int as no_summary
        from call_logs where workspace_id = ${ws}`,
      );
      expect(checks.inbound).toBeGreaterThan(50);
      expect({ ...checks, inbound: 0 }).toEqual({
        out_of_range: 0,
        callback_without_time: 0,
        silent_with_talk: 0,
        short: 0,
        inbound: 0,
        no_summary: 0,
      });
    });

    it('has about 600 follow-ups of every status, type, priority and source', async () => {
      const fus = await rows<Record<string, string | boolean | null>>(
        db(),
        sql`select status, type, priority, source, allow_out_of_window, agent_id, campaign_id
            from follow_ups where workspace_id = ${ws}`,
      );
      expect(fus.length).toBeGreaterThanOrEqual(570);
      expect(fus.length).toBeLessThanOrEqual(630);
      const values = (k: string) => new Set(fus.map((f) => f[k]));
      expect([...values('status')].sort()).toEqual([...FOLLOW_UP_STATUSES].sort());
      expect([...values('type')].sort()).toEqual([...FOLLOW_UP_TYPES].sort());
      expect([...values('priority')].sort()).toEqual([...PRIORITIES].sort());
      expect([...values('source')].sort()).toEqual([...SOURCES].sort());
      const some = (p: (f: Record<string, unknown>) => boolean) => fus.filter(p).length;
      expect(some((f) => f.allow_out_of_window === true)).toBeGreaterThan(5);
      expect(some((f) => f.allow_out_of_window === true)).toBeLessThan(fus.length / 10);
      expect(some((f) => f.agent_id === null)).toBeGreaterThan(50);
      expect(some((f) => f.campaign_id !== null)).toBeGreaterThan(50);
    });

    it('leaves its calls in progress to the simulator and its webhooks to the built-in inbox', async () => {
      const open = await rows<{ worker: string; channel: string }>(
        db(),
        sql`select worker_id as worker, channel from follow_up_attempts
            where workspace_id = ${ws} and ended_at is null`,
      );
      expect(open.length).toBeGreaterThan(0);
      for (const a of open) expect(a).toEqual({ worker: DEMO_CALL_WORKER, channel: 'call' });
      // The default endpoint is the development inbox built into the product.
      const endpoints = await rows<{ url: string; active: boolean; is_default: boolean }>(
        db(),
        sql`select url, active, is_default from webhook_endpoints where workspace_id = ${ws}`,
      );
      expect(endpoints.filter((e) => e.active || e.is_default)).toEqual([
        { url: DEV_INBOX_URL, active: true, is_default: true },
      ]);
    });

    it("keeps each follow-up's attempts, events and call logs consistent with its status", async () => {
      const bad = await one<Record<string, number>>(
        db(),
        sql`with a as (
            select follow_up_id, count(*)::int as n, max(number)::int as top,
              count(*) filter (where ended_at is null)::int as open,
              count(*) filter (where ended_at is null and lease_expires_at <= ${NOW_SQL})::int
                as stale
            from follow_up_attempts where workspace_id = ${ws} group by follow_up_id
          ), e as (
            select follow_up_id, array_agg(kind::text order by at, id) as kinds
            from follow_up_events where workspace_id = ${ws} group by follow_up_id
          )
          select
            count(*) filter (where f.attempts <> coalesce(a.n, 0)
              or coalesce(a.top, 0) <> coalesce(a.n, 0))::int as attempts_mismatch,
            count(*) filter (where e.kinds is null or e.kinds[1] <> 'created')::int as no_created,
            count(*) filter (where f.status = 'in_progress'
              and (a.open is distinct from 1 or a.stale <> 0))::int as in_progress_bad,
            count(*) filter (where f.status <> 'in_progress' and a.open > 0)::int as stray_open,
            count(*) filter (where f.status in ('scheduled', 'snoozed')
              and coalesce(f.snoozed_until, f.run_at) <= ${NOW_SQL})::int as open_in_past,
            count(*) filter (where f.status in ('completed', 'failed', 'cancelled', 'expired')
              and (f.completed_at > ${NOW_SQL}
                or f.completed_at < ${NOW_SQL} - interval '31 days'))::int as terminal_time,
            count(*) filter (where f.source = 'call_outcome' and not exists (
              select 1 from call_logs l where l.id = f.source_call_log_id
                and l.contact_id = f.contact_id))::int as bad_source_call
          from follow_ups f left join a on a.follow_up_id = f.id
            left join e on e.follow_up_id = f.id
          where f.workspace_id = ${ws}`,
      );
      expect(bad).toEqual({
        attempts_mismatch: 0,
        no_created: 0,
        in_progress_bad: 0,
        stray_open: 0,
        open_in_past: 0,
        terminal_time: 0,
        bad_source_call: 0,
      });

      const terminal = await rows<{ status: string; kind: string }>(
        db(),
        sql`select f.status, (select e.kind from follow_up_events e where e.follow_up_id = f.id
              order by e.at desc, e.id desc limit 1) as kind
            from follow_ups f where f.workspace_id = ${ws}
              and f.status in ('completed', 'failed', 'cancelled', 'expired')`,
      );
      for (const t of terminal) expect(TERMINAL_EVENT[t.status], t.status).toContain(t.kind);

      // A completed call that was dialled ends with a success whose call log points back.
      const calls = await one<Record<string, number>>(
        db(),
        sql`select
          count(*) filter (where x.result not in ('answered', 'callback_requested',
            'not_interested'))::int as not_success,
          count(*) filter (where l.id is null or l.follow_up_id <> f.id
            or l.outcome <> x.result)::int as unlinked,
          count(*)::int as total
          from follow_ups f join follow_up_attempts x on x.follow_up_id = f.id
            and x.number = f.attempts
          left join call_logs l on l.id = x.call_log_id
          where f.workspace_id = ${ws} and f.status = 'completed' and f.type = 'call'`,
      );
      expect(calls.total).toBeGreaterThan(50);
      expect({ ...calls, total: 0 }).toEqual({ not_success: 0, unlinked: 0, total: 0 });

      const kinds = await rows<{ kind: string }>(
        db(),
        sql`select distinct kind from follow_up_events where workspace_id = ${ws}`,
      );
      for (const k of kinds) expect(EVENT_KINDS).toContain(k.kind);
      expect(kinds.length).toBeGreaterThanOrEqual(15);

      const overloaded = await rows<{ agent: string }>(
        db(),
        sql`select f.resolved_agent_id as agent from follow_ups f
            join agents g on g.id = f.resolved_agent_id
            where f.workspace_id = ${ws} and f.status = 'in_progress' and f.type = 'call'
            group by f.resolved_agent_id, g.max_concurrent_calls
            having count(*) > g.max_concurrent_calls`,
      );
      expect(overloaded).toEqual([]);
    });

    it('loads once: a second run changes nothing', async () => {
      const before = await digest(db(), ws);
      const again = await seedDemo(db(), {
        seed: 42,
        now: new Date(NOW.getTime() + 3_600_000),
        adminEmail: 'someone-else@demo-seed.test',
        adminPassword: 'other',
      });
      expect(again).toEqual({ workspaceId: ws, adminEmail, created: false });
      expect(await digest(db(), ws)).toBe(before);
      const demos = await one<{ n: number }>(
        db(),
        sql`select count(*)::int as n from workspaces where name = ${DEMO_WORKSPACE_NAME}`,
      );
      expect(demos.n).toBe(1);
    });
  });

  describe(`volume (${target.name})`, () => {
    const database = useDatabase(target);
    const name = `Seed Volume ${randomUUID().slice(0, 8)}`;
    const db = () => database.handle.db;
    let ws = '';

    afterAll(async () => {
      if (ws) await deleteWorkspaces(db(), sql`id = ${ws}`);
    });

    it('loads contacts, call logs and follow-ups, and adds more on a second run', async () => {
      const progress: [number, number, string][] = [];
      const opts = {
        workspace: name,
        contacts: 200,
        followUps: 2000,
        agents: 3,
        campaigns: 4,
        seed: 5,
        now: NOW,
        batchSize: 500,
        onProgress: (done: number, total: number, label: string) =>
          progress.push([done, total, label]),
      };
      const first = await seedVolume(db(), opts);
      ws = first.workspaceId;
      expect(first).toMatchObject({ contacts: 200, followUps: 2000 });
      expect(progress.at(-1)?.slice(0, 2)).toEqual([2600, 2600]);
      expect(progress.map((p) => p[2])).toEqual(
        expect.arrayContaining(['contacts', 'call logs', 'follow-ups']),
      );
      expect(progress.every((p, i) => i === 0 || p[0] > progress[i - 1]![0])).toBe(true);
      if (target.name === 'pglite') {
        // The planner's statistics were refreshed at the end: they count every row loaded.
        const stats = await one<{ estimated: number; actual: number }>(
          db(),
          sql`select (select reltuples from pg_class where relname = 'follow_ups')::int as estimated,
            (select count(*)::int from follow_ups) as actual`,
        );
        expect(stats.estimated).toBe(stats.actual);
      }

      const counts = async () =>
        one<Record<string, number>>(
          db(),
          sql`select
            (select count(*)::int from contacts where workspace_id = ${ws}) as contacts,
            (select count(distinct phone)::int from contacts where workspace_id = ${ws}) as phones,
            (select count(*)::int from call_logs where workspace_id = ${ws}) as calls,
            (select count(*)::int from follow_ups where workspace_id = ${ws}) as follow_ups,
            (select count(*)::int from agents where workspace_id = ${ws}) as agents,
            (select count(*)::int from campaigns where workspace_id = ${ws}) as campaigns,
            (select count(*)::int from follow_up_events where workspace_id = ${ws}) as events,
            (select count(*)::int from follow_ups where workspace_id = ${ws} and status in
              ('completed', 'failed', 'cancelled', 'expired')) as terminal,
            (select count(*)::int from follow_ups f where workspace_id = ${ws} and (
              not exists (select 1 from follow_up_events e where e.follow_up_id = f.id
                and e.kind = 'created')
              or (f.status in ('completed', 'failed', 'cancelled', 'expired') and not exists (
                select 1 from follow_up_events e where e.follow_up_id = f.id
                  and e.kind = f.status)))) as missing_events`,
        );
      const c1 = await counts();
      expect(c1).toMatchObject({
        contacts: 200,
        phones: 200,
        calls: 400,
        follow_ups: 2000,
        agents: 3,
        campaigns: 4,
        missing_events: 0,
      });
      expect(c1.events).toBe(2000 + c1.terminal!);
      // Most are finished, about a quarter still scheduled.
      expect(c1.terminal).toBeGreaterThan(1100);
      const statuses = await rows<{ status: string; n: number }>(
        db(),
        sql`select status, count(*)::int as n from follow_ups where workspace_id = ${ws}
            group by status`,
      );
      const scheduled = statuses.find((s) => s.status === 'scheduled')?.n ?? 0;
      expect(scheduled).toBeGreaterThan(350);
      expect(scheduled).toBeLessThan(650);

      const second = await seedVolume(db(), { ...opts, onProgress: undefined });
      expect(second.workspaceId).toBe(ws);
      const c2 = await counts();
      expect(c2).toMatchObject({
        contacts: 400,
        phones: 400,
        calls: 800,
        follow_ups: 4000,
        agents: 3,
        campaigns: 4,
        missing_events: 0,
      });
    });
  });
}

describe('demo determinism', () => {
  it('gives the same phones and ids for the same seed, on two fresh databases', async () => {
    const digests: string[] = [];
    for (let i = 0; i < 2; i++) {
      const handle = await openDatabase({ dataDir: 'memory://' });
      try {
        await handle.migrate();
        const result = await seedDemo(handle.db, {
          seed: 7,
          now: NOW,
          adminEmail: 'admin@demo-seed.test',
          adminPassword: PASSWORD,
        });
        digests.push(await digest(handle.db, result.workspaceId));
      } finally {
        await handle.close();
      }
    }
    expect(digests[1]).toBe(digests[0]);
  }, 120_000);

  it('gives other data for another seed', () => {
    const plan = (seed: number) =>
      planDemo({
        seed,
        now: NOW,
        adminEmail: 'admin@demo-seed.test',
        passwordHash: 'x',
        workspaceName: DEMO_WORKSPACE_NAME,
      });
    const [a, b, a2] = [plan(1), plan(2), plan(1)];
    expect(a.contacts.map((c) => c.phone)).toEqual(a2.contacts.map((c) => c.phone));
    expect(a.followUps.map((f) => f.id)).toEqual(a2.followUps.map((f) => f.id));
    expect(b.contacts.map((c) => c.phone)).not.toEqual(a.contacts.map((c) => c.phone));
  });
});
