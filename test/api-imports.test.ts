/**
 * CSV imports through the API: upload, review, start, progress and result; bad rows reported
 * with their line; duplicates; a second run of the same file changes nothing; oversized and
 * malformed files are 4xx problems; a Do Not Call import fails open call and SMS follow-ups.
 */
import { Readable } from 'node:stream';
import { asc, eq, inArray } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../src/server/clock.ts';
import * as s from '../src/server/db/schema.ts';
import { buildApp } from '../src/server/http/app.ts';
import { drainImports } from '../src/server/services/imports/import-jobs.ts';
import { type Client, signIn } from './helpers/client.ts';
import { testDatabases, useDatabase } from './helpers/databases.ts';
import { insertContact, insertFollowUp } from './helpers/fixtures.ts';
import { createTestWorkspace, type TestWorkspace } from './helpers/workspace.ts';

const NOW = '2026-03-02T14:00:00.000Z';
const CSV = { 'content-type': 'text/csv' };

// Line 1 is the header. Lines 4, 6, 7, 8 and 9 cannot be imported.
const CONTACTS_CSV = [
  'Phone,First name,Last name,E-mail,Time zone,Plan',
  '(212) 555-0101,Ada,Lovelace,ada@example.com,America/New_York,gold',
  '+1 212 555 0102,Alan,Turing,,europe/london,',
  '555-12,Bad,Phone,,,',
  '212.555.0103,Grace,Hopper,grace@example.com,,silver',
  '(212) 555-0101,Ada,Again,,,',
  '212 555 0104,Bad,Email,not-an-email,,',
  '212 555 0105,Bad,Zone,,Mars/Olympus,',
  ',No,Phone,,,',
].join('\n');

const MAPPING = {
  Phone: 'phone',
  'First name': 'firstName',
  'Last name': 'lastName',
  'E-mail': 'email',
  'Time zone': 'timezone',
  Plan: 'custom:plan',
};

