/**
 * GET /api/events (SPEC §8): Server-Sent Events of the signed-in workspace's follow-up and
 * call-log changes, so that lists update while the engine works (§7.3).
 *
 *   id: <id>                            what to send back as Last-Event-ID
 *   event: follow_up | call_log         data: {"id", "status", "contactId"}
 *   event: resync                       changes may have been missed: refetch what is shown
 *   : ping                              every 15 s, so that proxies keep the stream open
 *
 * Access is checked again at every ping: the stream ends when its session is signed out or
 * expires, its API key is revoked, or its user is deactivated (the client's reconnect then
 * gets its 401).
 *
 * A client coming back with `Last-Event-ID` (or `?lastEventId=` where it cannot set headers)
 * gets the events it missed, or `resync` when they are no longer known.
 */
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { z } from 'zod';
import { errors, ProblemSchema } from '../../../contracts/common.ts';
import { ProblemError } from '../../errors.ts';
import { formatEvent, LiveHub } from '../../live.ts';
import type { App, RouteDeps } from '../app.ts';
import { actorFromCredential, actorOf } from '../plugins/auth.ts';

export const HEARTBEAT_MS = 15_000;
/** A client that reads slower than this much piles up is cut off (it reconnects and replays). */
const MAX_BUFFERED_BYTES = 1024 * 1024;
const RETRY_MS = 2_000;

const EventsQuery = z.looseObject({
  lastEventId: z
    .string()
    .max(100, 'lastEventId can be at most 100 characters.')
    .optional()
    .describe('The id of the last event received, for clients that cannot send Last-Event-ID'),
});

const EVENT_STREAM_DESCRIPTION =
  'text/event-stream. Events `follow_up` and `call_log` carry {"id", "status", "contactId"} ' +
  '(status: the follow-up status; null for call logs); `resync` means changes may have been ' +
  'missed and what is on screen should be fetched again. Every event has an id to send back ' +
  'as Last-Event-ID when reconnecting.';

export function eventsRoutes(app: App, { ctx, handle, liveHeartbeatMs }: RouteDeps): void {
  const hub = new LiveHub(handle, { logger: app.log });
  const streams = new Set<ServerResponse>();

  // Open streams would keep the server from closing: end them first (clients reconnect).
  app.addHook('preClose', async () => {
    for (const res of streams) res.end();
  });
  app.addHook('onClose', async () => {
    await hub.close();
  });

  app.get(
    '/events',
    {
      config: { access: 'viewer' },
      schema: {
        tags: ['Live'],
        summary: 'Server-Sent Events: follow-up and call-log changes of the workspace',
        querystring: EventsQuery,
        headers: z.looseObject({
          'last-event-id': z
            .string()
            .optional()
            .describe('The id of the last event received: the missed ones are sent first'),
        }),
        response: {
          200: {
            description: EVENT_STREAM_DESCRIPTION,
            content: { 'text/event-stream': { schema: z.string() } },
          },
          ...errors(),
          503: ProblemSchema.describe('Live updates cannot be received right now'),
        },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const credential = request.credential;
      try {
        await hub.start();
      } catch (error) {
        request.log.error({ err: error }, 'live: cannot listen for changes');
        throw new ProblemError(
          503,
          'unavailable',
          'Live updates unavailable',
          'Live updates cannot be received right now. Try again in a moment.',
        );
      }
      const lastEventId = request.headers['last-event-id'] ?? request.query.lastEventId;

      reply.hijack();
      const res = reply.raw;
      const headers: OutgoingHttpHeaders = {};
      // Headers set by hooks (security headers) still apply to the hijacked response.
      for (const [name, value] of Object.entries(reply.getHeaders())) {
        if (value !== undefined) headers[name] = value;
      }
      res.writeHead(200, {
        ...headers,
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-store, no-transform',
        connection: 'keep-alive',
        // nginx and similar proxies would otherwise buffer the stream.
        'x-accel-buffering': 'no',
      });
      streams.add(res);

      let open = true;
      const close = () => {
        if (!open) return;
        open = false;
        clearInterval(heartbeat);
        subscription.unsubscribe();
        streams.delete(res);
      };
      const write = (text: string) => {
        if (!open) return;
        if (res.writableLength > MAX_BUFFERED_BYTES) {
          request.log.warn({ workspaceId: actor.workspaceId }, 'live: a slow client was cut off');
          res.destroy();
          return;
        }
        res.write(text);
      };
      const subscription = hub.subscribe(
        actor.workspaceId,
        (message) => write(formatEvent(message)),
        lastEventId,
      );
      const stillAllowed = async () => {
        if (!credential) return false;
        try {
          const now = await actorFromCredential(ctx, credential);
          return now !== null && now.workspaceId === actor.workspaceId;
        } catch (error) {
          // The database is away for a moment: keep the stream; the next ping asks again.
          request.log.warn({ err: error }, 'live: could not check access');
          return true;
        }
      };
      const heartbeat = setInterval(async () => {
        if (!open) return;
        if (!(await stillAllowed())) {
          request.log.info({ workspaceId: actor.workspaceId }, 'live: access ended, stream closed');
          close();
          res.end();
          return;
        }
        write(': ping\n\n');
      }, liveHeartbeatMs ?? HEARTBEAT_MS);
      heartbeat.unref();
      res.on('close', close);
      // The client may have gone while the listening connection was being opened.
      if (res.destroyed || !res.socket || res.socket.destroyed) return close();

      write(`retry: ${RETRY_MS}\n: connected\n\n`);
      for (const message of subscription.backlog) write(formatEvent(message));
    },
  );
}
