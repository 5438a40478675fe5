/**
 * Every CHECK, unique key and foreign key of the schema, each broken on purpose: the database
 * itself refuses bad rows, whatever the code above it does.
 */
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { Database } from '../src/server/db/client.ts';
import * as s from '../src/server/db/schema.ts';
import { newId } from '../src/server/ids.ts';
import { testDatabases, useDatabase } from './helpers/databases.ts';

const HOUR = 3_600_000;

/** A workspace with one of everything, all valid. */
async function fixture(db: Database) {
  const ws = newId();
  const agent = newId();
  const user = newId();
  const contact = newId();
  const campaign = newId();
  const call = newId();
  const followUp = newId();
  const phone = `+1212555${String(Math.floor(Math.random() * 10_000)).padStart(4, '0')}`;
  await db.insert(s.workspaces).values({
    id: ws,
    name: 'Constraint Co',
    timezone: 'America/New_York',
    callingWindow: { weekly: {} as never, closedDates: [] },
    retryScheduleMinutes: [15, 60, 240],
  });
  await db.insert(s.agents).values({ id: agent, workspaceId: ws, name: 'Ava', isDefault: true });
  await db.update(s.workspaces).set({ defaultAgentId: agent }).where(eq(s.workspaces.id, ws));
  await db.insert(s.users).values({
    id: user,
    workspaceId: ws,
    email: `${ws}@example.com`,
    name: 'Ann',
    passwordHash: 'x',
    role: 'admin',
  });
  await db.insert(s.contacts).values({ id: contact, workspaceId: ws, phone });
  await db
    .insert(s.campaigns)
    .values({ id: campaign, workspaceId: ws, name: 'Q4', agentId: agent });
  await db.insert(s.callLogs).values({
    id: call,
    workspaceId: ws,
    contactId: contact,
    direction: 'outbound',
    outcome: 'answered',
    startedAt: new Date(),
  });
  await db.insert(s.followUps).values({
    id: followUp,
    workspaceId: ws,
    contactId: contact,
    scheduledAt: new Date(),
    expiresAt: new Date(Date.now() + 72 * HOUR),
    source: 'manual',
  });
  return { ws, agent, user, contact, campaign, call, followUp, phone };
}

type Fixture = Awaited<ReturnType<typeof fixture>>;

function followUpRow(f: Fixture, over: Partial<typeof s.followUps.$inferInsert> = {}) {
  return {
    id: newId(),
    workspaceId: f.ws,
    contactId: f.contact,
    scheduledAt: new Date(),
    expiresAt: new Date(Date.now() + HOUR),
    source: 'manual',
    ...over,
  } satisfies typeof s.followUps.$inferInsert;
}

function attemptRow(f: Fixture, over: Partial<typeof s.followUpAttempts.$inferInsert> = {}) {
  const number = over.number ?? 1;
  return {
    id: newId(),
    workspaceId: f.ws,
    followUpId: f.followUp,
    number,
    channel: 'call',
    provider: 'simulator',
    idempotencyKey: `${f.followUp}:${number}:${newId()}`,
    startedAt: new Date(),
    ...over,
  } satisfies typeof s.followUpAttempts.$inferInsert;
}

/** The database error's text, wherever the driver put it. */
async function violation(run: () => unknown): Promise<string> {
  try {
    await run();
  } catch (error) {
    const parts: string[] = [];
    for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) {
      parts.push(String((e as Error).message ?? e));
      const c = (e as { constraint?: string }).constraint;
      if (c) parts.push(c);
    }
    return parts.join(' | ');
  }
  return 'no error';
}

