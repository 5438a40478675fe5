/**
 * Frequency caps under concurrency: four real `followthrough worker` processes on one
 * PostgreSQL database share 1,000 due follow-ups over 100 contacts (10 each: 6 or 7 calls, 3 or 4 SMS)
 * with a workspace cap of 2 calls and 2 SMS per contact in 24 hours. No contact ever gets a
 * third attempt of a channel in the period; every follow-up the caps hold stays `scheduled`
 * with its next attempt when the cap allows, and explains why (its `deferred` event and its
 * `waiting` reason). The follow-ups carry the customer override: it does not lift caps.
 *
 * Runs when TEST_DATABASE_URL is set, in a database of its own (followthrough_mp_caps_<pid>, dropped at the end).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DatabaseHandle, openDatabase } from '../src/server/db/client.ts';
import { pgArray, rowsOf } from '../src/server/db/sql.ts';
import { buildApp } from '../src/server/http/app.ts';
import { newId } from '../src/server/ids.ts';
import { withKey } from './helpers/client.ts';
import { insertDueFollowUps, type LoadWorkspace } from './helpers/engine-load.ts';
import { createTestWorkspace } from './helpers/workspace.ts';

const BASE_URL = process.env.TEST_DATABASE_URL;
/** This process's own database, so that two runs on one PostgreSQL never share it. */
const DATABASE = `followthrough_mp_caps_${process.pid}`;
const WORKERS = 4;
const FOLLOW_UPS = 1000;
const CONTACTS = 100;
const CAP = 2;
const BIN = path.resolve('bin/followthrough.js');
const STALL_MS = 120_000;

if (!BASE_URL) {
  console.warn(
    '\nSKIPPED: test/multi-process-caps.test.ts needs PostgreSQL (set TEST_DATABASE_URL).\n',
  );
}

