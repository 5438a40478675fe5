/**
 * Live updates (SPEC §7.3: rows update while the engine works). The server streams the
 * workspace's changes as Server-Sent Events (GET /api/events); each change marks the matching
 * queries stale so that what is on screen is fetched again, a few changes at a time. Without
 * the stream (an older server, a proxy that cuts it) the lists poll instead.
 */
import type { QueryClient } from '@tanstack/react-query';

let connected = false;

/**
 * Says on the page whether the stream is open (`<html data-live="open">`), so that a person's
 * tools and the browser tests can wait for live updates instead of guessing how long they take.
 */
function setConnected(value: boolean): void {
  connected = value;
  if (typeof document !== 'undefined') {
    document.documentElement.dataset.live = value ? 'open' : 'closed';
  }
}

/** Whether the event stream is open (lists then poll rarely, as a safety net only). */
export function isLive(): boolean {
  return connected;
}

/** How often a live list looks again by itself. */
export function liveRefetchInterval(): number {
  return connected ? 60_000 : 15_000;
}

interface ChangeEvent {
  id?: string;
  contactId?: string | null;
}

function parse(data: string): ChangeEvent {
  try {
    return JSON.parse(data) as ChangeEvent;
  } catch {
    return {};
  }
}

export function startLiveUpdates(queryClient: QueryClient): () => void {
  if (typeof EventSource === 'undefined') return () => {};
  const source = new EventSource('/api/events');
  const pending = new Map<string, readonly unknown[]>();
  let timer: ReturnType<typeof setTimeout> | undefined;

  const flush = () => {
    timer = undefined;
    for (const queryKey of pending.values()) void queryClient.invalidateQueries({ queryKey });
    pending.clear();
  };
  const mark = (queryKey: readonly unknown[]) => {
    pending.set(JSON.stringify(queryKey), queryKey);
    timer ??= setTimeout(flush, 1_000);
  };

  source.addEventListener('open', () => {
    setConnected(true);
  });
  source.addEventListener('error', () => {
    // The browser reconnects by itself (and replays what was missed) unless the server
    // refused the stream; either way, poll meanwhile.
    setConnected(source.readyState === EventSource.OPEN);
  });
  source.addEventListener('follow_up', (event) => {
    const change = parse((event as MessageEvent<string>).data);
    mark(['follow-ups', 'list']);
    if (change.id) mark(['follow-ups', 'detail', change.id]);
    mark(['dashboard']);
    // Calls starting and ending change the agents' load.
    mark(['agents']);
    // A campaign page counts its follow-ups per status.
    mark(['campaigns', 'detail']);
  });
  source.addEventListener('call_log', (event) => {
    const change = parse((event as MessageEvent<string>).data);
    mark(['call-logs']);
    if (change.contactId) mark(['contacts', 'detail', change.contactId]);
    mark(['dashboard']);
  });
  source.addEventListener('resync', () => {
    void queryClient.invalidateQueries();
  });

  return () => {
    source.close();
    setConnected(false);
    if (timer) clearTimeout(timer);
  };
}
