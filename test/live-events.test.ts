/**
 * GET /api/events as a browser's EventSource uses it, over a real socket: a workspace's
 * follow-up changes reach its subscribers and nobody else's, a reconnect with Last-Event-ID
 * gets what it missed (or `resync` when that is no longer known), streams end with the server.
 */

import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/server/http/app.ts';
import { LiveHub, type LiveMessage } from '../src/server/live.ts';
import { type Client, ORIGIN, signIn, withKey } from './helpers/client.ts';
import { testDatabases, useDatabase } from './helpers/databases.ts';

const METRICS_TOKEN = 'metrics-token-for-tests-0123456789';

import { createTestWorkspace, PASSWORD, type TestWorkspace } from './helpers/workspace.ts';

interface SseEvent {
  id: string | undefined;
  event: string;
  data: string;
}

interface Stream {
  status: number;
  headers: Headers;
  events: SseEvent[];
  /** Changes only (follow_up, call_log), parsed. */
  changes(): { id: string; event: string; data: { id: string; status: string | null } }[];
  /** Waits until `test` holds for the events received so far. */
  until(test: (events: SseEvent[]) => boolean, what?: string): Promise<SseEvent[]>;
  close(): void;
  ended: Promise<void>;
}

const WAIT_MS = 10_000;

/** Opens the stream and parses it as EventSource does (comments are skipped). */
async function open(url: string, headers: Record<string, string>): Promise<Stream> {
  const controller = new AbortController();
  const res = await fetch(url, { headers, signal: controller.signal });
  const events: SseEvent[] = [];
  let notify = () => {};
  const ended = (async () => {
    if (!res.body) return;
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of res.body) {
        buffer += decoder.decode(chunk as Uint8Array, { stream: true });
        for (;;) {
          const end = buffer.indexOf('\n\n');
          if (end < 0) break;
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event: SseEvent = { id: undefined, event: 'message', data: '' };
          let hasData = false;
          for (const line of frame.split('\n')) {
            if (line.startsWith(':')) continue;
            const colon = line.indexOf(':');
            const field = colon < 0 ? line : line.slice(0, colon);
            const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
            if (field === 'id') event.id = value;
            else if (field === 'event') event.event = value;
            else if (field === 'data') {
              event.data = hasData ? `${event.data}\n${value}` : value;
              hasData = true;
            }
          }
          if (hasData) {
            events.push(event);
            notify();
          }
        }
      }
    } catch {
      // aborted
    } finally {
      notify();
    }
  })();
  return {
    status: res.status,
    headers: res.headers,
    events,
    changes: () =>
      events
        .filter((e) => e.event === 'follow_up' || e.event === 'call_log')
        .map((e) => ({ id: e.id!, event: e.event, data: JSON.parse(e.data) })),
    async until(test, what = 'the expected events') {
      const deadline = Date.now() + WAIT_MS;
      while (!test(events)) {
        if (Date.now() > deadline) {
          throw new Error(`timed out waiting for ${what}; got ${JSON.stringify(events)}`);
        }
        await new Promise<void>((resolve) => {
          notify = resolve;
          setTimeout(resolve, 50);
        });
      }
      return events;
    },
    close: () => controller.abort(),
    ended,
  };
}

/** The statuses a stream saw for one follow-up, in order. */
function statusesOf(stream: Stream, followUpId: string): (string | null)[] {
  return stream
    .changes()
    .filter((c) => c.data.id === followUpId)
    .map((c) => c.data.status);
}

async function sessionCookie(app: FastifyInstance, email: string): Promise<string> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    headers: { host: 'localhost:80', origin: ORIGIN },
    payload: { email, password: PASSWORD },
  });
  const cookie = res.cookies.find((c) => c.name === 'ft_session');
  if (!cookie) throw new Error(`sign-in failed: ${res.statusCode}`);
  return `ft_session=${cookie.value}`;
}

