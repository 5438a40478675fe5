/**
 * Uploaded files do not pile up (issue 13 §7): a workspace keeps a limited number and size of
 * uploads never started (409 in plain words beyond), an upload never started is deleted after
 * 24 hours with its file (so are files no import keeps), and a 100 MB file is taken and imported
 * without an answer that shows anything internal.
 */
import { once } from 'node:events';
import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdtempSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../src/server/clock.ts';
import * as s from '../src/server/db/schema.ts';
import { buildApp } from '../src/server/http/app.ts';
import { drainImports } from '../src/server/services/imports/import-jobs.ts';
import { sweepUploads } from '../src/server/services/imports/upload-sweep.ts';
import { type Client, signIn } from './helpers/client.ts';
import { testDatabases, useOwnDatabase } from './helpers/databases.ts';
import { createTestWorkspace, type TestWorkspace } from './helpers/workspace.ts';

const CSV = { 'content-type': 'text/csv' };
const INTERNALS =
  /select |insert |update |params|\$1|violates|postgres|pglite|drizzle|stack|\/tmp\//i;
const HOUR = 60 * 60_000;

function expectPlain(res: LightMyRequestResponse) {
  expect(res.statusCode, res.body).toBeLessThan(500);
  expect(res.body).not.toMatch(INTERNALS);
}

