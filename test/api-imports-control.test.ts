/**
 * Imports and text that is not text (issue 13 §4): NUL and other control characters in a
 * CSV's cells are refused row by row with their line, never a 500 nor a job stuck running; a
 * header-only file is a plain 400; nothing of a query or its values reaches an answer; errors
 * logged keep their query but not its parameters.
 */
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as s from '../src/server/db/schema.ts';
import { buildApp } from '../src/server/http/app.ts';
import { errorForLog } from '../src/server/logger.ts';
import { drainImports } from '../src/server/services/imports/import-jobs.ts';
import { type Client, signIn } from './helpers/client.ts';
import { testDatabases, useDatabase } from './helpers/databases.ts';
import { createTestWorkspace, type TestWorkspace } from './helpers/workspace.ts';

const CSV = { 'content-type': 'text/csv' };
const INTERNALS = /select |insert |update |params|\$1|violates|postgres|pglite|drizzle|stack/i;

function expectPlain(res: LightMyRequestResponse) {
  expect(res.statusCode, res.body).toBeLessThan(500);
  expect(res.body).not.toMatch(INTERNALS);
  expect(res.body).not.toContain('\u0000');
}

for (const target of testDatabases()) {
  describe(`imports with control characters [${target.name}]`, () => {
    const ctx = useDatabase(target);
    let app: FastifyInstance;
    let ws: TestWorkspace;
    let operator: Client;
    const uploadDir = path.join(mkdtempSync(path.join(tmpdir(), 'ft-uploads-')), 'uploads');

    beforeAll(async () => {
      app = await buildApp({ handle: ctx.handle, logger: false, imports: { dir: uploadDir } });
      ws = await createTestWorkspace(ctx.handle.db, 'Control Co');
      operator = await signIn(app, ws.users.operator.email);
    });
    afterAll(async () => {
      await app.close();
      rmSync(path.dirname(uploadDir), { recursive: true, force: true });
    });

    const upload = (csv: string) =>
      operator.request('POST', '/api/imports?kind=contacts&fileName=people.csv', csv, CSV);

    it('refuses the rows with NUL or control characters, by line, and imports the rest', async () => {
      const csv = [
        'Phone,First name,Plan',
        '+12125550161,Ada,gold',
        '+12125550162,Al\u0000an,silver',
        '+1212555\u00000163,Grace,',
        '+12125550164,Linus,bro\u001bnze',
        '"+12125550165","Multi\nline",plain',
      ].join('\n');
      const up = await upload(csv);
      expectPlain(up);
      expect(up.statusCode).toBe(201);
      const id = up.json().id as string;
      const review = await operator.get(`/api/imports/${id}`);
      expectPlain(review);
      const start = await operator.post(`/api/imports/${id}/start`, {
        mapping: { Phone: 'phone', 'First name': 'firstName', Plan: 'custom:plan' },
      });
      expectPlain(start);
      expect(start.statusCode).toBe(202);
      await drainImports();
      const done = await operator.get(`/api/imports/${id}`);
      expectPlain(done);
      const job = done.json();
      expect(job.status, JSON.stringify(job)).toBe('completed');
      expect(job).toMatchObject({ processedRows: 5, created: 2, errorCount: 3 });
      const errors = await operator.get(`/api/imports/${id}/errors.csv`);
      expectPlain(errors);
      expect(errors.body).toContain('Line 3: the first name has a control character (U+0000)');
      expect(errors.body).toContain('Line 4: the phone has a control character (U+0000)');
      expect(errors.body).toContain(
        'Line 5: the custom field ""plan"" has a control character (U+001B)',
      );
      const names = await ctx.handle.db
        .select({ firstName: s.contacts.firstName })
        .from(s.contacts)
        .where(eq(s.contacts.workspaceId, ws.id));
      expect(names.map((n) => n.firstName).sort()).toEqual(
        ['Ada', 'Multi\nline', 'Nora', 'Liam', 'Dana', 'Zed'].sort(),
      );
    });

    it('a database error in a running import is shown as a plain sentence, nothing of the query', async () => {
      // The database refuses one row of this workspace, quoting its phone in the message, as
      // PostgreSQL does for constraint errors.
      const secretPhone = '+12125550177';
      await ctx.handle.db.execute(
        sql.raw(`create or replace function ft_test_refuse_row() returns trigger language plpgsql as $$
          begin
            if new.workspace_id = '${ws.id}' and new.phone = '${secretPhone}' then
              raise exception 'refused row (phone %, workspace %)', new.phone, new.workspace_id;
            end if;
            return new;
          end $$`),
      );
      await ctx.handle.db.execute(
        sql.raw(
          'create trigger ft_test_refuse_row before insert on contacts for each row execute function ft_test_refuse_row()',
        ),
      );
      try {
        const up = await upload(`Phone,First name\n+12125550176,Ada\n${secretPhone},Bob\n`);
        expect(up.statusCode, up.body).toBe(201);
        const id = up.json().id as string;
        const start = await operator.post(`/api/imports/${id}/start`, {
          mapping: { Phone: 'phone', 'First name': 'firstName' },
        });
        expect(start.statusCode).toBe(202);
        await drainImports();
        const answers = [
          await operator.get(`/api/imports/${id}`),
          await operator.get('/api/imports'),
          await operator.get(`/api/imports/${id}/errors.csv`),
        ];
        const job = answers[0]!.json();
        expect(job.status, JSON.stringify(job)).toBe('failed');
        expect(job.failure).toMatch(/^The import stopped after .* because of an unexpected error/);
        for (const res of answers) {
          expectPlain(res);
          expect(res.body).not.toContain(secretPhone);
          expect(res.body).not.toContain('refused row');
          expect(res.body).not.toContain(ws.id);
        }
        const [row] = await ctx.handle.db
          .select({ failure: s.importJobs.failure })
          .from(s.importJobs)
          .where(eq(s.importJobs.id, id));
        expect(row!.failure).not.toContain(secretPhone);
      } finally {
        await ctx.handle.db.execute(sql.raw('drop trigger ft_test_refuse_row on contacts'));
        await ctx.handle.db.execute(sql.raw('drop function ft_test_refuse_row()'));
      }
    });

    it('a NUL in the header row or the sample is a plain answer, not a 500', async () => {
      const res = await upload('Pho\u0000ne,Name\n+12125550171,Ada\n');
      expectPlain(res);
      const sample = await upload('Phone,Name\n+12125550172,A\u0000da\n');
      expectPlain(sample);
    });

    it('keeps an upload readable by the server only: folder 0700, file 0600', async () => {
      const res = await upload('Phone,Name\n+12125550181,Ada\n');
      expect(res.statusCode).toBe(201);
      expect(statSync(uploadDir).mode & 0o777).toBe(0o700);
      const file = path.join(uploadDir, `${res.json().id}.csv`);
      expect(statSync(file).mode & 0o777).toBe(0o600);
    });

    it('deletes an import never started, with its file; a started one stays', async () => {
      const res = await upload('Phone,Name\n+12125550191,Ada\n');
      const id = res.json().id as string;
      const file = path.join(uploadDir, `${id}.csv`);
      expect(existsSync(file)).toBe(true);
      const viewer = await signIn(app, ws.users.viewer.email);
      expect((await viewer.delete(`/api/imports/${id}`)).statusCode).toBe(403);
      expect((await operator.delete(`/api/imports/${id}`)).statusCode).toBe(204);
      expect(existsSync(file)).toBe(false);
      expect((await operator.get(`/api/imports/${id}`)).statusCode).toBe(404);
      expect((await operator.delete(`/api/imports/${id}`)).statusCode).toBe(404);

      const started = (await upload('Phone,Name\n+12125550192,Ada\n')).json().id as string;
      await operator.post(`/api/imports/${started}/start`, { mapping: { Phone: 'phone' } });
      await drainImports();
      const refused = await operator.delete(`/api/imports/${started}`);
      expect(refused.statusCode).toBe(409);
      expect((await operator.get(`/api/imports/${started}`)).statusCode).toBe(200);
    });

    it('a header-only file is a 400 that says so', async () => {
      const res = await upload('Phone,First name\n');
      expectPlain(res);
      expect(res.statusCode).toBe(400);
      expect(res.json().detail).toBe('The file has no rows after its header row.');
    });

    it('logs a failed query without its parameter values', async () => {
      const secretPhone = '+12125550999';
      let caught: unknown;
      try {
        await ctx.handle.db.execute(
          sql`select ${secretPhone}::int as n from ${s.contacts} where ${s.contacts.workspaceId} = ${ws.id}`,
        );
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(Error);
      expect(String((caught as Error).message) + String((caught as Error).stack)).toContain(ws.id);
      const logged = JSON.stringify(errorForLog(caught));
      expect(logged).not.toContain(ws.id);
      expect(logged).not.toContain(secretPhone);
      expect(logged).toContain('select');
    });
  });
}