describe('live hub', () => {
  const noListen = { listen: async () => async () => {} };
  const change = (w: string, id: string, status: string) =>
    JSON.stringify({ w, c: [['f', id, status, 'contact']] });

  it('replays what a workspace missed, and answers resync when it is no longer kept', () => {
    const hub = new LiveHub(noListen, { bufferSize: 3 });
    const seen: LiveMessage[] = [];
    const first = hub.subscribe('a', (m) => seen.push(m));
    hub.receive(change('a', 'f1', 'scheduled'));
    hub.receive(change('b', 'g1', 'scheduled'));
    hub.receive(change('a', 'f2', 'queued'));
    expect(seen.map((m) => m.type === 'follow_up' && m.data.id)).toEqual(['f1', 'f2']);
    first.unsubscribe();
    // Numbers count one workspace's events.
    expect(seen.map((m) => m.id)).toEqual([`${hub.epoch}-1`, `${hub.epoch}-2`]);

    const replay = hub.subscribe('a', () => {}, `${hub.epoch}-1`);
    expect(replay.backlog).toEqual([seen[1]]);
    replay.unsubscribe();
    expect(hub.subscribe('a', () => {}, `${hub.epoch}-2`).backlog).toEqual([]);

    // Two more events push f1 and g1 out of the three kept: after a-1, a-2 is still kept…
    hub.receive(change('a', 'f3', 'in_progress'));
    hub.receive(change('b', 'g2', 'queued'));
    const kept = hub.subscribe('a', () => {}, `${hub.epoch}-1`).backlog;
    expect(kept.map((m) => m.id)).toEqual([`${hub.epoch}-2`, `${hub.epoch}-3`]);
    // …but after a-0, a-1 was dropped: resync.
    expect(hub.subscribe('a', () => {}, `${hub.epoch}-0`).backlog.map((m) => m.type)).toEqual([
      'resync',
    ]);
    // An id of another process or run, or no id we ever gave: resync.
    for (const id of ['0badf00d-2', 'garbage', `${hub.epoch}-99`]) {
      expect(hub.subscribe('a', () => {}, id).backlog.map((m) => m.type)).toEqual(['resync']);
    }
  });

  it('tells subscribers to resync when the listening connection came back', () => {
    const hub = new LiveHub(noListen);
    const seen: LiveMessage[] = [];
    hub.subscribe('a', (m) => seen.push(m));
    hub.receive(change('a', 'f1', 'scheduled'));
    const before = seen[0]!.id;
    hub.resync();
    expect(seen.map((m) => m.type)).toEqual(['follow_up', 'resync']);
    // What was sent before the gap cannot be resumed from; the resync itself can.
    expect(hub.subscribe('a', () => {}, before).backlog.map((m) => m.type)).toEqual(['resync']);
    expect(hub.subscribe('a', () => {}, seen[1]!.id).backlog).toEqual([]);
  });

  it('ignores malformed notifications', () => {
    const hub = new LiveHub(noListen);
    const seen: LiveMessage[] = [];
    hub.subscribe('a', (m) => seen.push(m));
    hub.receive('not json');
    hub.receive(JSON.stringify({ w: 'a', c: [['x', 'f1', null, null], 'junk'] }));
    hub.receive(JSON.stringify({ w: 'a', c: [['c', 'call1', null, 'contact']] }));
    expect(seen).toEqual([
      {
        id: `${hub.epoch}-1`,
        type: 'call_log',
        data: { id: 'call1', status: null, contactId: 'contact' },
      },
    ]);
  });
});

