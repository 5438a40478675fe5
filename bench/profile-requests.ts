/**
 * Where a request's time goes: runs one kind of API request many times in this process
 * (app.inject, no network) against the bench:api database and prints the mean time per
 * request. Run with `node --cpu-prof --import tsx bench/profile-requests.ts card` to see the
 * hot functions in Chrome DevTools.
 *
 *   npx tsx bench/profile-requests.ts [card|filtered|create] [--count 2000]
 */
import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { systemClock } from '../src/server/clock.ts';
import { workspaces } from '../src/server/db/schema.ts';
import { rowsOf } from '../src/server/db/sql.ts';
import { buildApp } from '../src/server/http/app.ts';
import { createApiKey } from '../src/server/services/auth.service.ts';
import { arg, isKeyCheck, openBenchDatabase, removeBenchWrites } from './lib.ts';

const kind = process.argv[2] ?? 'card';
const count = Number(arg('count', '2000'));
const captured: { text: string; params: unknown[] }[] = [];
let capturing = false;
const handle = await openBenchDatabase('postgres', (text, params) => {
  if (capturing) captured.push({ text, params });
});
const [ws] = await handle.db.select().from(workspaces).where(eq(workspaces.name, 'API Bench'));
if (!ws) throw new Error('Run npm run bench:api first: it loads the "API Bench" workspace.');
const key = (
  await createApiKey(
    { db: handle.db, clock: systemClock },
    { workspaceId: ws.id, kind: 'api_key', id: randomUUID(), role: 'admin' },
    { name: `bench profile ${Date.now()}`, role: 'operator' },
  )
).key;
const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
const app = await buildApp({ handle, logger: false });
const contactIds = rowsOf<{ contact_id: string }>(
  await handle.db.execute(sql`select contact_id from follow_ups where workspace_id = ${ws.id}
    group by contact_id order by md5(contact_id::text) limit 200`),
).map((r) => r.contact_id);
const agentIds = rowsOf<{ id: string }>(
  await handle.db.execute(sql`select id from agents where workspace_id = ${ws.id}`),
).map((r) => r.id);

const request = (i: number) => {
  if (kind === 'card') {
    return { method: 'GET' as const, url: `/api/follow-ups?contactId=${contactIds[i % 200]}` };
  }
  if (kind === 'filtered') {
    return {
      method: 'GET' as const,
      url: `/api/follow-ups?status=scheduled,queued&agentId=${agentIds[i % agentIds.length]}&limit=50`,
    };
  }
  return {
    method: 'POST' as const,
    url: '/api/follow-ups',
    payload: {
      contactId: contactIds[i % 200],
      type: 'call',
      scheduledAt: new Date(Date.now() + 3_600_000).toISOString(),
    },
  };
};

for (let i = 0; i < 200; i++) await app.inject({ ...request(i), headers });
const started = performance.now();
const cpu = process.cpuUsage();
for (let i = 0; i < count; i++) {
  const res = await app.inject({ ...request(i), headers });
  if (res.statusCode >= 300) throw new Error(`${res.statusCode} ${res.body}`);
}
const ms = (performance.now() - started) / count;
const used = process.cpuUsage(cpu);

// The floor: the same statements straight through the driver (reads only).
let floor = '';
if (kind !== 'create') {
  capturing = true;
  await app.inject({ ...request(0), headers });
  capturing = false;
  const statements = captured.filter((q) => !isKeyCheck(q.text));
  const client = (
    handle.db as unknown as {
      $client: { query: (t: string, p: unknown[]) => Promise<{ rows: unknown[] }> };
    }
  ).$client;
  const bareCpu = process.cpuUsage();
  const bareStarted = performance.now();
  for (let i = 0; i < count; i++) {
    let rows: unknown[] = [];
    for (const q of statements) rows = (await client.query(q.text, q.params)).rows;
    JSON.stringify({ items: rows });
  }
  const b = process.cpuUsage(bareCpu);
  floor =
    `; the same ${statements.length} statement(s) through the driver: ` +
    `${((performance.now() - bareStarted) / count).toFixed(3)} ms, ` +
    `${((b.user + b.system) / 1000 / count).toFixed(3)} ms CPU`;
}
const cpuMs = (used.user + used.system) / 1000 / count;
console.log(
  `${kind}: ${ms.toFixed(3)} ms per request, ${cpuMs.toFixed(3)} ms of this process's CPU ` +
    `(${count} in sequence, in process)${floor}`,
);
await app.close();
await removeBenchWrites(handle, ws.id);
await handle.close();
