/** The default SMS provider: delivers almost always, answers at once. No account needed. */
import type { Channel, ChannelOutcome } from './channel.ts';

export function smsSimulator(random: () => number = Math.random): Channel {
  return {
    type: 'sms',
    provider: 'simulator',
    async start(job): Promise<ChannelOutcome> {
      const r = random();
      if (r < 0.02)
        return { status: 'done', result: 'invalid_number', providerRef: `sim-${job.attemptId}` };
      if (r < 0.05)
        return { status: 'done', result: 'provider_error', providerRef: `sim-${job.attemptId}` };
      return { status: 'done', result: 'delivered', providerRef: `sim-${job.attemptId}` };
    },
  };
}
