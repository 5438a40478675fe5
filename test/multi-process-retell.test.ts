/**
 * Multi-process tier with Retell instead of the simulator: four real `followthrough worker`
 * processes (FOLLOWTHROUGH_CALL_PROVIDER=retell, retell-sdk pointed at a local stand-in of
 * Retell's API) share 1,000 due calls on one PostgreSQL database. The stand-in accepts each
 * call, refuses some with 429 (Retry-After 1 s), and reports each accepted call a moment later
 * through the signed webhook (served here by the app on the same database), some as no answer
 * (retried about a second later). Every follow-up ends terminal, and no attempt was created
 * twice at Retell: the stand-in counts the idempotency keys of the calls it accepted.
 *
 * Runs when TEST_DATABASE_URL is set, in a database of its own (followthrough_mp_retell_<pid>).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DatabaseHandle, openDatabase } from '../src/server/db/client.ts';
import * as s from '../src/server/db/schema.ts';
import { rowsOf } from '../src/server/db/sql.ts';
import { buildApp } from '../src/server/http/app.ts';
import { createLoadWorkspace, insertDueFollowUps } from './helpers/engine-load.ts';
import { sendRetellWebhook } from './helpers/voice-stand-ins.ts';

const BASE_URL = process.env.TEST_DATABASE_URL;
/** This process's own database, so that two runs on one PostgreSQL never share it. */
const DATABASE = `followthrough_mp_retell_${process.pid}`;
const WORKERS = 4;
const COUNT = 1000;
const API_KEY = 'key_retell_multi_process';
const STALL_MS = 120_000;
const BIN = path.resolve('bin/followthrough.js');