describe.skipIf(!BASE_URL)('frequency caps with four worker processes on PostgreSQL', () => {
  let url: string;
  let handle: DatabaseHandle;
  const children: ChildProcess[] = [];
  const errors: string[] = [];

  beforeAll(async () => {
    const admin = await openDatabase({ databaseUrl: BASE_URL!, dataDir: '' });
    await admin.db.execute(sql.raw(`drop database if exists "${DATABASE}" with (force)`));
    await admin.db.execute(sql.raw(`create database "${DATABASE}"`));
    await admin.close();
    const u = new URL(BASE_URL!);
    u.pathname = `/${DATABASE}`;
    url = u.toString();
    handle = await openDatabase({ databaseUrl: url, dataDir: '' });
    await handle.migrate();
    await handle.db.execute(sql`truncate workspaces cascade`);
  });

  afterAll(async () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    await handle?.close();
    const admin = await openDatabase({ databaseUrl: BASE_URL!, dataDir: '' });
    await admin.db.execute(sql.raw(`drop database if exists "${DATABASE}" with (force)`));
    await admin.close();
  });

  it('never starts a third call or SMS for a contact in 24 h, and every held follow-up says why', async () => {
    // A workspace with users (to read it through the API), 100 contacts, one agent of 5 calls.
    const test = await createTestWorkspace(handle.db, 'Caps Load Co');
    const contactIds = Array.from({ length: CONTACTS }, () => newId());
    await handle.db.execute(sql`
      insert into contacts (id, workspace_id, first_name, phone, timezone)
      select c.id, ${test.id}, 'Capped ' || c.n, '+1555' || lpad(c.n::text, 7, '0'),
        'America/New_York'
      from unnest(${pgArray(contactIds)}::uuid[]) with ordinality as c(id, n)`);
    const ws: LoadWorkspace = {
      id: test.id,
      agentIds: [test.agents.active],
      capacities: [5],
      contactIds,
      nextContact: 0,
    };
    await handle.db.execute(sql`
        update workspaces set frequency_caps = ${JSON.stringify([
          { channel: 'call', max: CAP, periodHours: 24 },
          { channel: 'sms', max: CAP, periodHours: 24 },
        ])}::jsonb where id = ${ws.id}`);
    await handle.db.execute(sql`analyze`);
    const startedAt = new Date();
    await insertDueFollowUps(handle.db, ws, {
      count: FOLLOW_UPS,
      types: ['call', 'call', 'sms'],
      maxAttempts: 1,
    });

    for (let i = 0; i < WORKERS; i++) {
      const child = spawn(process.execPath, [BIN, 'worker'], {
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          DATABASE_URL: url,
          LOG_LEVEL: 'warn',
          FOLLOWTHROUGH_CALL_PROVIDER: 'simulator',
          FOLLOWTHROUGH_SIMULATED_CALL_MS: '50-300',
          FOLLOWTHROUGH_SIMULATED_CALL_OUTCOME: 'answered',
          FOLLOWTHROUGH_SMS_PROVIDER: 'instant',
          FOLLOWTHROUGH_WEBHOOK_PROVIDER: 'instant',
        },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      child.stderr!.on('data', (chunk: Buffer) => {
        errors.push(chunk.toString());
        errors.splice(0, Math.max(0, errors.length - 20));
      });
      children.push(child);
    }

    // Settled: nothing is due, queued or in progress any more.
    let last = -1;
    let progressAt = Date.now();
    for (;;) {
      const [c] = rowsOf<{ open: number; done: number }>(
        await handle.db.execute(sql`
            select count(*) filter (where status in ('queued', 'in_progress')
                or (status = 'scheduled' and run_at <= now()))::int as open,
              count(*) filter (where status = 'completed'
                or (status = 'scheduled' and run_at > now()))::int as done
            from follow_ups where workspace_id = ${ws.id}`),
      );
      if (c!.open === 0) break;
      if (c!.done !== last) {
        last = c!.done;
        progressAt = Date.now();
      }
      if (Date.now() - progressAt > STALL_MS)
        throw new Error(`stalled at ${last} completed or held`);
      for (const child of children) {
        if (child.exitCode !== null)
          throw new Error(`a worker exited with ${child.exitCode}:\n${errors.join('')}`);
      }
      await sleep(200);
    }
    for (const c of children) c.kill('SIGTERM');
    await Promise.all(
      children.map((c) =>
        c.exitCode !== null ? null : new Promise((resolve) => c.once('exit', resolve)),
      ),
    );

    // No contact got more than CAP attempts of a channel (all started within 24 h).
    const perContact = rowsOf<{ contact_id: string; channel: string; n: number }>(
      await handle.db.execute(sql`
          select f.contact_id, a.channel, count(*)::int as n
          from follow_up_attempts a join follow_ups f on f.id = a.follow_up_id
          where f.workspace_id = ${ws.id}
          group by f.contact_id, a.channel`),
    );
    expect(perContact.filter((r) => r.n > CAP)).toEqual([]);
    // Each contact's 10 follow-ups (6 or 7 calls, 3 or 4 SMS) reached both caps exactly.
    expect(perContact.every((r) => r.n === CAP)).toBe(true);
    expect(new Set(perContact.map((r) => r.contact_id)).size).toBe(CONTACTS);
    const span = rowsOf<{ first: Date | string; last: Date | string }>(
      await handle.db.execute(sql`
          select min(started_at) as first, max(started_at) as last from follow_up_attempts
          where workspace_id = ${ws.id}`),
    )[0]!;
    expect(new Date(span.last).getTime() - new Date(span.first).getTime()).toBeLessThan(
      24 * 3_600_000,
    );

    // Every follow-up not started is held by a cap, says so, and waits for it.
    const held = rowsOf<{
      id: string;
      status: string;
      attempts: number;
      next_attempt_at: Date | string | null;
      reason: string | null;
      until: string | null;
      message: string | null;
      first_counted: Date | string;
    }>(
      await handle.db.execute(sql`
          select f.id, f.status, f.attempts, f.next_attempt_at,
            e.data->>'reason' as reason, e.data->>'until' as until, e.data->>'message' as message,
            (select min(a.started_at) from follow_up_attempts a
              join follow_ups g on g.id = a.follow_up_id
              where g.contact_id = f.contact_id and a.channel = f.type) as first_counted
          from follow_ups f
          left join lateral (
            select data from follow_up_events ev
            where ev.follow_up_id = f.id and ev.kind = 'deferred'
            order by ev.at desc, ev.id desc limit 1) e on true
          where f.workspace_id = ${ws.id} and f.status <> 'completed'`),
    );
    const completed = FOLLOW_UPS - held.length;
    expect(completed).toBe(CONTACTS * CAP * 2);
    for (const h of held) {
      expect(h).toMatchObject({ status: 'scheduled', attempts: 0, reason: 'frequency_cap' });
      expect(h.message).toMatch(
        /^Frequency cap \(Workspace cap\): 2 (calls|SMS) in 24 h; next at /,
      );
      // Not before the first counted attempt leaves the 24-hour period.
      const next = new Date(h.next_attempt_at!).getTime();
      expect(next).toBeGreaterThanOrEqual(new Date(h.first_counted).getTime() + 24 * 3_600_000);
      expect(new Date(h.until!).getTime()).toBe(next);
    }
    expect(startedAt.getTime()).toBeLessThanOrEqual(new Date(span.first).getTime());

    // Their pages say so too (a sample, through the API).
    const app = await buildApp({ handle, logger: false });
    try {
      const client = withKey(app, test.keys.viewer);
      for (const h of held.slice(0, 20)) {
        const res = await client.get(`/api/follow-ups/${h.id}`);
        expect(res.statusCode).toBe(200);
        expect(res.json().waiting).toMatchObject({
          code: 'frequency_cap',
          until: new Date(h.next_attempt_at!).toISOString(),
        });
      }
    } finally {
      await app.close();
    }
  }, 600_000);
});
