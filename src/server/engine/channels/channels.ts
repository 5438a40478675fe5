/** The channels a process uses, chosen by configuration. */
import type { Clock } from '../../clock.ts';
import type { Config } from '../../config.ts';
import type { Database } from '../../db/client.ts';
import type { Logger } from '../../logger.ts';
import { callSimulator } from './call-simulator.ts';
import type { Channels } from './channel.ts';
import { instantChannel } from './instant.ts';
import { smsSimulator } from './sms-simulator.ts';

export interface ChannelDeps {
  db: Database;
  clock: Clock;
  logger: Logger;
  config: Config;
}

export function createChannels(deps: ChannelDeps): Channels {
  const { providers } = deps.config;
  return {
    call: providers.call === 'instant' ? instantChannel('call') : callSimulator(deps),
    sms: providers.sms === 'instant' ? instantChannel('sms') : smsSimulator(),
    // The signed webhook delivery channel comes next; until then deliveries succeed at once.
    webhook: instantChannel('webhook'),
  };
}
