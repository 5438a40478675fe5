/**
 * Random requests to every operation of the OpenAPI document (fast-check): bodies built from the
 * operation's own schema (mostly valid, sometimes broken), random JSON and text, query strings
 * from its parameters plus unknown keys, random headers, ids of this workspace, of another one and
 * of nothing, sent as an admin, an operator, a viewer, a stranger or a bad key.
 *
 * Every answer is below 500, a refusal (4xx) is a problem+json document, and a refusal writes
 * nothing: a checksum of every table (and the list of uploaded files) is the same before and
 * after it. Accepted requests change the state the next ones meet (ids they answer join the pool).
 * Runs on both databases; FT_FUZZ_ROUTE_RUNS sets the requests per operation.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type SQL, sql } from 'drizzle-orm';
import fc from 'fast-check';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/server/http/app.ts';
import type { OutboundClient } from '../src/server/outbound/http-client.ts';
import { drainImports } from '../src/server/services/imports/import-jobs.ts';
import { ORIGIN } from './helpers/client.ts';
import { testDatabases, useOwnDatabase } from './helpers/databases.ts';
import { createTestWorkspace, PASSWORD, type TestWorkspace } from './helpers/workspace.ts';

const RUNS = Number(process.env.FT_FUZZ_ROUTE_RUNS ?? 25);

type Json = Record<string, unknown>;
interface Operation {
  method: string;
  path: string;
  op: Json;
}

/** Columns that a request may touch without writing anything a person asked for. */
const TOUCHED: Record<string, string[]> = {
  sessions: ['last_seen_at', 'expires_at'],
  api_keys: ['last_used_at'],
};

async function rows<T>(db: FastifyDb, query: SQL): Promise<T[]> {
  return ((await db.execute(query)) as unknown as { rows: T[] }).rows;
}

async function tableChecksums(handle: { db: FastifyDb }): Promise<Record<string, string>> {
  const tables = (
    await rows<{ name: string }>(
      handle.db,
      sql`select tablename as name from pg_tables where schemaname = 'public' order by 1`,
    )
  ).map((r) => r.name);
  const parts = tables.map((name) => {
    const minus = (TOUCHED[name] ?? []).map((c) => ` - '${c}'`).join('');
    const row = `(to_jsonb(t)${minus})::text`;
    return `select '${name}' as name, count(*)::int as n, md5(coalesce(string_agg(${row}, '|' order by ${row}), '')) as h from "${name}" t`;
  });
  const result = await rows<{ name: string; n: number; h: string }>(
    handle.db,
    sql.raw(parts.join(' union all ')),
  );
  return Object.fromEntries(result.map((r) => [r.name, `${r.n}:${r.h}`]));
}
type FastifyDb = ReturnType<typeof useOwnDatabase>['handle']['db'];

/** Anything JSON can hold, for fields that expect something precise. */
const junk: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  fc.string({ maxLength: 30 }),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    'null',
    '-1',
    '1e309',
    'NaN',
    '💥',
    '2026-02-30T10:00:00Z',
    '9999-12-31T23:59:59Z',
    "'; drop table users;--",
    'x'.repeat(5000),
  ),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.object({ maxDepth: 1, maxKeys: 3 }),
);

/** The valid arbitrary, or in a broken request sometimes junk. */
const mostly = (valid: fc.Arbitrary<unknown>, clean: boolean, weight = 6) =>
  clean ? valid : fc.oneof({ arbitrary: valid, weight }, { arbitrary: junk, weight: 1 });

const instant = fc.oneof(
  fc
    .integer({ min: -60 * 24 * 30, max: 60 * 24 * 300 })
    .map((m) => new Date(Date.now() + m * 60_000).toISOString()),
  fc.constantFrom('2026-02-30T10:00:00Z', '0000-01-01T00:00:00Z', '2026-03-08T02:30:00'),
);

