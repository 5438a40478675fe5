/**
 * CSV exports of the follow-ups and call logs lists: the same rows as the list API in the same
 * order for every filter, readable cells, quoting, the formula guard, a large export arriving
 * whole, bad filters refused before any byte, and viewers allowed.
 */
import { parse } from 'csv-parse/sync';
import { sql } from 'drizzle-orm';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as s from '../src/server/db/schema.ts';
import { buildApp } from '../src/server/http/app.ts';
import { newId } from '../src/server/ids.ts';
import { type Client, signIn, withKey } from './helpers/client.ts';
import { testDatabases, useDatabase } from './helpers/databases.ts';
import { insertFollowUp } from './helpers/fixtures.ts';
import { createTestWorkspace, type TestWorkspace } from './helpers/workspace.ts';

const HOUR = 3_600_000;

function rowsOf(res: LightMyRequestResponse): Record<string, string>[] {
  expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
  return parse(res.body, { bom: true, columns: true });
}

function expectProblem(res: LightMyRequestResponse, status: number, path?: string) {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toContain('application/problem+json');
  if (path) expect(res.json().errors.map((e: { path: string }) => e.path)).toContain(path);
}

for (const target of testDatabases()) {
  describe(`CSV exports [${target.name}]`, () => {
    const ctx = useDatabase(target);
    let app: FastifyInstance;
    let ws: TestWorkspace;
    let admin: Client;
    let tricky: string;

    /** Every id the list API gives for a query, page by page. */
    async function listIds(client: Client, path: string, query: string): Promise<string[]> {
      const ids: string[] = [];
      let cursor: string | null = null;
      do {
        const url = `${path}?${query}&limit=7${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
        const res = await client.get(url);
        expect(res.statusCode, res.body).toBe(200);
        const page = res.json();
        ids.push(...page.items.map((i: { id: string }) => i.id));
        cursor = page.nextCursor;
      } while (cursor);
      return ids;
    }

    beforeAll(async () => {
      app = await buildApp({ handle: ctx.handle, logger: false });
      ws = await createTestWorkspace(ctx.handle.db, 'Exports Co');
      admin = await signIn(app, ws.users.admin.email);
      const db = ctx.handle.db;
      tricky = newId();
      await db.insert(s.contacts).values({
        id: tricky,
        workspaceId: ws.id,
        firstName: '=HYPERLINK("http://x")',
        lastName: 'Smith, "Jo"',
        phone: '+12125550199',
        region: 'US-FL',
      });
      const now = Date.now();
      const statuses = ['scheduled', 'queued', 'snoozed', 'completed', 'failed', 'expired'];
      const types = ['call', 'sms', 'webhook'] as const;
      const priorities = ['low', 'normal', 'high', 'urgent'] as const;
      const sources = ['manual', 'api', 'campaign'] as const;
      const contacts = [ws.contacts.ny, ws.contacts.london, tricky];
      for (let i = 0; i < 36; i++) {
        await insertFollowUp(db, ws, {
          status: statuses[i % statuses.length] as never,
          type: types[i % 3],
          priority: priorities[i % 4],
          source: sources[i % 3],
          agentId: i % 5 === 0 ? ws.agents.active : i % 5 === 1 ? ws.agents.default : null,
          campaignId: i % 4 === 0 ? ws.campaign : null,
          contactId: contacts[i % 3],
          // Some share a time: the order then goes by id.
          scheduledAt: new Date(now + Math.floor(i / 2) * HOUR),
          notes: i === 3 ? 'Line one\nline two, "quoted"' : i === 6 ? '-2+3 and more' : null,
        });
      }
      const outcomes = ['answered', 'no_answer', 'busy', 'voicemail', 'callback_requested'];
      for (let i = 0; i < 30; i++) {
        await db.insert(s.callLogs).values({
          id: newId(),
          workspaceId: ws.id,
          contactId: contacts[i % 3]!,
          agentId: i % 3 === 0 ? ws.agents.active : ws.agents.default,
          campaignId: i % 2 === 0 ? ws.campaign : null,
          direction: i % 7 === 0 ? 'inbound' : 'outbound',
          outcome: outcomes[i % outcomes.length]!,
          startedAt: new Date(now - Math.floor(i / 2) * HOUR),
          endedAt: new Date(now - Math.floor(i / 2) * HOUR + 60_000),
          durationSeconds: 60,
          summary: i === 4 ? '@SUM(A1) asked, "twice"' : `Call ${i}`,
        });
      }
    });
    afterAll(() => app.close());

    it('exports the same follow-ups as the list, in the same order, for every filter', async () => {
      const soon = new Date(Date.now() + 3 * HOUR).toISOString();
      const later = new Date(Date.now() + 12 * HOUR).toISOString();
      const queries = [
        '',
        'status=failed,expired',
        'type=sms',
        `agentId=${ws.agents.active}`,
        `campaignId=${ws.campaign}`,
        'priority=urgent',
        'source=api',
        `scheduledFrom=${encodeURIComponent(soon)}`,
        `scheduledTo=${encodeURIComponent(later)}`,
        `contactId=${ws.contacts.london}`,
        `contactId=${tricky}&type=call&status=scheduled,completed,failed`,
        `scheduledFrom=${encodeURIComponent(soon)}&scheduledTo=${encodeURIComponent(later)}&priority=high`,
      ];
      for (const query of queries) {
        const listed = await listIds(admin, '/api/follow-ups', query);
        const exported = rowsOf(await admin.get(`/api/follow-ups/export.csv?${query}`));
        expect(
          exported.map((r) => r.ID),
          query,
        ).toEqual(listed);
      }
      const all = rowsOf(await admin.get('/api/follow-ups/export.csv'));
      expect(all).toHaveLength(36);
    });

    it('exports the same calls as the list, in the same order, for every filter', async () => {
      const from = new Date(Date.now() - 6 * HOUR).toISOString();
      const to = new Date(Date.now() - HOUR).toISOString();
      const queries = [
        '',
        `contactId=${ws.contacts.ny}`,
        `agentId=${ws.agents.active}`,
        `campaignId=${ws.campaign}`,
        'outcome=busy',
        'direction=inbound',
        `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`,
        `agentId=${ws.agents.default}&outcome=answered`,
      ];
      for (const query of queries) {
        const listed = await listIds(admin, '/api/call-logs', query);
        const exported = rowsOf(await admin.get(`/api/call-logs/export.csv?${query}`));
        expect(
          exported.map((r) => r.ID),
          query,
        ).toEqual(listed);
      }
    });

    it('sends a dated CSV download with readable columns', async () => {
      const res = await admin.get(`/api/follow-ups/export.csv?contactId=${ws.contacts.ny}`);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      const day = new Date().toISOString().slice(0, 10);
      expect(res.headers['content-disposition']).toBe(
        `attachment; filename="follow-ups-${day}.csv"`,
      );
      const [first] = rowsOf(res);
      const listed = (await admin.get(`/api/follow-ups?contactId=${ws.contacts.ny}`)).json();
      const f = listed.items[0];
      expect(first).toMatchObject({
        ID: f.id,
        Status: { scheduled: 'Scheduled', queued: 'Queued', snoozed: 'Snoozed' }[
          f.status as string
        ],
        Contact: 'Nora York',
        'Contact ID': ws.contacts.ny,
        'Scheduled at': f.scheduledAt,
        Agent: f.agent?.name ?? 'Inherit from source',
        'Max attempts': '3',
      });
      const calls = await admin.get(`/api/call-logs/export.csv?outcome=callback_requested`);
      expect(calls.headers['content-disposition']).toBe(
        `attachment; filename="call-logs-${day}.csv"`,
      );
      for (const row of rowsOf(calls)) {
        expect(row).toMatchObject({ Outcome: 'Callback requested', 'Duration (seconds)': '60' });
        expect(['Ava', 'Ben']).toContain(row.Agent);
      }
    });

    it('says where each contact may be: its stated region and its area code’s region', async () => {
      // Stated Florida, phone of a New York area code (212): state rules apply for both.
      const stated = rowsOf(await admin.get(`/api/follow-ups/export.csv?contactId=${tricky}`));
      expect(stated.length).toBeGreaterThan(0);
      for (const row of stated) {
        expect(row).toMatchObject({ 'Contact region': 'US-FL', 'Phone region': 'US-NY' });
      }
      // No stated region and a phone outside North America: both cells empty.
      const ny = rowsOf(await admin.get(`/api/follow-ups/export.csv?contactId=${ws.contacts.ny}`));
      expect(ny.length).toBeGreaterThan(0);
      for (const row of ny) expect(row).toMatchObject({ 'Contact region': '', 'Phone region': '' });
      const listed = (await admin.get(`/api/follow-ups?contactId=${tricky}&limit=1`)).json();
      expect(listed.items[0].contactLocal).toMatchObject({ region: 'US-FL', phoneRegion: 'US-NY' });
    });

    it('quotes commas, quotes and line breaks, and defuses formulas', async () => {
      const res = await admin.get(`/api/follow-ups/export.csv?contactId=${tricky}`);
      const rows = rowsOf(res);
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) {
        expect(row.Contact).toBe('\'=HYPERLINK("http://x") Smith, "Jo"');
      }
      expect(res.body).toContain('"\'=HYPERLINK(""http://x"") Smith, ""Jo"""');
      const all = rowsOf(await admin.get('/api/follow-ups/export.csv'));
      const notes = all.map((r) => r.Notes);
      expect(notes).toContain('Line one\nline two, "quoted"');
      expect(notes).toContain("'-2+3 and more");
      const calls = rowsOf(await admin.get('/api/call-logs/export.csv'));
      expect(calls.map((r) => r.Summary)).toContain('\'@SUM(A1) asked, "twice"');
      // Times and numbers are not touched.
      expect(calls.every((r) => /^\d{4}-\d\d-\d\dT/.test(r['Started at']!))).toBe(true);
    });

    it('refuses bad filters with a problem before sending any CSV', async () => {
      expectProblem(await admin.get('/api/follow-ups/export.csv?status=lost'), 400, 'query.status');
      expectProblem(await admin.get('/api/follow-ups/export.csv?limit=5'), 400);
      expectProblem(await admin.get('/api/follow-ups/export.csv?cursor=abc'), 400);
      expectProblem(
        await admin.get('/api/follow-ups/export.csv?agentId=nope'),
        400,
        'query.agentId',
      );
      expectProblem(
        await admin.get(
          '/api/follow-ups/export.csv?scheduledFrom=2026-03-02T10:00:00Z&scheduledTo=2026-03-01T10:00:00Z',
        ),
        400,
        'query.scheduledTo',
      );
      expectProblem(
        await admin.get('/api/call-logs/export.csv?outcome=maybe'),
        400,
        'query.outcome',
      );
      // Checked by the service, still before the first byte.
      expectProblem(
        await admin.get(
          '/api/call-logs/export.csv?from=2026-03-02T10:00:00Z&to=2026-03-01T10:00:00Z',
        ),
        400,
        'query.to',
      );
    });

    it("lets viewers export, and never shows another workspace's rows", async () => {
      const viewer = await signIn(app, ws.users.viewer.email);
      expect(rowsOf(await viewer.get('/api/follow-ups/export.csv'))).toHaveLength(36);
      const key = withKey(app, ws.keys.viewer);
      expect(rowsOf(await key.get('/api/call-logs/export.csv'))).toHaveLength(31);
      const other = await createTestWorkspace(ctx.handle.db, 'Other Exports Co');
      await insertFollowUp(ctx.handle.db, other);
      const foreign = await admin.get(`/api/follow-ups/export.csv?contactId=${other.contacts.ny}`);
      expect(rowsOf(foreign)).toEqual([]);
      expect(foreign.body.split('\n')[0]).toContain('ID,Status,Type');
    });

    it('sends a large export complete, across many pages', async () => {
      const big = await createTestWorkspace(ctx.handle.db, 'Big Exports Co');
      const db = ctx.handle.db;
      const n = 5_300;
      await db.execute(sql`
        insert into follow_ups (id, workspace_id, contact_id, type, scheduled_at, source,
          status, expires_at, notes)
        select gen_random_uuid(), ${big.id}::uuid, ${big.contacts.ny}::uuid, 'call',
          now() + (i % 500) * interval '1 minute', 'api', 'scheduled',
          now() + interval '10 days', 'Row ' || i
        from generate_series(1, ${n}) as i`);
      await db.execute(sql`
        insert into call_logs (id, workspace_id, contact_id, agent_id, direction, outcome,
          started_at, ended_at, duration_seconds)
        select gen_random_uuid(), ${big.id}::uuid, ${big.contacts.london}::uuid,
          ${big.agents.active}::uuid, 'outbound', 'answered',
          now() - (i % 300) * interval '1 minute', now(), 30
        from generate_series(1, 2500) as i`);
      const client = await signIn(app, big.users.viewer.email);
      const rows = rowsOf(await client.get('/api/follow-ups/export.csv'));
      expect(rows).toHaveLength(n);
      expect(new Set(rows.map((r) => r.ID)).size).toBe(n);
      const times = rows.map((r) => Date.parse(r['Scheduled at']!));
      expect(times).toEqual([...times].sort((a, b) => a - b));
      const calls = rowsOf(await client.get('/api/call-logs/export.csv'));
      // The test workspace comes with one call of its own.
      expect(calls).toHaveLength(2501);
      expect(new Set(calls.map((r) => r.ID)).size).toBe(2501);
    }, 120_000);
  });
}
