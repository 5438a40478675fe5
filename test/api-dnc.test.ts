import { asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../src/server/clock.ts';
import type { Database } from '../src/server/db/client.ts';
import * as s from '../src/server/db/schema.ts';
import { buildApp } from '../src/server/http/app.ts';
import { newId } from '../src/server/ids.ts';
import { anonymous, type Client, signIn, withKey } from './helpers/client.ts';
import { testDatabases, useDatabase } from './helpers/databases.ts';
import { createTestWorkspace, type TestWorkspace } from './helpers/workspace.ts';

const NOW = '2026-03-02T14:00:00.000Z';
const HOUR = 3_600_000;
const later = (ms: number) => new Date(Date.parse(NOW) + ms);
const PHONE = '+12125550142';

async function addContact(db: Database, ws: TestWorkspace, phone: string, firstName: string) {
  const id = newId();
  await db
    .insert(s.contacts)
    .values({ id, workspaceId: ws.id, firstName, lastName: 'Phone', phone });
  return id;
}

async function seed(
  db: Database,
  ws: TestWorkspace,
  contactId: string,
  o: Partial<typeof s.followUps.$inferInsert>,
) {
  const id = newId();
  const status = o.status ?? 'scheduled';
  await db.insert(s.followUps).values({
    id,
    workspaceId: ws.id,
    contactId,
    type: 'call',
    scheduledAt: later(HOUR),
    source: 'manual',
    status,
    expiresAt: later(72 * HOUR),
    completedAt: status === 'completed' ? later(-HOUR) : null,
    snoozedUntil: status === 'snoozed' ? later(5 * HOUR) : null,
    attempts: status === 'in_progress' || status === 'completed' ? 1 : 0,
    ...o,
  });
  return id;
}

for (const target of testDatabases()) {
  describe(`Do Not Call list [${target.name}]`, () => {
    const ctx = useDatabase(target);
    const clock = new FakeClock(NOW);
    let app: FastifyInstance;
    let ws: TestWorkspace;
    let other: TestWorkspace;
    let operator: Client;
    let viewer: Client;
    const db = () => ctx.handle.db;
    const rows = (ids: string[]) =>
      db().select().from(s.followUps).where(inArray(s.followUps.id, ids));
    const statusOf = async (id: string) => (await rows([id]))[0]!.status;

    beforeAll(async () => {
      app = await buildApp({ handle: ctx.handle, logger: false, clock });
      ws = await createTestWorkspace(db());
      other = await createTestWorkspace(db(), 'Other Co');
      operator = await signIn(app, ws.users.operator.email);
      viewer = await signIn(app, ws.users.viewer.email);
    });
    afterAll(() => app.close());

    describe('adding and removing a phone', () => {
      let paula: string;
      const blocked: string[] = [];
      const kept: string[] = [];
      let entryId: string;

      beforeAll(async () => {
        const d = db();
        paula = await addContact(d, ws, PHONE, 'Paula');
        blocked.push(
          await seed(d, ws, paula, { type: 'call' }),
          await seed(d, ws, paula, { type: 'sms', status: 'queued' }),
          await seed(d, ws, paula, { type: 'call', status: 'snoozed' }),
        );
        kept.push(
          await seed(d, ws, paula, { type: 'webhook' }),
          await seed(d, ws, paula, { type: 'call', status: 'in_progress' }),
          await seed(d, ws, paula, { type: 'call', status: 'completed' }),
          await seed(d, ws, ws.contacts.ny, { type: 'call' }),
        );
        // The same number in another workspace is another workspace's business.
        const theirs = await addContact(d, other, PHONE, 'Theirs');
        kept.push(await seed(d, other, theirs, { type: 'call' }));
      });

      it('fails the contact’s open call and SMS follow-ups in the same request', async () => {
        const before = await rows(kept);
        const res = await operator.post('/api/dnc', {
          phone: '(212) 555-0142',
          reason: 'Asked on the phone',
        });
        expect(res.statusCode).toBe(201);
        const body = res.json();
        entryId = body.id;
        expect(body).toEqual({
          id: expect.any(String),
          phone: PHONE,
          reason: 'Asked on the phone',
          contact: { id: paula, name: 'Paula Phone' },
          createdAt: NOW,
          failedFollowUps: 3,
        });
        for (const row of await rows(blocked)) {
          expect(row).toMatchObject({
            status: 'failed',
            lastError: 'The contact is on the Do Not Call list.',
            completedAt: new Date(NOW),
            snoozedUntil: null,
          });
        }
        const events = await db()
          .select()
          .from(s.followUpEvents)
          .where(inArray(s.followUpEvents.followUpId, blocked))
          .orderBy(asc(s.followUpEvents.followUpId));
        expect(events).toHaveLength(3);
        for (const event of events) {
          expect(event).toMatchObject({
            kind: 'blocked_dnc',
            actorType: 'user',
            actorId: ws.users.operator.id,
            data: { to: 'failed', reason: 'do_not_call', phone: PHONE },
          });
        }
        expect(events.map((e) => e.data.from).sort()).toEqual(['queued', 'scheduled', 'snoozed']);
        expect(await rows(kept)).toEqual(before);
        // The contact and its follow-ups' pages say so, with the entry to remove.
        const contact = (await viewer.get(`/api/contacts/${paula}`)).json();
        expect(contact).toMatchObject({ doNotCall: true, dncEntryId: entryId });
        const detail = (await viewer.get(`/api/follow-ups/${blocked[0]}`)).json();
        expect(detail.contact).toEqual({ id: paula, name: 'Paula Phone', doNotCall: true });
      });

      it('refuses a phone already listed with 409, and bad phones with 400', async () => {
        const dup = await operator.post('/api/dnc', { phone: '+1 212 555 0142' });
        expect(dup.statusCode).toBe(409);
        expect(dup.json().detail).toBe(`${PHONE} is already on the Do Not Call list.`);
        for (const body of [{ phone: 'not a phone' }, { phone: '' }, {}, { phone: PHONE, x: 1 }]) {
          const res = await operator.post('/api/dnc', body);
          expect(res.statusCode, JSON.stringify(body)).toBe(400);
          expect(res.json().errors.map((e: { path: string }) => e.path)).toContain(
            'x' in body ? 'x' : 'phone',
          );
        }
      });

      it('makes the contact unschedulable for calls', async () => {
        const res = await operator.post('/api/follow-ups', {
          contactId: paula,
          scheduledAt: later(HOUR).toISOString(),
        });
        expect(res.statusCode).toBe(422);
      });

      it('answers 404 for another workspace’s entry and keeps it', async () => {
        const theirs = await withKey(app, other.keys.operator).post('/api/dnc', {
          phone: '+12125550177',
        });
        expect(theirs.statusCode).toBe(201);
        const res = await operator.delete(`/api/dnc/${theirs.json().id}`);
        expect(res.statusCode).toBe(404);
        const [still] = await db()
          .select()
          .from(s.dncEntries)
          .where(eq(s.dncEntries.id, theirs.json().id));
        expect(still).toBeDefined();
        expect((await operator.delete(`/api/dnc/${newId()}`)).statusCode).toBe(404);
      });

      it('removes the phone; its failed follow-ups stay failed until retried', async () => {
        const res = await operator.delete(`/api/dnc/${entryId}`);
        expect(res.statusCode).toBe(204);
        expect(res.body).toBe('');
        const list = (await viewer.get('/api/dnc')).json();
        expect(list.items.map((e: { phone: string }) => e.phone)).not.toContain(PHONE);
        for (const id of blocked) expect(await statusOf(id)).toBe('failed');
        const contact = (await viewer.get(`/api/contacts/${paula}`)).json();
        expect(contact).toMatchObject({ doNotCall: false, dncEntryId: null });
        const retried = await operator.post(`/api/follow-ups/${blocked[0]}/retry`);
        expect(retried.statusCode).toBe(200);
        expect(retried.json()).toMatchObject({ status: 'scheduled', lastError: null });
        expect((await operator.delete(`/api/dnc/${entryId}`)).statusCode).toBe(404);
      });
    });

    describe('GET /api/dnc', () => {
      let list: TestWorkspace;
      let client: Client;
      const added: string[] = [];

      beforeAll(async () => {
        list = await createTestWorkspace(db(), 'List Co');
        await db().delete(s.dncEntries).where(eq(s.dncEntries.workspaceId, list.id));
        await addContact(db(), list, '+12125550105', 'Quinn');
        const op = withKey(app, list.keys.operator);
        for (let i = 0; i < 12; i++) {
          // Two entries per instant: the id breaks the tie.
          if (i % 2 === 0) clock.advance(1000);
          const res = await op.post('/api/dnc', {
            phone: `+1212555${String(100 + i).padStart(4, '0')}`,
          });
          expect(res.statusCode).toBe(201);
          added.push(res.json().id);
        }
        // Times that differ below the millisecond must not make the cursor skip rows.
        await db().execute(
          sql`update dnc_entries set created_at = created_at
            + interval '1 microsecond' * (ascii(right(id::text, 1)) % 3)
            where workspace_id = ${list.id}`,
        );
        client = await signIn(app, list.users.viewer.email);
      });

      it('lists newest first and walks pages without gaps or duplicates', async () => {
        const expected = (
          await db()
            .select({ id: s.dncEntries.id })
            .from(s.dncEntries)
            .where(eq(s.dncEntries.workspaceId, list.id))
            .orderBy(desc(s.dncEntries.createdAt), desc(s.dncEntries.id))
        ).map((e) => e.id);
        expect([...expected].sort()).toEqual([...added].sort());
        const seen: string[] = [];
        let cursor: string | null = null;
        let pages = 0;
        do {
          const res = await client.get(
            `/api/dnc?limit=5${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
          );
          expect(res.statusCode).toBe(200);
          seen.push(...res.json().items.map((e: { id: string }) => e.id));
          cursor = res.json().nextCursor;
          pages++;
        } while (cursor && pages < 10);
        expect(pages).toBe(3);
        expect(seen).toEqual(expected);
      });

      it('searches by phone digits and by the contact’s name', async () => {
        const q = async (text: string) =>
          (await client.get(`/api/dnc?q=${encodeURIComponent(text)}`)).json().items as {
            phone: string;
            contact: { name: string } | null;
          }[];
        expect((await q('555 0105')).map((e) => e.phone)).toEqual(['+12125550105']);
        expect(await q('quinn')).toEqual([
          expect.objectContaining({
            phone: '+12125550105',
            contact: expect.objectContaining({ name: 'Quinn Phone' }),
          }),
        ]);
        expect((await q('0110')).map((e) => e.phone)).toEqual(['+12125550110']);
        expect(await q('nobody')).toEqual([]);
        const withoutContact = (await q('0111'))[0]!;
        expect(withoutContact.contact).toBeNull();
      });

      it('lets viewers read but not change the list; anonymous callers get 401', async () => {
        expect((await client.post('/api/dnc', { phone: '+12125550190' })).statusCode).toBe(403);
        expect((await client.delete(`/api/dnc/${added[0]}`)).statusCode).toBe(403);
        expect((await anonymous(app).get('/api/dnc')).statusCode).toBe(401);
        expect((await anonymous(app).post('/api/dnc', { phone: '+12125550190' })).statusCode).toBe(
          401,
        );
        expect((await client.get('/api/dnc?cursor=abc')).statusCode).toBe(400);
        const all = await client.get('/api/dnc?limit=200');
        expect(all.json().items).toHaveLength(12);
      });
    });
  });
}