describe.skipIf(!BASE_URL)('multi-process with Retell', () => {
  let url: string;
  let handle: DatabaseHandle;
  let app: FastifyInstance;
  let server: Server;
  let retellUrl: string;
  const workers: ChildProcess[] = [];
  const output: string[] = [];
  /** Accepted creates per idempotency key, refusals, reports sent. */
  const accepted = new Map<string, number>();
  let refused = 0;
  const reports: Promise<unknown>[] = [];

  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: BASE_URL });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };

  beforeAll(async () => {
    // One build before the workers start: four workers finding it stale would build at once.
    execFileSync(process.execPath, ['scripts/build-server.mjs'], { stdio: 'ignore' });
    await admin(`drop database if exists "${DATABASE}" with (force)`);
    await admin(`create database "${DATABASE}"`);
    const u = new URL(BASE_URL!);
    u.pathname = `/${DATABASE}`;
    url = u.toString();
    handle = await openDatabase({ databaseUrl: url, dataDir: '' });
    await handle.migrate();
    app = await buildApp({
      handle,
      logger: false,
      voicePlatforms: { retellApiKey: API_KEY },
      webRoot: '/nonexistent',
    });
    let n = 0;
    server = createServer((req, res) => {
      let raw = '';
      req.setEncoding('utf8');
      req.on('data', (chunk) => {
        raw += chunk;
      });
      req.on('end', () => {
        const body = JSON.parse(raw || '{}');
        n++;
        // Every 20th request: Retell's concurrency limit.
        if (n % 20 === 0) {
          refused++;
          res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1' });
          res.end(JSON.stringify({ error_message: 'Concurrency limit reached' }));
          return;
        }
        const key = String(body.metadata?.followthrough_idempotency_key ?? '');
        accepted.set(key, (accepted.get(key) ?? 0) + 1);
        const callId = `call_mp_${n}`;
        res.writeHead(201, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ call_id: callId, call_status: 'registered', agent_id: 'a' }));
        // The call ends 50-300 ms later; one in five is not answered (retried).
        const reason = n % 5 === 0 ? 'dial_no_answer' : 'user_hangup';
        reports.push(
          sleep(50 + Math.floor(Math.random() * 250)).then(() => {
            const end = Date.now();
            return sendRetellWebhook(
              app,
              {
                event: 'call_ended',
                call: {
                  call_id: callId,
                  direction: 'outbound',
                  metadata: body.metadata,
                  start_timestamp: end - 1000,
                  end_timestamp: end,
                  disconnection_reason: reason,
                },
              },
              API_KEY,
            );
          }),
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    retellUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    for (const w of workers) if (w.exitCode === null) w.kill('SIGKILL');
    await Promise.allSettled(reports);
    await app?.close();
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    await handle?.close();
    await admin(`drop database if exists "${DATABASE}" with (force)`);
  });

  function spawnWorker(): ChildProcess {
    const child = spawn(process.execPath, [BIN, 'worker'], {
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        DATABASE_URL: url,
        LOG_LEVEL: 'warn',
        FOLLOWTHROUGH_CALL_PROVIDER: 'retell',
        RETELL_API_KEY: API_KEY,
        RETELL_FROM_NUMBER: '+12125550100',
        RETELL_BASE_URL: retellUrl,
        FOLLOWTHROUGH_SMS_PROVIDER: 'instant',
        FOLLOWTHROUGH_WEBHOOK_PROVIDER: 'instant',
        FOLLOWTHROUGH_CALL_LEASE_SECONDS: '600',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer) => {
      output.push(...chunk.toString().split('\n').filter(Boolean));
      output.splice(0, Math.max(0, output.length - 60));
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    workers.push(child);
    return child;
  }

  it('every follow-up ends terminal; no attempt is created twice at Retell', async () => {
    const ws = await createLoadWorkspace(handle.db, {
      name: 'Retell Multi Co',
      agents: 10,
      capacity: () => 5,
      contacts: 500,
      retryScheduleMinutes: [0.02],
    });
    await handle.db.execute(
      sql`update agents set external_agent_id = 'agent_' || id where workspace_id = ${ws.id}`,
    );
    await insertDueFollowUps(handle.db, ws, { count: COUNT, types: ['call'], maxAttempts: 10 });
    for (let i = 0; i < WORKERS; i++) spawnWorker();

    let done = 0;
    let progress = { done: 0, at: Date.now() };
    while (done < COUNT) {
      const dead = workers.find((w) => w.exitCode !== null);
      if (dead) throw new Error(`a worker exited with ${dead.exitCode}:\n${output.join('\n')}`);
      const [row] = rowsOf<{ n: number }>(
        await handle.db.execute(sql`
          select count(*)::int as n from follow_ups
          where workspace_id = ${ws.id} and status in ('completed', 'failed')`),
      );
      done = row!.n;
      if (done > progress.done) progress = { done, at: Date.now() };
      if (Date.now() - progress.at > STALL_MS) {
        throw new Error(`stalled at ${done} of ${COUNT}:\n${output.join('\n')}`);
      }
      await sleep(250);
    }
    for (const w of workers) w.kill('SIGTERM');
    await Promise.all(
      workers.map((w) =>
        w.exitCode === null ? new Promise((resolve) => w.once('exit', resolve)) : null,
      ),
    );
    await Promise.allSettled(reports);

    const statuses = rowsOf<{ status: string; n: number }>(
      await handle.db.execute(sql`
        select status, count(*)::int as n from follow_ups where workspace_id = ${ws.id}
        group by status order by status`),
    );
    expect(statuses).toEqual([{ status: 'completed', n: COUNT }]);
    // The 429s happened, and cost no attempt: attempts = accepted creates, one per key.
    expect(refused).toBeGreaterThan(0);
    const duplicates = [...accepted].filter(([, n]) => n > 1);
    expect(duplicates).toEqual([]);
    const attempts = await handle.db.select().from(s.followUpAttempts);
    expect(attempts).toHaveLength(accepted.size);
    expect(new Set(attempts.map((a) => a.idempotencyKey))).toEqual(new Set(accepted.keys()));
    expect(attempts.filter((a) => a.endedAt === null)).toEqual([]);
    const [logs] = rowsOf<{ n: number }>(
      await handle.db.execute(sql`select count(*)::int as n from call_logs`),
    );
    expect(logs!.n).toBe(accepted.size);
    console.log(
      `[multi-process retell] ${COUNT} follow-ups, ${WORKERS} workers: ${accepted.size} calls, ${refused} refused with 429`,
    );
  }, 900_000);
});