const HEADER_CHOICES = fc.oneof(
  fc.tuple(
    fc.constant('content-type'),
    fc.constantFrom(
      'application/json',
      'text/plain',
      'text/csv',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/json; charset=utf-16',
      'application/octet-stream',
      'nonsense',
    ),
  ),
  fc.tuple(
    fc.constant('accept'),
    fc.constantFrom('text/event-stream', 'text/csv', '*/*', 'application/xml'),
  ),
  fc.tuple(fc.constant('idempotency-key'), fc.oneof(fc.string({ maxLength: 300 }), fc.uuid())),
  fc.tuple(fc.constant('last-event-id'), fc.oneof(fc.string({ maxLength: 20 }), fc.nat())),
  fc.tuple(fc.constant('x-forwarded-for'), fc.constantFrom('1.2.3.4', 'garbage', '::1, 10.0.0.1')),
  fc.tuple(fc.constant('x-forwarded-proto'), fc.constantFrom('https', 'gopher')),
  fc.tuple(fc.constant('origin'), fc.constantFrom('https://evil.example', 'null', ORIGIN)),
  fc.tuple(fc.constant('sec-fetch-site'), fc.constantFrom('cross-site', 'same-origin', 'none')),
  fc.tuple(fc.constant('if-none-match'), fc.string({ maxLength: 20 })),
  fc.tuple(fc.constant('range'), fc.constantFrom('bytes=0-10', 'bytes=-1', 'lines=1')),
  fc.tuple(fc.constant('accept-encoding'), fc.constantFrom('gzip', 'br', 'identity;q=0')),
  fc.tuple(
    fc.stringMatching(/^x-[a-z]{1,10}$/),
    fc.string({ maxLength: 40 }).map((v) => v.replace(/[^\t\x20-\x7e]/g, '')),
  ),
) as unknown as fc.Arbitrary<[string, string]>;

/** A JSON string nested `depth` levels deep. */
const deep = (depth: number) => `${'['.repeat(depth)}1${']'.repeat(depth)}`;

function fuzzTargets(suffix: string) {
  return fc.constantFrom(
    `fuzz.${suffix}@example.com`,
    `fuzz.${suffix}@example.com`.toUpperCase(),
    'not-an-email',
  );
}