for (const target of testDatabases()) {
  describe(`schema constraints [${target.name}]`, () => {
    const ctx = useDatabase(target);

    // [description, the constraint named in the error (or words of the error), the bad write]
    const cases: (readonly [string, RegExp, (db: Database, f: Fixture, g: Fixture) => unknown])[] =
      [
        [
          'workspace without a name',
          /workspaces_name_present/,
          (db, f) => db.update(s.workspaces).set({ name: '  ' }).where(eq(s.workspaces.id, f.ws)),
        ],
        [
          'workspace expiry of 0 hours',
          /workspaces_expiry_range/,
          (db, f) =>
            db.update(s.workspaces).set({ defaultExpiryHours: 0 }).where(eq(s.workspaces.id, f.ws)),
        ],
        [
          'workspace default agent from another workspace',
          /workspaces_default_agent_fk/,
          (db, f, g) =>
            db
              .update(s.workspaces)
              .set({ defaultAgentId: g.agent })
              .where(eq(s.workspaces.id, f.ws)),
        ],
        [
          'user role outside admin/operator/viewer',
          /users_role_check/,
          (db, f) => db.update(s.users).set({ role: 'owner' }).where(eq(s.users.id, f.user)),
        ],
        [
          'two users of one workspace with one email (any case)',
          /users_workspace_email_unique/,
          (db, f) =>
            db.insert(s.users).values({
              id: newId(),
              workspaceId: f.ws,
              email: `${f.ws}@EXAMPLE.com`,
              name: 'Ann again',
              passwordHash: 'x',
              role: 'viewer',
            }),
        ],
        [
          'api key with an unknown role',
          /api_keys_role_check/,
          (db, f) =>
            db.insert(s.apiKeys).values({
              id: newId(),
              workspaceId: f.ws,
              name: 'k',
              role: 'root',
              prefix: 'ft_',
              secretHash: newId(),
            }),
        ],
        [
          'agent status outside active/inactive',
          /agents_status_check/,
          (db, f) => db.update(s.agents).set({ status: 'busy' }).where(eq(s.agents.id, f.agent)),
        ],
        [
          'agent capacity of 0',
          /agents_capacity_range/,
          (db, f) =>
            db.update(s.agents).set({ maxConcurrentCalls: 0 }).where(eq(s.agents.id, f.agent)),
        ],
        [
          'two default agents in a workspace',
          /agents_one_default/,
          (db, f) =>
            db
              .insert(s.agents)
              .values({ id: newId(), workspaceId: f.ws, name: 'B', isDefault: true }),
        ],
        [
          'contact phone not in E.164',
          /contacts_phone_e164/,
          (db, f) =>
            db
              .update(s.contacts)
              .set({ phone: '212-555-0100' })
              .where(eq(s.contacts.id, f.contact)),
        ],
        [
          'two contacts with one phone in a workspace',
          /contacts_phone_unique/,
          (db, f) =>
            db.insert(s.contacts).values({ id: newId(), workspaceId: f.ws, phone: f.phone }),
        ],
        [
          'Do Not Call phone not in E.164',
          /dnc_phone_e164/,
          (db, f) =>
            db.insert(s.dncEntries).values({ id: newId(), workspaceId: f.ws, phone: '12' }),
        ],
        [
          'one phone twice on the Do Not Call list',
          /dnc_phone_unique/,
          async (db, f) => {
            await db
              .insert(s.dncEntries)
              .values({ id: newId(), workspaceId: f.ws, phone: f.phone });
            await db
              .insert(s.dncEntries)
              .values({ id: newId(), workspaceId: f.ws, phone: f.phone });
          },
        ],
        [
          'campaign status outside the five',
          /campaigns_status_check/,
          (db, f) =>
            db.update(s.campaigns).set({ status: 'live' }).where(eq(s.campaigns.id, f.campaign)),
        ],
        [
          "campaign with another workspace's agent",
          /campaigns_agent_fk/,
          (db, f, g) =>
            db.update(s.campaigns).set({ agentId: g.agent }).where(eq(s.campaigns.id, f.campaign)),
        ],
        [
          'call direction outside outbound/inbound',
          /call_logs_direction_check/,
          (db, f) =>
            db.update(s.callLogs).set({ direction: 'sideways' }).where(eq(s.callLogs.id, f.call)),
        ],
        [
          'call outcome outside §5.1',
          /call_logs_outcome_check/,
          (db, f) =>
            db.update(s.callLogs).set({ outcome: 'hung_up' }).where(eq(s.callLogs.id, f.call)),
        ],
        [
          'negative call duration',
          /call_logs_duration_positive/,
          (db, f) =>
            db.update(s.callLogs).set({ durationSeconds: -1 }).where(eq(s.callLogs.id, f.call)),
        ],
        [
          'call that ends before it starts',
          /call_logs_ended_after_start/,
          (db, f) =>
            db
              .update(s.callLogs)
              .set({ endedAt: new Date(Date.now() - 10 * HOUR) })
              .where(eq(s.callLogs.id, f.call)),
        ],
        [
          "call log of another workspace's contact",
          /call_logs_contact_fk/,
          (db, f, g) =>
            db.insert(s.callLogs).values({
              id: newId(),
              workspaceId: f.ws,
              contactId: g.contact,
              direction: 'inbound',
              outcome: 'answered',
              startedAt: new Date(),
            }),
        ],
        ...(
          [
            ['type', { type: 'email' }, /follow_ups_type_check/],
            ['priority', { priority: 'critical' }, /follow_ups_priority_check/],
            ['source', { source: 'import' }, /follow_ups_source_check/],
            ['status', { status: 'paused' }, /follow_ups_status_check/],
            ['max attempts of 0', { maxAttempts: 0 }, /follow_ups_max_attempts_range/],
            ['max attempts of 11', { maxAttempts: 11 }, /follow_ups_max_attempts_range/],
            ['attempts above max', { maxAttempts: 3, attempts: 4 }, /follow_ups_attempts_range/],
            ['negative attempts', { attempts: -1 }, /follow_ups_attempts_range/],
            ['notes over 2,000 characters', { notes: 'x'.repeat(2001) }, /follow_ups_notes_length/],
            ['snoozed without an end', { status: 'snoozed' }, /follow_ups_snoozed_has_until/],
            [
              'completed without completedAt',
              { status: 'completed' },
              /follow_ups_terminal_has_completed_at/,
            ],
            [
              'scheduled with completedAt',
              { completedAt: new Date() },
              /follow_ups_terminal_has_completed_at/,
            ],
          ] as const
        ).map(
          ([what, over, re]) =>
            [
              `follow-up ${what}`,
              re,
              (db: Database, f: Fixture) =>
                db.insert(s.followUps).values(followUpRow(f, over as never)),
            ] as const,
        ),
        [
          "follow-up for another workspace's contact",
          /follow_ups_contact_fk/,
          (db, f, g) => db.insert(s.followUps).values(followUpRow(f, { contactId: g.contact })),
        ],
        [
          "follow-up with another workspace's agent",
          /follow_ups_agent_fk/,
          (db, f, g) => db.insert(s.followUps).values(followUpRow(f, { agentId: g.agent })),
        ],
        [
          "follow-up in another workspace's campaign",
          /follow_ups_campaign_fk/,
          (db, f, g) => db.insert(s.followUps).values(followUpRow(f, { campaignId: g.campaign })),
        ],
        [
          'follow-up without an expiry',
          /expires_at|not-null|null value/,
          (db, f) => db.insert(s.followUps).values(followUpRow(f, { expiresAt: null as never })),
        ],
        [
          'event of an unknown kind',
          /follow_up_events_kind_check/,
          (db, f) =>
            db.insert(s.followUpEvents).values({
              id: newId(),
              workspaceId: f.ws,
              followUpId: f.followUp,
              at: new Date(),
              kind: 'exploded',
              actorType: 'system',
            }),
        ],
        [
          'event by an unknown kind of actor',
          /follow_up_events_actor_check/,
          (db, f) =>
            db.insert(s.followUpEvents).values({
              id: newId(),
              workspaceId: f.ws,
              followUpId: f.followUp,
              at: new Date(),
              kind: 'created',
              actorType: 'robot',
              actorId: f.user,
            }),
        ],
        [
          'event by a user without the user',
          /follow_up_events_actor_id/,
          (db, f) =>
            db.insert(s.followUpEvents).values({
              id: newId(),
              workspaceId: f.ws,
              followUpId: f.followUp,
              at: new Date(),
              kind: 'created',
              actorType: 'user',
            }),
        ],
        [
          "event on another workspace's follow-up",
          /follow_up_events_follow_up_fk/,
          (db, f, g) =>
            db.insert(s.followUpEvents).values({
              id: newId(),
              workspaceId: f.ws,
              followUpId: g.followUp,
              at: new Date(),
              kind: 'created',
              actorType: 'system',
            }),
        ],
        [
          'attempt number 0',
          /follow_up_attempts_number_range/,
          (db, f) => db.insert(s.followUpAttempts).values(attemptRow(f, { number: 0 })),
        ],
        [
          'attempt number 11',
          /follow_up_attempts_number_range/,
          (db, f) => db.insert(s.followUpAttempts).values(attemptRow(f, { number: 11 })),
        ],
        [
          'attempt on an unknown channel',
          /follow_up_attempts_channel_check/,
          (db, f) => db.insert(s.followUpAttempts).values(attemptRow(f, { channel: 'fax' })),
        ],
        [
          'attempt with an unknown result',
          /follow_up_attempts_result_check/,
          (db, f) =>
            db
              .insert(s.followUpAttempts)
              .values(attemptRow(f, { result: 'meh', endedAt: new Date() })),
        ],
        [
          'attempt ended without a result',
          /follow_up_attempts_ended_has_result/,
          (db, f) => db.insert(s.followUpAttempts).values(attemptRow(f, { endedAt: new Date() })),
        ],
        [
          'one attempt number used twice',
          /follow_up_attempts_number_unique/,
          async (db, f) => {
            await db.insert(s.followUpAttempts).values(attemptRow(f, { number: 2 }));
            await db.insert(s.followUpAttempts).values(attemptRow(f, { number: 2 }));
          },
        ],
        [
          'one idempotency key on two attempts',
          /idempotency_key_unique/,
          async (db, f) => {
            const key = `${f.followUp}:dup`;
            await db
              .insert(s.followUpAttempts)
              .values(attemptRow(f, { number: 3, idempotencyKey: key }));
            await db
              .insert(s.followUpAttempts)
              .values(attemptRow(f, { number: 4, idempotencyKey: key }));
          },
        ],
        [
          'webhook endpoint that is not http(s)',
          /webhook_endpoints_url_http/,
          (db, f) =>
            db.insert(s.webhookEndpoints).values({
              id: newId(),
              workspaceId: f.ws,
              url: 'ftp://example.com/hook',
              secret: 'whsec_abc',
            }),
        ],
        [
          'webhook secret not in whsec_ form',
          /webhook_endpoints_secret_format/,
          (db, f) =>
            db.insert(s.webhookEndpoints).values({
              id: newId(),
              workspaceId: f.ws,
              url: 'https://example.com/hook',
              secret: 'plain',
            }),
        ],
        [
          'two default webhook endpoints',
          /webhook_endpoints_one_default/,
          async (db, f) => {
            for (let i = 0; i < 2; i++) {
              await db.insert(s.webhookEndpoints).values({
                id: newId(),
                workspaceId: f.ws,
                url: 'https://example.com/hook',
                secret: 'whsec_abc',
                isDefault: true,
              });
            }
          },
        ],
        [
          'empty idempotency key',
          /idempotency_key_length/,
          (db, f) =>
            db.insert(s.idempotencyRecords).values({
              workspaceId: f.ws,
              actorId: f.user,
              key: '',
              requestHash: 'h',
              expiresAt: new Date(),
            }),
        ],
        [
          'one idempotency key twice for one sender',
          /idempotency_records_pk/,
          async (db, f) => {
            for (let i = 0; i < 2; i++) {
              await db.insert(s.idempotencyRecords).values({
                workspaceId: f.ws,
                actorId: f.user,
                key: 'k1',
                requestHash: 'h',
                expiresAt: new Date(),
              });
            }
          },
        ],
        [
          'two sessions with one token',
          /sessions_token_hash_unique/,
          async (db, f) => {
            for (let i = 0; i < 2; i++) {
              await db.insert(s.sessions).values({
                id: newId(),
                workspaceId: f.ws,
                userId: f.user,
                tokenHash: `t-${f.ws}`,
                expiresAt: new Date(),
              });
            }
          },
        ],
      ];

    for (const [what, expected, write] of cases) {
      it(`refuses ${what}`, async () => {
        const db = ctx.handle.db;
        const f = await fixture(db);
        const g = await fixture(db);
        const before = await db.select().from(s.followUps).where(eq(s.followUps.workspaceId, f.ws));
        expect(await violation(() => write(db, f, g))).toMatch(expected);
        const after = await db.select().from(s.followUps).where(eq(s.followUps.workspaceId, f.ws));
        expect(after).toEqual(before);
      });
    }

    it('accepts the same phone in two workspaces, and a valid follow-up', async () => {
      const db = ctx.handle.db;
      const f = await fixture(db);
      const g = await fixture(db);
      await db.insert(s.contacts).values({ id: newId(), workspaceId: g.ws, phone: f.phone });
      const row = followUpRow(f, { maxAttempts: 10, attempts: 10, priority: 'urgent' });
      await db.insert(s.followUps).values(row);
      const [saved] = await db.select().from(s.followUps).where(eq(s.followUps.id, row.id));
      expect(saved?.priorityRank).toBe(0);
      expect(saved?.runAt.getTime()).toBe(row.scheduledAt.getTime());
    });
  });
}