for (const target of testDatabases()) {
  describe(`CSV imports [${target.name}]`, () => {
    const ctx = useDatabase(target);
    const clock = new FakeClock(NOW);
    let app: FastifyInstance;
    let ws: TestWorkspace;
    let other: TestWorkspace;
    let operator: Client;
    let viewer: Client;
    let stranger: Client;
    const db = () => ctx.handle.db;

    const upload = (client: Client, csv: string, kind = 'contacts', fileName = 'people.csv') =>
      client.request(
        'POST',
        `/api/imports?kind=${kind}&fileName=${encodeURIComponent(fileName)}`,
        csv,
        CSV,
      );
    async function importAll(csv: string, mapping: Record<string, string>, kind = 'contacts') {
      const up = await upload(operator, csv, kind);
      expect(up.statusCode).toBe(201);
      const id = up.json().id as string;
      const start = await operator.post(`/api/imports/${id}/start`, { mapping });
      expect(start.statusCode).toBe(202);
      await drainImports();
      const done = await operator.get(`/api/imports/${id}`);
      return { id, job: done.json() };
    }
    const contactsOf = () =>
      db()
        .select()
        .from(s.contacts)
        .where(eq(s.contacts.workspaceId, ws.id))
        .orderBy(asc(s.contacts.phone));

    beforeAll(async () => {
      app = await buildApp({
        handle: ctx.handle,
        logger: false,
        clock,
        imports: { maxBytes: 64 * 1024 },
      });
      ws = await createTestWorkspace(db());
      other = await createTestWorkspace(db(), 'Other Co');
      operator = await signIn(app, ws.users.operator.email);
      viewer = await signIn(app, ws.users.viewer.email);
      stranger = await signIn(app, other.users.operator.email);
    });
    afterAll(() => app.close());

    describe('a contacts file', () => {
      let id: string;

      it('uploads: columns, first rows, suggested mapping', async () => {
        const res = await upload(operator, CONTACTS_CSV);
        expect(res.statusCode).toBe(201);
        const job = res.json();
        id = job.id;
        expect(job).toMatchObject({
          kind: 'contacts',
          status: 'uploaded',
          fileName: 'people.csv',
          totalRows: 8,
          headers: ['Phone', 'First name', 'Last name', 'E-mail', 'Time zone', 'Plan'],
        });
        expect(job.sample[0]).toEqual([
          '(212) 555-0101',
          'Ada',
          'Lovelace',
          'ada@example.com',
          'America/New_York',
          'gold',
        ]);
        expect(job.suggestedMapping).toEqual({
          Phone: 'phone',
          'First name': 'firstName',
          'Last name': 'lastName',
          'E-mail': 'email',
          'Time zone': 'timezone',
        });
      });

      it('refuses a mapping without phone, with unknown fields or columns: 400 with paths', async () => {
        const res = await operator.post(`/api/imports/${id}/review`, {
          mapping: { 'First name': 'firstName', Plan: 'plan', Nope: 'email' },
        });
        expect(res.statusCode).toBe(400);
        expect(res.headers['content-type']).toContain('application/problem+json');
        const paths = res.json().errors.map((e: { path: string }) => e.path);
        expect(paths).toEqual(['mapping.Plan', 'mapping.Nope', 'mapping']);
      });

      it('reviews without writing: new rows, invalid phones, duplicates, first problems', async () => {
        const before = await contactsOf();
        const res = await operator.post(`/api/imports/${id}/review`, { mapping: MAPPING });
        expect(res.statusCode).toBe(200);
        expect(res.json()).toEqual({
          totalRows: 8,
          toImport: { new: 3, update: 0, unchanged: 0 },
          invalidPhones: 2,
          duplicates: 1,
          errorCount: 5,
          problems: [
            { line: 4, reason: 'Line 4: phone "555-12" is not a valid phone number.' },
            {
              line: 6,
              reason: 'Line 6: duplicate of line 2 in this file (+12125550101).',
            },
            { line: 7, reason: 'Line 7: email "not-an-email" is not a valid email address.' },
            {
              line: 8,
              reason:
                'Line 8: time zone "Mars/Olympus" is not an IANA time zone (e.g. America/New_York).',
            },
            { line: 9, reason: 'Line 9: no phone number.' },
          ],
        });
        expect(await contactsOf()).toEqual(before);
      });

      it('a viewer cannot start it; the operator starts it once (a second start is 409)', async () => {
        expect(
          (await viewer.post(`/api/imports/${id}/start`, { mapping: MAPPING })).statusCode,
        ).toBe(403);
        const res = await operator.post(`/api/imports/${id}/start`, { mapping: MAPPING });
        expect(res.statusCode).toBe(202);
        expect(res.json().status).toBe('running');
        // The job as this request started it, whatever the background import has done since.
        expect(res.json()).toMatchObject({ processedRows: 0, finishedAt: null, mapping: MAPPING });
        expect(Date.parse(res.json().startedAt)).not.toBeNaN();
        const again = await operator.post(`/api/imports/${id}/start`, { mapping: MAPPING });
        expect(again.statusCode).toBe(409);
        await drainImports();
      });

      it('ends completed with its counts, row errors and the contacts written', async () => {
        const job = (await viewer.get(`/api/imports/${id}`)).json();
        expect(job).toMatchObject({
          status: 'completed',
          processedRows: 8,
          created: 3,
          updated: 0,
          skipped: 0,
          errorCount: 5,
          failure: null,
        });
        expect(job.firstErrors.map((e: { line: number }) => e.line)).toEqual([4, 6, 7, 8, 9]);
        const ada = (await contactsOf()).find((c) => c.phone === '+12125550101');
        expect(ada).toMatchObject({
          firstName: 'Ada',
          lastName: 'Lovelace',
          email: 'ada@example.com',
          timezone: 'America/New_York',
          customFields: { plan: 'gold' },
        });
        const alan = (await contactsOf()).find((c) => c.phone === '+12125550102');
        expect(alan?.timezone).toBe('Europe/London');

        const list = (await viewer.get('/api/imports?kind=contacts')).json();
        expect(list.items[0].id).toBe(id);
      });

      it('serves the error report as CSV', async () => {
        const res = await viewer.get(`/api/imports/${id}/errors.csv`);
        expect(res.statusCode).toBe(200);
        expect(res.headers['content-type']).toContain('text/csv');
        expect(res.headers['content-disposition']).toContain('people-errors.csv');
        const lines = res.body.trim().split('\n');
        expect(lines[0]).toBe('line,reason');
        expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(['4', '6', '7', '8', '9']);
        expect(lines[1]).toBe('4,"Line 4: phone ""555-12"" is not a valid phone number."');
      });

      it('a second run of the same file changes nothing: all skipped', async () => {
        const before = await contactsOf();
        const { job } = await importAll(CONTACTS_CSV, MAPPING);
        expect(job).toMatchObject({
          status: 'completed',
          created: 0,
          updated: 0,
          skipped: 3,
          errorCount: 5,
        });
        expect(await contactsOf()).toEqual(before);
      });

      it('updates changed rows only, keeping what blank cells leave out', async () => {
        const { job } = await importAll(
          'Phone,First name,Plan,Tier\n(212) 555-0101,Ada,platinum,1\n(212) 555-0102,,,\n',
          { Phone: 'phone', 'First name': 'firstName', Plan: 'custom:plan', Tier: 'custom:tier' },
        );
        expect(job).toMatchObject({ created: 0, updated: 1, skipped: 1, errorCount: 0 });
        const ada = (await contactsOf()).find((c) => c.phone === '+12125550101');
        expect(ada).toMatchObject({
          lastName: 'Lovelace',
          email: 'ada@example.com',
          customFields: { plan: 'platinum', tier: '1' },
        });
      });
    });

    describe('bad uploads', () => {
      it('a file over the size limit is 413 and leaves no job', async () => {
        const big = `Phone\n${'+12125550100\n'.repeat(6000)}`;
        const before = await db()
          .select()
          .from(s.importJobs)
          .where(eq(s.importJobs.workspaceId, ws.id));
        const res = await upload(operator, big);
        expect(res.statusCode).toBe(413);
        expect(res.headers['content-type']).toContain('application/problem+json');
        expect(res.json().detail).toContain('larger than');
        const after = await db()
          .select()
          .from(s.importJobs)
          .where(eq(s.importJobs.workspaceId, ws.id));
        expect(after.length).toBe(before.length);
      });

      it('a streamed body without a length is cut off at the limit: 413', async () => {
        const chunks = Array.from({ length: 80 }, (_, i) =>
          i === 0 ? 'Phone\n' : `${'+12125550100\n'.repeat(80)}`,
        );
        const res = await operator.request(
          'POST',
          '/api/imports?kind=contacts&fileName=big.csv',
          Readable.from(chunks),
          CSV,
        );
        expect(res.statusCode).toBe(413);
        expect(res.headers['content-type']).toContain('application/problem+json');
      });

      it('malformed, empty, header-only or non-CSV bodies are 4xx problems', async () => {
        const unclosed = await upload(operator, 'Phone,Name\n"+12125550100,Ada\n+12125550101,Bo\n');
        expect(unclosed.statusCode).toBe(400);
        expect(unclosed.json().detail).toContain('not a readable CSV file');
        const empty = await upload(operator, '');
        expect(empty.statusCode).toBe(400);
        const headerOnly = await upload(operator, 'Phone,Name\n');
        expect(headerOnly.statusCode).toBe(400);
        expect(headerOnly.json().detail).toBe('The file has no rows after its header row.');
        const json = await operator.post('/api/imports?kind=contacts&fileName=x.csv', {
          phone: '1',
        });
        expect(json.statusCode).toBe(415);
        const kind = await upload(operator, 'Phone\n+12125550100\n', 'people');
        expect(kind.statusCode).toBe(400);
        expect(kind.json().errors[0].path).toBe('query.kind');
      });
    });

    describe('a Do Not Call file', () => {
      it('lists new phones and fails their open call and SMS follow-ups at once', async () => {
        const paula = await insertContact(db(), ws, '+12125550177');
        const now = new Date(NOW);
        const call = await insertFollowUp(db(), ws, { contactId: paula }, now);
        const sms = await insertFollowUp(
          db(),
          ws,
          { contactId: paula, type: 'sms', status: 'snoozed' },
          now,
        );
        const hook = await insertFollowUp(db(), ws, { contactId: paula, type: 'webhook' }, now);
        const { id, job } = await importAll(
          'Number,Why\n(212) 555-0177,Asked on the phone\n212 555 0178,\n(212) 555-0177,again\n',
          { Number: 'phone', Why: 'reason' },
          'dnc',
        );
        expect(job).toMatchObject({
          kind: 'dnc',
          status: 'completed',
          created: 2,
          skipped: 0,
          errorCount: 1,
        });
        expect(job.firstErrors[0].reason).toBe(
          'Line 4: duplicate of line 2 in this file (+12125550177).',
        );
        const entry = await db()
          .select()
          .from(s.dncEntries)
          .where(eq(s.dncEntries.phone, '+12125550177'));
        expect(entry.find((e) => e.workspaceId === ws.id)?.reason).toBe('Asked on the phone');

        const rows = await db()
          .select()
          .from(s.followUps)
          .where(inArray(s.followUps.id, [call, sms, hook]));
        const byId = new Map(rows.map((r) => [r.id, r]));
        expect(byId.get(call)).toMatchObject({
          status: 'failed',
          lastError: 'The contact is on the Do Not Call list.',
        });
        expect(byId.get(sms)?.status).toBe('failed');
        expect(byId.get(hook)?.status).toBe('scheduled');
        const events = await db()
          .select()
          .from(s.followUpEvents)
          .where(inArray(s.followUpEvents.followUpId, [call, sms]));
        const blocked = events.filter((e) => e.kind === 'blocked_dnc');
        expect(blocked).toHaveLength(2);
        expect(blocked[0]?.data).toMatchObject({
          reason: 'do_not_call',
          importJobId: id,
          to: 'failed',
        });

        const again = await importAll(
          'Number,Why\n(212) 555-0177,Asked on the phone\n212 555 0178,\n',
          { Number: 'phone', Why: 'reason' },
          'dnc',
        );
        expect(again.job).toMatchObject({ created: 0, skipped: 2, errorCount: 0 });
      });
    });

    it('another workspace sees none of it: 404', async () => {
      const up = await upload(operator, 'Phone\n+12125550190\n');
      const id = up.json().id;
      expect((await stranger.get(`/api/imports/${id}`)).statusCode).toBe(404);
      expect((await stranger.get(`/api/imports/${id}/errors.csv`)).statusCode).toBe(404);
      const review = await stranger.post(`/api/imports/${id}/review`, {
        mapping: { Phone: 'phone' },
      });
      expect(review.statusCode).toBe(404);
      const start = await stranger.post(`/api/imports/${id}/start`, {
        mapping: { Phone: 'phone' },
      });
      expect(start.statusCode).toBe(404);
      expect((await stranger.get('/api/imports')).json().items).toEqual([]);
      expect((await operator.get(`/api/imports/${id}`)).json().status).toBe('uploaded');
    });

    it('a running import whose heartbeat stopped shows as failed, with what to do', async () => {
      const up = await upload(operator, 'Phone\n+12125550191\n');
      const id = up.json().id;
      const old = new Date(Date.parse(NOW) - 10 * 60_000);
      await db()
        .update(s.importJobs)
        .set({ status: 'running', startedAt: old, heartbeatAt: old })
        .where(eq(s.importJobs.id, id));
      const job = (await operator.get(`/api/imports/${id}`)).json();
      expect(job.status).toBe('failed');
      expect(job.failure).toBe(
        'The import stopped: the server restarted. Run it again — rows already imported are not duplicated.',
      );
    });
  });
}