for (const target of testDatabases()) {
  describe(`Every OpenAPI operation, fuzzed [${target.name}]`, () => {
    const ctx = useOwnDatabase(target);
    let app: FastifyInstance;
    let ws: TestWorkspace;
    let other: TestWorkspace;
    let uploadDir: string;
    const sent: string[] = [];

    beforeAll(async () => {
      uploadDir = await mkdtemp(path.join(tmpdir(), 'ft-fuzz-'));
      // Test events and redeliveries: a stand-in that answers 204 and sends nothing anywhere.
      const outbound: OutboundClient = {
        async post(url) {
          sent.push(String(url));
          return { status: 204, headers: {}, text: '' };
        },
        async close() {},
      };
      app = await buildApp({
        handle: ctx.handle,
        logger: false,
        outbound,
        imports: { dir: uploadDir },
        // Sign-in is fuzzed like any route; the limits stay, but the test's own sessions are
        // made with emails the fuzz does not use.
        loginLimits: { perEmail: 10, perIp: 100_000 },
      });
      ws = await createTestWorkspace(ctx.handle.db, 'Fuzz Co');
      other = await createTestWorkspace(ctx.handle.db, 'Elsewhere');
    });
    afterAll(async () => {
      await app?.close();
      await rm(uploadDir, { recursive: true, force: true });
    });

    it('answers what the fuzz once found with problems: an over-long id, a bad quote in a CSV', async () => {
      const headers = { host: 'localhost:80', authorization: `Bearer ${ws.keys.admin}` };
      const long = await app.inject({
        method: 'GET',
        url: `/api/agents/${'x'.repeat(300)}`,
        headers,
      });
      expect(long.statusCode).toBe(414);
      expect(long.headers['content-type']).toContain('application/problem+json');
      expect(long.json().detail).toMatch(/too long/);
      expect(long.body).not.toContain('FST_');

      const badUrl = await app.inject({ method: 'GET', url: '/api/agents/%E0%A4%A', headers });
      expect(badUrl.statusCode).toBe(400);
      expect(badUrl.headers['content-type']).toContain('application/problem+json');

      const before = (await readdir(uploadDir)).length;
      const quote = await app.inject({
        method: 'POST',
        url: '/api/imports?kind=contacts&fileName=a.csv',
        headers: { ...headers, 'content-type': 'text/csv' },
        payload: 'firstName,phone\n x",+12125550000\n',
      });
      expect(quote.statusCode, quote.body).toBe(400);
      expect(quote.json().detail).toMatch(/not a readable CSV file \(near line 2\)/);
      expect((await readdir(uploadDir)).length).toBe(before);
    });

    it('answers below 500, refusals as problems, and a refusal writes nothing', async () => {
      const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as {
        paths: Record<string, Record<string, Json>>;
        components: Json;
      };
      const schemas = ((doc.components ?? {}) as { schemas?: Record<string, Json> }).schemas ?? {};
      const deref = (schema: Json | undefined): Json => {
        let s = schema ?? {};
        for (let i = 0; i < 10 && typeof s.$ref === 'string'; i++) {
          s = schemas[(s.$ref as string).split('/').pop()!] ?? {};
        }
        return s;
      };

      // Ids the fuzz can name: this workspace's (not the signed-in users'), another workspace's,
      // nobody's, and the ids accepted requests answer (added as they come).
      const ids: string[] = [
        ws.contacts.ny,
        ws.contacts.london,
        ws.contacts.dnc,
        ws.agents.active,
        ws.agents.inactive,
        ws.campaign,
        ws.callLog,
        ws.dncEntry,
        ws.users.viewer.id,
        other.contacts.ny,
        other.agents.default,
        other.campaign,
        other.users.admin.id,
        '00000000-0000-4000-8000-000000000000',
      ];
      // The fuzz's own users and keys stay out of the pool (resetting or revoking them would
      // leave every later request a 401).
      const keys = await app.inject({
        method: 'GET',
        url: '/api/api-keys',
        headers: { host: 'localhost:80', authorization: `Bearer ${ws.keys.admin}` },
      });
      const own = new Set<string>([
        ws.users.admin.id,
        ws.users.operator.id,
        ...(keys.json().items as { id: string }[]).map((k) => k.id),
      ]);
      expect(own.size).toBeGreaterThan(4);
      const learn = (value: unknown, depth = 0) => {
        if (depth > 3 || value === null || typeof value !== 'object') return;
        if (Array.isArray(value)) {
          for (const v of value.slice(0, 5)) learn(v, depth + 1);
          return;
        }
        const id = (value as Json).id;
        if (
          typeof id === 'string' &&
          /^[0-9a-f-]{36}$/.test(id) &&
          !ids.includes(id) &&
          !own.has(id)
        ) {
          if (ids.length < 120) ids.push(id);
        }
        for (const v of Object.values(value as Json)) learn(v, depth + 1);
      };
      // Read the pool when a value is drawn (it grows as the fuzz goes).
      const poolId = fc.nat().map((n) => ids[n % ids.length]!);
      const anyId = fc.oneof(
        { arbitrary: poolId, weight: 12 },
        { arbitrary: fc.uuid(), weight: 1 },
        {
          arbitrary: fc.constantFrom('abc', '1', '%00', '..%2F..', 'x'.repeat(300), '😀'),
          weight: 1,
        },
      );

      const stringFor = (schema: Json, name: string): fc.Arbitrary<unknown> => {
        const format = schema.format as string | undefined;
        const lname = name.toLowerCase();
        if (format === 'uuid' || lname.endsWith('id')) return anyId;
        if (format === 'date-time' || /at$|from$|to$|until$/.test(name)) return instant;
        if (format === 'email' || lname.includes('email')) return fuzzTargets(target.name);
        if (format === 'uri' || lname.includes('url')) {
          return fc.constantFrom(
            'https://hooks.example.com/in',
            'https://hooks.example.com/other?x=1',
            'http://127.0.0.1/x',
            'https://10.0.0.1/',
            'ftp://x',
          );
        }
        if (lname.includes('phone')) {
          return fc.oneof(
            fc.integer({ min: 0, max: 9999 }).map((n) => `+1212555${String(n).padStart(4, '0')}`),
            fc.constantFrom('+447700900123', '555', '+999'),
          );
        }
        if (lname.includes('timezone') || lname === 'tz') {
          return fc.constantFrom('America/New_York', 'Europe/London', 'Mars/Olympus', 'UTC');
        }
        if (lname.includes('password')) {
          return fc.constantFrom(PASSWORD, 'short', 'a much longer passphrase here', '');
        }
        if (typeof schema.pattern === 'string') {
          try {
            return fc.stringMatching(new RegExp(schema.pattern as string), { size: 'xsmall' });
          } catch {
            // not a pattern fast-check can generate from
          }
        }
        const min = (schema.minLength as number | undefined) ?? 0;
        const max = Math.min((schema.maxLength as number | undefined) ?? 40, Math.max(min, 40));
        return fc.string({ minLength: min, maxLength: max });
      };

      const fromSchema = (
        raw: Json | undefined,
        name: string,
        depth: number,
        clean: boolean,
      ): fc.Arbitrary<unknown> => {
        const schema = deref(raw);
        if (depth > 6) return junk;
        if ('const' in schema) return fc.constant(schema.const);
        if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
        for (const key of ['anyOf', 'oneOf'] as const) {
          const options = schema[key] as Json[] | undefined;
          if (options?.length)
            return fc.oneof(...options.map((o) => fromSchema(o, name, depth + 1, clean)));
        }
        if (Array.isArray(schema.allOf) && schema.allOf.length) {
          return fromSchema(schema.allOf[0] as Json, name, depth + 1, clean);
        }
        const type = schema.type;
        if (Array.isArray(type)) {
          return fc.oneof(
            ...type.map((t) => fromSchema({ ...schema, type: t }, name, depth + 1, clean)),
          );
        }
        switch (type) {
          case 'string':
            return stringFor(schema, name);
          case 'integer':
          case 'number': {
            const min = (schema.minimum as number | undefined) ?? -5;
            const max = Math.min((schema.maximum as number | undefined) ?? 1000, min + 100_000);
            return type === 'integer'
              ? fc.integer({ min: Math.ceil(min), max: Math.floor(max) })
              : fc.double({ min, max, noNaN: true });
          }
          case 'boolean':
            return fc.boolean();
          case 'null':
            return fc.constant(null);
          case 'array': {
            const minLength = (schema.minItems as number | undefined) ?? 0;
            const maxLength = Math.max(minLength, Math.min((schema.maxItems as number) ?? 4, 4));
            return fc.array(
              mostly(fromSchema(schema.items as Json, name, depth + 1, clean), clean),
              {
                minLength,
                maxLength,
              },
            );
          }
          case 'object':
          case undefined: {
            const props = (schema.properties ?? {}) as Record<string, Json>;
            const keys = Object.keys(props);
            if (keys.length === 0) {
              const extra = schema.additionalProperties;
              if (extra && typeof extra === 'object') {
                return fc.dictionary(
                  fc.string({ maxLength: 12 }),
                  fromSchema(extra as Json, name, depth + 1, clean),
                  { maxKeys: 3 },
                );
              }
              return type === 'object' ? fc.object({ maxDepth: 1, maxKeys: 2 }) : junk;
            }
            const record: Record<string, fc.Arbitrary<unknown>> = {};
            for (const key of keys)
              record[key] = mostly(fromSchema(props[key], key, depth + 1, clean), clean, 12);
            const required = ((schema.required as string[] | undefined) ?? []).filter((k) =>
              keys.includes(k),
            );
            return fc
              .tuple(
                fc.record(record, { requiredKeys: required }),
                clean
                  ? fc.constant(null)
                  : fc.option(fc.tuple(fc.string({ maxLength: 10 }), junk), { freq: 6 }),
              )
              .map(([body, extra]) => (extra ? { ...body, [extra[0]]: extra[1] } : body));
          }
          default:
            return junk;
        }
      };

      const csv = fc
        .tuple(
          fc.constantFrom(
            'firstName,lastName,phone,email,timezone',
            'phone,reason',
            'name,phone',
            '',
            'a\u0000b,c',
          ),
          fc.array(
            fc.tuple(fc.string({ maxLength: 10 }), fc.string({ maxLength: 10 }), fc.nat(9999)),
            { maxLength: 5 },
          ),
        )
        .map(
          ([header, rows]) =>
            `${header}\n${rows.map(([a, b, n]) => `${a},${b},+1212555${String(n).padStart(4, '0')},x@example.com,UTC`).join('\n')}\n`,
        );

      const operations: Operation[] = [];
      for (const [p, ops] of Object.entries(doc.paths)) {
        for (const [method, op] of Object.entries(ops)) {
          operations.push({ method: method.toUpperCase(), path: p, op });
        }
      }
      expect(operations.length).toBeGreaterThan(60);

      // Who asks: sessions of the admin and the operator (signed in again when the fuzz ends
      // one), API keys, nobody, and keys and cookies that are not valid.
      const sessionOf = async (email: string) => {
        const res = await app.inject({
          method: 'POST',
          url: '/api/auth/login',
          headers: { host: 'localhost:80', origin: ORIGIN },
          payload: { email, password: PASSWORD },
        });
        expect(res.statusCode, res.body).toBe(200);
        return `ft_session=${res.cookies.find((c) => c.name === 'ft_session')!.value}`;
      };
      const sessions = {
        admin: await sessionOf(ws.users.admin.email),
        operator: await sessionOf(ws.users.operator.email),
      };
      type Who =
        | 'admin-session'
        | 'operator-session'
        | 'admin-key'
        | 'viewer-key'
        | 'anonymous'
        | 'bad-key'
        | 'bad-cookie';
      const authHeaders = (who: Who): Record<string, string> => {
        switch (who) {
          case 'admin-session':
            return { cookie: sessions.admin, origin: ORIGIN };
          case 'operator-session':
            return { cookie: sessions.operator, origin: ORIGIN };
          case 'admin-key':
            return { authorization: `Bearer ${ws.keys.admin}` };
          case 'viewer-key':
            return { authorization: `Bearer ${ws.keys.viewer}` };
          case 'anonymous':
            return {};
          case 'bad-key':
            return { authorization: 'Bearer ft_nope' };
          case 'bad-cookie':
            return { cookie: 'ft_session=nope', origin: ORIGIN };
        }
      };
      const whoArb = fc.oneof(
        { arbitrary: fc.constant<Who>('admin-key'), weight: 5 },
        { arbitrary: fc.constant<Who>('admin-session'), weight: 4 },
        { arbitrary: fc.constant<Who>('operator-session'), weight: 2 },
        {
          arbitrary: fc.constantFrom<Who>('viewer-key', 'anonymous', 'bad-key', 'bad-cookie'),
          weight: 1,
        },
      );

      // The tables' checksums and the uploaded files, after the last request.
      const snapshot = async () => ({
        tables: await tableChecksums(ctx.handle),
        files: (await readdir(uploadDir)).sort(),
      });
      let state = await snapshot();
      let refused = 0;
      let accepted = 0;
      const statuses = new Map<string, Set<number>>();

      for (const { method, path: template, op } of operations) {
        const params = ((op.parameters ?? []) as Json[]).map((p) => ({
          in: p.in as string,
          name: p.name as string,
          required: p.required === true,
          schema: p.schema as Json,
        }));
        const pathParams = params.filter((p) => p.in === 'path');
        const queryParams = params.filter((p) => p.in === 'query');
        const bodySchema = (
          (op.requestBody as Json | undefined)?.content as Record<string, Json> | undefined
        )?.['application/json']?.schema as Json | undefined;
        const isUpload = method === 'POST' && template === '/api/imports';
        const isStream = template === '/api/events';

        const build = (clean: boolean) => {
          const query = fc
            .tuple(
              fc.record(
                Object.fromEntries(
                  // Cursors are only ever ones the server gave out: a made-up one is a broken request.
                  queryParams
                    .filter((p) => !clean || p.name !== 'cursor')
                    .map((p) => [
                      p.name,
                      mostly(fromSchema(p.schema, p.name, 0, clean), clean, 8).map((v) =>
                        typeof v === 'string' ? v : JSON.stringify(v),
                      ),
                    ]),
                ),
                { requiredKeys: [] },
              ),
              fc.array(
                fc.tuple(
                  fc.constantFrom('unknown', 'limit', 'cursor', 'a[b]', '__proto__', ''),
                  fc.string({ maxLength: 10 }),
                ),
                { maxLength: clean ? 0 : 2 },
              ),
            )
            .map(([known, extra]) =>
              [
                ...Object.entries(known).map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`),
                ...extra.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`),
              ].join('&'),
            );

          const jsonBody = bodySchema
            ? fromSchema(bodySchema, 'body', 0, clean)
            : fc.jsonValue({ maxDepth: 2 });
          const validBody = isUpload
            ? csv.map((c) => ({ payload: c, type: 'text/csv' }))
            : jsonBody.map((b) => ({ payload: JSON.stringify(b), type: 'application/json' }));
          const body: fc.Arbitrary<{ payload?: string; type?: string }> = clean
            ? validBody
            : fc.oneof(
                {
                  arbitrary: validBody,
                  weight: 6,
                },
                { arbitrary: fc.constant({}), weight: 1 },
                {
                  arbitrary: fc
                    .jsonValue({ maxDepth: 3 })
                    .map((b) => ({ payload: JSON.stringify(b), type: 'application/json' })),
                  weight: 1,
                },
                {
                  arbitrary: fc
                    .oneof(
                      fc.string({ maxLength: 50 }),
                      fc.constantFrom(
                        '{',
                        '{"a":',
                        'null',
                        '""',
                        '[]',
                        '\u0000',
                        deep(40),
                        deep(3000),
                        `{"a":"${'x'.repeat(2 * 1024 * 1024)}"}`,
                      ),
                    )
                    .map((payload) => ({ payload, type: 'application/json' })),
                  weight: 1,
                },
                {
                  arbitrary: fc
                    .string({ maxLength: 50 })
                    .map((payload) => ({ payload, type: 'text/plain' })),
                  weight: 1,
                },
              );

          return fc.record({
            who: isStream
              ? fc.constantFrom<Who>('anonymous', 'bad-key', 'bad-cookie')
              : clean
                ? fc.constantFrom<Who>('admin-key', 'admin-session', 'operator-session')
                : whoArb,
            pathValues: fc.tuple(
              ...pathParams.map(() => (clean ? poolId : anyId)),
              fc.constant(null),
            ),
            query,
            body,
            headers: fc.array(HEADER_CHOICES, { maxLength: clean ? 0 : 3 }),
          });
        };
        const request = fc.oneof(
          { arbitrary: build(true), weight: 3 },
          { arbitrary: build(false), weight: 2 },
        );

        await fc.assert(
          fc.asyncProperty(request, async (r) => {
            let url = template;
            pathParams.forEach((p, i) => {
              url = url.replace(`{${p.name}}`, encodeURIComponent(String(r.pathValues[i])));
            });
            if (r.query) url += `?${r.query}`;
            const headers: Record<string, string> = { host: 'localhost:80' };
            if (r.body.type) headers['content-type'] = r.body.type;
            for (const [k, v] of r.headers) headers[k] = v;
            Object.assign(headers, authHeaders(r.who));
            const withBody = r.body.payload !== undefined && method !== 'GET';
            const options: InjectOptions = {
              method: method as InjectOptions['method'],
              url,
              headers,
              ...(withBody ? { payload: r.body.payload } : {}),
            };

            const before = state;
            const res: LightMyRequestResponse = await app.inject(options);
            await drainImports();
            state = await snapshot();
            const what = `${method} ${url} as ${r.who} ${JSON.stringify(headers)} ${String(r.body.payload).slice(0, 300)} → ${res.statusCode} ${res.body.slice(0, 300)}`;

            expect(res.statusCode, what).toBeLessThan(500);
            const seen = statuses.get(`${method} ${template}`) ?? new Set();
            seen.add(res.statusCode);
            statuses.set(`${method} ${template}`, seen);
            if (res.statusCode >= 400) {
              refused += 1;
              expect(res.headers['content-type'], what).toContain('application/problem+json');
              const problem = res.json();
              expect(problem, what).toMatchObject({ status: res.statusCode });
              expect(typeof problem.title, what).toBe('string');
              expect(typeof problem.detail, what).toBe('string');
              expect(state, `${what}: a refusal wrote`).toEqual(before);
            } else {
              accepted += 1;
              if (String(res.headers['content-type']).includes('json') && res.body)
                learn(res.json());
            }

            // The fuzz may sign its own sessions out: sign in again for the next request.
            if (res.statusCode === 204 && template === '/api/auth/logout') {
              if (r.who === 'admin-session') sessions.admin = await sessionOf(ws.users.admin.email);
              if (r.who === 'operator-session') {
                sessions.operator = await sessionOf(ws.users.operator.email);
              }
              state = await snapshot();
            }
          }),
          { numRuns: isStream ? 3 : RUNS },
        );
      }

      // The fuzz must get past validation, not only be refused by it.
      expect(accepted).toBeGreaterThan(operations.length);
      expect(refused).toBeGreaterThan(operations.length);
      const reached = [...statuses.values()].filter((s) => [...s].some((c) => c < 300)).length;
      expect(
        reached,
        JSON.stringify(Object.fromEntries([...statuses].map(([k, v]) => [k, [...v]]))),
      ).toBeGreaterThan(operations.length / 2);
    }, 600_000);
  });
}