for (const target of testDatabases()) {
  describe(`uploads kept on disk [${target.name}]`, () => {
    const ctx = useOwnDatabase(target);
    const clock = new FakeClock('2026-03-02T14:00:00Z');
    const root = mkdtempSync(path.join(tmpdir(), 'ft-uploads-'));
    const uploadDir = path.join(root, 'uploads');
    let app: FastifyInstance;
    let ws: TestWorkspace;
    let other: TestWorkspace;
    let operator: Client;
    let stranger: Client;

    beforeAll(async () => {
      app = await buildApp({
        handle: ctx.handle,
        logger: false,
        clock,
        imports: { dir: uploadDir, quota: { files: 2, bytes: 200 } },
      });
      ws = await createTestWorkspace(ctx.handle.db, 'Upload Co');
      other = await createTestWorkspace(ctx.handle.db, 'Other Co');
      operator = await signIn(app, ws.users.operator.email);
      stranger = await signIn(app, other.users.operator.email);
    });
    afterAll(async () => {
      await app.close();
      rmSync(root, { recursive: true, force: true });
    });

    const upload = (client: Client, csv: string) =>
      client.request('POST', '/api/imports?kind=contacts&fileName=people.csv', csv, CSV);
    const fileOf = (id: string) => path.join(uploadDir, `${id}.csv`);
    const waiting = () =>
      ctx.handle.db
        .select({ id: s.importJobs.id })
        .from(s.importJobs)
        .where(eq(s.importJobs.status, 'uploaded'));

    it('keeps at most the quota of uploads never started, per workspace: 409 in plain words', async () => {
      const first = await upload(operator, 'Phone\n+12125550101\n');
      const second = await upload(operator, 'Phone\n+12125550102\n');
      expect([first.statusCode, second.statusCode]).toEqual([201, 201]);
      const third = await upload(operator, 'Phone\n+12125550103\n');
      expectPlain(third);
      expect(third.statusCode).toBe(409);
      expect(third.headers['content-type']).toContain('application/problem+json');
      expect(third.json()).toMatchObject({
        type: '/problems/upload-quota',
        title: 'Too many uploads waiting',
        detail: expect.stringContaining('at most 2 uploaded files that were never started'),
      });
      // Another workspace has its own quota.
      expect((await upload(stranger, 'Phone\n+12125550104\n')).statusCode).toBe(201);
      // Deleting one makes room.
      expect((await operator.delete(`/api/imports/${first.json().id}`)).statusCode).toBe(204);
      const fourth = await upload(operator, 'Phone\n+12125550105\n');
      expect(fourth.statusCode).toBe(201);
      // A started import no longer counts.
      const start = await operator.post(`/api/imports/${fourth.json().id}/start`, {
        mapping: { Phone: 'phone' },
      });
      expect(start.statusCode).toBe(202);
      await drainImports();
      // The bytes count too: a file larger than the room left is refused as the quota, not as too large.
      const big = await upload(operator, `Phone\n${'+12125550106\n'.repeat(20)}`);
      expectPlain(big);
      expect(big.statusCode).toBe(409);
      expect(big.json().type).toBe('/problems/upload-quota');
      const jobs = await ctx.handle.db
        .select({ id: s.importJobs.id })
        .from(s.importJobs)
        .where(eq(s.importJobs.workspaceId, ws.id));
      expect(jobs).toHaveLength(2); // the second upload and the started one
      expect((await operator.delete(`/api/imports/${second.json().id}`)).statusCode).toBe(204);
    });

    it('deletes uploads never started after 24 hours, with their files, and stray old files', async () => {
      const kept = await upload(operator, 'Phone\n+12125550111\n');
      expect(kept.statusCode).toBe(201);
      const id = kept.json().id as string;
      expect(existsSync(fileOf(id))).toBe(true);
      // A file no import keeps (a crash between writing it and recording it), old and new.
      const stray = path.join(uploadDir, 'stray.csv');
      const fresh = path.join(uploadDir, 'fresh.csv');
      writeFileSync(stray, 'Phone\n', { mode: 0o600 });
      writeFileSync(fresh, 'Phone\n', { mode: 0o600 });
      clock.advance(23 * HOUR);
      const old = new Date(clock.now().getTime() - 25 * HOUR);
      utimesSync(stray, old, old);
      utimesSync(fresh, clock.now(), clock.now());
      await sweepUploads({ db: ctx.handle.db, clock }, uploadDir);
      expect((await operator.get(`/api/imports/${id}`)).statusCode).toBe(200);
      expect(existsSync(fileOf(id))).toBe(true);
      expect(existsSync(stray)).toBe(false);
      expect(existsSync(fresh)).toBe(true);

      // A second upload made now is younger than 24 hours when the first one goes.
      const younger = (await upload(operator, 'Phone\n+12125550112\n')).json().id as string;
      clock.advance(2 * HOUR);
      await sweepUploads({ db: ctx.handle.db, clock }, uploadDir);
      expect((await operator.get(`/api/imports/${id}`)).statusCode).toBe(404);
      expect(existsSync(fileOf(id))).toBe(false);
      expect((await operator.get(`/api/imports/${younger}`)).statusCode).toBe(200);
      expect(existsSync(fileOf(younger))).toBe(true);
      // Imports that were started are history: they stay.
      const started = await ctx.handle.db
        .select({ id: s.importJobs.id })
        .from(s.importJobs)
        .where(eq(s.importJobs.status, 'completed'));
      expect(started.length).toBeGreaterThan(0);
      expect((await waiting()).map((w) => w.id)).not.toContain(id);
    });
  });

  describe(`a 100 MB import [${target.name}]`, () => {
    const ctx = useOwnDatabase(target);
    const root = mkdtempSync(path.join(tmpdir(), 'ft-big-'));
    const bigFile = path.join(root, 'big.csv');
    const ROWS = 1_000;
    let app: FastifyInstance;
    let operator: Client;
    let ws: TestWorkspace;

    beforeAll(async () => {
      // 1,000 rows of 100 KB each (a long unmapped column): 100 MB, written in pieces.
      const out = createWriteStream(bigFile);
      out.write('Phone,First name,Notes\n');
      const notes = 'n'.repeat(100_000 - 30);
      for (let i = 0; i < ROWS; i++) {
        if (!out.write(`+1212${2_000_000 + i},Row ${i},${notes}\n`)) await once(out, 'drain');
      }
      out.end();
      await once(out, 'finish');
      app = await buildApp({
        handle: ctx.handle,
        logger: false,
        imports: { dir: path.join(root, 'uploads') },
      });
      ws = await createTestWorkspace(ctx.handle.db, 'Big Co');
      operator = await signIn(app, ws.users.operator.email);
    });
    afterAll(async () => {
      await app.close();
      rmSync(root, { recursive: true, force: true });
    });

    it('is streamed to disk, accepted and imported, with nothing internal in any answer', async () => {
      expect(statSync(bigFile).size).toBeGreaterThanOrEqual(99_000_000);
      const up = await operator.request(
        'POST',
        '/api/imports?kind=contacts&fileName=big.csv',
        createReadStream(bigFile),
        CSV,
      );
      expectPlain(up);
      expect(up.statusCode).toBe(201);
      expect(up.json()).toMatchObject({ totalRows: ROWS, fileBytes: statSync(bigFile).size });
      const id = up.json().id as string;
      const start = await operator.post(`/api/imports/${id}/start`, {
        mapping: { Phone: 'phone', 'First name': 'firstName' },
      });
      expectPlain(start);
      expect(start.statusCode).toBe(202);
      await drainImports();
      const done = await operator.get(`/api/imports/${id}`);
      expectPlain(done);
      expect(done.json()).toMatchObject({ status: 'completed', processedRows: ROWS });
      expect(done.json().created + done.json().errorCount).toBe(ROWS);
      expect(existsSync(path.join(root, 'uploads', `${id}.csv`))).toBe(false);
    }, 120_000);
  });
}
