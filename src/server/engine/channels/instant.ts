/** A channel that succeeds at once: benchmarks and tests of the engine's own cost. */
import type { FollowUpType } from '../../../core/follow-up.ts';
import type { AttemptResult } from '../../../core/results.ts';
import type { Channel, ChannelOutcome } from './channel.ts';

const SUCCESS: Record<FollowUpType, AttemptResult> = {
  call: 'answered',
  sms: 'delivered',
  webhook: 'success',
};

export function instantChannel(type: FollowUpType): Channel {
  return {
    type,
    provider: 'instant',
    async start(): Promise<ChannelOutcome> {
      return { status: 'done', result: SUCCESS[type] };
    },
  };
}
