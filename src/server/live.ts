/**
 * Live changes for screens (SPEC §7.3 "rows update live", §8 GET /api/events). One LISTEN per
 * process on the changes channel, started with the first subscriber; every notification is
 * numbered and fanned out in memory to the subscribers of its workspace.
 *
 * Event ids are `<epoch>-<n>`: `n` counts the events of one workspace in this process (so ids
 * tell nothing about other workspaces), `epoch` names this process's run. The last events (of
 * all workspaces together) stay in a ring buffer; a subscriber coming back with the id of the
 * last event it saw gets what it missed from there. When that cannot be complete — the id is
 * older than the buffer, comes from another process or an earlier run, or the listening
 * connection was lost meanwhile — it gets `resync` instead: refetch what is on screen.
 */
import { randomBytes } from 'node:crypto';
import type { DatabaseHandle } from './db/client.ts';
import { CHANNELS, type ChangesPayload } from './db/notify.ts';
import type { Logger } from './logger.ts';
import { liveSubscribers } from './metrics.ts';

export type LiveEventType = 'follow_up' | 'call_log';

export interface LiveChange {
  id: string;
  status: string | null;
  contactId: string | null;
}

export type LiveMessage =
  | { id: string; type: LiveEventType; data: LiveChange }
  | { id: string; type: 'resync' };

export type LiveListener = (message: LiveMessage) => void;

interface Buffered {
  workspaceId: string;
  seq: number;
  message: LiveMessage;
}

interface WorkspaceState {
  /** The number of the workspace's last event. */
  seq: number;
  /**
   * A Last-Event-ID below this number gets `resync`: events after it were dropped from the
   * buffer, or lost while the listening connection was down.
   */
  gapUpTo: number;
  subscribers: Set<LiveListener>;
}

export interface LiveHubOptions {
  /** Events kept for replay, over all workspaces. */
  bufferSize?: number;
  logger?: Pick<Logger, 'info' | 'warn'>;
}

export interface Subscription {
  /** What the subscriber missed since `lastEventId`, or a single `resync`. */
  backlog: LiveMessage[];
  unsubscribe(): void;
}

const KINDS: Record<string, LiveEventType> = { f: 'follow_up', c: 'call_log' };

export class LiveHub {
  readonly epoch = randomBytes(4).toString('hex');
  private readonly bufferSize: number;
  private readonly ring: (Buffered | undefined)[];
  private next = 0;
  private readonly workspaces = new Map<string, WorkspaceState>();
  private listening: Promise<void> | null = null;
  private unlisten: (() => Promise<void>) | null = null;
  private closed = false;

  constructor(
    private readonly handle: Pick<DatabaseHandle, 'listen'>,
    private readonly options: LiveHubOptions = {},
  ) {
    this.bufferSize = options.bufferSize ?? 1_000;
    this.ring = new Array(this.bufferSize);
  }

  /** Listens (once, shared by every subscriber); a failed start is tried again next time. */
  start(): Promise<void> {
    if (this.closed) return Promise.reject(new Error('The live hub is closed.'));
    this.listening ??= this.handle
      .listen(
        CHANNELS.changes,
        (payload) => this.receive(payload),
        () => this.resync(),
      )
      .then((unlisten) => {
        if (this.closed) return void unlisten().catch(() => {});
        this.unlisten = unlisten;
      })
      .catch((error) => {
        this.listening = null;
        throw error;
      });
    return this.listening;
  }

  /**
   * Adds a listener for a workspace's events. With `lastEventId`, the backlog holds the events
   * after it (or a `resync` when they cannot all be given); nothing can arrive between the
   * backlog and the first live message.
   */
  subscribe(workspaceId: string, listener: LiveListener, lastEventId?: string): Subscription {
    const state = this.state(workspaceId);
    const backlog = lastEventId === undefined ? [] : this.backlog(workspaceId, state, lastEventId);
    state.subscribers.add(listener);
    liveSubscribers.inc();
    let active = true;
    return {
      backlog,
      unsubscribe: () => {
        if (!active) return;
        active = false;
        state.subscribers.delete(listener);
        liveSubscribers.dec();
      },
    };
  }

