/**
 * The list's order (the screen's views): soonest first by default, latest first with
 * sort=-scheduledAt, both paged by cursor without gaps or repeats; a contact's list keeps the
 * card's order whatever the sort.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../src/server/clock.ts';
import { buildApp } from '../src/server/http/app.ts';
import { type Client, signIn } from './helpers/client.ts';
import { testDatabases, useDatabase } from './helpers/databases.ts';
import { insertFollowUp } from './helpers/fixtures.ts';
import { createTestWorkspace, type TestWorkspace } from './helpers/workspace.ts';

const HOUR = 3_600_000;

for (const target of testDatabases()) {
  describe(`follow-ups list order [${target.name}]`, () => {
    const ctx = useDatabase(target);
    const clock = new FakeClock('2026-03-02T13:00:00Z');
    let app: FastifyInstance;
    let ws: TestWorkspace;
    let viewer: Client;

    beforeAll(async () => {
      app = await buildApp({ handle: ctx.handle, logger: false, clock });
      ws = await createTestWorkspace(ctx.handle.db, 'List Order Co');
      viewer = await signIn(app, ws.users.viewer.email);
    });
    afterAll(async () => {
      await app?.close();
    });

    async function all(query: string): Promise<string[]> {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const res = await viewer.get(
          `/api/follow-ups?limit=2&${query}${cursor ? `&cursor=${cursor}` : ''}`,
        );
        expect(res.statusCode, res.body).toBe(200);
        seen.push(...res.json().items.map((f: { id: string }) => f.id));
        cursor = res.json().nextCursor;
      } while (cursor);
      return seen;
    }

    it('pages soonest first or latest first, and keeps the card order for a contact', async () => {
      const now = clock.now();
      const at = (h: number) => new Date(now.getTime() + h * HOUR);
      // In scheduled order: two failed in the past, three open ahead.
      const failedOld = await insertFollowUp(
        ctx.handle.db,
        ws,
        { status: 'failed', scheduledAt: at(-48) },
        now,
      );
      const expired = await insertFollowUp(
        ctx.handle.db,
        ws,
        { status: 'expired', scheduledAt: at(-24) },
        now,
      );
      const open = [];
      for (const h of [1, 2, 3]) {
        open.push(await insertFollowUp(ctx.handle.db, ws, { scheduledAt: at(h) }, now));
      }
      const ascending = [failedOld, expired, ...open];

      expect(await all('')).toEqual(ascending);
      expect(await all('sort=scheduledAt')).toEqual(ascending);
      expect(await all('sort=-scheduledAt')).toEqual([...ascending].reverse());
      expect(await all('status=scheduled,queued,in_progress,snoozed')).toEqual(open);
      expect(await all('status=failed,expired&sort=-scheduledAt')).toEqual([expired, failedOld]);
      // The contact card: open ones soonest first, then finished ones latest first.
      const card = [...open, expired, failedOld];
      expect(await all(`contactId=${ws.contacts.ny}`)).toEqual(card);
      expect(await all(`contactId=${ws.contacts.ny}&sort=-scheduledAt`)).toEqual(card);

      const refused = await viewer.get('/api/follow-ups?sort=newest');
      expect(refused.statusCode).toBe(400);
      expect(refused.json().errors[0]).toMatchObject({ path: 'query.sort' });
    });
  });
}
