import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as s from '../src/server/db/schema.ts';
import { buildApp } from '../src/server/http/app.ts';
import { newId } from '../src/server/ids.ts';
import { anonymous, type Client, signIn, withKey } from './helpers/client.ts';
import { testDatabases, useDatabase } from './helpers/databases.ts';
import { createTestWorkspace, type TestWorkspace } from './helpers/workspace.ts';

// Distinct valid numbers per run: +1 212 736 xxxx (New York) and +44 20 7946 0xxx (London).
let counter = Math.floor(Math.random() * 9000);
const nyPhone = () => `+1 212 736 ${String(1000 + (counter++ % 9000)).padStart(4, '0')}`;
const e164 = (phone: string) => phone.replace(/[^\d+]/g, '');

for (const target of testDatabases()) {
  describe(`contacts API [${target.name}]`, () => {
    const ctx = useDatabase(target);
    let app: FastifyInstance;
    let ws: TestWorkspace;
    let other: TestWorkspace;
    let admin: Client;
    let operator: Client;
    let viewer: Client;

    beforeAll(async () => {
      app = await buildApp({ handle: ctx.handle, logger: false });
      ws = await createTestWorkspace(ctx.handle.db);
      other = await createTestWorkspace(ctx.handle.db, 'Other Co');
      admin = await signIn(app, ws.users.admin.email);
      operator = await signIn(app, ws.users.operator.email);
      viewer = await signIn(app, ws.users.viewer.email);
    });
    afterAll(() => app.close());

    const expectProblem = (res: LightMyRequestResponse, status: number, path?: string) => {
      expect(res.statusCode).toBe(status);
      expect(res.headers['content-type']).toContain('application/problem+json');
      if (path) expect(res.json().errors.map((e: { path: string }) => e.path)).toContain(path);
    };

    it('creates a contact with the phone in E.164 and the time zone spelled canonically', async () => {
      const phone = nyPhone();
      const res = await operator.post('/api/contacts', {
        firstName: ' Ada ',
        lastName: 'Lovelace',
        phone,
        email: 'ada@example.com',
        company: 'Engines Ltd',
        timezone: 'europe/london',
        customFields: { plan: 'gold', seats: 12, vip: true, note: null },
      });
      expect(res.statusCode).toBe(201);
      const body = res.json();
      expect(body).toMatchObject({
        firstName: 'Ada',
        lastName: 'Lovelace',
        name: 'Ada Lovelace',
        phone: e164(phone),
        email: 'ada@example.com',
        company: 'Engines Ltd',
        timezone: 'Europe/London',
        timezoneResolved: { timezone: 'Europe/London', source: 'contact' },
        customFields: { plan: 'gold', seats: 12, vip: true, note: null },
        doNotCall: false,
        archivedAt: null,
        stats: { lastCallAt: null, talkTimeSeconds: 0, recentCampaign: null },
      });
      expect(new Date(body.createdAt).toISOString()).toBe(body.createdAt);
      const again = await viewer.get(`/api/contacts/${body.id}`);
      expect(again.statusCode).toBe(200);
      expect(again.json()).toEqual(body);
    });

    it('reads national numbers in the workspace country and infers the zone from the phone', async () => {
      const digits = e164(nyPhone()).slice(2); // 2127360xxx
      const national = `(${digits.slice(0, 3)}) ${digits.slice(3, 6)}-${digits.slice(6)}`;
      const res = await withKey(app, ws.keys.operator).post('/api/contacts', { phone: national });
      expect(res.statusCode).toBe(201);
      expect(res.json()).toMatchObject({
        phone: `+1${digits}`,
        name: `+1${digits}`,
        firstName: null,
        timezone: null,
        timezoneResolved: { timezone: 'America/New_York', source: 'phone' },
      });
    });

    it('shows the tiles of the contact page and the Do Not Call flag', async () => {
      const ny = (await viewer.get(`/api/contacts/${ws.contacts.ny}`)).json();
      expect(ny).toMatchObject({ name: 'Nora York', doNotCall: false, dncEntryId: null });
      expect(ny.stats.talkTimeSeconds).toBe(100);
      expect(ny.stats.recentCampaign).toEqual({ id: ws.campaign, name: 'Renewals' });
      expect(Date.parse(ny.stats.lastCallAt)).toBeLessThan(Date.now());
      const dnc = (await viewer.get(`/api/contacts/${ws.contacts.dnc}`)).json();
      expect(dnc.doNotCall).toBe(true);
      // The entry's id, so that "Remove from DNC" can DELETE /api/dnc/:id without a lookup.
      expect(dnc.dncEntryId).toBe(ws.dncEntry);
      const noZone = (await viewer.get(`/api/contacts/${ws.contacts.noZone}`)).json();
      expect(noZone.timezoneResolved).toEqual({ timezone: 'America/New_York', source: 'phone' });
    });

    it('says which field is wrong and why', async () => {
      expectProblem(await operator.post('/api/contacts', { phone: '12345' }), 400, 'phone');
      const noPhone = await operator.post('/api/contacts', { firstName: 'X' });
      expectProblem(noPhone, 400, 'phone');
      const bad = await operator.post('/api/contacts', {
        phone: nyPhone(),
        timezone: 'Mars/Olympus',
        email: 'not-an-email',
        colour: 'blue',
      });
      expectProblem(bad, 400);
      expect(bad.json().errors).toEqual(
        expect.arrayContaining([
          { path: 'timezone', message: expect.stringContaining('IANA time zone') },
          { path: 'email', message: 'Not a valid email address.' },
          { path: 'colour', message: 'Unknown field: remove it.' },
        ]),
      );
      const many = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`f${i}`, i]));
      const tooMany = await operator.post('/api/contacts', {
        phone: nyPhone(),
        customFields: many,
      });
      expectProblem(tooMany, 400, 'customFields');
      const nested = await operator.post('/api/contacts', {
        phone: nyPhone(),
        customFields: { a: { b: 1 } },
      });
      expectProblem(nested, 400, 'customFields.a');
      const phoneRes = await operator.post('/api/contacts', { phone: 'call me maybe' });
      expect(phoneRes.json().errors[0].message).toMatch(/^Not a valid phone number/);
    });

    it('refuses a phone that another contact of the workspace has, in any format', async () => {
      const phone = nyPhone();
      const first = (await operator.post('/api/contacts', { phone })).json();
      const res = await operator.post('/api/contacts', { phone: e164(phone).replace('+1', '') });
      expectProblem(res, 409, 'phone');
      expect(res.json().errors[0].message).toContain(first.id);
      const second = (await operator.post('/api/contacts', { phone: nyPhone() })).json();
      const patch = await operator.patch(`/api/contacts/${second.id}`, { phone });
      expectProblem(patch, 409, 'phone');
      expect((await viewer.get(`/api/contacts/${second.id}`)).json().phone).toBe(second.phone);
      // Another workspace may have the same number.
      const elsewhere = await withKey(app, other.keys.admin).post('/api/contacts', { phone });
      expect(elsewhere.statusCode).toBe(201);
    });

    it('changes only the given fields, archives and restores', async () => {
      const created = (
        await operator.post('/api/contacts', {
          firstName: 'Grace',
          lastName: 'Hopper',
          phone: nyPhone(),
          company: 'Navy',
          customFields: { rank: 'admiral' },
        })
      ).json();
      const res = await operator.patch(`/api/contacts/${created.id}`, {
        company: null,
        timezone: 'America/Chicago',
        customFields: { rank: 'rear admiral' },
      });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({
        firstName: 'Grace',
        lastName: 'Hopper',
        phone: created.phone,
        company: null,
        timezone: 'America/Chicago',
        timezoneResolved: { timezone: 'America/Chicago', source: 'contact' },
        customFields: { rank: 'rear admiral' },
      });

      const archived = (
        await operator.patch(`/api/contacts/${created.id}`, { archived: true })
      ).json();
      expect(archived.archivedAt).not.toBeNull();
      const listed = (await viewer.get('/api/contacts?q=hopper')).json();
      expect(listed.items).toEqual([]);
      const withArchived = (await viewer.get('/api/contacts?q=hopper&archived=true')).json();
      expect(withArchived.items.map((c: { id: string }) => c.id)).toEqual([created.id]);
      const again = (
        await operator.patch(`/api/contacts/${created.id}`, { archived: true })
      ).json();
      expect(again.archivedAt).toBe(archived.archivedAt);
      await operator.patch(`/api/contacts/${created.id}`, { archived: false });
      expect((await viewer.get('/api/contacts?q=hopper')).json().items).toHaveLength(1);
    });

    it('lets viewers read but not write, and nobody in without signing in', async () => {
      expect((await viewer.get('/api/contacts')).statusCode).toBe(200);
      expectProblem(await viewer.post('/api/contacts', { phone: nyPhone() }), 403);
      expectProblem(await viewer.patch(`/api/contacts/${ws.contacts.ny}`, { company: 'X' }), 403);
      const viewerKey = withKey(app, ws.keys.viewer);
      expectProblem(await viewerKey.post('/api/contacts', { phone: nyPhone() }), 403);
      expect((await admin.post('/api/contacts', { phone: nyPhone() })).statusCode).toBe(201);
      for (const url of ['/api/contacts', `/api/contacts/${ws.contacts.ny}`]) {
        expectProblem(await anonymous(app).get(url), 401);
      }
      expectProblem(await anonymous(app).post('/api/contacts', { phone: nyPhone() }), 401);
      expectProblem(await anonymous(app).patch(`/api/contacts/${ws.contacts.ny}`, {}), 401);
    });

    it("answers 404 for another workspace's contact and changes nothing", async () => {
      const id = other.contacts.ny;
      for (const url of [`/api/contacts/${id}`, `/api/contacts/${id}/call-logs`]) {
        const res = await admin.get(url);
        expectProblem(res, 404);
        expect(res.json().detail).toBe('No contact with this id in your workspace.');
      }
      expectProblem(await admin.patch(`/api/contacts/${id}`, { firstName: 'Hacked' }), 404);
      expectProblem(await admin.get(`/api/contacts/${newId()}`), 404);
      const theirs = await withKey(app, other.keys.viewer).get(`/api/contacts/${id}`);
      expect(theirs.json().firstName).toBe('Nora');
      const mine = (await admin.get('/api/contacts?limit=200')).json();
      expect(mine.items.some((c: { id: string }) => c.id === id)).toBe(false);
    });

    it('rejects malformed ids, limits and cursors', async () => {
      expectProblem(await viewer.get('/api/contacts/not-a-uuid'), 400, 'params.id');
      expectProblem(await operator.patch('/api/contacts/123', {}), 400, 'params.id');
      expectProblem(await viewer.get('/api/contacts?limit=0'), 400, 'query.limit');
      expectProblem(await viewer.get('/api/contacts?limit=201'), 400, 'query.limit');
      expectProblem(await viewer.get('/api/contacts?cursor=bogus'), 400, 'query.cursor');
      const forged = Buffer.from(JSON.stringify(['yesterday', newId()])).toString('base64url');
      expectProblem(await viewer.get(`/api/contacts?cursor=${forged}`), 400, 'query.cursor');
      expectProblem(await viewer.get('/api/contacts?sort=name'), 400, 'query.sort');
      expectProblem(await viewer.get('/api/contacts?archived=maybe'), 400, 'query.archived');
    });

    it('finds contacts by name, email and phone digits', async () => {
      const ids = (res: LightMyRequestResponse) =>
        res.json().items.map((c: { id: string }) => c.id);
      expect(ids(await viewer.get('/api/contacts?q=NORA'))).toEqual([ws.contacts.ny]);
      expect(ids(await viewer.get('/api/contacts?q=nora%20york'))).toEqual([ws.contacts.ny]);
      expect(ids(await viewer.get('/api/contacts?q=nora%40example'))).toEqual([ws.contacts.ny]);
      expect(ids(await viewer.get('/api/contacts?q=555%200123'))).toEqual([ws.contacts.noZone]);
      expect(ids(await viewer.get('/api/contacts?q=(212)%20555-0123'))).toEqual([
        ws.contacts.noZone,
      ]);
      expect(ids(await viewer.get('/api/contacts?q=%25'))).toEqual([]);
      expect(ids(await viewer.get('/api/contacts?q=nobody-by-this-name'))).toEqual([]);
    });

    it('walks every page without duplicates or gaps, even when rows share a time', async () => {
      const tag = `Walker${Math.floor(Math.random() * 1e6)}`;
      // One statement: the rows share created_at (to the microsecond, from now()).
      await ctx.handle.db.insert(s.contacts).values(
        Array.from({ length: 25 }, (_, i) => ({
          id: newId(),
          workspaceId: ws.id,
          firstName: `P${i}`,
          lastName: tag,
          phone: e164(nyPhone()),
        })),
      );
      const seen: string[] = [];
      const sizes: number[] = [];
      let cursor: string | null = null;
      do {
        const url: string = `/api/contacts?q=${tag}&limit=10${cursor ? `&cursor=${cursor}` : ''}`;
        const res = await viewer.get(url);
        expect(res.statusCode).toBe(200);
        const body = res.json();
        sizes.push(body.items.length);
        seen.push(...body.items.map((c: { id: string }) => c.id));
        cursor = body.nextCursor;
      } while (cursor);
      expect(sizes).toEqual([10, 10, 5]);
      expect(new Set(seen).size).toBe(25);
      expect(seen).toEqual([...seen].sort().reverse());
    });

    it("lists a contact's calls newest first, page by page", async () => {
      const contact = (await operator.post('/api/contacts', { phone: nyPhone() })).json();
      const base = Date.now() - 86_400_000;
      await ctx.handle.db.insert(s.callLogs).values(
        [0, 1, 2].map((i) => ({
          id: newId(),
          workspaceId: ws.id,
          contactId: contact.id,
          agentId: ws.agents.active,
          direction: 'outbound',
          outcome: i === 2 ? 'answered' : 'no_answer',
          startedAt: new Date(base + i * 60_000),
          durationSeconds: i * 30,
        })),
      );
      const first = (await viewer.get(`/api/contacts/${contact.id}/call-logs?limit=2`)).json();
      expect(first.items.map((c: { outcome: string }) => c.outcome)).toEqual([
        'answered',
        'no_answer',
      ]);
      expect(first.items[0]).toMatchObject({
        contact: { id: contact.id, name: contact.phone },
        agent: { id: ws.agents.active, name: 'Ben' },
        campaign: null,
        durationSeconds: 60,
      });
      const rest = await viewer.get(
        `/api/contacts/${contact.id}/call-logs?limit=2&cursor=${first.nextCursor}`,
      );
      expect(rest.json().items).toHaveLength(1);
      expect(rest.json().nextCursor).toBeNull();
      const detail = (await viewer.get(`/api/contacts/${contact.id}`)).json();
      expect(detail.stats).toMatchObject({ talkTimeSeconds: 90, recentCampaign: null });
      expect(detail.stats.lastCallAt).toBe(new Date(base + 120_000).toISOString());
    });
  });
}