  /** Subscribers of all workspaces. */
  get subscriberCount(): number {
    let n = 0;
    for (const state of this.workspaces.values()) n += state.subscribers.size;
    return n;
  }

  /** Handles one notification payload (public for tests). */
  receive(payload: string): void {
    let parsed: ChangesPayload;
    try {
      parsed = JSON.parse(payload) as ChangesPayload;
      if (typeof parsed.w !== 'string' || !Array.isArray(parsed.c)) throw new Error('bad shape');
    } catch (error) {
      this.options.logger?.warn({ err: error, payload }, 'live: ignored a malformed change');
      return;
    }
    const state = this.state(parsed.w);
    for (const change of parsed.c) {
      const type = Array.isArray(change) ? KINDS[change[0]] : undefined;
      if (!type || typeof change[1] !== 'string') continue;
      state.seq += 1;
      const message: LiveMessage = {
        id: this.idOf(state.seq),
        type,
        data: { id: change[1], status: change[2] ?? null, contactId: change[3] ?? null },
      };
      this.push({ workspaceId: parsed.w, seq: state.seq, message });
      this.deliver(state, message);
    }
  }

  /**
   * Changes may have been missed (the listening connection was lost): every subscriber refetches
   * and every earlier Last-Event-ID gets `resync`.
   */
  resync(): void {
    this.options.logger?.info('live: listening again; subscribers resync');
    for (const state of this.workspaces.values()) {
      // The resync gets its own number: every id before it lacks what was lost.
      state.seq += 1;
      state.gapUpTo = state.seq;
      this.deliver(state, { id: this.idOf(state.seq), type: 'resync' });
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.listening?.catch(() => {});
    const unlisten = this.unlisten;
    this.unlisten = null;
    await unlisten?.().catch(() => {});
  }

  private state(workspaceId: string): WorkspaceState {
    let state = this.workspaces.get(workspaceId);
    if (!state) {
      state = { seq: 0, gapUpTo: 0, subscribers: new Set() };
      this.workspaces.set(workspaceId, state);
    }
    return state;
  }

  private idOf(seq: number): string {
    return `${this.epoch}-${seq}`;
  }

  private push(entry: Buffered): void {
    const slot = this.next % this.bufferSize;
    const dropped = this.ring[slot];
    if (dropped) {
      const state = this.workspaces.get(dropped.workspaceId);
      if (state && state.gapUpTo < dropped.seq) state.gapUpTo = dropped.seq;
    }
    this.ring[slot] = entry;
    this.next += 1;
  }

  private backlog(workspaceId: string, state: WorkspaceState, lastEventId: string): LiveMessage[] {
    const match = /^([0-9a-f]+)-(\d{1,15})$/.exec(lastEventId.trim());
    const seq = match && match[1] === this.epoch ? Number(match[2]) : Number.NaN;
    if (!(seq >= state.gapUpTo && seq <= state.seq)) {
      return [{ id: this.idOf(state.seq), type: 'resync' }];
    }
    const missed: LiveMessage[] = [];
    const count = Math.min(this.next, this.bufferSize);
    for (let i = this.next - count; i < this.next; i++) {
      const entry = this.ring[i % this.bufferSize]!;
      if (entry.workspaceId === workspaceId && entry.seq > seq) missed.push(entry.message);
    }
    return missed;
  }

  private deliver(state: WorkspaceState, message: LiveMessage): void {
    for (const listener of [...state.subscribers]) {
      try {
        listener(message);
      } catch (error) {
        this.options.logger?.warn({ err: error }, 'live: a subscriber failed');
      }
    }
  }
}

/** One event in the text/event-stream format. */
export function formatEvent(message: LiveMessage): string {
  const data = message.type === 'resync' ? '{}' : JSON.stringify(message.data);
  return `id: ${message.id}\nevent: ${message.type}\ndata: ${data}\n\n`;
}
