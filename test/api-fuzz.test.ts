/**
 * Fuzzing the follow-up API with fast-check: create and edit bodies and list query strings,
 * valid and broken in every way. Every answer is 2xx or a 4xx problem+json, never a 5xx, and
 * the database holds exactly what the accepted requests wrote.
 */
import { eq } from 'drizzle-orm';
import fc from 'fast-check';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as s from '../src/server/db/schema.ts';
import { buildApp } from '../src/server/http/app.ts';
import { type Client, signIn } from './helpers/client.ts';
import { testDatabases, useDatabase } from './helpers/databases.ts';
import { insertFollowUp, insertWebhookEndpoint } from './helpers/fixtures.ts';
import { createTestWorkspace, type TestWorkspace } from './helpers/workspace.ts';

const RUNS = Number(process.env.FT_FUZZ_RUNS ?? 150);

function expectWellFormed(res: LightMyRequestResponse, what: string) {
  expect(res.statusCode, `${what} → ${res.statusCode} ${res.body.slice(0, 300)}`).toBeLessThan(500);
  if (res.statusCode >= 400) {
    expect(res.headers['content-type']).toContain('application/problem+json');
    const problem = res.json();
    expect(problem).toMatchObject({ status: res.statusCode });
    expect(typeof problem.title).toBe('string');
    expect(typeof problem.detail).toBe('string');
    expect(typeof problem.type).toBe('string');
    if (problem.errors) {
      for (const e of problem.errors) {
        expect(typeof e.path).toBe('string');
        expect(typeof e.message).toBe('string');
      }
    }
  }
}

/** Mostly the valid arbitrary, sometimes one of the others. */
function mostly<T>(valid: fc.Arbitrary<T>, ...others: fc.Arbitrary<unknown>[]) {
  return fc.oneof(
    { arbitrary: valid as fc.Arbitrary<unknown>, weight: 8 },
    ...others.map((arbitrary) => ({ arbitrary, weight: 1 })),
  );
}

/** Rarely present: undefined most of the time. */
const rarely = <T>(arb: fc.Arbitrary<T>) =>
  fc.oneof({ arbitrary: fc.constant(undefined), weight: 9 }, { arbitrary: arb, weight: 1 });

/** Anything JSON can hold, for fields that expect something precise. */
const junk = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  fc.string({ maxLength: 30 }),
  fc.constantFrom(
    '',
    ' ',
    'null',
    '0',
    '-1',
    '1e309',
    'NaN',
    '💥',
    '<script>',
    "'; drop table x;--",
  ),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.object({ maxDepth: 1, maxKeys: 3 }),
);

function instantArb() {
  return mostly(
    // plausible: −4 min … +360 days, in a few offsets
    fc
      .tuple(
        fc.integer({ min: -4 * 60, max: 360 * 24 * 60 }),
        fc.constantFrom('Z', '+05:30', '-08:00'),
      )
      .map(([minutes, offset]) => {
        const d = new Date(Date.now() + minutes * 60_000);
        const iso = d.toISOString();
        if (offset === 'Z') return iso;
        const sign = offset[0] === '+' ? 1 : -1;
        const [h, m] = offset.slice(1).split(':').map(Number);
        const local = new Date(d.getTime() + sign * (h! * 60 + m!) * 60_000);
        return `${local.toISOString().slice(0, 19)}${offset}`;
      }),
    // out of range: more than 5 minutes ago, more than 365 days ahead
    fc.integer({ min: 6, max: 60 }).map((m) => new Date(Date.now() - m * 60_000).toISOString()),
    fc
      .integer({ min: 366, max: 5000 })
      .map((d) => new Date(Date.now() + d * 86_400_000).toISOString()),
    fc.constantFrom(
      '2026-02-30T10:00:00Z',
      '0000-01-01T00:00:00Z',
      '9999-12-31T23:59:59Z',
      '2026-03-08T02:30:00',
      'tomorrow',
      '2026-13-01T00:00:00Z',
    ),
    junk,
  );
}

