import type { FollowUpType } from '../../core/follow-up.ts';
import type { Clock } from '../clock.ts';
import type { Database } from '../db/client.ts';
import type { Logger } from '../logger.ts';
import type { Channels } from './channels/channel.ts';

/** What every part of the engine works with; the clock and the channels are passed in. */
export interface EngineContext {
  db: Database;
  clock: Clock;
  logger: Logger;
  channels: Channels;
  /** Names this process on attempts it starts (diagnostics, leases). */
  workerId: string;
  /** Rows one statement claims or moves. */
  batchSize: number;
  /** How long an attempt may stay silent before the reaper ends it (SPEC §2.4). */
  leaseSeconds: Readonly<Record<FollowUpType, number>>;
}