for (const target of testDatabases()) {
  describe(`GET /api/events [${target.name}]`, () => {
    const ctx = useDatabase(target);
    let app: FastifyInstance;
    let base: string;
    let ws: TestWorkspace;
    let other: TestWorkspace;
    let operator: Client;
    let otherOperator: Client;
    let viewerCookie: string;
    const streams: Stream[] = [];

    beforeAll(async () => {
      app = await buildApp({
        handle: ctx.handle,
        logger: false,
        webRoot: '/nonexistent',
        metricsToken: METRICS_TOKEN,
      });
      ws = await createTestWorkspace(ctx.handle.db, 'Live Co');
      other = await createTestWorkspace(ctx.handle.db, 'Other Live Co');
      operator = await signIn(app, ws.users.operator.email);
      otherOperator = withKey(app, other.keys.operator);
      viewerCookie = await sessionCookie(app, ws.users.viewer.email);
      await app.listen({ port: 0, host: '127.0.0.1' });
      const address = app.server.address();
      base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    });
    afterAll(async () => {
      for (const s of streams) s.close();
      await app.close();
    });

    async function subscribe(headers: Record<string, string>, query = ''): Promise<Stream> {
      const stream = await open(`${base}/api/events${query}`, headers);
      streams.push(stream);
      return stream;
    }
    const asViewer = (extra: Record<string, string> = {}, query = '') =>
      subscribe({ cookie: viewerCookie, ...extra }, query);

    async function create(client: Client, contactId: string): Promise<string> {
      const res = await client.post('/api/follow-ups', {
        contactId,
        type: 'call',
        scheduledAt: new Date(Date.now() + 3_600_000).toISOString(),
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json().id;
    }
    async function cancel(id: string): Promise<void> {
      const res = await operator.post(`/api/follow-ups/${id}/cancel`, {});
      expect(res.statusCode, res.body).toBe(200);
    }
    async function subscribers(): Promise<number> {
      const res = await app.inject({
        method: 'GET',
        url: '/metrics',
        headers: { authorization: `Bearer ${METRICS_TOKEN}` },
      });
      return Number(/^followthrough_live_subscribers (\S+)$/m.exec(res.body)?.[1]);
    }

    it('needs a signed-in user or an API key', async () => {
      const anonymous = await app.inject({ method: 'GET', url: '/api/events' });
      expect(anonymous.statusCode).toBe(401);
      expect(anonymous.headers['content-type']).toMatch(/^application\/problem\+json/);
      const badKey = await fetch(`${base}/api/events`, {
        headers: { authorization: 'Bearer ft_not_a_key' },
      });
      expect(badKey.status).toBe(401);
    });

    it("sends a workspace's follow-up changes to its subscribers, and to no one else", async () => {
      const mine = await asViewer();
      const theirs = await subscribe({ authorization: `Bearer ${other.keys.viewer}` });
      expect(mine.status).toBe(200);
      expect(mine.headers.get('content-type')).toMatch(/^text\/event-stream/);
      expect(mine.headers.get('cache-control')).toMatch(/no-cache/);
      expect(mine.headers.get('x-content-type-options')).toBe('nosniff');
      expect(theirs.status).toBe(200);

      const id = await create(operator, ws.contacts.ny);
      await cancel(id);
      await mine.until((e) => e.length >= 2, 'scheduled and cancelled');
      expect(mine.changes()).toEqual([
        {
          id: expect.any(String),
          event: 'follow_up',
          data: { id, status: 'scheduled', contactId: ws.contacts.ny },
        },
        {
          id: expect.any(String),
          event: 'follow_up',
          data: { id, status: 'cancelled', contactId: ws.contacts.ny },
        },
      ]);
      expect(new Set(mine.events.map((e) => e.id)).size).toBe(2);

      // The other workspace's change reaches its subscriber; since notifications arrive in
      // order, that one would have seen ours before it if it were going to.
      const theirId = await create(otherOperator, other.contacts.ny);
      await theirs.until((e) => e.length >= 1, "the other workspace's change");
      expect(theirs.changes().map((c) => c.data)).toEqual([
        { id: theirId, status: 'scheduled', contactId: other.contacts.ny },
      ]);
      // And ours does not get theirs: a later change of ours comes, theirs never.
      const later = await create(operator, ws.contacts.london);
      await mine.until((e) => e.some((x) => x.data.includes(later)), 'a later change');
      expect(mine.changes().map((c) => c.data.id)).toEqual([id, id, later]);
    });

    it('replays the events missed while disconnected, from Last-Event-ID', async () => {
      const watcher = await asViewer();
      const first = await asViewer();
      const seen = await create(operator, ws.contacts.ny);
      await first.until((e) => e.length >= 1, 'the first change');
      const lastEventId = first.events.at(-1)!.id!;
      first.close();
      await first.ended;

      const missed = await create(operator, ws.contacts.ny);
      await cancel(missed);
      await watcher.until((e) => e.length >= 3, 'the missed changes');
      const expected = watcher.events.slice(1).map((e) => ({ ...e }));

      const again = await asViewer({ 'last-event-id': lastEventId });
      await again.until((e) => e.length >= 2, 'the replay');
      expect(again.events).toEqual(expected);
      expect(statusesOf(again, missed)).toEqual(['scheduled', 'cancelled']);
      expect(statusesOf(again, seen)).toEqual([]);

      // EventSource polyfills that cannot set headers use the query string.
      const viaQuery = await asViewer({}, `?lastEventId=${encodeURIComponent(lastEventId)}`);
      await viaQuery.until((e) => e.length >= 2, 'the replay');
      expect(viaQuery.events).toEqual(expected);

      // Nothing missed: nothing replayed, and new changes follow.
      const upToDate = await asViewer({ 'last-event-id': expected.at(-1)!.id! });
      const next = await create(operator, ws.contacts.ny);
      await upToDate.until((e) => e.length >= 1, 'the next change');
      expect(upToDate.changes().map((c) => c.data.id)).toEqual([next]);
    });

    it('answers resync to an id it cannot resume from', async () => {
      const stale = await asViewer({ 'last-event-id': '0badf00d-12' });
      await stale.until((e) => e.length >= 1, 'resync');
      expect(stale.events[0]).toMatchObject({ event: 'resync', data: '{}' });
      // The resync's own id can be resumed from.
      const resumed = await asViewer({ 'last-event-id': stale.events[0]!.id! });
      const next = await create(operator, ws.contacts.ny);
      await resumed.until((e) => e.length >= 1, 'the next change');
      expect(resumed.events.map((e) => e.event)).toEqual(['follow_up']);
      expect(resumed.changes()[0]!.data.id).toBe(next);
    });

    it('forgets a subscriber that disconnected', async () => {
      const before = await subscribers();
      const stream = await asViewer();
      expect(await subscribers()).toBe(before + 1);
      stream.close();
      await stream.ended;
      const deadline = Date.now() + WAIT_MS;
      while ((await subscribers()) !== before && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(await subscribers()).toBe(before);
    });

    it.runIf(target.name === 'postgres')(
      'tells subscribers to resync after the listening connection was lost',
      async () => {
        const stream = await asViewer();
        await ctx.handle.db.execute(sql`
          select pg_terminate_backend(pid) from pg_stat_activity
          where pid <> pg_backend_pid() and query = 'LISTEN "followthrough_changes"'`);
        await stream.until((e) => e.some((x) => x.event === 'resync'), 'resync');
        // Listening again: changes flow.
        const id = await create(operator, ws.contacts.ny);
        await stream.until((e) => e.some((x) => x.data.includes(id)), 'a change after it');
      },
    );

    it('ends open streams when the server closes', async () => {
      const second = await buildApp({ handle: ctx.handle, logger: false, webRoot: '/nonexistent' });
      await second.listen({ port: 0, host: '127.0.0.1' });
      const address = second.server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      const stream = await open(`http://127.0.0.1:${port}/api/events`, {
        authorization: `Bearer ${ws.keys.viewer}`,
      });
      expect(stream.status).toBe(200);
      await second.close();
      await stream.ended;
    });
  });
}