for (const target of testDatabases()) {
  describe(`API fuzz [${target.name}]`, () => {
    const ctx = useDatabase(target);
    let app: FastifyInstance;
    let ws: TestWorkspace;
    let operator: Client;

    beforeAll(async () => {
      app = await buildApp({ handle: ctx.handle, logger: false });
      ws = await createTestWorkspace(ctx.handle.db, 'Fuzz Co');
      operator = await signIn(app, ws.users.operator.email);
    });
    afterAll(() => app.close());

    it('creates: only 2xx or 4xx, and exactly the accepted follow-ups exist', async () => {
      const contactIds = [ws.contacts.ny, ws.contacts.london, ws.contacts.noZone];
      const agentIds = [ws.agents.default, ws.agents.active];
      await insertWebhookEndpoint(ctx.handle.db, ws);
      const body = fc
        .record(
          {
            contactId: mostly(
              fc.constantFrom(...contactIds),
              fc.constant(ws.contacts.dnc),
              fc.uuid(),
              junk,
            ),
            type: mostly(fc.constantFrom('call', 'sms', 'webhook'), junk),
            scheduledAt: instantArb(),
            agentId: mostly(
              fc.constantFrom(null, ...agentIds),
              fc.constant(ws.agents.inactive),
              fc.uuid(),
              junk,
            ),
            priority: mostly(fc.constantFrom('low', 'normal', 'high', 'urgent'), junk),
            maxAttempts: mostly(
              fc.integer({ min: 1, max: 10 }),
              fc.integer({ min: -2, max: 12 }),
              junk,
            ),
            allowOutOfWindow: mostly(fc.boolean(), junk),
            notes: mostly(fc.string({ maxLength: 50 }), fc.constant('x'.repeat(2001)), junk),
            campaignId: mostly(fc.constantFrom(ws.campaign), fc.uuid(), junk),
            source: rarely(fc.constantFrom('campaign', 'api')),
            extra: rarely(junk),
          },
          { requiredKeys: ['contactId', 'scheduledAt'] },
        )
        .map((b) => JSON.parse(JSON.stringify(b)) as Record<string, unknown>);
      const accepted = new Map<string, Record<string, unknown>>();
      await fc.assert(
        fc.asyncProperty(body, async (b) => {
          const res = await operator.post('/api/follow-ups', b);
          expectWellFormed(res, `POST ${JSON.stringify(b)}`);
          if (res.statusCode === 201) accepted.set(res.json().id, res.json());
          // A body that names its own source or an unknown field is always refused.
          if ('source' in b || 'extra' in b) expect(res.statusCode).toBe(400);
        }),
        { numRuns: RUNS },
      );
      // The fuzz must reach the database, not only the validator.
      expect(accepted.size).toBeGreaterThan(RUNS / 20);
      const rows = await ctx.handle.db
        .select()
        .from(s.followUps)
        .where(eq(s.followUps.workspaceId, ws.id));
      expect(new Set(rows.map((r) => r.id))).toEqual(new Set(accepted.keys()));
      for (const row of rows) {
        const sent = accepted.get(row.id)!;
        expect(row.source).toBe('manual');
        expect(row.scheduledAt.toISOString()).toBe(sent.scheduledAt);
        expect(row.maxAttempts).toBe(sent.maxAttempts);
        expect(row.priority).toBe(sent.priority);
      }
    });

    it('edits: only 2xx or 4xx, and each row is what its last accepted edit answered', async () => {
      const db = ctx.handle.db;
      const ids = [
        await insertFollowUp(db, ws, { status: 'scheduled' }),
        await insertFollowUp(db, ws, { status: 'snoozed' }),
        await insertFollowUp(db, ws, { status: 'completed' }),
        await insertFollowUp(db, ws, { status: 'scheduled', attempts: 2, maxAttempts: 3 }),
      ];
      const patch = fc
        .record(
          {
            scheduledAt: instantArb(),
            agentId: mostly(
              fc.constant(null),
              fc.constantFrom(ws.agents.active, ws.agents.inactive),
              junk,
            ),
            priority: mostly(fc.constantFrom('low', 'urgent'), junk),
            maxAttempts: mostly(fc.integer({ min: 0, max: 11 }), junk),
            notes: mostly(fc.string({ maxLength: 20 }), fc.constant(null), junk),
            allowOutOfWindow: mostly(fc.boolean(), junk),
            status: rarely(fc.constantFrom('completed')),
          },
          { requiredKeys: [] },
        )
        .map((b) => JSON.parse(JSON.stringify(b)) as Record<string, unknown>);
      const last = new Map<string, Record<string, unknown>>();
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...ids), patch, async (id, p) => {
          const res = await operator.patch(`/api/follow-ups/${id}`, p);
          expectWellFormed(res, `PATCH ${JSON.stringify(p)}`);
          if (res.statusCode === 200) last.set(id, res.json());
          if ('status' in p) expect(res.statusCode).toBe(400);
        }),
        { numRuns: RUNS },
      );
      expect(last.size).toBeGreaterThan(0);
      for (const id of ids) {
        const now = (await operator.get(`/api/follow-ups/${id}`)).json();
        const answered = last.get(id);
        if (!answered) continue;
        for (const key of [
          'scheduledAt',
          'agentId',
          'priority',
          'maxAttempts',
          'notes',
          'status',
        ]) {
          expect(now[key], `${id}.${key}`).toEqual(answered[key]);
        }
      }
      const completed = (await operator.get(`/api/follow-ups/${ids[2]}`)).json();
      expect(completed.status).toBe('completed');
      expect(last.has(ids[2]!)).toBe(false);
    });

    it('list query strings: only 2xx or 4xx', async () => {
      const value = fc.oneof(
        fc.string({ maxLength: 20 }),
        fc.uuid(),
        fc.constantFrom(
          'scheduled,queued',
          'scheduled,,',
          'bogus',
          '0',
          '201',
          '-1',
          '50',
          'Zm9v',
          '%00',
        ),
        instantArb().map(String),
      );
      const key = fc.constantFrom(
        'contactId',
        'status',
        'type',
        'agentId',
        'campaignId',
        'priority',
        'source',
        'scheduledFrom',
        'scheduledTo',
        'limit',
        'cursor',
        'unknown',
      );
      await fc.assert(
        fc.asyncProperty(fc.array(fc.tuple(key, value), { maxLength: 5 }), async (pairs) => {
          const qs = pairs.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
          const res = await operator.get(`/api/follow-ups?${qs}`);
          expectWellFormed(res, `GET ?${qs}`);
        }),
        { numRuns: RUNS },
      );
    });
  });
}
