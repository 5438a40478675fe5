/**
 * Why an open follow-up is not running yet, wherever a person or a client reads it: `waiting`
 * on GET /api/follow-ups/:id, on the rows of GET /api/follow-ups (the global list and a
 * contact's card) and of a campaign's list — one decision (core/waiting.ts) for all of them.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../src/server/clock.ts';
import type * as s from '../src/server/db/schema.ts';
import { buildApp } from '../src/server/http/app.ts';
import { type Client, signIn } from './helpers/client.ts';
import { testDatabases, useDatabase } from './helpers/databases.ts';
import { insertCampaign, insertFollowUp } from './helpers/fixtures.ts';
import { createTestWorkspace, type TestWorkspace } from './helpers/workspace.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;

for (const target of testDatabases()) {
  describe(`waiting reasons in the API [${target.name}]`, () => {
    const ctx = useDatabase(target);
    // Monday 2 March 2026, 08:00 in New York: one hour before the default window opens.
    const clock = new FakeClock('2026-03-02T13:00:00Z');
    let app: FastifyInstance;
    let ws: TestWorkspace;
    let viewer: Client;

    beforeAll(async () => {
      app = await buildApp({ handle: ctx.handle, logger: false, clock });
      ws = await createTestWorkspace(ctx.handle.db, 'Waiting Reasons Co');
      viewer = await signIn(app, ws.users.viewer.email);
    });
    afterAll(async () => {
      await app?.close();
    });

    it('says why each open follow-up waits, the same on its page, the list and the card', async () => {
      const db = ctx.handle.db;
      const now = clock.now();
      const at = (ms: number) => new Date(now.getTime() + ms);
      const paused = await insertCampaign(db, ws, { name: 'Paused one', status: 'paused' });
      const draft = await insertCampaign(db, ws, { name: 'Draft one', status: 'draft' });
      const make = (o: Partial<typeof s.followUps.$inferInsert>) =>
        insertFollowUp(db, ws, { scheduledAt: at(-MIN), ...o }, now);
      const ids = {
        outside: await make({}),
        retry: await make({ attempts: 1, nextAttemptAt: at(90 * MIN) }),
        // Its retry time is before the window opens: it waits for the window.
        earlyRetry: await make({ attempts: 1, nextAttemptAt: at(15 * MIN) }),
        capacity: await make({ status: 'queued', resolvedAgentId: ws.agents.default }),
        sms: await make({ status: 'queued', type: 'sms', resolvedAgentId: ws.agents.default }),
        override: await make({ allowOutOfWindow: true }),
        snoozed: await make({ status: 'snoozed', snoozedUntil: at(26 * HOUR) }),
        paused: await make({ campaignId: paused }),
        notStarted: await make({ campaignId: draft }),
        later: await make({ scheduledAt: at(5 * HOUR) }),
        done: await make({ status: 'completed', attempts: 1 }),
      };
      // The default agent (max 2 calls) is on two calls.
      for (let i = 0; i < 2; i++) {
        await make({ status: 'in_progress', attempts: 1, resolvedAgentId: ws.agents.default });
      }
      const expected: Record<keyof typeof ids, unknown> = {
        outside: {
          code: 'outside_window',
          message: 'Outside calling window until Mon 2 Mar, 09:00 EST',
          until: '2026-03-02T14:00:00.000Z',
        },
        retry: {
          code: 'retry_backoff',
          message: 'Retry at Mon 2 Mar, 09:30 EST',
          until: at(90 * MIN).toISOString(),
        },
        earlyRetry: {
          code: 'retry_backoff',
          message: 'Retry at Mon 2 Mar, 09:00 EST',
          until: '2026-03-02T14:00:00.000Z',
        },
        capacity: {
          code: 'agent_at_capacity',
          message: 'Agent at capacity (2 of 2 calls)',
          until: null,
        },
        sms: { code: 'waiting_for_dispatch', message: 'Waiting for dispatch', until: null },
        override: { code: 'waiting_for_dispatch', message: 'Waiting for dispatch', until: null },
        snoozed: {
          code: 'snoozed',
          message: 'Snoozed until Tue 3 Mar, 10:00 EST',
          until: at(26 * HOUR).toISOString(),
        },
        paused: { code: 'campaign_paused', message: 'Campaign paused', until: null },
        notStarted: { code: 'campaign_not_started', message: 'Campaign not started', until: null },
        later: null,
        done: null,
      };

      const byId = (items: { id: string; waiting: unknown }[]) =>
        new Map(items.map((f) => [f.id, f.waiting]));
      const list = await viewer.get('/api/follow-ups?limit=100');
      expect(list.statusCode, list.body).toBe(200);
      const card = await viewer.get(`/api/follow-ups?contactId=${ws.contacts.ny}&limit=100`);
      expect(card.statusCode, card.body).toBe(200);
      const fromList = byId(list.json().items);
      const fromCard = byId(card.json().items);

      for (const [name, id] of Object.entries(ids) as [keyof typeof ids, string][]) {
        const detail = await viewer.get(`/api/follow-ups/${id}`);
        expect(detail.statusCode, detail.body).toBe(200);
        expect(detail.json().waiting, `detail: ${name}`).toEqual(expected[name]);
        expect(fromList.get(id), `list: ${name}`).toEqual(expected[name]);
        expect(fromCard.get(id), `card: ${name}`).toEqual(expected[name]);
      }

      // A campaign's list gives the same answer for its rows.
      const campaignRows = await viewer.get(`/api/campaigns/${paused}/follow-ups`);
      expect(byId(campaignRows.json().items).get(ids.paused)).toEqual(expected.paused);
    });
  });
}
