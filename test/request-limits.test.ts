/**
 * Requests the API refuses before they reach a service: bodies nested too deeply (checked without
 * recursion), cursors carrying impossible instants, and bodies over the 1 MiB limit — answered
 * with their problem every time, on a connection that stays usable, whatever the client's timing;
 * headers over Node's 16 KiB and requests that are not HTTP get a problem too.
 */
import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/server/http/app.ts';
import { encodeCursor } from '../src/server/services/cursor.ts';
import { type Client, signIn } from './helpers/client.ts';
import { testDatabases, useDatabase } from './helpers/databases.ts';
import { createTestWorkspace, type TestWorkspace } from './helpers/workspace.ts';

const nested = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
const nestedArray = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

for (const target of testDatabases()) {
  describe(`request limits [${target.name}]`, () => {
    const ctx = useDatabase(target);
    let app: FastifyInstance;
    let ws: TestWorkspace;
    let admin: Client;

    beforeAll(async () => {
      app = await buildApp({ handle: ctx.handle, logger: false });
      ws = await createTestWorkspace(ctx.handle.db, 'Limits Co');
      admin = await signIn(app, ws.users.admin.email);
    });
    afterAll(() => app.close());

    it('refuses a body nested thousands of levels deep with a 400, before and after sign-in', async () => {
      for (const body of [nested(5_000), nestedArray(50_000), nested(33)]) {
        for (const send of [
          () =>
            app.inject({
              method: 'POST',
              url: '/api/auth/login',
              headers: { 'content-type': 'application/json' },
              payload: body,
            }),
          () =>
            app.inject({
              method: 'POST',
              url: '/api/follow-ups',
              headers: {
                'content-type': 'application/json',
                authorization: `Bearer ${ws.keys.admin}`,
              },
              payload: body,
            }),
        ]) {
          const res = await send();
          expect(res.statusCode).toBe(400);
          expect(res.headers['content-type']).toContain('application/problem+json');
          expect(res.json().detail).toMatch(/Nested too deeply: at most 32 levels/);
        }
      }
      // A query string nested too deeply, too.
      const deepQuery = `/api/follow-ups?${'a'}${'[b]'.repeat(40)}=1`;
      expect((await admin.get(deepQuery)).statusCode).toBeLessThan(500);
    });

    it('refuses cursors with impossible instants on every list', async () => {
      const id = randomUUID();
      const lists = [
        '/api/follow-ups',
        '/api/contacts',
        '/api/campaigns',
        '/api/call-logs',
        '/api/dnc',
      ];
      for (const instant of [
        '2026-02-30T00:00:00.000000Z',
        '2026-13-01T00:00:00.000000Z',
        '2026-04-31T10:00:00.000000Z',
        '2026-03-01T24:00:00.000000Z',
        '2026-03-01T23:60:00.000000Z',
        '0000-00-00T00:00:00.000000Z',
      ]) {
        for (const list of lists) {
          for (const cursor of [encodeCursor([instant, id]), encodeCursor([0, instant, id])]) {
            const res = await admin.get(`${list}?cursor=${cursor}`);
            expect(res.statusCode, `${list} ${instant}`).toBeLessThan(500);
            if (list === '/api/dnc' || cursor === encodeCursor([instant, id])) {
              if (res.statusCode !== 200) expect(res.statusCode).toBe(400);
            }
          }
        }
      }
      const res = await admin.get(
        `/api/contacts?cursor=${encodeCursor(['2026-02-30T00:00:00.000000Z', id])}`,
      );
      expect(res.statusCode).toBe(400);
      expect(res.json().errors).toEqual([{ path: 'query.cursor', message: 'Not a valid cursor.' }]);
      // A real instant still pages.
      const fine = await admin.get(
        `/api/contacts?cursor=${encodeCursor(['2026-02-28T23:59:59.999999Z', id])}`,
      );
      expect(fine.statusCode).toBe(200);
    });

    it('answers headers over 16 KiB and a request that is not HTTP with a problem, not Fastify JSON', async () => {
      const server = await buildApp({ handle: ctx.handle, logger: false });
      await server.listen({ port: 0, host: '127.0.0.1' });
      const { port } = server.server.address() as AddressInfo;
      // Raw bytes on a socket: Node refuses these before any route or hook runs.
      const raw = (text: string) =>
        new Promise<string>((resolve, reject) => {
          const socket = connect(port, '127.0.0.1', () => socket.end(text));
          let answer = '';
          socket.setEncoding('utf8');
          socket.on('data', (chunk: string) => {
            answer += chunk;
          });
          socket.on('close', () => resolve(answer));
          socket.on('error', reject);
        });
      try {
        const big = await raw(
          `GET /api/health HTTP/1.1\r\nHost: localhost\r\nX-Big: ${'y'.repeat(20_000)}\r\n\r\n`,
        );
        expect(big).toMatch(/^HTTP\/1\.1 431 /);
        expect(big).toContain('Content-Type: application/problem+json');
        const problem = JSON.parse(big.slice(big.indexOf('\r\n\r\n') + 4));
        expect(problem).toEqual({
          type: '/problems/http-431',
          title: 'Request Header Fields Too Large',
          status: 431,
          detail: "The request's headers are larger than 16 KiB.",
        });
        const garbage = await raw('NOT HTTP AT ALL\r\n\r\n');
        expect(garbage).toMatch(/^HTTP\/1\.1 400 /);
        expect(JSON.parse(garbage.slice(garbage.indexOf('\r\n\r\n') + 4)).type).toBe(
          '/problems/http-400',
        );
        expect(garbage).not.toContain('statusCode');
      } finally {
        await server.close();
      }
    });

    it('answers a body over 1 MiB with its 413, every time, on a connection that stays usable', async () => {
      const server = await buildApp({ handle: ctx.handle, logger: false });
      await server.listen({ port: 0, host: '127.0.0.1' });
      const { port } = server.server.address() as AddressInfo;
      const big = Buffer.alloc(2 * 1024 * 1024, 'a');
      const send = (body: Buffer, chunked = false, path = '/api/auth/login') =>
        new Promise<{ status: number; body: string; error?: string }>((resolve) => {
          const req = httpRequest(
            {
              host: '127.0.0.1',
              port,
              path,
              method: 'POST',
              headers: {
                'content-type': 'application/json',
                ...(chunked ? {} : { 'content-length': body.length }),
              },
            },
            (res) => {
              const chunks: Buffer[] = [];
              res.on('data', (c: Buffer) => chunks.push(c));
              res.on('end', () =>
                resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
              );
            },
          );
          req.on('error', (error: NodeJS.ErrnoException) =>
            resolve({ status: 0, body: '', error: error.code ?? error.message }),
          );
          if (!chunked) {
            req.end(body);
            return;
          }
          // Without a length: the server finds the body too large only while reading it.
          for (let at = 0; at < body.length; at += 64 * 1024)
            req.write(body.subarray(at, at + 64 * 1024));
          req.end();
        });
      try {
        const outcomes: string[] = [];
        for (let i = 0; i < 20; i++) {
          const res = await send(big, i % 2 === 1);
          outcomes.push(res.error ?? String(res.status));
          if (res.status === 413) {
            expect(JSON.parse(res.body).detail).toBe(
              'The body is larger than the 1 MiB this API accepts.',
            );
          }
        }
        expect(outcomes).toEqual(Array(20).fill('413'));
        // The server still answers normally afterwards.
        const after = await send(Buffer.from('{"email":"a@b.co","password":"x"}'));
        expect(after.status).toBe(401);
      } finally {
        await server.close();
      }
    });
  });
}
