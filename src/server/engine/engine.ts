/**
 * The engine's life cycle: started in-process by the embedded `serve`, alone by `worker`.
 * The scheduler, dispatcher and reaper are not built yet: until they are, this loop only
 * checks the database on the slow safety-poll period and does no work.
 */
import type { Clock } from '../clock.ts';
import type { DatabaseHandle } from '../db/client.ts';
import type { Logger } from '../logger.ts';

export interface EngineOptions {
  handle: DatabaseHandle;
  clock: Clock;
  logger: Logger;
  /** The slow safety poll, in milliseconds. */
  pollMs?: number;
}

export interface Engine {
  stop(): Promise<void>;
}

export function startEngine(options: EngineOptions): Engine {
  const { handle, logger } = options;
  let stopped = false;
  let running: Promise<unknown> = Promise.resolve();
  const tick = () => {
    if (stopped) return;
    running = handle.ping().then((ok) => {
      if (!ok) logger.warn('engine: the database is not reachable; will retry');
    });
  };
  const timer = setInterval(tick, options.pollMs ?? 5_000);
  timer.unref();
  logger.info({ database: handle.kind }, 'engine started (no work yet: scheduler not built)');
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
      logger.info('engine stopped');
    },
  };
}
